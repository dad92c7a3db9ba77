/*
 * command.h - a student's server, started and ended by a tool (check,
 * watch): in a process group of its own, its output where the tool wants
 * it, ended with SIGTERM to the whole group and SIGKILL after a bound.
 */
#ifndef NETLAB_COMMAND_H
#define NETLAB_COMMAND_H

#include <sys/types.h>

/* A server a tool started, or pid 0. */
struct command {
	pid_t pid;		/* also its process group */
	int status;		/* its wait status once ended */
	int ended;		/* reaped */
	int exec_error;		/* errno of a failed exec, else 0 */
	int adopt;		/* set before the start: reap its orphans too */
};

/*
 * Starts argv with stdin from /dev/null and stdout and stderr on out_fd.
 * 0 it runs; 0 with exec_error set (and ended) when exec failed; -1 with
 * errno when it could not even be forked.
 */
int command_start(struct command *cmd, char **argv, int out_fd);

/* Reaps what has ended, without waiting: 1 the server has ended. */
int command_ended(struct command *cmd);

/* SIGTERM to its group, SIGKILL after bound_ms if any of it stays; reaped. */
void command_end(struct command *cmd, int bound_ms);

#endif
