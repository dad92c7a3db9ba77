/*
 * fuzz/log_fit.c - the "Received:" line of log.c for any chunk.
 *
 * A chunk whose repr would not fit one atomic line is shown cut short,
 * "... (N bytes, the first K shown)". The prefix shown must be the longest
 * one whose repr fits (LOG_REPR_ROOM characters between the quotes), and
 * every byte of the line must be what Python's repr() of that prefix
 * prints (the model in pyrepr.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "pyrepr.h"

#define LOG_REPR_ROOM 3800	/* REPR_ROOM in log.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Call log_received() with stdout on a pipe; the line it wrote. */
static size_t logged(const uint8_t *data, size_t len, char *line, size_t room)
{
	static int pipe_fd[2] = { -1, -1 };
	int saved;
	ssize_t n;

	if (pipe_fd[0] == -1) {
		if (pipe(pipe_fd) == -1)
			abort();
		log_init(LOG_ALL, 0);
	}
	saved = dup(STDOUT_FILENO);
	if (saved == -1 || dup2(pipe_fd[1], STDOUT_FILENO) == -1)
		abort();
	log_received(data, len);
	if (dup2(saved, STDOUT_FILENO) == -1)
		abort();
	close(saved);
	n = read(pipe_fd[0], line, room - 1);	/* one line, far below the pipe's size */
	if (n <= 0)
		abort();
	line[n] = '\0';
	return (size_t)n;
}

/*
 * The longest prefix whose repr, quotes and b aside, fits the room. A
 * longer prefix never has a shorter repr, so a binary search finds it.
 */
static size_t longest_fit(const uint8_t *data, size_t len)
{
	size_t lo = 0, hi = len, mid;

	while (lo < hi) {		/* prefix lo fits; hi is the most it can be */
		mid = lo + (hi - lo + 1) / 2;
		if (py_repr_len(data, mid) - 3 <= LOG_REPR_ROOM)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static const char *tail(const char *s)
{
	size_t n = strlen(s);

	return n > 120 ? s + n - 120 : s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static char line[16384], want[16384], text[4 * READ_CHUNK + 4];
	size_t chunk = len < READ_CHUNK ? len : READ_CHUNK;
	size_t shown = longest_fit(data, chunk);

	logged(data, len, line, sizeof(line));
	py_repr(text, data, shown);
	if (shown == chunk)
		snprintf(want, sizeof(want), "[main] Received: %s\n", text);
	else
		snprintf(want, sizeof(want), "[main] Received: %s... (%zu bytes, the first %zu "
		    "shown)\n", text, chunk, shown);
	if (strcmp(line, want) != 0) {
		fprintf(stderr, "defect: log_received() of %zu bytes, the ends of the lines:\n"
		    "  logged: ...%s  wanted: ...%s", len, tail(line), tail(want));
		abort();
	}
	return 0;
}
