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

/* The kernel's own list of what we watch: the listener, the Ctrl-C pipe. */
static const char *make_table(struct server *srv)
{
	struct epoll_event listener = { .events = EPOLLIN, .data.ptr = srv };
	struct epoll_event stop = { .events = EPOLLIN, .data.ptr = NULL };

	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (epoll_fd == -1)
		return "epoll_create1";
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, srv->listen_fd, &listener) == -1 ||
	    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, signals_stop_fd(), &stop) == -1)
		return "epoll_ctl";
	return NULL;
}

/*
 * Tell the kernel what c waits for now: put it on the list the first time
 * (c->interest is still 0), change it when that changes (EPOLLOUT too?).
 * -1: the kernel would not take it.
 */
static int watch(struct client *c)
{
	int before = c->interest, want = loop_interest(c);
	struct epoll_event ev = { .data.ptr = c };

	if (want == before)
		return 0;
	ev.events = (want & WANT_READ ? EPOLLIN : 0) | (want & WANT_WRITE ? EPOLLOUT : 0);
	if (epoll_ctl(epoll_fd, before == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd, &ev) == 0)
		return 0;
	log_error("epoll_ctl: %s", strerror(errno));
	return -1;
}

int run_epoll(struct server *srv)
{
	struct epoll_event events[MAX_EVENTS];
	struct sockaddr_storage peer;
	socklen_t peer_len;
	const char *failed;
	struct client *c;
	int i, stop, incoming, timeout, ready, client_fd, rc;

	failed = make_table(srv);
	if (failed == NULL)
		loop_start(srv, "one thread, epoll: the kernel keeps the list of watched "
		    "sockets and epoll_wait() returns only the ready ones");
	if (failed == NULL && strcmp(srv->design, "async") == 0)
		log_note(_("async: asyncio's event loop on Linux is this one, epoll; an "
		    "'await' is a coroutine parked until its socket is ready"));
	while (!stop_requested && failed == NULL) {
		/* Sweep: close the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(srv, &timeout)) != NULL)
			client_close(c);	/* close() takes it off epoll's list */
		/* The kernel keeps the question: tell it only what changed. */
		if (srv->output_changed)	/* a broadcast left bytes for others */
			for (c = srv->clients; c != NULL; c = c->next)
				(void)watch(c);	/* each is on the list already */
		srv->output_changed = 0;
		/* Blocks until a socket is ready, the timeout passes, or Ctrl-C. */
		ready = epoll_wait(epoll_fd, events, MAX_EVENTS, timeout);
		if (ready == -1) {
			if (errno != EINTR)	/* EINTR: the loop's test looks at it */
				failed = "epoll_wait";
			continue;
		}
		for (i = 0, stop = incoming = 0; i < ready; i++) {
			stop |= events[i].data.ptr == NULL;	/* the Ctrl-C pipe */
			incoming |= events[i].data.ptr == srv;	/* the listener */
		}
		if (stop)
			break;			/* Ctrl-C or SIGTERM */
		if (incoming) {
			peer_len = sizeof(peer);
			/* Does not block: the kernel said a connection is waiting. */
			client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
			if (client_fd == -1) {
				if (accept_failed(srv, errno))	/* EMFILE sheds one */
					break;
			} else if ((c = client_new(srv, client_fd, &peer, peer_len)) != NULL &&
			    watch(c) == -1) {
				client_close(c);	/* cannot watch it: this client only */
			}
		}
		/* Serve the ready clients: only those, however many are connected. */
		for (i = 0; i < ready; i++) {
			if ((c = events[i].data.ptr) == NULL || events[i].data.ptr == srv)
				continue;
			/* A hang-up or error shows when we read: recv() says which. */
			if (loop_serve(c, events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR),
			    events[i].events & EPOLLOUT) == -1)
				client_close(c);	/* close() takes it off epoll's list */
			else
				(void)watch(c);	/* output drained? backlog too big? */
		}
	}
	rc = loop_end(srv, failed);
	if (epoll_fd != -1)
		close(epoll_fd);
	return rc;
}

#else	/* not Linux */

int run_epoll(struct server *srv)
{
	(void)srv;
	log_error(_("epoll is Linux-only; try 'netlab poll'"));
	return 1;
}

#endif
