/*
 * show_http.c - the web server of 'netlab show': libmicrohttpd's own
 * thread polls every browser's socket; the tick (show.c) only hands it a
 * new snapshot.
 *
 * An event stream is a response without an end: libmicrohttpd asks
 * stream_read() for the next bytes whenever the browser's socket can take
 * them. When the stream has sent the latest snapshot there is nothing to
 * give, so it suspends its connection (libmicrohttpd stops polling that
 * socket) and returns 0; publishing the next snapshot resumes every
 * suspended stream, under the same lock, so no snapshot is missed. A
 * browser that went away is found when its socket next refuses a write (at
 * the latest on the next snapshot or heartbeat): libmicrohttpd closes the
 * connection, and stream_done() forgets the stream.
 *
 * The server's log grows without end, so a snapshot's message carries only
 * the lines new since the one before: the page appends them. The log so far
 * is kept here, as the JSON text each snapshot brought (a chunk per
 * snapshot); /state.json, and the first message of a browser that has not
 * seen every line (a new one, or one too slow to take every snapshot),
 * hold the whole log. Each line has a number, counted from 0 since show
 * started: a message's "events_first" is its first line's, so a page that
 * is sent a line twice shows it once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "show_http.h"

#define SSE_HEAD "data: "
#define SSE_TAIL "\n\n"
#define BROWSERS_MAX 500	/* connections at once; a class is 40 */
#define IDLE_S 60		/* a silent page or state.json connection is closed */
/*
 * The log's lines kept: at least the last LOG_LINES, fewer than LOG_LINES
 * and one snapshot's more (a chunk goes whole). At a hundred bytes a line,
 * ten megabytes: a server that prints for hours loses its oldest lines, and
 * every message says how many ("events_dropped").
 */
#define LOG_LINES 100000

/* One snapshot as an SSE message, shared by every stream sending it. */
struct snapshot {
	atomic_int refs;	/* the server's, each stream's that sends it, each
				   state.json response's; lock-free: released by
				   libmicrohttpd's callback too */
	size_t len;		/* "data: " JSON "\n\n" */
	size_t head_len;	/* "data: " and the JSON before its log's keys */
	unsigned long first, end;	/* the numbers of the lines it holds: [first, end) */
	char text[];
};

/* The lines one snapshot brought, as JSON objects joined by commas. */
struct chunk {
	struct chunk *next;
	size_t nlines, len;
	char text[];
};

/* One browser's event stream. */
struct stream {
	struct show_http *h;
	struct MHD_Connection *conn;
	struct snapshot *snap;	/* what it is sending now, or NULL */
	size_t sent;		/* bytes of snap already handed over */
	unsigned long seen;	/* the generation of snap */
	unsigned long lines;	/* the lines sent so far: line numbers [0, lines) */
	int suspended;
	struct stream *next, *prev;
};

struct show_http {
	struct MHD_Daemon *daemon;
	const char *page;
	size_t page_len;
	char csp[256];

	pthread_mutex_t lock;	/* guards everything below */
	struct snapshot *latest;	/* the lines new since the snapshot before */
	struct snapshot *whole;		/* the same with the whole log; NULL until asked for */
	struct chunk *log, *log_last;	/* the log so far, oldest first */
	unsigned long log_lines, log_dropped;	/* lines kept; lines forgotten */
	unsigned long generation;	/* one more per publish */
	struct stream *streams;
	size_t nstreams;
	int stopping;
};

/* The length the log's keys take in a message, at most: two numbers and the brackets. */
#define LOG_KEYS_MAX (sizeof(",\"events_first\":,\"events_dropped\":,\"events\":[]}") + 2 * 20)

/*
 * A message: "data: ", the snapshot's JSON (json_len bytes, without its
 * closing brace), then its log's keys, the lines of the chunks from 'from'
 * on (only 'from' when !all), first being the number of the first of them.
 */
static struct snapshot *snapshot_new(const char *json, size_t json_len, unsigned long first,
    unsigned long dropped, const struct chunk *from, int all)
{
	size_t len = sizeof(SSE_HEAD) + json_len + LOG_KEYS_MAX + sizeof(SSE_TAIL);
	const struct chunk *c;
	struct snapshot *s;
	char *to;

	for (c = from; c != NULL; c = all ? c->next : NULL)
		len += c->len + 1;
	if ((s = malloc(sizeof(*s) + len)) == NULL)
		return NULL;
	atomic_init(&s->refs, 1);
	s->head_len = (size_t)sprintf(s->text, "%s%.*s", SSE_HEAD, (int)json_len, json);
	to = s->text + s->head_len;
	to += sprintf(to, ",\"events_first\":%lu,\"events_dropped\":%lu,\"events\":[", first,
	    dropped);
	s->first = s->end = first;
	for (c = from; c != NULL; c = all ? c->next : NULL) {
		if (c->nlines == 0)
			continue;
		if (s->end > first)
			*to++ = ',';
		memcpy(to, c->text, c->len);
		to += c->len;
		s->end += c->nlines;
	}
	s->len = (size_t)(to - s->text) + (size_t)sprintf(to, "]}%s", SSE_TAIL);
	return s;
}

