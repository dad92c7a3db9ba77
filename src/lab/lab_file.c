/*
 * lab_file.c - read labs/NN-name.lab, and say exactly where it is wrong.
 *
 * The format is described in lab_file.h. A mistake in a lab file is a usage
 * error: the runner prints "netlab: FILE:LINE: what is wrong" and exits 2.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "lab.h"
#include "lab_file.h"

#ifndef NETLAB_LABDIR
#define NETLAB_LABDIR "/usr/local/share/netlab/labs"
#endif

struct parser {
	struct lab *lab;
	const char *path;
	int line;
	char **last;		/* the value a continuation line extends */
	char *err;
	size_t errlen;
	int failed;
};

static const struct {
	const char *word;
	enum expect_kind kind;
	int arg;		/* 0 none, 1 number, 2 text, 3 "below|above N" */
} expect_words[] = {
	{ "accepted", EX_ACCEPTED, 1 }, { "received", EX_RECEIVED, 2 },
	{ "messages", EX_MESSAGES, 1 }, { "closed", EX_CLOSED, 1 },
	{ "connected", EX_CONNECTED, 1 }, { "waiting", EX_WAITING, 1 },
	{ "unread", EX_UNREAD, 1 }, { "listener-closed", EX_LISTENER_CLOSED, 0 },
	{ "exited", EX_EXITED, 0 }, { "served-by", EX_SERVED_BY, 2 },
	{ "log", EX_LOG, 2 }, { "output", EX_OUTPUT, 2 },
	{ "number", EX_NUMBER_BELOW, 3 }, { "took", EX_TOOK_BELOW, 3 },
};
#define NWORDS (sizeof(expect_words) / sizeof(expect_words[0]))

static int bad(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct parser *p, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!p->failed)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->path, p->line, what);
	p->failed = 1;
	return -1;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL) {
		fprintf(stderr, "netlab: out of memory\n");
		exit(1);
	}
	return d;
}

/* Set or extend a text value: a repeated key adds a new line. */
static void put_text(char **slot, const char *value, const char *sep)
{
	if (*slot == NULL) {
		*slot = xstrdup(value);
		return;
	}
	size_t len = strlen(*slot) + strlen(sep) + strlen(value) + 1;
	char *joined = malloc(len);

	if (joined == NULL) {
		fprintf(stderr, "netlab: out of memory\n");
		exit(1);
	}
	snprintf(joined, len, "%s%s%s", *slot, sep, value);
	free(*slot);
	*slot = joined;
}

/* Only {host}, {port} and {netlab} may appear in braces. */
static int check_placeholders(struct parser *p, const char *text)
{
	for (const char *s = strchr(text, '{'); s != NULL; s = strchr(s + 1, '{')) {
		if (strncmp(s, "{host}", 6) && strncmp(s, "{port}", 6) && strncmp(s, "{netlab}", 8))
			return bad(p, "unknown placeholder '%.*s' (use {host}, {port} or {netlab})",
			    (int)strcspn(s, "} ") + 1, s);
	}
	return 0;
}

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return (*s == '\0' || errno != 0 || (*end != '\0' && !isspace((unsigned char)*end))) ? -1 : 0;
}

