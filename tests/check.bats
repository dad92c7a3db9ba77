#!/usr/bin/env bats
# netlab check grades a server someone else wrote: here, small Python echo
# servers in tests/student/ (each with one typical slip), netlab's own
# designs, and programs that never become servers at all.

bats_require_minimum_version 1.5.0
load test_helper

STUDENT=$BATS_TEST_DIRNAME/student

setup() {
	_netlab_setup
}

# check_student SCRIPT [CHECK OPTIONS...]: check starts the student's
# server on a free port (its own --port 0), checks it and ends it.
check_student() {
	local script=$1
	shift
	run timeout 90 "$NETLAB" check --no-color --port 0 "$@" -- python3 "$STUDENT/$script" 0
}

@test "check: a sequential echo server fails concurrent, and the why says it is sequential" {
	check_student one_at_a_time.py
	assert_status 1
	line_of "FAIL  concurrent  the second client waited 1.0 s and got nothing"
	assert_contains "$output" "why:  the second client waited in the kernel's accept queue while your server's only thread was in recv() on the first client: it is sequential"
	assert_contains "$output" "hint: serve each client in its own thread"
	for p in listens echo binary large many rude no-leak; do
		line_of "PASS  $p"
	done
	assert_contains "$output" "7 of 8 properties held"
}

@test "check: with --expect sequential the same server passes, the second client answered once the first left" {
	check_student one_at_a_time.py --expect sequential
	assert_success
	line_of "PASS  concurrent  the second client waited 1.0 s while the first was connected, and was answered"
	assert_contains "$(line_of "PASS  concurrent")" "sequential, as expected"
	line_of "PASS  many        100 of 100 clients answered"
	assert_contains "$output" "8 of 8 properties held."
}

@test "check: a thread per client passes every property" {
	check_student one_thread_each.py
	assert_success
	assert_equal "$(grep -c '^PASS  ' <<<"$output")" 8
	assert_contains "$(line_of "PASS  concurrent")" "the second client was answered in"
	assert_contains "$(line_of "PASS  large")" "1,048,576 bytes sent in one go, all came back in order"
}

@test "check: --expect sequential on a threaded server fails concurrent: it is concurrent already" {
	run timeout 60 "$NETLAB" check --expect sequential --port 0 -- "$NETLAB" threaded -p 0 -qq
	assert_status 1
	line_of "FAIL  concurrent  the second client was answered in"
	assert_contains "$output" "it is concurrent already"
}

@test "check: send() instead of sendall() loses bytes of a large message: large fails, the hint says sendall" {
	check_student send_once.py
	assert_status 1
	line_of "FAIL  large       1,048,576 bytes sent, "
	assert_contains "$output" "send() took only part of each chunk and the rest was dropped"
	assert_contains "$output" "hint: use sendall(data)"
	line_of "PASS  echo"
	line_of "PASS  concurrent"
}

@test "check: one recv() then sendall() then close: large fails, and the hint is the missing loop, not sendall" {
	check_student recv_once.py
	assert_status 1
	assert_contains "$(line_of large)" "FAIL  large       1,048,576 bytes sent, "
	assert_contains "$output" "why:  your server closed the connection before sending the rest back"
	assert_contains "$output" "hint: read until the client is done: call recv() in a loop"
	assert_not_contains "$output" "hint: use sendall(data)"
	assert_contains "$(line_of echo)" "PASS"
}

@test "check: a server that never closes its clients' sockets fails no-leak, naming them in CLOSE_WAIT" {
	check_student keeps_sockets.py
	assert_status 1
	line_of "FAIL  no-leak     after 200 of 200 clients came and went: descriptors "
	assert_contains "$output" "sockets to clients that left are still open in your server, e.g. fd "
	assert_contains "$output" "in CLOSE_WAIT"
	assert_contains "$output" "hint: close each client's socket when recv() returns b''"
	# Nor does the half-closed client ever see the end of its stream.
	assert_contains "$(line_of "FAIL  rude")" "got its echo, but the stream never ended"
}

