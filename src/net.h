/*
 * net.h - socket plumbing that every design shares. Each helper returns -1
 * with errno set (or an error text) instead of exiting, as redis anet does.
 */
#ifndef NETLAB_NET_H
#define NETLAB_NET_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#define READ_CHUNK 1024		/* one recv() at most: the tutorials' recv(1024) */
#define PEER_NAME_MAX 80	/* "('0000:...:ffff', 65535, 0, 0)" */

/*
 * socket() + SO_REUSEADDR (+ SO_REUSEPORT if share) + bind() + listen();
 * -1 with errno on failure.
 */
int net_listen(const char *host, const char *port, int share, int *gai_error);

/* Another listening socket on listen_fd's address and port (both SO_REUSEPORT). */
int net_listen_beside(int listen_fd);

/* The port the kernel really bound (for --port 0). */
int net_local_port(int fd);

/* ('127.0.0.1', 49743), exactly as Python prints a socket address. */
void net_peer_name(const struct sockaddr *sa, socklen_t len, char *out, size_t size);

/* A connected socket to host:port, or -1 with errno (or *gai_error) set. */
int net_connect(const char *host, const char *port, int *gai_error);

/* send() until all is written: EINTR retried, no SIGPIPE; flags: MSG_MORE, or 0. */
ssize_t net_send_all(int fd, const void *buf, size_t len, int flags);

/* Bytes wait in fd's receive queue, not read yet (FIONREAD). */
int net_more_waiting(int fd);

int net_set_nonblock(int fd);

/*
 * TCP_NODELAY: a send() leaves at once, even while an earlier one waits for
 * its ACK (Nagle's algorithm off).
 */
void net_set_nodelay(int fd);

/* A blocking send() gives up (EAGAIN) after this many seconds. */
void net_set_send_timeout(int fd, int seconds);

/* A blocking recv() gives up (EAGAIN) after this many milliseconds (> 0). */
void net_set_recv_timeout(int fd, long ms);
int net_set_cloexec(int fd);

/* recv() that retries EINTR unless a stop was requested. */
ssize_t net_recv(int fd, void *buf, size_t len);

#endif
