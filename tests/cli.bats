#!/usr/bin/env bats
# The command line: exit 0 / 1 / 2, one-line errors that point at --help,
# options before or after the command.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

# usage_fails LINE ARGS...: exit 2, nothing on stdout, exactly LINE on stderr.
usage_fails() {
	local want=$1
	shift
	run -2 --separate-stderr timeout 5 "$NETLAB" "$@"
	assert_equal "$output" ""
	assert_equal "$stderr" "$want"
}

@test "cli: --help lists every command and option on stdout, exit 0" {
	run -0 timeout 30 "$NETLAB" --help
	assert_contains "$output" "usage: netlab [OPTIONS] COMMAND"
	for word in sequential threaded limited client --port --host --handler --quiet \
	    --delay --idle-timeout --max-clients --no-color --version; do
		assert_contains "$output" "$word"
	done
	run -0 timeout 30 "$NETLAB" threaded -h
	assert_contains "$output" "usage: netlab"
}

@test "cli: --version prints netlab X.Y" {
	run -0 timeout 30 "$NETLAB" --version
	[[ $output =~ ^netlab\ [0-9]+\.[0-9]+$ ]]
	local long=$output
	run -0 timeout 30 "$NETLAB" -V
	assert_equal "$output" "$long"
}

@test "cli: every usage error exits 2 with one line naming the problem" {
	usage_fails "netlab: unknown command 'sequental' (see netlab --help)" sequental
	usage_fails "netlab: unknown option '--bogus' (see netlab --help)" threaded --bogus
	usage_fails "netlab: unknown option '-z' (see netlab --help)" -z threaded
	usage_fails "netlab: option '--port' needs a value (see netlab --help)" threaded --port
	usage_fails "netlab: option '-p' needs a value (see netlab --help)" threaded -p
	usage_fails "netlab: option '-H' needs a value (see netlab --help)" threaded -H ''
	usage_fails "netlab: option '--host' needs a value (see netlab --help)" --host= threaded
	usage_fails "netlab: option '--svg' needs a value (see netlab --help)" compare --svg ''
	usage_fails "netlab: option '--record' needs a value (see netlab --help)" show --record=
	usage_fails "netlab: --port must be between 0 and 65535, not 70000 (see netlab --help)" \
	    threaded --port 70000
	usage_fails "netlab: --port must be a number, not 'http' (see netlab --help)" threaded -p http
	usage_fails "netlab: --delay must be a number, not 'abc' (see netlab --help)" \
	    threaded --delay abc
	usage_fails "netlab: --max-clients must be between 1 and 100000, not 0 (see netlab --help)" \
	    threaded --max-clients 0
	usage_fails "netlab: unknown handler 'shout' (one of echo, upper, ack, chat, count) (see netlab --help)" \
	    threaded --handler shout
	usage_fails "netlab: limited N must be between 1 and 1024, not 0 (see netlab --help)" limited 0
	usage_fails "netlab: threaded takes no argument, but was given '3' (see netlab --help)" threaded 3
	usage_fails "netlab: no command given (see netlab --help)"
}

@test "cli: options may stand before or after the command" {
	start_server limited 1 --quiet
	stop_server
	run ! grep -F '   # ' "$LOG"

	fresh_log	# the server above left its start line in it
	"$NETLAB" --port 0 --quiet --no-color limited 1 >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "Starting server on"
	PORT=$(sed -n "s/.*port \([0-9]*\).*/\1/p" "$LOG")
	run -0 timeout 30 "$NETLAB" client -p "$PORT"
	wait_for_exit "$SERVER_PID"	# limited 1: done after its one client
	SERVER_PID=
	assert_equal "$status" 0
	run ! grep -F '   # ' "$LOG"
}

@test "cli: a busy port exits 1 with one line that suggests --port 0" {
	start_server threaded
	run -1 --separate-stderr timeout 5 "$NETLAB" threaded --port "$PORT"
	assert_equal "$stderr" \
	    "netlab: cannot listen on localhost port $PORT: Address already in use (try --port 0)"
	stop_server
}

