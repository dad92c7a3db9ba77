/*
 * show_svg.c - the timeline as one SVG file: what the page drew, from the
 * start to the end, with the same colours, patterns and words, and
 * nothing fetched from elsewhere, so that it opens in any browser or
 * slide program. Every text that came from the server (a thread's name,
 * a peer, the command line) is escaped for XML.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "show_svg.h"

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

		if (w < 3)
			w = 3;
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" "
		    "fill=\"url(#pat-%s)\" stroke=\"#000\"><title>", x, y + 2, w, LANE_H - 4,
		    known(s->word));
		text(out, s->word);
		if (s->detail[0] != '\0') {
			putc(' ', out);
			text(out, s->detail);
		}
		fputs("</title></rect>\n", out);
		if (w > (double)strlen(s->word) * 9 + 8) {
			fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"15\" font-weight=\"700\" "
			    "stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">", x + 4, y + 20);
			text(out, s->word);
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

static int legend(FILE *out, int y)
{
	static const char *const words[] = { "accept", "recv", "send", "epoll_wait", "lock",
		"sleep", "running", "other", "queued", "waiting", "served", "closed" };
	int x = 10;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (x > WIDTH - 200) {
			x = 10;
			y += 28;
		}
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"30\" height=\"18\" "
		    "fill=\"url(#pat-%s)\" stroke=\"#000\"/><text x=\"%d\" y=\"%d\" "
		    "font-size=\"15\">%s</text>\n", x, y, words[i], x + 36, y + 14,
		    strcmp(words[i], "epoll_wait") == 0 ? "select / poll / epoll_wait" : words[i]);
		x += 60 + (int)strlen(words[i]) * 9 + (strcmp(words[i], "epoll_wait") == 0 ? 120 : 0);
	}
	return y + 28;
}

int show_svg_write(FILE *out, const struct show_timeline *tl, double end, const char *command)
{
	size_t rows = (tl->nthreads < LANES_MAX ? tl->nthreads : LANES_MAX + 1) +
	    (tl->nclients < LANES_MAX ? tl->nclients : LANES_MAX + 1);
	int height = 200 + (int)rows * LANE_H, y;

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
	y = lanes(out, tl->threads, tl->nthreads, _("Threads and processes: what each one is doing"),
	    end, y + 26);
	y = lanes(out, tl->clients, tl->nclients, _("Clients, from connect to close"), end, y + 8);
	fputs("</svg>\n", out);
	(void)y;
	return ferror(out) ? -1 : 0;
}
