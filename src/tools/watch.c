/*
 * watch.c - netlab watch: what the kernel knows about a server, live.
 *
 * It never talks to the server and never stops it: every few hundred
 * milliseconds it reads /proc (kernel.c) and says what it saw in words
 * (kernel_text.c). On a terminal the picture is redrawn in place, the rows
 * that just changed marked with '*'; otherwise a timestamped snapshot is
 * printed whenever something changes. With -- COMMAND, watch starts the
 * server itself (so its threads are always readable) and ends it on exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "i18n.h"
#include "json_out.h"
#include "signals.h"
#include "kernel/kernel.h"
#include "kernel/kernel_text.h"
#include "watch.h"
#include "watch_screen.h"

#define FRAME_MS 200		/* five pictures a second */
#define LISTEN_WAIT_MS 10000	/* how long a COMMAND may take to listen */

static atomic_int interrupted;	/* lock-free: allowed in a handler (C11 7.14.1.1) */
static volatile sig_atomic_t resized;

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		resized = 1;
	else
		interrupted = sig;
}

#define END_MS 3000		/* SIGTERM, then this long before SIGKILL */

/*
 * Starts the COMMAND. On a terminal its output goes through a pipe, shown
 * under the picture (cmd->output_fd, non-blocking); else to our stderr.
 * 0, or 1 after one line saying why it could not start.
 */
