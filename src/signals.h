/*
 * signals.h - Ctrl-C and SIGTERM ask the server to stop; SIGPIPE is ignored.
 */
#ifndef NETLAB_SIGNALS_H
#define NETLAB_SIGNALS_H

#include <signal.h>
#include <stdatomic.h>

/*
 * Set by the SIGINT/SIGTERM handler; every loop checks it. Atomic, not just
 * volatile sig_atomic_t: the handler runs in whichever thread the kernel
 * picks and all threads read the flag. A lock-free atomic is both
 * thread-safe and allowed in a signal handler (C11 7.14.1.1).
 */
extern atomic_int stop_requested;

/*
 * Install the handlers (without SA_RESTART) and ignore SIGPIPE. A second
 * Ctrl-C while stopping exits at once with status 130, saying so.
 */
int signals_init(void);

/*
 * A tool's own handler (watch, show): on SIGINT, SIGTERM and SIGHUP, and
 * on SIGWINCH too if winch, without SA_RESTART so that poll() returns at
 * once; SIGPIPE ignored (a reader gone mid-write is an error, not a death).
 */
void signals_catch(void (*handler)(int), int winch);

/* The read end of the self-pipe: readable once a stop was requested. */
int signals_stop_fd(void);

/* Let the handler wake a blocked accept() on this socket; -1 to forget it. */
void signals_watch_listener(int listen_fd);

/*
 * sequential: let the handler shut down the socket of the client the
 * signalled thread serves, so its recv() returns 0; -1 to forget it.
 */
void signals_watch_served(int client_fd);

/*
 * A forked child: Ctrl-C and SIGTERM end it, as they end any program.
 * Also lets through the signals that children_hold() held.
 */
void signals_default_in_child(void);

/*
 * pool: 1 blocks SIGINT and SIGTERM in the calling thread, so that the
 * threads it starts meanwhile inherit the block and only the main thread
 * is interrupted; 0 lets them through again.
 */
void signals_block_stop(int block);

#endif