static void snapshot_release(struct snapshot *s)
{
	if (s != NULL && atomic_fetch_sub(&s->refs, 1) == 1)
		free(s);
}

static void snapshot_release_cb(void *cls)
{
	snapshot_release(cls);
}

/*
 * Under the lock: the latest snapshot with the whole log, built the first
 * time someone asks for it (a new browser, /state.json), then shared until
 * the next snapshot. NULL out of memory.
 */
static struct snapshot *whole(struct show_http *h)
{
	const struct snapshot *l = h->latest;

	if (h->whole == NULL)
		h->whole = snapshot_new(l->text + strlen(SSE_HEAD), l->head_len - strlen(SSE_HEAD),
		    h->log_dropped, h->log_dropped, h->log, 1);
	if (h->whole != NULL)
		atomic_fetch_add(&h->whole->refs, 1);
	return h->whole;
}

/* Under the lock: the message this stream needs next, with a reference for it. */
static struct snapshot *next_for(struct show_http *h, const struct stream *s)
{
	struct snapshot *next = NULL;

	/* It has not seen every line before the latest's: the whole log. */
	if (s->lines < h->latest->first)
		next = whole(h);
	if (next == NULL) {	/* no memory for that: the new lines only */
		next = h->latest;
		atomic_fetch_add(&next->refs, 1);
	}
	return next;
}

/*
 * The browser's socket can take up to max bytes: the rest of the snapshot
 * being sent, else the latest one if it is new, else nothing yet (suspend).
 */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct show_http *h = s->h;
	ssize_t n = 0;

	(void)pos;
	pthread_mutex_lock(&h->lock);
	if ((s->snap == NULL || s->sent == s->snap->len) && !h->stopping &&
	    s->seen != h->generation) {
		snapshot_release(s->snap);
		s->snap = next_for(h, s);
		s->sent = 0;
		s->seen = h->generation;
		if (s->snap->end > s->lines)
			s->lines = s->snap->end;
	}
	if (h->stopping) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else if (s->sent < s->snap->len) {
		n = (ssize_t)(s->snap->len - s->sent < max ? s->snap->len - s->sent : max);
		memcpy(buf, s->snap->text + s->sent, (size_t)n);
		s->sent += (size_t)n;
	} else {
		/* All sent: stop polling this socket until the next snapshot. */
		MHD_suspend_connection(s->conn);
		s->suspended = 1;
	}
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* The connection is over (browser gone, or show stopping): forget the stream. */
static void stream_done(void *cls)
{
	struct stream *s = cls;
	struct show_http *h = s->h;

	pthread_mutex_lock(&h->lock);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->streams = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	h->nstreams--;
	snapshot_release(s->snap);
	pthread_mutex_unlock(&h->lock);
	free(s);
}

static void add_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static enum MHD_Result send_buffer(struct MHD_Connection *conn, unsigned code,
    const char *type, const char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;	/* out of memory: libmicrohttpd closes the connection */
	add_headers(r, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);	/* the connection keeps its own reference */
	return ret;
}

static enum MHD_Result send_page(struct show_http *h, struct MHD_Connection *conn)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(h->page_len, (void *)h->page,
	    MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	add_headers(r, "text/html; charset=utf-8");
	/* Only the page's own script runs: a student's markup, if it ever got in, would not. */
	MHD_add_response_header(r, "Content-Security-Policy", h->csp);
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_state(struct show_http *h, struct MHD_Connection *conn)
{
	struct snapshot *s;
	struct MHD_Response *r;
	enum MHD_Result ret;

	pthread_mutex_lock(&h->lock);
	s = whole(h);
	pthread_mutex_unlock(&h->lock);
	if (s == NULL)
		return MHD_NO;	/* out of memory: libmicrohttpd closes the connection */
	/* The JSON inside the SSE message; the reference goes when the response does. */
	r = MHD_create_response_from_buffer_with_free_callback_cls(
	    s->len - strlen(SSE_HEAD) - strlen(SSE_TAIL), s->text + strlen(SSE_HEAD),
	    snapshot_release_cb, s);
	if (r == NULL) {
		snapshot_release(s);
		return MHD_NO;
	}
	add_headers(r, "application/json");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_stream(struct show_http *h, struct MHD_Connection *conn)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (s == NULL)
		return MHD_NO;
	s->h = h;
	s->conn = conn;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s,
	    stream_done);
	if (r == NULL) {
		free(s);
		return MHD_NO;
	}
	add_headers(r, "text/event-stream");
	pthread_mutex_lock(&h->lock);
	s->next = h->streams;
	if (h->streams != NULL)
		h->streams->prev = s;
	h->streams = s;
	h->nstreams++;
	pthread_mutex_unlock(&h->lock);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);	/* stream_done() runs when the connection ends */
	return ret;
}

