/*
 * complete.c - the words for completion/netlab.bash, one a line: the
 * commands and the designs from the command table, the options (and which
 * of them take a value) from cli.c's table, the handlers from handler.c, the
 * labs (number and name) as lab list finds them. A new command, option,
 * handler or lab is completed at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "complete.h"
#include "handler.h"
#include "i18n.h"
#include "lab/labfile.h"

static void print_labs(void)
{
	char err[512];
	struct lab **labs = NULL;
	int n = lab_load_all(&labs, err, sizeof(err));

	printf("list\n");
	for (int i = 0; i < n; i++) {
		printf("%d\n%s\n", labs[i]->number, labs[i]->name);
		lab_free(labs[i]);
	}
	free(labs);
}

/* "echo, upper, ack": one a line. */
static void print_handlers(void)
{
	const char *names = handler_names();
	size_t len;

	while (*names != '\0') {
		len = strcspn(names, ", ");
		printf("%.*s\n", (int)len, names);
		names += len;
		names += strspn(names, ", ");
	}
}

int run_complete(const struct options *opt)
{
	const struct command *cmd;

	if (strcmp(opt->complete, "commands") == 0)
		for (size_t i = 0; (cmd = command_at(i)) != NULL; i++)
			printf("%s\n", cmd->name);
	else if (strcmp(opt->complete, "options") == 0)
		cli_print_options(stdout, 0);
	else if (strcmp(opt->complete, "values") == 0)
		cli_print_options(stdout, 1);
	else if (strcmp(opt->complete, "handlers") == 0)
		print_handlers();
	else if (strcmp(opt->complete, "designs") == 0)
		for (size_t i = 0; (cmd = command_at(i)) != NULL; i++) {
			if (command_is_design(cmd))
				printf("%s\n", cmd->name);
		}
	else if (strcmp(opt->complete, "labs") == 0)
		print_labs();
	else
		usage_error(_("--complete takes commands, options, values, handlers, designs or labs, "
		    "not '%s'"),
		    opt->complete);
	return 0;
}
