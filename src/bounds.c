/*
 * bounds.c - pool's queue and fork's children, sized from the descriptor
 * limit, the process limit and the available memory (see bounds.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bounds.h"
#include "clients.h"
#include "i18n.h"

#define RESERVE_FDS 16		/* stdio, the listener, the spare, logs: never queued */
#define RESERVE_PROCS 64	/* left for the rest of the user's work */
#define CHILD_KIB 256		/* a child: its own stack, the pages it writes, its
				   page tables and kernel stack (make bench measures
				   ~45 KiB of user pages for an idle one) */

/* A number from a /proc file: the first field after 'key', or 'fallback'. */
static long proc_number(const char *path, const char *key, int field, long fallback)
{
	char line[256];
	long value = fallback;
	FILE *f = fopen(path, "re");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *at = key != NULL ? strstr(line, key) : line;

		if (at == NULL)
			continue;
		at += key != NULL ? strlen(key) : 0;
		for (int i = 0; i < field && at != NULL; i++)
			at = strchr(at + strspn(at, " \t"), ' ');
		if (at != NULL)
			value = strtol(at, NULL, 10);
		break;
	}
	if (f != NULL)
		fclose(f);
	return value;
}

/* Memory the kernel could give us without swapping, in KiB. */
static long available_kib(void)
{
	return proc_number("/proc/meminfo", "MemAvailable:", 0, 1024L * 1024);
}

/* The descriptors this process has open now. */
static long open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	long n = 0;

	while (d != NULL && readdir(d) != NULL)
		n++;
	if (d != NULL)
		closedir(d);
	return n > 2 ? n - 3 : n;	/* ".", "..", and the one opendir() used */
}

/* The tasks (threads count, as the kernel counts them) on the whole machine. */
static long tasks_now(void)
{
	char text[128];
	long running, total = 0;
	FILE *f = fopen("/proc/loadavg", "re");

	/* "0.52 0.58 0.59 3/1523 4711": the fourth field is running/total. */
	if (f != NULL && fgets(text, sizeof(text), f) != NULL)
		sscanf(text, "%*s %*s %*s %ld/%ld", &running, &total);
	if (f != NULL)
		fclose(f);
	return total;
}

/* "20000", or "unlimited". */
static const char *limit_text(rlim_t limit, char *buf, size_t size)
{
	if (limit == RLIM_INFINITY)
		return _("unlimited");
	snprintf(buf, size, "%lu", (unsigned long)limit);
	return buf;
}

/* The lesser of the two, at least 1; then --max-clients, if lower, and say so. */
static int lower(long by_count, long by_memory, int max_clients, char *how, size_t size)
{
	long bound = by_count < by_memory ? by_count : by_memory;
	size_t len = strlen(how);

	if (bound < 1)
		bound = 1;
	if (max_clients > 0 && max_clients < bound) {
		bound = max_clients;
		snprintf(how + len, size - len, _("; --max-clients %d lowers it"), max_clients);
	}
	return bound > 1000000 ? 1000000 : (int)bound;
}

int bounds_queue(int workers, int max_clients, char *how, size_t size)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	long rmem = proc_number("/proc/sys/net/ipv4/tcp_rmem", NULL, 1, 131072);
	long cost_kib = ((long)sizeof(struct client) + rmem) / 1024 + 1;
	long avail = available_kib(), open_now = open_fds(), fds = 1000000;
	char limit[24];

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fds = (long)rl.rlim_cur - open_now - workers - RESERVE_FDS;
	snprintf(how, size, _("the lesser of the descriptors left (ulimit -n %s, less %ld open, "
	    "one per worker and %d kept back: %ld) and what the available memory holds (%ld MiB "
	    "at %ld KiB a queued client, its receive buffer included: %ld)"),
	    limit_text(rl.rlim_cur, limit, sizeof(limit)), open_now, RESERVE_FDS, fds,
	    avail / 1024, cost_kib, avail / cost_kib);
	return lower(fds, avail / cost_kib, max_clients, how, size);
}

int bounds_children(int max_clients, char *how, size_t size)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	long pid_max = proc_number("/proc/sys/kernel/pid_max", NULL, 0, 32768);
	long rmem = proc_number("/proc/sys/net/ipv4/tcp_rmem", NULL, 1, 131072);
	long cost_kib = CHILD_KIB + rmem / 1024, avail = available_kib();
	long tasks = tasks_now(), room = pid_max;
	char limit[24];

	/* ulimit -u counts this user's tasks; all the machine's are an upper bound of those. */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur < room)
		room = (long)rl.rlim_cur;
	room -= tasks + RESERVE_PROCS;
	snprintf(how, size, _("the lesser of the processes left (pid_max %ld, ulimit -u %s, less "
	    "%ld tasks running and %d kept back: %ld) and what the available memory holds (%ld MiB "
	    "at %ld KiB a child: %ld)"), pid_max, limit_text(rl.rlim_cur, limit, sizeof(limit)),
	    tasks, RESERVE_PROCS, room, avail / 1024, cost_kib, avail / cost_kib);
	return lower(room, avail / cost_kib, max_clients, how, size);
}
