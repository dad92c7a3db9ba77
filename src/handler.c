/*
 * handler.c - echo, upper, ack, chat and count.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clients.h"
#include "handler.h"
#include "log.h"

/* echo: send back exactly what came, byte for byte (seed 004). */
static enum feed_result echo_data(struct client *c, const char *buf, size_t len)
{
	return client_send(c, buf, len) == 0 ? FEED_MORE : FEED_GONE;
}

/* upper: the same, ASCII letters in upper case (seed 003). */
static enum feed_result upper_data(struct client *c, const char *buf, size_t len)
{
	char up[1024];

	for (size_t done = 0; done < len; ) {
		size_t n = len - done < sizeof(up) ? len - done : sizeof(up);

		for (size_t i = 0; i < n; i++)
			up[i] = (char)toupper((unsigned char)buf[done + i]);
		if (client_send(c, up, n) == -1)
			return FEED_GONE;
		done += n;
	}
	return FEED_MORE;
}

/* ack: read once, answer ACK, close (seed 002). */
static enum feed_result ack_data(struct client *c, const char *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (client_send(c, "ACK", 3) == -1)
		return FEED_GONE;
	return FEED_DONE;
}

/*
 * Line handlers: call fn for each complete line. A line longer than
 * LINE_BYTES is handed over in pieces rather than kept growing.
 */
static enum feed_result each_line(struct client *c, const char *buf, size_t len,
    enum feed_result (*fn)(struct client *, const char *, size_t))
{
	for (size_t i = 0; i < len; i++) {
		c->line[c->line_len++] = buf[i];
		if (buf[i] == '\n' || c->line_len == sizeof(c->line)) {
			size_t n = c->line_len;

			c->line_len = 0;
			if (fn(c, c->line, n) != FEED_MORE)
				return FEED_GONE;
		}
	}
	return FEED_MORE;
}

/* chat: every line goes to every other client, after the sender's name. */
static enum feed_result chat_line(struct client *c, const char *line, size_t len)
{
	char msg[PEER_NAME_MAX + LINE_BYTES + 4];
	int n;

	n = snprintf(msg, sizeof(msg), "%s: %.*s%s", c->peer, (int)len, line,
	    line[len - 1] == '\n' ? "" : "\n");
	clients_broadcast(c, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	return FEED_MORE;
}

static enum feed_result chat_data(struct client *c, const char *buf, size_t len)
{
	return each_line(c, buf, len, chat_line);
}

static void chat_notice(struct client *c, const char *what)
{
	char msg[PEER_NAME_MAX + 32];
	int n = snprintf(msg, sizeof(msg), "*** %s %s\n", c->peer, what);

	clients_broadcast(c, msg, (size_t)n);
}

static void chat_join(struct client *c)
{
	chat_notice(c, "joined");
}

static void chat_leave(struct client *c)
{
	chat_notice(c, "left");
}

/*
 * count: every line adds one to srv->total. Read, add, write back: three
 * steps. Two threads that read the same old total both write total + 1,
 * and one addition is lost. The lock makes the three steps one.
 */
static void widen_the_window(void)
{
	struct timespec pause = { 0, 50 * 1000 };	/* 50 microseconds */

	nanosleep(&pause, NULL);
}

static enum feed_result count_line(struct client *c, const char *line, size_t len)
{
	struct server *srv = c->srv;
	char answer[32];
	long seen;
	int n;

	(void)line;
	(void)len;
	if (srv->opt->unsafe) {
		seen = srv->total;		/* read ... */
		widen_the_window();		/* ... another thread may read it too ... */
		srv->total = seen + 1;		/* ... and one of the two writes is lost */
	} else {
		pthread_mutex_lock(&srv->total_lock);
		seen = srv->total;
		srv->total = seen + 1;
		pthread_mutex_unlock(&srv->total_lock);
	}
	n = snprintf(answer, sizeof(answer), "%ld\n", seen + 1);
	return client_send(c, answer, (size_t)n) == 0 ? FEED_MORE : FEED_GONE;
}

static enum feed_result count_data(struct client *c, const char *buf, size_t len)
{
	return each_line(c, buf, len, count_line);
}

static const struct handler handlers[] = {
	{ "echo", "send back exactly what came", echo_data, NULL, NULL, 0 },
	{ "upper", "send it back in upper case", upper_data, NULL, NULL, 0 },
	{ "ack", "read once, answer ACK, close", ack_data, NULL, NULL, 0 },
	{ "chat", "every line to every other client", chat_data, chat_join, chat_leave, 1 },
	{ "count", "every line adds one to a shared total", count_data, NULL, NULL, 1 },
};

const struct handler *handler_find(const char *name)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].name, name) == 0)
			return &handlers[i];
	return NULL;
}

const char *handler_names(void)
{
	return "echo, upper, ack, chat, count";
}

void handler_start(struct server *srv)
{
	const char *name = srv->handler->name;

	pthread_mutex_init(&srv->total_lock, NULL);
	if (strcmp(name, "chat") == 0 && srv->threads)
		log_note("chat: every client's thread writes to the others, so the list "
		    "of clients is guarded by a mutex");
	else if (strcmp(name, "chat") == 0)
		log_note("chat: one thread does everything, so the list of clients "
		    "needs no lock: nobody else can change it mid-broadcast");
	if (strcmp(name, "count") != 0)
		return;
	if (srv->opt->unsafe && srv->threads)
		log_note("count --unsafe: no lock around the shared total, and a 50 us "
		    "pause between reading it and writing it back, to widen the window "
		    "in which another thread reads the same old value: additions will be lost");
	else if (srv->opt->unsafe)
		log_note("count --unsafe: the lock is off, but only one thread ever touches "
		    "the total, so no addition can be lost here");
	else if (srv->threads)
		log_note("count: a mutex makes read-add-write of the shared total one step");
}

static void delay(int ms)
{
	struct timespec pause = { ms / 1000, (long)(ms % 1000) * 1000000L };

	/* Interrupted by Ctrl-C: answer at once, the server is stopping. */
	nanosleep(&pause, NULL);
}

enum feed_result handler_feed(struct client *c, const char *buf, size_t len)
{
	const struct options *opt = c->srv->opt;

	client_touch(c);
	log_received(buf, len);
	if (opt->delay_ms > 0)
		delay(opt->delay_ms);
	return c->srv->handler->data(c, buf, len);
}
