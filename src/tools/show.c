/*
 * show.c - netlab show: the live picture of a server, in a web browser,
 * for a class to look at together.
 *
 * Four times a second show looks at the server as watch does (the kernel's
 * view, kernel/), moves the timeline on (show_timeline.c), and builds one
 * snapshot, the object of 'watch --json' with the lanes and the log's
 * lines added, which every browser gets (show_http.c). Reading /proc costs
 * the same with one browser or forty; the browsers cost only their writes.
 *
 * The server's log: show can read only what it started. With -- COMMAND
 * the server's output comes to show through a pipe, and its lines go to
 * the page (and to show's own stdout, where the teacher sees them as
 * before). A server found by --port or --pid writes to a terminal show
 * cannot read: the page says so instead of guessing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "child.h"
#include "i18n.h"
#include "json_out.h"
#include "kernel/kernel_text.h"
#include "net.h"
#include "signals.h"
#include "show.h"
#include "show_http.h"
#include "show_page.h"
#include "show_svg.h"
#include "show_timeline.h"
#include "show_words.h"

#define TICK_MS 250		/* four snapshots a second: what a class sees as live */
#define LISTEN_WAIT_MS 10000	/* how long a COMMAND may take to listen */
#define END_MS 3000		/* SIGTERM to the COMMAND, then this long before SIGKILL */
#define WINDOW_S 60		/* the page draws the last minute */
#define LANES_SHOWN 16		/* thread lanes, and client lanes, drawn; the rest counted */

static atomic_int interrupted;	/* lock-free: allowed in a handler (C11 7.14.1.1) */

static void on_signal(int sig)
{
	interrupted = sig;
}

struct show {
	const struct options *opt;
	struct kernel_view view;
	struct show_timeline timeline;
	struct child cmd;		/* the COMMAND; pid 0 when show did not start it */
	struct show_http *http;
	struct timespec start;
	int port;			/* the server's port; 0: the COMMAND's, once it listens */
	pid_t pid;			/* --pid, or the COMMAND's; 0: found by port */
	pid_t server_pid;		/* the process the command line is of */
	json_t *look;			/* the last look, as 'watch --json' */
	char command[128];		/* the server's command line */
	int ended;			/* the server has ended: the picture stays */
	double ended_t;
	int ended_status;		/* its exit status, -1 unknown */
	char *page;			/* the page with its marks filled in */
	FILE *record;			/* --record FILE.svg, open from the start */
};

/* ---- the page ---- */

/* The words as one JSON object; "</" cannot close the script element that holds it. */
static char *words_json(void)
{
	json_t *words = json_object();

	for (size_t i = 0; i < show_nwords; i++)
		json_out_set(&words, show_words[i].key, json_string(_(show_words[i].text)));
	return json_out_string(words);
}

/* The page with "@MARK@" replaced by value, each time it appears. */
static char *fill(char *page, const char *mark, const char *value)
{
	size_t marks = 0, mark_len = strlen(mark), value_len = strlen(value);
	char *out, *to;
	const char *from = page, *at;

	for (at = strstr(page, mark); at != NULL; at = strstr(at + mark_len, mark))
		marks++;
	if (page == NULL || (out = malloc(strlen(page) + marks * value_len + 1)) == NULL) {
		free(page);
		return NULL;
	}
	for (to = out; (at = strstr(from, mark)) != NULL; from = at + mark_len) {
		memcpy(to, from, (size_t)(at - from));
		to += at - from;
		memcpy(to, value, value_len);
		to += value_len;
	}
	strcpy(to, from);
	free(page);
	return out;
}

/* 32 hex digits nobody can guess: the nonce that lets the page's script run. */
static void make_nonce(char *out)
{
	unsigned char bytes[16] = { 0 };

	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		struct timespec now;	/* no entropy yet: the time, still unknown to a page */

		clock_gettime(CLOCK_REALTIME, &now);
		memcpy(bytes, &now, sizeof(now) < sizeof(bytes) ? sizeof(now) : sizeof(bytes));
	}
	for (size_t i = 0; i < sizeof(bytes); i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
}

