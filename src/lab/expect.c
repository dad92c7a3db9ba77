/*
 * expect.c - count what happened since the step began and compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

static int count_since(const struct evidence *e, enum event_kind kind, const char *text)
{
	const struct observer *o = e->obs;
	int n = 0;

	for (int i = e->mark; i < o->nevents; i++)
		if ((kind == EV_OTHER || o->events[i].kind == kind) &&
		    (text == NULL || strstr(o->events[i].text, text) != NULL))
			n++;
	return n;
}

/* How many different actors named "PREFIX ..." did something this step. */
static int actors_since(const struct evidence *e, const char *prefix)
{
	const struct observer *o = e->obs;
	char seen[64][32];
	int n = 0;

	for (int i = e->mark; i < o->nevents && n < 64; i++) {
		const struct obs_event *ev = &o->events[i];
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

static int last_number(const char *output, long *out)
{
	const char *found = NULL;

	for (const char *p = output; p != NULL && *p; p++)
		if (*p >= '0' && *p <= '9' && (p == output || p[-1] < '0' || p[-1] > '9'))
			found = p;
	if (found == NULL)
		return 0;
	*out = strtol(found, NULL, 10);
	return 1;
}

/* The kinds that count events or clients: how many, and is it enough? */
static int judge_count(const struct lab_expect *ex, const struct evidence *e, struct verdict *v)
{
	switch (ex->kind) {
	case EX_ACCEPTED: v->count = count_since(e, EV_ACCEPT, NULL); break;
	case EX_RECEIVED: v->count = count_since(e, EV_RECEIVED, ex->text); return v->count > 0;
	case EX_MESSAGES: v->count = count_since(e, EV_RECEIVED, NULL); break;
	case EX_CLOSED: v->count = count_since(e, EV_CLOSED, NULL); break;
	case EX_CONNECTED: v->count = observe_connected(e->obs); return v->count == ex->n;
	case EX_WAITING: v->count = observe_queued(e->obs, ex->ms); break;
	case EX_UNREAD: v->count = observe_unread(e->obs, ex->ms); break;
	case EX_SERVED_BY: v->count = actors_since(e, ex->text); break;
	default: v->count = count_since(e, EV_OTHER, ex->text); return v->count > 0;
	}
	return v->count >= ex->n;
}

/* The kinds about the run: command: its last number, its time. */
static int judge_run(const struct lab_expect *ex, const struct evidence *e, struct verdict *v)
{
	switch (ex->kind) {
	case EX_NUMBER_BELOW:
	case EX_NUMBER_ABOVE:
		v->known = e->run_done && last_number(e->run_output, &v->number);
		return v->known && (ex->kind == EX_NUMBER_BELOW ? v->number < ex->n :
		    v->number > ex->n);
	default:
		v->known = e->run_done;
		v->took = e->run_took;
		return v->known && (ex->kind == EX_TOOK_BELOW ? v->took * 1000 < ex->n :
		    v->took * 1000 > ex->n);
	}
}

int expect_judge(const struct lab_expect *ex, const struct evidence *e, struct verdict *v)
{
	const struct observer *o = e->obs;

	memset(v, 0, sizeof(*v));
	switch (ex->kind) {
	case EX_LISTENER_CLOSED:
		v->holds = o->port != 0 && !o->listening;
		break;
	case EX_EXITED:
		v->bad_exit = o->exited && o->status;
		v->holds = o->exited && o->status == 0;
		break;
	case EX_OUTPUT:
		v->holds = e->seen != NULL && strcasestr(e->seen, ex->text) != NULL;
		break;
	case EX_NUMBER_BELOW:
	case EX_NUMBER_ABOVE:
	case EX_TOOK_BELOW:
	case EX_TOOK_ABOVE:
		v->holds = judge_run(ex, e, v);
		break;
	default:
		v->holds = judge_count(ex, e, v);
		break;
	}
	return v->holds;
}

int expect_all(const struct lab_step *st, const struct evidence *e)
{
	struct verdict v;
	int ok = 1;

	for (int i = 0; i < st->nexpects; i++)
		ok &= expect_judge(&st->expects[i], e, &v);
	return ok;
}
