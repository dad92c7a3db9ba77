/*
 * iface.c - class mode. A server bound to 0.0.0.0 (or ::) accepts
 * connections on every interface of the machine, so the students' nc can
 * reach it over the classroom network. They need an address to type:
 * getifaddrs() lists the machine's interfaces and their addresses.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "iface.h"
#include "log.h"

/* The port, or -1 when the socket is not bound to the wildcard address. */
static int wildcard_port(int listen_fd, int *family)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&ss;

	if (getsockname(listen_fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	*family = ss.ss_family;
	if (ss.ss_family == AF_INET && v4->sin_addr.s_addr == htonl(INADDR_ANY))
		return ntohs(v4->sin_port);
	if (ss.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr))
		return ntohs(v6->sin6_port);
	return -1;
}

/* An interface's address that another machine can reach, as text; 0: none. */
static int interface_address(const struct ifaddrs *ifa, int family, char *addr, size_t len)
{
	const void *where;

	if (ifa->ifa_addr == NULL || (ifa->ifa_flags & IFF_LOOPBACK) ||
	    !(ifa->ifa_flags & IFF_UP))
		return 0;
	if (ifa->ifa_addr->sa_family == AF_INET)
		where = &((const struct sockaddr_in *)ifa->ifa_addr)->sin_addr;
	else if (ifa->ifa_addr->sa_family == AF_INET6 && family == AF_INET6 &&
	    !IN6_IS_ADDR_LINKLOCAL(&((const struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr))
		where = &((const struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr;
	else
		return 0;	/* link-local IPv6 needs %interface: no use to a class */
	return inet_ntop(ifa->ifa_addr->sa_family, where, addr, (socklen_t)len) != NULL;
}

/* "nc 10.0.0.5 12345 (eth0)": what a student on the network types, or 0. */
static int reachable_address(const struct ifaddrs *ifa, int family, int port, char *out,
    size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	if (!interface_address(ifa, family, addr, sizeof(addr)))
		return 0;
	snprintf(out, len, "nc %s %d (%s)", addr, port, ifa->ifa_name);
	return 1;
}

int iface_class_address(char *out, size_t len)
{
	struct ifaddrs *all;
	int found = 0;

	if (getifaddrs(&all) == -1)
		return 0;
	for (struct ifaddrs *ifa = all; ifa != NULL && !found; ifa = ifa->ifa_next)
		found = interface_address(ifa, AF_INET, out, len);
	freeifaddrs(all);
	return found;
}

void iface_announce(int listen_fd)
{
	char list[1024] = "", one[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];
	struct ifaddrs *all;
	int family, port = wildcard_port(listen_fd, &family);
	size_t used = 0;

	if (port == -1)
		return;		/* localhost: only this machine can connect */
	if (getifaddrs(&all) == -1) {
		log_note(_("class mode: listening on every interface, but the interfaces "
		    "cannot be listed (ip address shows them)"));
	} else {
		for (struct ifaddrs *ifa = all; ifa != NULL; ifa = ifa->ifa_next)
			if (reachable_address(ifa, family, port, one, sizeof(one)) &&
			    used + strlen(one) + 3 < sizeof(list))
				used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
				    used > 0 ? ", " : "", one);
		freeifaddrs(all);
		if (used > 0)
			log_note(_("class mode: the students can type %s"), list);
		else
			log_note(_("class mode: this machine has no network interface but "
			    "loopback: only it can connect"));
	}
	log_note(_("anyone on this network can now connect to this server; without "
	    "--host it listens on localhost only"));
}
