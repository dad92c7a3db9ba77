#!/usr/bin/env bats
# netlab client (seed 004's ClientPython.py) and client -i, the line client
# of seed 001's chat: driven through a pipe, and in tmux as a person would.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

# A private tmux server for this test only, on a socket in the test's own
# directory; its PID is tracked too, so the helper's teardown can end it
# (and the panes with it) and nothing else.
tm() {
	tmux -S "$BATS_TEST_TMPDIR/tmux.sock" -f "$BATS_TEST_TMPDIR/tmux.conf" "$@"
}

# The helper's teardown, after a clean end of this test's tmux server.
eval "helper_$(declare -f teardown)"
teardown() {
	[[ ! -e $BATS_TEST_TMPDIR/tmux.conf ]] || tm kill-server 2>/dev/null || true
	helper_teardown
}

# pane_client NAME: a pane running 'netlab client -i' against $PORT; when
# the client ends, the pane stays and shows its exit status.
pane_client() {
	local cmd="'$NETLAB' client -i --port $PORT; echo \"exit status \$?\""
	if [[ ! -e $BATS_TEST_TMPDIR/tmux.conf ]]; then
		echo "set -g remain-on-exit on" >"$BATS_TEST_TMPDIR/tmux.conf"
		tm new-session -d -s lab -n "$1" -x 120 -y 24 "$cmd"
		track "$(tm display-message -p '#{pid}')"
	else
		tm new-window -d -t lab -n "$1" "$cmd"
	fi
}

screen() {
	tm capture-pane -p -t "lab:$1"
}

# wait_for_pane NAME TEXT: until TEXT is on that pane's screen.
wait_for_pane() {
	local deadline=$((SECONDS + ${3:-5}))
	until screen "$1" | grep -qF -- "$2"; do
		if ((SECONDS >= deadline)); then
			echo "timed out waiting for '$2' in pane $1; it shows:"
			screen "$1"
			return 1
		fi
		sleep 0.05
	done
}

@test "client: prints Starting client... and the echo, exits 0" {
	start_server threaded
	run --separate-stderr timeout 30 "$NETLAB" client --port "$PORT"
	assert_success
	assert_equal "$output" $'Starting client...\nReceived: b\'Hello, world\''
	wait_for_log "Received: b'Hello, world'"
	stop_server
}

@test "client: sends a MESSAGE of its own" {
	start_server threaded
	run timeout 30 "$NETLAB" client --port "$PORT" "Still here!"
	assert_success
	assert_equal "$output" $'Starting client...\nReceived: b\'Still here!\''
	stop_server
}

@test "client: no server is exit 1 with one line" {
	refusing_port			# bound, never listening: connect() is refused
	local dead=$PORT
	run --separate-stderr timeout 30 "$NETLAB" client --port "$dead"
	assert_status 1
	assert_equal "$output" "Starting client..."
	assert_equal "$(wc -l <<<"$stderr")" 1
	assert_contains "$stderr" "netlab: cannot connect to localhost port $dead: Connection refused"
	run --separate-stderr timeout 30 "$NETLAB" client -i --port "$dead"
	assert_status 1
	assert_equal "$(wc -l <<<"$stderr")" 1
}

@test "client -i: takes no MESSAGE (exit 2)" {
	run -2 --separate-stderr timeout 30 "$NETLAB" client -i hello
	assert_equal "$stderr" "netlab: client -i takes no MESSAGE: type the lines instead (see netlab --help)"
}

@test "client -i: with stdin a pipe, sends line by line, half-closes at EOF, exits 0" {
	start_server threaded
	run --separate-stderr timeout 30 "$NETLAB" client -i --port "$PORT" < <(printf 'Hello\nStill here!\n')
	assert_success
	assert_equal "$output" $'Hello\nStill here!'
	assert_equal "$stderr" ""
	# The server saw the end of our input and closed: that is why we exited.
	wait_for_log "Connection with ('127.0.0.1', "
	stop_server
}

@test "client -i: control characters from the server are shown escaped" {
	start_server threaded		# echo: the server sends back what we send
	run timeout 30 "$NETLAB" client -i --port "$PORT" < <(printf '\033[2J\033]0;owned\007red\r\nok\tfine\n\001')
	assert_success
	assert_equal "$output" $'\\x1b[2J\\x1b]0;owned\\x07red\\r\nok\tfine\n\\x01'
	[[ $output != *$'\033'* ]] || fail "a raw ESC reached the terminal"
	stop_server
}

@test "client -i: a line typed in one chat client appears in the other" {
	start_server threaded --handler chat
	pane_client alice
	wait_for_pane alice "Connected to localhost port $PORT"
	pane_client bob
	wait_for_count "Received new connection from" 2
	wait_for_pane alice ") joined"
	tm send-keys -t lab:alice "Hello from alice" Enter
	wait_for_pane bob "('127.0.0.1', "
	wait_for_pane bob "): Hello from alice"
	wait_for_log "Received: b'Hello from alice\n'"
	# bob answers while alice is halfway through a line: her line survives.
	tm send-keys -t lab:alice "half a li"
	wait_for_pane alice "> half a li"
	tm send-keys -t lab:bob "Hi alice" Enter
	wait_for_pane alice "): Hi alice"
	assert_equal "$(screen alice | grep -v '^$' | tail -1)" "> half a li"
	assert_equal "$(screen alice | grep -c 'half a li')" 1
	tm send-keys -t lab:alice "ne" Enter
	wait_for_pane bob "): half a line"
	stop_server
}

@test "client -i: Ctrl-D half-closes, and it exits once the server closes" {
	start_server threaded --handler chat
	pane_client alice
	wait_for_pane alice "Connected to localhost port $PORT"
	pane_client bob
	wait_for_count "Received new connection from" 2
	tm send-keys -t lab:alice C-d
	wait_for_pane alice "half-closed (shutdown SHUT_WR)"
	wait_for_pane alice "(the server closed the connection)"
	wait_for_pane alice "exit status 0"
	wait_for_count "Connection with ('127.0.0.1', " 1
	wait_for_pane bob ") left"
	# bob is still connected and still typing.
	assert_equal "$(screen bob | grep -v '^$' | tail -1)" ">"
	stop_server
	wait_for_pane bob "(the server closed the connection)"
	wait_for_pane bob "exit status 0"
}