static int parse_expect(struct parser *p, struct lab_step *st, char *value)
{
	struct lab_expect *ex;
	char word[32], rest_buf[512], *rest;
	size_t i;

	if (st->nexpects == LAB_MAX_EXPECTS)
		return bad(p, "more than %d expect: lines in one step", LAB_MAX_EXPECTS);
	ex = &st->expects[st->nexpects];
	memset(ex, 0, sizeof(*ex));
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(value, " \t"), value);
	snprintf(rest_buf, sizeof(rest_buf), "%s", value + strlen(word));
	rest = rest_buf + strspn(rest_buf, " \t");
	for (i = 0; i < NWORDS; i++)
		if (strcmp(expect_words[i].word, word) == 0)
			break;
	if (i == NWORDS)
		return bad(p, "unknown expectation '%s' (one of accepted, received, messages, "
		    "closed, connected, waiting, unread, listener-closed, exited, served-by, "
		    "log, output, number, took)", word);
	ex->kind = expect_words[i].kind;
	ex->source = xstrdup(value);
	st->nexpects++;		/* from here on lab_free() frees it, also on error */
	switch (expect_words[i].arg) {
	case 0:
		if (*rest != '\0')
			return bad(p, "'%s' takes nothing after it", word);
		break;
	case 1:
		if (parse_long(rest, &ex->n) == -1 || ex->n < 0)
			return bad(p, "'%s' needs a count, as in 'expect: %s 1'", word, word);
		rest += strcspn(rest, " \t");
		rest += strspn(rest, " \t");
		ex->ms = 500;
		if (*rest != '\0') {
			if ((ex->kind != EX_WAITING && ex->kind != EX_UNREAD) ||
			    parse_long(rest, &ex->ms) == -1 || ex->ms < 0)
				return bad(p, "'%s' takes a count%s", word,
				    ex->kind == EX_WAITING || ex->kind == EX_UNREAD ?
				    " and milliseconds, as in 'waiting 1 500'" : " only");
		}
		break;
	case 2:
		if (*rest == '\0')
			return bad(p, "'%s' needs a text to look for", word);
		ex->text = xstrdup(rest);
		if (ex->kind == EX_SERVED_BY) {	/* served-by thread 2 */
			char *last = strrchr(ex->text, ' ');

			ex->n = 1;
			if (last != NULL && parse_long(last + 1, &ex->n) == 0)
				*last = '\0';
		}
		break;
	case 3: {
		char dir[16];
		char *end;
		double v;

		snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(rest, " \t"), rest);
		rest += strlen(dir);
		rest += strspn(rest, " \t");
		if (strcmp(dir, "below") && strcmp(dir, "above"))
			return bad(p, "'%s' needs 'below N' or 'above N'", word);
		v = strtod(rest, &end);
		if (*rest == '\0' || *end != '\0')
			return bad(p, "'%s %s' needs a number, not '%s'", word, dir, rest);
		if (strcmp(dir, "above") == 0)
			ex->kind = ex->kind == EX_NUMBER_BELOW ? EX_NUMBER_ABOVE : EX_TOOK_ABOVE;
		/* took: milliseconds inside, seconds in the file */
		ex->n = ex->kind == EX_TOOK_BELOW || ex->kind == EX_TOOK_ABOVE ?
		    (long)(v * 1000) : (long)v;
		break;
	}
	}
	return 0;
}

/* "do first", "type first", "stop first", "eof first", "run". */
static int parse_action(struct parser *p, struct lab_step *st, const char *key,
    const char *who, char *value)
{
	static const char *const names[] = { "do", "type", "stop", "eof", "run" };
	struct lab_action *a;
	int kind = -1;

	for (int i = 0; i < 5; i++)
		if (strcmp(key, names[i]) == 0)
			kind = i;
	if (kind == -1)
		return 1;	/* not an action */
	if (st->nactions == LAB_MAX_ACTIONS)
		return bad(p, "more than %d actions in one step", LAB_MAX_ACTIONS);
	if (kind == ACT_RUN && *who != '\0')
		return bad(p, "run: takes no terminal name (the runner runs it itself)");
	if (kind != ACT_RUN && *who == '\0')
		return bad(p, "'%s' needs a terminal name, as in '%s first: ...'", key, key);
	if ((kind == ACT_DO || kind == ACT_RUN) && *value == '\0')
		return bad(p, "'%s' needs a command", key);
	if ((kind == ACT_STOP || kind == ACT_EOF) && *value != '\0')
		return bad(p, "'%s %s:' takes nothing after the colon", key, who);
	if (check_placeholders(p, value) == -1)
		return -1;
	a = &st->actions[st->nactions++];
	a->kind = (enum action_kind)kind;
	a->who = xstrdup(who);
	a->text = xstrdup(value);
	return 0;
}

