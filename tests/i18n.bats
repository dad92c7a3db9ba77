#!/usr/bin/env bats
# netlab in Italian: the language follows the locale, or --lang, which wins;
# it works where no Italian locale is generated (a fresh Debian has only
# C.UTF-8); the event lines stay the tutorials' words in every language;
# every message in the sources has its Italian translation.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	_netlab_setup
	export NETLAB_LABDIR=$BATS_TEST_DIRNAME/../labs
	unset LANGUAGE LC_ALL LC_MESSAGES
}

ITALIAN="netlab doctor: quello che serve a una classe, su questa macchina"
ENGLISH="netlab doctor: what a class needs on this machine"

# first_line ENV...: the first line of netlab doctor under that environment.
first_line() {
	run --separate-stderr timeout 20 env "$@" "$NETLAB" doctor --port 0
	output=${output%%$'\n'*}
}

@test "i18n: LANG=it_IT.UTF-8 gives Italian even where that locale is not generated" {
	# The machine CI runs on has no Italian locale; say so if this one has.
	if locale -a | grep -qi '^it_IT'; then
		echo "# note: it_IT is generated here: the fallback is not exercised" >&3
	fi
	first_line LANG=it_IT.UTF-8
	assert_equal "$output" "$ITALIAN"
	assert_equal "$stderr" ""
}

@test "i18n: LC_ALL and LC_MESSAGES come before LANG, as in every GNU program" {
	first_line LANG=en_US.UTF-8 LC_MESSAGES=it_IT.UTF-8
	assert_equal "$output" "$ITALIAN"
	first_line LANG=it_IT.UTF-8 LC_ALL=en_US.UTF-8
	assert_equal "$output" "$ENGLISH"
}

@test "i18n: no locale, C or an English one gives English" {
	first_line LANG=
	assert_equal "$output" "$ENGLISH"
	first_line LANG=C
	assert_equal "$output" "$ENGLISH"
	first_line LANG=C.UTF-8
	assert_equal "$output" "$ENGLISH"
}

@test "i18n: --lang it wins over LANG=en, --lang en over LANG=it, before or after the command" {
	run --separate-stderr timeout 20 env LANG=en_US.UTF-8 "$NETLAB" --lang it doctor --port 0
	assert_equal "${output%%$'\n'*}" "$ITALIAN"
	run --separate-stderr timeout 20 env LANG=C "$NETLAB" doctor --port 0 --lang=it
	assert_equal "${output%%$'\n'*}" "$ITALIAN"
	run --separate-stderr timeout 20 env LANG=it_IT.UTF-8 "$NETLAB" doctor --port 0 --lang en
	assert_equal "${output%%$'\n'*}" "$ENGLISH"
}

@test "i18n: a language netlab does not speak is a usage error" {
	run --separate-stderr "$NETLAB" --lang fr doctor
	assert_status 2
	assert_contains "$stderr" "--lang must be 'it' or 'en', not 'fr'"
	run --separate-stderr "$NETLAB" doctor --lang
	assert_status 2
}

@test "i18n: doctor says which language and where the Italian translation is" {
	run timeout 20 env LANG=it_IT.UTF-8 "$NETLAB" doctor --port 0
	assert_contains "$output" "  ok    lingua: italiano (locale C.UTF-8); la traduzione italiana è in "
	assert_contains "$output" "/locale/it/LC_MESSAGES/netlab.mo"
}

@test "i18n: the event lines stay the tutorials' words in Italian" {
	LANG=it_IT.UTF-8 start_server threaded
	exec {c}<>/dev/tcp/127.0.0.1/"$PORT"
	printf 'ciao\n' >&$c
	read -r -t 5 -u $c line
	assert_equal "$line" "ciao"
	exec {c}>&-
	wait_for_log "Connection with"
	stop_server
	assert_log "Starting server on 'localhost' port $PORT"
	assert_log "Received new connection from  ('127.0.0.1', "
	assert_log "Received: b'ciao\\n'"
	assert_log "Shutting down server..."
}

