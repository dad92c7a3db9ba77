/*
 * kernel.c - the kernel's view of a TCP server, read from /proc.
 *
 * Three passes per look: the TCP sockets on the port (sock_diag, as ss
 * asks; /proc/net/tcp and tcp6 where that is missing), the descriptors of
 * the server and of its children (/proc/PID/fd: which socket inode each
 * one is), every thread's name and blocking call (/proc/PID/task/TID).
 * Then the sockets on the port are sorted into the accept queue (no
 * descriptor yet: inode 0) and the accepted ones. The text of /proc is
 * parsed in kernel_parse.c.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "net.h"

#define RESCAN 10	/* read every descriptor again after this many looks */

struct kernel_fd {
	pid_t pid;
	int fd;
	unsigned long inode;	/* the socket's inode; 0 not a socket */
};

/* ---- reading /proc ---- */

/* Room for one more element in *array (capacity *cap); -1 out of memory. */
static int grow(void *array, size_t size, size_t n, size_t *cap)
{
	void **p = array;
	size_t want = *cap ? *cap * 2 : 64;
	void *bigger;

	if (n < *cap)
		return 0;
	while (want <= n)
		want *= 2;
	bigger = realloc(*p, want * size);
	if (bigger == NULL)
		return -1;
	*p = bigger;
	*cap = want;
	return 0;
}

/* A small /proc file, whole, without its last newline; -1 with errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);	/* read-only: nothing to lose */
	if (n == -1)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return n;
}

/*
 * A whole /proc file into v->text, in as few read()s as it takes. The
 * kernel writes /proc/net/tcp afresh for each read(), resuming where the
 * last one stopped: with small reads a socket that comes or goes in
 * between shifts the rest, and lines come twice or not at all. One big
 * read() sees the table in one pass, and costs the kernel one walk of it.
 */
static ssize_t read_whole(struct kernel_view *v, const char *path)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return -1;
	for (;;) {
		if (v->captext - len < 2) {
			size_t cap = v->captext ? v->captext * 2 : 1024 * 1024;
			char *bigger = realloc(v->text, cap);

			if (bigger == NULL)
				break;
			v->text = bigger;
			v->captext = cap;
		}
		n = read(fd, v->text + len, v->captext - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);	/* read-only: nothing to lose */
	if (v->text == NULL)
		return -1;
	v->text[len] = '\0';
	return (ssize_t)len;
}

/* Every socket of /proc/net/tcp or tcp6 into v->all. */
static void read_sockets(struct kernel_view *v, const char *path, int ipv6)
{
	char *line, *end;

	if (read_whole(v, path) == -1)
		return;	/* no IPv6 in this kernel: nothing to add */
	for (line = v->text; *line != '\0'; line = end) {
		end = strchrnul(line, '\n');
		if (*end == '\n')
			*end++ = '\0';
		if (grow(&v->all, sizeof(*v->all), v->nall, &v->capall) == -1)
			break;
		if (kernel_parse_tcp_line(line, ipv6, &v->all[v->nall]))
			v->nall++;
	}
}

/* ---- sock_diag: what ss uses, the same facts without the text ---- */

/* An address and port from sock_diag, as Python writes it. */
static void diag_name(int family, const __be32 addr[4], __be16 port, char *out)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET6) {
		memcpy(&s6->sin6_addr, addr, 16);
		s6->sin6_port = port;
	} else {
		memcpy(&s4->sin_addr, addr, 4);
		s4->sin_port = port;
	}
	net_peer_name((struct sockaddr *)&ss, family == AF_INET6 ? sizeof(*s6) : sizeof(*s4),
	    out, KERNEL_PEER_MAX);
}

/* The byte totals in the answer's tcp_info, when it has one (Linux 4.2 and later). */
static void diag_totals(struct kernel_socket *s, const struct nlmsghdr *h)
{
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	size_t need = offsetof(struct tcp_info, tcpi_bytes_received) +
	    sizeof(((struct tcp_info *)0)->tcpi_bytes_received);

	for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, len);
	    a = RTA_NEXT(a, len)) {
		struct tcp_info info;

		if (a->rta_type != INET_DIAG_INFO || RTA_PAYLOAD(a) < need)
			continue;
		memset(&info, 0, sizeof(info));
		memcpy(&info, RTA_DATA(a), RTA_PAYLOAD(a) < sizeof(info) ? RTA_PAYLOAD(a) :
		    sizeof(info));
		s->received = info.tcpi_bytes_received;
		s->acked = info.tcpi_bytes_acked;
	}
}

