/*
 * play.c - start, feed, stop and reap the student's terminals and the
 * run: commands (child.c starts them, each in a process group of its own).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "now.h"
#include "play.h"

#define END_MS 2000		/* SIGTERM, then this long before SIGKILL */

void play_init(struct player *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->run.out.fd = -1;
	pl->gate_clients = -1;
}

static struct term *term_named(struct player *pl, const char *name)
{
	for (int i = 0; i < pl->nterms; i++)
		if (strcmp(pl->terms[i].name, name) == 0)
			return &pl->terms[i];
	return NULL;
}

/*
 * 'sh -c command' with its output on a pipe that l reads from now on, and
 * its stdin a pipe if 'keyboard'. 0, or -1 when it could not be started.
 */
static int start_shell(struct child *c, struct lines *l, const char *command, int keyboard)
{
	char *argv[] = { "sh", "-c", (char *)command, NULL };

	l->fd = -1;
	memset(c, 0, sizeof(*c));
	c->path = "/bin/sh";
	c->output = CHILD_OUTPUT_PIPE;
	c->input_pipe = keyboard;
	if (child_start(c, argv) == -1)
		return -1;
	l->fd = c->output_fd;	/* the line reader owns the pipe from here */
	c->output_fd = -1;
	if (c->exec_error == 0)
		return 0;
	child_end(c, 0);
	child_close(c);
	return -1;
}

static void term_close(struct term *t)
{
	child_end(&t->child, END_MS);
	child_close(&t->child);
	if (t->out.fd >= 0)
		close(t->out.fd);
	t->out.fd = -1;
}

void play_stop_all(struct player *pl)
{
	for (int i = 0; i < pl->nterms; i++)
		term_close(&pl->terms[i]);
	child_stop(&pl->run.child);
}

void play_reap(struct player *pl)
{
	if (pl->run.child.pid > 0 && child_ended(&pl->run.child)) {
		pl->run.took = lab_now() - pl->run.started;
		pl->run.done = 1;
		child_end(&pl->run.child, END_MS);	/* what it left running, if anything */
	}
	for (int i = 0; i < pl->nterms; i++)
		if (pl->terms[i].child.pid > 0 && child_ended(&pl->terms[i].child))
			child_end(&pl->terms[i].child, END_MS);
}

/* Keep output for the expectations to look at, up to 1 MiB. */
static void keep(struct output *o, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (o->len + 2 > o->cap) {
			size_t cap = o->cap ? o->cap * 2 : 4096;
			char *grown = cap <= 1 << 20 ? realloc(o->text, cap) : NULL;

			if (grown == NULL)
				return;
			o->text = grown;
			o->cap = cap;
		}
		o->text[o->len++] = bytes[i];
		o->text[o->len] = '\0';
	}
}

int play_read(struct player *pl, struct lines *l)
{
	ssize_t n = read(l->fd, l->raw, sizeof(l->raw));

	if (n == -1 && errno == EINTR)
		return 1;
	l->rpos = 0;
	l->rlen = n > 0 ? (size_t)n : 0;
	l->eof = n <= 0;
	keep(&pl->seen, l->raw, l->rlen);
	if (l == &pl->run.out)
		keep(&pl->run.output, l->raw, l->rlen);
	return n > 0;
}

int play_next_line(struct lines *l, char *line, size_t len)
{
	while (l->rpos < l->rlen) {
		char c = l->raw[l->rpos++];

		if (c != '\n' && l->len < sizeof(l->partial) - 1) {
			l->partial[l->len++] = c;
			continue;
		}
		l->partial[l->len] = '\0';
		snprintf(line, len, "%s", l->partial);
		l->len = 0;
		return 1;
	}
	if (l->eof && l->len > 0) {	/* the last line had no newline */
		l->partial[l->len] = '\0';
		snprintf(line, len, "%s", l->partial);
		l->len = 0;
		return 1;
	}
	return 0;
}

/* "do NAME: COMMAND": a new terminal, or the same one started again. */
static void start_terminal(struct player *pl, const char *name, const char *text)
{
	struct term *t = term_named(pl, name);
	char command[1100];

	if (t != NULL)
		term_close(t);
	else if (pl->nterms < MAX_TERMS)
		t = &pl->terms[pl->nterms++];
	if (t == NULL)
		return;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->out.len = t->out.rlen = t->out.rpos = 0;
	snprintf(command, sizeof(command), "exec %s", text);
	start_shell(&t->child, &t->out, command, 1);
}

