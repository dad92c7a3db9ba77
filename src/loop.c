/*
 * loop.c - the plumbing of the one-thread event loops: reading a ready
 * client, writing what it would not take, backpressure, idle timeouts and
 * the end. See loop.h; the waiting itself is in servers/select.c, poll.c
 * and epoll.c.
 *
 * The one rule of an event loop: never block. Every client socket is
 * O_NONBLOCK, a recv() happens only when the kernel said bytes are there,
 * and what a send() cannot place now waits in c->loop.out until the socket is
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
#include "signals.h"

void loop_start(struct loop *loop, struct server *srv, const char *how)
{
	*loop = (struct loop){ .srv = srv, .listen_fd = srv->listen_fd,
	    .stopping = &stop_requested, .stop_fd = signals_stop_fd() };
	/*
	 * The listener too: a client may connect and reset between the
	 * kernel's "ready" and our accept(); a blocking accept() would then
	 * wait for the next client, with everyone else unserved.
	 */
	if (net_set_nonblock(srv->listen_fd) == -1)
		log_error(_("cannot make the listening socket non-blocking: %s"), strerror(errno));
	if (how == NULL)
		return;
	log_note("%s", _(how));	/* marked N_() by the design that starts the loop */
	if (srv->completions)	/* uring */
		log_note(_("no thread ever waits for one client: the kernel holds a recv for "
		    "each, does it when bytes come, and the loop reaps what is done"));
	else
		log_note(_("no thread ever waits for one client: every socket is non-blocking, "
		    "and the loop touches only those the kernel says are ready"));
	if (srv->opt->delay_ms > 0)
		log_note(_("--delay %d: the one thread sleeps before each answer, and while "
		    "it sleeps no other client is served; this is why an event loop "
		    "must never block"), srv->opt->delay_ms);
}

struct client *loop_accept(struct loop *loop)
{
	return loop_adopt(loop, server_accept(loop->srv, loop->listen_fd));
}

struct client *loop_adopt(struct loop *loop, struct client *c)
{
	if (c == NULL)
		return NULL;
	clients_lock(loop->srv);	/* another loop's chat reads it (reuseport) */
	c->loop.home = loop;	/* this loop serves it from now on */
	clients_unlock(loop->srv);
	c->loop.next = loop->clients;
	if (loop->clients != NULL)
		loop->clients->loop.prev = c;
	loop->clients = c;
	return c;
}

void loop_ask_later(struct client *c)
{
	struct loop *loop = c->loop.home;

	if (c->loop.on_ask_list)
		return;
	c->loop.on_ask_list = 1;
	c->loop.ask_prev = NULL;
	c->loop.ask_next = loop->to_ask;
	if (loop->to_ask != NULL)
		loop->to_ask->loop.ask_prev = c;
	loop->to_ask = c;
}

static void asked(struct client *c)
{
	struct loop *loop = c->loop.home;

	if (!c->loop.on_ask_list)
		return;
	c->loop.on_ask_list = 0;
	if (c->loop.ask_prev != NULL)
		c->loop.ask_prev->loop.ask_next = c->loop.ask_next;
	else
		loop->to_ask = c->loop.ask_next;
	if (c->loop.ask_next != NULL)
		c->loop.ask_next->loop.ask_prev = c->loop.ask_prev;
}

/* c leaves its loop's lists (the registry is clients.c's). */
static void leave_loop(struct client *c)
{
	struct loop *loop = c->loop.home;

	asked(c);
	if (c->loop.prev != NULL)
		c->loop.prev->loop.next = c->loop.next;
	else
		loop->clients = c->loop.next;
	if (c->loop.next != NULL)
		c->loop.next->loop.prev = c->loop.prev;
}

void loop_refuse(struct client *c, const char *why, const char *hint)
{
	log_note(_("%s got descriptor %d: %s, so it is refused (everyone else is still "
	    "served); %s"), c->peer, c->fd, why, hint);
	leave_loop(c);
	client_turn_away(c, why);
}

void loop_close(struct client *c)
{
	leave_loop(c);
	client_close(c);	/* logs "Connection with ... closed" */
}

int loop_wants(const struct client *c)
{
	int want = 0;

	if (c->loop.closing && c->loop.out_len == 0)
		return WANT_READ;	/* dropped by a broadcast: loop_read() closes it */
	if (!c->loop.closing && c->loop.out_len <= OUT_HIGH)
		want |= WANT_READ;
	if (c->loop.out_len > 0)
		want |= WANT_WRITE;
	return want;
}

