/*
 * bench.c - netlab bench: a load generator that plays ping-pong.
 *
 * Each of the -c clients sends a message of -s bytes, waits for the whole
 * answer, checks every byte of it, and sends the next, -n times. A client
 * that waits for its answer costs nothing here, because no thread waits:
 * one thread drives every client through one epoll loop (level-triggered),
 * the same shape as netlab's epoll server, so 10,000 connections need one
 * process and no more than 10,000 descriptors.
 *
 * The time of every message, from its send() to the last byte of its answer,
 * is kept (CLOCK_MONOTONIC, which no clock adjustment moves), and the
 * percentiles are taken from all of them, sorted, not from a sample.
 */
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "figure.h"
#include "json_out.h"
#include "bench.h"
#include "bench_notes.h"
#include "log.h"
#include "signals.h"

#define MAX_EVENTS 256
#define MAX_TOTAL 20000000L	/* messages kept for the percentiles: 160 MB */
#define REFUSAL "netlab: server full"	/* what a full netlab server answers (clients.c) */

/* JSON keys as they are; the text report prints them translated. */
const char *const bench_error_names[BENCH_NKINDS] = {
	N_("connect"), N_("reset"), N_("timeout"), N_("wrong")
};

enum phase { CONNECTING, SENDING, RECEIVING, DONE };

struct bench_client {
	int fd;
	enum phase phase;
	int sent_msgs;		/* messages sent so far */
	int off;		/* bytes of this message sent, or received */
	uint32_t watching;	/* EPOLLIN or EPOLLOUT: what epoll waits for now */
	uint64_t sent_at;	/* ns, when this message's first byte left */
};

/* Everything one run needs, passed by pointer: no globals. */
struct run {
	const struct bench_load *load;
	struct bench_result *res;
	struct bench_client *clients;
	char *payload, *buf;	/* what every client sends; where answers land */
	uint64_t *latency;	/* ns, one per answered message */
	int epfd, left;		/* clients not DONE yet */
	struct addrinfo *addr;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A client is over: count why (or not, when it is simply done). */
static void finish(struct run *r, struct bench_client *c, int error)
{
	if (error >= 0) {
		r->res->errors[error]++;
		r->res->total_errors++;
	}
	if (c->fd != -1)
		close(c->fd);	/* also takes it out of the epoll set */
	c->fd = -1;
	c->phase = DONE;
	r->left--;
}

/*
 * Wait for 'events' on this client. Changing what epoll waits for is a
 * system call, so it is made only when it changes: a 64-byte message
 * leaves in one send(), and the client waits for readable all along.
 */
static int watch(struct run *r, struct bench_client *c, uint32_t events, int op)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (op == EPOLL_CTL_MOD && c->watching == events)
		return 0;
	c->watching = events;
	return epoll_ctl(r->epfd, op, c->fd, &ev);
}

/* socket() + a connect() that does not wait: the kernel finishes it. */
static void start_connect(struct run *r, struct bench_client *c)
{
	struct addrinfo *ai = r->addr;

	c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (c->fd == -1) {		/* EMFILE: the descriptor limit; see raise_fd_limit() */
		finish(r, c, ERR_CONNECT);
		return;
	}
	c->phase = CONNECTING;
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == -1 && errno != EINPROGRESS) {
		finish(r, c, ERR_CONNECT);	/* refused at once, or no route */
		return;
	}
	/* Writable means the handshake is over, for better or worse. */
	if (watch(r, c, EPOLLOUT, EPOLL_CTL_ADD) == -1)
		finish(r, c, ERR_CONNECT);
}

/* Send what is left of the current message; wait for writable if it is full. */
static void send_message(struct run *r, struct bench_client *c)
{
	const struct bench_load *l = r->load;
	ssize_t n;

	if (c->off == 0) {
		c->sent_at = now_ns();
		c->phase = SENDING;
	}
	n = send(c->fd, r->payload + c->off, (size_t)(l->size - c->off), MSG_NOSIGNAL);
	if (n == -1 && errno != EAGAIN && errno != EINTR) {
		finish(r, c, ERR_RESET);	/* EPIPE, ECONNRESET: the server let go */
		return;
	}
	if (n > 0)
		c->off += (int)n;
	if (c->off < l->size) {		/* its send buffer is full: come back later */
		if (watch(r, c, EPOLLOUT, EPOLL_CTL_MOD) == -1)
			finish(r, c, ERR_RESET);
		return;
	}
	c->off = 0;
	c->phase = RECEIVING;
	if (watch(r, c, EPOLLIN, EPOLL_CTL_MOD) == -1)
		finish(r, c, ERR_RESET);
}

