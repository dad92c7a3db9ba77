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
 * (how: one sentence), warn about --delay. forget(srv, c), if not NULL, is
 * called just before a client is closed, so the loop can free its slot.
 */
void loop_start(struct server *srv, const char *how,
    void (*forget)(struct server *srv, struct client *c));

/*
 * accept() gave a descriptor this loop cannot watch: log the connection,
 * say why (and where to look instead), tell the client the server is full,
 * close it.
 */
void loop_refuse(struct server *srv, int client_fd, const struct sockaddr_storage *peer,
    socklen_t peer_len, const char *why, const char *hint);

/*
 * What c waits for now. No reading while more than OUT_HIGH bytes wait for
 * it to read them (backpressure); writing while anything waits at all.
 * Remembered in c->interest; a change of backpressure is annotated.
 */
int loop_interest(struct client *c);

/* c is readable: one recv(), fed to the handler. -1: close c now. */
int loop_read(struct client *c);

/* c hung up or failed with nothing to read: say so if it was owed bytes. -1. */
int loop_hangup(struct client *c);

/* c is writable: send what is pending. -1: close c now. */
int loop_write(struct client *c);

/* Forget c in the loop's table, then client_close() it. */
void loop_close(struct client *c);

/*
 * --idle-timeout: close the clients silent that long. Returns the
 * milliseconds until the next one would time out: the loop's wait must end
 * by then. -1: wait forever (and no client was looked at).
 */
int loop_sweep(struct server *srv);

/*
 * Leave the loop: close every client. failed == NULL: Ctrl-C, "Shutting
 * down server...", returns 0. Otherwise the call named failed (errno
 * set), logged; returns 1.
 */
int loop_end(struct server *srv, const char *failed);

#endif
