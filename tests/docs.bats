#!/usr/bin/env bats
# The docs are tested: every netlab command line in README.md and in the
# lessons (LESSONS.md, LESSONS.it.md) is one netlab accepts, the error lines
# they show are the ones netlab prints, the servers they start really start,
# and the man page names every command, option and handler netlab has.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	export NETLAB_LABDIR=$BATS_TEST_DIRNAME/../labs
	export LANG=C.UTF-8 LANGUAGE= LC_ALL=
	cd "$BATS_TEST_DIRNAME/.."
	DOCS=(README.md LESSONS*.md)
}

# doc_commands: "FILE:LINE <tab> ARGS <tab> EXPECTED ERROR" for every command.
doc_commands() {
	python3 tests/doc_commands.py "${DOCS[@]}"
}

# lang_of FILE:LINE: the language its reader runs netlab in (LESSONS.it.md: it).
lang_of() {
	[[ $1 == *.it.md:* ]] && echo it || echo en
}

@test "docs: the command lines are found in README.md and every LESSONS file" {
	local doc n
	for doc in "${DOCS[@]}"; do
		n=$(python3 tests/doc_commands.py "$doc" | wc -l)
		((n >= 5)) || fail "only $n netlab command lines found in $doc"
	done
	[[ " ${DOCS[*]} " == *" LESSONS.md "* ]] || fail "LESSONS.md is missing"
}

