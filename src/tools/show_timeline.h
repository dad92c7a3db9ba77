/*
 * show_timeline.h - what 'netlab show' remembers: each thread's lane and
 * each client's lane over time, built from the kernel's view (kernel.h)
 * one look at a time, and the server's log lines when show started it.
 *
 * A lane is a list of spans, [from, to) seconds since show started, each
 * one word: for a thread, watch's 'doing' (accept, recv, ...) and the
 * client its call is on; for a client, its state (queued: in the kernel's
 * accept queue; waiting: accepted, but no thread holds it, as in a pool's
 * queue; served: by which actor; closed). The page draws the last minute
 * of it; --record draws all of it.
 */
#ifndef NETLAB_SHOW_TIMELINE_H
#define NETLAB_SHOW_TIMELINE_H

#include <jansson.h>

#include "kernel/kernel.h"

#define SHOW_WORD_MAX 16	/* "epoll_wait", "served" */

/* One stretch of a lane doing one thing. */
struct show_span {
	double from, to;
	char word[SHOW_WORD_MAX];	/* doing word, or client state */
	char detail[KERNEL_PEER_MAX];	/* a thread's client; a client's actor; "" */
};

struct show_lane {
	char key[KERNEL_PEER_MAX];	/* "t:TID" for a thread, the peer for a client */
	char label[KERNEL_PEER_MAX];	/* "[main]", "[thread 3]", "python3 (4712)"; the peer */
	pid_t tid, pid;			/* a thread's; 0 for a client */
	int present;			/* seen in the last look */
	int was_present;		/* a thread's: seen in the look before */
	unsigned long inode;		/* a client's socket (0 while queued); a
					   thread's: the client socket its call is on */
	unsigned long unread, unsent;	/* a client's bytes waiting in the kernel */
	unsigned long long sent, got;	/* a client's bytes sent and got, all told */
	struct show_span *spans;
	size_t nspans, capspans;
};

/* One line of the server's output. */
struct show_event {
	double t;
	char *actor;		/* "[main]", or NULL: a line with no actor */
	char *text;		/* the rest; annotations start with "# " */
};

struct show_timeline {
	int netlab;			/* the server is netlab: lanes named as its log */
	unsigned long changes;		/* one more each time a lane starts a new span,
					   or a thread's lane ends */
	double now;			/* the last look, seconds since the start */
	struct show_lane *threads, *clients;
	size_t nthreads, capthreads, nclients, capclients;
	struct show_event *events;	/* lines not yet taken for a snapshot */
	size_t nevents, capevents;
	unsigned long lines;		/* every line so far, taken or not */
	char partial[4096];		/* a line of output not ended yet */
	size_t partial_len;
	/* Private: where each lane is, by key. */
	size_t *index_threads, *index_clients;
	size_t capindex_threads, capindex_clients;
};

/* One look at the server, t seconds after the start: every lane moves on. */
void show_timeline_look(struct show_timeline *tl, const struct kernel_view *v, double t);

/* Bytes of the server's output, as they came, t seconds after the start. */
void show_timeline_output(struct show_timeline *tl, const char *bytes, size_t len, double t);

/*
 * The lanes for the page: the spans after 'since', at most max_lanes
 * thread lanes and max_lanes client lanes, the others counted by word
 * ('threads_hidden', 'clients_hidden'). Adds its keys to obj; -1 out of
 * memory.
 */
int show_timeline_json(const struct show_timeline *tl, json_t *obj, double since,
    size_t max_lanes);

/*
 * The server's lines that came since the last call, as JSON objects
 * ({"t":...,"actor":...,"text":...}) joined by commas, in *text ("" when
 * none; the caller frees it), and how many in *n; the timeline forgets
 * them (the web server keeps the log: show_http.c). 0, or -1 out of
 * memory, the lines kept for the next call.
 */
int show_timeline_take_events(struct show_timeline *tl, char **text, size_t *n);

void show_timeline_free(struct show_timeline *tl);

#endif
