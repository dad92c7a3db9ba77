/*
 * output.h - what a server sends a client: its own answers, and lines from
 * other clients (chat).
 *
 * A blocking design simply sends, and its thread waits while the client's
 * socket is full. An event loop must never wait: what a send() cannot
 * place now is kept in c->loop.out until the socket is writable again. The
 * loop asks the kernel about writability itself: it reads c->loop.out_len
 * (and its output_changed, set when a broadcast left bytes for a client
 * the loop was not serving) to know when to ask.
 */
#ifndef NETLAB_OUTPUT_H
#define NETLAB_OUTPUT_H

#include <stddef.h>

struct client;
struct server;

/* This client's own answer: all of it, or -1 (the client is gone). */
int output_send(struct client *c, const void *data, size_t len);

/*
 * The answer to one piece that recv() read (echo, upper): as output_send(),
 * but held back for the next piece's answer when more of the message
 * already waits (MSG_MORE), so that a long answer leaves in one packet.
 */
int output_send_piece(struct client *c, const void *data, size_t len);

/* Send data to every registered client except 'from' (chat). */
void output_broadcast(struct client *from, const char *data, size_t len);

/* Event loops: write what is pending. -1: the client is gone. */
int output_flush(struct client *c);

/*
 * uring, which submits its sends: when nothing is being sent, c->loop.out
 * becomes c->loop.sending, for the kernel to send from while new output
 * waits in out. 1 if there is something to send now.
 */
int output_take(struct client *c);

/*
 * uring: the kernel sent n bytes of c->loop.sending. n < 0, -errno: the
 * client is lost (said so), owed nothing more and closing; returns -1.
 */
int output_sent(struct client *c, int n);

#endif
