/*
 * status.c - the 'status' and 'timeline' views of what the observer saw:
 * who is connected, who waits in the kernel's queue, who served whom, and
 * the whole story as one lane per actor and client.
 */
#include <stdio.h>
#include <string.h>

#include "figure.h"
#include "i18n.h"
#include "kernel/kernel_text.h"
#include "now.h"
#include "report.h"

/* The server's line: what runs, where, whether it listens; then the counts. */
static void status_server(struct report *r, const struct observer *o)
{
	int connected = observe_connected(o);

	screen_print_hang(&r->scr, "        ", _("server: netlab %s, pid %d, on %s port %d, "
	    "%s\n"), o->args, (int)o->child.pid, o->host, o->port, o->listening ? _("listening") :
	    _("NOT listening (a connect is refused)"));
	if (strcmp(o->design, "limited") == 0)
		screen_print(&r->scr, ngettext("  %d of %d client accepted, %d still connected\n",
		    "  %d of %d clients accepted, %d still connected\n", o->limit),
		    observe_accepted(o), o->limit, connected);
	else if (strcmp(o->design, "pool") == 0)
		screen_print(&r->scr, ngettext("  %d client connected, %d workers\n",
		    "  %d clients connected, %d workers\n", connected), connected, o->limit);
	else
		screen_print(&r->scr, ngettext("  %d client connected\n", "  %d clients connected\n",
		    connected), connected);
}

/* Under a client's address, where its row goes on when it wraps. */
#define CLIENT_HANG "                         "

/* One client's row, if it is served or waits. 1: it had one. */
static int status_client(struct report *r, const struct obs_client *c, double now)
{
	if (c->accepted_at >= 0 && c->closed_at < 0) {
		screen_print_hang(&r->scr, CLIENT_HANG,
		    ngettext("  %-22s accepted %s s ago, served by %s, %d message%s\n",
		    "  %-22s accepted %s s ago, served by %s, %d messages%s\n", c->messages),
		    c->peer, figure_text(now - c->accepted_at, 1), c->served_by[0] ? c->served_by :
		    _("(not known yet)"), c->messages, c->unread_since >= 0 ? _(", bytes unread") : "");
		return 1;
	}
	if (c->accepted_at < 0 && c->in_kernel) {
		screen_print_hang(&r->scr, CLIENT_HANG, _("  %-22s WAITING: connected %s s ago, not "
		    "accepted yet (in the kernel's queue)%s\n"), c->peer,
		    figure_text(now - c->seen_at, 1),
		    c->unread_since >= 0 ? _(", its bytes unread") : "");
		return 1;
	}
	return 0;
}

/* What the kernel shows of the server, the picture 'netlab watch' draws. */
static void status_kernel(struct report *r, const struct observer *o)
{
	struct rows rows = { 0 };
	char title[80];

	snprintf(title, sizeof(title), _("the kernel's view, as 'netlab watch --port %d' shows it:"),
	    o->port);
	if (kernel_text_rows(&rows, &o->view, title, 8) == 0)
		for (size_t i = 0; i < rows.n; i++)
			screen_print(&r->scr, i == 0 ? "  %s\n" : "    %s\n", rows.row[i].text);
	kernel_text_free(&rows);
}

void report_status(struct report *r, const struct observer *o)
{
	double now = lab_now();
	int shown = 0;

	if (o->child.pid == 0 && o->exited) {
		screen_print(&r->scr, _("server: 'netlab %s' has ended (exit status %d); 'restart' "
		    "starts it again\n"), o->args, o->status);
		return;
	}
	if (o->child.pid == 0) {
		screen_print(&r->scr, _("server: none running\n"));
		return;
	}
	status_server(r, o);
	for (int i = 0; i < o->nclients; i++)
		shown += status_client(r, &o->clients[i], now);
	if (shown == 0)
		screen_print(&r->scr, _("  nobody is connected: start one with nc %s %d\n"),
		    r->host, o->port);
	status_kernel(r, o);
}

/* ---- the timeline: one lane per actor of the story, time left to right ---- */

#define COLS 40
#define MAX_LANES 16

struct axis {
	double t0, span;
};

static int column(const struct axis *x, double t)
{
	int col = (int)((t - x->t0) / x->span * (COLS - 1) + 0.5);

	return col < 0 ? 0 : col >= COLS ? COLS - 1 : col;
}

static void add_actor(char actors[][32], int *n, const char *actor)
{
	for (int a = 0; a < *n; a++)
		if (strcmp(actors[a], actor) == 0)
			return;
	if (*n < MAX_LANES)
		snprintf(actors[(*n)++], sizeof(actors[0]), "%s", actor);
}

/*
 * The server's actors, in the order they first appear; a thread that
 * serves a silent client has a lane too, an empty one.
 */
static int actors_of(const struct observer *o, char actors[][32])
{
	int n = 0;

	for (int i = 0; i < o->nevents; i++)
		if (o->events[i].actor[0] != '\0')
			add_actor(actors, &n, o->events[i].actor);
	for (int i = 0; i < o->nclients; i++)
		if (o->clients[i].served_by[0] != '\0')
			add_actor(actors, &n, o->clients[i].served_by);
	return n;
}

