/*
 * servers.h - the designs. Each run_<design>() is one tutorial step:
 * it gets a listening socket and serves until Ctrl-C (or, for 'limited',
 * until its N clients have left), then returns the exit status.
 */
#ifndef NETLAB_SERVERS_H
#define NETLAB_SERVERS_H

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clients.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "server.h"
#include "serve.h"
#include "signals.h"

int run_sequential(struct server *srv);
int run_threaded(struct server *srv);
int run_limited(struct server *srv);
int run_pool(struct server *srv);
int run_fork(struct server *srv);
int run_select(struct server *srv);
int run_poll(struct server *srv);
int run_epoll(struct server *srv);
int run_uring(struct server *srv);
int run_reuseport(struct server *srv);

struct loop;

/*
 * An epoll loop on the listener of start (a loop_start()ed struct loop,
 * copied: the loop owns its clients from then on) until it must stop:
 * run_epoll() runs one, reuseport one per thread. Its exit status.
 */
int epoll_loop(const struct loop *start);

#endif
