#!/usr/bin/env bats
# Bash completion (completion/netlab.bash): commands, options, handlers,
# lab numbers and names, asked of the binary itself so they cannot drift.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	export NETLAB_LABDIR=$BATS_TEST_DIRNAME/../labs
}

# complete WORD...: COMPREPLY for the command line WORD..., the last word
# being completed, as bash would call the function.
complete_words() {
	run -0 bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_netlab; echo "${COMPREPLY[*]}"' _ "$BATS_TEST_DIRNAME/../completion/netlab.bash" \
	    "$NETLAB" "$@"
}

@test "completion: the commands, from the binary's own table" {
	complete_words ""
	assert_equal "$output" "$("$NETLAB" --complete commands | tr '\n' ' ' | sed 's/ $//')"
	assert_contains "$output" "sequential threaded limited pool fork select poll epoll async"
	assert_contains "$output" "doctor"
	complete_words se
	assert_equal "$output" "sequential select"
}

@test "completion: options anywhere, long and short" {
	complete_words --ha
	assert_equal "$output" "--handler"
	complete_words threaded --no
	assert_equal "$output" "--no-color"
	complete_words --la
	assert_equal "$output" "--lang"
}

@test "completion: the handler names after --handler, it and en after --lang" {
	complete_words threaded --handler ""
	assert_equal "$output" "echo upper ack chat count"
	complete_words --lang ""
	assert_equal "$output" "it en"
}

@test "completion: lab numbers and names, and the command is found past options and their values" {
	complete_words lab ""
	assert_contains "$output" "list 1 sequential 2 threaded"
	assert_contains "$output" "11 compare"
	complete_words --port 0 lab sh
	assert_equal "$output" "shared-state"
	complete_words -p 4000 pool ""
	assert_equal "$output" "auto"
	complete_words lab 1 ""
	assert_equal "$output" ""
	complete_words --port ""
	assert_equal "$output" ""
}

@test "completion: --complete with anything else is a usage error" {
	run --separate-stderr "$NETLAB" --complete colours
	assert_status 2
	assert_equal "$stderr" "netlab: --complete takes commands, options, handlers or labs, not 'colours' (see netlab --help)"
}