/* Every request: the path first (404), then the method (405). */
static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct show_http *h = cls;
	int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
	static const char not_found[] = "not found: try /, /state.json or /events\n";
	static const char not_allowed[] = "only GET and HEAD\n";

	(void)version, (void)upload_data, (void)upload_data_size, (void)con_cls;
	if (strcmp(url, "/") != 0 && strcmp(url, "/state.json") != 0 &&
	    strcmp(url, "/events") != 0)
		return send_buffer(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8",
		    not_found, strlen(not_found), MHD_RESPMEM_PERSISTENT);
	if (!get && !head)
		return send_buffer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
		    not_allowed, strlen(not_allowed), MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/") == 0)
		return send_page(h, conn);	/* HEAD: libmicrohttpd sends no body */
	if (strcmp(url, "/state.json") == 0)
		return send_state(h, conn);
	if (head)	/* the stream's headers, and no stream */
		return send_buffer(conn, MHD_HTTP_OK, "text/event-stream", "", 0,
		    MHD_RESPMEM_PERSISTENT);
	return send_stream(h, conn);
}

struct show_http *show_http_start(int listen_fd, const char *page, size_t page_len,
    const char *nonce, const char *json)
{
	struct show_http *h = calloc(1, sizeof(*h));

	if (h == NULL || (h->latest = snapshot_new(json, strlen(json) - 1, 0, 0, NULL, 0)) == NULL) {
		free(h);
		close(listen_fd);
		errno = ENOMEM;
		return NULL;
	}
	h->page = page;
	h->page_len = page_len;
	snprintf(h->csp, sizeof(h->csp), "default-src 'none'; script-src 'nonce-%s'; "
	    "style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'",
	    nonce);
	h->generation = 1;
	pthread_mutex_init(&h->lock, NULL);
	/*
	 * One internal thread polls every connection (epoll where there is
	 * one); suspend and resume need its wake-up pipe (MHD_USE_ITC).
	 */
	h->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME,
	    0, NULL, NULL, answer, h,
	    MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)BROWSERS_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_S,
	    MHD_OPTION_END);
	if (h->daemon == NULL) {
		close(listen_fd);
		snapshot_release(h->latest);
		pthread_mutex_destroy(&h->lock);
		free(h);
		errno = EIO;
		return NULL;
	}
	return h;
}

/* Under the lock: every stream waiting for a snapshot gets polled again. */
static void resume_all(struct show_http *h)
{
	for (struct stream *s = h->streams; s != NULL; s = s->next)
		if (s->suspended) {
			s->suspended = 0;
			MHD_resume_connection(s->conn);
		}
}

/* Under the lock: the chunk at the log's end; the oldest go while LOG_LINES remain without them. */
static void log_append(struct show_http *h, struct chunk *c)
{
	if (h->log_last != NULL)
		h->log_last->next = c;
	else
		h->log = c;
	h->log_last = c;
	h->log_lines += c->nlines;
	while (h->log_lines - h->log->nlines >= LOG_LINES) {
		struct chunk *oldest = h->log;

		h->log = oldest->next;
		h->log_lines -= oldest->nlines;
		h->log_dropped += oldest->nlines;
		free(oldest);
	}
}

int show_http_publish(struct show_http *h, const char *json, const char *lines, size_t nlines)
{
	size_t len = strlen(lines);
	struct chunk *c = malloc(sizeof(*c) + len);
	struct snapshot *s;

	if (c == NULL)
		return -1;
	c->next = NULL;
	c->nlines = nlines;
	c->len = len;
	memcpy(c->text, lines, len);
	pthread_mutex_lock(&h->lock);
	s = snapshot_new(json, strlen(json) - 1, h->log_dropped + h->log_lines, h->log_dropped,
	    c, 0);
	if (s == NULL) {
		pthread_mutex_unlock(&h->lock);
		free(c);
		return -1;
	}
	if (nlines > 0)
		log_append(h, c);
	else
		free(c);
	snapshot_release(h->latest);
	h->latest = s;
	snapshot_release(h->whole);	/* built again when someone asks */
	h->whole = NULL;
	h->generation++;
	resume_all(h);
	pthread_mutex_unlock(&h->lock);
	return 0;
}

void show_http_republish(struct show_http *h)
{
	pthread_mutex_lock(&h->lock);
	h->generation++;
	resume_all(h);
	pthread_mutex_unlock(&h->lock);
}

size_t show_http_streams(struct show_http *h)
{
	size_t n;

	pthread_mutex_lock(&h->lock);
	n = h->nstreams;
	pthread_mutex_unlock(&h->lock);
	return n;
}

void show_http_stop(struct show_http *h)
{
	/* Suspended streams are resumed first: they end, as the library requires. */
	pthread_mutex_lock(&h->lock);
	h->stopping = 1;
	resume_all(h);
	pthread_mutex_unlock(&h->lock);
	MHD_stop_daemon(h->daemon);	/* closes every connection and the listener */
	snapshot_release(h->latest);
	snapshot_release(h->whole);
	while (h->log != NULL) {
		struct chunk *next = h->log->next;

		free(h->log);
		h->log = next;
	}
	pthread_mutex_destroy(&h->lock);
	free(h);
}
