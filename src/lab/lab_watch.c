/*
 * lab_watch.c - start the server, read its log, ask the kernel the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "lab_watch.h"

#define MAX_ARGS 32

double watch_now(void)
{
	static struct timespec origin;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (origin.tv_sec == 0 && origin.tv_nsec == 0)
		origin = ts;
	return (double)(ts.tv_sec - origin.tv_sec) + (double)(ts.tv_nsec - origin.tv_nsec) / 1e9;
}

void watch_clear(struct watch *w)
{
	for (int i = 0; i < w->nevents; i++)
		free(w->events[i].text);
	w->nevents = 0;
	w->nclients = 0;
}

int watch_start(struct watch *w, const char *self, const char *args)
{
	char copy[256], *argv[MAX_ARGS + 8];
	const struct command *cmd;
	int argc = 0, pipe_fd[2];
	pid_t pid;

	snprintf(w->args, sizeof(w->args), "%s", args);
	snprintf(copy, sizeof(copy), "%s", args);
	argv[argc++] = (char *)"netlab";
	for (char *word = strtok(copy, " \t"); word && argc < MAX_ARGS; word = strtok(NULL, " \t"))
		argv[argc++] = word;
	snprintf(w->design, sizeof(w->design), "%s", argc > 1 ? argv[1] : "");
	cmd = command_find(w->design);	/* limited's or pool's N, for 'status' */
	w->limit = cmd != NULL ? command_n(cmd, argc > 2 && argv[2][0] != '-' ? argv[2] : NULL) : 0;
	if (w->limit < 0)
		w->limit = 0;
	argv[argc++] = (char *)"--host";
	argv[argc++] = (char *)"127.0.0.1";
	argv[argc++] = (char *)"--port";
	argv[argc++] = (char *)"0";
	argv[argc++] = (char *)"--no-color";
	argv[argc] = NULL;

	if (pipe2(pipe_fd, O_CLOEXEC) == -1)
		return -1;
	pid = fork();
	if (pid == -1) {
		close(pipe_fd[0]);
		close(pipe_fd[1]);
		return -1;
	}
	if (pid == 0) {
		/* Its own process group: the student's Ctrl-C is for the shell. */
		setpgid(0, 0);
#ifdef __linux__
		/* If the lab runner dies, killed or crashed, the server goes too. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		int null = open("/dev/null", O_RDONLY);

		if (null != -1)
			dup2(null, STDIN_FILENO);
		dup2(pipe_fd[1], STDOUT_FILENO);
		dup2(pipe_fd[1], STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execv(self, argv);
		dprintf(STDERR_FILENO, "netlab: cannot run %s: %s\n", self, strerror(errno));
		_exit(127);
	}
	close(pipe_fd[1]);
	w->pid = pid;
	w->out_fd = pipe_fd[0];
	w->port = 0;
	w->exited = 0;
	w->status = 0;
	w->listening = 0;
	w->partial_len = 0;
	w->started_at = watch_now();
	return 0;
}

static struct watch_client *client_by_port(struct watch *w, int port, int create)
{
	struct watch_client *c;

	for (int i = w->nclients - 1; i >= 0; i--)
		if (w->clients[i].port == port)
			return &w->clients[i];
	if (!create || w->nclients == WATCH_MAX_CLIENTS)
		return NULL;
	c = &w->clients[w->nclients++];
	memset(c, 0, sizeof(*c));
	c->port = port;
	snprintf(c->peer, sizeof(c->peer), "('127.0.0.1', %d)", port);
	c->seen_at = c->accepted_at = c->closed_at = c->gone_at = c->unread_since = -1;
	return c;
}

/* "('127.0.0.1', 50312)" anywhere in text: the port, or 0. */
static int peer_port(const char *text, char *peer, size_t len)
{
	const char *open = strstr(text, "('");
	const char *comma = open ? strstr(open, "', ") : NULL;
	const char *close = comma ? strchr(comma, ')') : NULL;

	if (close == NULL)
		return 0;
	if (peer != NULL)
		snprintf(peer, len, "%.*s", (int)(close - open + 1), open);
	return atoi(comma + 3);
}

/* Designs in which the main thread serves every client itself. */
static int main_serves_all(const struct watch *w)
{
	const struct command *cmd = command_find(w->design);

	return cmd != NULL && (cmd->kind == ONE_THREAD || cmd->kind == EVENT_LOOP);
}

/* "thread 3", "worker 2", "pid 4711" named in an annotation. */
static int actor_named(const char *text, char *actor, size_t len)
{
	static const char *const kinds[] = { "thread ", "worker ", "pid " };

	for (size_t i = 0; i < 3; i++) {
		const char *at = strstr(text, kinds[i]);

		if (at != NULL && at[strlen(kinds[i])] >= '0' && at[strlen(kinds[i])] <= '9') {
			snprintf(actor, len, "%s%d", kinds[i], atoi(at + strlen(kinds[i])));
			return 1;
		}
	}
	return 0;
}

/* The one connected client nobody is known to serve yet, if there is one. */
static struct watch_client *unclaimed(struct watch *w)
{
	struct watch_client *found = NULL;

	for (int i = 0; i < w->nclients; i++) {
		struct watch_client *c = &w->clients[i];

		if (c->accepted_at >= 0 && c->closed_at < 0 && c->served_by[0] == '\0') {
			if (found != NULL)
				return NULL;
			found = c;
		}
	}
	return found;
}

static struct watch_client *served_by(struct watch *w, const char *actor)
{
	for (int i = w->nclients - 1; i >= 0; i--)
		if (w->clients[i].closed_at < 0 && strcmp(w->clients[i].served_by, actor) == 0)
			return &w->clients[i];
	return NULL;
}

static void record(struct watch *w, const char *line)
{
	struct watch_event *ev;
	struct watch_client *c = NULL;
	const char *text = line;
	char peer[64];

	if (w->nevents == w->cap) {
		int cap = w->cap ? w->cap * 2 : 256;
		struct watch_event *grown = realloc(w->events, sizeof(*grown) * (size_t)cap);

		if (grown == NULL)
			return;		/* the lab loses some history, not its mind */
		w->events = grown;
		w->cap = cap;
	}
	ev = &w->events[w->nevents];
	memset(ev, 0, sizeof(*ev));
	ev->t = watch_now();
	ev->kind = EV_OTHER;
	if (line[0] == '[' && strchr(line, ']') != NULL) {
		const char *end = strchr(line, ']');

		snprintf(ev->actor, sizeof(ev->actor), "%.*s", (int)(end - line - 1), line + 1);
		text = end[1] == ' ' ? end + 2 : end + 1;
	} else {
		ev->kind = EV_ERROR;
	}
	ev->text = strdup(text);
	if (ev->text == NULL)
		return;
	w->nevents++;
	if (ev->kind == EV_ERROR)
		return;

	if (strncmp(text, "Starting server on '", 20) == 0) {
		const char *port = strstr(text, "' port ");

		ev->kind = EV_START;
		if (port != NULL)
			w->port = atoi(port + 7);
		w->listening = 1;
	} else if (strncmp(text, "Received new connection from  ", 30) == 0) {
		ev->kind = EV_ACCEPT;
		ev->port = peer_port(text, peer, sizeof(peer));
		c = client_by_port(w, ev->port, 1);
		if (c != NULL) {
			snprintf(c->peer, sizeof(c->peer), "%s", peer);
			c->accepted_at = ev->t;
			if (c->seen_at < 0)
				c->seen_at = ev->t;
			if (main_serves_all(w))
				snprintf(c->served_by, sizeof(c->served_by), "%s", ev->actor);
		}
	} else if (strncmp(text, "Received: ", 10) == 0) {
		ev->kind = EV_RECEIVED;
		c = served_by(w, ev->actor);
		if (c == NULL && !main_serves_all(w) && (c = unclaimed(w)) != NULL)
			snprintf(c->served_by, sizeof(c->served_by), "%s", ev->actor);
		if (c == NULL && main_serves_all(w) && watch_connected(w) == 1)
			c = unclaimed(w) ? unclaimed(w) : served_by(w, ev->actor);
		if (c != NULL) {
			c->messages++;
			ev->port = c->port;
		}
	} else if (strncmp(text, "Connection with ", 16) == 0 && strstr(text, " closed")) {
		ev->kind = EV_CLOSED;
		ev->port = peer_port(text, NULL, 0);
		c = client_by_port(w, ev->port, 1);
		if (c != NULL) {
			c->closed_at = ev->t;
			if (c->served_by[0] == '\0')
				snprintf(c->served_by, sizeof(c->served_by), "%s", ev->actor);
		}
	} else if (strncmp(text, "Shutting down server", 20) == 0) {
		ev->kind = EV_STOP;
	} else if (strncmp(text, "  # ", 4) == 0 || strncmp(text, "# ", 2) == 0) {
		char actor[32];

		ev->kind = EV_NOTE;
		/* "main hands ('127.0.0.1', 5) to thread 3": who serves whom. */
		if ((ev->port = peer_port(text, NULL, 0)) != 0 && actor_named(text, actor, sizeof(actor)) &&
		    (c = client_by_port(w, ev->port, 0)) != NULL && c->closed_at < 0)
			snprintf(c->served_by, sizeof(c->served_by), "%s", actor);
	}
}

int watch_read(struct watch *w, void (*on_line)(const char *line))
{
	char buf[4096];
	ssize_t n;

	if (w->out_fd < 0)
		return 0;
	n = read(w->out_fd, buf, sizeof(buf));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close(w->out_fd);
		w->out_fd = -1;
		if (w->partial_len > 0) {
			w->partial[w->partial_len] = '\0';
			record(w, w->partial);
			on_line(w->partial);
			w->partial_len = 0;
		}
		return 0;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && w->partial_len < sizeof(w->partial) - 1) {
			w->partial[w->partial_len++] = buf[i];
			continue;
		}
		if (buf[i] != '\n')
			continue;	/* an over-long line is cut, not split */
		w->partial[w->partial_len] = '\0';
		record(w, w->partial);
		on_line(w->partial);
		w->partial_len = 0;
	}
	return 1;
}