static struct lab_step *current_step(struct parser *p, const char *key)
{
	if (p->lab->nsteps == 0) {
		bad(p, "'%s' before the first 'step:' line", key);
		return NULL;
	}
	return &p->lab->steps[p->lab->nsteps - 1];
}

static int new_step(struct parser *p, const char *title)
{
	struct lab *lab = p->lab;
	struct lab_step *steps;

	if (*title == '\0')
		return bad(p, "a step needs a title: 'step: The first client'");
	steps = realloc(lab->steps, sizeof(*steps) * (size_t)(lab->nsteps + 1));
	if (steps == NULL)
		return bad(p, "out of memory");
	lab->steps = steps;
	memset(&steps[lab->nsteps], 0, sizeof(steps[0]));
	steps[lab->nsteps].title = xstrdup(title);
	steps[lab->nsteps].timeout_ms = 5000;
	lab->nsteps++;
	return 0;
}

static char **text_slot(struct parser *p, const char *key)
{
	struct lab *lab = p->lab;
	struct lab_step *st;

	if (lab->nsteps == 0) {
		if (strcmp(key, "title") == 0) return &lab->title;
		if (strcmp(key, "seeds") == 0) return &lab->seeds;
		if (strcmp(key, "intro") == 0) return &lab->intro;
	}
	if (strcmp(key, "say") && strcmp(key, "watch") && strcmp(key, "hint") &&
	    strcmp(key, "predict") && strcmp(key, "explain"))
		return NULL;
	st = current_step(p, key);
	if (st == NULL)
		return NULL;
	switch (key[0]) {
	case 's': return &st->say;
	case 'w': return &st->watch;
	case 'h': return &st->hint;
	case 'p': return &st->predict;
	default: return &st->explain;
	}
}

static int parse_line(struct parser *p, char *line)
{
	char key[32], who[32] = "", extra, *colon, *value, **slot;
	struct lab_step *st;

	colon = strchr(line, ':');
	if (colon == NULL)
		return bad(p, "expected 'key: value', got '%.40s'", line);
	*colon = '\0';
	value = colon + 1 + strspn(colon + 1, " \t");
	value[strcspn(value, "\r")] = '\0';
	switch (sscanf(line, "%31s %31s %c", key, who, &extra)) {
	case 1: case 2: break;
	case 3: return bad(p, "'%s' is not a key (a key is one word, or 'do NAME')", line);
	default: return bad(p, "a line cannot start with ':'");
	}
	p->last = NULL;

	if (strcmp(key, "step") == 0 && who[0] == '\0')
		return new_step(p, value);
	if (strcmp(key, "server") == 0 && who[0] == '\0') {
		if (*value == '\0')
			return bad(p, "server: needs a design, as in 'server: threaded' (or 'none')");
		if (p->lab->nsteps == 0) {
			free(p->lab->server);
			p->lab->server = xstrdup(value);
		} else {
			st = current_step(p, key);
			free(st->server);
			st->server = xstrdup(value);
		}
		return 0;
	}
	if (strcmp(key, "needs") == 0 && p->lab->nsteps == 0) {
		for (char *w = strtok(value, " \t,"); w != NULL; w = strtok(NULL, " \t,")) {
			if (p->lab->nneeds == LAB_MAX_NEEDS)
				return bad(p, "more than %d needs", LAB_MAX_NEEDS);
			p->lab->needs[p->lab->nneeds++] = xstrdup(w);
		}
		return 0;
	}
	if (strcmp(key, "expect") == 0 || strcmp(key, "timeout") == 0 ||
	    strcmp(key, "optional") == 0 || strcmp(key, "do") == 0 ||
	    strcmp(key, "type") == 0 || strcmp(key, "stop") == 0 ||
	    strcmp(key, "eof") == 0 || strcmp(key, "run") == 0) {
		st = current_step(p, key);
		if (st == NULL)
			return -1;
		if (strcmp(key, "expect") == 0)
			return parse_expect(p, st, value);
		if (strcmp(key, "timeout") == 0) {
			long secs;

			if (parse_long(value, &secs) == -1 || secs < 1 || secs > 600)
				return bad(p, "timeout: needs seconds, 1 to 600");
			st->timeout_ms = (int)secs * 1000;
			return 0;
		}
		if (strcmp(key, "optional") == 0) {
			if (strcmp(value, "yes") && strcmp(value, "no"))
				return bad(p, "optional: is 'yes' or 'no'");
			st->optional = strcmp(value, "yes") == 0;
			return 0;
		}
		return parse_action(p, st, key, who, value);
	}
	if (who[0] == '\0' && (slot = text_slot(p, key)) != NULL) {
		if (check_placeholders(p, value) == -1)
			return -1;
		put_text(slot, value, "\n");
		p->last = slot;
		return 0;
	}
	if (p->failed)
		return -1;
	return bad(p, "unknown key '%s%s%s' (keys: title, seeds, server, needs, intro, step, "
	    "say, do, type, stop, eof, run, watch, hint, predict, expect, explain, timeout, "
	    "optional)", key, who[0] ? " " : "", who);
}

