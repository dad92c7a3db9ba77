/*
 * net.c - the listening socket, peer names, complete writes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "net.h"
#include "signals.h"

#define BACKLOG SOMAXCONN	/* the kernel's queue of finished handshakes */

/* IPv4 first: "localhost" must answer nc 127.0.0.1, as in the tutorials. */
static struct addrinfo *first_of(struct addrinfo *list, int family)
{
	for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
		if (ai->ai_family == family)
			return ai;
	return NULL;
}

static int listen_on(int family, const struct sockaddr *addr, socklen_t len, int share)
{
	int one = 1, fd, saved;

	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/* A restarted server may bind while old connections sit in TIME_WAIT;
	 * with SO_REUSEPORT, each socket that sets it may bind the same port,
	 * and the kernel spreads new connections over their accept queues. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    (share && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == -1) ||
	    bind(fd, addr, len) == -1 ||
	    listen(fd, BACKLOG) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int net_listen(const char *host, const char *port, int share, int *gai_error)
{
	struct addrinfo hints, *list, *ai;
	int fd, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	*gai_error = 0;
	rc = getaddrinfo(host, port, &hints, &list);
	if (rc != 0) {
		*gai_error = rc;
		return -1;
	}
	ai = first_of(list, AF_INET);
	if (ai == NULL)
		ai = list;
	fd = listen_on(ai->ai_family, ai->ai_addr, ai->ai_addrlen, share);
	rc = errno;
	freeaddrinfo(list);
	errno = rc;
	return fd;
}

int net_listen_beside(int listen_fd)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);

	if (getsockname(listen_fd, (struct sockaddr *)&addr, &len) == -1)
		return -1;
	return listen_on(addr.ss_family, (struct sockaddr *)&addr, len, 1);
}

int net_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

void net_peer_name(const struct sockaddr *sa, socklen_t len, char *out, size_t size)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	(void)len;
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		/* Python shows IPv6 peers as (host, port, flowinfo, scope_id). */
		snprintf(out, size, "('%s', %d, %u, %u)", ip, ntohs(s6->sin6_port),
		    ntohl(s6->sin6_flowinfo), s6->sin6_scope_id);
	} else if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(out, size, "('%s', %d)", ip, ntohs(s4->sin_port));
	} else {
		snprintf(out, size, "('?', 0)");
	}
}

int net_connect(const char *host, const char *port, int *gai_error)
{
	struct addrinfo hints, *list, *ai;
	int fd = -1, rc, saved = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	*gai_error = 0;
	rc = getaddrinfo(host, port, &hints, &list);
	if (rc != 0) {
		*gai_error = rc;
		return -1;
	}
	for (ai = list; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			saved = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(list);
	errno = saved;
	return fd;
}

ssize_t net_send_all(int fd, const void *buf, size_t len, int flags)
{
	const char *p = buf;
	size_t left = len;

	while (left > 0) {
		/* MSG_NOSIGNAL: a vanished reader gives EPIPE here, not SIGPIPE. */
		ssize_t n = send(fd, p, left, MSG_NOSIGNAL | flags);

		if (n == -1) {
			if (errno == EINTR && !stop_requested)
				continue;
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	return (ssize_t)len;
}

ssize_t net_recv(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, 0);
	while (n == -1 && errno == EINTR && !stop_requested);
	return n;
}

int net_set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int net_more_waiting(int fd)
{
	int waiting = 0;

	/* FIONREAD: the bytes in the socket's receive queue, read by nobody yet. */
	return ioctl(fd, FIONREAD, &waiting) == 0 && waiting > 0;
}

void net_set_nodelay(int fd)
{
	int one = 1;

	/* Cannot fail on a TCP socket we own; if it did, answers are only slower. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void net_set_send_timeout(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds, .tv_usec = 0 };

	/* Best effort: without it a non-reader only holds its own thread. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

void net_set_recv_timeout(int fd, long ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };

	/* Cannot fail on a socket we own, with a timeout this small. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int net_set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags == -1)
		return -1;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}
