/*
 * screen.h - the lowest layer of the lab runner's output: print a line
 * above the student's prompt, in color if it is on, wrapped at the
 * terminal's width, and into the transcript. Every other part of the
 * runner that shows something goes through here; nothing here knows about
 * labs, steps or servers.
 */
#ifndef NETLAB_LAB_SCREEN_H
#define NETLAB_LAB_SCREEN_H

#include <stdio.h>

#define WIDTH 78		/* a teacher's text, at most */

struct screen {
	int color;		/* ANSI colors on */
	int rl_active;		/* a readline prompt is on the screen */
	int terminal;		/* stdout is a terminal: lines wrap at its width */
	FILE *record;		/* the transcript (--record), or NULL */
	unsigned long printed;	/* lines printed so far: has anything come since? */
	double printed_at;	/* when the last one was (now.h's clock) */
};

/*
 * Print above the prompt (cleared and redrawn), and into the transcript.
 * On a terminal, a line wider than it wraps at a space, its next rows
 * indented under its text (its leading blanks and two more).
 */
void screen_print(struct screen *scr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The same, the next rows of a wrapped line starting with hang. */
void screen_print_hang(struct screen *scr, const char *hang, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Text in a color (an SGR code: "1;32"), if colors are on. Four at a time. */
const char *screen_paint(const struct screen *scr, const char *code, const char *text);

/* A text wrapped at WIDTH (or a narrower terminal), each line after 'lead'. */
void screen_wrap(struct screen *scr, const char *lead, const char *text);

/* Into the transcript only, without color codes. */
void screen_record(struct screen *scr, const char *text);

#endif
