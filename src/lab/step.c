/*
 * step.c - a lab's steps: start the server a step needs, show the step,
 * play its actions (all of them with --auto, run: always), and as soon as
 * its expectations hold, say so and move on.
 */
#include <errno.h>
#include <string.h>

#include "expect.h"
#include "now.h"
#include "progress.h"
#include "session.h"

/* The server's new lines, on the screen. */
void step_show_log(struct session *s)
{
	for (; s->logged < s->obs.nevents; s->logged++)
		report_log_line(&s->rep, s->obs.events[s->logged].line);
}

void step_evidence(const struct session *s, struct evidence *e)
{
	e->obs = &s->obs;
	e->mark = s->mark;
	e->seen = s->pl.seen.text;
	e->run_output = s->pl.run.output.text;
	e->run_done = s->pl.run.done;
	e->run_took = s->pl.run.took;
}

/* The server in effect at a step: its own, or the last one before it. */
const char *step_server(const struct session *s, int step)
{
	for (int i = step; i >= 0; i--)
		if (s->lab->steps[i].server != NULL)
			return s->lab->steps[i].server;
	return s->lab->server;
}

void step_stop_server(struct session *s)
{
	play_stop_all(&s->pl);
	if (s->obs.child.pid > 0 || s->obs.child.output_fd >= 0)
		observe_stop(&s->obs);
	step_show_log(s);
	s->rep.port = s->obs.port;	/* {port}: 0 while no server runs */
}

int step_start_server(struct session *s, const char *args)
{
	step_stop_server(s);
	observe_clear(&s->obs);
	s->logged = 0;
	s->obs.exited = 0;
	if (strcmp(args, "none") == 0) {
		s->obs.args[0] = '\0';
		return 0;
	}
	report_server_starting(&s->rep, args);
	if (observe_start(&s->obs, s->self, args) == -1) {
		report_server_failed(&s->rep, args, strerror(errno));
		return -1;
	}
	/* Wait for its start line: the port is in it. */
	observe_wait_port(&s->obs, 5);
	step_show_log(s);
	s->rep.port = s->obs.port;
	if (s->obs.port == 0) {
		report_server_failed(&s->rep, args, NULL);
		return -1;
	}
	return 0;
}

/* The first step from 'step' on that this build can run; skipped ones said. */
static int runnable(struct session *s, int step)
{
	const char *missing;

	for (; step < s->lab->nsteps; step++) {
		missing = step_missing(&s->lab->steps[step]);
		if (missing == NULL)
			break;
		report_step_missing(&s->rep, s->lab, step, missing);
	}
	return step;
}

/* Forget the last step's actions, gates, guess and output. */
static void reset_step(struct session *s)
{
	s->mark = s->obs.nevents;
	s->action = 0;
	s->actions_done_at = -1;
	s->guess[0] = '\0';
	s->asking = 0;
	play_new_step(&s->pl);
}

void step_enter(struct session *s, int step)
{
	const struct lab_step *st;
	const char *want;

	step = runnable(s, step);
	if (step >= s->lab->nsteps) {
		s->finished = 1;
		report_lab_done(&s->rep, s->lab);
		s->step = s->lab->nsteps - 1;
		return;
	}
	st = &s->lab->steps[step];
	s->step = step;
	s->finished = 0;
	want = step_server(s, step);
	if (st->server != NULL || strcmp(want, s->obs.args[0] ? s->obs.args : "none") != 0 ||
	    (step == 0 && s->obs.child.pid == 0))
		step_start_server(s, want);
	report_step(&s->rep, s->lab, step);
	reset_step(s);
	if (st->predict != NULL) {
		report_predict(&s->rep, st);
		s->asking = !s->auto_mode;
	}
	if (!s->asking)
		report_actions(&s->rep, st);
}

/* Play the actions whose turn it is. 1: all are played and done. */
static int play_due(struct session *s, const struct lab_step *st)
{
	while (s->action < st->nactions && play_gate_open(&s->pl, s->obs.nclients)) {
		const struct lab_action *a = &st->actions[s->action++];
		char text[1024];

		if (!s->auto_mode && a->kind != ACT_RUN)
			continue;	/* the student plays it */
		lab_expand(a->text, s->obs.port, s->self, text, sizeof(text));
		report_action(&s->rep, a);
		play_action(&s->pl, a, text, s->obs.nclients, st->timeout_ms / 1000.0);
	}
	return s->action == st->nactions && play_gate_open(&s->pl, s->obs.nclients);
}

void step_tick(struct session *s)
{
	const struct lab_step *st;
	struct evidence e;

	if (s->finished || s->asking || s->confirm_all)
		return;
	st = &s->lab->steps[s->step];
	if (!play_due(s, st))
		return;
	if (s->actions_done_at < 0)
		s->actions_done_at = lab_now();
	step_evidence(s, &e);
	if (expect_all(st, &e)) {
		report_result(&s->rep, s->lab, s->step, &e, 1, s->guess);
		progress_mark(s->lab, s->step);
		s->passed++;
		step_enter(s, s->step + 1);
		return;
	}
	if (s->auto_mode && lab_now() - s->actions_done_at > st->timeout_ms / 1000.0) {
		report_result(&s->rep, s->lab, s->step, &e, 0, s->guess);
		s->failed = 1;
		s->quit = 1;
	}
}