@test "cli: a server binds to localhost unless told otherwise" {
	start_server threaded
	run -0 ss -Hltn "( sport = :$PORT )"
	assert_contains "$output" "127.0.0.1:$PORT"
	assert_not_contains "$output" "0.0.0.0:$PORT"
	assert_not_contains "$output" "*:$PORT"
	stop_server
}

@test "cli: an address that is not this machine's exits 1 with one line" {
	run -1 --separate-stderr timeout 5 "$NETLAB" threaded --port 0 --host 192.0.2.1
	assert_contains "$stderr" "netlab: cannot listen on 192.0.2.1 port 0: "
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
}

@test "cli: an option the command does not take exits 2, naming who takes it" {
	usage_fails "netlab: --handler is for the servers, not client (see netlab --help)" \
	    client --handler upper
	usage_fails "netlab: --auto is for lab, not client (see netlab --help)" client --auto
	usage_fails "netlab: -i is for client, not lab (see netlab --help)" lab 1 -i
	usage_fails "netlab: --json is for watch, bench, compare and check, not threaded (see netlab --help)" \
	    threaded --json
	usage_fails "netlab: --port is for the servers, client, watch, show, bench, check, lab and doctor, not compare (see netlab --help)" \
	    compare --port 5
}

@test "cli: IPv6 works where the machine has ::1, and the peer is shown as Python shows it" {
	[[ -e /proc/net/if_inet6 ]] || fail "this machine has no IPv6"
	"$NETLAB" threaded --host ::1 --port 0 --no-color >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "Starting server on '::1' port"
	PORT=$(sed -n "s/.*port \([0-9]*\).*/\1/p" "$LOG")
	run -0 timeout 30 "$NETLAB" client --host ::1 --port "$PORT" "six"
	assert_contains "$output" "Received: b'six'"
	wait_for_log "Received new connection from  ('::1', "
	assert_log ", 0, 0)"
	stop_server
}

@test "cli: --list-designs (for the tests) names each design and its kind, aliases left out" {
	run -0 timeout 30 "$NETLAB" --list-designs
	assert_equal "$output" "sequential one-thread
threaded threads
limited threads
pool threads
fork processes
select event-loop
poll event-loop
epoll event-loop
uring event-loop
reuseport event-loops"
	run -0 timeout 30 "$NETLAB" --help
	assert_not_contains "$output" "list-designs"
	run -0 timeout 30 "$NETLAB" --complete options
	assert_not_contains "$output" "list-designs"
}

@test "cli: every command in the table has a line in main.c's dispatch" {
	for cmd in $("$NETLAB" --complete commands); do
		run -0 --separate-stderr timeout 10 "$NETLAB" --dry-run "$cmd"
	done
}

@test "cli: show's usage errors exit 2 with one line; nothing to show, or a busy page port, exit 1 with one line" {
	usage_fails "netlab: --listen takes ADDRESS:PORT, such as 127.0.0.1:8080, not '8080' (see netlab --help)" \
	    show --listen 8080
	usage_fails "netlab: --listen's PORT must be between 0 and 65535, not 70000 (see netlab --help)" \
	    show --listen 127.0.0.1:70000
	usage_fails "netlab: --listen is for show, not watch (see netlab --help)" watch --listen 127.0.0.1:0
	usage_fails "netlab: --once is for watch, not show (see netlab --help)" show --once
	usage_fails "netlab: --host is for the servers, client, bench, check, lab and doctor, not show (see netlab --help)" \
	    show --host 0.0.0.0
	usage_fails "netlab: show takes no argument; to start a server under it: netlab show -- COMMAND (see netlab --help)" \
	    show sequential
	usage_fails "netlab: show takes --pid or -- COMMAND, not both (see netlab --help)" \
	    show --pid 1 -- sleep 1
	refusing_port
	run -1 --separate-stderr timeout 10 "$NETLAB" show --port "$PORT" --listen 127.0.0.1:0
	assert_equal "$stderr" \
	    "netlab: nothing listens on port $PORT: start a server there first, or give its --port"
	start_server threaded
	run -1 --separate-stderr timeout 10 "$NETLAB" show --port "$PORT" --listen "127.0.0.1:$PORT"
	assert_equal "$stderr" \
	    "netlab: cannot listen on 127.0.0.1 port $PORT: Address already in use (try --listen 127.0.0.1:0)"
	stop_server
}
