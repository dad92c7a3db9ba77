/*
 * result.c - a verdict in words: the 'check' list, and the PASS or FAIL
 * line that ends a step, with the prediction, the explanation or a hint.
 * The words are the student's, not a test's: what the server did, what
 * the kernel held; a count "(so far: N)" only for what has not held yet.
 */
#include <stdio.h>
#include <string.h>

#include "figure.h"
#include "i18n.h"
#include "report.h"

static const char *direction(const struct lab_expect *ex)
{
	return ex->kind == EX_NUMBER_BELOW || ex->kind == EX_TOOK_BELOW ? _("below") : _("above");
}

/* The kinds about the run: command. */
static void verdict_run(const struct lab_expect *ex, const struct verdict *v, char *what,
    size_t len)
{
	int number = ex->kind == EX_NUMBER_BELOW || ex->kind == EX_NUMBER_ABOVE;

	if (number && v->known)
		snprintf(what, len, _("the last number printed, %ld, is %s %ld"), v->number,
		    direction(ex), ex->n);
	else if (number)
		snprintf(what, len, _("a number %s %ld printed"), direction(ex), ex->n);
	else if (v->known)
		snprintf(what, len, _("it took %s s, %s %s s"), figure_text(v->took, 2),
		    direction(ex), figure_text(ex->n / 1000.0, 2));
	else
		snprintf(what, len, _("the command's time, %s %s s"), direction(ex),
		    figure_text(ex->n / 1000.0, 2));
}

/* The kinds the kernel shows: who is connected, who waits, whose bytes wait. */
static void verdict_kernel(const struct lab_expect *ex, char *what, size_t len)
{
	long n = ex->n;
	const char *secs = figure_text(ex->ms / 1000.0, 1);

	switch (ex->kind) {
	case EX_CONNECTED:
		if (n == 0)
			snprintf(what, len, "%s", _("nobody is connected any more"));
		else
			snprintf(what, len, ngettext("%ld client is connected", "%ld clients are "
			    "connected at the same time", n), n);
		break;
	case EX_WAITING:
		snprintf(what, len, ngettext("%ld client waited %s s in the kernel's queue, "
		    "connected but not accepted", "%ld clients waited %s s in the kernel's queue, "
		    "connected but not accepted", n), n, secs);
		break;
	default:
		snprintf(what, len, ngettext("the bytes of %ld client sat %s s unread, in the "
		    "kernel, for nobody recv()ed them", "the bytes of %ld clients sat %s s unread, "
		    "in the kernel, for nobody recv()ed them", n), n, secs);
		break;
	}
}

void report_verdict(const struct lab_expect *ex, const struct verdict *v, char *what,
    size_t len)
{
	long n = ex->n;
	size_t o;

	switch (ex->kind) {
	case EX_ACCEPTED:
		snprintf(what, len, ngettext("the server accepted %ld client",
		    "the server accepted %ld clients", n), n);
		break;
	case EX_RECEIVED:
		snprintf(what, len, _("the server received '%s'"), ex->text);
		break;
	case EX_MESSAGES:
		snprintf(what, len, ngettext("the server received %ld message",
		    "the server received %ld messages", n), n);
		break;
	case EX_CLOSED:
		snprintf(what, len, ngettext("%ld connection was closed",
		    "%ld connections were closed", n), n);
		break;
	case EX_CONNECTED:
	case EX_WAITING:
	case EX_UNREAD:
		verdict_kernel(ex, what, len);
		break;
	case EX_LISTENER_CLOSED:
		snprintf(what, len, "%s", _("nobody listens on the port any more: a new connect "
		    "is refused"));
		break;
	case EX_EXITED:
		snprintf(what, len, "%s", v->bad_exit ? _("the server ended by itself, but not "
		    "with exit status 0") : _("the server ended by itself, with exit status 0"));
		break;
	case EX_SERVED_BY:
		if (n == 1)
			snprintf(what, len, _("the log shows a [%s N] doing the work"), ex->text);
		else
			snprintf(what, len, _("the log shows %ld different [%s N] doing the work"),
			    n, ex->text);
		break;
	case EX_LOG:
		snprintf(what, len, _("the log said '%s'"), ex->text);
		break;
	case EX_OUTPUT:
		snprintf(what, len, _("'%s' was printed"), ex->text);
		break;
	default:
		verdict_run(ex, v, what, len);
		return;
	}
	/* Not there yet: how far it got. */
	o = strlen(what);
	if (!v->holds && ex->kind != EX_RECEIVED && ex->kind != EX_LOG && ex->kind != EX_OUTPUT &&
	    ex->kind != EX_LISTENER_CLOSED && ex->kind != EX_EXITED && o < len)
		snprintf(what + o, len - o, _(" (so far: %d)"), v->count);
}

