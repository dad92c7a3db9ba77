/*
 * echo_ref.c - the reference for make bench: the smallest level-triggered
 * epoll echo server that is still correct (partial writes are kept and
 * finished on EPOLLOUT). It logs nothing but its start line and does
 * nothing but echo: the most one thread can do on this machine, so every
 * netlab design is measured as a ratio to it. It reads up to 16 KiB at a
 * time (netlab's designs read 1024, as the tutorials do) and sets
 * TCP_NODELAY on each client, as netlab's designs do by default.
 *
 * Per answer it makes one recv(), one send(), one epoll_ctl() (EPOLLIN set
 * again, which a tighter loop would do only after an EPOLLOUT) and a share
 * of one epoll_wait(). Without that epoll_ctl() it runs about a tenth
 * faster here. It stays: every target of make bench, since the first, is a
 * ratio to this very loop, and a changed yardstick would move them all.
 *
 * Given CHUNK, it is the tighter loop instead (epoll_ctl() only when a
 * client stops taking bytes and when it takes them again), reading CHUNK
 * bytes at most a recv(). With 1024 it keeps the designs' rule: each piece
 * sent back as it comes, with MSG_MORE while more of the message already
 * waits (FIONREAD). make bench runs it with 1024 and with 16384 to show
 * what that rule costs one thread, and each design against the first.
 *
 * usage: echo_ref PORT [CHUNK] (port 0: the kernel picks one, the start
 * line shows it; CHUNK: 1 to 16384)
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define CHUNK 16384

static size_t chunk = CHUNK;	/* what a recv() asks for */
static int tight;		/* CHUNK given: no epoll_ctl() per answer */

struct conn {
	int fd;
	int more;		/* more of the message waits: send with MSG_MORE */
	int stalled;		/* the socket took not all: EPOLLOUT asked for */
	size_t pending, off;	/* bytes read but not yet written back */
	char buf[CHUNK];
};

static void drop(struct conn *c)
{
	close(c->fd);		/* also leaves the epoll set */
	free(c);
}

/* Write back what waits; 1 when all of it went, 0 when the socket is full. */
static int flush(int ep, struct conn *c)
{
	struct epoll_event ev = { .data.ptr = c };
	int flags = MSG_NOSIGNAL | (c->more ? MSG_MORE : 0);

	while (c->off < c->pending) {
		ssize_t n = send(c->fd, c->buf + c->off, c->pending - c->off, flags);

		if (n == -1 && errno == EAGAIN) {
			ev.events = EPOLLOUT;	/* stop reading until it drains */
			c->stalled = 1;
			epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
			return 0;
		}
		if (n == -1)
			return -1;
		c->off += (size_t)n;
	}
	c->pending = c->off = 0;
	if (!tight || c->stalled) {	/* read again */
		c->stalled = 0;
		ev.events = EPOLLIN;
		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
	}
	return 1;
}

/* Bytes wait in the receive queue, read by nobody yet. */
static int more_waiting(int fd)
{
	int waiting = 0;

	return ioctl(fd, FIONREAD, &waiting) == 0 && waiting > 0;
}

static void serve(int ep, struct conn *c, unsigned events)
{
	ssize_t n;

	if (c->pending > 0) {		/* EPOLLOUT: finish the last answer first */
		if (flush(ep, c) == -1)
			drop(c);
		return;
	}
	(void)events;
	n = recv(c->fd, c->buf, chunk, 0);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n <= 0) {
		drop(c);
		return;
	}
	c->pending = (size_t)n;
	c->more = (size_t)n == chunk && more_waiting(c->fd);
	if (flush(ep, c) == -1)
		drop(c);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct epoll_event ev, events[MAX_EVENTS];
	socklen_t len = sizeof(addr);
	int lfd, ep, one = 1;

	addr.sin_port = htons(argc > 1 ? atoi(argv[1]) : 0);
	if (argc > 2) {
		if (atoi(argv[2]) < 1 || atoi(argv[2]) > CHUNK) {
			fprintf(stderr, "echo_ref: CHUNK is 1 to %d\n", CHUNK);
			return 2;
		}
		chunk = (size_t)atoi(argv[2]);
		tight = 1;
	}
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) == -1 || listen(lfd, 4096) == -1) {
		perror("echo_ref: listen");
		return 1;
	}
	getsockname(lfd, (struct sockaddr *)&addr, &len);
	printf("Starting server on '127.0.0.1' port %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;		/* NULL: the listening socket */
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		int ready = epoll_wait(ep, events, MAX_EVENTS, -1);

		for (int i = 0; i < ready; i++) {
			struct conn *c = events[i].data.ptr;
			int fd;

			if (c != NULL) {
				serve(ep, c, events[i].events);
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) != -1) {
				/* As netlab's designs: no wait for an ACK before a reply leaves. */
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				c = calloc(1, sizeof(*c));
				c->fd = fd;
				ev.events = EPOLLIN;
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			}
		}
	}
}
