/*
 * child.c - start a program, watch it begin to listen, end it.
 *
 * The child gets a process group of its own, set on both sides of the
 * fork (whoever runs first), so that our Ctrl-C is not its Ctrl-C and
 * ending the group ends its children too; or, asked for, a session of its
 * own, which is also a group (setsid() makes the child the leader of
 * both). A failed exec is told to the parent through a pipe that closes by
 * itself on a successful exec (O_CLOEXEC). Whether it listens is asked of
 * the kernel (kernel.c), the way 'netlab watch' sees it: no test
 * connection, no log line to parse, and any server in any language is seen
 * the moment it calls listen().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

#define TICK_MS 20		/* how often a wait looks again, at most */

/*
 * A wait looks again after 1 ms, then 2, 4, 8, 16, then every TICK_MS: most
 * children exit within a millisecond of SIGTERM, and a server listens
 * within a few, so a fixed tick would make every start and end cost it.
 */
static int pause_ticks(int tick)
{
	poll(NULL, 0, tick);	/* EINTR: a signal; the caller looks at what it set */
	return tick * 2 < TICK_MS ? tick * 2 : TICK_MS;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A file nobody else can open: unlinked at once, ours until closed. */
static int output_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/netlab-child-XXXXXX", dir != NULL ? dir : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd != -1)
		unlink(path);
	return fd;
}

/* Its output's two ends: ours[0] to read (or -1), ours[1] for the child. */
static int open_output(const struct child *c, int ours[2])
{
	ours[0] = -1;
	ours[1] = STDERR_FILENO;
	if (c->output == CHILD_OUTPUT_PIPE)
		return pipe2(ours, O_CLOEXEC);
	if (c->output == CHILD_OUTPUT_FILE) {
		ours[0] = output_file();
		ours[1] = ours[0];
		return ours[0] == -1 ? -1 : 0;
	}
	return 0;
}

/* In the child: its own group, a clean slate of signals, its descriptors, exec. */
static _Noreturn void exec_child(const struct child *c, char *const argv[], int in_fd,
    int out_fd, int report_fd)
{
	sigset_t none;
	int err;

	if (c->own_session)
		setsid();	/* cannot fail: the parent leaves our group alone */
	else
		setpgid(0, 0);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);	/* if netlab dies, so does it */
