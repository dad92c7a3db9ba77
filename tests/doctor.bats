#!/usr/bin/env bats
# netlab doctor: one line per check, the fix under what fails, exit 1 if any
# check fails. Each failure is made for real: a PATH without nc, a port a
# server holds, a low descriptor limit, a small terminal.

bats_require_minimum_version 1.5.0
load test_helper
load tmux

setup() {
	_netlab_setup
	export NETLAB_LABDIR=$BATS_TEST_DIRNAME/../labs
}

teardown() {
	tmux_end
	local pid
	for pid in "${PIDS[@]}" $SERVER_PID; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# doctor ARGS...: netlab doctor in English, bounded in time.
doctor() {
	run --separate-stderr timeout 20 env LANG=C.UTF-8 LC_ALL= LANGUAGE= "$NETLAB" doctor "$@"
}

@test "doctor: on a machine ready for the class, every check passes and it exits 0" {
	doctor --port 0
	assert_success
	assert_equal "$stderr" ""
	for check in labs nc descriptors port terminal language; do
		[[ $output =~ (^|$'\n')"  ok    $check: " ]] || fail "no passed '$check' line" "$output"
	done
	assert_not_contains "$output" "FAIL"
	local labs=("$BATS_TEST_DIRNAME"/../labs/*.lab)
	assert_contains "$output" "${#labs[@]} labs in"
	assert_contains "$output" "OpenBSD's, with -N"
}

@test "doctor: a PATH without nc fails the nc check, says how to install it, exits 1" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	run --separate-stderr timeout 20 env PATH="$BATS_TEST_TMPDIR/bin" LANG=C.UTF-8 \
	    "$NETLAB" doctor --port 0
	assert_status 1
	assert_contains "$output" "  FAIL  nc: not found in PATH"
	assert_contains "$output" "        fix: sudo apt-get install netcat-openbsd"
	assert_contains "$output" "  ok    labs: "		# the other checks still run
}

@test "doctor: an nc that is not OpenBSD's (no -N) fails the nc check" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "usage: nc [-lu] host port" >&2\nexit 1\n' >"$BATS_TEST_TMPDIR/bin/nc"
	chmod +x "$BATS_TEST_TMPDIR/bin/nc"
	run --separate-stderr timeout 20 env PATH="$BATS_TEST_TMPDIR/bin" LANG=C.UTF-8 \
	    "$NETLAB" doctor --port 0
	assert_status 1
	assert_contains "$output" "  FAIL  nc: $BATS_TEST_TMPDIR/bin/nc is not OpenBSD's nc"
	assert_contains "$output" "fix: sudo apt-get install netcat-openbsd"
}

@test "doctor: a busy port fails, naming the pid and program that listens on it" {
	start_server threaded
	local name
	name=$(cat "/proc/$SERVER_PID/comm")	# netlab, or netlab-asan under make asan
	doctor --port "$PORT"
	assert_status 1
	assert_contains "$output" "  FAIL  port: localhost port $PORT is busy: pid $SERVER_PID ($name) listens on it"
	assert_contains "$output" "fix: stop the program that holds it, or give netlab another port: --port 0"
	stop_server
}

@test "doctor: the port checked is 12345 unless --port says otherwise" {
	doctor --port 0
	assert_contains "$output" "port: localhost port 0 is free"
	run timeout 20 env LANG=C.UTF-8 "$NETLAB" doctor
	[[ $output == *"port: localhost port 12345 is "* ]] || fail "12345 not checked" "$output"
}

@test "doctor: a descriptor limit too low for the select lab fails, with how to raise it" {
	run --separate-stderr timeout 20 bash -c 'ulimit -n 512 && exec env LANG=C.UTF-8 "$0" doctor --port 0' "$NETLAB"
	assert_status 1
	assert_contains "$output" "  FAIL  descriptors: at most 512, too few for the select lab (1,100) and the 2,000-client labs (2,100)"
	assert_contains "$output" "fix: raise the hard limit to 4096: as root 'ulimit -Hn 4096'"
}

@test "doctor: a limit enough for select but not for 2,000 clients fails and says which" {
	run --separate-stderr timeout 20 bash -c 'ulimit -n 1500 && exec env LANG=C.UTF-8 "$0" doctor --port 0' "$NETLAB"
	assert_status 1
	assert_contains "$output" "  FAIL  descriptors: at most 1,500, enough for the select lab (1,100), too few for the 2,000-client labs (2,100)"
}

@test "doctor: labs that cannot be found fail the labs check" {
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/nowhere doctor --port 0
	assert_status 1
	assert_contains "$output" "  FAIL  labs: cannot read the labs in $BATS_TEST_TMPDIR/nowhere"
	assert_contains "$output" "fix: run netlab from its build directory, or make install"
}

# tmux_doctor COLS ROWS: netlab doctor in a terminal of that size (a tmux
# session of its own on the test's tmux server); its screen in SCREEN.
tmux_doctor() {
	local session=doc$1x$2

	tmux_start "$session" "$1" "$2" \
	    "env LANG=C.UTF-8 TERM=xterm-256color NETLAB_LABDIR='$NETLAB_LABDIR' '$NETLAB' doctor --port 0; echo \"doctor exit \$?\""
	tmux_wait "$session" "doctor exit "
	SCREEN=$(tmux_screen "$session")
}

@test "doctor: in a terminal, it reports the size and colour, and fails one smaller than 80x24" {
	tmux_doctor 100 30
	assert_contains "$SCREEN" "  ok    terminal: 100 columns x 30 rows, TERM=xterm-256color, colour on"
	assert_contains "$SCREEN" "doctor exit 0"
	tmux_doctor 70 30
	assert_contains "$SCREEN" "FAIL  terminal: 70 columns x 30 rows"
	assert_contains "$SCREEN" "doctor exit 1"
}

@test "doctor: on a 70-column terminal its lines wrap at a space, their next rows indented under the text" {
	tmux_doctor 70 30
	# The fix is too long for 70 columns: it goes on under its own text,
	# not back at column 0 in the middle of a word.
	assert_contains "$SCREEN" "        fix: make the window at least 80 columns by 24 rows: the labs
             are laid out for it"
	local line
	while IFS= read -r line; do
		((${#line} < 70)) || fail "a line fills the terminal: '$line'" "$SCREEN"
		[[ $line == " "* || $line == netlab* || $line == "doctor exit"* || $line == "Pane is dead"* || -z $line ]] ||
			fail "a row starts at column 0: '$line'" "$SCREEN"
	done <<<"$SCREEN"
}

@test "doctor: takes no argument, and refuses options it cannot use" {
	run --separate-stderr "$NETLAB" doctor now
	assert_status 2
	assert_equal "$stderr" "netlab: doctor takes no argument, but was given 'now' (see netlab --help)"
	run --separate-stderr "$NETLAB" doctor --auto
	assert_status 2
	run --separate-stderr "$NETLAB" doctor --handler upper
	assert_status 2
}
