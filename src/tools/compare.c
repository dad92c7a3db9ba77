/*
 * compare.c - netlab compare: seed 003's comparison table, measured live.
 *
 * For each design in turn: start this very netlab binary as that server on
 * a free loopback port with -qq, run the same bench load against it (bench's
 * engine, called in this process), then probe how long a new client waits
 * for its first answer while another client sits connected and silent, and
 * stop the server (SIGTERM, then wait4(), which also reports the CPU time
 * the server and the children it reaped have used, as UNP chapter 30 reads
 * it). Meanwhile a sampler thread reads /proc: the threads and processes of
 * the server and its children, and their memory (resident, and
 * proportional: shared pages divided among their sharers), keeping the peaks.
 *
 * One row per design, then a bar chart of messages/s in text, or --json,
 * and --svg FILE for a slide: compare_report.c draws them. Ctrl-C stops the server that is running and
 * exits 130: nothing is left behind.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "bench.h"
#include "child.h"
#include "commands.h"
#include "design_n.h"
#include "compare.h"
#include "compare_report.h"
#include "log.h"
#include "net.h"
#include "signals.h"


/* Every design, each as compare starts it: the command table's rows, aliases left out. */
#define MAX_DESIGNS 32
static struct design lineup[MAX_DESIGNS];
static size_t ndesigns;

/* One that stops after N clients ('limited') runs at its largest N: the load must not end it. */
static void lineup_from_table(void)
{
	static char args[MAX_DESIGNS][12];
	const struct command *cmd;

	for (size_t i = 0; (cmd = command_at(i)) != NULL && ndesigns < MAX_DESIGNS; i++) {
		if (!command_is_design(cmd))
			continue;
		lineup[ndesigns].name = cmd->name;
		if (cmd->n.clients) {
			snprintf(args[ndesigns], sizeof(args[0]), "%d", cmd->n.max);
			lineup[ndesigns].arg = args[ndesigns];
		}
		ndesigns++;
	}
}

/* A server started by compare: the child, its log in an unlinked file (no pipe to fill). */
struct server_run {
	struct child child;
	cpu_set_t cpus;		/* every core but the load's */
	char port[8];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);	/* EINTR: the caller checks stop_requested */
}

/* ---------------------------------------------------------------- servers */

/*
 * With two cores or more, the load generator (this process) keeps one core
 * to itself and the servers get the others. Otherwise the scheduler may put
 * bench and the server on one core for one design and on two for the next,
 * and the table would rank the scheduler's choices. Returns the core, or -1
 * when there is only one (or pinning fails: the figures are only noisier).
 */
static int pin_load(void)
{
	cpu_set_t allowed, one;
	int cpu;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) == -1 || CPU_COUNT(&allowed) < 2)
		return -1;
	for (cpu = 0; !CPU_ISSET(cpu, &allowed); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0 ? cpu : -1;
}

/* The server's cores: every core but the load's; NULL: any (one core only). */
static const cpu_set_t *avoid_cpu(int load_cpu, cpu_set_t *others)
{
	if (load_cpu < 0)
		return NULL;
	CPU_ZERO(others);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (cpu != load_cpu)
			CPU_SET(cpu, others);
	return others;	/* the kernel keeps the allowed ones */
}

/*
 * Start this netlab as 'design' on a free port, its log to a file, and wait
 * (at most 5 s) until the kernel shows it listening: its port. 0, or -1.
 */
static int server_run_start(const struct design *d, const char *quiet, int load_cpu,
    struct server_run *s)
{
	char *argv[] = { "netlab", (char *)d->name, (char *)quiet, "--port", "0",
		"--host", "127.0.0.1", "--no-color", (char *)d->arg, NULL };
	struct kernel_view v = { 0 };
	int rc = -1;

