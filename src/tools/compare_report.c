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

#include "i18n.h"
#include "json_out.h"
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

	printf(_("compare: %d clients x %d messages x %d bytes, every design at -qq on "
	    "127.0.0.1\n\n"), l->clients, l->messages, l->size);
	/* TRANSLATORS: each heading ends where its column's figures end. */
	printf("%s\n", _("design           msgs/s   p50 ms   p99 ms  cpu user  cpu sys  "
	    "threads  procs   mem MiB  a new client waits"));
	for (const struct row *r = rows; r < rows + n; r++) {
		printf("%-13s %9.0f %8.3f %8.3f %8.2fs %7.2fs %8d %6d %9.1f  ",
		    label(r, name, sizeof(name)), r->bench.msgs_per_sec, r->bench.p50_ms,
		    r->bench.p99_ms, r->cpu_user_s, r->cpu_sys_s, r->peak_threads,
		    r->peak_processes, r->peak_rss_kib / 1024.0);
		if (r->blocked)
			printf(_("blocked (over %d s)\n"), PROBE_BOUND_MS / 1000);
		else
			printf("%.2f ms\n", r->wait_ms);
	}
	printf("\n");
	for (const struct row *r = rows; r < rows + n; r++) {
		if (r->workers > 0) {
			printf(_("%s: clients served by each of its %d workers:"),
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

/* What a class looks for first, in words: who waits, who costs the most. */
static void print_summary(const struct row *rows, int n)
{
	const struct row *most = rows;
	char name[32];
	int any;

	for (const struct row *r = rows; r < rows + n; r++)
		if (r->peak_rss_kib > most->peak_rss_kib)
			most = r;
	printf(_("most memory: %s (%.1f MiB)\n"), label(most, name, sizeof(name)),
	    most->peak_rss_kib / 1024.0);
	for (int blocked = 1; blocked >= 0; blocked--) {
		printf("%s", blocked ? _("a new client waited past 1 s with:") :
		    _("a new client was answered within 1 s by:"));
		any = 0;
		for (const struct row *r = rows; r < rows + n; r++)
			if (r->blocked == blocked)
				printf("%s %s", any++ ? "," : "", r->design->name);
		printf("%s\n", any ? "" : _(" none"));
	}
}

static int by_speed(const void *a, const void *b)
{
	double x = ((const struct row *)a)->bench.msgs_per_sec;
	double y = ((const struct row *)b)->bench.msgs_per_sec;

	return (x < y) - (x > y);	/* fastest first */
}

static double fastest(const struct row *rows, int n)
{
	double top = 1;

	for (int i = 0; i < n; i++)
		if (rows[i].bench.msgs_per_sec > top)
			top = rows[i].bench.msgs_per_sec;
	return top;
}

/* The fastest design gets the whole bar; the others their share of it. */
static void print_chart(const struct row *sorted, int n)
{
	double top = fastest(sorted, n);
	char name[32];

	printf(_("\nmessages/s, fastest first (fastest: %s):\n"), sorted->design->name);
	for (const struct row *r = sorted; r < sorted + n; r++) {
		int width = (int)(r->bench.msgs_per_sec / top * BAR_WIDTH + 0.5);

		printf("  %-13s ", label(r, name, sizeof(name)));
		for (int i = 0; i < BAR_WIDTH; i++)
			putchar(i < width ? '#' : ' ');
		printf(" %7.0f%s\n", r->bench.msgs_per_sec, r->blocked ? _("  (blocked)") : "");
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

/* One row, the spec's keys; wait_ms is null when the new client was blocked. */
static json_t *row_json(const struct row *r)
{
	json_t *row = json_pack("{s:s, s:i, s:I, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:I, s:b, "
	    "s:o, s:I}", "design", r->design->name, "server_pid", (int)r->pid,
	    "msgs_per_sec", (json_int_t)llround(r->bench.msgs_per_sec),
	    "p50_ms", json_out_real(r->bench.p50_ms, 3), "p99_ms", json_out_real(r->bench.p99_ms, 3),
	    "max_ms", json_out_real(r->bench.max_ms, 3),
	    "cpu_user_s", json_out_real(r->cpu_user_s, 3), "cpu_sys_s", json_out_real(r->cpu_sys_s, 3),
	    "peak_threads", r->peak_threads, "peak_processes", r->peak_processes,
	    "peak_rss_kib", (json_int_t)r->peak_rss_kib, "blocked", r->blocked,
	    "wait_ms", r->blocked ? json_null() : json_out_real(r->wait_ms, 3),
	    "errors", (json_int_t)r->bench.total_errors);

	if (r->workers > 0)
		json_out_set(&row, "served_per_worker", served_json(r));
	return row;
}

int compare_json(const struct row *rows, int n)
{
	json_t *list = json_array();

	for (const struct row *r = rows; r < rows + n; r++)
		json_out_append(&list, row_json(r));
	return json_out_print(stdout, list);
}

/* A bar chart for a slide: a title, then a label, a bar and a figure per design. */
static int draw_svg(const char *file, const struct bench_load *l, const struct row *sorted,
    int n)
{
	const int bar_x = 130, bar_max = 380, row_h = 32, top_y = 56;
	double top = fastest(sorted, n);
	char name[32];
	FILE *f = fopen(file, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" "
	    "font-family=\"sans-serif\" font-size=\"14\">\n"
	    "  <rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	    "  <text x=\"10\" y=\"28\" font-size=\"18\">", top_y + n * row_h + 16);
	fprintf(f, _("messages/s, %d clients x %d messages x %d bytes (netlab compare)"),
	    l->clients, l->messages, l->size);
	fprintf(f, "</text>\n");
	for (int i = 0; i < n; i++) {
		const struct row *r = &sorted[i];
		int y = top_y + i * row_h, w = (int)(r->bench.msgs_per_sec / top * bar_max);

		fprintf(f, "  <text x=\"10\" y=\"%d\">%s</text>\n", y + 18,
		    label(r, name, sizeof(name)));
		fprintf(f, "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" fill=\"%s\"/>\n",
		    bar_x, y + 2, w > 1 ? w : 1, r->blocked ? "#c0392b" : "#2e86c1");
		fprintf(f, "  <text x=\"%d\" y=\"%d\">%.0f%s</text>\n", bar_x + w + 8, y + 18,
		    r->bench.msgs_per_sec, r->blocked ? _(" (blocked)") : "");
	}
	fprintf(f, "</svg>\n");
	return fclose(f) == 0 ? 0 : -1;
}

/* The rows, fastest first, in a copy the caller frees; NULL if out of memory. */
static struct row *by_speed_copy(const struct row *rows, int n)
{
	struct row *sorted = malloc((size_t)n * sizeof(*sorted));

	if (sorted != NULL) {
		memcpy(sorted, rows, (size_t)n * sizeof(*sorted));
		qsort(sorted, (size_t)n, sizeof(*sorted), by_speed);
	}
	return sorted;
}

void compare_text(const struct bench_load *l, const struct row *rows, int n)
{
	struct row *sorted = by_speed_copy(rows, n);

	print_table(l, rows, n);
	print_summary(rows, n);
	if (sorted != NULL)
		print_chart(sorted, n);
	free(sorted);
}

int compare_svg(const char *file, const struct bench_load *l, const struct row *rows, int n)
{
	struct row *sorted = by_speed_copy(rows, n);
	int rc = sorted != NULL ? draw_svg(file, l, sorted, n) : -1;

	free(sorted);
	return rc;
}
