/*
 * portview.c - who is connected to a port, and whose bytes sit unread,
 * as the kernel sees it: /proc/net/tcp{,6}, one socket a line,
 * "sl local rem st tx:rx ...", addresses and ports in hex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portview.h"

#define TCP_ESTABLISHED 0x01
#define TCP_CLOSE_WAIT 0x08
#define TCP_LISTEN 0x0A

static int hex_port(const char *address)
{
	const char *colon = strrchr(address, ':');

	return colon ? (int)strtol(colon + 1, NULL, 16) : 0;
}

static void read_line(const char *line, int port, struct port_view *view)
{
	char local[64], remote[64];
	unsigned st, tx, rx;

	if (sscanf(line, "%*d: %63s %63s %x %x:%x", local, remote, &st, &tx, &rx) != 5)
		return;
	if (hex_port(local) != port)
		return;
	if (st == TCP_LISTEN) {
		view->listening = 1;
		return;
	}
	/* ESTABLISHED, CLOSE_WAIT: the server's side of a connection */
	if ((st != TCP_ESTABLISHED && st != TCP_CLOSE_WAIT) ||
	    view->nconns == (int)(sizeof(view->conns) / sizeof(view->conns[0])))
		return;
	view->conns[view->nconns].peer_port = hex_port(remote);
	view->conns[view->nconns++].unread = rx;
}

void portview_read(int port, struct port_view *view)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	char line[512];
	FILE *f;

	view->listening = 0;
	view->nconns = 0;
	for (size_t i = 0; i < 2; i++) {
		f = fopen(tables[i], "r");
		if (f == NULL)
			continue;	/* no IPv6, or no /proc: the log alone must do */
		while (fgets(line, sizeof(line), f) != NULL)
			read_line(line, port, view);
		fclose(f);
	}
}
