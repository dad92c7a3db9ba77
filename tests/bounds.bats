#!/usr/bin/env bats
# bounds.bats - every place that holds a client's bytes has a bound, and a
# client driven to it meets what the annotation says: chat's unfinished line
# (LINE_BYTES), an event loop's unread answer (OUT_HIGH, in loops.bash) and
# unread chat backlog (OUT_MAX), the pool's queue and the fork parent's
# children (both sized from the machine's limits when the server starts,
# and lowered by --max-clients: src/bounds.h).

load test_helper
load designs
load loops
bats_require_minimum_version 1.5.0

setup() {
	_netlab_setup
}

LOOP_DESIGNS=$(designs_of_kind event-loop)

# announced_bound TEXT: the number that follows TEXT in the server's log.
announced_bound() {
	sed -n "s/.*$1 \([0-9]*\) .*/\1/p" "$LOG" | head -n 1
}

# goes_on: the held clients leave; then a new client is served as usual.
goes_on() {
	release clients
	wait_for_all_closed 60
	open_client again
	printf 'served again\n' >&"$again"
	read_line "$again" 10
	assert_equal "$REPLY" "served again"
	stop_server
}

@test "bounds: chat sends a line longer than LINE_BYTES on in pieces, and says so once" {
	select_designs $CHAT_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler chat
		SERVER_LOG=$LOG run -0 timeout 30 python3 "$TESTS/chat_bytes.py" "$PORT" long
		wait_for_log "the line is sent on in pieces of 1024 bytes"
		assert_equal "$(log_count "without a newline: the line is sent on")" 1
		stop_server
	done
}

@test "bounds: an event loop closes a chat client whose unread backlog passes OUT_MAX, and says so" {
	select_designs $LOOP_DESIGNS
	for design in "${SELECTED[@]}"; do
		begin_design "$design" --handler chat
		hold_clients deaf
		open_client talker
		wait_for_count "Received new connection from" 2
		# 10 MB of lines: more than the kernel's buffers and OUT_MAX (1 MiB) together.
		timeout 30 bash -c 'head -c 10000000 /dev/zero | tr "\0" x | fold -w 999 >&"$1"' \
		    _ "$talker"
		printf 'end of flood\n' >&"$talker"
		wait_for_log "end of flood\\n'" 30	# the server has read it all
		assert_log "does not read what it is sent; it is closed rather than let its backlog grow without bound"
		assert_equal "$(log_count "Connection with")" 1	# the deaf one, dropped
		open_client listener
		wait_for_count "Received new connection from" 3
		printf 'still here\n' >&"$talker"
		read_until "$listener" ": still here"
		release clients
		exec {talker}>&- {listener}>&-
		stop_server
	done
}

@test "bounds: pool's queue is sized from the descriptor limit; a client past it is refused, and the rest go on" {
	ulimit -Sn 64	# this test's processes only: the server sizes its queue from it
	start_server pool 1
	wait_for_log "the queue holds at most"
	assert_log "the lesser of the descriptors left (ulimit -n 64, less "
	assert_log "and what the available memory holds ("
	local bound
	bound=$(announced_bound "the queue holds at most")
	((bound > 0 && bound < 64)) || fail "a queue of '$bound' under ulimit -n 64"
	hold_clients flood $((bound + 1))	# one for the worker, the rest queued
	wait_for_count "Received new connection from" $((bound + 1)) 30
	open_client late
	read_line "$late" 10
	assert_equal "$REPLY" "netlab: server full, its queue is full; try again later"
	assert_log "$bound clients already wait for one of the 1 workers (the queue's bound)"
	goes_on
}

@test "bounds: fork's children are sized from the process limits and memory, and --max-clients lowers them" {
	start_server fork
	wait_for_log "children at once"
	assert_log "children at once: the lesser of the processes left (pid_max "
	assert_log "and what the available memory holds ("
	local bound
	bound=$(announced_bound "at most")
	((bound >= 100)) || fail "a bound of '$bound' children on a machine with $(nproc) cores"
	stop_server
	start_server fork --max-clients 20
	assert_log "at most 20 children at once: "
	assert_log "; --max-clients 20 lowers it"
	hold_clients flood 20
	wait_for_count "main hands" 20 60
	open_client late
	read_line "$late" 10
	assert_equal "$REPLY" "netlab: server full, 20 clients already connected; try again later"
	assert_log "20 children are serving, the most at once: "
	goes_on
}
