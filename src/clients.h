/*
 * clients.h - one connected client, and the registry of all of them.
 *
 * The registry is what chat broadcasts to, what --max-clients counts and
 * what 'limited' waits on. In the threaded designs it sits under a mutex
 * (server_lock()); in the event loops only one thread exists, so the lock
 * is skipped.
 */
#ifndef NETLAB_CLIENTS_H
#define NETLAB_CLIENTS_H

#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "net.h"
#include "server.h"

/*
 * Every place that holds a client's bytes has a bound, and what happens at
 * the bound is said in the log (see also bounds.h: pool's queue and fork's
 * children, sized from the machine's limits when the server starts):
 *   LINE_BYTES  chat keeps at most this much of a line not yet ended; a
 *               longer line is sent on in pieces of this size.
 *   OUT_HIGH    an event loop stops reading from a client that has this
 *               much of its own answer unread: its sends block, not our
 *               memory grows.
 *   OUT_MAX     bytes from others (chat) waiting for a client that does not
 *               read: past this it is closed rather than kept.
 */
#define LINE_BYTES 1024
#define OUT_HIGH   (64 * 1024)
#define OUT_MAX    (1024 * 1024)

struct client {
	struct server *srv;
	int fd;			/* owned by whoever owns this struct */
	int id;			/* 1, 2, 3, ...: also the thread's or worker's number */
	char peer[PEER_NAME_MAX];	/* "('127.0.0.1', 49743)" */
	struct client *prev, *next;	/* the registry */

	pthread_mutex_t write_lock;	/* blocking designs: one writer at a time */
	char line[LINE_BYTES];	/* chat: a line not yet complete */
	size_t line_len;
	unsigned chat_noted;	/* chat: the notes said once per client (handler.c) */

	char *out;		/* event loops: bytes the socket had no room for */
	size_t out_len, out_cap;
	struct timespec last_active;	/* --idle-timeout */
	int closing;		/* event loops: close once the output is flushed */
	int slot;		/* event loops: its place in the loop's table */
	struct client *queue_next;	/* pool: the next client waiting for a worker */
	int interest;		/* event loops: WANT_READ | WANT_WRITE, as last asked */
};

/*
 * accept() gave us fd: log "Received new connection from", register it.
 * NULL when --max-clients refuses it (told so, and closed) or on ENOMEM.
 */
struct client *client_new(struct server *srv, int fd,
    const struct sockaddr_storage *peer, socklen_t peer_len);

/*
 * Refuse a client accept() gave us as fd: tell it the server is full (why),
 * close it, log "Connection with ... closed". The caller has logged its
 * arrival, and said why it is refused.
 */
void client_refuse(int fd, const char *peer, const char *why);

/* Unregister, log "Connection with ... closed", close the socket, free. */
void client_close(struct client *c);

/*
 * fork, in the parent: unregister and free, and log nothing: the child
 * owns the connection and logs its end. The caller closes the socket.
 */
void client_forget(struct client *c);

/* --idle-timeout ran out: "Idle timeout: ... was silent" (or "read nothing"). */
void client_timed_out(const struct client *c, const char *what);

/* Say why c is lost (errno), and that nobody else is: mid-answer or not. */
void client_lost(const struct client *c, int answering);

int clients_count(struct server *srv);

/* --idle-timeout: note activity; milliseconds until this client times out. */
void client_touch(struct client *c);
long client_idle_left_ms(const struct client *c);

#endif
