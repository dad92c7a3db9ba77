#!/usr/bin/env bats
# The guided labs: every lab played by --auto, and the lab shell used as a
# person uses it, in a real terminal (tmux), with nc in a second window.

bats_require_minimum_version 1.5.0
load test_helper
load tmux

setup() {
	_netlab_setup
	export NETLAB_LABDIR=$BATS_TEST_DIRNAME/../labs
	export XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
}

# The helper's teardown ends the tmux server: the lab gets SIGHUP and stops
# its server, which would end with the lab anyway (PR_SET_PDEATHSIG).

# ---- --auto: one test per lab

# auto_lab N: the lab must pass in --auto, within a minute.
auto_lab() {
	run timeout 60 "$NETLAB" lab "$1" --auto --no-color 3>&-
	if ((status != 0)); then
		echo "$output" | tail -40
	fi
	assert_success
	assert_contains "$output" "lab passed"
	# The runner's own verdict on a step (lab 12 shows netlab check's FAIL lines).
	assert_not_contains "$output" "FAIL (step"
}

@test "lab: lab 1 (sequential) passes in --auto" { auto_lab 1; }
@test "lab: lab 2 (threaded) passes in --auto" { auto_lab 2; }
@test "lab: lab 3 (limited) passes in --auto" { auto_lab 3; }
@test "lab: lab 4 (threads) passes in --auto" { auto_lab 4; }
@test "lab: lab 5 (pool) passes in --auto" { auto_lab 5; }
@test "lab: lab 6 (fork) passes in --auto" { auto_lab 6; }
@test "lab: lab 7 (select and poll) passes in --auto" { auto_lab 7; }
@test "lab: lab 8 (epoll) passes in --auto" { auto_lab 8; }
@test "lab: lab 9 (shared state and the race) passes in --auto" { auto_lab 9; }
@test "lab: lab 10 (healthy servers) passes in --auto" { auto_lab 10; }
@test "lab: lab 11 (comparison) passes in --auto" { auto_lab 11; }
@test "lab: lab 12 (your own server) passes in --auto" { auto_lab 12; }
@test "lab: lab 13 (why 4 KB takes 40 ms) passes in --auto" { auto_lab 13; }
@test "lab: lab 13 in Italian passes in --auto, its expects matching bench's Italian why" {
	run timeout 60 "$NETLAB" --lang it lab 13 --auto --no-color 3>&-
	((status == 0)) || echo "$output" | tail -40
	assert_success
	assert_contains "$output" "lab superato"
	assert_contains "$output" "l'algoritmo di Nagle incontra l'ACK ritardato del client"
}
# Lab 14 runs netlab under strace, and LeakSanitizer cannot work under
# ptrace (it stops with a fatal error): under make asan, no leak check there.
no_leak_check_under_strace() { export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"; }

@test "lab: lab 14 (io_uring, system calls counted) passes in --auto" {
	no_leak_check_under_strace
	auto_lab 14
}
@test "lab: lab 15 (reuseport, the kernel spreads clients) passes in --auto" { auto_lab 15; }
@test "lab: lab 12 in Italian (labs/it) passes in --auto, its expects matching check's Italian lines" {
	run timeout 60 "$NETLAB" --lang it lab 12 --auto --no-color 3>&-
	((status == 0)) || echo "$output" | tail -40
	assert_success
	assert_contains "$output" "lab superato"
	assert_contains "$output" "8 proprietà su 8 rispettate"
	assert_not_contains "$output" "FAIL (passo"
}

@test "lab: --auto prints the nc line a student would type before running it" {
	run timeout 60 "$NETLAB" lab 1 --auto 3>&-
	assert_success
	[[ $output =~ first\ \$\ nc\ 127\.0\.0\.1\ ([0-9]+) ]]
	local port=${BASH_REMATCH[1]}
	assert_contains "$output" "Starting server on '127.0.0.1' port $port"
	assert_contains "$output" "PASS (step 3 of 6): 1 client waited 0.6 s in the kernel's queue"
}

@test "lab: --auto fails, exit 1, when an expectation is not met" {
	mkdir "$BATS_TEST_TMPDIR/labs"
	cat >"$BATS_TEST_TMPDIR/labs/01-wrong.lab" <<-'EOF'
		title: A lab whose expectation cannot hold
		server: sequential
		step: Two clients at once
		do first: nc {host} {port}
		do second: nc {host} {port}
		expect: connected 2
		hint: A sequential server serves one client at a time.
		timeout: 1
	EOF
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run timeout 30 "$NETLAB" lab 1 --auto 3>&-
	assert_status 1
	assert_contains "$output" "FAIL (step 1 of 1): 2 clients are connected at the same time (so far: 1)"
	# A step that failed shows its hint.
	assert_contains "$output" "Hint: A sequential server serves one client at a time."
	assert_contains "$output" "lab failed"
}

# ---- the command line

@test "lab: lab list lists every lab in labs/" {
	run timeout 30 "$NETLAB" lab list
	assert_success
	assert_equal "$(grep -cE '^ +[0-9]+  ' <<<"$output")" "$(ls "$TESTS"/../labs/*.lab | wc -l)"
	assert_contains "$output" " 1  sequential"
	assert_contains "$output" "11  compare"
	assert_contains "$output" "12  own-server"
	assert_contains "$output" "13  nagle"
	assert_contains "$output" "14  uring"
	assert_contains "$output" "15  reuseport"
}

@test "lab: an unknown lab exits 2 with one line" {
	run -2 --separate-stderr timeout 30 "$NETLAB" lab 99
	assert_equal "$stderr" "netlab: unknown lab '99'; 'netlab lab list' shows the labs (see netlab --help)"
	run -2 timeout 30 "$NETLAB" lab sequentail
}

@test "lab: a lab is found by its name too" {
	run timeout 30 "$NETLAB" lab sequential --auto 3>&-
	assert_success
}

@test "lab: a malformed lab file is rejected with its file and line" {
	mkdir "$BATS_TEST_TMPDIR/labs"
	cat >"$BATS_TEST_TMPDIR/labs/01-bad.lab" <<-'EOF'
		title: A lab with a typo
		server: sequential
		step: One
		expct: accepted 1
	EOF
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run -2 --separate-stderr timeout 30 "$NETLAB" lab 1
	assert_contains "$stderr" "01-bad.lab:4: unknown key 'expct'"
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run -2 --separate-stderr timeout 30 "$NETLAB" lab list
	assert_contains "$stderr" "01-bad.lab:4: unknown key 'expct'"

	printf 'title: t\nserver: sequential\nstep: s\nexpect: waiting soon\n' \
	    >"$BATS_TEST_TMPDIR/labs/01-bad.lab"
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run -2 --separate-stderr timeout 30 "$NETLAB" lab 1
	assert_contains "$stderr" "01-bad.lab:4: 'waiting' needs a count"

	printf 'title: t\nserver: sequential\nstep: s\ntype first: hi\nexpect: accepted 1\n' \
	    >"$BATS_TEST_TMPDIR/labs/01-bad.lab"
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run -2 --separate-stderr timeout 30 "$NETLAB" lab 1
	assert_contains "$stderr" "terminal 'first' is used before a 'do first:' line starts it"
}

@test "lab: a bound no long can hold is a FILE:LINE error, not a lab that loads" {
	mkdir "$BATS_TEST_TMPDIR/labs"
	local bound
	for bound in 'number above 80000000000000000000' 'took below 1e300' 'number below nan'; do
		printf 'title: t\nserver: none\nstep: s\nrun: echo 5\nexpect: %s\n' "$bound" \
		    >"$BATS_TEST_TMPDIR/labs/01-big.lab"
		NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run -2 --separate-stderr timeout 30 \
		    "$NETLAB" lab 1 --auto
		assert_contains "$stderr" "01-big.lab:5: '${bound% *}' needs a number between"
	done
}

@test "lab: a lab whose design this build lacks says so and exits 1" {
	mkdir "$BATS_TEST_TMPDIR/labs"
	printf 'title: t\nserver: nosuchdesign\nstep: s\nexpect: accepted 1\n' \
	    >"$BATS_TEST_TMPDIR/labs/01-future.lab"
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run -1 --separate-stderr timeout 30 "$NETLAB" lab 1
	assert_contains "$stderr" "needs 'netlab nosuchdesign'"
	NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs run timeout 30 "$NETLAB" lab list
	assert_contains "$output" "needs 'netlab nosuchdesign' (not in this build)"
}

@test "lab: with stdin at EOF the shell exits 0 and stops its server" {
	run timeout 20 "$NETLAB" lab 1 </dev/null 3>&-
	assert_success
	assert_contains "$output" "Step 1 of 6"
	assert_contains "$output" "Shutting down server..."
}

@test "lab: commands typed on stdin work without a terminal" {
	run timeout 20 "$NETLAB" lab 1 3>&- <<-'EOF'
		hint
		status
		next
		check
		quit
	EOF
	assert_success
	assert_contains "$output" "Hint: Open a second terminal window"
	assert_contains "$output" "nobody is connected"
	assert_contains "$output" "the kernel's view, as 'netlab watch --port"
	assert_contains "$output" "Accept queue: empty"
	assert_contains "$output" "Step 2 of 6"
	assert_contains "$output" "[ ] the server received 'Hello'"
}

# short_lab: a lab of one run: step, in its own lab directory.
short_lab() {
	mkdir -p "$BATS_TEST_TMPDIR/labs"
	cat >"$BATS_TEST_TMPDIR/labs/01-short.lab" <<-'EOF'
		title: A short lab
		server: none
		step: Say hi
		run: echo hi there
		expect: output hi there
		explain: It said hi.
	EOF
	export NETLAB_LABDIR=$BATS_TEST_TMPDIR/labs
}

@test "lab: a lab played by hand shows as done in lab list; --auto's demo does not" {
	short_lab
	run timeout 30 "$NETLAB" lab list
	assert_contains "$output" " 1  short  A short lab  1 step"
	run timeout 60 "$NETLAB" lab 1 --auto 3>&-
	assert_success
	run timeout 30 "$NETLAB" lab list
	assert_contains "$output" " 1  short  A short lab  1 step"
	# Enter runs the step's command; after the pass, Enter goes on.
	run timeout 20 "$NETLAB" lab 1 3>&- <<<$'\n\nquit'
	assert_success
	assert_contains "$output" "Press Enter and the lab runs this for you:"
	assert_contains "$output" "PASS (step 1 of 1)"
	assert_contains "$output" "all 1 steps of lab 1 (short) are done"
	run timeout 30 "$NETLAB" lab list
	assert_contains "$output" " 1  short  A short lab  done"
	run timeout 20 "$NETLAB" lab 1 <<<"reset" 3>&-
	assert_success
	run timeout 30 "$NETLAB" lab list
	assert_contains "$output" " 1  short  A short lab  1 step"
}

# played LAB MARKS: the progress file says lab LAB was played by hand.
played() {
	mkdir -p "$XDG_STATE_HOME/netlab"
	echo "$1 $2" >>"$XDG_STATE_HOME/netlab/progress"
}

@test "lab: reset all asks first, and forgets every lab" {
	played 02-threaded +++++
	run timeout 20 "$NETLAB" lab 1 3>&- <<-'EOF'
		reset all
		n
	EOF
	assert_contains "$output" "reset the progress of every lab? [y/N]"
	assert_contains "$output" "nothing was reset"
	run timeout 30 "$NETLAB" lab list
	assert_contains "$output" "done"
	printf 'reset all\ny\n' | timeout 20 "$NETLAB" lab 1 >/dev/null 3>&-
	run timeout 30 "$NETLAB" lab list
	assert_not_contains "$output" "done"
}

@test "lab: an Italian yes (sì, si, s) answers reset all, and is noted as a guess" {
	local yes
	for yes in "sì" "si" "s" "Sì"; do
		played 02-threaded +++++
		printf 'reset all\n%s\n' "$yes" | timeout 20 "$NETLAB" lab 1 >/dev/null 3>&-
		run timeout 30 "$NETLAB" lab list
		assert_not_contains "$output" "done"
	done
	# Lab 2's step 2 asks "(yes/no)" first: "s" is noted as "sì", "n" as "no".
	run timeout 20 "$NETLAB" lab 2 3>&- <<-'EOF'
		next
		s
		back
		next
		n
	EOF
	assert_contains "$output" "Your guess is noted: sì"
	assert_contains "$output" "Your guess is noted: no"
}

@test "lab: --record keeps a transcript of steps, commands and the log" {
	run timeout 60 "$NETLAB" lab 1 --auto --record "$BATS_TEST_TMPDIR/t.txt" 3>&-
	assert_success
	local t
	t=$(cat "$BATS_TEST_TMPDIR/t.txt")
	assert_contains "$t" "Step 3 of 6: A second client"
	assert_contains "$t" "second \$ nc 127.0.0.1 "
	assert_contains "$t" "| [main] Received: b'Hello\\n'"
	assert_contains "$t" "PASS (step 6 of 6)"
}

@test "lab: netlab with no command and no terminal is still a usage error" {
	run -2 --separate-stderr timeout 30 "$NETLAB" </dev/null
	assert_equal "$stderr" "netlab: no command given (see netlab --help)"
}

# ---- the shell in a real terminal: tmux, with nc in a second window

# tmux_lab ARGS...: netlab ARGS in a 100x50 terminal, session 'lab'.
tmux_lab() {
	tmux_start lab 100 50 \
	    "env NETLAB_LABDIR='$NETLAB_LABDIR' XDG_STATE_HOME='$XDG_STATE_HOME' '$NETLAB' $*"
}

# wait_for_screen_text TEXT [WINDOW]: until TEXT is on that screen (10 s).
wait_for_screen_text() {
	tmux_wait "${2:-lab:0}" "$1"
}

# rows: the screen as the terminal shows it, row by row (no -J: a line
# that the terminal wrapped stays two rows).
rows() {
	tmx capture-pane -p -S -300 -t lab:0 | sed 's/[[:space:]]*$//'
}

# joined TEXT: the row with TEXT and the row under it, as one line again.
joined() {
	rows | grep -A1 -F -- "$1" | sed 's/^  | *//; s/^ *//' | paste -sd' '
}

# last_prompt_is TEXT: the last prompt on the screen is TEXT.
last_prompt_is() {
	screen | grep -F "lab 1, step " | tail -1 | grep -qF -- "$1"
}

more_hints_than() {
	(($(screen | grep -c "Hint:") > $1))
}

lab_port() {
	screen | sed -n "s/.*Starting server on '127.0.0.1' port \([0-9][0-9]*\).*/\1/p" | tail -1
}

# first_client ARGS...: lab 1 (with ARGS), its first nc in window 1, step 1
# passed and Enter pressed: step 2 waits. Sets port.
first_client() {
	tmux_lab lab 1 "$@"
	wait_for_screen_text "lab 1, step 1/6>"
	port=$(lab_port)
	tmux_window lab:1 "nc 127.0.0.1 $port"
	wait_for_screen_text "PASS (step 1 of 6)"
	tmux_keys lab:0 Enter
	wait_for_screen_text "lab 1, step 2/6>"
}

@test "lab shell: nc in a second window advances the steps; a prediction is recorded and shown" {
	tmux_lab lab 1 --record "$BATS_TEST_TMPDIR/t.txt"
	wait_for_screen_text "Step 1 of 6"
	wait_for_screen_text "lab 1, step 1/6>"
	port=$(lab_port)
	[[ -n $port ]]

	tmux_window lab:1 "nc 127.0.0.1 $port"
	wait_for_screen_text "PASS (step 1 of 6): the server accepted 1 client"
	# A step that passed waits for Enter before the next one starts.
	wait_for_screen_text "lab 1, step 1/6 passed, Enter goes on>"
	assert_not_contains "$(screen)" "Step 2 of 6"
	tmux_keys lab:0 Enter
	wait_for_screen_text "Step 2 of 6: Say hello"
	tmux_keys lab:1 "Hello" Enter
	wait_for_screen_text "PASS (step 2 of 6): the server received 'Hello'"
	tmux_keys lab:0 Enter

	# Step 3 asks first; the guess is kept and shown beside what happened.
	wait_for_screen_text "your guess>"
	tmux_keys lab:0 "it will be answered" Enter
	wait_for_screen_text "Your guess is noted: it will be answered"
	tmux_window lab:2 "nc 127.0.0.1 $port"
	tmux_keys lab:2 "Hello" Enter
	wait_for_screen_text "PASS (step 3 of 6): 1 client waited"
	wait_for_screen_text "You predicted: it will be answered"
	wait_for_screen_text "What happened: No answer."
	tmux_keys lab:0 Enter
	wait_for_screen_text "Step 4 of 6"
	assert_contains "$(cat "$BATS_TEST_TMPDIR/t.txt")" "You predicted: it will be answered"
}

@test "lab shell: Tab completes a command; status shows who waits; the commands stay under the prompt" {
	first_client
	# The row under the prompt lists the commands.
	screen | grep -A1 -F "lab 1, step 2/6>" | tail -1 | grep -qF "next  back  hint  check  status"
	tmux_window lab:2 "nc 127.0.0.1 $port"
	tmux_keys lab:0 "sta" Tab
	wait_for_screen_text "lab 1, step 2/6> status"
	tmux_keys lab:0 Enter
	wait_for_screen_text "server: netlab sequential"
	wait_for_screen_text "WAITING: connected"
	wait_for_screen_text "Accept queue: 1 of "	# the same picture as netlab watch
	tmux_keys lab:0 "time" Tab Enter
	wait_for_screen_text "A accept()  r received"
}

@test "lab shell: netlab with no command on a terminal opens the lab menu" {
	tmux_lab
	wait_for_screen_text "lab number or name (q quits)>"
	wait_for_screen_text " 1  sequential"
	tmux_keys lab:0 "2" Enter
	wait_for_screen_text "Step 1 of 5: The first client"
	tmux_keys lab:0 "quit" Enter
	wait_for_screen_text "Shutting down server..."
}

@test "lab shell: help lists the commands, hint helps, Up brings a command back, back returns a step" {
	tmux_lab lab 1
	wait_for_screen_text "lab 1, step 1/6>"
	tmux_keys lab:0 "help" Enter
	# What each command does: words only help prints (the names alone are
	# on the command bar before help is typed).
	for what in "skip to the next step" "the step before" "a hint for this step" \
	    "what this step still waits for" "who is connected, who waits" "the session so far" \
	    "restart the server, redo step" "forget this lab's progress" "leave (Ctrl-D too)"; do
		wait_for_screen_text "$what"
	done
	local hints
	tmux_keys lab:0 "hint" Enter
	wait_for_screen_text "Hint:"
	hints=$(screen | grep -c "Hint:")
	# Readline's history: Up brings back 'hint', Enter runs it again.
	tmux_keys lab:0 Up
	wait_for_screen_text "lab 1, step 1/6> hint"
	tmux_keys lab:0 Enter
	wait_until 10 "Up + Enter to run hint again" more_hints_than "$hints" ||
		fail "Up + Enter did not run hint again" "$(screen)"
	tmux_keys lab:0 "next" Enter
	wait_for_screen_text "lab 1, step 2/6>"
	tmux_keys lab:0 "back" Enter
	# "Step 1 of 6" is on the screen from the start: wait for the prompt.
	wait_until 10 "the prompt of step 1" last_prompt_is "lab 1, step 1/6>" ||
	    fail "back did not return to step 1" "$(screen)"
	assert_contains "$(screen | grep -F "lab 1, step 2/6> back" -A3)" "Step 1 of 6"
}

@test "lab shell: at 100 columns long lines wrap at a space under their text; a passed step shows no hint" {
	local long="Hello, this is a long line typed by a student who wants to see how the lab shell wraps a log line at the width of the terminal"
	first_client
	tmux_keys lab:1 "$long" Enter
	wait_for_screen_text "PASS (step 2 of 6)"
	tmux_keys lab:0 Enter
	wait_for_screen_text "your guess>"
	tmux_keys lab:0 "s" Enter
	wait_for_screen_text "Your guess is noted: sì"
	tmux_window lab:2 "nc 127.0.0.1 $port"
	tmux_keys lab:2 "Hello" Enter
	wait_for_screen_text "PASS (step 3 of 6)"
	tmux_keys lab:0 Enter
	wait_for_screen_text "lab 1, step 4/6, Enter runs it>"
	tmux_keys lab:0 Enter
	wait_for_screen_text "PASS (step 4 of 6)"
	tmux_keys lab:0 Enter
	wait_for_screen_text "Step 5 of 6"
	tmux_keys lab:0 "no" Enter
	wait_for_screen_text "Your guess is noted: no"
	tmux_keys lab:0 "status" Enter
	wait_for_screen_text "its bytes unread"
	tmux_keys lab:1 C-c
	wait_for_screen_text "PASS (step 5 of 6)"

	# Nothing was left for the terminal to wrap (back at column 0, mid-word):
	# every row fits, so joining wrapped rows (-J) joins none.
	assert_equal "$(screen | grep -c .)" "$(rows | grep -c .)"
	(($(rows | awk '{ if (length > m) m = length } END { print m }') <= 100))
	# A log line goes on under its text, its [main] tag left clear, cut at a space.
	rows | grep -A1 -F "| [main] Received: b'Hello, this is" | tail -1 | grep -qE '^  \| {8}[a-z]'
	assert_equal "$(joined "| [main] Received: b'Hello, this is")" "[main] Received: b'$long\\n'"
	# A PASS line goes on under its summary; a status row under its client's text.
	rows | grep -A1 -F "PASS (step 3 of 6):" | tail -1 | grep -qE '^ {20}[^ ]'
	assert_equal "$(joined "PASS (step 3 of 6):")" "PASS (step 3 of 6): 1 client waited 0.6 s in the kernel's queue, connected but not accepted; the bytes of 1 client sat 0.6 s unread, in the kernel, for nobody recv()ed them"
	rows | grep -A1 -F "WAITING: connected" | tail -1 | grep -qE '^ {25}[^ ]'
	assert_contains "$(joined "WAITING: connected")" "not accepted yet (in the kernel's queue), its bytes unread"
	# Step 5 passed: its hint is for 'hint' and for a failed step, not here.
	assert_contains "$(screen)" "PASS (step 5 of 6)"
	assert_not_contains "$(screen)" "Hint: Ctrl-C goes into the first nc's window."
	assert_contains "$(screen)" "You predicted: sì"
}

@test "lab shell: an Italian lab at 100 columns wraps at spaces too (--auto on a terminal)" {
	# netlab in Italian reads labs/it, and its own messages are Italian too.
	tmux_start lab 100 50 "env LANG=it_IT.UTF-8 LANGUAGE= LC_ALL= \
	    XDG_STATE_HOME='$XDG_STATE_HOME' '$NETLAB' lab 1 --auto"
	tmux_wait lab:0 "lab superato" 60
	# No line was left for the terminal to wrap, accents counted as one column.
	assert_equal "$(screen | grep -c .)" "$(rows | grep -c .)"
	rows | grep -A1 -F "PASS (passo 3 di 6):" | tail -1 | grep -qE '^ {21}[^ ]'
	rows | grep -A1 -F "[main]   # il thread principale serve" | tail -1 | grep -qE '^  \| {8}[^ ]'
}

@test "lab shell: Hello typed here points at the nc window; back counts an nc still connected; hint helps a step without one" {
	first_client
	tmux_keys lab:0 "Hello" Enter
	wait_for_screen_text "'Hello' goes into the nc window 'first', not here"
	# Step 1 again: the first nc is still connected, and that is the step done.
	tmux_keys lab:0 "back" Enter
	wait_for_screen_text "lab 1, step 1/6 passed, Enter goes on>"
	tmux_keys lab:0 "hint" Enter
	wait_for_screen_text "This step has passed: Enter goes on to the next."
	tmux_keys lab:0 Enter
	wait_for_screen_text "lab 1, step 2/6>"
	tmux_keys lab:0 Enter
	tmux_keys lab:1 "Hello" Enter
	wait_for_screen_text "PASS (step 2 of 6)"
	tmux_keys lab:0 Enter
	tmux_keys lab:0 "skip" Enter
	wait_for_screen_text "Your guess is noted: (none)"
	tmux_keys lab:0 Enter
	# Step 3 has a hint of its own; any step says what it still waits for.
	tmux_keys lab:0 "hint" Enter
	wait_for_screen_text "This step waits for: 1 client waited 0.6 s in the kernel's queue"
}
