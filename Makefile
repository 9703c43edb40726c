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
CORE_SRCS += addrwatch.c
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
CORE_SRCS += mx.c
# --- feature switches (issue 11) ----------------------------------------
# make NO_DHCP=1 / NO_SCRIPT=1 / NO_TFTP=1 / NO_DNS=1 / NO_METRICS=1 (any
# together) leaves a feature out: its modules (FEATMODS_<F>) give way to src/stub/<f>.c,
# which has the same public functions doing nothing, the compiler gets
# -DPXEMASQ_NO_<F> (read by conf_features.c only: options of the feature
# are then refused as compiled out, --version says no-<F>), and the unit
# tests and fuzz targets of the modules left out (FEATSKIP_<F> names the
# others) are not built.  Without BUILD=, the build goes to
# build/feat-no-<f>[-no-<g>...]/.  PXE is part of DHCP; scripts need DHCP.
# A new switch NO_X: one FEATMODS_X line here plus src/stub/x.c; for its
# options to be refused, an id X in conf_int.h's enum conf_feature (with
# its --version word in conf_table.c and a case in conf_features.c) and X
# in their conf_kw.h rows.  NO_METRICS=1 leaves out --metrics-listen's
# responder and dumpfile='s pcap writer (mx.c, the text builder the
# services' render functions call, stays: nothing calls them then).
FEATMODS_DHCP := dhcp_msg.c frame.c rawio_packet.c lease.c tag.c dhcp_log.c \
	dhcp_pool.c pxe.c dhcp_server.c dhcpd.c explain.c
FEATSKIP_DHCP := test_conf_dhcp test_conf_dhcpopt test_conf_pxe \
	test_script test_bpf test_ethers test_netio test_conf_other \
	fuzz_lease_file fuzz_pxe \
	fuzz_script_record fuzz_explain_pcap test_reload
FEATMODS_SCRIPT := script.c
FEATSKIP_SCRIPT := test_conf_dhcp test_conf_other fuzz_script_record test_reload
FEATMODS_TFTP := tftp_proto.c tftp_xfer.c tftp_file.c tftpd.c
FEATSKIP_TFTP := test_conf_tftp test_dhcp_server fuzz_tftp_req test_reload
FEATMODS_DNS := dns_msg.c dns_cache.c dns_local.c dns_fwd.c dnsd.c
FEATSKIP_DNS := test_conf_dns test_conf_other fuzz_dns_query fuzz_dns_reply \
	test_reload
FEATMODS_METRICS := metrics.c pcapdump.c
FEATSKIP_METRICS := fuzz_metrics_http
FEATURES := $(sort $(patsubst FEATMODS_%,%,$(filter FEATMODS_%,$(.VARIABLES))))
ifneq ($(NO_DHCP),)
NO_SCRIPT := 1
endif
FEAT_OFF := $(strip $(foreach f,$(FEATURES),$(if $(NO_$(f)),$(f))))
feat_lc = $(shell echo '$(1)' | tr A-Z a-z)
FEAT_OFF_SRCS := $(foreach f,$(FEAT_OFF),$(FEATMODS_$(f)))
FEAT_SKIP := $(foreach f,$(FEAT_OFF),$(FEATSKIP_$(f))) \
	$(FEAT_OFF_SRCS:%.c=test_%) $(FEAT_OFF_SRCS:%.c=fuzz_%)
# "-no-dns-no-tftp": build/feat-..., build-ARCH-... (make cross).
FEAT_TAG := $(subst $() ,,$(foreach f,$(FEAT_OFF),-no-$(call feat_lc,$(f))))
ifneq ($(FEAT_OFF),)
CORE_SRCS := $(filter-out $(FEAT_OFF_SRCS),$(CORE_SRCS)) \
	$(foreach f,$(FEAT_OFF),stub/$(call feat_lc,$(f)).c)
