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
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct client *c;
	int client_fd;

	while (!stop_requested) {
		peer_len = sizeof(peer);
		/* Blocks until a client connects; the kernel queues the rest. */
		client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
		if (client_fd == -1) {
			if (accept_failed(srv, errno))
				break;
			continue;
		}
		c = client_new(srv, client_fd, &peer, peer_len);
		if (c == NULL)
			continue;
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
