/*
 * kernel_text.c - the kernel's view said in words a student understands:
 * "recv() waiting for ('127.0.0.1', 49743) to speak". Every sentence of
 * 'netlab watch' and of the lab shell's 'status' is written here, once.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "json_out.h"
#include "figure.h"
#include "kernel_text.h"

/* The client on the other end of the thread's call, or NULL. */
static const char *call_peer(const struct kernel_thread *t)
{
	if (t->sock == NULL || t->sock->state == TCP_STATE_LISTEN || t->sock->peer_port == 0)
		return NULL;
	return t->sock->peer;
}

void kernel_text_doing(const struct kernel_thread *t, char *out, size_t size)
{
	const char *peer = call_peer(t);
	char n[FIGURE_SIZE];

	figure_count(t->watched, n, sizeof(n));
	switch (t->doing) {
	case DOING_ACCEPT:
		snprintf(out, size, _("accept() waiting for a client"));
		break;
	case DOING_RECV:
		if (peer != NULL)
			snprintf(out, size, _("recv() waiting for %s to speak"), peer);
		else if (t->fd >= 0 && t->sock == NULL)
			snprintf(out, size, _("read() on descriptor %d, not a client"), t->fd);
		else
			snprintf(out, size, _("recv() waiting for a client to speak"));
		break;
	case DOING_SEND:
		if (peer != NULL)
			snprintf(out, size, _("send() blocked: %s does not read"), peer);
		else if (t->fd >= 0 && t->sock == NULL)
			snprintf(out, size, _("write() on descriptor %d, not a client"), t->fd);
		else
			snprintf(out, size, _("send() blocked: its client does not read"));
		break;
	case DOING_SELECT:
		if (t->watched >= 0)
			snprintf(out, size, _("select() watching descriptors below %s"), n);
		else
			snprintf(out, size, _("select() waiting for any of its descriptors"));
		break;
	case DOING_POLL:
		if (t->watched >= 0)
			snprintf(out, size, ngettext("poll() watching %s descriptor",
			    "poll() watching %s descriptors", (unsigned long)t->watched), n);
		else
			snprintf(out, size, _("poll() waiting for any of its descriptors"));
		break;
	case DOING_EPOLL_WAIT:
		if (t->watched >= 0)
			snprintf(out, size, ngettext("epoll_wait() watching %s socket",
			    "epoll_wait() watching %s sockets", (unsigned long)t->watched), n);
		else
			snprintf(out, size, _("epoll_wait() waiting for any of its sockets"));
		break;
	case DOING_IO_URING:
		snprintf(out, size, _("io_uring_enter() waiting for completions"));
		break;
	case DOING_LOCK:
		snprintf(out, size, _("waiting for a lock or condition variable"));
		break;
	case DOING_SLEEP:
		snprintf(out, size, "%s", _("sleeping"));
		break;
	case DOING_RUNNING:
		snprintf(out, size, "%s", _("running"));
		break;
	default:
		if (t->call >= 0)
			snprintf(out, size, _("in system call %ld"), t->call);
		else
			snprintf(out, size, _("doing something else"));
	}
}