void loop_note_wants(struct client *c, int want)
{
	int before = c->loop.interest;

	if ((before & WANT_READ) && !(want & WANT_READ) && !c->loop.closing)
		log_note(_("%s has %zu bytes it has not read yet: stop reading from it until "
		    "it does; its own sends will block, not our memory grow"), c->peer,
		    c->loop.out_len + c->loop.sending_len);	/* uring: some in flight */
	else if (before == WANT_WRITE && (want & WANT_READ))
		log_note(_("%s read its backlog: reading from it again"), c->peer);
	c->loop.interest = want;
}

/* Say why c is lost (errno): mid-answer if it was owed bytes. It closes; returns -1. */
static int lost(struct client *c, int answering)
{
	client_lost(c, answering || c->loop.out_len > 0);
	c->loop.closing = 1;
	return -1;
}

int loop_received(struct client *c, const char *buf, ssize_t n)
{
	if (n == -1)
		return lost(c, 0);	/* a reset, mostly: errno says */
	if (n == 0) {		/* the client closed its side: b'' in Python */
		c->loop.closing = 1;
		return c->loop.out_len > 0 ? 0 : -1;	/* send what it is owed first */
	}
	client_touch(c);	/* --idle-timeout counts from here */
	switch (handler_feed(c, buf, (size_t)n)) {
	case FEED_MORE:
		return 0;
	case FEED_DONE:		/* ack: answered, close once it is sent */
		c->loop.closing = 1;
		return c->loop.out_len > 0 ? 0 : -1;
	case FEED_GONE:		/* its answer could not be sent */
	default:
		return lost(c, 1);
	}
}

static int loop_read(struct client *c)
{
	char buf[READ_CHUNK];
	ssize_t n;

	if (c->loop.closing && c->loop.out_len == 0)
		return -1;	/* dropped by a broadcast (output.c) */
	/* The kernel said "readable": bytes, or the end, are there; no wait. */
	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;	/* a false alarm: wait for the next one */
	c->more_waiting = (size_t)n == sizeof(buf) && net_more_waiting(c->fd);
	return loop_received(c, buf, n);
}

static int loop_write(struct client *c)
{
	if (output_flush(c) == -1)
		return lost(c, 0);	/* reset, or gone: nobody to write to */
	return c->loop.closing && c->loop.out_len == 0 ? -1 : 0;
}

int loop_serve(struct client *c, int readable, int writable)
{
	int rc = 0;

	if (!readable && !writable)
		return 0;	/* not among the ready ones */
	if (readable)
		rc = loop_read(c);	/* one recv(), never blocks */
	if (rc == 0 && writable)
		rc = loop_write(c);	/* what it would not take before */
	if (rc == 0)
		loop_ask_later(c);	/* output drained? backlog too big? */
	return rc;
}

struct client *loop_idle(struct loop *loop, int *timeout)
{
	long left;

	*timeout = -1;
	if (loop->srv->opt->idle_timeout == 0)
		return NULL;	/* no deadlines: no walk over every client */
	for (struct client *c = loop->clients; c != NULL; c = c->loop.next) {
		left = client_idle_left_ms(c);
		if (left == 0) {
			client_timed_out(c, N_("was silent"));
			return c;
		}
		if (left > 0 && (*timeout == -1 || left < *timeout))
			*timeout = (int)left;
	}
	return NULL;
}

struct client *loop_next_to_ask(struct loop *loop)
{
	struct client *c;

	if (loop->output_changed) {	/* (again, if closing one broadcast "left") */
		loop->output_changed = 0;
		for (c = loop->clients; c != NULL; c = c->loop.next)
			loop_ask_later(c);	/* any of them may have bytes waiting now */
	}
	c = loop->to_ask;
	if (c != NULL)
		asked(c);
	return c;
}

int loop_end(struct loop *loop, const char *failed)
{
	struct server *srv = loop->srv;
	int status = 0;

	if (failed != NULL) {	/* not a Ctrl-C: no goodbye line, exit status 1 */
		log_error(_("%s: %s (the event loop cannot go on; try 'netlab threaded')"),
		    failed, strerror(errno));
		if (!loop->one_of_many)
			server_close_listener(srv);
		status = 1;
	} else if (!loop->one_of_many) {
		server_stop(srv);	/* "Shutting down server...", the listener closed */
	}
	if (loop->one_of_many)
		close(loop->listen_fd);	/* its own: main has said goodbye */
	while (loop->clients != NULL)
		loop_close(loop->clients);	/* logs "Connection with ... closed" */
	return status;
}
