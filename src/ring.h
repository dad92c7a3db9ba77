/*
 * ring.h - the plumbing of servers/uring.c: an io_uring instance with a
 * ring of provided buffers, each submission tagged with what it was for,
 * the refusal said in one line, and the draining at the end.
 *
 * An io_uring is two queues in memory that the process and the kernel
 * share: the submission queue (SQ), where the process writes the
 * operations it wants done, and the completion queue (CQ), where the
 * kernel writes each one's result. io_uring_enter() hands the kernel what
 * was queued and waits for results; liburing wraps the three system calls
 * (io_uring_setup, io_uring_enter, io_uring_register) and the queues.
 */
#ifndef NETLAB_RING_H
#define NETLAB_RING_H

#include <liburing.h>
#include <stdint.h>

struct client;

/*
 * What a submission was for. The kernel hands back, untouched, the 64 bits
 * we gave it in user_data: ours are the owner's address (a struct client,
 * the server) with the operation in its low bits, which an aligned
 * address leaves free.
 */
enum ring_op { OP_ACCEPT, OP_RECV, OP_SEND, OP_STOP, OP_CANCEL };

struct ring {
	struct io_uring uring;
	struct io_uring_buf_ring *bufs;	/* the provided buffers, shared with the kernel */
	char *space;		/* RING_BUFFERS buffers of READ_CHUNK bytes */
	unsigned in_flight;	/* operations submitted and not yet finished */
};

/*
 * Can this process use io_uring? 1 after printing the one line that says
 * why not and points at epoll (before the server listens); 0 if it can.
 */
int ring_refused(void);

/* Set up the ring and its buffers. NULL, or the call that failed (errno set). */
const char *ring_open(struct ring *r);

/* Free it all; the kernel ends what is still in flight. */
void ring_close(struct ring *r);

/*
 * A free submission slot, tagged with its owner and operation. A client's
 * recv or send: its c->loop.in_kernel says the kernel holds it, until
 * ring_seen() of its last completion.
 */
struct io_uring_sqe *ring_sqe(struct ring *r, void *owner, enum ring_op op);

static inline uint64_t ring_tag(const void *owner, enum ring_op op)
{
	return (uintptr_t)owner | op;
}

static inline enum ring_op ring_op(const struct io_uring_cqe *cqe)
{
	return (enum ring_op)(cqe->user_data & 7);
}

static inline void *ring_owner(const struct io_uring_cqe *cqe)
{
	return (void *)(uintptr_t)(cqe->user_data & ~(uint64_t)7);
}

/* One multishot accept on listen_fd, for owner: NULL, or the call that failed. */
const char *ring_accept(struct ring *r, void *owner, int listen_fd);

/*
 * Ask the kernel to give back what it holds for c: its recv (WANT_READ),
 * or everything (WANT_READ | WANT_WRITE). Each comes back as a completion
 * with -ECANCELED (or done, if it finished first).
 */
void ring_cancel(struct ring *r, struct client *c, int what);

/* A recv: take a buffer from the ring when bytes arrive, not before. */
void ring_select_buffer(struct io_uring_sqe *sqe);

/* The buffer the kernel filled for this recv completion. */
const char *ring_buffer(struct ring *r, const struct io_uring_cqe *cqe);

/* Give that buffer back to the ring, for the kernel to use again. */
void ring_give_back(struct ring *r, const struct io_uring_cqe *cqe);

/*
 * Submit what is queued and wait for at least one completion, at most
 * timeout_ms (-1: no limit), or a signal. NULL, or the call that failed
 * (errno set).
 */
const char *ring_wait(struct ring *r, int timeout_ms);

/*
 * This completion is read: its slot is the kernel's again. If it was a
 * client's recv or send, and its last completion, the kernel no longer
 * holds it: the client's c->loop.in_kernel says so from now on.
 */
void ring_seen(struct ring *r, struct io_uring_cqe *cqe);

/*
 * Leaving: cancel everything in flight and reap until the kernel holds
 * nothing of ours (at most a second), so no buffer is freed under it.
 */
void ring_drain(struct ring *r);

#endif
