#!/usr/bin/env bats
# netlab bench: one thread plays ping-pong with many clients, checks every
# byte that comes back and counts what goes wrong by kind.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	# The report's words are English here; tests/i18n.bats has the Italian.
	export LANG=C.UTF-8 LANGUAGE= LC_ALL= LC_MESSAGES=
}

# rude_server reset|silent: PORT is a Python server that misbehaves so.
rude_server() {
	local out=$BATS_TEST_TMPDIR/rude.port
	python3 "$TESTS/rude_server.py" "$1" </dev/null >"$out" 3>&- &
	track "$!"
	wait_until 10 "rude_server.py to print its port" grep -qE '^[0-9]+$' "$out"
	PORT=$(cat "$out")
}

# bench_json ARGS...: run bench --json (bounded) into $BATS_TEST_TMPDIR/b.json.
bench_json() {
	run --separate-stderr timeout 60 "$NETLAB" bench --port "$PORT" --json "$@"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/b.json"
}

@test "bench: --json has the spec's keys and sane values against a running server" {
	start_server epoll -q
	bench_json -c 10 -n 50 -s 100
	assert_success
	local f=$BATS_TEST_TMPDIR/b.json
	for key in clients messages seconds msgs_per_sec p50_ms p99_ms max_ms errors \
	    errors_by_kind; do
		[[ $(json_get "$f" "'$key' in j") == True ]] || fail "no key $key in: $output"
	done
	assert_equal "$(json_get "$f" "j['clients'], j['connected'], j['messages'], j['errors']")" \
	    "10 10 500 0"
	assert_equal "$(json_get "$f" "sorted(j['errors_by_kind'].items())")" \
	    "[('connect', 0), ('reset', 0), ('timeout', 0), ('wrong', 0)]"
	# Sane: some time passed, throughput agrees with it, percentiles in order.
	assert_equal "$(json_get "$f" "0 < j['seconds'] < 60 and j['msgs_per_sec'] > 0 and \
	    abs(j['msgs_per_sec'] * j['seconds'] - 500) < 5 and \
	    0 < j['p50_ms'] <= j['p99_ms'] <= j['max_ms'] <= j['seconds'] * 1000")" True
	stop_server
}

@test "bench: the report names connections, messages/s, latency and errors" {
	start_server threaded -q
	run --separate-stderr timeout 60 "$NETLAB" bench --port "$PORT" -c 3 -n 20
	assert_success
	assert_contains "$output" "connections  3 of 3"
	assert_contains "$output" "60 answered in"
	assert_contains "$output" "messages/s"
	assert_contains "$output" "p50 "
	assert_contains "$output" "errors       0 (connect 0, reset 0, timeout 0, wrong 0)"
	assert_equal "$stderr" ""	# not a terminal: no progress line
	stop_server
}

@test "bench: a server that answers wrong bytes is counted as wrong" {
	start_server epoll -q --handler upper	# bench sends lower-case letters
	bench_json -c 4 -n 5
	assert_status 1
	assert_equal "$(json_get "$BATS_TEST_TMPDIR/b.json" \
	    "j['errors'], j['errors_by_kind']['wrong'], j['messages']")" "4 4 0"
	stop_server
}

@test "bench: a server that resets its clients is counted as reset" {
	rude_server reset
	bench_json -c 5 -n 3
	assert_status 1
	assert_equal "$(json_get "$BATS_TEST_TMPDIR/b.json" \
	    "j['connected'], j['errors_by_kind']['reset'], j['errors']")" "5 5 5"
}

@test "bench: a refused connect is counted as connect, with a line saying why" {
	refusing_port
	bench_json -c 3 -n 2
	assert_status 1
	assert_equal "$(json_get "$BATS_TEST_TMPDIR/b.json" \
	    "j['connected'], j['errors_by_kind']['connect'], j['errors']")" "0 3 3"
	assert_contains "$stderr" "no client could connect to localhost port $PORT"
}

@test "bench: --timeout bounds the run against a server that never answers" {
	rude_server silent
	local start=$SECONDS
	bench_json -c 3 -n 2 --timeout 1
	assert_status 1
	((SECONDS - start <= 5 * NETLAB_SLOW)) || fail "bench took $((SECONDS - start)) s with --timeout 1"
	assert_equal "$(json_get "$BATS_TEST_TMPDIR/b.json" \
	    "j['connected'], j['errors_by_kind']['timeout'], j['messages']")" "3 3 0"
}

@test "bench: raises its descriptor limit to drive more clients than the soft limit" {
	start_server epoll -q
	# 300 clients, a soft limit of 100; the hard limit leaves room to raise it.
	run --separate-stderr bash -c "ulimit -Sn 100 && timeout 60 '$NETLAB' bench \
	    --port $PORT -c 300 -n 2 --json"
	assert_success
	assert_contains "$output" '"connected": 300'
	assert_equal "$stderr" ""
	stop_server
}

