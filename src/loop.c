/*
 * loop.c - the plumbing of the one-thread event loops: reading a ready
 * client, writing what it would not take, backpressure, idle timeouts and
 * the end. See loop.h; the waiting itself is in servers/select.c, poll.c
 * and epoll.c.
 *
 * The one rule of an event loop: never block. Every client socket is
 * O_NONBLOCK, a recv() happens only when the kernel said bytes are there,
 * and what a send() cannot place now waits in c->out until the socket is
 * writable again (output.c). One client that blocked the thread would
 * stall every other client, because there is no other thread.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clients.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "output.h"
#include "server.h"

void loop_start(struct server *srv, const char *how)
{
	/*
	 * The listener too: a client may connect and reset between the
	 * kernel's "ready" and our accept(); a blocking accept() would then
	 * wait for the next client, with everyone else unserved.
	 */
	if (net_set_nonblock(srv->listen_fd) == -1)
		log_error(_("cannot make the listening socket non-blocking: %s"), strerror(errno));
	log_note("%s", how);
	log_note(_("no thread ever waits for one client: every socket is non-blocking, "
	    "and the loop touches only those the kernel says are ready"));
	if (srv->opt->delay_ms > 0)
		log_note(_("--delay %d: the one thread sleeps before each answer, and while "
		    "it sleeps no other client is served; this is why an event loop "
		    "must never block"), srv->opt->delay_ms);
}

void loop_cannot_watch(int client_fd, const struct sockaddr_storage *peer,
    socklen_t peer_len, const char *why, const char *hint)
{
	char name[PEER_NAME_MAX];

	net_peer_name((const struct sockaddr *)peer, peer_len, name, sizeof(name));
	log_event("Received new connection from  %s", name);
	log_note(_("%s got descriptor %d: %s, so it is refused (everyone else is still "
	    "served); %s"), name, client_fd, why, hint);
	client_refuse(client_fd, name, why);
}

int loop_interest(struct client *c)
{
	int before = c->interest, want = 0;

	if (!c->closing && c->out_len <= OUT_HIGH)
		want |= WANT_READ;
	if (c->out_len > 0)
		want |= WANT_WRITE;
	if (c->closing && c->out_len == 0) {
		/*
		 * Dropped in the middle of someone else's broadcast (output.c),
		 * where it could not be freed. shutdown() makes its socket
		 * readable at once: loop_read() then closes it.
		 */
		(void)shutdown(c->fd, SHUT_RDWR);	/* done twice: harmless */
		want = WANT_READ;
	}
	if ((before & WANT_READ) && !(want & WANT_READ) && !c->closing)
		log_note(_("%s has %zu bytes it has not read yet: stop reading from it until "
		    "it does; its own sends will block, not our memory grow"), c->peer,
		    c->out_len);
	else if (before == WANT_WRITE && (want & WANT_READ))
		log_note(_("%s read its backlog: reading from it again"), c->peer);
	c->interest = want;
	return want;
}

/* Say why c is lost (errno): mid-answer if it was owed bytes. Returns -1. */
static int lost(struct client *c, int answering)
{
	client_lost(c, answering || c->out_len > 0);
	return -1;
}

static int loop_read(struct client *c)
{
	char buf[READ_CHUNK];
	ssize_t n;

	if (c->closing && c->out_len == 0)
		return -1;	/* dropped: see loop_interest() */
	/* The kernel said "readable": bytes, or the end, are there; no wait. */
	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;	/* a false alarm: wait for the next one */
		return lost(c, 0);
	}
	if (n == 0) {		/* the client closed its side: b'' in Python */
		c->closing = 1;
		return c->out_len > 0 ? 0 : -1;	/* send what it is owed first */
	}
	client_touch(c);	/* --idle-timeout counts from here */
	switch (handler_feed(c, buf, (size_t)n)) {
	case FEED_MORE:
		return 0;
	case FEED_DONE:		/* ack: answered, close once it is sent */
		c->closing = 1;
		return c->out_len > 0 ? 0 : -1;
	case FEED_GONE:		/* its answer could not be sent */
	default:
		return lost(c, 1);
	}
}

static int loop_write(struct client *c)
{
	if (output_flush(c) == -1)
		return lost(c, 0);	/* reset, or gone: nobody to write to */
	return c->closing && c->out_len == 0 ? -1 : 0;
}

int loop_serve(struct client *c, int readable, int writable)
{
	int rc = 0;

	if (readable)
		rc = loop_read(c);	/* one recv(), never blocks */
	if (rc == 0 && writable)
		rc = loop_write(c);	/* what it would not take before */
	return rc;
}

struct client *loop_idle(struct server *srv, int *timeout)
{
	long left;

	*timeout = -1;
	if (srv->opt->idle_timeout == 0)
		return NULL;	/* no deadlines: no walk over every client */
	for (struct client *c = srv->clients; c != NULL; c = c->next) {
		left = client_idle_left_ms(c);
		if (left == 0) {
			client_timed_out(c, "was silent");
			return c;
		}
		if (left > 0 && (*timeout == -1 || left < *timeout))
			*timeout = (int)left;
	}
	return NULL;
}

int loop_end(struct server *srv, const char *failed)
{
	int status = 0;

	if (failed != NULL) {	/* not a Ctrl-C: no goodbye line, exit status 1 */
		log_error(_("%s: %s (the event loop cannot go on; try 'netlab threaded')"),
		    failed, strerror(errno));
		server_close_listener(srv);
		status = 1;
	} else {
		server_stop(srv);	/* "Shutting down server...", the listener closed */
	}
	while (srv->clients != NULL)
		client_close(srv->clients);	/* logs "Connection with ... closed" */
	return status;
}