@test "i18n: check --expect sequential in Italian: seen, why and hint in Italian, PASS, FAIL and the property names as the spec fixes them" {
	run timeout 90 "$NETLAB" --lang it check --no-color --expect sequential --port 0 -- \
	    python3 "$BATS_TEST_DIRNAME/student/fragile.py" 0
	assert_status 1
	assert_contains "$output" ", che ci si aspetta sequenziale"
	assert_contains "$output" "PASS  concurrent  il secondo client ha aspettato "
	assert_contains "$output" "sequenziale, come previsto"
	assert_contains "$output" "FAIL  rude        dopo "
	assert_contains "$output" "perché:    sulla porta "
	assert_contains "$output" "non ascolta più nessuno: il tuo server è terminato; le sue ultime parole:"
	assert_contains "$output" "ConnectionResetError"
	assert_contains "$output" "consiglio: un client che fa reset o sparisce deve costare al tuo server solo quel client"
	assert_contains "$output" "FAIL  no-leak     non eseguita: sulla porta "
	assert_contains "$output" "6 proprietà su 8 rispettate: sistema prima il primo FAIL."
	assert_not_contains "$output" "your server"
}

@test "i18n: check --json in Italian: the keys stay English, seen, why and hint follow the language" {
	run --separate-stderr timeout 60 "$NETLAB" --lang it check --json --expect sequential \
	    --port 0 -- "$NETLAB" threaded -p 0 -qq
	assert_status 1
	python3 -c '
import json, sys
r = json.loads(sys.argv[1])
c = [p for p in r["properties"] if p["name"] == "concurrent"][0]
assert not c["ok"], c
assert "è già concorrente" in c["why"], c
assert "questo è il server del passo successivo" in c["hint"], c
assert "il secondo client ha avuto risposta in" in c["seen"], c
' "$output"
}

@test "i18n: show in Italian: its start line, and a page in Italian (lang, headings, legend), its data words unchanged" {
	LANG=it_IT.UTF-8 "$NETLAB" show --listen 127.0.0.1:0 -- "$NETLAB" sequential --port 0 \
	    >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "in un browser"
	assert_log "Apri http://127.0.0.1:"
	url=$(grep -o 'http://[^ ]*' "$LOG")
	run -0 timeout 20 python3 "$TESTS/show_http.py" request "$url" GET /
	assert_contains "$output" '<html lang="it">'
	assert_contains "$output" '"h-queue":"Coda di accept"'
	assert_contains "$output" '"legend_recv":"recv: aspetta che un client parli"'
	# The words of the data stay English: attributes and JSON are data.
	run -0 timeout 20 python3 "$TESTS/show_http.py" holds "$url" "[l['doing'] for l in s['lanes']] == ['accept']"
	kill -INT "$SERVER_PID"
	wait_for_exit "$SERVER_PID"
	SERVER_PID=
	assert_equal "$status" 0
}

@test "i18n: every message in the sources has an Italian translation, and it.po compiles cleanly" {
	cd "$BATS_TEST_DIRNAME/.."
	xgettext --language=C --from-code=UTF-8 --keyword --keyword=_ --keyword=N_ \
	    --keyword=ngettext:1,2 -o "$BATS_TEST_TMPDIR/netlab.pot" \
	    src/*.c src/*/*.c
	msgmerge --quiet -o "$BATS_TEST_TMPDIR/it.po" po/it.po "$BATS_TEST_TMPDIR/netlab.pot"
	run msgattrib --untranslated --no-obsolete "$BATS_TEST_TMPDIR/it.po"
	assert_equal "$output" ""
	run msgattrib --only-fuzzy --no-obsolete "$BATS_TEST_TMPDIR/it.po"
	assert_equal "$output" ""
	run -0 msgfmt --check -o /dev/null po/it.po
}

# json_shape FILE: each row's design, keys and blocked, without the figures.
json_shape() {
	python3 -c "import json,sys
print([(r['design'], sorted(r), r['blocked']) for r in json.load(open(sys.argv[1]))])" "$1"
}