/* Every terminal an action names must have been started by a 'do' first. */
static int check_terminals(struct parser *p)
{
	struct lab *lab = p->lab;

	for (int s = 0; s < lab->nsteps; s++) {
		struct lab_step *st = &lab->steps[s];

		if (st->nexpects == 0) {
			snprintf(p->err, p->errlen, "%s: step %d ('%s') has no expect: line",
			    p->path, s + 1, st->title);
			return -1;
		}
		for (int a = 0; a < st->nactions; a++) {
			int found = st->actions[a].kind == ACT_DO || st->actions[a].kind == ACT_RUN;

			for (int t = 0; t <= s && !found; t++)
				for (int b = 0; b < lab->steps[t].nactions; b++)
					if (lab->steps[t].actions[b].kind == ACT_DO &&
					    strcmp(lab->steps[t].actions[b].who, st->actions[a].who) == 0)
						found = 1;
			if (!found) {
				snprintf(p->err, p->errlen, "%s: step %d: terminal '%s' is used "
				    "before a 'do %s:' line starts it", p->path, s + 1,
				    st->actions[a].who, st->actions[a].who);
				return -1;
			}
		}
	}
	return 0;
}

static void name_from_path(struct lab *lab, const char *path)
{
	const char *base = strrchr(path, '/');
	char *dot, *dash;

	lab->id = xstrdup(base ? base + 1 : path);
	dot = strrchr(lab->id, '.');
	if (dot != NULL)
		*dot = '\0';
	lab->number = atoi(lab->id);
	dash = strchr(lab->id, '-');
	lab->name = xstrdup(dash ? dash + 1 : lab->id);
}

struct lab *lab_load(const char *path, char *err, size_t errlen)
{
	struct parser p = { .path = path, .err = err, .errlen = errlen };
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	p.lab = calloc(1, sizeof(*p.lab));
	if (p.lab == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p.lab->path = xstrdup(path);
	name_from_path(p.lab, path);
	while (!p.failed && getline(&line, &cap, f) != -1) {
		p.line++;
		line[strcspn(line, "\n")] = '\0';
		if ((line[0] == ' ' || line[0] == '\t') && line[strspn(line, " \t")] != '\0') {
			if (p.last == NULL)
				bad(&p, "an indented line continues a text (say:, hint:, ...), "
				    "but there is none above it");
			else
				put_text(p.last, line + strspn(line, " \t"), " ");
			continue;
		}
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#') {
			p.last = line[0] == '#' ? p.last : NULL;
			continue;
		}
		parse_line(&p, line);
	}
	free(line);
	fclose(f);
	if (!p.failed && p.lab->title == NULL) {
		p.line = 1;
		bad(&p, "the lab has no 'title:' line");
	}
	if (!p.failed && p.lab->server == NULL) {
		p.line = 1;
		bad(&p, "the lab has no 'server:' line before its first step (or 'server: none')");
	}
	if (!p.failed && p.lab->nsteps == 0) {
		p.line++;
		bad(&p, "the lab has no 'step:' line");
	}
	if (!p.failed && check_terminals(&p) == -1)
		p.failed = 1;
	if (p.failed) {
		lab_free(p.lab);
		return NULL;
	}
	return p.lab;
}

