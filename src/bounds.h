/*
 * bounds.h - how many clients pool may queue and fork may hand to children,
 * sized from what this machine can really hold.
 *
 * Seed 003's pool has an unbounded queue and its fork server no cap: every
 * client is served, slowly. A server must still stop somewhere before the
 * machine does, so each bound is the most the machine allows, worked out
 * when the server starts and said in the annotation that announces it:
 *   pool's queue  each queued client holds a descriptor and memory (its
 *                 struct client and the socket's receive buffer): the
 *                 descriptors left under the limit (ulimit -n), and the
 *                 available memory divided by that cost, whichever is less;
 *   fork          each child is a process (the parent closes its copy of
 *                 the client's descriptor, so descriptors do not bound it):
 *                 the processes left under the process limit (ulimit -u)
 *                 and the kernel's pid_max, and the available memory
 *                 divided by what a child costs, whichever is less.
 * --max-clients lowers either.
 */
#ifndef NETLAB_BOUNDS_H
#define NETLAB_BOUNDS_H

#include <stddef.h>

/*
 * pool: how many clients may wait for one of 'workers'. 'how' gets the
 * reasoning in words, for the annotation.
 */
int bounds_queue(int workers, int max_clients, char *how, size_t size);

/* fork: how many children may serve at once; 'how' as above. */
int bounds_children(int max_clients, char *how, size_t size);

#endif
