/*
 * main.c - netlab COMMAND: find the command, check what it was given,
 * run it. Exit status: 0 done, 1 runtime failure, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "design_n.h"
#include "handler.h"
#include "i18n.h"
#include "lab/lab.h"
#include "log.h"
#include "ring.h"
#include "server.h"
#include "servers/servers.h"
#include "signals.h"
#include "tools/bench.h"
#include "tools/check.h"
#include "tools/client.h"
#include "tools/compare.h"
#include "tools/complete.h"
#include "tools/doctor.h"
#include "tools/show.h"
#include "tools/threads.h"
#include "tools/watch.h"

/* client: one message, or -i's line editor. */
static int run_client_either(const struct options *opt)
{
	return opt->interactive ? run_client_interactive(opt) : run_client(opt);
}

/* What runs each command: a design's loop (one file each in servers/), or a tool. */
static const struct runner {
	const char *name;	/* the command table's row (an alias runs its original) */
	int (*serve)(struct server *srv);
	int (*tool)(const struct options *opt);
	int (*refused)(void);	/* before listening: 1 if it cannot run here (said why) */
} runners[] = {
	{ "sequential", run_sequential, NULL, NULL },
	{ "threaded", run_threaded, NULL, NULL },
	{ "limited", run_limited, NULL, NULL },
	{ "pool", run_pool, NULL, NULL },
	{ "fork", run_fork, NULL, NULL },
	{ "select", run_select, NULL, NULL },
	{ "poll", run_poll, NULL, NULL },
	{ "epoll", run_epoll, NULL, NULL },
	{ "uring", run_uring, NULL, ring_refused },
	{ "reuseport", run_reuseport, NULL, NULL },
	{ "client", NULL, run_client_either, NULL },
	{ "threads", NULL, run_threads, NULL },
	{ "lab", NULL, run_lab, NULL },
	{ "watch", NULL, run_watch, NULL },
	{ "show", NULL, run_show, NULL },
	{ "bench", NULL, run_bench, NULL },
	{ "compare", NULL, run_compare, NULL },
	{ "doctor", NULL, run_doctor, NULL },
	{ "check", NULL, run_check, NULL },
};

static const struct runner *runner_of(const struct command *cmd)
{
	const char *name = cmd->alias_of != NULL ? cmd->alias_of : cmd->name;

	for (size_t i = 0; i < sizeof(runners) / sizeof(runners[0]); i++)
		if (strcmp(runners[i].name, name) == 0)
			return &runners[i];
	return NULL;
}

/* The design's N ("limited 3", "pool auto"), or its default: design_n.c parses it. */
static int design_argument(const struct command *cmd, const struct options *opt)
{
	const char *arg = opt->nargs > 0 ? opt->args[0] : NULL;
	enum number_result r;
	char what[48];
	int n;

	if (opt->nargs > 1)
		usage_error(_("%s takes one argument, but was given '%s' too"), cmd->name, opt->args[1]);
	r = design_n(cmd, arg, &n);
	if (r == NUMBER_OK)
		return n;
	if (cmd->n.automatic != 0)
		snprintf(what, sizeof(what), _("%s N (or 'auto')"), cmd->name);
	else
		snprintf(what, sizeof(what), "%s N", cmd->name);
	number_error(r, arg, cmd->n.min, cmd->n.max, what);
}

/* An option that this command's row does not name: say who takes it. */
static void check_taken(const struct command *cmd, unsigned given)
{
	unsigned extra = given & ~cmd->options;
	char who[256];

	if (extra == 0)
		return;
	extra &= ~extra + 1;	/* the first one is enough */
	commands_taking(extra, who, sizeof(who));
	usage_error(_("%s is for %s, not %s"), cli_option_name(extra), who, cmd->name);
}

/* What follows the command: nothing, a design's N, a tool's words, or -- COMMAND. */
static void check_arguments(const struct command *cmd, const struct options *opt)
{
	if (cmd->options & GIVEN_COMMAND) {
		if (opt->nargs > 0 && !opt->dashdash)
			usage_error(_("%s takes no argument; to start a server under it: "
			    "netlab %s -- COMMAND"), cmd->name, cmd->name);
		if (opt->dashdash && opt->nargs == 0)
			usage_error(_("'--' must be followed by the COMMAND that starts your server"));
		if (opt->pid != 0 && opt->nargs > 0)
			usage_error(_("%s takes --pid or -- COMMAND, not both"), cmd->name);
	} else if (cmd->args[0] == '\0' && opt->nargs > 0) {
		usage_error(_("%s takes no argument, but was given '%s'"), cmd->name, opt->args[0]);
	}
}