/* Take what arrived, check it byte by byte, and go on when the answer is whole. */
static void receive_answer(struct run *r, struct bench_client *c)
{
	const struct bench_load *l = r->load;
	ssize_t n;

	n = recv(c->fd, r->buf, (size_t)(l->size - c->off), 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {			/* reset, or closed before answering */
		finish(r, c, ERR_RESET);
		return;
	}
	if (memcmp(r->buf, r->payload + c->off, (size_t)n) != 0) {
		/* Wrong bytes; a netlab server that is full says so instead of echoing. */
		if (c->off == 0 && (size_t)n >= sizeof(REFUSAL) - 1 &&
		    memcmp(r->buf, REFUSAL, sizeof(REFUSAL) - 1) == 0)
			r->res->refused++;
		finish(r, c, ERR_WRONG);
		return;
	}
	c->off += (int)n;
	if (c->off < l->size)
		return;			/* the rest is on its way */
	r->latency[r->res->answered++] = now_ns() - c->sent_at;
	c->off = 0;
	if (++c->sent_msgs == l->messages)
		finish(r, c, -1);
	else
		send_message(r, c);
}

/* The handshake ended: SO_ERROR says how. */
static void connected(struct run *r, struct bench_client *c)
{
	int error = 0;
	socklen_t len = sizeof(error);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1 || error != 0) {
		finish(r, c, ERR_CONNECT);	/* ECONNREFUSED: nobody listens */
		return;
	}
	r->res->connected++;
	send_message(r, c);
}

static void on_event(struct run *r, struct bench_client *c, uint32_t events)
{
	switch (c->phase) {
	case CONNECTING: connected(r, c); break;
	case SENDING: send_message(r, c); break;
	case RECEIVING:
		/* Drain what came before acting on a hang-up, as the servers do. */
		if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			receive_answer(r, c);
		break;
	case DONE: break;
	}
}

/* "  3120/10000 messages  1.4 s", rewritten in place on a terminal. */
static void show_progress(const struct run *r, double elapsed, int last)
{
	long total = (long)r->load->clients * r->load->messages;
	char n[3][FIGURE_SIZE];

	fprintf(stderr, "\r\033[K");
	if (!last)
		fprintf(stderr, _("%s  %s/%s messages  %s s "), r->load->label ? r->load->label : "",
		    figure_count(r->res->answered, n[0], sizeof(n[0])),
		    figure_count(total, n[1], sizeof(n[1])), figure_fixed(elapsed, 1, n[2], sizeof(n[2])));
}

/* The clients still running when time is up each count one timeout. */
static void time_out_the_rest(struct run *r)
{
	for (int i = 0; i < r->load->clients; i++)
		if (r->clients[i].phase != DONE)
			finish(r, &r->clients[i], ERR_TIMEOUT);
}

/* The loop: until every client is done, time is up, or Ctrl-C. */
static void drive(struct run *r, uint64_t start)
{
	struct epoll_event events[MAX_EVENTS];
	uint64_t deadline = start + (uint64_t)r->load->timeout_s * 1000000000u;
	int ready, shown = 0;

	while (r->left > 0 && !stop_requested) {
		uint64_t t = now_ns();

		if (t >= deadline) {
			time_out_the_rest(r);
			break;
		}
		if (r->load->progress && t - start > 1000000000u) {
			show_progress(r, (double)(t - start) / 1e9, 0);
			shown = 1;
		}
		/* Wake at least every 100 ms: the deadline and the progress line. */
		ready = epoll_wait(r->epfd, events, MAX_EVENTS, 100);
		if (ready == -1 && errno == EINTR)
			continue;		/* a signal: the loop checks stop_requested */
		for (int i = 0; i < ready; i++)
			on_event(r, events[i].data.ptr, events[i].events);
	}
	if (shown)
		show_progress(r, 0, 1);
	r->res->interrupted = stop_requested && r->left > 0;
}

