/*
 * check.c - netlab check: grade a student's own server, in any language.
 *
 * With -- COMMAND, netlab starts the server itself, in a process group of
 * its own (so that ending it ends its children too), with its output kept
 * in a file for when it goes wrong, and waits until the kernel shows it
 * listening: no test connection needed. Then the probes run in order
 * (check_probes.c), each printing one line, and the server is ended:
 * SIGTERM to the group, SIGKILL if it is still there 2 s later. Ctrl-C
 * ends it the same way, then exits 130.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "i18n.h"
#include "json_out.h"
#include "signals.h"
#include "check.h"
#include "check_probes.h"
#include "check_why.h"

#define LISTEN_MS	10000	/* the COMMAND gets this long to listen */
#define END_MS		2000	/* SIGTERM, then this long before SIGKILL */
#define TAIL_LINES	10	/* a bad start shows this much of its output */

/* The server that check started, or pid 0. */
struct started {
	struct child cmd;	/* its pid is also its process group */
	char text[200];		/* the command as typed, for messages */
};

/* Starts the COMMAND, its output kept in a file: 0, or -1 with a message printed. */
static int start_command(char **argv, struct started *s)
{
	size_t used = 0;

	for (int i = 0; argv[i] != NULL && used < sizeof(s->text); i++)
		used += (size_t)snprintf(s->text + used, sizeof(s->text) - used, "%s%s",
		    i > 0 ? " " : "", argv[i]);
	s->cmd.output = CHILD_OUTPUT_FILE;
	s->cmd.adopt = 1;	/* orphans of the server (sh -c 'a | b') are ours to reap */
	s->cmd.stop = &stop_requested;
	if (child_start(&s->cmd, argv) == -1) {
		fprintf(stderr, _("netlab: cannot start '%s': %s\n"), s->text, strerror(errno));
		return -1;
	}
	if (s->cmd.exec_error != 0) {
		fprintf(stderr, _("netlab: cannot start '%s': %s%s\n"), argv[0],
		    strerror(s->cmd.exec_error), s->cmd.exec_error == ENOENT ?
		    _(" (no such program: check its name, or give its path)") : "");
		return -1;
	}
	return 0;
}

/* A bad start: one line saying which, then the last lines of its output. */
static int bad_start(struct started *s, const char *what)
{
	char tail[4096];

	child_output_tail(s->cmd.output_fd, TAIL_LINES, tail, sizeof(tail));
	fprintf(stderr, "netlab: '%s' %s%s\n", s->text, what,
	    tail[0] != '\0' ? _("; its last lines:") : _(" (and printed nothing)"));
	if (tail[0] != '\0')
		fprintf(stderr, "%s\n", tail);
	child_end(&s->cmd, END_MS);
	return 1;
}

/* Until the COMMAND listens (c->port 0: on any port). 0, 1 bad start, 130 Ctrl-C. */
static int wait_listening(struct check *c, struct started *s)
{
	enum child_listen seen = child_wait_listening(&s->cmd, &c->view, c->port, LISTEN_MS);
	int status = s->cmd.status;
	char what[200], on[32];

	if (seen == CHILD_LISTENS) {
		c->port = c->view.port;
		return 0;
	}
	if (seen == CHILD_STOPPED)
		return 130;
	if (c->port != 0)
		snprintf(on, sizeof(on), _("port %d"), c->port);
	else
		snprintf(on, sizeof(on), "%s", _("any port"));
	if (seen == CHILD_EXITED && WIFEXITED(status))
		snprintf(what, sizeof(what), _("exited (status %d) before it "
		    "listened on %s"), WEXITSTATUS(status), on);
	else if (seen == CHILD_EXITED)
		snprintf(what, sizeof(what), _("exited (signal %d) before it "
		    "listened on %s"), WTERMSIG(status), on);
	else if (kernel_read(&c->view, 0, s->cmd.pid) == 0)
		snprintf(what, sizeof(what), _("listens on port %d, not %d (try --port %d)"),
		    c->view.port, c->port, c->view.port);
	else
		snprintf(what, sizeof(what), _("did not listen on %s within %d s"), on,
		    LISTEN_MS / 1000);
	return bad_start(s, what);
}

