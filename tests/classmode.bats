#!/usr/bin/env bats
# Class mode, proved on a private link: two network namespaces the test
# makes itself ("teacher" and "student"), joined by a veth pair with
# 10.201.0.1/30 and 10.201.0.2/30. No other host and no address outside
# these namespaces is touched; teardown deletes both namespaces.

bats_require_minimum_version 1.5.0
load test_helper

TEACHER_IP=10.201.0.1
STUDENT_IP=10.201.0.2

setup() {
	_netlab_setup
	TEACHER=nlt$$$BATS_TEST_NUMBER
	STUDENT=nls$$$BATS_TEST_NUMBER
	if [[ $(id -u) -ne 0 ]] || ! ip netns add "$TEACHER" 2>"$BATS_TEST_TMPDIR/netns.err"; then
		fail "class mode needs network namespaces: run this test as root (CI does);" \
		    "ip netns add said: $(cat "$BATS_TEST_TMPDIR/netns.err" 2>/dev/null)"
	fi
	ip netns add "$STUDENT"
	ip link add "vt$$$BATS_TEST_NUMBER" netns "$TEACHER" type veth \
	    peer name "vs$$$BATS_TEST_NUMBER" netns "$STUDENT"
	ip -n "$TEACHER" addr add "$TEACHER_IP/30" dev "vt$$$BATS_TEST_NUMBER"
	ip -n "$STUDENT" addr add "$STUDENT_IP/30" dev "vs$$$BATS_TEST_NUMBER"
	for ns in "$TEACHER" "$STUDENT"; do
		ip -n "$ns" link set lo up
	done
	ip -n "$TEACHER" link set "vt$$$BATS_TEST_NUMBER" up
	ip -n "$STUDENT" link set "vs$$$BATS_TEST_NUMBER" up
}

teardown() {
	if [[ -n $SERVER_PID ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	# Deleting a namespace deletes its end of the veth pair, and so the pair.
	ip netns del "$TEACHER" 2>/dev/null || true
	ip netns del "$STUDENT" 2>/dev/null || true
}

# teacher_server ARGS...: netlab threaded in the teacher's namespace.
teacher_server() {
	fresh_log
	ip netns exec "$TEACHER" "$NETLAB" threaded "$@" --port 0 --no-color \
	    >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "Starting server on"
	PORT=$(sed -n "s/.*Starting server on '[^']*' port \([0-9]*\).*/\1/p" "$LOG")
	[[ -n $PORT ]]
}

# student_nc TEXT [NC OPTIONS]: nc from the student's namespace to the teacher's address.
student_nc() {
	run timeout 10 ip netns exec "$STUDENT" nc -N -w 5 "${@:2}" "$TEACHER_IP" "$PORT" <<<"$1"
}

@test "class mode: by default the server listens on loopback and the other machine cannot connect" {
	teacher_server
	assert_log "Starting server on 'localhost' port $PORT"
	student_nc "hello from the class" -v
	((status != 0)) || fail "the student reached a server bound to localhost" "$output"
	# Refused, not timed out: the link works, the teacher's machine answered,
	# and nothing listens on its network address.
	assert_contains "$output" "Connection refused"
	assert_not_contains "$output" "hello"
	refute_log "Received new connection from"
	refute_log "class mode"
	# The teacher's own machine still can.
	run -0 timeout 10 ip netns exec "$TEACHER" nc -N -w 5 127.0.0.1 "$PORT" <<<"local"
	assert_equal "$output" "local"
	stop_server
}

@test "class mode: --host 0.0.0.0 names the veth address to type, warns, and the student connects" {
	teacher_server --host 0.0.0.0
	assert_log "Starting server on '0.0.0.0' port $PORT"
	wait_for_log "class mode: the students can type nc $TEACHER_IP $PORT (vt$$$BATS_TEST_NUMBER)"
	wait_for_log "anyone on this network can now connect to this server"
	refute_log "127.0.0.1 $PORT"		# loopback is no use to a student
	student_nc "hello from the class"
	assert_success
	assert_equal "$output" "hello from the class"
	assert_log "Received new connection from  ('$STUDENT_IP', "
	stop_server
}

@test "class mode: --host :: lists the IPv4 address too, and the student connects over IPv4" {
	teacher_server --host ::
	wait_for_log "class mode: the students can type nc $TEACHER_IP $PORT (vt$$$BATS_TEST_NUMBER)"
	student_nc "over ipv4"
	assert_success
	assert_equal "$output" "over ipv4"
	stop_server
}

@test "class mode: the annotation is in Italian with --lang it; the event lines are not" {
	ip netns exec "$TEACHER" env LANG=C.UTF-8 "$NETLAB" --lang it threaded --host 0.0.0.0 \
	    --port 0 --no-color >"$LOG" 2>"$ERR" 3>&- &
	SERVER_PID=$!
	wait_for_log "Starting server on '0.0.0.0' port"
	wait_for_log "modalità classe: gli studenti possono digitare nc $TEACHER_IP "
	wait_for_log "chiunque sia su questa rete"
	stop_server
}

@test "class mode: lab 2 --host ADDR, played by a student on the other machine, passes every step" {
	# The teacher projects the lab; the student reads the address and port
	# off that screen and types nc on a machine of their own (the student's
	# namespace). The lab's server listens on the class's address, the steps
	# name it, and the students' clients count.
	run timeout 120 python3 "$TESTS/student_driver.py" --netlab "$NETLAB" --lab 2 --lang en \
	    --workdir "$BATS_TEST_TMPDIR/student" --host "$TEACHER_IP" \
	    --lab-prefix "ip netns exec $TEACHER" --term-prefix "ip netns exec $STUDENT" 3>&-
	if ((status != 0)); then
		echo "$output"
	fi
	assert_success
	assert_contains "$output" "played by hand to its end"
}

@test "class mode: lab 1 --host 0.0.0.0 in Italian names the class's address, and the student's clients count" {
	run timeout 120 python3 "$TESTS/student_driver.py" --netlab "$NETLAB" --lab 1 --lang it \
	    --workdir "$BATS_TEST_TMPDIR/student" --host 0.0.0.0 \
	    --lab-prefix "ip netns exec $TEACHER" --term-prefix "ip netns exec $STUDENT" 3>&-
	if ((status != 0)); then
		echo "$output"
	fi
	assert_success
	assert_contains "$output" "played by hand to its end"
}
