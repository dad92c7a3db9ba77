/*
 * limited.c - N clients, one thread each, then no more (seed 000).
 *
 * As threaded, but the main thread counts: after the Nth accept() it closes
 * the listening socket, so the kernel refuses any further connect(). Then
 * it waits until those N clients have all left, and the program ends.
 * (listen()'s backlog is something else: a queue of clients not yet
 * accepted, not a limit on how many are served.)
 */
#include "servers.h"

int run_limited(struct server *srv)
{
	pthread_attr_t detached;
	struct client *c;
	pthread_t tid;
	int rc, accepted = 0;

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	while (accepted < srv->limit && !stop_requested) {
		c = server_accept(srv, srv->listen_fd);	/* blocks in accept() */
		if (c == NULL)
			continue;
		accepted++;
		log_note(_("client %d of %d: main hands %s to thread %d"),
		    accepted, srv->limit, c->peer, c->id);
		signals_block_stop(1);	/* inherited: Ctrl-C goes to main, not to it */
		rc = pthread_create(&tid, &detached, client_thread, c);
		signals_block_stop(0);
		if (rc != 0) {
			log_error(_("cannot start a thread for %s: %s"), c->peer, strerror(rc));
			client_close(c);
		}
	}
	pthread_attr_destroy(&detached);
	if (stop_requested)
		return server_stop(srv);

	server_close_listener(srv);	/* from now on, connect() is refused */
	log_note(ngettext("%d client accepted: the listening socket is closed, a new "
	    "connect() is refused; waiting for the %d connected client to leave",
	    "%d clients accepted: the listening socket is closed, a new connect() is "
	    "refused; waiting for the %d connected clients to leave", srv->limit),
	    srv->limit, clients_count(srv));
	clients_wait_empty(srv);	/* a condition variable, signalled as each leaves */
	if (stop_requested)
		return server_stop(srv);
	log_note(ngettext("the %d client has left: the server is done",
	    "all %d clients have left: the server is done", srv->limit), srv->limit);
	return 0;
}
