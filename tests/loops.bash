# tests/loops.bash - the tests that select, poll and epoll (and async) share.
#
# Loaded by select.bats, poll.bats and epoll.bats after test_helper; each
# function takes the design to start as its first argument. The three
# designs are one lesson asked three ways, so they must pass the same tests.

# read_until FD TEXT: read lines from FD until one contains TEXT (each
# line within read_line's deadline).
read_until() {
	while read_line "$1"; do
		[[ $REPLY == *"$2"* ]] && return 0
	done
	fail "no line with '$2' arrived; the last was '$REPLY'"
}

# A connected client that says nothing must not keep another one waiting.
loops_idle_client_blocks_nobody() {
	start_server "$1"
	open_client a
	wait_for_count "Received new connection from" 1
	open_client b
	wait_for_count "Received new connection from" 2
	printf 'hi from b\n' >&"$b"
	read_line "$b"
	assert_equal "$REPLY" "hi from b"
	# and the idle one is still served when it speaks at last
	printf 'hi from a\n' >&"$a"
	read_line "$a"
	assert_equal "$REPLY" "hi from a"
	stop_server
}

# A client that sends and never reads: the server stops reading it (its
# send() blocks: "stalled"), memory stays put, another client is served.
loops_slow_reader_is_bounded() {
	local before after
	start_server "$1"
	before=$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")
	hold reader python3 "$TESTS/never_reads.py" "$PORT"	# until release reader
	wait_for_file "$BATS_TEST_TMPDIR/reader.out" "stalled after" 20
	wait_for_log "has not read yet: stop reading from it"
	after=$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")
	# Unbounded buffering would hold the megabytes it pushed; allow 16 MB.
	((after - before < 16384)) ||
		fail "VmRSS grew from $before kB to $after kB" "$(cat "$BATS_TEST_TMPDIR/reader.out")"
	open_client b
	printf 'still here\n' >&"$b"
	read_line "$b"
	assert_equal "$REPLY" "still here"
	refute_log "Connection with"	# the slow reader is held back, not dropped
	release reader
	stop_server
}

# loops_many_clients DESIGN N: N clients at once, all answered, then a newcomer.
loops_many_clients() {
	ulimit -n 4096		# the server and the script: more than N descriptors
	start_server "$1" -q
	run -0 timeout 60 python3 "$TESTS/many_clients.py" "$PORT" "$2"
	assert_equal "$output" "opened=$2 served=$2 full=0 lost=0 newcomer=served"
	wait_for_count "Connection with" $(($2 + 1)) 20
	stop_server
}

# Ctrl-C with clients connected: "Shutting down server...", every client
# closed (each sees the end of its connection), exit 0.
loops_ctrl_c_closes_everyone() {
	start_server "$1"
	open_client a
	open_client b
	open_client c
	wait_for_count "Received new connection from" 3
	printf 'hello\n' >&"$a"
	read_line "$a"
	kill -INT "$SERVER_PID"
	local pid=$SERVER_PID
	SERVER_PID=
	wait_for_exit "$pid" 10
	assert_equal "$status" 0
	assert_log "Shutting down server..."
	assert_equal "$(sed -n '/Shutting down server/,$p' "$LOG" | grep -c "Connection with")" 3
	for fd in "$a" "$b" "$c"; do
		run -1 read -r -t $((2 * NETLAB_SLOW)) -u "$fd" line	# 1: end of file; >128 would be a timeout
	done
}

# --idle-timeout 1: a silent client is closed after a second, with a log line.
loops_idle_timeout() {
	start_server "$1" --idle-timeout 1
	open_client a
	open_client b
	wait_for_count "Received new connection from" 2
	printf 'hi\n' >&"$b"
	read_line "$b"
	wait_for_log "Idle timeout: " 5
	run -1 read -r -t $((2 * NETLAB_SLOW)) -u "$a" line	# closed: end of file
	wait_for_count "Idle timeout: " 2 5
	stop_server
}

# chat between three clients: every line reaches the two others; one
# thread does everything, so the annotation says no lock is needed.
loops_chat() {
	start_server "$1" --handler chat
	assert_log "needs no lock"
	open_client a
	open_client b
	open_client c
	wait_for_count "Received new connection from" 3
	printf 'hello from a\n' >&"$a"
	read_until "$b" ": hello from a"
	read_until "$c" ": hello from a"
	printf 'and from c\n' >&"$c"
	read_until "$a" ": and from c"
	read_until "$b" ": and from c"
	stop_server
}

