/*
 * show_svg.c - the timeline as one SVG file: what the page drew, from the
 * start to the end, with the same colours, patterns and words, and
 * nothing fetched from elsewhere, so that it opens in any browser or
 * slide program. Its words are the page's, in the command line's language
 * (show_words.c): a client's state translated, a call's name as it is.
 * Every text that came from the server (a thread's name, a peer, the
 * command line) is escaped for XML.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "show_svg.h"
#include "show_words.h"

#define WIDTH 1600
#define LABEL_W 230		/* the lanes' names, left of the time axis */
#define STRIP_W (WIDTH - LABEL_W - 30)
#define LANE_H 30
#define LANES_MAX 200		/* lanes drawn per kind; the rest counted */

/* A word's colour and pattern: the page's (show_page.html). */
static const struct look {
	const char *word, *colour, *marks;
} looks[] = {
	{ "accept", "#0072B2", "M-3,3 l6,-6 M0,12 l12,-12 M9,15 l6,-6" },
	{ "recv", "#E69F00", "M5,6 a1,1 0 1,0 2,0 a1,1 0 1,0 -2,0" },
	{ "send", "#D55E00", "M0,0 l12,12 M12,0 l-12,12" },
	{ "select", "#56B4E9", "M0,6 h12" }, { "poll", "#56B4E9", "M0,6 h12" },
	{ "epoll_wait", "#56B4E9", "M0,6 h12" }, { "io_uring", "#56B4E9", "M0,6 h12" },
	{ "lock", "#CC79A7", "M6,0 v12" }, { "sleep", "#F0E442", "M0,9 l3,-6 l3,6 l3,-6 l3,6" },
	{ "running", "#009E73", "" }, { "other", "#BBBBBB", "" },
	{ "queued", "#D55E00", "M-3,3 l6,-6 M0,12 l12,-12 M9,15 l6,-6" },
	{ "waiting", "#F0E442", "M5,6 a1,1 0 1,0 2,0 a1,1 0 1,0 -2,0" },
	{ "served", "#009E73", "" }, { "closed", "#DDDDDD", "" },
};

#define NLOOKS (sizeof(looks) / sizeof(looks[0]))

static void text(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if ((unsigned char)*s >= 0x20)	/* XML 1.0 allows no control bytes */
				putc(*s, out);
		}
	}
}

static void patterns(FILE *out)
{
	fputs("<defs>\n", out);
	for (size_t i = 0; i < NLOOKS; i++) {
		fprintf(out, "<pattern id=\"pat-%s\" width=\"12\" height=\"12\" "
		    "patternUnits=\"userSpaceOnUse\"><rect width=\"12\" height=\"12\" fill=\"%s\"/>",
		    looks[i].word, looks[i].colour);
		if (looks[i].marks[0] != '\0')
			fprintf(out, "<path d=\"%s\" stroke=\"#000\" stroke-opacity=\"0.45\" "
			    "stroke-width=\"2\" fill=\"none\"/>", looks[i].marks);
		fputs("</pattern>\n", out);
	}
	fputs("</defs>\n", out);
}

static const char *known(const char *word)
{
	for (size_t i = 0; i < NLOOKS; i++)
		if (strcmp(looks[i].word, word) == 0)
			return word;
	return "other";
}

static double x_of(double t, double end)
{
	return LABEL_W + (end > 0 ? t / end : 0) * STRIP_W;
}

static void axis(FILE *out, double end, int y, int bottom)
{
	double step = end > 300 ? 60 : end > 120 ? 30 : end > 30 ? 10 : 5;

	for (double t = 0; t <= end + 1e-9; t += step) {
		double x = x_of(t, end);

		fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>"
		    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"14\">", x, x, y,
		    bottom, x, y - 4);
		fprintf(out, _("%g s"), t);
		fputs("</text>\n", out);
	}
}

/* A bar's word, as the page says it: "served by [main]", a state, or a call's name. */
static void bar_word(const struct show_span *s, char *out, size_t size)
{
	char key[SHOW_WORD_MAX + 8];
	const char *word, *at;

	if (strcmp(s->word, "served") == 0 && s->detail[0] != '\0' &&
	    (word = show_word("served_by")) != NULL && (at = strstr(word, "{by}")) != NULL) {
		snprintf(out, size, "%.*s%s%s", (int)(at - word), word, s->detail, at + 4);
		return;
	}
	snprintf(key, sizeof(key), "state_%s", s->word);
	word = show_word(key);
	snprintf(out, size, "%s", word != NULL ? word : s->word);
}

