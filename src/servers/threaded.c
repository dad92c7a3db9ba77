/*
 * threaded.c - one thread per client (seed 004 handle_new_connections_threads,
 * seed 003 "Basic Threading Server").
 *
 * The main thread does one thing: accept(). Every client gets a thread of
 * its own, which may block in recv() for as long as it likes while the
 * others are served. The cost: one thread, and one stack, per client.
 */
#include "servers.h"

int run_threaded(struct server *srv)
{
	pthread_attr_t detached;
	struct client *c;
	pthread_t tid;
	int rc;

	/* Nobody will join() these threads: they clean up after themselves. */
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	while (!stop_requested) {
		c = server_accept(srv, srv->listen_fd);	/* blocks in accept() */
		if (c == NULL)
			continue;
		log_note(_("main hands %s to thread %d and goes straight back to accept()"),
		    c->peer, c->id);
		signals_block_stop(1);	/* inherited: Ctrl-C goes to main, not to it */
		rc = pthread_create(&tid, &detached, client_thread, c);
		signals_block_stop(0);
		if (rc != 0) {		/* pthreads return the error, not errno */
			log_error(_("cannot start a thread for %s: %s"), c->peer, strerror(rc));
			client_close(c);
		}
	}
	pthread_attr_destroy(&detached);
	return server_stop(srv);
}