@test "i18n: compare's table and summary are Italian, and --json is the same data in every language" {
	local designs=(-c 5 -n 20 --designs sequential,epoll)
	run --separate-stderr timeout 120 "$NETLAB" --lang it compare "${designs[@]}"
	assert_success
	assert_contains "$output" "compare: 5 client x 20 messaggi x 64 byte"
	assert_contains "$output" "un nuovo client ha aspettato più di 1 s, in ogni giro, con: sequential"
	assert_contains "$output" "un nuovo client ha avuto risposta entro 1 s, in ogni giro, da: epoll"
	[[ $output =~ sequential\ +[0-9]+.*bloccato\ \(oltre\ 1\ s\) ]] || fail "$output"
	assert_not_contains "$output" "a new client"
	# Each heading and the line under the table once, as the English has them.
	assert_equal "$(grep -c 'attesa di un nuovo client' <<<"$output")" 1
	assert_equal "$(grep -o 'PSS MiB: ' <<<"$output" | wc -l)" 1
	timeout 120 "$NETLAB" --lang en compare "${designs[@]}" --json >"$BATS_TEST_TMPDIR/en.json"
	timeout 120 "$NETLAB" --lang it compare "${designs[@]}" --json >"$BATS_TEST_TMPDIR/it.json"
	run -0 json_shape "$BATS_TEST_TMPDIR/en.json"
	local en=$output
	[[ $en == "[('sequential', "*"'wait_ms'], True), ('epoll', "*"], False)]" ]] || fail "$en"
	run -0 json_shape "$BATS_TEST_TMPDIR/it.json"
	assert_equal "$output" "$en"
}

# ---- every command in Italian: no English left, numbers as Italians write them

# What a student met in English while netlab spoke Italian (issue 19's
# quotes), and the small words that give English away in any sentence.
ENGLISH_WORDS=("why:" "hint:" "PEER" "UNREAD" "UNSENT" "HELD BY" "DOING" "'first'"
    "'second'" "tutorial: seed" "(seed 00" "'back' revisits" "'quit' leaves"
    "the kernel keeps" "watched sockets" "waits for" "waiting" " the " " and "
    " is " " of " " your " " was " " were " " not " " with ")

# The tutorials' own lines, the same in every language (the spec's event
# lines and the client's), are left out before looking.
TUTORIAL_LINES="Starting server on|Received new connection from|Received: b'|Connection with \(|Shutting down server|Starting client\.\.\."

# assert_italian WHAT TEXT: no English word, no number written the English
# way (1,048,576 or 0.6 s) in TEXT, the output of WHAT.
assert_italian() {
	local text line word
	text=$(grep -vE "$TUTORIAL_LINES" <<<"$2")
	[[ -n $text ]] || { fail "$1 printed nothing"; return 1; }
	for word in "${ENGLISH_WORDS[@]}"; do
		line=$(grep -F -- "$word" <<<"$text" | head -1)
		[[ -z $line ]] || { fail "$1: English '$word' in Italian:" "$line"; return 1; }
	done
	# English: 1,048,576; 4,679 byte; 0.6 s; 0.035. An Italian 1,153 (ms)
	# reads the same as an English thousand, so a lone group counts only
	# before a word that counts things.
	line=$(grep -P '\b[0-9]{1,3}(,[0-9]{3}){2,}\b|\b[0-9]{1,3},[0-9]{3} (byte|messaggi|client|volte|somme)|[0-9]\.[0-9]+ ?(s|ms|MiB)\b|(^|[^0-9.,])0\.[0-9]+' <<<"$text" | head -1)
	[[ -z $line ]] || { fail "$1: a number written the English way:" "$line"; return 1; }
}

# it RUN-ARGS...: run netlab in Italian (its locale, not --lang).
it() {
	run --separate-stderr timeout 120 env LANG=it_IT.UTF-8 "$NETLAB" "$@"
}

@test "i18n: the check can fail: English words and English numbers are caught" {
	run assert_italian sample "il tuo server era in recv() with the first client"
	((status != 0)) || fail "' with ' was not caught"
	run assert_italian sample "1,048,576 byte inviati"
	((status != 0)) || fail "1,048,576 was not caught"
	run assert_italian sample "in 0.6 s"
	((status != 0)) || fail "0.6 s was not caught"
	run assert_italian sample "p50    0.102    1.153"
	((status != 0)) || fail "0.102 was not caught"
	assert_italian sample "1.048.576 byte inviati in 0,6 s da ('127.0.0.1', 40120)"
}

@test "i18n: --help, usage errors and runtime errors in Italian" {
	it --help
	assert_success
	assert_italian "--help" "$output"
	assert_contains "$output" "  client [MESSAGGIO]     invia MESSAGGIO"
	assert_contains "$output" "  check [-- COMANDO]     "
	it bogus
	assert_status 2
	assert_italian "a usage error" "$stderr"
	it threaded -p 99999
	assert_status 2
	assert_italian "a bad port" "$stderr"
	refusing_port
	it client -p "$PORT"
	assert_status 1
	assert_italian "client, nothing listening" "$output"$'\n'"$stderr"
	it watch --port "$PORT"
	assert_status 1
	assert_italian "watch, nothing listening" "$stderr"
}

