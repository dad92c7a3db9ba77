/*
 * output.c - sending to a client, blocking or not. See output.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "output.h"
#include "server.h"

/* Event loops: keep what the socket would not take, up to a limit. */
static int queue_output(struct client *c, const char *data, size_t len)
{
	if (c->loop.out_len + len > OUT_MAX) {
		errno = ENOBUFS;	/* what it has not read is already too much */
		return -1;
	}
	if (c->loop.out_len + len > c->loop.out_cap) {
		size_t cap = c->loop.out_cap ? c->loop.out_cap : 4096;
		char *p;

		while (cap < c->loop.out_len + len)
			cap *= 2;
		p = realloc(c->loop.out, cap);
		if (p == NULL)
			return -1;	/* errno: ENOMEM */
		c->loop.out = p;
		c->loop.out_cap = cap;
	}
	memcpy(c->loop.out + c->loop.out_len, data, len);
	c->loop.out_len += len;
	return 0;
}

/* Event loops: send what fits now, keep the rest for when it is writable. */
static int send_nonblocking(struct client *c, const char *data, size_t len, int flags)
{
	ssize_t n = 0;

	if (c->loop.out_len == 0 && !c->srv->completions) {	/* uring: the loop sends */
		n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT | flags);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				return -1;
			n = 0;
		}
	}
	if ((size_t)n < len)
		return queue_output(c, data + n, len - (size_t)n);
	return 0;
}

/* Several loops (reuseport): another loop's chat may write to c meanwhile. */
static void lock_out(struct client *c)
{
	if (c->srv->threads)
		pthread_mutex_lock(&c->blocking.write_lock);
}

static void unlock_out(struct client *c)
{
	if (c->srv->threads)
		pthread_mutex_unlock(&c->blocking.write_lock);
}

static int send_answer(struct client *c, const void *data, size_t len, int flags)
{
	ssize_t n;
	int rc;

	if (c->srv->nonblocking) {
		lock_out(c);
		rc = send_nonblocking(c, data, len, flags);
		unlock_out(c);
		return rc;
	}
	pthread_mutex_lock(&c->blocking.write_lock);
	n = net_send_all(c->fd, data, len, flags);
	pthread_mutex_unlock(&c->blocking.write_lock);
	return n == -1 ? -1 : 0;
}

int output_send(struct client *c, const void *data, size_t len)
{
	return send_answer(c, data, len, 0);
}

/*
 * A message longer than 1024 bytes is read, and answered, in pieces. When
 * more of it already waits in the receive queue, this piece is not the
 * last: MSG_MORE tells the kernel to hold it for the next send() rather
 * than send a packet now, and the answer leaves in as few packets as the
 * message came in. The next piece is read at once, and its send() (the
 * last one without MSG_MORE) lets them all go. --nagle answers as the
 * tutorials' servers do: each piece a plain send(), Nagle's algorithm on.
 */
int output_send_piece(struct client *c, const void *data, size_t len)
{
	int more = c->more_waiting && !c->srv->opt->nagle;

	return send_answer(c, data, len, more ? MSG_MORE : 0);
}

/* Bytes for a client from someone else (chat): never blocks the sender. */
static void deliver(const struct client *from, struct client *c, const void *data, size_t len)
{
	ssize_t n;
	int saved, full;

	/* A client of the sender's own loop: queue what it cannot take now. */
	if (c->srv->nonblocking && c->loop.home == from->loop.home) {
		if (c->loop.closing)
			return;		/* being cut off: it gets nothing more */
		lock_out(c);
		full = send_nonblocking(c, data, len, 0) == -1;
		if (full) {
			c->loop.closing = 1;
			c->loop.out_len = c->loop.sending_len = 0;
		}
		unlock_out(c);
		if (full) {
			log_note(_("%s does not read what it is sent; it is closed rather "
			    "than let its backlog grow without bound"), c->peer);
			/* It cannot be freed in the middle of this walk. Shut down,
			 * its socket is readable at once, and its loop closes it. */
			(void)shutdown(c->fd, SHUT_RDWR);
		}
		if (c->loop.out_len > 0 || c->loop.closing)
			c->loop.home->output_changed = 1;	/* its loop must ask again */
		return;
	}
	/*
	 * Blocking designs, and another loop's client (reuseport): never wait
	 * on someone else's slow reader, and never touch another loop's queue
	 * (bytes it still owes go first: no room now, then).
	 */
	pthread_mutex_lock(&c->blocking.write_lock);
	full = c->srv->nonblocking && c->loop.out_len > 0;	/* its own bytes go first */
	n = full ? 0 : send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	saved = errno;
	pthread_mutex_unlock(&c->blocking.write_lock);
	if (n == -1 && saved != EAGAIN && saved != EWOULDBLOCK)
		return;		/* gone already: its own thread sees that in recv() */
	if (n != (ssize_t)len) {	/* no room for all of it: it would miss a line */
		log_note(_("%s does not read what it is sent; its connection is shut down "
		    "rather than let it stall everyone"), c->peer);
		shutdown(c->fd, SHUT_RDWR);	/* its own thread sees the end */
	}
}

void output_broadcast(struct client *from, const char *data, size_t len)
{
	struct server *srv = from->srv;

	/*
	 * Threaded designs: the main thread adds clients and other threads
	 * remove themselves while we walk the list, so we hold the lock.
	 * Event loops: this one thread is the only one that ever touches the
	 * list, and clients_lock() does nothing.
	 */
	clients_lock(srv);
	for (struct client *c = srv->registry.first; c != NULL; c = c->next)
		if (c != from)
			deliver(from, c, data, len);
	clients_unlock(srv);
}

int output_flush(struct client *c)
{
	int rc = 0;

	lock_out(c);
	while (c->loop.out_len > 0) {
		ssize_t n = send(c->fd, c->loop.out, c->loop.out_len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			rc = (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
			break;
		}
		memmove(c->loop.out, c->loop.out + n, c->loop.out_len - (size_t)n);
		c->loop.out_len -= (size_t)n;
	}
	unlock_out(c);
	return rc;
}

int output_take(struct client *c)
{
	char *spare = c->loop.sending;
	size_t spare_cap = c->loop.sending_cap;

	if (c->loop.sending_len > 0)
		return 1;	/* the rest of a short send */
	if (c->loop.out_len == 0)
		return 0;
	/* Swap the two buffers: no copy, and each keeps its memory for next time. */
	c->loop.sending = c->loop.out;
	c->loop.sending_cap = c->loop.out_cap;
	c->loop.sending_len = c->loop.out_len;
	c->loop.out = spare;
	c->loop.out_cap = spare_cap;
	c->loop.out_len = 0;
	return 1;
}

int output_sent(struct client *c, int n)
{
	if (n < 0) {
		errno = -n;
		if (n != -ECANCELED)	/* cancelled: we were dropping it anyway */
			client_lost(c, 1);
		c->loop.closing = 1;
		c->loop.out_len = c->loop.sending_len = 0;
		return -1;
	}
	if (c->loop.sending_len == 0)
		return 0;	/* dropped meanwhile: the bytes no longer matter */
	memmove(c->loop.sending, c->loop.sending + n, c->loop.sending_len - (size_t)n);
	c->loop.sending_len -= (size_t)n;
	return 0;
}
