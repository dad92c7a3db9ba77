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

#define READ_CHUNK 1024		/* the tutorials' recv(1024) */

/* --idle-timeout: wait for bytes at most that long. 0: the client is silent. */
static int wait_readable(struct client *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	long left = client_idle_left_ms(c);
	int rc;

	if (left < 0)
		return 1;	/* no timeout: let recv() block */
	do
		rc = poll(&pfd, 1, (int)left);
	while (rc == -1 && errno == EINTR && !stop_requested);
	return rc;
}

void serve_client(struct client *c)
{
	char buf[READ_CHUNK];
	enum feed_result result;
	ssize_t n;
	int ready;

	for (;;) {
		ready = wait_readable(c);
		if (ready == 0) {
			log_event("Idle timeout: %s was silent for %d s",
			    c->peer, c->srv->opt->idle_timeout);
			break;
		}
		n = ready < 0 ? -1 : net_recv(c->fd, buf, sizeof(buf));	/* blocks here */
		if (n == 0)
			break;		/* the client closed its side: b'' in Python */
		if (n == -1) {
			if (!stop_requested)
				log_note("%s: %s; this client is lost, no one else",
				    c->peer, strerror(errno));
			break;
		}
		result = handler_feed(c, buf, (size_t)n);
		if (result == FEED_GONE && !stop_requested)
			log_note("%s: %s while answering; this client is lost, no one else",
			    c->peer, strerror(errno));
		if (result != FEED_MORE)
			break;
	}
}
