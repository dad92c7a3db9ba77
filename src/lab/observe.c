/*
 * observe.c - start the server, read its log, ask the kernel the rest.
 * The log's lines become events in record.c.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "design_n.h"
#include "now.h"
#include "observe.h"
#include "record.h"
#include "spawn.h"

#define MAX_ARGS 32

void observe_clear(struct observer *o)
{
	for (int i = 0; i < o->nevents; i++)
		free(o->events[i].line);
	o->nevents = 0;
	o->nclients = 0;
}

/* The design and its N ("limited 3": 3), for 'status'. */
static void note_design(struct observer *o, char *const argv[], int argc)
{
	const struct command *cmd;

	snprintf(o->design, sizeof(o->design), "%s", argc > 1 ? argv[1] : "");
	cmd = command_find(o->design);
	if (cmd == NULL || design_n(cmd, argc > 2 && argv[2][0] != '-' ? argv[2] : NULL,
	    &o->limit) != NUMBER_OK)
		o->limit = 0;
}

int observe_start(struct observer *o, const char *self, const char *args)
{
	static const char *const ours[] = { "--host", "127.0.0.1", "--port", "0", "--no-color" };
	char copy[256], *argv[MAX_ARGS + 8];
	int argc = 0;

	snprintf(o->args, sizeof(o->args), "%s", args);
	snprintf(copy, sizeof(copy), "%s", args);
	argv[argc++] = (char *)"netlab";
	for (char *word = strtok(copy, " \t"); word && argc < MAX_ARGS; word = strtok(NULL, " \t"))
		argv[argc++] = word;
	note_design(o, argv, argc);
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		argv[argc++] = (char *)ours[i];
	argv[argc] = NULL;

	o->pid = spawn(self, argv, NULL, &o->out_fd);
	if (o->pid == -1) {
		o->pid = 0;
		return -1;
	}
	o->port = 0;
	o->exited = 0;
	o->status = 0;
	o->listening = 0;
	o->partial_len = 0;
	o->started_at = lab_now();
	return 0;
}

int observe_read(struct observer *o)
{
	char buf[4096];
	ssize_t n;

	if (o->out_fd < 0)
		return 0;
	n = read(o->out_fd, buf, sizeof(buf));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close(o->out_fd);
		o->out_fd = -1;
		if (o->partial_len > 0) {
			o->partial[o->partial_len] = '\0';
			record_line(o, o->partial, lab_now());
			o->partial_len = 0;
		}
		return 0;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && o->partial_len < sizeof(o->partial) - 1) {
			o->partial[o->partial_len++] = buf[i];
			continue;
		}
		if (buf[i] != '\n')
			continue;	/* an over-long line is cut, not split */
		o->partial[o->partial_len] = '\0';
		record_line(o, o->partial, lab_now());
		o->partial_len = 0;
	}
	return 1;
}

/* Read until the deadline, or until done() says enough. */
static void read_until(struct observer *o, double secs, int (*done)(const struct observer *))
{
	for (double until = lab_now() + secs; o->out_fd >= 0 && !done(o) &&
	    lab_now() < until; ) {
		struct pollfd pfd = { .fd = o->out_fd, .events = POLLIN };

		if (poll(&pfd, 1, 100) > 0 && observe_read(o) == 0)
			break;
	}
}

static int has_port(const struct observer *o)
{
	return o->port != 0;
}

static int never(const struct observer *o)
{
	(void)o;
	return 0;
}

int observe_wait_port(struct observer *o, double secs)
{
	read_until(o, secs, has_port);
	return o->port != 0 ? 0 : -1;
}

static void ended(struct observer *o, int status)
{
	o->exited = 1;
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	o->pid = 0;
	o->listening = 0;
}

void observe_reap(struct observer *o)
{
	int status;

	if (o->pid > 0 && waitpid(o->pid, &status, WNOHANG) == o->pid)
		ended(o, status);
}

void observe_stop(struct observer *o)
{
	int status;

	if (o->pid > 0) {
		kill(o->pid, SIGTERM);
		/* Its goodbye ("Shutting down server...") comes before EOF. */
		read_until(o, 3, never);
		if (waitpid(o->pid, &status, WNOHANG) == 0) {
			kill(o->pid, SIGKILL);		/* it did not stop in 3 s */
			waitpid(o->pid, &status, 0);
		}
		o->pid = 0;
	}
	if (o->out_fd >= 0)
		close(o->out_fd);
	o->out_fd = -1;
	o->listening = 0;
	o->port = 0;
}

void observe_scan(struct observer *o)
{
	if (o->port == 0)
		return;
	/* The same reading as 'netlab watch': the server we started, on its port. */
	kernel_read(&o->view, o->port, o->pid);
	record_view(o, lab_now());
}
