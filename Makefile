# SPDX-License-Identifier: GPL-2.0-or-later
# pxemasq - see README.md.  `make` builds build/pxemasq.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
DOCDIR    ?= $(PREFIX)/share/doc/pxemasq
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR   ?=
CC        ?= cc
PKG_CONFIG ?= pkg-config
WERROR    ?= 1
SAN       ?=
BUILD     ?= build

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wcast-qual -Wformat=2 -Wvla -Wimplicit-fallthrough -Wpointer-arith \
	-Wundef -Wwrite-strings
ifeq ($(WERROR),1)
WARN += -Werror
endif
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS ?= -O2 -g
CPPFLAGS += -DPXEMASQ_VERSION='"$(VERSION)"' -D_GNU_SOURCE
ALL_CFLAGS = -std=gnu11 $(WARN) $(HARDEN) $(CFLAGS)
LDFLAGS_ALL = -pie -Wl,-z,relro,-z,now $(LDFLAGS)

ifneq ($(SAN),)
ALL_CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS_ALL += -fsanitize=$(SAN)
BUILD := build/san
endif

# Modules of the daemon (main.c apart, so tests and fuzzers can link them).
CORE_SRCS := arena.c clock.c ev.c conf_util.c conf_parse.c conf_table.c conf_features.c \
	conf_core.c conf_dhcp.c conf_dhcpopt.c conf_pxe.c conf_tftp.c conf_dns.c conf_other.c \
	conf_print.c
