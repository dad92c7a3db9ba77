#!/usr/bin/env bats
# Seed 000: accept N clients, one thread each, close the listener, and end
# once they have all left.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

@test "limited: three clients are served at once, the fourth is refused, exit 0 after they leave" {
	start_server limited 3
	nc_start a
	nc_start b
	nc_start c
	wait_for_count "Received new connection from" 3
	nc_type a "from a"
	nc_type b "from b"
	nc_type c "from c"
	wait_for_screen a "from a"
	wait_for_screen b "from b"
	wait_for_screen c "from c"
	wait_for_log "the listening socket is closed"

	# The listening socket is gone: the kernel refuses the connection.
	run -1 timeout 30 "$NETLAB" client --port "$PORT"
	assert_contains "$output" "Connection refused"

	nc_quit a
	nc_quit b
	# Once the server has seen both leave, it still runs: c is connected.
	wait_for_count "Connection with ('127.0.0.1', " 2
	server_alive || fail "the server ended with a client still connected" "$(cat "$LOG")"
	nc_quit c
	wait_for_exit "$SERVER_PID"
	SERVER_PID=
	assert_equal "$status" 0
	assert_equal "$(log_count "Connection with ('127.0.0.1', ")" 3
	assert_log "all 3 clients have left"
}

@test "limited: alone means limited 5" {
	start_server limited
	local fds=() fd i
	for i in 1 2 3 4 5; do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		fds+=("$fd")
	done
	wait_for_log "5 clients accepted"
	for fd in "${fds[@]}"; do
		exec {fd}>&-
	done
	wait_for_exit "$SERVER_PID"
	SERVER_PID=
	assert_equal "$status" 0
}

@test "limited: Ctrl-C while clients are connected exits 0" {
	start_server limited 2
	open_client one
	wait_for_log "Received new connection from"
	stop_server
	exec {one}>&-
}

@test "limited: N must be 1..1024" {
	run -2 --separate-stderr timeout 30 "$NETLAB" limited 0 --port 0
	assert_equal "$stderr" "netlab: limited N must be between 1 and 1024, not 0 (see netlab --help)"
	run -2 timeout 30 "$NETLAB" limited 1025 --port 0
	run -2 timeout 30 "$NETLAB" limited many --port 0
}
