/*
 * lab_watch.h - the lab runner's eyes: the server it started, that server's
 * log, and what the kernel says about the server's port.
 *
 * Two sources, both real. The log says what the server did: accepted a
 * client, received bytes, closed a connection, and which thread, worker or
 * process did it. /proc/net/tcp says what the server has not done yet: a
 * client whose handshake the kernel finished but nobody accept()ed, bytes
 * that arrived but nobody recv()ed, whether anyone still listens.
 */
#ifndef NETLAB_LAB_WATCH_H
#define NETLAB_LAB_WATCH_H

#include <stddef.h>
#include <sys/types.h>

#define WATCH_MAX_CLIENTS 512

enum event_kind { EV_START, EV_ACCEPT, EV_RECEIVED, EV_CLOSED, EV_STOP, EV_NOTE,
	EV_OTHER, EV_ERROR };

struct watch_event {
	double t;		/* seconds since the lab began */
	enum event_kind kind;
	char actor[32];		/* "main", "thread 2", "pid 4711" */
	int port;		/* the client's port, when the line names one */
	char *text;		/* the line after "[actor] " */
};

struct watch_client {
	int port;		/* the client's own port: its name in the log */
	char peer[64];		/* "('127.0.0.1', 50312)" */
	double seen_at;		/* the kernel first showed it connected; -1 never */
	double accepted_at;	/* "Received new connection from"; -1 not yet */
	double closed_at;	/* "Connection with ... closed"; -1 not yet */
	double gone_at;		/* the kernel no longer shows it */
	double unread_since;	/* bytes waiting in its receive queue since; -1 none */
	int in_kernel;		/* in the last scan of /proc/net/tcp */
	int messages;
	char served_by[32];
};

struct watch {
	pid_t pid;		/* the server; 0 when none runs */
	int out_fd;		/* its stdout and stderr, through a pipe */
	int port;		/* from its start line; 0 until then */
	int exited, status;	/* it ended by itself, with this exit status */
	char design[32];
	char args[256];		/* "limited 3 --delay 100" */
	int limit;		/* limited N, pool N */
	int listening;		/* the kernel shows a LISTEN socket on the port */
	double started_at;

	struct watch_event *events;
	int nevents, cap;
	struct watch_client clients[WATCH_MAX_CLIENTS];
	int nclients;

	char partial[8192];	/* a line not yet complete */
	size_t partial_len;
};

/* Seconds since the lab began (CLOCK_MONOTONIC). */
double watch_now(void);

/*
 * Start 'netlab ARGS --port 0 --host 127.0.0.1 --no-color' from the binary
 * at self, its output on a pipe. -1: could not start it.
 */
int watch_start(struct watch *w, const char *self, const char *args);

/* Read what the server wrote; each whole line goes to on_line. 0 at EOF. */
int watch_read(struct watch *w, void (*on_line)(const char *line));

/* The server ended (waitpid status). */
void watch_ended(struct watch *w, int status);

/* SIGTERM the server and wait for it; its last lines go to on_line. */
void watch_stop(struct watch *w, void (*on_line)(const char *line));

/* Look at /proc/net/tcp: who is queued, whose bytes are unread, who listens. */
void watch_scan(struct watch *w);

/* Forget clients and events: a new server, a new story. */
void watch_clear(struct watch *w);

int watch_queued(const struct watch *w, long ms);	/* connected, not accepted, >= ms */
int watch_unread(const struct watch *w, long ms);	/* bytes unread for >= ms */
int watch_connected(const struct watch *w);		/* accepted and not closed */
int watch_accepted(const struct watch *w);		/* accepted since the start */

/* The 'status' and 'timeline' commands, printed with lab_print(). */
void watch_status(const struct watch *w);
void watch_timeline(const struct watch *w);

/* Provided by lab.c: print above the prompt, and into the transcript. */
void lab_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
