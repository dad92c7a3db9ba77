/*
 * cli.h - the command line: options, numbers, usage errors (exit 2).
 */
#ifndef NETLAB_CLI_H
#define NETLAB_CLI_H

#include <stdio.h>

struct options {
	const char *argv0;	/* netlab as it was started: "./netlab", "netlab" */
	const char *command;	/* "threaded", "client", ... */
	char **args;		/* what follows the command, options removed */
	int nargs;

	const char *host;	/* -H: bind (servers) or connect (clients) */
	const char *port;	/* -p: as typed, checked to be 0..65535 */
	const char *handler;	/* --handler */
	int unsafe;		/* --unsafe: no lock on the count total */
	int quiet;		/* -q once: no annotations; twice: start line only */
	int delay_ms;		/* --delay */
	int idle_timeout;	/* --idle-timeout, seconds; 0 = never */
	int max_clients;	/* --max-clients; 0 = no limit */
	int nagle;		/* --nagle: leave Nagle's algorithm on for clients */
	int color;		/* stdout is a terminal, no NO_COLOR, no --no-color */

	int interactive;	/* client -i */
	int lab_auto;		/* lab N --auto */
	const char *record;	/* lab N --record FILE; show --record FILE.svg */
	const char *complete;	/* --complete WHAT: words for bash completion */
	int dry_run;		/* --dry-run: check the command line, run nothing */

	int pid;		/* watch --pid */
	int once;		/* watch --once */
	int json;		/* --json: watch, bench, compare */
	int dashdash;		/* "--" was given: what follows is a COMMAND */
	int clients;		/* bench, compare: -c; 0 = the default */
	int messages;		/* -n, per client */
	int size;		/* -s, bytes per message */
	int timeout_s;		/* --timeout, seconds for the whole run */
	const char *svg;	/* compare --svg FILE */
	const char *designs;	/* compare --designs LIST */
	int rounds;		/* compare --rounds; 0 = the default */
	int expect_sequential;	/* check --expect sequential */
	const char *listen;	/* show --listen ADDR:PORT; NULL: 127.0.0.1:8080 */

	/* Which options were given (enum option_bit): a command refuses one it cannot use. */
	unsigned given;
	int list_designs;	/* --list-designs: each design and its kind, for the tests */
};

/* One bit per option a command may or may not take (the command table's rows). */
enum option_bit {
	GIVEN_HOST = 1u << 0, GIVEN_PORT = 1u << 1, GIVEN_HANDLER = 1u << 2,
	GIVEN_UNSAFE = 1u << 3, GIVEN_DELAY = 1u << 4, GIVEN_IDLE = 1u << 5, GIVEN_MAX = 1u << 6,
	GIVEN_INTERACTIVE = 1u << 7, GIVEN_AUTO = 1u << 8, GIVEN_RECORD = 1u << 9,
	GIVEN_PID = 1u << 10, GIVEN_ONCE = 1u << 11, GIVEN_JSON = 1u << 12,
	GIVEN_CLIENTS = 1u << 13, GIVEN_MESSAGES = 1u << 14, GIVEN_SIZE = 1u << 15,
	GIVEN_TIMEOUT = 1u << 16, GIVEN_SVG = 1u << 17, GIVEN_DESIGNS = 1u << 18,
	GIVEN_EXPECT = 1u << 19, GIVEN_COMMAND = 1u << 20,	/* "-- COMMAND" */
	GIVEN_ROUNDS = 1u << 21, GIVEN_NAGLE = 1u << 22,
	GIVEN_LISTEN = 1u << 23
};

/* The option behind a bit as --help shows it ("--handler", "-c"), for messages. */
const char *cli_option_name(unsigned bit);

/* --lang's value ("it", "en"), or NULL: read before anything is printed. */
const char *cli_lang(int argc, char **argv);

/* Every option, long and short, one a line; or only those that take a value (completion). */
void cli_print_options(FILE *out, int valued_only);

/* Fills opt from argv; prints help or version and exits 0, or exits 2. */
void cli_parse(int argc, char **argv, struct options *opt);

/* One line on stderr naming the problem, pointing at --help; exit 2. */
_Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A whole decimal number in [min, max], or usage_error() naming 'what'. */
enum number_result { NUMBER_OK, NUMBER_NOT, NUMBER_RANGE };
/* The same checks without the exit: what parse_number() would say. */
enum number_result number_check(const char *text, long min, long max, long *out);
/* parse_number()'s one line for a result other than NUMBER_OK; exit 2. */
_Noreturn void number_error(enum number_result r, const char *text, long min, long max,
    const char *what);
long parse_number(const char *text, long min, long max, const char *what);

#endif
