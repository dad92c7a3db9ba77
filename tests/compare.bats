#!/usr/bin/env bats
# netlab compare: every design under the same small load, one row each,
# and nothing left running afterwards, also after Ctrl-C.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	# The table's words are English here; tests/i18n.bats has the Italian.
	export LANG=C.UTF-8 LANGUAGE= LC_ALL= LC_MESSAGES=
}

# descendants PID: every live process below PID (children, grandchildren).
descendants() {
	local pid
	for pid in $(ps -o pid= --ppid "$1"); do
		echo "$pid"
		descendants "$pid"
	done
}

# at_least_descendants N PID: PID has N live processes below it, in $seen.
at_least_descendants() {
	mapfile -t seen < <(descendants "$2")
	((${#seen[@]} >= $1))
}

# all_gone PID...: none of them is still running (a zombie would count).
all_gone() {
	local pid
	for pid in "$@"; do
		if kill -0 "$pid" 2>/dev/null; then
			fail "process $pid is still there: $(ps -o pid,stat,cmd -p "$pid")"
			return 1
		fi
	done
}

# compare_rows ARGS...: compare --json with ARGS, which must succeed; its rows
# in $f, for json_get.
compare_rows() {
	f=$BATS_TEST_TMPDIR/rows.json
	run --separate-stderr timeout 120 "$NETLAB" compare "$@" --json
	assert_success
	printf '%s\n' "$output" >"$f"
}

@test "compare: a row per design on a small load, sequential blocked, an event loop not" {
	local f
	compare_rows -c 5 -n 20
	assert_equal "$(json_get "$f" "[r['design'] for r in j]")" \
	    "['sequential', 'threaded', 'limited', 'pool', 'fork', 'select', 'poll', 'epoll', 'uring', 'reuseport']"
	for key in msgs_per_sec p50_ms p99_ms cpu_user_s cpu_sys_s peak_threads \
	    peak_processes peak_rss_kib peak_pss_kib blocked wait_ms; do
		assert_equal "$(json_get "$f" "all('$key' in r for r in j)")" True
	done
	assert_equal "$(json_get "$f" "[(r['blocked'], r['wait_ms']) for r in j][0]")" \
	    "(True, None)"
	assert_equal "$(json_get "$f" "[r['design'] for r in j if r['blocked']]")" "['sequential']"
	assert_equal "$(json_get "$f" "all(r['msgs_per_sec'] > 0 and r['errors'] == 0 and \
	    r['peak_rss_kib'] > 0 and r['peak_pss_kib'] > 0 and r['peak_processes'] >= 1 \
	    for r in j)")" True
	# The event loops and sequential run one thread; a pool runs its workers too.
	assert_equal "$(json_get "$f" "[r['peak_threads'] for r in j if r['design'] in \
	    ('sequential', 'select', 'poll', 'epoll', 'uring')]")" "[1, 1, 1, 1, 1]"
	assert_equal "$(json_get "$f" "[r['peak_threads'] >= 11 for r in j if \
	    r['design'] == 'pool']")" "[True]"
	# pool: ten workers, and the five clients each served by one of them.
	assert_equal "$(json_get "$f" "[(len(r['served_per_worker']), sum(r['served_per_worker'])) \
	    for r in j if r['design'] == 'pool']")" "[(10, 5)]"
	# reuseport: a loop per core, and the five clients each accepted by one of them.
	assert_equal "$(json_get "$f" "[(len(r['served_per_worker']), sum(r['served_per_worker'])) \
	    for r in j if r['design'] == 'reuseport']")" "[($(nproc), 5)]"
	all_gone $(json_get "$f" "' '.join(str(r['server_pid']) for r in j)")
}

@test "compare: memory is proportional: fork's children are not charged N times the program" {
	local f
	compare_rows -c 20 -n 500 --rounds 1 \
	    --designs fork,epoll
	# fork was seen with its children: one process per client.
	assert_equal "$(json_get "$f" "[r['peak_processes'] > 10 for r in j if \
	    r['design'] == 'fork']")" "[True]"
	# Resident memory counts the program's pages again in every child...
	assert_equal "$(json_get "$f" "[r['peak_pss_kib'] * 4 < r['peak_rss_kib'] for r in j if \
	    r['design'] == 'fork']")" "[True]"
	# ...PSS divides them among the processes that share them: fork's N
	# processes cost far less than N times one epoll server.
	assert_equal "$(json_get "$f" "(lambda f, e: f['peak_pss_kib'] * 2 < \
	    f['peak_processes'] * e['peak_pss_kib'])(*j)")" True
}

@test "compare: the text table, the blocked column and the bar chart" {
	run --separate-stderr timeout 120 "$NETLAB" compare -c 5 -n 20 --designs sequential,epoll
	assert_success
	assert_contains "$output" "5 clients x 20 messages x 64 bytes"
	line_of "  PSS MiB  a new client waits" >/dev/null
	assert_contains "$output" "PSS MiB: the peak proportional set size, children included"
	[[ $output =~ sequential\ +[0-9]+.*blocked\ \(over\ 1\ s\) ]] || fail "$output"
	[[ $output =~ epoll\ +[0-9]+.*[0-9.]+\ ms ]] || fail "$output"
	assert_contains "$output" "3 rounds (each figure: the median)"
	assert_contains "$output" "messages/s, fastest first; '#' the median of 3 rounds"
	assert_contains "$output" "a new client waited past 1 s, in every round, with: sequential"
	assert_contains "$output" "a new client was answered within 1 s, in every round, by: epoll"
	[[ $output =~ epoll\ +#+ ]] || fail "no bar for epoll: $output"
	assert_equal "$stderr" ""	# not a terminal: no progress
}

@test "compare: on a terminal, which design runs and how far it is, on stderr" {
	local out=$BATS_TEST_TMPDIR/tty.out
	# epoll with 100 x 30000 messages runs over a second: its progress shows.
	run timeout 120 script -qec "'$NETLAB' compare -c 100 -n 30000 --timeout 2 \
	    --designs sequential,epoll --rounds 1 2>&1 >/dev/null" "$out"
	grep -q "\[1/2\] sequential: " "$out" || fail "no step line for sequential:" "$(cat "$out")"
	grep -q "\[2/2\] epoll  [0-9,]*/3,000,000 messages" "$out" ||
		fail "no progress line for epoll:" "$(cat "$out")"
}

@test "compare: --svg writes a chart that parses as XML, one bar per design" {
	local svg=$BATS_TEST_TMPDIR/chart.svg
	run timeout 120 "$NETLAB" compare -c 5 -n 20 --designs threaded,poll,epoll --svg "$svg"
	assert_success
	run python3 -c "
import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
bars = [r for r in root.iter(ns + 'rect') if r.get('class') == 'median']
labels = [t.text.removeprefix('\u2248 ') for t in root.iter(ns + 'text')]
print(root.tag == ns + 'svg', len(bars), 'threaded' in labels and 'epoll' in labels)" "$svg"
	assert_equal "$output" "True 3 True"
}

@test "compare: --designs takes a design by its alias too (async is epoll)" {
	local f
	compare_rows -c 2 -n 5 --rounds 1 --designs async,threaded
	assert_equal "$(json_get "$f" "[r['design'] for r in j]")" "['threaded', 'epoll']"
}

@test "compare: an SVG file it cannot write is refused at once, not after the rounds" {
	run -1 --separate-stderr timeout 10 "$NETLAB" compare --svg /nonexistent/chart.svg
	assert_equal "$stderr" "netlab: compare: cannot write /nonexistent/chart.svg: No such file or directory"
	assert_equal "$output" ""
}

@test "compare: Ctrl-C mid-run exits 130 and leaves no server running" {
	# Its own process group, as a shell gives a foreground job, so that the
	# Ctrl-C below reaches compare, its server and the server's children.
	setsid "$NETLAB" compare -c 50 -n 100000 --designs fork,epoll \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local cp=$! seen=()
	track "$cp"
	assert_equal "$(ps -o pgid= -p "$cp" | tr -d ' ')" "$cp"
	# Wait until the fork server has children serving the load.
	wait_until 20 "compare to start a server with children" at_least_descendants 3 "$cp"
	kill -INT -- "-$cp"
	wait_for_exit "$cp" 20
	assert_status 130
	assert_contains "$(cat "$BATS_TEST_TMPDIR/err")" "interrupted"
	# Each one is gone, not left behind as an orphan or a zombie.
	wait_until 10 "compare's server and its children to end" all_gone "${seen[@]}" 2>/dev/null ||
		all_gone "${seen[@]}"
}

@test "compare: SIGTERM stops it too, with its server" {
	"$NETLAB" compare -c 20 -n 100000 --designs threaded \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local cp=$! seen=()
	track "$cp"
	wait_until 20 "compare to start a server" at_least_descendants 1 "$cp"
	kill -TERM "$cp"
	wait_for_exit "$cp" 20
	assert_status 130
	all_gone "${seen[@]}"
}

# session_of PID: the session field of /proc/PID/stat (after the name, which may hold spaces).
session_of() {
	local stat
	stat=$(cat "/proc/$1/stat") || return 1
	stat=${stat##*) }
	set -- $stat
	echo "$4"
}

@test "compare: each server runs in a session of its own, as if started in its own terminal" {
	"$NETLAB" compare -c 20 -n 100000 --designs threaded \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local cp=$! seen=() server
	track "$cp"
	wait_until 20 "compare to start a server" at_least_descendants 1 "$cp"
	server=${seen[0]}
	# setsid() made it the leader of a new session, and of its process group.
	assert_equal "$(session_of "$server")" "$server"
	assert_equal "$(ps -o pgid= -p "$server" | tr -d ' ')" "$server"
	[[ $(session_of "$cp") != "$server" ]]
	# Where the kernel groups sessions for its scheduler (autogroup), the
	# server is in a group of its own, not in compare's.
	if [[ -r /proc/$server/autogroup ]]; then
		[[ $(cut -d' ' -f1 "/proc/$server/autogroup") != $(cut -d' ' -f1 "/proc/$cp/autogroup") ]]
	fi
	kill -TERM "$cp"
	wait_for_exit "$cp" 20
	assert_status 130
	all_gone "${seen[@]}"
}

@test "compare: usage errors exit 2 with one line" {
	run --separate-stderr "$NETLAB" compare --designs epoll,nope
	assert_status 2
	assert_contains "$stderr" "unknown design 'nope'"
	run --separate-stderr "$NETLAB" compare --port 5
	assert_status 2
	run --separate-stderr "$NETLAB" bench --svg x.svg
	assert_status 2
	assert_contains "$stderr" "--svg is for compare, not bench"
	run --separate-stderr "$NETLAB" bench --rounds 2
	assert_status 2
	assert_contains "$stderr" "--rounds is for compare, not bench"
	for bad in 0 21 x; do
		run --separate-stderr "$NETLAB" compare --rounds "$bad"
		assert_status 2
		assert_contains "$stderr" "--rounds"
	done
}

# rounds_hold FILE: every claim compare's JSON makes about its rounds, checked
# against the figures of each round (tests/rounds_hold.py says which failed).
@test "compare: rounds in rotated order; median, spread, level and tiers hold in every round" {
	local f
	compare_rows -c 4 -n 20 --rounds 3 \
	    --designs sequential,threaded,poll,epoll
	run python3 "$TESTS/rounds_hold.py" "$f" 3
	assert_success
	assert_equal "$output" "ok: 4 designs, 3 rounds"
	all_gone $(json_get "$f" "' '.join(str(p) for r in rows for p in r['server_pids'])")
}

@test "compare: the summary ranks only what held in every round, and shows the rest as level" {
	run --separate-stderr timeout 120 "$NETLAB" compare -c 4 -n 20 --rounds 2 \
	    --designs sequential,threaded,epoll
	assert_success
	local line
	line=$(grep '^messages/s, in every one of the 2 rounds:' <<<"$output")
	[[ -n $line ]] || fail "no speed line: $output"
	# The same three names, each once, joined by > or the level sign only.
	[[ $line =~ :\ [a-z]+\ (\>|≈)\ [a-z]+\ (\>|≈)\ [a-z]+$ ]] || fail "$line"
	assert_contains "$output" "(>: faster in every round"
	assert_contains "$output" "most memory"
}
