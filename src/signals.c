/*
 * signals.c - stopping a server that is blocked in a system call.
 *
 * The handler does only async-signal-safe things (TLPI 21.1.2): it sets a
 * flag, writes one byte to a self-pipe that event loops watch like any
 * client, and shuts down the listening socket, which makes a blocked
 * accept() return at once in whichever thread it sits (Linux answers
 * EINVAL). No handler uses SA_RESTART, so a blocked recv() in the thread
 * that takes the signal returns EINTR. The loops, never the handler, print
 * "Shutting down server...".
 *
 * For fork, a SIGCHLD handler reaps children as they end and keeps the list
 * of the live ones, so that a stopping parent can end them too.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signals.h"

atomic_int stop_requested;
static atomic_int listener = -1;	/* read by the handler, in any thread */
static int stop_pipe[2] = { -1, -1 };

static void on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	stop_requested = 1;
	if (stop_pipe[1] != -1)
		(void)!write(stop_pipe[1], "x", 1);	/* full pipe: already woken */
	if (listener != -1)
		shutdown(listener, SHUT_RDWR);
	errno = saved;
}

int signals_init(void)
{
	struct sigaction sa;

	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sa.sa_flags = 0;	/* no SA_RESTART: blocked calls return EINTR */
	if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
		return -1;
	/* A client that vanishes mid-answer must cost an EPIPE, not the process. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int signals_stop_fd(void)
{
	return stop_pipe[0];
}

void signals_watch_listener(int listen_fd)
{
	sigset_t stop, old;

	/* The handler must never see a descriptor that is being closed. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	listener = listen_fd;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (stop_requested && listen_fd != -1)
		shutdown(listen_fd, SHUT_RDWR);
}

/* SIGINT and SIGTERM, and SIGCHLD too if 'children'. */
static void mask(int how, int children)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (children)
		sigaddset(&set, SIGCHLD);
	pthread_sigmask(how, &set, NULL);
}

void signals_default_in_child(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	listener = -1;
	/* The parent's stop is not ours: the parent ends us with SIGTERM. A
	 * poll() on descriptor -1 ignores it (see session.c). */
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
	mask(SIG_UNBLOCK, 1);	/* a SIGTERM sent meanwhile ends this child now */
}

void signals_block_stop(int block)
{
	mask(block ? SIG_BLOCK : SIG_UNBLOCK, 0);
}

/*
 * fork: the list of children. A slot holds a live child's pid, or minus the
 * pid of a child that was reaped and not yet reported, or 0 (free). The
 * SIGCHLD handler changes slots in place; the main loop adds a child only
 * while SIGCHLD is held, so the handler never sees the list half-grown.
 */
struct child_slot {
	volatile sig_atomic_t pid;
	volatile sig_atomic_t status;
};

static struct child_slot *children;
static int nslots;
static volatile sig_atomic_t live_children;

/* Async-signal-safe: no malloc, no stdio, only the slots. */
static void note_exit(pid_t pid, int status)
{
	for (int i = 0; i < nslots; i++) {
		if (children[i].pid == pid) {
			children[i].status = status;
			children[i].pid = -pid;		/* reaped, to be reported */
			live_children--;
			return;
		}
	}
}

/* TLPI's grimReaper: several children may have ended for one SIGCHLD. */
static void on_child(int sig)
{
	int saved = errno, status;
	pid_t pid;

	(void)sig;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		note_exit(pid, status);
	errno = saved;		/* the interrupted code may be about to read errno */
}

int signals_reap_children(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_child;
	/* No SA_RESTART: accept() returns EINTR when a child ends, so the main
	 * loop reports the exit at once instead of at the next client. */
	sa.sa_flags = 0;
	return sigaction(SIGCHLD, &sa, NULL);
}

void signals_hold_children(void)
{
	mask(SIG_BLOCK, 1);
}

/* A free slot, growing the list if needed; -1 when out of memory. */
static int free_slot(void)
{
	struct child_slot *grown;
	int i, old = nslots;

	for (i = 0; i < nslots; i++)
		if (children[i].pid == 0)
			return i;
	grown = realloc(children, (size_t)(old ? old * 2 : 16) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	children = grown;
	nslots = old ? old * 2 : 16;
	for (i = old; i < nslots; i++)
		children[i].pid = 0;
	return old;		/* the first new slot */
}

void signals_track_child(pid_t pid)
{
	int saved = errno;	/* the caller may be about to report fork()'s */
	int slot;

	if (pid > 0) {
		slot = free_slot();	/* SIGCHLD is held: the handler waits */
		if (slot == -1) {
			/* A child we cannot track could outlive us: end it now. */
			kill(pid, SIGTERM);
		} else {
			children[slot].pid = pid;
			live_children++;
		}
	}
	mask(SIG_UNBLOCK, 1);	/* now the handler may reap it */
	errno = saved;
}

int signals_live_children(void)
{
	return live_children;
}

pid_t signals_exited_child(int *status)
{
	for (int i = 0; i < nslots; i++) {
		if (children[i].pid < 0) {	/* the handler is done with it */
			pid_t pid = -children[i].pid;

			*status = children[i].status;
			children[i].pid = 0;
			return pid;
		}
	}
	return 0;
}

void signals_end_children(void)
{
	int status;
	pid_t pid;

	mask(SIG_BLOCK, 1);	/* only this loop reaps from now on */
	for (int i = 0; i < nslots; i++)
		if (children[i].pid > 0)
			kill(children[i].pid, SIGTERM);	/* it may have just ended: ESRCH is fine */
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid > 0)
			note_exit(pid, status);
		else if (errno != EINTR)
			break;		/* ECHILD: no child is left */
	}
	mask(SIG_UNBLOCK, 1);
}
