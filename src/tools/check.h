/*
 * check.h - netlab check: grade a student's own server, in any language.
 */
#ifndef NETLAB_CHECK_H
#define NETLAB_CHECK_H

#include "cli.h"

/* 0 every property held, 1 one failed (or a bad start), 130 Ctrl-C. */
int run_check(const struct options *opt);

#endif
