#!/usr/bin/env bats
# The seed 004 session against the threaded server: the second client is
# served at once, while the first is still connected.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

@test "threaded: a second client is served while the first is still connected" {
	start_server threaded
	nc_start first
	wait_for_log "Received new connection from"
	nc_type first "Hello"
	wait_for_log "[thread 1] Received: b'Hello\n'"
	wait_for_screen first "Hello"

	run -0 timeout 5 "$NETLAB" client --port "$PORT"
	assert_equal "$output" $'Starting client...\nReceived: b\'Hello, world\''
	assert_log "[thread 2] Received: b'Hello, world'"

	# nc was connected the whole time: it is still served.
	nc_type first "Still here!"
	wait_for_log "[thread 1] Received: b'Still here!\n'"
	wait_for_screen first "Still here!"
	assert_equal "$(log_count "Received new connection from")" 2
	nc_quit first
	wait_for_log "Connection with ('127.0.0.1', "
	stop_server
}

@test "threaded: the main thread accepts and goes straight back to accept()" {
	start_server threaded
	nc_start first
	wait_for_log "Received new connection from"
	assert_log "[main] Received new connection from  ('127.0.0.1', "
	assert_log "[main]   # main hands ('127.0.0.1', "
	assert_log "goes straight back to accept()"
	nc_quit first
	stop_server
}

@test "threaded: ten clients held open at once are all answered" {
	start_server threaded
	local fds=() i fd
	for i in $(seq 10); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		fds+=("$fd")
	done
	for i in "${!fds[@]}"; do
		printf 'client %d\n' "$i" >&"${fds[$i]}"
	done
	for i in "${!fds[@]}"; do
		read_line "${fds[$i]}"
		assert_equal "$REPLY" "client $i"
	done
	for fd in "${fds[@]}"; do
		exec {fd}>&-
	done
	wait_for_count "Connection with" 10
	stop_server
}
