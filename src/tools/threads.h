/*
 * threads.h - netlab threads: seed 002's threading basics, with pthreads.
 */
#ifndef NETLAB_THREADS_H
#define NETLAB_THREADS_H

#include "cli.h"

/* Start, is_alive, join, shared memory; no network. Exit status. */
int run_threads(const struct options *opt);

#endif
