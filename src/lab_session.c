/*
 * lab_session.c - one lab, step by step.
 *
 * The runner starts the server itself and reads its log through a pipe.
 * A step tells the student what to type in another terminal (nc, mostly);
 * the runner watches the server's own events and the kernel's view of the
 * port (lab_watch.c), and as soon as the step's expectations hold it says
 * so and moves on. With --auto the runner also plays the student: it
 * starts the nc processes itself and types into them.
 *
 * One thread, one poll() loop: the server's pipe, the student's keyboard
 * (GNU readline, callback interface), the auto player's nc processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "lab_session.h"
#include "lab_watch.h"

#define MAX_TERMS 16
#define WIDTH 78

struct term {			/* a student's terminal, played by --auto */
	char name[32];
	pid_t pid;
	int in_fd, out_fd;
	char partial[512];
	size_t partial_len;
};

struct run {			/* a run: command, which the runner runs itself */
	pid_t pid;
	int out_fd;
	double started, took;
	int done;
	char *output;
	size_t len, cap;
};

static struct session {
	struct lab *lab;
	const struct options *opt;
	char self[PATH_MAX];
	int auto_mode, tty, color;
	FILE *record;
	struct watch w;

	int step;		/* the current step, 0-based */
	int mark;		/* w.nevents when the step began */
	double step_began, actions_done_at;
	int action;		/* next action to play */
	int gate_clients;	/* a 'do' waits for a new client to connect */
	double gate_until;
	pid_t gate_pid;		/* a 'stop' or 'run' waits for this process */
	int asking;		/* waiting for the student's prediction */
	char guess[200];
	int passed, failed, finished, quit;
	int all_passed;
	int confirm_all;	/* "reset all": waiting for y/n */

	struct term terms[MAX_TERMS];
	int nterms;
	struct run run;
	struct run seen;	/* everything the terminals and run: printed this step */
	int shown, hidden;	/* server lines shown, held back, this second */
	double window;
	char prompt[64];
	int rl_active;
	char input[4096];	/* stdin that is not a terminal: a line at a time */
	size_t input_len;
} s;

static volatile sig_atomic_t got_signal;

static const char *const commands[] = { "next", "back", "hint", "check", "status",
	"timeline", "restart", "reset", "quit", "help", NULL };
static const char bar[] = "next  back  hint  check  status  timeline  help  quit  (Tab completes)";

/* ---- output: above the prompt, and into the transcript ---------------- */