/* Columns on a terminal: UTF-8 continuation bytes take none. */
static int columns(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * "why:  text" under the verdict's own text, its next lines indented under
 * the text; 'width' is the wider label's, so that why and hint line up.
 */
static void print_indented(const char *label, int width, const char *text)
{
	int indent = 18 + width + 1;

	printf("%18s%s%*s", "", label, width + 1 - columns(label), "");
	for (const char *p = text; *p != '\0'; p++) {
		putchar(*p);
		if (*p == '\n')
			printf("%*s", indent, "");
	}
	putchar('\n');
}

static void print_verdict(const struct verdict *v, int color)
{
	const char *word = v->ok ? "PASS" : "FAIL", *why = _("why:"), *hint = _("hint:");
	int width = columns(why) > columns(hint) ? columns(why) : columns(hint);

	if (color)
		printf("\033[%sm%s\033[0m  %-10s  %s\n", v->ok ? "32" : "31;1", word, v->name,
		    v->seen);
	else
		printf("%s  %-10s  %s\n", word, v->name, v->seen);
	if (v->not_run)
		return;		/* its line says which property to fix first */
	if (!v->ok && v->why[0] != '\0')
		print_indented(why, width, v->why);
	if (!v->ok && v->hint[0] != '\0')
		print_indented(hint, width, v->hint);
}

/* The spec's keys; why and hint are empty on a pass. */
static json_t *check_json(const struct check *c, const struct verdict v[CHECK_PROPERTIES],
    int held)
{
	json_t *properties = json_array();

	for (int i = 0; i < CHECK_PROPERTIES; i++)
		json_out_append(&properties, json_pack("{s:s, s:b, s:o, s:o, s:o}",
		    "name", v[i].name, "ok", v[i].ok, "seen", json_out_text(v[i].seen),
		    "why", json_out_text(v[i].ok ? "" : v[i].why),
		    "hint", json_out_text(v[i].ok ? "" : v[i].hint)));
	return json_pack("{s:o, s:i, s:s, s:o, s:i, s:i}", "host", json_out_text(c->host),
	    "port", c->port, "expect", c->sequential ? "sequential" : "concurrent",
	    "properties", properties, "held", held, "failed", CHECK_PROPERTIES - held);
}

/* The probes, each line printed as soon as it is known. */
static int run_probes(struct check *c, const struct options *opt,
    struct verdict v[CHECK_PROPERTIES])
{
	int held = 0;

	for (int i = 0; i < CHECK_PROPERTIES; i++) {
		if (check_property(c, i, v) == -1) {
			fprintf(stderr, _("netlab: check stopped (Ctrl-C) during '%s'\n"),
			    v[i].name);
			return 130;
		}
		held += v[i].ok;
		if (!opt->json)
			print_verdict(&v[i], opt->color);
		fflush(stdout);
	}
	if (opt->json && json_out_print(stdout, check_json(c, v, held)) == -1)
		return 1;
	if (!opt->json)
		printf(_("%d of %d properties held%s\n"), held, CHECK_PROPERTIES,
		    held == CHECK_PROPERTIES ? "." : _(": fix the first FAIL first."));
	return held == CHECK_PROPERTIES ? 0 : 1;
}

int run_check(const struct options *opt)
{
	static struct check c;
	static struct verdict v[CHECK_PROPERTIES];
	struct started s = { 0 };
	int rc;

	c.host = opt->host;
	/* With a COMMAND and no --port: whichever port it listens on. */
	c.port = opt->dashdash && !(opt->given & GIVEN_PORT) ? 0 : atoi(opt->port);
	c.sequential = opt->expect_sequential;
	c.output_fd = -1;
	if (c.port == 0 && !opt->dashdash)
		usage_error("check --port 0 needs a COMMAND to start (-- COMMAND): "
		    "it then checks the port that COMMAND listens on");
	if (signals_init() == -1) {
		fprintf(stderr, "%s", _("netlab: cannot install the signal handlers\n"));
		return 1;
	}
	if (opt->dashdash) {
		if (start_command(opt->args, &s) == -1)
			return 1;
		rc = wait_listening(&c, &s);
		if (rc != 0) {
			child_end(&s.cmd, END_MS);
			child_close(&s.cmd);
			return rc;
		}
		c.pid = s.cmd.pid;
		c.output_fd = s.cmd.output_fd;
	}
	snprintf(c.port_text, sizeof(c.port_text), "%d", c.port);
	if (!opt->json) {
		printf(_("netlab check: the server on %s port %d"), c.host, c.port);
		if (s.cmd.pid > 0)
			printf(" (%s, pid %d)", s.text, (int)s.cmd.pid);
		printf("%s\n", c.sequential ? _(", expected to be sequential") : "");
		fflush(stdout);
	}
	rc = run_probes(&c, opt, v);
	child_end(&s.cmd, END_MS);
	child_close(&s.cmd);
	kernel_free(&c.view);
	return rc;
}
