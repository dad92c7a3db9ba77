/*
 * bench.h - a load generator: many ping-pong clients driven by one thread.
 *
 * bench_run() is the engine, for bench itself and for compare: it runs one
 * load against one server and fills a struct bench_result. It prints
 * nothing but the progress line and its warnings (stderr).
 */
#ifndef NETLAB_BENCH_H
#define NETLAB_BENCH_H

#include "cli.h"

/* The ways a client can fail, as the spec names them. */
enum bench_error { ERR_CONNECT, ERR_RESET, ERR_TIMEOUT, ERR_WRONG, BENCH_NKINDS };

extern const char *const bench_error_names[BENCH_NKINDS];

struct bench_load {
	const char *host, *port;
	int clients;		/* -c */
	int messages;		/* -n, per client */
	int size;		/* -s, bytes per message */
	int timeout_s;		/* --timeout: the whole run */
	int progress;		/* 1: a progress line on stderr (a terminal) */
	const char *label;	/* what the progress line starts with; NULL: nothing */
};

struct bench_result {
	int connected;		/* clients whose connect succeeded */
	long answered;		/* messages that came back whole and right */
	double seconds;		/* from the first connect to the last answer */
	double msgs_per_sec;
	double p50_ms, p99_ms, max_ms;	/* over every answered message */
	long errors[BENCH_NKINDS];
	long total_errors;
	long refused;		/* of the wrong ones: "netlab: server full" instead */
	int interrupted;	/* Ctrl-C or SIGTERM stopped the run */
	double server_cpu_s;	/* the server's CPU during the run; -1 unknown */
	unsigned notes;		/* what the figures point at (bench_notes.h) */
};

/*
 * Run 'load'; 0 when it ran (errors are in 'res'), -1 when it could not
 * start (the reason printed on stderr).
 */
int bench_run(const struct bench_load *load, struct bench_result *res);

/* The load the options ask for, with bench's defaults (50 x 200 x 64). */
void bench_load_from(const struct options *opt, struct bench_load *load);

/* netlab bench: run, print a report or --json. Exit status 0, 1. */
int run_bench(const struct options *opt);

#endif