static int start_command(struct child *cmd, char **argv, int capture)
{
	cmd->output = capture ? CHILD_OUTPUT_PIPE : CHILD_OUTPUT_OUR_STDERR;
	cmd->adopt = 1;	/* orphans of the server (sh -c 'a | b') are ours to reap */
	cmd->stop = &interrupted;
	if (child_start(cmd, argv) == -1) {
		fprintf(stderr, _("netlab: cannot start '%s': %s\n"), argv[0], strerror(errno));
		return 1;
	}
	if (cmd->exec_error != 0) {	/* one line: not also "exited before it listened" */
		fprintf(stderr, _("netlab: cannot run '%s': %s\n"), argv[0],
		    strerror(cmd->exec_error));
		return 1;
	}
	if (cmd->output_fd != -1)
		fcntl(cmd->output_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

static void milliseconds(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);	/* EINTR: a signal; the caller looks at it */
}

/* Wait until the COMMAND listens; -1 after saying why it did not. */
static int wait_listening(struct kernel_view *v, struct child *cmd, int port, char **argv)
{
	switch (child_wait_listening(cmd, v, port, LISTEN_WAIT_MS)) {
	case CHILD_LISTENS:
		return 0;
	case CHILD_EXITED:
		fprintf(stderr, _("netlab: '%s' exited (status %d) before it listened\n"),
		    argv[0], WIFEXITED(cmd->status) ? WEXITSTATUS(cmd->status) : 128 +
		    WTERMSIG(cmd->status));
		return -1;
	case CHILD_SILENT:
		fprintf(stderr, _("netlab: '%s' does not listen on a TCP port after %d s\n"),
		    argv[0], LISTEN_WAIT_MS / 1000);
		return -1;
	case CHILD_STOPPED:
		break;
	}
	return -1;
}

/* "python3 server.py": the program by its name, as a student types it. */
static void program_by_name(char *line)
{
	size_t len = strcspn(line, " ");
	char *slash = memrchr(line, '/', len);

	if (slash != NULL)
		memmove(line, slash + 1, strlen(slash + 1) + 1);
}

/*
 * "netlab watch: port 12345, pid 4711: python3 server.py". On a terminal
 * 'width' columns wide (0: not on one) a long command line loses its
 * middle, never its end: the script's name and arguments stay.
 */
static void title(const struct kernel_view *v, char *out, size_t size, int width)
{
	char line[ROW_MAX], tail[ROW_MAX];
	size_t room, len;
	int head;

	kernel_command_line(v->pid, line, sizeof(line));
	program_by_name(line);
	head = snprintf(out, size, _("netlab watch: port %d, pid %d: "), v->port, (int)v->pid);
	if (v->pid == 0) {
		snprintf(out, size, _("netlab watch: port %d"), v->port);
		return;
	}
	room = width > head + 10 ? (size_t)(width - head) : size - (size_t)head - 1;
	len = strlen(line);
	if (len > room) {
		/* "python3 ...student/fragile.py 0": the program, then the end */
		int prog = (int)strcspn(line, " ");

		if ((size_t)prog + 4 > room / 2)
			prog = -1;	/* a program name too long to keep */
		snprintf(tail, sizeof(tail), "%.*s...%s", prog + 1, line,
		    line + len - (room - 3 - (size_t)(prog + 1)));
		snprintf(line, sizeof(line), "%s", tail);
	}
	snprintf(out + head, size - (size_t)head, "%s", line);
}

/*
 * One reading into rows, at most room of them: 0, or -1 when nobody listens
 * (the title says so). Each list shows up to max_list entries, fewer when
 * the rows would not fit: then its "... and N more" says what is hidden.
 */
static int look(struct kernel_view *v, pid_t pid, int port, struct rows *rows,
    size_t max_list, size_t room, int width)
{
	char head[ROW_MAX];

	if (kernel_read(v, port, pid) == -1 && (v->pid == 0 || v->nprocs == 0)) {
		snprintf(head, sizeof(head), _("netlab watch: nobody listens on port %d now; "
		    "waiting for a server"), port);
		kernel_text_rows(rows, NULL, head, 0);
		return -1;
	}
	title(v, head, sizeof(head), width);
	kernel_text_rows(rows, v, head, max_list);
	while (rows->n > room && max_list > 1)		/* text only: no new reading */
		kernel_text_rows(rows, v, head, --max_list);
	return 0;
}

/* A process that has exited, reaped or not: gone, or a zombie. */
static int exited(pid_t pid)
{
	char path[32], stat[256], *paren;
	FILE *f;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT;
	paren = fgets(stat, sizeof(stat), f) != NULL ? strrchr(stat, ')') : NULL;
	fclose(f);
	return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/* The server watch follows has ended: the COMMAND it started, or the process it saw. */
static int server_ended(struct child *cmd, pid_t server)
{
	if (cmd->pid > 0)
		return child_ended(cmd);
	return server > 0 && exited(server);
}

/*
 * Not on a terminal: a timestamped snapshot whenever the picture changes,
 * until the server ends (1) or a signal comes (0).
 */
static int stream(struct kernel_view *v, pid_t pid, int port, struct child *cmd,
    pid_t server)
{
	struct rows rows = { 0 };
	char *last = NULL, *now;
	size_t len;
	int ended = 0;

	while (!interrupted && !(ended = server_ended(cmd, server))) {
		FILE *f;

		look(v, pid, port, &rows, SIZE_MAX, SIZE_MAX, 0);
		if ((f = open_memstream(&now, &len)) == NULL)
			break;
		for (size_t i = 0; i < rows.n; i++)
			fprintf(f, "%s\n", rows.row[i].text);
		fclose(f);
		if (last == NULL || strcmp(last, now) != 0)
			screen_print_snapshot(stdout, &rows);
		free(last);
		last = now;
		milliseconds(FRAME_MS);
	}
	free(last);
	kernel_text_free(&rows);
	return ended;
}

/*
 * On a terminal: the picture redrawn in place until q or Ctrl-C (0), or
 * until the server ends (1): then its last picture and its last lines of
 * output stay on the terminal.
 */
static int live(struct kernel_view *v, pid_t pid, int port, struct child *cmd,
    pid_t server)
{
	struct screen s;
	struct rows rows = { 0 };
	int ended = 0;

	if (screen_open(&s) == -1)
		return 0;
	while (!interrupted && !s.quit && !(ended = server_ended(cmd, server))) {
		if (resized) {
			resized = 0;
			screen_resize(&s);
		}
		look(v, pid, port, &rows, screen_list_rows(&s), screen_room(&s), s.cols - 1);
		screen_draw(&s, &rows);
		screen_wait(&s, cmd->output_fd, FRAME_MS);
	}
	if (ended)
		screen_drain(&s, cmd->output_fd);	/* a traceback comes last */
	screen_close(&s, ended);
	kernel_text_free(&rows);
	return ended;
}

static int once(struct kernel_view *v, const struct options *opt)
{
	struct rows rows = { 0 };
	char head[ROW_MAX];

	if (opt->json)
		return json_out_print(stdout, kernel_text_json(v)) == -1 ? 1 : 0;
	title(v, head, sizeof(head), 0);
	kernel_text_rows(&rows, v, head, SIZE_MAX);
	for (size_t i = 0; i < rows.n; i++)
		printf("%s\n", rows.row[i].text);
	kernel_text_free(&rows);
	return 0;
}

/* Nobody listens, but the server given by --pid lives on (limited N closed its listener). */
static int still_serving(const struct kernel_view *v)
{
	return v->pid != 0 && v->port != 0 && kill(v->pid, 0) == 0;
}

/* Nothing to watch: one line, exit 1. */
static int nobody(const struct options *opt, int port)
{
	if (opt->pid != 0 && kill(opt->pid, 0) == -1 && errno == ESRCH)
		fprintf(stderr, _("netlab: there is no process %d\n"), opt->pid);
	else if (opt->pid != 0 && port != 0)
		fprintf(stderr, _("netlab: process %d does not listen on port %d\n"), opt->pid, port);
	else if (opt->pid != 0)
		fprintf(stderr, _("netlab: process %d does not listen on any TCP port\n"), opt->pid);
	else
		fprintf(stderr, _("netlab: nothing listens on port %d: start a server there "
		    "first, or give its --port\n"), port);
	return 1;
}

/* "netlab watch: 'python3 server.py' ended (status 1)": the one line after the end. */
static void say_ended(const struct options *opt, const struct child *cmd, pid_t server)
{
	char line[ROW_MAX] = "";
	size_t used = 0;

	for (int i = 0; i < opt->nargs && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s", i ? " " : "",
		    opt->args[i]);
	if (cmd->pid > 0)
		printf(_("netlab watch: '%s' ended (status %d)\n"), line,
		    WIFEXITED(cmd->status) ? WEXITSTATUS(cmd->status) : 128 + WTERMSIG(cmd->status));
	else
		printf(_("netlab watch: the server (pid %d) has ended\n"), (int)server);
	fflush(stdout);
}

int run_watch(const struct options *opt)
{
	struct kernel_view v = { 0 };
	struct child cmd = { 0 };
	int port = (opt->given & GIVEN_PORT) || opt->pid == 0 ? atoi(opt->port) : 0;
	int terminal = isatty(STDOUT_FILENO) && !opt->once && !opt->json;
	int rc = 0, ended = 0;
	pid_t pid = opt->pid, server;

	signals_catch(on_signal, 1);
	if (opt->nargs > 0) {
		if (!(opt->given & GIVEN_PORT))
			port = 0;	/* whatever port the COMMAND listens on */
		rc = start_command(&cmd, opt->args, terminal);
		pid = cmd.pid;
		if (rc == 0)
			rc = wait_listening(&v, &cmd, port, opt->args) == -1 ? 1 : 0;
	} else if (kernel_read(&v, port, pid) == -1 && !still_serving(&v)) {
		rc = nobody(opt, port);
	}
	server = v.pid;		/* the process that listened when watch began */
	if (rc == 0 && (opt->once || opt->json))
		rc = once(&v, opt);
	else if (rc == 0 && terminal)
		ended = live(&v, pid, v.port, &cmd, server);
	else if (rc == 0)
		ended = stream(&v, pid, v.port, &cmd, server);
	if (ended && !interrupted)
		say_ended(opt, &cmd, server);
	child_end(&cmd, END_MS);
	child_close(&cmd);
	kernel_free(&v);
	return interrupted ? 130 : rc;
}
