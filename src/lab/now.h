/*
 * now.h - the lab runner's clock: seconds since the lab began.
 */
#ifndef NETLAB_LAB_NOW_H
#define NETLAB_LAB_NOW_H

/* Seconds since the first call (CLOCK_MONOTONIC). */
double lab_now(void);

#endif