/*
 * A mark in a lane. Two events in one column (lab 1: the first client's
 * close and the second's accept) stand side by side: the later one moves
 * right, so that neither hides the other.
 */
static void mark(char *lane, int col, char what)
{
	for (int c = col; c < COLS && c <= col + 2; c++) {
		if (lane[c] == what)
			return;
		if (lane[c] == ' ') {
			lane[c] = what;
			return;
		}
	}
}

/* An actor's lane: A accepted, r received, c closed, | started or stopped. */
static void actor_lane(const struct observer *o, const struct axis *x, const char *actor,
    char *lane)
{
	memset(lane, ' ', COLS);
	lane[COLS] = '\0';
	for (int i = 0; i < o->nevents; i++) {
		const struct obs_event *ev = &o->events[i];
		int col = column(x, ev->t);

		if (strcmp(ev->actor, actor) != 0 || ev->t < x->t0)
			continue;
		if (ev->kind == EV_ACCEPT)
			mark(lane, col, 'A');
		else if (ev->kind == EV_RECEIVED)
			mark(lane, col, 'r');
		else if (ev->kind == EV_CLOSED)
			mark(lane, col, 'c');
		else if (ev->kind == EV_START || ev->kind == EV_STOP)
			mark(lane, col, '|');
	}
}

/* When a client's lane starts: the kernel saw it first, or its accept. -1: not drawn. */
static double lane_start(const struct obs_client *c, const struct axis *x)
{
	double from = c->seen_at >= 0 ? c->seen_at : c->accepted_at;

	return from < 0 || from < x->t0 ? -1 : from;
}

/*
 * A client's lane: . waiting in the kernel's accept queue, : accepted but
 * waiting in the server's own queue (a pool's), = served, x gone.
 */
static void client_lane(struct report *r, const struct obs_client *c, const struct axis *x,
    double now)
{
	double from = lane_start(c, x), acc = c->accepted_at, srv = c->served_at;
	double end = c->closed_at >= 0 ? c->closed_at : c->gone_at >= 0 ? c->gone_at : now;
	char lane[COLS + 1];

	if (from < 0)
		return;
	memset(lane, ' ', COLS);
	lane[COLS] = '\0';
	for (int col = column(x, from); col <= column(x, end); col++)
		lane[col] = srv >= 0 && col >= column(x, srv) ? '=' :
		    acc >= 0 && col >= column(x, acc) ? ':' : '.';
	if (c->closed_at >= 0 || c->gone_at >= 0)
		lane[column(x, end)] = 'x';
	screen_print(&r->scr, "  %-22s%s\n", c->peer, lane);
}

/* Under the lanes: how long each client waited in each queue, and who served it. */
static void client_waits(struct report *r, const struct obs_client *c, const struct axis *x,
    double now)
{
	double from = lane_start(c, x), acc = c->accepted_at, srv = c->served_at;
	double end = c->closed_at >= 0 ? c->closed_at : c->gone_at >= 0 ? c->gone_at : now;

	if (from < 0)
		return;
	if (acc < 0)
		screen_print_hang(&r->scr, CLIENT_HANG, _("  %-22s never accepted: %s s in the "
		    "kernel's queue\n"), c->peer, figure_text(end - from, 1));
	else
		screen_print_hang(&r->scr, CLIENT_HANG, _("  %-22s waited %s s in the kernel's "
		    "queue, %s s in the server's; served by %s\n"), c->peer,
		    figure_text(acc - from, 1), figure_text((srv >= 0 ? srv : end) - acc, 1),
		    srv >= 0 && c->served_by[0] ? c->served_by : _("nobody yet"));
}

void report_timeline(struct report *r, const struct observer *o)
{
	double now = lab_now();
	struct axis x = { o->started_at, now - o->started_at };
	char lane[COLS + 1], actors[MAX_LANES][32];
	int nactors;

	if (o->nevents == 0) {
		screen_print(&r->scr, _("timeline: nothing has happened yet\n"));
		return;
	}
	if (x.span < 1)
		x.span = 1;
	screen_print(&r->scr, _("timeline: %s s since the server started; one column = %s s\n"),
	    figure_text(x.span, 1), figure_text(x.span / (COLS - 1), 2));
	screen_print(&r->scr, "  %-22s0%*s%s s\n", "", COLS - 2, "", figure_text(x.span, 0));
	nactors = actors_of(o, actors);
	for (int a = 0; a < nactors; a++) {
		actor_lane(o, &x, actors[a], lane);
		screen_print(&r->scr, "  %-22s%s\n", actors[a], lane);
	}
	for (int i = 0; i < o->nclients; i++)
		client_lane(r, &o->clients[i], &x, now);
	screen_print(&r->scr, _("  A accept()  r received  c closed  | started or stopped\n"
	    "  . in the kernel's accept queue  : in the server's own queue  = served  x gone\n"));
	for (int i = 0; i < o->nclients; i++)
		client_waits(r, &o->clients[i], &x, now);
}
