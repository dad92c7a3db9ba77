/*
 * complete.h - netlab --complete WHAT: the words bash completion offers,
 * asked of the binary itself so that they cannot drift from it.
 */
#ifndef NETLAB_COMPLETE_H
#define NETLAB_COMPLETE_H

#include "cli.h"

/* commands, options, handlers or labs: one word a line; exit status. */
int run_complete(const struct options *opt);

#endif
