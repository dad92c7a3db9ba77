#!/usr/bin/env bats
# fork: one child process per client (seed 003 "Multiprocessing"). The
# parent accepts, forks, closes its copy of the client socket, and reaps
# every child that ends, so none is left a zombie.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

# child_pid N: the pid of the Nth child that main handed a client to.
child_pid() {
	sed -n 's/.*hands .* to child pid \([0-9]*\) and goes.*/\1/p' "$LOG" | sed -n "${1}p"
}

# ppid_of PID: the parent pid from /proc/PID/stat (the comm may hold spaces).
ppid_of() {
	local stat rest
	read -r stat <"/proc/$1/stat" || return 1
	rest=${stat##*) }	# "S 1234 ...": state, then ppid
	rest=${rest#* }
	echo "${rest%% *}"
}

# zombies_of PID: the pids of PID's children in state Z.
zombies_of() {
	local f stat rest state
	for f in /proc/[0-9]*/stat; do
		read -r stat 2>/dev/null <"$f" || continue	# it ended meanwhile
		rest=${stat##*) }
		state=${rest%% *}
		rest=${rest#* }
		[[ $state == Z && ${rest%% *} == "$1" ]] && echo "${stat%% *}"
	done
	return 0
}

# stopped PID: PID is stopped (state T), as SIGSTOP leaves it.
stopped() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1	# not $(<...): see server_alive
	stat=${stat##*) }
	[[ ${stat%% *} == T ]]
}

# wait_gone PID: until PID no longer exists, not even as a zombie.
wait_gone() {
	wait_until 5 "pid $1 to be reaped" test ! -e "/proc/$1" ||
		fail "pid $1 is still there: $(cat "/proc/$1/stat")"
}

@test "fork: client B is served while client A sits idle" {
	start_server fork
	open_client a
	wait_for_log "to child pid"
	open_client b
	printf 'hello\n' >&"$b"
	read_line "$b"
	assert_equal "$REPLY" "hello"
	stop_server
}

@test "fork: each client is served by its own child, tagged [pid N]" {
	local p1 p2
	start_server fork
	open_client a
	open_client b
	wait_for_count "to child pid" 2
	p1=$(child_pid 1)
	p2=$(child_pid 2)
	[[ $p1 != "$p2" && $p1 != "$SERVER_PID" && $p2 != "$SERVER_PID" ]] ||
		fail "children $p1 and $p2, server $SERVER_PID"
	# Real processes, and the server is their parent.
	assert_equal "$(ppid_of "$p1")" "$SERVER_PID"
	assert_equal "$(ppid_of "$p2")" "$SERVER_PID"
	printf 'from a\n' >&"$a"
	printf 'from b\n' >&"$b"
	read_line "$a"
	read_line "$b"
	# Whatever the child did, it says so under its own pid.
	assert_log "[pid $p1] Received: b'from a\n'"
	assert_log "[pid $p2] Received: b'from b\n'"
	exec {a}>&-
	wait_for_log "[pid $p1] Connection with ('127.0.0.1', "
	assert_equal "$(grep -c '^\[main\] Received new connection from' "$LOG")" 2
	stop_server
}

@test "fork: no zombie children remain after clients leave" {
	local i p
	start_server fork
	for i in 1 2 3; do
		open_client c
		printf 'hi %d\n' "$i" >&"$c"
		read_line "$c"
		exec {c}>&-
	done
	wait_for_count "Connection with ('127.0.0.1', " 3
	for i in 1 2 3; do
		wait_gone "$(child_pid "$i")"	# reaped: /proc holds zombies too
	done
	assert_equal "$(zombies_of "$SERVER_PID")" ""
	assert_equal "$(cat /proc/"$SERVER_PID"/task/*/children | tr -d ' ')" ""
	# The SIGCHLD handler interrupts accept(); main reports each exit at once.
	for i in 1 2 3; do
		wait_for_log "child pid $(child_pid "$i") exited (status 0)"
	done
	stop_server
}

@test "fork: SIGTERM to the server ends its children too, and it exits 0" {
	local p1 p2 got rc
	start_server fork
	open_client a
	open_client b
	wait_for_count "to child pid" 2
	p1=$(child_pid 1)
	p2=$(child_pid 2)
	stop_server
	# Ended and reaped: not alive, not a zombie left to init.
	[[ ! -e /proc/$p1 && ! -e /proc/$p2 ]] || fail "children $p1 $p2 outlived the server"
	assert_log "child pid $p1 exited (signal 15)"
	assert_log "child pid $p2 exited (signal 15)"
	rc=0; read -r -t $((2 * NETLAB_SLOW)) -u "$a" got || rc=$?
	assert_equal "$rc" 1	# end of file: the connection went with the child
}

@test "fork: --handler chat and --handler count exit 2 with one line" {
	local h
	for h in chat count; do
		run -2 --separate-stderr timeout 30 "$NETLAB" fork --handler "$h" --port 0
		assert_equal "$output" ""
		assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
		assert_contains "$stderr" "--handler $h"
		assert_contains "$stderr" "share"
	done
}

@test "fork: --max-clients counts live children" {
	local p1
	start_server fork --max-clients 1
	open_client a
	wait_for_log "to child pid"
	p1=$(child_pid 1)
	open_client b
	read_line "$b"
	assert_contains "$REPLY" "server full"
	exec {a}>&-
	wait_gone "$p1"		# its child ended and was reaped: one place is free
	open_client c
	printf 'now\n' >&"$c"
	read_line "$c"
	assert_equal "$REPLY" "now"
	stop_server
}

@test "fork: children's log lines never mix, even for long binary chunks on a pipe" {
	start_server_piped fork -q
	local i
	for i in 1 2 3 4; do
		python3 "$TESTS/send_bytes.py" "$PORT" 'bytes([1]) * 1024 * 40' >/dev/null 3>&- &
		track $!
	done
	wait_for_count "Connection with" 4 30
	# Every line is whole: it starts with its actor and a long one says so.
	run ! grep -vE "^\[(main|pid [0-9]+)\] " "$LOG"
	grep -q "bytes, the first [0-9]* shown" "$LOG"
	stop_server
}

@test "fork: a second Ctrl-C ends it at once (status 130) while a child has not ended" {
	local child waited=0 ended=0
	start_server fork
	open_client a
	wait_for_log "to child pid"
	child=$(child_pid 1)
	kill -STOP "$child"	# a child that cannot end yet: SIGTERM stays pending
	wait_until 5 "child $child to stop" stopped "$child"
	kill -INT "$SERVER_PID"
	wait_for_log "still serving, and waiting for" && sleep "$QUIET_PERIOD" &&
	    kill -0 "$SERVER_PID" && waited=1
	kill -INT "$SERVER_PID"
	wait_for_exit "$SERVER_PID" 5 && ended=1
	SERVER_PID=
	kill -KILL "$child"	# before any check can fail: a stopped child outlives TERM
	wait_gone "$child"
	((waited)) || fail "the first Ctrl-C did not wait for the child" "$(cat "$LOG")"
	((ended)) || fail "the second Ctrl-C did not end the parent"
	assert_equal "$status" 130
	assert_equal "$(cat "$ERR")" "netlab: a second Ctrl-C: exiting now (status 130), without waiting for the clients still being served"
	exec {a}>&-
}
