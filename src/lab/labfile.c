/*
 * labfile.c - read labs/NN-name.lab, and say exactly where it is wrong.
 *
 * The format is described in labfile.h. A mistake in a lab file is a usage
 * error: the runner prints "netlab: FILE:LINE: what is wrong" and exits 2.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "labfile.h"

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
		fprintf(stderr, _("netlab: out of memory\n"));
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
		fprintf(stderr, _("netlab: out of memory\n"));
		exit(1);
	}
	snprintf(joined, len, "%s%s%s", *slot, sep, value);
	free(*slot);
	*slot = joined;
}

/* Only {host}, {port} and {netlab} may appear in braces ({labdir} is filled in already). */
static int check_placeholders(struct parser *p, const char *text)
{
	for (const char *s = strchr(text, '{'); s != NULL; s = strchr(s + 1, '{')) {
		if (strncmp(s, "{host}", 6) && strncmp(s, "{port}", 6) && strncmp(s, "{netlab}", 8))
			return bad(p, _("unknown placeholder '%.*s' (use {host}, {port}, {netlab} "
			    "or {labdir})"), (int)strcspn(s, "} ") + 1, s);
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

static int unknown_expectation(struct parser *p, const char *word)
{
	char words[256];
	size_t o = 0;

	for (size_t i = 0; i < NWORDS; i++)
		o += (size_t)snprintf(words + o, sizeof(words) - o, "%s%s", i ? ", " : "",
		    expect_words[i].word);
	return bad(p, _("unknown expectation '%s' (one of %s)"), word, words);
}

/* "accepted 2", "waiting 1 500": a count, and for some milliseconds. */
static int parse_count(struct parser *p, struct lab_expect *ex, const char *word, char *rest)
{
	int timed = ex->kind == EX_WAITING || ex->kind == EX_UNREAD;

	if (parse_long(rest, &ex->n) == -1 || ex->n < 0)
		return bad(p, _("'%s' needs a count, as in 'expect: %s 1'"), word, word);
	rest += strcspn(rest, " \t");
	rest += strspn(rest, " \t");
	ex->ms = 500;
	if (*rest != '\0' && (!timed || parse_long(rest, &ex->ms) == -1 || ex->ms < 0))
		return bad(p, timed ? _("'%s' takes a count and milliseconds, as in "
		    "'waiting 1 500'") : _("'%s' takes a count only"), word);
	return 0;
}

/* "received Hello", "served-by thread 2": a text, served-by a count too. */
static int parse_text(struct parser *p, struct lab_expect *ex, const char *word, char *rest)
{
	if (*rest == '\0')
		return bad(p, _("'%s' needs a text to look for"), word);
	ex->text = xstrdup(rest);
	if (ex->kind == EX_SERVED_BY) {
		char *last = strrchr(ex->text, ' ');

		ex->n = 1;
		if (last != NULL && parse_long(last + 1, &ex->n) == 0)
			*last = '\0';
	}
	return 0;
}

/* "number below 5", "took above 0.5": a direction and a bound. */
static int parse_bound(struct parser *p, struct lab_expect *ex, const char *word, char *rest)
{
	char dir[16], *end;
	double v, scale;

	snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(rest, " \t"), rest);
	rest += strlen(dir);
	rest += strspn(rest, " \t");
	if (strcmp(dir, "below") && strcmp(dir, "above"))
		return bad(p, _("'%s' needs 'below N' or 'above N'"), word);
	v = strtod(rest, &end);
	if (*rest == '\0' || *end != '\0')
		return bad(p, _("'%s %s' needs a number, not '%s'"), word, dir, rest);
	if (strcmp(dir, "above") == 0)
		ex->kind = ex->kind == EX_NUMBER_BELOW ? EX_NUMBER_ABOVE : EX_TOOK_ABOVE;
	/* took: milliseconds inside, seconds in the file */
	scale = ex->kind == EX_TOOK_BELOW || ex->kind == EX_TOOK_ABOVE ? 1000 : 1;
	/* A double past a long's range (or nan) has no long value: converting
	 * it is undefined behaviour, so such a bound is the teacher's mistake. */
	if (!(v * scale > (double)LONG_MIN && v * scale < (double)LONG_MAX))
		return bad(p, _("'%s %s' needs a number between -%.1e and %.1e, not '%s'"),
		    word, dir, 9.2e18 / scale, 9.2e18 / scale, rest);
	ex->n = (long)(v * scale);
	return 0;
}

static int parse_expect(struct parser *p, struct lab_step *st, char *value)
{
	struct lab_expect *ex;
	char word[32], rest_buf[512], *rest;
	size_t i;

	if (st->nexpects == LAB_MAX_EXPECTS)
		return bad(p, _("more than %d expect: lines in one step"), LAB_MAX_EXPECTS);
	ex = &st->expects[st->nexpects];
	memset(ex, 0, sizeof(*ex));
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(value, " \t"), value);
	snprintf(rest_buf, sizeof(rest_buf), "%s", value + strlen(word));
	rest = rest_buf + strspn(rest_buf, " \t");
	for (i = 0; i < NWORDS; i++)
		if (strcmp(expect_words[i].word, word) == 0)
			break;
	if (i == NWORDS)
		return unknown_expectation(p, word);
	ex->kind = expect_words[i].kind;
	ex->source = xstrdup(value);
	st->nexpects++;		/* from here on lab_free() frees it, also on error */
	switch (expect_words[i].arg) {
	case 0:
		return *rest != '\0' ? bad(p, _("'%s' takes nothing after it"), word) : 0;
	case 1:
		return parse_count(p, ex, word, rest);
	case 2:
		return parse_text(p, ex, word, rest);
	default:
		return parse_bound(p, ex, word, rest);
	}
}

