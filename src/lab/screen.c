/*
 * screen.c - print above the prompt, paint, wrap, keep the transcript.
 *
 * When readline's prompt is on the screen, a line is printed by clearing
 * the prompt and the command bar under it, printing, and asking readline
 * to draw the prompt again: the log scrolls above, the prompt stays below.
 *
 * A line wider than the terminal would wrap back to column 0 in the middle
 * of a word; wrap.c wraps it first, at a space, with a hanging indent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <readline/readline.h>

#include "now.h"
#include "screen.h"
#include "wrap.h"

/* The terminal's columns, or 0 when stdout is no terminal. */
static size_t terminal_width(const struct screen *scr)
{
	struct winsize ws;

	if (!scr->terminal || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return 0;
	return ws.ws_col;
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
	static struct wrap_buf out;
	char text[8192];
	size_t width;

	vsnprintf(text, sizeof(text), fmt, ap);
	out.len = 0;
	out.buf[0] = '\0';
	width = terminal_width(scr);
	if (width > 1)
		wrap_text(&out, text, hang, width - 1);	/* the last column stays free */
	else
		wrap_add(&out, text, strlen(text));
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
	static struct wrap_buf out;
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
		wrap_add(&out, "\n", 1);
		para += len;
	}
	screen_print_hang(scr, pad, "%s", out.buf);
}
