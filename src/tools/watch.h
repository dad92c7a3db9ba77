/*
 * watch.h - netlab watch: a live X-ray of a TCP server, from the kernel.
 */
#ifndef NETLAB_WATCH_H
#define NETLAB_WATCH_H

#include "cli.h"

/* watch [--port P] [--pid PID] [--once] [--json] [-- COMMAND]. Exit status. */
int run_watch(const struct options *opt);

#endif
