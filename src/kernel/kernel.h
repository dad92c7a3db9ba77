/*
 * kernel.h - the kernel's view of a TCP server, read from /proc, for
 * 'netlab watch', the lab shell's 'status' and 'netlab check'.
 *
 * The kernel already knows everything a student wants to see, and tells it
 * to anyone who asks, without a connection to the server and without
 * stopping it (no ptrace):
 *   /proc/net/tcp, tcp6     every socket: state, queues, inode
 *   /proc/PID/fd            which process holds which socket (by inode)
 *   /proc/PID/task/TID/...  each thread's name (comm), the system call it
 *                           is blocked in and that call's first argument,
 *                           the descriptor (syscall); else wchan and stat
 *
 * For a LISTEN socket, /proc/net/tcp's rx_queue is the accept queue (the
 * connections the kernel completed that nobody accept()ed yet); its limit,
 * the backlog, comes from sock_diag netlink, as 'ss -ltn' shows it (its
 * Send-Q). A connection in the accept queue has no
 * descriptor yet, so its inode is 0: that is how it is told apart from one
 * the server accepted.
 *
 * One call, kernel_read(), fills a struct kernel_view; the caller keeps the
 * view between calls (its arrays are reused) and frees it with
 * kernel_free(). The line parsers below take plain strings, so that a
 * fuzzer (or a test) can feed them anything: none of them trusts its input.
 */
#ifndef NETLAB_KERNEL_H
#define NETLAB_KERNEL_H

#include <stddef.h>
#include <sys/types.h>

struct kernel_fd;		/* private: one process's descriptor */

#define KERNEL_PEER_MAX 80	/* "('0000:...:ffff', 65535, 0, 0)", as net.h */
#define KERNEL_NAME_MAX 32	/* a thread's comm is at most 15 bytes */

/* TCP states, numbered as the kernel numbers them in /proc/net/tcp. */
enum kernel_tcp_state {
	TCP_STATE_ESTABLISHED = 1, TCP_STATE_SYN_SENT, TCP_STATE_SYN_RECV,
	TCP_STATE_FIN_WAIT1, TCP_STATE_FIN_WAIT2, TCP_STATE_TIME_WAIT,
	TCP_STATE_CLOSE, TCP_STATE_CLOSE_WAIT, TCP_STATE_LAST_ACK,
	TCP_STATE_LISTEN, TCP_STATE_CLOSING
};

/* What a thread is doing, in one word (the spec's 'doing'). */
enum kernel_doing {
	DOING_ACCEPT,		/* accept, accept4 */
	DOING_RECV,		/* read, readv, recvfrom, recvmsg */
	DOING_SEND,		/* write, writev, sendto, sendmsg */
	DOING_SELECT,		/* select, pselect6 */
	DOING_POLL,		/* poll, ppoll */
	DOING_EPOLL_WAIT,	/* epoll_wait, epoll_pwait, epoll_pwait2 */
	DOING_IO_URING,		/* io_uring_enter: waiting for completions */
	DOING_LOCK,		/* futex: a mutex or a condition variable */
	DOING_SLEEP,		/* nanosleep, clock_nanosleep */
	DOING_RUNNING,		/* on a CPU, or about to be */
	DOING_OTHER		/* any other call, or nothing could be read */
};

/* One TCP socket: a sock_diag answer, or a line of /proc/net/tcp or tcp6. */
struct kernel_socket {
	int state;			/* enum kernel_tcp_state */
	int family;			/* AF_INET, AF_INET6 */
	int local_port, peer_port;
	char local[KERNEL_PEER_MAX];	/* "('127.0.0.1', 12345)" */
	char peer[KERNEL_PEER_MAX];	/* as Python and netlab's log print it */
	unsigned long unread;		/* received, not read yet; LISTEN: the
					   accept queue */
	unsigned long unsent;		/* sent, not acknowledged by the client yet;
					   LISTEN (sock_diag only): the backlog */
	unsigned long long received;	/* bytes the peer sent, all told; acked: */
	unsigned long long acked;	/* bytes sent that the peer acknowledged
					   (both from sock_diag, when v->totals) */
	unsigned long inode;		/* 0: no descriptor (accept queue, closed) */
	unsigned uid;			/* the socket's owner */
	pid_t owner;			/* the process holding it; 0 none or unknown */
	int fd;				/* the owner's descriptor for it; -1 */
	pid_t loop;			/* the thread in epoll_wait() on the epoll
					   set that holds it (reuseport: its loop); 0 */
};

