#!/usr/bin/env bats
# The server options (spec, Options): --idle-timeout, --max-clients, --delay,
# --nagle (and TCP_NODELAY without it),
# and the combinations that make no sense, which exit 2 with one line.

bats_require_minimum_version 1.5.0
load test_helper
load designs

setup() {
	_netlab_setup
}

# The design lists (ALL_DESIGNS, CHAT_DESIGNS, ...) are in designs.bash.

# ms_since START_MS: milliseconds from START_MS until now.
ms_since() {
	echo $(($(now_ms) - $1))
}

@test "--idle-timeout 1: a silent client is closed with a log line, an active one is left alone" {
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --idle-timeout 1
		start=$(now_ms)
		open_client silent
		wait_for_count "Received new connection from" 1
		silent_peer=$(peer 1)
		wait_for_log "Idle timeout: $silent_peer was silent for 1 s"
		took=$(ms_since "$start")
		echo "closed after $took ms"
		((took >= 900))
		wait_for_log "Connection with $silent_peer closed"
		# The silent client sees its connection end (read: 1 = end of file).
		run read -r -t $((5 * NETLAB_SLOW)) -u "$silent" line
		assert_status 1
		exec {silent}>&-

		# One line every 0.3 s, for 1.5 times the timeout: never idle for 1 s.
		open_client active
		for i in 1 2 3 4 5; do
			printf 'still here %d\n' "$i" >&"$active"
			read_line "$active"
			assert_equal "$REPLY" "still here $i"
			sleep 0.3	# the activity pattern under test, not synchronisation
		done
		assert_equal "$(log_count "Idle timeout")" 1
		exec {active}>&-
		wait_for_count "Connection with" 2
		stop_server
	done
}

@test "--max-clients 2: the third client gets one 'server full' line and is closed; after one leaves, a new one is served" {
	select_designs $MAX_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --max-clients 2
		open_client first
		open_client second
		wait_for_count "Received new connection from" 2
		printf 'one\n' >&"$first"
		read_line "$first"
		assert_equal "$REPLY" "one"

		# No -N: nc ends only because the server closes the connection.
		run -0 timeout 10 nc 127.0.0.1 "$PORT" </dev/null
		[[ $output != *$'\n'* ]] || fail "expected one line, got: $output"
		assert_contains "$output" "server full"
		assert_log "Connection with $(peer 3) closed"

		exec {first}>&-
		# The refused one, then the first (not always the log's first:
		# reuseport's loops log their accepts side by side).
		wait_for_count "Connection with" 2
		open_client again
		wait_for_count "Received new connection from" 4
		printf 'in again\n' >&"$again"
		read_line "$again"
		assert_equal "$REPLY" "in again"
		printf 'two\n' >&"$second"
		read_line "$second"
		assert_equal "$REPLY" "two"
		exec {again}>&- {second}>&-
		stop_server
	done
}

@test "--max-clients 1: the refused client is told '1 client already connected', not '1 clients'" {
	local design first
	for design in threaded fork; do
		start_server "$design" --max-clients 1
		open_client first
		wait_for_count "Received new connection from" 1
		run -0 timeout 10 nc 127.0.0.1 "$PORT" </dev/null
		assert_equal "$output" "netlab: server full, 1 client already connected; try again later"
		exec {first}>&-
		stop_server
	done
}

@test "--delay 300: the answer takes at least 300 ms" {
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --delay 300
		open_client c
		wait_for_log "Received new connection from"
		start=$(now_ms)
		printf 'slowly\n' >&"$c"
		read_line "$c"
		took=$(ms_since "$start")
		echo "answered after $took ms"
		assert_equal "$REPLY" "slowly"
		((took >= 300 && took < 10000 * NETLAB_SLOW))
		exec {c}>&-
		stop_server
	done
}

# Each entry: the arguments, then after '|' a word the one line must contain.
INVALID=(
	"threaded --unsafe|--unsafe"
	"threaded --handler chat --unsafe|--unsafe"
	"sequential --handler chat|nobody to talk to"
	"sequential --max-clients 3|never be reached"
	"limited 3 --max-clients 3|never be reached"
	"limited --max-clients 5|never be reached"
	"threaded --handler shout|unknown handler 'shout'"
	"client --handler upper|--handler is for the servers, not client"
	"client --delay 10|--delay is for the servers, not client"
	"threaded --delay -1|--delay"
	"threaded --idle-timeout soon|--idle-timeout"
	"threaded --max-clients 0|--max-clients"
	"threaded -i|-i is for client, not threaded"
	"threaded --port +80|--port"
)