/* A design's handler, and the options that would make no sense for it. */
static void check_design(const struct command *cmd, const struct options *opt)
{
	const struct handler *h = handler_find(opt->handler);
	int n = design_argument(cmd, opt);

	if (h == NULL)
		usage_error(_("unknown handler '%s' (one of %s)"), opt->handler, handler_names());
	if (opt->unsafe && strcmp(h->name, "count") != 0)
		usage_error(_("--unsafe takes the lock off --handler count, and only that"));
	if (cmd->kind == PROCESSES && h->shared)
		usage_error(_("%s: --handler %s needs memory that all clients share, and child "
		    "processes share none (try threaded)"), cmd->name, h->name);
	if (cmd->kind == ONE_THREAD && strcmp(h->name, "chat") == 0)
		usage_error(_("%s serves one client at a time: --handler chat would have "
		    "nobody to talk to (try threaded)"), cmd->name);
	if (cmd->kind == ONE_THREAD && opt->max_clients > 0)
		usage_error(_("%s serves one client at a time already: --max-clients would "
		    "never be reached"), cmd->name);
	if (cmd->n.clients && opt->max_clients >= n)
		usage_error(_("%s %d never has more than %d clients: --max-clients "
		    "%d would never be reached"), cmd->name, n, n, opt->max_clients);
}

/* Refuse what this command cannot honour, saying why, in one line (exit 2). */
static void check_options(const struct command *cmd, const struct options *opt)
{
	check_taken(cmd, opt->given);
	check_arguments(cmd, opt);
	if (cmd->kind != TOOL)
		check_design(cmd, opt);
}

static struct server srv;	/* static: reachable to the end, for the leak checkers */

static int run_server(const struct command *cmd, const struct options *opt,
    const struct runner *run)
{
	srv.opt = opt;
	srv.design = cmd->name;
	srv.handler = handler_find(opt->handler);
	srv.threads = cmd->kind == THREADS || cmd->kind == EVENT_LOOPS;
	srv.nonblocking = cmd->kind == EVENT_LOOP || cmd->kind == EVENT_LOOPS;
	srv.share_port = cmd->kind == EVENT_LOOPS;	/* a listener per loop, one port */
	srv.limit = design_argument(cmd, opt);
	srv.auto_sized = opt->nargs > 0 && strcmp(opt->args[0], "auto") == 0;
	srv.listen_fd = srv.spare_fd = -1;
	clients_init(&srv.registry, srv.threads);
	if (signals_init() == -1) {
		log_error(_("cannot install the signal handlers"));
		return 1;
	}
	if (run->refused != NULL && run->refused())
		return 1;
	if (server_open(&srv) == -1)
		return 1;
	handler_start(&srv);
	return run->serve(&srv);
}

int main(int argc, char **argv)
{
	static struct options opt;
	const struct command *cmd;
	const struct runner *run;

	i18n_init(cli_lang(argc, argv));	/* --lang, or the locale: before any message */
	cli_parse(argc, argv, &opt);
	log_init(opt.quiet == 0 ? LOG_ALL : opt.quiet == 1 ? LOG_EVENTS : LOG_START_ONLY,
	    opt.color);
	if (opt.complete != NULL)
		return run_complete(&opt);	/* bash completion asks for words */
	if (opt.list_designs)
		return commands_print_designs(stdout), 0;	/* the tests' design lists */
	if (opt.command == NULL && opt.dry_run)
		return 0;			/* on a terminal: the lab menu */
	if (opt.command == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return lab_menu(&opt);		/* a person at a terminal: the labs */
	if (opt.command == NULL)
		usage_error(_("no command given"));
	cmd = command_find(opt.command);
	if (cmd == NULL)
		usage_error(_("unknown command '%s'"), opt.command);
	check_options(cmd, &opt);
	run = runner_of(cmd);
	if (run == NULL) {
		log_error("%s: no line for it in main.c's runners", cmd->name);
		return 1;
	}
	if (opt.dry_run)	/* the docs' tests: would netlab accept this line? */
		return 0;
	return run->tool != NULL ? run->tool(&opt) : run_server(cmd, &opt, run);
}