/* One thread of the server, or of one of its child processes. */
struct kernel_thread {
	pid_t tid, pid;			/* the thread, the process it belongs to */
	char name[KERNEL_NAME_MAX];	/* "thread 3", "worker 2", "python3" */
	enum kernel_doing doing;
	long call;			/* the system call's number; -1 unknown */
	int fd;				/* the descriptor the call is on; -1 */
	long watched;			/* select/poll/epoll_wait: how many; -1 */
	const struct kernel_socket *sock;	/* fd's socket, NULL if none; valid
						   until the next kernel_read() */
	int guessed;			/* syscall unreadable: from wchan and stat */
};

struct kernel_view {
	int port;			/* the listening port */
	pid_t pid;			/* the server's process; 0 unknown */
	int listening;			/* someone listens on the port */
	struct kernel_socket listener;	/* port; its unread is the accept queue */
	long backlog;			/* the accept queue's limit; -1 unknown */
	int totals;			/* set by the caller: also read each
					   connection's byte totals (show) */
	int listeners;			/* listening sockets on the port: more than
					   one share it (SO_REUSEPORT) */

	struct kernel_socket *queued;	/* completed, not accept()ed yet */
	size_t nqueued;
	struct kernel_socket *conns;	/* accepted connections on the port */
	size_t nconns;
	struct kernel_thread *threads;	/* every thread of every process */
	size_t nthreads;
	pid_t *procs;			/* the server, then its descendants */
	size_t nprocs;

	int denied;			/* /proc refused part of the view */
	pid_t denied_pid;		/* the process it refused; 0: which one
					   holds the port could not be seen */
	unsigned denied_uid;		/* that process's (or socket's) owner */

	/* Private: buffers kept between calls. */
	struct kernel_socket *all;
	size_t nall, capall, capqueued, capconns, capthreads, capprocs;
	struct kernel_fd *fds, *byfd;	/* in family order; by pid and fd */
	size_t nfds, capfds, capbyfd;
	unsigned long long scan_key;	/* the sockets when fds were read */
	pid_t scan_pid;
	int scan_age, scan_denied;
	char *text;			/* the last /proc file read whole */
	size_t captext;
};

/*
 * Read the kernel's view of the server that listens on 'port' (pid 0: find
 * it; the view remembers it for the next call), or of process 'pid' and its
 * children (port 0: the first port they listen on). Returns 0, or -1 when
 * nothing listens there; then v->listening is 0, and if the server is
 * known and alive (it closed its listener, as limited N does) its
 * connections and threads are still filled in. What /proc refuses
 * (another user's process) is left out and named in v->denied*; the rest
 * is filled in.
 */
int kernel_read(struct kernel_view *v, int port, pid_t pid);
void kernel_free(struct kernel_view *v);

/* Process pid's command line, its arguments joined by spaces; "" if gone. */
void kernel_command_line(pid_t pid, char *out, size_t size);

/* The words of the spec: "accept", "recv", ..., "other"; "ESTABLISHED". */
const char *kernel_doing_word(enum kernel_doing doing);
const char *kernel_state_name(int state);

/* The connection (queued or accepted) whose peer is 'peer', or NULL. */
const struct kernel_socket *kernel_find_peer(const struct kernel_view *v, const char *peer);

/*
 * The parsers (kernel_parse.c), one line or one small file each. Each
 * returns 1 when it understood its input and filled the result, 0 when it
 * did not (the result is then untouched or zeroed), except
 * kernel_parse_children(), which returns a count; none reads past the
 * string's end.
 */
/* A line of /proc/net/tcp (ipv6 0) or /proc/net/tcp6 (ipv6 1). */
int kernel_parse_tcp_line(const char *line, int ipv6, struct kernel_socket *out);
/*
 * /proc/PID/task/TID/syscall: "NR ARG1 ... ARG6 SP PC" when blocked in call
 * NR; "running" (*nr = -1); "-1 SP PC", outside any call (*nr = -2).
 */
int kernel_parse_syscall(const char *text, long *nr, unsigned long args[6]);
/* /proc/PID/task/TID/stat: the state letter (R, S, D, ...) and the parent pid. */
int kernel_parse_stat(const char *text, char *state, pid_t *ppid);
/* A /proc/PID/fd link: "socket:[12345]" -> 12345. */
int kernel_parse_socket_link(const char *link, unsigned long *inode);
/* A line of /proc/PID/fdinfo/EPFD: "tfd:        7 events: ..." -> 7. */
int kernel_parse_epoll_line(const char *line, int *target_fd);
/* /proc/PID/task/TID/children: "4712 4713 " -> how many pids (at most max). */
int kernel_parse_children(const char *text, pid_t *pids, int max);

/* What a call number or a wchan name means, in one word. */
enum kernel_doing kernel_doing_of_call(long nr);
enum kernel_doing kernel_doing_of_wchan(const char *wchan, char state);

#endif
