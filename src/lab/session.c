/*
 * session.c - one lab, start to end: the poll() loop, and the shell's
 * commands carried out.
 *
 * The runner starts the server itself and reads its log through a pipe
 * (observe.c). A step tells the student what to type in another terminal
 * (nc, mostly); as soon as the step's expectations hold the runner says so
 * and moves on (step.c). With --auto the runner also plays the student
 * (play.c). One thread, one poll() loop: the server's pipe, the student's
 * keyboard (shell.c), the auto player's nc processes and run: commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "iface.h"
#include "now.h"
#include "progress.h"
#include "session.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* A run: step whose command waits for the student's Enter (again, once it missed). */
static int run_waits(const struct session *s)
{
	return !s->auto_mode && !s->finished && !s->done && !s->asking &&
	    step_has_run(&s->lab->steps[s->step]) && (!s->go || s->run_told);
}

/* A run: step whose command runs, or ran and is being judged. */
static int run_busy(const struct session *s)
{
	return !s->auto_mode && !s->finished && !s->done && !s->asking && s->go &&
	    !s->run_told && step_has_run(&s->lab->steps[s->step]);
}

static void update_prompt(struct session *s)
{
	enum prompt_kind kind = s->asking ? PROMPT_GUESS : s->confirm_all ?
	    PROMPT_CONFIRM_ALL : s->done ? PROMPT_DONE : run_waits(s) ? PROMPT_RUN : PROMPT_STEP;

	shell_prompt(&s->sh, kind, s->lab->number, s->step, s->lab->nsteps);
}

/* A line typed while a prediction is asked for, or "reset all" confirmed. */
static int answered(struct session *s, const char *word)
{
	if (s->confirm_all) {
		s->confirm_all = 0;
		if (word[0] == 'y' || word[0] == 'Y' || shell_answer(word) == ANSWER_YES)
			report_reset(&s->rep, s->lab, 1, progress_reset(NULL) == 0);
		else
			report_nothing_reset(&s->rep);
		return 1;
	}
	if (s->asking) {
		/* Whatever is typed is the guess; "s" to "(sì/no)" is noted as "sì". */
		if (word[0] == '\0') {
			report_predict(&s->rep, &s->lab->steps[s->step]);
			return 1;
		}
		snprintf(s->guess, sizeof(s->guess), "%s", strcmp(word, "skip") == 0 ? "" :
		    shell_answer_in_full(word));
		s->asking = 0;
		report_guess(&s->rep, s->guess);
		/* What to do now, under the step's title: the question may have pushed it up. */
		report_step_again(&s->rep, s->lab, s->step);
		s->told = s->rep.scr.printed;
		return 1;
	}
	return 0;
}

/* Enter on an empty line: the next step, or the step's command. */
static void enter(struct session *s)
{
	if (s->done)
		step_enter(s, s->step + 1);
	else if (run_waits(s))
		step_run_again(s);
}

/* A line the student meant for an nc window, typed here. */
static void unknown(struct session *s, const char *word)
{
	const struct lab_step *st = &s->lab->steps[s->step];

	for (int i = 0; i < st->nactions; i++)
		if (st->actions[i].kind == ACT_TYPE && strcasecmp(st->actions[i].text, word) == 0) {
			report_type_there(&s->rep, &st->actions[i]);
			return;
		}
	report_unknown(&s->rep, word);
}

static void command(struct session *s, char *line)
{
	struct evidence e;
	char *word = shell_trim(line), *arg;

	if (answered(s, word))
		return;
	switch (shell_parse(word, &arg)) {
	case SHELL_NONE: enter(s); break;
	case SHELL_NEXT:
		if (!s->done && !s->finished)
			report_step_skipped(&s->rep, s->step);
		step_enter(s, s->finished ? s->lab->nsteps : s->step + 1);
		break;
	case SHELL_BACK: step_back(s); break;
	case SHELL_HINT:
		step_evidence(s, &e);
		report_hint(&s->rep, &s->lab->steps[s->step], &e, run_waits(s) && !s->go);
		s->told = s->rep.scr.printed;
		break;
	case SHELL_RUN:
	case SHELL_CHECK:
		if (!s->done && !s->asking && step_has_run(&s->lab->steps[s->step])) {
			step_run_again(s);
			break;
		}
		step_evidence(s, &e);
		report_check(&s->rep, &s->lab->steps[s->step], &e);
		break;
	case SHELL_STATUS:
		observe_scan(&s->obs);
		report_status(&s->rep, &s->obs);
		break;
	case SHELL_TIMELINE:
		observe_scan(&s->obs);
		report_timeline(&s->rep, &s->obs);
		break;
	case SHELL_RESTART:
		step_start_server(s, step_server(s, s->step));
		step_enter(s, s->step);
		break;
	case SHELL_RESET:
		if (strcmp(arg, "all") == 0)
			s->confirm_all = 1;
		else
			report_reset(&s->rep, s->lab, 0, progress_reset(s->lab->id) == 0);
		break;
	case SHELL_HELP: shell_help(&s->sh); break;
	case SHELL_QUIT: s->quit = 1; break;
	case SHELL_UNKNOWN: unknown(s, word); break;
	}
}

