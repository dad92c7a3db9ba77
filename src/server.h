/*
 * server.h - what every design shares: the listening socket, the options,
 * the handler, the registry of connected clients, and the way a server stops.
 */
#ifndef NETLAB_SERVER_H
#define NETLAB_SERVER_H

#include <pthread.h>

#include "cli.h"
#include "clients.h"

struct handler;

struct server {
	const struct options *opt;
	const struct handler *handler;
	const char *design;	/* "threaded", ... as typed on the command line */
	int listen_fd;
	int threads;		/* several threads touch this struct: take the locks */
	int nonblocking;	/* an event loop: client sockets are O_NONBLOCK */
	int completions;	/* uring: the loop submits every send; output only queues */
	int share_port;		/* reuseport: listeners share the port (SO_REUSEPORT) */
	int limit;		/* limited N, pool N */
	int auto_sized;		/* pool auto: limit was computed from the cores */

	struct registry registry;	/* the connected clients (clients.c) */

	/* --handler count: the one total that all clients share (handler.c). */
	struct {
		long total;
		pthread_mutex_t lock;
	} count;

	int spare_fd;		/* kept open to shed a connection on EMFILE */
};

/* listen() on --host/--port, then print the start line. -1: error printed. */
int server_open(struct server *srv);

/*
 * accept() on listen_fd, then client_new(): the one place a connection
 * becomes a client. NULL when accept() failed (a stop was requested, or the
 * error was logged and survived: EMFILE sheds the pending client), or the
 * client was refused (--max-clients). A design's loop tests stop_requested.
 */
struct client *server_accept(struct server *srv, int listen_fd);

/*
 * The same, for a connection the kernel accepted on its own (io_uring's
 * multishot accept): result is the new descriptor, or -errno.
 */
struct client *server_accepted(struct server *srv, int listen_fd, int result);

/* Close the listening socket now: a further connect() is refused. */
void server_close_listener(struct server *srv);

/*
 * "Shutting down server...", close the listener, and shut down every
 * client's socket, so that a thread blocked in recv() on one returns 0;
 * returns exit status 0.
 */
int server_stop(struct server *srv);

#endif
