/*
 * show_timeline.c - each look at the server (five a second) moves every
 * lane on: a thread still doing the same thing stretches its last span, a
 * thread doing something else starts a new one. A look is a sample: what
 * happened between two looks is not seen, so a span is known to within
 * one look's time.
 *
 * Who serves a client is read from the kernel, not guessed from the log:
 * the thread whose blocking call is on the client's socket; else, in a
 * process with one thread (an event loop, a forked child), that thread;
 * else the thread that served it last time, while that thread is on no
 * other client (a thread between two calls is busy with its client). An
 * accepted client nobody holds is waiting in the server's own queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "show_timeline.h"

#define LANES_KEPT 4096		/* ended lanes beyond this are forgotten, oldest first */

/* ---- lanes found by key: an open-addressing table of lane numbers ---- */

static size_t hash(const char *key)
{
	size_t h = 2166136261u;	/* FNV-1a */

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/* Where key's lane number is, or the empty slot where it would go. */
static size_t *slot(const struct show_lane *lanes, size_t *index, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);

	while (index[i] != 0 && strcmp(lanes[index[i] - 1].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &index[i];
}

static struct show_lane *find(struct show_lane *lanes, size_t *index, size_t cap,
    const char *key)
{
	size_t at;

	if (cap == 0)
		return NULL;
	at = *slot(lanes, index, cap, key);
	return at != 0 ? &lanes[at - 1] : NULL;
}

/* The table again, for n lanes, twice as many slots at least. */
static int reindex(struct show_lane *lanes, size_t n, size_t **index, size_t *cap)
{
	size_t want = 64;
	size_t *fresh;

	while (want < 2 * n + 2)
		want *= 2;
	if ((fresh = calloc(want, sizeof(*fresh))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		*slot(lanes, fresh, want, lanes[i].key) = i + 1;	/* a newer lane wins */
	free(*index);
	*index = fresh;
	*cap = want;
	return 0;
}

/* A new lane at the end (the key then finds it); NULL out of memory. */
static struct show_lane *add(struct show_lane **lanes, size_t *n, size_t *cap,
    size_t **index, size_t *capindex, const char *key)
{
	struct show_lane *lane;

	if (*n == *cap) {
		size_t more = *cap ? *cap * 2 : 64;
		struct show_lane *bigger = realloc(*lanes, more * sizeof(*bigger));

		if (bigger == NULL)
			return NULL;
		*lanes = bigger;
		*cap = more;
	}
	lane = &(*lanes)[(*n)++];
	memset(lane, 0, sizeof(*lane));
	snprintf(lane->key, sizeof(lane->key), "%s", key);
	if (2 * *n + 2 > *capindex)
		return reindex(*lanes, *n, index, capindex) == 0 ? lane : (--*n, NULL);
	*slot(*lanes, *index, *capindex, key) = *n;
	return lane;
}

/* Lanes that ended long ago go, when there are too many: the oldest first. */
static void forget_ended(struct show_lane *lanes, size_t *n, size_t **index, size_t *cap)
{
	size_t ended = 0, kept = 0;

	for (size_t i = 0; i < *n; i++)
		ended += !lanes[i].present;
	if (ended <= LANES_KEPT)
		return;
	for (size_t i = 0; i < *n; i++) {
		if (!lanes[i].present && ended > LANES_KEPT / 2) {
			free(lanes[i].spans);
			ended--;
			continue;
		}
		lanes[kept++] = lanes[i];
	}
	*n = kept;
	reindex(lanes, kept, index, cap);	/* out of memory: the old table, still right */
}

/* ---- spans ---- */

static const struct show_span *last_span(const struct show_lane *lane)
{
	return lane->nspans > 0 ? &lane->spans[lane->nspans - 1] : NULL;
}

/* The lane does 'word' (on 'detail') at t: its last span goes on, or a new one starts. */
static void extend(struct show_timeline *tl, struct show_lane *lane, const char *word,
    const char *detail, double t)
{
	struct show_span *s;

	if (lane->nspans > 0) {
		s = &lane->spans[lane->nspans - 1];
		s->to = t;
		if (strcmp(s->word, word) == 0 && strcmp(s->detail, detail) == 0)
			return;
	}
	if (lane->nspans == lane->capspans) {
		size_t more = lane->capspans ? lane->capspans * 2 : 4;
		struct show_span *bigger = realloc(lane->spans, more * sizeof(*bigger));

		if (bigger == NULL)
			return;	/* out of memory: the lane keeps its last word */
		lane->spans = bigger;
		lane->capspans = more;
	}
	s = &lane->spans[lane->nspans++];
	s->from = s->to = t;
	tl->changes++;
	snprintf(s->word, sizeof(s->word), "%s", word);
	snprintf(s->detail, sizeof(s->detail), "%s", detail);
}

/* ---- threads ---- */

/* The client whose socket the thread's call is on, or "". */
static const char *call_peer(const struct kernel_thread *t)
{
	if (t->sock == NULL || t->sock->state == TCP_STATE_LISTEN || t->sock->peer_port == 0)
		return "";
	return t->sock->peer;
}

/* The log's actor for a netlab server's thread; else its name and tid. */
static void thread_label(const struct show_timeline *tl, const struct kernel_view *v,
    const struct kernel_thread *t, char *out, size_t size)
{
	int n;

	if (!tl->netlab)
		snprintf(out, size, "%s (%d)", t->name, (int)t->tid);
	else if (sscanf(t->name, "thread %d", &n) == 1 || sscanf(t->name, "worker %d", &n) == 1 ||
	    sscanf(t->name, "loop %d", &n) == 1)
		snprintf(out, size, "[%s]", t->name);
	else if (t->tid == v->pid)
		snprintf(out, size, "[main]");
	else if (t->tid == t->pid)
		snprintf(out, size, "[pid %d]", (int)t->pid);
	else
		snprintf(out, size, "%s (%d)", t->name, (int)t->tid);
}

static void look_threads(struct show_timeline *tl, const struct kernel_view *v, double t)
{
	char key[32];

	for (size_t i = 0; i < tl->nthreads; i++) {
		tl->threads[i].was_present = tl->threads[i].present;
		tl->threads[i].present = 0;
	}
	for (size_t i = 0; i < v->nthreads; i++) {
		const struct kernel_thread *k = &v->threads[i];
		struct show_lane *lane;

		snprintf(key, sizeof(key), "t:%d", (int)k->tid);
		lane = find(tl->threads, tl->index_threads, tl->capindex_threads, key);
		if (lane == NULL && (lane = add(&tl->threads, &tl->nthreads, &tl->capthreads,
		    &tl->index_threads, &tl->capindex_threads, key)) == NULL)
			continue;
		lane->present = 1;
		lane->tid = k->tid;
		lane->pid = k->pid;
		lane->inode = k->sock != NULL && k->sock->state != TCP_STATE_LISTEN ?
		    k->sock->inode : 0;	/* the client its call is on */
		thread_label(tl, v, k, lane->label, sizeof(lane->label));
		extend(tl, lane, kernel_doing_word(k->doing), call_peer(k), t);
	}
	for (size_t i = 0; i < tl->nthreads; i++)
		tl->changes += tl->threads[i].was_present && !tl->threads[i].present;	/* it ended */
	forget_ended(tl->threads, &tl->nthreads, &tl->index_threads, &tl->capindex_threads);
}

/* ---- clients ---- */

/*
 * Who could serve a client, gathered once per look: the threads whose call
 * is on a socket, by the socket's inode; the processes, by pid, with how
 * many threads each has and its first thread's lane.
 */
struct holders {
	struct held { unsigned long key; size_t lane, threads; } *calls, *procs;
	size_t ncalls, nprocs;
};

static int by_key(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static const struct held *held_find(const struct held *list, size_t n, unsigned long key)
{
	struct held want = { key, 0, 0 };

	return n > 0 ? bsearch(&want, list, n, sizeof(*list), by_key) : NULL;
}

static int gather(const struct show_timeline *tl, struct holders *h)
{
	size_t n = 0;

	h->ncalls = h->nprocs = 0;
	h->calls = malloc((tl->nthreads + 1) * sizeof(*h->calls));
	h->procs = malloc((tl->nthreads + 1) * sizeof(*h->procs));
	if (h->calls == NULL || h->procs == NULL)
		return -1;
	for (size_t i = 0; i < tl->nthreads; i++) {
		const struct show_lane *lane = &tl->threads[i];

		if (!lane->present)
			continue;
		if (lane->inode != 0)
			h->calls[h->ncalls++] = (struct held){ lane->inode, i, 1 };
		h->procs[n++] = (struct held){ (unsigned long)lane->pid, i, 1 };
	}
	qsort(h->calls, h->ncalls, sizeof(*h->calls), by_key);
	qsort(h->procs, n, sizeof(*h->procs), by_key);
	/* One entry per process, its threads counted (its lane is used when it has one). */
	for (size_t i = 0; i < n; i++) {
		if (h->nprocs > 0 && h->procs[h->nprocs - 1].key == h->procs[i].key)
			h->procs[h->nprocs - 1].threads++;
		else
			h->procs[h->nprocs++] = h->procs[i];
	}
	return 0;
}

/* Still served by the thread that served it last, if that thread is on no other client. */
static const struct show_lane *holder_before(const struct show_timeline *tl,
    const struct show_lane *client)
{
	const struct show_span *s = last_span(client);
	const struct show_lane *lane;
	char key[32];

	if (s == NULL || strcmp(s->word, "served") != 0 || client->tid == 0)
		return NULL;
	snprintf(key, sizeof(key), "t:%d", (int)client->tid);
	lane = find(tl->threads, tl->index_threads, tl->capindex_threads, key);
	if (lane == NULL || !lane->present || lane->inode != 0)
		return NULL;
	return lane;
}

static const struct show_lane *holder(const struct show_timeline *tl, const struct holders *h,
    const struct kernel_socket *c, const struct show_lane *client)
{
	const struct held *call = c->inode != 0 ? held_find(h->calls, h->ncalls, c->inode) : NULL;
	const struct held *proc = held_find(h->procs, h->nprocs, (unsigned long)c->owner);

	if (call != NULL)
		return &tl->threads[call->lane];
	if (proc != NULL && proc->threads == 1)
		return &tl->threads[proc->lane];
	return holder_before(tl, client);
}

/* The client lane for this peer: a new one if it is new, or if its last one closed. */
static struct show_lane *client_lane(struct show_timeline *tl, const char *peer)
{
	struct show_lane *lane = find(tl->clients, tl->index_clients, tl->capindex_clients, peer);
	const struct show_span *s = lane != NULL ? last_span(lane) : NULL;

	if (lane != NULL && (s == NULL || strcmp(s->word, "closed") != 0))
		return lane;
	lane = add(&tl->clients, &tl->nclients, &tl->capclients, &tl->index_clients,
	    &tl->capindex_clients, peer);
	if (lane != NULL)
		snprintf(lane->label, sizeof(lane->label), "%s", peer);
	return lane;
}

static void look_client(struct show_timeline *tl, const struct holders *h,
    const struct kernel_socket *c, int queued, double t)
{
	struct show_lane *lane = client_lane(tl, c->peer);
	const struct show_lane *by;

	if (lane == NULL)
		return;
	lane->present = 1;
	lane->inode = c->inode;
	lane->unread = c->unread;
	lane->unsent = c->unsent;
	lane->sent = c->received;	/* what the server received, the client sent */
	lane->got = c->acked;		/* what the server sent and the client acknowledged */
	if (queued) {
		extend(tl, lane, "queued", "", t);
		return;
	}
	by = holder(tl, h, c, lane);
	lane->tid = by != NULL ? by->tid : 0;
	extend(tl, lane, by != NULL ? "served" : "waiting", by != NULL ? by->label : "", t);
}

static void look_clients(struct show_timeline *tl, const struct kernel_view *v, double t)
{
	struct holders h;

	if (gather(tl, &h) == 0) {
		for (size_t i = 0; i < tl->nclients; i++)
			tl->clients[i].present = 0;
		/* The accepted ones first: they came first. */
		for (size_t i = 0; i < v->nconns; i++)
			look_client(tl, &h, &v->conns[i], 0, t);
		for (size_t i = 0; i < v->nqueued; i++)
			look_client(tl, &h, &v->queued[i], 1, t);
	}
	free(h.calls);
	free(h.procs);
	/* Gone from the kernel's view: the client has closed. */
	for (size_t i = 0; i < tl->nclients; i++) {
		struct show_lane *lane = &tl->clients[i];
		const struct show_span *s = last_span(lane);

		if (!lane->present && s != NULL && strcmp(s->word, "closed") != 0) {
			extend(tl, lane, "closed", "", t);
			lane->unread = lane->unsent = 0;
		}
	}
	forget_ended(tl->clients, &tl->nclients, &tl->index_clients, &tl->capindex_clients);
}

void show_timeline_look(struct show_timeline *tl, const struct kernel_view *v, double t)
{
	tl->now = t;
	look_threads(tl, v, t);
	look_clients(tl, v, t);
}

/* ---- the server's output ---- */

/* One whole line: "[actor] text", or text alone; escape sequences dropped. */
static void add_event(struct show_timeline *tl, char *line, double t)
{
	struct show_event *e;
	char *text = line, *end, *out = line;

	for (char *in = line; *in != '\0'; in++) {
		if (*in == '\033' && in[1] == '[') {	/* a colour: ESC [ ... letter */
			for (in += 2; *in != '\0' && !(*in >= '@' && *in <= '~'); in++)
				;
			if (*in == '\0')
				break;
			continue;
		}
		if ((unsigned char)*in >= 0x20 && *in != 0x7f)
			*out++ = *in;	/* other control bytes: dropped */
	}
	*out = '\0';
	if (tl->nevents == tl->capevents) {
		size_t more = tl->capevents ? tl->capevents * 2 : 256;
		struct show_event *bigger = realloc(tl->events, more * sizeof(*bigger));

		if (bigger == NULL)
			return;
		tl->events = bigger;
		tl->capevents = more;
	}
	e = &tl->events[tl->nevents];
	e->t = t;
	e->actor = NULL;
	if (line[0] == '[' && (end = strchr(line, ']')) != NULL && end[1] == ' ') {
		e->actor = strndup(line, (size_t)(end - line + 1));
		text = end + 2;
	}
	e->text = strdup(text);
	if (e->text == NULL) {
		free(e->actor);
		return;
	}
	tl->nevents++;
	tl->lines++;
}

void show_timeline_output(struct show_timeline *tl, const char *bytes, size_t len, double t)
{
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] != '\n') {
			if (tl->partial_len < sizeof(tl->partial) - 1)
				tl->partial[tl->partial_len++] = bytes[i];
			continue;	/* a very long line keeps its start */
		}
		tl->partial[tl->partial_len] = '\0';
		tl->partial_len = 0;
		add_event(tl, tl->partial, t);
	}
}

/* ---- for the page ---- */

static json_t *spans_json(const struct show_lane *lane, double since)
{
	json_t *list = json_array();
	size_t first = lane->nspans;

	while (first > 0 && lane->spans[first - 1].to >= since)
		first--;
	for (size_t i = first; i < lane->nspans; i++) {
		const struct show_span *s = &lane->spans[i];

		json_out_append(&list, json_pack("[o o s o]", json_out_real(s->from, 2),
		    json_out_real(s->to, 2), s->word,
		    s->detail[0] != '\0' ? json_out_text(s->detail) : json_null()));
	}
	return list;
}

/* A lane worth drawing: there now, or ended after 'since'. */
static int shown(const struct show_lane *lane, double since)
{
	const struct show_span *s = last_span(lane);

	return s != NULL && (lane->present || s->to >= since);
}

/* The lanes past max_lanes, counted by their last word: {"recv": 950, ...}. */
static void count_hidden(json_t **counts, const struct show_span *s)
{
	json_t *n = json_object_get(*counts, s->word);

	json_out_set(counts, s->word, json_integer(n != NULL ? json_integer_value(n) + 1 : 1));
}

static int lanes_json(const struct show_lane *lanes, size_t n, int threads, json_t *obj,
    double since, size_t max_lanes)
{
	json_t *list = json_array(), *hidden = json_object();
	size_t drawn = 0, skipped = 0;

	for (size_t i = 0; i < n && list != NULL; i++) {
		const struct show_lane *lane = &lanes[i];
		const struct show_span *s = last_span(lane);

		if (!shown(lane, since))
			continue;
		if (drawn == max_lanes) {
			skipped++;
			count_hidden(&hidden, s);
			continue;
		}
		drawn++;
		if (threads)
			json_out_append(&list, json_pack("{s o s i s i s s s o s b s o}",
			    "actor", json_out_text(lane->label), "tid", (int)lane->tid,
			    "pid", (int)lane->pid, "doing", s->word, "peer",
			    s->detail[0] ? json_out_text(s->detail) : json_null(),
			    "present", lane->present, "spans", spans_json(lane, since)));
		else
			json_out_append(&list, json_pack("{s o s s s o s I s I s I s I s o}",
			    "peer", json_out_text(lane->label), "state", s->word, "by",
			    s->detail[0] ? json_out_text(s->detail) : json_null(),
			    "unread", (json_int_t)lane->unread, "unsent", (json_int_t)lane->unsent,
			    "sent", (json_int_t)lane->sent, "got", (json_int_t)lane->got,
			    "spans", spans_json(lane, since)));
	}
	json_out_set(&obj, threads ? "lanes" : "clients", list);
	json_out_set(&obj, threads ? "lanes_hidden" : "clients_hidden", json_integer((json_int_t)skipped));
	json_out_set(&obj, threads ? "lanes_hidden_doing" : "clients_hidden_state", hidden);
	return obj != NULL ? 0 : -1;
}

int show_timeline_json(const struct show_timeline *tl, json_t *obj, double since,
    size_t max_lanes)
{
	json_incref(obj);	/* a failed json_out_set() releases it: keep the caller's */
	if (lanes_json(tl->threads, tl->nthreads, 1, obj, since, max_lanes) == -1 ||
	    lanes_json(tl->clients, tl->nclients, 0, obj, since, max_lanes) == -1)
		return -1;
	json_decref(obj);
	return 0;
}

static void free_events(struct show_timeline *tl)
{
	for (size_t i = 0; i < tl->nevents; i++) {
		free(tl->events[i].actor);
		free(tl->events[i].text);
	}
	tl->nevents = 0;
}

int show_timeline_take_events(struct show_timeline *tl, char **text, size_t *n)
{
	char **each = calloc(tl->nevents + 1, sizeof(*each));
	size_t len = 1, at = 0;
	int rc = -1;

	for (size_t i = 0; each != NULL && i < tl->nevents; i++) {
		const struct show_event *e = &tl->events[i];

		if ((each[i] = json_out_string(json_pack("{s o s o s o}", "t",
		    json_out_real(e->t, 2), "actor", json_out_text(e->actor), "text",
		    json_out_text(e->text)))) == NULL)
			goto out;
		len += strlen(each[i]) + 1;
	}
	if (each == NULL || (*text = malloc(len)) == NULL)
		goto out;
	for (size_t i = 0; i < tl->nevents; i++)
		at += (size_t)sprintf(*text + at, "%s%s", i > 0 ? "," : "", each[i]);
	(*text)[at] = '\0';
	*n = tl->nevents;
	rc = 0;
out:
	for (size_t i = 0; each != NULL && i < tl->nevents; i++)
		free(each[i]);
	free(each);
	if (rc == 0)
		free_events(tl);
	return rc;
}

static void free_lanes(struct show_lane *lanes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lanes[i].spans);
	free(lanes);
}

void show_timeline_free(struct show_timeline *tl)
{
	free_lanes(tl->threads, tl->nthreads);
	free_lanes(tl->clients, tl->nclients);
	free_events(tl);
	free(tl->events);
	free(tl->index_threads);
	free(tl->index_clients);
	memset(tl, 0, sizeof(*tl));
}
