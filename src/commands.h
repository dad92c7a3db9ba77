/*
 * commands.h - the command table: every command's name, kind, argument,
 * default and one-line summary. main.c runs a command from it, --help
 * prints it, the lab runner asks it which designs exist and what they
 * default to. It is data only: it calls nothing above it.
 */
#ifndef NETLAB_COMMANDS_H
#define NETLAB_COMMANDS_H

#include <stdio.h>

enum command_kind {
	TOOL,		/* not a server */
	ONE_THREAD,	/* sequential: the main thread serves */
	THREADS,	/* threads share the process's memory */
	PROCESSES,	/* fork: children share no memory */
	EVENT_LOOP	/* one thread, non-blocking sockets */
};

/* Which command this is, for main.c's dispatch. */
enum command_id {
	CMD_SEQUENTIAL, CMD_THREADED, CMD_LIMITED, CMD_POOL, CMD_FORK,
	CMD_SELECT, CMD_POLL, CMD_EPOLL,
	CMD_CLIENT, CMD_THREADS, CMD_LAB, CMD_WATCH, CMD_BENCH, CMD_COMPARE, CMD_DOCTOR,
	CMD_CHECK
};

struct command {
	const char *name;
	enum command_id id;
	const char *args;	/* "[N]", "" for none */
	enum command_kind kind;
	int default_n;		/* limited's and pool's N when none is given */
	const char *summary;
};

/* The command called 'name' (an alias too), or NULL. */
const struct command *command_find(const char *name);

/* The i-th row of the table, or NULL past the last one. */
const struct command *command_at(size_t i);

/* "Commands:" and one line per command, as --help shows them. */
void commands_print(FILE *out);

/* pool auto: seed 003's hybrid server, min(50, cores + 4) workers. */
int pool_auto_size(void);

/*
 * The design's N for 'args' as typed after it ("limited 3", "pool auto"):
 * its default when none, or -1 when 'arg' is not a valid N (the caller
 * says why: see main.c).
 */
int command_n(const struct command *cmd, const char *arg);

#endif
