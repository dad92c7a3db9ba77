/*
 * cli.c - options before or after the command, as the spec promises:
 * GNU getopt_long permutes argv, so "limited 3 --port 0" and
 * "--port 0 limited 3" mean the same thing.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "i18n.h"

#define NETLAB_VERSION "1.0"

enum { OPT_HANDLER = 256, OPT_UNSAFE, OPT_DELAY, OPT_IDLE, OPT_MAX, OPT_NO_COLOR,
	OPT_AUTO, OPT_RECORD, OPT_PID, OPT_ONCE, OPT_JSON, OPT_TIMEOUT, OPT_SVG,
	OPT_DESIGNS, OPT_ROUNDS, OPT_NAGLE, OPT_LANG, OPT_COMPLETE, OPT_DRY_RUN, OPT_EXPECT,
	OPT_LIST_DESIGNS, OPT_LISTEN };

static const struct option long_options[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "handler", required_argument, NULL, OPT_HANDLER },
	{ "unsafe", no_argument, NULL, OPT_UNSAFE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "max-clients", required_argument, NULL, OPT_MAX },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "interactive", no_argument, NULL, 'i' },
	{ "auto", no_argument, NULL, OPT_AUTO },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "clients", required_argument, NULL, 'c' },
	{ "messages", required_argument, NULL, 'n' },
	{ "size", required_argument, NULL, 's' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "designs", required_argument, NULL, OPT_DESIGNS },
	{ "rounds", required_argument, NULL, OPT_ROUNDS },
	{ "nagle", no_argument, NULL, OPT_NAGLE },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "complete", required_argument, NULL, OPT_COMPLETE },	/* hidden: for completion */
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },		/* hidden: for tests/docs.bats */
	{ "list-designs", no_argument, NULL, OPT_LIST_DESIGNS },	/* hidden: for the tests */
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/*
 * The options a command may refuse: getopt's code, the bit the command
 * table's rows name it by, and its name in messages. The rest (-q,
 * --no-color, --lang, --help) every command takes.
 */
static const struct {
	int code;
	unsigned bit;
	const char *name;
} option_bits[] = {
	{ 'H', GIVEN_HOST, "--host" }, { 'p', GIVEN_PORT, "--port" },
	{ OPT_HANDLER, GIVEN_HANDLER, "--handler" }, { OPT_UNSAFE, GIVEN_UNSAFE, "--unsafe" },
	{ OPT_DELAY, GIVEN_DELAY, "--delay" }, { OPT_IDLE, GIVEN_IDLE, "--idle-timeout" },
	{ OPT_MAX, GIVEN_MAX, "--max-clients" }, { 'i', GIVEN_INTERACTIVE, "-i" },
	{ OPT_AUTO, GIVEN_AUTO, "--auto" }, { OPT_RECORD, GIVEN_RECORD, "--record" },
	{ OPT_PID, GIVEN_PID, "--pid" }, { OPT_ONCE, GIVEN_ONCE, "--once" },
	{ OPT_JSON, GIVEN_JSON, "--json" }, { 'c', GIVEN_CLIENTS, "-c" },
	{ 'n', GIVEN_MESSAGES, "-n" }, { 's', GIVEN_SIZE, "-s" },
	{ OPT_TIMEOUT, GIVEN_TIMEOUT, "--timeout" }, { OPT_SVG, GIVEN_SVG, "--svg" },
	{ OPT_DESIGNS, GIVEN_DESIGNS, "--designs" }, { OPT_EXPECT, GIVEN_EXPECT, "--expect" },
	{ OPT_ROUNDS, GIVEN_ROUNDS, "--rounds" }, { OPT_NAGLE, GIVEN_NAGLE, "--nagle" },
	{ OPT_LISTEN, GIVEN_LISTEN, "--listen" },
	{ '-', GIVEN_COMMAND, "'-- COMMAND'" },
};

#define NOPTION_BITS (sizeof(option_bits) / sizeof(option_bits[0]))