	memset(&s->child, 0, sizeof(s->child));
	s->child.path = "/proc/self/exe";
	s->child.output = CHILD_OUTPUT_FILE;
	s->child.stderr_apart = 1;	/* a server's error shows on our terminal */
	s->child.cpus = avoid_cpu(load_cpu, &s->cpus);
	/*
	 * A session of its own, as a server a student starts in a terminal of
	 * its own: beside a second job, the scheduler then gives every design
	 * the same share of its core, one loop or fifty threads alike. In our
	 * session, the more threads a design ran, the larger its share would
	 * be, and a second job would rank the designs by their thread counts.
	 */
	s->child.own_session = 1;
	s->child.stop = &stop_requested;
	if (child_start(&s->child, argv) == 0 &&
	    child_wait_listening(&s->child, &v, 0, 5000) == CHILD_LISTENS) {
		snprintf(s->port, sizeof(s->port), "%d", v.port);
		rc = 0;
	}
	kernel_free(&v);
	return rc;
}

/*
 * SIGTERM, then wait for it (SIGKILL after 5 s); its CPU time from wait4(),
 * which covers the server and every child it reaped (fork's), as UNP
 * chapter 30 reads it. Its log stays open, for count_served().
 */
static void server_run_stop(struct server_run *s, struct row *r)
{
	child_end(&s->child, 5000);
	if (s->child.ended && r != NULL) {
		r->cpu_user_s = s->child.usage.ru_utime.tv_sec +
		    s->child.usage.ru_utime.tv_usec / 1e6;
		r->cpu_sys_s = s->child.usage.ru_stime.tv_sec +
		    s->child.usage.ru_stime.tv_usec / 1e6;
	}
}

/* ---------------------------------------------------------------- sampler */

/*
 * What the server and its children hold at one moment. Memory is counted
 * two ways: resident (VmRSS), where a page that N processes share counts
 * whole in each of them, and proportional (Pss), where it counts 1/N in
 * each, so that fork's children are not charged N times for the one
 * program they all run. The table shows the proportional figure.
 */
struct footprint {
	long threads, processes;
	long rss_kib, pss_kib;
};

struct sampler {
	pid_t pid;
	atomic_int done;
	struct footprint peak;
	long size;		/* the largest size a full look has seen (see size_now()) */
};

/*
 * The figures of some "Key: N" lines of one /proc/PID file, added to
 * sums[] (keys[] end with a colon). 0 if the process has just ended.
 */
static int add_figures(pid_t pid, const char *file, const char *const *keys, int n,
    long *sums)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		for (int k = 0; k < n; k++)
			if (strncmp(line, keys[k], strlen(keys[k])) == 0)
				sums[k] += strtol(line + strlen(keys[k]), NULL, 10);
	fclose(f);
	return 1;
}

/*
 * Add one process to the totals: its threads and resident memory from
 * /proc/PID/status, its proportional memory from /proc/PID/smaps_rollup
 * (where the kernel sums every mapping's Pss). 0: it has ended.
 */
static int add_process(pid_t pid, struct footprint *now)
{
	static const char *const status[] = { "Threads:", "VmRSS:" };
	static const char *const rollup[] = { "Pss:" };
	long figures[2] = { 0, 0 };

	if (add_figures(pid, "status", status, 2, figures) == 0)
		return 0;	/* it has just ended: nothing to count */
	now->processes++;
	now->threads += figures[0];
	now->rss_kib += figures[1];
	add_figures(pid, "smaps_rollup", rollup, 1, &now->pss_kib);
	return 1;
}

static void keep_peak(long *peak, long now)
{
	if (now > *peak)
		*peak = now;
}

/* The server's children (those its main thread forked), each added to 'now' if given. */
static long children(pid_t pid, struct footprint *now)
{
	char path[64];
	long n = 0;
	pid_t child;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	while (fscanf(f, "%d", &child) == 1) {
		n++;
		if (now != NULL)
			add_process(child, now);
	}
	fclose(f);
	return n;
}

