/*
 * compare_report.h - compare's rows, and the ways they are shown: a text
 * table with a bar chart, JSON, an SVG chart.
 */
#ifndef NETLAB_COMPARE_REPORT_H
#define NETLAB_COMPARE_REPORT_H

#include <sys/types.h>

#include "bench.h"
#include "rounds.h"

#define PROBE_BOUND_MS 1000	/* a new client waiting this long is "blocked" */
#define MAX_WORKERS 64

/* A design as compare starts it: "limited 1024", "pool". */
struct design {
	const char *name;
	const char *arg;	/* limited's N: enough for every client; NULL: none */
};

/*
 * What compare measured of one design: in one round, or, once the rounds
 * are folded together (compare_fold()), over all of them: then each figure
 * is the median over the rounds, the peaks are the highest peak, and
 * 'speed' keeps every round's messages/s.
 */
struct row {
	const struct design *design;
	pid_t pid;		/* the server, stopped and reaped by now */
	struct bench_result bench;
	double cpu_user_s, cpu_sys_s;	/* children included */
	int peak_threads, peak_processes;
	long peak_rss_kib;	/* resident, children included: a shared page in each */
	long peak_pss_kib;	/* proportional: a page N processes share, 1/N in each */
	int blocked;		/* a new client waited PROBE_BOUND_MS or more */
	double wait_ms;
	int workers;		/* pool: how many it has */
	int served[MAX_WORKERS];	/* pool: clients each worker served */

	/* Over the rounds. */
	int rounds;		/* how many were folded in */
	struct rounds speed;	/* messages/s, round by round */
	int blocked_rounds;	/* rounds in which a new client waited past the bound */
	long pss_runs[ROUNDS_MAX];	/* peak proportional memory, round by round */
	pid_t pids[ROUNDS_MAX];	/* the server of each round */
};

/*
 * One design's rounds, each[0] to each[rounds - 1], folded into 'all':
 * medians, spreads, the highest peaks, the errors added up (compare_fold.c).
 */
void compare_fold(struct row *all, const struct row *each, int rounds);

/* The table, a few lines in words, and the bar chart, fastest first. */
void compare_text(const struct bench_load *l, const struct row *rows, int n);

/* The rows as a JSON array with the spec's keys, on stdout; -1 (said on stderr) if not. */
int compare_json(const struct row *rows, int n);

/* The bar chart as an SVG image; -1 with errno if 'file' cannot be written. */
int compare_svg(const char *file, const struct bench_load *l, const struct row *rows, int n);

#endif