static void diag_add(struct kernel_view *v, const struct nlmsghdr *h)
{
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	struct kernel_socket *s;

	if (m->idiag_state < 1 || m->idiag_state > TCP_STATE_CLOSING ||
	    grow(&v->all, sizeof(*v->all), v->nall, &v->capall) == -1)
		return;
	s = &v->all[v->nall++];
	memset(s, 0, sizeof(*s));
	s->state = m->idiag_state;
	s->family = m->idiag_family;
	s->local_port = ntohs(m->id.idiag_sport);
	s->peer_port = ntohs(m->id.idiag_dport);
	if (s->state == TCP_STATE_LISTEN)	/* the others' local end is the listener's */
		diag_name(m->idiag_family, m->id.idiag_src, m->id.idiag_sport, s->local);
	diag_name(m->idiag_family, m->id.idiag_dst, m->id.idiag_dport, s->peer);
	s->unread = m->idiag_rqueue;	/* LISTEN: the accept queue */
	s->unsent = m->idiag_wqueue;	/* LISTEN: the backlog */
	s->inode = m->idiag_inode;
	s->uid = m->idiag_uid;
	s->fd = -1;
	if (v->totals)
		diag_totals(s, h);
}

/*
 * One dump of a family's TCP sockets in 'states' (a bit per state) whose
 * local port is 'port' (0: any), into v->all. The kernel filters by port
 * itself (a two-instruction program: port >= P and port <= P), so a busy
 * machine's other sockets cost nothing. -1 when sock_diag is not there.
 */
static int diag_dump(struct kernel_view *v, int family, unsigned states, int port)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
		struct nlattr attr;
		struct inet_diag_bc_op ops[4];
	} ask;
	char buf[32768];
	ssize_t n;
	int fd, done = 0, rc = 0;

	memset(&ask, 0, sizeof(ask));
	ask.nlh.nlmsg_len = port ? sizeof(ask) : NLMSG_LENGTH(sizeof(ask.req));
	ask.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	ask.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ask.req.sdiag_family = (__u8)family;
	ask.req.sdiag_protocol = IPPROTO_TCP;
	ask.req.idiag_states = states;
	if (v->totals)	/* tcp_info too: the kernel fills it socket by socket */
		ask.req.idiag_ext = 1 << (INET_DIAG_INFO - 1);
	ask.attr.nla_len = sizeof(ask.attr) + sizeof(ask.ops);
	ask.attr.nla_type = INET_DIAG_REQ_BYTECODE;
	/* Jump 8 bytes ahead when true; past the end (reject) when false. */
	ask.ops[0] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_GE, 8, 20 };
	ask.ops[1] = (struct inet_diag_bc_op){ 0, 0, (unsigned short)port };
	ask.ops[2] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_LE, 8, 12 };
	ask.ops[3] = (struct inet_diag_bc_op){ 0, 0, (unsigned short)port };

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) == -1)
		return -1;
	if (send(fd, &ask, ask.nlh.nlmsg_len, 0) != (ssize_t)ask.nlh.nlmsg_len) {
		close(fd);
		return -1;
	}
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				rc = h->nlmsg_type == NLMSG_ERROR ? -1 : 0;
				done = 1;
				break;
			}
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				diag_add(v, h);
		}
	}
	close(fd);	/* a question asked: nothing to keep */
	return done ? rc : -1;
}

/*
 * Every TCP socket on port (0: the listening ones) of family (0: IPv4 and
 * IPv6; a listener's connections are of its own family); 1 from sock_diag.
 */
static int read_all_sockets(struct kernel_view *v, int port, int family)
{
	unsigned states = port ? ~(1u << TCP_STATE_TIME_WAIT) & 0xfff : 1u << TCP_STATE_LISTEN;

	v->nall = 0;
	if ((family == AF_INET6 || diag_dump(v, AF_INET, states, port) == 0) &&
	    (family == AF_INET || diag_dump(v, AF_INET6, states, port) == 0))
		return 1;
	/* No sock_diag (an old or locked-down kernel): the same from /proc, slower. */
	v->nall = 0;
	read_sockets(v, "/proc/net/tcp", 0);
	read_sockets(v, "/proc/net/tcp6", 1);
	return 0;
}