@test "bench: says so when even the hard descriptor limit is too low" {
	start_server epoll -q
	run --separate-stderr bash -c "ulimit -n 40 && timeout 60 '$NETLAB' bench \
	    --port $PORT -c 100 -n 2 --json"
	assert_status 1
	assert_contains "$stderr" "100 clients need 116 descriptors"
	assert_contains "$stderr" "ulimit -Hn"
	assert_contains "$output" '"connect": '
	assert_not_contains "$output" '"connect": 0'
	stop_server
}

@test "bench: a run over a second shows progress on a terminal, on stderr" {
	start_server epoll -q --delay 200	# 2 x 8 messages, 200 ms each: 1.6 s
	local out=$BATS_TEST_TMPDIR/tty.out
	run timeout 30 script -qec "'$NETLAB' bench --port $PORT -c 2 -n 8 2>&1 >/dev/null" "$out"
	assert_success
	grep -q "/16 messages" "$out" || fail "no progress line on the terminal:" "$(cat "$out")"
	stop_server
}

@test "bench: usage errors exit 2 with one line" {
	run --separate-stderr "$NETLAB" bench -c 0
	assert_status 2
	assert_contains "$stderr" "-c must be between 1 and 100000"
	run --separate-stderr "$NETLAB" bench extra
	assert_status 2
	assert_contains "$stderr" "bench takes no argument"
	run --separate-stderr "$NETLAB" threaded -c 5
	assert_status 2
	run --separate-stderr "$NETLAB" client --json
	assert_status 2
	assert_contains "$stderr" "--json is for watch, bench, compare and check"
}

# py_server: PORT is tests/py_threaded_server.py, a student's threaded echo
# server as the seeds write it: recv(1024), sendall(), Nagle left on.
py_server() {
	local out=$BATS_TEST_TMPDIR/py.out
	python3 "$TESTS/py_threaded_server.py" 0 </dev/null >"$out" 3>&- &
	track "$!"
	wait_until 10 "py_threaded_server.py to listen" grep -q '^listening on' "$out"
	PORT=$(sed -n 's/^listening on //p' "$out")
}

@test "bench: names Nagle's algorithm when 4,000 bytes take ~40 ms from a server that sits idle" {
	py_server
	bench_json -c 4 -n 20 -s 4000
	assert_success
	local f=$BATS_TEST_TMPDIR/b.json
	assert_equal "$(json_get "$f" "j['notes'], 30 <= j['p50_ms'] <= 50, j['errors']")" \
	    "['nagle'] True 0"
	assert_equal "$(json_get "$f" "0 <= j['server_cpu_s'] < j['seconds'] / 4")" True
	run --separate-stderr timeout 60 "$NETLAB" bench --port "$PORT" -c 4 -n 20 -s 4000
	assert_success
	assert_contains "$output" "  why          the median answer took "
	assert_contains "$output" "Nagle's algorithm meeting the client's delayed ACK"
	assert_contains "$output" "TCP_NODELAY"
	[[ $output =~ server\ cpu\ +[0-9.]+\ s\ in\ [0-9.]+\ s:\ [0-9]+%\ of\ one\ core ]] ||
		fail "no server cpu line: $output"
	# 64 bytes leave in one piece: fast, and nothing to say.
	bench_json -c 4 -n 20 -s 64
	assert_equal "$(json_get "$f" "j['notes'], j['p50_ms'] < 30")" "[] True"
}

@test "bench: Ctrl-C prints what was measured, marked interrupted, and exits 130" {
	start_server epoll -q --delay 100	# 100 ms a message: still running at Ctrl-C
	"$NETLAB" bench --port "$PORT" -c 2 -n 1000 >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	local bp=$!
	track "$bp"
	wait_for_count "Received:" 4 10	# it has measured something
	kill -INT "$bp"
	wait_for_exit "$bp" 10
	assert_status 130
	run cat "$BATS_TEST_TMPDIR/out"
	assert_contains "$output" "  interrupted  by Ctrl-C: these figures cover only what ran"
	[[ $output =~ messages\ +[1-9][0-9]*\ answered ]] || fail "nothing measured: $output"
	"$NETLAB" bench --port "$PORT" -c 2 -n 1000 --json >"$BATS_TEST_TMPDIR/j" 3>&- &
	bp=$!
	track "$bp"
	wait_for_count "Received:" 12 10
	kill -INT "$bp"
	wait_for_exit "$bp" 10
	assert_status 130
	assert_equal "$(json_get "$BATS_TEST_TMPDIR/j" "j['interrupted'], j['messages'] > 0")" \
	    "True True"
	stop_server
}

@test "bench: a client that a full server refuses is counted as refused, and said so" {
	start_server epoll -q --max-clients 2 --delay 50	# the two served ones stay a while
	bench_json -c 5 -n 3
	assert_status 1
	local f=$BATS_TEST_TMPDIR/b.json
	assert_equal "$(json_get "$f" "j['refused'], j['errors_by_kind']['wrong'], j['messages']")" \
	    "3 3 6"
	run --separate-stderr timeout 60 "$NETLAB" bench --port "$PORT" -c 5 -n 3
	assert_contains "$output" "3 clients were refused: the server said it was full"
	stop_server
}
