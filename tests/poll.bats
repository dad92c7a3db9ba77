#!/usr/bin/env bats
# poll: one thread, poll(); an array of slots, no FD_SETSIZE limit.

bats_require_minimum_version 1.5.0
load test_helper
load loops

setup() {
	_netlab_setup
}

@test "poll: a second client is served while the first sits idle" {
	loops_idle_client_blocks_nobody poll
}

@test "poll: a client that never reads stalls nobody and memory stays bounded" {
	loops_slow_reader_is_bounded poll
}

@test "poll: 2000 clients at once are served, and a newcomer still is" {
	loops_many_clients poll 2000
}

@test "poll: Ctrl-C with clients connected closes them all and exits 0" {
	loops_ctrl_c_closes_everyone poll
}

@test "poll: --idle-timeout closes a silent client" {
	loops_idle_timeout poll
}

@test "poll: chat between three clients, no lock needed" {
	loops_chat poll
}

@test "poll: --delay in the one thread stalls every client, and the log says so" {
	loops_delay_stalls_everyone poll
}

@test "poll: running out of descriptors is logged and survived" {
	loops_emfile poll
}

@test "poll: chat drops a client that never reads, and the others go on" {
	loops_chat_drops_non_reader poll
}
