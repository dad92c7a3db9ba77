/*
 * threads.c - threads on their own, no network (seed 002's threading
 * basics, and seed 004's "threads share the same memory space").
 *
 * Python's threading.Thread has start(), run(), join() and is_alive().
 * pthreads has pthread_create() and pthread_join(), and not much else:
 *
 *   1. A thread from a function. Thread(target=worker).start() is
 *      pthread_create(&tid, NULL, worker, arg): the new thread runs
 *      worker(arg) while main carries on.
 *   2. A thread with a run() of its own. Python subclasses Thread and
 *      overrides run(). C has no classes: a struct that holds a run
 *      pointer and its own state, and a start() that hands the struct to
 *      pthread_create(), do the same job.
 *   3. Threads share the process's memory. Two threads add 1 to one
 *      counter, first without a lock (additions get lost), then with one.
 *
 * is_alive() does not exist in pthreads, so it is built here: each thread
 * carries a flag that start() sets and that the thread itself clears,
 * under a mutex, as the last thing it does. (Python does much the same:
 * the thread releases a lock on its way out.) pthread_tryjoin_np() could
 * also tell whether a thread has ended, but it joins the thread as it
 * answers, so it can be asked only once.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "log.h"
#include "figure.h"
#include "threads.h"

#define ADDS 1000000		/* each counting thread adds 1 this many times */

/* is_alive(): true from start() until the thread's very last act. */
struct alive {
	pthread_mutex_t lock;
	int running;
};

static void alive_set(struct alive *a, int running)
{
	pthread_mutex_lock(&a->lock);
	a->running = running;
	pthread_mutex_unlock(&a->lock);
}

static const char *is_alive(struct alive *a)
{
	int running;

	pthread_mutex_lock(&a->lock);
	running = a->running;
	pthread_mutex_unlock(&a->lock);
	return running ? "True" : "False";	/* as Python prints it */
}

/*
 * Taking turns, so that the log reads the same every time: the thread
 * says it runs, then waits until main has asked is_alive() and lets it
 * finish. Without this a thread as short as seed 002's could be gone
 * before main asks, and Python's example would print False.
 */
enum step { CREATED, RUNNING, MAY_FINISH };
static pthread_mutex_t step_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t step_changed = PTHREAD_COND_INITIALIZER;
static enum step step;

static void step_to(enum step s)
{
	pthread_mutex_lock(&step_lock);
	step = s;
	pthread_cond_broadcast(&step_changed);
	pthread_mutex_unlock(&step_lock);
}

static void wait_for_step(enum step s)
{
	pthread_mutex_lock(&step_lock);
	while (step < s)
		pthread_cond_wait(&step_changed, &step_lock);
	pthread_mutex_unlock(&step_lock);
}

/*
 * 1. Python: def worker(): print("Running the thread...")
 * Unlike a server's event lines, these are the program's own prints, and
 * seed 002 prints them in Italian: they follow the language.
 */
static void *worker(void *arg)
{
	struct alive *alive = arg;

	log_set_actor("thread 1");
	log_event(_("Running the thread..."));
	step_to(RUNNING);
	wait_for_step(MAY_FINISH);
	log_event(_("worker() returns"));
	alive_set(alive, 0);	/* the last act: is_alive() says False from here on */
	return NULL;
}

static int thread_from_function(void)
{
	static struct alive alive = { PTHREAD_MUTEX_INITIALIZER, 0 };
	pthread_t tid;
	int rc;

	log_note(_("1. a thread from a function: Python's Thread(target=worker).start() "
	    "is pthread_create(&tid, NULL, worker, arg) in C"));
	step_to(CREATED);
	alive_set(&alive, 1);
	log_event(_("Starting thread 1"));
	rc = pthread_create(&tid, NULL, worker, &alive);
	if (rc != 0) {		/* pthreads return the error, not errno */
		log_error(_("cannot start a thread: %s"), strerror(rc));
		return -1;
	}
	wait_for_step(RUNNING);
	log_event(_("thread 1 alive before join: %s"), is_alive(&alive));
	log_note(_("thread 1 waits for main's go-ahead, so it is surely still running; "
	    "main now blocks in pthread_join() until thread 1 returns"));
	step_to(MAY_FINISH);
	rc = pthread_join(tid, NULL);	/* blocks until worker() has returned */
	if (rc != 0) {
		log_error(_("cannot join thread 1: %s"), strerror(rc));
		return -1;
	}
	log_event(_("thread 1 joined"));
	log_event(_("thread 1 alive after join: %s"), is_alive(&alive));
	return 0;
}