/* "do first", "type first", "stop first", "eof first", "run". */
static int parse_action(struct parser *p, struct lab_step *st, enum action_kind kind,
    const char *who, char *value)
{
	static const char *const names[] = { "do", "type", "stop", "eof", "run", "edit" };
	const char *key = names[kind];
	struct lab_action *a;

	if (st->nactions == LAB_MAX_ACTIONS)
		return bad(p, _("more than %d actions in one step"), LAB_MAX_ACTIONS);
	if (kind == ACT_RUN && *who != '\0')
		return bad(p, _("run: takes no terminal name (the runner runs it itself)"));
	if (kind != ACT_RUN && *who == '\0')
		return bad(p, _("'%s' needs a terminal name, as in '%s first: ...'"), key, key);
	if ((kind == ACT_DO || kind == ACT_RUN) && *value == '\0')
		return bad(p, _("'%s' needs a command"), key);
	if (kind == ACT_EDIT && strstr(value, " => ") == NULL)
		return bad(p, _("'edit %s:' needs the line to change, ' => ', and its new text"), who);
	if ((kind == ACT_STOP || kind == ACT_EOF) && *value != '\0')
		return bad(p, _("'%s %s:' takes nothing after the colon"), key, who);
	if (check_placeholders(p, value) == -1)
		return -1;
	a = &st->actions[st->nactions++];
	a->kind = kind;
	a->who = xstrdup(who);
	a->text = xstrdup(value);
	return 0;
}

static struct lab_step *current_step(struct parser *p, const char *key)
{
	if (p->lab->nsteps == 0) {
		bad(p, _("'%s' before the first 'step:' line"), key);
		return NULL;
	}
	return &p->lab->steps[p->lab->nsteps - 1];
}

static int new_step(struct parser *p, const char *title)
{
	struct lab *lab = p->lab;
	struct lab_step *steps;

	if (*title == '\0')
		return bad(p, _("a step needs a title: 'step: The first client'"));
	steps = realloc(lab->steps, sizeof(*steps) * (size_t)(lab->nsteps + 1));
	if (steps == NULL)
		return bad(p, _("out of memory"));
	lab->steps = steps;
	memset(&steps[lab->nsteps], 0, sizeof(steps[0]));
	steps[lab->nsteps].title = xstrdup(title);
	steps[lab->nsteps].timeout_ms = 5000;
	lab->nsteps++;
	return 0;
}

