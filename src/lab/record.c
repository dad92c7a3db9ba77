/*
 * record.c - what the server's log and the kernel say, as events and
 * clients. Who serves a client comes from the actor in brackets of its
 * event lines ("[thread 3] Received: ..."), never from an annotation's
 * words: annotations are prose, and prose gets reworded and translated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "now.h"
#include "record.h"

static struct obs_client *client_by_port(struct observer *o, int port, int create)
{
	struct obs_client *c;

	for (int i = o->nclients - 1; i >= 0; i--)
		if (o->clients[i].port == port)
			return &o->clients[i];
	if (!create || o->nclients == OBSERVE_MAX_CLIENTS)
		return NULL;
	c = &o->clients[o->nclients++];
	memset(c, 0, sizeof(*c));
	c->port = port;
	snprintf(c->peer, sizeof(c->peer), "('127.0.0.1', %d)", port);
	c->seen_at = c->accepted_at = c->served_at = c->closed_at = c->gone_at = -1;
	c->unread_since = -1;
	return c;
}

/* "('127.0.0.1', 50312)" anywhere in text: the port, or 0. */
static int peer_port(const char *text, char *peer, size_t len)
{
	const char *open = strstr(text, "('");
	const char *comma = open ? strstr(open, "', ") : NULL;
	const char *close = comma ? strchr(comma, ')') : NULL;

	if (close == NULL)
		return 0;
	if (peer != NULL)
		snprintf(peer, len, "%.*s", (int)(close - open + 1), open);
	return atoi(comma + 3);
}

/* Designs in which the main thread serves every client itself. */
static int main_serves_all(const struct observer *o)
{
	const struct command *cmd = command_find(o->design);

	return cmd != NULL && (cmd->kind == ONE_THREAD || cmd->kind == EVENT_LOOP);
}

/* The one connected client nobody is known to serve yet, if there is one. */
static struct obs_client *unclaimed(struct observer *o)
{
	struct obs_client *found = NULL;

	for (int i = 0; i < o->nclients; i++) {
		struct obs_client *c = &o->clients[i];

		if (c->accepted_at >= 0 && c->closed_at < 0 && c->served_by[0] == '\0') {
			if (found != NULL)
				return NULL;
			found = c;
		}
	}
	return found;
}

static struct obs_client *served_by(struct observer *o, const char *actor)
{
	for (int i = o->nclients - 1; i >= 0; i--)
		if (o->clients[i].closed_at < 0 && strcmp(o->clients[i].served_by, actor) == 0)
			return &o->clients[i];
	return NULL;
}

static void on_accept(struct observer *o, struct obs_event *ev)
{
	char peer[64];
	struct obs_client *c;

	ev->port = peer_port(ev->text, peer, sizeof(peer));
	c = client_by_port(o, ev->port, 1);
	if (c == NULL)
		return;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->accepted_at = ev->t;
	if (c->seen_at < 0)
		c->seen_at = ev->t;
	if (main_serves_all(o))
		snprintf(c->served_by, sizeof(c->served_by), "%s", ev->actor);
	/* Only a pool keeps accepted clients in a queue of its own. */
	if (strcmp(o->design, "pool") != 0)
		c->served_at = ev->t;
}

/* Its server's first line about it ends a client's wait in the program's queue. */
static void serving(struct obs_client *c, const struct obs_event *ev)
{
	if (c->served_at < 0)
		c->served_at = ev->t;
	if (c->served_by[0] == '\0')
		snprintf(c->served_by, sizeof(c->served_by), "%s", ev->actor);
}

/*
 * A note by a thread, worker or process that names a client: it has taken
 * that client (a pool's worker, from the queue). Its address says which
 * client, whatever the note's words and language.
 */
static void on_note(struct observer *o, struct obs_event *ev)
{
	struct obs_client *c;

	if (main_serves_all(o) || strcmp(ev->actor, "main") == 0 ||
	    (ev->port = peer_port(ev->text, NULL, 0)) == 0)
		return;
	c = client_by_port(o, ev->port, 0);
	if (c != NULL && c->accepted_at >= 0 && c->closed_at < 0)
		serving(c, ev);
}

/*
 * A "Received:" line names its actor, not its client. A thread, worker or
 * process serves one client: its first message claims the one client
 * nobody serves yet. One thread serving all: only with one client
 * connected is it clear whose message this is.
 */
static void on_received(struct observer *o, struct obs_event *ev)
{
	struct obs_client *c = served_by(o, ev->actor);

	if (c == NULL && !main_serves_all(o) && (c = unclaimed(o)) != NULL)
		serving(c, ev);
	if (c == NULL && main_serves_all(o) && observe_connected(o) == 1)
		c = unclaimed(o) ? unclaimed(o) : served_by(o, ev->actor);
	if (c != NULL) {
		c->messages++;
		ev->port = c->port;
	}
}

static void on_closed(struct observer *o, struct obs_event *ev)
{
	struct obs_client *c;

	ev->port = peer_port(ev->text, NULL, 0);
	c = client_by_port(o, ev->port, 1);
	if (c == NULL)
		return;
	if (c->accepted_at >= 0)
		serving(c, ev);
	c->closed_at = ev->t;
}