@test "i18n: threads and doctor in Italian, their numbers written the Italian way" {
	it threads --no-color
	assert_success
	assert_italian threads "$output"
	assert_contains "$output" "ho sommato 1 al contatore 1.000.000 volte"
	assert_contains "$output" "contatore = 2.000.000, atteso 2.000.000: 0 somme perse"
	it doctor --port 0
	assert_italian doctor "$output"
}

@test "i18n: every server's annotations in Italian, two clients each, one leaving rudely" {
	local design
	for design in sequential threaded "limited 2" pool fork select poll epoll; do
		# shellcheck disable=SC2086 # 'limited 2' is a design and its N
		LANG=it_IT.UTF-8 start_server $design ||
			fail "$design did not start:" "$(cat "$LOG" "$ERR")"
		LANG=it_IT.UTF-8 run --separate-stderr timeout 10 "$NETLAB" client -p "$PORT" ciao
		((status == 0)) || fail "the client against $design exited $status:" "$stderr" \
		    "the server's log:" "$(cat "$LOG" "$ERR")"
		# The client prints only the tutorial's lines, in every language.
		assert_equal "$output" "Starting client..."$'\n'"Received: b'ciao'"
		assert_equal "$stderr" ""
		run -0 timeout 30 python3 "$TESTS/netclients.py" reset "$PORT"
		[[ $design == limited* ]] || stop_server
		[[ $design != limited* ]] || wait_for_exit "$SERVER_PID"
		assert_italian "$design's log" "$(cat "$LOG" "$ERR")"
	done
}

@test "i18n: watch --once in Italian: its headings, its words, a count of bytes written 124.000" {
	start_server threaded --delay 500
	open_client c1
	head -c 60000 /dev/zero >&"$c1"
	wait_until 10 "bytes to wait unread" \
	    eval '"$NETLAB" watch --once --port "$PORT" | grep -qE "ESTABLISHED +[0-9]+[.,][0-9]{3}"'
	it watch --once --port "$PORT"
	assert_success
	assert_italian "watch --once" "$output"
	assert_contains "$output" "CLIENT                 STATO       DA LEGGERE DA INVIARE  IN MANO A"
	assert_contains "$output" "TID     NOME            COSA FA"
	[[ $output =~ ESTABLISHED\ +[0-9]{1,3}\.[0-9]{3} ]] || fail "no Italian count of bytes: $output"
	exec {c1}>&-
	stop_server
}

@test "i18n: bench and compare in Italian: their figures with a decimal comma" {
	start_server threaded -q
	it bench -p "$PORT" -c 2 -n 20
	assert_success
	assert_italian bench "$output"$'\n'"$stderr"
	[[ $output =~ p50\ [0-9]+,[0-9]{3}\ ms ]] || fail "no decimal comma: $output"
	stop_server
	it compare -c 2 -n 10 --rounds 1 --designs sequential,epoll
	assert_success
	assert_italian compare "$output"
}

@test "i18n: check in Italian: perché and consiglio, 1.048.576 byte, never 1,048,576" {
	it check --no-color --expect sequential --port 0 -- "$NETLAB" threaded -p 0 -qq
	assert_status 1
	assert_italian check "$output"$'\n'"$stderr"
	assert_contains "$output" "PASS  large       1.048.576 byte inviati in un colpo solo"
	assert_contains "$output" "perché:    ti aspettavi un server sequenziale"
	assert_contains "$output" "consiglio: questo è il server del passo successivo"
	assert_not_contains "$output" "1,048,576"
}

# ---- the labs in Italian

# it_lab N [VAR=VALUE...] [--FLAG...]: netlab lab N --auto in Italian, within two minutes.
it_lab() {
	local n=$1 env=() flags=() arg
	shift
	for arg; do
		[[ $arg == -* ]] && flags+=("$arg") || env+=("$arg")
	done
	export XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
	run --separate-stderr timeout 120 env LANG=it_IT.UTF-8 "${env[@]}" "$NETLAB" lab "$n" --auto "${flags[@]}" 3>&-
}

