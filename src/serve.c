/*
 * serve.c - serve one client, blocking.
 */
#include <errno.h>
#include <string.h>

#include "clients.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "net.h"
#include "serve.h"
#include "signals.h"

/*
 * Wait in recv() until c sends something, as the tutorials' handle_client()
 * does. --idle-timeout is the socket's receive timeout (SO_RCVTIMEO), set
 * to what is left of it: a recv() that gives up with EAGAIN means the client
 * was silent too long. Ctrl-C shuts the socket down (server_stop(), or
 * the signal handler for sequential), and recv() returns 0 at once.
 */
static ssize_t receive(struct client *c, char *buf, size_t len)
{
	long left = client_idle_left_ms(c);	/* -1: no timeout */

	if (left == 0)	/* the deadline passed while we answered: bytes here still count */
		return recv(c->fd, buf, len, MSG_DONTWAIT);	/* EAGAIN: silent */
	if (left > 0)
		net_set_recv_timeout(c->fd, left);
	return net_recv(c->fd, buf, len);	/* blocks here, while the client is quiet */
}

/* The answer could not be sent: a client that reads nothing, or one gone. */
static void answer_failed(struct client *c)
{
	if (stop_requested)
		return;
	if (errno == EAGAIN || errno == EWOULDBLOCK)	/* SO_SNDTIMEO: see client_new() */
		client_timed_out(c, N_("read nothing"));
	else
		client_lost(c, 1);
}

void serve_client(struct client *c)
{
	char buf[READ_CHUNK];
	enum feed_result result;
	ssize_t n;

	for (;;) {
		n = receive(c, buf, sizeof(buf));
		if (n == 0)
			break;		/* the client closed its side (b'' in Python), or Ctrl-C */
		if (n == -1) {
			if (stop_requested)
				break;	/* Ctrl-C interrupted the wait */
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				client_timed_out(c, N_("was silent"));
			else
				client_lost(c, 0);
			break;
		}
		client_touch(c);	/* --idle-timeout counts from here */
		c->more_waiting = (size_t)n == sizeof(buf) && net_more_waiting(c->fd);
		result = handler_feed(c, buf, (size_t)n);
		if (result == FEED_GONE)
			answer_failed(c);
		if (result != FEED_MORE)
			break;
	}
}

void *client_thread(void *arg)
{
	struct client *c = arg;		/* this thread owns c from here on */

	log_set_actor("thread %d", c->id);
	serve_client(c);		/* recv, answer, until the client leaves */
	client_close(c);
	return NULL;
}