static char *make_page(const char *nonce)
{
	char *words = words_json(), *page = strdup(show_page);

	if (words == NULL) {
		free(page);
		return NULL;
	}
	page = fill(page, "@LANG@", i18n_language());
	page = fill(page, "@NONCE@", nonce);
	page = fill(page, "@WORDS@", words);
	free(words);
	return page;
}

/* ---- each tick ---- */

static double seconds(const struct show *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - s->start.tv_sec) + (now.tv_nsec - s->start.tv_nsec) / 1e9;
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Has the server ended? The COMMAND's status, or the process gone. */
static int server_gone(struct show *s, int listening)
{
	if (s->cmd.pid > 0) {
		if (!child_ended(&s->cmd))
			return 0;
		s->ended_status = exit_status(s->cmd.status);
		return 1;
	}
	s->ended_status = -1;
	if (s->pid != 0)
		return kill(s->pid, 0) == -1 && errno == ESRCH;
	return !listening && s->view.pid == 0;	/* by port: nobody there any more */
}

/* "netlab sequential", "./netlab-asan pool 2": a netlab server names its lanes as its log. */
static int is_netlab(const char *command)
{
	const char *name = command, *space = strchr(command, ' '), *slash;

	while ((slash = strchr(name, '/')) != NULL && (space == NULL || slash < space))
		name = slash + 1;
	return strncmp(name, "netlab", 6) == 0;
}

/* One look at the server; by port, a new server on it ends the last one's "ended". */
static void look(struct show *s, double t)
{
	int listening = kernel_read(&s->view, s->port, s->pid) == 0;

	if (!s->ended && server_gone(s, listening)) {
		s->ended = 1;
		s->ended_t = t;
		return;
	}
	if (s->ended && (s->pid != 0 || s->cmd.pid > 0 || s->view.pid == 0))
		return;		/* the last picture stays */
	if (s->view.pid != s->server_pid) {	/* a server seen for the first time */
		s->server_pid = s->view.pid;
		kernel_command_line(s->view.pid, s->command, sizeof(s->command));
		s->timeline.netlab = is_netlab(s->command);
	}
	s->ended = 0;
	show_timeline_look(&s->timeline, &s->view, t);
	json_decref(s->look);
	s->look = kernel_text_json(&s->view);
}