@test "i18n: LANG=it_IT.UTF-8 lab 1 --auto is Italian from the title to the end, the event lines in the tutorial's words" {
	local steps
	steps=$(grep -c '^step:' labs/it/01-sequential.lab)
	it_lab 1
	assert_success
	# The runner's own words and the Italian lab's text.
	assert_contains "$output" "Passo 1 di $steps: "
	assert_contains "$output" "Avvio il server:"
	assert_contains "$output" "PASS (passo 3 di $steps): 1 client ha aspettato 0,6 s nella coda del kernel"
	assert_contains "$output" "$(sed -n 's/^title: //p' labs/it/01-sequential.lab)"
	assert_contains "$output" "  Guarda: "
	assert_contains "$output" "lab superato"
	# The server's annotations are Italian too: the lab's server speaks the lab's language.
	assert_contains "$output" "il thread principale serve ('127.0.0.1', "
	# The event lines are the tutorial's, in every language.
	assert_contains "$output" "Starting server on '127.0.0.1' port "
	assert_contains "$output" "Received new connection from  ('127.0.0.1', "
	assert_contains "$output" "Received: b'"
	assert_contains "$output" "Connection with ('127.0.0.1', "
	assert_not_contains "$output" "Step 1 of"
	assert_not_contains "$output" "Starting the server:"
}

@test "i18n: --lang it wins over LANG=en for the labs, --lang en over LANG=it" {
	run -0 env LANG=en_US.UTF-8 XDG_STATE_HOME="$BATS_TEST_TMPDIR/s" "$NETLAB" --lang it lab list
	assert_contains "$output" "I lab (da "
	assert_contains "$output" "$(sed -n 's/^title: //p' labs/it/02-threaded.lab | cut -c1-30)"
	run -0 env LANG=it_IT.UTF-8 XDG_STATE_HOME="$BATS_TEST_TMPDIR/s" "$NETLAB" --lang en lab list
	assert_contains "$output" "The labs (from "
	assert_contains "$output" "$(sed -n 's/^title: //p' labs/02-threaded.lab | cut -c1-30)"
}

@test "i18n: a lab with no Italian file runs in English after a one-line Italian note, and still passes" {
	local labs=$BATS_TEST_TMPDIR/labs
	mkdir -p "$labs/it"
	cp labs/02-threaded.lab labs/01-sequential.lab "$labs/"
	cp labs/it/01-sequential.lab "$labs/it/"	# lab 2 has no Italian file here
	it_lab 2 NETLAB_LABDIR="$labs"
	assert_success
	assert_contains "$output" "questo lab non è ancora tradotto in italiano: lo vedi in inglese"
	assert_equal "$(grep -c "non è ancora tradotto" <<<"$output")" 1
	assert_contains "$output" "$(sed -n 's/^title: //p' labs/02-threaded.lab)"
	# The whole lab in English, the server's notes too: its expectations are English.
	assert_contains "$output" "Step 1 of "
	assert_contains "$output" "main hands ('127.0.0.1', "
	assert_not_contains "$output" "Passo 1 di "
	assert_equal "$stderr" ""
}

# it_auto N: lab N must pass --auto in Italian, from labs/it.
it_auto() {
	it_lab "$1" --no-color
	((status == 0)) || echo "$output" | tail -40
	assert_success
	assert_not_contains "$output" "questo lab non è ancora tradotto"
	assert_not_contains "$output" "FAIL"
}

@test "i18n: lab 1 passes --auto in Italian" { it_auto 1; }
@test "i18n: lab 2 passes --auto in Italian" { it_auto 2; }
@test "i18n: lab 3 passes --auto in Italian" { it_auto 3; }
@test "i18n: lab 4 passes --auto in Italian" { it_auto 4; }
@test "i18n: lab 5 passes --auto in Italian" { it_auto 5; }
@test "i18n: lab 6 passes --auto in Italian" { it_auto 6; }
@test "i18n: lab 7 passes --auto in Italian" { it_auto 7; }
@test "i18n: lab 8 passes --auto in Italian" { it_auto 8; }
@test "i18n: lab 9 passes --auto in Italian" { it_auto 9; }
@test "i18n: lab 10 passes --auto in Italian" { it_auto 10; }
@test "i18n: lab 11 passes --auto in Italian" { it_auto 11; }
@test "i18n: lab 14 passes --auto in Italian" {
	# Under strace LeakSanitizer cannot work (ptrace): no leak check here.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	it_auto 14
}
@test "i18n: lab 15 passes --auto in Italian" { it_auto 15; }
