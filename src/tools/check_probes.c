/*
 * check_probes.c - the eight properties, probed in order. Each probe is a
 * client with a deadline, doing what a real client does to a server:
 * talk, talk binary, talk a lot, stay silent, come in a crowd, leave
 * rudely, come and go by the hundred. What it saw goes in 'seen', in
 * numbers; when the property failed, check_why.c asks the kernel why.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "figure.h"
#include "repr.h"
#include "signals.h"
#include "check_probes.h"
#include "check_why.h"

#define LINE		"netlab check: hello\n"
#define LINE_LEN	(sizeof(LINE) - 1)
#define ANSWER_MS	2000		/* an echo server answers a line well within this */
#define LARGE		(1024 * 1024)	/* 1 MiB in one go */
#define SMALL_RCVBUF	4096		/* we read slowly: the server's send() must cope */
#define CONCURRENT_MS	1000		/* the second client waits this long */
#define AFTER_LEAVE_MS	5000		/* sequential: then it must be answered */
#define MANY		100
#define MANY_MS		30000
#define REDIAL_MS	100		/* a connect the kernel dropped: dial again */
#define RUDE_RESETS	3
#define RUDE_SIZE	(256 * 1024)
#define LEAK_CLIENTS	200
#define LEAK_SLACK	5
#define SETTLE_MS	3000

static const char *const hint_threads = N_("serve each client in its own thread: start a "
    "threading.Thread(target=handle_client, args=(conn,)) for every accepted "
    "connection and go straight back to accept(), as the tutorial's threaded version does");
static const char *const why_changed = N_("an echo server sends back exactly the bytes it "
    "received, nothing added, removed or changed");
static const char *const hint_workers = N_("every accepted client needs a thread (or a pool "
    "worker) free to read it: with a pool, have more workers than clients that may sit "
    "silent, or give each client a thread of its own");
static const char *const hint_sendall = N_("use sendall(data): on a socket with a timeout "
    "(settimeout) or a non-blocking one, send() takes only what fits in the kernel's "
    "buffer and returns how much that was; sendall() calls it until every byte is gone");
static const char *const hint_loop = N_("read until the client is done: call recv() in a "
    "loop and sendall() each chunk it returns, until recv() returns b''; one recv() "
    "returns only what has arrived so far, never more than its size");
static const char *const hint_echo = N_("send back the very bytes recv() returned: "
    "conn.sendall(data), without decode(), encode() or anything added");
static const char *const hint_survive = N_("a client that resets or vanishes must cost your "
    "server that client only: catch ConnectionResetError and BrokenPipeError (OSError) "
    "around its recv() and sendall(), close it, and go on serving");
static const char *const hint_close = N_("close each client's socket when recv() returns b'' "
    "(conn.close(), or 'with conn:'), and let its thread end");