static int compare_ns(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* p50, p99 and max from every answered message: sort them all. */
static void percentiles(struct run *r)
{
	struct bench_result *res = r->res;
	long n = res->answered;

	if (n == 0)
		return;
	qsort(r->latency, (size_t)n, sizeof(r->latency[0]), compare_ns);
	res->p50_ms = (double)r->latency[(n - 1) * 50 / 100] / 1e6;
	res->p99_ms = (double)r->latency[(n - 1) * 99 / 100] / 1e6;
	res->max_ms = (double)r->latency[n - 1] / 1e6;
}

/*
 * One descriptor per client, and a few to spare. The soft limit (often
 * 1024) may rise as far as the hard limit without privileges; say so when
 * even that is too few, and let the clients that get no descriptor count
 * as connect errors.
 */
static void raise_fd_limit(int clients)
{
	rlim_t need = (rlim_t)clients + 16;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need ? rl.rlim_max : need;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur < need)
		log_error(_("bench: %d clients need %lu descriptors, but this process may open "
		    "only %lu (ulimit -Hn): the rest will count as connect errors"),
		    clients, (unsigned long)need, (unsigned long)rl.rlim_cur);
}

/* The server's address, IPv4 first as the servers bind it. */
static struct addrinfo *resolve(const struct bench_load *l, struct addrinfo **list)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	int rc = getaddrinfo(l->host, l->port, &hints, list);

	if (rc != 0) {
		log_error(_("bench: cannot resolve %s: %s"), l->host, gai_strerror(rc));
		return NULL;
	}
	for (struct addrinfo *ai = *list; ai != NULL; ai = ai->ai_next)
		if (ai->ai_family == AF_INET)
			return ai;
	return *list;
}

static int prepare(struct run *r, struct addrinfo **list)
{
	const struct bench_load *l = r->load;

	r->addr = resolve(l, list);
	if (r->addr == NULL)
		return -1;
	raise_fd_limit(l->clients);
	r->clients = calloc((size_t)l->clients, sizeof(*r->clients));
	r->payload = malloc((size_t)l->size);
	r->buf = malloc((size_t)l->size);
	r->latency = malloc((size_t)l->clients * (size_t)l->messages * sizeof(uint64_t));
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	for (int i = 0; r->clients != NULL && i < l->clients; i++)
		r->clients[i].fd = -1;
	if (r->clients == NULL || r->payload == NULL || r->buf == NULL || r->latency == NULL ||
	    r->epfd == -1) {
		log_error(_("bench: cannot prepare %d clients: %s"), l->clients, strerror(errno));
		return -1;
	}
	/* Lower-case letters: an 'upper' server answers wrong bytes, and is caught. */
	for (int i = 0; i < l->size; i++)
		r->payload[i] = (char)('a' + i % 26);
	return 0;
}

int bench_run(const struct bench_load *load, struct bench_result *res)
{
	struct run r = { .load = load, .res = res, .epfd = -1, .left = load->clients };
	struct addrinfo *list = NULL;
	struct server_cpu cpu;
	uint64_t start;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (prepare(&r, &list) == 0) {
		server_cpu_start(&cpu, r.addr->ai_addr, r.addr->ai_addrlen);
		start = now_ns();
		for (int i = 0; i < load->clients && !stop_requested; i++)
			start_connect(&r, &r.clients[i]);
		drive(&r, start);
		res->seconds = (double)(now_ns() - start) / 1e9;
		res->msgs_per_sec = res->seconds > 0 ? (double)res->answered / res->seconds : 0;
		server_cpu_stop(&cpu, res->seconds);
		res->server_cpu_s = cpu.used_s;
		percentiles(&r);
		res->notes = bench_notes(res->p50_ms, res->seconds, &cpu);
		rc = 0;
	}
	for (int i = 0; r.clients != NULL && i < load->clients; i++)
		if (r.clients[i].fd != -1)
			close(r.clients[i].fd);	/* interrupted: the clients still open */
	if (r.epfd != -1)
		close(r.epfd);
	if (list != NULL)
		freeaddrinfo(list);
	free(r.clients);
	free(r.payload);
	free(r.buf);
	free(r.latency);
	return rc;
}

void bench_load_from(const struct options *opt, struct bench_load *load)
{
	load->host = opt->host;
	load->port = opt->port;
	load->clients = opt->clients > 0 ? opt->clients : 50;
	load->messages = opt->messages > 0 ? opt->messages : 200;
	load->size = opt->size > 0 ? opt->size : 64;
	load->timeout_s = opt->timeout_s > 0 ? opt->timeout_s : 60;
	load->progress = isatty(STDERR_FILENO);
	load->label = NULL;
	if ((long)load->clients * load->messages > MAX_TOTAL)
		usage_error(_("-c %d x -n %d is more than %ld messages: bench keeps every "
		    "message's time"), load->clients, load->messages, MAX_TOTAL);
}

