/*
 * serve.h - the blocking per-client loop of seed 004's handle_client():
 * recv, log, answer, until the client leaves. Shared by sequential,
 * threaded, limited, pool and fork: only who runs it differs.
 */
#ifndef NETLAB_SERVE_H
#define NETLAB_SERVE_H

struct client;

/* Serve c until it closes, goes silent (--idle-timeout), or the server stops. */
void serve_client(struct client *c);

/*
 * A thread's whole life is one client (threaded, limited): name the
 * thread after it, serve it, close it. arg is the struct client, which
 * the new thread owns from then on.
 */
void *client_thread(void *arg);

#endif
