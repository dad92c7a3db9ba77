#!/usr/bin/env bats
# fuzz.bats - every input that ever crashed a fuzz target, replayed.
#
# 'make fuzz' runs the libFuzzer targets in fuzz/; what they found is kept
# in fuzz/regressions/NAME/, and the seed corpus in fuzz/corpus/NAME/. Here
# each target runs over both without libFuzzer, built under AddressSanitizer
# and UndefinedBehaviorSanitizer (build/replay/NAME, made by 'make test'):
# a fixed parser that breaks again fails this test.

load test_helper
bats_require_minimum_version 1.5.0

setup() {
	_netlab_setup
	ROOT=$BATS_TEST_DIRNAME/..
}

# replay NAME: the target over its regressions and its seeds, all must pass.
# A target with no seeds replays nothing and proves nothing: that fails too.
replay() {
	local bin=$ROOT/build/replay/$1 seeds regressions

	[[ -x $bin ]] || { echo "$bin is missing: run make replay"; return 1; }
	shopt -s nullglob
	seeds=("$ROOT"/fuzz/corpus/"$1"/*)
	regressions=("$ROOT"/fuzz/regressions/"$1"/*)
	shopt -u nullglob
	((${#seeds[@]} > 0)) || { echo "fuzz/corpus/$1/ holds no input: nothing to replay"; return 1; }
	run "$bin" "${regressions[@]}" "${seeds[@]}"
	echo "$output"
	((status == 0))
	[[ $output == *"replayed $((${#regressions[@]} + ${#seeds[@]})) input"* ]]
}

@test "fuzz: repr_bytes matches Python's repr on every kept input" {
	replay repr
}

@test "fuzz: the log shows the longest prefix of a long chunk that fits" {
	replay log_fit
}

@test "fuzz: chat relays every byte of a line, escaped, split only at newline or its bound" {
	replay chat
}

@test "fuzz: a lab file is loaded or refused with FILE:LINE, never undefined behaviour" {
	replay lab_file
}

@test "fuzz: command-line numbers are whole decimal numbers in range, nothing else" {
	replay number
}

@test "fuzz: watch's /proc parsers take any text and accept only what makes sense" {
	replay kernel
}
