/*
 * compare_report.c - compare's rows shown three ways: a text table with the
 * lines a class looks for first and a bar chart of messages/s drawn with
 * '#', a JSON array for scripts, and the same chart as an SVG for a slide
 * (a few rectangles and labels, written by hand). The words follow the
 * language; the JSON keys are data, and stay as they are.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "i18n.h"
#include "json_out.h"
#include "figure.h"
#include "compare_report.h"

#define BAR_WIDTH 40

/* "limited 1024", "pool", ...: the design as it ran. */
static const char *label(const struct row *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", r->design->name, r->design->arg ? " " : "",
	    r->design->arg ? r->design->arg : "");
	return buf;
}

static void print_table(const struct bench_load *l, const struct row *rows, int n)
{
	char name[32];

	printf(ngettext("compare: %s clients x %s messages x %s bytes, every design at -qq on "
	    "127.0.0.1, %d round\n", "compare: %s clients x %s messages x %s bytes, every design "
	    "at -qq on 127.0.0.1, %d rounds (each figure: the median)\n", (unsigned long)rows->rounds),
	    figure_text(l->clients, 0), figure_text(l->messages, 0), figure_text(l->size, 0),
	    rows->rounds);
	printf("\n");
	/* TRANSLATORS: each heading ends where its column's figures end. */
	printf("%s\n", _("design           msgs/s    lowest-highest   p50 ms   p99 ms  cpu user  "
	    "cpu sys  threads  procs   PSS MiB  a new client waits"));
	for (const struct row *r = rows; r < rows + n; r++) {
		char spread[40];

		snprintf(spread, sizeof(spread), "%s-%s", figure_text(r->speed.min, 0),
		    figure_text(r->speed.max, 0));
		printf("%-13s %9s %17s %8s %8s %8ss %7ss %8d %6d %9s  ",
		    label(r, name, sizeof(name)), figure_text(r->bench.msgs_per_sec, 0), spread,
		    figure_text(r->bench.p50_ms, 3), figure_text(r->bench.p99_ms, 3),
		    figure_text(r->cpu_user_s, 2), figure_text(r->cpu_sys_s, 2), r->peak_threads,
		    r->peak_processes, figure_text(r->peak_pss_kib / 1024.0, 1));
		if (r->blocked)
			printf(_("blocked (over %d s)\n"), PROBE_BOUND_MS / 1000);
		else
			printf("%s ms\n", figure_text(r->wait_ms, 2));
	}
	printf("\n%s\n", _("PSS MiB: the peak proportional set size, children included: a page "
	    "that N processes share counts 1/N in each"));
	for (const struct row *r = rows; r < rows + n; r++) {
		if (r->workers > 0) {
			printf(command_find(r->design->name)->kind == EVENT_LOOPS ?
			    _("%s: clients served by each of its %d loops:") :
			    _("%s: clients served by each of its %d workers:"),
			    r->design->name, r->workers);
			for (int w = 0; w < r->workers; w++)
				printf(" %d", r->served[w]);
			printf("\n");
		}
		if (r->bench.total_errors > 0) {
			printf(ngettext("%s: %ld error (", "%s: %ld errors (",
			    (unsigned long)r->bench.total_errors), label(r, name, sizeof(name)),
			    r->bench.total_errors);
			for (int k = 0; k < BENCH_NKINDS; k++)
				printf("%s%s %ld", k ? ", " : "", _(bench_error_names[k]),
				    r->bench.errors[k]);
			printf(")\n");
		}
	}
}

/*
 * The rows in tiers (rounds.h): order[] the row indices, tier by tier from
 * the fastest; tier[] each one's tier. Within a tier nothing is ranked, so
 * its rows keep the table's order there. Returns the number of tiers.
 */
