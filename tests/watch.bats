#!/usr/bin/env bats
# netlab watch: the kernel's view of a server, checked against real servers
# (netlab's designs and small Python servers written like the tutorials'),
# real clients, --once --json read with Python's json module, the plain
# text, and the live picture in a real terminal (tmux).

bats_require_minimum_version 1.5.0
load test_helper
load tmux

setup() {
	_netlab_setup
}

# watch_holds EXPR: a --once --json snapshot of PORT's server, for which
# EXPR holds (tests/json_holds.py: 'w' is the object).
watch_holds() {
	"$NETLAB" watch --port "$PORT" --once --json >"$BATS_TEST_TMPDIR/watch.json" 2>&1 &&
	    python3 "$TESTS/json_holds.py" "$1" <"$BATS_TEST_TMPDIR/watch.json"
}

# wait_for_watch EXPR: until a snapshot shows it (10 s), or say what it showed.
wait_for_watch() {
	wait_until 10 "watch to show: $1" watch_holds "$1" ||
		fail "the last snapshot:" "$(cat "$BATS_TEST_TMPDIR/watch.json")"
}

# log_peer N: the Nth client the server's log shows accepted, as it wrote it.
log_peer() {
	sed -n "s/.*Received new connection from *\(('[^']*', [0-9]*[^)]*)\).*/\1/p" "$LOG" |
		sed -n "${1}p"
}

# start_python SCRIPT [ARGS]: a Python server on a free port; PORT from its first line.
start_python() {
	fresh_log
	python3 "$TESTS/$1" 0 "${@:2}" >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "listening on" || return 1
	PORT=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$LOG")
}

@test "watch: sequential, one client talking and a second connected: the second waits in the accept queue with its unread bytes, the only thread is in recv() on the first" {
	start_server sequential
	nc_start one
	nc_type one hi
	wait_for_screen one hi
	first=$(log_peer 1)
	nc_start two
	nc_type two Hello
	wait_for_watch "len(w['listen']['queued']) == 1 and w['listen']['queued'][0]['unread'] == 6
	    and [c['peer'] for c in w['connections']] == [\"$first\"]
	    and [(t['tid'], t['doing'], t['peer']) for t in w['threads']] == [(w['pid'], 'recv', \"$first\")]"
	# The plain text says the same in words.
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"Accept queue: 1 of "*": connected, but nobody has accept()ed them yet"* ]]
	[[ $output == *"6 bytes unread"* ]]
	[[ $output == *"recv() waiting for $first to speak"* ]]
	nc_quit one
	nc_quit two
	stop_server
}

@test "watch: threaded with two idle clients: two threads in recv(), one per client, main in accept()" {
	start_server threaded
	open_client c1
	open_client c2
	wait_for_count "Received new connection from" 2
	wait_for_watch "len(w['connections']) == 2 and w['listen']['queued'] == []
	    and peers('recv') == sorted([\"$(log_peer 1)\", \"$(log_peer 2)\"])
	    and [t['tid'] for t in doing('accept')] == [w['pid']]"
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"accept() waiting for a client"* ]]
	[[ $output == *"thread 1"*"recv() waiting for $(log_peer 1) to speak"* ]]
	exec {c1}>&- {c2}>&-
	stop_server
}

@test "watch: pool 2 with three idle clients: two workers in recv(), the third accepted but held by no thread" {
	start_server pool 2
	open_client c1
	open_client c2
	open_client c3
	wait_for_count "Received new connection from" 3
	wait_for_watch "len(w['connections']) == 3 and w['listen']['queued'] == []
	    and len(peers('recv')) == 2 and all(t['name'].startswith('worker') for t in doing('recv'))
	    and len([c for c in w['connections'] if c['peer'] not in peers('recv')
	             and c['owner'] == w['pid']]) == 1"
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"no thread: waits in the server"* ]]
	exec {c1}>&- {c2}>&- {c3}>&-
	stop_server
}

@test "watch: epoll with 100 clients: one thread in epoll_wait(), 100 connections" {
	start_server epoll
	hold_clients flood 100
	wait_for_watch "len(w['connections']) == 100 and len(w['threads']) == 1
	    and w['threads'][0]['doing'] == 'epoll_wait' and w['threads'][0]['watched'] >= 100"
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"epoll_wait() watching 101 sockets"* ]]
	release clients
	stop_server
}

