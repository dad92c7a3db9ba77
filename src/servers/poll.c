/*
 * poll.c - one thread, poll() (seed 003 "Select/Poll").
 *
 * The same loop as select.c, asked differently: poll() takes an array of
 * struct pollfd, one per descriptor, with what we want in 'events' and the
 * kernel's answer in 'revents'. No bit array, so no FD_SETSIZE ceiling,
 * and the question is not overwritten by the answer. A free slot holds
 * fd = -1, which poll() skips (UNP tcpservpoll01.c). What remains of
 * select()'s cost: every call hands the kernel the whole array and the
 * loop walks all of it, ready or not; epoll.c does away with that.
 */
#include <poll.h>
#include <stdlib.h>

#include "loop.h"
#include "servers.h"

#define LISTENER 0		/* watched[0]: the listening socket */
#define STOP     1		/* watched[1]: the Ctrl-C pipe; clients from 2 on */

/* What this loop keeps between calls: the question poll() is asked. */
struct poll_table {
	struct loop loop;	/* the clients, and what every event loop keeps */
	struct pollfd *watched;	/* one slot per descriptor we may open */
	struct client **owner;	/* owner[i]: the client in watched[i] */
	int nslots, maxi;	/* table size; highest slot ever used */
};

/* The table: one slot per descriptor we may open (ulimit -n), all free. */
static const char *make_table(struct poll_table *t)
{
	t->nslots = (int)sysconf(_SC_OPEN_MAX);
	if (t->nslots < 64 || t->nslots > 1 << 20)	/* unknown, or "unlimited" */
		t->nslots = 1 << 16;
	t->watched = malloc((size_t)t->nslots * sizeof(*t->watched));
	t->owner = calloc((size_t)t->nslots, sizeof(*t->owner));
	if (t->watched == NULL || t->owner == NULL)
		return "cannot make the poll() table";
	for (int i = 0; i < t->nslots; i++)
		t->watched[i].fd = -1;		/* free: poll() skips it */
	t->watched[LISTENER] = (struct pollfd){ .fd = t->loop.listen_fd, .events = POLLIN };
	t->watched[STOP] = (struct pollfd){ .fd = signals_stop_fd(), .events = POLLIN };
	t->maxi = STOP;
	return NULL;
}

/* Put in c's slot what it waits for now; the first time, find it a slot. -1: closed. */
static int watch(struct poll_table *t, struct client *c)
{
	int want = loop_wants(c), i;

	if (c->loop.interest == 0) {
		for (i = STOP + 1; i < t->nslots && t->watched[i].fd != -1; i++)
			;	/* the first free slot */
		if (i == t->nslots) {
			loop_refuse(c, _("every slot of the poll() table is taken"),
			    _("raise the limit with 'ulimit -n'"));
			return -1;
		}
		t->watched[i] = (struct pollfd){ .fd = c->fd };
		t->owner[i] = c;
		c->loop.slot = i;
		t->maxi = i > t->maxi ? i : t->maxi;
	}
	if (want == c->loop.interest)
		return 0;
	t->watched[c->loop.slot].events = (short)((want & WANT_READ ? POLLIN : 0) |
	    (want & WANT_WRITE ? POLLOUT : 0));	/* nothing read while output piles up */
	loop_note_wants(c, want);
	return 0;
}

/* Free c's slot, and close it. */
static void forget(struct poll_table *t, struct client *c)
{
	t->watched[c->loop.slot].fd = -1;
	t->owner[c->loop.slot] = NULL;
	loop_close(c);
}

int run_poll(struct server *srv)
{
	struct poll_table t;
	const char *failed;
	struct client *c;
	int i, timeout, ready, rc;

	loop_start(&t.loop, srv, N_("one thread watches every client with poll(): an array "
	    "with a slot per client, no FD_SETSIZE limit"));
	failed = make_table(&t);
	while (!stop_requested && failed == NULL) {
		/* Sweep: close the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(&t.loop, &timeout)) != NULL)
			forget(&t, c);
		/* Those served, and any a broadcast left bytes for: what do they want now? */
		while ((c = loop_next_to_ask(&t.loop)) != NULL)
			(void)watch(&t, c);
		/* Blocks until a slot is ready, the timeout passes, or Ctrl-C. */
		ready = poll(t.watched, (nfds_t)t.maxi + 1, timeout);
		if (ready == -1) {
			if (errno != EINTR)	/* EINTR: the loop's test looks at it */
				failed = "poll";
			continue;
		}
		if (stop_requested)
			break;			/* Ctrl-C or SIGTERM: the pipe woke us */
		/* A connection is waiting, accept() does not block; try the new client now. */
		if ((t.watched[LISTENER].revents & POLLIN) && (c = loop_accept(&t.loop)) != NULL &&
		    watch(&t, c) == 0) {
			t.watched[c->loop.slot].revents = POLLIN;	/* it may have spoken */
			ready++;
		}
		/* Serve the ready slots, the new client's too. */
		for (i = STOP + 1; i <= t.maxi && ready > 0; i++) {
			if ((c = t.owner[i]) == NULL || t.watched[i].revents == 0)
				continue;
			ready--;
			/* A hang-up or error shows when we read: recv() says which. */
			if (loop_serve(c, t.watched[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL),
			    t.watched[i].revents & POLLOUT) == -1)
				forget(&t, c);
		}
	}
	rc = loop_end(&t.loop, failed);
	free(t.watched);
	free(t.owner);
	return rc;
}
