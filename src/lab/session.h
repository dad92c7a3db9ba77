/*
 * session.h - one run of one lab, the shell's or --auto's: the one struct
 * every layer's state hangs from, passed by pointer (no global).
 *
 * One thread runs all of it, so the session needs no lock.
 */
#ifndef NETLAB_LAB_SESSION_H
#define NETLAB_LAB_SESSION_H

#include <limits.h>

#include "cli.h"
#include "labfile.h"
#include "observe.h"
#include "play.h"
#include "report.h"
#include "shell.h"

struct session {
	struct lab *lab;
	char self[PATH_MAX];	/* this netlab binary: servers are started from it */
	char name[PATH_MAX];	/* netlab as the student typed it: "./netlab", "netlab" */
	char host[64];		/* the servers' address: 127.0.0.1, or --host for a class */
	char typed_host[64];	/* the address the students type into nc */
	int auto_mode;
	char workdir[PATH_MAX];	/* --auto: the folder it plays in, removed at the end */
	int home_fd;		/* the folder the lab was started in */

	struct report rep;	/* show: what is printed (its screen inside) */
	struct shell sh;	/* show: the student's keyboard */
	struct observer obs;	/* observe: the server, its log, the kernel */
	struct player pl;	/* act: terminals and run: commands */
	int logged;		/* events already shown */

	int step;		/* the current step, 0-based */
	int mark;		/* obs.nevents when the step began */
	double actions_done_at;
	int action;		/* next action to play */
	int asking;		/* waiting for the student's prediction */
	int go;			/* Enter was pressed: the step's run: may start */
	int run_told;		/* a run: that ended without a pass was said so */
	int done;		/* the step passed; Enter starts the next */
	unsigned long told;	/* rep.scr.printed when the step's text was last shown */
	int asked_since;	/* a command printed since: 'status', 'timeline' ... */
	char guess[200];
	int confirm_all;	/* "reset all": waiting for y/n */
	int passed, failed, finished, quit;
};

/* Run the lab; returns the exit status (--auto: 0 only if every step passed). */
int session_run(struct lab *lab, const struct options *opt);

/* step.c: the steps, driven by session.c. */
void step_enter(struct session *s, int step);
void step_back(struct session *s);
void step_run_again(struct session *s);
int step_has_run(const struct lab_step *st);
void step_remind(struct session *s);
void step_tick(struct session *s);
int step_start_server(struct session *s, const char *args);
void step_stop_server(struct session *s);
const char *step_server(const struct session *s, int step);
void step_show_log(struct session *s);
void step_evidence(const struct session *s, struct evidence *e);

#endif
