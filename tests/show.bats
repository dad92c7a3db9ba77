#!/usr/bin/env bats
# netlab show: the page in a real browser (headless Chromium, driven by
# tests/show_browser.py), the endpoints through a plain HTTP client
# (tests/show_http.py), real servers and real clients (nc, as a student
# types it). Each test keeps its screenshots in its temporary directory.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	BROWSER_PID=
}

teardown_browser() {
	if [[ -n $BROWSER_PID ]]; then
		echo quit >&"${BROWSER[1]}" 2>/dev/null || true
		wait "$BROWSER_PID" 2>/dev/null || true
	fi
}

teardown() {
	teardown_browser
	local pid
	for pid in "${PIDS[@]}" $SERVER_PID; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# start_show [SHOW OPTIONS] [-- COMMAND]: netlab show on a free port; URL
# from its start line. Its stdout (the start line, then a COMMAND's own
# lines) is $LOG, so the server's log helpers read it.
start_show() {
	fresh_log
	"$NETLAB" show --lang "${NETLAB_SHOW_LANG:-en}" --listen 127.0.0.1:0 "$@" \
	    >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "http://127.0.0.1:" || return 1	# the start line, in either language
	URL=$(grep -o 'http://[^ ]*' "$LOG")
	[[ -n $URL ]]
}

# The port of the server show started: from that server's start line.
server_port() {
	wait_for_log "Starting server on" || return 1
	PORT=$(sed -n "s/.*Starting server on '[^']*' port \([0-9]*\).*/\1/p" "$LOG")
}

# browser COMMAND [ARGS...]: one command to the browser, its answer checked.
browser() {
	local IFS=$'\t' answer
	if [[ -z $BROWSER_PID ]]; then
		coproc BROWSER { /usr/bin/python3 "$TESTS/show_browser.py" "$BATS_TEST_TMPDIR/profile" 2>"$BATS_TEST_TMPDIR/browser.err"; }
		BROWSER_PID=$!
		read -r -t $((60 * NETLAB_SLOW)) answer <&"${BROWSER[0]}" ||
			fail "the browser did not start:" "$(cat "$BATS_TEST_TMPDIR/browser.err")"
	fi
	echo "$*" >&"${BROWSER[1]}"
	read -r -t $((30 * NETLAB_SLOW)) answer <&"${BROWSER[0]}" || answer="fail no answer"
	REPLY=${answer#ok}
	REPLY=${REPLY# }
	[[ $answer == ok* ]] || fail "browser $*: $answer"
}

# http METHOD PATH: one request; status in $status_code, the rest in $output.
http() {
	output=$(timeout 20 python3 "$TESTS/show_http.py" request "$URL" "$1" "$2")
	status_code=${output%%$'\n'*}
}

state_holds() {
	timeout 20 python3 "$TESTS/show_http.py" holds "$URL" "$1"
}

wait_for_state() {
	wait_until 10 "/state.json to show: $1" state_holds "$1"
}

# The peer of the Nth client the log shows accepted, as it wrote it.
log_peer() {
	sed -n "s/.*Received new connection from *\(('[^']*', [0-9]*[^)]*)\).*/\1/p" "$LOG" |
		sed -n "${1}p"
}

# The one connection the kernel holds in the accept queue, from /state.json.
queued_peer() {
	timeout 20 python3 -c 'import json,sys,urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1] + "state.json"))
print(s["listen"]["queued"][0]["peer"])' "$URL"
}

# A screenshot for this test's directory. NETLAB_SCREENSHOT=FILE also keeps
# lab 1's moment there, for the docs (make screenshot: docs/show-lab1.png;
# NETLAB_SHOW_LANG=it, the Italian page): then the moment is left to last
# three seconds first, so that its bars are long enough to read. That wait
# is for the picture only; no check depends on it.
screenshot() {
	if [[ -n ${NETLAB_SCREENSHOT-} && $1 == lab1 ]]; then
		sleep 3
		browser shot "$NETLAB_SCREENSHOT"
	fi
	browser shot "$BATS_TEST_TMPDIR/$1.png"
}

# What show holds, from its /proc: open descriptors, threads.
show_descriptors() {
	local fds=(/proc/"$SERVER_PID"/fd/*)
	echo "${#fds[@]}"
}

show_threads() {
	sed -n 's/^Threads:[[:space:]]*//p' /proc/"$SERVER_PID"/status
}

# show_back_to FDS THREADS: show holds no more than that (a page's idle
# connection may also have closed meanwhile).
show_back_to() {
	(($(show_descriptors) <= $1 && $(show_threads) == $2))
}

# svg_texts FILE: the SVG's texts, a line each, read by an XML parser (it is well-formed).
svg_texts() {
	python3 -c 'import sys, xml.etree.ElementTree as t
print("\n".join(t.parse(sys.argv[1]).getroot().itertext()))' "$1"
}

# stop_show: Ctrl-C, as the teacher ends it; exit 0, and its COMMAND gone.
stop_show() {
	local pid=$SERVER_PID
	kill -INT "$pid"
	SERVER_PID=
	wait_for_exit "$pid" 10
	((status == 0)) || fail "show exited $status:" "$(cat "$ERR")"
	no_sanitizer_report
}

@test "show: lab 1's moment in a browser: a sequential server serves one nc, the second waits in the accept queue; when the first leaves, the page, never reloaded, shows it served" {
	start_show --record "$BATS_TEST_TMPDIR/timeline.svg" -- "$NETLAB" sequential --port 0
	server_port
	browser open "$URL"
	browser status live
	browser lane "[main]" accept
	nc_start one
	nc_type one hi
	wait_for_screen one hi
	wait_for_log "Received: b'hi\\n'"	# show passes the log on at its next look
	first=$(log_peer 1)
	browser lane "[main]" recv
	browser client "$first" served
	nc_start two
	nc_type two Hello
	wait_for_state "len(s['listen']['queued']) == 1 and s['listen']['queued'][0]['unread'] == 6"
	second=$(queued_peer)
	browser queued "$second"
	browser client "$second" queued
	# Each client's bytes, sent and got, as the kernel counts them: hi and its echo;
	# Hello, in the kernel, not read by anyone yet.
	wait_for_state "sorted((c['peer'], c['sent'], c['got']) for c in s['clients'])
	    == sorted([(\"$first\", 3, 3), (\"$second\", 6, 0)])"
	if [[ ${NETLAB_SHOW_LANG:-en} == it ]]; then
		browser text "inviati 3 B, ricevuti 3 B"
	else
		browser text "sent 3 B, got 3 B"
	fi
	browser event "Received: b'hi\\n'"
	screenshot lab1
	nc_quit one
	browser client "$second" served
	browser client "$first" closed
	browser lane "[main]" recv
	browser event "Received: b'Hello\\n'"
	browser same
	screenshot after
	server=$(timeout 20 python3 -c 'import json,sys,urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "state.json"))["pid"])' "$URL")
	nc_quit two
	stop_show
	# Ctrl-C ended its COMMAND too.
	ended "$server"
	# --record: the timeline as one SVG file, the lanes and the clients in it.
	# Its texts, read back by an XML parser: it is well-formed.
	run -0 svg_texts "$BATS_TEST_TMPDIR/timeline.svg"
	assert_contains "$output" "[main]"
	assert_contains "$output" "recv $first"
	assert_contains "$output" "$second"
	assert_contains "$output" "queued"
}

@test "show: the endpoints as a plain HTTP client sees them: the page, state.json, the event stream, HEAD, 405 and 404; on loopback only" {
	start_show -- "$NETLAB" threaded --port 0
	server_port
	http GET /
	assert_equal "$status_code" 200
	assert_contains "$output" "Content-Type: text/html; charset=utf-8"
	assert_contains "$output" 'data-part="accept-queue"'
	assert_not_contains "$output" "@WORDS@"
	http HEAD /
	assert_equal "$status_code" 200
	assert_contains "$output" "Content-Type: text/html; charset=utf-8"
	assert_not_contains "$output" "<html"
	http GET /state.json
	assert_equal "$status_code" 200
	assert_contains "$output" "Content-Type: application/json"
	# watch --json's object, and the server's lines so far, each with t, actor and text.
	state_holds "s['port'] == $PORT and s['listen']['listening'] and s['connections'] == []
	    and [t['doing'] for t in s['threads']] == ['accept']
	    and any(e['actor'] == '[main]' and e['text'].startswith('Starting server on')
	            and e['t'] >= 0 for e in s['events'])"
	http HEAD /state.json
	assert_equal "$status_code" 200
	http GET /events
	assert_equal "$status_code" 200
	assert_contains "$output" "Content-Type: text/event-stream"
	assert_contains "$output" "data: {"
	http HEAD /events
	assert_equal "$status_code" 200
	assert_contains "$output" "Content-Type: text/event-stream"
	for method in POST PUT DELETE OPTIONS; do
		http "$method" /
		assert_equal "$status_code" 405
		assert_contains "$output" "Allow: GET, HEAD"
	done
	http POST /events
	assert_equal "$status_code" 405
	http GET /nothing
	assert_equal "$status_code" 404
	http GET /state.json/x
	assert_equal "$status_code" 404
	# Loopback only: the page's socket listens on 127.0.0.1 and nowhere else.
	port=${URL##*:}
	port=${port%/}
	run -0 ss -Hltn "sport = :$port"
	assert_contains "$output" "127.0.0.1:$port"
	[[ $(wc -l <<<"$output") -eq 1 ]]
	stop_show
}

@test "show: the server's lines so far: every one in /state.json; each message of the stream brings only the new ones, which the page adds live; a page opened later gets them all first" {
	start_show -- "$NETLAB" sequential --port 0
	server_port
	browser open "$URL"
	browser status live
	# 400 lines, each echoed before the next: a recv, and a line of the log, each.
	run -0 timeout 60 python3 "$TESTS/netclients.py" echo "$PORT" 400
	wait_for_log "goes back to accept()"
	wait_until 10 "/state.json to hold every line of the log" \
	    timeout 20 python3 "$TESTS/show_http.py" log "$URL" "$LOG"
	total=$(($(wc -l <"$LOG") - 1))
	((total > 400)) || fail "the log has $total lines"
	# The page, never reloaded, added them as they came: the last 200, each once.
	browser event "Received: b'line 399\\n'"
	browser lines
	assert_equal "$REPLY" "200 200"
	# A stream's first message holds every line so far; the next ones, none (nothing new).
	run -0 timeout 20 python3 "$TESTS/show_http.py" messages "$URL" 3
	assert_equal "$output" "0 $total"$'\n'"$total 0"$'\n'"$total 0"
	# A page opened now: every line from its first message.
	browser open "$URL"
	browser event "Received: b'line 399\\n'"
	browser lines
	assert_equal "$REPLY" "200 200"
	stop_show
}

@test "show: a server that prints for hours: the oldest lines go past 100,000, and /state.json says how many" {
	# A server that prints 25,000 lines for each line a client sends it.
	cat >"$BATS_TEST_TMPDIR/chatty.py" <<-'EOF'
	import socket, sys
	s = socket.create_server(("127.0.0.1", 0))
	print("listening on", s.getsockname()[1], flush=True)
	c, _ = s.accept()
	n = 0
	while c.recv(100):
	    for _ in range(25000):
	        print("line", n)
	        n += 1
	    sys.stdout.flush()
	EOF
	start_show -- python3 "$BATS_TEST_TMPDIR/chatty.py"
	wait_for_log "listening on"
	PORT=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$LOG")
	open_client c1
	# One batch a snapshot (each waited for): 125,000 lines and the first.
	for n in 1 2 3 4 5; do
		echo more >&"$c1"
		wait_for_state "len(s['events']) + s['events_dropped'] == 1 + $n * 25000"
	done
	wait_for_state "s['events_dropped'] > 0 and s['events_first'] == s['events_dropped']
	    and 100000 <= len(s['events']) < 125000 and s['events'][-1]['text'] == 'line 124999'
	    and s['events'][0]['text'] == 'line %d' % (s['events_dropped'] - 1)"
	exec {c1}>&-
	stop_show
}

@test "show: forty browsers at once each get at least four snapshots a second, and are forgotten when they leave" {
	start_show -- "$NETLAB" epoll --port 0
	server_port
	run -0 timeout 60 python3 "$TESTS/show_http.py" streams "$URL" 40 4
	assert_contains "$output" "browsers 40"
	# Four a second: 16 in 4 s, one of them perhaps cut by the edges of the count.
	counts=$(sed -n 's/^snapshots //p' <<<"$output")
	for n in $counts; do
		((n >= 15)) || fail "a stream got $n snapshots in 4 s:" "$counts"
	done
	wait_for_state "s['show']['browsers'] == 0"
	stop_show
}

@test "show: browsers that vanish mid-stream (reset, closed mid-snapshot, stalled, a real one killed) are forgotten, their sockets closed; the page still updates for the others" {
	start_show -- "$NETLAB" sequential --port 0
	server_port
	browser open "$URL"
	browser status live
	run -0 timeout 60 python3 "$TESTS/show_http.py" vanish "$URL"
	# The stalled one is still connected; the others are gone; the browser remains.
	assert_equal "$output" "browsers 2"
	wait_for_state "s['show']['browsers'] == 1"
	browser updates 3
	((REPLY >= 11)) || fail "the page drew $REPLY snapshots in 3 s"
	# A real browser, killed mid-stream by its PID (SIGKILL: it says no goodbye).
	fds=$(show_descriptors) threads=$(show_threads)
	/usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir="$BATS_TEST_TMPDIR/killed" "$URL" \
	    >"$BATS_TEST_TMPDIR/killed.log" 2>&1 3>&- &
	killed=$!
	track "$killed"
	wait_for_state "s['show']['browsers'] == 2"
	(($(show_descriptors) > fds)) || fail "show holds $(show_descriptors) descriptors, as before"
	kill -KILL "$killed"
	wait "$killed" 2>/dev/null || true
	wait_for_state "s['show']['browsers'] == 1"
	# Its stream's socket closed, no thread left behind; the other browser still drawn.
	wait_until 10 "show's descriptors back to $fds, threads to $threads" \
	    show_back_to "$fds" "$threads"
	browser updates 3
	((REPLY >= 11)) || fail "the page drew $REPLY snapshots in 3 s after the kill"
	open_client c1
	browser lane "[main]" recv
	exec {c1}>&-
	screenshot vanish
	stop_show
}

@test "show: a chat client's <script> and <img onerror> reach the page only as text: no script runs, no element appears; then the server ends and the page says so, keeping its picture" {
	start_show -- "$NETLAB" threaded --handler chat --port 0
	server_port
	browser open "$URL"
	browser status live
	nc_start mallory
	nc_type mallory '<script>window.__netlab_pwned = "script"</script>'
	nc_type mallory '<img src=x onerror="window.__netlab_pwned = 1">'
	browser event '<script>window.__netlab_pwned = "script"</script>'
	browser event '<img src=x onerror="window.__netlab_pwned = 1">'
	browser harmless
	browser lane "[thread 1]" recv
	screenshot chat
	server=$(timeout 20 python3 -c 'import json,sys,urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "state.json"))["pid"])' "$URL")
	kill -TERM "$server"
	browser status ended
	browser text "exit status 0"
	# The last picture stays: the thread's lane and the client's are still drawn.
	browser lane "[thread 1]" recv
	browser harmless
	screenshot ended
	nc_quit mallory
	stop_show
}

@test "show: a server found by --port: lanes named as its log, its lines not shown (show did not start it), a pool's waiting client" {
	start_server pool 1
	local server_port=$PORT
	start_pid=$SERVER_PID
	open_client c1
	open_client c2
	wait_for_count "Received new connection from" 2
	SERVER_PID=
	LOG=$BATS_TEST_TMPDIR/show.log
	start_show --port "$server_port"
	PIDS+=("$start_pid")
	# (A sanitizer's own thread may be there too, named as any other server's.)
	wait_for_state "{'[main]', '[worker 1]'} <= set(l['actor'] for l in s['lanes'])
	    and sorted(c['state'] for c in s['clients']) == ['served', 'waiting']
	    and [c['by'] for c in s['clients'] if c['state'] == 'served'] == ['[worker 1]']
	    and s['events'] == [] and not s['show']['log']"
	exec {c1}>&- {c2}>&-
	stop_show
}

@test "show: any server, not only netlab's: a Python threaded server's lanes are named by thread name and tid" {
	python3 "$TESTS/py_threaded_server.py" 0 >"$BATS_TEST_TMPDIR/py.log" 2>&1 3>&- &
	track $!
	wait_for_file "$BATS_TEST_TMPDIR/py.log" "listening on"
	PORT=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$BATS_TEST_TMPDIR/py.log")
	open_client c1
	start_show --port "$PORT"
	wait_for_state "len(s['lanes']) == 2 and all(l['actor'].endswith(' (%d)' % l['tid']) for l in s['lanes'])
	    and any(l['doing'] == 'recv' for l in s['lanes'])"
	exec {c1}>&-
	stop_show
}

@test "show: 300 clients of a threaded server: a screenful of thread lanes and client lanes drawn, the others counted by word in one line each" {
	start_show -- "$NETLAB" threaded -q --port 0
	server_port
	hold_clients flood 300
	# [main] and the first 15 threads are drawn; the other 285 are each in recv() on a client.
	wait_for_state "len(s['connections']) == 300 and len(s['lanes']) == 16
	    and s['lanes_hidden'] == 285 and s['lanes_hidden_doing'] == {'recv': 285}
	    and len(s['clients']) == 16 and s['clients_hidden'] == 284
	    and s['clients_hidden_state'] == {'served': 284}"
	browser open "$URL"
	browser text "and 285 more threads, not drawn: recv 285"
	browser text "and 284 more clients, not drawn: served 284"
	screenshot many
	release clients
	stop_show
}

@test "show --record in Italian: the SVG's headings, legend and bars say what the Italian page says" {
	NETLAB_SHOW_LANG=it start_show --record "$BATS_TEST_TMPDIR/timeline.svg" -- "$NETLAB" sequential --port 0
	server_port
	open_client c1
	echo ciao >&"$c1"
	wait_for_state "[c['state'] for c in s['clients']] == ['served']"
	open_client c2
	wait_for_state "sorted(c['state'] for c in s['clients']) == ['queued', 'served']"
	stop_show
	exec {c1}>&- {c2}>&-
	run -0 svg_texts "$BATS_TEST_TMPDIR/timeline.svg"
	assert_contains "$output" "Thread e processi: che cosa sta facendo ciascuno"
	assert_contains "$output" "accept: aspetta un client"
	assert_contains "$output" "recv: aspetta che un client parli"
	assert_contains "$output" "servito da [main]"
	assert_contains "$output" "in coda"
	# A call keeps its name, in every language.
	assert_contains "$output" "accept"$'\n'
	assert_not_contains "$output" "waiting for a client"
	assert_not_contains "$output" "Clients, from connect to close"
	assert_not_contains "$output" "served by"
	# The legend takes three rows in Italian: every bar is still inside the image.
	run -0 python3 -c 'import sys, xml.etree.ElementTree as t
svg = t.parse(sys.argv[1]).getroot()
bottom = max(float(r.get("y", 0)) + float(r.get("height")) for r in svg.iter("{http://www.w3.org/2000/svg}rect"))
print(bottom <= float(svg.get("height")), bottom, svg.get("height"))' "$BATS_TEST_TMPDIR/timeline.svg"
	[[ $output == True* ]] || fail "a bar is below the image's bottom: $output"
}
