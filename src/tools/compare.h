/*
 * compare.h - every design under the same load, one table (seed 003's).
 */
#ifndef NETLAB_COMPARE_H
#define NETLAB_COMPARE_H

#include "cli.h"

/* netlab compare: exit status 0, 1, or 130 after Ctrl-C. */
int run_compare(const struct options *opt);

#endif
