# tests/tmux.bash - a real terminal for the full-screen tests (client -i,
# the lab shell): tmux on a private server, driven as a person types.
#
# Every test gets its own tmux server (-L netlab, with TMUX_TMPDIR in the
# test's directory), so it never sees a user's sessions or another test's;
# the helper's teardown ends it, and with it every pane it started. A pane
# stays on screen after its program exits (remain-on-exit), so a test can
# still read what it printed last.

tmx() {
	TMUX_TMPDIR=$BATS_TEST_TMPDIR tmux -L netlab "$@"
}

# tmux_start SESSION COLUMNS ROWS COMMAND [NAME]: a new session whose first
# window (SESSION:0, or SESSION:NAME) runs COMMAND in a terminal of that size.
tmux_start() {
	echo "set -g remain-on-exit on" >"$BATS_TEST_TMPDIR/tmux.conf"
	tmx -f "$BATS_TEST_TMPDIR/tmux.conf" new-session -d -s "$1" -x "$2" -y "$3" \
	    ${5:+-n "$5"} "$4"
	TMUX_STARTED=1
}

# tmux_window TARGET COMMAND [NAME]: another window, e.g.
# tmux_window lab:1 "nc 127.0.0.1 $port", or tmux_window lab: "$cmd" bob.
tmux_window() {
	tmx new-window -d -t "$1" ${3:+-n "$3"} "$2"
}

# tmux_keys TARGET KEYS...: type, as send-keys does (Enter, Tab, Up, C-d).
tmux_keys() {
	tmx send-keys -t "$@"
}

# tmux_screen TARGET: what that pane shows, with 300 lines of scrollback,
# a line the terminal wrapped joined again (-J), without trailing blanks.
tmux_screen() {
	tmx capture-pane -p -J -S -300 -t "$1" | sed 's/[[:space:]]*$//'
}

# screen [WINDOW]: what window WINDOW (default 0) of the session 'lab' shows.
screen() {
	tmux_screen "lab:${1:-0}"
}

screen_has() {
	tmux_screen "$1" | grep -qF -- "$2"
}

# tmux_wait TARGET TEXT [SECONDS]: until TEXT is on that pane.
tmux_wait() {
	wait_until "${3:-10}" "'$2' on pane $1" screen_has "$1" "$2" ||
		fail "pane $1 shows:" "$(tmux_screen "$1")"
}

# tmux_end: the test's tmux server and its panes end (from teardown).
tmux_end() {
	if [[ -n ${TMUX_STARTED-} ]]; then
		tmx kill-server 2>/dev/null || true
		TMUX_STARTED=
	fi
}