static int by_inode(const void *a, const void *b)
{
	unsigned long x = ((const struct kernel_socket *)a)->inode;
	unsigned long y = ((const struct kernel_socket *)b)->inode;

	return (x > y) - (x < y);
}

/* A socket listed twice (the table moved under a long read) is kept once. */
static void drop_twins(struct kernel_view *v)
{
	size_t kept = 0;

	for (size_t i = 0; i < v->nall; i++)
		if (kept == 0 || v->all[i].inode == 0 || v->all[i].inode != v->all[kept - 1].inode)
			v->all[kept++] = v->all[i];
	v->nall = kept;
}

static struct kernel_socket *socket_by_inode(struct kernel_view *v, unsigned long inode)
{
	struct kernel_socket key = { .inode = inode };

	if (inode == 0)
		return NULL;
	if (v->nall == 0)
		return NULL;	/* bsearch() must not see a NULL array, even empty */
	return bsearch(&key, v->all, v->nall, sizeof(*v->all), by_inode);
}

static int add_proc(struct kernel_view *v, pid_t pid)
{
	for (size_t i = 0; i < v->nprocs; i++)
		if (v->procs[i] == pid)
			return 0;	/* seen: a pid is listed once */
	if (grow(&v->procs, sizeof(*v->procs), v->nprocs, &v->capprocs) == -1)
		return -1;
	v->procs[v->nprocs++] = pid;
	return 0;
}

/* The server and every process below it (fork's children), from .../children. */
static void read_family(struct kernel_view *v, pid_t pid)
{
	char path[64], text[4096];
	pid_t children[64];
	struct dirent *d;
	DIR *tasks;

	v->nprocs = 0;
	add_proc(v, pid);
	for (size_t i = 0; i < v->nprocs; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task", (int)v->procs[i]);
		if ((tasks = opendir(path)) == NULL)
			continue;	/* it just ended */
		while ((d = readdir(tasks)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children",
			    (int)v->procs[i], d->d_name);
			if (read_small(path, text, sizeof(text)) == -1)
				continue;
			for (int k = 0, n = kernel_parse_children(text, children, 64); k < n; k++)
				if (add_proc(v, children[k]) == -1)
					break;
		}
		closedir(tasks);
	}
}

static void note_denied(struct kernel_view *v, pid_t pid)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (v->denied)
		return;	/* the first refusal is the one worth naming */
	v->denied = 1;
	v->denied_pid = pid;
	v->denied_uid = stat(path, &st) == 0 ? (unsigned)st.st_uid : 0;
}

/* Process pid's socket descriptors into v->fds; -1 when /proc refuses. */
static int read_fds(struct kernel_view *v, pid_t pid)
{
	char path[64], link[64];
	struct dirent *d;
	unsigned long inode;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return errno == EACCES || errno == EPERM ? -1 : 0;
	while ((d = readdir(dir)) != NULL) {
		n = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;	/* ".", "..", or closed meanwhile */
		link[n] = '\0';
		if (!kernel_parse_socket_link(link, &inode) ||
		    grow(&v->fds, sizeof(*v->fds), v->nfds, &v->capfds) == -1)
			continue;
		v->fds[v->nfds++] = (struct kernel_fd){ pid, atoi(d->d_name), inode };
	}
	closedir(dir);
	return 0;
}