/*
 * The lines typed, carried out in turn. Input that is no terminal (a test,
 * a script) waits while a run: runs, as a person would: the next line is
 * meant for what comes after it.
 */
static void take_lines(struct session *s)
{
	char *line;
	int waits;

	while (!s->quit && !(waits = !s->sh.tty && run_busy(s)) &&
	    (line = shell_next_line(&s->sh)) != NULL) {
		command(s, line);
		free(line);
		s->asked_since = s->told != s->rep.scr.printed;
		update_prompt(s);
	}
	if (s->sh.eof && !s->quit && !waits) {
		if (s->sh.tty)
			report_end_of_input(&s->rep);
		s->quit = 1;
	}
}

static void keyboard(struct session *s)
{
	shell_read(&s->sh);
	take_lines(s);
	if (!s->quit)
		shell_ready(&s->sh);
}

/* A terminal's or the run: command's pipe is readable: show its lines. */
static void output(struct session *s, struct lines *l, const char *who, int is_run)
{
	char line[512];
	int more = play_read(&s->pl, l);

	while (play_next_line(l, line, sizeof(line)))
		report_output(&s->rep, who, line, is_run);
	if (!more) {
		close(l->fd);
		l->fd = -1;
	}
}

/* Everything the loop waits for: keyboard, server, run:, terminals. */
static int gather(struct session *s, struct pollfd *fds, int *who)
{
	int n = 0;

	/* Input that is no terminal waits while a run: runs: its lines come in turn. */
	if (!s->auto_mode && (s->sh.tty || (!run_busy(s) && !s->sh.eof))) {
		fds[n] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		who[n++] = -1;
	}
	if (s->obs.child.output_fd >= 0) {
		fds[n] = (struct pollfd){ .fd = s->obs.child.output_fd, .events = POLLIN };
		who[n++] = -2;
	}
	if (s->pl.run.out.fd >= 0) {
		fds[n] = (struct pollfd){ .fd = s->pl.run.out.fd, .events = POLLIN };
		who[n++] = -3;
	}
	for (int i = 0; i < s->pl.nterms; i++)
		if (s->pl.terms[i].out.fd >= 0) {
			fds[n] = (struct pollfd){ .fd = s->pl.terms[i].out.fd, .events = POLLIN };
			who[n++] = i;
		}
	return n;
}

static void readable(struct session *s, int who)
{
	if (who == -1) {
		keyboard(s);
	} else if (who == -2) {
		observe_read(&s->obs);
		step_show_log(s);
	} else if (who == -3) {
		output(s, &s->pl.run.out, ">", 1);
	} else {
		output(s, &s->pl.terms[who].out, s->pl.terms[who].name, 0);
	}
}

/* Ctrl-C once: a reminder; twice in 2 s, or any other signal: the end. */
static void signals(struct session *s, double *last_int)
{
	if (got_signal == SIGINT && !s->auto_mode && lab_now() - *last_int > 2) {
		got_signal = 0;
		*last_int = lab_now();
		report_interrupt(&s->rep);
	} else if (got_signal) {
		s->quit = 1;
		s->failed |= s->auto_mode;
	}
}

static void loop(struct session *s)
{
	struct pollfd fds[MAX_TERMS + 4];
	int who[MAX_TERMS + 4];
	double last_int = -10;

	while (!s->quit) {
		int n = gather(s, fds, who);

		if (poll(fds, (nfds_t)n, 50) > 0)
			for (int i = 0; i < n && !s->quit; i++)
				if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
					readable(s, who[i]);
		signals(s, &last_int);
		observe_reap(&s->obs);
		play_reap(&s->pl);
		/* A run: is done when it has exited and its output is all read. */
		if (s->pl.run.done && s->pl.run.out.fd >= 0)
			continue;
		report_log_flush(&s->rep);
		observe_scan(&s->obs);
		step_tick(s);
		if (!s->sh.tty && !s->auto_mode)
			take_lines(s);	/* lines that waited for a run: */
		step_remind(s);
		update_prompt(s);
		if (s->auto_mode && s->finished)
			s->quit = 1;
	}
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

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);	/* the terminal closed: stop the server too */
	signal(SIGPIPE, SIG_IGN);	/* an nc that is gone must not take us along */
}

