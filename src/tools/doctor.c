/*
 * doctor.c - netlab doctor: what a class needs, checked before it starts.
 *
 * One line per check: the labs, nc, the descriptor limit, the default
 * port, the terminal, the language. What fails gets a second line with
 * the fix, so that a teacher preparing thirty machines can act on it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "doctor.h"
#include "child.h"
#include "i18n.h"
#include "lab/labfile.h"
#include "net.h"
#include "figure.h"
#include "wrap.h"

#define SELECT_LAB_FDS 1100	/* lab 7: 1030 clients, past FD_SETSIZE */
#define BIG_LAB_FDS 2100	/* the 2,000-client labs (bench, compare) */

static int failed;

/*
 * One line, on a terminal wrapped at its width with its next rows under
 * 'hang' columns of blanks; in a file or a pipe, whole.
 */
static void say(const char *line, size_t hang)
{
	static struct wrap_buf out;
	char blanks[64];
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 ||
	    ws.ws_col < 2) {
		printf("%s\n", line);
		return;
	}
	snprintf(blanks, sizeof(blanks), "%*s", (int)(hang < 40 ? hang : 40), "");
	out.len = 0;
	out.buf[0] = '\0';
	wrap_line(&out, line, strlen(line), blanks, ws.ws_col - 1u);	/* the last column free */
	printf("%s\n", out.buf);
}

/* "  ok    what" or "  FAIL  what" and "        fix: ...". */
static void verdict(int ok, const char *what, const char *fix)
{
	char line[PATH_MAX + 400];
	int lead;

	snprintf(line, sizeof(line), "  %-4s  %s", ok ? "ok" : "FAIL", what);
	say(line, 8);
	if (!ok) {
		lead = snprintf(line, sizeof(line), "        %s ", _("fix:"));
		snprintf(line + lead, sizeof(line) - (size_t)lead, "%s", fix);
		say(line, (size_t)lead);
		failed = 1;
	}
}

static int count_labs(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		n += len > 4 && strcmp(de->d_name + len - 4, ".lab") == 0;
	}
	closedir(d);
	return n;
}

static void check_labs(void)
{
	char what[PATH_MAX + 200], err[512], it[PATH_MAX];
	struct lab **labs = NULL;
	int n = lab_load_all(&labs, err, sizeof(err));

	for (int i = 0; i < n; i++)
		lab_free(labs[i]);
	free(labs);
	snprintf(it, sizeof(it), "%s/it", lab_dir());
	if (n > 0)
		snprintf(what, sizeof(what), ngettext("labs: %d lab in %s, readable (%d in Italian)",
		    "labs: %d labs in %s, all readable (%d in Italian)", n), n, lab_dir(),
		    count_labs(it));
	else if (n == 0)
		snprintf(what, sizeof(what), _("labs: no .lab file in %s"), lab_dir());
	else
		snprintf(what, sizeof(what), _("labs: %s"), err);
	verdict(n > 0, what, _("run netlab from its build directory, or make install; "
	    "NETLAB_LABDIR names another folder"));
}

/* The full path of 'name' in PATH, or NULL. */
static const char *in_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[4096], *dir, *save;

	snprintf(dirs, sizeof(dirs), "%s", path != NULL ? path : "/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save))
		if ((size_t)snprintf(out, len, "%s/%s", *dir ? dir : ".", name) < len &&
		    access(out, X_OK) == 0)
			return out;
	return NULL;
}

