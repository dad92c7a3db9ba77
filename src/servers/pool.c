/*
 * pool.c - a fixed pool of worker threads (seed 003 "Thread Pool Server"
 * and "Hybrid Approach"; UNP serv08).
 *
 * N workers are started once, before the first client. The main thread
 * accepts and puts each client on a queue; an idle worker takes it and
 * serves it until it leaves. The number of threads no longer grows with
 * the number of clients, and that is the price too: while all N workers
 * are busy, a new client is connected (accept() was called) but sits in
 * the queue, and its bytes get no answer until a worker is free.
 */
#include <stdlib.h>

#include "bounds.h"
#include "servers.h"

/* The hand-off between main and the workers, all under 'lock' (UNP serv08). */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* signalled when a client is queued, or on stop */
	struct client *head, *tail;	/* a list, up to 'max' long */
	int length;		/* clients in the queue */
	int max;		/* each holds a descriptor and memory: a bound (bounds.h) */
	int idle;		/* workers waiting for one */
	int started, stopping;
} queue = { .lock = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER };

static void *worker(void *arg)
{
	struct client *c;

	(void)arg;
	pthread_mutex_lock(&queue.lock);
	log_set_actor("worker %d", ++queue.started);	/* its [worker N] in the log */
	pthread_mutex_unlock(&queue.lock);
	for (;;) {
		pthread_mutex_lock(&queue.lock);
		queue.idle++;
		while (queue.head == NULL && !queue.stopping)
			pthread_cond_wait(&queue.ready, &queue.lock);	/* sleeps, lock released */
		queue.idle--;
		if (queue.stopping) {
			pthread_mutex_unlock(&queue.lock);
			return NULL;
		}
		c = queue.head;		/* this worker owns c from here on */
		queue.head = c->queue_next;
		if (queue.head == NULL)
			queue.tail = NULL;
		queue.length--;
		pthread_mutex_unlock(&queue.lock);
		log_note(_("takes %s from the queue and serves it until it leaves"), c->peer);
		client_touch(c);	/* --idle-timeout counts from now, not from accept() */
		serve_client(c);	/* this worker is busy in here */
		client_close(c);
	}
}

/* Main: put c at the tail of the queue and wake one idle worker, if any;
 * when the queue is full, refuse c instead. */
static void enqueue(struct client *c, int workers)
{
	int waiting;

	pthread_mutex_lock(&queue.lock);
	if (queue.length - queue.idle >= queue.max) {
		pthread_mutex_unlock(&queue.lock);
		log_note(_("%d clients already wait for one of the %d workers (the queue's "
		    "bound): %s is refused rather than let the queue grow without end"),
		    queue.max, workers, c->peer);
		client_refuse(c->fd, c->peer, "its queue is full");
		client_forget(c);
		return;
	}
	c->queue_next = NULL;
	if (queue.tail != NULL)
		queue.tail->queue_next = c;
	else
		queue.head = c;
	queue.tail = c;
	queue.length++;
	waiting = queue.length - queue.idle;	/* clients no idle worker will take */
	pthread_cond_signal(&queue.ready);
	/* Still under the lock: once released, a worker may serve and free c. */
	if (waiting > 0)
		log_note(ngettext("%s is connected but queued, place %d in the queue: the %d "
		    "worker is busy, so its bytes get no answer until it is free",
		    "%s is connected but queued, place %d in the queue: all %d workers "
		    "are busy, so its bytes get no answer until one of them is free", workers),
		    c->peer, waiting, workers);
	else
		log_note(_("main queues %s and wakes an idle worker"), c->peer);
	pthread_mutex_unlock(&queue.lock);
}

int run_pool(struct server *srv)
{
	struct sockaddr_storage peer;
	socklen_t peer_len;
	pthread_t *workers;
	struct client *c;
	char how[400];
	int client_fd, rc, n;

	workers = calloc((size_t)srv->limit, sizeof(*workers));
	if (workers == NULL) {
		log_error(_("out of memory for %d workers"), srv->limit);
		return 1;
	}
	signals_block_stop(1);	/* the workers inherit the block: Ctrl-C goes to main */
	for (n = 0; n < srv->limit; n++) {
		rc = pthread_create(&workers[n], NULL, worker, NULL);	/* joinable */
		if (rc != 0) {		/* pthreads return the error, not errno */
			log_error(_("cannot start worker %d: %s"), n + 1, strerror(rc));
			break;
		}
	}
	signals_block_stop(0);
	if (srv->auto_sized)
		log_note(_("pool auto: min(50, %ld online cores + 4) = %d workers, as seed "
		    "003's hybrid server sizes its pool"),
		    sysconf(_SC_NPROCESSORS_ONLN), srv->limit);
	log_note(ngettext("%d worker thread started, idle; main accepts and queues",
	    "%d worker threads started, all idle; main accepts and queues", n), n);
	queue.max = bounds_queue(n, srv->opt->max_clients, how, sizeof(how));
	log_note(_("the queue holds at most %d waiting clients: %s"), queue.max, how);

	while (!stop_requested && n > 0) {
		peer_len = sizeof(peer);
		client_fd = accept(srv->listen_fd, (struct sockaddr *)&peer, &peer_len);
		if (client_fd == -1) {
			if (accept_failed(srv, errno))
				break;
			continue;
		}
		c = client_new(srv, client_fd, &peer, peer_len);	/* connected */
		if (c != NULL)
			enqueue(c, n);	/* the one hand-off: a pointer on a list */
	}

	pthread_mutex_lock(&queue.lock);
	queue.stopping = 1;	/* idle workers wake up and leave */
	pthread_cond_broadcast(&queue.ready);
	pthread_mutex_unlock(&queue.lock);
	rc = n > 0 ? server_stop(srv) : 1;	/* busy workers see their client end */
	while (n > 0)
		pthread_join(workers[--n], NULL);
	while ((c = queue.head) != NULL) {	/* queued, never served: close them too */
		queue.head = c->queue_next;
		client_close(c);
	}
	free(workers);
	return rc;
}
