/*
 * uring.c - one thread, io_uring (past the seeds; Linux 5.19 and later).
 *
 * select, poll and epoll ask "which socket is ready?", then make each
 * recv() and send() themselves, a system call apiece. io_uring asks
 * nothing: the loop queues the operations themselves in memory it shares
 * with the kernel and reaps their results, a batch each way per
 * io_uring_enter(). One multishot accept serves every client. Buffers: one
 * ring of provided buffers, which the kernel takes from only when bytes
 * arrive, so 10,000 idle clients hold none (a buffer each: 10 MiB pinned).
 */
#include <poll.h>

#include "loop.h"
#include "output.h"
#include "ring.h"
#include "servers.h"

struct uring_table {		/* what this loop keeps */
	struct loop loop;	/* the clients, and what every event loop keeps */
	struct ring ring;	/* the two queues, and the buffers the kernel fills */
};

/* The ring, and what stays in flight: see Ctrl-C, accept every client. */
static const char *make_table(struct uring_table *t)
{
	const char *failed = ring_open(&t->ring);

	if (failed == NULL)
		io_uring_prep_poll_add(ring_sqe(&t->ring, NULL, OP_STOP), signals_stop_fd(),
		    POLLIN);
	return failed != NULL ? failed : ring_accept(&t->ring, &t->loop, t->loop.listen_fd);
}

/* Close c once the kernel holds nothing of it; until then, take it back. Returns -1. */
static int forget(struct uring_table *t, struct client *c)
{
	c->loop.closing = 1;
	c->loop.out_len = c->loop.sending_len = 0;	/* owed nothing more */
	client_touch(c);	/* not swept again while the kernel gives it back */
	if (c->loop.in_kernel == 0)
		loop_close(c);	/* nothing of it in flight: safe to free */
	else
		ring_cancel(&t->ring, c, WANT_READ | WANT_WRITE);
	return -1;
}

/* Hand the kernel what c waits for: a recv (unless its answers pile up), a send. */
static int watch(struct uring_table *t, struct client *c)
{
	struct io_uring_sqe *sqe;
	int want;

	if (c->loop.closing && c->loop.out_len == 0 && c->loop.sending_len == 0)
		return forget(t, c);	/* owed nothing more */
	want = c->loop.closing ? WANT_WRITE : loop_wants(c);
	if ((want & WANT_WRITE) && !(c->loop.in_kernel & WANT_WRITE) && output_take(c))
		io_uring_prep_send(ring_sqe(&t->ring, c, OP_SEND), c->fd, c->loop.sending,
		    c->loop.sending_len, MSG_NOSIGNAL);	/* new output waits in out */
	if ((want & WANT_READ) && !(c->loop.in_kernel & WANT_READ)) {
		sqe = ring_sqe(&t->ring, c, OP_RECV);	/* a completion each time bytes come */
		io_uring_prep_recv_multishot(sqe, c->fd, NULL, 0, 0);
		ring_select_buffer(sqe);
	} else if (!(want & WANT_READ) && (c->loop.in_kernel & WANT_READ)) {
		ring_cancel(&t->ring, c, WANT_READ);	/* its answers pile up unread */
	}
	if (!c->loop.closing)
		loop_note_wants(c, want);
	return 0;
}

/* One operation the kernel finished: what it did for whom. */
static void complete(struct uring_table *t, struct io_uring_cqe *cqe)
{
	struct client *c = ring_owner(cqe);
	int res = cqe->res;

	switch (ring_op(cqe)) {
	case OP_ACCEPT:		/* res: a new client's descriptor, or -errno */
		if (!(cqe->flags & IORING_CQE_F_MORE))	/* the kernel ended it (EMFILE) */
			(void)ring_accept(&t->ring, &t->loop, t->loop.listen_fd);
		c = loop_adopt(&t->loop, server_accepted(t->loop.srv, t->loop.listen_fd, res));
		break;
	case OP_RECV:		/* res: bytes in a ring buffer, 0 at the end, or -errno */
		errno = -res;	/* ENOBUFS: every buffer in use; ECANCELED: taken back */
		if (res != -ENOBUFS && res != -ECANCELED && !c->loop.closing)
			(void)loop_received(c, ring_buffer(&t->ring, cqe), res < 0 ? -1 : res);
		ring_give_back(&t->ring, cqe);	/* the handler copied what it keeps */
		break;
	case OP_SEND:		/* res: bytes the kernel sent, or -errno */
		output_sent(c, res);	/* an error: lost, nothing more owed */
		break;
	default:		/* Ctrl-C's pipe (the loop's test sees it), a cancel */
		c = NULL;
	}
	if (c != NULL)
		loop_ask_later(c);	/* what does it want now? */
	ring_seen(&t->ring, cqe);	/* its slot is the kernel's again */
}

int run_uring(struct server *srv)
{
	struct io_uring_cqe *cqe;
	struct uring_table t;
	const char *failed;
	struct client *c;
	int timeout, rc;

	srv->completions = 1;	/* output waits in c->loop.out: the loop submits every send */
	loop_start(&t.loop, srv, N_("one thread, io_uring: it hands the kernel accept, recv "
	    "and send and reaps what they did; it never asks which socket is ready"));
	failed = make_table(&t);
	while (!stop_requested && failed == NULL) {
		/* Sweep: drop the clients silent too long; ms to the next deadline. */
		while ((c = loop_idle(&t.loop, &timeout)) != NULL)
			(void)forget(&t, c);
		/* Those served, and any a broadcast left bytes for: what do they want now? */
		while ((c = loop_next_to_ask(&t.loop)) != NULL)
			(void)watch(&t, c);
		/* One system call: submit what is queued, block until something is done. */
		failed = ring_wait(&t.ring, timeout);	/* or Ctrl-C, or the timeout */
		/* Reap: each completion is an operation the kernel has finished. */
		while (!stop_requested && io_uring_peek_cqe(&t.ring.uring, &cqe) == 0)
			complete(&t, cqe);
	}
	ring_drain(&t.ring);	/* nothing of ours left in the kernel's hands */
	rc = loop_end(&t.loop, failed);
	ring_close(&t.ring);
	return rc;
}
