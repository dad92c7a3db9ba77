/*
 * design_n.c - a design's N, typed or sized to the machine.
 */
#include <string.h>
#include <unistd.h>

#include "design_n.h"

static int cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (int)n;	/* unknown: assume one */
}

/* N_CORES and N_POOL_AUTO as numbers, never past the design's max; a number as it is. */
static int sized(const struct command *cmd, int size)
{
	if (size == N_CORES)
		size = cores();
	else if (size == N_POOL_AUTO)
		size = cores() + 4 < 50 ? cores() + 4 : 50;
	return size < cmd->n.max ? size : cmd->n.max;
}

enum number_result design_n(const struct command *cmd, const char *arg, int *n)
{
	enum number_result r;
	long typed;

	*n = 0;
	if (arg == NULL) {
		*n = sized(cmd, cmd->n.fallback);
		return NUMBER_OK;
	}
	if (cmd->n.automatic != 0 && strcmp(arg, "auto") == 0) {
		*n = sized(cmd, cmd->n.automatic);
		return NUMBER_OK;
	}
	r = number_check(arg, cmd->n.min, cmd->n.max, &typed);
	if (r == NUMBER_OK)
		*n = (int)typed;
	return r;
}
