#!/usr/bin/env bats
# soak.bats - the short soak (5 s a design) in every make test: each design
# under a mixed crowd of polite and rude clients at once (tests/soak.py says
# which), nothing lost, nothing leaked. 'make soak' runs the long one.

load test_helper
bats_require_minimum_version 1.5.0

setup() {
	_netlab_setup
}

@test "soak: every design survives a mixed crowd for 5 s, loses no byte and leaks nothing" {
	run timeout 600 python3 "$TESTS/soak.py" --netlab "$NETLAB" --seconds "${SOAK_SECONDS:-5}"
	echo "$output"
	((status == 0))
	# Every design netlab has, uring and reuseport among them.
	[[ ${lines[-1]} == "soak: PASS, every design ($("$NETLAB" --list-designs | wc -l)), nothing lost" ]]
}