static void seen(struct verdict *v, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seen(struct verdict *v, int ok, const char *fmt, ...)
{
	va_list ap;

	v->ok = ok;
	va_start(ap, fmt);
	vsnprintf(v->seen, sizeof(v->seen), fmt, ap);
	va_end(ap);
}

/* Bytes for the report, escaped and cut to a readable length. */
static const char *shown(const void *data, size_t len, char *out, size_t size)
{
	char full[REPR_SIZE(64)];
	size_t n = repr_bytes(full, data, len < 64 ? len : 64);

	snprintf(out, size, "%.*s%s", (int)n, full, len > 64 ? "..." : "");
	return out;
}

/* Sleeps, unless Ctrl-C comes first: -1 then. */
static int pause_ms(int ms)
{
	long end = probe_now_ms() + ms;

	while (!stop_requested && probe_now_ms() < end)
		poll(NULL, 0, 10);	/* EINTR (the signal) ends it early: fine */
	return stop_requested ? -1 : 0;
}

/* ---- listens, echo, binary, large: one client, one exchange ---- */

static void probe_listens(struct check *c, struct verdict *v)
{
	long start = probe_now_ms();
	int gai = 0;

	if (probe_resolve(c->host, c->port_text, &c->target, ANSWER_MS, &gai) == 0) {
		seen(v, 1, _("a connect to %s port %d succeeded in %ld ms"), c->host, c->port,
		    probe_now_ms() - start);
		return;
	}
	seen(v, 0, _("a connect to %s port %d failed: %s"), c->host, c->port,
	    gai != 0 ? gai_strerror(gai) : strerror(errno));
	snprintf(v->why, sizeof(v->why), _("nothing accepts connections on port %d%s"), c->port,
	    kernel_read(&c->view, c->port, c->pid) == 0 ? _(" at that address") : "");
	snprintf(v->hint, sizeof(v->hint), _("start your server first, or let check start it: "
	    "netlab check --port %d -- python3 server.py"), c->port);
}

/* A failed exchange of 'out' that brought back 'in': seen, why, hint. */
static void explain_exchange(struct check *c, struct verdict *v, int fd, enum probe_end end,
    const void *out, size_t len, const void *in, size_t got, const char *changed)
{
	char sent[300], came[300], peer[80], s[FIGURE_SIZE];
	struct role self = { peer, _("our client") };

	probe_local_name(fd, peer, sizeof(peer));
	shown(out, len, sent, sizeof(sent));
	if (got == 0 && end == PROBE_TIMEOUT) {
		seen(v, 0, _("sent %s, nothing came back in %s s"), sent,
		    figure_fixed(ANSWER_MS / 1000.0, 1, s, sizeof(s)));
		why_no_answer(c, peer, _("our client"), &self, 1, v->why, sizeof(v->why));
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_echo));
		return;
	}
	seen(v, 0, _("sent %s, got %s%s"), sent, shown(in, got, came, sizeof(came)),
	    end == PROBE_EOF ? _(", then the server closed the connection") :
	    end == PROBE_RESET ? _(", then the connection was reset") : "");
	if (end == PROBE_RESET && why_gone(c, v->why, sizeof(v->why)))
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_survive));
	else {
		snprintf(v->why, sizeof(v->why), "%s", _(changed));
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_echo));
	}
}

/*
 * One client sends 'out' and must get it back exactly. 'changed' is the
 * why when other bytes came back.
 */
static void echo_exchange(struct check *c, struct verdict *v, const void *out, size_t len,
    const char *what, const char *changed)
{
	char *in = malloc(len);
	long start = probe_now_ms();
	enum probe_end end;
	size_t got;
	int fd;

	fd = probe_connect(&c->target, ANSWER_MS);
	if (fd == -1 || in == NULL) {
		seen(v, 0, _("cannot connect: %s"), strerror(errno));
		why_gone(c, v->why, sizeof(v->why));
		free(in);
		if (fd != -1)
			close(fd);
		return;
	}
	end = probe_exchange(fd, out, len, in, len, &got, ANSWER_MS);
	if (end == PROBE_DONE && memcmp(in, out, len) == 0)
		seen(v, 1, _("%s came back exactly, in %ld ms"), what, probe_now_ms() - start);
	else if (end != PROBE_STOPPED)
		explain_exchange(c, v, fd, end, out, len, in, got, changed);
	close(fd);
	free(in);
}

static void probe_echo(struct check *c, struct verdict *v)
{
	echo_exchange(c, v, LINE, LINE_LEN, _("the line b'netlab check: hello\\n'"), why_changed);
}

static void probe_binary(struct check *c, struct verdict *v)
{
	unsigned char all[256];

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	echo_exchange(c, v, all, sizeof(all), _("the sequence of all 256 byte values, in order,"),
	    N_("your server changed or lost bytes: bytes are not text, and a server that "
	    "decodes them (data.decode()) and encodes them again breaks those that are "
	    "not valid text"));
}

/* Pseudo-random bytes (xorshift), so that a lost or repeated chunk shows. */
static void fill_random(unsigned char *buf, size_t len)
{
	unsigned state = 2463534242u;

	for (size_t i = 0; i < len; i++) {
		state ^= state << 13;
		state ^= state >> 17;
		state ^= state << 5;
		buf[i] = (unsigned char)state;
	}
}

