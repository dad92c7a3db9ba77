/*
 * commands.c - the command table. One row per command; 'async' is a second
 * row for epoll, as asyncio runs on it. A new design gets its row here and
 * its run_<design>() in main.c's dispatch, and --help, the lab runner and
 * completion see it at once.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "i18n.h"

static const struct command commands[] = {
	{ "sequential", CMD_SEQUENTIAL, "", ONE_THREAD, 0,
	  N_("one client at a time; the next waits (seed 004)") },
	{ "threaded", CMD_THREADED, "", THREADS, 0,
	  N_("one thread per client (seeds 004, 003)") },
	{ "limited", CMD_LIMITED, "[N]", THREADS, 5,
	  N_("N clients, one thread each, then the listener closes (seed 000; N=5)") },
	{ "pool", CMD_POOL, "[N|auto]", THREADS, 10,
	  N_("N worker threads take clients from a queue (seed 003; N=10)") },
	{ "fork", CMD_FORK, "", PROCESSES, 0,
	  N_("one child process per client (seed 003)") },
	{ "select", CMD_SELECT, "", EVENT_LOOP, 0,
	  N_("one thread, select(); at most FD_SETSIZE descriptors (seed 003)") },
	{ "poll", CMD_POLL, "", EVENT_LOOP, 0,
	  N_("one thread, poll(); no FD_SETSIZE limit (seed 003)") },
	{ "epoll", CMD_EPOLL, "", EVENT_LOOP, 0,
	  N_("one thread, epoll: the loop asyncio runs on (seed 003)") },
	{ "async", CMD_EPOLL, "", EVENT_LOOP, 0,
	  N_("the same as epoll: asyncio's loop on Linux (seed 003)") },
	{ "client", CMD_CLIENT, "[MESSAGE]", TOOL, 0,
	  N_("send MESSAGE (default 'Hello, world'), print the answer (seed 004)") },
	{ "threads", CMD_THREADS, "", TOOL, 0,
	  N_("start, is_alive, join, shared memory: threads alone (seed 002)") },
	{ "watch", CMD_WATCH, "[-- COMMAND]", TOOL, 0,
	  N_("the kernel's view of a server: queues, connections, each thread's call") },
	{ "bench", CMD_BENCH, "", TOOL, 0,
	  N_("ping-pong load on a server: messages/s, latency, errors") },
	{ "compare", CMD_COMPARE, "", TOOL, 0,
	  N_("every design under the same load: one table (seed 003)") },
	{ "check", CMD_CHECK, "[-- COMMAND]", TOOL, 0,
	  N_("grade your own server: echo, concurrency, rude clients, leaks") },
	{ "lab", CMD_LAB, "[list|N]", TOOL, 0,
	  N_("the guided labs: lab list, lab N, lab N --auto") },
	{ "doctor", CMD_DOCTOR, "", TOOL, 0,
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

		snprintf(name, sizeof(name), "%s %s", commands[i].name, commands[i].args);
		fprintf(out, "  %-22s %s\n", name, _(commands[i].summary));
	}
}

int pool_auto_size(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (cores < 1)
		cores = 1;	/* unknown: assume one */
	return cores + 4 < 50 ? (int)cores + 4 : 50;
}

int command_n(const struct command *cmd, const char *arg)
{
	char *end;
	long n;

	if (arg == NULL)
		return cmd->default_n;
	if (cmd->id == CMD_POOL && strcmp(arg, "auto") == 0)
		return pool_auto_size();
	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	n = strtol(arg, &end, 10);
	return *end == '\0' && n >= 1 && n <= 1024 ? (int)n : -1;
}
