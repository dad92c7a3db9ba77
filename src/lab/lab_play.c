/*
 * lab_play.c - the processes the runner starts besides the server: with
 * --auto, the student's terminals (an nc each, its keyboard on a pipe), and
 * the run: commands that a lab runs itself. Each gets its own process group,
 * so that kill(-pid) ends it and whatever it started.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab_runner.h"

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
	for (int i = 0; i < sess.nterms; i++)
		if (strcmp(sess.terms[i].name, name) == 0)
			return &sess.terms[i];
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

void lab_terms_close_all(void)
{
	for (int i = 0; i < sess.nterms; i++)
		term_close(&sess.terms[i]);
}

void lab_run_kill(void)
{
	if (sess.run.pid > 0)
		kill(-sess.run.pid, SIGTERM);
}

/* waitpid() for everything we started: server, terminals, run: commands. */
void lab_reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == sess.w.pid)
			watch_ended(&sess.w, status);
		if (pid == sess.run.pid) {
			sess.run.took = watch_now() - sess.run.started;
			sess.run.pid = 0;
			sess.run.done = 1;
		}
		for (int i = 0; i < sess.nterms; i++)
			if (sess.terms[i].pid == pid)
				sess.terms[i].pid = 0;
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
int lab_pipe_lines(int fd, char *partial, size_t cap, size_t *len, const char *who,
    struct run *run)
{
	char buf[2048];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n == -1 && errno == EINTR)
		return 1;
	for (ssize_t i = 0; i < n; i++) {
		keep(&sess.seen, buf[i]);
		if (run != NULL)
			keep(run, buf[i]);
		if (buf[i] != '\n' && *len < cap - 1) {
			partial[(*len)++] = buf[i];
			continue;
		}
		partial[*len] = '\0';
		lab_print("  %s%s %s\n", lab_paint("33", who), run ? "" : ":", partial);
		*len = 0;
	}
	if (n <= 0 && *len > 0) {
		partial[*len] = '\0';
		lab_print("  %s%s %s\n", lab_paint("33", who), run ? "" : ":", partial);
		*len = 0;
	}
	return n > 0;
}

/* ---- playing a step's actions --------------------------------------- */

void lab_play_action(const struct lab_action *a)
{
	char text[1024];
	struct term *t;

	lab_expand(a->text, text, sizeof(text));
	lab_show_action(a);
	t = a->kind == ACT_RUN ? NULL : term_named(a->who);
	switch (a->kind) {
	case ACT_DO:
		if (t != NULL)
			term_close(t);
		else if (sess.nterms < MAX_TERMS)
			t = &sess.terms[sess.nterms++];
		if (t == NULL)
			break;
		snprintf(t->name, sizeof(t->name), "%s", a->who);
		t->partial_len = 0;
		{
			char command[1100];

			snprintf(command, sizeof(command), "exec %s", text);
			t->pid = spawn(command, &t->in_fd, &t->out_fd);
		}
		sess.gate_clients = sess.w.nclients;
		sess.gate_until = watch_now() + 2;
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
			sess.gate_pid = t->pid;
			sess.gate_until = watch_now() + 2;
		}
		break;
	case ACT_EOF:
		if (t != NULL && t->in_fd >= 0) {
			close(t->in_fd);
			t->in_fd = -1;
		}
		break;
	case ACT_RUN:
		sess.run.started = watch_now();
		sess.run.pid = spawn(text, NULL, &sess.run.out_fd);
		sess.run.done = sess.run.pid == -1;
		sess.gate_pid = sess.run.pid;
		sess.gate_until = watch_now() + sess.lab->steps[sess.step].timeout_ms / 1000.0;
		break;
	}
}

int lab_gate_open(void)
{
	if (sess.gate_clients >= 0) {
		if (sess.w.nclients > sess.gate_clients || watch_now() > sess.gate_until)
			sess.gate_clients = -1;
		else
			return 0;
	}
	if (sess.gate_pid > 0) {
		int alive = sess.gate_pid == sess.run.pid;

		for (int i = 0; i < sess.nterms; i++)
			alive |= sess.terms[i].pid == sess.gate_pid;
		if (alive && watch_now() < sess.gate_until)
			return 0;
		sess.gate_pid = 0;
	}
	return 1;
}