/* One table of keys drives the parser, and its error message. */
enum key_kind { K_TEXT, K_SERVER, K_NEEDS, K_STEP, K_ACTION, K_EXPECT, K_TIMEOUT,
	K_OPTIONAL };
enum key_place { HEADER, IN_STEP, ANYWHERE };

static const struct keyword {
	const char *key;
	enum key_kind kind;
	enum key_place place;
	size_t slot;		/* K_TEXT: where in struct lab or lab_step; K_ACTION: its kind */
} keywords[] = {
	{ "title", K_TEXT, HEADER, offsetof(struct lab, title) },
	{ "seeds", K_TEXT, HEADER, offsetof(struct lab, seeds) },
	{ "server", K_SERVER, ANYWHERE, 0 },
	{ "needs", K_NEEDS, HEADER, 0 },
	{ "intro", K_TEXT, HEADER, offsetof(struct lab, intro) },
	{ "step", K_STEP, ANYWHERE, 0 },
	{ "say", K_TEXT, IN_STEP, offsetof(struct lab_step, say) },
	{ "do", K_ACTION, IN_STEP, ACT_DO },
	{ "type", K_ACTION, IN_STEP, ACT_TYPE },
	{ "stop", K_ACTION, IN_STEP, ACT_STOP },
	{ "eof", K_ACTION, IN_STEP, ACT_EOF },
	{ "run", K_ACTION, IN_STEP, ACT_RUN },
	{ "edit", K_ACTION, IN_STEP, ACT_EDIT },
	{ "watch", K_TEXT, IN_STEP, offsetof(struct lab_step, watch) },
	{ "hint", K_TEXT, IN_STEP, offsetof(struct lab_step, hint) },
	{ "predict", K_TEXT, IN_STEP, offsetof(struct lab_step, predict) },
	{ "expect", K_EXPECT, IN_STEP, 0 },
	{ "explain", K_TEXT, IN_STEP, offsetof(struct lab_step, explain) },
	{ "timeout", K_TIMEOUT, IN_STEP, 0 },
	{ "optional", K_OPTIONAL, IN_STEP, 0 },
};
#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

static int unknown_key(struct parser *p, const char *key, const char *who)
{
	char keys[256];
	size_t o = 0;

	for (size_t i = 0; i < NKEYWORDS; i++)
		o += (size_t)snprintf(keys + o, sizeof(keys) - o, "%s%s", i ? ", " : "",
		    keywords[i].key);
	return bad(p, _("unknown key '%s%s%s' (keys: %s)"), key, who[0] ? " " : "", who, keys);
}

static int set_server(struct parser *p, struct lab_step *st, const char *value)
{
	char **slot = st != NULL ? &st->server : &p->lab->server;

	if (*value == '\0')
		return bad(p, _("server: needs a design, as in 'server: threaded' (or 'none')"));
	free(*slot);
	*slot = xstrdup(value);
	return 0;
}

static int add_needs(struct parser *p, char *value)
{
	for (char *w = strtok(value, " \t,"); w != NULL; w = strtok(NULL, " \t,")) {
		if (p->lab->nneeds == LAB_MAX_NEEDS)
			return bad(p, _("more than %d needs"), LAB_MAX_NEEDS);
		p->lab->needs[p->lab->nneeds++] = xstrdup(w);
	}
	return 0;
}

static int set_timeout(struct parser *p, struct lab_step *st, const char *value)
{
	long secs;

	if (parse_long(value, &secs) == -1 || secs < 1 || secs > 600)
		return bad(p, _("timeout: needs seconds, 1 to 600"));
	st->timeout_ms = (int)secs * 1000;
	return 0;
}

