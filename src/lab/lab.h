/*
 * lab.h - the guided labs: netlab lab list, lab N, lab N --auto.
 */
#ifndef NETLAB_LAB_H
#define NETLAB_LAB_H

#include "cli.h"

/* netlab lab ...: returns the exit status. */
int run_lab(const struct options *opt);

/* netlab with no command on a terminal: pick a lab, run it. */
int lab_menu(const struct options *opt);

#endif
