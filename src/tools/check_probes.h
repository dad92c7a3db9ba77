/*
 * check_probes.h - the eight properties of 'netlab check', probed in order
 * against a running server, each bounded in time. A FAIL says why, from
 * the kernel's view of the server at that moment (kernel.h), and what to
 * change, in the tutorials' words.
 */
#ifndef NETLAB_CHECK_PROBES_H
#define NETLAB_CHECK_PROBES_H

#include <sys/types.h>

#include "kernel/kernel.h"
#include "probe.h"

#define CHECK_PROPERTIES 8

/* What the probes know about the server under test. */
struct check {
	const char *host;		/* --host */
	int port;
	char port_text[8];
	struct probe_target target;	/* where it listens (found by 'listens') */
	pid_t pid;			/* its process; 0: found through the port */
	int sequential;			/* --expect sequential */
	int output_fd;			/* what the COMMAND printed; -1: none */
	struct kernel_view view;	/* the kernel's latest view of it */
	int unread;			/* why_no_answer saw a client's bytes unread */
};

/* One property's result. */
struct verdict {
	const char *name;
	int ok;				/* 1 held (or skipped), 0 failed */
	int not_run;			/* failed because one before it failed */
	char seen[320];			/* what was seen, in numbers */
	char why[768];			/* a FAIL: why, from the kernel's view */
	char hint[384];			/* a FAIL: what to change */
};

/*
 * Probes property i (0 listens ... 7 no-leak) into v[i]; the ones before
 * it are in v[0..i-1] (a property that needs one that failed is not run).
 * -1 when Ctrl-C stopped it.
 */
int check_property(struct check *c, int i, struct verdict v[CHECK_PROPERTIES]);

#endif
