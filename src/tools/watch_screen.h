/*
 * watch_screen.h - watch's two ways to show the picture: redrawn in place
 * on a terminal (plain escape sequences, the alternate screen, the cursor
 * hidden and given back), or as timestamped snapshots on a pipe or a file.
 */
#ifndef NETLAB_WATCH_SCREEN_H
#define NETLAB_WATCH_SCREEN_H

#include <stdio.h>
#include <termios.h>

#include "kernel/kernel_text.h"

#define SCREEN_CHANGES 4	/* the last changes, listed under the picture */
#define SCREEN_OUTPUT 3		/* the COMMAND's last lines, under the picture */
#define SCREEN_KEPT 12		/* ... and kept, for when it ends (a traceback) */

struct screen {
	int cols, lines;
	int keys;		/* stdin is a terminal: 'q' quits */
	struct termios saved;
	int quit;

	struct rows last;	/* the previous frame */
	double *changed_at;	/* per row of 'last': when its text last changed */
	size_t changed_cap;
	int drawn;		/* a frame was drawn already */

	char changes[SCREEN_CHANGES][ROW_MAX];
	char output[SCREEN_KEPT][ROW_MAX];	/* [0]: the newest line */
	char partial[ROW_MAX];	/* a line of output not yet complete */
	size_t partial_len;
};

/* Take the terminal; -1 when it cannot be used (then nothing changed). */
int screen_open(struct screen *s);

/*
 * Give the terminal back. 'keep': the server has ended, so its last
 * picture and its last lines of output stay on the shell's screen.
 */
void screen_close(struct screen *s, int keep);
void screen_resize(struct screen *s);

/* How many rows of each list fit on the screen, to start with. */
size_t screen_list_rows(const struct screen *s);

/* How many rows of the picture the screen shows (rows past it are not drawn). */
size_t screen_room(const struct screen *s);

/* Draw rows, marking what changed since the last frame. */
void screen_draw(struct screen *s, const struct rows *rows);

/* Wait up to ms for a key or the COMMAND's output (out_fd, -1 none). */
void screen_wait(struct screen *s, int out_fd, int ms);

/* The COMMAND has ended: read what it still wrote (out_fd, -1 none), briefly. */
void screen_drain(struct screen *s, int out_fd);

/* Not on a terminal: the rows, each line prefixed with the time. */
void screen_print_snapshot(FILE *out, const struct rows *rows);

#endif