/* What 'prog -h' prints (nc prints its usage on stderr), into 'out'. */
static void help_text(const char *prog, char *out, size_t len)
{
	char *argv[] = { (char *)prog, "-h", NULL };
	struct child c = { .path = prog, .output = CHILD_OUTPUT_PIPE };
	size_t got = 0;
	ssize_t n;

	out[0] = '\0';
	if (child_start(&c, argv) == -1)
		return;
	while (got < len - 1 && (n = read(c.output_fd, out + got, len - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	child_end(&c, 1000);	/* its status says nothing: -h exits 1 */
	child_close(&c);
}

static void check_nc(void)
{
	char path[PATH_MAX], help[8192], what[PATH_MAX + 100];
	const char *fix = "sudo apt-get install netcat-openbsd";

	if (in_path("nc", path, sizeof(path)) == NULL) {
		verdict(0, _("nc: not found in PATH"), fix);
		return;
	}
	help_text(path, help, sizeof(help));
	if (strstr(help, "-N") == NULL) {
		snprintf(what, sizeof(what), _("nc: %s is not OpenBSD's nc (no -N, which the "
		    "labs use to end a message)"), path);
		verdict(0, what, fix);
		return;
	}
	snprintf(what, sizeof(what), _("nc: %s, OpenBSD's, with -N"), path);
	verdict(1, what, fix);
}

static void check_fd_limit(void)
{
	char what[300], fix[300], max[FIGURE_SIZE], cur[FIGURE_SIZE], sel[FIGURE_SIZE];
	char big[FIGURE_SIZE];
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		verdict(0, _("descriptors: cannot read the limit"), "ulimit -n 4096");
		return;
	}
	/* netlab raises its soft limit up to the hard one by itself: the hard one counts. */
	snprintf(fix, sizeof(fix), _("raise the hard limit to 4096: as root 'ulimit -Hn 4096' in "
	    "the shell that starts netlab, or '* hard nofile 4096' in "
	    "/etc/security/limits.conf, then log in again"));
	figure_count(rl.rlim_max == RLIM_INFINITY ? -1 : (long)rl.rlim_max, max, sizeof(max));
	figure_count(rl.rlim_cur == RLIM_INFINITY ? -1 : (long)rl.rlim_cur, cur, sizeof(cur));
	figure_count(SELECT_LAB_FDS, sel, sizeof(sel));
	figure_count(BIG_LAB_FDS, big, sizeof(big));
	if (rl.rlim_max < SELECT_LAB_FDS)
		snprintf(what, sizeof(what), _("descriptors: at most %s, too few for the select "
		    "lab (%s) and the 2,000-client labs (%s)"), max, sel, big);
	else if (rl.rlim_max < BIG_LAB_FDS)
		snprintf(what, sizeof(what), _("descriptors: at most %s, enough for the select "
		    "lab (%s), too few for the 2,000-client labs (%s)"), max, sel, big);
	else if (rl.rlim_max == RLIM_INFINITY)
		snprintf(what, sizeof(what), _("descriptors: no hard limit (now %s; netlab "
		    "raises it when a lab needs more)"), cur);
	else
		snprintf(what, sizeof(what), _("descriptors: up to %s (now %s; netlab raises "
		    "it when a lab needs more)"), max, cur);
	verdict(rl.rlim_max >= BIG_LAB_FDS, what, fix);
}

/* The inode of the socket listening on 'port', from the kernel's tables. */
static unsigned long listener_inode(int port)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	unsigned long inode = 0;
	char line[512];

	for (size_t t = 0; t < 2 && inode == 0; t++) {
		FILE *f = fopen(tables[t], "r");
		unsigned local_port, state;
		unsigned long ino;

		while (f != NULL && inode == 0 && fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*s %x %*s %*s %*s %*s %*s %lu",
			    &local_port, &state, &ino) == 3 && (int)local_port == port &&
			    state == 0x0A)	/* TCP_LISTEN */
				inode = ino;
		if (f != NULL)
			fclose(f);
	}
	return inode;
}

