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

	run -0 make -s uninstall PREFIX=/opt/netlab DESTDIR="$ROOT"
	[[ ! -e $ROOT/opt/netlab/bin/netlab ]]
	[[ ! -e $ROOT/opt/netlab/share/netlab/labs ]]
}
