#!/usr/bin/env bats
# Every lab played by hand, as a student plays it: tests/student_driver.py
# runs 'netlab lab N' in a terminal of 80 x 24 (tmux), reads only what that
# screen shows, and does what the current step asks (a prediction, an nc in
# a new window, a line typed there, Ctrl-C, an edit of server.py, Enter). It
# fails when a step passes before the student acted, when the text it needs
# has scrolled away, or when a step cannot be passed by doing what it says.
# --auto (lab.bats) is the fast path; this is the student's.
# Every lab, in both languages. make test plays this file beside the rest
# of the suite (tests/run): a lab is mostly waiting for a person's pace.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	export NETLAB_LABDIR=$BATS_TEST_DIRNAME/../labs
}

# by_hand LAB LANG [VARIANT]: the driver plays it to its end, within 3 minutes.
by_hand() {
	# Lab 14 runs netlab under strace, where LeakSanitizer cannot work.
	if [[ $1 == 14 ]]; then
		export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	fi
	run timeout 180 python3 "$TESTS/student_driver.py" --netlab "$NETLAB" --lab "$1" \
	    --lang "$2" --workdir "$BATS_TEST_TMPDIR/student" ${3:+--variant "$3"} 3>&-
	if ((status != 0)); then
		echo "$output"
	fi
	assert_success
	assert_contains "$output" "played by hand to its end"
}

@test "student: lab 1 (sequential) by hand, in English" { by_hand 1 en; }
@test "student: lab 1 (sequential) by hand, in Italian" { by_hand 1 it; }
@test "student: lab 2 (threaded) by hand, in English" { by_hand 2 en; }
@test "student: lab 2 (threaded) by hand, in Italian" { by_hand 2 it; }
@test "student: lab 3 (limited) by hand, in English" { by_hand 3 en; }
@test "student: lab 3 (limited) by hand, in Italian" { by_hand 3 it; }
@test "student: lab 4 (threads) by hand, in English" { by_hand 4 en; }
@test "student: lab 4 (threads) by hand, in Italian" { by_hand 4 it; }
@test "student: lab 5 (pool) by hand, in English; its timeline shows the pool's queue" { by_hand 5 en; }
@test "student: lab 5 (pool) by hand, in Italian; its timeline shows the pool's queue" { by_hand 5 it; }
@test "student: lab 6 (fork) by hand, in English" { by_hand 6 en; }
@test "student: lab 6 (fork) by hand, in Italian" { by_hand 6 it; }
@test "student: lab 7 (select and poll) by hand, in English" { by_hand 7 en; }
@test "student: lab 7 (select and poll) by hand, in Italian" { by_hand 7 it; }
@test "student: lab 8 (epoll) by hand, in English" { by_hand 8 en; }
@test "student: lab 8 (epoll) by hand, in Italian" { by_hand 8 it; }
@test "student: lab 9 (shared state) by hand, in English" { by_hand 9 en; }
@test "student: lab 9 (shared state) by hand, in Italian" { by_hand 9 it; }
@test "student: lab 10 (healthy) by hand, in English; nc stays open until a line is typed" { by_hand 10 en; }
@test "student: lab 10 (healthy) by hand, in Italian; nc stays open until a line is typed" { by_hand 10 it; }
@test "student: lab 11 (compare) by hand, in English" { by_hand 11 en; }
@test "student: lab 11 (compare) by hand, in Italian" { by_hand 11 it; }
@test "student: lab 12 (own server) by hand, in English, from the starting file" { by_hand 12 en; }
@test "student: lab 12 (own server) by hand, in Italian, from the starting file" { by_hand 12 it; }
@test "student: lab 12 with the tutorial's own server pasted in: rude fails, the lab says why, threads fix it" { by_hand 12 en seed; }
@test "student: lab 13 (Nagle) by hand, in English" { by_hand 13 en; }
@test "student: lab 13 (Nagle) by hand, in Italian" { by_hand 13 it; }
@test "student: lab 14 (uring) by hand, in English" { by_hand 14 en; }
@test "student: lab 14 (uring) by hand, in Italian" { by_hand 14 it; }
@test "student: lab 15 (reuseport) by hand, in English" { by_hand 15 en; }
@test "student: lab 15 (reuseport) by hand, in Italian" { by_hand 15 it; }
