/*
 * server.h - what every design shares: the listening socket, the options,
 * the handler, the registry of connected clients, and the way a server stops.
 */
#ifndef NETLAB_SERVER_H
#define NETLAB_SERVER_H

#include <pthread.h>

#include "cli.h"

struct client;
struct handler;

struct server {
	const struct options *opt;
	const struct handler *handler;
	const char *design;	/* "threaded", ... as typed on the command line */
	int listen_fd;
	int threads;		/* several threads touch this struct: take the locks */
	int nonblocking;	/* an event loop: client sockets are O_NONBLOCK */
	int limit;		/* limited N, pool N */
	int auto_sized;		/* pool auto: limit was computed from the cores */

	/* The registry of connected clients (clients.c), under 'lock'. */
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* signalled whenever a client comes or goes */
	struct client *clients;
	int nclients;
	int next_id;

	/* Event loops: a broadcast left output for clients not being served. */
	int output_changed;

	/* --handler count: the one total that all clients share. */
	long total;
	pthread_mutex_t total_lock;

	int spare_fd;		/* kept open to shed a connection on EMFILE */
};

/* listen() on --host/--port, then print the start line. -1: error printed. */
int server_open(struct server *srv);

/*
 * accept() failed with err: returns 1 if a stop was requested (leave the
 * loop), 0 otherwise (logged and survived: EMFILE sheds the pending client).
 */
int accept_failed(struct server *srv, int err);

/* Close the listening socket now: a further connect() is refused. */
void server_close_listener(struct server *srv);

/*
 * "Shutting down server...", close the listener, and shut down every
 * client's socket, so that a thread blocked in recv() on one returns 0;
 * returns exit status 0.
 */
int server_stop(struct server *srv);

/* Lock helpers that cost nothing when only one thread exists. */
void server_lock(struct server *srv);
void server_unlock(struct server *srv);

#endif