/* One lane: its name, then its spans as bars with their word inside. */
static void lane(FILE *out, const struct show_lane *l, double end, int y)
{
	fputs("<text x=\"10\" font-size=\"16\" font-weight=\"700\" ", out);
	fprintf(out, "y=\"%d\">", y + 20);
	text(out, l->label);
	fputs("</text>\n", out);
	for (size_t i = 0; i < l->nspans; i++) {
		const struct show_span *s = &l->spans[i];
		double x = x_of(s->from, end), w = x_of(s->to, end) - x;
		char word[SHOW_WORD_MAX + 2 * KERNEL_PEER_MAX];

		bar_word(s, word, sizeof(word));
		if (w < 3)
			w = 3;
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" "
		    "fill=\"url(#pat-%s)\" stroke=\"#000\"><title>", x, y + 2, w, LANE_H - 4,
		    known(s->word));
		text(out, word);
		if (s->detail[0] != '\0' && strcmp(s->word, "served") != 0) {
			putc(' ', out);	/* a thread's call: on which client */
			text(out, s->detail);
		}
		fputs("</title></rect>\n", out);
		if (w > (double)strlen(word) * 9 + 8) {
			fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"15\" font-weight=\"700\" "
			    "stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">", x + 4, y + 20);
			text(out, word);
			fputs("</text>\n", out);
		}
	}
}

/* The lanes of one kind under a heading; past LANES_MAX, one line counts them. */
static int lanes(FILE *out, const struct show_lane *list, size_t n, const char *heading,
    double end, int y)
{
	fprintf(out, "<text x=\"10\" y=\"%d\" font-size=\"20\" font-weight=\"700\">", y + 22);
	text(out, heading);
	fputs("</text>\n", out);
	y += 32;
	for (size_t i = 0; i < n && i < LANES_MAX; i++, y += LANE_H)
		lane(out, &list[i], end, y);
	if (n > LANES_MAX) {
		fprintf(out, "<text x=\"10\" y=\"%d\" font-size=\"16\" font-style=\"italic\">", y + 20);
		fprintf(out, _("and %zu more, not drawn"), n - LANES_MAX);
		fputs("</text>\n", out);
		y += LANE_H;
	}
	return y;
}

/*
 * The page's legend: each word's pattern, and what it means, in as many
 * rows as the language needs. Returns the y under it; with out NULL, only
 * that (the image's height depends on it).
 */
static int legend(FILE *out, int y)
{
	static const char *const words[][2] = {
		{ "accept", "legend_accept" }, { "recv", "legend_recv" }, { "send", "legend_send" },
		{ "epoll_wait", "legend_wait" }, { "lock", "legend_lock" },
		{ "sleep", "legend_sleep" }, { "running", "legend_running" },
		{ "other", "legend_other" }, { "queued", "legend_queued" },
		{ "waiting", "legend_waiting" }, { "served", "legend_served" },
		{ "closed", "legend_closed" },
	};
	int x = 10;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *says = show_word(words[i][1]);
		int width = 50 + (int)strlen(says) * 8;	/* 15 px type: 8 px a letter, or less */
		int at;

		if (x > 10 && x + width > WIDTH) {
			x = 10;
			y += 28;
		}
		at = x;
		x += width;
		if (out == NULL)
			continue;
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"30\" height=\"18\" "
		    "fill=\"url(#pat-%s)\" stroke=\"#000\"/><text x=\"%d\" y=\"%d\" "
		    "font-size=\"15\">", at, y, words[i][0], at + 36, y + 14);
		text(out, says);
		fputs("</text>\n", out);
	}
	return y + 28;
}

int show_svg_write(FILE *out, const struct show_timeline *tl, double end, const char *command)
{
	size_t rows = (tl->nthreads < LANES_MAX ? tl->nthreads : LANES_MAX + 1) +
	    (tl->nclients < LANES_MAX ? tl->nclients : LANES_MAX + 1);
	/* The legend, the axis, two headings, the lanes, a margin. */
	int height = legend(NULL, 44) + 98 + (int)rows * LANE_H + 10, y;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", WIDTH, height, WIDTH, height);
	patterns(out);
	fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", WIDTH, height);
	fputs("<text x=\"10\" y=\"28\" font-size=\"24\" font-weight=\"700\">netlab show: ", out);
	text(out, command);
	fputs("</text>\n", out);
	y = legend(out, 44);
	axis(out, end, y + 22, height - 10);
	y = lanes(out, tl->threads, tl->nthreads, show_word("h-threads"), end, y + 26);
	y = lanes(out, tl->clients, tl->nclients, show_word("h-clients"), end, y + 8);
	fputs("</svg>\n", out);
	(void)y;
	return ferror(out) ? -1 : 0;
}