/* large failed: where are the bytes that did not come back? */
static void explain_large(struct check *c, struct verdict *v, int fd, size_t got)
{
	const struct kernel_socket *s;
	char peer[80], lost[FIGURE_SIZE], unread[FIGURE_SIZE], unsent[FIGURE_SIZE];
	char threads[384];
	struct role self = { peer, _("our client") };
	int queued;

	probe_local_name(fd, peer, sizeof(peer));
	figure_count((long)(LARGE - got), lost, sizeof(lost));
	snprintf(v->hint, sizeof(v->hint), "%s", _(hint_sendall));
	if (why_gone(c, v->why, sizeof(v->why))) {
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_survive));
		return;
	}
	if (why_snapshot(c) == -1)
		return;
	s = why_connection(c, peer, &queued);
	why_threads(c, &self, 1, threads, sizeof(threads));
	if (s == NULL) {
		/* It answered a part and hung up: one recv(), no loop. */
		snprintf(v->why, sizeof(v->why), _("your server closed the connection before "
		    "sending the rest back: %s bytes missing"), lost);
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_loop));
	} else if (s->unread == 0 && s->unsent == 0)
		snprintf(v->why, sizeof(v->why), _("the kernel holds none of the missing %s bytes "
		    "(0 unread in your server's receive queue, 0 unsent in its send queue): "
		    "your server read them and never handed them back; send() took only part "
		    "of each chunk and the rest was dropped"), lost);
	else
		snprintf(v->why, sizeof(v->why), _("%s bytes sit unread in your server's receive "
		    "queue and %s unsent in its send queue, and nothing moves: %s"),
		    figure_count((long)s->unread, unread, sizeof(unread)),
		    figure_count((long)s->unsent, unsent, sizeof(unsent)), threads);
}

static void probe_large(struct check *c, struct verdict *v)
{
	unsigned char *out = malloc(LARGE), *in = malloc(LARGE);
	char sent[FIGURE_SIZE], came[FIGURE_SIZE], took[FIGURE_SIZE];
	long start = probe_now_ms();
	enum probe_end end = PROBE_RESET;
	size_t got = 0;
	int fd = probe_dial(&c->target, SMALL_RCVBUF);

	if (out != NULL && in != NULL && fd != -1 && probe_connected(fd, ANSWER_MS) == 0) {
		fill_random(out, LARGE);
		end = probe_exchange(fd, out, LARGE, in, LARGE, &got, ANSWER_MS);
	}
	figure_count(LARGE, sent, sizeof(sent));
	figure_count((long)got, came, sizeof(came));
	if (end == PROBE_DONE && memcmp(in, out, LARGE) == 0) {
		seen(v, 1, _("%s bytes sent in one go, all came back in order, in %s s"), sent,
		    figure_fixed((probe_now_ms() - start) / 1000.0, 1, took, sizeof(took)));
	} else if (end == PROBE_DONE) {
		seen(v, 0, _("%s bytes sent, %s came back, but not the same bytes"), sent, came);
		snprintf(v->why, sizeof(v->why), _("the bytes came back changed or out of order"));
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_echo));
	} else if (end != PROBE_STOPPED) {
		seen(v, 0, _("%s bytes sent, %s came back%s"), sent, came,
		    end == PROBE_TIMEOUT ? _(" (then nothing for 2 s)") :
		    end == PROBE_EOF ? _(", then the server closed the connection") :
		    _(", then the connection was reset"));
		if (fd != -1)
			explain_large(c, v, fd, got);
		else
			snprintf(v->hint, sizeof(v->hint), "%s", _(hint_sendall));
	}
	if (fd != -1)
		close(fd);
	free(out);
	free(in);
}

/* ---- concurrent: a silent first client, a talking second one ---- */

/* Until the server has accept()ed the client at 'peer' (the kernel's view). */
static void wait_accepted(struct check *c, const char *peer)
{
	long end = probe_now_ms() + ANSWER_MS;
	int queued = 1;

	while (probe_now_ms() < end && !stop_requested) {
		if (why_snapshot(c) == -1) {
			pause_ms(200);	/* cannot see it: give the server a moment */
			return;
		}
		if (why_connection(c, peer, &queued) != NULL && !queued)
			return;
		pause_ms(10);
	}
}

