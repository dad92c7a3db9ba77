/*
 * client.c - connect, send one message, print the answer (seed 004).
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "i18n.h"
#include "log.h"
#include "net.h"
#include "repr.h"

int client_connect(const struct options *opt)
{
	int gai_error, fd;

	fd = net_connect(opt->host, opt->port, &gai_error);
	if (fd == -1)
		log_error(_("cannot connect to %s port %s: %s (is a server running? "
		    "start one with 'netlab threaded')"), opt->host, opt->port,
		    gai_error ? gai_strerror(gai_error) : strerror(errno));
	return fd;
}

int run_client(const struct options *opt)
{
	const char *message = opt->nargs > 0 ? opt->args[0] : "Hello, world";
	size_t len = strlen(message), got = 0;
	char *answer, *text;
	ssize_t n;
	int fd;

	if (opt->nargs > 1)
		usage_error(_("client takes one MESSAGE, not %d words: put it in quotes"), opt->nargs);
	printf("Starting client...\n");
	fflush(stdout);
	fd = client_connect(opt);
	if (fd == -1)
		return 1;
	answer = malloc(len + 1024);
	if (answer == NULL || net_send_all(fd, message, len, 0) == -1) {
		log_error(_("cannot send to %s port %s: %s"), opt->host, opt->port, strerror(errno));
		free(answer);
		close(fd);
		return 1;
	}
	if (len == 0)
		shutdown(fd, SHUT_WR);	/* nothing to say: the server sees the end */
	/* Blocks until the server answers: a busy sequential server keeps us here. */
	while (len == 0 || got < len) {
		n = net_recv(fd, answer + got, len + 1024 - got);
		if (n <= 0)
			break;		/* the server closed (ack does) or failed */
		got += (size_t)n;
	}
	close(fd);
	text = malloc(REPR_SIZE(got));
	if (text == NULL) {
		free(answer);
		log_error(_("out of memory"));
		return 1;
	}
	repr_bytes(text, answer, got);
	printf("Received: %s\n", text);
	free(text);
	free(answer);
	return 0;
}
