#!/usr/bin/env bats
# LESSONS.md teaches from the real code: its excerpts and commands must
# still match src/ and the binary.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
}

@test "lessons: every C excerpt in LESSONS.md is still in the file it names" {
	run python3 "$TESTS/lessons_quotes.py"
	assert_success
	local checked
	checked=$(sed -n 's/^checked \([0-9]*\) excerpts.*/\1/p' <<<"$output")
	((checked >= 10)) || fail "only $checked excerpts checked" "$output"
}

@test "lessons: one section for each lab, in English and in Italian" {
	local labs
	labs=$(ls "$TESTS"/../labs/*.lab | wc -l)
	run grep -c '^## Lab [0-9]*: ' "$TESTS/../LESSONS.md"
	assert_equal "$output" "$labs"
	run grep -c '^## Lab [0-9]*: ' "$TESTS/../LESSONS.it.md"
	assert_equal "$output" "$labs"
}

@test "lessons: the commands it has students type exist" {
	local cmd known
	known=$("$NETLAB" --help | sed -n 's/^  \([a-z]*\) .*/\1/p')
	for cmd in sequential threaded limited pool fork select poll epoll async uring reuseport \
	    threads client watch check; do
		grep -qx "$cmd" <<<"$known" || fail "--help lacks $cmd"
		grep -qF "./netlab $cmd" "$TESTS/../LESSONS.md" || fail "LESSONS.md never runs $cmd"
	done
}
