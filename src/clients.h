/*
 * clients.h - one connected client, and the registry of all of them.
 *
 * The registry is what chat broadcasts to, what --max-clients counts and
 * what 'limited' waits on. In the threaded designs it sits under a mutex;
 * in the event loops only one thread exists, so the lock is skipped.
 */
#ifndef NETLAB_CLIENTS_H
#define NETLAB_CLIENTS_H

#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "net.h"
#include "server.h"

#define LINE_BYTES 1024		/* chat: the longest line kept whole */
#define OUT_HIGH   (64 * 1024)	/* event loops: stop reading a client past this */
#define OUT_MAX    (1024 * 1024)	/* ...and drop one that lets this much pile up */

struct client {
	struct server *srv;
	int fd;			/* owned by whoever owns this struct */
	int id;			/* 1, 2, 3, ...: also the thread's or worker's number */
	char peer[PEER_NAME_MAX];	/* "('127.0.0.1', 49743)" */
	struct client *prev, *next;	/* the registry */

	pthread_mutex_t write_lock;	/* blocking designs: one writer at a time */
	char line[LINE_BYTES];	/* chat: a line not yet complete */
	size_t line_len;

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

/* Tell a client we will not serve it, close it, log why. */
void client_refuse(struct server *srv, int fd, const char *peer, const char *why);

/* Unregister, log "Connection with ... closed", close the socket, free. */
void client_close(struct client *c);

/*
 * fork, in the parent: unregister, close this process's copy of the socket,
 * free, and log nothing: the child owns the connection and logs its end.
 */
void client_forget(struct client *c);

/* A registered client refused after all (fork's --max-clients): told, closed. */
void client_turn_away(struct client *c, const char *why);

/* Stopping: shut down every client's socket, so a blocked recv() returns 0. */
void clients_shutdown(struct server *srv);

/* This client's own answer: all of it, or -1 (the client is gone). */
int client_send(struct client *c, const void *data, size_t len);

/* Bytes for a client from someone else (chat): never blocks the sender. */
void client_deliver(struct client *c, const void *data, size_t len);

/* Event loops: write what is pending. -1: the client is gone. */
int client_flush(struct client *c);

/* --idle-timeout ran out: "Idle timeout: ... was silent" (or "read nothing"). */
void client_timed_out(const struct client *c, const char *what);

/* Say why c is lost (errno), and that nobody else is: mid-answer or not. */
void client_lost(const struct client *c, int answering);

/* Send data to every registered client except 'from'. */
void clients_broadcast(struct client *from, const char *data, size_t len);

int clients_count(struct server *srv);

/* --idle-timeout: note activity; milliseconds until this client times out. */
void client_touch(struct client *c);
long client_idle_left_ms(const struct client *c);

#endif