/* A new event for the line, its actor split off. NULL: out of memory. */
static struct obs_event *new_event(struct observer *o, const char *line, double now)
{
	struct obs_event *ev;
	const char *end = line[0] == '[' ? strchr(line, ']') : NULL;

	if (o->nevents == o->cap) {
		int cap = o->cap ? o->cap * 2 : 256;
		struct obs_event *grown = realloc(o->events, sizeof(*grown) * (size_t)cap);

		if (grown == NULL)
			return NULL;	/* the lab loses some history, not its mind */
		o->events = grown;
		o->cap = cap;
	}
	ev = &o->events[o->nevents];
	memset(ev, 0, sizeof(*ev));
	ev->t = now;
	ev->kind = end != NULL ? EV_OTHER : EV_ERROR;
	if ((ev->line = strdup(line)) == NULL)
		return NULL;
	ev->text = ev->line;
	if (end != NULL) {
		snprintf(ev->actor, sizeof(ev->actor), "%.*s", (int)(end - line - 1), line + 1);
		ev->text = ev->line + (end - line) + (end[1] == ' ' ? 2 : 1);
	}
	o->nevents++;
	return ev;
}

void record_line(struct observer *o, const char *line, double now)
{
	struct obs_event *ev = new_event(o, line, now);
	const char *text;

	if (ev == NULL || ev->kind == EV_ERROR)
		return;
	text = ev->text;
	if (strncmp(text, "Starting server on '", 20) == 0) {
		ev->kind = EV_START;	/* its port came from the kernel (observe.c) */
		o->listening = 1;
	} else if (strncmp(text, "Received new connection from  ", 30) == 0) {
		ev->kind = EV_ACCEPT;
		on_accept(o, ev);
	} else if (strncmp(text, "Received: ", 10) == 0) {
		ev->kind = EV_RECEIVED;
		on_received(o, ev);
	} else if (strncmp(text, "Connection with ", 16) == 0 && strstr(text, " closed")) {
		ev->kind = EV_CLOSED;
		on_closed(o, ev);
	} else if (strncmp(text, "Shutting down server", 20) == 0) {
		ev->kind = EV_STOP;
	} else if (strncmp(text, "  # ", 4) == 0 || strncmp(text, "# ", 2) == 0) {
		ev->kind = EV_NOTE;
		on_note(o, ev);
	}
}

/* A connection the kernel shows: in the accept queue, or accepted. */
static void record_connection(struct observer *o, const struct kernel_socket *k, double now)
{
	struct obs_client *c;

	if (k->state != TCP_STATE_ESTABLISHED && k->state != TCP_STATE_CLOSE_WAIT)
		return;	/* closing: the client has gone */
	if ((c = client_by_port(o, k->peer_port, 1)) == NULL)
		return;
	if (c->seen_at < 0)
		c->seen_at = now;
	c->in_kernel = 2;	/* seen in this scan */
	if (k->unread == 0)
		c->unread_since = -1;
	else if (c->unread_since < 0)
		c->unread_since = now;
}

/* The clients the kernel shows, and those it no longer shows. */
void record_view(struct observer *o, double now)
{
	o->listening = o->view.listening;
	for (size_t i = 0; i < o->view.nqueued; i++)
		record_connection(o, &o->view.queued[i], now);
	for (size_t i = 0; i < o->view.nconns; i++)
		record_connection(o, &o->view.conns[i], now);
	for (int i = 0; i < o->nclients; i++) {
		struct obs_client *c = &o->clients[i];

		if (c->in_kernel == 2) {
			c->in_kernel = 1;
			continue;
		}
		if (c->in_kernel == 1 && c->gone_at < 0)
			c->gone_at = now;
		c->in_kernel = 0;
		c->unread_since = -1;
	}
}

/* ---- the counts the expectations and 'status' ask for ---- */

int observe_queued(const struct observer *o, long ms)
{
	double now = lab_now();
	int n = 0;

	for (int i = 0; i < o->nclients; i++) {
		const struct obs_client *c = &o->clients[i];

		if (c->in_kernel && c->accepted_at < 0 && (now - c->seen_at) * 1000 >= ms)
			n++;
	}
	return n;
}

int observe_unread(const struct observer *o, long ms)
{
	double now = lab_now();
	int n = 0;

	for (int i = 0; i < o->nclients; i++) {
		const struct obs_client *c = &o->clients[i];

		if (c->in_kernel && c->unread_since >= 0 && (now - c->unread_since) * 1000 >= ms)
			n++;
	}
	return n;
}

int observe_connected(const struct observer *o)
{
	int n = 0;

	for (int i = 0; i < o->nclients; i++)
		if (o->clients[i].accepted_at >= 0 && o->clients[i].closed_at < 0)
			n++;
	return n;
}

int observe_accepted(const struct observer *o)
{
	int n = 0;

	for (int i = 0; i < o->nclients; i++)
		n += o->clients[i].accepted_at >= 0;
	return n;
}
