/*
 * commands.h - the command table: every command's name, kind, argument,
 * options and one-line summary, and the lookups over it. main.c checks and
 * runs a command from it, --help prints it, compare and the tests
 * (--list-designs) take their designs from it, the lab runner asks it which
 * designs exist. It calls nothing above it.
 */
#ifndef NETLAB_COMMANDS_H
#define NETLAB_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

enum command_kind {
	TOOL,		/* not a server */
	ONE_THREAD,	/* sequential: the main thread serves */
	THREADS,	/* threads share the process's memory */
	PROCESSES,	/* fork: children share no memory */
	EVENT_LOOP,	/* one thread, non-blocking sockets */
	EVENT_LOOPS	/* several event loops, a thread each (reuseport) */
};

/* A design's N ("limited 3", "pool auto"), parsed by design_n.c. */
#define N_CORES		(-1)	/* a size: one per core */
#define N_POOL_AUTO	(-2)	/* a size: min(50, cores + 4), seed 003's hybrid pool */

struct command_n {
	int min, max;		/* its range; max 0: the design takes no N */
	int fallback;		/* when none is given: a number, N_CORES or N_POOL_AUTO */
	int automatic;		/* what 'auto' means (N_POOL_AUTO); 0: no 'auto' */
	int clients;		/* 1: N clients, then it stops (compare runs it at max) */
};

struct command {
	const char *name;
	const char *args;	/* "[N]", "" for none, as --help shows it (N_(): translated) */
	enum command_kind kind;
	unsigned options;	/* the options it takes: enum option_bit (cli.h) */
	struct command_n n;	/* a design's N */
	const char *alias_of;	/* "async": another name for "epoll"; NULL for most */
	const char *summary;
};

/* The command called 'name' (an alias too), or NULL. */
const struct command *command_find(const char *name);

/* The i-th row of the table, or NULL past the last one. */
const struct command *command_at(size_t i);

/* A server design under its own name (not a tool, not an alias). */
int command_is_design(const struct command *cmd);

/* "Commands:" and one line per command, as --help shows them. */
void commands_print(FILE *out);

/* --list-designs: "name kind" a line ("poll event-loop"), aliases left out. */
void commands_print_designs(FILE *out);

/*
 * Who takes 'option' (one bit), for a message: "watch, bench and check",
 * "the servers, client and doctor" when every design takes it.
 */
void commands_taking(unsigned option, char *out, size_t size);

#endif
