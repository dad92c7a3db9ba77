# netlab - a teaching lab for concurrent TCP servers.
#
#   make            build ./netlab (objects in build/)
#   make demo       scripts/demo: sequential versus threaded, played by itself
#   make screenshot docs/show-lab1.png and show-lab1.it.png: lab 1's moment as
#                   'netlab show' draws it, taken by its browser test
#   make test       install what the tests need if it is missing (scripts/setup),
#                   build, then bats on every file under tests/, the student's labs
#                   beside the rest (tests/run; TESTS=tests/x.bats
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
#   make fuzz       each parser of outside input under libFuzzer (clang), FUZZ_SECONDS
#                   each (default 60); docs/fuzzing.md
#   make replay     the fuzz targets without libFuzzer, for make test's fuzz.bats
#   make soak       every design under a mixed crowd of rude clients, 60 s each;
#                   make soak-short: 5 s each (make test runs it, tests/soak.bats)
#   make format     clang-format (.clang-format: the house style) on the lines
#                   changed since the last commit, never the whole tree
#   make pot        po/netlab.pot from the sources' _() and N_(), merged into po/*.po
#   make install    netlab into $(DESTDIR)$(BINDIR), labs/ into $(DESTDIR)$(LABDIR),
#                   the translations, the man page and the bash completion
#   make uninstall  remove what make install put there
#   make clean      remove build/ and the binaries

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LABDIR  ?= $(PREFIX)/share/netlab/labs
LOCALEDIR ?= $(PREFIX)/share/locale
MANDIR  ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
CC      ?= cc
CFLAGS  ?= -O2 -g
WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS)
# Includes: a header in the same folder by its name ("check_why.h"), any other by
# its path under src/ ("log.h", "tools/bench.h"); no two headers share a name.
CPPFLAGS += -D_GNU_SOURCE -DNETLAB_LABDIR='"$(LABDIR)"' \
            -DNETLAB_LOCALEDIR='"$(LOCALEDIR)"' -Isrc -MMD -MP
LDLIBS  += -pthread -lreadline -lmicrohttpd -ljansson -luring -lm

ifdef SANITIZE
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
BUILD   ?= build/$(subst $(comma),-,$(SANITIZE))
endif
comma   := ,
BUILD   ?= build

