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
#include "handler.h"
#include "i18n.h"
#include "lab/lab.h"
#include "log.h"
#include "server.h"
#include "servers/servers.h"
#include "signals.h"
#include "tools/bench.h"
#include "tools/check.h"
#include "tools/client.h"
#include "tools/compare.h"
#include "tools/complete.h"
#include "tools/doctor.h"
#include "tools/threads.h"
#include "tools/watch.h"

/* The design's one argument: limited's N, pool's N. */
static int design_argument(const struct command *cmd, const struct options *opt)
{
	char what[48];

	if (cmd->args[0] == '\0' && opt->nargs > 0)
		usage_error(_("%s takes no argument, but was given '%s'"), cmd->name, opt->args[0]);
	if (opt->nargs > 1)
		usage_error(_("%s takes one argument, but was given '%s' too"), cmd->name, opt->args[1]);
	snprintf(what, sizeof(what), "%s N", cmd->name);
	if (opt->nargs == 0)
		return cmd->default_n;
	if (cmd->id == CMD_POOL && strcmp(opt->args[0], "auto") == 0)
		return pool_auto_size();
	return (int)parse_number(opt->args[0], 1, 1024,
	    cmd->id == CMD_POOL ? _("pool N (or 'auto')") : what);
}

/* Refuse options that this command cannot honour, saying why. */
static void check_options(const struct command *cmd, const struct options *opt)
{
	const unsigned server_only = GIVEN_HANDLER | GIVEN_UNSAFE | GIVEN_DELAY |
	    GIVEN_IDLE | GIVEN_MAX;
	const struct handler *h = handler_find(opt->handler);

	if (cmd->id != CMD_WATCH && (opt->given & GIVEN_WATCH))
		usage_error(_("--pid and --once are watch's options"));
	if (cmd->id != CMD_WATCH && cmd->id != CMD_CHECK && opt->dashdash)
		usage_error(_("'-- COMMAND' is for watch and check"));
	if (cmd->id != CMD_WATCH && cmd->id != CMD_BENCH && cmd->id != CMD_COMPARE &&
	    cmd->id != CMD_CHECK && (opt->given & GIVEN_JSON))
		usage_error(_("--json is for watch, bench, compare and check"));
	if (cmd->id != CMD_CHECK && (opt->given & GIVEN_CHECK))
		usage_error(_("--expect is check's option"));
	if (cmd->id == CMD_CHECK && (opt->given & (GIVEN_INTERACTIVE | GIVEN_LAB)))
		usage_error(_("check takes --host, --port, --expect, --json, or -- COMMAND"));
	if (cmd->id == CMD_CHECK && opt->nargs > 0 && !opt->dashdash)
		usage_error(_("check takes no argument; to start a server and check it: "
		    "netlab check -- COMMAND"));
	if (cmd->id == CMD_CHECK && opt->dashdash && opt->nargs == 0)
		usage_error(_("'--' must be followed by the COMMAND that starts your server"));
	if (cmd->id == CMD_WATCH && (opt->given & (GIVEN_INTERACTIVE | GIVEN_LAB | GIVEN_HOST)))
		usage_error(_("watch takes --port, --pid, --once, --json, or -- COMMAND"));
	if (cmd->id == CMD_WATCH && opt->nargs > 0 && !opt->dashdash)
		usage_error(_("watch takes no argument; to start a server under it: "
		    "netlab watch -- COMMAND"));
	if (cmd->id == CMD_WATCH && opt->pid != 0 && opt->nargs > 0)
		usage_error(_("watch takes --pid or -- COMMAND, not both"));
	if (cmd->id == CMD_THREADS && opt->given != 0)
		usage_error(_("threads uses no network and takes no options but -q and --no-color"));
	if (cmd->kind == TOOL) {
		if (opt->given & server_only)
			usage_error(_("%s is not a server: --handler, --unsafe, --delay, "
			    "--idle-timeout and --max-clients are server options"), cmd->name);
		if (cmd->id == CMD_CLIENT && (opt->given & GIVEN_LAB))
			usage_error(_("client takes -i, --host and --port, and a MESSAGE"));
		if (cmd->id == CMD_DOCTOR && (opt->given & (GIVEN_LAB | GIVEN_INTERACTIVE)))
			usage_error(_("doctor takes --port and --host: the port to check"));
		if (cmd->id == CMD_LAB && (opt->given & GIVEN_INTERACTIVE))
			usage_error(_("lab takes --auto and --record FILE"));
		if (cmd->id != CMD_BENCH && cmd->id != CMD_COMPARE && (opt->given & GIVEN_LOAD))
			usage_error(_("-c, -n, -s and --timeout are for bench and compare"));
		if (cmd->id != CMD_COMPARE && (opt->given & GIVEN_COMPARE))
			usage_error(_("--svg and --designs are for compare"));
		if ((cmd->id == CMD_BENCH || cmd->id == CMD_COMPARE) &&
		    (opt->given & (GIVEN_INTERACTIVE | GIVEN_LAB)))
			usage_error(_("%s takes -c, -n, -s, --timeout and --json"), cmd->name);
		if (cmd->id == CMD_COMPARE && (opt->given & (GIVEN_HOST | GIVEN_PORT)))
			usage_error(_("compare starts its own servers on a free loopback port: "
			    "--host and --port are for bench"));
		return;
	}
	if (opt->given & (GIVEN_INTERACTIVE | GIVEN_LAB | GIVEN_LOAD | GIVEN_COMPARE))
		usage_error(_("%s is a server: -i, --auto, --record, -c, -n, -s, --timeout, "
		    "--json, --svg and --designs are for other commands"), cmd->name);
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
	if (cmd->id == CMD_LIMITED && opt->max_clients > 0) {
		int n = design_argument(cmd, opt);

		if (opt->max_clients >= n)
			usage_error(_("limited %d never has more than %d clients: --max-clients "
			    "%d would never be reached"), n, n, opt->max_clients);
	}
}

