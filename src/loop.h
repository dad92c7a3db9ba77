/*
 * loop.h - what the three event loops (select.c, poll.c, epoll.c) share.
 *
 * An event loop is one thread that asks the kernel "which of these sockets
 * can I use without blocking?", then serves exactly those. Everything here
 * is the same whichever call asks the question; the design files keep only
 * the asking: select(), poll() or epoll_wait().
 *
 * Each run_<design>() owns a struct loop (inside its own table, with what
 * its call needs) and passes it by pointer; nothing is kept in statics. A
 * loop touches only its own clients (its list, its sweep, its end), so
 * several loops can run side by side, each in a thread of its own: what
 * they share is the registry (clients.c), under its lock when the server
 * has several threads (srv->threads). One thing still crosses loops: a
 * chat broadcast (output.c) writes into another client's c->loop.out and
 * sets its home's output_changed; with several loops that needs the
 * client's write_lock, an atomic flag, and a wake-up of the other loop.
 */
#ifndef NETLAB_LOOP_H
#define NETLAB_LOOP_H

#include <stdatomic.h>

#include "clients.h"

/* What a client waits for: bytes to read, room to write, or both. */
enum { WANT_READ = 1, WANT_WRITE = 2 };

struct loop {
	struct server *srv;
	int listen_fd;		/* where this loop accepts */
	struct client *clients;	/* the clients it serves (c->loop.next) */
	int output_changed;	/* a broadcast left bytes for one not being served */
	struct client *to_ask;	/* served since the last ask: what does each want now? */
	/* When it stops: Ctrl-C (stop_requested, the signals' pipe), or, for one
	 * of several loops (reuseport), when the main thread says so. */
	atomic_int *stopping;
	int stop_fd;		/* readable once it must stop: wakes the wait */
	int one_of_many;	/* reuseport: it owns its listener; main says goodbye */
};

/*
 * Before the loop: make the listener non-blocking, explain the design
 * (how: one sentence, marked N_() and translated here; NULL, say nothing),
 * warn about --delay.
 */
void loop_start(struct loop *loop, struct server *srv, const char *how);

/* The kernel said a connection is waiting: server_accept() it; this loop serves it. */
struct client *loop_accept(struct loop *loop);

/* c (NULL: none) was accepted for this loop some other way: this loop serves it. */
struct client *loop_adopt(struct loop *loop, struct client *c);

/*
 * What c waits for now (a question, nothing changes): no reading while
 * more than OUT_HIGH bytes wait for it to read them (backpressure);
 * writing while anything waits at all. Never 0 for a client.
 */
int loop_wants(const struct client *c);

/* c waits for want from now on: kept in c->loop.interest; a change of backpressure is annotated. */
void loop_note_wants(struct client *c, int want);

/*
 * This loop cannot watch c (why; where to look instead, hint): say so, tell
 * it the server is full, close it.
 */
void loop_refuse(struct client *c, const char *why, const char *hint);

/*
 * The kernel says c is readable (or hung up: recv() tells which) and/or
 * writable: one recv() fed to the handler, then a send() of what is
 * pending. -1: close c now. Otherwise c is on the list of clients to ask
 * again (loop_next_to_ask()).
 */
int loop_serve(struct client *c, int readable, int writable);

/*
 * n bytes arrived from c in buf (0: it closed its side; -1: errno says
 * what went wrong): feed them to the handler. -1: close c now (it is
 * marked closing, and owed nothing more unless it had bytes pending). A loop
 * whose kernel did the recv() itself (uring) calls this; loop_serve()
 * does the rest.
 */
int loop_received(struct client *c, const char *buf, ssize_t n);

/* Ask c again, before the next wait, what it waits for (once). */
void loop_ask_later(struct client *c);

/* Close c (the design has taken it out of its table first). */
void loop_close(struct client *c);

/*
 * Before the wait, the clients whose wish may have changed, one by one,
 * for the design to tell the kernel what each waits for now: those served
 * since the last wait, and every client after a broadcast left bytes for
 * some (output.c). NULL when none is left. The design may close the one
 * returned.
 */
struct client *loop_next_to_ask(struct loop *loop);

/*
 * --idle-timeout, the sweep: the first client silent that long (its "Idle
 * timeout" logged) for the loop to close, or NULL when none is. *timeout:
 * the milliseconds until the next one would time out, for the wait to end
 * by then; -1, wait forever (and no client was looked at).
 */
struct client *loop_idle(struct loop *loop, int *timeout);

/*
 * Leave the loop: close every client. failed == NULL: Ctrl-C, "Shutting
 * down server...", returns 0. Otherwise the call named failed (errno
 * set), logged; returns 1.
 */
int loop_end(struct loop *loop, const char *failed);

#endif
