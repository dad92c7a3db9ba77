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

static struct pollfd *watched;	/* the question poll() is asked */
static struct client **owner;	/* owner[i]: the client in watched[i] */
static int nslots, maxi;	/* table size; highest slot ever used */

/* The table: one slot per descriptor we may open (ulimit -n), all free. */
static const char *make_table(struct server *srv)
{
	nslots = (int)sysconf(_SC_OPEN_MAX);
	if (nslots < 64 || nslots > 1 << 20)	/* unknown, or "unlimited" */
		nslots = 1 << 16;
	watched = malloc((size_t)nslots * sizeof(*watched));
	owner = calloc((size_t)nslots, sizeof(*owner));
	if (watched == NULL || owner == NULL)
		return "cannot make the poll() table";
	for (int i = 0; i < nslots; i++)
		watched[i].fd = -1;		/* free: poll() skips it */
	watched[LISTENER] = (struct pollfd){ .fd = srv->listen_fd, .events = POLLIN };
	watched[STOP] = (struct pollfd){ .fd = signals_stop_fd(), .events = POLLIN };
	maxi = STOP;
	return NULL;
}

/* Before c is closed: its slot is free again. */
static void forget(struct client *c)
{
	watched[c->slot].fd = -1;
	owner[c->slot] = NULL;
}

int run_poll(struct server *srv)
{
	struct sockaddr_storage peer;
	socklen_t peer_len;
	const char *failed;
	struct client *c;
	int i, want, timeout, ready, client_fd, rc;

	failed = make_table(srv);
	if (failed == NULL)
		loop_start(srv, "one thread watches every client with poll(): an array "
		    "with a slot per client, no FD_SETSIZE limit");
	while (!stop_requested && failed == NULL) {
		/* Sweep: close the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(srv, &timeout)) != NULL) {
			forget(c);
			client_close(c);
		}
		/* The question is kept between calls: only each client's wish changes. */
		for (i = STOP + 1; i <= maxi; i++) {
			if (owner[i] == NULL)
				continue;
			want = loop_interest(owner[i]);	/* nothing read while output piles up */
			watched[i].events = (short)((want & WANT_READ ? POLLIN : 0) |
			    (want & WANT_WRITE ? POLLOUT : 0));
		}
		/* Blocks until a slot is ready, the timeout passes, or Ctrl-C. */
		ready = poll(watched, (nfds_t)maxi + 1, timeout);
		if (ready == -1) {
			if (errno != EINTR)	/* EINTR: the loop's test looks at it */
				failed = "poll";
			continue;
		}
		if (watched[STOP].revents & POLLIN)
			break;			/* Ctrl-C or SIGTERM */
		if (watched[LISTENER].revents & POLLIN) {
			peer_len = sizeof(peer);
			/* Does not block: the kernel said a connection is waiting. */
			client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
			for (i = STOP + 1; i < nslots && watched[i].fd != -1; i++)
				;		/* the first free slot */
			if (client_fd == -1) {
				if (accept_failed(srv, errno))	/* EMFILE sheds one */
					break;
			} else if (i == nslots) {
				loop_cannot_watch(client_fd, &peer, peer_len,
				    _("every slot of the poll() table is taken"),
				    _("raise the limit with 'ulimit -n'"));
			} else if ((c = client_new(srv, client_fd, &peer, peer_len)) != NULL) {
				c->slot = i;
				owner[i] = c;
				/* Try it now: it may have spoken, and one more poll()
				 * is one more walk over every slot (EAGAIN if silent). */
				watched[i] = (struct pollfd){ .fd = client_fd, .events = POLLIN,
				    .revents = POLLIN };
				ready++;
				if (i > maxi)
					maxi = i;
			}
		}
		/* Serve the ready slots, the new client's too. */
		for (i = STOP + 1; i <= maxi && ready > 0; i++) {
			if ((c = owner[i]) == NULL || watched[i].revents == 0)
				continue;
			ready--;
			/* A hang-up or error shows when we read: recv() says which. */
			if (loop_serve(c, watched[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL),
			    watched[i].revents & POLLOUT) == -1) {
				forget(c);
				client_close(c);
			}
		}
	}
	rc = loop_end(srv, failed);
	free(watched);
	free(owner);
	return rc;
}
