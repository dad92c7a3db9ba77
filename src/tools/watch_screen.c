/*
 * watch_screen.c - the picture on a terminal, redrawn in place, or as
 * timestamped snapshots elsewhere.
 *
 * The terminal is taken with the alternate screen (what less and top use),
 * so that the shell's screen comes back untouched when watch ends; the
 * cursor is hidden while drawing and shown again on the way out. Each frame
 * is one write(): cursor home, every row followed by "clear to the end of
 * the line", then "clear below", so nothing of the previous frame remains.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "watch_screen.h"

#define ENTER "\033[?1049h\033[?25l\033[2J"	/* alternate screen, no cursor */
#define LEAVE "\033[?25h\033[?1049l"		/* cursor back, the shell's screen */
#define FRESH_S 2.0				/* a change stays marked this long */
#define FRAME_MAX 65536

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "18:30:01" (with ".123" when ms), the wall clock a student reads. */
static void clock_text(char *out, size_t size, int ms)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	if (ms)
		snprintf(out, size, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (int)(tv.tv_usec / 1000));
	else
		snprintf(out, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* the terminal is gone: nothing more to show */
		buf += n;
		len -= (size_t)n;
	}
}

void screen_resize(struct screen *s)
{
	struct winsize ws;

	s->cols = 80;
	s->lines = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		s->cols = ws.ws_col;
		s->lines = ws.ws_row;
	}
	write_all("\033[2J", 4);	/* the old size's picture goes */
}

int screen_open(struct screen *s)
{
	struct termios raw;

	memset(s, 0, sizeof(*s));
	s->keys = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &s->saved) == 0;
	if (s->keys) {
		/* Keys arrive one by one and are not echoed over the picture. */
		raw = s->saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == -1)
			s->keys = 0;
	}
	write_all(ENTER, strlen(ENTER));
	screen_resize(s);
	return 0;
}

/* The last picture, plain, and the server's last lines, on the shell's screen. */
static void print_last(const struct screen *s)
{
	int kept = 0;

	for (size_t i = 0; i < s->last.n; i++)
		printf("%.*s\n", s->cols > 1 ? s->cols - 1 : ROW_MAX, s->last.row[i].text);
	while (kept < SCREEN_KEPT && s->output[kept][0] != '\0')
		kept++;
	if (kept > 0)
		printf("\n%s\n", _("The server's last lines:"));
	for (int i = kept - 1; i >= 0; i--)
		printf("%s\n", s->output[i]);
	fflush(stdout);
}

void screen_close(struct screen *s, int keep)
{
	write_all(LEAVE, strlen(LEAVE));
	if (s->keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &s->saved);
	if (keep)
		print_last(s);
	kernel_text_free(&s->last);
	free(s->changed_at);
	s->changed_at = NULL;
}

size_t screen_room(const struct screen *s)
{
	int room = s->lines - 8 - SCREEN_CHANGES - (s->output[0][0] ? SCREEN_OUTPUT + 1 : 0);

	return room > 0 ? (size_t)room : 0;
}

size_t screen_list_rows(const struct screen *s)
{
	/* Three lists share what the title, headings and the footer leave. */
	int free_rows = s->lines - 12 - SCREEN_CHANGES - (s->output[0][0] ? SCREEN_OUTPUT + 1 : 0);

	return free_rows / 3 >= 2 ? (size_t)(free_rows / 3) : 2;
}

