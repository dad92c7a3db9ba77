#!/usr/bin/env bats
# uring: one thread, io_uring; it submits accept, recv and send and reaps
# their completions. The readiness loops' tests hold for it too, and where
# the kernel refuses io_uring it says so in one line and points at epoll.

bats_require_minimum_version 1.5.0
load test_helper
load loops

setup_file() {
	# A seccomp filter that refuses io_uring_setup(), for netlab alone.
	cc -o "$BATS_FILE_TMPDIR/no_uring" "$BATS_TEST_DIRNAME/no_uring.c"
}

setup() {
	_netlab_setup
}

@test "uring: a second client is served while the first sits idle" {
	loops_idle_client_blocks_nobody uring
}

@test "uring: a client that never reads stalls nobody and memory stays bounded" {
	loops_slow_reader_is_bounded uring
}

@test "uring: 2000 clients at once are served, and a newcomer still is" {
	loops_many_clients uring 2000
}

@test "uring: Ctrl-C with clients connected closes them all and exits 0" {
	loops_ctrl_c_closes_everyone uring
}

@test "uring: --idle-timeout closes a silent client" {
	loops_idle_timeout uring
}

@test "uring: chat between three clients, no lock needed" {
	loops_chat uring
}

@test "uring: --delay in the one thread stalls every client, and the log says so" {
	loops_delay_stalls_everyone uring
}

@test "uring: running out of descriptors is logged and survived" {
	loops_emfile uring
}

@test "uring: chat drops a client that never reads, and the others go on" {
	loops_chat_drops_non_reader uring
}

@test "uring: the log says the kernel does the I/O, not that a socket is ready" {
	start_server uring
	assert_log "io_uring: it hands the kernel accept, recv and send"
	refute_log "says are ready"
	stop_server
}

@test "uring: a seccomp filter that refuses io_uring: exit 1, one line, points at epoll" {
	local no_uring=$BATS_FILE_TMPDIR/no_uring
	for err in EPERM ENOSYS; do
		run -1 --separate-stderr timeout 10 "$no_uring" "$err" "$NETLAB" uring --port 0
		assert_equal "$output" ""	# refused before it listens: no start line
		assert_equal "${#stderr_lines[@]}" 1
		[[ $stderr == "netlab: uring: the kernel refuses io_uring: a seccomp filter"*"io_uring_setup; try 'netlab epoll'" ]] ||
			fail "$err: $stderr"
	done
	# The filter is netlab's alone: epoll under it still serves.
	"$no_uring" EPERM "$NETLAB" epoll --port 0 --no-color >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "Starting server on"
	stop_server
}

@test "uring: the refusal is said in Italian too" {
	run -1 --separate-stderr timeout 10 "$BATS_FILE_TMPDIR/no_uring" EPERM "$NETLAB" uring \
	    --port 0 --lang it
	[[ $stderr == "netlab: uring: "*"seccomp"*"'netlab epoll'" ]] || fail "$stderr"
	[[ $stderr != *"the kernel refuses"* ]] || fail "not translated: $stderr"
}