static void concurrent_verdict(struct check *c, struct verdict *v, int answered, long ms,
    int later, long after_ms, const struct role roles[2])
{
	char waited[FIGURE_SIZE], after[FIGURE_SIZE];

	figure_fixed(CONCURRENT_MS / 1000.0, 1, waited, sizeof(waited));
	figure_fixed(AFTER_LEAVE_MS / 1000.0, 1, after, sizeof(after));
	if (!c->sequential && answered) {
		seen(v, 1, _("the second client was answered in %ld ms while the first stayed "
		    "connected and silent"), ms);
	} else if (!c->sequential) {
		seen(v, 0, _("the second client waited %s s and got nothing while the first "
		    "stayed connected and silent"), waited);
		snprintf(v->hint, sizeof(v->hint), "%s", _(c->unread ? hint_workers :
		    hint_threads));
	} else if (answered) {
		seen(v, 0, _("the second client was answered in %ld ms while the first was still "
		    "connected"), ms);
		snprintf(v->why, sizeof(v->why), _("you expected a sequential server, but yours "
		    "serves two clients at once: it is concurrent already"));
		snprintf(v->hint, sizeof(v->hint), _("this is the next step's server: run netlab "
		    "check without --expect sequential"));
	} else if (later) {
		seen(v, 1, _("the second client waited %s s while the first was connected, and "
		    "was answered %ld ms after the first left: sequential, as expected"),
		    waited, after_ms);
	} else {
		seen(v, 0, _("the second client waited %s s while the first was connected, and "
		    "still got nothing %s s after the first left"), waited, after);
		why_no_answer(c, roles[1].peer, roles[1].label, roles, 2, v->why, sizeof(v->why));
		snprintf(v->hint, sizeof(v->hint), _("when recv() returns b'' the client has left: "
		    "close its socket and go back to accept() for the next one"));
	}
}

static void probe_concurrent(struct check *c, struct verdict *v)
{
	char first[80], second[80], in[LINE_LEN];
	struct role roles[2] = {
		{ first, _("the first client") }, { second, _("the second client") }
	};
	size_t got = 0, more;
	long start, left = 0;
	int a, b, answered, later = 0;

	a = probe_connect(&c->target, ANSWER_MS);
	if (a == -1) {
		seen(v, 0, _("cannot connect: %s"), strerror(errno));
		why_gone(c, v->why, sizeof(v->why));
		return;
	}
	probe_local_name(a, first, sizeof(first));
	wait_accepted(c, first);
	start = probe_now_ms();
	b = probe_connect(&c->target, ANSWER_MS);
	if (b == -1) {
		seen(v, 0, _("the second client could not connect while the first stayed "
		    "connected: %s"), strerror(errno));
		why_gone(c, v->why, sizeof(v->why));
		close(a);
		return;
	}
	probe_local_name(b, second, sizeof(second));
	probe_exchange(b, LINE, LINE_LEN, in, LINE_LEN, &got, CONCURRENT_MS);
	answered = got == LINE_LEN;
	/* The why is taken now, while the second client waits and the first stays. */
	if (!answered && !c->sequential)
		why_no_answer(c, second, _("the second client"), roles, 2, v->why, sizeof(v->why));
	if (!answered && !c->sequential && why_sequential(c, first))
		strncat(v->why, _(": it is sequential"), sizeof(v->why) - strlen(v->why) - 1);
	close(a);	/* the first client leaves: a sequential server turns to the second */
	if (!answered) {
		left = probe_now_ms();
		later = probe_exchange(b, NULL, 0, in + got, LINE_LEN - got, &more,
		    AFTER_LEAVE_MS) == PROBE_DONE;
		left = probe_now_ms() - left;
	}
	if (!stop_requested)
		concurrent_verdict(c, v, answered, probe_now_ms() - start, later, left, roles);
	close(b);
}

/* ---- many: a crowd at once ---- */

enum crowd_state { DIALING, WAITING, ANSWERED, REFUSED, BROKEN };

struct crowd {
	int fd[MANY];
	enum crowd_state state[MANY];
	long dialed[MANY];		/* when its connect started */
	size_t got[MANY];
	int count[BROKEN + 1];		/* how many clients are in each state */
	int redials;
};

static void crowd_move(struct crowd *k, int i, enum crowd_state to)
{
	k->count[k->state[i]]--;
	k->state[i] = to;
	k->count[to]++;
	if (to != DIALING && to != WAITING && k->fd[i] != -1) {
		close(k->fd[i]);
		k->fd[i] = -1;
	}
}

/* Client i's connect finished (or not): send its line, or say what happened. */
static void crowd_connected(struct crowd *k, int i)
{
	int err = 0;
	socklen_t len = sizeof(err);

	(void)getsockopt(k->fd[i], SOL_SOCKET, SO_ERROR, &err, &len);
	if (err == ECONNREFUSED) {
		crowd_move(k, i, REFUSED);
	} else if (err != 0 || send(k->fd[i], LINE, LINE_LEN, MSG_NOSIGNAL) != (ssize_t)LINE_LEN) {
		crowd_move(k, i, BROKEN);
	} else {
		k->state[i] = WAITING;
		k->count[DIALING]--;
		k->count[WAITING]++;
	}
}