@test "options: a combination that makes no sense exits 2 with one line saying why" {
	for entry in "${INVALID[@]}"; do
		read -ra args <<<"${entry%%|*}"
		echo "--- netlab ${args[*]}"
		run -2 --separate-stderr timeout 30 "$NETLAB" "${args[@]}" --port 0
		assert_equal "$output" ""
		[[ $stderr != *$'\n'* ]] || fail "expected one line, got: $stderr"
		assert_contains "$stderr" "netlab: "
		assert_contains "$stderr" "${entry#*|}"
		assert_contains "$stderr" "netlab --help"
	done
}

@test "options: combinations that make sense start" {
	for args in "sequential --handler count --unsafe" "limited 3 --max-clients 2" \
		"threaded --idle-timeout 0 --delay 0" "sequential --idle-timeout 5 --handler ack"; do
		read -ra argv <<<"$args"
		echo "--- netlab $args"
		start_server "${argv[@]}"
		stop_server
	done
}

@test "--idle-timeout 1: a client that floods and never reads times out too, and frees its worker" {
	start_server pool 1 --idle-timeout 1 -q
	# It keeps pushing (stalls only after 60 s), so the server's reads never
	# run dry: its send() times out first, however busy the machine. With
	# a stall as short as the idle timeout, the two 1 s clocks would race,
	# and a client that stopped first would be closed as silent instead.
	hold flooder python3 "$TESTS/never_reads.py" "$PORT" 60
	wait_for_log "Received new connection from"
	# The one worker is stuck in send(): the echo has nowhere to go.
	wait_for_log "Idle timeout: $(peer 1) read nothing for 1 s"
	run -0 timeout 10 nc -N 127.0.0.1 "$PORT" <<<"served"
	assert_equal "$output" "served"
	release flooder
	stop_server
}

# nagle_run [ARGS]: bench 4 clients x 20 messages x 4,000 bytes (four recv()
# pieces each) against $PORT, into $BATS_TEST_TMPDIR/n.json; prints p50 and notes.
nagle_run() {
	timeout 60 "$NETLAB" bench --port "$PORT" -c 4 -n 20 -s 4000 --json >"$BATS_TEST_TMPDIR/n.json"
	python3 -c "import json,sys; j=json.load(open(sys.argv[1]))
print(j['errors'], 'stall' if j['p50_ms'] >= 30 else 'prompt', j['notes'])" "$BATS_TEST_TMPDIR/n.json"
}

@test "TCP_NODELAY: every design answers a 4,000-byte message without the 40 ms stall; bench has nothing to say" {
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" -q
		run -0 nagle_run
		assert_equal "$output" "0 prompt []"	# design: $design
		stop_server
	done
}

# The option itself, read on the server's own socket for a client's
# connection (netclients.py nodelay copies it out of the server with
# pidfd_getfd): exact for every design, where a stall, or none, is timing.
@test "TCP_NODELAY is set on every accepted client unless --nagle" {
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" -q
		run -0 netclient nodelay
		assert_equal "$output" "on"	# design: $design
		stop_server
		begin_design "$design" -q --nagle
		run -0 netclient nodelay
		assert_equal "$output" "off"	# design: $design, --nagle
		stop_server
	done
}

# Not uring: the four pieces of an answer usually complete in one pass of
# its loop and leave as one send, which Nagle never holds back; whether
# they do depends on timing, so no stall can be promised either way. That
# uring leaves Nagle's algorithm on is checked on its socket, above.
@test "--nagle: Nagle's algorithm stays on, an answer's later pieces wait for the delayed ACK, and bench says why" {
	select_designs ${ALL_DESIGNS/uring/}
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --nagle
		assert_log "--nagle: Nagle's algorithm stays on for every client"
		run -0 nagle_run
		assert_equal "$output" "0 stall ['nagle']"	# design: $design
		stop_server
	done
	run --separate-stderr "$NETLAB" bench --nagle
	assert_status 2
	assert_contains "$stderr" "--nagle is for the servers, not bench"
}
