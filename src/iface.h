/*
 * iface.h - class mode: a server that listens on every interface says
 * which addresses the students can type.
 */
#ifndef NETLAB_IFACE_H
#define NETLAB_IFACE_H

/*
 * If listen_fd is bound to the wildcard address (--host 0.0.0.0 or ::),
 * annotate the addresses of this machine's interfaces (loopback left out)
 * and remind the teacher that anyone on the network can now connect.
 * A server on localhost, the default, says nothing.
 */
void iface_announce(int listen_fd);

/* The first IPv4 address of this machine that is not loopback, into out. 0: none. */
int iface_class_address(char *out, size_t len);

#endif
