/*
 * commands.c - the command table. One row per command: its name, what
 * follows it, its kind, the options it takes, its N if it is a design that
 * has one. 'async' is a second row for epoll, as asyncio runs on it.
 *
 * A new design is its file in servers/ (its run_<design>() in servers.h),
 * one row here and one line in main.c's dispatch. --help, the option
 * checks, completion, the lab runner, compare and the tests' design lists
 * (netlab --list-designs) all read this table. A new option is a bit in
 * cli.h, and that bit in the rows of the commands that take it.
 */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "i18n.h"

/* Every server takes these; a tool takes its own few. */
#define SERVER	(GIVEN_HOST | GIVEN_PORT | GIVEN_HANDLER | GIVEN_UNSAFE | GIVEN_DELAY | \
		 GIVEN_IDLE | GIVEN_MAX | GIVEN_NAGLE)
#define LOAD	(GIVEN_CLIENTS | GIVEN_MESSAGES | GIVEN_SIZE | GIVEN_TIMEOUT)
#define NO_N	{ 0, 0, 0, 0, 0 }

static const struct command commands[] = {
	{ "sequential", "", ONE_THREAD, SERVER, NO_N, NULL,
	  N_("one client at a time; the next waits") },
	{ "threaded", "", THREADS, SERVER, NO_N, NULL,
	  N_("one thread per client") },
	{ "limited", "[N]", THREADS, SERVER, { 1, 1024, 5, 0, 1 }, NULL,
	  N_("N clients, one thread each, then the listener closes (N=5)") },
	{ "pool", "[N|auto]", THREADS, SERVER, { 1, 1024, 10, N_POOL_AUTO, 0 }, NULL,
	  N_("N worker threads take clients from a queue (N=10)") },
	{ "fork", "", PROCESSES, SERVER, NO_N, NULL,
	  N_("one child process per client") },
	{ "select", "", EVENT_LOOP, SERVER, NO_N, NULL,
	  N_("one thread, select(); at most FD_SETSIZE descriptors") },
	{ "poll", "", EVENT_LOOP, SERVER, NO_N, NULL,
	  N_("one thread, poll(); no FD_SETSIZE limit") },
	{ "epoll", "", EVENT_LOOP, SERVER, NO_N, NULL,
	  N_("one thread, epoll: the loop asyncio runs on") },
	{ "async", "", EVENT_LOOP, SERVER, NO_N, "epoll",
	  N_("the same as epoll: asyncio's loop on Linux") },
	{ "uring", "", EVENT_LOOP, SERVER, NO_N, NULL,
	  N_("one thread, io_uring: it submits accept, recv, send and reaps the results") },
	{ "reuseport", "[N]", EVENT_LOOPS, SERVER, { 1, 64, N_CORES, 0, 0 }, NULL,
	  N_("N epoll loops, a thread and a listener each (SO_REUSEPORT); N=cores") },
	{ "client", N_("[MESSAGE]"), TOOL, GIVEN_HOST | GIVEN_PORT | GIVEN_INTERACTIVE, NO_N, NULL,
	  N_("send MESSAGE (default 'Hello, world'), print the answer") },
	{ "threads", "", TOOL, 0, NO_N, NULL,
	  N_("start, is_alive, join, shared memory: threads alone") },
	{ "watch", N_("[-- COMMAND]"), TOOL,
	  GIVEN_PORT | GIVEN_PID | GIVEN_ONCE | GIVEN_JSON | GIVEN_COMMAND, NO_N, NULL,
	  N_("the kernel's view of a server: queues, connections, each thread's call") },
	{ "show", N_("[-- COMMAND]"), TOOL,
	  GIVEN_PORT | GIVEN_PID | GIVEN_LISTEN | GIVEN_RECORD | GIVEN_COMMAND, NO_N, NULL,
	  N_("the live picture of a server in a web browser, for a class to watch") },
	{ "bench", "", TOOL, GIVEN_HOST | GIVEN_PORT | LOAD | GIVEN_JSON, NO_N, NULL,
	  N_("ping-pong load on a server: messages/s, latency, errors") },
	{ "compare", "", TOOL, LOAD | GIVEN_JSON | GIVEN_SVG | GIVEN_DESIGNS | GIVEN_ROUNDS, NO_N,
	  NULL,
	  N_("every design under the same load: one table") },
	{ "check", N_("[-- COMMAND]"), TOOL,
	  GIVEN_HOST | GIVEN_PORT | GIVEN_EXPECT | GIVEN_JSON | GIVEN_COMMAND, NO_N, NULL,
	  N_("grade your own server: echo, concurrency, rude clients, leaks") },
	{ "lab", "[list|N]", TOOL, GIVEN_HOST | GIVEN_PORT | GIVEN_AUTO | GIVEN_RECORD, NO_N, NULL,
	  N_("the guided labs: lab list, lab N, lab N --auto") },
	{ "doctor", "", TOOL, GIVEN_HOST | GIVEN_PORT, NO_N, NULL,
	  N_("is this machine ready for the class? labs, nc, limits, port, terminal") },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

const struct command *command_at(size_t i)
{
	return i < NCOMMANDS ? &commands[i] : NULL;
}

void commands_print(FILE *out)
{
	fprintf(out, "%s", _("Commands:\n"));
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char name[32];

		/* A placeholder in capitals is translated, as the options' are. */
		snprintf(name, sizeof(name), "%s %s", commands[i].name,
		    commands[i].args[0] != '\0' ? _(commands[i].args) : "");
		fprintf(out, "  %-22s %s\n", name, _(commands[i].summary));
	}
}

/* --list-designs's words for the kinds, in enum command_kind's order. */
static const char *const kind_names[] = {
	"tool", "one-thread", "threads", "processes", "event-loop", "event-loops"
};

int command_is_design(const struct command *cmd)
{
	return cmd->kind != TOOL && cmd->alias_of == NULL;
}

void commands_print_designs(FILE *out)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (command_is_design(&commands[i]))
			fprintf(out, "%s %s\n", commands[i].name, kind_names[commands[i].kind]);
}

/* Does every design take 'option'? Then a message says "the servers". */
static int every_design_takes(unsigned option)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (command_is_design(&commands[i]) && !(commands[i].options & option))
			return 0;
	return 1;
}

void commands_taking(unsigned option, char *out, size_t size)
{
	const char *names[NCOMMANDS];
	size_t n = 0, len = 0;
	int servers = every_design_takes(option);

	if (servers)
		names[n++] = _("the servers");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if ((commands[i].options & option) && commands[i].alias_of == NULL &&
		    !(servers && commands[i].kind != TOOL))
			names[n++] = commands[i].name;
	out[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? _(" and ") : ", ";

		len += snprintf(out + len, size - len, "%s%s", sep, names[i]);
	}
}
