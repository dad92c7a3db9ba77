/*
 * fuzz/kernel.c - the /proc text that 'netlab watch' reads, as anything.
 *
 * /proc is the kernel's, but its text changes between kernels and a
 * process can vanish between two reads, leaving a line cut short: the
 * parsers of kernel_parse.c must take any string. The first byte picks a
 * parser; the rest, up to a NUL, is its input. Beyond "no crash, no
 * read past the end", what each parser accepts must make sense: a state
 * the kernel has, ports that fit in 16 bits, names that end within their
 * buffers, a socket link of exactly "socket:[DIGITS]" with that inode.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void defect(const char *what, const char *text)
{
	fprintf(stderr, "defect: %s, for '%.200s'\n", what, text);
	abort();
}

static void tcp_line(const char *text, int ipv6)
{
	struct kernel_socket s;

	if (!kernel_parse_tcp_line(text, ipv6, &s))
		return;
	if (s.state < TCP_STATE_ESTABLISHED || s.state > TCP_STATE_CLOSING)
		defect("a TCP state the kernel does not have", text);
	if (s.local_port < 0 || s.local_port > 65535 || s.peer_port < 0 || s.peer_port > 65535)
		defect("a port outside 0..65535", text);
	if (strnlen(s.local, sizeof(s.local)) == sizeof(s.local) ||
	    strnlen(s.peer, sizeof(s.peer)) == sizeof(s.peer))
		defect("an address that does not end within its buffer", text);
}

/* "socket:[DIGITS]" and nothing else, the inode those digits say. */
static void socket_link(const char *text)
{
	unsigned long inode = 0, want = 0;
	size_t digits = strspn(text + (strncmp(text, "socket:[", 8) == 0 ? 8 : 0), "0123456789");
	int model = strncmp(text, "socket:[", 8) == 0 && digits > 0 && digits < 20 &&
	    strcmp(text + 8 + digits, "]") == 0;

	if (model)
		want = strtoul(text + 8, NULL, 10);
	if (kernel_parse_socket_link(text, &inode) != model || (model && inode != want))
		defect("kernel_parse_socket_link() differs from the model", text);
}

static void children(const char *text)
{
	pid_t pids[8];
	int n = kernel_parse_children(text, pids, 8);

	if (n < 0 || n > 8)
		defect("more children than room for them", text);
	for (int i = 0; i < n; i++)
		if (pids[i] <= 0)
			defect("a pid that is not positive", text);
}

static void others(const char *text)
{
	unsigned long args[6];
	long nr;
	char state;
	pid_t ppid;
	int fd;

	if (kernel_parse_syscall(text, &nr, args) && (nr < -2 || nr > 100000))
		defect("a system call number out of range", text);
	if (kernel_parse_stat(text, &state, &ppid) && ppid < 0)
		defect("a negative parent pid", text);
	if (kernel_parse_epoll_line(text, &fd) && fd < 0)
		defect("a negative descriptor", text);
	if ((int)kernel_doing_of_wchan(text, text[0]) > DOING_OTHER)
		defect("a 'doing' word that does not exist", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text;

	if (len < 1)
		return 0;
	text = malloc(len);	/* exactly the bytes and a NUL: ASan sees any overread */
	if (text == NULL)
		abort();
	memcpy(text, data + 1, len - 1);
	text[len - 1] = '\0';
	switch (data[0] % 4) {
	case 0: tcp_line(text, data[0] & 4); break;
	case 1: socket_link(text); break;
	case 2: children(text); break;
	default: others(text); break;
	}
	free(text);
	return 0;
}
