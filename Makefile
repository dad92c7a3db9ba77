# netlab - a teaching lab for concurrent TCP servers.
#
#   make            build ./netlab (objects in build/)
#   make demo       scripts/demo: sequential versus threaded, played by itself
#   make test       install what the tests need if it is missing (scripts/setup),
#                   build, then bats on every file under tests/ (TESTS=tests/x.bats
#                   for some; BATS_FLAGS=--tap for TAP output)
#   make check      the same as make test
#   make asan       build ./netlab-asan (AddressSanitizer + UndefinedBehaviorSanitizer,
#                   objects in build/address-undefined/), then every test on it
#   make tsan       build ./netlab-tsan (ThreadSanitizer), then every test on it
#                   (TSAN_TESTS=... for some); tests/tsan.supp names the one
#                   deliberate race
#   make valgrind   every design's tests and the handlers' (VALGRIND_TESTS) with
#                   each netlab run under valgrind's memcheck (scripts/valgrind-netlab)
#   make bench      how fast each design is: ratios to a minimal epoll server
#                   (bench/run.py; minutes; not a test)
#   make format     clang-format (.clang-format: the house style) on the lines
#                   changed since the last commit, never the whole tree
#   make install    netlab into $(DESTDIR)$(BINDIR), labs/ into $(DESTDIR)$(LABDIR)
#   make uninstall  remove what make install put there
#   make clean      remove build/ and the binaries

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

SRCS = $(wildcard src/*.c src/servers/*.c src/tools/*.c src/lab/*.c)
OBJS = $(SRCS:src/%.c=$(BUILD)/%.o)
BIN  ?= netlab

TESTS ?= tests
BATS_FLAGS ?=

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

setup:
	@scripts/setup

test: setup all
	NETLAB=$(abspath $(BIN)) BATS_TEST_TIMEOUT=120 \
	    TSAN_OPTIONS="suppressions=$(abspath tests/tsan.supp)" bats $(BATS_FLAGS) $(TESTS)

check: test

demo: setup all
	scripts/demo ./$(BIN)

asan:
	$(MAKE) SANITIZE=address,undefined BIN=netlab-asan test

# Every test under TSan unless TSAN_TESTS says fewer; the one deliberate
# race (count --unsafe) is named in tests/tsan.supp.
tsan:
	$(MAKE) SANITIZE=thread BIN=netlab-tsan TESTS="$(TSAN_TESTS)" test

TSAN_TESTS ?= tests

# memcheck on every design's tests and the handlers' (a few minutes)
VALGRIND_TESTS ?= tests/cli.bats tests/log.bats tests/sequential.bats tests/threaded.bats \
	tests/limited.bats tests/pool.bats tests/fork.bats tests/select.bats tests/poll.bats \
	tests/epoll.bats tests/handlers.bats
valgrind: setup all
	@scripts/setup valgrind
	NETLAB=$(abspath scripts/valgrind-netlab) BATS_TEST_TIMEOUT=300 bats $(VALGRIND_TESTS)

# Not a test: a benchmark of every design against bench/echo_ref.c (minutes).
bench: all $(BUILD)/bench/echo_ref $(BUILD)/bench/pingpong
	python3 bench/run.py ./$(BIN) $(BUILD)/bench/echo_ref $(BUILD)/bench/pingpong

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE $(ALL_CFLAGS) -o $@ $<

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LABDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/netlab
	for lab in labs/*.lab; do \
		if [ -e "$$lab" ]; then install -m 644 "$$lab" $(DESTDIR)$(LABDIR)/; fi; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/netlab
	rm -rf $(DESTDIR)$(LABDIR)

# Only the lines changed since the last commit (staged or not): clang-format
# cannot keep all of the hand-made layout (see .clang-format).
format:
	@scripts/setup clang-format
	git clang-format --extensions c,h

clean:
	rm -rf build netlab netlab-asan netlab-tsan

.PHONY: all setup test check demo asan tsan valgrind bench install uninstall format clean

-include $(OBJS:.o=.d)
