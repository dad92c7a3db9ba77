# tests/designs.bash - run one test body across several server designs.
#
# The lists below say which designs a kind of test covers; a test loops
# over one of them:
#     select_designs $CHAT_DESIGNS
#     for design in "${SELECTED[@]}"; do begin_design "$design" --handler chat; ...
# NETLAB_DESIGNS narrows every list to the designs it names, to rerun one
# design by hand (NETLAB_DESIGNS=poll bats tests/safety.bats); a test left
# with none fails rather than passing on nothing.

# The lists come from the command table (netlab --list-designs: "name kind"
# a line), so a new design joins every test whose reason holds for its kind.
# kinds: one-thread (sequential), threads, processes (fork), event-loop,
# event-loops (reuseport: several loops, a thread each).
designs_of_kind() {
	local name kind names=()
	while read -r name kind; do
		[[ " $* " == *" $kind "* ]] && names+=("$name")
	done < <("$NETLAB" --list-designs)
	echo "${names[*]}"
}
# Every design.
ALL_DESIGNS=$(designs_of_kind one-thread threads processes event-loop event-loops)
[[ -n $ALL_DESIGNS ]] || echo "designs.bash: '$NETLAB --list-designs' named no design" >&2
# chat: one client's lines go to the others. Not sequential (one client at
# a time: nobody to talk to) nor fork (no memory shared between clients).
CHAT_DESIGNS=$(designs_of_kind threads event-loop event-loops)
# count: one total for every client; fork's children share no memory.
COUNT_DESIGNS=$(designs_of_kind one-thread threads event-loop event-loops)
# count --unsafe races: threads share the total without a lock. (Not
# reuseport's loops: the kernel may hash every test client to one loop.)
RACE_DESIGNS=$(designs_of_kind threads)
# one thread serves everyone, so chat and count need no lock.
ONE_THREAD_DESIGNS=$(designs_of_kind one-thread event-loop)
# --max-clients needs clients at the same time: sequential refuses it;
# fork's parent counts the children still serving.
MAX_DESIGNS=$(designs_of_kind threads processes event-loop event-loops)
# Many clients held by one process at once, so it can run out of
# descriptors (EMFILE)...
CONCURRENT_DESIGNS=$(designs_of_kind threads event-loop event-loops)
# ...and the two that never do: sequential holds one client at a time (the
# rest wait in the kernel's queue, not in its table), and fork's parent
# closes its copy of every client.
ONE_AT_A_TIME_DESIGNS=$(designs_of_kind one-thread processes)

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
	if [[ $1 == pool ]]; then
		wait_until 10 "pool's 10 workers to start" tasks_at_least 10
	fi
	BASE_FDS=$(fds_of "$SERVER_PID")
	BASE_TASKS=$(tasks_of "$SERVER_PID")
}

tasks_at_least() { (($(tasks_of "$SERVER_PID") >= $1)); }
fds_of() { ls "/proc/$1/fd" | wc -l; }
# netlab's own threads, named as in the log ('thread 3', 'worker 2'): a
# sanitizer's helper threads are not counted.
tasks_of() { cat "/proc/$1/task/"*/comm 2>/dev/null | grep -cE '^(thread|worker) [0-9]+$' || true; }

# assert_no_leaks: once every client has left, the server holds no more
# descriptors and threads than at the start (a thread may take a moment
# to end after its client's last line).
assert_no_leaks() {
	wait_for_all_closed
	wait_until 10 "descriptors and threads back to their start" back_to_baseline ||
		fail "leaked: descriptors $BASE_FDS -> $(fds_of "$SERVER_PID")," \
		    "threads $BASE_TASKS -> $(tasks_of "$SERVER_PID")"
}

back_to_baseline() {
	(($(fds_of "$SERVER_PID") <= BASE_FDS && $(tasks_of "$SERVER_PID") <= BASE_TASKS))
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
