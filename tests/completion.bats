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
	assert_contains "$output" "sequential threaded limited pool fork select poll epoll async uring reuseport"
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

@test "completion: the command is found past every option that takes a value" {
	local commands opt
	commands=$("$NETLAB" --complete commands | tr '\n' ' ' | sed 's/ $//')
	for opt in -H --host -p --port --handler --delay --idle-timeout --max-clients \
	    --record --pid --listen -c --clients -n --messages -s --size --timeout --svg \
	    --designs --rounds --expect --lang; do
		complete_words "$opt" 5 ""
		[[ $output == "$commands" ]] || fail "after '$opt 5': '$output'"
	done
	complete_words -c 5 lab ""
	assert_contains "$output" "list 1 sequential"
}

@test "completion: the values of --expect and --designs, files after --svg" {
	complete_words check --expect ""
	assert_equal "$output" "sequential concurrent"
	complete_words compare --designs e
	assert_equal "$output" "epoll"
	complete_words compare --designs ""
	assert_equal "$output" "$("$NETLAB" --list-designs | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
	cd "$BATS_TEST_TMPDIR" && touch chart-one.svg
	complete_words compare --svg chart-
	assert_equal "$output" "chart-one.svg"
}

@test "completion: after '--', the COMMAND: a program, then its files, never netlab's options" {
	complete_words watch -- python
	assert_contains "$output" "python3"
	cd "$BATS_TEST_TMPDIR" && touch my-server.py
	complete_words check -- python3 my-s
	assert_equal "$output" "my-server.py"
	complete_words show -- python3 my-server.py --p
	assert_equal "$output" ""
}

@test "completion: --complete with anything else is a usage error" {
	run --separate-stderr "$NETLAB" --complete colours
	assert_status 2
	assert_equal "$stderr" "netlab: --complete takes commands, options, values, handlers, designs or labs, not 'colours' (see netlab --help)"
}