void watch_ended(struct watch *w, int status)
{
	w->exited = 1;
	w->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	w->pid = 0;
	w->listening = 0;
}

void watch_stop(struct watch *w, void (*on_line)(const char *line))
{
	int status;

	if (w->pid > 0) {
		kill(w->pid, SIGTERM);
		/* Its goodbye ("Shutting down server...") comes before EOF. */
		for (double until = watch_now() + 3; w->out_fd >= 0 && watch_now() < until; ) {
			struct pollfd pfd = { .fd = w->out_fd, .events = POLLIN };

			if (poll(&pfd, 1, 100) > 0)
				watch_read(w, on_line);
		}
		if (waitpid(w->pid, &status, WNOHANG) == 0) {
			kill(w->pid, SIGKILL);		/* it did not stop in 3 s */
			waitpid(w->pid, &status, 0);
		}
		w->pid = 0;
	}
	if (w->out_fd >= 0)
		close(w->out_fd);
	w->out_fd = -1;
	w->listening = 0;
	w->port = 0;
}

/* One line of /proc/net/tcp{,6}: "sl local rem st tx:rx ...", addresses in hex. */
static void scan_line(struct watch *w, const char *line, double now)
{
	char local[64], remote[64];
	unsigned st, tx, rx;
	const char *colon;
	int lport, rport;

	if (sscanf(line, "%*d: %63s %63s %x %x:%x", local, remote, &st, &tx, &rx) != 5)
		return;
	colon = strrchr(local, ':');
	lport = colon ? (int)strtol(colon + 1, NULL, 16) : 0;
	if (lport != w->port)
		return;
	if (st == 0x0A) {		/* TCP_LISTEN */
		w->listening = 1;
		return;
	}
	if (st != 0x01 && st != 0x08)	/* ESTABLISHED, CLOSE_WAIT: the server's side */
		return;
	colon = strrchr(remote, ':');
	rport = colon ? (int)strtol(colon + 1, NULL, 16) : 0;
	struct watch_client *c = client_by_port(w, rport, 1);

	if (c == NULL)
		return;
	if (c->seen_at < 0)
		c->seen_at = now;
	c->in_kernel = 2;	/* seen in this scan */
	if (rx == 0)
		c->unread_since = -1;
	else if (c->unread_since < 0)
		c->unread_since = now;
}

