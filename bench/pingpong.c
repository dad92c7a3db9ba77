/*
 * pingpong.c - the minimal load generator for make bench: C clients, each
 * sends N messages of S bytes and waits for the whole echo before the next,
 * all from one thread and one level-triggered epoll loop. It compares every
 * byte that comes back with what was sent, as netlab bench does, and keeps
 * no latencies: the least work a correct ping-pong client can do, to show
 * how much of netlab bench's figure is bench itself.
 *
 * usage: pingpong PORT CLIENTS MESSAGES SIZE; prints messages/s, or fails
 * (exit 1) at the first wrong byte, reset or stall
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct peer {
	int fd, left, got;	/* messages still to send; bytes of this answer */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct rlimit rl;
	struct epoll_event ev, events[256];
	int clients, messages, size, ep, running, answered = 0;
	struct peer *peers;
	char *msg, *buf;
	double start;

	if (argc != 5) {
		fprintf(stderr, "usage: pingpong PORT CLIENTS MESSAGES SIZE\n");
		return 2;
	}
	addr.sin_port = htons(atoi(argv[1]));
	clients = atoi(argv[2]), messages = atoi(argv[3]), size = atoi(argv[4]);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	peers = calloc(clients, sizeof(*peers));
	msg = malloc(size), buf = malloc(size);
	for (int i = 0; i < size; i++)
		msg[i] = (char)('a' + i % 26);
	ep = epoll_create1(0);
	start = now();
	for (int i = 0; i < clients; i++) {
		peers[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		peers[i].left = messages;
		connect(peers[i].fd, (struct sockaddr *)&addr, sizeof(addr));
		ev.events = EPOLLOUT;	/* writable: connected, send the first */
		ev.data.ptr = &peers[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, peers[i].fd, &ev);
	}
	running = clients;
	while (running > 0) {
		int ready = epoll_wait(ep, events, 256, 10000);

		if (ready <= 0) {
			fprintf(stderr, "pingpong: stalled with %d clients left\n", running);
			return 1;
		}
		for (int i = 0; i < ready; i++) {
			struct peer *p = events[i].data.ptr;
			ssize_t n;

			if (events[i].events & EPOLLOUT) {	/* connected */
				send(p->fd, msg, size, MSG_NOSIGNAL);
				ev.events = EPOLLIN;
				ev.data.ptr = p;
				epoll_ctl(ep, EPOLL_CTL_MOD, p->fd, &ev);
				continue;
			}
			n = recv(p->fd, buf, size - p->got, 0);
			if (n <= 0) {
				fprintf(stderr, "pingpong: a connection failed\n");
				return 1;
			}
			if (memcmp(buf, msg + p->got, (size_t)n) != 0) {
				fprintf(stderr, "pingpong: wrong bytes came back\n");
				return 1;
			}
			p->got += n;
			if (p->got < size)
				continue;
			p->got = 0;
			answered++;
			if (--p->left == 0) {
				close(p->fd);
				running--;
			} else {
				send(p->fd, msg, size, MSG_NOSIGNAL);
			}
		}
	}
	printf("%.0f\n", answered / (now() - start));
	return 0;
}