static struct row *add(struct rows *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static struct row *add(struct rows *r, const char *key, const char *fmt, ...)
{
	va_list ap;
	struct row *row;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct row *bigger = realloc(r->row, cap * sizeof(*bigger));

		if (bigger == NULL)
			return NULL;
		r->row = bigger;
		r->cap = cap;
	}
	row = &r->row[r->n++];
	snprintf(row->key, sizeof(row->key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(row->text, sizeof(row->text), fmt, ap);
	va_end(ap);
	return row;
}

static void key_of(char *key, size_t size, char kind, const char *name)
{
	snprintf(key, size, "%c:%s", kind, name);
}

/* Who holds connection c: the thread whose call is on it, a child, a loop. */
static void held_by(const struct kernel_view *v, const struct kernel_socket *c,
    char *out, size_t size)
{
	const struct kernel_thread *loop = NULL, *its_loop = NULL;

	for (size_t i = 0; i < v->nthreads; i++) {
		const struct kernel_thread *t = &v->threads[i];

		if (t->sock != NULL && t->sock->inode == c->inode) {
			snprintf(out, size, "%s (%d)", t->name, (int)t->tid);
			return;
		}
		if (t->tid == c->loop)
			its_loop = t;	/* the epoll set it waits on holds c */
		if (t->pid == c->owner && (t->doing == DOING_SELECT || t->doing == DOING_POLL ||
		    t->doing == DOING_EPOLL_WAIT || t->doing == DOING_IO_URING))
			loop = t;	/* the process's loop (one, unless reuseport) */
	}
	if (its_loop != NULL)
		loop = its_loop;
	if (c->owner == 0)
		snprintf(out, size, "%s", v->denied ? _("? (cannot read)") : _("no process"));
	else if (loop != NULL)
		/* TRANSLATORS: "worker 1's epoll_wait()": the thread, then its call. */
		snprintf(out, size, _("%s's %s()"), loop->name, loop->doing == DOING_IO_URING ?
		    "io_uring_enter" : kernel_doing_word(loop->doing));
	else if (c->owner != v->pid)
		snprintf(out, size, "pid %d", (int)c->owner);
	else
		snprintf(out, size, _("no thread: waits in the server"));
}

static void queue_rows(struct rows *r, const struct kernel_view *v, size_t max_list)
{
	char key[KERNEL_PEER_MAX + 8], backlog[24] = "?";

	if (v->backlog >= 0)
		snprintf(backlog, sizeof(backlog), "%ld", v->backlog);
	if (!v->listening) {
		add(r, "qh", _("Nobody listens on port %d any more: a new client is refused"), v->port);
		return;
	}
	if (v->listeners > 1)
		add(r, "ql", _("Listening sockets: %d on this port (SO_REUSEPORT): the kernel "
		    "spreads new connections over their accept queues"), v->listeners);
	if (v->nqueued == 0)
		add(r, "qh", _("Accept queue: empty (backlog %s)"), backlog);
	else
		add(r, "qh", _("Accept queue: %zu of %s: connected, but nobody has accept()ed "
		    "them yet"), v->nqueued, backlog);
	for (size_t i = 0; i < v->nqueued && i < max_list; i++) {
		key_of(key, sizeof(key), 'q', v->queued[i].peer);
		char unread[FIGURE_SIZE];

		figure_count((long)v->queued[i].unread, unread, sizeof(unread));
		if (v->queued[i].unread > 0)
			add(r, key, ngettext("  %-22s %s byte unread", "  %-22s %s bytes unread",
			    v->queued[i].unread), v->queued[i].peer, unread);
		else
			add(r, key, _("  %-22s has sent nothing yet"), v->queued[i].peer);
	}
	if (v->nqueued > max_list)
		add(r, "q+", _("  ... and %zu more"), v->nqueued - max_list);
}

/* A column as wide as its heading, and at least 'least' wide. */
static int column(const char *heading, int least)
{
	int len = (int)strlen(heading);

	return len > least ? len : least;
}

static void connection_rows(struct rows *r, const struct kernel_view *v, size_t max_list)
{
	char key[KERNEL_PEER_MAX + 8], who[64], unread[FIGURE_SIZE], unsent[FIGURE_SIZE];
	/* TRANSLATORS: the columns of watch's connections; keep them in capitals. */
	const char *peer = _("PEER"), *state = _("STATE"), *unread_h = _("UNREAD");
	const char *unsent_h = _("UNSENT");
	int peer_w = column(peer, 22), state_w = column(state, 11);
	int unread_w = column(unread_h, 7), unsent_w = column(unsent_h, 7);

	add(r, "ch", _("Connections accepted: %zu"), v->nconns);
	if (v->nconns > 0)
		add(r, "cc", "  %-*s %-*s %*s %*s  %s", peer_w, peer, state_w, state, unread_w,
		    unread_h, unsent_w, unsent_h, _("HELD BY"));
	for (size_t i = 0; i < v->nconns && i < max_list; i++) {
		const struct kernel_socket *c = &v->conns[i];

		held_by(v, c, who, sizeof(who));
		key_of(key, sizeof(key), 'c', c->peer);
		add(r, key, "  %-*s %-*s %*s %*s  %s", peer_w, c->peer, state_w,
		    kernel_state_name(c->state), unread_w,
		    figure_count((long)c->unread, unread, sizeof(unread)), unsent_w,
		    figure_count((long)c->unsent, unsent, sizeof(unsent)), who);
	}
	if (v->nconns > max_list)
		add(r, "c+", _("  ... and %zu more"), v->nconns - max_list);
}

static void thread_rows(struct rows *r, const struct kernel_view *v, size_t max_list)
{
	char key[32], doing[ROW_MAX];

	if (v->nprocs > 1)
		add(r, "th", _("Threads: %zu, in %zu processes"), v->nthreads, v->nprocs);
	else
		add(r, "th", _("Threads: %zu"), v->nthreads);
	if (v->nthreads > 0)
		/* TRANSLATORS: the columns of watch's threads; keep them in capitals. */
		add(r, "tc", "  %-7s %-15s %s", _("TID"), _("NAME"), _("DOING"));
	for (size_t i = 0; i < v->nthreads && i < max_list; i++) {
		const struct kernel_thread *t = &v->threads[i];

		kernel_text_doing(t, doing, sizeof(doing));
		snprintf(key, sizeof(key), "t:%d", (int)t->tid);
		add(r, key, "  %-7d %-15.15s %s", (int)t->tid, t->name, doing);
	}
	if (v->nthreads > max_list)
		add(r, "t+", _("  ... and %zu more"), v->nthreads - max_list);
}

static void denied_rows(struct rows *r, const struct kernel_view *v)
{
	if (!v->denied)
		return;
	if (v->denied_pid == 0)
		add(r, "d1", _("Cannot see which process listens on port %d: it is user %u's."),
		    v->port, v->denied_uid);
	else
		add(r, "d1", _("Cannot read pid %d (user %u's): which call each thread is in, "
		    "and on which client, stay hidden."), (int)v->denied_pid, v->denied_uid);
	add(r, "d2", _("Fix: start it as 'netlab watch -- COMMAND', or watch as the same user."));
}

int kernel_text_rows(struct rows *out, const struct kernel_view *v, const char *title,
    size_t max_list)
{
	out->n = 0;
	add(out, "h", "%s", title);
	if (v == NULL)
		return out->row != NULL ? 0 : -1;
	queue_rows(out, v, max_list);
	connection_rows(out, v, max_list);
	if (v->pid != 0)
		thread_rows(out, v, max_list);
	denied_rows(out, v);
	return out->n > 0 && out->row != NULL ? 0 : -1;
}

void kernel_text_free(struct rows *r)
{
	free(r->row);
	r->row = NULL;
	r->n = r->cap = 0;
}

static json_t *queued_json(const struct kernel_view *v)
{
	json_t *list = json_array();

	for (size_t i = 0; i < v->nqueued; i++)
		json_out_append(&list, json_pack("{s:o, s:I}", "peer",
		    json_out_text(v->queued[i].peer), "unread", (json_int_t)v->queued[i].unread));
	return list;
}

static json_t *connections_json(const struct kernel_view *v)
{
	json_t *list = json_array();

	for (size_t i = 0; i < v->nconns; i++) {
		const struct kernel_socket *c = &v->conns[i];

		json_out_append(&list, json_pack("{s:o, s:s, s:I, s:I, s:o}",
		    "peer", json_out_text(c->peer), "state", kernel_state_name(c->state),
		    "unread", (json_int_t)c->unread, "unsent", (json_int_t)c->unsent,
		    "owner", c->owner != 0 ? json_integer(c->owner) : json_null()));
	}
	return list;
}

static json_t *threads_json(const struct kernel_view *v)
{
	json_t *list = json_array();

	for (size_t i = 0; i < v->nthreads; i++) {
		const struct kernel_thread *t = &v->threads[i];

		json_out_append(&list, json_pack("{s:i, s:i, s:o, s:s, s:o, s:i, s:I}",
		    "tid", (int)t->tid, "pid", (int)t->pid, "name", json_out_text(t->name),
		    "doing", kernel_doing_word(t->doing), "peer", json_out_text(call_peer(t)),
		    "fd", t->fd, "watched", (json_int_t)t->watched));
	}
	return list;
}

/* Whose process the kernel would not show: null when none was refused. */
static json_t *denied_json(const struct kernel_view *v)
{
	if (!v->denied)
		return json_null();
	return json_pack("{s:o, s:I}", "pid",
	    v->denied_pid != 0 ? json_integer(v->denied_pid) : json_null(),
	    "uid", (json_int_t)v->denied_uid);
}

json_t *kernel_text_json(const struct kernel_view *v)
{
	return json_pack("{s:i, s:o, s:{s:i, s:b, s:i, s:o, s:o}, s:o, s:o, s:o}",
	    "port", v->port, "pid", v->pid != 0 ? json_integer(v->pid) : json_null(),
	    "listen", "port", v->port, "listening", v->listening, "listeners", v->listeners,
	    "backlog", v->backlog >= 0 ? json_integer(v->backlog) : json_null(),
	    "queued", queued_json(v), "connections", connections_json(v),
	    "threads", threads_json(v), "denied", denied_json(v));
}
