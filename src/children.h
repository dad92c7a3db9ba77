/*
 * children.h - fork's list of child processes: who is alive, who ended.
 *
 * A child that ends stays a zombie until its parent collects its exit
 * status with waitpid(). A SIGCHLD handler does that the moment it ends
 * (TLPI's grimReaper) and notes it here; the parent's loop reports it
 * later, since a signal handler must not log.
 */
#ifndef NETLAB_CHILDREN_H
#define NETLAB_CHILDREN_H

#include <sys/types.h>

/* Install the SIGCHLD handler that reaps every child that ends. -1: failed. */
int children_reap(void);

/* Before fork(): hold SIGCHLD (and Ctrl-C) until the new child is on the list. */
void children_hold(void);

/* After fork(), in the parent: put the child on the list, release the signals. */
void children_track(pid_t pid);

/* How many children are alive (not yet reaped). */
int children_live(void);

/* A child that was reaped and not yet reported: its pid and wait status, or 0. */
pid_t children_exited(int *status);

/* Stopping: SIGTERM to every live child, and wait until all have ended. */
void children_end(void);

#endif
