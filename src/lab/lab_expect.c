/*
 * lab_expect.c - does a step's expectation hold? Asked from the server's
 * own log events (since the step began) and from the kernel's view of the
 * port (lab_watch.c). Also the one pass/fail line that ends a step.
 */
#include <stdlib.h>
#include <string.h>

#include "lab_runner.h"

static int count_since_mark(enum event_kind kind, const char *text)
{
	int n = 0;

	for (int i = sess.mark; i < sess.w.nevents; i++)
		if ((kind == EV_OTHER || sess.w.events[i].kind == kind) &&
		    (text == NULL || strstr(sess.w.events[i].text, text) != NULL))
			n++;
	return n;
}

static int actors_since_mark(const char *prefix)
{
	char seen[64][32];
	int n = 0;

	for (int i = sess.mark; i < sess.w.nevents && n < 64; i++) {
		const struct watch_event *ev = &sess.w.events[i];
		int known = 0;

		if (ev->kind == EV_NOTE || strncmp(ev->actor, prefix, strlen(prefix)) != 0)
			continue;
		for (int j = 0; j < n; j++)
			known |= strcmp(seen[j], ev->actor) == 0;
		if (!known)
			snprintf(seen[n++], sizeof(seen[0]), "%s", ev->actor);
	}
	return n;
}

static int last_number(long *out)
{
	const char *p = sess.run.output, *found = NULL;

	for (; p != NULL && *p; p++)
		if (*p >= '0' && *p <= '9' && (p == sess.run.output || p[-1] < '0' || p[-1] > '9'))
			found = p;
	if (found == NULL)
		return 0;
	*out = strtol(found, NULL, 10);
	return 1;
}

/* Does ex hold now? what: the check in words, with what was seen. */
int lab_holds(const struct lab_expect *ex, char *what, size_t len)
{
	int n;
	long num = 0;
	int have = 0;

	switch (ex->kind) {
	case EX_ACCEPTED:
		n = count_since_mark(EV_ACCEPT, NULL);
		snprintf(what, len, "%ld client%s accepted (%d seen)", ex->n, ex->n == 1 ? "" : "s", n);
		return n >= ex->n;
	case EX_RECEIVED:
		n = count_since_mark(EV_RECEIVED, ex->text);
		snprintf(what, len, "the server received '%s'", ex->text);
		return n > 0;
	case EX_MESSAGES:
		n = count_since_mark(EV_RECEIVED, NULL);
		snprintf(what, len, "%ld message%s received (%d seen)", ex->n, ex->n == 1 ? "" : "s", n);
		return n >= ex->n;
	case EX_CLOSED:
		n = count_since_mark(EV_CLOSED, NULL);
		snprintf(what, len, "%ld connection%s closed (%d seen)", ex->n,
		    ex->n == 1 ? "" : "s", n);
		return n >= ex->n;
	case EX_CONNECTED:
		n = watch_connected(&sess.w);
		snprintf(what, len, "%ld client%s connected at once (%d now)", ex->n,
		    ex->n == 1 ? "" : "s", n);
		return n == ex->n;
	case EX_WAITING:
		n = watch_queued(&sess.w, ex->ms);
		snprintf(what, len, "%ld client%s kept waiting: connected, not accepted for %.1f s "
		    "(%d now)", ex->n, ex->n == 1 ? "" : "s", ex->ms / 1000.0, n);
		return n >= ex->n;
	case EX_UNREAD:
		n = watch_unread(&sess.w, ex->ms);
		snprintf(what, len, "the bytes of %ld client%s left unread by the server for "
		    "%.1f s (%d now)", ex->n, ex->n == 1 ? "" : "s", ex->ms / 1000.0, n);
		return n >= ex->n;
	case EX_LISTENER_CLOSED:
		snprintf(what, len, "the listening socket is closed: a new connect is refused");
		return sess.w.port != 0 && !sess.w.listening;
	case EX_EXITED:
		snprintf(what, len, "the server ended by itself with exit status 0%s",
		    sess.w.exited && sess.w.status ? " (it did not)" : "");
		return sess.w.exited && sess.w.status == 0;
	case EX_SERVED_BY:
		n = actors_since_mark(ex->text);
		if (ex->n == 1)
			snprintf(what, len, "a '%s N' did the work (%d seen)", ex->text, n);
		else
			snprintf(what, len, "%ld different '%s N' did the work (%d seen)", ex->n,
			    ex->text, n);
		return n >= ex->n;
	case EX_LOG:
		n = count_since_mark(EV_OTHER, ex->text);
		snprintf(what, len, "the log said '%s'", ex->text);
		return n > 0;
	case EX_OUTPUT:
		snprintf(what, len, "a client or command printed '%s'", ex->text);
		return sess.seen.output != NULL && strcasestr(sess.seen.output, ex->text) != NULL;
	case EX_NUMBER_BELOW:
	case EX_NUMBER_ABOVE:
		have = sess.run.done && last_number(&num);
		if (have)
			snprintf(what, len, "the last number printed, %ld, is %s %ld", num,
			    ex->kind == EX_NUMBER_BELOW ? "below" : "above", ex->n);
		else
			snprintf(what, len, "a number %s %ld printed", ex->kind == EX_NUMBER_BELOW ?
			    "below" : "above", ex->n);
		return have && (ex->kind == EX_NUMBER_BELOW ? num < ex->n : num > ex->n);
	case EX_TOOK_BELOW:
	case EX_TOOK_ABOVE:
		if (sess.run.done)
			snprintf(what, len, "it took %.2f s, %s %.2f s", sess.run.took,
			    ex->kind == EX_TOOK_BELOW ? "below" : "above", ex->n / 1000.0);
		else
			snprintf(what, len, "the command's time, %s %.2f s",
			    ex->kind == EX_TOOK_BELOW ? "below" : "above", ex->n / 1000.0);
		return sess.run.done && (ex->kind == EX_TOOK_BELOW ? sess.run.took * 1000 < ex->n :
		    sess.run.took * 1000 > ex->n);
	}
	return 0;
}

