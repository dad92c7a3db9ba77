/*
 * portview.h - the kernel's view of one TCP port, from /proc/net/tcp and
 * /proc/net/tcp6: does anyone listen on it, and which connections to it
 * exist, with how many bytes wait unread in each one's receive queue.
 *
 * The one place the lab runner reads /proc; a shared kernel module can
 * take its place behind the same two calls.
 */
#ifndef NETLAB_LAB_PORTVIEW_H
#define NETLAB_LAB_PORTVIEW_H

struct port_conn {
	int peer_port;		/* the client's port */
	unsigned unread;	/* bytes in the server side's receive queue */
};

struct port_view {
	int listening;		/* a LISTEN socket on the port */
	int nconns;
	struct port_conn conns[1024];
};

/* The server's side of every connection to port, and its listener. */
void portview_read(int port, struct port_view *view);

#endif