static void record_text(const char *text)
{
	if (s.record == NULL)
		return;
	for (const char *p = text; *p; p++) {
		if (*p == '\033') {		/* the transcript is plain text */
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		fputc(*p, s.record);
	}
	fflush(s.record);
}

void lab_print(const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (s.rl_active)
		fputs("\r\033[J", stdout);	/* off with the prompt and the bar */
	fputs(text, stdout);
	if (s.rl_active) {
		fputs("\n\033[A", stdout);	/* keep a row free under the prompt */
		fflush(stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
	fflush(stdout);
	record_text(text);
}

static const char *paint(const char *code, const char *text)
{
	static char buf[4][1100];
	static int next;
	char *b = buf[next++ % 4];

	if (s.color)
		snprintf(b, sizeof(buf[0]), "\033[%sm%s\033[0m", code, text);
	else
		snprintf(b, sizeof(buf[0]), "%s", text);
	return b;
}

/* Teacher's text, {host}/{port}/{netlab} filled in. */
static void expand(const char *text, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = text; *p && o + 1 < len; ) {
		const char *with = NULL;
		char port[16];

		if (strncmp(p, "{port}", 6) == 0) {
			snprintf(port, sizeof(port), "%d", s.w.port);
			with = port;
			p += 6;
		} else if (strncmp(p, "{host}", 6) == 0) {
			with = "127.0.0.1";
			p += 6;
		} else if (strncmp(p, "{netlab}", 8) == 0) {
			with = s.self;
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

/* Print a text wrapped at WIDTH, each line after 'lead'. */
static void wrap(const char *lead, const char *text)
{
	char buf[4096], line[WIDTH + 64], pad[32];
	size_t indent = strlen(lead);
	int first = 1;

	if (text == NULL)
		return;
	expand(text, buf, sizeof(buf));
	snprintf(pad, sizeof(pad), "%*s", (int)(indent < 31 ? indent : 31), "");
	for (char *para = strtok(buf, "\n"); para != NULL; para = strtok(NULL, "\n")) {
		size_t len = 0;

		line[0] = '\0';
		for (char *p = para; *p; ) {
			size_t word = strcspn(p, " ");

			if (len > 0 && indent + len + 1 + word > WIDTH) {
				lab_print("%s%s\n", first ? lead : pad, line);
				first = 0;
				len = 0;
				line[0] = '\0';
			}
			if (len > 0)
				line[len++] = ' ';
			if (word > WIDTH)
				word = WIDTH;
			memcpy(line + len, p, word);
			len += word;
			line[len] = '\0';
			p += word;
			p += strspn(p, " ");
		}
		lab_print("%s%s\n", first ? lead : pad, line);
		first = 0;
	}
}

/*
 * The server's log, as it happens. A burst (a thousand clients at once) is
 * cut to the first lines of each second, so that the screen stays readable;
 * status and timeline still know every line.
 */
#define LINES_PER_SECOND 40
#define LINE_SHOWN 200

static void server_line(const char *line)
{
	double now = watch_now();

	if (now - s.window >= 1) {
		if (s.hidden > 0)
			lab_print("  %s ... %d more lines\n", paint("2", "|"), s.hidden);
		s.window = now;
		s.shown = s.hidden = 0;
	}
	if (s.shown++ >= LINES_PER_SECOND) {
		s.hidden++;
		return;
	}
	/* A 1024-byte chunk of \xNN escapes is 4 KiB: show its start. */
	lab_print("  %s %.*s%s\n", paint("2", "|"), LINE_SHOWN, line,
	    strlen(line) > LINE_SHOWN ? " ..." : "");
}

static void flush_hidden(void)
{
	if (s.hidden > 0 && watch_now() - s.window >= 1) {
		lab_print("  %s ... %d more lines\n", paint("2", "|"), s.hidden);
		s.hidden = s.shown = 0;
	}
}

/* ---- the auto player's processes ---------------------------------------- */

static pid_t spawn(const char *command, int *in_fd, int *out_fd)
{
	int in[2] = { -1, -1 }, out[2];
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) == -1)
		return -1;
	if (in_fd != NULL && pipe2(in, O_CLOEXEC) == -1) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);		/* kill(-pid) ends it and everything it starts */
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGTERM);	/* and so does our own death */
#endif
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		if (in_fd != NULL)
			dup2(in[0], STDIN_FILENO);
		else
			close(STDIN_FILENO);	/* run: commands read nothing */
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (in_fd != NULL)
		close(in[0]);
	if (pid == -1) {
		close(out[0]);
		if (in_fd != NULL)
			close(in[1]);
		return -1;
	}
	*out_fd = out[0];
	if (in_fd != NULL)
		*in_fd = in[1];
	return pid;
}

static struct term *term_named(const char *name)
{
	for (int i = 0; i < s.nterms; i++)
		if (strcmp(s.terms[i].name, name) == 0)
			return &s.terms[i];
	return NULL;
}

static void term_close(struct term *t)
{
	if (t->pid > 0)
		kill(-t->pid, SIGTERM);
	if (t->in_fd >= 0)
		close(t->in_fd);
	if (t->out_fd >= 0)
		close(t->out_fd);
	t->in_fd = t->out_fd = -1;
}

static void terms_close_all(void)
{
	for (int i = 0; i < s.nterms; i++)
		term_close(&s.terms[i]);
}

static void run_kill(void)
{
	if (s.run.pid > 0)
		kill(-s.run.pid, SIGTERM);
}

/* waitpid() for everything we started: server, terminals, run: commands. */
static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == s.w.pid)
			watch_ended(&s.w, status);
		if (pid == s.run.pid) {
			s.run.took = watch_now() - s.run.started;
			s.run.pid = 0;
			s.run.done = 1;
		}
		for (int i = 0; i < s.nterms; i++)
			if (s.terms[i].pid == pid)
				s.terms[i].pid = 0;
	}
}

/* Keep output for the expectations to look at, up to 1 MiB. */
static void keep(struct run *r, char c)
{
	if (r->len + 2 > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		char *grown = cap <= 1 << 20 ? realloc(r->output, cap) : NULL;

		if (grown == NULL)
			return;
		r->output = grown;
		r->cap = cap;
	}
	r->output[r->len++] = c;
	r->output[r->len] = '\0';
}

/* A terminal's or a run's output, a line at a time, with its name in front. */
static int pipe_lines(int fd, char *partial, size_t cap, size_t *len, const char *who,
    struct run *run)
{
	char buf[2048];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n == -1 && errno == EINTR)
		return 1;
	for (ssize_t i = 0; i < n; i++) {
		keep(&s.seen, buf[i]);
		if (run != NULL)
			keep(run, buf[i]);
		if (buf[i] != '\n' && *len < cap - 1) {
			partial[(*len)++] = buf[i];
			continue;
		}
		partial[*len] = '\0';
		lab_print("  %s%s %s\n", paint("33", who), run ? "" : ":", partial);
		*len = 0;
	}
	if (n <= 0 && *len > 0) {
		partial[*len] = '\0';
		lab_print("  %s%s %s\n", paint("33", who), run ? "" : ":", partial);
		*len = 0;
	}
	return n > 0;
}