/* The spec's keys; every figure as the text report rounds it. */
static json_t *bench_json(const struct bench_load *l, const struct bench_result *res)
{
	json_t *by_kind = json_object(), *notes = json_array();

	for (int k = 0; k < BENCH_NKINDS; k++)
		json_out_set(&by_kind, bench_error_names[k], json_integer(res->errors[k]));
	for (int k = 0; k < BENCH_NNOTES; k++)
		if (res->notes & (1u << k))
			json_out_append(&notes, json_string(bench_note_words[k]));
	return json_pack("{s:i, s:i, s:I, s:i, s:i, s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:I, s:b, "
	    "s:o, s:o}",
	    "clients", l->clients, "connected", res->connected,
	    "messages", (json_int_t)res->answered, "messages_per_client", l->messages,
	    "size", l->size, "seconds", json_out_real(res->seconds, 6),
	    "msgs_per_sec", (json_int_t)llround(res->msgs_per_sec),
	    "p50_ms", json_out_real(res->p50_ms, 3), "p99_ms", json_out_real(res->p99_ms, 3),
	    "max_ms", json_out_real(res->max_ms, 3), "errors", (json_int_t)res->total_errors,
	    "errors_by_kind", by_kind, "refused", (json_int_t)res->refused,
	    "interrupted", res->interrupted,
	    "server_cpu_s", res->server_cpu_s >= 0 ? json_out_real(res->server_cpu_s, 3) : json_null(),
	    "notes", notes);
}

static void print_report(const struct bench_load *l, const struct bench_result *res)
{
	printf(_("bench: %s clients x %s messages x %s bytes to %s port %s\n"),
	    figure_text(l->clients, 0), figure_text(l->messages, 0), figure_text(l->size, 0), l->host, l->port);
	printf(_("  connections  %s of %s\n"), figure_text(res->connected, 0), figure_text(l->clients, 0));
	printf(_("  messages     %s answered in %s s: %s messages/s\n"),
	    figure_text((double)res->answered, 0), figure_text(res->seconds, 2), figure_text(res->msgs_per_sec, 0));
	printf(_("  latency      p50 %s ms  p99 %s ms  max %s ms\n"),
	    figure_text(res->p50_ms, 3), figure_text(res->p99_ms, 3), figure_text(res->max_ms, 3));
	printf(_("  errors       %ld"), res->total_errors);
	for (int k = 0; k < BENCH_NKINDS; k++)
		printf("%s%s %ld", k ? ", " : " (", _(bench_error_names[k]), res->errors[k]);
	printf(")\n");
	if (res->refused > 0)
		printf(ngettext("               %ld client was refused: the server said it was full\n",
		    "               %ld clients were refused: the server said it was full\n",
		    (unsigned long)res->refused), res->refused);
	if (res->server_cpu_s >= 0 && res->seconds > 0)
		printf(_("  server cpu   %s s in %s s: %s%% of one core\n"),
		    figure_text(res->server_cpu_s, 2), figure_text(res->seconds, 2),
		    figure_text(100 * res->server_cpu_s / res->seconds, 0));
	if (res->notes & (1u << NOTE_NAGLE))
		printf(_("  why          the median answer took %s ms while the server's CPU "
		    "was mostly idle:\n"
		    "               Nagle's algorithm meeting the client's delayed ACK. The server "
		    "sent its answer\n"
		    "               in pieces; its kernel held back each later piece until the "
		    "client acknowledged\n"
		    "               the earlier one, and the client's kernel delays that ACK by up "
		    "to 40 ms.\n"
		    "               The server can set TCP_NODELAY on each client's socket, or send "
		    "each answer\n"
		    "               with one send().\n"), figure_text(res->p50_ms, 0));
	if (res->interrupted)
		printf(_("  interrupted  by Ctrl-C: these figures cover only what ran until then\n"));
}

int run_bench(const struct options *opt)
{
	struct bench_load load;
	struct bench_result res;

	bench_load_from(opt, &load);
	/* Ctrl-C ends the run, not the process: what was measured is still printed. */
	if (signals_init() == -1) {
		log_error(_("bench: cannot install the signal handlers"));
		return 1;
	}
	if (bench_run(&load, &res) == -1)
		return stop_requested ? 130 : 1;
	if (opt->json && json_out_print(stdout, bench_json(&load, &res)) == -1)
		return 1;
	if (!opt->json)
		print_report(&load, &res);
	fflush(stdout);		/* the report first, then why */
	if (res.errors[ERR_CONNECT] == load.clients)
		log_error(_("bench: no client could connect to %s port %s (is a server running? "
		    "start one with 'netlab epoll')"), load.host, load.port);
	if (res.interrupted)
		return 130;	/* as a shell reports a program that Ctrl-C ended */
	return res.total_errors > 0 ? 1 : 0;
}
