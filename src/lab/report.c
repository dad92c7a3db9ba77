/*
 * report.c - what the student reads: the lab's header, each step, what to
 * type, the server's log as it happens, and the lab's end.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "now.h"
#include "report.h"

void report_text(struct report *r, const char *lead, const char *text)
{
	char buf[4096];

	if (text == NULL)
		return;
	lab_expand(text, r->host, r->port, r->self, buf, sizeof(buf));
	screen_wrap(&r->scr, lead, buf);
}

void report_cannot_start(const char *transcript, const char *why)
{
	fflush(stdout);
	if (transcript != NULL)
		fprintf(stderr, _("netlab: cannot write the transcript %s: %s\n"), transcript, why);
	else if (why != NULL)
		fprintf(stderr, _("netlab: cannot find my own binary in /proc/self/exe: %s\n"), why);
	else
		fprintf(stderr, _("netlab: out of memory\n"));
}

void report_lab(struct report *r, const struct lab *lab)
{
	screen_print(&r->scr, "%s\n", screen_paint(&r->scr, "1", lab->title));
	report_text(r, "", lab->intro);
	if (r->auto_mode)
		report_text(r, "", _("--auto: the lab plays the student too; every command it "
		    "types is shown, so you can type it yourself."));
	else
		report_text(r, "", _("Each step says what to do, then waits for you; when it "
		    "passes, it says why, and Enter goes on. 'help' lists the commands."));
}

/*
 * The server's log, as it happens. A burst (a thousand clients at once) is
 * cut to the first lines of each second, so that the screen stays readable;
 * status and timeline still know every line.
 */
#define LINES_PER_SECOND 40
#define LINE_SHOWN 200

static void report_hidden(struct report *r)
{
	screen_print(&r->scr, _("  %s ... %d more lines\n"), screen_paint(&r->scr, "2", "|"),
	    r->hidden);
}

/* A wrapped log line goes on under its text, its "[actor]" tag left clear. */
static const char *log_hang(struct report *r, const char *line)
{
	static char hang[64];
	size_t tag = line[0] == '[' && strchr(line, ']') != NULL ? strcspn(line, "]") + 2 : 0;

	if (tag > 24)
		tag = 0;
	snprintf(hang, sizeof(hang), "  %s %*s", screen_paint(&r->scr, "2", "|"), (int)tag, "");
	return hang;
}

void report_log_line(struct report *r, const char *line)
{
	double now = lab_now();

	if (now - r->window >= 1) {
		if (r->hidden > 0)
			report_hidden(r);
		r->window = now;
		r->shown = r->hidden = 0;
	}
	if (r->shown++ >= LINES_PER_SECOND) {
		r->hidden++;
		return;
	}
	/* A 1024-byte chunk of \xNN escapes is 4 KiB: show its start. */
	screen_print_hang(&r->scr, log_hang(r, line), "  %s %.*s%s\n",
	    screen_paint(&r->scr, "2", "|"), LINE_SHOWN, line, strlen(line) > LINE_SHOWN ? " ..." : "");
}

void report_log_flush(struct report *r)
{
	if (r->hidden > 0 && lab_now() - r->window >= 1) {
		report_hidden(r);
		r->hidden = r->shown = 0;
	}
}

void report_server_starting(struct report *r, const char *args)
{
	screen_print(&r->scr, "%s %s %s --port 0\n",
	    screen_paint(&r->scr, "1", _("Starting the server:")), r->self, args);
}

void report_server_failed(struct report *r, const char *args, const char *why)
{
	if (why != NULL)
		screen_print(&r->scr, _("netlab: cannot start 'netlab %s': %s\n"), args, why);
	else
		screen_print(&r->scr, _("netlab: the server 'netlab %s' did not start (see its "
		    "lines above)\n"), args);
}

void report_step(struct report *r, const struct lab *lab, int step)
{
	char title[256];

	snprintf(title, sizeof(title), _("Step %d of %d: %s"), step + 1, lab->nsteps,
	    lab->steps[step].title);
	screen_print(&r->scr, "\n%s\n", screen_paint(&r->scr, "1;36", title));
	report_text(r, "  ", lab->steps[step].say);
}

void report_step_missing(struct report *r, const struct lab *lab, int step, const char *missing)
{
	screen_print(&r->scr, _("\n(step %d of %d, '%s', needs 'netlab %s', which this build does "
	    "not have yet: skipped)\n"), step + 1, lab->nsteps, lab->steps[step].title, missing);
}

void report_step_skipped(struct report *r, int step)
{
	screen_print(&r->scr, _("  (step %d skipped)\n"), step + 1);
}

void report_lab_done(struct report *r, const struct lab *lab)
{
	screen_print(&r->scr, _("\n%s all %d steps of lab %d (%s) are done.%s\n"),
	    screen_paint(&r->scr, "1;32", _("Well done:")), lab->nsteps, lab->number, lab->name,
	    r->auto_mode ? "" : _(" 'back' revisits a step, 'quit' leaves."));
}

void report_press_enter(struct report *r, int last)
{
	screen_print(&r->scr, "  %s\n", screen_paint(&r->scr, "1", last ?
	    _("Press Enter to finish the lab.") : _("Press Enter for the next step.")));
}

void report_predict(struct report *r, const struct lab_step *st)
{
	report_text(r, _("  Predict: "), st->predict);
	if (r->auto_mode)
		screen_print(&r->scr, _("  (--auto makes no guess)\n"));
	else
		screen_print(&r->scr, _("  Type your guess and press Enter ('skip' makes none).\n"));
}

