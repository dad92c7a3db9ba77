/*
 * session.h - the blocking per-client loop of seed 004's handle_client():
 * recv, log, answer, until the client leaves. Shared by sequential,
 * threaded, limited, pool and fork: only who runs it differs.
 */
#ifndef NETLAB_SESSION_H
#define NETLAB_SESSION_H

struct client;

/* Serve c until it closes, goes silent (--idle-timeout), or the server stops. */
void serve_client(struct client *c);

#endif
