/*
 * observe.h - the lab runner's eyes: the server it started, that server's
 * log, and what the kernel says about the server's port.
 *
 * Two sources, both real. The log says what the server did: accepted a
 * client, received bytes, closed a connection, and which thread, worker or
 * process did it (the actor in brackets). The kernel (kernel.c) says
 * what the server has not done yet: a client whose handshake the kernel
 * finished but nobody accept()ed, bytes that arrived but nobody recv()ed,
 * whether anyone still listens.
 *
 * Observing only records: nothing here prints. The caller shows the new
 * events (nevents grows) as it likes.
 */
#ifndef NETLAB_LAB_OBSERVE_H
#define NETLAB_LAB_OBSERVE_H

#include <stddef.h>
#include <sys/types.h>

#include "child.h"
#include "kernel/kernel.h"

#define OBSERVE_MAX_CLIENTS 512

enum event_kind { EV_START, EV_ACCEPT, EV_RECEIVED, EV_CLOSED, EV_STOP, EV_NOTE,
	EV_OTHER, EV_ERROR };

struct obs_event {
	double t;		/* seconds since the lab began */
	enum event_kind kind;
	char actor[32];		/* "main", "thread 2", "pid 4711" */
	int port;		/* the client's port, when the line names one */
	char *line;		/* the whole line, as the server wrote it */
	const char *text;	/* the line after "[actor] " */
};

struct obs_client {
	int port;		/* the client's own port: its name in the log */
	char peer[64];		/* "('127.0.0.1', 50312)" */
	double seen_at;		/* the kernel first showed it connected; -1 never */
	double accepted_at;	/* "Received new connection from"; -1 not yet */
	double served_at;	/* its server first did something for it; -1 not yet.
				   Between accepted_at and it: the program's own queue */
	double closed_at;	/* "Connection with ... closed"; -1 not yet */
	double gone_at;		/* the kernel no longer shows it */
	double unread_since;	/* bytes waiting in its receive queue since; -1 none */
	int in_kernel;		/* in the last scan of the kernel's view */
	int messages;
	char served_by[32];	/* the actor of its Received or Connection lines */
};

struct observer {
	struct child child;	/* the server (pid 0 when none runs); its stdout
				   and stderr through a pipe, child.output_fd */
	int port;		/* where the kernel shows it listening; 0 until then */
	int exited, status;	/* it ended by itself, with this exit status */
	char design[32];
	char args[256];		/* "limited 3 --delay 100" */
	char host[64];		/* where it listens: 127.0.0.1, or a class's address */
	int limit;		/* limited N, pool N */
	int listening;		/* the kernel shows a LISTEN socket on the port */
	double started_at;

	struct obs_event *events;
	int nevents, cap;
	struct obs_client clients[OBSERVE_MAX_CLIENTS];
	int nclients;
	struct kernel_view view;	/* the last look at the kernel (kernel.h) */

	char partial[8192];	/* a line not yet complete */
	size_t partial_len;
};

/*
 * Start 'netlab ARGS --host HOST --port 0 --no-color' from the binary at
 * self, its output on a pipe. -1: could not start it.
 */
int observe_start(struct observer *o, const char *self, const char *args, const char *host);

/* Read what the server wrote and record each whole line. 0 at EOF. */
int observe_read(struct observer *o);

/*
 * Wait up to secs until the kernel shows the server listening (its port),
 * then read its log up to its start line. 0: it listens.
 */
int observe_wait_port(struct observer *o, double secs);

/* Did the server end by itself? Reaped (it, and it only), and its group ended. */
void observe_reap(struct observer *o);

/* SIGTERM the server's group, record its last lines, and reap it. */
void observe_stop(struct observer *o);

/* Ask the kernel: who is queued, whose bytes are unread, who listens. */
void observe_scan(struct observer *o);

/* Forget clients and events: a new server, a new story. */
void observe_clear(struct observer *o);

int observe_queued(const struct observer *o, long ms);	/* connected, not accepted, >= ms */
int observe_unread(const struct observer *o, long ms);	/* bytes unread for >= ms */
int observe_connected(const struct observer *o);	/* accepted and not closed */
int observe_accepted(const struct observer *o);		/* accepted since the start */

#endif