SRCS = $(wildcard src/*.c src/servers/*.c src/tools/*.c src/lab/*.c src/kernel/*.c)
OBJS = $(SRCS:src/%.c=$(BUILD)/%.o)
BIN  ?= netlab

TESTS ?= tests
BATS_FLAGS ?=
# How many times slower than a plain build the binary under test runs:
# the tests multiply every deadline and time limit by it (tests/test_helper.bash).
NETLAB_SLOW ?= 1

# The translations: po/LANG.po, compiled beside the binary, where it finds them.
LANGS = it
MOS   = $(LANGS:%=locale/%/LC_MESSAGES/netlab.mo)

all: $(BIN) $(MOS)

locale/%/LC_MESSAGES/netlab.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# Every _(), N_() and ngettext() in the sources; the .po files gain the new
# messages (untranslated) and keep their translations.
pot:
	xgettext --language=C --from-code=UTF-8 --keyword --keyword=_ --keyword=N_ \
	    --keyword=ngettext:1,2 --add-comments=TRANSLATORS: --package-name=netlab \
	    --msgid-bugs-address= --sort-by-file -o po/netlab.pot $(SRCS)
	for lang in $(LANGS); do msgmerge --quiet --no-fuzzy-matching --update --backup=none po/$$lang.po po/netlab.pot; done

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# show's page is built into the binary by the assembler: show_page.c holds
# one '.incbin "src/tools/show_page.html"' directive (GNU as copies the file
# into the object, byte for byte), so nothing beyond gcc, binutils and make
# is needed, and no generated file. The compiler does not see the page, so
# its object is made to depend on it here.
$(BUILD)/tools/show_page.o: src/tools/show_page.html

setup:
	@scripts/setup

# A sanitizer build writes its reports into $(REPORTS), one file per
# process that had one, whoever started that process (a test, the lab
# runner, a server the test did not stop itself); any file there fails the
# run, after the tests, and is shown.
ifdef SANITIZE
REPORTS   = $(abspath $(BUILD)/reports)
SAN_ENV   = ASAN_OPTIONS=log_path=$(REPORTS)/asan \
	    UBSAN_OPTIONS=print_stacktrace=1:log_path=$(REPORTS)/ubsan \
	    LSAN_OPTIONS=log_path=$(REPORTS)/lsan \
	    TSAN_OPTIONS="suppressions=$(abspath tests/tsan.supp) log_path=$(REPORTS)/tsan"
endif

RUN_BATS = NETLAB=$(abspath $(BIN)) NETLAB_SLOW=$(NETLAB_SLOW) \
	   BATS_TEST_TIMEOUT=$$((120 * $(NETLAB_SLOW))) tests/run $(BATS_FLAGS) $(TESTS)

test: setup all replay
ifdef SANITIZE
	@rm -rf $(REPORTS) && mkdir -p $(REPORTS)
	$(SAN_ENV) $(RUN_BATS); status=$$?; \
	for report in $(REPORTS)/*; do \
		[ -e "$$report" ] || continue; \
		echo "not ok - sanitizer report $$report:"; cat "$$report"; status=1; \
	done; \
	exit $$status
else
	$(RUN_BATS)
endif

check: test

demo: setup all
	scripts/demo ./$(BIN)

# The slowdowns (NETLAB_SLOW) are generous upper bounds measured on a busy
# 2-core machine: they only lengthen the wait before a failing test gives up.
asan:
	$(MAKE) SANITIZE=address,undefined BIN=netlab-asan NETLAB_SLOW=3 test

# Every test under TSan unless TSAN_TESTS says fewer; the one deliberate
# race (count --unsafe) is named in tests/tsan.supp.
tsan:
	$(MAKE) SANITIZE=thread BIN=netlab-tsan NETLAB_SLOW=5 TESTS="$(TSAN_TESTS)" test

TSAN_TESTS ?= tests

# memcheck on every design's tests and the handlers' (a few minutes)
VALGRIND_TESTS ?= tests/cli.bats tests/log.bats tests/sequential.bats tests/threaded.bats \
	tests/limited.bats tests/pool.bats tests/fork.bats tests/select.bats tests/poll.bats \
	tests/epoll.bats tests/handlers.bats
valgrind: setup all
	@scripts/setup valgrind
	NETLAB=$(abspath scripts/valgrind-netlab) NETLAB_SLOW=10 BATS_TEST_TIMEOUT=1200 \
	    bats $(BATS_FLAGS) $(VALGRIND_TESTS)

# Lab 1's moment as show draws it, for README and the lessons: taken by the
# browser test itself (tests/show.bats), in English and in Italian.
screenshot: setup all
	NETLAB=./$(BIN) NETLAB_SCREENSHOT=$(abspath docs/show-lab1.png) \
	    bats --filter "lab 1's moment" tests/show.bats
	NETLAB=./$(BIN) NETLAB_SHOW_LANG=it NETLAB_SCREENSHOT=$(abspath docs/show-lab1.it.png) \
	    bats --filter "lab 1's moment" tests/show.bats

# Not a test: a benchmark of every design against bench/echo_ref.c (minutes).
bench: all $(BUILD)/bench/echo_ref $(BUILD)/bench/pingpong
	python3 bench/run.py ./$(BIN) $(BUILD)/bench/echo_ref $(BUILD)/bench/pingpong

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE $(ALL_CFLAGS) -o $@ $<

# Fuzzing (docs/fuzzing.md): one libFuzzer target per parser of outside
# input, built with clang; the parsers' objects are built again with the
# fuzzer's coverage and the sanitizers. Findings land in build/fuzz/.
FUZZ_TARGETS ?= repr log_fit chat lab_file number kernel
FUZZ_SECONDS ?= 60
FUZZ_SRCS = src/repr.c src/log.c src/handler.c src/cli.c src/commands.c src/lab/labfile.c \
	src/kernel/kernel_parse.c src/net.c src/signals.c
FUZZ_SAN  = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -g -O1 $(WARNINGS) $(FUZZ_SAN)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libparsers.a: $(FUZZ_SRCS:src/%.c=build/fuzz/obj/%.o)
	rm -f $@ && ar rcs $@ $^

build/fuzz/%: fuzz/%.c fuzz/pyrepr.h build/fuzz/libparsers.a
	clang $(CPPFLAGS) -Ifuzz -Isrc/lab $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    build/fuzz/libparsers.a $(LDLIBS)

fuzz: setup
	@scripts/setup clang
	$(MAKE) $(FUZZ_TARGETS:%=build/fuzz/%)
	@for t in $(FUZZ_TARGETS); do \
		scripts/fuzz "$$t" $(FUZZ_SECONDS) || exit 1; \
	done

# The same targets without libFuzzer, replaying fuzz/regressions/NAME/ and
# the seed corpus under the sanitizers: run by tests/fuzz.bats in make test.
build/replay/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 -g -O1 $(WARNINGS) $(FUZZ_SAN) -c -o $@ $<

build/replay/libparsers.a: $(FUZZ_SRCS:src/%.c=build/replay/obj/%.o)
	rm -f $@ && ar rcs $@ $^

build/replay/%: fuzz/%.c fuzz/replay.c fuzz/pyrepr.h build/replay/libparsers.a
	$(CC) $(CPPFLAGS) -Ifuzz -Isrc/lab -std=c11 -g -O1 $(WARNINGS) $(FUZZ_SAN) -o $@ \
	    $< fuzz/replay.c build/replay/libparsers.a $(LDLIBS)

replay: $(FUZZ_TARGETS:%=build/replay/%)

# The soak: every design under a mixed crowd for SOAK_SECONDS each.
SOAK_SECONDS ?= 60
soak: setup all
	python3 tests/soak.py --netlab ./$(BIN) --seconds $(SOAK_SECONDS)

soak-short: setup all
	python3 tests/soak.py --netlab ./$(BIN) --seconds 5

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LABDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/netlab
	for lab in labs/*.lab; do \
		if [ -e "$$lab" ]; then install -m 644 "$$lab" $(DESTDIR)$(LABDIR)/; fi; \
	done
	for lang in $(LANGS); do \
		install -d $(DESTDIR)$(LABDIR)/$$lang $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
		install -m 644 locale/$$lang/LC_MESSAGES/netlab.mo \
		    $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/netlab.mo; \
		for lab in labs/$$lang/*.lab; do \
			if [ -e "$$lab" ]; then install -m 644 "$$lab" $(DESTDIR)$(LABDIR)/$$lang/; fi; \
		done; \
	done
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPLETIONDIR)
	sed -e 's|/usr/local/share|$(PREFIX)/share|g' man/netlab.1 >$(DESTDIR)$(MANDIR)/man1/netlab.1
	install -m 644 completion/netlab.bash $(DESTDIR)$(COMPLETIONDIR)/netlab
	for dir in files $(addsuffix /files,$(LANGS)); do \
		for file in labs/$$dir/*; do \
			if [ -f "$$file" ]; then install -d $(DESTDIR)$(LABDIR)/$$dir && \
			    install -m 644 "$$file" $(DESTDIR)$(LABDIR)/$$dir/; fi; \
		done; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/netlab
	rm -rf $(DESTDIR)$(LABDIR)
	-rmdir $(DESTDIR)$(dir $(LABDIR)) 2>/dev/null	# share/netlab, if the labs were all it held
	for lang in $(LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/netlab.mo; done
	rm -f $(DESTDIR)$(MANDIR)/man1/netlab.1 $(DESTDIR)$(COMPLETIONDIR)/netlab

# Only the lines changed since the last commit (staged or not): clang-format
# cannot keep all of the hand-made layout (see .clang-format).
format:
	@scripts/setup clang-format
	git clang-format --extensions c,h

clean:
	rm -rf build netlab netlab-asan netlab-tsan locale

.PHONY: all setup test check demo asan tsan valgrind bench fuzz replay soak soak-short screenshot \
	pot install uninstall format clean

-include $(OBJS:.o=.d)