/* ---- steps ---------------------------------------------------------------- */

static const char *effective_server(int step)
{
	for (int i = step; i >= 0; i--)
		if (s.lab->steps[i].server != NULL)
			return s.lab->steps[i].server;
	return s.lab->server;
}

static void stop_server(void)
{
	terms_close_all();
	run_kill();
	if (s.w.pid > 0 || s.w.out_fd >= 0)
		watch_stop(&s.w, server_line);
}

static int start_server(const char *args)
{
	stop_server();
	watch_clear(&s.w);
	s.w.exited = 0;
	if (strcmp(args, "none") == 0) {
		s.w.args[0] = '\0';
		return 0;
	}
	lab_print("%s netlab %s --port 0\n", paint("1", "Starting the server:"), args);
	if (watch_start(&s.w, s.self, args) == -1) {
		lab_print("netlab: cannot start 'netlab %s': %s\n", args, strerror(errno));
		return -1;
	}
	/* Wait for its start line: the port is in it. */
	for (double until = watch_now() + 5; s.w.port == 0 && watch_now() < until; ) {
		struct pollfd pfd = { .fd = s.w.out_fd, .events = POLLIN };

		if (s.w.out_fd < 0)
			break;
		if (poll(&pfd, 1, 100) > 0 && watch_read(&s.w, server_line) == 0)
			break;
	}
	if (s.w.port == 0) {
		lab_print("netlab: the server 'netlab %s' did not start (see its lines above)\n", args);
		return -1;
	}
	return 0;
}

static void show_action(const struct lab_action *a)
{
	char text[1024];

	expand(a->text, text, sizeof(text));
	if (s.auto_mode) {
		switch (a->kind) {
		case ACT_DO: lab_print("  %s $ %s\n", paint("33", a->who), text); break;
		case ACT_TYPE: lab_print("  %s (types) %s\n", paint("33", a->who), text); break;
		case ACT_STOP: lab_print("  %s (presses Ctrl-C)\n", paint("33", a->who)); break;
		case ACT_EOF: lab_print("  %s (presses Ctrl-D)\n", paint("33", a->who)); break;
		case ACT_RUN: lab_print("  $ %s\n", text); break;
		}
		return;
	}
	switch (a->kind) {
	case ACT_DO:
		lab_print("  In a new terminal (call it '%s'), type:\n      %s\n", a->who,
		    paint("1", text));
		break;
	case ACT_TYPE:
		lab_print("  In '%s', type:  %s\n", a->who, paint("1", text));
		break;
	case ACT_STOP: lab_print("  In '%s', press Ctrl-C.\n", a->who); break;
	case ACT_EOF: lab_print("  In '%s', press Ctrl-D.\n", a->who); break;
	case ACT_RUN: lab_print("  The lab runs this for you:\n      %s\n", text); break;
	}
}

static void show_actions(void)
{
	const struct lab_step *st = &s.lab->steps[s.step];

	if (!s.auto_mode)
		for (int i = 0; i < st->nactions; i++)
			show_action(&st->actions[i]);
	wrap("  Watch: ", st->watch);
}

static int set_prompt(void);

static void enter_step(int step)
{
	const struct lab_step *st;
	const char *missing, *want;
	char title[256];

	for (;;) {
		if (step >= s.lab->nsteps) {
			s.finished = 1;
			lab_print("\n%s all %d steps of lab %d (%s) are done.%s\n",
			    paint("1;32", "Well done:"), s.lab->nsteps, s.lab->number, s.lab->name,
			    s.auto_mode ? "" : " 'back' revisits a step, 'quit' leaves.");
			s.step = s.lab->nsteps - 1;
			set_prompt();
			return;
		}
		st = &s.lab->steps[step];
		missing = step_missing(st);
		if (missing == NULL)
			break;
		lab_print("\n(step %d of %d, '%s', needs 'netlab %s', which this build does not "
		    "have yet: skipped)\n", step + 1, s.lab->nsteps, st->title, missing);
		step++;
	}
	s.step = step;
	s.finished = 0;
	want = effective_server(step);
	if (st->server != NULL || strcmp(want, s.w.args[0] ? s.w.args : "none") != 0 ||
	    (step == 0 && s.w.pid == 0))
		start_server(want);

	snprintf(title, sizeof(title), "Step %d of %d: %s", step + 1, s.lab->nsteps, st->title);
	lab_print("\n%s\n", paint("1;36", title));
	wrap("  ", st->say);
	s.mark = s.w.nevents;
	s.step_began = watch_now();
	s.action = 0;
	s.actions_done_at = -1;
	s.gate_clients = -1;
	s.gate_pid = 0;
	s.guess[0] = '\0';
	s.asking = 0;
	free(s.run.output);
	memset(&s.run, 0, sizeof(s.run));
	s.run.out_fd = -1;
	s.seen.len = 0;
	if (s.seen.output != NULL)
		s.seen.output[0] = '\0';
	if (st->predict != NULL) {
		wrap("  Predict: ", st->predict);
		if (s.auto_mode) {
			lab_print("  (--auto makes no guess)\n");
		} else {
			s.asking = 1;
			lab_print("  Type your guess and press Enter (an empty line skips it).\n");
		}
	}
	if (!s.asking)
		show_actions();
	set_prompt();
}