/* Append text to the frame, cut at the screen's width, control bytes shown as '?'. */
static size_t put(char *frame, size_t at, const char *text, int width)
{
	for (int col = 0; *text != '\0' && col < width && at < FRAME_MAX - 64; text++, col++) {
		unsigned char ch = (unsigned char)*text;

		frame[at++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	return at;
}

/* Append an escape sequence as it is. */
static size_t raw(char *frame, size_t at, const char *sequence)
{
	size_t len = strlen(sequence);

	memcpy(frame + at, sequence, len);
	return at + len;
}

static size_t put_line(char *frame, size_t at, const char *text, int width)
{
	at = put(frame, at, text, width);
	return raw(frame, at, "\033[K\r\n");	/* the rest of the old line goes */
}

static void log_change(struct screen *s, char sign, const char *text)
{
	char clock[16];

	while (*text == ' ')
		text++;
	memmove(s->changes[1], s->changes[0], sizeof(s->changes[0]) * (SCREEN_CHANGES - 1));
	clock_text(clock, sizeof(clock), 0);
	snprintf(s->changes[0], sizeof(s->changes[0]), "  %s %c %s", clock, sign, text);
}

/* A row about one client or one thread: its changes are worth listing. */
static int is_item(const struct row *r)
{
	return r->key[1] == ':';
}

/* When each row last changed; new, changed and gone items into the list. */
static void compare(struct screen *s, const struct rows *rows, double *changed, double t)
{
	for (size_t i = 0; i < rows->n; i++) {
		const struct row *r = &rows->row[i];
		size_t j = 0;

		while (j < s->last.n && strcmp(s->last.row[j].key, r->key) != 0)
			j++;
		changed[i] = j < s->last.n ? s->changed_at[j] : t;
		if (j < s->last.n && strcmp(s->last.row[j].text, r->text) == 0)
			continue;
		changed[i] = s->drawn ? t : 0;
		if (s->drawn && is_item(r))
			log_change(s, j < s->last.n ? '~' : '+', r->text);
	}
	for (size_t j = 0; j < s->last.n && s->drawn; j++) {
		size_t i = 0;

		while (i < rows->n && strcmp(rows->row[i].key, s->last.row[j].key) != 0)
			i++;
		if (i == rows->n && is_item(&s->last.row[j]))
			log_change(s, '-', s->last.row[j].text);
	}
}

/* Keep this frame's rows and their change times for the next comparison. */
static void remember(struct screen *s, const struct rows *rows, double *changed)
{
	if (s->last.cap < rows->n) {
		struct row *bigger = realloc(s->last.row, rows->n * sizeof(*bigger));

		if (bigger == NULL) {
			free(changed);
			return;
		}
		s->last.row = bigger;
		s->last.cap = rows->n;
	}
	memcpy(s->last.row, rows->row, rows->n * sizeof(*rows->row));
	s->last.n = rows->n;
	free(s->changed_at);
	s->changed_at = changed;
	s->drawn = 1;
}

static size_t footer(const struct screen *s, char *frame, size_t at)
{
	int width = s->cols;

	at = put_line(frame, at, "", width);
	at = put_line(frame, at, _("Last changes (+ new, - gone, ~ changed; * marks them above):"),
	    width);
	for (int i = 0; i < SCREEN_CHANGES; i++)
		at = put_line(frame, at, s->changes[i], width);
	if (s->output[0][0] != '\0') {
		at = put_line(frame, at, _("The server's last lines:"), width);
		for (int i = SCREEN_OUTPUT - 1; i >= 0; i--)
			at = put_line(frame, at, s->output[i], width);
	}
	return put(frame, at, _("q or Ctrl-C: quit"), width);
}

void screen_draw(struct screen *s, const struct rows *rows)
{
	double t = now(), *changed = calloc(rows->n ? rows->n : 1, sizeof(double));
	size_t room = screen_room(s);
	char *frame = malloc(FRAME_MAX);
	size_t at = 0;

	if (changed == NULL || frame == NULL) {
		free(changed);
		free(frame);
		return;
	}
	compare(s, rows, changed, t);
	at = raw(frame, 0, "\033[H");	/* home: draw over the last frame */
	for (size_t i = 0; i < rows->n && i < room; i++) {
		/* The title changes with the width, not with the server: never marked. */
		int fresh = changed[i] > 0 && t - changed[i] < FRESH_S &&
		    strcmp(rows->row[i].key, "h") != 0;

		at = raw(frame, at, fresh ? "\033[1m*" : " ");
		at = put(frame, at, rows->row[i].text, s->cols - 1);
		at = raw(frame, at, fresh ? "\033[0m\033[K\r\n" : "\033[K\r\n");
	}
	at = footer(s, frame, at);
	at = raw(frame, at, "\033[K\033[J");	/* and nothing below */
	write_all(frame, at);
	free(frame);
	remember(s, rows, changed);
}

/* The COMMAND's output: keep its last complete lines for the footer. */
static void read_output(struct screen *s, int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && s->partial_len < sizeof(s->partial) - 1) {
				s->partial[s->partial_len++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;	/* a very long line: its start is enough */
			s->partial[s->partial_len] = '\0';
			memmove(s->output[1], s->output[0], sizeof(s->output[0]) * (SCREEN_KEPT - 1));
			snprintf(s->output[0], sizeof(s->output[0]), "  %.150s", s->partial);
			s->partial_len = 0;
		}
	}
}

void screen_wait(struct screen *s, int out_fd, int ms)
{
	struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { out_fd, POLLIN, 0 } };
	double until = now() + ms / 1000.0;
	char key;

	if (!s->keys)
		fds[0].fd = -1;	/* poll() skips a negative descriptor */
	while (!s->quit && now() < until) {
		int left = (int)((until - now()) * 1000) + 1;

		if (poll(fds, 2, left) <= 0)
			return;	/* the time is up, or a signal: the caller looks */
		if (fds[0].revents & (POLLIN | POLLHUP)) {
			if (read(STDIN_FILENO, &key, 1) == 1 && (key == 'q' || key == 'Q'))
				s->quit = 1;
			else if (fds[0].revents & POLLHUP)
				fds[0].fd = -1;	/* no keyboard any more */
		}
		if (fds[1].revents & (POLLIN | POLLHUP)) {
			read_output(s, out_fd);
			if (fds[1].revents & POLLHUP)
				fds[1].fd = -1;
		}
	}
}

void screen_drain(struct screen *s, int out_fd)
{
	struct pollfd p = { out_fd, POLLIN, 0 };
	double until = now() + 0.5;	/* the server's children may hold the pipe open */

	while (out_fd != -1 && now() < until && poll(&p, 1, 50) >= 0) {
		if (p.revents & POLLIN)
			read_output(s, out_fd);
		if ((p.revents & (POLLHUP | POLLERR)) && !(p.revents & POLLIN))
			break;	/* the end of its output */
	}
}

void screen_print_snapshot(FILE *out, const struct rows *rows)
{
	char clock[16];

	clock_text(clock, sizeof(clock), 1);
	for (size_t i = 0; i < rows->n; i++)
		fprintf(out, "%s %s\n", clock, rows->row[i].text);
	fprintf(out, "\n");
	fflush(out);
}