int lab_all_hold(char *summary, size_t len, int only_failed)
{
	const struct lab_step *st = &sess.lab->steps[sess.step];
	int ok = 1;
	size_t o = 0;

	summary[0] = '\0';
	for (int i = 0; i < st->nexpects; i++) {
		char what[256];
		int h = lab_holds(&st->expects[i], what, sizeof(what));

		ok &= h;
		if (only_failed && h)
			continue;
		o += (size_t)snprintf(summary + o, o < len ? len - o : 0, "%s%s", o ? "; " : "", what);
		if (o >= len)
			o = len - 1;
	}
	return ok;
}

void lab_step_result(int ok)
{
	const struct lab_step *st = &sess.lab->steps[sess.step];
	char summary[2048], where[32];

	lab_all_hold(summary, sizeof(summary), !ok);
	snprintf(where, sizeof(where), "step %d of %d", sess.step + 1, sess.lab->nsteps);
	lab_print("%s (%s): %s\n", ok ? lab_paint("1;32", "PASS") : lab_paint("1;31", "FAIL"), where,
	    summary);
	if (st->predict != NULL && !sess.auto_mode) {
		char happened[2048];
		char *stop;

		/* The first sentence of the explanation says what happened. */
		snprintf(happened, sizeof(happened), "%s", st->explain ? st->explain : summary);
		if (st->explain != NULL && (stop = strstr(happened, ". ")) != NULL)
			stop[1] = '\0';
		lab_print("  You predicted: %s\n", sess.guess[0] ? sess.guess : "(no guess)");
		lab_wrap("  What happened: ", happened);
		if (ok && st->explain != NULL && strlen(happened) < strlen(st->explain))
			lab_wrap("  Why: ", st->explain + strlen(happened) + 1);
		ok = ok && st->explain == NULL;	/* the explanation is out already */
	}
	if (ok)
		lab_wrap("  Why: ", st->explain);
	else if (st->hint != NULL)
		lab_wrap("  Hint: ", st->hint);
}