/* The design's loop: one file each in servers/. */
static int run_design(const struct command *cmd, struct server *s)
{
	switch (cmd->id) {
	case CMD_SEQUENTIAL: return run_sequential(s);
	case CMD_THREADED: return run_threaded(s);
	case CMD_LIMITED: return run_limited(s);
	case CMD_POOL: return run_pool(s);
	case CMD_FORK: return run_fork(s);
	case CMD_SELECT: return run_select(s);
	case CMD_POLL: return run_poll(s);
	case CMD_EPOLL: return run_epoll(s);
	default: return 2;	/* not a server: main() runs tools itself */
	}
}

/* A command that is not a server. */
static int run_tool(const struct command *cmd, const struct options *opt)
{
	switch (cmd->id) {
	case CMD_CLIENT: return opt->interactive ? run_client_interactive(opt) : run_client(opt);
	case CMD_THREADS: return run_threads(opt);
	case CMD_LAB: return run_lab(opt);
	case CMD_WATCH: return run_watch(opt);
	case CMD_BENCH: return run_bench(opt);
	case CMD_COMPARE: return run_compare(opt);
	case CMD_DOCTOR: return run_doctor(opt);
	case CMD_CHECK: return run_check(opt);
	default: return 2;	/* a server: main() runs it through run_server() */
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
	srv.auto_sized = cmd->id == CMD_POOL && opt->nargs > 0 &&
	    strcmp(opt->args[0], "auto") == 0;
	srv.listen_fd = srv.spare_fd = -1;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.changed, NULL);
	if (signals_init() == -1) {
		log_error(_("cannot install the signal handlers"));
		return 1;
	}
	if (server_open(&srv) == -1)
		return 1;
	handler_start(&srv);
	return run_design(cmd, &srv);
}

int main(int argc, char **argv)
{
	static struct options opt;
	const struct command *cmd;

	i18n_init(cli_lang(argc, argv));	/* --lang, or the locale: before any message */
	cli_parse(argc, argv, &opt);
	log_init(opt.quiet == 0 ? LOG_ALL : opt.quiet == 1 ? LOG_EVENTS : LOG_START_ONLY,
	    opt.color);
	if (opt.complete != NULL)
		return run_complete(&opt);	/* bash completion asks for words */
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
	if (opt.dry_run)	/* the docs' tests: would netlab accept this line? */
		return cmd->kind == TOOL ? 0 : (design_argument(cmd, &opt), 0);
	if (cmd->kind == TOOL)
		return run_tool(cmd, &opt);
	return run_server(cmd, &opt);
}
