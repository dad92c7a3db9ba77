/*
 * check_why.h - why a property failed, in the student's terms, from what
 * the kernel shows (kernel.h): whose connection sits in the accept queue,
 * whose bytes sit unread, which thread is in which call on which client,
 * which descriptors stayed open.
 */
#ifndef NETLAB_CHECK_WHY_H
#define NETLAB_CHECK_WHY_H

#include <stddef.h>

#include "check_probes.h"

/* A client of ours, as the server sees it, and how the report calls it. */
struct role {
	const char *peer;	/* "('127.0.0.1', 49743)" */
	const char *label;	/* "the first client" */
};

/* Reads the kernel's view into c->view: 0, or -1 (nothing listens, or /proc refused). */
int why_snapshot(struct check *c);

/* Our connection 'peer' in c->view, or NULL; *queued: not accept()ed yet. */
const struct kernel_socket *why_connection(const struct check *c, const char *peer,
    int *queued);

/*
 * What the server's threads were doing, as one clause: "your server's only
 * thread was in recv() on the first client", "your server's 3 threads were:
 * 2 in recv() on a client, 1 in accept()".
 */
void why_threads(const struct check *c, const struct role *roles, int nroles,
    char *out, size_t size);

/*
 * Why the client whose end is 'peer' ("the second client") got no answer:
 * its connection still in the accept queue, its bytes unread, or read and
 * not answered; and what the server's threads were doing meanwhile.
 * c->unread says whether its bytes sat unread (nobody read that client).
 */
void why_no_answer(struct check *c, const char *peer, const char *label,
    const struct role *roles, int nroles, char *out, size_t size);

/* 1 when the view (of why_no_answer) saw one thread only, in recv() from 'peer'. */
int why_sequential(const struct check *c, const char *peer);

/* Nothing listens any more: the server ended, and its last words. */
int why_gone(struct check *c, char *out, size_t size);

/*
 * The server's open descriptors and threads, children included: 0; -1 its
 * process cannot be read; -2 nothing listens any more.
 */
int why_count(struct check *c, int *fds, int *threads);

/* The sockets the server still holds to clients that left: "fd 7 to ('...') in CLOSE_WAIT". */
int why_left_open(const struct check *c, char *out, size_t size);

#endif
