/*
 * workers.h - a fixed set of joinable threads, started once and joined at
 * the end: pool's workers (and any design that runs N threads for its
 * whole life).
 */
#ifndef NETLAB_WORKERS_H
#define NETLAB_WORKERS_H

#include <pthread.h>

/*
 * Start n joinable threads, each running run(arg), with Ctrl-C and SIGTERM
 * blocked in them (they inherit the mask: the signal goes to main). Returns
 * their array, of which *started are running (a failure to start one is
 * logged, and no more are tried), or NULL when there is no memory for it
 * (logged).
 */
pthread_t *workers_start(int n, void *(*run)(void *), void *arg, int *started);

/* Wait for the n started threads to end, and free the array. */
void workers_join(pthread_t *workers, int n);

#endif
