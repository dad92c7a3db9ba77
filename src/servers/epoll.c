/*
 * epoll.c - one thread, epoll (seed 003 "Async/Await"; 'netlab async').
 *
 * select() and poll() hand the kernel the whole list of descriptors on
 * every call, and the loop then walks all of it to find the few that are
 * ready. epoll keeps the list inside the kernel instead: epoll_ctl() adds
 * a descriptor once (and changes what we wait for when that changes), and
 * epoll_wait() returns only the ready ones. The cost of a wake-up follows
 * the number of ready clients, not the number connected.
 *
 * This is the loop that asyncio runs on: on Linux, asyncio's default event
 * loop sits on epoll (selectors.EpollSelector), and each 'await
 * reader.read()' in seed 003 is a coroutine parked until epoll_wait() says
 * its socket is readable. 'netlab async' is this file.
 */
#include "servers.h"

#ifdef __linux__
#include <sys/epoll.h>

#include "loop.h"

#define MAX_EVENTS 64		/* ready sockets taken per epoll_wait() */

static int epoll_fd = -1;

/* Put fd on the kernel's list, waiting for input; data comes back with it. */
static int add(int fd, void *data)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = data };

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* Tell the kernel what c waits for now, if that changed (srv->want_write too). */
static void watch(struct server *srv, struct client *c)
{
	int before = c->interest, want = loop_interest(c);
	struct epoll_event ev = { .data.ptr = c };

	(void)srv;
	if (want == before)
		return;
	ev.events = (want & WANT_READ ? EPOLLIN : 0) | (want & WANT_WRITE ? EPOLLOUT : 0);
	if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) == -1)	/* c is registered */
		log_error("epoll_ctl: %s", strerror(errno));
}

int run_epoll(struct server *srv)
{
	struct epoll_event events[MAX_EVENTS];
	struct sockaddr_storage peer;
	socklen_t peer_len;
	const char *failed = NULL;
	struct client *c;
	int i, ready, client_fd, rc;

	/* The kernel's own list of what we watch: the listener, the Ctrl-C pipe. */
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (epoll_fd == -1)
		return loop_end(srv, "epoll_create1");
	if (add(srv->listen_fd, srv) == -1 || add(signals_stop_fd(), NULL) == -1)
		return loop_end(srv, "epoll_ctl");	/* exit closes epoll_fd */
	srv->want_write = watch;	/* clients.c queued output: wait for EPOLLOUT */
	loop_start(srv, "one thread, epoll: the kernel keeps the list of watched "
	    "sockets and epoll_wait() returns only the ready ones", NULL);
	if (strcmp(srv->design, "async") == 0)
		log_note("async: asyncio's event loop on Linux is this one, epoll; an "
		    "'await' is a coroutine parked until its socket is ready");
	while (!stop_requested && failed == NULL) {
		rc = loop_sweep(srv);		/* idle clients out; ms to the next deadline */
		/* Blocks until a socket is ready, the timeout passes, or Ctrl-C. */
		ready = epoll_wait(epoll_fd, events, MAX_EVENTS, rc);
		if (ready == -1 && errno != EINTR)	/* EINTR: the loop's test looks */
			failed = "epoll_wait";
		for (i = 0; i < ready; i++) {
			if (events[i].data.ptr == NULL)
				break;		/* the Ctrl-C pipe: the loop's test ends it */
			if (events[i].data.ptr == srv) {	/* the listener */
				peer_len = sizeof(peer);
				/* Does not block: the kernel said a connection is waiting. */
				client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer,
				    &peer_len);
				if (client_fd == -1 && accept_failed(srv, errno))
					break;		/* EMFILE sheds one; a stop breaks */
				if (client_fd == -1 ||
				    (c = client_new(srv, client_fd, &peer, peer_len)) == NULL)
					continue;
				c->interest = WANT_READ;
				if (add(client_fd, c) == -1) {
					log_error("epoll_ctl: %s", strerror(errno));
					loop_close(c);	/* cannot watch it: this client only */
				}
				continue;
			}
			c = events[i].data.ptr;
			rc = 0;
			/* Drain what arrived before acting on the hang-up (TLPI). */
			if (events[i].events & EPOLLIN)
				rc = loop_read(c);
			else if (events[i].events & (EPOLLHUP | EPOLLERR))
				rc = loop_hangup(c);	/* gone, and nothing left to read */
			if (rc == 0 && (events[i].events & EPOLLOUT))
				rc = loop_write(c);
			if (rc == -1)
				loop_close(c);	/* close() takes it off epoll's list */
			else
				watch(srv, c);	/* output drained? backlog too big? */
		}
	}
	rc = loop_end(srv, failed);
	srv->want_write = NULL;
	close(epoll_fd);
	return rc;
}

#else	/* not Linux */

int run_epoll(struct server *srv)
{
	(void)srv;
	log_error("epoll is Linux-only; try 'netlab poll'");
	return 1;
}

#endif