CPPFLAGS += $(FEAT_OFF:%=-DPXEMASQ_NO_%)
ifeq ($(origin BUILD),file)
BUILD := build/feat$(FEAT_TAG)
endif
endif
# The sets "make check" builds and "make footprint" measures (besides the
# full one): scripts/check-features.sh, make print-feature-sets.
FEATURE_SETS := NO_DNS NO_TFTP NO_DHCP NO_SCRIPT NO_DNS,NO_TFTP \
	NO_DHCP,NO_TFTP NO_DHCP,NO_DNS NO_METRICS NO_DNS,NO_TFTP,NO_METRICS
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
# Cold modules (start-up, configuration, reports, --explain): built for
# size, as a router's flash wants (the stripped binary then stays below
# Debian's dnsmasq, issue 10); the packet paths keep CFLAGS.  COLD_CFLAGS=
# (empty) builds everything alike.
COLD_SRCS := $(filter conf_%.c,$(CORE_SRCS)) explain.c reload.c metrics.c mx.c \
	idna.c ethers.c priv.c main.c
COLD_CFLAGS ?= -Os
$(COLD_SRCS:%.c=$(BUILD)/obj/%.o): ALL_CFLAGS += $(COLD_CFLAGS)
HDRS := $(wildcard src/*.h)

# SKIP_TESTS: unit tests left out (check-cross drops test_bpf when the
# target has no libpcap).
SKIP_TESTS ?=
TESTS := $(filter-out $(SKIP_TESTS) $(FEAT_SKIP),\
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

FUZZ_TARGETS := $(patsubst fuzz_%,%,$(filter-out $(FEAT_SKIP),\
	$(patsubst src/fuzz/%.c,%,$(wildcard src/fuzz/fuzz_*.c))))
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
	cross-deps check-cross static footprint print-feature-sets \
	print-tests check-features

all: $(BUILD)/pxemasq

$(BUILD)/obj/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -c -o $@ $<

# conf_features.o follows the switches even in a reused BUILD directory:
# the stamp is rewritten (when reading the Makefile) only when they change.
FEAT_STAMP := $(BUILD)/features.stamp
FEAT_STAMP_OK := $(shell mkdir -p $(BUILD) && \
	{ echo '$(FEAT_OFF)' | cmp -s - $(FEAT_STAMP) || \
	echo '$(FEAT_OFF)' > $(FEAT_STAMP); } && echo y)
$(BUILD)/obj/conf_features.o: $(FEAT_STAMP)

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
# fuzz seed replay, every feature set (scripts/check-features.sh: builds
# build/feat-*/), the config corpus against dnsmasq --test, the shipped
# configs, and the namespace tests.
check: deps
	$(MAKE) all unit fuzz-replay
	$(MAKE) SAN=address,undefined all unit fuzz-replay
	scripts/check-features.sh
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
# build-ARCH/pxemasq.stripped; with feature switches build-ARCH-no-x/)
# with Debian's cross compiler and the target's
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
	$(MAKE) BUILD=build-$(ARCH)$(FEAT_TAG) CC=$(TRIPLE)-gcc \
		'PKG_CONFIG=$(CROSS_PKG_CONFIG)' SKIP_TESTS='$(CROSS_SKIP)' \
		$(CROSS_GOALS)
	$(TRIPLE)-strip -o build-$(ARCH)$(FEAT_TAG)/pxemasq.stripped \
		build-$(ARCH)$(FEAT_TAG)/pxemasq
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
# The feature sets offered (FEATURE_SETS), one a line, for scripts.
print-feature-sets:
	@printf '%s\n' $(FEATURE_SETS)
# The unit tests of this build (its feature switches), one a line.
print-tests:
	@printf '%s\n' $(TESTS)
# Every feature set built on its own (build/feat-*/) with its unit tests
# and a smoke of --version and --test: part of make check.
check-features:
	scripts/check-features.sh
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
	rm -rf build $(CROSS_ARCHS:%=build-%) $(CROSS_ARCHS:%=build-%-no-*)
