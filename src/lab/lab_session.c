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
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <readline/readline.h>

#include "lab_runner.h"

struct session sess;
volatile sig_atomic_t got_signal;

/* ---- output: above the prompt, and into the transcript ---------------- */

void lab_record_text(const char *text)
{
	if (sess.record == NULL)
		return;
	for (const char *p = text; *p; p++) {
		if (*p == '\033') {		/* the transcript is plain text */
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		fputc(*p, sess.record);
	}
	fflush(sess.record);
}

void lab_print(const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (sess.rl_active)
		fputs("\r\033[J", stdout);	/* off with the prompt and the bar */
	fputs(text, stdout);
	if (sess.rl_active) {
		fputs("\n\033[A", stdout);	/* keep a row free under the prompt */
		fflush(stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
	fflush(stdout);
	lab_record_text(text);
}

const char *lab_paint(const char *code, const char *text)
{
	static char buf[4][1100];
	static int next;
	char *b = buf[next++ % 4];

	if (sess.color)
		snprintf(b, sizeof(buf[0]), "\033[%sm%s\033[0m", code, text);
	else
		snprintf(b, sizeof(buf[0]), "%s", text);
	return b;
}

/* Teacher's text, {host}/{port}/{netlab} filled in. */
void lab_expand(const char *text, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = text; *p && o + 1 < len; ) {
		const char *with = NULL;
		char port[16];

		if (strncmp(p, "{port}", 6) == 0) {
			snprintf(port, sizeof(port), "%d", sess.w.port);
			with = port;
			p += 6;
		} else if (strncmp(p, "{host}", 6) == 0) {
			with = "127.0.0.1";
			p += 6;
		} else if (strncmp(p, "{netlab}", 8) == 0) {
			with = sess.self;
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
void lab_wrap(const char *lead, const char *text)
{
	char buf[4096], line[WIDTH + 64], pad[32];
	size_t indent = strlen(lead);
	int first = 1;

	if (text == NULL)
		return;
	lab_expand(text, buf, sizeof(buf));
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

void lab_server_line(const char *line)
{
	double now = watch_now();

	if (now - sess.window >= 1) {
		if (sess.hidden > 0)
			lab_print("  %s ... %d more lines\n", lab_paint("2", "|"), sess.hidden);
		sess.window = now;
		sess.shown = sess.hidden = 0;
	}
	if (sess.shown++ >= LINES_PER_SECOND) {
		sess.hidden++;
		return;
	}
	/* A 1024-byte chunk of \xNN escapes is 4 KiB: show its start. */
	lab_print("  %s %.*s%s\n", lab_paint("2", "|"), LINE_SHOWN, line,
	    strlen(line) > LINE_SHOWN ? " ..." : "");
}

void lab_flush_hidden(void)
{
	if (sess.hidden > 0 && watch_now() - sess.window >= 1) {
		lab_print("  %s ... %d more lines\n", lab_paint("2", "|"), sess.hidden);
		sess.hidden = sess.shown = 0;
	}
}

/* ---- steps ---------------------------------------------------------------- */

const char *lab_effective_server(int step)
{
	for (int i = step; i >= 0; i--)
		if (sess.lab->steps[i].server != NULL)
			return sess.lab->steps[i].server;
	return sess.lab->server;
}

void lab_stop_server(void)
{
	lab_terms_close_all();
	lab_run_kill();
	if (sess.w.pid > 0 || sess.w.out_fd >= 0)
		watch_stop(&sess.w, lab_server_line);
}

int lab_start_server(const char *args)
{
	lab_stop_server();
	watch_clear(&sess.w);
	sess.w.exited = 0;
	if (strcmp(args, "none") == 0) {
		sess.w.args[0] = '\0';
		return 0;
	}
	lab_print("%s netlab %s --port 0\n", lab_paint("1", "Starting the server:"), args);
	if (watch_start(&sess.w, sess.self, args) == -1) {
		lab_print("netlab: cannot start 'netlab %s': %s\n", args, strerror(errno));
		return -1;
	}
	/* Wait for its start line: the port is in it. */
	for (double until = watch_now() + 5; sess.w.port == 0 && watch_now() < until; ) {
		struct pollfd pfd = { .fd = sess.w.out_fd, .events = POLLIN };

		if (sess.w.out_fd < 0)
			break;
		if (poll(&pfd, 1, 100) > 0 && watch_read(&sess.w, lab_server_line) == 0)
			break;
	}
	if (sess.w.port == 0) {
		lab_print("netlab: the server 'netlab %s' did not start (see its lines above)\n", args);
		return -1;
	}
	return 0;
}

void lab_show_action(const struct lab_action *a)
{
	char text[1024];

	lab_expand(a->text, text, sizeof(text));
	if (sess.auto_mode) {
		switch (a->kind) {
		case ACT_DO: lab_print("  %s $ %s\n", lab_paint("33", a->who), text); break;
		case ACT_TYPE: lab_print("  %s (types) %s\n", lab_paint("33", a->who), text); break;
		case ACT_STOP: lab_print("  %s (presses Ctrl-C)\n", lab_paint("33", a->who)); break;
		case ACT_EOF: lab_print("  %s (presses Ctrl-D)\n", lab_paint("33", a->who)); break;
		case ACT_RUN: lab_print("  $ %s\n", text); break;
		}
		return;
	}
	switch (a->kind) {
	case ACT_DO:
		lab_print("  In a new terminal (call it '%s'), type:\n      %s\n", a->who,
		    lab_paint("1", text));
		break;
	case ACT_TYPE:
		lab_print("  In '%s', type:  %s\n", a->who, lab_paint("1", text));
		break;
	case ACT_STOP: lab_print("  In '%s', press Ctrl-C.\n", a->who); break;
	case ACT_EOF: lab_print("  In '%s', press Ctrl-D.\n", a->who); break;
	case ACT_RUN: lab_print("  The lab runs this for you:\n      %s\n", text); break;
	}
}

void lab_show_actions(void)
{
	const struct lab_step *st = &sess.lab->steps[sess.step];

	if (!sess.auto_mode)
		for (int i = 0; i < st->nactions; i++)
			lab_show_action(&st->actions[i]);
	lab_wrap("  Watch: ", st->watch);
}

void lab_enter_step(int step)
{
	const struct lab_step *st;
	const char *missing, *want;
	char title[256];

	for (;;) {
		if (step >= sess.lab->nsteps) {
			sess.finished = 1;
			lab_print("\n%s all %d steps of lab %d (%s) are done.%s\n",
			    lab_paint("1;32", "Well done:"), sess.lab->nsteps, sess.lab->number, sess.lab->name,
			    sess.auto_mode ? "" : " 'back' revisits a step, 'quit' leaves.");
			sess.step = sess.lab->nsteps - 1;
			lab_set_prompt();
			return;
		}
		st = &sess.lab->steps[step];
		missing = step_missing(st);
		if (missing == NULL)
			break;
		lab_print("\n(step %d of %d, '%s', needs 'netlab %s', which this build does not "
		    "have yet: skipped)\n", step + 1, sess.lab->nsteps, st->title, missing);
		step++;
	}
	sess.step = step;
	sess.finished = 0;
	want = lab_effective_server(step);
	if (st->server != NULL || strcmp(want, sess.w.args[0] ? sess.w.args : "none") != 0 ||
	    (step == 0 && sess.w.pid == 0))
		lab_start_server(want);

	snprintf(title, sizeof(title), "Step %d of %d: %s", step + 1, sess.lab->nsteps, st->title);
	lab_print("\n%s\n", lab_paint("1;36", title));
	lab_wrap("  ", st->say);
	sess.mark = sess.w.nevents;
	sess.step_began = watch_now();
	sess.action = 0;
	sess.actions_done_at = -1;
	sess.gate_clients = -1;
	sess.gate_pid = 0;
	sess.guess[0] = '\0';
	sess.asking = 0;
	free(sess.run.output);
	memset(&sess.run, 0, sizeof(sess.run));
	sess.run.out_fd = -1;
	sess.seen.len = 0;
	if (sess.seen.output != NULL)
		sess.seen.output[0] = '\0';
	if (st->predict != NULL) {
		lab_wrap("  Predict: ", st->predict);
		if (sess.auto_mode) {
			lab_print("  (--auto makes no guess)\n");
		} else {
			sess.asking = 1;
			lab_print("  Type your guess and press Enter (an empty line skips it).\n");
		}
	}
	if (!sess.asking)
		lab_show_actions();
	lab_set_prompt();
}

/* ---- the step clock ---------------------------------------------------- */

static void tick(void)
{
	const struct lab_step *st;
	char summary[2048];

	if (sess.finished || sess.asking || sess.confirm_all)
		return;
	st = &sess.lab->steps[sess.step];
	while (sess.action < st->nactions && lab_gate_open()) {
		const struct lab_action *a = &st->actions[sess.action++];

		if (sess.auto_mode || a->kind == ACT_RUN)
			lab_play_action(a);
	}
	if (sess.action < st->nactions || !lab_gate_open())
		return;
	if (sess.actions_done_at < 0)
		sess.actions_done_at = watch_now();
	if (lab_all_hold(summary, sizeof(summary), 0)) {
		lab_step_result(1);
		progress_mark(sess.lab, sess.step);
		sess.passed++;
		lab_enter_step(sess.step + 1);
		return;
	}
	if (sess.auto_mode && watch_now() - sess.actions_done_at > st->timeout_ms / 1000.0) {
		lab_step_result(0);
		sess.failed = 1;
		sess.quit = 1;
	}
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
		(void)setrlimit(RLIMIT_NOFILE, &rl);	/* no luck: lab 7 hits EMFILE first */
	}
}

/* ---- the loop ------------------------------------------------------------- */

static void loop(void)
{
	struct pollfd fds[MAX_TERMS + 4];
	int who[MAX_TERMS + 4];
	double last_int = -10;

	while (!sess.quit) {
		int n = 0;

		if (!sess.auto_mode) {
			fds[n] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
			who[n++] = -1;
		}
		if (sess.w.out_fd >= 0) {
			fds[n] = (struct pollfd){ .fd = sess.w.out_fd, .events = POLLIN };
			who[n++] = -2;
		}
		if (sess.run.out_fd >= 0) {
			fds[n] = (struct pollfd){ .fd = sess.run.out_fd, .events = POLLIN };
			who[n++] = -3;
		}
		for (int i = 0; i < sess.nterms; i++)
			if (sess.terms[i].out_fd >= 0) {
				fds[n] = (struct pollfd){ .fd = sess.terms[i].out_fd, .events = POLLIN };
				who[n++] = i;
			}
		if (poll(fds, (nfds_t)n, 50) > 0) {
			for (int i = 0; i < n && !sess.quit; i++) {
				if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				if (who[i] == -1 && sess.tty)
					rl_callback_read_char();	/* readline calls lab_command() */
				else if (who[i] == -1)
					lab_read_input();
				else if (who[i] == -2)
					watch_read(&sess.w, lab_server_line);
				else if (who[i] == -3) {
					static char partial[512];
					static size_t plen;

					if (!lab_pipe_lines(sess.run.out_fd, partial, sizeof(partial), &plen,
					    ">", &sess.run)) {
						close(sess.run.out_fd);
						sess.run.out_fd = -1;
					}
				} else {
					struct term *t = &sess.terms[who[i]];

					if (!lab_pipe_lines(t->out_fd, t->partial, sizeof(t->partial),
					    &t->partial_len, t->name, NULL)) {
						close(t->out_fd);
						t->out_fd = -1;
					}
				}
			}
		}
		if (got_signal == SIGINT && !sess.auto_mode && watch_now() - last_int > 2) {
			got_signal = 0;
			last_int = watch_now();
			lab_print("\n  (Ctrl-C: type 'quit' to leave; Ctrl-C again quits)\n");
		} else if (got_signal) {
			sess.quit = 1;
			sess.failed |= sess.auto_mode;
		}
		lab_reap();
		/* A run: is done when it has exited and its output is all read. */
		if (sess.run.done && sess.run.out_fd >= 0)
			continue;
		lab_flush_hidden();
		watch_scan(&sess.w);
		tick();
		if (sess.auto_mode && sess.finished)
			sess.quit = 1;
	}
}

int lab_session(struct lab *lab, const struct options *opt)
{
	struct sigaction sa;
	ssize_t n;

	memset(&sess, 0, sizeof(sess));
	sess.lab = lab;
	sess.opt = opt;
	sess.auto_mode = opt->lab_auto;
	sess.color = opt->color;
	sess.tty = !sess.auto_mode && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	sess.w.out_fd = -1;
	sess.run.out_fd = -1;
	watch_now();
	n = readlink("/proc/self/exe", sess.self, sizeof(sess.self) - 1);
	if (n <= 0) {
		fprintf(stderr, "netlab: cannot find my own binary in /proc/self/exe: %s\n",
		    strerror(errno));
		return 1;
	}
	sess.self[n] = '\0';
	if (opt->record != NULL) {
		sess.record = fopen(opt->record, "w");
		if (sess.record == NULL) {
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

	lab_print("%s\n", lab_paint("1", lab->title));
	if (lab->seeds)
		lab_print("(tutorial: seed %s)\n", lab->seeds);
	lab_wrap("", lab->intro);
	if (sess.auto_mode)
		lab_print("--auto: the lab plays the student too; every command it types is "
		    "shown, so you can type it yourself.\n");
	else
		lab_print("Type 'help' for the commands; the lab moves on by itself when a "
		    "step is done.\n");
	lab_enter_step(0);
	if (sess.tty)
		lab_shell_start();
	loop();
	if (sess.tty)
		lab_shell_stop();
	lab_stop_server();
	lab_reap();
	if (sess.auto_mode)
		lab_print("%s: %d of %d steps passed\n", sess.failed || !sess.finished ?
		    lab_paint("1;31", "lab failed") : lab_paint("1;32", "lab passed"), sess.passed,
		    lab->nsteps);
	if (sess.record != NULL)
		fclose(sess.record);
	free(sess.run.output);
	free(sess.seen.output);
	if (sess.auto_mode)
		return sess.failed || !sess.finished ? 1 : 0;
	return 0;
}

