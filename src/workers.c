/*
 * workers.c - start N threads once, join them at the end. See workers.h.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"
#include "signals.h"
#include "workers.h"

pthread_t *workers_start(int n, void *(*run)(void *), void *arg, int *started)
{
	pthread_t *workers = calloc((size_t)n, sizeof(*workers));
	int i, rc;

	*started = 0;
	if (workers == NULL) {
		log_error(_("out of memory for %d workers"), n);
		return NULL;
	}
	signals_block_stop(1);	/* the threads inherit the block: Ctrl-C goes to main */
	for (i = 0; i < n; i++) {
		rc = pthread_create(&workers[i], NULL, run, arg);	/* joinable */
		if (rc != 0) {		/* pthreads return the error, not errno */
			log_error(_("cannot start worker %d: %s"), i + 1, strerror(rc));
			break;
		}
	}
	signals_block_stop(0);
	*started = i;
	return workers;
}

void workers_join(pthread_t *workers, int n)
{
	while (n > 0)
		pthread_join(workers[--n], NULL);
	free(workers);
}
