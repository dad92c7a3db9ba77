/*
 * session.c - serve one client, blocking.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "clients.h"
#include "handler.h"
#include "log.h"
#include "net.h"
#include "session.h"
#include "signals.h"

/*
 * Wait until c sends something. Returns 1 when it did, 0 when it was
 * silent for --idle-timeout, -1 on Ctrl-C: the self-pipe wakes every
 * thread that waits here, so no client keeps a stopping server alive.
 */
static int wait_readable(struct client *c)
{
	struct pollfd fds[2] = {
		{ .fd = c->fd, .events = POLLIN },
		{ .fd = signals_stop_fd(), .events = POLLIN },
	};
	long left = client_idle_left_ms(c);	/* -1: no timeout */
	int rc;

	do
		rc = poll(fds, 2, (int)left);	/* blocks here, while the client is quiet */
	while (rc == -1 && errno == EINTR && !stop_requested);
	if (stop_requested || (rc > 0 && fds[1].revents != 0))
		return -1;
	return rc;
}

/* The answer could not be sent: a client that reads nothing, or one gone. */
static void answer_failed(struct client *c)
{
	if (stop_requested)
		return;
	if (errno == EAGAIN || errno == EWOULDBLOCK)	/* SO_SNDTIMEO: see client_new() */
		client_timed_out(c, "read nothing");
	else
		client_lost(c, 1);
}

void serve_client(struct client *c)
{
	char buf[READ_CHUNK];
	enum feed_result result;
	ssize_t n;
	int ready;

	for (;;) {
		ready = wait_readable(c);
		if (ready < 0)
			break;		/* Ctrl-C: the server is stopping */
		if (ready == 0) {
			client_timed_out(c, "was silent");
			break;
		}
		n = net_recv(c->fd, buf, sizeof(buf));	/* bytes (or the end) are there */
		if (n == 0)
			break;		/* the client closed its side: b'' in Python */
		if (n == -1) {
			if (!stop_requested)
				client_lost(c, 0);
			break;
		}
		client_touch(c);	/* --idle-timeout counts from here */
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