void report_check(struct report *r, const struct lab_step *st, const struct evidence *e)
{
	for (int i = 0; i < st->nexpects; i++) {
		struct verdict v;
		char what[256];

		expect_judge(&st->expects[i], e, &v);
		report_verdict(&st->expects[i], &v, what, sizeof(what));
		screen_print(&r->scr, "  %s %s\n", v.holds ? screen_paint(&r->scr, "32", "[x]") :
		    "[ ]", what);
	}
}

/*
 * The expectations in words, "; " between them: only the failed ones, or,
 * for a step that passed, all but the output looked for (it is on the
 * screen, just above).
 */
static void summary(const struct lab_step *st, const struct evidence *e, int only_failed,
    char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; i < st->nexpects; i++) {
		struct verdict v;
		char what[256];
		int holds = expect_judge(&st->expects[i], e, &v);

		if (only_failed ? !holds : st->expects[i].kind != EX_OUTPUT) {
			report_verdict(&st->expects[i], &v, what, sizeof(what));
			o += (size_t)snprintf(out + o, o < len ? len - o : 0, "%s%s", o ? "; " : "",
			    what);
			if (o >= len)
				o = len - 1;
		}
	}
}

/*
 * After a prediction: the guess, what happened, and if it passed the rest
 * of the explanation. 1: the explanation is out.
 */
static int report_prediction(struct report *r, const struct lab_step *st, int ok,
    const char *guess, const char *what)
{
	char happened[2048];
	char *stop;

	/* The first sentence of the explanation says what happened. */
	snprintf(happened, sizeof(happened), "%s", st->explain ? st->explain : what);
	if (st->explain != NULL && (stop = strstr(happened, ". ")) != NULL)
		stop[1] = '\0';
	screen_print(&r->scr, _("  You predicted: %s\n"), guess[0] ? guess : _("(no guess)"));
	report_text(r, _("  What happened: "), happened);
	if (ok && st->explain != NULL && strlen(happened) < strlen(st->explain))
		report_text(r, _("  Why: "), st->explain + strlen(happened) + 1);
	return st->explain != NULL;
}

void report_missing(const struct lab_step *st, const struct evidence *e, char *out,
    size_t len)
{
	summary(st, e, 1, out, len);
}

void report_hint(struct report *r, const struct lab_step *st, const struct evidence *e,
    int not_run)
{
	char missing[2048];

	report_text(r, _("  Hint: "), st->hint);
	if (not_run) {
		screen_print(&r->scr, _("  Press Enter: the lab runs the step's command.\n"));
		return;
	}
	report_missing(st, e, missing, sizeof(missing));
	if (missing[0] != '\0')
		report_text(r, _("  This step waits for: "), missing);
	else
		screen_print(&r->scr, _("  This step has passed: Enter goes on to the next.\n"));
}

void report_run_missed(struct report *r, const struct lab_step *st, const struct evidence *e)
{
	char missing[2048];

	summary(st, e, 1, missing, sizeof(missing));
	report_text(r, _("  Not yet: "), missing);
	report_text(r, _("  Hint: "), st->hint);
	screen_print(&r->scr, "  %s\n", screen_paint(&r->scr, "1", _("Press Enter to run it "
	    "again, once you have changed what it needs.")));
}

void report_result(struct report *r, const struct lab *lab, int step,
    const struct evidence *e, int ok, const char *guess)
{
	const struct lab_step *st = &lab->steps[step];
	char what[2048];
	char where[64], hang[64];
	int explained = 0;

	snprintf(where, sizeof(where), _("(step %d of %d):"), step + 1, lab->nsteps);
	/* A long summary wraps under itself, "PASS (step 1 of 5): " left clear. */
	snprintf(hang, sizeof(hang), "%*s", (int)strlen(where) + 6, "");
	summary(st, e, !ok, what, sizeof(what));
	if (what[0] == '\0')
		snprintf(what, sizeof(what), "%s", _("the output above shows it"));
	screen_print_hang(&r->scr, hang, "%s %s %s\n", ok ?
	    screen_paint(&r->scr, "1;32", "PASS") : screen_paint(&r->scr, "1;31", "FAIL"),
	    where, what);
	if (st->predict != NULL && !r->auto_mode)
		explained = report_prediction(r, st, ok, guess, what);
	/* A step that passed needs no hint: the hint is for 'hint' and a failed step. */
	if (ok && !explained)
		report_text(r, _("  Why: "), st->explain);
	else if (!ok && st->hint != NULL)
		report_text(r, _("  Hint: "), st->hint);
}

void report_passed_again(struct report *r, const struct lab *lab, int step, const char *guess)
{
	const struct lab_step *st = &lab->steps[step];
	char where[64];

	snprintf(where, sizeof(where), _("(step %d of %d)"), step + 1, lab->nsteps);
	screen_print(&r->scr, "%s %s\n", screen_paint(&r->scr, "1;32", "PASS"), where);
	if (st->predict == NULL || !report_prediction(r, st, 1, guess, ""))
		report_text(r, _("  Why: "), st->explain);
}
