#!/usr/bin/env bats
# netlab client (seed 004's ClientPython.py) and client -i, the line client
# of seed 001's chat: driven through a pipe, and in tmux as a person would.

bats_require_minimum_version 1.5.0
load test_helper
load tmux

setup() {
	_netlab_setup
}

# pane_client NAME: a window NAME of session 'lab' running 'netlab client -i'
# against $PORT; when the client ends, the pane shows its exit status.
pane_client() {
	local cmd="'$NETLAB' client -i --port $PORT; echo \"exit status \$?\""
	if [[ -z ${TMUX_STARTED-} ]]; then
		tmux_start lab 120 24 "$cmd" "$1"
	else
		tmux_window lab: "$cmd" "$1"
	fi
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
	tmux_wait lab:alice "Connected to localhost port $PORT"
	pane_client bob
	wait_for_count "Received new connection from" 2
	tmux_wait lab:alice ") joined"
	tmux_keys lab:alice "Hello from alice" Enter
	tmux_wait lab:bob "('127.0.0.1', "
	tmux_wait lab:bob "): Hello from alice"
	wait_for_log "Received: b'Hello from alice\n'"
	# bob answers while alice is halfway through a line: her line survives.
	tmux_keys lab:alice "half a li"
	tmux_wait lab:alice "> half a li"
	tmux_keys lab:bob "Hi alice" Enter
	tmux_wait lab:alice "): Hi alice"
	assert_equal "$(screen alice | grep -v '^$' | tail -1)" "> half a li"
	assert_equal "$(screen alice | grep -c 'half a li')" 1
	tmux_keys lab:alice "ne" Enter
	tmux_wait lab:bob "): half a line"
	stop_server
}

@test "client -i: Ctrl-D half-closes, and it exits once the server closes" {
	start_server threaded --handler chat
	pane_client alice
	tmux_wait lab:alice "Connected to localhost port $PORT"
	pane_client bob
	wait_for_count "Received new connection from" 2
	tmux_keys lab:alice C-d
	tmux_wait lab:alice "half-closed (shutdown SHUT_WR)"
	tmux_wait lab:alice "(the server closed the connection)"
	tmux_wait lab:alice "exit status 0"
	wait_for_count "Connection with ('127.0.0.1', " 1
	tmux_wait lab:bob ") left"
	# bob is still connected and still typing.
	assert_equal "$(screen bob | grep -v '^$' | tail -1)" ">"
	stop_server
	tmux_wait lab:bob "(the server closed the connection)"
	tmux_wait lab:bob "exit status 0"
}