/*
 * 2. class MyThread(threading.Thread): def run(self): ...
 * struct thread is the base class: what every thread needs. A "subclass"
 * puts it first and adds state of its own; its run() is handed the base
 * pointer and casts it back.
 */
struct thread {
	pthread_t tid;
	int number;				/* "thread 2" in the log */
	void (*run)(struct thread *self);	/* what a subclass overrides */
	struct alive alive;
};

/* What Python's Thread does in the new thread: run(), then "I am done". */
static void *thread_main(void *arg)
{
	struct thread *self = arg;

	log_set_actor("thread %d", self->number);
	self->run(self);
	alive_set(&self->alive, 0);
	return NULL;
}

/* Python's start(): alive from now on, and a new thread runs run(). */
static int thread_start(struct thread *self)
{
	int rc;

	pthread_mutex_init(&self->alive.lock, NULL);
	alive_set(&self->alive, 1);
	rc = pthread_create(&self->tid, NULL, thread_main, self);
	if (rc != 0) {
		log_error(_("cannot start thread %d: %s"), self->number, strerror(rc));
		alive_set(&self->alive, 0);
	}
	return rc;
}

/* Python's join(). */
static int thread_join(struct thread *self)
{
	int rc = pthread_join(self->tid, NULL);

	if (rc != 0)
		log_error(_("cannot join thread %d: %s"), self->number, strerror(rc));
	return rc;
}

struct my_thread {
	struct thread thread;	/* first: a struct my_thread * is a struct thread * */
	int steps;		/* its own state: how much work to do ... */
	int done;		/* ... and how much it did, for main to read after join */
};

static void my_thread_run(struct thread *self)
{
	struct my_thread *me = (struct my_thread *)self;

	log_event(_("Custom thread running..."));
	step_to(RUNNING);
	wait_for_step(MAY_FINISH);
	for (int i = 0; i < me->steps; i++)
		me->done++;
	log_event(_("run() did its %d steps and returns"), me->steps);
}

static int thread_with_run(void)
{
	struct my_thread t = { .thread = { .number = 2, .run = my_thread_run }, .steps = 3 };

	log_note(_("2. a thread with a run() of its own: Python subclasses Thread; here "
	    "struct my_thread starts with a struct thread whose run points at "
	    "my_thread_run(), and thread_start() calls pthread_create()"));
	step_to(CREATED);
	log_event(_("Starting thread 2"));
	if (thread_start(&t.thread) != 0)
		return -1;
	wait_for_step(RUNNING);
	log_event(_("thread 2 alive before join: %s"), is_alive(&t.thread.alive));
	step_to(MAY_FINISH);
	if (thread_join(&t.thread) != 0)
		return -1;
	log_event(_("thread 2 joined"));
	log_event(_("thread 2 alive after join: %s"), is_alive(&t.thread.alive));
	log_note(_("after join, main may read what thread 2 wrote: done = %d"), t.done);
	return 0;
}

/*
 * 3. Shared memory. counter = counter + 1 is three steps: read, add, write
 * back. If thread 3 reads 41 and thread 4 reads 41 before either writes,
 * both write 42 and one addition is lost. A mutex makes the three steps
 * one: nobody else reads while one thread is between its read and its write.
 *
 * On two busy cores the threads may take turns rather than overlap, so
 * now and then, at moments drawn afresh in every run, each thread yields
 * the processor between its read and its write: that widens the window on
 * purpose, and the loss shows every time, different every time.
 *
 * The read and the write are atomic_load/atomic_store: a plain long written
 * by two threads at once is undefined behaviour in C (ThreadSanitizer
 * would rightly object). The race shown here lies between the two calls.
 */
struct counting {
	struct thread thread;
	atomic_long *counter;		/* one counter, in memory both threads see */
	pthread_mutex_t *lock;		/* NULL: no lock */
	pthread_barrier_t *together;
	unsigned luck;			/* where this run's pauses fall */
};

