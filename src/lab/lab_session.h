/*
 * lab_session.h - one run of one lab: the shell, or --auto.
 */
#ifndef NETLAB_LAB_SESSION_H
#define NETLAB_LAB_SESSION_H

#include "cli.h"
#include "lab_file.h"

/* Run the lab; returns the exit status (--auto: 0 only if every step passed). */
int lab_session(struct lab *lab, const struct options *opt);

/* Progress, kept in $XDG_STATE_HOME/netlab/progress (lab.c). */
void progress_mark(const struct lab *lab, int step);	/* step passed */
int progress_passed(const struct lab *lab);		/* how many steps passed */
int progress_reset(const char *id);			/* NULL: every lab */

#endif
