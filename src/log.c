/*
 * log.c - one line, one write().
 *
 * Each line is formatted into a local buffer and handed to the kernel with a
 * single write(), so it is on the screen (or in the file, or in the pipe) at
 * once, and lines from different threads or forked children never mix. No
 * stdio buffer is involved, so nothing is left half-written at a fork().
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "repr.h"

#define LINE_MAX_BYTES 8192
#define REPR_ROOM 3800		/* repr characters in one line, under PIPE_BUF */

static enum log_level level = LOG_ALL;
static int color;
static _Thread_local char actor[32] = "main";
/* Long lines are not atomic on a pipe; the lock keeps threads' lines whole. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

#define DIM   "\033[2m"
#define CYAN  "\033[36m"
#define RESET "\033[0m"

void log_init(enum log_level lvl, int use_color)
{
	level = lvl;
	color = use_color;
}

void log_set_actor(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(actor, sizeof(actor), fmt, ap);
	va_end(ap);
	/* A thread gets the same name in ps -L, top -H, gdb and /proc. */
	if (strncmp(actor, "thread ", 7) == 0 || strncmp(actor, "worker ", 7) == 0 ||
	    strncmp(actor, "loop ", 5) == 0)
		(void)pthread_setname_np(pthread_self(), actor);	/* cosmetic */
}

static void write_line(int fd, char *line, size_t len)
{
	int saved = errno;	/* logging must not disturb the caller's errno */

	if (len >= LINE_MAX_BYTES)
		len = LINE_MAX_BYTES - 1;
	line[len++] = '\n';
	pthread_mutex_lock(&write_lock);
	/* A closed terminal or pipe (EPIPE, SIGPIPE is ignored) loses the log,
	 * not the server: the write's result is deliberately ignored. */
	while (len > 0) {
		ssize_t n = write(fd, line, len);

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0) {
			line += n;
			len -= (size_t)n;
		}
	}
	pthread_mutex_unlock(&write_lock);
	errno = saved;
}

/* "[actor] text": the actor in color on a terminal, the text left plain. */
static void vlog(const char *mark, const char *style, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void vlog(const char *mark, const char *style, const char *fmt, va_list ap)
{
	char line[LINE_MAX_BYTES];
	int n;

	if (color)
		n = snprintf(line, sizeof(line), CYAN "[%s]" RESET " %s%s", actor, style, mark);
	else
		n = snprintf(line, sizeof(line), "[%s] %s", actor, mark);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	size_t len = (size_t)n + (size_t)m;
	if (len >= sizeof(line) - 8)
		len = sizeof(line) - 8;
	if (color && *style) {
		memcpy(line + len, RESET, sizeof(RESET) - 1);
		len += sizeof(RESET) - 1;
	}
	write_line(STDOUT_FILENO, line, len);
}

void log_start(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", "", fmt, ap);
	va_end(ap);
}

void log_event(const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_START_ONLY)
		return;
	va_start(ap, fmt);
	vlog("", "", fmt, ap);
	va_end(ap);
}

void log_note(const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_ALL)
		return;
	va_start(ap, fmt);
	vlog("  # ", DIM, fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	char line[LINE_MAX_BYTES];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "netlab: ");
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	size_t len = (size_t)n + (size_t)m;
	write_line(STDERR_FILENO, line, len < sizeof(line) ? len : sizeof(line) - 1);
}

void log_received(const void *data, size_t len)
{
	char text[REPR_SIZE(READ_CHUNK)];
	size_t shown;

	if (level == LOG_START_ONLY)
		return;
	if (len > READ_CHUNK)	/* callers read at most that at a time */
		len = READ_CHUNK;
	/*
	 * A line longer than PIPE_BUF (4096) is not written to a pipe in one
	 * piece, and forked children share no lock, so a long chunk is shown
	 * cut short.
	 */
	shown = repr_fits(data, len, REPR_ROOM);
	repr_bytes(text, data, shown);
	if (shown < len)
		log_event("Received: %s... (%zu bytes, the first %zu shown)", text, len, shown);
	else
		log_event("Received: %s", text);
}
