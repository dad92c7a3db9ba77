/*
 * clients.c - the registry of connected clients: a client is registered at
 * accept() (or refused), and unregistered when it is closed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "net.h"
#include "server.h"
#include "signals.h"

void clients_init(struct registry *registry, int shared)
{
	registry->shared = shared;
	pthread_mutex_init(&registry->lock, NULL);
	pthread_cond_init(&registry->changed, NULL);
}

/* The lock costs nothing when only one thread exists. */
void clients_lock(struct server *srv)
{
	if (srv->registry.shared)
		pthread_mutex_lock(&srv->registry.lock);
}

void clients_unlock(struct server *srv)
{
	if (srv->registry.shared)
		pthread_mutex_unlock(&srv->registry.lock);
}

/* Under the lock: c joins the list; whoever waits for a change is woken. */
static void registry_add(struct registry *registry, struct client *c)
{
	c->id = ++registry->next_id;
	c->prev = NULL;
	c->next = registry->first;
	if (registry->first != NULL)
		registry->first->prev = c;
	registry->first = c;
	registry->count++;
	pthread_cond_broadcast(&registry->changed);
}

static void registry_remove(struct registry *registry, struct client *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		registry->first = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	registry->count--;
	pthread_cond_broadcast(&registry->changed);
}

static void client_free(struct client *c)
{
	pthread_mutex_destroy(&c->blocking.write_lock);
	free(c->loop.out);
	free(c->loop.sending);
	free(c);
}

static void say_full(int fd, const char *why)
{
	char line[160];
	int n;

	n = snprintf(line, sizeof(line), "netlab: server full, %s; try again later\n", why);
	/* A courtesy line; if it cannot be sent at once, the close says enough. */
	(void)!send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

void clients_full_why(char *why, size_t size, int connected)
{
	snprintf(why, size, "%d client%s already connected", connected, connected == 1 ? "" : "s");
}

void client_refuse(int fd, const char *peer, const char *why)
{
	say_full(fd, why);
	close(fd);
	log_event("Connection with %s closed", peer);
}

struct client *client_new(struct server *srv, int fd,
    const struct sockaddr_storage *peer, socklen_t peer_len)
{
	const struct options *opt = srv->opt;
	struct client *c;
	char why[80];

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		log_error(_("out of memory for a new client"));
		close(fd);
		return NULL;
	}
	c->srv = srv;
	c->fd = fd;
	net_peer_name((const struct sockaddr *)peer, peer_len, c->peer, sizeof(c->peer));
	/* A program the server runs (exec) must not inherit this socket. */
	(void)net_set_cloexec(fd);	/* cannot fail on a descriptor we own */
	/*
	 * Every design reads at most 1024 bytes and answers each piece as it
	 * comes, so a longer message is answered in several send()s. With
	 * Nagle's algorithm the kernel holds each later piece until the client
	 * ACKs the first, and the client's kernel delays that ACK by up to
	 * 40 ms. A request-response server turns it off (--nagle keeps it).
	 */
	if (!opt->nagle)
		net_set_nodelay(fd);
	if (srv->nonblocking)
		(void)net_set_nonblock(fd);
	else if (opt->idle_timeout > 0)
		net_set_send_timeout(fd, opt->idle_timeout);	/* a non-reader times out too */
	pthread_mutex_init(&c->blocking.write_lock, NULL);
	client_touch(c);
	log_event("Received new connection from  %s", c->peer);

	clients_lock(srv);
	if (opt->max_clients > 0 && srv->registry.count >= opt->max_clients) {
		clients_full_why(why, sizeof(why), srv->registry.count);
		clients_unlock(srv);
		log_note(_("--max-clients %d: %s is refused; it gets one line and is closed"),
		    opt->max_clients, c->peer);
		client_refuse(fd, c->peer, why);
		client_free(c);
		return NULL;
	}
	registry_add(&srv->registry, c);
	clients_unlock(srv);
	if (srv->handler->join != NULL)
		srv->handler->join(c);
	return c;
}

void client_close(struct client *c)
{
	struct server *srv = c->srv;

	if (srv->handler->leave != NULL)
		srv->handler->leave(c);
	clients_lock(srv);
	registry_remove(&srv->registry, c);
	close(c->fd);		/* under the lock: no broadcast can be writing to it */
	/* Logged before anyone waiting on 'changed' (limited) can exit. */
	log_event("Connection with %s closed", c->peer);
	clients_unlock(srv);
	client_free(c);
}

void client_forget(struct client *c)
{
	struct server *srv = c->srv;

	clients_lock(srv);
	registry_remove(&srv->registry, c);
	clients_unlock(srv);
	client_free(c);
}

void client_turn_away(struct client *c, const char *why)
{
	say_full(c->fd, why);
	client_close(c);	/* chat: the others saw it join, they see it leave */
}

void client_timed_out(const struct client *c, const char *what)
{
	/* Not one of the tutorial's event lines: said in the student's language. */
	log_event(_("Idle timeout: %s %s for %d s"), c->peer, _(what),
	    c->srv->opt->idle_timeout);
}

void client_lost(const struct client *c, int answering)
{
	if (answering)
		log_note(_("%s: %s while answering; this client is lost, no one else"), c->peer,
		    strerror(errno));
	else
		log_note(_("%s: %s; this client is lost, no one else"), c->peer, strerror(errno));
}

int clients_count(struct server *srv)
{
	int n;

	clients_lock(srv);
	n = srv->registry.count;
	clients_unlock(srv);
	return n;
}

void clients_wait_empty(struct server *srv)
{
	struct registry *registry = &srv->registry;
	struct timespec tick;

	pthread_mutex_lock(&registry->lock);
	while (registry->count > 0 && !stop_requested) {
		/* Wake every 100 ms to look at Ctrl-C: the handler cannot signal us. */
		clock_gettime(CLOCK_REALTIME, &tick);
		tick.tv_nsec += 100 * 1000000L;
		if (tick.tv_nsec >= 1000000000L) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&registry->changed, &registry->lock, &tick);
	}
	pthread_mutex_unlock(&registry->lock);
}

void clients_close_all(struct server *srv)
{
	struct client *c;

	for (;;) {
		clients_lock(srv);
		c = srv->registry.first;
		clients_unlock(srv);
		if (c == NULL)
			return;
		client_close(c);
	}
}

void clients_shutdown(struct server *srv)
{
	clients_lock(srv);	/* under the lock: no socket is closed meanwhile */
	for (struct client *c = srv->registry.first; c != NULL; c = c->next)
		shutdown(c->fd, SHUT_RDWR);	/* ENOTCONN if it already left: fine */
	clients_unlock(srv);
}

void client_touch(struct client *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->last_active);
}

long client_idle_left_ms(const struct client *c)
{
	struct timespec now;
	long idle_ms;

	if (c->srv->opt->idle_timeout == 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	idle_ms = (now.tv_sec - c->last_active.tv_sec) * 1000 +
	    (now.tv_nsec - c->last_active.tv_nsec) / 1000000;
	idle_ms = c->srv->opt->idle_timeout * 1000L - idle_ms;
	return idle_ms > 0 ? idle_ms : 0;
}