/* A full look at the server and its children: every figure, the peaks kept. */
static void sample_once(struct sampler *s)
{
	struct footprint now = { 0 };
	long size;

	if (add_process(s->pid, &now) == 0)
		return;
	size = now.threads;	/* the main process's, as size_now() counts them */
	size += children(s->pid, &now);
	keep_peak(&s->size, size);
	keep_peak(&s->peak.threads, now.threads);
	keep_peak(&s->peak.processes, now.processes);
	keep_peak(&s->peak.rss_kib, now.rss_kib);
	keep_peak(&s->peak.pss_kib, now.pss_kib);
}

/* The server's size at a glance, in two small reads: its main process's threads, its children. */
static long size_now(const struct sampler *s)
{
	static const char *const threads[] = { "Threads:" };
	long size = 0;

	add_figures(s->pid, "status", threads, 1, &size);
	return size + children(s->pid, NULL);
}

/* The CPU time this thread has used, in ms: what a look costs, waits left out. */
static double thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * A glance every 20 ms, and a full look when the server has grown (a new
 * thread or child: its peak may be now) or when the last full look has been
 * paid for. The sampler shares its core with the load, and a full look at
 * fork's children costs CPU (the kernel walks each one's page tables for
 * Pss: 16 ms for 200 children), so between growths it waits 25 times what
 * its last full look cost: at most 4% of that core.
 */
static void *sampler_thread(void *arg)
{
	struct sampler *s = arg;
	double due = 0;

	while (!s->done) {
		if (now_ms() >= due || size_now(s) > s->size) {
			double cost = thread_cpu_ms();

			sample_once(s);
			cost = thread_cpu_ms() - cost;
			due = now_ms() + cost * 25;
		}
		pause_ms(20);
	}
	return NULL;
}

/* ------------------------------------------------------------------ probe */

/*
 * One client connects and says nothing; a second connects and sends one
 * byte. How long until the second hears back? A server busy with the
 * silent one (sequential) leaves it waiting past the bound: "blocked".
 */
static void probe(const struct server_run *s, struct row *r)
{
	int gai_error, silent, fd;
	double start;
	char c;

	r->blocked = 1;
	silent = net_connect("127.0.0.1", s->port, &gai_error);
	start = now_ms();
	fd = net_connect("127.0.0.1", s->port, &gai_error);
	if (fd != -1) {
		struct timeval bound = { PROBE_BOUND_MS / 1000, 0 };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof(bound));
		if (send(fd, "x", 1, MSG_NOSIGNAL) == 1 && recv(fd, &c, 1, 0) == 1) {
			r->wait_ms = now_ms() - start;
			r->blocked = r->wait_ms >= PROBE_BOUND_MS;
		}
		close(fd);
	}
	if (silent != -1)
		close(silent);
}

/* pool, reuseport: count "[worker N] (or [loop N]) Connection with ... closed" in a log. */
static void count_served(int log_fd, struct row *r)
{
	char line[512];
	FILE *f;
	int n;

	lseek(log_fd, 0, SEEK_SET);
	f = fdopen(dup(log_fd), "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if ((sscanf(line, "[worker %d]", &n) == 1 || sscanf(line, "[loop %d]", &n) == 1) &&
		    strstr(line, "] Connection with ") &&
		    n >= 1 && n <= MAX_WORKERS) {
			r->served[n - 1]++;
			if (n > r->workers)
				r->workers = n;
		}
	fclose(f);
}

/* --------------------------------------------------------------- measure */

/* "[3/8] fork: starting" on a terminal, rewritten in place. */
static void show_step(int i, int n, const char *name, const char *what)
{
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K[%d/%d] %s: %s", i + 1, n, name, what);
}

