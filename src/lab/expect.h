/*
 * expect.h - the judge: does a step's expectation hold? Asked from the
 * server's own log events since the step began, the kernel's view of the
 * port (observe.h), and what the terminals and run: commands printed.
 * It returns a verdict, data; report.c says it in words.
 */
#ifndef NETLAB_LAB_EXPECT_H
#define NETLAB_LAB_EXPECT_H

#include "labfile.h"
#include "observe.h"

struct evidence {
	const struct observer *obs;
	int mark;		/* the first event of this step */
	const char *seen;	/* what terminals and run: printed this step, or NULL */
	const char *run_output;	/* what this step's run: printed, or NULL */
	int run_done;		/* the run: command has ended */
	double run_took;	/* in seconds */
};

struct verdict {
	int holds;
	int count;		/* how many were seen, for the counting kinds */
	int known;		/* number: a number was printed; took: the command ended */
	long number;		/* the last number printed */
	double took;		/* how long the run: command took */
	int bad_exit;		/* exited: it ended, with a status other than 0 */
};

/* Judge one expectation. Returns v->holds. */
int expect_judge(const struct lab_expect *ex, const struct evidence *e, struct verdict *v);

/* Do all of a step's expectations hold? */
int expect_all(const struct lab_step *st, const struct evidence *e);

#endif