/* ---- expectations ------------------------------------------------------ */

static int count_since_mark(enum event_kind kind, const char *text)
{
	int n = 0;

	for (int i = s.mark; i < s.w.nevents; i++)
		if ((kind == EV_OTHER || s.w.events[i].kind == kind) &&
		    (text == NULL || strstr(s.w.events[i].text, text) != NULL))
			n++;
	return n;
}

static int actors_since_mark(const char *prefix)
{
	char seen[64][32];
	int n = 0;

	for (int i = s.mark; i < s.w.nevents && n < 64; i++) {
		const struct watch_event *ev = &s.w.events[i];
		int known = 0;

		if (ev->kind == EV_NOTE || strncmp(ev->actor, prefix, strlen(prefix)) != 0)
			continue;
		for (int j = 0; j < n; j++)
			known |= strcmp(seen[j], ev->actor) == 0;
		if (!known)
			snprintf(seen[n++], sizeof(seen[0]), "%s", ev->actor);
	}
	return n;
}

static int last_number(long *out)
{
	const char *p = s.run.output, *found = NULL;

	for (; p != NULL && *p; p++)
		if (*p >= '0' && *p <= '9' && (p == s.run.output || p[-1] < '0' || p[-1] > '9'))
			found = p;
	if (found == NULL)
		return 0;
	*out = strtol(found, NULL, 10);
	return 1;
}

/* Does ex hold now? what: the check in words, with what was seen. */
static int holds(const struct lab_expect *ex, char *what, size_t len)
{
	int n;
	long num = 0;
	int have = 0;

	switch (ex->kind) {
	case EX_ACCEPTED:
		n = count_since_mark(EV_ACCEPT, NULL);
		snprintf(what, len, "%ld client%s accepted (%d seen)", ex->n, ex->n == 1 ? "" : "s", n);
		return n >= ex->n;
	case EX_RECEIVED:
		n = count_since_mark(EV_RECEIVED, ex->text);
		snprintf(what, len, "the server received '%s'", ex->text);
		return n > 0;
	case EX_MESSAGES:
		n = count_since_mark(EV_RECEIVED, NULL);
		snprintf(what, len, "%ld message%s received (%d seen)", ex->n, ex->n == 1 ? "" : "s", n);
		return n >= ex->n;
	case EX_CLOSED:
		n = count_since_mark(EV_CLOSED, NULL);
		snprintf(what, len, "%ld connection%s closed (%d seen)", ex->n,
		    ex->n == 1 ? "" : "s", n);
		return n >= ex->n;
	case EX_CONNECTED:
		n = watch_connected(&s.w);
		snprintf(what, len, "%ld client%s connected at once (%d now)", ex->n,
		    ex->n == 1 ? "" : "s", n);
		return n == ex->n;
	case EX_WAITING:
		n = watch_queued(&s.w, ex->ms);
		snprintf(what, len, "%ld client%s kept waiting: connected, not accepted for %.1f s "
		    "(%d now)", ex->n, ex->n == 1 ? "" : "s", ex->ms / 1000.0, n);
		return n >= ex->n;
	case EX_UNREAD:
		n = watch_unread(&s.w, ex->ms);
		snprintf(what, len, "the bytes of %ld client%s left unread by the server for "
		    "%.1f s (%d now)", ex->n, ex->n == 1 ? "" : "s", ex->ms / 1000.0, n);
		return n >= ex->n;
	case EX_LISTENER_CLOSED:
		snprintf(what, len, "the listening socket is closed: a new connect is refused");
		return s.w.port != 0 && !s.w.listening;
	case EX_EXITED:
		snprintf(what, len, "the server ended by itself with exit status 0%s",
		    s.w.exited && s.w.status ? " (it did not)" : "");
		return s.w.exited && s.w.status == 0;
	case EX_SERVED_BY:
		n = actors_since_mark(ex->text);
		if (ex->n == 1)
			snprintf(what, len, "a '%s N' did the work (%d seen)", ex->text, n);
		else
			snprintf(what, len, "%ld different '%s N' did the work (%d seen)", ex->n,
			    ex->text, n);
		return n >= ex->n;
	case EX_LOG:
		n = count_since_mark(EV_OTHER, ex->text);
		snprintf(what, len, "the log said '%s'", ex->text);
		return n > 0;
	case EX_OUTPUT:
		snprintf(what, len, "'%s' was printed in a terminal", ex->text);
		return s.seen.output != NULL && strcasestr(s.seen.output, ex->text) != NULL;
	case EX_NUMBER_BELOW:
	case EX_NUMBER_ABOVE:
		have = s.run.done && last_number(&num);
		if (have)
			snprintf(what, len, "the last number printed, %ld, is %s %ld", num,
			    ex->kind == EX_NUMBER_BELOW ? "below" : "above", ex->n);
		else
			snprintf(what, len, "a number %s %ld printed", ex->kind == EX_NUMBER_BELOW ?
			    "below" : "above", ex->n);
		return have && (ex->kind == EX_NUMBER_BELOW ? num < ex->n : num > ex->n);
	case EX_TOOK_BELOW:
	case EX_TOOK_ABOVE:
		if (s.run.done)
			snprintf(what, len, "it took %.2f s, %s %.2f s", s.run.took,
			    ex->kind == EX_TOOK_BELOW ? "below" : "above", ex->n / 1000.0);
		else
			snprintf(what, len, "the command's time, %s %.2f s",
			    ex->kind == EX_TOOK_BELOW ? "below" : "above", ex->n / 1000.0);
		return s.run.done && (ex->kind == EX_TOOK_BELOW ? s.run.took * 1000 < ex->n :
		    s.run.took * 1000 > ex->n);
	}
	return 0;
}

