/*
 * screen.c - print above the prompt, paint, wrap, keep the transcript.
 *
 * When readline's prompt is on the screen, a line is printed by clearing
 * the prompt and the command bar under it, printing, and asking readline
 * to draw the prompt again: the log scrolls above, the prompt stays below.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <readline/readline.h>

#include "screen.h"

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

void screen_print(struct screen *scr, const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (scr->rl_active)
		fputs("\r\033[J", stdout);	/* off with the prompt and the bar */
	fputs(text, stdout);
	if (scr->rl_active) {
		fputs("\n\033[A", stdout);	/* keep a row free under the prompt */
		fflush(stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
	fflush(stdout);
	screen_record(scr, text);
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

void screen_wrap(struct screen *scr, const char *lead, const char *text)
{
	char buf[4096], line[WIDTH + 64], pad[32];
	size_t indent = strlen(lead);
	int first = 1;

	if (text == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", text);
	snprintf(pad, sizeof(pad), "%*s", (int)(indent < 31 ? indent : 31), "");
	for (char *para = strtok(buf, "\n"); para != NULL; para = strtok(NULL, "\n")) {
		size_t len = 0;

		line[0] = '\0';
		for (char *p = para; *p; ) {
			size_t word = strcspn(p, " ");

			if (len > 0 && indent + len + 1 + word > WIDTH) {
				screen_print(scr, "%s%s\n", first ? lead : pad, line);
				first = 0;
				len = 0;
				line[0] = '\0';
			}
			if (len > 0)
				line[len++] = ' ';
			if (word > WIDTH)
				word = WIDTH;
			memcpy(line + len, p, word);
			len += word;
			line[len] = '\0';
			p += word;
			p += strspn(p, " ");
		}
		screen_print(scr, "%s%s\n", first ? lead : pad, line);
		first = 0;
	}
}