/*
 * A connect the kernel has not finished in REDIAL_MS: the server's accept
 * queue was full and the kernel dropped our SYN; it would try again only
 * after 1 s, 3 s, 7 s... A client with a connect timeout dials again.
 */
static void crowd_redial(struct crowd *k, int i, const struct probe_target *t)
{
	close(k->fd[i]);
	k->fd[i] = probe_dial(t, 0);
	k->dialed[i] = probe_now_ms();
	k->redials++;
	if (k->fd[i] == -1)
		crowd_move(k, i, BROKEN);
}

static void crowd_read(struct crowd *k, int i)
{
	char in[LINE_LEN];
	ssize_t n = recv(k->fd[i], in, LINE_LEN - k->got[i], 0);

	if (n > 0 && memcmp(in, LINE + k->got[i], (size_t)n) != 0)
		crowd_move(k, i, BROKEN);
	else if (n > 0 && (k->got[i] += (size_t)n) == LINE_LEN)
		crowd_move(k, i, ANSWERED);	/* its answer came: it leaves */
	else if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		crowd_move(k, i, BROKEN);
}

/* One round: wait for any client's event, then handle each one that has one. */
static void crowd_round(struct crowd *k, const struct probe_target *t)
{
	struct pollfd p[MANY];
	int slot[MANY], n = 0;

	for (int i = 0; i < MANY; i++) {
		if (k->state[i] != DIALING && k->state[i] != WAITING)
			continue;
		p[n].fd = k->fd[i];
		p[n].events = k->state[i] == DIALING ? POLLOUT : POLLIN;
		slot[n++] = i;
	}
	if (poll(p, (nfds_t)n, 50) <= 0)
		n = 0;			/* a timeout or EINTR: only the redials below */
	for (int j = 0; j < n; j++) {
		int i = slot[j];

		if (p[j].revents == 0)
			continue;
		if (k->state[i] == DIALING)
			crowd_connected(k, i);
		else
			crowd_read(k, i);
	}
	for (int i = 0; i < MANY; i++)
		if (k->state[i] == DIALING && probe_now_ms() - k->dialed[i] > REDIAL_MS)
			crowd_redial(k, i, t);
}

static void probe_many(struct check *c, struct verdict *v)
{
	static struct crowd k;
	long start = probe_now_ms();
	char threads[384], took[FIGURE_SIZE];

	memset(&k, 0, sizeof(k));
	for (int i = 0; i < MANY; i++) {
		k.fd[i] = probe_dial(&c->target, 0);
		k.dialed[i] = start;
		k.count[DIALING]++;
		if (k.fd[i] == -1)
			crowd_move(&k, i, BROKEN);
	}
	while (k.count[DIALING] + k.count[WAITING] > 0 && !stop_requested &&
	    probe_now_ms() - start < MANY_MS)
		crowd_round(&k, &c->target);
	if (k.count[ANSWERED] == MANY) {
		char again[96] = "";

		if (k.redials > 0)
			snprintf(again, sizeof(again), ngettext(" (%d connect dialed again "
			    "after %d ms: the accept queue was full)", " (%d connects dialed "
			    "again after %d ms: the accept queue was full)", k.redials), k.redials, REDIAL_MS);
		seen(v, 1, _("%d of %d clients answered, in %s s%s"), MANY, MANY,
		    figure_fixed((probe_now_ms() - start) / 1000.0, 1, took, sizeof(took)), again);
	} else if (!stop_requested) {
		seen(v, 0, _("%d of %d clients answered in %s s: %d refused, %d reset or "
		    "closed or answered wrongly, %d still waiting"), k.count[ANSWERED], MANY,
		    figure_fixed((probe_now_ms() - start) / 1000.0, 1, took, sizeof(took)), k.count[REFUSED], k.count[BROKEN],
		    k.count[DIALING] + k.count[WAITING]);
		if (!why_gone(c, v->why, sizeof(v->why)) && why_snapshot(c) == 0) {
			why_threads(c, NULL, 0, threads, sizeof(threads));
			snprintf(v->why, sizeof(v->why), ngettext("%zu client sat in the "
			    "kernel's accept queue (backlog %lu) and %zu were accepted, while %s",
			    "%zu clients sat in the kernel's accept queue (backlog %lu) and %zu "
			    "were accepted, while %s",
			    c->view.nqueued), c->view.nqueued,
			    c->view.listener.unsent, c->view.nconns, threads);
		}
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_survive));
	}
	for (int i = 0; i < MANY; i++)
		if (k.fd[i] != -1)
			close(k.fd[i]);
}

