/*
 * progress.h - which steps of which lab a student has passed, between runs.
 */
#ifndef NETLAB_LAB_PROGRESS_H
#define NETLAB_LAB_PROGRESS_H

#include "labfile.h"

void progress_mark(const struct lab *lab, int step);	/* step passed */
int progress_passed(const struct lab *lab);		/* how many steps passed */
int progress_reset(const char *id);			/* NULL: every lab; -1: failed */

#endif