static int all_hold(char *summary, size_t len, int only_failed)
{
	const struct lab_step *st = &s.lab->steps[s.step];
	int ok = 1;
	size_t o = 0;

	summary[0] = '\0';
	for (int i = 0; i < st->nexpects; i++) {
		char what[256];
		int h = holds(&st->expects[i], what, sizeof(what));

		ok &= h;
		if (only_failed && h)
			continue;
		o += (size_t)snprintf(summary + o, o < len ? len - o : 0, "%s%s", o ? "; " : "", what);
		if (o >= len)
			o = len - 1;
	}
	return ok;
}

static void step_result(int ok)
{
	const struct lab_step *st = &s.lab->steps[s.step];
	char summary[2048], where[32];

	all_hold(summary, sizeof(summary), !ok);
	snprintf(where, sizeof(where), "step %d of %d", s.step + 1, s.lab->nsteps);
	lab_print("%s (%s): %s\n", ok ? paint("1;32", "PASS") : paint("1;31", "FAIL"), where,
	    summary);
	if (st->predict != NULL && !s.auto_mode) {
		char happened[2048];
		char *stop;

		/* The first sentence of the explanation says what happened. */
		snprintf(happened, sizeof(happened), "%s", st->explain ? st->explain : summary);
		if (st->explain != NULL && (stop = strstr(happened, ". ")) != NULL)
			stop[1] = '\0';
		lab_print("  You predicted: %s\n", s.guess[0] ? s.guess : "(no guess)");
		wrap("  What happened: ", happened);
		if (ok && st->explain != NULL && strlen(happened) < strlen(st->explain))
			wrap("  Why: ", st->explain + strlen(happened) + 1);
		ok = ok && st->explain == NULL;	/* the explanation is out already */
	}
	if (ok)
		wrap("  Why: ", st->explain);
	else if (st->hint != NULL)
		wrap("  Hint: ", st->hint);
}

/* ---- the auto player and the step clock ------------------------------ */

static void play_action(const struct lab_action *a)
{
	char text[1024];
	struct term *t;

	expand(a->text, text, sizeof(text));
	show_action(a);
	t = a->kind == ACT_RUN ? NULL : term_named(a->who);
	switch (a->kind) {
	case ACT_DO:
		if (t != NULL)
			term_close(t);
		else if (s.nterms < MAX_TERMS)
			t = &s.terms[s.nterms++];
		if (t == NULL)
			break;
		snprintf(t->name, sizeof(t->name), "%s", a->who);
		t->partial_len = 0;
		{
			char command[1100];

			snprintf(command, sizeof(command), "exec %s", text);
			t->pid = spawn(command, &t->in_fd, &t->out_fd);
		}
		s.gate_clients = s.w.nclients;
		s.gate_until = watch_now() + 2;
		break;
	case ACT_TYPE:
		if (t != NULL && t->in_fd >= 0) {
			size_t n = strlen(text);

			text[n++] = '\n';
			/* nc may be gone already: then the line is lost, as it would be */
			(void)!write(t->in_fd, text, n);
		}
		break;
	case ACT_STOP:
		if (t != NULL && t->pid > 0) {
			kill(-t->pid, SIGTERM);
			s.gate_pid = t->pid;
			s.gate_until = watch_now() + 2;
		}
		break;
	case ACT_EOF:
		if (t != NULL && t->in_fd >= 0) {
			close(t->in_fd);
			t->in_fd = -1;
		}
		break;
	case ACT_RUN:
		s.run.started = watch_now();
		s.run.pid = spawn(text, NULL, &s.run.out_fd);
		s.run.done = s.run.pid == -1;
		s.gate_pid = s.run.pid;
		s.gate_until = watch_now() + s.lab->steps[s.step].timeout_ms / 1000.0;
		break;
	}
}

