/*
 * spawn.c - fork(), plumb the pipes, exec().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "i18n.h"
#include "spawn.h"

static void close_pair(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* In the child: the new process's own group, stdin, stdout, then exec. */
static void child(const char *path, char *const argv[], int in, int out)
{
	setpgid(0, 0);		/* the student's Ctrl-C is for the lab shell */
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);	/* if the runner dies, this goes too */
#endif
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (in == -1)
		in = open("/dev/null", O_RDONLY);
	if (in != -1)
		dup2(in, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	execv(path, argv);
	dprintf(STDERR_FILENO, _("netlab: cannot run %s: %s\n"), path, strerror(errno));
	_exit(127);
}

pid_t spawn(const char *path, char *const argv[], int *in_fd, int *out_fd)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) == -1)
		return -1;
	if (in_fd != NULL && pipe2(in, O_CLOEXEC) == -1) {
		close_pair(out);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		child(path, argv, in[0], out[1]);
	close(out[1]);
	if (in[0] >= 0)
		close(in[0]);
	if (pid == -1) {
		close(out[0]);
		if (in[1] >= 0)
			close(in[1]);
		return -1;
	}
	*out_fd = out[0];
	if (in_fd != NULL)
		*in_fd = in[1];
	return pid;
}

pid_t spawn_shell(const char *command, int *in_fd, int *out_fd)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)command, NULL };

	return spawn("/bin/sh", argv, in_fd, out_fd);
}