/* One line per option, each translated on its own. */
static const char *const options_help[] = {
	N_("Options (before or after the command):\n"),
	N_("  -H, --host HOST        address to bind or connect to (default localhost)\n"),
	N_("  -p, --port PORT        TCP port; 0 picks a free one (default 12345)\n"),
	N_("      --handler NAME     echo, upper, ack, chat or count (default echo)\n"),
	N_("      --unsafe           count without its lock: watch the race happen\n"),
	N_("  -q, --quiet            events only; -qq: only the start line and errors\n"),
	N_("      --delay MS         wait before answering each chunk (default 0)\n"),
	N_("      --idle-timeout S   close a client silent for S seconds (default 0: never)\n"),
	N_("      --max-clients N    refuse a client beyond N at once (default: no limit)\n"),
	N_("      --nagle            leave Nagle's algorithm on: an answer's later pieces wait\n"
	   "                         for the client's ACK, up to 40 ms (default: TCP_NODELAY)\n"),
	N_("      --no-color         plain text (also when NO_COLOR is set)\n"),
	N_("  -i, --interactive      client: a line client with editing and history\n"),
	N_("      --auto             lab: play the student's side too\n"),
	N_("      --record FILE      lab: keep a transcript of the session; show: the\n"
	    "                         timeline as an SVG image when show ends\n"),
	N_("      --pid PID          watch, show: the server with this process id\n"),
	N_("      --listen ADDR:PORT show: where the page is served (default\n"
	    "                         127.0.0.1:8080; port 0 picks a free one)\n"),
	N_("      --once             watch: print one snapshot and exit\n"),
	N_("  -c, --clients N        bench, compare: concurrent clients (default 50)\n"),
	N_("  -n, --messages N       bench, compare: messages per client (default 200)\n"),
	N_("  -s, --size BYTES       bench, compare: bytes per message (default 64)\n"),
	N_("      --timeout SECS     bench, compare: bound on each run (default 60)\n"),
	N_("      --json             watch, bench, compare, check: print JSON\n"),
	N_("      --svg FILE         compare: also draw the chart as an SVG image\n"),
	N_("      --designs LIST     compare: which designs, comma-separated (default all)\n"),
	N_("      --rounds R         compare: run every design R times, each round in another\n"
	   "                         order; medians and spreads (1..20, default 3)\n"),
	N_("      --expect KIND      check: sequential or concurrent (default concurrent)\n"),
	N_("  -- COMMAND [ARGS]      watch, show, check: start this server, end it when done\n"),
	N_("      --lang it|en       the language of everything but the event lines\n"
	    "                         (default: from the locale)\n"),
	N_("  -h, --help             this text\n"),
	N_("  -V, --version          the version\n"),
	NULL
};

void usage_error(const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, _("netlab: %s (see netlab --help)\n"), text);
	exit(2);
}

enum number_result number_check(const char *text, long min, long max, long *out)
{
	char *end;

	/* strtol() skips spaces and takes a sign: " 80" and "+80" are not numbers here. */
	if (!isdigit((unsigned char)text[0]) && !(text[0] == '-' && isdigit((unsigned char)text[1])))
		return NUMBER_NOT;
	errno = 0;
	*out = strtol(text, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return NUMBER_NOT;
	if (*out < min || *out > max)
		return NUMBER_RANGE;
	return NUMBER_OK;
}

void number_error(enum number_result r, const char *text, long min, long max, const char *what)
{
	if (r == NUMBER_RANGE)
		usage_error(_("%s must be between %ld and %ld, not %s"), what, min, max, text);
	usage_error(_("%s must be a number, not '%s'"), what, text);
}

long parse_number(const char *text, long min, long max, const char *what)
{
	long n;
	enum number_result r = number_check(text, min, max, &n);

	if (r != NUMBER_OK)
		number_error(r, text, min, max, what);
	return n;
}

static unsigned option_bit(int code)
{
	for (size_t i = 0; i < NOPTION_BITS; i++)
		if (option_bits[i].code == code)
			return option_bits[i].bit;
	return 0;
}

const char *cli_option_name(unsigned bit)
{
	for (size_t i = 0; i < NOPTION_BITS; i++)
		if (option_bits[i].bit == bit)
			return option_bits[i].name;
	return "?";
}

static void print_help(void)
{
	printf(_("usage: netlab [OPTIONS] COMMAND [ARGS] [OPTIONS]\n\n"));
	commands_print(stdout);
	printf("\n");
	for (const char *const *line = options_help; *line != NULL; line++)
		fputs(_(*line), stdout);
	printf(_("\nExit status: 0 done, 1 runtime failure, 2 usage error.\n"));
	exit(0);
}

static void defaults(struct options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->host = "localhost";
	opt->port = "12345";
	opt->handler = "echo";
	opt->color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
}

/* check --expect: what the student's server should be at this step. */
static int parse_expect(const char *kind)
{
	if (strcmp(kind, "sequential") == 0)
		return 1;
	if (strcmp(kind, "concurrent") != 0)
		usage_error(_("--expect takes 'sequential' or 'concurrent', not '%s'"), kind);
	return 0;
}

/* getopt's own message is replaced by one line in our format. */
static _Noreturn void bad_option(char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		usage_error(_("option '%s' needs a value"), arg);
	if (optopt != 0 && optopt < 256 && strncmp(arg, "--", 2) != 0)
		usage_error(_("unknown option '-%c'"), optopt);
	usage_error(_("unknown option '%s'"), arg);
}

/* An empty value (-H '' or --svg=) is a missing one: named as it was typed. */
static void refuse_empty(char **argv)
{
	const char *arg = argv[optind - 1];
	char name[32];

	if (optarg == NULL || optarg[0] != '\0')
		return;
	if (arg[0] == '\0')		/* the value stood apart: the option is before it */
		arg = argv[optind - 2];
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
	usage_error(_("option '%s' needs a value"), name);
}

void cli_print_options(FILE *out, int valued_only)
{
	for (const struct option *o = long_options; o->name != NULL; o++) {
		if (o->val == OPT_COMPLETE || o->val == OPT_DRY_RUN || o->val == OPT_LIST_DESIGNS)
			continue;	/* hidden: for completion and tests */
		if (valued_only && o->has_arg != required_argument)
			continue;
		fprintf(out, "--%s\n", o->name);
		if (o->val < 256)
			fprintf(out, "-%c\n", o->val);
	}
}

static const char *cli_lang_valid(const char *lang)
{
	return strcmp(lang, "it") == 0 || strcmp(lang, "en") == 0 ? lang : NULL;
}

const char *cli_lang(int argc, char **argv)
{
	const char *lang = NULL;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	}
	return lang != NULL ? cli_lang_valid(lang) : NULL;
}