static int gate_open(void)
{
	if (s.gate_clients >= 0) {
		if (s.w.nclients > s.gate_clients || watch_now() > s.gate_until)
			s.gate_clients = -1;
		else
			return 0;
	}
	if (s.gate_pid > 0) {
		int alive = s.gate_pid == s.run.pid;

		for (int i = 0; i < s.nterms; i++)
			alive |= s.terms[i].pid == s.gate_pid;
		if (alive && watch_now() < s.gate_until)
			return 0;
		s.gate_pid = 0;
	}
	return 1;
}

static void tick(void)
{
	const struct lab_step *st;
	char summary[2048];

	if (s.finished || s.asking || s.confirm_all)
		return;
	st = &s.lab->steps[s.step];
	while (s.action < st->nactions && gate_open()) {
		const struct lab_action *a = &st->actions[s.action++];

		if (s.auto_mode || a->kind == ACT_RUN)
			play_action(a);
	}
	if (s.action < st->nactions || !gate_open())
		return;
	if (s.actions_done_at < 0)
		s.actions_done_at = watch_now();
	if (all_hold(summary, sizeof(summary), 0)) {
		step_result(1);
		progress_mark(s.lab, s.step);
		s.passed++;
		enter_step(s.step + 1);
		return;
	}
	if (s.auto_mode && watch_now() - s.actions_done_at > st->timeout_ms / 1000.0) {
		step_result(0);
		s.failed = 1;
		s.quit = 1;
	}
}

/* ---- the shell ----------------------------------------------------------- */

