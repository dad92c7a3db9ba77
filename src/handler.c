/*
 * handler.c - echo, upper, ack, chat and count: what the answer is.
 *
 * Every design feeds every chunk it reads to handler_feed(), and the
 * handlers do not know which design called them. Only chat and count keep
 * state that all clients share; they are where threads meet, and where
 * the lessons about locks live.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clients.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "output.h"
#include "repr.h"
#include "server.h"

/* echo: send back exactly what came, byte for byte (seed 004). */
static enum feed_result echo_data(struct client *c, const char *buf, size_t len)
{
	return output_send_piece(c, buf, len) == 0 ? FEED_MORE : FEED_GONE;
}

/* upper: the same, ASCII letters in upper case (seed 003's data.upper()). */
static enum feed_result upper_data(struct client *c, const char *buf, size_t len)
{
	char up[1024];

	for (size_t done = 0; done < len; ) {
		size_t n = len - done < sizeof(up) ? len - done : sizeof(up);

		/* ASCII only, whatever the locale: other bytes (UTF-8 too) pass as they are. */
		for (size_t i = 0; i < n; i++) {
			char ch = buf[done + i];

			up[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
		}
		if (output_send_piece(c, up, n) == -1)
			return FEED_GONE;
		done += n;
	}
	return FEED_MORE;
}

/* ack: read once, answer ACK, close (seed 002's handle_client). */
static enum feed_result ack_data(struct client *c, const char *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (output_send(c, "ACK", 3) == -1)
		return FEED_GONE;
	return FEED_DONE;
}

/*
 * chat: every line goes to every other client, after the sender's address
 * (seed 001). Bytes are kept in c->chat.line until the newline comes; a line
 * longer than LINE_BYTES goes out in pieces rather than growing without end.
 * What reaches the others' terminals follows the log's rule: printable
 * text, tabs and the newline as they are, every other byte escaped (\x1b),
 * so no student can clear or recolour the whole class's screens.
 */
enum { NOTED_ESCAPED = 1, NOTED_LONG_LINE = 2 };	/* c->chat.noted */

static void chat_line(struct client *c, const char *line, size_t len)
{
	char msg[PEER_NAME_MAX + REPR_SIZE(LINE_BYTES) + 4];
	size_t n, text;

	n = (size_t)snprintf(msg, sizeof(msg), "%s: ", c->peer);
	text = repr_text(msg + n, line, len);
	if (text != len && !(c->chat.noted & NOTED_ESCAPED)) {
		c->chat.noted |= NOTED_ESCAPED;	/* said once per client, not once per line */
		log_note(_("chat: %s sent bytes that would drive a terminal (escape "
		    "sequences, control characters): the others receive them escaped, "
		    "as the log shows them"), c->peer);
	}
	n += text;
	if (line[len - 1] != '\n')
		msg[n++] = '\n';
	output_broadcast(c, msg, n);
}

static enum feed_result chat_data(struct client *c, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		c->chat.line[c->chat.line_len++] = buf[i];
		if (buf[i] != '\n' && c->chat.line_len == LINE_BYTES &&
		    !(c->chat.noted & NOTED_LONG_LINE)) {
			c->chat.noted |= NOTED_LONG_LINE;
			log_note(_("chat: %s sent %d bytes without a newline: the line is sent on "
			    "in pieces of %d bytes, so one endless line cannot make the server "
			    "hold more and more"), c->peer, LINE_BYTES, LINE_BYTES);
		}
		if (buf[i] == '\n' || c->chat.line_len == LINE_BYTES) {
			chat_line(c, c->chat.line, c->chat.line_len);
			c->chat.line_len = 0;
		}
	}
	return FEED_MORE;
}

static void chat_notice(struct client *c, const char *what)
{
	char msg[PEER_NAME_MAX + 32];
	int n = snprintf(msg, sizeof(msg), "*** %s %s\n", c->peer, what);

	if (n > 0)
		output_broadcast(c, msg, (size_t)n);
}

static void chat_join(struct client *c)
{
	chat_notice(c, "joined");
}

static void chat_leave(struct client *c)
{
	if (c->chat.line_len > 0)	/* a last line without its newline still counts */
		chat_line(c, c->chat.line, c->chat.line_len);
	chat_notice(c, "left");
}

/*
 * count: every line adds one to srv->count.total, which all clients share, and
 * the answer is the new total. Adding one is three steps: read the total,
 * add one, write it back. If two threads both read 41, both write 42, and
 * one addition is lost. The lock makes the three steps one: nobody else
 * can read between our read and our write.
 *
 * Left to itself, the window between read and write lasts nanoseconds:
 * the race is real, but a class could watch for minutes and never see it.
 * So it is widened on purpose: the pause stands for the work a real server
 * does between the two steps (a lookup, a write to disk). Under the lock
 * the pause only makes the others wait their turn; with --unsafe, other
 * threads read the same old total during it. The lock is the only
 * difference between the two.
 */
#define WINDOW_US 50

static long count_one(struct server *srv)
{
	struct timespec work = { 0, WINDOW_US * 1000L };
	int locked = !srv->opt->unsafe;
	long total;

	if (locked)
		pthread_mutex_lock(&srv->count.lock);
	total = srv->count.total;	/* read ... */
	if (srv->threads)		/* one thread alone has nobody to race with */
		nanosleep(&work, NULL);	/* ... the widened window ... */
	srv->count.total = total + 1;	/* ... write back */
	if (locked)
		pthread_mutex_unlock(&srv->count.lock);
	return total + 1;
}

static enum feed_result count_data(struct client *c, const char *buf, size_t len)
{
	char answer[24];
	int n;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		n = snprintf(answer, sizeof(answer), "%ld\n", count_one(c->srv));
		if (output_send(c, answer, (size_t)n) == -1)
			return FEED_GONE;
	}
	return FEED_MORE;
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
	static char names[80];	/* "echo, upper, ack, chat, count" */
	size_t len = 0;

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
		    i > 0 ? ", " : "", handlers[i].name);
	return names;
}

void handler_start(struct server *srv)
{
	const char *name = srv->handler->name;

	pthread_mutex_init(&srv->count.lock, NULL);
	if (strcmp(name, "chat") == 0 && srv->threads)
		log_note(_("chat: every client's thread walks the list of clients to write to "
		    "the others while clients join and leave: the list is guarded by a "
		    "mutex, or a thread could follow a pointer to a client just freed"));
	else if (strcmp(name, "chat") == 0)
		log_note(_("chat: one thread does everything, so the list of clients needs "
		    "no lock: nobody else can change it in the middle of a broadcast"));
	if (strcmp(name, "count") != 0)
		return;
	if (srv->opt->unsafe && srv->threads)
		log_note(_("count --unsafe: no lock around the shared total, and a %d us pause "
		    "between reading it and writing it back, widened on purpose: other "
		    "threads read the same old total meanwhile, and additions are lost"),
		    WINDOW_US);
	else if (srv->opt->unsafe)
		log_note(_("count --unsafe: the lock is off, but only one thread ever touches "
		    "the total, so no addition can be lost here"));
	else if (srv->threads)
		log_note(_("count: a mutex makes read, add one, write back a single step; "
		    "the %d us pause between them only makes the other threads wait"),
		    WINDOW_US);
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

	log_received(buf, len);
	if (opt->delay_ms > 0)
		delay(opt->delay_ms);
	return c->srv->handler->data(c, buf, len);
}
