/*
 * record.h - the observer's bookkeeping (record.c): a log line becomes an
 * event, the kernel's view updates the clients, and the counts the
 * expectations ask for. Called by observe.c; the counts are in observe.h.
 */
#ifndef NETLAB_LAB_RECORD_H
#define NETLAB_LAB_RECORD_H

#include "observe.h"

/* One whole line of the server's output, seen at time now. */
void record_line(struct observer *o, const char *line, double now);

/* The kernel's view of the port, scanned at time now. */
void record_view(struct observer *o, double now);

#endif
