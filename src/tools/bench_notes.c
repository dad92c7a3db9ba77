/*
 * bench_notes.c - the server's CPU during a bench run, and what the
 * figures then mean.
 *
 * A median answer of 30 to 50 ms from a server that sat almost idle is the
 * signature of Nagle's algorithm meeting delayed ACK: the server writes an
 * answer in two pieces, its kernel holds the second until the client has
 * acknowledged the first, and the client's kernel waits up to 40 ms before
 * it acknowledges (it hopes to carry the ACK on data of its own). A busy
 * server can be slow for a thousand reasons; an idle one that still takes
 * 40 ms is waiting for a timer. So bench asks the kernel how much CPU the
 * server used, from /proc/PID/stat (utime and stime, and cutime and cstime
 * for the children it has reaped), for the server and every descendant.
 */
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "i18n.h"
#include "kernel/kernel.h"
#include "tools/bench_notes.h"

#define MAX_FAMILY 4096		/* processes followed: fork at W3 has ~1,000 */
#define MIN_SECONDS 0.5		/* 50 ticks of the kernel's CPU clock */

const char *const bench_note_words[BENCH_NNOTES] = { "nagle" };

/* One process's CPU seconds, its reaped children's included; 0 if gone. */
static double process_cpu_s(pid_t pid)
{
	char path[64], text[1024], *after;
	unsigned long long utime, stime, cutime, cstime;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;	/* it has just ended: its parent's cutime has it now */
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	after = strrchr(text, ')');	/* the name may hold spaces and parentheses */
	/* After the name: state, then fields 4..13, then utime (14) to cstime (17). */
	if (after == NULL || sscanf(after + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu %llu %llu", &utime, &stime, &cutime, &cstime) != 4)
		return 0;
	return (double)(utime + stime + cutime + cstime) / (double)sysconf(_SC_CLK_TCK);
}

/* The CPU of pid and its live descendants, each thread's children followed. */
static double family_cpu_s(pid_t pid, int *budget)
{
	char path[64], text[8192];
	pid_t kids[512];
	struct dirent *e;
	double total = process_cpu_s(pid);
	DIR *tasks;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	while (tasks != NULL && (e = readdir(tasks)) != NULL && --*budget > 0) {
		FILE *f;
		size_t n;
		int nkids;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children", (int)pid, e->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		nkids = kernel_parse_children(text, kids, 512);
		for (int i = 0; i < nkids && *budget > 0; i++)
			total += family_cpu_s(kids[i], budget);
	}
	if (tasks != NULL)
		closedir(tasks);
	return total;
}

static double server_cpu_now(pid_t pid)
{
	int budget = MAX_FAMILY;

	return family_cpu_s(pid, &budget);
}

/*
 * Is the address one of this machine's? bind() to it says so: the kernel
 * lets a socket bind only to an address of its own (else EADDRNOTAVAIL).
 */
static int is_local(const struct sockaddr *addr, socklen_t len)
{
	struct sockaddr_storage here;
	int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	if (fd == -1 || len > sizeof(here))
		return 0;
	memcpy(&here, addr, len);
	if (here.ss_family == AF_INET)
		((struct sockaddr_in *)&here)->sin_port = 0;	/* any port: only the address counts */
	else
		((struct sockaddr_in6 *)&here)->sin6_port = 0;
	ok = bind(fd, (struct sockaddr *)&here, len) == 0;
	close(fd);
	return ok;
}

void server_cpu_start(struct server_cpu *s, const struct sockaddr *addr, socklen_t len)
{
	struct kernel_view v;
	int port = ntohs(addr->sa_family == AF_INET ?
	    ((const struct sockaddr_in *)addr)->sin_port :
	    ((const struct sockaddr_in6 *)addr)->sin6_port);

	memset(&v, 0, sizeof(v));
	s->pid = 0;
	s->used_s = -1;
	/* Who listens on the port here; another user's process stays unknown. */
	if (is_local(addr, len) && kernel_read(&v, port, 0) == 0 && !v.denied)
		s->pid = v.pid;
	kernel_free(&v);
	if (s->pid != 0)
		s->start_s = server_cpu_now(s->pid);
}

void server_cpu_stop(struct server_cpu *s, double seconds)
{
	/* The kernel counts CPU time in ticks (10 ms): a shorter run says nothing. */
	if (s->pid != 0 && seconds >= MIN_SECONDS && kill(s->pid, 0) == 0)
		s->used_s = server_cpu_now(s->pid) - s->start_s;
}

unsigned bench_notes(double p50_ms, double seconds, const struct server_cpu *s)
{
	unsigned notes = 0;

	/* "Mostly idle": under a quarter of one core over the run. */
	if (p50_ms >= 30 && p50_ms <= 50 && s->used_s >= 0 && seconds > 0 &&
	    s->used_s / seconds < 0.25)
		notes |= 1u << NOTE_NAGLE;
	return notes;
}
