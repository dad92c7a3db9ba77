#!/usr/bin/env bats
# epoll (alias async): one thread, epoll_wait(); the loop asyncio runs on.

bats_require_minimum_version 1.5.0
load test_helper
load loops

setup() {
	_netlab_setup
}

@test "epoll: a second client is served while the first sits idle" {
	loops_idle_client_blocks_nobody epoll
}

@test "epoll: a client that never reads stalls nobody and memory stays bounded" {
	loops_slow_reader_is_bounded epoll
}

@test "epoll: 2000 clients at once are served, and a newcomer still is" {
	loops_many_clients epoll 2000
}

@test "epoll: Ctrl-C with clients connected closes them all and exits 0" {
	loops_ctrl_c_closes_everyone epoll
}

@test "epoll: --idle-timeout closes a silent client" {
	loops_idle_timeout epoll
}

@test "epoll: chat between three clients, no lock needed" {
	loops_chat epoll
}

@test "epoll: --delay in the one thread stalls every client, and the log says so" {
	loops_delay_stalls_everyone epoll
}

@test "epoll: running out of descriptors is logged and survived" {
	loops_emfile epoll
}

@test "async: the same loop as epoll, named after asyncio" {
	start_server async
	assert_log "asyncio's event loop on Linux is this one, epoll"
	stop_server
}

@test "async: a second client is served while the first sits idle" {
	loops_idle_client_blocks_nobody async
}

@test "async: 2000 clients at once are served, and a newcomer still is" {
	loops_many_clients async 2000
}

@test "async: Ctrl-C with clients connected closes them all and exits 0" {
	loops_ctrl_c_closes_everyone async
}

@test "epoll: chat drops a client that never reads, and the others go on" {
	loops_chat_drops_non_reader epoll
}