/* What the server printed since the last tick: to the page, and to our stdout. */
static void read_output(struct show *s, double t)
{
	char buf[8192];
	ssize_t n;

	while (s->cmd.output_fd != -1 && (n = read(s->cmd.output_fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			n = 0;	/* a read error is an end too */
		}
		if (n == 0)
			break;
		show_timeline_output(&s->timeline, buf, (size_t)n, t);
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
	}
	if (s->cmd.output_fd != -1) {
		close(s->cmd.output_fd);	/* the server closed its end: it has ended */
		s->cmd.output_fd = -1;
	}
}

/* Show's own part of the snapshot: the command, the log's source, the browsers, the end. */
static json_t *about(const struct show *s)
{
	json_t *ended = json_null();
	size_t browsers = s->http != NULL ? show_http_streams(s->http) : 0;

	if (s->ended)
		ended = json_pack("{s o s o}", "status", s->ended_status >= 0 ?
		    json_integer(s->ended_status) : json_null(), "t", json_out_real(s->ended_t, 2));
	return json_pack("{s o s b s I s o}", "command", json_out_text(s->command),
	    "log", s->opt->nargs > 0, "browsers", (json_int_t)browsers, "ended", ended);
}

/* The snapshot every browser gets: watch's object, the lanes (the log is added by show_http). */
static char *snapshot(struct show *s, double t)
{
	json_t *obj = s->look != NULL ? json_copy(s->look) : json_object();

	json_out_set(&obj, "t", json_out_real(t, 2));
	json_out_set(&obj, "show", about(s));
	if (obj == NULL || show_timeline_json(&s->timeline, obj, t - WINDOW_S,
	    LANES_SHOWN) == -1) {
		json_decref(obj);
		return NULL;
	}
	return json_out_string(obj);
}

/* Every tick, whether or not a browser watches: one snapshot for all of them. */
static void publish(struct show *s, double t)
{
	char *text = snapshot(s, t), *lines = NULL;
	size_t n;

	/* No memory: the last one stays (and the lines taken are lost). */
	if (text != NULL && show_timeline_take_events(&s->timeline, &lines, &n) == 0)
		show_http_publish(s->http, text, lines, n);
	free(lines);
	free(text);
}

static unsigned long long mix(unsigned long long h, unsigned long long x)
{
	return (h ^ x) * 1099511628211ULL;	/* FNV-1a's prime, a number at a time */
}

/*
 * Everything a snapshot says, in one number: when it is the same as at the
 * last snapshot, the last snapshot is sent again instead of building the
 * same JSON (a thousand idle clients cost a hash, not a thousand objects).
 */
static unsigned long long digest(const struct show *s)
{
	const struct kernel_view *v = &s->view;
	unsigned long long h = 14695981039346656037ULL;

	h = mix(h, s->timeline.changes);
	h = mix(h, s->timeline.lines);
	h = mix(h, show_http_streams(s->http));
	h = mix(h, (unsigned long long)s->ended << 32 | (unsigned)v->pid);
	h = mix(h, (unsigned long long)v->listening << 32 | (unsigned long)v->backlog);
	for (size_t i = 0; i < v->nqueued; i++)
		h = mix(mix(h, v->queued[i].peer_port), v->queued[i].unread + v->queued[i].received);
	for (size_t i = 0; i < v->nconns; i++) {
		const struct kernel_socket *c = &v->conns[i];

		h = mix(mix(mix(h, c->inode), (unsigned long long)c->state << 32 | (unsigned)c->owner),
		    mix(c->unread, c->unsent) ^ mix(c->received, c->acked));
	}
	for (size_t i = 0; i < v->nthreads; i++) {
		const struct kernel_thread *k = &v->threads[i];

		h = mix(mix(h, (unsigned long long)k->tid << 32 | k->doing),
		    mix((unsigned long long)k->fd, (unsigned long long)k->watched));
	}
	return h;
}

#define REBUILD_TICKS 4		/* the snapshot is built afresh at least once a second */

/* Until the next tick, the server's output read as it comes. */
static void wait_tick(struct show *s, double until)
{
	double t;

	while (!interrupted && (t = seconds(s)) < until) {
		struct pollfd out = { s->cmd.output_fd, POLLIN, 0 };

		/* A negative descriptor is skipped: then poll() only sleeps. */
		if (poll(&out, 1, (int)((until - t) * 1000) + 1) > 0)
			read_output(s, seconds(s));
	}
}

static void serve(struct show *s)
{
	unsigned long tick = 0, same = 0;
	unsigned long long last = 0;

	while (!interrupted) {
		double t = seconds(s);
		unsigned long long now;

		read_output(s, t);
		if (!s->ended || s->pid == 0)
			look(s, t);
		/* Nothing new: the same snapshot again, which the page draws on its own clock. */
		if ((now = digest(s)) == last && ++same < REBUILD_TICKS) {
			show_http_republish(s->http);
		} else {
			publish(s, t);
			last = now;
			same = 0;
		}
		wait_tick(s, (double)++tick * TICK_MS / 1000.0);
	}
}

/* ---- the start: the address to serve on, the server to show ---- */

/* --listen ADDR:PORT ("127.0.0.1:8080", "[::1]:0", "0.0.0.0:8080"). */
static void listen_address(const char *text, char *host, size_t host_size, char *port,
    size_t port_size)
{
	const char *colon = strrchr(text, ':');
	size_t len;

	if (colon == NULL || colon == text || colon[1] == '\0')
		usage_error(_("--listen takes ADDRESS:PORT, such as 127.0.0.1:8080, not '%s'"), text);
	len = (size_t)(colon - text);
	if (text[0] == '[' && colon[-1] == ']') {
		text++;		/* [::1]:8080: the brackets are the URL's, not the address's */
		len -= 2;
	}
	if (len == 0 || len >= host_size || strlen(colon + 1) >= port_size)
		usage_error(_("--listen takes ADDRESS:PORT, such as 127.0.0.1:8080, not '%s'"), text);
	memcpy(host, text, len);
	host[len] = '\0';
	parse_number(colon + 1, 0, 65535, "--listen's PORT");
	strcpy(port, colon + 1);
}

/* The page's own listening socket, or -1 after saying why. */
static int open_listener(const char *listen, char *url, size_t url_size)
{
	char host[256], port[8];
	int fd, gai_error;

	listen_address(listen, host, sizeof(host), port, sizeof(port));
	if ((fd = net_listen(host, port, 0, &gai_error)) == -1) {
		fprintf(stderr, _("netlab: cannot listen on %s port %s: %s (try --listen "
		    "127.0.0.1:0)\n"), host, port, gai_error ? gai_strerror(gai_error) :
		    strerror(errno));
		return -1;
	}
	snprintf(url, url_size, strchr(host, ':') != NULL ? "http://[%s]:%d/" :
	    "http://%s:%d/", host, net_local_port(fd));
	return fd;
}

/* The COMMAND, started, its output on a pipe, until it listens: 0, or 1 after saying why. */
static int start_command(struct show *s)
{
	char **argv = s->opt->args;

	s->cmd.output = CHILD_OUTPUT_PIPE;
	s->cmd.stop = &interrupted;
	if (child_start(&s->cmd, argv) == -1) {
		fprintf(stderr, _("netlab: cannot start '%s': %s\n"), argv[0], strerror(errno));
		return 1;
	}
	if (s->cmd.exec_error != 0) {
		fprintf(stderr, _("netlab: cannot run '%s': %s\n"), argv[0],
		    strerror(s->cmd.exec_error));
		return 1;
	}
	fcntl(s->cmd.output_fd, F_SETFL, O_NONBLOCK);
	s->pid = s->cmd.pid;
	switch (child_wait_listening(&s->cmd, &s->view, s->port, LISTEN_WAIT_MS)) {
	case CHILD_LISTENS:
		s->port = s->view.port;
		return 0;
	case CHILD_EXITED:
		fprintf(stderr, _("netlab: '%s' exited (status %d) before it listened\n"),
		    argv[0], exit_status(s->cmd.status));
		return 1;
	case CHILD_SILENT:
		fprintf(stderr, _("netlab: '%s' does not listen on a TCP port after %d s\n"),
		    argv[0], LISTEN_WAIT_MS / 1000);
		return 1;
	case CHILD_STOPPED:
		break;
	}
	return 1;
}

/* A server found by --port or --pid: 0, or 1 after saying why not. */
static int find_server(struct show *s)
{
	const struct options *opt = s->opt;

	if (kernel_read(&s->view, s->port, s->pid) == 0 ||
	    (s->view.pid != 0 && s->view.port != 0 && kill(s->view.pid, 0) == 0)) {
		s->port = s->view.port;
		return 0;	/* it listens, or it closed its listener and lives on */
	}
	if (opt->pid != 0 && kill(opt->pid, 0) == -1 && errno == ESRCH)
		fprintf(stderr, _("netlab: there is no process %d\n"), opt->pid);
	else if (opt->pid != 0)
		fprintf(stderr, _("netlab: process %d does not listen on any TCP port\n"), opt->pid);
	else
		fprintf(stderr, _("netlab: nothing listens on port %d: start a server there "
		    "first, or give its --port\n"), s->port);
	return 1;
}

/* The signals that stop show: Ctrl-C, SIGTERM, a closed terminal. */
static void catch_signals(sigset_t *stops)
{
	signals_catch(on_signal, 0);
	sigemptyset(stops);
	sigaddset(stops, SIGINT);
	sigaddset(stops, SIGTERM);
	sigaddset(stops, SIGHUP);
}

/* The web server, its thread deaf to Ctrl-C: only the main thread takes it. */
static int start_http(struct show *s, int listen_fd, const sigset_t *stops)
{
	char nonce[33], *first;
	sigset_t old;

	make_nonce(nonce);
	if ((s->page = make_page(nonce)) == NULL || (first = snapshot(s, 0)) == NULL) {
		close(listen_fd);
		fprintf(stderr, _("netlab: cannot build the page: %s\n"), strerror(ENOMEM));
		return 1;
	}
	pthread_sigmask(SIG_BLOCK, stops, &old);
	s->http = show_http_start(listen_fd, s->page, strlen(s->page), nonce, first);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(first);
	if (s->http == NULL) {
		fprintf(stderr, _("netlab: cannot start the web server: %s\n"), strerror(errno));
		return 1;
	}
	return 0;
}

/* --record FILE.svg: the timeline so far, written as show ends. */
static int write_record(struct show *s, double t)
{
	int rc = show_svg_write(s->record, &s->timeline, s->ended ? s->ended_t : t, s->command);

	if (fclose(s->record) == EOF || rc == -1) {
		fprintf(stderr, _("netlab: cannot write %s: %s\n"), s->opt->record, strerror(errno));
		return 1;
	}
	return 0;
}

static int run(struct show *s)
{
	const struct options *opt = s->opt;
	char url[300];
	sigset_t stops;
	int listen_fd, rc;

	catch_signals(&stops);
	if (opt->record != NULL && (s->record = fopen(opt->record, "w")) == NULL) {
		fprintf(stderr, _("netlab: cannot write %s: %s\n"), opt->record, strerror(errno));
		return 1;
	}
	if ((listen_fd = open_listener(opt->listen != NULL ? opt->listen : "127.0.0.1:8080",
	    url, sizeof(url))) == -1)
		return 1;
	rc = opt->nargs > 0 ? start_command(s) : find_server(s);
	if (rc != 0) {
		close(listen_fd);
		return interrupted ? 0 : rc;
	}
	look(s, 0);
	if (start_http(s, listen_fd, &stops) != 0)
		return 1;
	printf(_("Open %s in a browser\n"), url);	/* the start line comes first */
	fflush(stdout);
	read_output(s, 0);	/* then what the COMMAND printed while it started */
	serve(s);
	return 0;
}

int run_show(const struct options *opt)
{
	struct show s = { .opt = opt, .ended_status = -1 };
	int rc;

	s.cmd.output_fd = -1;
	s.port = (opt->given & GIVEN_PORT) || opt->pid == 0 ? atoi(opt->port) : 0;
	if (opt->nargs > 0 && !(opt->given & GIVEN_PORT))
		s.port = 0;	/* whatever port the COMMAND listens on */
	s.pid = opt->pid;
	s.view.totals = 1;	/* each client's bytes sent and got, for its lane */
	clock_gettime(CLOCK_MONOTONIC, &s.start);
	rc = run(&s);
	if (s.http != NULL)
		show_http_stop(s.http);
	child_end(&s.cmd, END_MS);	/* the COMMAND ends with show */
	child_close(&s.cmd);
	if (s.record != NULL && write_record(&s, seconds(&s)) != 0 && rc == 0)
		rc = 1;
	show_timeline_free(&s.timeline);
	kernel_free(&s.view);
	json_decref(s.look);
	free(s.page);
	return rc;
}
