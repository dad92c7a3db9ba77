/*
 * compare_fold.c - one design's rounds folded into the row the table shows.
 *
 * A figure a class reads in the table is the median over the rounds: half
 * the rounds were at least this fast, half at most. Peaks (threads,
 * processes, memory) are the highest any round reached, since a peak is a
 * cost the machine had to pay. Errors are added up: one is one too many.
 */
#include <string.h>

#include "compare_report.h"

/* The median of one figure across the rounds; 'at' picks it out of a row. */
static double median_of(const struct row *each, int rounds, double (*at)(const struct row *))
{
	struct rounds r = { .n = rounds };

	for (int k = 0; k < rounds; k++)
		r.runs[k] = at(&each[k]);
	rounds_spread(&r);
	return r.median;
}

static double p50(const struct row *r) { return r->bench.p50_ms; }
static double p99(const struct row *r) { return r->bench.p99_ms; }
static double max_ms(const struct row *r) { return r->bench.max_ms; }
static double cpu_user(const struct row *r) { return r->cpu_user_s; }
static double cpu_sys(const struct row *r) { return r->cpu_sys_s; }
static double seconds(const struct row *r) { return r->bench.seconds; }

/* The wait of the rounds that were answered in time; the bound if none was. */
static double median_wait(const struct row *each, int rounds)
{
	struct rounds r = { .n = 0 };

	for (int k = 0; k < rounds; k++)
		if (!each[k].blocked)
			r.runs[r.n++] = each[k].wait_ms;
	rounds_spread(&r);
	return r.n > 0 ? r.median : PROBE_BOUND_MS;
}

void compare_fold(struct row *all, const struct row *each, int rounds)
{
	const struct design *d = all->design;

	memset(all, 0, sizeof(*all));
	all->design = d;
	all->rounds = rounds;
	all->speed.n = rounds;
	for (int k = 0; k < rounds; k++) {
		const struct row *one = &each[k];

		all->speed.runs[k] = one->bench.msgs_per_sec;
		all->pss_runs[k] = one->peak_pss_kib;
		all->pids[k] = one->pid;
		all->pid = one->pid;
		all->blocked_rounds += one->blocked;
		all->bench.connected += one->bench.connected;
		all->bench.answered += one->bench.answered;
		all->bench.total_errors += one->bench.total_errors;
		for (int e = 0; e < BENCH_NKINDS; e++)
			all->bench.errors[e] += one->bench.errors[e];
		all->bench.interrupted |= one->bench.interrupted;
		if (one->peak_threads > all->peak_threads)
			all->peak_threads = one->peak_threads;
		if (one->peak_processes > all->peak_processes)
			all->peak_processes = one->peak_processes;
		if (one->peak_rss_kib > all->peak_rss_kib)
			all->peak_rss_kib = one->peak_rss_kib;
		if (one->peak_pss_kib > all->peak_pss_kib)
			all->peak_pss_kib = one->peak_pss_kib;
		if (one->workers > 0) {		/* pool: counted in one round only */
			all->workers = one->workers;
			memcpy(all->served, one->served, sizeof(all->served));
		}
	}
	rounds_spread(&all->speed);
	all->bench.msgs_per_sec = all->speed.median;
	all->bench.p50_ms = median_of(each, rounds, p50);
	all->bench.p99_ms = median_of(each, rounds, p99);
	all->bench.max_ms = median_of(each, rounds, max_ms);
	all->bench.seconds = median_of(each, rounds, seconds);
	all->cpu_user_s = median_of(each, rounds, cpu_user);
	all->cpu_sys_s = median_of(each, rounds, cpu_sys);
	/* Blocked as most rounds were; the summary says whether all were. */
	all->blocked = 2 * all->blocked_rounds > rounds;
	all->wait_ms = median_wait(each, rounds);
}