void watch_scan(struct watch *w)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	double now = watch_now();
	char line[512];
	FILE *f;

	if (w->port == 0)
		return;
	w->listening = 0;
	for (size_t i = 0; i < 2; i++) {
		f = fopen(tables[i], "r");
		if (f == NULL)
			continue;	/* no IPv6, or no /proc: the log alone must do */
		while (fgets(line, sizeof(line), f) != NULL)
			scan_line(w, line, now);
		fclose(f);
	}
	for (int i = 0; i < w->nclients; i++) {
		struct watch_client *c = &w->clients[i];

		if (c->in_kernel == 2) {
			c->in_kernel = 1;
			continue;
		}
		if (c->in_kernel == 1 && c->gone_at < 0)
			c->gone_at = now;
		c->in_kernel = 0;
		c->unread_since = -1;
	}
}

int watch_queued(const struct watch *w, long ms)
{
	double now = watch_now();
	int n = 0;

	for (int i = 0; i < w->nclients; i++) {
		const struct watch_client *c = &w->clients[i];

		if (c->in_kernel && c->accepted_at < 0 && (now - c->seen_at) * 1000 >= ms)
			n++;
	}
	return n;
}

int watch_unread(const struct watch *w, long ms)
{
	double now = watch_now();
	int n = 0;

	for (int i = 0; i < w->nclients; i++) {
		const struct watch_client *c = &w->clients[i];

		if (c->in_kernel && c->unread_since >= 0 && (now - c->unread_since) * 1000 >= ms)
			n++;
	}
	return n;
}