@test "check: a server that dies on a reset fails rude, and its traceback is shown" {
	check_student fragile.py --expect sequential
	assert_status 1
	line_of "FAIL  rude        after "
	assert_contains "$(line_of "FAIL  rude")" "Connection refused"
	assert_contains "$output" "nothing listens on port"
	assert_contains "$output" "ConnectionResetError"
	assert_contains "$output" "hint: a client that resets or vanishes must cost your server that client only"
	line_of "FAIL  no-leak     not run: nothing listens on port"
}

@test "check: every netlab design passes, sequential with --expect sequential" {
	local design expect
	for design in sequential threaded "limited 1024" pool fork select poll epoll; do
		expect=()
		[[ $design == sequential ]] && expect=(--expect sequential)
		# shellcheck disable=SC2086 # 'limited 1024' is a design and its N
		start_server $design -q
		run timeout 60 "$NETLAB" check --port "$PORT" "${expect[@]}"
		echo "--- $design"
		assert_success
		assert_contains "$output" "8 of 8 properties held."
		stop_server
	done
}

@test "check: select under a low descriptor limit still passes many (100 clients, below FD_SETSIZE)" {
	run timeout 60 bash -c 'ulimit -n 256 && exec "$0" check --port 0 -- "$0" select -p 0 -qq' "$NETLAB"
	assert_success
	line_of "PASS  many        100 of 100 clients answered"
}

@test "check: a server that is not an echo server fails echo, showing what came back escaped" {
	run timeout 60 "$NETLAB" check --port 0 -- "$NETLAB" threaded --handler upper -p 0 -qq
	assert_status 1
	line_of "FAIL  echo        sent b'netlab check: hello\n', got b'NETLAB CHECK: HELLO\n'"
	assert_contains "$output" "why:  an echo server sends back exactly the bytes it received"
	line_of "FAIL  concurrent  not run: it needs 'echo', which failed"
}

@test "check: --json prints one object that python3 can read" {
	run --separate-stderr timeout 60 "$NETLAB" check --json --port 0 -- "$NETLAB" sequential -p 0 -qq
	assert_status 1
	python3 - "$output" <<-'EOF'
	import json, sys
	report = json.loads(sys.argv[1])
	props = report["properties"]
	assert [p["name"] for p in props] == ["listens", "echo", "binary", "large",
	    "concurrent", "many", "rude", "no-leak"], props
	for p in props:
	    assert isinstance(p["ok"], bool) and isinstance(p["seen"], str), p
	    assert (p["why"] == "") == p["ok"], p
	concurrent = props[4]
	assert not concurrent["ok"]
	assert "accept queue" in concurrent["why"], concurrent
	assert report["failed"] == 1 and report["held"] == 7, report
	EOF
}

@test "check: a COMMAND that is not found exits 1 with one line" {
	run --separate-stderr timeout 10 "$NETLAB" check -- no-such-server-program
	assert_status 1
	assert_equal "$stderr" "netlab: cannot start 'no-such-server-program': No such file or directory (no such program: check its name, or give its path)"
	assert_equal "$output" ""
}

@test "check: a COMMAND that exits at once exits 1, with its traceback" {
	printf 'import sys\nprint("starting")\nraise SystemExit("cannot bind: bad address")\n' \
	    >"$BATS_TEST_TMPDIR/broken.py"
	run --separate-stderr timeout 15 "$NETLAB" check -- python3 "$BATS_TEST_TMPDIR/broken.py"
	assert_status 1
	assert_contains "$stderr" "netlab: 'python3 $BATS_TEST_TMPDIR/broken.py' exited (status 1) before it listened on any port; its last lines:"
	assert_contains "$stderr" "cannot bind: bad address"
}

