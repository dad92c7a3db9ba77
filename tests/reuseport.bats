#!/usr/bin/env bats
# reuseport N: N epoll loops, a thread and a listening socket each on the
# same port (SO_REUSEPORT); the kernel spreads new connections over them.
# Each loop is an epoll loop: the event loops' tests hold for it too.

bats_require_minimum_version 1.5.0
load test_helper
load loops

setup() {
	_netlab_setup
}

@test "reuseport: a second client is served while the first sits idle" {
	loops_idle_client_blocks_nobody reuseport
}

@test "reuseport: a client that never reads stalls nobody and memory stays bounded" {
	loops_slow_reader_is_bounded reuseport
}

@test "reuseport: 2000 clients at once are served, and a newcomer still is" {
	loops_many_clients reuseport 2000
}

@test "reuseport: Ctrl-C with clients connected closes them all and exits 0" {
	loops_ctrl_c_closes_everyone reuseport
}

@test "reuseport: --idle-timeout closes a silent client" {
	loops_idle_timeout reuseport
}

@test "reuseport: running out of descriptors is logged and survived" {
	loops_emfile reuseport
}

@test "reuseport 4: 100 clients spread over the four loops, each line logged by its own loop" {
	start_server reuseport 4 -q
	run -0 timeout 60 python3 "$TESTS/many_clients.py" "$PORT" 100
	assert_equal "$output" "opened=100 served=100 full=0 lost=0 newcomer=served"
	wait_for_count "Connection with" 101 20
	local k n
	for k in 1 2 3 4; do
		n=$(grep -c "^\[loop $k\] Received new connection from" "$LOG") || true
		((n > 0)) || fail "loop $k accepted no client: $(grep -c 'Received new' "$LOG") in all"
	done
	# A client's lines are logged by the loop that accepted it, and only by it.
	local first actors
	first=$(sed -n "s/.*Received new connection from  \(('[^']*', [0-9]*)\).*/\1/p" "$LOG" | head -1)
	actors=$(grep -F "$first" "$LOG" | sed 's/^\[\([^]]*\)\].*/\1/' | sort -u)
	[[ $actors =~ ^loop\ [1-4]$ ]] || fail "the first client's lines came from: $actors"
	stop_server
}

@test "reuseport: chat reaches the clients of every loop, and count is exact across loops" {
	start_server reuseport 2 --handler chat
	assert_log "the list is guarded by a mutex"
	open_client a
	open_client b
	open_client c
	open_client d
	wait_for_count "Received new connection from" 4
	printf 'hello from a\n' >&"$a"
	read_until "$b" ": hello from a"
	read_until "$c" ": hello from a"
	read_until "$d" ": hello from a"
	stop_server
	start_server reuseport 2 --handler count -q
	run -0 timeout 60 python3 "$TESTS/netclients.py" count "$PORT" 4 200
	assert_equal "$output" 800
	stop_server
}

@test "reuseport: the log names N loops and watch shows N listeners and N threads in epoll_wait()" {
	start_server reuseport 3
	assert_log "3 epoll loops, a thread each"
	wait_until 10 "three loop threads" tasks_named_loop 3
	run -0 timeout 10 "$NETLAB" watch --port "$PORT" --once --json
	python3 -c '
import json, sys
w = json.loads(sys.argv[1])
assert w["listen"]["listeners"] == 3, w["listen"]
loops = [t for t in w["threads"] if t["name"].startswith("loop ")]
assert len(loops) == 3 and all(t["doing"] == "epoll_wait" for t in loops), w["threads"]
' "$output"
	run -0 timeout 10 "$NETLAB" watch --port "$PORT" --once
	assert_contains "$output" "Listening sockets: 3 on this port (SO_REUSEPORT)"
	stop_server
}

@test "reuseport: watch names, for each client, the loop that serves it" {
	start_server reuseport 3
	wait_until 10 "three loop threads" tasks_named_loop 3
	local conns=() conn i
	for i in 1 2 3 4 5 6 7 8 9; do
		open_client conn
		conns+=("$conn")
	done
	wait_for_count "Received new connection from" 9
	# Wait until every loop is back in epoll_wait(): its set holds its clients.
	wait_until 10 "the loops in epoll_wait()" loops_waiting 3
	run -0 timeout 10 env COLUMNS=200 "$NETLAB" watch --port "$PORT" --once
	# The log says which loop accepted each client; watch must say the same.
	python3 -c '
import re, sys
log, picture = open(sys.argv[1]).read(), sys.argv[2]
accepted = {peer: loop for loop, peer in re.findall(
    r"\[(loop \d+)\] Received new connection from +(\(.*?\))", log)}
assert len(set(accepted.values())) > 1, "the kernel put every client on one loop"
held = {m.group(1): m.group(2) for m in re.finditer(
    r"^  (\(.*?\)) +ESTABLISHED .*  (loop \d+)\x27s epoll_wait\(\)$", picture, re.M)}
assert held == accepted, (held, accepted)
' "$LOG" "$output"
	for conn in "${conns[@]}"; do
		exec {conn}>&-
	done
	stop_server
}

loops_waiting() {
	run timeout 10 "$NETLAB" watch --port "$PORT" --once --json
	python3 -c '
import json, sys
w = json.loads(sys.argv[1])
assert sum(t["name"].startswith("loop ") and t["doing"] == "epoll_wait"
           for t in w["threads"]) >= int(sys.argv[2])' "$output" "$1"
}

tasks_named_loop() {
	(($(grep -c '^loop [0-9]*$' /proc/"$SERVER_PID"/task/*/comm | awk -F: '{ s += $2 } END { print s }') >= $1))
}

@test "reuseport: N is 1..64, its default the number of cores" {
	run -2 --separate-stderr timeout 10 "$NETLAB" reuseport 0
	run -2 --separate-stderr timeout 10 "$NETLAB" reuseport 65
	assert_contains "$stderr" "reuseport"
	start_server reuseport
	assert_log "$(nproc) epoll loops, a thread each"
	stop_server
}
