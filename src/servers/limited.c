/*
 * limited.c - N clients, one thread each, then no more (seed 000).
 *
 * As threaded, but the main thread counts: after the Nth accept() it closes
 * the listening socket, so the kernel refuses any further connect(). Then
 * it waits until those N clients have all left, and the program ends.
 * (listen()'s backlog is something else: a queue of clients not yet
 * accepted, not a limit on how many are served.)
 */
#include <time.h>

#include "servers.h"

/* Sleep until no client is connected; wake every 100 ms to check Ctrl-C. */
static void wait_until_all_left(struct server *srv)
{
	struct timespec tick;

	pthread_mutex_lock(&srv->lock);
	while (srv->nclients > 0 && !stop_requested) {
		clock_gettime(CLOCK_REALTIME, &tick);
		tick.tv_nsec += 100 * 1000000L;
		if (tick.tv_nsec >= 1000000000L) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv->changed, &srv->lock, &tick);
	}
	pthread_mutex_unlock(&srv->lock);
}

int run_limited(struct server *srv)
{
	struct sockaddr_storage peer;
	socklen_t peer_len;
	pthread_attr_t detached;
	struct client *c;
	pthread_t tid;
	int client_fd, rc, accepted = 0;

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	while (accepted < srv->limit && !stop_requested) {
		peer_len = sizeof(peer);
		client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
		if (client_fd == -1) {
			if (accept_failed(srv, errno))
				break;
			continue;
		}
		c = client_new(srv, client_fd, &peer, peer_len);
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
	wait_until_all_left(srv);
	if (stop_requested)
		return server_stop(srv);
	log_note(ngettext("the %d client has left: the server is done",
	    "all %d clients have left: the server is done", srv->limit), srv->limit);
	return 0;
}
