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

/* After a run: ends, the kernel's view may lag a scan or two behind. */
#define RUN_GRACE 1.5

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
	if (observe_start(&s->obs, s->self, args, s->host) == -1) {
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
	s->go = s->auto_mode;
	s->run_told = 0;
	s->done = 0;
	play_new_step(&s->pl);
}

int step_has_run(const struct lab_step *st)
{
	for (int i = 0; i < st->nactions; i++)
		if (st->actions[i].kind == ACT_RUN)
			return 1;
	return 0;
}

/* The step's text has just been shown: it is the last thing on the screen. */
static void told(struct session *s)
{
	s->told = s->rep.scr.printed;
}

void step_enter(struct session *s, int step)
{
	const struct lab_step *st;
	const char *want;

	step = runnable(s, step);
	if (step >= s->lab->nsteps) {
		s->finished = 1;
		s->done = 0;
		report_lab_done(&s->rep, s->lab);
		s->step = s->lab->nsteps - 1;
		told(s);
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
	told(s);
}

/*
 * 'back': the step before. A client still connected from before counts for
 * it: its accept and what it said are this step's evidence again.
 */
void step_back(struct session *s)
{
	int before = s->obs.nevents;

	step_enter(s, s->step > 0 ? s->step - 1 : 0);
	if (s->mark != before)
		return;		/* a server of its own: a new story */
	for (int i = 0; i < s->obs.nclients; i++) {
		const struct obs_client *c = &s->obs.clients[i];

		if (c->accepted_at < 0 || c->closed_at >= 0)
			continue;
		for (int e = 0; e < s->mark; e++)
			if (s->obs.events[e].kind == EV_ACCEPT && s->obs.events[e].port == c->port)
				s->mark = e;
	}
}

/* Enter, 'run' or 'check' on a run: step: from its run: on, again if it ran. */
void step_run_again(struct session *s)
{
	const struct lab_step *st = &s->lab->steps[s->step];
	int first = 0;

	while (first < st->nactions && st->actions[first].kind != ACT_RUN)
		first++;
	if (s->action > first) {
		play_new_step(&s->pl);
		s->action = first;
		s->actions_done_at = -1;
		report_running_again(&s->rep);
	}
	s->go = 1;
	s->run_told = 0;
}

/* Has anything come since the step's text (the log, 'status')? Show it again. */
void step_remind(struct session *s)
{
	if (s->auto_mode || s->confirm_all || s->finished || s->told == s->rep.scr.printed ||
	    lab_now() - s->rep.scr.printed_at < 0.25)
		return;
	if (s->done && !s->asked_since) {	/* the log pushed the explanation up */
		report_passed_again(&s->rep, s->lab, s->step, s->guess);
		report_press_enter(&s->rep, s->step + 1 == s->lab->nsteps);
	} else if (s->done)		/* what the student asked for stays in view */
		report_press_enter(&s->rep, s->step + 1 == s->lab->nsteps);
	else if (s->asking)
		report_predict(&s->rep, &s->lab->steps[s->step]);
	else
		report_step_again(&s->rep, s->lab, s->step);
	told(s);
	s->asked_since = 0;
}

/* Play the actions whose turn it is. 1: all are played and done. */
static int play_due(struct session *s, const struct lab_step *st)
{
	while (s->action < st->nactions && play_gate_open(&s->pl, s->obs.nclients)) {
		const struct lab_action *a = &st->actions[s->action++];
		char text[1024];

		if (!s->auto_mode && a->kind != ACT_RUN)
			continue;	/* the student plays it */
		if (a->kind == ACT_RUN && !s->go) {
			s->action--;	/* it waits for the student's Enter */
			return 0;
		}
		lab_expand(a->text, s->typed_host, s->obs.port, s->self, text, sizeof(text));
		if (s->auto_mode)
			report_action(&s->rep, a);	/* the shell showed it with the step */
		play_action(&s->pl, a, text, s->obs.nclients, st->timeout_ms / 1000.0);
	}
	return s->action == st->nactions && play_gate_open(&s->pl, s->obs.nclients);
}

void step_tick(struct session *s)
{
	const struct lab_step *st;
	struct evidence e;

	if (s->finished || s->asking || s->confirm_all || s->done)
		return;
	st = &s->lab->steps[s->step];
	if (!play_due(s, st))
		return;
	if (s->actions_done_at < 0)
		s->actions_done_at = lab_now();
	step_evidence(s, &e);
	if (expect_all(st, &e)) {
		report_result(&s->rep, s->lab, s->step, &e, 1, s->guess);
		s->passed++;
		if (s->auto_mode) {
			step_enter(s, s->step + 1);
			return;
		}
		/* Only a lab the student played counts as done, not --auto's demo. */
		progress_mark(s->lab, s->step);
		s->done = 1;
		report_press_enter(&s->rep, s->step + 1 == s->lab->nsteps);
		told(s);
		return;
	}
	/* A run: that ended and did not pass: say what is missing, once. */
	if (!s->auto_mode && s->pl.run.done && !s->run_told &&
	    lab_now() - s->actions_done_at > RUN_GRACE) {
		report_run_missed(&s->rep, st, &e);
		s->run_told = 1;
		told(s);
	}
	if (s->auto_mode && lab_now() - s->actions_done_at > st->timeout_ms / 1000.0) {
		report_result(&s->rep, s->lab, s->step, &e, 0, s->guess);
		s->failed = 1;
		s->quit = 1;
	}
}