/* The load with the sampler watching, then the probe. 0, or -1 when stopped. */
static int measure(const struct bench_load *load, struct server_run *s, struct row *r)
{
	struct sampler smp = { .pid = s->child.pid };
	pthread_t tid;
	sigset_t stop, old;
	int rc;

	/* The sampler never takes Ctrl-C: main does, and stops the server. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	rc = pthread_create(&tid, NULL, sampler_thread, &smp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (bench_run(load, &r->bench) == -1)
		r->bench.interrupted = 1;
	if (!stop_requested)
		probe(s, r);
	smp.done = 1;
	if (rc == 0)
		pthread_join(tid, NULL);
	/*
	 * One last look while the server still runs: a load shorter than the
	 * sampler's 20 ms may have been seen only before pool's workers started.
	 */
	sample_once(&smp);
	r->peak_threads = (int)smp.peak.threads;
	r->peak_processes = (int)smp.peak.processes;
	r->peak_rss_kib = smp.peak.rss_kib;
	r->peak_pss_kib = smp.peak.pss_kib;
	return stop_requested ? -1 : 0;
}

/*
 * pool's clients per worker, reuseport's per loop: the figures above come
 * from a run at -qq, which logs nothing per client. So the same load runs
 * once more at -q, whose log says which worker (or loop) closed each
 * client, and those lines are counted. The log costs time, which is why it
 * is a second run.
 */
static void measure_served(const struct bench_load *load, int load_cpu, struct row *r)
{
	struct server_run s;
	struct bench_result res;

	if (server_run_start(r->design, "-q", load_cpu, &s) == 0) {
		struct bench_load l = *load;

		l.port = s.port;
		l.progress = 0;		/* the step line says what this run is for */
		bench_run(&l, &res);
	}
	server_run_stop(&s, NULL);
	(void)design_n(command_find(r->design->name), r->design->arg, &r->workers);
	if (s.child.output_fd != -1)
		count_served(s.child.output_fd, r);
	child_close(&s.child);
}

/* Step i of n: one design, once. The first round also counts pool's workers. */
static int compare_one(const struct bench_load *base, int load_cpu, struct row *r, int i,
    int n, int first_round)
{
	struct bench_load load = *base;
	struct server_run s;
	char step[48];
	int rc = -1;

	show_step(i, n, r->design->name, _("starting"));
	if (server_run_start(r->design, "-qq", load_cpu, &s) == -1) {
		if (!stop_requested)
			log_error(_("compare: cannot start the %s server"), r->design->name);
		server_run_stop(&s, NULL);
		child_close(&s.child);
		return -1;
	}
	r->pid = s.child.pid;
	load.port = s.port;
	snprintf(step, sizeof(step), "[%d/%d] %s", i + 1, n, r->design->name);
	load.label = step;	/* a load over a second shows how far it is */
	show_step(i, n, r->design->name, _("the load, then a new client's wait"));
	rc = measure(&load, &s, r);
	server_run_stop(&s, r);
	child_close(&s.child);
	if (rc == 0 && first_round && (strcmp(r->design->name, "pool") == 0 ||
	    command_find(r->design->name)->kind == EVENT_LOOPS)) {
		show_step(i, n, r->design->name, _("once more at -q, to count who served whom"));
		measure_served(base, load_cpu, r);
	}
	return rc;
}

/* ------------------------------------------------------------------ run */

/* --designs LIST: the rows to run, in the table's order; usage error if unknown. */
static int choose(const char *list, struct row *rows)
{
	int n = 0;

	for (size_t i = 0; i < ndesigns; i++) {
		const char *name = lineup[i].name;
		const char *at = list ? strstr(list, name) : name;
		size_t len = strlen(name);

		/* a whole word of the comma-separated list */
		while (list && at && !((at == list || at[-1] == ',') &&
		    (at[len] == ',' || at[len] == '\0')))
			at = strstr(at + 1, name);
		if (at != NULL)
			rows[n++].design = &lineup[i];
	}
	return n;
}

static void check_designs(const char *list)
{
	char copy[256], names[256] = "", *word, *save;

	for (size_t i = 0; i < ndesigns; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
		    i > 0 ? ", " : "", lineup[i].name);
	snprintf(copy, sizeof(copy), "%s", list);
	for (word = strtok_r(copy, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ndesigns && strcmp(word, lineup[i].name) != 0; i++)
			;
		if (i == ndesigns)
			usage_error(_("--designs: unknown design '%s' (a comma-separated list of %s)"),
			    word, names);
	}
	if (list[0] == '\0' || strlen(list) >= sizeof(copy))
		usage_error(_("--designs takes a comma-separated list of designs"));
}

