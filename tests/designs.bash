# tests/designs.bash - run one test body across several server designs.
#
# A test file names the designs a test covers in one variable near its top,
#     CONCURRENT_DESIGNS="threaded limited"
# and the test loops over them:
#     select_designs $CONCURRENT_DESIGNS
#     for design in "${SELECTED[@]}"; do begin_design "$design" --handler chat; ...
# NETLAB_DESIGNS narrows every list to the designs it names, to rerun one
# design by hand (NETLAB_DESIGNS=poll bats tests/safety.bats); a test left
# with none fails rather than passing on nothing.

select_designs() {
	local d
	SELECTED=()
	for d in "$@"; do
		if [[ -z ${NETLAB_DESIGNS-} || " $NETLAB_DESIGNS " == *" $d "* ]]; then
			SELECTED+=("$d")
		fi
	done
	((${#SELECTED[@]} > 0)) || fail "none of '$*' is in NETLAB_DESIGNS='$NETLAB_DESIGNS'"
}

# begin_design DESIGN [OPTIONS...]: start_server, with room for many clients
# in 'limited' (its default of 5 would end the server in mid-test). The
# design's name goes to the test's output, so a failure says which one.
begin_design() {
	local design=$1
	shift
	echo "--- $design $*"
	# Empty the last server's log first: start_server's wait could
	# otherwise find the old start line before the new server truncates it.
	: >"$LOG"
	if [[ $design == limited ]]; then
		start_server limited 1000 "$@"
	else
		start_server "$design" "$@"
	fi
	baseline_resources "$design"
}

# baseline_resources DESIGN: count the server's descriptors and threads
# now (a pool's 10 workers once they are up), for assert_no_leaks.
baseline_resources() {
	local deadline=$((SECONDS + 10))
	if [[ $1 == pool ]]; then
		until (($(tasks_of "$SERVER_PID") >= 10)); do
			((SECONDS < deadline)) || fail "pool: its 10 workers never started"
			sleep 0.05
		done
	fi
	BASE_FDS=$(fds_of "$SERVER_PID")
	BASE_TASKS=$(tasks_of "$SERVER_PID")
}

fds_of() { ls "/proc/$1/fd" | wc -l; }
# netlab's own threads, named as in the log ('thread 3', 'worker 2'): a
# sanitizer's helper threads are not counted.
tasks_of() { cat "/proc/$1/task/"*/comm 2>/dev/null | grep -cE '^(thread|worker) [0-9]+$' || true; }

# assert_no_leaks: once every client has left, the server holds no more
# descriptors and threads than at the start (a thread may take a moment
# to end after its client's last line).
assert_no_leaks() {
	local deadline=$((SECONDS + 10)) fds tasks
	wait_for_all_closed
	while :; do
		fds=$(fds_of "$SERVER_PID")
		tasks=$(tasks_of "$SERVER_PID")
		((fds <= BASE_FDS && tasks <= BASE_TASKS)) && return 0
		((SECONDS < deadline)) ||
			fail "leaked: descriptors $BASE_FDS -> $fds, threads $BASE_TASKS -> $tasks"
		sleep 0.05
	done
}

# peer N: the address of the Nth client accepted, as the log shows it.
peer() {
	sed -n "s/.*Received new connection from  \(('[^']*', [0-9]*)\).*/\1/p" "$LOG" |
		sed -n "${1}p"
}

# A few clients per test: netclients.py does what nc cannot.
netclient() {
	timeout 60 python3 "$TESTS/netclients.py" "$1" "$PORT" "${@:2}"
}

# now_ms: wall clock in milliseconds, from bash's own $EPOCHREALTIME.
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}
