/*
 * client.h - netlab's own client (seed 004's ClientPython.py).
 */
#ifndef NETLAB_CLIENT_H
#define NETLAB_CLIENT_H

#include "cli.h"

/* client [MESSAGE]: send, print what came back. Exit status. */
int run_client(const struct options *opt);

/* client -i: type lines, see what arrives (client_i.c). Exit status. */
int run_client_interactive(const struct options *opt);

/* A connected socket, or -1 after printing why (exit status 1). */
int client_connect(const struct options *opt);

#endif