static int set_optional(struct parser *p, struct lab_step *st, const char *value)
{
	if (strcmp(value, "yes") && strcmp(value, "no"))
		return bad(p, _("optional: is 'yes' or 'no'"));
	st->optional = strcmp(value, "yes") == 0;
	return 0;
}

static int set_text(struct parser *p, const struct keyword *kw, struct lab_step *st,
    const char *value)
{
	char **slot = (char **)((char *)(kw->place == HEADER ? (void *)p->lab : (void *)st) +
	    kw->slot);

	if (check_placeholders(p, value) == -1)
		return -1;
	put_text(slot, value, "\n");
	p->last = slot;
	return 0;
}

/* Split "key who: value"; -1 when the line is no key line. */
static int split_line(struct parser *p, char *line, char *key, char *who, char **value)
{
	char extra, *colon = strchr(line, ':');

	if (colon == NULL)
		return bad(p, _("expected 'key: value', got '%.40s'"), line);
	*colon = '\0';
	*value = colon + 1 + strspn(colon + 1, " \t");
	(*value)[strcspn(*value, "\r")] = '\0';
	switch (sscanf(line, "%31s %31s %c", key, who, &extra)) {
	case 1: case 2: return 0;
	case 3: return bad(p, _("'%s' is not a key (a key is one word, or 'do NAME')"), line);
	default: return bad(p, _("a line cannot start with ':'"));
	}
}

static int parse_line(struct parser *p, char *line)
{
	char key[32], who[32] = "", *value = NULL;
	const struct keyword *kw = NULL;
	struct lab_step *st = NULL;

	if (split_line(p, line, key, who, &value) == -1)
		return -1;
	p->last = NULL;
	for (size_t i = 0; i < NKEYWORDS && kw == NULL; i++)
		if (strcmp(keywords[i].key, key) == 0)
			kw = &keywords[i];
	if (kw == NULL || (who[0] != '\0' && kw->kind != K_ACTION) ||
	    (kw->place == HEADER && p->lab->nsteps > 0))
		return unknown_key(p, key, who);
	if (kw->place == IN_STEP && (st = current_step(p, key)) == NULL)
		return -1;
	switch (kw->kind) {
	case K_TEXT: return set_text(p, kw, st, value);
	case K_SERVER: return set_server(p, p->lab->nsteps ? current_step(p, key) : NULL, value);
	case K_NEEDS: return add_needs(p, value);
	case K_STEP: return new_step(p, value);
	case K_ACTION: return parse_action(p, st, (enum action_kind)kw->slot, who, value);
	case K_EXPECT: return parse_expect(p, st, value);
	case K_TIMEOUT: return set_timeout(p, st, value);
	case K_OPTIONAL: return set_optional(p, st, value);
	}
	return -1;
}