int watch_connected(const struct watch *w)
{
	int n = 0;

	for (int i = 0; i < w->nclients; i++)
		if (w->clients[i].accepted_at >= 0 && w->clients[i].closed_at < 0)
			n++;
	return n;
}

int watch_accepted(const struct watch *w)
{
	int n = 0;

	for (int i = 0; i < w->nclients; i++)
		n += w->clients[i].accepted_at >= 0;
	return n;
}

void watch_status(const struct watch *w)
{
	double now = watch_now();
	int shown = 0;

	if (w->pid == 0) {
		if (w->exited)
			lab_print("server: 'netlab %s' has ended (exit status %d); 'restart' starts it again\n",
			    w->args, w->status);
		else
			lab_print("server: none running\n");
		return;
	}
	lab_print("server: netlab %s, pid %d, on 127.0.0.1 port %d, %s\n", w->args,
	    (int)w->pid, w->port, w->listening ? "listening" :
	    "NOT listening (a connect is refused)");
	if (strcmp(w->design, "limited") == 0)
		lab_print("  %d of %d clients accepted, %d still connected\n", watch_accepted(w),
		    w->limit, watch_connected(w));
	else if (strcmp(w->design, "pool") == 0)
		lab_print("  %d clients connected, %d workers\n", watch_connected(w), w->limit);
	else
		lab_print("  %d client%s connected\n", watch_connected(w),
		    watch_connected(w) == 1 ? "" : "s");
	for (int i = 0; i < w->nclients; i++) {
		const struct watch_client *c = &w->clients[i];

		if (c->accepted_at >= 0 && c->closed_at < 0) {
			lab_print("  %-22s accepted %.1f s ago, served by %s, %d message%s%s\n",
			    c->peer, now - c->accepted_at,
			    c->served_by[0] ? c->served_by : "(not known yet)",
			    c->messages, c->messages == 1 ? "" : "s",
			    c->unread_since >= 0 ? ", bytes unread" : "");
			shown++;
		} else if (c->accepted_at < 0 && c->in_kernel) {
			lab_print("  %-22s WAITING: connected %.1f s ago, not accepted yet "
			    "(in the kernel's queue)%s\n", c->peer, now - c->seen_at,
			    c->unread_since >= 0 ? ", its bytes unread" : "");
			shown++;
		}
	}
	if (shown == 0)
		lab_print("  nobody is connected: start one with nc 127.0.0.1 %d\n", w->port);
}

