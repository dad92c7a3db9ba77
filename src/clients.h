/*
 * clients.h - one connected client, and the registry of all of them.
 *
 * The registry is what chat broadcasts to, what --max-clients counts and
 * what 'limited' waits on. It owns its lock: a design adds a client with
 * one call (client_new()) and drops it with one (client_close()), and the
 * locking happens in here. When several threads touch the registry (the
 * threaded designs) the mutex is taken; when one thread does everything
 * (sequential, an event loop) it is skipped.
 */
#ifndef NETLAB_CLIENTS_H
#define NETLAB_CLIENTS_H

#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "net.h"

struct loop;
struct server;

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
	struct timespec last_active;	/* --idle-timeout */
	int more_waiting;	/* the last recv() filled its buffer and more bytes wait:
				   its answer is not the last piece (output_send_piece()) */

	/* The blocking designs: one thread (or worker, or child) serves it. */
	struct {
		pthread_mutex_t write_lock;	/* one writer at a time: its thread, a chat */
		struct client *queue_next;	/* pool: the next client waiting for a worker */
	} blocking;

	/* The event loops (loop.c, output.c): the loop serves it a piece at a time. */
	struct {
		struct loop *home;	/* the loop that serves it */
		struct client *prev, *next;	/* that loop's clients */
		struct client *ask_prev, *ask_next;	/* on its list of clients to ask */
		int on_ask_list;
		char *out;		/* bytes the socket had no room for */
		size_t out_len, out_cap;
		int closing;		/* close once the output is flushed */
		int interest;		/* WANT_READ | WANT_WRITE, as last told the kernel */
		int slot;		/* poll: its place in the loop's table */
		/* uring: the kernel sends from a buffer of its own, and holds operations. */
		char *sending;		/* the bytes the kernel is sending now; out waits behind */
		size_t sending_len, sending_cap;
		int in_kernel;		/* WANT_READ | WANT_WRITE: the operations it holds */
	} loop;

	/* --handler chat (handler.c). */
	struct {
		char line[LINE_BYTES];	/* a line not yet complete */
		size_t line_len;
		unsigned noted;	/* the notes said once per client */
	} chat;
};

/*
 * The registry of connected clients (clients.c), in struct server. Only
 * clients.c takes its lock (and output.c, for a broadcast, through
 * clients_lock()).
 */
struct registry {
	int shared;		/* several threads touch it: take the lock */
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* signalled whenever a client comes or goes */
	struct client *first;
	int count;
	int next_id;
};

/* Before the first client: several threads will touch it, or one. */
void clients_init(struct registry *registry, int shared);

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

/* Why a client is turned away: "1 client already connected", "20 clients ...". */
void clients_full_why(char *why, size_t size, int connected);

/* Unregister, log "Connection with ... closed", close the socket, free. */
void client_close(struct client *c);

/*
 * A registered client refused after all (a full queue, too many children,
 * a loop that cannot watch it): tell it the server is full (why), then
 * client_close() it.
 */
void client_turn_away(struct client *c, const char *why);

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

/* Sleep until no client is connected, or a stop is requested. */
void clients_wait_empty(struct server *srv);

/* Close every client still registered (client_close(), one by one). */
void clients_close_all(struct server *srv);

/* Shut down every client's socket: a thread blocked in recv() on one returns 0. */
void clients_shutdown(struct server *srv);

/* The registry's lock, for a walk over every client (a chat broadcast). */
void clients_lock(struct server *srv);
void clients_unlock(struct server *srv);

/* --idle-timeout: note activity; milliseconds until this client times out. */
void client_touch(struct client *c);
long client_idle_left_ms(const struct client *c);

#endif
