/*
 * ring.c - io_uring's setup, buffers and teardown for servers/uring.c.
 * See ring.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "ring.h"

#define RING_ENTRIES 1024	/* submission slots; the kernel makes the CQ twice that */
#define RING_BUFFERS 1024	/* provided buffers (a power of two): 1 MiB */
#define BUFFER_GROUP 1		/* the id our recv submissions name the ring by */

/* The number after 'key' on a line of a /proc file, or -1 when there is none. */
static int proc_value(const char *path, const char *key)
{
	char line[128];
	FILE *f = fopen(path, "r");
	int value = -1;

	if (f == NULL)
		return -1;
	while (value == -1 && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			value = atoi(line + strlen(key));
	fclose(f);
	return value;
}

/* Why the kernel said err to io_uring, in the student's terms. */
static void say_refused(const char *call, int err)
{
	int disabled = proc_value("/proc/sys/kernel/io_uring_disabled", "");
	int seccomp = proc_value("/proc/self/status", "Seccomp:");	/* 2: a filter */
	char why[160];

	if ((err == EPERM || err == EACCES) && disabled > 0)
		snprintf(why, sizeof(why), _("its administrator disabled it "
		    "(kernel.io_uring_disabled = %d)"), disabled);
	else if ((err == EPERM || err == EACCES || err == ENOSYS) && seccomp == 2)
		snprintf(why, sizeof(why), _("a seccomp filter (a container's, a "
		    "sandbox's) refuses %s"), call);
	else if (err == ENOSYS || err == EINVAL)
		snprintf(why, sizeof(why), _("this kernel's io_uring is missing or too old "
		    "(Linux 5.19 or later is needed)"));
	else
		snprintf(why, sizeof(why), "%s: %s", call, strerror(err));
	log_error(_("uring: the kernel refuses io_uring: %s; try 'netlab epoll'"), why);
}

int ring_refused(void)
{
	struct ring r;
	const char *failed = ring_open(&r);

	if (failed == NULL) {
		ring_close(&r);
		return 0;
	}
	say_refused(failed, errno);
	return 1;
}

/* The queues: with one thread submitting, the kernel may defer its work until we wait. */
static int make_queues(struct io_uring *uring)
{
	static const unsigned tries[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,	/* Linux 6.1 */
		IORING_SETUP_COOP_TASKRUN,	/* 5.19 */
		0,
	};
	int rc = -EINVAL;

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]) && rc == -EINVAL; i++)
		rc = io_uring_queue_init(RING_ENTRIES, uring, tries[i]);
	return rc;
}

const char *ring_open(struct ring *r)
{
	struct io_uring_buf_reg reg = { .ring_entries = RING_BUFFERS, .bgid = BUFFER_GROUP };
	size_t ring_bytes = RING_BUFFERS * sizeof(struct io_uring_buf);
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = make_queues(&r->uring)) < 0) {
		r->uring.ring_fd = -1;	/* nothing to close, nothing to drain */
		errno = -rc;
		return "io_uring_setup";
	}
	/* The buffer ring: page-aligned memory the kernel takes buffers from. */
	r->bufs = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE,
	    -1, 0);
	r->space = malloc((size_t)RING_BUFFERS * READ_CHUNK);
	if (r->bufs == MAP_FAILED || r->space == NULL) {
		r->bufs = r->bufs == MAP_FAILED ? NULL : r->bufs;
		ring_close(r);
		errno = ENOMEM;
		return "cannot make the buffers";
	}
	reg.ring_addr = (uintptr_t)r->bufs;
	if ((rc = io_uring_register_buf_ring(&r->uring, &reg, 0)) < 0) {
		ring_close(r);
		errno = -rc;
		return "io_uring_register";
	}
	io_uring_buf_ring_init(r->bufs);
	for (unsigned i = 0; i < RING_BUFFERS; i++)
		io_uring_buf_ring_add(r->bufs, r->space + (size_t)i * READ_CHUNK, READ_CHUNK,
		    (unsigned short)i, io_uring_buf_ring_mask(RING_BUFFERS), (int)i);
	io_uring_buf_ring_advance(r->bufs, RING_BUFFERS);
	return NULL;
}

