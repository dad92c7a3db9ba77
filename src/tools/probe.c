/*
 * probe.c - the client side of check. A student's server may be slow,
 * stuck, or gone; the checker must never be. So every socket is
 * non-blocking and every wait is one poll() with a deadline, which also
 * returns at once when Ctrl-C sets stop_requested (signals.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "signals.h"
#include "probe.h"

#define ETHERNET_MSS 1448	/* a TCP segment's payload on Ethernet, with timestamps */
#define BITE 4096		/* the most we read at a time... */
#define BITE_PAUSE_MS 2		/* ...and then we wait: 2 MB/s at most */

long probe_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Waits for 'events' on fd until 'deadline': the events that came, 0 at
 * the deadline, -1 on Ctrl-C. EINTR is the signal arriving: look at the
 * stop flag, then wait again.
 */
static int wait_for(int fd, short events, long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	long left;
	int n;

	while (!stop_requested) {
		left = deadline - probe_now_ms();
		if (left <= 0)
			return 0;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return p.revents;
		if (n == -1 && errno != EINTR)
			return -1;
	}
	return -1;
}

int probe_dial(const struct probe_target *t, int rcvbuf)
{
	int fd;

	fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/*
	 * Before connect(): the window we offer the server is set now. And
	 * segments the size a real network carries (loopback's are 64 KiB):
	 * the server's kernel sizes its send buffer from them, so a server
	 * that ignores what send() returns really loses bytes, as it would
	 * across a real network.
	 */
	if (rcvbuf > 0) {
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		(void)setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &(int){ ETHERNET_MSS },
		    sizeof(int));
	}
	if (connect(fd, (const struct sockaddr *)&t->addr, t->len) == -1 &&
	    errno != EINPROGRESS) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int probe_connected(int fd, int timeout_ms)
{
	int err = 0, ready;
	socklen_t len = sizeof(err);

	ready = wait_for(fd, POLLOUT, probe_now_ms() + timeout_ms);
	if (ready <= 0) {
		errno = ready == 0 ? ETIMEDOUT : EINTR;
		return -1;
	}
	/* The handshake's outcome: 0, or why it failed (ECONNREFUSED...). */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return -1;
	errno = err;
	return err == 0 ? 0 : -1;
}

int probe_connect(const struct probe_target *t, int timeout_ms)
{
	int fd = probe_dial(t, 0);

	if (fd != -1 && probe_connected(fd, timeout_ms) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int probe_resolve(const char *host, const char *port, struct probe_target *t,
    int timeout_ms, int *gai_error)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *list, *ai;
	int fd = -1;

	*gai_error = getaddrinfo(host, port, &hints, &list);
	if (*gai_error != 0)
		return -1;
	for (ai = list; ai != NULL && fd == -1; ai = ai->ai_next) {
		memcpy(&t->addr, ai->ai_addr, ai->ai_addrlen);
		t->len = ai->ai_addrlen;
		fd = probe_connect(t, timeout_ms);
	}
	freeaddrinfo(list);
	if (fd == -1)
		return -1;
	close(fd);
	return 0;
}

/* One non-blocking send: bytes taken, 0 when the buffer is full, -1 error. */
static ssize_t send_some(int fd, const char *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return n;
}

enum probe_end probe_exchange(int fd, const void *out, size_t len, void *in, size_t want,
    size_t *got, int timeout_ms)
{
	const char *o = out;
	size_t sent = 0;
	long deadline = probe_now_ms() + timeout_ms;
	ssize_t n;
	int ready;

	*got = 0;
	while (*got < want) {
		n = 0;
		/* Write while the kernel takes bytes; read only when it will not. */
		while (sent < len && (n = send_some(fd, o + sent, len - sent)) > 0) {
			sent += (size_t)n;
			deadline = probe_now_ms() + timeout_ms;
		}
		if (n == -1 && sent < len)
			return PROBE_RESET;
		ready = wait_for(fd, POLLIN | (sent < len ? POLLOUT : 0), deadline);
		if (ready == -1)
			return PROBE_STOPPED;
		if (ready == 0)
			return PROBE_TIMEOUT;
		if (!(ready & (POLLIN | POLLERR | POLLHUP)))
			continue;	/* writable again */
		n = recv(fd, (char *)in + *got, want - *got < BITE ? want - *got : BITE, 0);
		if (n == 0)
			return PROBE_EOF;
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return PROBE_RESET;
		if (n > 0) {
			*got += (size_t)n;
			deadline = probe_now_ms() + timeout_ms;
		}
		/*
		 * A slow reader: a bite, then a pause. The server's send buffer
		 * stays nearly full, so its send() must cope with taking only
		 * part of what it is given (sendall() does; one send() loses
		 * the rest). 1 MiB takes half a second this way.
		 */
		if (n > 0 && *got < want)
			poll(NULL, 0, BITE_PAUSE_MS);	/* Ctrl-C ends it early: fine */
	}
	return PROBE_DONE;
}

enum probe_end probe_wait_eof(int fd, int timeout_ms, size_t *extra)
{
	long deadline = probe_now_ms() + timeout_ms;
	char buf[4096];
	ssize_t n;
	int ready;

	*extra = 0;
	for (;;) {
		ready = wait_for(fd, POLLIN, deadline);
		if (ready == -1)
			return PROBE_STOPPED;
		if (ready == 0)
			return PROBE_TIMEOUT;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0)
			return PROBE_EOF;
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return PROBE_RESET;
		if (n > 0)
			*extra += (size_t)n;
	}
}

int probe_readable(int fd, int timeout_ms)
{
	return wait_for(fd, POLLIN, probe_now_ms() + timeout_ms) > 0;
}

void probe_reset(int fd)
{
	struct linger hard = { .l_onoff = 1, .l_linger = 0 };

	/* Linger on, for zero seconds: close() sends RST instead of FIN. */
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
	close(fd);
}

void probe_local_name(int fd, char *out, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		snprintf(out, size, "?");	/* only names it in the report */
		return;
	}
	net_peer_name((struct sockaddr *)&ss, len, out, size);
}