static int tiers(const struct row *rows, int n, int *order, int *tier)
{
	const struct rounds *speed[64] = { NULL };
	int ntiers;

	for (int i = 0; i < n && i < 64; i++)
		speed[i] = &rows[i].speed;
	ntiers = rounds_tiers(speed, n, order, tier);
	for (int i = 1; i < n; i++)		/* table order within each tier */
		for (int j = i; j > 0 && tier[j - 1] == tier[j] && order[j - 1] > order[j]; j--) {
			int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	return ntiers;
}

/* "select ≈ poll ≈ epoll > threaded ≈ ... > sequential": > held in every round. */
static void print_speed_line(const struct row *rows, int n)
{
	int order[64], tier[64];

	tiers(rows, n, order, tier);
	printf(ngettext("messages/s, in this round:", "messages/s, in every one of the %d rounds:",
	    (unsigned long)rows->rounds), rows->rounds);
	for (int i = 0; i < n; i++)
		printf(" %s%s", i == 0 ? "" : tier[i] == tier[i - 1] ? "\u2248 " : "> ",
		    rows[order[i]].design->name);
	printf("\n%s\n", _("  (>: faster in every round; \u2248: level, or not in the same order "
	    "in every round: not ranked)"));
}

/* The design with the most memory in round k. */
static int most_memory_in(const struct row *rows, int n, int k)
{
	int most = 0;

	for (int i = 1; i < n; i++)
		if (rows[i].pss_runs[k] > rows[most].pss_runs[k])
			most = i;
	return most;
}

static void print_memory_line(const struct row *rows, int n)
{
	int most = most_memory_in(rows, n, 0), same = 1;
	char name[32];

	for (int k = 1; k < rows->rounds; k++)
		same &= most_memory_in(rows, n, k) == most;
	if (same) {
		printf(_("most memory in every round: %s (%s MiB at its highest)\n"),
		    label(&rows[most], name, sizeof(name)),
		    figure_text(rows[most].peak_pss_kib / 1024.0, 1));
		return;
	}
	printf("%s", _("most memory: not the same design in every round:"));
	for (int i = 0, any = 0; i < n; i++) {
		int times = 0;

		for (int k = 0; k < rows->rounds; k++)
			times += most_memory_in(rows, n, k) == i;
		if (times > 0)
			printf(ngettext("%s %s in %d round", "%s %s in %d rounds", (unsigned long)times),
			    any++ ? "," : "", rows[i].design->name, times);
	}
	printf("\n");
}

/* Who made a new client wait past the bound: in every round, in none, in some. */
static void print_wait_lines(const struct row *rows, int n)
{
	const char *heading[3] = {
		_("a new client waited past 1 s, in every round, with:"),
		_("a new client was answered within 1 s, in every round, by:"),
		_("a new client waited past 1 s in some rounds only, with:"),
	};

	for (int kind = 0; kind < 3; kind++) {
		int any = 0;

		for (const struct row *r = rows; r < rows + n; r++) {
			int which = r->blocked_rounds == r->rounds ? 0 : r->blocked_rounds == 0 ? 1 : 2;

			if (which == kind)
				printf("%s %s", any++ ? "," : heading[kind], r->design->name);
		}
		if (any)
			printf("\n");
		else if (kind < 2)
			printf("%s%s\n", heading[kind], _(" none"));
	}
}

/* What a class looks for first, in words; each sentence holds in every round. */
static void print_summary(const struct row *rows, int n)
{
	print_speed_line(rows, n);
	print_memory_line(rows, n);
	print_wait_lines(rows, n);
}

static double fastest(const struct row *rows, int n)
{
	double top = 1;

	for (int i = 0; i < n; i++)
		if (rows[i].speed.max > top)
			top = rows[i].speed.max;
	return top;
}

/*
 * The bars, tier by tier: '#' up to the median, '-' on to the highest
 * round, so the spread is seen too. A row level with the one above it
 * starts with the level sign.
 */
static void print_chart(const struct row *rows, int n)
{
	int order[64], tier[64];
	double top = fastest(rows, n);
	char name[32];

	tiers(rows, n, order, tier);
	printf(ngettext("\nmessages/s, fastest first; '#' the median, '-' up to the highest "
	    "round:\n", "\nmessages/s, fastest first; '#' the median of %d rounds, '-' up to "
	    "the highest; \u2248 level, not ranked:\n", (unsigned long)rows->rounds), rows->rounds);
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[order[i]];
		int width = (int)(r->speed.median / top * BAR_WIDTH + 0.5);
		int high = (int)(r->speed.max / top * BAR_WIDTH + 0.5);

		printf("%s %-13s ", i > 0 && tier[i] == tier[i - 1] ? "\u2248" : " ",
		    label(r, name, sizeof(name)));
		for (int c = 0; c < BAR_WIDTH; c++)
			putchar(c < width ? '#' : c < high ? '-' : ' ');
		printf(" %7s%s\n", figure_text(r->speed.median, 0), r->blocked ? _("  (blocked)") : "");
	}
}

/* pool: how many clients each worker served; null for the other designs. */
static json_t *served_json(const struct row *r)
{
	json_t *list = json_array();

	for (int w = 0; w < r->workers; w++)
		json_out_append(&list, json_integer(r->served[w]));
	return list;
}

/* The rounds: each round's messages/s, the designs level with r, each round's server. */
static void rounds_json(json_t **row, const struct row *rows, int n, const struct row *r)
{
	json_t *runs = json_array(), *level = json_array(), *pids = json_array();

	for (int k = 0; k < r->rounds; k++) {
		json_out_append(&runs, json_integer(llround(r->speed.runs[k])));
		json_out_append(&pids, json_integer(r->pids[k]));
	}
	for (const struct row *o = rows; o < rows + n; o++)
		if (o != r && rounds_level(&o->speed, &r->speed))
			json_out_append(&level, json_string(o->design->name));
	json_out_set(row, "rounds", json_integer(r->rounds));
	json_out_set(row, "msgs_per_sec_runs", runs);
	json_out_set(row, "msgs_per_sec_min", json_integer(llround(r->speed.min)));
	json_out_set(row, "msgs_per_sec_max", json_integer(llround(r->speed.max)));
	json_out_set(row, "level_with", level);
	json_out_set(row, "blocked_rounds", json_integer(r->blocked_rounds));
	json_out_set(row, "server_pids", pids);
}

