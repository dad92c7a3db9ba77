/*
 * command.c - a student's server, started and ended by a tool.
 *
 * The server gets a process group of its own, set on both sides of the
 * fork (whoever runs first), so that our Ctrl-C is not its Ctrl-C and
 * ending the group ends its children too. A failed exec is told to the
 * parent through a pipe that closes by itself on a successful exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/command.h"

#define TICK_MS 20		/* how often command_end looks again */

/* In the child: the student's program, with a clean slate of signals. */
static _Noreturn void exec_child(char **argv, int out_fd, int report_fd)
{
	int devnull = open("/dev/null", O_RDONLY);
	sigset_t none;
	int err;

	setpgid(0, 0);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);	/* if netlab dies, so does it */
#endif
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);	/* ignored here, not to be inherited */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (devnull != -1)
		dup2(devnull, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	execvp(argv[0], argv);
	err = errno;		/* exec failed: tell the parent why, through the pipe */
	(void)!write(report_fd, &err, sizeof(err));
	_exit(127);
}

int command_start(struct command *cmd, char **argv, int out_fd)
{
	int report[2], err = 0;
	ssize_t n;

#ifdef __linux__
	/* Orphans of the server (sh -c 'a | b') become our children, to reap. */
	if (cmd->adopt)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (pipe2(report, O_CLOEXEC) == -1)
		return -1;
	cmd->pid = fork();
	if (cmd->pid == 0)
		exec_child(argv, out_fd, report[1]);
	close(report[1]);
	if (cmd->pid == -1) {
		err = errno;
		close(report[0]);
		cmd->pid = 0;
		errno = err;
		return -1;
	}
	setpgid(cmd->pid, cmd->pid);	/* also here: no race with the child's */
	/* 0 bytes means the exec closed the pipe: it runs. */
	while ((n = read(report[0], &err, sizeof(err))) == -1 && errno == EINTR)
		;
	close(report[0]);
	if (n == (ssize_t)sizeof(err)) {
		waitpid(cmd->pid, &cmd->status, 0);
		cmd->ended = 1;
		cmd->exec_error = err;
	}
	return 0;
}

int command_ended(struct command *cmd)
{
	pid_t pid;
	int status;

	if (cmd->pid <= 0 || cmd->ended)
		return cmd->ended;
	/* An adopter reaps any child: the server's orphans are ours too. */
	while ((pid = waitpid(cmd->adopt ? -1 : cmd->pid, &status, WNOHANG)) > 0)
		if (pid == cmd->pid) {
			cmd->status = status;
			cmd->ended = 1;
			if (!cmd->adopt)
				break;
		}
	return cmd->ended;
}

/* Orphans still to reap once the server itself is gone. */
static void reap_orphans(struct command *cmd)
{
	if (cmd->adopt)
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
}

void command_end(struct command *cmd, int bound_ms)
{
	if (cmd->pid <= 0)
		return;
	kill(-cmd->pid, SIGTERM);
	for (int waited = 0; waited < bound_ms; waited += TICK_MS) {
		command_ended(cmd);
		reap_orphans(cmd);
		if (cmd->ended && kill(-cmd->pid, 0) == -1)
			return;		/* the whole group is gone */
		poll(NULL, 0, TICK_MS);
	}
	kill(-cmd->pid, SIGKILL);	/* its children too, if any stayed */
	if (!cmd->ended)
		waitpid(cmd->pid, &cmd->status, 0);
	cmd->ended = 1;
	poll(NULL, 0, TICK_MS);	/* SIGKILL is quick: reap what it ended, too */
	reap_orphans(cmd);
}
