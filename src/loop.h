/*
 * loop.h - what the three event loops (select.c, poll.c, epoll.c) share.
 *
 * An event loop is one thread that asks the kernel "which of these sockets
 * can I use without blocking?", then serves exactly those. Everything here
 * is the same whichever call asks the question; the design files keep only
 * the asking: select(), poll() or epoll_wait().
 */
#ifndef NETLAB_LOOP_H
#define NETLAB_LOOP_H

#include <sys/socket.h>

struct client;
struct server;

/* What a client waits for: bytes to read, room to write, or both. */
enum { WANT_READ = 1, WANT_WRITE = 2 };

/*
 * Before the loop: make the listener non-blocking, explain the design
 * (how: one sentence), warn about --delay.
 */
void loop_start(struct server *srv, const char *how);

/*
 * --idle-timeout, the sweep: the first client silent that long (its "Idle
 * timeout" logged) for the loop to close, or NULL when none is. *timeout:
 * the milliseconds until the next one would time out, for the wait to end
 * by then; -1, wait forever (and no client was looked at).
 */
struct client *loop_idle(struct server *srv, int *timeout);

/*
 * What c waits for now. No reading while more than OUT_HIGH bytes wait for
 * it to read them (backpressure); writing while anything waits at all.
 * Remembered in c->interest; a change of backpressure is annotated.
 */
int loop_interest(struct client *c);

/*
 * accept() gave a descriptor this loop cannot watch: log the connection,
 * say why (and where to look instead), refuse it with client_refuse().
 */
void loop_cannot_watch(int client_fd, const struct sockaddr_storage *peer,
    socklen_t peer_len, const char *why, const char *hint);

/*
 * The kernel says c is readable (or hung up: recv() tells which) and/or
 * writable: one recv() fed to the handler, then a send() of what is
 * pending. -1: close c now.
 */
int loop_serve(struct client *c, int readable, int writable);

/*
 * Leave the loop: close every client. failed == NULL: Ctrl-C, "Shutting
 * down server...", returns 0. Otherwise the call named failed (errno
 * set), logged; returns 1.
 */
int loop_end(struct server *srv, const char *failed);

#endif