/* One row, the spec's keys; wait_ms is null when the new client was blocked. */
static json_t *row_json(const struct row *rows, int n, const struct row *r, int tier)
{
	json_t *row = json_pack("{s:s, s:i, s:I, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:I, s:I, s:b, "
	    "s:o, s:I}", "design", r->design->name, "server_pid", (int)r->pid,
	    "msgs_per_sec", (json_int_t)llround(r->bench.msgs_per_sec),
	    "p50_ms", json_out_real(r->bench.p50_ms, 3), "p99_ms", json_out_real(r->bench.p99_ms, 3),
	    "max_ms", json_out_real(r->bench.max_ms, 3),
	    "cpu_user_s", json_out_real(r->cpu_user_s, 3), "cpu_sys_s", json_out_real(r->cpu_sys_s, 3),
	    "peak_threads", r->peak_threads, "peak_processes", r->peak_processes,
	    "peak_rss_kib", (json_int_t)r->peak_rss_kib,
	    "peak_pss_kib", (json_int_t)r->peak_pss_kib, "blocked", r->blocked,
	    "wait_ms", r->blocked ? json_null() : json_out_real(r->wait_ms, 3),
	    "errors", (json_int_t)r->bench.total_errors);

	rounds_json(&row, rows, n, r);
	json_out_set(&row, "tier", json_integer(tier));
	if (r->workers > 0)
		json_out_set(&row, "served_per_worker", served_json(r));
	return row;
}

int compare_json(const struct row *rows, int n)
{
	int order[64], tier[64], tier_of[64];
	json_t *list = json_array();

	tiers(rows, n, order, tier);
	for (int i = 0; i < n; i++)
		tier_of[order[i]] = tier[i];
	for (const struct row *r = rows; r < rows + n; r++)
		json_out_append(&list, row_json(rows, n, r, tier_of[r - rows]));
	return json_out_print(stdout, list);
}

/*
 * A bar chart for a slide: a title, then a label, a bar and a figure per
 * design, tier by tier as the text chart; the bar's pale end reaches the
 * highest round, and a row level with the one above it says so.
 */
static int draw_svg(const char *file, const struct bench_load *l, const struct row *rows,
    int n)
{
	const int bar_x = 150, bar_max = 360, row_h = 32, top_y = 56;
	double top = fastest(rows, n);
	int order[64], tier[64];
	char name[32];
	FILE *f = fopen(file, "w");

	if (f == NULL)
		return -1;
	tiers(rows, n, order, tier);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" "
	    "font-family=\"sans-serif\" font-size=\"14\">\n"
	    "  <rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	    "  <text x=\"10\" y=\"28\" font-size=\"18\">", top_y + n * row_h + 16);
	fprintf(f, _("messages/s, %s clients x %s messages x %s bytes (netlab compare)"),
	    figure_text(l->clients, 0), figure_text(l->messages, 0), figure_text(l->size, 0));
	fprintf(f, "</text>\n");
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[order[i]];
		int y = top_y + i * row_h, w = (int)(r->speed.median / top * bar_max);
		int high = (int)(r->speed.max / top * bar_max);

		fprintf(f, "  <text x=\"10\" y=\"%d\">%s%s</text>\n", y + 18,
		    i > 0 && tier[i] == tier[i - 1] ? "\u2248 " : "", label(r, name, sizeof(name)));
		if (high > w)		/* pale: from the median up to the highest round */
			fprintf(f, "  <rect class=\"spread\" x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"22\" fill=\"#aed6f1\"/>\n", bar_x + w, y + 2, high - w);
		fprintf(f, "  <rect class=\"median\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" "
		    "fill=\"%s\"/>\n",
		    bar_x, y + 2, w > 1 ? w : 1, r->blocked ? "#c0392b" : "#2e86c1");
		fprintf(f, "  <text x=\"%d\" y=\"%d\">%s%s</text>\n",
		    bar_x + (high > w ? high : w) + 8, y + 18, figure_text(r->speed.median, 0),
		    r->blocked ? _(" (blocked)") : "");
	}
	fprintf(f, "</svg>\n");
	return fclose(f) == 0 ? 0 : -1;
}

void compare_text(const struct bench_load *l, const struct row *rows, int n)
{
	print_table(l, rows, n);
	print_summary(rows, n);
	print_chart(rows, n);
}

int compare_svg(const char *file, const struct bench_load *l, const struct row *rows, int n)
{
	return draw_svg(file, l, rows, n);
}
