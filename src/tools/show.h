/*
 * show.h - netlab show: the live picture of a server in a web browser.
 */
#ifndef NETLAB_SHOW_H
#define NETLAB_SHOW_H

#include "cli.h"

/* show [--port P] [--pid PID] [--listen ADDR:PORT] [--record FILE.svg] [-- COMMAND]. */
int run_show(const struct options *opt);

#endif