CORE_SRCS += priv.c
CORE_SRCS += idna.c dnsname.c
CORE_SRCS += hostsfile.c ethers.c
CORE_SRCS += log.c
CORE_SRCS += daemon.c
CORE_SRCS += reload.c
CORE_SRCS += buf.c
CORE_SRCS += util.c
CORE_SRCS += frame.c
CORE_SRCS += bpf.c
CORE_SRCS += rawio_packet.c
CORE_SRCS += netio.c
CORE_SRCS += iface.c
CORE_SRCS += dhcp_msg.c
CORE_SRCS += lease.c
CORE_SRCS += tag.c
CORE_SRCS += dhcp_log.c
CORE_SRCS += dhcp_pool.c
CORE_SRCS += pxe.c
CORE_SRCS += dhcp_server.c
CORE_SRCS += dhcpd.c
CORE_SRCS += script.c
CORE_SRCS += dns_msg.c
CORE_SRCS += dns_cache.c
CORE_SRCS += dns_local.c
CORE_SRCS += dns_fwd.c
CORE_SRCS += dnsd.c
CORE_SRCS += tftp_proto.c
CORE_SRCS += tftp_xfer.c
CORE_SRCS += tftp_file.c
CORE_SRCS += tftpd.c
CORE_SRCS += explain.c
CORE_SRCS += pcapdump.c
CORE_SRCS += metrics.c
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
HDRS := $(wildcard src/*.h)

# SKIP_TESTS: unit tests left out (check-cross drops test_bpf when the
# target has no libpcap).
SKIP_TESTS ?=
TESTS := $(filter-out $(SKIP_TESTS),\
	$(patsubst src/test/%.c,%,$(wildcard src/test/test_*.c)))
TEST_BINS := $(TESTS:%=$(BUILD)/test/%)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# libpcap only in the test that compares bpf.c with its compiler; the
# daemon links libc, libcap and libidn2 only.
PCAP_LIBS = $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap)
$(BUILD)/test/test_bpf: TEST_LIBS += $(PCAP_LIBS)
# libcap: priv.c sets capability sets and the bounding set.
CPPFLAGS += $(shell $(PKG_CONFIG) --cflags libcap 2>/dev/null)
LIBS += $(shell $(PKG_CONFIG) --libs libcap 2>/dev/null || echo -lcap)

FUZZ_TARGETS := $(patsubst src/fuzz/fuzz_%.c,%,$(wildcard src/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZ_HDRS := $(wildcard src/fuzz/*.h)
FUZZ_TIME ?= 60
# libFuzzer builds (scripts/fuzz.sh): clang, coverage and sanitizers on
# every module, so the core is compiled from source into each binary.
FUZZ_CC ?= clang
FUZZ_CFLAGS ?= -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_BINS := $(FUZZ_TARGETS:%=build/libfuzzer/fuzz_%)

.PHONY: all check check-quick unit fuzz-replay fuzz-build corpus fuzz footprint-rss \
	install clean deps demo lint format compat bench compat-report cross \
	cross-deps check-cross static footprint

all: $(BUILD)/pxemasq

$(BUILD)/obj/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/pxemasq: $(CORE_OBJS) $(BUILD)/obj/main.o
	$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LIBS)

$(BUILD)/test/%: src/test/%.c $(CORE_OBJS) $(wildcard src/test/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Isrc -Isrc/test -o $@ \
		$< $(CORE_OBJS) $(LDFLAGS_ALL) $(CMOCKA_LIBS) $(TEST_LIBS) $(LIBS)

$(BUILD)/fuzz/replay_%: src/fuzz/fuzz_%.c src/fuzz/replay.c $(FUZZ_HDRS) \
		$(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -o $@ $< src/fuzz/replay.c \
		$(CORE_OBJS) $(LDFLAGS_ALL) $(LIBS)

build/libfuzzer/fuzz_%: src/fuzz/fuzz_%.c $(CORE_SRCS:%=src/%) $(HDRS) \
		$(FUZZ_HDRS) Makefile
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 $(filter-out -Werror,$(WARN)) \
		$(FUZZ_CFLAGS) -Isrc -o $@ $< $(CORE_SRCS:%=src/%) $(LIBS)

unit: $(TEST_BINS)
fuzz-replay: $(FUZZ_REPLAY)
fuzz-build: $(FUZZ_BINS)

# Installs build and test dependencies when root (Debian 12), else names
# what is missing.  Then everything: unit tests plain and under ASan/UBSan,
# fuzz seed replay, the config corpus against dnsmasq --test, the shipped
# configs, and the namespace tests.
check: deps
	$(MAKE) all unit fuzz-replay
	$(MAKE) SAN=address,undefined all unit fuzz-replay
	scripts/check.sh --full

# Fast loop between commits: no installs, no namespaces.
check-quick:
	$(MAKE) all unit fuzz-replay
	scripts/check.sh --quick

deps:
	scripts/deps.sh

# One table over the differential compat tests, pxemasq against dnsmasq:
# runs them as root, or reads COMPAT_LOGS=DIR (make check leaves
# build/compat/*.log).
compat-report:
	scripts/compat-report.sh
# --- other machines (issue 11) ----------------------------------------------
# make cross ARCH=arm64|armhf|s390x|mipsel builds build-ARCH/pxemasq (and
# build-ARCH/pxemasq.stripped) with Debian's cross compiler and the target's
# multiarch libcap (scripts/cross-deps.sh installs both).  Extra goals go
# through CROSS_GOALS (check-cross adds unit and fuzz-replay).
CROSS_ARCHS := arm64 armhf s390x mipsel
TRIPLE_arm64 := aarch64-linux-gnu
TRIPLE_armhf := arm-linux-gnueabihf
TRIPLE_s390x := s390x-linux-gnu
TRIPLE_mipsel := mipsel-linux-gnu
ARCH ?=
TRIPLE = $(TRIPLE_$(ARCH))
CROSS_GOALS ?= all
CROSS_PKG_CONFIG = PKG_CONFIG_LIBDIR=/usr/lib/$(TRIPLE)/pkgconfig:/usr/share/pkgconfig pkg-config
CROSS_SKIP = $(if $(shell $(CROSS_PKG_CONFIG) --exists libpcap && echo y),,test_bpf)
cross:
	@if [ -z "$(TRIPLE)" ]; then \
		echo "usage: make cross ARCH=ARCH (one of: $(CROSS_ARCHS))" >&2; \
		exit 2; fi
	@if ! command -v $(TRIPLE)-gcc > /dev/null || \
	    ! $(CROSS_PKG_CONFIG) --exists libcap; then \
		echo "make cross: no $(TRIPLE)-gcc or no libcap-dev:$(ARCH);" \
		    "as root run: scripts/cross-deps.sh $(ARCH)" >&2; \
		exit 2; fi
	$(MAKE) BUILD=build-$(ARCH) CC=$(TRIPLE)-gcc \
		'PKG_CONFIG=$(CROSS_PKG_CONFIG)' SKIP_TESTS='$(CROSS_SKIP)' \
		$(CROSS_GOALS)
	$(TRIPLE)-strip -o build-$(ARCH)/pxemasq.stripped build-$(ARCH)/pxemasq
cross-deps:
	scripts/cross-deps.sh
# Unit tests, fuzz seed replay and the config corpus built for arm64 and
# s390x (big-endian) and run under qemu-user: scripts/check-cross.sh.
check-cross:
	scripts/check-cross.sh
# A static pxemasq: libc and libcap (libcap.a comes with libcap-dev), so
# the binary runs on any Linux of its architecture.  Static PIE (ASLR kept)
# where the C library has rcrt1.o (native amd64, arm64), else plain
# -static.  Name look-ups that go through NSS (getpwnam/getgrnam for
# --user/--group and dhcp-scriptuser, getaddrinfo for server names in the
# configuration) still want the machine's libnss modules of the same glibc
# at run time; the linker warns about it.  make static ARCH=arm64 builds a
# static cross binary into build/static-arm64/.
STATIC_CC = $(if $(TRIPLE),$(TRIPLE)-gcc,$(CC))
STATIC_PIE = $(shell f=$$($(STATIC_CC) -print-file-name=rcrt1.o); \
	[ -f "$$f" ] && echo -static-pie || echo -static -no-pie)
static:
	$(MAKE) $(if $(TRIPLE),CC=$(TRIPLE)-gcc 'PKG_CONFIG=$(CROSS_PKG_CONFIG)') \
		BUILD=build/static$(if $(ARCH),-$(ARCH)) \
		LDFLAGS_ALL='$(STATIC_PIE) -Wl,-z,relro,-z,now $(LDFLAGS)' all
# Stripped sizes per architecture next to Debian's dnsmasq-base (bench/README.md).
footprint:
	scripts/footprint.sh
# Installed size and RSS (idle, 10,000 dhcp-host + leases) next to
# dnsmasq's, both run in a namespace of their own (root).
footprint-rss: $(BUILD)/pxemasq
	scripts/footprint-rss.sh

# FUZZ_TIME seconds per target; new corpus entries stay under build/.
fuzz:
	scripts/fuzz.sh $(FUZZ_TIME)

# The man page names the examples directory; it is written for the
# default prefix and rewritten here for DOCDIR.
install: $(BUILD)/pxemasq
	install -d $(DESTDIR)$(SBINDIR)
	install -m 0755 $(BUILD)/pxemasq $(DESTDIR)$(SBINDIR)/pxemasq
	install -d $(DESTDIR)$(MANDIR)/man8
	sed -e 's|/usr/local/share/doc/pxemasq|$(DOCDIR)|g' man/pxemasq.8 \
		> $(DESTDIR)$(MANDIR)/man8/pxemasq.8
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/pxemasq.8
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m 0644 conf/*.conf $(DESTDIR)$(DOCDIR)/examples/
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 contrib/bash-completion/pxemasq \
		$(DESTDIR)$(BASHCOMPDIR)/pxemasq

demo:
	scripts/demo.sh

# Benchmarks against dnsmasq (root; not part of check): bench/README.md.
bench: $(BUILD)/pxemasq
	bench/dhcp/run.sh
	bench/dns/run.sh
	bench/tftp/run.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -D_GNU_SOURCE -Isrc src/*.c

format:
	clang-format -i src/*.c src/*.h

clean:
	rm -rf build $(CROSS_ARCHS:%=build-%)