/*
 * --auto plays the student in a folder of its own: the files a lab has the
 * student copy and edit (lab 12's server.py) are made there, never beside
 * the student's own. It goes, with them, when the lab ends.
 */
static int enter_workdir(struct session *s)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(s->workdir, sizeof(s->workdir), "%s/netlab-lab-XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");
	s->home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->home_fd == -1 || mkdtemp(s->workdir) == NULL || chdir(s->workdir) == -1) {
		s->workdir[0] = '\0';
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);	/* what cannot go stays in the temporary folder */
	return 0;
}

static void leave_workdir(struct session *s)
{
	if (s->home_fd >= 0) {
		if (fchdir(s->home_fd) == -1)
			(void)chdir("/");
		close(s->home_fd);
	}
	if (s->workdir[0] != '\0')
		(void)nftw(s->workdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* The session's start: its binary, transcript, screen. 1: cannot run. */
static int open_session(struct session *s, struct lab *lab, const struct options *opt)
{
	ssize_t n;

	s->lab = lab;
	s->auto_mode = opt->lab_auto;
	s->rep.auto_mode = s->auto_mode;
	/* A command the student types names netlab as the student started it. */
	snprintf(s->name, sizeof(s->name), "%s", strchr(opt->argv0, '/') ? opt->argv0 : "netlab");
	s->rep.self = s->name;
	/* Class mode: lab N --host ADDR puts the lab's servers on the class's network. */
	snprintf(s->host, sizeof(s->host), "%s", opt->given & GIVEN_HOST ? opt->host : "127.0.0.1");
	/* On every interface (0.0.0.0, ::), the students type one of them. */
	if ((strcmp(s->host, "0.0.0.0") != 0 && strcmp(s->host, "::") != 0) ||
	    !iface_class_address(s->typed_host, sizeof(s->typed_host)))
		snprintf(s->typed_host, sizeof(s->typed_host), "%s", s->host);
	s->rep.host = s->typed_host;
	s->rep.scr.color = opt->color;
	s->rep.scr.terminal = isatty(STDOUT_FILENO);
	s->sh.scr = &s->rep.scr;
	s->sh.tty = !s->auto_mode && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	s->obs.child.output_fd = -1;	/* no server yet */
	s->home_fd = -1;
	play_init(&s->pl);
	lab_now();
	n = readlink("/proc/self/exe", s->self, sizeof(s->self) - 1);
	if (n <= 0) {
		report_cannot_start(NULL, strerror(errno));
		return 1;
	}
	s->self[n] = '\0';
	if (opt->record != NULL && (s->rep.scr.record = fopen(opt->record, "w")) == NULL) {
		report_cannot_start(opt->record, strerror(errno));
		return 1;
	}
	if (s->auto_mode && enter_workdir(s) == -1) {
		report_cannot_start(NULL, strerror(errno));
		return 1;
	}
	return 0;
}

static int close_session(struct session *s)
{
	int ok = !s->failed && s->finished;

	step_stop_server(s);
	play_reap(&s->pl);
	if (s->auto_mode)
		report_final(&s->rep, s->lab, s->passed, ok);
	if (s->rep.scr.record != NULL)
		fclose(s->rep.scr.record);
	play_free(&s->pl);
	if (s->auto_mode)
		leave_workdir(s);
	observe_clear(&s->obs);
	free(s->obs.events);
	kernel_free(&s->obs.view);
	return s->auto_mode && !ok ? 1 : 0;
}

int session_run(struct lab *lab, const struct options *opt)
{
	struct session *s = calloc(1, sizeof(*s));
	int rc;

	if (s == NULL) {
		report_cannot_start(NULL, NULL);
		return 1;
	}
	if (open_session(s, lab, opt) != 0) {
		free(s);
		return 1;
	}
	catch_signals();
	raise_fd_limit();
	report_lab(&s->rep, lab);
	step_enter(s, 0);
	update_prompt(s);
	if (s->sh.tty)
		shell_start(&s->sh);
	loop(s);
	if (s->sh.tty)
		shell_stop(&s->sh);
	rc = close_session(s);
	free(s);
	return rc;
}