void report_guess(struct report *r, const char *guess)
{
	screen_print(&r->scr, _("  Your guess is noted: %s\n"), guess[0] ? guess : _("(none)"));
}

/*
 * A terminal's name as the student reads it. The lab files name their
 * terminals in English ("do first: nc ..."), in every language, so that
 * the runner finds them; the student reads "primo" in Italian.
 */
static const char *term_label(const char *who)
{
	static const char *const names[] = { N_("first"), N_("second"), N_("third"),
	    N_("fourth"), N_("fifth"), N_("sixth") };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(who, names[i]) == 0)
			return _(names[i]);
	return who;
}

/* What the auto player does, as it does it. */
static void report_played(struct report *r, const struct lab_action *a, const char *text)
{
	const char *who = a->kind == ACT_RUN ? "" : screen_paint(&r->scr, "33", term_label(a->who));

	switch (a->kind) {
	case ACT_DO: screen_print(&r->scr, "  %s $ %s\n", who, text); break;
	case ACT_TYPE: screen_print(&r->scr, _("  %s (types) %s\n"), who, text); break;
	case ACT_STOP: screen_print(&r->scr, _("  %s (presses Ctrl-C)\n"), who); break;
	case ACT_EOF: screen_print(&r->scr, _("  %s (presses Ctrl-D)\n"), who); break;
	case ACT_RUN: screen_print(&r->scr, "  $ %s\n", text); break;
	case ACT_EDIT: screen_print(&r->scr, _("  (edits %s) %s\n"), a->who, text); break;
	}
}

/* "edit FILE: OLD => NEW": the line to find, and what it becomes. */
static void report_edit(struct report *r, const char *file, const char *change)
{
	const char *arrow = strstr(change, " => ");

	screen_print(&r->scr, _("  Edit %s: change the line\n      %.*s\n  into\n      %s\n"),
	    file, (int)(arrow - change), change, screen_paint(&r->scr, "1", arrow + 4));
}

void report_action(struct report *r, const struct lab_action *a)
{
	char text[1024];

	lab_expand(a->text, r->host, r->port, r->self, text, sizeof(text));
	if (r->auto_mode) {
		report_played(r, a, text);
		return;
	}
	switch (a->kind) {
	case ACT_DO:
		screen_print(&r->scr, _("  In a new terminal (call it '%s'), type:\n      %s\n"),
		    term_label(a->who), screen_paint(&r->scr, "1", text));
		break;
	case ACT_TYPE:
		screen_print(&r->scr, _("  In '%s', type:  %s\n"), term_label(a->who),
		    screen_paint(&r->scr, "1", text));
		break;
	case ACT_STOP:
		screen_print(&r->scr, _("  In '%s', press Ctrl-C.\n"), term_label(a->who));
		break;
	case ACT_EOF:
		screen_print(&r->scr, _("  In '%s', press Ctrl-D.\n"), term_label(a->who));
		break;
	case ACT_RUN:
		screen_print(&r->scr, _("  Press Enter and the lab runs this for you:\n      %s\n"),
		    screen_paint(&r->scr, "1", text));
		break;
	case ACT_EDIT:
		report_edit(r, a->who, text);
		break;
	}
}

void report_step_again(struct report *r, const struct lab *lab, int step)
{
	char title[256];

	snprintf(title, sizeof(title), _("Step %d of %d: %s"), step + 1, lab->nsteps,
	    lab->steps[step].title);
	screen_print(&r->scr, "\n%s\n", screen_paint(&r->scr, "1;36", title));
	report_actions(r, &lab->steps[step]);
}

void report_running_again(struct report *r)
{
	screen_print(&r->scr, _("  (running it again)\n"));
}

void report_type_there(struct report *r, const struct lab_action *a)
{
	screen_print(&r->scr, _("  '%s' goes into the nc window '%s', not here: this window is "
	    "the lab's own.\n"), a->text, term_label(a->who));
}

void report_actions(struct report *r, const struct lab_step *st)
{
	if (!r->auto_mode)
		for (int i = 0; i < st->nactions; i++)
			report_action(r, &st->actions[i]);
	report_text(r, _("  Watch: "), st->watch);
}

void report_output(struct report *r, const char *who, const char *line, int is_run)
{
	screen_print(&r->scr, "  %s%s %s\n", screen_paint(&r->scr, "33", is_run ? who :
	    term_label(who)), is_run ? "" : ":", line);
}

void report_reset(struct report *r, const struct lab *lab, int all, int ok)
{
	if (all)
		screen_print(&r->scr, "%s", ok ? _("  every lab's progress is forgotten\n") :
		    _("  netlab: cannot reset the progress\n"));
	else
		screen_print(&r->scr, ok ? _("  the progress of lab %d is forgotten\n") :
		    _("  netlab: cannot reset the progress of lab %d\n"), lab->number);
}

void report_nothing_reset(struct report *r)
{
	screen_print(&r->scr, _("  nothing was reset\n"));
}

void report_unknown(struct report *r, const char *word)
{
	screen_print(&r->scr, _("  unknown command '%s': try help\n"), word);
}

void report_interrupt(struct report *r)
{
	screen_print(&r->scr, _("\n  (Ctrl-C: type 'quit' to leave; Ctrl-C again quits)\n"));
}

void report_end_of_input(struct report *r)
{
	screen_print(&r->scr, "\n");
}

void report_final(struct report *r, const struct lab *lab, int passed, int ok)
{
	screen_print(&r->scr, _("%s: %d of %d steps passed\n"), ok ?
	    screen_paint(&r->scr, "1;32", _("lab passed")) : screen_paint(&r->scr, "1;31",
	    _("lab failed")), passed, lab->nsteps);
}