/* ---- rude: clients that reset mid-answer, one that half-closes ---- */

/* Sends a lot, waits for the answer to start, then resets: 0, or -1 cannot connect. */
static int rude_reset(const struct probe_target *t)
{
	static unsigned char lots[RUDE_SIZE];
	size_t sent = 0;
	ssize_t n;
	int fd = probe_dial(t, SMALL_RCVBUF);

	if (fd == -1 || probe_connected(fd, ANSWER_MS) == -1) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	memset(lots, 'x', sizeof(lots));
	while (sent < sizeof(lots) && (n = send(fd, lots + sent, sizeof(lots) - sent,
	    MSG_NOSIGNAL)) > 0)
		sent += (size_t)n;
	(void)probe_readable(fd, ANSWER_MS);	/* the answer has begun (or 2 s passed) */
	probe_reset(fd);
	return 0;
}

/* The half-closed client: its whole echo, then the end of the stream. */
static int rude_half_close(const struct probe_target *t, char *seen_text, size_t size)
{
	char in[LINE_LEN];
	size_t got = 0, extra = 0;
	enum probe_end end;
	int fd = probe_connect(t, ANSWER_MS);

	if (fd == -1) {
		snprintf(seen_text, size, _("the next client could not connect: %s"),
		    strerror(errno));
		return -1;
	}
	if (send(fd, LINE, LINE_LEN, MSG_NOSIGNAL) != (ssize_t)LINE_LEN ||
	    shutdown(fd, SHUT_WR) == -1) {
		snprintf(seen_text, size, _("the half-closing client could not send: %s"),
		    strerror(errno));
		close(fd);
		return -1;
	}
	end = probe_exchange(fd, NULL, 0, in, LINE_LEN, &got, ANSWER_MS);
	if (end == PROBE_DONE)
		end = probe_wait_eof(fd, ANSWER_MS, &extra);
	close(fd);
	if (end == PROBE_EOF && got == LINE_LEN && extra == 0)
		return 0;
	if (got < LINE_LEN)
		snprintf(seen_text, size, _("a client that sent a line and half-closed got %zu of "
		    "its %zu bytes back"), got, LINE_LEN);
	else
		snprintf(seen_text, size, _("a client that sent a line and half-closed got its "
		    "echo%s, but %s"), extra > 0 ? _(" and more") : "",
		    end == PROBE_TIMEOUT ? _("the stream never ended") : _("then a reset"));
	return -1;
}

static void probe_rude(struct check *c, struct verdict *v)
{
	char what[200];
	int resets = 0, gone;

	for (int i = 0; i < RUDE_RESETS && !stop_requested; i++)
		resets += rude_reset(&c->target) == 0;
	if (stop_requested)
		return;
	if (rude_half_close(&c->target, what, sizeof(what)) == -1) {
		seen(v, 0, ngettext("after %d client reset mid-answer, %s",
		    "after %d clients reset mid-answer, %s", resets), resets, what);
		gone = why_gone(c, v->why, sizeof(v->why));
		if (!gone)
			snprintf(v->why, sizeof(v->why), _("a client that half-closes (shutdown) "
			    "still reads: recv() returning b'' means it sent everything, so "
			    "answer all of it, then close the connection"));
		snprintf(v->hint, sizeof(v->hint), "%s", _(gone ? hint_survive : hint_close));
		return;
	}
	echo_exchange(c, v, LINE, LINE_LEN, _("a new client's line"), why_changed);
	if (v->ok)
		seen(v, 1, ngettext("%d client reset mid-answer, a half-closed one got its "
		    "whole echo and the end of the stream, and a new client was answered",
		    "%d clients reset mid-answer, a half-closed one got its whole echo and the "
		    "end of the stream, and a new client was answered", resets), resets);
	else if (!stop_requested)
		snprintf(v->hint, sizeof(v->hint), "%s", _(hint_survive));
}

/* ---- no-leak: 200 clients come and go; what stays behind? ---- */

