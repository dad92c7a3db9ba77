/*
 * reuseport.c - N epoll loops, a thread and a listening socket each
 * (seed 003's "consider load balancing"; nginx's 'reuseport', memcached).
 *
 * One event loop is one thread, so it uses one core at most. To use N,
 * run N loops. Each gets a listening socket of its own, bound to the same
 * port: SO_REUSEPORT lets N sockets share it, and the kernel hashes each
 * new connection (its addresses and ports) to one of their accept queues.
 * No loop hands a client to another, and none waits for another: a
 * client belongs to the loop whose listener the kernel picked, for good.
 * The cost of that: the kernel spreads connections by the hash, not by
 * how busy each loop is, so a loop slowed by one client still gets its
 * share of newcomers. What the loops share is the registry (chat, count,
 * --max-clients), under its lock.
 */
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>

#include "loop.h"
#include "net.h"
#include "servers.h"

struct reuseport_loop {
	struct loop loop;	/* its listener, its clients */
	int k;			/* 1..N: [loop K] */
	pthread_t tid;
};

/* One loop's thread: an epoll loop on its own listener, until main says stop. */
static void *loop_thread(void *arg)
{
	struct reuseport_loop *l = arg;

	log_set_actor("loop %d", l->k);
	(void)epoll_loop(&l->loop);
	return NULL;
}

/* Wait for Ctrl-C (only this thread sees it: the loops block it). */
static void wait_for_stop(void)
{
	struct pollfd stop = { .fd = signals_stop_fd(), .events = POLLIN };

	while (!stop_requested)
		(void)poll(&stop, 1, -1);	/* EINTR: the test above looks */
}

int run_reuseport(struct server *srv)
{
	struct reuseport_loop *loops = calloc((size_t)srv->limit, sizeof(*loops));
	atomic_int stopping = 0;
	int stop_fd = eventfd(0, EFD_CLOEXEC), n, rc = 0;

	log_note(_("%d epoll loops, a thread each: every loop has a listening socket of its "
	    "own on this port (SO_REUSEPORT), and the kernel hashes each new connection "
	    "to one of them"), srv->limit);
	if (loops == NULL || stop_fd == -1) {
		log_error(_("cannot set up the loops: %s"), strerror(errno));
		free(loops);
		return 1;
	}
	signals_block_stop(1);	/* the loops inherit the block: Ctrl-C is main's */
	for (n = 0; n < srv->limit; n++) {
		struct loop *loop = &loops[n].loop;

		loop_start(loop, srv, NULL);
		/* Loop 1 listens on the socket the start line announced. */
		loop->listen_fd = n == 0 ? dup(srv->listen_fd) : net_listen_beside(srv->listen_fd);
		if (loop->listen_fd == -1 || net_set_nonblock(loop->listen_fd) == -1) {
			log_error(_("cannot listen for loop %d: %s"), n + 1, strerror(errno));
			break;
		}
		loop->stopping = &stopping;
		loop->stop_fd = stop_fd;
		loop->one_of_many = 1;	/* it closes its own listener when it ends */
		loops[n].k = n + 1;
		if ((rc = pthread_create(&loops[n].tid, NULL, loop_thread, &loops[n])) != 0) {
			log_error(_("cannot start loop %d: %s"), n + 1, strerror(rc));
			close(loop->listen_fd);
			break;
		}
	}
	signals_block_stop(0);
	if (n == srv->limit)
		wait_for_stop();
	rc = n == srv->limit ? server_stop(srv) : 1;	/* "Shutting down server..." */
	atomic_store(&stopping, 1);
	(void)!write(stop_fd, &(uint64_t){ 1 }, sizeof(uint64_t));	/* wakes every loop */
	while (n-- > 0)
		pthread_join(loops[n].tid, NULL);	/* each closes its clients */
	close(stop_fd);
	free(loops);
	return rc;
}