/* About one time in 16384, at a moment no two runs share (xorshift). */
static int now_and_then(unsigned *luck)
{
	*luck ^= *luck << 13;
	*luck ^= *luck >> 17;
	*luck ^= *luck << 5;
	return *luck % 16384 == 0;
}

static void counting_run(struct thread *self)
{
	struct counting *me = (struct counting *)self;
	long seen;

	pthread_barrier_wait(me->together);	/* both threads start at once */
	for (int i = 0; i < ADDS; i++) {
		if (me->lock != NULL)
			pthread_mutex_lock(me->lock);
		seen = atomic_load_explicit(me->counter, memory_order_relaxed);	/* read */
		if (me->lock == NULL && now_and_then(&me->luck))
			sched_yield();	/* now and then, let the other thread run right here */
		atomic_store_explicit(me->counter, seen + 1, memory_order_relaxed);	/* write */
		if (me->lock != NULL)
			pthread_mutex_unlock(me->lock);
	}
	char adds[FIGURE_SIZE];

	log_event(_("added 1 to the counter %s times"), figure_count(ADDS, adds, sizeof(adds)));
}

/* Two threads, numbered first and first + 1, add to one counter. */
static int count_together(int first, pthread_mutex_t *lock)
{
	static pthread_barrier_t together;
	struct timespec clock;
	atomic_long counter = 0;
	struct counting t[2];
	long expected = 2L * ADDS, lost;
	char adds[FIGURE_SIZE], total[FIGURE_SIZE], want[FIGURE_SIZE], gone[FIGURE_SIZE];
	int started = 0, failed = 0;

	pthread_barrier_init(&together, NULL, 2);
	clock_gettime(CLOCK_MONOTONIC, &clock);
	for (int i = 0; i < 2; i++)
		t[i] = (struct counting){ .thread = { .number = first + i, .run = counting_run },
		    .counter = &counter, .lock = lock, .together = &together,
		    .luck = ((unsigned)clock.tv_nsec * 2654435761u + 2u * (unsigned)i) | 1u };
	log_event(_("threads %d and %d each add 1 to one counter %s times, %s"), first, first + 1,
	    figure_count(ADDS, adds, sizeof(adds)), lock ? _("under a mutex") : _("with no lock"));
	for (int i = 0; i < 2; i++)
		if (thread_start(&t[i].thread) == 0)
			started++;
	if (started < 2) {
		/* The one that started waits at the barrier for a partner that never
		 * comes: there is no clean way back, so say so and give up. */
		log_error(_("a counting thread could not start; giving up"));
		return -1;
	}
	for (int i = 0; i < 2; i++)
		failed |= thread_join(&t[i].thread);
	pthread_barrier_destroy(&together);
	if (failed)
		return -1;
	lost = expected - atomic_load(&counter);
	log_event(_("counter = %s, expected %s: %s additions lost"),
	    figure_count(atomic_load(&counter), total, sizeof(total)),
	    figure_count(expected, want, sizeof(want)), figure_count(lost, gone, sizeof(gone)));
	if (lock != NULL)
		log_note(_("with the mutex, read-add-write is one step: nothing is lost"));
	else if (lost == ADDS)
		log_note(_("a race condition: one thread read the counter and was paused before "
		    "it wrote back; meanwhile the other did all of its %s additions, and the "
		    "first one's write erased them: exactly one thread's work lost, this time"),
		    adds);
	else if (lost > 0)
		log_note(_("a race condition: a thread read the counter, the other one added to "
		    "it before the first wrote back, and the first wrote back what it had read "
		    "+ 1, erasing every addition made in between; %s lost this time: how many "
		    "depends on where each thread happened to be paused, so another run may "
		    "lose another number"), gone);
	else
		log_note(_("no addition was lost this time: the two threads hardly overlapped "
		    "(a machine with one core?); run it again"));
	return 0;
}

int run_threads(const struct options *opt)
{
	static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

	(void)opt;	/* it takes no option and no argument: main.c has refused any */
	log_note(_("seed 002 with pthreads: start a thread, ask whether it is alive, "
	    "join it; then two threads that share one counter"));
	if (thread_from_function() == -1 || thread_with_run() == -1)
		return 1;
	log_note(_("3. threads share the process's memory: every thread sees the same "
	    "counter, so two of them can add to it at the same time"));
	if (count_together(3, NULL) == -1 || count_together(5, &counter_lock) == -1)
		return 1;
	return 0;
}
