/*
 * show_http.h - the web server of 'netlab show', through GNU libmicrohttpd:
 * GET / the page, GET /state.json the latest snapshot with the server's
 * log so far, GET /events the snapshots as a Server-Sent Events stream,
 * each with the log's lines new since the one before; HEAD where GET is
 * allowed, any other method 405, any other path 404.
 *
 * A snapshot is built once per tick and shared: every browser's stream
 * sends the same bytes, so forty browsers cost forty socket writes and
 * nothing more. A stream that has sent the latest snapshot is suspended
 * (it costs no polling) until the next one is published.
 */
#ifndef NETLAB_SHOW_HTTP_H
#define NETLAB_SHOW_HTTP_H

#include <stddef.h>

struct show_http;

/*
 * Serves on listen_fd (bound and listening; the server owns it from now
 * on) the page, page_len bytes, kept by the caller until show_http_stop(),
 * with nonce as the script's Content-Security-Policy nonce. The first
 * snapshot is the JSON text json (an object with at least one key), with
 * no lines of the log yet. NULL with errno when it cannot start.
 */
struct show_http *show_http_start(int listen_fd, const char *page, size_t page_len,
    const char *nonce, const char *json);

/*
 * A new snapshot for /state.json and every stream: json as for
 * show_http_start(), and the server's nlines lines new since the last one,
 * as JSON objects joined by commas (both copied). Every message gets the
 * keys "events" (its lines), "events_first" (the number of the first,
 * counting from 0 since show started) and "events_dropped" (how many of
 * the oldest lines are no longer kept). 0, or -1 no memory.
 */
int show_http_publish(struct show_http *h, const char *json, const char *lines, size_t nlines);

/* The latest snapshot again, to every stream: a heartbeat that finds browsers gone. */
void show_http_republish(struct show_http *h);

/* How many event streams (browsers) are open now. */
size_t show_http_streams(struct show_http *h);

/* Every stream ended, the listening socket closed, everything freed. */
void show_http_stop(struct show_http *h);

#endif