static int set_prompt(void)
{
	if (s.asking)
		snprintf(s.prompt, sizeof(s.prompt), "your guess> ");
	else if (s.confirm_all)
		snprintf(s.prompt, sizeof(s.prompt), "reset the progress of every lab? [y/N] ");
	else
		snprintf(s.prompt, sizeof(s.prompt), "lab %d, step %d/%d> ", s.lab->number,
		    s.step + 1, s.lab->nsteps);
	if (s.rl_active) {
		rl_set_prompt(s.prompt);
		fputs("\r\033[J", stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
	return 0;
}

static void help(void)
{
	lab_print("  next      skip to the next step          back      the step before\n"
	    "  hint      a hint for this step           check     which expectations hold\n"
	    "  status    who is connected, who waits    timeline  the session so far\n"
	    "  restart   restart the server, redo step  reset     forget this lab's progress\n"
	    "  reset all forget every lab's progress    quit      leave (Ctrl-D too)\n");
}

static void check(void)
{
	const struct lab_step *st = &s.lab->steps[s.step];

	for (int i = 0; i < st->nexpects; i++) {
		char what[256];
		int h = holds(&st->expects[i], what, sizeof(what));

		lab_print("  %s %s\n", h ? paint("32", "[x]") : "[ ]", what);
	}
}

static void command(char *line)
{
	char *word = line + strspn(line, " \t"), *arg;
	size_t len;

	word[strcspn(word, "\r\n")] = '\0';
	for (len = strlen(word); len > 0 && (word[len - 1] == ' ' || word[len - 1] == '\t'); )
		word[--len] = '\0';	/* Tab completion leaves a space behind */
	if (s.record != NULL && !s.tty)
		record_text("");
	if (s.confirm_all) {
		s.confirm_all = 0;
		if (word[0] == 'y' || word[0] == 'Y')
			lab_print(progress_reset(NULL) == 0 ? "  every lab's progress is forgotten\n" :
			    "  netlab: cannot reset the progress\n");
		else
			lab_print("  nothing was reset\n");
		set_prompt();
		return;
	}
	if (s.asking) {
		int is_command = 0;

		for (int i = 0; commands[i]; i++)
			is_command |= strcmp(word, commands[i]) == 0;
		if (!is_command) {
			snprintf(s.guess, sizeof(s.guess), "%s", word);
			s.asking = 0;
			lab_print("  Your guess is noted: %s\n", word[0] ? word : "(none)");
			show_actions();
			set_prompt();
			return;
		}
	}
	arg = word + strcspn(word, " \t");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	if (word[0] == '\0')
		return;
	if (strcmp(word, "next") == 0 || strcmp(word, "n") == 0) {
		lab_print("  (step %d skipped)\n", s.step + 1);
		enter_step(s.finished ? s.lab->nsteps : s.step + 1);
	} else if (strcmp(word, "back") == 0 || strcmp(word, "b") == 0) {
		enter_step(s.step > 0 ? s.step - 1 : 0);
	} else if (strcmp(word, "hint") == 0) {
		wrap("  Hint: ", s.lab->steps[s.step].hint ? s.lab->steps[s.step].hint :
		    "no hint for this step: read the Watch line again");
	} else if (strcmp(word, "check") == 0) {
		check();
	} else if (strcmp(word, "status") == 0) {
		watch_scan(&s.w);
		watch_status(&s.w);
	} else if (strcmp(word, "timeline") == 0) {
		watch_scan(&s.w);
		watch_timeline(&s.w);
	} else if (strcmp(word, "restart") == 0) {
		start_server(effective_server(s.step));
		enter_step(s.step);
	} else if (strcmp(word, "reset") == 0 && strcmp(arg, "all") == 0) {
		s.confirm_all = 1;
		set_prompt();
	} else if (strcmp(word, "reset") == 0) {
		lab_print(progress_reset(s.lab->id) == 0 ? "  the progress of lab %d is forgotten\n" :
		    "  netlab: cannot reset the progress of lab %d\n", s.lab->number);
	} else if (strcmp(word, "quit") == 0 || strcmp(word, "q") == 0 ||
	    strcmp(word, "exit") == 0) {
		s.quit = 1;
	} else if (strcmp(word, "help") == 0 || strcmp(word, "?") == 0) {
		help();
	} else {
		lab_print("  unknown command '%s': try help\n", word);
	}
}

static void on_readline(char *line)
{
	s.rl_active = 0;
	fputs("\r\033[J", stdout);	/* the bar under the old prompt goes */
	if (line == NULL) {		/* Ctrl-D, or the end of the input */
		lab_print("\n");
		s.quit = 1;
	} else {
		if (*line)
			add_history(line);
		record_text(s.prompt);
		record_text(line);
		record_text("\n");
		command(line);
		free(line);
	}
	s.rl_active = 1;
	if (!s.quit) {
		fputs("\n\033[A", stdout);
		rl_set_prompt(s.prompt);	/* the command may have moved to another step */
		rl_on_new_line();
	}
}

static void redisplay_with_bar(void)
{
	rl_redisplay();
	/* The commands that matter, always on the row under the prompt. */
	printf("\0337\r\n\033[K%s\0338", s.color ? "\033[2m" : "");
	fflush(stdout);
	if (s.color) {
		printf("\0337\r\n%s\033[0m\0338", bar);
	} else {
		printf("\0337\r\n%s\0338", bar);
	}
	fflush(stdout);
}

static char *command_generator(const char *text, int state)
{
	static int i;
	static size_t len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (commands[i] != NULL)
		if (strncmp(commands[i++], text, len) == 0)
			return strdup(commands[i - 1]);
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;	/* no file names */
	if (start > 0)
		return NULL;
	return rl_completion_matches(text, command_generator);
}

/* Input that is not a terminal: whole lines, no editing. */
static void read_plain_input(void)
{
	ssize_t n = read(STDIN_FILENO, s.input + s.input_len, sizeof(s.input) - 1 - s.input_len);
	char *nl;

	if (n == -1 && errno == EINTR)
		return;
	if (n <= 0) {
		s.quit = 1;		/* EOF: leave cleanly */
		return;
	}
	s.input_len += (size_t)n;
	s.input[s.input_len] = '\0';
	while (!s.quit && (nl = strchr(s.input, '\n')) != NULL) {
		*nl = '\0';
		lab_print("%s%s\n", s.prompt, s.input);
		command(s.input);
		s.input_len -= (size_t)(nl + 1 - s.input);
		memmove(s.input, nl + 1, s.input_len + 1);
	}
	if (s.input_len == sizeof(s.input) - 1)
		s.input_len = 0;	/* a line this long is no command */
}

static void on_signal(int sig)
{
	got_signal = sig;
}

/*
 * Lab 7 runs into select()'s FD_SETSIZE (1024). The usual soft limit on
 * descriptors is 1024 too, and would be hit first: raise it, for the server
 * and the clients the lab starts, as far as the hard limit allows.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		(void)setrlimit(RLIMIT_NOFILE, &rl);	/* no luck: lab 7's last step says so */
	}
}

/* ---- the loop ------------------------------------------------------------- */

