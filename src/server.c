/*
 * server.c - opening, surviving accept() errors, stopping.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clients.h"
#include "iface.h"
#include "i18n.h"
#include "log.h"
#include "net.h"
#include "server.h"
#include "signals.h"

int server_open(struct server *srv)
{
	const struct options *opt = srv->opt;
	int gai_error;

	srv->listen_fd = net_listen(opt->host, opt->port, srv->share_port, &gai_error);
	if (srv->listen_fd == -1) {
		if (gai_error != 0)
			log_error(_("cannot listen on %s port %s: %s (try --host localhost)"),
			    opt->host, opt->port, gai_strerror(gai_error));
		else if (errno == EADDRINUSE)
			log_error(_("cannot listen on %s port %s: %s (try --port 0)"),
			    opt->host, opt->port, strerror(errno));
		else
			log_error(_("cannot listen on %s port %s: %s (try --port 0 or --host localhost)"),
			    opt->host, opt->port, strerror(errno));
		return -1;
	}
	/* The reserve descriptor that lets us say no when we run out (EMFILE). */
	srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	signals_watch_listener(srv->listen_fd);
	log_start("Starting server on '%s' port %d", opt->host, net_local_port(srv->listen_fd));
	iface_announce(srv->listen_fd);		/* --host 0.0.0.0: the class's addresses */
	if (opt->nagle)
		log_note(_("--nagle: Nagle's algorithm stays on for every client, so the second "
		    "piece of an answer longer than 1024 bytes waits for the client's ACK, which "
		    "its kernel delays by up to 40 ms"));
	return 0;
}

/*
 * Out of descriptors. Linux's accept() takes a descriptor for the new
 * socket before it looks at the queue, so it fails with EMFILE whether or
 * not a client is waiting. If one is, it stays queued, and accept() would
 * fail again at once, forever: give back the spare descriptor, accept the
 * client, close it (it sees the connection end), take the spare again
 * (libuv's trick). If none is, wait at most 100 ms for one to arrive, so
 * that the loop does not spin while clients leave; and if descriptors were
 * freed meanwhile, shed nobody. Returns 1 if one was shed.
 */
static int shed_one(struct server *srv, int listen_fd)
{
	struct pollfd waiting = { .fd = listen_fd, .events = POLLIN };
	int fd = -1, probe, spare;

	clients_lock(srv);	/* several loops (reuseport) share the one spare */
	if (srv->spare_fd == -1)	/* lost last time: take it back if we can */
		srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	spare = srv->spare_fd;
	clients_unlock(srv);
	if (spare == -1) {	/* nothing to give back: let clients leave */
		(void)poll(NULL, 0, 100);
		return 0;
	}
	if (poll(&waiting, 1, 100) != 1)
		return 0;	/* nobody waiting (or Ctrl-C): let the loop try again */
	clients_lock(srv);
	probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (probe != -1) {	/* clients left meanwhile: room to accept it properly */
		close(probe);
	} else if (srv->spare_fd != -1) {
		close(srv->spare_fd);
		fd = accept(listen_fd, NULL, NULL);
		if (fd != -1)
			close(fd);
		srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	clients_unlock(srv);
	return fd != -1;
}

/* accept() failed with err: log it and survive it (or it was Ctrl-C). */
static void accept_failed(struct server *srv, int listen_fd, int err)
{
	if (stop_requested)
		return;		/* the design's loop sees it and leaves */
	switch (err) {
	case EINTR:
	case EAGAIN:
	case ECONNABORTED:	/* the client gave up while in the queue */
	case EPROTO:
		return;
	case EMFILE:
	case ENFILE:
		if (!shed_one(srv, listen_fd))
			return;
		log_error("accept: %s", strerror(err));
		log_note(_("out of file descriptors: the kernel will not give this process "
		    "another one, so the waiting client is closed; clients already "
		    "connected keep being served"));
		return;
	default:
		log_error("accept: %s", strerror(err));
		/* ENOBUFS, ENOMEM: the kernel is short; do not spin on it. */
		usleep(100 * 1000);
		return;
	}
}

struct client *server_accepted(struct server *srv, int listen_fd, int result)
{
	struct sockaddr_storage peer = { 0 };
	socklen_t peer_len = sizeof(peer);

	if (result < 0) {
		accept_failed(srv, listen_fd, -result);
		return NULL;
	}
	/* Accepted without an address (one multishot accept serves many): ask. */
	(void)getpeername(result, (struct sockaddr *)&peer, &peer_len);
	return client_new(srv, result, &peer, peer_len);	/* "Received new connection" */
}

struct client *server_accept(struct server *srv, int listen_fd)
{
	struct sockaddr_storage peer;
	socklen_t peer_len = sizeof(peer);
	int client_fd, err;

	/* A blocking design waits in here until a client connects; an event
	 * loop comes only when the kernel said one is waiting. Loops take the
	 * registry's lock around it (a no-op with one thread): when one of
	 * several loops (reuseport) gives back its spare descriptor to shed a
	 * client, no other loop's accept() can take that descriptor first. */
	if (srv->nonblocking)
		clients_lock(srv);
	client_fd = accept(listen_fd, (struct sockaddr *)&peer, &peer_len);
	err = errno;
	if (srv->nonblocking)
		clients_unlock(srv);
	if (client_fd == -1) {
		accept_failed(srv, listen_fd, err);
		return NULL;
	}
	return client_new(srv, client_fd, &peer, peer_len);	/* "Received new connection" */
}

void server_close_listener(struct server *srv)
{
	signals_watch_listener(-1);
	if (srv->listen_fd != -1)
		close(srv->listen_fd);
	srv->listen_fd = -1;
}

int server_stop(struct server *srv)
{
	log_event("Shutting down server...");
	server_close_listener(srv);
	clients_shutdown(srv);	/* every recv() (or send()) in another thread returns */
	clients_lock(srv);
	if (srv->spare_fd != -1)
		close(srv->spare_fd);
	srv->spare_fd = -1;
	clients_unlock(srv);
	return 0;
}
