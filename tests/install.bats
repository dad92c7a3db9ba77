#!/usr/bin/env bats
# make install / uninstall, as a packager runs them: PREFIX and DESTDIR.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	ROOT=$BATS_TEST_TMPDIR/root
}

@test "install: the binary and the labs go under DESTDIR/PREFIX, and uninstall takes them away" {
	cd "$TESTS/.."
	run -0 make -s install PREFIX=/opt/netlab DESTDIR="$ROOT"
	[[ -x $ROOT/opt/netlab/bin/netlab ]]
	run -0 "$ROOT/opt/netlab/bin/netlab" --version
	[[ $output == "netlab "* ]]
	local labs=("$ROOT"/opt/netlab/share/netlab/labs/*.lab)
	assert_equal "${#labs[@]}" "$(ls labs/*.lab | wc -l)"
	# The installed labs are complete: the binary lists them all.
	run -0 env NETLAB_LABDIR="$ROOT/opt/netlab/share/netlab/labs" \
	    "$ROOT/opt/netlab/bin/netlab" lab list
	assert_contains "$output" "sequential"
	assert_contains "$output" "compare"

	# The translation, the man page, the completion.
	[[ -f $ROOT/opt/netlab/share/locale/it/LC_MESSAGES/netlab.mo ]]
	[[ -f $ROOT/opt/netlab/share/man/man1/netlab.1 ]]
	[[ -f $ROOT/opt/netlab/share/bash-completion/completions/netlab ]]
	grep -qF /opt/netlab/share/netlab/labs "$ROOT/opt/netlab/share/man/man1/netlab.1"

	run -0 make -s uninstall PREFIX=/opt/netlab DESTDIR="$ROOT"
	[[ ! -e $ROOT/opt/netlab/bin/netlab ]]
	[[ ! -e $ROOT/opt/netlab/share/netlab ]] || fail "uninstall left share/netlab behind"
	run find "$ROOT" -type f
	assert_equal "$output" ""
}

@test "install: installed under a PREFIX and run from elsewhere, it finds its labs and Italian, has a man page and completes" {
	local prefix=$BATS_TEST_TMPDIR/prefix
	cd "$TESTS/.."
	# A build of its own, for this PREFIX: the binary knows where it is installed.
	run -0 make -s BUILD="$BATS_TEST_TMPDIR/build" BIN="$BATS_TEST_TMPDIR/netlab" \
	    PREFIX="$prefix" install
	cd "$BATS_TEST_TMPDIR"
	run -0 env -u NETLAB_LABDIR LANG=C.UTF-8 "$prefix/bin/netlab" lab list
	assert_contains "$output" "(from $prefix/share/netlab/labs)"
	run -0 env -u NETLAB_LABDIR LANG=it_IT.UTF-8 "$prefix/bin/netlab" doctor --port 0
	assert_contains "$output" "netlab doctor: quello che serve a una classe"
	assert_contains "$output" "la traduzione italiana è in $prefix/share/locale/it/LC_MESSAGES/netlab.mo"

	# man netlab, through MANPATH, renders without a warning (wide: the test's
	# PREFIX is a long temporary path, which troff cannot break in 80 columns).
	run -0 --separate-stderr env MANPATH="$prefix/share/man" MANWIDTH=250 man --warnings netlab
	assert_contains "$output" "a teaching lab for concurrent TCP servers"
	assert_contains "$output" "$prefix/share/netlab/labs"
	assert_equal "$stderr" ""

	# The completion, as bash-completion loads it, completes a command and a lab.
	run -0 env PATH="$prefix/bin:$PATH" bash -c '
		source "$1/share/bash-completion/completions/netlab"
		COMP_WORDS=(netlab thr); COMP_CWORD=1; _netlab; echo "${COMPREPLY[*]}"
		COMP_WORDS=(netlab lab seq); COMP_CWORD=2; _netlab; echo "${COMPREPLY[*]}"' _ "$prefix"
	assert_equal "$output" "threaded threads"$'\n'"sequential"

	cd "$TESTS/.."
	run -0 make -s BUILD="$BATS_TEST_TMPDIR/build" BIN="$BATS_TEST_TMPDIR/netlab" \
	    PREFIX="$prefix" uninstall
	run find "$prefix" -type f
	assert_equal "$output" ""
}