void lab_free(struct lab *lab)
{
	if (lab == NULL)
		return;
	for (int s = 0; s < lab->nsteps; s++) {
		struct lab_step *st = &lab->steps[s];

		free(st->title); free(st->server); free(st->say); free(st->watch);
		free(st->hint); free(st->predict); free(st->explain);
		for (int a = 0; a < st->nactions; a++) {
			free(st->actions[a].who);
			free(st->actions[a].text);
		}
		for (int e = 0; e < st->nexpects; e++) {
			free(st->expects[e].text);
			free(st->expects[e].source);
		}
	}
	for (int i = 0; i < lab->nneeds; i++)
		free(lab->needs[i]);
	free(lab->steps); free(lab->path); free(lab->id); free(lab->name);
	free(lab->title); free(lab->seeds); free(lab->intro); free(lab->server);
	free(lab);
}

static int is_dir(const char *path)
{
	struct stat st;

	return path != NULL && *path != '\0' && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *lab_dir(void)
{
	static char here[PATH_MAX];
	const char *env = getenv("NETLAB_LABDIR");
	ssize_t n;

	if (env != NULL && *env != '\0')
		return env;		/* even if missing: the error then names it */
	/* A checkout: labs/ beside the netlab binary, even if one is installed. */
	n = readlink("/proc/self/exe", here, sizeof(here) - 8);
	if (n > 0) {
		here[n] = '\0';
		char *slash = strrchr(here, '/');

		if (slash != NULL) {
			strcpy(slash + 1, "labs");
			if (is_dir(here))
				return here;
		}
	}
	if (is_dir(NETLAB_LABDIR))
		return NETLAB_LABDIR;	/* make install put them there */
	return "labs";
}

static int by_number(const void *a, const void *b)
{
	const struct lab *x = *(struct lab *const *)a, *y = *(struct lab *const *)b;

	return x->number != y->number ? x->number - y->number : strcmp(x->id, y->id);
}

int lab_load_all(struct lab ***out, char *err, size_t errlen)
{
	const char *dir = lab_dir();
	struct lab **labs = NULL;
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "cannot read the labs in %s: %s (set NETLAB_LABDIR)",
		    dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char path[PATH_MAX];
		struct lab *lab, **grown;

		if (len < 5 || strcmp(de->d_name + len - 4, ".lab") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		lab = lab_load(path, err, errlen);
		grown = lab ? realloc(labs, sizeof(*labs) * (size_t)(n + 1)) : NULL;
		if (grown == NULL) {
			lab_free(lab);
			for (int i = 0; i < n; i++)
				lab_free(labs[i]);
			free(labs);
			closedir(d);
			return -1;
		}
		labs = grown;
		labs[n++] = lab;
	}
	closedir(d);
	if (n > 0)
		qsort(labs, (size_t)n, sizeof(*labs), by_number);
	*out = labs;
	return n;
}

void server_design(const char *server, char *design, size_t len)
{
	snprintf(design, len, "%.*s", (int)strcspn(server, " \t"), server);
}

const char *step_missing(const struct lab_step *st)
{
	static char design[64];

	if (st->server == NULL || strcmp(st->server, "none") == 0)
		return NULL;
	server_design(st->server, design, sizeof(design));
	return command_find(design) != NULL ? NULL : design;
}

const char *lab_missing(const struct lab *lab)
{
	static char design[64];
	const char *m;

	for (int i = 0; i < lab->nneeds; i++)
		if (command_find(lab->needs[i]) == NULL)
			return lab->needs[i];
	if (strcmp(lab->server, "none") != 0) {
		server_design(lab->server, design, sizeof(design));
		if (command_find(design) == NULL)
			return design;
	}
	for (int s = 0; s < lab->nsteps; s++)
		if (!lab->steps[s].optional && (m = step_missing(&lab->steps[s])) != NULL)
			return m;
	return NULL;
}
