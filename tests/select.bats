#!/usr/bin/env bats
# select: one thread, select(); descriptors past FD_SETSIZE are refused.

bats_require_minimum_version 1.5.0
load test_helper
load loops

setup() {
	_netlab_setup
}

@test "select: a second client is served while the first sits idle" {
	loops_idle_client_blocks_nobody select
}

@test "select: a client that never reads stalls nobody and memory stays bounded" {
	loops_slow_reader_is_bounded select
}

@test "select: past FD_SETSIZE a client is told the server is full, the rest are served" {
	loops_select_past_fd_setsize
}

@test "select: Ctrl-C with clients connected closes them all and exits 0" {
	loops_ctrl_c_closes_everyone select
}

@test "select: --idle-timeout closes a silent client" {
	loops_idle_timeout select
}

@test "select: chat between three clients, no lock needed" {
	loops_chat select
}

@test "select: --delay in the one thread stalls every client, and the log says so" {
	loops_delay_stalls_everyone select
}

@test "select: running out of descriptors is logged and survived" {
	loops_emfile select
}

@test "select: chat drops a client that never reads, and the others go on" {
	loops_chat_drops_non_reader select
}
