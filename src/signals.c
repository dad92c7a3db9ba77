/*
 * signals.c - stopping a server that is blocked in a system call.
 *
 * The handler does only async-signal-safe things (TLPI 21.1.2): it sets a
 * flag, writes one byte to a self-pipe that event loops watch like any
 * client, and shuts down the listening socket, which makes a blocked
 * accept() return at once in whichever thread it sits (Linux answers
 * EINVAL), and the socket of the client that sequential's main thread
 * serves, which makes its recv() return 0 even if the signal came just
 * before the call. A second Ctrl-C, while the server waits for busy
 * workers or children to finish, ends the process at once (exit 130).
 * No handler uses SA_RESTART, so a blocked recv() in the thread
 * that takes the signal returns EINTR. The loops, never the handler, print
 * "Shutting down server...". (fork's SIGCHLD handler is in children.c.)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "signals.h"

atomic_int stop_requested;
static atomic_int listener = -1;	/* read by the handler, in any thread */
static atomic_int served = -1;		/* sequential: the client main serves */
static int stop_pipe[2] = { -1, -1 };

static void on_stop(int sig)
{
	static const char again[] = "netlab: a second Ctrl-C: exiting now (status 130), "
	    "without waiting for the clients still being served\n";
	int saved = errno;

	if (sig == SIGINT && stop_requested) {	/* impatient: stopping takes too long */
		(void)!write(STDERR_FILENO, again, sizeof(again) - 1);
		_exit(130);	/* as a shell reports a program that Ctrl-C ended */
	}
	stop_requested = 1;
	if (stop_pipe[1] != -1)
		(void)!write(stop_pipe[1], "x", 1);	/* full pipe: already woken */
	if (listener != -1)
		shutdown(listener, SHUT_RDWR);
	if (served != -1)
		shutdown(served, SHUT_RDWR);
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

void signals_catch(void (*handler)(int), int winch)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = handler;
	/* These cannot fail: valid signals, a valid handler. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (winch)
		sigaction(SIGWINCH, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int signals_stop_fd(void)
{
	return stop_pipe[0];
}

/* Let the handler see fd in *slot. */
static void watch(atomic_int *slot, int fd)
{
	sigset_t stop, old;

	/* The handler must never see a descriptor that is being closed. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	*slot = fd;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (stop_requested && fd != -1)
		shutdown(fd, SHUT_RDWR);
}

void signals_watch_listener(int listen_fd)
{
	watch(&listener, listen_fd);
}

void signals_watch_served(int client_fd)
{
	watch(&served, client_fd);
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
	listener = served = -1;
	/* The parent's stop is not ours: the parent ends us with SIGTERM. */
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
	mask(SIG_UNBLOCK, 1);	/* a SIGTERM sent meanwhile ends this child now */
}

void signals_block_stop(int block)
{
	mask(block ? SIG_BLOCK : SIG_UNBLOCK, 0);
}
