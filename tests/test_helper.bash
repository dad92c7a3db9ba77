# tests/test_helper.bash - start a netlab server, wait for its log, stop it.
#
# Every test: a server on --port 0, the port read from its start line,
# readiness taken from the log (never a sleep), and only processes the test
# started are stopped, by PID.

NETLAB=${NETLAB:-$BATS_TEST_DIRNAME/../netlab}
TESTS=$BATS_TEST_DIRNAME
# Negative checks ("no answer yet") are the one place a fixed wait is honest:
# this is how long we watch for something that must not happen.
QUIET_PERIOD=${QUIET_PERIOD:-0.5}

_netlab_setup() {
	LOG=$BATS_TEST_TMPDIR/server.log
	ERR=$BATS_TEST_TMPDIR/server.err
	SERVER_PID=
	PIDS=()
}

# fresh_log: empty the log before a server starts. The shell truncates it
# only in the child, just before exec: until then a log left by an earlier
# server in the same test would show its start line, and the new server
# would be stopped before it ran (exit 143).
fresh_log() {
	: >"$LOG"
	: >"$ERR"
}

# start_server DESIGN [ARGS...]: run it in the background, wait for its start line.
start_server() {
	fresh_log
	"$NETLAB" "$@" --port 0 --no-color >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	server_listening
}

# start_server_piped DESIGN [ARGS...]: the same, but its stdout is a pipe
# (cat copies it into the log), as when a student pipes the log into grep.
start_server_piped() {
	local pipe=$BATS_TEST_TMPDIR/stdout.pipe
	rm -f "$pipe"
	mkfifo "$pipe"
	fresh_log
	"$NETLAB" "$@" --port 0 --no-color >"$pipe" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	cat <"$pipe" >"$LOG" 3>&- &
	track $!
	server_listening
}

# server_listening: until the start line is in the log; PORT from it.
server_listening() {
	wait_for_log "Starting server on" || return 1
	PORT=$(sed -n "s/.*Starting server on '[^']*' port \([0-9]*\).*/\1/p" "$LOG")
	[[ -n $PORT ]]
}

# NETLAB_SLOW: how many times slower than a plain build the binary under
# test runs. make asan, make tsan and make valgrind set it, and every
# deadline below is multiplied by it (the Python clients read it too); a
# plain build leaves it at 1.
export NETLAB_SLOW=${NETLAB_SLOW:-1}

# timeout [OPTIONS] DURATION COMMAND...: coreutils' timeout, with DURATION
# (seconds, whole or not) multiplied by NETLAB_SLOW. Tests bound every
# command they run with 'timeout N'; this is what makes those bounds scale
# with the build, like wait_until's.
timeout() {
	local options=()
	while [[ $1 == -* ]]; do
		options+=("$1")
		[[ $1 == -s || $1 == -k ]] && options+=("$2") && shift	# they take a value
		shift
	done
	command timeout "${options[@]}" "$(awk -v t="$1" -v slow="$NETLAB_SLOW" \
	    'BEGIN { print t * slow }')" "${@:2}"
}

# now_ms: wall clock in milliseconds, from bash's own $EPOCHREALTIME.
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

