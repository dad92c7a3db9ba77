/*
 * main.c - netlab COMMAND: find the command, check what it was given,
 * run it. Exit status: 0 done, 1 runtime failure, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "handler.h"
#include "lab.h"
#include "log.h"
#include "server.h"
#include "servers/servers.h"
#include "signals.h"
#include "threads.h"

enum design_kind {
	TOOL,		/* not a server */
	ONE_THREAD,	/* sequential: the main thread serves */
	THREADS,	/* threads share the process's memory */
	PROCESSES,	/* fork: children share no memory */
	EVENT_LOOP	/* one thread, non-blocking sockets */
};

struct command {
	const char *name;
	const char *args;
	enum design_kind kind;
	int (*run_server)(struct server *srv);
	int (*run_tool)(const struct options *opt);
	const char *summary;
};

static const struct command commands[] = {
	{ "sequential", "", ONE_THREAD, run_sequential, NULL,
	  "one client at a time; the next waits (seed 004)" },
	{ "threaded", "", THREADS, run_threaded, NULL,
	  "one thread per client (seeds 004, 003)" },
	{ "limited", "[N]", THREADS, run_limited, NULL,
	  "N clients, one thread each, then the listener closes (seed 000; N=5)" },
	{ "pool", "[N|auto]", THREADS, run_pool, NULL,
	  "N worker threads take clients from a queue (seed 003; N=10)" },
	{ "fork", "", PROCESSES, run_fork, NULL,
	  "one child process per client (seed 003)" },
	{ "select", "", EVENT_LOOP, run_select, NULL,
	  "one thread, select(); at most FD_SETSIZE descriptors (seed 003)" },
	{ "poll", "", EVENT_LOOP, run_poll, NULL,
	  "one thread, poll(); no FD_SETSIZE limit (seed 003)" },
	{ "epoll", "", EVENT_LOOP, run_epoll, NULL,
	  "one thread, epoll: the loop asyncio runs on (seed 003)" },
	{ "async", "", EVENT_LOOP, run_epoll, NULL,
	  "the same as epoll: asyncio's loop on Linux (seed 003)" },
	{ "client", "[MESSAGE]", TOOL, NULL, run_client,
	  "send MESSAGE (default 'Hello, world'), print the answer (seed 004)" },
	{ "threads", "", TOOL, NULL, run_threads,
	  "start, is_alive, join, shared memory: threads alone (seed 002)" },
	{ "lab", "[list|N]", TOOL, NULL, run_lab,
	  "the guided labs: lab list, lab N, lab N --auto" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void print_commands(void)
{
	printf("Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "%s %s", commands[i].name, commands[i].args);
		printf("  %-22s %s\n", name, commands[i].summary);
	}
}

int command_exists(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return 1;
	return 0;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* pool auto: seed 003's hybrid server, min(50, cores + 4) workers. */
static int pool_auto_size(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (cores < 1)
		cores = 1;	/* unknown: assume one */
	return cores + 4 < 50 ? (int)cores + 4 : 50;
}

/* The design's one argument: limited's N, pool's N. */
static int design_argument(const struct command *cmd, const struct options *opt)
{
	char what[48];

	if (cmd->args[0] == '\0' && opt->nargs > 0)
		usage_error("%s takes no argument, but was given '%s'", cmd->name, opt->args[0]);
	if (opt->nargs > 1)
		usage_error("%s takes one argument, but was given '%s' too", cmd->name, opt->args[1]);
	snprintf(what, sizeof(what), "%s N", cmd->name);
	if (strcmp(cmd->name, "limited") == 0)
		return opt->nargs ? (int)parse_number(opt->args[0], 1, 1024, what) : 5;
	if (strcmp(cmd->name, "pool") == 0) {
		if (opt->nargs == 0)
			return 10;
		if (strcmp(opt->args[0], "auto") == 0)
			return pool_auto_size();
		return (int)parse_number(opt->args[0], 1, 1024, "pool N (or 'auto')");
	}
	return 0;
}

/* Refuse options that this command cannot honour, saying why. */
static void check_options(const struct command *cmd, const struct options *opt)
{
	const unsigned server_only = GIVEN_HANDLER | GIVEN_UNSAFE | GIVEN_DELAY |
	    GIVEN_IDLE | GIVEN_MAX;
	const struct handler *h = handler_find(opt->handler);

	if (strcmp(cmd->name, "threads") == 0 && opt->given != 0)
		usage_error("threads uses no network and takes no options but -q and --no-color");
	if (cmd->kind == TOOL) {
		if (opt->given & server_only)
			usage_error("%s is not a server: --handler, --unsafe, --delay, "
			    "--idle-timeout and --max-clients are server options", cmd->name);
		if (strcmp(cmd->name, "client") == 0 && (opt->given & GIVEN_LAB))
			usage_error("client takes -i, --host and --port, and a MESSAGE");
		if (strcmp(cmd->name, "lab") == 0 && (opt->given & GIVEN_INTERACTIVE))
			usage_error("lab takes --auto and --record FILE");
		return;
	}
	if (opt->given & (GIVEN_INTERACTIVE | GIVEN_LAB))
		usage_error("%s is a server: -i, --auto and --record "
		    "are for other commands", cmd->name);
	if (h == NULL)
		usage_error("unknown handler '%s' (one of %s)", opt->handler, handler_names());
	if (opt->unsafe && strcmp(h->name, "count") != 0)
		usage_error("--unsafe takes the lock off --handler count, and only that");
	if (cmd->kind == PROCESSES && h->shared)
		usage_error("%s: --handler %s needs memory that all clients share, and child "
		    "processes share none (try threaded)", cmd->name, h->name);
	if (cmd->kind == ONE_THREAD && strcmp(h->name, "chat") == 0)
		usage_error("%s serves one client at a time: --handler chat would have "
		    "nobody to talk to (try threaded)", cmd->name);
	if (cmd->kind == ONE_THREAD && opt->max_clients > 0)
		usage_error("%s serves one client at a time already: --max-clients would "
		    "never be reached", cmd->name);
	if (strcmp(cmd->name, "limited") == 0 && opt->max_clients > 0) {
		int n = design_argument(cmd, opt);

		if (opt->max_clients >= n)
			usage_error("limited %d never has more than %d clients: --max-clients "
			    "%d would never be reached", n, n, opt->max_clients);
	}
}

static struct server srv;	/* static: reachable to the end, for the leak checkers */

static int run_server(const struct command *cmd, const struct options *opt)
{
	srv.opt = opt;
	srv.design = cmd->name;
	srv.handler = handler_find(opt->handler);
	srv.threads = cmd->kind == THREADS;
	srv.nonblocking = cmd->kind == EVENT_LOOP;
	srv.limit = design_argument(cmd, opt);
	srv.listen_fd = srv.spare_fd = -1;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.changed, NULL);
	if (signals_init() == -1) {
		log_error("cannot install the signal handlers");
		return 1;
	}
	if (server_open(&srv) == -1)
		return 1;
	handler_start(&srv);
	return cmd->run_server(&srv);
}

int main(int argc, char **argv)
{
	static struct options opt;
	const struct command *cmd;

	cli_parse(argc, argv, &opt);
	log_init(opt.quiet == 0 ? LOG_ALL : opt.quiet == 1 ? LOG_EVENTS : LOG_START_ONLY,
	    opt.color);
	if (opt.command == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return lab_menu(&opt);		/* a person at a terminal: the labs */
	if (opt.command == NULL)
		usage_error("no command given");
	cmd = find_command(opt.command);
	if (cmd == NULL)
		usage_error("unknown command '%s'", opt.command);
	check_options(cmd, &opt);
	if (cmd->kind == TOOL)
		return cmd->run_tool(&opt);
	return run_server(cmd, &opt);
}
