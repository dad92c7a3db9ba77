/*
 * observe.c - start the server, read its log, ask the kernel the rest.
 * The log's lines become events in record.c.
 */
#include <errno.h>
#include <poll.h>
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

#define MAX_ARGS 32
#define END_MS 3000		/* SIGTERM, then this long before SIGKILL */

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

int observe_start(struct observer *o, const char *self, const char *args, const char *host)
{
	const char *const ours[] = { "--host", host, "--port", "0", "--no-color" };
	char copy[256], *argv[MAX_ARGS + 8];
	int argc = 0;

	snprintf(o->args, sizeof(o->args), "%s", args);
	snprintf(o->host, sizeof(o->host), "%s", host);
	snprintf(copy, sizeof(copy), "%s", args);
	argv[argc++] = (char *)"netlab";
	for (char *word = strtok(copy, " \t"); word && argc < MAX_ARGS; word = strtok(NULL, " \t"))
		argv[argc++] = word;
	note_design(o, argv, argc);
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		argv[argc++] = (char *)ours[i];
	argv[argc] = NULL;

	memset(&o->child, 0, sizeof(o->child));
	o->child.path = self;
	o->child.output = CHILD_OUTPUT_PIPE;
	if (child_start(&o->child, argv) == -1)
		return -1;
	if (o->child.exec_error != 0) {
		child_end(&o->child, 0);
		child_close(&o->child);
		errno = o->child.exec_error;
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

	if (o->child.output_fd < 0)
		return 0;
	n = read(o->child.output_fd, buf, sizeof(buf));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close(o->child.output_fd);	/* EOF: the server and its children are done */
		o->child.output_fd = -1;
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
	for (double until = lab_now() + secs; o->child.output_fd >= 0 && !done(o) &&
	    lab_now() < until; ) {
		struct pollfd pfd = { .fd = o->child.output_fd, .events = POLLIN };

		if (poll(&pfd, 1, 100) > 0 && observe_read(o) == 0)
			break;
	}
}

static int has_start_line(const struct observer *o)
{
	for (int i = 0; i < o->nevents; i++)
		if (o->events[i].kind == EV_START)
			return 1;
	return 0;
}

static int never(const struct observer *o)
{
	(void)o;
	return 0;
}

int observe_wait_port(struct observer *o, double secs)
{
	enum child_listen seen = child_wait_listening(&o->child, &o->view, 0, (int)(secs * 1000));

	if (seen == CHILD_LISTENS)
		o->port = o->view.port;
	/* What it printed meanwhile: its start line, or why it did not start. */
	read_until(o, 1, seen == CHILD_LISTENS ? has_start_line : never);
	return o->port != 0 ? 0 : -1;
}

static void ended(struct observer *o, int status)
{
	o->exited = 1;
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	o->listening = 0;
}

void observe_reap(struct observer *o)
{
	if (o->child.pid > 0 && child_ended(&o->child)) {
		ended(o, o->child.status);
		child_end(&o->child, END_MS);	/* its children, if any stayed */
	}
}

void observe_stop(struct observer *o)
{
	if (o->child.pid > 0) {
		child_stop(&o->child);
		/* Its goodbye ("Shutting down server...") comes before EOF. */
		read_until(o, END_MS / 1000.0, never);
		child_end(&o->child, 0);	/* SIGKILL if it did not stop in 3 s */
	}
	child_close(&o->child);
	o->listening = 0;
	o->port = 0;
}

void observe_scan(struct observer *o)
{
	if (o->port == 0)
		return;
	/* The same reading as 'netlab watch': the server we started, on its port. */
	kernel_read(&o->view, o->port, o->child.pid);
	record_view(o, lab_now());
}