void ring_close(struct ring *r)
{
	if (r->uring.ring_fd > 0)
		io_uring_queue_exit(&r->uring);	/* closes the ring; the kernel cancels the rest */
	r->uring.ring_fd = -1;
	if (r->bufs != NULL)
		munmap(r->bufs, RING_BUFFERS * sizeof(struct io_uring_buf));
	r->bufs = NULL;
	free(r->space);
	r->space = NULL;
}

struct io_uring_sqe *ring_sqe(struct ring *r, void *owner, enum ring_op op)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->uring);

	if (sqe == NULL) {	/* the queue is full: hand the kernel what it holds */
		(void)io_uring_submit(&r->uring);
		sqe = io_uring_get_sqe(&r->uring);	/* now free: submit emptied it */
	}
	io_uring_sqe_set_data64(sqe, ring_tag(owner, op));
	r->in_flight++;
	if (op == OP_RECV)	/* the kernel holds it until its last completion */
		((struct client *)owner)->loop.in_kernel |= WANT_READ;
	else if (op == OP_SEND)
		((struct client *)owner)->loop.in_kernel |= WANT_WRITE;
	return sqe;
}

const char *ring_accept(struct ring *r, void *owner, int listen_fd)
{
	io_uring_prep_multishot_accept(ring_sqe(r, owner, OP_ACCEPT), listen_fd, NULL, NULL,
	    SOCK_CLOEXEC);
	return NULL;
}

void ring_cancel(struct ring *r, struct client *c, int what)
{
	struct io_uring_sqe *sqe = ring_sqe(r, NULL, OP_CANCEL);

	if (what == WANT_READ)	/* by what we tagged it with */
		io_uring_prep_cancel64(sqe, ring_tag(c, OP_RECV), 0);
	else			/* everything on its socket */
		io_uring_prep_cancel_fd(sqe, c->fd, IORING_ASYNC_CANCEL_ALL);
}

void ring_select_buffer(struct io_uring_sqe *sqe)
{
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BUFFER_GROUP;
}

const char *ring_buffer(struct ring *r, const struct io_uring_cqe *cqe)
{
	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return NULL;	/* no bytes, no buffer: an end or an error */
	return r->space + (size_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT) * READ_CHUNK;
}

void ring_give_back(struct ring *r, const struct io_uring_cqe *cqe)
{
	unsigned id = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return;
	io_uring_buf_ring_add(r->bufs, r->space + (size_t)id * READ_CHUNK, READ_CHUNK,
	    (unsigned short)id, io_uring_buf_ring_mask(RING_BUFFERS), 0);
	io_uring_buf_ring_advance(r->bufs, 1);
}

const char *ring_wait(struct ring *r, int timeout_ms)
{
	struct __kernel_timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	struct io_uring_cqe *cqe;
	int rc;

	rc = io_uring_submit_and_wait_timeout(&r->uring, &cqe, 1, timeout_ms < 0 ? NULL : &ts,
	    NULL);
	if (rc >= 0 || rc == -EINTR || rc == -ETIME)
		return NULL;	/* done, a signal (the loop's test), or the timeout */
	errno = -rc;
	return "io_uring_enter";
}

void ring_seen(struct ring *r, struct io_uring_cqe *cqe)
{
	struct client *c = ring_owner(cqe);
	int over = !(cqe->flags & IORING_CQE_F_MORE);	/* its last completion */

	r->in_flight -= over;
	if (over && ring_op(cqe) == OP_RECV)
		c->loop.in_kernel &= ~WANT_READ;
	else if (over && ring_op(cqe) == OP_SEND)
		c->loop.in_kernel &= ~WANT_WRITE;
	io_uring_cqe_seen(&r->uring, cqe);
}

void ring_drain(struct ring *r)
{
	struct __kernel_timespec second = { 1, 0 };
	struct io_uring_cqe *cqe;
	int rc;

	if (r->uring.ring_fd < 0)
		return;
	io_uring_prep_cancel64(ring_sqe(r, NULL, OP_CANCEL), 0, IORING_ASYNC_CANCEL_ANY);
	while (r->in_flight > 0) {
		rc = io_uring_submit_and_wait_timeout(&r->uring, &cqe, 1, &second, NULL);
		if (rc < 0 && rc != -EINTR)
			break;	/* nothing for a second: ring_close() ends the rest */
		while (io_uring_peek_cqe(&r->uring, &cqe) == 0)
			ring_seen(r, cqe);
	}
}