#endif
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);	/* ignored here, not to be inherited */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (c->cpus != NULL)	/* the kernel keeps only the cores that exist */
		(void)sched_setaffinity(0, sizeof(*c->cpus), c->cpus);
	if (in_fd == -1)
		in_fd = open("/dev/null", O_RDONLY);
	if (in_fd != -1)
		dup2(in_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	if (!c->stderr_apart)
		dup2(out_fd, STDERR_FILENO);
	if (c->path != NULL)
		execv(c->path, argv);
	else
		execvp(argv[0], argv);
	err = errno;		/* exec failed: tell the parent why, through the pipe */
	(void)!write(report_fd, &err, sizeof(err));
	_exit(127);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* After the fork, in the parent: 0 bytes on the report pipe means exec worked. */
static void learn_exec(struct child *c, int report_fd)
{
	ssize_t n;
	int err = 0;

	while ((n = read(report_fd, &err, sizeof(err))) == -1 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(err)) {
		while (wait4(c->pid, &c->status, 0, &c->usage) == -1 && errno == EINTR)
			;
		c->ended = 1;
		c->exec_error = err;
	}
}

int child_start(struct child *c, char *const argv[])
{
	int out[2], in[2] = { -1, -1 }, report[2] = { -1, -1 }, err;

	c->pid = 0;
	c->ended = c->exec_error = 0;
	c->input_fd = c->output_fd = -1;
#ifdef __linux__
	/* Orphans of the child (sh -c 'a | b') become our children, to reap. */
	if (c->adopt)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (open_output(c, out) == -1)
		return -1;
	if ((c->input_pipe && pipe2(in, O_CLOEXEC) == -1) || pipe2(report, O_CLOEXEC) == -1)
		goto failed;
	c->pid = fork();
	if (c->pid == 0)
		exec_child(c, argv, in[0], out[1], report[1]);
	if (c->pid == -1)
		goto failed;
	if (!c->own_session)
		setpgid(c->pid, c->pid);	/* also here: no race with the child's */
	close_fd(&report[1]);
	close_fd(&in[0]);
	if (out[1] != out[0] && out[1] != STDERR_FILENO)
		close_fd(&out[1]);	/* the pipe's write end is the child's alone */
	c->output_fd = out[0];
	c->input_fd = in[1];
	learn_exec(c, report[0]);
	close_fd(&report[0]);
	return 0;
failed:
	err = errno;
	c->pid = 0;
	close_fd(&report[0]);
	close_fd(&report[1]);
	close_fd(&in[0]);
	close_fd(&in[1]);
	if (out[1] != out[0] && out[1] != STDERR_FILENO)
		close_fd(&out[1]);
	close_fd(&out[0]);
	errno = err;
	return -1;
}

int child_ended(struct child *c)
{
	struct rusage usage;
	pid_t pid;
	int status;

	if (c->pid <= 0 || c->ended)
		return c->ended;
	/* An adopter reaps any child: the orphans are ours too. */
	while ((pid = wait4(c->adopt ? -1 : c->pid, &status, WNOHANG, &usage)) > 0)
		if (pid == c->pid) {
			c->status = status;
			c->usage = usage;	/* it, and every child it reaped */
			c->ended = 1;
			if (!c->adopt)
				break;
		}
	return c->ended;
}

enum child_listen child_wait_listening(struct child *c, struct kernel_view *v, int port,
    int bound_ms)
{
	long end = now_ms() + bound_ms;

	for (int tick = 1; ; tick = pause_ticks(tick)) {
		if (c->stop != NULL && *c->stop)
			return CHILD_STOPPED;
		if (c->pid > 0 && !c->ended && kernel_read(v, port, c->pid) == 0)
			return CHILD_LISTENS;
		if (c->pid <= 0 || child_ended(c))
			return CHILD_EXITED;
		if (now_ms() > end)
			return CHILD_SILENT;
	}
}

void child_stop(struct child *c)
{
	if (c->pid > 0)
		kill(-c->pid, SIGTERM);
}

/* Orphans still to reap once the child itself is gone. */
static void reap_orphans(const struct child *c)
{
	if (c->adopt)
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
}

void child_end(struct child *c, int grace_ms)
{
	long end = now_ms() + grace_ms;

	if (c->pid <= 0)
		return;
	kill(-c->pid, SIGTERM);
	for (int tick = 1; ; tick = pause_ticks(tick)) {
		child_ended(c);
		reap_orphans(c);
		if (c->ended && kill(-c->pid, 0) == -1) {
			c->pid = 0;	/* the whole group is gone */
			return;
		}
		if (now_ms() >= end)
			break;
	}
	kill(-c->pid, SIGKILL);	/* its children too, if any stayed */
	while (!c->ended && wait4(c->pid, &c->status, 0, &c->usage) == -1 && errno == EINTR)
		;
	c->ended = 1;
	poll(NULL, 0, TICK_MS);	/* SIGKILL is quick: reap what it ended, too */
	reap_orphans(c);
	c->pid = 0;
}

void child_close(struct child *c)
{
	if (c->pid == 0 && !c->ended)
		return;		/* never started: its descriptors are not ours */
	close_fd(&c->output_fd);
	close_fd(&c->input_fd);
}

void child_output_tail(int output_fd, int lines, char *out, size_t size)
{
	char buf[4096];
	struct stat st;
	off_t from;
	ssize_t n;
	size_t start;

	out[0] = '\0';
	if (output_fd == -1 || fstat(output_fd, &st) == -1)
		return;
	from = st.st_size > (off_t)sizeof(buf) - 1 ? st.st_size - (off_t)sizeof(buf) + 1 : 0;
	n = pread(output_fd, buf, sizeof(buf) - 1, from);
	if (n <= 0)
		return;
	while (n > 0 && buf[n - 1] == '\n')
		n--;	/* the last line's newline is not a line of its own */
	/* Walk back over 'lines' newlines. */
	for (start = (size_t)n; start > 0; start--)
		if (buf[start - 1] == '\n' && --lines == 0)
			break;
	/* The student's own text, but never a control sequence on our terminal. */
	for (size_t i = start; i < (size_t)n; i++)
		if ((unsigned char)buf[i] < 32 && buf[i] != '\n' && buf[i] != '\t')
			buf[i] = '?';
		else if (buf[i] == 127)
			buf[i] = '?';
	snprintf(out, size, "%.*s", (int)((size_t)n - start), buf + start);
}
