/*
 * result.c - a verdict in words: the 'check' list, and the PASS or FAIL
 * line that ends a step, with the prediction, the explanation or a hint.
 */
#include <stdio.h>
#include <string.h>

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
		snprintf(what, len, _("it took %.2f s, %s %.2f s"), v->took, direction(ex),
		    ex->n / 1000.0);
	else
		snprintf(what, len, _("the command's time, %s %.2f s"), direction(ex), ex->n / 1000.0);
}

void report_verdict(const struct lab_expect *ex, const struct verdict *v, char *what,
    size_t len)
{
	long n = ex->n;
	int seen = v->count;

	switch (ex->kind) {
	case EX_ACCEPTED:
		snprintf(what, len, ngettext("%ld client accepted (%d seen)",
		    "%ld clients accepted (%d seen)", n), n, seen);
		break;
	case EX_RECEIVED:
		snprintf(what, len, _("the server received '%s'"), ex->text);
		break;
	case EX_MESSAGES:
		snprintf(what, len, ngettext("%ld message received (%d seen)",
		    "%ld messages received (%d seen)", n), n, seen);
		break;
	case EX_CLOSED:
		snprintf(what, len, ngettext("%ld connection closed (%d seen)",
		    "%ld connections closed (%d seen)", n), n, seen);
		break;
	case EX_CONNECTED:
		snprintf(what, len, ngettext("%ld client connected at once (%d now)",
		    "%ld clients connected at once (%d now)", n), n, seen);
		break;
	case EX_WAITING:
		snprintf(what, len, ngettext("%ld client kept waiting: connected, not accepted "
		    "for %.1f s (%d now)", "%ld clients kept waiting: connected, not accepted for "
		    "%.1f s (%d now)", n), n, ex->ms / 1000.0, seen);
		break;
	case EX_UNREAD:
		snprintf(what, len, ngettext("the bytes of %ld client left unread by the server "
		    "for %.1f s (%d now)", "the bytes of %ld clients left unread by the server for "
		    "%.1f s (%d now)", n), n, ex->ms / 1000.0, seen);
		break;
	case EX_LISTENER_CLOSED:
		snprintf(what, len, _("the listening socket is closed: a new connect is refused"));
		break;
	case EX_EXITED:
		snprintf(what, len, _("the server ended by itself with exit status 0%s"),
		    v->bad_exit ? " (it did not)" : "");
		break;
	case EX_SERVED_BY:
		if (n == 1)
			snprintf(what, len, _("a '%s N' did the work (%d seen)"), ex->text, seen);
		else
			snprintf(what, len, _("%ld different '%s N' did the work (%d seen)"), n,
			    ex->text, seen);
		break;
	case EX_LOG:
		snprintf(what, len, _("the log said '%s'"), ex->text);
		break;
	case EX_OUTPUT:
		snprintf(what, len, _("a client or command printed '%s'"), ex->text);
		break;
	default:
		verdict_run(ex, v, what, len);
		break;
	}
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

/* The expectations in words, "; " between them; only the failed ones if asked. */
static void summary(const struct lab_step *st, const struct evidence *e, int only_failed,
    char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; i < st->nexpects; i++) {
		struct verdict v;
		char what[256];

		if (!expect_judge(&st->expects[i], e, &v) || !only_failed) {
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