static void loop(void)
{
	struct pollfd fds[MAX_TERMS + 4];
	int who[MAX_TERMS + 4];
	double last_int = -10;

	while (!s.quit) {
		int n = 0;

		if (!s.auto_mode) {
			fds[n] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
			who[n++] = -1;
		}
		if (s.w.out_fd >= 0) {
			fds[n] = (struct pollfd){ .fd = s.w.out_fd, .events = POLLIN };
			who[n++] = -2;
		}
		if (s.run.out_fd >= 0) {
			fds[n] = (struct pollfd){ .fd = s.run.out_fd, .events = POLLIN };
			who[n++] = -3;
		}
		for (int i = 0; i < s.nterms; i++)
			if (s.terms[i].out_fd >= 0) {
				fds[n] = (struct pollfd){ .fd = s.terms[i].out_fd, .events = POLLIN };
				who[n++] = i;
			}
		if (poll(fds, (nfds_t)n, 50) > 0) {
			for (int i = 0; i < n && !s.quit; i++) {
				if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				if (who[i] == -1 && s.tty)
					rl_callback_read_char();
				else if (who[i] == -1)
					read_plain_input();
				else if (who[i] == -2)
					watch_read(&s.w, server_line);
				else if (who[i] == -3) {
					static char partial[512];
					static size_t plen;

					if (!pipe_lines(s.run.out_fd, partial, sizeof(partial), &plen,
					    ">", &s.run)) {
						close(s.run.out_fd);
						s.run.out_fd = -1;
					}
				} else {
					struct term *t = &s.terms[who[i]];

					if (!pipe_lines(t->out_fd, t->partial, sizeof(t->partial),
					    &t->partial_len, t->name, NULL)) {
						close(t->out_fd);
						t->out_fd = -1;
					}
				}
			}
		}
		if (got_signal == SIGINT && !s.auto_mode && watch_now() - last_int > 2) {
			got_signal = 0;
			last_int = watch_now();
			lab_print("\n  (Ctrl-C: type 'quit' to leave; Ctrl-C again quits)\n");
		} else if (got_signal) {
			s.quit = 1;
			s.failed |= s.auto_mode;
		}
		reap();
		/* A run: is done when it has exited and its output is all read. */
		if (s.run.done && s.run.out_fd >= 0)
			continue;
		flush_hidden();
		watch_scan(&s.w);
		tick();
		if (s.auto_mode && s.finished)
			s.quit = 1;
	}
}

int lab_session(struct lab *lab, const struct options *opt)
{
	struct sigaction sa;
	ssize_t n;

	memset(&s, 0, sizeof(s));
	s.lab = lab;
	s.opt = opt;
	s.auto_mode = opt->lab_auto;
	s.color = opt->color;
	s.tty = !s.auto_mode && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	s.w.out_fd = -1;
	s.run.out_fd = -1;
	watch_now();
	n = readlink("/proc/self/exe", s.self, sizeof(s.self) - 1);
	if (n <= 0) {
		fprintf(stderr, "netlab: cannot find my own binary in /proc/self/exe: %s\n",
		    strerror(errno));
		return 1;
	}
	s.self[n] = '\0';
	if (opt->record != NULL) {
		s.record = fopen(opt->record, "w");
		if (s.record == NULL) {
			fprintf(stderr, "netlab: cannot write the transcript %s: %s\n", opt->record,
			    strerror(errno));
			return 1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);	/* the terminal closed: stop the server too */
	signal(SIGPIPE, SIG_IGN);	/* an nc that is gone must not take us along */
	raise_fd_limit();

	lab_print("%s\n", paint("1", lab->title));
	if (lab->seeds)
		lab_print("(tutorial: seed %s)\n", lab->seeds);
	wrap("", lab->intro);
	if (s.auto_mode)
		lab_print("--auto: the lab plays the student too; every command it types is "
		    "shown, so you can type it yourself.\n");
	else
		lab_print("Type 'help' for the commands; the lab moves on by itself when a "
		    "step is done.\n");
	enter_step(0);
	if (s.tty) {
		rl_catch_signals = 0;
		rl_attempted_completion_function = complete;
		rl_redisplay_function = redisplay_with_bar;
		fputs("\n\033[A", stdout);
		rl_callback_handler_install(s.prompt, on_readline);
		s.rl_active = 1;
	}
	loop();
	if (s.tty) {
		s.rl_active = 0;
		rl_callback_handler_remove();
		fputs("\r\033[J", stdout);
	}
	stop_server();
	reap();
	if (s.auto_mode)
		lab_print("%s: %d of %d steps passed\n", s.failed || !s.finished ?
		    paint("1;31", "lab failed") : paint("1;32", "lab passed"), s.passed,
		    lab->nsteps);
	if (s.record != NULL)
		fclose(s.record);
	free(s.run.output);
	free(s.seen.output);
	if (s.auto_mode)
		return s.failed || !s.finished ? 1 : 0;
	return 0;
}