/* The timeline: one lane per actor of the story, time left to right. */
#define COLS 40

static int column(double t, double t0, double span)
{
	int col = (int)((t - t0) / span * (COLS - 1) + 0.5);

	return col < 0 ? 0 : col >= COLS ? COLS - 1 : col;
}

void watch_timeline(const struct watch *w)
{
	double t0 = w->started_at, now = watch_now(), span = now - t0;
	char lane[COLS + 1], actors[16][32];
	int nactors = 0;

	if (w->nevents == 0) {
		lab_print("timeline: nothing has happened yet\n");
		return;
	}
	if (span < 1)
		span = 1;
	lab_print("timeline: %.1f s since the server started; one column = %.2f s\n", span,
	    span / (COLS - 1));
	lab_print("  %-22s0%*s%.0f s\n", "", COLS - 2, "", span);
	/* Server actors: A accepted, r received, c closed. */
	for (int i = 0; i < w->nevents && nactors < 16; i++) {
		int known = 0;

		if (w->events[i].actor[0] == '\0')
			continue;
		for (int a = 0; a < nactors; a++)
			known |= strcmp(actors[a], w->events[i].actor) == 0;
		if (!known)
			snprintf(actors[nactors++], sizeof(actors[0]), "%s", w->events[i].actor);
	}
	/* A thread that serves a silent client has a lane too, an empty one. */
	for (int i = 0; i < w->nclients && nactors < 16; i++) {
		int known = w->clients[i].served_by[0] == '\0';

		for (int a = 0; a < nactors && !known; a++)
			known = strcmp(actors[a], w->clients[i].served_by) == 0;
		if (!known)
			snprintf(actors[nactors++], sizeof(actors[0]), "%s", w->clients[i].served_by);
	}
	for (int a = 0; a < nactors; a++) {
		memset(lane, ' ', COLS);
		lane[COLS] = '\0';
		for (int i = 0; i < w->nevents; i++) {
			const struct watch_event *ev = &w->events[i];
			int col = column(ev->t, t0, span);

			if (strcmp(ev->actor, actors[a]) != 0 || ev->t < t0)
				continue;
			if (ev->kind == EV_ACCEPT)
				lane[col] = 'A';
			else if (ev->kind == EV_RECEIVED && lane[col] == ' ')
				lane[col] = 'r';
			else if (ev->kind == EV_CLOSED)
				lane[col] = 'c';
			else if (ev->kind == EV_START || ev->kind == EV_STOP)
				lane[col] = '|';
		}
		lab_print("  %-22s%s\n", actors[a], lane);
	}
	/* Clients: . waiting in the kernel's queue, = accepted, x gone. */
	for (int i = 0; i < w->nclients; i++) {
		const struct watch_client *c = &w->clients[i];
		double from = c->seen_at >= 0 ? c->seen_at : c->accepted_at;
		double acc = c->accepted_at, end = c->closed_at >= 0 ? c->closed_at :
		    c->gone_at >= 0 ? c->gone_at : now;
		char note[96];

		if (from < 0 || from < t0)
			continue;
		memset(lane, ' ', COLS);
		lane[COLS] = '\0';
		for (int col = column(from, t0, span); col <= column(end, t0, span); col++)
			lane[col] = acc >= 0 && col >= column(acc, t0, span) ? '=' : '.';
		if (c->closed_at >= 0 || c->gone_at >= 0)
			lane[column(end, t0, span)] = 'x';
		if (acc >= 0)
			snprintf(note, sizeof(note), " waited %.1f s, served by %s", acc - from,
			    c->served_by[0] ? c->served_by : "?");
		else
			snprintf(note, sizeof(note), " never accepted (waited %.1f s)", end - from);
		lab_print("  %-22s%s%s\n", c->peer, lane, note);
	}
	lab_print("  A accept()  r received  c closed  . waiting in the kernel's queue  "
	    "= being served  x gone\n");
}