static void type_line(struct term *t, const char *text)
{
	char line[1100];
	int n = snprintf(line, sizeof(line), "%s\n", text);

	if (t == NULL || t->child.input_fd < 0 || n < 0)
		return;
	/* nc may be gone already: then the line is lost, as it would be */
	(void)!write(t->child.input_fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/*
 * "edit FILE: OLD => NEW", as the student would do it in an editor: the
 * line that reads OLD (its indent aside) reads NEW, indent kept. A file
 * without that line is left as it is: the lab's next run: says so.
 */
static void edit_file(const char *file, const char *change)
{
	const char *arrow = strstr(change, " => ");
	char *text = NULL, *line, *next;
	size_t len = 0, old_len;
	FILE *in = fopen(file, "r"), *out;
	char tmp[PATH_MAX];

	if (in == NULL || arrow == NULL || getdelim(&text, &len, '\0', in) == -1) {
		if (in != NULL)
			fclose(in);
		free(text);
		return;
	}
	fclose(in);
	old_len = (size_t)(arrow - change);
	snprintf(tmp, sizeof(tmp), "%s.edit", file);
	if ((out = fopen(tmp, "w")) == NULL) {
		free(text);
		return;
	}
	for (line = text; *line; line = next) {
		size_t indent = strspn(line, " \t"), n = strcspn(line, "\n");

		next = line + n + (line[n] == '\n');
		if (n - indent == old_len && strncmp(line + indent, change, old_len) == 0)
			fprintf(out, "%.*s%s%s", (int)indent, line, arrow + 4, line[n] ? "\n" : "");
		else
			fwrite(line, 1, (size_t)(next - line), out);
	}
	free(text);
	if (fclose(out) != 0 || rename(tmp, file) == -1)
		(void)unlink(tmp);	/* the file stays as it was */
}

void play_action(struct player *pl, const struct lab_action *a, const char *text,
    int nclients, double run_timeout)
{
	struct term *t = a->kind == ACT_RUN ? NULL : term_named(pl, a->who);

	switch (a->kind) {
	case ACT_DO:
		start_terminal(pl, a->who, text);
		pl->gate_clients = nclients;
		pl->gate_until = lab_now() + 2;
		pl->gate_do = term_named(pl, a->who);
		break;
	case ACT_EDIT:
		edit_file(a->who, text);
		break;
	case ACT_TYPE:
		type_line(t, text);
		break;
	case ACT_STOP:
		if (t != NULL && t->child.pid > 0) {
			child_stop(&t->child);
			pl->gate_pid = t->child.pid;
			pl->gate_until = lab_now() + 2;
		}
		break;
	case ACT_EOF:
		if (t != NULL && t->child.input_fd >= 0) {
			close(t->child.input_fd);	/* nc reads EOF: Ctrl-D */
			t->child.input_fd = -1;
		}
		break;
	case ACT_RUN:
		pl->run.started = lab_now();
		pl->run.done = start_shell(&pl->run.child, &pl->run.out, text, 0) == -1;
		pl->gate_pid = pl->run.child.pid;
		pl->gate_until = lab_now() + run_timeout;
		break;
	}
}

int play_gate_open(struct player *pl, int nclients)
{
	if (pl->gate_clients >= 0) {
		/* A new client, or the command ended (cp), or 2 s passed. */
		if (nclients > pl->gate_clients || lab_now() > pl->gate_until ||
		    (pl->gate_do != NULL && pl->gate_do->child.pid == 0))
			pl->gate_clients = -1;
		else
			return 0;
	}
	if (pl->gate_pid > 0) {
		int alive = pl->gate_pid == pl->run.child.pid;

		for (int i = 0; i < pl->nterms; i++)
			alive |= pl->terms[i].child.pid == pl->gate_pid;
		if (alive && lab_now() < pl->gate_until)
			return 0;
		pl->gate_pid = 0;
	}
	return 1;
}

void play_new_step(struct player *pl)
{
	child_end(&pl->run.child, END_MS);	/* a step left behind: the command ends with it */
	child_close(&pl->run.child);
	if (pl->run.out.fd >= 0)
		close(pl->run.out.fd);
	free(pl->run.output.text);
	memset(&pl->run, 0, sizeof(pl->run));
	pl->run.out.fd = -1;
	pl->gate_clients = -1;
	pl->gate_do = NULL;
	pl->gate_pid = 0;
	pl->seen.len = 0;
	if (pl->seen.text != NULL)
		pl->seen.text[0] = '\0';
}

void play_free(struct player *pl)
{
	free(pl->run.output.text);
	free(pl->seen.text);
}