/* Every terminal an action names must have been started by a 'do' first. */
static int check_terminals(struct parser *p)
{
	struct lab *lab = p->lab;

	for (int s = 0; s < lab->nsteps; s++) {
		struct lab_step *st = &lab->steps[s];

		if (st->nexpects == 0) {
			snprintf(p->err, p->errlen, _("%s: step %d ('%s') has no expect: line"),
			    p->path, s + 1, st->title);
			return -1;
		}
		for (int a = 0; a < st->nactions; a++) {
			int found = st->actions[a].kind == ACT_DO || st->actions[a].kind == ACT_RUN ||
			    st->actions[a].kind == ACT_EDIT;

			for (int t = 0; t <= s && !found; t++)
				for (int b = 0; b < lab->steps[t].nactions; b++)
					if (lab->steps[t].actions[b].kind == ACT_DO &&
					    strcmp(lab->steps[t].actions[b].who, st->actions[a].who) == 0)
						found = 1;
			if (!found) {
				snprintf(p->err, p->errlen, _("%s: step %d: terminal '%s' is used "
				    "before a 'do %s:' line starts it"), p->path, s + 1,
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


/*
 * {labdir}, the folder of the lab file itself (where its starting files
 * are, in files/), is known as soon as the file is: it is filled in as
 * each line is read. Returns the new line (the old one freed).
 */
static char *fill_labdir(char *line, const char *file, size_t *cap)
{
	char real[PATH_MAX];
	/* In full: --auto plays a lab in a folder of its own. */
	const char *path = realpath(file, real) != NULL ? real : file;
	const char *slash = strrchr(path, '/');
	int dir_len = slash != NULL ? (int)(slash - path) : 1;
	size_t size = strlen(line) + 1, o = 0;
	char *filled;

	for (const char *s = strstr(line, "{labdir}"); s != NULL; s = strstr(s + 8, "{labdir}"))
		size += (size_t)dir_len;
	filled = malloc(size);
	if (filled == NULL) {
		fprintf(stderr, "netlab: out of memory\n");
		exit(1);
	}
	for (const char *s = line; *s != '\0'; ) {
		if (strncmp(s, "{labdir}", 8) == 0) {
			o += (size_t)snprintf(filled + o, size - o, "%.*s", dir_len,
			    slash != NULL ? path : ".");
			s += 8;
		} else {
			filled[o++] = *s++;
		}
	}
	filled[o] = '\0';
	free(line);
	*cap = size;
	return filled;
}

/* Every line of the file: keys, continuations, blanks and comments. */
static void read_lines(struct parser *p, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;

	while (!p->failed && getline(&line, &cap, f) != -1) {
		p->line++;
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, "{labdir}") != NULL)
			line = fill_labdir(line, p->lab->path, &cap);
		if ((line[0] == ' ' || line[0] == '\t') && line[strspn(line, " \t")] != '\0') {
			if (p->last == NULL)
				bad(p, _("an indented line continues a text (say:, hint:, ...), "
				    "but there is none above it"));
			else
				put_text(p->last, line + strspn(line, " \t"), " ");
			continue;
		}
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#') {
			p->last = line[0] == '#' ? p->last : NULL;
			continue;
		}
		parse_line(p, line);
	}
	free(line);
}

/* What a whole lab must have: a title, a server, steps, started terminals. */
static void check_lab(struct parser *p)
{
	if (!p->failed && p->lab->title == NULL) {
		p->line = 1;
		bad(p, _("the lab has no 'title:' line"));
	}
	if (!p->failed && p->lab->server == NULL) {
		p->line = 1;
		bad(p, _("the lab has no 'server:' line before its first step (or 'server: none')"));
	}
	if (!p->failed && p->lab->nsteps == 0) {
		p->line++;
		bad(p, _("the lab has no 'step:' line"));
	}
	if (!p->failed && check_terminals(p) == -1)
		p->failed = 1;
}

struct lab *lab_load(const char *path, char *err, size_t errlen)
{
	struct parser p = { .path = path, .err = err, .errlen = errlen };
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, _("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	p.lab = calloc(1, sizeof(*p.lab));
	if (p.lab == NULL) {
		fclose(f);
		snprintf(err, errlen, _("out of memory"));
		return NULL;
	}
	p.lab->path = xstrdup(path);
	name_from_path(p.lab, path);
	read_lines(&p, f);
	fclose(f);
	check_lab(&p);
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

/* Teacher's text, {host}/{port}/{netlab} filled in. */
void lab_expand(const char *text, const char *host, int port, const char *self, char *out,
    size_t len)
{
	size_t o = 0;

	for (const char *p = text; *p && o + 1 < len; ) {
		const char *with = NULL;
		char number[16];

		if (strncmp(p, "{port}", 6) == 0) {
			snprintf(number, sizeof(number), "%d", port);
			with = number;
			p += 6;
		} else if (strncmp(p, "{host}", 6) == 0) {
			with = host;
			p += 6;
		} else if (strncmp(p, "{netlab}", 8) == 0) {
			with = self;
			p += 8;
		}
		if (with == NULL) {
			out[o++] = *p++;
			continue;
		}
		o += (size_t)snprintf(out + o, len - o, "%s", with);
		if (o >= len)
			o = len - 1;
	}
	out[o] = '\0';
}
