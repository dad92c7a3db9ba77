/*
 * children.c - fork's list of children, kept by a SIGCHLD handler.
 *
 * A slot holds a live child's pid, or minus the pid of a child that was
 * reaped and not yet reported, or 0 (free). The SIGCHLD handler changes
 * slots in place; the main loop adds a child only while SIGCHLD is held,
 * so the handler never sees the list half-grown.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "children.h"

struct child_slot {
	volatile sig_atomic_t pid;
	volatile sig_atomic_t status;
};

static struct child_slot *children;
static int nslots;
static volatile sig_atomic_t live_children;

/* SIGCHLD, and SIGINT and SIGTERM too if 'stop': held while the list changes. */
static void hold(int how, int stop)
{
	sigset_t set;

	sigemptyset(&set);
	if (stop) {
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
	}
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(how, &set, NULL);
}

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

int children_reap(void)
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

void children_hold(void)
{
	hold(SIG_BLOCK, 1);
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

void children_track(pid_t pid)
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
	hold(SIG_UNBLOCK, 1);	/* now the handler may reap it */
	errno = saved;
}

int children_live(void)
{
	return live_children;
}

pid_t children_exited(int *status)
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

void children_end(void)
{
	int status;
	pid_t pid;

	/* Only this loop reaps from now on; a second Ctrl-C still gets through. */
	hold(SIG_BLOCK, 0);
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
	hold(SIG_UNBLOCK, 0);
}
