/*
 * probe.h - a small client toolkit for check: connect, send, read back,
 * each bounded in time and stopped early by Ctrl-C. Every socket here is
 * non-blocking, so no call can hang: a wait is always poll() with a
 * deadline.
 */
#ifndef NETLAB_PROBE_H
#define NETLAB_PROBE_H

#include <stddef.h>
#include <sys/socket.h>

/* How an exchange ended. */
enum probe_end {
	PROBE_DONE,	/* every byte came back */
	PROBE_EOF,	/* the server closed the stream first */
	PROBE_TIMEOUT,	/* nothing happened for the whole timeout */
	PROBE_RESET,	/* the connection was reset (or another socket error) */
	PROBE_STOPPED	/* Ctrl-C */
};

/* Where the server listens: one address, resolved once. */
struct probe_target {
	struct sockaddr_storage addr;
	socklen_t len;
};

/* Milliseconds on the monotonic clock. */
long probe_now_ms(void);

/*
 * The first address of host:port that accepts a connection within
 * timeout_ms ("localhost" may be ::1 or 127.0.0.1, and a server often
 * listens on only one of them). 0, or -1 with errno set; a name that does
 * not resolve sets *gai_error.
 */
int probe_resolve(const char *host, const char *port, struct probe_target *t,
    int timeout_ms, int *gai_error);

/*
 * Starts a connect and returns the socket (non-blocking), or -1 with errno
 * set. rcvbuf > 0 shrinks our receive buffer first, so that a server that
 * answers must cope with a reader slower than it is.
 */
int probe_dial(const struct probe_target *t, int rcvbuf);

/* Waits until the connect finished: 0, or -1 with errno (ECONNREFUSED...). */
int probe_connected(int fd, int timeout_ms);

/* Connects and waits: the socket, or -1 with errno set. */
int probe_connect(const struct probe_target *t, int timeout_ms);

/*
 * Sends len bytes of out and reads what comes back into in (want bytes at
 * most) until want bytes came, the stream ended, or timeout_ms passed
 * with no progress. Reads only when it cannot write: the server must cope
 * with a client that talks before it listens. *got: bytes read.
 */
enum probe_end probe_exchange(int fd, const void *out, size_t len, void *in, size_t want,
    size_t *got, int timeout_ms);

/*
 * Reads until the stream ends: PROBE_EOF, with *extra the bytes that came
 * before the end; or PROBE_TIMEOUT, PROBE_RESET, PROBE_STOPPED.
 */
enum probe_end probe_wait_eof(int fd, int timeout_ms, size_t *extra);

/* 1 when bytes arrive (or the stream ends) on fd within timeout_ms. */
int probe_readable(int fd, int timeout_ms);

/* Closes fd with a reset (SO_LINGER 0): the rudest way to leave. */
void probe_reset(int fd);

/* Our end of fd as the server's log prints its peer: "('127.0.0.1', 49743)". */
void probe_local_name(int fd, char *out, size_t size);

#endif