@test "check: a COMMAND that never listens exits 1 after 10 s, and is ended" {
	local pidfile=$BATS_TEST_TMPDIR/sleeper.pid
	run --separate-stderr timeout 30 "$NETLAB" check --port 0 -- \
	    sh -c 'echo $$ >"$0"; echo "waiting for nothing" >&2; exec sleep 60' "$pidfile"
	assert_status 1
	assert_contains "$stderr" "did not listen on any port within 10 s; its last lines:"
	assert_contains "$stderr" "waiting for nothing"
	# check ended it (and reaped it): its pid is gone.
	[[ -s $pidfile ]]
	! kill -0 "$(cat "$pidfile")" 2>/dev/null || fail "the COMMAND is still running"
}

@test "check without --port: the COMMAND's port is found as soon as it listens, and named" {
	local out=$BATS_TEST_TMPDIR/check.out
	"$NETLAB" check --no-color -- python3 "$STUDENT/one_thread_each.py" 0 >"$out" 2>&1 3>&- &
	local check=$!
	track "$check"
	# Well under the 10 s a COMMAND gets to listen: found at once, not after it.
	wait_for_file "$out" "netlab check: the server on localhost port " 3
	local port
	port=$(sed -n '1s/.* port \([0-9]*\) (python3 .*/\1/p' "$out")
	[[ -n $port && $port != 12345 ]] || fail "no port named: $(cat "$out")"
	wait_for_exit "$check" 60
	assert_success
	assert_contains "$(cat "$out")" "PASS  listens     a connect to localhost port $port succeeded"
	assert_contains "$(cat "$out")" "8 of 8 properties held."
}

@test "check: a COMMAND's own children end with it (sh -c 'server & wait')" {
	local pidfile=$BATS_TEST_TMPDIR/server.pid
	run timeout 60 "$NETLAB" check --no-color --port 0 -- \
	    sh -c 'python3 "$0" 0 & echo $! >"$1"; wait' "$STUDENT/one_thread_each.py" "$pidfile"
	assert_success
	[[ -s $pidfile ]] || fail "sh did not start the server"
	# The server was sh's child, not check's: ended with sh's process group.
	wait_until 5 "the COMMAND's child to end" ended "$(cat "$pidfile")"
	! kill -0 "$(cat "$pidfile")" 2>/dev/null || fail "the COMMAND's child is still running"
}

@test "check: Ctrl-C during a check ends the student's server too and exits 130" {
	local out=$BATS_TEST_TMPDIR/check.out server
	"$NETLAB" check --no-color --port 0 -- python3 "$STUDENT/one_at_a_time.py" 0 \
	    >"$out" 2>&1 3>&- &
	local check=$!
	track "$check"
	# The concurrent probe holds a silent client for a second: interrupt then.
	wait_for_file "$out" "PASS  large" 30
	server=$(sed -n 's/.*, pid \([0-9]*\)).*/\1/p' "$out")
	[[ -n $server ]] && kill -0 "$server"
	kill -INT "$check"
	wait_for_exit "$check" 10
	assert_status 130
	! kill -0 "$server" 2>/dev/null || fail "the student's server (pid $server) is still running"
}

@test "check: usage errors exit 2 with one line" {
	run -2 "$NETLAB" check --expect sometimes
	assert_contains "$output" "--expect takes 'sequential' or 'concurrent', not 'sometimes'"
	run -2 "$NETLAB" check server.py
	assert_contains "$output" "check takes no argument"
	run -2 "$NETLAB" check --
	assert_contains "$output" "'--' must be followed by the COMMAND"
	run -2 "$NETLAB" check --port 0
	assert_contains "$output" "check --port 0 needs a COMMAND"
	run -2 "$NETLAB" threaded --expect sequential
	run -2 "$NETLAB" client --json
}

@test "check: nothing listening on the port fails listens, and the rest is not run" {
	refusing_port
	run timeout 30 "$NETLAB" check --port "$PORT"
	assert_status 1
	line_of "FAIL  listens     a connect to localhost port $PORT failed: Connection refused"
	assert_contains "$output" "hint: start your server first, or let check start it"
	line_of "FAIL  no-leak     not run: it needs 'echo', which failed"
	assert_contains "$output" "0 of 8 properties held"
}
