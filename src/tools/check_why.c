/*
 * check_why.c - the "why" under a FAIL. A client only sees that an answer
 * did not come; the kernel knows where the bytes are and what the server
 * is doing about them. kernel.c reads that from /proc without touching the
 * server; this file turns it into sentences about the student's own code.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "i18n.h"
#include "figure.h"
#include "kernel/kernel.h"
#include "check_why.h"

int why_snapshot(struct check *c)
{
	if (kernel_read(&c->view, c->port, c->pid) == -1)
		return -1;
	return c->view.denied ? -1 : 0;
}

const struct kernel_socket *why_connection(const struct check *c, const char *peer,
    int *queued)
{
	const struct kernel_socket *s = kernel_find_peer(&c->view, peer);

	/* The accept queue's connections have no descriptor yet: inode 0. */
	*queued = s != NULL && s->inode == 0;
	return s;
}

/* "the first client", or the peer as the log writes it. */
static const char *who(const struct kernel_socket *s, const struct role *roles, int nroles)
{
	for (int i = 0; i < nroles; i++)
		if (strcmp(s->peer, roles[i].peer) == 0)
			return roles[i].label;
	return _("another client");
}

/* One thread's call in words: "in recv() on the first client", "in accept()". */
static void doing_phrase(const struct kernel_thread *t, const struct role *roles, int nroles,
    char *out, size_t size)
{
	const char *word = kernel_doing_word(t->doing);

	switch (t->doing) {
	case DOING_IO_URING: snprintf(out, size, "%s", _("in io_uring_enter()")); return;
	case DOING_LOCK: snprintf(out, size, "%s", _("waiting for a lock")); return;
	case DOING_SLEEP: snprintf(out, size, "%s", _("sleeping")); return;
	case DOING_RUNNING: snprintf(out, size, "%s", _("running")); return;
	case DOING_OTHER: snprintf(out, size, "%s", _("in another call")); return;
	default: break;
	}
	if (t->sock != NULL && t->sock->state != TCP_STATE_LISTEN)
		snprintf(out, size, _("in %s() on %s"), word, who(t->sock, roles, nroles));
	else
		snprintf(out, size, _("in %s()"), word);
}

void why_threads(const struct check *c, const struct role *roles, int nroles,
    char *out, size_t size)
{
	const struct kernel_view *v = &c->view;
	char phrase[8][96];
	int count[8], kinds = 0, k;
	size_t used;

	if (v->nthreads == 0) {
		snprintf(out, size, "%s",
		    _("what your server's threads were doing could not be read"));
		return;
	}
	if (v->nthreads == 1) {
		doing_phrase(&v->threads[0], roles, nroles, phrase[0], sizeof(phrase[0]));
		snprintf(out, size, _("your server's only thread was %s"), phrase[0]);
		return;
	}
	/* Many threads: group them by what they do, "2 in recv() on a client". */
	for (size_t i = 0; i < v->nthreads; i++) {
		char p[96];

		doing_phrase(&v->threads[i], roles, nroles, p, sizeof(p));
		for (k = 0; k < kinds && strcmp(phrase[k], p) != 0; k++)
			;
		if (k == kinds && kinds == 8)
			continue;	/* eight different things: enough to tell */
		if (k == kinds) {
			snprintf(phrase[kinds], sizeof(phrase[kinds]), "%s", p);
			count[kinds++] = 0;
		}
		count[k]++;
	}
	used = (size_t)snprintf(out, size, ngettext("your server's %zu thread was",
	    "your server's %zu threads were", v->nthreads), v->nthreads);
	for (k = 0; k < kinds && used < size; k++)
		used += (size_t)snprintf(out + used, size - used, "%s %d %s",
		    k == 0 ? ":" : ",", count[k], phrase[k]);
}

/* Entries in a /proc directory (fd, task), or -1 when it cannot be read. */
static int count_entries(pid_t pid, const char *what)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int why_count(struct check *c, int *fds, int *threads)
{
	int n;

	if (kernel_read(&c->view, c->port, c->pid) == -1)
		return -2;	/* nothing listens: the server is gone */
	if (c->view.denied || c->view.nprocs == 0)
		return -1;
	*fds = 0;
	for (size_t i = 0; i < c->view.nprocs; i++) {
		n = count_entries(c->view.procs[i], "fd");
		if (n == -1 && i == 0)
			return -1;	/* not ours to read: the caller skips */
		*fds += n > 0 ? n : 0;	/* a child that just ended has none */
	}
	*threads = (int)c->view.nthreads;
	return 0;
}

int why_left_open(const struct check *c, char *out, size_t size)
{
	const struct kernel_socket *s, *first = NULL;
	int n = 0;

	for (size_t i = 0; i < c->view.nconns; i++) {
		s = &c->view.conns[i];
		/* CLOSE_WAIT: the client closed its end, the server never closed its own. */
		if (s->inode != 0 && s->state == TCP_STATE_CLOSE_WAIT) {
			first = first != NULL ? first : s;
			n++;
		}
	}
	if (first != NULL)
		snprintf(out, size, ngettext("%d socket to clients that left is still open in "
		    "your server, e.g. fd %d to %s in CLOSE_WAIT (the client closed its end; "
		    "your server never closed its own)", "%d sockets to clients that left are "
		    "still open in your server, e.g. fd %d to %s in CLOSE_WAIT (the client "
		    "closed its end; your server never closed its own)", n), n, first->fd,
		    first->peer);
	return n;
}

void why_no_answer(struct check *c, const char *peer, const char *label,
    const struct role *roles, int nroles, char *out, size_t size)
{
	const struct kernel_socket *s;
	char threads[384], count[FIGURE_SIZE];
	int queued;

	c->unread = 0;
	if (why_gone(c, out, size))
		return;
	if (why_snapshot(c) == -1) {
		snprintf(out, size, _("%s got no answer (the kernel's view of your server "
		    "could not be read)"), label);
		return;
	}
	s = why_connection(c, peer, &queued);
	why_threads(c, roles, nroles, threads, sizeof(threads));
	if (s == NULL)
		snprintf(out, size, _("your server closed the connection with %s without "
		    "answering; %s"), label, threads);
	else if (queued)
		snprintf(out, size, _("%s waited in the kernel's accept queue while %s"),
		    label, threads);
	else if (s->unread > 0) {
		snprintf(out, size, _("your server accepted %s, but its %s bytes sit unread "
		    "in the server's receive queue: nobody called recv() on it; %s"), label,
		    figure_count((long)s->unread, count, sizeof(count)), threads);
		c->unread = 1;
	} else
		snprintf(out, size, _("your server read what %s sent, but sent nothing "
		    "back; %s"), label, threads);
}

int why_sequential(const struct check *c, const char *peer)
{
	const struct kernel_thread *t = &c->view.threads[0];

	return c->view.nthreads == 1 && t->doing == DOING_RECV && t->sock != NULL &&
	    strcmp(t->sock->peer, peer) == 0;
}

int why_gone(struct check *c, char *out, size_t size)
{
	char tail[1024];

	if (kernel_read(&c->view, c->port, c->pid) == 0)
		return 0;
	child_output_tail(c->output_fd, 3, tail, sizeof(tail));
	snprintf(out, size, _("nothing listens on port %d any more: your server has ended%s%s"),
	    c->port, tail[0] != '\0' ? _("; its last words:\n") : "", tail);
	return 1;
}