@test "watch: uring with 100 clients: one thread in io_uring, waiting for completions, not in epoll_wait()" {
	start_server uring
	hold_clients flood 100
	wait_for_watch "len(w['connections']) == 100 and len(w['threads']) == 1
	    and w['threads'][0]['doing'] == 'io_uring'"
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"io_uring_enter() waiting for completions"* ]] || fail "$output"
	[[ $output == *"$(basename "$NETLAB")'s io_uring_enter()"* ]] || fail "$output"
	release clients
	stop_server
}

@test "watch: fork: the children each hold one client, in recv() on it" {
	start_server fork
	open_client c1
	open_client c2
	wait_for_count "Received new connection from" 2
	wait_for_watch "len(w['connections']) == 2
	    and len(set(c['owner'] for c in w['connections'])) == 2
	    and all(c['owner'] != w['pid'] for c in w['connections'])
	    and sorted((t['pid'], t['peer']) for t in doing('recv'))
	        == sorted((c['owner'], c['peer']) for c in w['connections'])"
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"Threads: 3, in 3 processes"* ]]
	exec {c1}>&- {c2}>&-
	stop_server
}

@test "watch: limited 1 after its one client: nobody listens any more, and the client is still served" {
	start_server limited 1
	open_client c1
	wait_for_count "Received new connection from" 1
	wait_until 10 "the listener to close" listener_closed
	run -0 "$NETLAB" watch --pid "$SERVER_PID" --port "$PORT" --once --json
	python3 "$TESTS/json_holds.py" "not w['listen']['listening']
	    and [c['peer'] for c in w['connections']] == [\"$(log_peer 1)\"]" <<<"$output"
	run -0 "$NETLAB" watch --pid "$SERVER_PID" --port "$PORT" --once
	[[ $output == *"Nobody listens on port $PORT any more: a new client is refused"* ]]
	exec {c1}>&-
	local pid=$SERVER_PID
	SERVER_PID=	# it ends by itself now: waits must not take that for a crash
	wait_for_exit "$pid"
	assert_equal "$status" 0
}

# listener_closed: nobody listens on PORT (ss, not netlab, says so).
listener_closed() {
	[[ -z $(ss -Hltn "sport = :$PORT") ]]
}

@test "watch: a slow reader shows unsent bytes and a thread blocked in send() on it" {
	start_server threaded -q
	hold reader python3 "$TESTS/never_reads.py" "$PORT"
	wait_for_file "$BATS_TEST_TMPDIR/reader.out" "stalled after"
	wait_for_watch "len(w['connections']) == 1 and w['connections'][0]['unsent'] > 0
	    and peers('send') == [w['connections'][0]['peer']]"
	run -0 "$NETLAB" watch --port "$PORT" --once
	[[ $output == *"send() blocked: ('127.0.0.1', "*") does not read"* ]]
	release reader
	stop_server
}

@test "watch: a Python sequential server: the second client in the accept queue, python3 in recv() on the first" {
	start_python py_sequential_server.py
	open_client c1
	printf 'hi\n' >&"$c1"
	read_line "$c1"
	open_client c2
	printf 'Hello\n' >&"$c2"
	wait_for_watch "w['listen']['queued'][0]['unread'] == 6
	    and [(t['name'], t['doing'], t['peer']) for t in w['threads']]
	        == [('python3', 'recv', \"$(log_peer 1)\")]"
	exec {c1}>&- {c2}>&-
}

@test "watch: a Python threaded server: one python3 thread in recv() per client, main in accept()" {
	start_python py_threaded_server.py
	open_client c1
	open_client c2
	wait_for_count "Received new connection from" 2
	wait_for_watch "peers('recv') == sorted([\"$(log_peer 1)\", \"$(log_peer 2)\"])
	    and [t['tid'] for t in doing('accept')] == [w['pid']]
	    and all(t['name'] == 'python3' for t in w['threads'])"
	exec {c1}>&- {c2}>&-
}

@test "watch: a Python forked server: each child holds its client" {
	start_python py_fork_server.py
	open_client c1
	open_client c2
	wait_for_count "Received new connection from" 2
	wait_for_watch "len(w['connections']) == 2 and all(c['owner'] != w['pid'] for c in w['connections'])
	    and peers('recv') == sorted(c['peer'] for c in w['connections'])"
	exec {c1}>&- {c2}>&-
}

@test "watch: a Python server on IPv6: peers written as Python writes them" {
	start_python py_sequential_server.py --ipv6
	exec {c1}<>"/dev/tcp/::1/$PORT"
	printf 'hi\n' >&"$c1"
	read_line "$c1"
	exec {c2}<>"/dev/tcp/::1/$PORT"
	printf 'Hello\n' >&"$c2"
	wait_for_watch "w['listen']['queued'][0]['unread'] == 6
	    and w['listen']['queued'][0]['peer'].startswith(\"('::1', \")
	    and w['listen']['queued'][0]['peer'].endswith(', 0, 0)')
	    and peers('recv') == [\"$(log_peer 1)\"]"
	exec {c1}>&- {c2}>&-
}

@test "watch -- python3 server: started as a child, a snapshot per change, Ctrl-C ends both: exit 130" {
	"$NETLAB" watch -- python3 "$TESTS/py_sequential_server.py" 0 \
	    >"$BATS_TEST_TMPDIR/watch.out" 2>"$BATS_TEST_TMPDIR/watch.err" 3>&- &
	watch=$!
	track "$watch"
	wait_for_file "$BATS_TEST_TMPDIR/watch.out" "accept() waiting for a client"
	PORT=$(sed -n 's/.*netlab watch: port \([0-9]*\), pid.*/\1/p' "$BATS_TEST_TMPDIR/watch.out" | head -1)
	server=$(sed -n 's/.*netlab watch: port [0-9]*, pid \([0-9]*\):.*/\1/p' "$BATS_TEST_TMPDIR/watch.out" | head -1)
	# Each line of a snapshot starts with the time.
	head -1 "$BATS_TEST_TMPDIR/watch.out" | grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} netlab watch: port'
	open_client c1
	printf 'hi\n' >&"$c1"
	read_line "$c1"
	wait_for_file "$BATS_TEST_TMPDIR/watch.out" "python3         recv() waiting for ('127.0.0.1', "
	# The server's own output goes to watch's stderr, not into the picture.
	wait_for_file "$BATS_TEST_TMPDIR/watch.err" "Received new connection from"
	kill -INT "$watch"
	wait_for_exit "$watch"
	assert_equal "$status" 130
	! kill -0 "$server" 2>/dev/null
	exec {c1}>&-
}

@test "watch --once --json -- python3 server: one snapshot once it listens, and the server is gone after" {
	run -0 --separate-stderr "$NETLAB" watch --once --json -- python3 "$TESTS/py_threaded_server.py" 0
	python3 "$TESTS/json_holds.py" "[(t['name'], t['doing']) for t in w['threads']] == [('python3', 'accept')]
	    and w['listen']['queued'] == [] and w['connections'] == []" <<<"$output"
	server=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <<<"$output")
	! kill -0 "$server" 2>/dev/null
}

@test "watch --json: a thread's UTF-8 name comes out as UTF-8; bytes that are not UTF-8, or a C1 control, as the log writes them" {
	run -0 --separate-stderr "$NETLAB" watch --once --json -- python3 "$TESTS/py_named_server.py" 0
	python3 "$TESTS/json_holds.py" "sorted(t['name'] for t in w['threads'])
	    == ['aaaaaaaaaaaaaa\\\\xc3', 'città', 'csi\\\\xc2\\\\x9b[2J']" <<<"$output"
	# On the screen (not only through a parser) the name is the word, not \u escapes.
	assert_contains "$output" '"name": "città"'
}

@test "watch --once -- sh -c 'server & wait': the shell's child is watched, and ends with it" {
	local pidfile=$BATS_TEST_TMPDIR/server.pid
	run -0 --separate-stderr timeout 30 "$NETLAB" watch --once --json -- \
	    sh -c 'python3 "$0" 0 & echo $! >"$1"; wait' "$TESTS/py_threaded_server.py" "$pidfile"
	# The server is sh's child, not watch's: its thread is in the picture.
	python3 "$TESTS/json_holds.py" \
	    "[(t['name'], t['doing']) for t in w['threads']][-1:] == [('python3', 'accept')]" \
	    <<<"$output"
	[[ -s $pidfile ]] || fail "sh did not start the server"
	wait_until 5 "the COMMAND's child to end" ended "$(cat "$pidfile")"
	! kill -0 "$(cat "$pidfile")" 2>/dev/null || fail "the COMMAND's child is still running"
}

@test "watch --pid: the same picture, found by process id" {
	start_server threaded
	run -0 "$NETLAB" watch --pid "$SERVER_PID" --once --json
	python3 "$TESTS/json_holds.py" "w['pid'] == $SERVER_PID and w['port'] == $PORT
	    and doing('accept')[0]['tid'] == $SERVER_PID" <<<"$output"
	stop_server
}

@test "watch: no server on the port: exit 1 with one line" {
	refusing_port
	run -1 --separate-stderr "$NETLAB" watch --port "$PORT" --once
	assert_equal "$output" ""
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ $stderr == "netlab: nothing listens on port $PORT"* ]]
	run -1 --separate-stderr "$NETLAB" watch -- sh -c 'exit 3'
	assert_equal "$stderr" "netlab: 'sh' exited (status 3) before it listened"
	run -1 --separate-stderr "$NETLAB" watch -- "$BATS_TEST_TMPDIR/no-such-server"
	assert_equal "$stderr" \
	    "netlab: cannot run '$BATS_TEST_TMPDIR/no-such-server': No such file or directory"
	run -1 --separate-stderr "$NETLAB" watch --pid $$ --once
	[[ $stderr == "netlab: process $$ does not listen on any TCP port"* ]]
	assert_equal "$(wc -l <<<"$stderr")" 1
}

@test "watch: bad usage: exit 2 with one line" {
	run -2 --separate-stderr "$NETLAB" watch something
	[[ $stderr == "netlab: watch takes no argument; to start a server under it: netlab watch -- COMMAND"* ]]
	run -2 --separate-stderr "$NETLAB" sequential --once
	[[ $stderr == "netlab: --once is for watch, not sequential"* ]]
	run -2 --separate-stderr "$NETLAB" sequential -- ./server
	[[ $stderr == "netlab: '-- COMMAND' is for watch, show and check"* ]]
	run -2 --separate-stderr "$NETLAB" watch --pid abc
	[[ $stderr == "netlab: --pid must be a number, not 'abc'"* ]]
}

@test "watch: another user's server: what cannot be read is named, with the fix, and the rest is shown" {
	((EUID == 0)) || fail "this test needs root: it watches as another user (nobody)"
	start_server sequential
	open_client c1
	printf 'hi\n' >&"$c1"
	read_line "$c1"
	# A copy of netlab that 'nobody' may run, watching root's server.
	install -m 755 "$NETLAB" "$BATS_TEST_TMPDIR/netlab"
	chmod 755 "$BATS_TEST_TMPDIR"
	run -0 setpriv --reuid nobody --regid nogroup --clear-groups \
	    "$BATS_TEST_TMPDIR/netlab" watch --port "$PORT" --once
	[[ $output == *"Cannot see which process listens on port $PORT: it is user 0's."* ]]
	[[ $output == *"Fix: start it as 'netlab watch -- COMMAND', or watch as the same user."* ]]
	[[ $output == *"Connections accepted: 1"* ]]
	exec {c1}>&-
	stop_server
}

# ---- the live picture, in a real terminal

@test "watch on 80 x 24: a list cut to fit says how many it hides; no row falls off the screen unsaid" {
	# reuseport's listeners line is one more row than the other designs have.
	start_server reuseport 3
	local conns=() conn i
	for i in 1 2 3 4 5 6; do
		open_client conn
		conns+=("$conn")
	done
	wait_for_count "Received new connection from" 6
	tmux_start w 80 24 "'$NETLAB' watch --port $PORT"
	tmux_wait w:0 "Threads: 4"
	tmux_wait w:0 "q or Ctrl-C: quit"
	# Every connection and every thread is either drawn or counted.
	local screen_now shown hidden
	screen_now=$(tmux_screen w:0)
	shown=$(grep -c "^ *('127.0.0.1', [0-9]*) " <<<"$screen_now") || true
	hidden=$(sed -n '/Connections accepted/,/Threads:/s/^ *\.\.\. and \([0-9]*\) more$/\1/p' \
	    <<<"$screen_now")
	(( shown + ${hidden:-0} == 6 )) || fail "connections: $shown shown, ${hidden:-0} said hidden" "$screen_now"
	shown=$(sed -n '/Threads:/,$p' <<<"$screen_now" | grep -cE "^ *[0-9]+ +(netlab|loop [0-9])") || true
	hidden=$(sed -n '/Threads:/,$s/^ *\.\.\. and \([0-9]*\) more$/\1/p' <<<"$screen_now")
	(( shown + ${hidden:-0} == 4 )) || fail "threads: $shown shown, ${hidden:-0} said hidden" "$screen_now"
	tmux_keys w:0 q
	for conn in "${conns[@]}"; do
		exec {conn}>&-
	done
	stop_server
}

@test "watch on a terminal: the picture changes when a client connects and when it leaves, fits the width, and q gives the screen back" {
	start_server threaded
	tmux_start w 80 40 "bash --norc --noprofile"
	tmux_keys w:0 "PS1='student$ '; echo before watch" Enter
	tmux_wait w:0 "before watch"
	tmux_keys w:0 "'$NETLAB' watch --port $PORT" Enter
	tmux_wait w:0 "Connections accepted: 0"
	nc_start one
	wait_for_count "Received new connection from" 1
	tmux_wait w:0 "Connections accepted: 1"
	tmux_wait w:0 "+ ('127.0.0.1', "
	tmux_wait w:0 "recv() waiting for $(log_peer 1) to speak"
	screen_has w:0 "*  ('127.0.0.1', "	# the new row is marked
	nc_quit one
	tmux_wait w:0 "Connections accepted: 0"
	tmux_wait w:0 "- ('127.0.0.1', "
	# Narrower: the picture is drawn again, cut to the new width.
	tmx resize-window -t w -x 60 -y 30
	wait_until 10 "a picture 60 columns wide" narrower_than 61
	[[ $(tmux_screen w:0 | head -1) == " netlab watch: port $PORT, pid"* ]] || fail "the screen:" "$(tmux_screen w:0)"
	tmux_keys w:0 q
	tmux_wait w:0 "before watch"
	! screen_has w:0 "Accept queue"
	assert_equal "$(tmx display -p -t w:0 '#{cursor_flag}')" 1
	# Ctrl-C ends it too, with the status of an interrupted command.
	tmux_keys w:0 "'$NETLAB' watch --port $PORT" Enter
	tmux_wait w:0 "Connections accepted: 0"
	tmux_keys w:0 C-c
	tmux_wait w:0 "before watch"
	tmux_keys w:0 'echo "watch ended: $?"' Enter
	tmux_wait w:0 "watch ended: 130"
	! screen_has w:0 "Accept queue"
	stop_server
}

# narrower_than N: every line on the screen is shorter than N, and it shows the footer.
narrower_than() {
	screen_has w:0 "q or Ctrl-C: quit" &&
	    (($(tmx capture-pane -p -t w:0 | awk '{ if (length > n) n = length } END { print n + 0 }') < $1))
}

# ---- when the server ends: the last picture stays, one line says so, exit 0

@test "watch on a 120x40 terminal -- a Python server that dies of a reset: its last picture, its traceback and one line stay; exit 0; the title keeps the script's name" {
	local script=$TESTS/student/fragile.py
	tmux_start w 120 40 "bash --norc --noprofile"
	tmux_keys w:0 "PS1='student$ '; echo before watch" Enter
	tmux_wait w:0 "before watch"
	tmux_keys w:0 "'$NETLAB' watch -- python3 '$script' 0; echo \"watch ended: \$?\"" Enter
	tmux_wait w:0 "accept() waiting for a client"
	PORT=$(tmux_screen w:0 | sed -n 's/.*netlab watch: port \([0-9]*\), pid.*/\1/p' | head -1)
	# The title is longer than 80 columns and ends with the script's name.
	tmux_screen w:0 | grep -qE "netlab watch: port $PORT, pid [0-9]+: python3 $script 0\$" ||
		fail "the title lost the script's name:" "$(tmux_screen w:0)"
	# A client that resets mid-answer: the tutorial's server dies of it.
	run -0 timeout 30 python3 "$TESTS/netclients.py" reset "$PORT"
	tmux_wait w:0 "watch ended: 0"
	local shown
	shown=$(tmux_screen w:0)
	assert_contains "$shown" "netlab watch: port $PORT, pid "
	assert_contains "$shown" "Connections accepted: "
	assert_contains "$shown" "The server's last lines:"
	assert_contains "$shown" "Traceback (most recent call last):"
	assert_contains "$shown" "ConnectionResetError"
	assert_contains "$shown" "netlab watch: 'python3 $script 0' ended (status 1)
watch ended: 0"
	assert_equal "$(grep -c "ended (status" <<<"$shown")" 1
	assert_equal "$(tmx display -p -t w:0 '#{cursor_flag}')" 1
}

@test "watch -- a Python server that dies, not on a terminal: its snapshots, its traceback on stderr, one line, exit 0" {
	"$NETLAB" watch -- python3 "$TESTS/student/fragile.py" 0 \
	    >"$BATS_TEST_TMPDIR/watch.out" 2>"$BATS_TEST_TMPDIR/watch.err" 3>&- &
	local watch=$!
	track "$watch"
	wait_for_file "$BATS_TEST_TMPDIR/watch.out" "accept() waiting for a client"
	PORT=$(sed -n 's/.*netlab watch: port \([0-9]*\), pid.*/\1/p' "$BATS_TEST_TMPDIR/watch.out" | head -1)
	run -0 timeout 30 python3 "$TESTS/netclients.py" reset "$PORT"
	wait_for_exit "$watch"
	assert_equal "$status" 0
	assert_contains "$(cat "$BATS_TEST_TMPDIR/watch.err")" "ConnectionResetError"
	assert_equal "$(tail -1 "$BATS_TEST_TMPDIR/watch.out")" \
	    "netlab watch: 'python3 $TESTS/student/fragile.py 0' ended (status 1)"
}

@test "watch --port on a terminal: when the server exits, its last picture stays and one line says it ended; exit 0" {
	start_server threaded
	tmux_start w 100 40 "bash --norc --noprofile"
	tmux_keys w:0 "PS1='student$ '; echo before watch" Enter
	tmux_wait w:0 "before watch"
	tmux_keys w:0 "'$NETLAB' watch --port $PORT; echo \"watch ended: \$?\"" Enter
	tmux_wait w:0 "accept() waiting for a client"
	local pid=$SERVER_PID
	stop_server
	tmux_wait w:0 "watch ended: 0"
	local shown
	shown=$(tmux_screen w:0)
	assert_contains "$shown" "netlab watch: port $PORT, pid $pid: $(basename "$NETLAB") threaded"
	assert_contains "$shown" "accept() waiting for a client"
	assert_contains "$shown" "netlab watch: the server (pid $pid) has ended
watch ended: 0"
}

@test "watch --pid, not on a terminal: when the server exits, one line says so, exit 0" {
	start_server threaded
	"$NETLAB" watch --pid "$SERVER_PID" >"$BATS_TEST_TMPDIR/watch.out" 2>&1 3>&- &
	local watch=$! pid=$SERVER_PID
	track "$watch"
	wait_for_file "$BATS_TEST_TMPDIR/watch.out" "accept() waiting for a client"
	stop_server
	wait_for_exit "$watch"
	assert_equal "$status" 0
	assert_equal "$(tail -1 "$BATS_TEST_TMPDIR/watch.out")" "netlab watch: the server (pid $pid) has ended"
}

@test "watch --once: the title is never cut, however long the command line" {
	local arg=an-argument-long-enough-to-take-the-title-well-past-eighty-columns
	run -0 --separate-stderr timeout 30 "$NETLAB" watch --once -- python3 "$TESTS/student/fragile.py" 0 "$arg"
	[[ ${output%%$'\n'*} =~ ^netlab\ watch:\ port\ [0-9]+,\ pid\ [0-9]+:\ python3\ .*fragile\.py\ 0\ $arg$ ]] ||
		fail "the title: ${output%%$'\n'*}"
}