/*
 * Every design once per round; round k starts at the k-th design and goes
 * round the lineup from there, so that a burst of load elsewhere, early or
 * late in a round, falls on a different design each time. each[i * R + k]
 * is design i in round k.
 */
static int run_rounds(const struct bench_load *load, int load_cpu, const struct row *rows,
    int n, int rounds, struct row *each)
{
	int failed = 0;

	for (int k = 0; k < rounds && !stop_requested; k++)
		for (int j = 0; j < n && !stop_requested; j++) {
			int i = (k + j) % n;
			struct row *r = &each[i * rounds + k];

			r->design = rows[i].design;
			if (compare_one(load, load_cpu, r, k * n + j, rounds * n, k == 0) == -1)
				failed++;
		}
	return failed;
}

/* --designs LIST with each alias ('async') written as the design it names ('epoll'). */
static const char *without_aliases(const char *list, char *out, size_t size)
{
	char copy[256], *word, *save;
	size_t used = 0;

	if (list == NULL)
		return NULL;
	snprintf(copy, sizeof(copy), "%s", list);
	out[0] = '\0';
	for (word = strtok_r(copy, ",", &save); word && used < size;
	    word = strtok_r(NULL, ",", &save)) {
		const struct command *cmd = command_find(word);

		used += (size_t)snprintf(out + used, size - used, "%s%s", used > 0 ? "," : "",
		    cmd != NULL && cmd->alias_of != NULL ? cmd->alias_of : word);
	}
	return out;
}

/* --svg FILE: can it be written? Asked before the rounds, not minutes later. -1: errno says. */
static int can_write(const char *file)
{
	const char *slash = strrchr(file, '/');
	char dir[4096];

	if (access(file, F_OK) == 0)
		return access(file, W_OK);
	if (slash == NULL)
		return access(".", W_OK | X_OK);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file) + 1, file);
	return access(dir, W_OK | X_OK);
}

int run_compare(const struct options *opt)
{
	struct row rows[MAX_DESIGNS], *each;
	struct bench_load load;
	int n, failed = 0, load_cpu, rounds = opt->rounds > 0 ? opt->rounds : ROUNDS_DEFAULT;
	char names[256];
	const char *designs = without_aliases(opt->designs, names, sizeof(names));

	lineup_from_table();
	if (designs != NULL)
		check_designs(designs);
	if (opt->svg != NULL && can_write(opt->svg) == -1) {
		log_error(_("compare: cannot write %s: %s"), opt->svg, strerror(errno));
		return 1;
	}
	bench_load_from(opt, &load);
	load.host = "127.0.0.1";
	load.progress = isatty(STDERR_FILENO);
	memset(rows, 0, sizeof(rows));
	n = choose(designs, rows);
	if (signals_init() == -1) {
		log_error(_("compare: cannot install the signal handlers"));
		return 1;
	}
	each = calloc((size_t)(n * rounds), sizeof(*each));
	if (each == NULL) {
		log_error(_("compare: out of memory"));
		return 1;
	}
	load_cpu = pin_load();
	failed = run_rounds(&load, load_cpu, rows, n, rounds, each);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
	if (stop_requested) {
		free(each);
		log_error(_("compare: interrupted; the server it had started is stopped"));
		return 130;
	}
	for (int i = 0; i < n; i++)
		compare_fold(&rows[i], &each[i * rounds], rounds);
	free(each);
	if (opt->json && compare_json(rows, n) == -1)
		return 1;
	if (!opt->json)
		compare_text(&load, rows, n);
	if (opt->svg != NULL && compare_svg(opt->svg, &load, rows, n) == -1) {
		log_error(_("compare: cannot write %s: %s"), opt->svg, strerror(errno));
		return 1;
	}
	return failed > 0 ? 1 : 0;
}