# server_alive: the server under test still runs (a zombie, dead but not
# yet reaped by this shell, does not count).
server_alive() {
	local stat
	# read, not $(<...): under bats a $(<...) of a file that is gone
	# ends the test at once, even where a failure is expected.
	read -r stat 2>/dev/null <"/proc/$SERVER_PID/stat" || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# wait_until SECONDS WHAT COMMAND [ARGS...]: run COMMAND every 50 ms until
# it succeeds. It fails, saying it waited for WHAT, once SECONDS (times
# NETLAB_SLOW) have passed, or at once if the server under test ($SERVER_PID)
# died meanwhile: a test waiting for the server's next event gives up as
# soon as that event can no longer come. Every wait in the tests is this
# one loop; call it with SERVER_PID= when the server is meant to end.
wait_until() {
	local limit=$1 what=$2 deadline=$(($(now_ms) + $1 * 1000 * NETLAB_SLOW))
	shift 2
	until "$@"; do
		if [[ -n ${SERVER_PID-} ]] && ! server_alive; then
			echo "the server (pid $SERVER_PID) died while waiting for $what; its stderr:"
			cat "$ERR" 2>/dev/null
			return 1
		fi
		if (($(now_ms) >= deadline)); then
			echo "timed out after $limit s (x$NETLAB_SLOW) waiting for $what"
			return 1
		fi
		sleep 0.05
	done
}

# wait_for_log TEXT [SECONDS]: until TEXT is in the server's log.
wait_for_log() {
	wait_for_file "$LOG" "$@"
}

# has_count FILE TEXT N: TEXT is in FILE at least N times.
has_count() {
	local n
	n=$(grep -cF -- "$2" "$1" 2>/dev/null) || true
	((${n:-0} >= $3))
}

# wait_for_count TEXT N [SECONDS]: until TEXT is in the log N times.
wait_for_count() {
	wait_until "${3:-10}" "$2 x '$1' in the log" has_count "$LOG" "$1" "$2" ||
		fail "the log:" "$(cat "$LOG")"
}

# all_closed: every client the log shows accepted has also been logged closed.
all_closed() {
	(($(log_count "Connection with") >= $(log_count "Received new connection from")))
}

# wait_for_all_closed [SECONDS]: the server has caught up with every
# client that left.
wait_for_all_closed() {
	wait_until "${1:-20}" "every accepted client to be logged closed" all_closed ||
		fail "accepted $(log_count "Received new connection from"), closed only $(log_count "Connection with")"
}

# wait_for_file FILE TEXT [SECONDS]
wait_for_file() {
	wait_until "${3:-10}" "'$2' in $1" grep -qF -- "$2" "$1" ||
		fail "$1 holds:" "$(cat "$1" 2>/dev/null)"
}

# ended PID: PID has exited (it may still be a zombie, for wait to reap).
ended() {
	[[ ! -e /proc/$1 || $(ps -o stat= -p "$1") == Z* ]]
}

# wait_for_exit PID [SECONDS]: the process ends by itself; its status in $status.
wait_for_exit() {
	SERVER_PID= wait_until "${2:-10}" "process $1 to exit" ended "$1" ||
		fail "process $1 did not exit"
	status=0
	wait "$1" || status=$?
}

# stop_server: SIGTERM, as Ctrl-C would; it must say goodbye and exit 0.
stop_server() {
	kill -TERM "$SERVER_PID"
	local pid=$SERVER_PID
	SERVER_PID=
	wait_for_exit "$pid" 10 || return 1
	if ((status != 0)); then
		echo "the server exited $status; stderr:"
		cat "$ERR"
		return 1
	fi
	grep -qF "Shutting down server..." "$LOG"
	no_sanitizer_report
}

# Under make asan/tsan/valgrind a report on stderr fails the test.
no_sanitizer_report() {
	if grep -qE "Sanitizer|^==[0-9]+== [A-Z]" "$ERR" 2>/dev/null; then
		cat "$ERR"
		return 1
	fi
}

# Background helpers a test starts (nc, scripts) are stopped by PID too.
track() {
	PIDS+=("$1")
}

teardown() {
	local pid
	if declare -F tmux_end >/dev/null; then
		tmux_end	# tests/tmux.bash: its panes' programs end with it
	fi
	for pid in "${PIDS[@]}" $SERVER_PID; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true	# reap it, or it lingers as a zombie
	done
}

# A client held open from bash itself: open_client NAME; then >&${NAME}.
# Closing: exec {NAME}>&-
open_client() {
	local -n fd=$1
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
}

# read_line FD [SECONDS]: one line from a client descriptor into $REPLY
# (SECONDS times NETLAB_SLOW).
read_line() {
	REPLY=
	read -r -t $((${2:-5} * NETLAB_SLOW)) -u "$1" REPLY
}

# expect_silence FD: nothing arrives on FD for QUIET_PERIOD.
expect_silence() {
	local got
	if read -r -t "$QUIET_PERIOD" -u "$1" got; then
		echo "expected no answer yet, got '$got'"
		return 1
	fi
}

# wait_for_connected N: until N client connections to PORT are established
# in the kernel (accepted by the server or not: the kernel queues them).
wait_for_connected() {
	wait_until "${2:-10}" "$1 connections to port $PORT" connected_at_least "$1"
}

connected_at_least() {
	(($(ss -Htn state established "( dport = :$PORT )" | wc -l) >= $1))
}

# log_count TEXT: how many times TEXT is in the log.
log_count() {
	grep -cF -- "$1" "$LOG" || true
}

# refusing_port: set PORT to a loopback port where connect() is refused,
# held (bound, never listening) by a helper until the test ends.
refusing_port() {
	local out=$BATS_TEST_TMPDIR/refusing.port
	python3 "$TESTS/refusing_port.py" </dev/null >"$out" 3>&- &
	track "$!"
	wait_until 10 "refusing_port.py to print its port" grep -qE '^[0-9]+$' "$out"
	PORT=$(cat "$out")
}

# Small assertions in the spirit of rbenv's test helper.
fail() {
	printf '%s\n' "$@" >&2
	return 1
}

assert_success() {
	((status == 0)) || fail "expected success, got $status" "output: $output"
}

assert_status() {
	((status == $1)) || fail "expected status $1, got $status" "output: $output"
}

assert_contains() {	# assert_contains HAYSTACK NEEDLE
	[[ $1 == *"$2"* ]] || fail "expected to find: $2" "in: $1"
}

assert_not_contains() {
	[[ $1 != *"$2"* ]] || fail "did not expect: $2" "in: $1"
}

assert_equal() {
	[[ $1 == "$2" ]] || fail "expected: $2" "actual:   $1"
}

assert_log() {
	grep -qF -- "$1" "$LOG" || fail "the log lacks: $1" "log:" "$(cat "$LOG")"
}

refute_log() {
	! grep -qF -- "$1" "$LOG" || fail "the log should not have: $1" "log:" "$(cat "$LOG")"
}

# hold NAME COMMAND...: a helper that stays until the test lets it go.
# COMMAND runs in the background, its stdin a pipe that the test keeps open
# (a FIFO, so the helper blocks on it rather than reading end of file), its
# output and errors in $BATS_TEST_TMPDIR/NAME.out, its pid in HELD_PID.
# 'release NAME' closes the pipe: COMMAND reads the end of it and finishes
# (netclients.py flood and deaf, never_reads.py then close their sockets).
hold() {
	local name=$1 pipe=$BATS_TEST_TMPDIR/$1.in fd
	shift
	rm -f "$pipe"
	mkfifo "$pipe"
	"$@" <"$pipe" >"$BATS_TEST_TMPDIR/$name.out" 2>&1 3>&- &
	HELD_PID=$!
	track "$HELD_PID"
	exec {fd}>"$pipe"
	printf -v "HELD_FD_$name" %s "$fd"
}

release() {
	local var=HELD_FD_$1
	local fd=${!var}
	exec {fd}>&-
}

# hold_clients flood N | hold_clients deaf: N idle connections to PORT, or
# one client that never reads, held by netclients.py until 'release
# clients'; returns once they are connected.
hold_clients() {
	hold clients python3 "$TESTS/netclients.py" "$1" "$PORT" ${2:+"$2"}
	wait_for_file "$BATS_TEST_TMPDIR/clients.out" "${2:+open }${2:-deaf}" 30
}

# A student's nc in another terminal: nc_start NAME runs 'nc 127.0.0.1 PORT'
# with its keyboard on a pipe (nc_type NAME TEXT types a line) and its
# screen in $BATS_TEST_TMPDIR/NAME.out. nc_quit NAME ends it, as Ctrl-C would
# (a background job ignores SIGINT, so it gets SIGTERM).
nc_start() {
	hold "$1" nc 127.0.0.1 "$PORT"
	printf -v "NC_PID_$1" %s "$HELD_PID"
}

nc_type() {
	local var=HELD_FD_$1
	printf '%s\n' "$2" >&"${!var}"
}

nc_screen() {
	cat "$BATS_TEST_TMPDIR/$1.out"
}

# wait_for_screen NAME TEXT: until TEXT shows in that nc's output.
wait_for_screen() {
	wait_for_file "$BATS_TEST_TMPDIR/$1.out" "$2" "${3:-5}"
}

nc_quit() {
	local pid=NC_PID_$1
	kill -TERM "${!pid}" 2>/dev/null || true
	wait "${!pid}" 2>/dev/null || true
	release "$1"
}

# json_get FILE EXPR: a Python expression over the JSON value in FILE,
# named j (bench's object, compare's list of rows), printed.
json_get() {
	python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

# line_of TEXT: the first line of $output that holds TEXT; fails, showing
# $output, when none does.
line_of() {
	grep -m1 -F -- "$1" <<<"$output" || fail "no line holds: $1" "output: $output"
}

# line_number TEXT: the number of that line.
line_number() {
	local n
	n=$(grep -m1 -nF -- "$1" <<<"$output" | cut -d: -f1)
	[[ -n $n ]] || fail "no line holds: $1" "output: $output"
	echo "$n"
}
