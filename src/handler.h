/*
 * handler.h - what a server does with the bytes it receives (--handler).
 *
 * The designs decide who waits for whom; a handler decides what the answer
 * is. Every design feeds every chunk it reads through handler_feed().
 */
#ifndef NETLAB_HANDLER_H
#define NETLAB_HANDLER_H

#include <stddef.h>

struct client;
struct server;

enum feed_result { FEED_MORE, FEED_DONE, FEED_GONE };

struct handler {
	const char *name;
	const char *summary;
	/* Answer one chunk: FEED_MORE, FEED_DONE (close now) or FEED_GONE. */
	enum feed_result (*data)(struct client *c, const char *buf, size_t len);
	void (*join)(struct client *c);		/* optional */
	void (*leave)(struct client *c);	/* optional */
	int shared;		/* keeps state shared by clients (chat, count) */
};

/* The handler called name, or NULL. */
const struct handler *handler_find(const char *name);

/* The handler names, "echo, upper, ...", for the usage error (one thread). */
const char *handler_names(void);

/* Prepare shared state, and explain it. */
void handler_start(struct server *srv);

/* Log "Received: b'...'", wait --delay, let the handler answer. */
enum feed_result handler_feed(struct client *c, const char *buf, size_t len);

#endif