static int come_and_go(const struct probe_target *t, int clients)
{
	char in[LINE_LEN];
	size_t got;
	int fd, done = 0;

	for (int i = 0; i < clients && !stop_requested; i++) {
		fd = probe_connect(t, ANSWER_MS);
		if (fd == -1)
			break;
		if (probe_exchange(fd, LINE, LINE_LEN, in, LINE_LEN, &got, ANSWER_MS) ==
		    PROBE_DONE)
			done++;
		close(fd);
	}
	return done;
}

static void probe_no_leak(struct check *c, struct verdict *v)
{
	int fds0, threads0, fds = 0, threads = 0, done;
	long end;
	char threads_text[384], open_text[400];

	switch (why_count(c, &fds0, &threads0)) {
	case -1:
		seen(v, 1, _("skipped (counts as held): the server's process cannot be read "
		    "in /proc (another user's?)"));
		return;
	case -2:
		seen(v, 0, _("not run: nothing listens on port %d any more"), c->port);
		why_gone(c, v->why, sizeof(v->why));
		return;
	}
	done = come_and_go(&c->target, LEAK_CLIENTS);
	/* The server may still be closing the last ones: let the counts settle. */
	end = probe_now_ms() + SETTLE_MS;
	while (why_count(c, &fds, &threads) == 0 && probe_now_ms() < end &&
	    (fds - fds0 > LEAK_SLACK || threads - threads0 > LEAK_SLACK))
		if (pause_ms(100) == -1)
			return;
	if (done == LEAK_CLIENTS && fds - fds0 <= LEAK_SLACK && threads - threads0 <= LEAK_SLACK) {
		seen(v, 1, _("after %d clients came and went: descriptors %d -> %d, threads "
		    "%d -> %d"), LEAK_CLIENTS, fds0, fds, threads0, threads);
		return;
	}
	seen(v, 0, _("after %d of %d clients came and went: descriptors %d -> %d, threads "
	    "%d -> %d"), done, LEAK_CLIENTS, fds0, fds, threads0, threads);
	snprintf(v->hint, sizeof(v->hint), "%s", _(hint_close));
	if (why_gone(c, v->why, sizeof(v->why)))
		return;
	why_threads(c, NULL, 0, threads_text, sizeof(threads_text));
	if (why_left_open(c, open_text, sizeof(open_text)) > 0)
		snprintf(v->why, sizeof(v->why), "%s", open_text);
	else if (threads - threads0 > LEAK_SLACK)
		snprintf(v->why, sizeof(v->why), ngettext("%d thread stayed alive after its client "
		    "left: %s", "%d threads stayed alive after their clients left: %s",
		    threads - threads0), threads - threads0, threads_text);
	else
		snprintf(v->why, sizeof(v->why), ngettext("%d descriptor stayed open after the "
		    "clients left (not a socket to them: a file, a pipe or a socket elsewhere)",
		    "%d descriptors stayed open after the clients left (not sockets to them: "
		    "files, pipes or sockets elsewhere)", fds - fds0), fds - fds0);
}

/* ---- the order ---- */

static const struct property {
	const char *name;
	void (*probe)(struct check *c, struct verdict *v);
	int needs;		/* the earlier property that must have held; -1 none */
} properties[CHECK_PROPERTIES] = {
	{ "listens", probe_listens, -1 },
	{ "echo", probe_echo, 0 },
	{ "binary", probe_binary, 1 },
	{ "large", probe_large, 1 },
	{ "concurrent", probe_concurrent, 1 },
	{ "many", probe_many, 1 },
	{ "rude", probe_rude, 1 },
	{ "no-leak", probe_no_leak, 1 },
};

int check_property(struct check *c, int i, struct verdict v[CHECK_PROPERTIES])
{
	const struct property *p = &properties[i];

	memset(&v[i], 0, sizeof(v[i]));
	v[i].name = p->name;
	if (p->needs >= 0 && !v[p->needs].ok) {
		seen(&v[i], 0, _("not run: it needs '%s', which failed"),
		    properties[p->needs].name);
		snprintf(v[i].why, sizeof(v[i].why), _("this probe needs a server that passes "
		    "'%s'; fix that first"), properties[p->needs].name);
		v[i].not_run = 1;
		return 0;
	}
	p->probe(c, &v[i]);
	return stop_requested ? -1 : 0;
}
