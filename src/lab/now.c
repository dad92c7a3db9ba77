/*
 * now.c - one monotonic clock for the whole lab runner, so that every
 * event, step and deadline is on the same time line.
 */
#include <time.h>

#include "now.h"

double lab_now(void)
{
	static struct timespec origin;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (origin.tv_sec == 0 && origin.tv_nsec == 0)
		origin = ts;
	return (double)(ts.tv_sec - origin.tv_sec) + (double)(ts.tv_nsec - origin.tv_nsec) / 1e9;
}
