#!/usr/bin/env bats
# pool [N]: N worker threads started up front; main accepts and queues.
# With every worker busy, a new client is connected but unanswered until
# one of them is free (seed 003 "Thread Pool Server" and "Hybrid").

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

TAKES="from the queue and serves it"

@test "pool: client B is served while client A sits idle" {
	start_server pool
	open_client a
	wait_for_count "$TAKES" 1
	open_client b
	printf 'hello\n' >&"$b"
	read_line "$b"
	assert_equal "$REPLY" "hello"
	assert_log "Received: b'hello\n'"
	exec {a}>&- {b}>&-
	wait_for_count "Connection with ('127.0.0.1', " 2
	stop_server
}

@test "pool: every line a worker writes is tagged [worker N], main only accepts" {
	start_server pool 3
	open_client a
	open_client b
	wait_for_count "$TAKES" 2
	printf 'from a\n' >&"$a"
	printf 'from b\n' >&"$b"
	read_line "$a"
	read_line "$b"
	grep -qE "^\[worker [1-3]\] Received: b'from a\\\\n'$" "$LOG" || fail "untagged: $(cat "$LOG")"
	grep -qE "^\[worker [1-3]\] Received: b'from b\\\\n'$" "$LOG" || fail "untagged: $(cat "$LOG")"
	# Two clients at once: two different workers.
	assert_equal "$(grep -oE '^\[worker [0-9]+\] Received' "$LOG" | sort -u | wc -l)" 2
	assert_equal "$(grep -c '^\[main\] Received new connection from' "$LOG")" 2
	refute_log "[main] Received: b'"
	stop_server
}

@test "pool: with 2 workers busy, a third client is connected but unanswered until one leaves" {
	start_server pool 2
	open_client a
	open_client b
	wait_for_count "$TAKES" 2
	open_client c
	wait_for_count "Received new connection from" 3	# accepted: connected
	wait_for_log "is connected but queued, place 1 in the queue: all 2 workers are busy"
	printf 'third\n' >&"$c"
	expect_silence "$c"
	refute_log "Received: b'third\n'"

	# The first one leaves: its worker takes the third client and answers.
	exec {a}>&-
	read_line "$c"
	assert_equal "$REPLY" "third"
	wait_for_log "Received: b'third\n'"
	assert_equal "$(log_count "$TAKES")" 3
	stop_server
}

@test "pool: pool auto starts min(50, cores + 4) workers" {
	local cores want i
	cores=$(getconf _NPROCESSORS_ONLN)
	want=$((cores + 4 < 50 ? cores + 4 : 50))
	start_server pool auto
	wait_for_log "pool auto: min(50, $cores online cores + 4) = $want workers"
	wait_for_log "$want worker threads started"
	# All of them really serve: $want idle clients, $want different workers.
	for ((i = 0; i < want; i++)); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	done
	wait_for_count "$TAKES" "$want"
	assert_equal "$(grep -oE '^\[worker [0-9]+\]' "$LOG" | sort -u | wc -l)" "$want"
	# One more has to wait.
	open_client extra
	wait_for_log "place 1 in the queue: all $want workers are busy"
	stop_server
}

@test "pool: N must be 1..1024 or auto, otherwise exit 2 with one line" {
	local bad
	for bad in 0 x 1025 2x; do
		run -2 --separate-stderr timeout 30 "$NETLAB" pool "$bad" --port 0
		assert_equal "$output" ""
		assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
		assert_contains "$stderr" "pool N"
		assert_contains "$stderr" "netlab --help"
	done
}

@test "pool: Ctrl-C stops it at once, though idle clients block workers in recv()" {
	local t0 t1 got rc
	start_server pool 1
	open_client a		# the only worker waits in recv() for a
	wait_for_count "$TAKES" 1
	open_client b		# b waits in the queue, never served
	wait_for_log "place 1 in the queue"
	t0=$(date +%s%N)
	stop_server
	t1=$(date +%s%N)
	(((t1 - t0) / 1000000 < 2000 * NETLAB_SLOW)) || fail "stopping took $(((t1 - t0) / 1000000)) ms"
	# Both were closed: the served one and the one that never was.
	assert_equal "$(log_count "Connection with ('127.0.0.1', ")" 2
	rc=0; read -r -t $((2 * NETLAB_SLOW)) -u "$a" got || rc=$?
	assert_equal "$rc" 1	# 1: end of file; a timeout would be > 128
	rc=0; read -r -t $((2 * NETLAB_SLOW)) -u "$b" got || rc=$?
	assert_equal "$rc" 1
}

@test "pool: chat reaches clients served by other workers" {
	start_server pool 3 --handler chat
	open_client a
	open_client b
	wait_for_count "$TAKES" 2
	read_line "$a"		# a hears that b joined
	assert_contains "$REPLY" "joined"
	printf 'hi all\n' >&"$b"
	read_line "$a"
	assert_contains "$REPLY" "('127.0.0.1', "
	assert_contains "$REPLY" "): hi all"
	stop_server
}

@test "pool: count keeps one total for clients on different workers" {
	start_server pool 3 --handler count
	open_client a
	open_client b
	wait_for_count "$TAKES" 2
	printf 'x\n' >&"$a"
	read_line "$a"
	assert_equal "$REPLY" 1
	printf 'y\n' >&"$b"
	read_line "$b"
	assert_equal "$REPLY" 2
	printf 'z\n' >&"$a"
	read_line "$a"
	assert_equal "$REPLY" 3
	stop_server
}

@test "pool: a second Ctrl-C ends it at once (status 130) while a worker is still busy" {
	start_server pool 1 --delay 20000
	open_client a
	wait_for_count "$TAKES" 1
	printf 'hi\n' >&"$a"
	wait_for_log "Received: b'hi\n'"	# the worker now sleeps --delay
	kill -INT "$SERVER_PID"
	wait_for_log "Shutting down server..."
	sleep "$QUIET_PERIOD"
	kill -0 "$SERVER_PID" || fail "the first Ctrl-C did not wait for the busy worker"
	kill -INT "$SERVER_PID"
	wait_for_exit "$SERVER_PID" 5	# not 20 s later, when the worker wakes
	SERVER_PID=
	assert_equal "$status" 130
	assert_equal "$(cat "$ERR")" "netlab: a second Ctrl-C: exiting now (status 130), without waiting for the clients still being served"
	exec {a}>&-
}
