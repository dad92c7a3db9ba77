/*
 * sequential.c - one client at a time (seed 004 handle_new_connections_simple,
 * seed 003 "Problem with Sequential Servers").
 *
 * The main thread accepts a client and serves it itself, until that client
 * leaves. Meanwhile a second client can connect (the kernel completes its
 * handshake and queues it, up to the listen backlog), but nobody calls
 * accept() for it: it gets no answer until the first one has gone.
 */
#include "servers.h"

int run_sequential(struct server *srv)
{
	struct client *c;

	while (!stop_requested) {
		/* Blocks in accept() until a client connects; the kernel queues the rest. */
		c = server_accept(srv, srv->listen_fd);
		if (c == NULL)
			continue;	/* Ctrl-C, or a failure logged and survived */
		log_note(_("the main thread serves %s itself: nobody else is accepted "
		    "until it leaves; new clients wait in the kernel's queue"), c->peer);
		signals_watch_served(c->fd);	/* Ctrl-C shuts it down: recv() returns */
		serve_client(c);	/* the whole server is busy in here */
		signals_watch_served(-1);
		client_close(c);
		log_note(_("the main thread is free again and goes back to accept()"));
	}
	return server_stop(srv);
}
