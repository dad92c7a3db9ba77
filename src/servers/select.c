/*
 * select.c - one thread, select() (seed 003 "Using select()").
 *
 * No thread per client: the main thread hands the kernel sets of
 * descriptors (the listener, the Ctrl-C pipe, every client) and select()
 * blocks until at least one of them is ready. Then the loop serves exactly
 * the ready ones: accept() on the listener, one recv() per readable
 * client, a send() of pending output per writable one. Nothing else ever
 * blocks, so a silent client costs nobody anything.
 *
 * The catch, and the reason poll() exists: an fd_set is a bit array of
 * FD_SETSIZE (1024) bits. A descriptor at or above it cannot be watched,
 * and FD_SET() on it would write past the end of the set. So each accepted
 * descriptor is checked once, before it can ever reach FD_SET(). And
 * select() overwrites the sets it is given with its answer, so they are
 * built again before every call: O(clients) work for every wake-up.
 */
#include <sys/select.h>

#include "loop.h"
#include "servers.h"

/* Start the sets again: the listener, the Ctrl-C pipe, each client's wish. */
static int interest(struct server *srv, fd_set *readable, fd_set *writable)
{
	int maxfd = srv->listen_fd > signals_stop_fd() ? srv->listen_fd : signals_stop_fd();
	int want;

	FD_ZERO(readable);
	FD_ZERO(writable);
	FD_SET(srv->listen_fd, readable);
	FD_SET(signals_stop_fd(), readable);
	for (struct client *c = srv->clients; c != NULL; c = c->next) {
		want = loop_interest(c);	/* nothing to read while its output piles up */
		if (want & WANT_READ)
			FD_SET(c->fd, readable);	/* c->fd < FD_SETSIZE: see below */
		if (want & WANT_WRITE)
			FD_SET(c->fd, writable);
		if (want != 0 && c->fd > maxfd)
			maxfd = c->fd;
	}
	return maxfd;
}

int run_select(struct server *srv)
{
	struct sockaddr_storage peer;
	socklen_t peer_len;
	const char *failed = NULL;
	struct client *c, *next;
	fd_set readable, writable;
	struct timeval tv;
	int maxfd, timeout, ready, client_fd;

	loop_start(srv, "one thread watches every client with select(); descriptors "
	    "at or above FD_SETSIZE (1024) cannot be watched and are refused");
	while (!stop_requested && failed == NULL) {
		/* Sweep: close the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(srv, &timeout)) != NULL)
			client_close(c);
		tv.tv_sec = timeout / 1000;
		tv.tv_usec = timeout % 1000 * 1000;
		/* select() overwrote the sets last time round: start again. */
		maxfd = interest(srv, &readable, &writable);
		/* Blocks until a socket is ready, the timeout passes, or Ctrl-C. */
		ready = select(maxfd + 1, &readable, &writable, NULL, timeout < 0 ? NULL : &tv);
		if (ready == -1) {
			if (errno != EINTR)	/* EINTR: the loop's test looks at it */
				failed = "select";
			continue;
		}
		if (FD_ISSET(signals_stop_fd(), &readable))
			break;			/* Ctrl-C or SIGTERM */
		if (FD_ISSET(srv->listen_fd, &readable)) {
			peer_len = sizeof(peer);
			/* Does not block: the kernel said a connection is waiting. */
			client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
			if (client_fd == -1) {
				if (accept_failed(srv, errno))	/* EMFILE sheds one */
					break;
			} else if (client_fd >= FD_SETSIZE) {
				/* The guard: this descriptor must never reach FD_SET(). */
				loop_cannot_watch(client_fd, &peer, peer_len,
				    _("select() cannot watch a descriptor at or above "
				    "FD_SETSIZE (1024)"),
				    _("poll() and epoll have no such limit: try 'netlab poll' "
				    "or 'netlab epoll'"));
			} else if (client_new(srv, client_fd, &peer, peer_len) != NULL) {
				/* Tried at once, as poll.c explains: it may have spoken. */
				FD_SET(client_fd, &readable);
			}
		}
		/* Serve the ready clients. Only c itself may be freed here. */
		for (c = srv->clients; c != NULL; c = next) {
			next = c->next;
			/* A hang-up or error shows as readable: recv() says which. */
			if (loop_serve(c, FD_ISSET(c->fd, &readable),
			    FD_ISSET(c->fd, &writable)) == -1)
				client_close(c);
		}
	}
	return loop_end(srv, failed);
}