/* The process that holds socket 'inode': its pid, and its name in 'name'. */
static long holder_of(unsigned long inode, char *name, size_t len)
{
	char want[64], path[PATH_MAX], link[64];
	DIR *procs = opendir("/proc"), *fds;
	struct dirent *p, *fd;
	long pid = -1;

	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	while (procs != NULL && pid == -1 && (p = readdir(procs)) != NULL) {
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		if (p->d_name[0] < '1' || p->d_name[0] > '9' || (fds = opendir(path)) == NULL)
			continue;	/* not a process, or another user's */
		while (pid == -1 && (fd = readdir(fds)) != NULL) {
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, fd->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0 && (link[n] = '\0', strcmp(link, want) == 0))
				pid = strtol(p->d_name, NULL, 10);
		}
		closedir(fds);
	}
	if (procs != NULL)
		closedir(procs);
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	FILE *f = pid > 0 ? fopen(path, "r") : NULL;
	if (f == NULL || fgets(name, (int)len, f) == NULL)
		snprintf(name, len, "?");
	name[strcspn(name, "\n")] = '\0';
	if (f != NULL)
		fclose(f);
	return pid;
}

static void check_port(const struct options *opt)
{
	char what[512], fix[256], name[64];
	int gai_error, port = atoi(opt->port);
	int fd = net_listen(opt->host, opt->port, 0, &gai_error);
	long pid;

	snprintf(fix, sizeof(fix), _("stop the program that holds it, or give netlab another "
	    "port: --port 0 lets the kernel pick a free one"));
	if (fd != -1) {
		close(fd);
		snprintf(what, sizeof(what), _("port: %s port %s is free"), opt->host, opt->port);
		verdict(1, what, fix);
		return;
	}
	if (gai_error != 0 || errno != EADDRINUSE) {
		snprintf(what, sizeof(what), _("port: cannot listen on %s port %s: %s"), opt->host,
		    opt->port, gai_error != 0 ? gai_strerror(gai_error) : strerror(errno));
		verdict(0, what, _("try --host localhost"));
		return;
	}
	pid = holder_of(listener_inode(port), name, sizeof(name));
	if (pid > 0)
		snprintf(what, sizeof(what), _("port: %s port %s is busy: pid %ld (%s) listens "
		    "on it"), opt->host, opt->port, pid, name);
	else
		snprintf(what, sizeof(what), _("port: %s port %s is busy, held by a process "
		    "this user cannot see (sudo ss -ltnp names it)"), opt->host, opt->port);
	verdict(0, what, fix);
}

static void check_terminal(void)
{
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");
	char what[300];
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1) {
		verdict(1, _("terminal: not a terminal (run netlab doctor in the class's "
		    "terminal to check its size and colour)"), "");
		return;
	}
	snprintf(what, sizeof(what), _("terminal: %d columns x %d rows, TERM=%s, colour %s"),
	    ws.ws_col, ws.ws_row, term != NULL ? term : "",
	    no_color != NULL ? _("off (NO_COLOR is set)") :
	    term == NULL || strcmp(term, "dumb") == 0 ? _("off (a dumb terminal)") : _("on"));
	verdict(ws.ws_col >= 80 && ws.ws_row >= 24, what,
	    _("make the window at least 80 columns by 24 rows: the labs are laid out for it"));
}

static void check_language(void)
{
	const char *lc = setlocale(LC_MESSAGES, NULL);
	char what[PATH_MAX + 200], mo[PATH_MAX];
	const char *found = i18n_catalog("it", mo, sizeof(mo));
	int italian = strcmp(i18n_language(), "it") == 0;

	if (found != NULL)
		snprintf(what, sizeof(what), _("language: %s (locale %s); the Italian "
		    "translation is in %s"), italian ? _("Italian") : _("English"), lc, found);
	else
		snprintf(what, sizeof(what), _("language: %s (locale %s); no Italian "
		    "translation in %s"), italian ? _("Italian") : _("English"), lc, i18n_dir());
	verdict(found != NULL && (italian || strcmp(i18n_wanted(), "it") != 0), what,
	    found == NULL ? _("run make in netlab's build directory, or make install") :
	    _("the C.UTF-8 locale is missing: sudo apt-get install locales, or --lang it"));
}

int run_doctor(const struct options *opt)
{
	say(_("netlab doctor: what a class needs on this machine"), 2);
	check_labs();
	check_nc();
	check_fd_limit();
	check_port(opt);
	check_terminal();
	check_language();
	return failed ? 1 : 0;
}
