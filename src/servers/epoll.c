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
 * asyncio runs on this loop (selectors.EpollSelector): each 'await
 * reader.read()' in seed 003 is a coroutine parked until epoll_wait() says
 * its socket is readable. reuseport runs one in each of its threads.
 */
#include "loop.h"
#include "servers.h"

#ifdef __linux__
#include <sys/epoll.h>
#define MAX_EVENTS 64		/* ready sockets taken per epoll_wait() */

struct epoll_table {		/* what this loop keeps: the kernel keeps the question */
	struct loop loop;	/* the clients, and what every event loop keeps */
	int epoll_fd;		/* the kernel's list of what we watch */
};

/* The kernel's own list of what we watch: the listener, the Ctrl-C pipe. */
static const char *make_table(struct epoll_table *t)
{
	struct epoll_event listener = { .events = EPOLLIN, .data.ptr = &t->loop };
	struct epoll_event stop = { .events = EPOLLIN, .data.ptr = NULL };

	t->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epoll_fd == -1)
		return "epoll_create1";
	if (epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, t->loop.listen_fd, &listener) == -1 ||
	    epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, t->loop.stop_fd, &stop) == -1)
		return "epoll_ctl";
	return NULL;
}

/* Tell the kernel what c waits for now: the first time, put it on the list. -1: closed. */
static int watch(struct epoll_table *t, struct client *c)
{
	int want = loop_wants(c), op = c->loop.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
	struct epoll_event ev = { .data.ptr = c,
	    .events = (want & WANT_READ ? EPOLLIN : 0) | (want & WANT_WRITE ? EPOLLOUT : 0) };

	if (want == c->loop.interest)
		return 0;
	if (epoll_ctl(t->epoll_fd, op, c->fd, &ev) == -1) {
		log_error("epoll_ctl: %s", strerror(errno));
		loop_close(c);	/* the kernel would not take it: this client only */
		return -1;
	}
	loop_note_wants(c, want);
	return 0;
}

/* Close c: close() takes it off the kernel's list (no other copy is open). */
static void forget(struct epoll_table *t, struct client *c)
{
	(void)t;
	loop_close(c);
}

int epoll_loop(const struct loop *start)
{
	struct epoll_event events[MAX_EVENTS];
	struct epoll_table t = { .loop = *start };	/* from here on, this loop's own */
	const char *failed;
	struct client *c;
	int i, timeout, ready, rc;

	failed = make_table(&t);
	while (!*t.loop.stopping && failed == NULL) {
		/* Sweep: close the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(&t.loop, &timeout)) != NULL)
			forget(&t, c);
		/* Those served, and any a broadcast left bytes for: what do they want now? */
		while ((c = loop_next_to_ask(&t.loop)) != NULL)
			(void)watch(&t, c);
		/* Blocks until a socket is ready, the timeout passes, or Ctrl-C. */
		ready = epoll_wait(t.epoll_fd, events, MAX_EVENTS, timeout);
		if (ready == -1) {
			if (errno != EINTR)	/* EINTR: the loop's test looks at it */
				failed = "epoll_wait";
			continue;
		}
		if (*t.loop.stopping)
			break;			/* Ctrl-C or SIGTERM: the pipe woke us */
		/* Serve the ready ones: only those, however many are connected. */
		for (i = 0; i < ready; i++) {
			c = events[i].data.ptr;
			/* The listener: a connection is waiting, accept() does not block.
			 * Try the new client at once, in its place: it may have spoken. */
			if (c == (void *)&t.loop && ((c = loop_accept(&t.loop)) == NULL ||
			    watch(&t, c) == -1))
				continue;
			/* A hang-up or error shows when we read: recv() says which. */
			if (loop_serve(c, events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR),
			    events[i].events & EPOLLOUT) == -1)
				forget(&t, c);
		}
	}
	rc = loop_end(&t.loop, failed);
	if (t.epoll_fd != -1)
		close(t.epoll_fd);
	return rc;
}
#else	/* not Linux */
int epoll_loop(const struct loop *start)
{
	(void)start;
	log_error(_("epoll is Linux-only; try 'netlab poll'"));
	return 1;
}
#endif

int run_epoll(struct server *srv)
{
	struct loop loop;

	loop_start(&loop, srv, N_("one thread, epoll: the kernel keeps the list of watched "
	    "sockets and epoll_wait() returns only the ready ones"));
	if (strcmp(srv->design, "async") == 0)
		log_note(_("async: asyncio's event loop on Linux is this one, epoll; an "
		    "'await' is a coroutine parked until its socket is ready"));
	return epoll_loop(&loop);
}
