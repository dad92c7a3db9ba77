/*
 * screen.c - print above the prompt, paint, wrap, keep the transcript.
 *
 * When readline's prompt is on the screen, a line is printed by clearing
 * the prompt and the command bar under it, printing, and asking readline
 * to draw the prompt again: the log scrolls above, the prompt stays below.
 *
 * A line wider than the terminal would wrap back to column 0 in the middle
 * of a word; screen.c wraps it first, at a space, with a hanging indent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <readline/readline.h>

#include "now.h"
#include "screen.h"

struct text {			/* what goes out, built up */
	char buf[16384];
	size_t len;
};

static void add(struct text *t, const char *s, size_t n)
{
	if (n > sizeof(t->buf) - 1 - t->len)
		n = sizeof(t->buf) - 1 - t->len;	/* too long: cut, not overrun */
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* The terminal's columns, or 0 when stdout is no terminal. */
static size_t terminal_width(const struct screen *scr)
{
	struct winsize ws;

	if (!scr->terminal || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return 0;
	return ws.ws_col;
}

/* Bytes of s that fit in cols columns: colors take none, UTF-8 one a character. */
static size_t fitting(const char *s, size_t n, size_t cols, size_t *used)
{
	size_t i = 0, c = 0;

	while (i < n) {
		if (s[i] == '\033') {
			while (i < n && s[i] != 'm')
				i++;
			i += i < n;
			continue;
		}
		if (c == cols)
			break;
		c++;
		for (i++; i < n && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
			;
	}
	if (used != NULL)
		*used = c;
	return i;
}

static size_t columns(const char *s)
{
	size_t cols;

	fitting(s, strlen(s), (size_t)-1, &cols);
	return cols;
}

/*
 * One line, no '\n', into out, in rows of at most max columns. A row ends
 * at the last space that fits, past the hang on the first row; a word
 * longer than a whole row is cut, but never back at column 0.
 */
static void wrap_line(struct text *out, const char *line, size_t len, const char *hang,
    size_t max)
{
	size_t hang_cols = columns(hang), lead = 0;

	if (hang_cols * 2 > max)
		hang = "", hang_cols = 0;	/* a very narrow terminal */
	for (int first = 1;; first = 0) {
		size_t room = first ? max : max - hang_cols, cols;
		size_t fit = fitting(line, len, room, &cols), cut = fit;

		if (!first)
			add(out, hang, strlen(hang));
		if (fit == len) {
			add(out, line, len);
			break;
		}
		lead = first ? fitting(line, len, hang_cols, NULL) : 0;
		while (cut > lead && line[cut] != ' ')
			cut--;
		if (cut <= lead)
			cut = fit;	/* no space to break at */
		add(out, line, cut);
		add(out, "\n", 1);
		while (cut < len && line[cut] == ' ')
			cut++;
		line += cut;
		len -= cut;
	}
}

/* Each line of text wrapped; hang NULL: its leading blanks and two more. */
static void wrap_text(struct text *out, const char *text, const char *hang, size_t max)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		char pad[64];

		if (hang == NULL) {
			size_t blanks = strspn(text, " ");

			snprintf(pad, sizeof(pad), "%*s", (int)(blanks + 2 < 40 ? blanks + 2 : 40), "");
		}
		wrap_line(out, text, len, hang != NULL ? hang : pad, max);
		text += len;
		if (*text == '\n') {
			add(out, "\n", 1);
			text++;
		}
	}
}

void screen_record(struct screen *scr, const char *text)
{
	if (scr->record == NULL)
		return;
	for (const char *p = text; *p; p++) {
		if (*p == '\033') {		/* the transcript is plain text */
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		fputc(*p, scr->record);
	}
	fflush(scr->record);
}

static void show(struct screen *scr, const char *hang, const char *fmt, va_list ap)
{
	static struct text out;
	char text[8192];
	size_t width;

	vsnprintf(text, sizeof(text), fmt, ap);
	out.len = 0;
	out.buf[0] = '\0';
	width = terminal_width(scr);
	if (width > 1)
		wrap_text(&out, text, hang, width - 1);	/* the last column stays free */
	else
		add(&out, text, strlen(text));
	if (scr->rl_active)
		fputs("\r\033[J", stdout);	/* off with the prompt and the bar */
	fputs(out.buf, stdout);
	if (scr->rl_active) {
		fputs("\n\033[A", stdout);	/* keep a row free under the prompt */
		fflush(stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
	fflush(stdout);
	screen_record(scr, text);	/* the transcript keeps whole lines */
	scr->printed++;
	scr->printed_at = lab_now();
}

void screen_print(struct screen *scr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	show(scr, NULL, fmt, ap);
	va_end(ap);
}

void screen_print_hang(struct screen *scr, const char *hang, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	show(scr, hang, fmt, ap);
	va_end(ap);
}

const char *screen_paint(const struct screen *scr, const char *code, const char *text)
{
	static char buf[4][1100];
	static int next;
	char *b = buf[next++ % 4];

	if (scr->color)
		snprintf(b, sizeof(buf[0]), "\033[%sm%s\033[0m", code, text);
	else
		snprintf(b, sizeof(buf[0]), "%s", text);
	return b;
}

/* Append the words of text[0..len) to line, one space between them. */
static void words(char *line, size_t size, const char *text, size_t len)
{
	size_t o = strlen(line), start = o;

	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (text[i] == ' ' && (o == start || line[o - 1] == ' '))
			continue;
		line[o++] = text[i];
	}
	while (o > start && line[o - 1] == ' ')
		o--;
	line[o] = '\0';
}

void screen_wrap(struct screen *scr, const char *lead, const char *text)
{
	static struct text out;
	size_t width = terminal_width(scr), max = WIDTH;
	char pad[32], line[4096];

	if (text == NULL)
		return;
	if (width > 1 && width - 1 < max)
		max = width - 1;
	snprintf(pad, sizeof(pad), "%*s", (int)(strlen(lead) < 31 ? strlen(lead) : 31), "");
	out.len = 0;
	out.buf[0] = '\0';
	for (const char *para = text; *para; para += strspn(para, "\n")) {
		size_t len = strcspn(para, "\n");

		snprintf(line, sizeof(line), "%s", out.len == 0 ? lead : pad);
		words(line, sizeof(line), para, len);
		wrap_line(&out, line, strlen(line), pad, max);
		add(&out, "\n", 1);
		para += len;
	}
	screen_print_hang(scr, pad, "%s", out.buf);
}