void cli_parse(int argc, char **argv, struct options *opt)
{
	int c;

	defaults(opt);
	opt->argv0 = argc > 0 ? argv[0] : "netlab";
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			opt->dashdash = 1;	/* watch -- COMMAND */
	if (opt->dashdash)
		opt->given |= GIVEN_COMMAND;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":H:p:qihVc:n:s:", long_options, NULL)) != -1) {
		refuse_empty(argv);
		switch (c) {
		case 'H': opt->host = optarg; break;
		case 'p':
			parse_number(optarg, 0, 65535, "--port");
			opt->port = optarg;
			break;
		case OPT_HANDLER: opt->handler = optarg; break;
		case OPT_UNSAFE: opt->unsafe = 1; break;
		case 'q': opt->quiet++; break;
		case OPT_DELAY:
			opt->delay_ms = (int)parse_number(optarg, 0, 60000, "--delay");
			break;
		case OPT_IDLE:
			opt->idle_timeout = (int)parse_number(optarg, 0, 86400, "--idle-timeout");
			break;
		case OPT_MAX:
			opt->max_clients = (int)parse_number(optarg, 1, 100000, "--max-clients");
			break;
		case OPT_NO_COLOR: opt->color = 0; break;
		case 'i': opt->interactive = 1; break;
		case OPT_AUTO: opt->lab_auto = 1; break;
		case OPT_RECORD: opt->record = optarg; break;
		case OPT_PID:
			opt->pid = (int)parse_number(optarg, 1, 4194304, "--pid");
			break;
		case OPT_ONCE: opt->once = 1; break;
		case OPT_JSON: opt->json = 1; break;
		case 'c': opt->clients = (int)parse_number(optarg, 1, 100000, "-c"); break;
		case 'n': opt->messages = (int)parse_number(optarg, 1, 1000000, "-n"); break;
		case 's': opt->size = (int)parse_number(optarg, 1, 1048576, "-s"); break;
		case OPT_TIMEOUT: opt->timeout_s = (int)parse_number(optarg, 1, 86400, "--timeout"); break;
		case OPT_SVG: opt->svg = optarg; break;
		case OPT_DESIGNS: opt->designs = optarg; break;
		case OPT_NAGLE: opt->nagle = 1; break;
		case OPT_ROUNDS: opt->rounds = (int)parse_number(optarg, 1, 20, "--rounds"); break;
		case OPT_COMPLETE: opt->complete = optarg; break;
		case OPT_DRY_RUN: opt->dry_run = 1; break;
		case OPT_LIST_DESIGNS: opt->list_designs = 1; break;
		case OPT_LANG:
			if (cli_lang_valid(optarg) == NULL)
				usage_error(_("--lang must be 'it' or 'en', not '%s'"), optarg);
			break;
		case OPT_LISTEN: opt->listen = optarg; break;
		case OPT_EXPECT:
			opt->expect_sequential = parse_expect(optarg);
			break;
		case 'h': print_help(); break;
		case 'V': printf("netlab %s\n", NETLAB_VERSION); exit(0);
		default: bad_option(argv, c);
		}
		opt->given |= option_bit(c);	/* which commands take it: commands.c */
	}
	if (opt->quiet > 2)
		opt->quiet = 2;
	if (optind < argc) {
		opt->command = argv[optind];
		opt->args = argv + optind + 1;
		opt->nargs = argc - optind - 1;
	}
}
