#!/usr/bin/env bats
# --handler: what each design does with the bytes it gets (spec, Options).
# The same tests run in every design named below: a handler must not care
# who calls it.

bats_require_minimum_version 1.5.0
load test_helper
load designs

setup() {
	_netlab_setup
}

# The design lists (ALL_DESIGNS, CHAT_DESIGNS, ...) are in designs.bash.

CLIENTS=4
LINES=200

@test "echo: every byte value 0..255 comes back identical" {
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)' \
		>"$BATS_TEST_TMPDIR/bytes"
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design"
		timeout 10 nc -N 127.0.0.1 "$PORT" <"$BATS_TEST_TMPDIR/bytes" >"$BATS_TEST_TMPDIR/got"
		cmp "$BATS_TEST_TMPDIR/bytes" "$BATS_TEST_TMPDIR/got"
		assert_log "Received: b'\\x00\\x01\\x02"
		stop_server
	done
}

@test "upper: ASCII letters come back in upper case, other bytes as they were" {
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler upper
		run -0 timeout 10 nc -N 127.0.0.1 "$PORT" <<<$'Hello, World! 123 caf\xc3\xa9 \x01z'
		assert_equal "$output" $'HELLO, WORLD! 123 CAF\xc3\xa9 \x01Z'
		stop_server
	done
}

@test "ack: reads once, answers ACK, closes" {
	select_designs $ALL_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler ack
		# No -N: nc keeps its side open; it ends only because the server closes.
		run -0 timeout 10 nc 127.0.0.1 "$PORT" <<<"hello"
		assert_equal "$output" "ACK"
		wait_for_log "Connection with"
		assert_equal "$(log_count "Received: b'")" 1
		stop_server
	done
}

@test "chat: each line goes to every other client after the sender's address, with join and leave notices" {
	select_designs $CHAT_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler chat
		# Why the list of clients needs a lock, or why it does not.
		if [[ " $ONE_THREAD_DESIGNS " == *" $design "* ]]; then
			assert_log "needs no lock"
		else
			assert_log "the list is guarded by a mutex"
		fi
		a=a_$design b=b_$design c=c_$design
		nc_start "$a"
		wait_for_count "Received new connection from" 1
		nc_start "$b"
		wait_for_count "Received new connection from" 2
		wait_for_screen "$a" "*** $(peer 2) joined"
		nc_start "$c"
		wait_for_count "Received new connection from" 3
		wait_for_screen "$a" "*** $(peer 3) joined"
		wait_for_screen "$b" "*** $(peer 3) joined"

		nc_type "$a" "hello from a"
		wait_for_screen "$b" "$(peer 1): hello from a"
		wait_for_screen "$c" "$(peer 1): hello from a"
		nc_type "$b" "hi from b"
		wait_for_screen "$a" "$(peer 2): hi from b"
		wait_for_screen "$c" "$(peer 2): hi from b"
		# b's line reached a after a's own broadcast had ended (one lock),
		# so a copy of a's line for a would be on a's screen by now.
		assert_not_contains "$(nc_screen "$a")" "hello from a"
		assert_not_contains "$(nc_screen "$b")" "hi from b"
		assert_log "Received: b'hello from a\\n'"

		nc_quit "$c"
		wait_for_screen "$a" "*** $(peer 3) left"
		wait_for_screen "$b" "*** $(peer 3) left"
		stop_server
		nc_quit "$a"
		nc_quit "$b"
	done
}

@test "chat: control bytes reach the other clients escaped as the log shows them, exactly" {
	select_designs $CHAT_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler chat
		SERVER_LOG=$LOG run -0 timeout 30 python3 "$TESTS/chat_bytes.py" "$PORT"
		assert_contains "$output" ': \x1b[31mred\x00\xff'
		wait_for_log "the others receive them escaped"
		assert_equal "$(log_count "the others receive them escaped")" 1
		stop_server
	done
}

@test "count: $CLIENTS clients x $LINES lines at once end at exactly $((CLIENTS * LINES)) under the lock" {
	select_designs $COUNT_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler count
		run -0 netclient count "$CLIENTS" "$LINES"
		assert_equal "$output" $((CLIENTS * LINES))
		stop_server
	done
}

# --unsafe is a data race on purpose. ThreadSanitizer rightly reports it;
# tests/tsan.supp names it, so 'make tsan' runs this test too.
@test "count --unsafe: without the lock, $CLIENTS clients x $LINES lines end below $((CLIENTS * LINES))" {
	select_designs $RACE_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler count --unsafe
		assert_log "additions are lost"
		run -0 netclient count "$CLIENTS" "$LINES"
		echo "total: $output"
		((output < CLIENTS * LINES))
		stop_server
	done
}

@test "count --unsafe: with one thread there is no race, and the total is exact" {
	select_designs $ONE_THREAD_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler count --unsafe
		assert_log "no addition can be lost"
		run -0 netclient count "$CLIENTS" "$LINES"
		assert_equal "$output" $((CLIENTS * LINES))
		stop_server
	done
}