static int by_pid_fd(const void *a, const void *b)
{
	const struct kernel_fd *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

static struct kernel_socket *socket_of_fd(struct kernel_view *v, pid_t pid, int fd)
{
	struct kernel_fd key = { pid, fd, 0 }, *found;

	if (v->nfds == 0)
		return NULL;
	found = bsearch(&key, v->byfd, v->nfds, sizeof(*v->byfd), by_pid_fd);
	return found != NULL ? socket_by_inode(v, found->inode) : NULL;
}

/* Does process pid hold the socket 'inode'? -1 when /proc refuses to say. */
static int holds(pid_t pid, unsigned long inode)
{
	char path[64], link[64];
	unsigned long held;
	struct dirent *d;
	int found = 0;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return errno == EACCES || errno == EPERM ? -1 : 0;
	while (!found && (d = readdir(dir)) != NULL) {
		n = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = kernel_parse_socket_link(link, &held) && held == inode;
	}
	closedir(dir);
	return found;
}

/* The process holding the listening socket: its holder whose parent is not one. */
static pid_t find_holder(struct kernel_view *v, unsigned long inode)
{
	char path[64], text[512], state;
	pid_t pid, ppid, best = 0;
	struct dirent *d;
	DIR *proc;
	int refused = 0;

	if ((proc = opendir("/proc")) == NULL)
		return 0;
	while ((d = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		pid = (pid_t)atoi(d->d_name);
		switch (holds(pid, inode)) {
		case -1: refused = 1; continue;
		case 0: continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		if (read_small(path, text, sizeof(text)) == -1 || !kernel_parse_stat(text, &state, &ppid))
			continue;
		if (best == 0 || holds(ppid, inode) != 1)
			best = pid;
	}
	closedir(proc);
	v->scan_denied = best == 0 && refused;	/* kept until the next search */
	return best;
}

/*
 * How many sockets the epoll set that thread t waits on (t->fd) watches.
 * Each is marked as that thread's: with several loops (reuseport), the one
 * whose set holds a client is the loop that serves it.
 */
static long epoll_watched(struct kernel_view *v, const struct kernel_thread *t)
{
	char path[64], *line = NULL;
	struct kernel_socket *s;
	size_t len = 0;
	long count = 0;
	int target;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)t->pid, t->fd);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (getline(&line, &len, f) != -1)
		if (kernel_parse_epoll_line(line, &target) &&
		    (s = socket_of_fd(v, t->pid, target)) != NULL) {
			s->loop = t->tid;	/* its set, so its loop: this thread */
			count++;
		}
	free(line);
	fclose(f);
	return count;
}

/* The system call a thread is in and its first arguments, or a guess from wchan. */
static void read_call(struct kernel_view *v, struct kernel_thread *t, const char *dir)
{
	char path[128], text[512], state = '?';
	unsigned long args[6];
	pid_t ppid;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/syscall", dir);
	n = read_small(path, text, sizeof(text));
	if (n != -1 && kernel_parse_syscall(text, &t->call, args)) {
		t->doing = kernel_doing_of_call(t->call);
		if (t->doing == DOING_SELECT)
			t->watched = (long)args[0];	/* nfds: the highest descriptor + 1 */
		else if (t->doing == DOING_POLL)
			t->watched = (long)args[1];	/* nfds: the array's length */
		else if (t->doing != DOING_LOCK && t->doing != DOING_SLEEP && t->call >= 0)
			t->fd = args[0] <= 0x7fffffff ? (int)args[0] : -1;
		if (t->doing == DOING_EPOLL_WAIT)
			t->watched = epoll_watched(v, t);
		else if (t->fd >= 0)
			t->sock = socket_of_fd(v, t->pid, t->fd);
		return;
	}
	/* syscall refused (another user's process): wchan and stat still tell the kind. */
	if (n == -1 && (errno == EACCES || errno == EPERM))
		note_denied(v, t->pid);
	t->guessed = 1;
	snprintf(path, sizeof(path), "%s/stat", dir);
	if (read_small(path, text, sizeof(text)) != -1)
		kernel_parse_stat(text, &state, &ppid);
	snprintf(path, sizeof(path), "%s/wchan", dir);
	if (read_small(path, text, sizeof(text)) == -1)
		text[0] = '\0';
	t->doing = kernel_doing_of_wchan(text, state);
}

/* Every thread of every process of the server. */
static void read_threads(struct kernel_view *v)
{
	char dir[64], path[96];
	struct kernel_thread *t;
	struct dirent *d;
	DIR *tasks;

	for (size_t i = 0; i < v->nprocs; i++) {
		snprintf(dir, sizeof(dir), "/proc/%d/task", (int)v->procs[i]);
		if ((tasks = opendir(dir)) == NULL)
			continue;	/* it ended meanwhile */
		while ((d = readdir(tasks)) != NULL) {
			if (!isdigit((unsigned char)d->d_name[0]) ||
			    grow(&v->threads, sizeof(*v->threads), v->nthreads, &v->capthreads) == -1)
				continue;
			t = &v->threads[v->nthreads];
			memset(t, 0, sizeof(*t));
			t->pid = v->procs[i];
			t->tid = (pid_t)atoi(d->d_name);
			t->fd = -1;
			t->watched = -1;
			t->call = -1;
			snprintf(path, sizeof(path), "%s/%.16s/comm", dir, d->d_name);
			if (read_small(path, t->name, sizeof(t->name)) == -1)
				continue;	/* the thread ended meanwhile */
			snprintf(path, sizeof(path), "%s/%.16s", dir, d->d_name);
			read_call(v, t, path);
			v->nthreads++;
		}
		closedir(tasks);
	}
}

static int by_peer_port(const void *a, const void *b)
{
	const struct kernel_socket *x = a, *y = b;

	return (x->peer_port > y->peer_port) - (x->peer_port < y->peer_port);
}

/* The listening socket on port (any port: 0), held by the server if pid is known. */
static const struct kernel_socket *find_listener(const struct kernel_view *v, int port, pid_t pid)
{
	for (size_t i = 0; i < v->nall; i++) {
		const struct kernel_socket *s = &v->all[i];

		if (s->state == TCP_STATE_LISTEN && (port == 0 || s->local_port == port) &&
		    (pid == 0 || s->owner != 0))
			return s;
	}
	return NULL;
}

/* The rest of the port's sockets: in the accept queue (no inode yet), or accepted. */
static void sort_connections(struct kernel_view *v)
{
	for (size_t i = 0; i < v->nall; i++) {
		struct kernel_socket *s = &v->all[i];

		if (s->local_port != v->port || s->state == TCP_STATE_LISTEN)
			continue;
		if (s->inode != 0) {
			if (grow(&v->conns, sizeof(*v->conns), v->nconns, &v->capconns) == 0)
				v->conns[v->nconns++] = *s;
		} else if (s->state == TCP_STATE_ESTABLISHED || s->state == TCP_STATE_CLOSE_WAIT) {
			if (grow(&v->queued, sizeof(*v->queued), v->nqueued, &v->capqueued) == 0)
				v->queued[v->nqueued++] = *s;
		}	/* else closed by the server, the kernel finishing it off: gone */
	}
	if (v->nqueued > 1)
		qsort(v->queued, v->nqueued, sizeof(*v->queued), by_peer_port);
}

/* A fingerprint of the sockets that have a descriptor: changes when one comes or goes. */
static unsigned long long held_key(const struct kernel_view *v)
{
	unsigned long long key = v->nall;

	for (size_t i = 0; i < v->nall; i++)
		key += (unsigned long long)v->all[i].inode * 0x9e3779b97f4a7c15ull;
	return key;
}

/*
 * Who holds what: the server's family, their descriptors, each socket's
 * owner. Reading every descriptor's link is the dearest part of a look at
 * a server with 1,000 clients, so it is done again only when the sockets
 * on the port changed (a client came or went), or every RESCAN looks.
 */
static void read_owners(struct kernel_view *v)
{
	unsigned long long key = held_key(v);
	struct kernel_socket *s;

	if (key != v->scan_key || v->pid != v->scan_pid || ++v->scan_age >= RESCAN ||
	    v->scan_denied) {
		v->nfds = 0;
		v->scan_age = 0;
		read_family(v, v->pid);
		for (size_t i = 0; i < v->nprocs; i++)
			if (read_fds(v, v->procs[i]) == -1)
				note_denied(v, v->procs[i]);
		v->scan_key = key;
		v->scan_pid = v->pid;
		v->scan_denied = v->denied;
		if (v->nfds > 0 && grow(&v->byfd, sizeof(*v->byfd), v->nfds, &v->capbyfd) == 0) {
			memcpy(v->byfd, v->fds, v->nfds * sizeof(*v->fds));
			qsort(v->byfd, v->nfds, sizeof(*v->byfd), by_pid_fd);
		}
	}
	/* In family order, so a socket fork's child inherited stays its parent's. */
	for (size_t i = 0; i < v->nfds; i++)
		if ((s = socket_by_inode(v, v->fds[i].inode)) != NULL && s->owner == 0) {
			s->owner = v->fds[i].pid;
			s->fd = v->fds[i].fd;
		}
}

static int alive(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return access(path, F_OK) == 0;
}

/* Sorted by inode, each socket once. */
static void sort_sockets(struct kernel_view *v)
{
	if (v->nall > 1)
		qsort(v->all, v->nall, sizeof(*v->all), by_inode);
	drop_twins(v);
}

/* The first port process pid (or a child of it) listens on; 0 none. */
static int family_port(struct kernel_view *v, pid_t pid)
{
	const struct kernel_socket *l;

	read_all_sockets(v, 0, 0);
	sort_sockets(v);
	v->pid = pid;
	read_owners(v);
	l = find_listener(v, 0, pid);
	v->scan_pid = 0;	/* the full reading that follows scans again */
	return l != NULL ? l->local_port : 0;
}

/*
 * Who holds the listener on port: found once (it means reading every
 * process's descriptors), then kept. When nobody listens any more, the
 * server found before is kept while it lives: it may still serve its
 * clients (limited N closes its listener after N).
 */
static void find_server(struct kernel_view *v, int port, unsigned long last)
{
	const struct kernel_socket *l = find_listener(v, port, 0);

	if (l == NULL) {
		if (v->pid != 0 && !alive(v->pid))
			v->pid = 0;
		return;
	}
	if (l->inode != last || (v->pid != 0 && !alive(v->pid)) ||
	    (v->pid == 0 && ++v->scan_age >= RESCAN)) {
		v->listener = *l;
		v->scan_age = 0;
		v->pid = find_holder(v, l->inode);
	}
	if (v->pid == 0 && v->scan_denied) {
		v->denied = 1;	/* someone else's: which process, /proc would not say */
		v->denied_uid = l->uid;
	}
}

int kernel_read(struct kernel_view *v, int port, pid_t pid)
{
	unsigned long last = v->listener.inode;
	const struct kernel_socket *l;
	int diag;

	v->nqueued = v->nconns = v->nthreads = 0;
	v->denied = v->listening = 0;
	v->denied_pid = 0;
	if (pid != 0 && port == 0 && (port = family_port(v, pid)) == 0)
		return -1;
	/* The same listener as last time: only its family can hold its clients. */
	diag = read_all_sockets(v, port, last != 0 && v->port == port ? v->listener.family : 0);
	sort_sockets(v);
	if (pid == 0)
		find_server(v, port, last);
	else
		v->pid = pid;
	if (v->pid == 0 && find_listener(v, port, 0) == NULL)
		return -1;	/* no server, nobody listening: nothing to show */
	if (v->pid != 0)
		read_owners(v);
	if ((l = find_listener(v, port, pid)) != NULL) {
		v->listening = 1;
		v->listener = *l;
		/* sock_diag tells the backlog; /proc/net/tcp does not. */
		v->backlog = diag ? (long)l->unsent : -1;
	}
	v->port = port;
	v->listeners = 0;
	for (size_t i = 0; i < v->nall; i++)
		v->listeners += v->all[i].state == TCP_STATE_LISTEN && v->all[i].local_port == port;
	read_threads(v);	/* first: each loop marks the sockets its set holds */
	sort_connections(v);
	return v->listening ? 0 : -1;
}

void kernel_free(struct kernel_view *v)
{
	free(v->all);
	free(v->queued);
	free(v->conns);
	free(v->threads);
	free(v->procs);
	free(v->fds);
	free(v->byfd);
	free(v->text);
	memset(v, 0, sizeof(*v));
}

const struct kernel_socket *kernel_find_peer(const struct kernel_view *v, const char *peer)
{
	for (size_t i = 0; i < v->nconns; i++)
		if (strcmp(v->conns[i].peer, peer) == 0)
			return &v->conns[i];
	for (size_t i = 0; i < v->nqueued; i++)
		if (strcmp(v->queued[i].peer, peer) == 0)
			return &v->queued[i];
	return NULL;
}

void kernel_command_line(pid_t pid, char *out, size_t size)
{
	char path[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if (size == 0)
		return;
	if ((n = read_small(path, out, size)) <= 0) {
		out[0] = '\0';
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		if (out[i] == '\0' || out[i] == '\n' || (unsigned char)out[i] < 0x20)
			out[i] = ' ';
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
}
