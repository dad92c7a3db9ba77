# netlab - a teaching lab for concurrent TCP servers.
#
#   make            build ./netlab
#   make demo       sequential versus threaded, played by itself
#   make test       build, then run every bats test under tests/
#   make asan       the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan       the threaded designs' tests under ThreadSanitizer
#   make bench      the load generator against every design (numbers, not tests)
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LABDIR  ?= $(PREFIX)/share/netlab/labs
CC      ?= cc
CFLAGS  ?= -O2 -g
WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS)
CPPFLAGS += -D_GNU_SOURCE -DNETLAB_LABDIR='"$(LABDIR)"' -Isrc -MMD -MP
LDLIBS  += -pthread -lreadline

ifdef SANITIZE
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
BUILD   ?= build/$(subst $(comma),-,$(SANITIZE))
endif
comma   := ,
BUILD   ?= build

SRCS = $(wildcard src/*.c src/servers/*.c)
OBJS = $(SRCS:src/%.c=$(BUILD)/%.o)
BIN  ?= netlab

TESTS ?= tests

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

setup:
	@scripts/setup

test: setup all
	NETLAB=$(abspath $(BIN)) NETLAB_SANITIZE=$(SANITIZE) NETLAB_DESIGNS="$(NETLAB_DESIGNS)" \
	    BATS_TEST_TIMEOUT=120 bats $(TESTS)

check: test

demo: setup all
	scripts/demo ./$(BIN)

bench: all
	scripts/bench ./$(BIN)

asan:
	$(MAKE) SANITIZE=address,undefined BIN=netlab-asan test

# Under TSan, the tests that loop over designs run the threaded ones only
# (NETLAB_DESIGNS narrows every list; see tests/designs.bash), and the --unsafe
# race, a data race on purpose, is skipped.
tsan:
	$(MAKE) SANITIZE=thread BIN=netlab-tsan TESTS="$(TSAN_TESTS)" \
	    NETLAB_DESIGNS="$(TSAN_DESIGNS)" test

TSAN_TESTS ?= tests
TSAN_DESIGNS ?= threaded limited pool

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LABDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/netlab
	install -m 644 labs/*.lab $(DESTDIR)$(LABDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/netlab
	rm -rf $(DESTDIR)$(LABDIR)

format:
	clang-format -i src/*.c src/*.h src/servers/*.c src/servers/*.h

clean:
	rm -rf build netlab netlab-asan netlab-tsan

.PHONY: all setup test check demo bench asan tsan install uninstall format clean

-include $(OBJS:.o=.d)
