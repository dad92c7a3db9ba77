/*
 * kernel_parse.c - the kernel's /proc text, one line or one small file at a
 * time, into numbers and names. Plain strings in, never trusted: a field
 * is read only as far as it goes, every number is bounded, and a line
 * that does not look right is refused, never half-used. A fuzzer can be
 * pointed at each function here.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "kernel.h"
#include "net.h"

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Up to 'max' hex digits (at least one) into *out; the end, or NULL. */
static const char *hex_field(const char *p, int max, unsigned long long *out)
{
	unsigned long long n = 0;
	int digits = 0;

	while (digits < max && isxdigit((unsigned char)*p)) {
		n = n * 16 + (unsigned long long)(isdigit((unsigned char)*p) ?
		    *p - '0' : tolower((unsigned char)*p) - 'a' + 10);
		p++;
		digits++;
	}
	*out = n;
	return digits > 0 && !isxdigit((unsigned char)*p) ? p : NULL;
}

/* Exactly n hex digits (an address word runs on into the next). */
static const char *hex_exact(const char *p, int n, unsigned long long *out)
{
	*out = 0;
	for (int i = 0; i < n; i++, p++) {
		if (!isxdigit((unsigned char)*p))
			return NULL;
		*out = *out * 16 + (unsigned long long)(isdigit((unsigned char)*p) ?
		    *p - '0' : tolower((unsigned char)*p) - 'a' + 10);
	}
	return p;
}

/* A decimal field of at most 19 digits; the end, or NULL. */
static const char *dec_field(const char *p, unsigned long long *out)
{
	unsigned long long n = 0;
	int digits = 0;

	while (digits < 19 && isdigit((unsigned char)*p)) {
		n = n * 10 + (unsigned long long)(*p++ - '0');
		digits++;
	}
	*out = n;
	return digits > 0 && !isdigit((unsigned char)*p) ? p : NULL;
}

/* "0100007F:DFF5" (or 32 hex digits for IPv6) -> "('127.0.0.1', 57333)". */
static const char *address_field(const char *p, int ipv6, char *name, int *port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	unsigned long long word, port_number;
	uint32_t w;

	memset(&ss, 0, sizeof(ss));
	for (int i = 0; i < (ipv6 ? 4 : 1); i++) {
		/* The kernel prints each 32-bit word of the address as it lies in memory. */
		const char *end = hex_exact(p, 8, &word);

		if (end == NULL)
			return NULL;
		w = (uint32_t)word;
		if (ipv6)
			memcpy(&s6->sin6_addr.s6_addr[4 * i], &w, 4);
		else
			memcpy(&s4->sin_addr, &w, 4);
		p = end;
	}
	if (*p++ != ':' || (p = hex_field(p, 4, &port_number)) == NULL)
		return NULL;
	*port = (int)port_number;
	ss.ss_family = ipv6 ? AF_INET6 : AF_INET;
	if (ipv6)
		s6->sin6_port = htons((uint16_t)port_number);
	else
		s4->sin_port = htons((uint16_t)port_number);
	net_peer_name((struct sockaddr *)&ss, ipv6 ? sizeof(*s6) : sizeof(*s4),
	    name, KERNEL_PEER_MAX);
	return p;
}

int kernel_parse_tcp_line(const char *line, int ipv6, struct kernel_socket *out)
{
	struct kernel_socket s;
	unsigned long long n, tx, rx;
	const char *p = skip_spaces(line);

	memset(&s, 0, sizeof(s));
	s.fd = -1;
	/* "  1: LOCAL REMOTE ST TX:RX TR:WHEN RETRNSMT UID TIMEOUT INODE ..." */
	if ((p = dec_field(p, &n)) == NULL || *p++ != ':')
		return 0;
	if ((p = address_field(skip_spaces(p), ipv6, s.local, &s.local_port)) == NULL ||
	    (p = address_field(skip_spaces(p), ipv6, s.peer, &s.peer_port)) == NULL)
		return 0;
	if ((p = hex_field(skip_spaces(p), 2, &n)) == NULL || n < 1 || n > TCP_STATE_CLOSING)
		return 0;
	s.state = (int)n;
	s.family = ipv6 ? AF_INET6 : AF_INET;
	if ((p = hex_field(skip_spaces(p), 16, &tx)) == NULL || *p++ != ':' ||
	    (p = hex_field(p, 16, &rx)) == NULL)
		return 0;
	s.unsent = (unsigned long)tx;
	s.unread = (unsigned long)rx;
	if ((p = hex_field(skip_spaces(p), 2, &n)) == NULL || *p++ != ':' ||
	    (p = hex_field(p, 16, &n)) == NULL ||
	    (p = hex_field(skip_spaces(p), 16, &n)) == NULL)	/* timer, retransmits */
		return 0;
	if ((p = dec_field(skip_spaces(p), &n)) == NULL)
		return 0;
	s.uid = (unsigned)n;
	if ((p = dec_field(skip_spaces(p), &n)) == NULL ||	/* timeout */
	    (p = dec_field(skip_spaces(p), &n)) == NULL)
		return 0;
	s.inode = (unsigned long)n;
	*out = s;
	return 1;
}

int kernel_parse_syscall(const char *text, long *nr, unsigned long args[6])
{
	unsigned long long n;
	const char *p = skip_spaces(text);

	if (strncmp(p, "running", 7) == 0) {
		*nr = -1;
		return 1;
	}
	/* "-1 SP PC": stopped outside any system call (a page fault, say). */
	if (p[0] == '-') {
		if (dec_field(p + 1, &n) == NULL)
			return 0;
		*nr = -2;
		return 1;
	}
	if ((p = dec_field(p, &n)) == NULL || n > 100000)
		return 0;
	*nr = (long)n;
	for (int i = 0; i < 6; i++) {
		p = skip_spaces(p);
		if (p[0] != '0' || p[1] != 'x' || (p = hex_field(p + 2, 16, &n)) == NULL)
			return 0;
		args[i] = (unsigned long)n;
	}
	return 1;
}

