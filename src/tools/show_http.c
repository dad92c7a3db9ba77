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
 */
#include <errno.h>
#include <pthread.h>
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

/* One snapshot as an SSE message, shared by every stream sending it. */
struct snapshot {
	int refs;		/* the server's, and each stream's that sends it */
	size_t len;		/* "data: " JSON "\n\n" */
	char text[];
};

/* One browser's event stream. */
struct stream {
	struct show_http *h;
	struct MHD_Connection *conn;
	struct snapshot *snap;	/* what it is sending now, or NULL */
	size_t sent;		/* bytes of snap already handed over */
	unsigned long seen;	/* the generation of snap */
	int suspended;
	struct stream *next, *prev;
};

struct show_http {
	struct MHD_Daemon *daemon;
	const char *page;
	size_t page_len;
	char csp[256];

	pthread_mutex_t lock;	/* guards everything below */
	struct snapshot *latest;
	unsigned long generation;	/* one more per publish */
	struct stream *streams;
	size_t nstreams;
	int stopping;
};

static struct snapshot *snapshot_new(const char *json)
{
	size_t len = strlen(json);
	struct snapshot *s = malloc(sizeof(*s) + sizeof(SSE_HEAD) + len + sizeof(SSE_TAIL));

	if (s == NULL)
		return NULL;
	s->refs = 1;
	s->len = (size_t)sprintf(s->text, "%s%s%s", SSE_HEAD, json, SSE_TAIL);
	return s;
}

static void snapshot_release(struct snapshot *s)
{
	if (s != NULL && --s->refs == 0)
		free(s);
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
		s->snap = h->latest;
		s->snap->refs++;
		s->sent = 0;
		s->seen = h->generation;
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
	enum MHD_Result ret;

	pthread_mutex_lock(&h->lock);
	s = h->latest;
	s->refs++;
	pthread_mutex_unlock(&h->lock);
	/* The JSON inside the SSE message, copied: the snapshot may go meanwhile. */
	ret = send_buffer(conn, MHD_HTTP_OK, "application/json", s->text + strlen(SSE_HEAD),
	    s->len - strlen(SSE_HEAD) - strlen(SSE_TAIL), MHD_RESPMEM_MUST_COPY);
	pthread_mutex_lock(&h->lock);
	snapshot_release(s);
	pthread_mutex_unlock(&h->lock);
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

	if (h == NULL || (h->latest = snapshot_new(json)) == NULL) {
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

int show_http_publish(struct show_http *h, const char *json)
{
	struct snapshot *s = snapshot_new(json);

	if (s == NULL)
		return -1;
	pthread_mutex_lock(&h->lock);
	snapshot_release(h->latest);
	h->latest = s;
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
	pthread_mutex_destroy(&h->lock);
	free(h);
}