# --delay is allowed, and stalls everyone: the one thread sleeps in a's
# delay, so b's answer takes its own delay plus what was left of a's.
loops_delay_stalls_everyone() {
	local start elapsed_ms
	start_server "$1" --delay 1000
	assert_log "no other client is served"
	open_client a
	open_client b
	wait_for_count "Received new connection from" 2
	printf 'one\n' >&"$a"
	wait_for_log "Received: b'one\n'"	# the thread now sleeps for a
	start=$EPOCHREALTIME
	printf 'two\n' >&"$b"
	read_line "$b" 5
	assert_equal "$REPLY" "two"
	elapsed_ms=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
	# A thread of its own would answer b in 1000 ms; here it waits for a too.
	((elapsed_ms >= 1500)) || fail "b was answered after $elapsed_ms ms"
	read_line "$a"
	assert_equal "$REPLY" "one"
	stop_server
}

# Out of descriptors (EMFILE): logged, the waiting client shed, no spinning,
# the clients already in are served, and a newcomer is served once some left.
loops_emfile() {
	ulimit -Sn 32		# the server's soft limit only; raised again for the script
	start_server "$1" -q
	ulimit -Sn 4096
	run -0 timeout 30 python3 "$TESTS/many_clients.py" "$PORT" 40
	[[ $output =~ served=([0-9]+)\ full=0\ lost=([0-9]+) ]] || fail "$output"
	((BASH_REMATCH[1] > 10 && BASH_REMATCH[2] > 0)) || fail "$output"
	grep -qF "accept: Too many open files" "$ERR"
	# One line per shed client, not a loop spinning on a listener it cannot empty.
	(($(grep -c "accept:" "$ERR") <= BASH_REMATCH[2] + 1)) || fail "$(cat "$ERR")"
	wait_for_all_closed	# the loop has seen every one of them leave
	open_client late
	printf 'late\n' >&"$late"
	read_line "$late"
	assert_equal "$REPLY" "late"
	stop_server
}

# select: 1100 clients at once. Descriptors at or above FD_SETSIZE are
# refused with the server-full line (and a note that points at poll and
# epoll); every other client is served, and so is a newcomer once they left.
loops_select_past_fd_setsize() {
	ulimit -n 4096		# so that accept() can hand out descriptors past 1023
	start_server select
	run -0 timeout 60 python3 "$TESTS/many_clients.py" "$PORT" 1100
	[[ $output =~ ^opened=1100\ served=([0-9]+)\ full=([0-9]+)\ lost=0\ newcomer=full$ ]] ||
		fail "$output"
	((BASH_REMATCH[1] > 1000 && BASH_REMATCH[2] > 0)) || fail "$output"
	assert_log "FD_SETSIZE (1024), so it is refused"
	assert_log "try 'netlab poll' or 'netlab epoll'"
	wait_for_count "Connection with" 1101 20
	open_client late
	printf 'late\n' >&"$late"
	read_line "$late"
	assert_equal "$REPLY" "late"
	stop_server
}

# received_lately TEXT: TEXT is in what the server last received, its
# Received lines joined again, wherever recv() cut the bytes into chunks.
received_lately() {
	tail -c 65536 "$LOG" | sed -n "s/^\[[^]]*\] Received: b'\(.*\)'\$/\1/p" | tr -d '\n' |
		grep -qF -- "$1"
}

# chat: a client that never reads what it is sent is dropped once its
# backlog passes OUT_MAX; the sender and everyone else go on.
loops_chat_drops_non_reader() {
	start_server "$1" --handler chat -q
	open_client deaf	# never read from
	open_client talker
	wait_for_count "Received new connection from" 2
	# 10 MB of chat lines: more than the kernel's buffers and OUT_MAX together.
	timeout 20 bash -c 'head -c 10000000 /dev/zero | tr "\0" x | fold -w 999 >&"$1"' \
	    _ "$talker"
	printf 'end of flood\n' >&"$talker"
	# The server has read it all (recv() may cut the line in two).
	wait_until 20 "the server to read 'end of flood'" received_lately "end of flood\\n"
	assert_equal "$(log_count "Connection with")" 1	# the deaf one, dropped
	open_client listener
	wait_for_count "Received new connection from" 3
	printf 'still here\n' >&"$talker"
	read_until "$listener" ": still here"
	stop_server
}