int kernel_parse_stat(const char *text, char *state, pid_t *ppid)
{
	/* "PID (COMM) S PPID ...": COMM may hold spaces and ')', so take the last ')'. */
	const char *p = strrchr(text, ')');
	unsigned long long n;

	if (p == NULL || p[1] != ' ' || !isalpha((unsigned char)p[2]) || p[3] != ' ')
		return 0;
	if (dec_field(p + 4, &n) == NULL || n > 4194304)
		return 0;
	*state = p[2];
	*ppid = (pid_t)n;
	return 1;
}

int kernel_parse_socket_link(const char *link, unsigned long *inode)
{
	unsigned long long n;
	const char *p;

	if (strncmp(link, "socket:[", 8) != 0 || (p = dec_field(link + 8, &n)) == NULL ||
	    strcmp(p, "]") != 0)
		return 0;
	*inode = (unsigned long)n;
	return 1;
}

int kernel_parse_epoll_line(const char *line, int *target_fd)
{
	unsigned long long n;
	const char *p;

	if (strncmp(line, "tfd:", 4) != 0 || (p = dec_field(skip_spaces(line + 4), &n)) == NULL ||
	    n > 0x7fffffff)
		return 0;
	*target_fd = (int)n;
	return 1;
}

int kernel_parse_children(const char *text, pid_t *pids, int max)
{
	unsigned long long n;
	const char *p = skip_spaces(text);
	int count = 0;

	/* "4712 4713 ": the pids, each followed by a space. */
	while (*p != '\0' && count < max) {
		if ((p = dec_field(p, &n)) == NULL || n == 0 || n > 4194304)
			break;
		pids[count++] = (pid_t)n;
		p = skip_spaces(p);
	}
	return count;
}

/* ---- what the words mean ---- */

enum kernel_doing kernel_doing_of_call(long nr)
{
	static const struct { long nr; enum kernel_doing doing; } calls[] = {
#ifdef SYS_accept
		{ SYS_accept, DOING_ACCEPT },
#endif
		{ SYS_accept4, DOING_ACCEPT },
		{ SYS_read, DOING_RECV }, { SYS_readv, DOING_RECV },
		{ SYS_recvfrom, DOING_RECV }, { SYS_recvmsg, DOING_RECV },
		{ SYS_write, DOING_SEND }, { SYS_writev, DOING_SEND },
		{ SYS_sendto, DOING_SEND }, { SYS_sendmsg, DOING_SEND },
#ifdef SYS_select
		{ SYS_select, DOING_SELECT },
#endif
		{ SYS_pselect6, DOING_SELECT },
#ifdef SYS_poll
		{ SYS_poll, DOING_POLL },
#endif
		{ SYS_ppoll, DOING_POLL },
#ifdef SYS_epoll_wait
		{ SYS_epoll_wait, DOING_EPOLL_WAIT },
#endif
		{ SYS_epoll_pwait, DOING_EPOLL_WAIT },
#ifdef SYS_epoll_pwait2
		{ SYS_epoll_pwait2, DOING_EPOLL_WAIT },
#endif
#ifdef SYS_io_uring_enter
		{ SYS_io_uring_enter, DOING_IO_URING },
#endif
		{ SYS_futex, DOING_LOCK },
		{ SYS_nanosleep, DOING_SLEEP }, { SYS_clock_nanosleep, DOING_SLEEP },
	};

	if (nr == -1)
		return DOING_RUNNING;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i].nr == nr)
			return calls[i].doing;
	return DOING_OTHER;
}

enum kernel_doing kernel_doing_of_wchan(const char *wchan, char state)
{
	/* The kernel function a sleeping thread waits in, when syscall is refused. */
	static const struct { const char *prefix; enum kernel_doing doing; } waits[] = {
		{ "inet_csk_accept", DOING_ACCEPT }, { "inet_csk_wait_for_connect", DOING_ACCEPT },
		{ "sk_wait_data", DOING_RECV }, { "tcp_recvmsg", DOING_RECV },
		{ "sk_stream_wait_memory", DOING_SEND },
		{ "do_select", DOING_SELECT }, { "core_sys_select", DOING_SELECT },
		{ "do_sys_poll", DOING_POLL }, { "do_poll", DOING_POLL },
		{ "do_epoll_wait", DOING_EPOLL_WAIT }, { "ep_poll", DOING_EPOLL_WAIT },
		{ "io_cqring_wait", DOING_IO_URING },
		{ "futex", DOING_LOCK },
		{ "hrtimer_nanosleep", DOING_SLEEP }, { "do_nanosleep", DOING_SLEEP },
	};

	if (state == 'R')
		return DOING_RUNNING;
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
		if (strncmp(wchan, waits[i].prefix, strlen(waits[i].prefix)) == 0)
			return waits[i].doing;
	return DOING_OTHER;
}

const char *kernel_doing_word(enum kernel_doing doing)
{
	static const char *const words[] = {
		"accept", "recv", "send", "select", "poll", "epoll_wait", "io_uring",
		"lock", "sleep", "running", "other"
	};

	return (unsigned)doing <= DOING_OTHER ? words[doing] : "other";
}

const char *kernel_state_name(int state)
{
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"
	};

	return state >= 1 && state <= TCP_STATE_CLOSING ? names[state] : "?";
}
