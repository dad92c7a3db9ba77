#!/usr/bin/env bats
# make demo: sequential versus threaded, played by itself, no input needed.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

@test "demo: plays both designs by itself and shows the difference" {
	run -0 timeout 90 "$TESTS/../scripts/demo" "$NETLAB" </dev/null 3>&-
	assert_contains "$output" "netlab sequential --port 0"
	assert_contains "$output" "two seconds later, B is still waiting: nobody has accepted it"
	assert_contains "$output" "netlab threaded --port 0"
	assert_contains "$output" "B was answered at once, while A is still connected"
	assert_contains "$output" "client B | Received: b'Hello, world'"
	assert_contains "$output" "server   | [thread 2] Received: b'Hello, world'"
}
