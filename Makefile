# SPDX-License-Identifier: GPL-2.0-or-later
# pxemasq - see README.md.  `make` builds build/pxemasq.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
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
CORE_SRCS += log.c
CORE_SRCS += daemon.c
CORE_SRCS += buf.c
CORE_SRCS += tag.c
CORE_SRCS += dhcp_log.c
CORE_SRCS += dhcp_pool.c
# dhcp_server.c needs dhcp_msg.c and lease.c; until both exist, the tests
# that use it compile it with stand-ins from src/test/fake/.
DSRV_MISSING := $(filter-out $(wildcard src/dhcp_msg.c src/lease.c),\
	src/dhcp_msg.c src/lease.c)
ifeq ($(DSRV_MISSING),)
CORE_SRCS += dhcp_server.c
DSRV_EXTRA :=
else
DSRV_EXTRA := src/dhcp_server.c \
	$(patsubst src/%.c,src/test/fake/fake_%.c,$(DSRV_MISSING))
endif
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
HDRS := $(wildcard src/*.h)

TESTS := $(patsubst src/test/%.c,%,$(wildcard src/test/test_*.c))
TEST_BINS := $(TESTS:%=$(BUILD)/test/%)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# libcap: priv.c sets capability sets and the bounding set.
CPPFLAGS += $(shell $(PKG_CONFIG) --cflags libcap 2>/dev/null)
LIBS += $(shell $(PKG_CONFIG) --libs libcap 2>/dev/null || echo -lcap)
# IDNA2008 name checks, as Debian's dnsmasq (compile option IDN2).
LIBS += $(shell $(PKG_CONFIG) --libs libidn2 2>/dev/null || echo -lidn2)

FUZZ_TARGETS := $(patsubst src/fuzz/fuzz_%.c,%,$(wildcard src/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZ_TIME ?= 60

.PHONY: all check check-quick unit fuzz-replay corpus fuzz install clean \
	deps demo lint format compat

all: $(BUILD)/pxemasq

DSRV_USERS := $(BUILD)/test/test_dhcp_server $(BUILD)/fuzz/replay_dhcp_server
$(DSRV_USERS): EXTRA_SRCS := $(DSRV_EXTRA)
$(DSRV_USERS): $(DSRV_EXTRA)

$(BUILD)/obj/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/pxemasq: $(CORE_OBJS) $(BUILD)/obj/main.o
	$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LIBS)

$(BUILD)/test/%: src/test/%.c $(CORE_OBJS) $(wildcard src/test/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Isrc -Isrc/test -o $@ \
		$< $(EXTRA_SRCS) $(CORE_OBJS) $(LDFLAGS_ALL) $(CMOCKA_LIBS) $(LIBS)

$(BUILD)/fuzz/replay_%: src/fuzz/fuzz_%.c src/fuzz/replay.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -o $@ $< src/fuzz/replay.c \
		$(EXTRA_SRCS) $(CORE_OBJS) $(LDFLAGS_ALL) $(LIBS)

unit: $(TEST_BINS)
fuzz-replay: $(FUZZ_REPLAY)

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

fuzz:
	scripts/fuzz.sh $(FUZZ_TIME)

install: $(BUILD)/pxemasq
	install -d $(DESTDIR)$(SBINDIR)
	install -m 0755 $(BUILD)/pxemasq $(DESTDIR)$(SBINDIR)/pxemasq

demo:
	scripts/demo.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -D_GNU_SOURCE -Isrc src/*.c

format:
	clang-format -i src/*.c src/*.h

clean:
	rm -rf build
