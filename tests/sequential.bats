#!/usr/bin/env bats
# The seed 004 session, replayed with real nc: a blocking server makes the
# second client wait until the first has left.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

@test "sequential: nc connects, Hello is logged and echoed" {
	start_server sequential
	nc_start first
	wait_for_log "Received new connection from  ('127.0.0.1', "
	nc_type first "Hello"
	wait_for_log "Received: b'Hello\n'"
	wait_for_screen first "Hello"
	nc_quit first
	wait_for_log "Connection with ('127.0.0.1', "
	stop_server
}

@test "sequential: a second client gets no answer while the first is connected" {
	start_server sequential
	nc_start first
	wait_for_log "Received new connection from"
	nc_type first "Hello"
	wait_for_log "Received: b'Hello\n'"

	"$NETLAB" client --port "$PORT" >"$BATS_TEST_TMPDIR/client.out" 2>&1 3>&- &
	client=$!
	track "$client"
	wait_for_connected 2	# the kernel has completed its handshake...
	sleep "$QUIET_PERIOD"	# ...and for a while nothing else must happen
	! ended "$client" || fail "the second client did not wait"	# still waiting for its answer
	assert_equal "$(cat "$BATS_TEST_TMPDIR/client.out")" "Starting client..."
	assert_equal "$(log_count "Received new connection from")" 1
	refute_log "Received: b'Hello, world'"

	# The first one leaves: now the second is accepted and answered.
	nc_quit first
	wait_for_exit "$client"
	assert_equal "$status" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/client.out")" $'Starting client...\nReceived: b\'Hello, world\''
	assert_equal "$(log_count "Received new connection from")" 2
	assert_log "Received: b'Hello, world'"
	stop_server
}

@test "sequential: the annotations say why the second client waits" {
	start_server sequential
	nc_start first
	wait_for_log "Received new connection from"
	assert_log "nobody else is accepted until it leaves"
	nc_quit first
	wait_for_log "goes back to accept()"
	stop_server
}

@test "sequential: Ctrl-C while the main thread is busy answering stops the server at once" {
	start_server sequential --delay 1000
	open_client one
	wait_for_log "Received new connection from"
	printf 'hi\n' >&"$one"
	wait_for_log "Received: b'hi\n'"	# now sleeping --delay, then answering
	kill -INT "$SERVER_PID"
	wait_for_exit "$SERVER_PID" 5		# not when the client leaves: now
	SERVER_PID=
	assert_equal "$status" 0
	assert_log "Shutting down server..."
	exec {one}>&-
}
