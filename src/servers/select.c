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
 * select() overwrites the sets it is given with its answer, so it is
 * handed a copy of the question at every call, and the loop walks every
 * client to read the answer: O(clients) work for every wake-up.
 */
#include <sys/select.h>

#include "loop.h"
#include "servers.h"

/* What this loop keeps between calls: the question select() is asked. */
struct select_table {
	struct loop loop;	/* the clients, and what every event loop keeps */
	fd_set reading, writing;	/* who waits to read, who to write */
	int maxfd;		/* the highest descriptor ever in them */
};

/* The question starts with the listener and the Ctrl-C pipe. */
static const char *make_table(struct select_table *t)
{
	FD_ZERO(&t->reading);
	FD_ZERO(&t->writing);
	FD_SET(t->loop.listen_fd, &t->reading);
	FD_SET(signals_stop_fd(), &t->reading);
	t->maxfd = t->loop.listen_fd > signals_stop_fd() ? t->loop.listen_fd : signals_stop_fd();
	return NULL;
}

/* Put in the question what c waits for now; the first time, check it fits. -1: closed. */
static int watch(struct select_table *t, struct client *c)
{
	int want = loop_wants(c);

	if (c->loop.interest == 0 && c->fd >= FD_SETSIZE) {
		/* The guard: this descriptor must never reach FD_SET(). */
		loop_refuse(c, _("select() cannot watch a descriptor at or above "
		    "FD_SETSIZE (1024)"),
		    _("poll() and epoll have no such limit: try 'netlab poll' or 'netlab epoll'"));
		return -1;
	}
	if (want == c->loop.interest)
		return 0;
	if (want & WANT_READ)
		FD_SET(c->fd, &t->reading);
	else
		FD_CLR(c->fd, &t->reading);	/* nothing read while its output piles up */
	if (want & WANT_WRITE)
		FD_SET(c->fd, &t->writing);
	else
		FD_CLR(c->fd, &t->writing);
	t->maxfd = c->fd > t->maxfd ? c->fd : t->maxfd;
	loop_note_wants(c, want);
	return 0;
}

/* Take c out of the question, and close it. */
static void forget(struct select_table *t, struct client *c)
{
	FD_CLR(c->fd, &t->reading);
	FD_CLR(c->fd, &t->writing);
	loop_close(c);
}

int run_select(struct server *srv)
{
	struct select_table t;
	const char *failed;
	struct client *c, *next;
	fd_set readable, writable;
	struct timeval tv;
	int timeout, ready;

	loop_start(&t.loop, srv, N_("one thread watches every client with select(); descriptors "
	    "at or above FD_SETSIZE (1024) cannot be watched and are refused"));
	failed = make_table(&t);
	while (!stop_requested && failed == NULL) {
		/* Sweep: close the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(&t.loop, &timeout)) != NULL)
			forget(&t, c);
		/* Those served, and any a broadcast left bytes for: what do they want now? */
		while ((c = loop_next_to_ask(&t.loop)) != NULL)
			(void)watch(&t, c);
		tv.tv_sec = timeout / 1000;
		tv.tv_usec = timeout % 1000 * 1000;
		/* select() overwrites what it is given with its answer: hand it a copy. */
		readable = t.reading;
		writable = t.writing;
		/* Blocks until a socket is ready, the timeout passes, or Ctrl-C. */
		ready = select(t.maxfd + 1, &readable, &writable, NULL, timeout < 0 ? NULL : &tv);
		if (ready == -1) {
			if (errno != EINTR)	/* EINTR: the loop's test looks at it */
				failed = "select";
			continue;
		}
		if (stop_requested)
			break;			/* Ctrl-C or SIGTERM: the pipe woke us */
		/* A connection is waiting, accept() does not block; try the new client now. */
		if (FD_ISSET(t.loop.listen_fd, &readable) && (c = loop_accept(&t.loop)) != NULL &&
		    watch(&t, c) == 0)
			FD_SET(c->fd, &readable);	/* it may have spoken */
		/* Serve the ready clients, the new one too. Only c itself may be freed here. */
		for (c = t.loop.clients; c != NULL; c = next) {
			next = c->loop.next;
			/* A hang-up or error shows as readable: recv() says which. */
			if (loop_serve(c, FD_ISSET(c->fd, &readable),
			    FD_ISSET(c->fd, &writable)) == -1)
				forget(&t, c);
		}
	}
	return loop_end(&t.loop, failed);
}
