/*
 * design_n.h - a design's N: as typed after it ("limited 3", "pool auto"),
 * or its default when none is ("pool": 10). Parsed here and only here, for
 * main.c and the lab runner, from the range and default in the design's
 * row of the command table.
 */
#ifndef NETLAB_DESIGN_N_H
#define NETLAB_DESIGN_N_H

#include "cli.h"
#include "commands.h"

/* The N for 'arg' (NULL: none given) in *n: NUMBER_OK, or what is wrong with it. */
enum number_result design_n(const struct command *cmd, const char *arg, int *n);

#endif
