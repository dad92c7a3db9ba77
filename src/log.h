/*
 * log.h - the server's log: event lines, annotation lines, errors.
 *
 * Every line starts with the actor that did the work: [main], [thread 3],
 * [worker 2], [pid 4711]. Event lines carry the tutorials' own words;
 * annotation lines explain them and disappear with --quiet.
 */
#ifndef NETLAB_LOG_H
#define NETLAB_LOG_H

#include <stddef.h>

enum log_level {
	LOG_ALL,		/* events and annotations */
	LOG_EVENTS,		/* -q: events only */
	LOG_START_ONLY		/* -qq: the start line and errors only */
};

void log_init(enum log_level level, int color);

/* Name the calling thread or process in every line it writes from now on
 * (a thread also takes that name in ps -L and gdb). */
void log_set_actor(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "Received new connection from ...": the spec's event texts. */
void log_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The start line: printed even with -qq. */
void log_start(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Annotations: what just happened and why. */
void log_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "netlab: ..." on stderr. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "Received: b'...'" for a chunk of client bytes, shown escaped. */
void log_received(const void *data, size_t len);

#endif
