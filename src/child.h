/*
 * child.h - a program netlab starts and ends: a student's server (check,
 * watch), a design to measure (compare), the lab's server, nc terminals
 * and run: commands. The one way netlab runs a child:
 *
 *   struct child c = { .output = CHILD_OUTPUT_FILE };
 *   child_start(&c, argv);          in a process group of its own: -1 it
 *                                   could not fork; c.exec_error: no such program
 *   child_stop(&c)                  SIGTERM to its group, without waiting
 *   child_wait_listening(&c, &view, port, ms)  until the kernel shows it
 *                                   listening (port 0: on any port; the
 *                                   view says which): CHILD_LISTENS
 *   read(c.output_fd, ...)          what it printed, as it comes; or
 *   child_output_tail(c.output_fd, ...)  its last lines
 *   child_ended(&c)                 did it exit by itself? c.status says how
 *   child_end(&c, grace_ms)         SIGTERM to its group, SIGKILL after the
 *                                   grace, reaped; c.usage: its CPU time
 *   child_close(&c)                 its descriptors closed
 */
#ifndef NETLAB_CHILD_H
#define NETLAB_CHILD_H

#include <sched.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "kernel/kernel.h"

/* Where its stdout and stderr go. */
enum child_output {
	CHILD_OUTPUT_OUR_STDERR,	/* to our stderr, stdout too: our stdout stays ours */
	CHILD_OUTPUT_PIPE,		/* into a pipe: output_fd reads it as it comes */
	CHILD_OUTPUT_FILE		/* into an unlinked file: output_fd reads it back */
};

/* What child_wait_listening() saw. */
enum child_listen {
	CHILD_LISTENS,			/* the kernel shows it listening; the view is filled */
	CHILD_EXITED,			/* it ended first: status says how */
	CHILD_SILENT,			/* it runs, but did not listen within the bound */
	CHILD_STOPPED			/* *stop was set (Ctrl-C) while waiting */
};

struct child {
	/* Set before child_start(); zero is the usual choice. */
	const char *path;		/* the program; NULL: argv[0], searched in PATH */
	enum child_output output;
	int stderr_apart;		/* its stderr to ours, only stdout to output */
	int input_pipe;			/* its stdin is a pipe, input_fd; else /dev/null */
	int adopt;			/* its orphans become ours to reap (sh -c 'a | b');
					   only for a parent with no other children */
	int own_session;		/* a session of its own, as if started in a
					   terminal of its own: Linux's scheduler
					   (autogroup) then weighs all its threads
					   together as one against everything else */
	const cpu_set_t *cpus;		/* the cores it may use; NULL: ours */
	const atomic_int *stop;		/* set by a signal: stop waiting; NULL never */

	/* Filled in by the calls. */
	pid_t pid;			/* also its process group; 0 before the start
					   and after child_end() */
	int output_fd;			/* read side of its output; -1 none (set by
					   child_start(): a zeroed struct holds 0) */
	int input_fd;			/* write side of its stdin pipe; -1 none */
	int exec_error;			/* errno of a failed exec, else 0 */
	int ended;			/* it was reaped: status and usage hold */
	int status;			/* its wait status */
	struct rusage usage;		/* its CPU time, and its reaped children's */
};

/*
 * Starts argv, in a process group of its own (our Ctrl-C is not its Ctrl-C,
 * and ending the group ends its children too), ended by the kernel if
 * netlab dies. 0: it runs, or exec failed (exec_error set, ended); -1 with
 * errno when it could not even be forked.
 */
int child_start(struct child *c, char *const argv[]);

/* Reaps it if it has ended, without waiting: 1 it has ended. */
int child_ended(struct child *c);

/*
 * Waits at most bound_ms until it (or a process it started) listens on
 * port, or on any port when port is 0, as the kernel's view of its
 * sockets shows it: kernel_read() fills v, so v->port is the port.
 */
enum child_listen child_wait_listening(struct child *c, struct kernel_view *v, int port,
    int bound_ms);

/* SIGTERM to its whole group, without waiting: child_ended() says when. */
void child_stop(struct child *c);

/*
 * SIGTERM to its group, SIGKILL after grace_ms if any of it stays; reaped,
 * and pid 0 after. Its descriptors stay open: its output can still be read.
 */
void child_end(struct child *c, int grace_ms);

/*
 * The last lines of an output kept in a file (CHILD_OUTPUT_FILE), made safe
 * to show on a terminal (control bytes as '?'); "" if none.
 */
void child_output_tail(int output_fd, int lines, char *out, size_t size);

/* Closes its output and input descriptors (none if it was never started). */
void child_close(struct child *c);

#endif
