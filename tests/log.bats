#!/usr/bin/env bats
# The log's contract: actor tags, the tutorial's words, Python's repr() of
# bytes, --quiet, a line written at once even to a file or a pipe, Ctrl-C.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

@test "log: every byte value 0..255 is shown exactly as Python's repr() shows it" {
	start_server threaded
	local expr
	for expr in 'bytes(range(256))' "b\"it's\"" "b'say \"hi\"'" "b'both \\' and \"'" \
	    "b'\\\\ back\\\\slash'" "b'\\x1b[31mred'"; do
		run -0 python3 "$TESTS/send_bytes.py" "$PORT" "$expr"
		want=$(python3 -c "print(repr($expr))")
		assert_equal "$output" "$want"	# echoed byte for byte
		wait_for_log "Received: $want"
	done
	# A client cannot write an escape sequence onto the teacher's screen.
	run ! grep -q $'\x1b' "$LOG"
	stop_server
}

@test "log: event lines carry the actor: [main] accepts, [thread N] serves" {
	start_server threaded
	run -0 timeout 30 "$NETLAB" client --port "$PORT" "one"
	run -0 timeout 30 "$NETLAB" client --port "$PORT" "two"
	wait_for_count "Connection with" 2
	assert_log "[main] Starting server on 'localhost' port $PORT"
	assert_log "[main] Received new connection from  ('127.0.0.1', "
	assert_log "[thread 1] Received: b'one'"
	assert_log "[thread 2] Received: b'two'"
	assert_log "[thread 2] Connection with ('127.0.0.1', "
	stop_server
	assert_log "[main] Shutting down server..."
}

@test "log: annotations never contain the event texts" {
	start_server sequential
	run -0 timeout 30 "$NETLAB" client --port "$PORT"
	wait_for_log "Connection with"
	stop_server
	run ! grep -E '^\[[^]]*\]   # .*(Received|Connection with|Starting server|Shutting down)' "$LOG"
	grep -q '^\[main\]   # ' "$LOG"	# and there are annotations
}

@test "log: --quiet keeps the events and drops the annotations; -qq keeps the start line" {
	start_server threaded --quiet
	run -0 timeout 30 "$NETLAB" client --port "$PORT"
	wait_for_log "Connection with"
	stop_server
	assert_log "Received new connection from"
	assert_log "Received: b'Hello, world'"
	run ! grep -F '   # ' "$LOG"

	start_server threaded -qq
	run -0 timeout 30 "$NETLAB" client --port "$PORT"
	run -0 timeout 30 "$NETLAB" client --port "$PORT"
	kill -TERM "$SERVER_PID"
	wait_for_exit "$SERVER_PID"
	SERVER_PID=
	assert_equal "$status" 0
	# The start line and nothing else (errors would go to stderr).
	assert_equal "$(wc -l <"$LOG")" 1
	assert_log "Starting server on 'localhost' port $PORT"
}

@test "log: each line reaches a pipe as it is written, not when the server exits" {
	start_server_piped threaded
	run -0 timeout 30 "$NETLAB" client --port "$PORT" "through a pipe"
	wait_for_log "Received: b'through a pipe'"
	stop_server
}

@test "log: Ctrl-C (SIGINT) prints Shutting down server... and exits 0, even mid-client" {
	local design
	for design in threaded sequential; do	# sequential: the main thread is in recv()
		start_server "$design"
		open_client one
		wait_for_log "Received new connection from"
		kill -INT "$SERVER_PID"
		wait_for_exit "$SERVER_PID"
		SERVER_PID=
		assert_equal "$status" 0
		assert_log "Shutting down server..."
		exec {one}>&-
	done
}

# on_terminal CMD...: run CMD with its stdout on a pseudo-terminal (script(1)),
# for a second and a half (times NETLAB_SLOW, as every timeout in the tests),
# and print what the terminal showed (script ends it with a hangup, so no
# goodbye line is expected here).
on_terminal() {
	timeout -s INT 1.5 script -qefc "$*" /dev/null </dev/null || true
}

@test "log: colors only on a terminal, and never inside the event text" {
	run on_terminal "$NETLAB" threaded --port 0
	assert_contains "$output" $'\e[36m[main]\e[0m Starting server on \'localhost\' port '

	run on_terminal NO_COLOR=1 "$NETLAB" threaded --port 0
	assert_contains "$output" "[main] Starting server on 'localhost' port "
	assert_not_contains "$output" $'\e['

	run on_terminal "$NETLAB" threaded --port 0 --no-color
	assert_not_contains "$output" $'\e['

	start_server threaded	# a file is not a terminal
	stop_server
	run ! grep -q $'\x1b' "$LOG"
}

@test "log: a long chunk is cut at the longest prefix that fits, whatever quote repr chooses" {
	start_server sequential
	# 952 bytes whose repr fits the line when quoted with ": nothing is cut.
	run -0 python3 "$TESTS/send_bytes.py" "$PORT" "b\"'''\" + bytes([1]) * 949"
	want=$(python3 -c "print(repr(b\"'''\" + bytes([1]) * 949))")
	wait_for_log "Received: $want"
	run ! grep -F "shown)" "$LOG"
	# With a " as well, each ' costs two characters: then it is cut.
	run -0 python3 "$TESTS/send_bytes.py" "$PORT" "b\"'''\\\"\" + bytes([1]) * 949"
	wait_for_log "(953 bytes, the first 952 shown)"
	stop_server
}
