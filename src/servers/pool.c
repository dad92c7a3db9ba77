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
#include "bounds.h"
#include "servers.h"
#include "workers.h"

/* The hand-off between main and the workers, all under 'lock' (UNP serv08). */
struct pool_queue {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* signalled when a client is queued, or on stop */
	struct client *head, **tail;	/* a list, up to 'max' long */
	int length;		/* clients in the queue */
	int max;		/* each holds a descriptor and memory: a bound (bounds.h) */
	int idle;		/* workers waiting for one */
	int started, stopping;
};

static void *worker(void *arg)
{
	struct pool_queue *q = arg;
	struct client *c;

	pthread_mutex_lock(&q->lock);
	log_set_actor("worker %d", ++q->started);	/* its [worker N] in the log */
	for (;;) {
		q->idle++;
		while (q->head == NULL && !q->stopping)
			pthread_cond_wait(&q->ready, &q->lock);	/* sleeps, lock released */
		q->idle--;
		if (q->stopping)
			break;
		c = q->head;		/* this worker owns c from here on */
		if ((q->head = c->blocking.queue_next) == NULL)
			q->tail = &q->head;
		q->length--;
		pthread_mutex_unlock(&q->lock);
		log_note(_("takes %s from the queue and serves it until it leaves"), c->peer);
		client_touch(c);	/* --idle-timeout counts from now, not from accept() */
		serve_client(c);	/* this worker is busy in here */
		client_close(c);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Main: c to the tail of the queue, and wake one idle worker; refused if full. */
static void enqueue(struct pool_queue *q, struct client *c, int workers)
{
	int waiting;

	pthread_mutex_lock(&q->lock);
	if (q->length - q->idle >= q->max) {
		pthread_mutex_unlock(&q->lock);
		log_note(_("%d clients already wait for one of the %d workers (the queue's "
		    "bound): %s is refused rather than let the queue grow without end"),
		    q->max, workers, c->peer);
		client_turn_away(c, "its queue is full");
		return;
	}
	c->blocking.queue_next = NULL;
	*q->tail = c;
	q->tail = &c->blocking.queue_next;
	q->length++;
	waiting = q->length - q->idle;	/* clients no idle worker will take */
	pthread_cond_signal(&q->ready);
	/* Still under the lock: once released, a worker may serve and free c. */
	if (waiting > 0)
		log_note(ngettext("%s is connected but queued, place %d in the queue: the %d "
		    "worker is busy, so its bytes get no answer until it is free",
		    "%s is connected but queued, place %d in the queue: all %d workers "
		    "are busy, so its bytes get no answer until one of them is free", workers),
		    c->peer, waiting, workers);
	else
		log_note(_("main queues %s and wakes an idle worker"), c->peer);
	pthread_mutex_unlock(&q->lock);
}

int run_pool(struct server *srv)
{
	struct pool_queue q = { .lock = PTHREAD_MUTEX_INITIALIZER,
	    .ready = PTHREAD_COND_INITIALIZER, .tail = &q.head };
	pthread_t *workers;
	struct client *c;
	char how[400];
	int rc, n;

	/* N threads, started once, before the first client; each runs worker(). */
	workers = workers_start(srv->limit, worker, &q, &n);
	if (workers == NULL)
		return 1;
	if (srv->auto_sized)
		log_note(_("pool auto: min(50, %ld online cores + 4) = %d workers, as seed "
		    "003's hybrid server sizes its pool"),
		    sysconf(_SC_NPROCESSORS_ONLN), srv->limit);
	log_note(ngettext("%d worker thread started, idle; main accepts and queues",
	    "%d worker threads started, all idle; main accepts and queues", n), n);
	q.max = bounds_queue(n, srv->opt->max_clients, how, sizeof(how));
	log_note(_("the queue holds at most %d waiting clients: %s"), q.max, how);

	while (!stop_requested && n > 0) {
		c = server_accept(srv, srv->listen_fd);	/* connected */
		if (c != NULL)
			enqueue(&q, c, n);	/* the one hand-off: a pointer on a list */
	}

	pthread_mutex_lock(&q.lock);
	q.stopping = 1;		/* idle workers wake up and leave */
	pthread_cond_broadcast(&q.ready);
	pthread_mutex_unlock(&q.lock);
	rc = n > 0 ? server_stop(srv) : 1;	/* busy workers see their client end */
	workers_join(workers, n);
	clients_close_all(srv);	/* queued, never served: close them too */
	return rc;
}