@test "docs: every netlab command line in the docs is one netlab accepts, or fails as they show" {
	local where args expected failures=() labs
	labs=" $("$NETLAB" --complete labs | tr '\n' ' ') "
	while IFS=$'\t' read -r where args expected; do
		eval "set -- $args"
		if [[ -n $expected ]]; then
			run --separate-stderr timeout 10 "$NETLAB" --lang "$(lang_of "$where")" "$@"
			[[ $status -eq 2 && $stderr == "$expected" ]] ||
				failures+=("$where: netlab $args: expected status 2 and '$expected', got $status and '$stderr'")
			continue
		fi
		run --separate-stderr timeout 10 "$NETLAB" --dry-run "$@"
		((status == 0)) && [[ -z $stderr ]] ||
			failures+=("$where: netlab $args: status $status: $stderr")
		if [[ ${1-} == lab && -n ${2-} && $2 != -* && $labs != *" $2 "* ]]; then
			failures+=("$where: netlab $args: no lab '$2' (lab list:$labs)")
		fi
	done < <(doc_commands)
	((${#failures[@]} == 0)) || fail "${failures[@]}"
}

@test "docs: a command line that netlab refuses fails this check (the check can fail)" {
	run --separate-stderr "$NETLAB" --dry-run sequental
	assert_status 2
	run --separate-stderr "$NETLAB" --dry-run threaded --handler shout
	assert_status 2
	run --separate-stderr "$NETLAB" --dry-run limited 0
	assert_status 2
	run -0 "$NETLAB" --dry-run pool auto --port 0
	assert_equal "$output" ""
}

@test "docs: every server the docs start really starts on --port 0 and stops cleanly" {
	local where args expected seen=" "
	while IFS=$'\t' read -r where args expected; do
		eval "set -- $args"
		[[ -z $expected && -n ${1-} ]] || continue
		case $1 in
		sequential | threaded | limited | pool | fork | select | poll | epoll | async | uring | \
		    reuseport) ;;
		*) continue ;;
		esac
		[[ $seen != *" $args "* ]] || continue
		seen+="$args "
		# Tests stay on loopback: class mode's --host is proved in classmode.bats.
		local kept=() arg
		while (($# > 0)); do
			arg=$1
			shift
			case $arg in
			-H | --host) shift ;;
			*) kept+=("$arg") ;;
			esac
		done
		set -- "${kept[@]}"
		start_server "$@" || fail "$where: netlab $args did not start"
		stop_server || fail "$where: netlab $args did not stop cleanly"
		assert_log "Shutting down server..."
	done < <(doc_commands)
	[[ $seen == *" sequential "* && $seen == *" threaded "* ]] || fail "servers seen:$seen"
}

@test "docs: the client, --help and threads the docs run work for real" {
	start_server threaded
	run -0 timeout 10 "$NETLAB" client --port "$PORT"
	assert_contains "$output" "Received: b'Hello, world'"
	stop_server
	run -0 timeout 10 "$NETLAB" --help
	assert_contains "$output" "usage: netlab"
	run -0 timeout 30 "$NETLAB" threads
}

@test "docs: the man page names every command, option and handler netlab has" {
	local word missing=()
	for word in $("$NETLAB" --complete commands) $("$NETLAB" --complete handlers); do
		grep -qE "^\.It (Cm|Ql|Ar)? ?.*\b$word\b|^\.It Cm $word" man/netlab.1 || missing+=("$word")
	done
	for word in $("$NETLAB" --complete options); do
		word=${word#-}
		word=${word#-}
		grep -qE "Fl ([^ ]+ , )?\\\\?-?$word\b" man/netlab.1 || missing+=("-$word")
	done
	((${#missing[@]} == 0)) || fail "not in man/netlab.1: ${missing[*]}"
}

@test "docs: README's command table has a row for every command" {
	local cmd missing=()
	for cmd in $("$NETLAB" --complete commands); do
		grep -qE "^\| \`$cmd( [^\`]*)?\`|\(or \`$cmd\`\)" README.md || missing+=("$cmd")
	done
	((${#missing[@]} == 0)) || fail "no row in README.md's command table: ${missing[*]}"
}

# man_option_entry NAME: the source of the man page's OPTIONS entry for --NAME,
# from its .It line to the next.
man_option_entry() {
	awk -v name="$1" '/^\.Sh/ { options = ($2 == "OPTIONS") }
		options && /^\.It/ { on = index($0 " ", "\\-" name " ") > 0 }
		options && on' man/netlab.1
}

@test "docs: the man page's OPTIONS has an entry for every option, naming each command that takes it" {
	local word entry cmd value
	declare -A values=([pid]=5 [record]=x.svg [listen]=127.0.0.1:0 [clients]=5 [messages]=5
	    [size]=5 [timeout]=5 [svg]=x.svg [designs]=epoll [rounds]=2 [expect]=concurrent)
	for word in $("$NETLAB" --complete options); do
		[[ $word == --* ]] || continue
		word=${word#--}
		entry=$(man_option_entry "$word")
		[[ -n $entry ]] || fail "no entry for --$word under OPTIONS"
		case $word in	# the options of the servers (or of all) say so in their own words
		host | port | handler | unsafe | quiet | delay | idle-timeout | max-clients | nagle | \
		no-color | lang | help | version) continue ;;
		esac
		for cmd in $("$NETLAB" --complete commands); do
			"$NETLAB" "$cmd" "--$word" ${values[$word]} --dry-run >/dev/null 2>&1 || continue
			grep -qw "$cmd" <<<"$entry" || fail "--$word's entry does not name $cmd: $entry"
		done
	done
}

@test "docs: the man page counts no designs that compare does not run" {
	local n
	n=$("$NETLAB" --list-designs | wc -l)
	# "all eight" was true until a ninth design came: say "every", or the count.
	run grep -nE "all (two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b" man/netlab.1
	local words=(zero one two three four five six seven eight nine ten eleven twelve)
	[[ $status -ne 0 || $output == *"all ${words[n]}"* ]] || fail "the man page says: $output ($n designs)"
}

@test "docs: the man page's log keeps seed 004's two spaces, and its exit status the spec's" {
	run -0 --separate-stderr env MANWIDTH=100 man -l man/netlab.1
	assert_contains "$output" "Received new connection from  ('IP', PORT)"
	local status
	status=$(sed -n '/^EXIT STATUS/,/^EXAMPLES/p' <<<"$output" | tr -s ' \n' ' ')
	assert_contains "$status" "netlab: cannot listen on localhost port 12345: Address already in use (try --port 0)"
	assert_contains "$status" "netlab: unknown command 'sequental' (see netlab --help)"
	assert_contains "$status" "a second Ctrl-C"
	assert_contains "$status" "a lab --auto whose expectations were not all met"
	for cmd in bench check compare; do
		[[ $status =~ \ 130\ ([^0-9]*\ )?$cmd[\ ,.] ]] || fail "130 does not name $cmd: $status"
	done
}

@test "docs: the man page renders without a warning (man, and mandoc's linter)" {
	run -0 --separate-stderr env MANWIDTH=80 man --warnings -l man/netlab.1
	assert_equal "$stderr" ""
	assert_contains "$output" "EXIT STATUS"
	run -0 --separate-stderr mandoc -T lint -W warning man/netlab.1
	assert_equal "$output$stderr" ""
}
