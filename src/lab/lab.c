/*
 * lab.c - the lab runner's entry: netlab lab list | lab N [--auto]
 * [--record FILE], and the lab menu.
 *
 * The runner, top to bottom (each file calls only those below it):
 *   lab.c       list, menu, run                    (entry)
 *   session.c   one run of a lab: the poll() loop  (drive)
 *   step.c      entering a step, playing it, judging it
 *   shell.c     the student's readline shell and its command table
 *   report.c    every message about steps and results; status.c the
 *               'status' and 'timeline' views        (show)
 *   play.c      terminals and run: commands, each a child (child.c,
 *               shared with check, watch and compare)  (act)
 *   expect.c    does an expectation hold?          (judge)
 *   observe.c   the server (child.c), its log (record.c), the kernel (kernel.c,
 *               shared with watch)
 *   labfile.c   read labs/NN-name.lab; labdir.c finds them all (parse)
 *   screen.c    print above the prompt, paint, wrap; progress.c, now.c:
 *               small helpers
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "i18n.h"
#include "lab.h"
#include "labfile.h"
#include "progress.h"
#include "session.h"

/* ---- lab list, lab N ------------------------------------------------------ */

static int load_all(struct lab ***labs)
{
	char err[512];
	int n = lab_load_all(labs, err, sizeof(err));

	if (n == -1) {
		fflush(stdout);
		fprintf(stderr, "netlab: %s\n", err);
		exit(2);	/* a malformed lab is a usage error: fix the file */
	}
	return n;
}

static void free_all(struct lab **labs, int n)
{
	for (int i = 0; i < n; i++)
		lab_free(labs[i]);
	free(labs);
}

/* Columns on the screen: a UTF-8 character takes one. */
static int text_columns(const char *text)
{
	int n = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* The last column: done, how far, how many steps, or what is missing. */
static void list_progress(struct lab *lab, char *progress, size_t len)
{
	const char *missing = lab_missing(lab);
	int done = progress_passed(lab);

	if (missing != NULL)
		snprintf(progress, len, _("needs 'netlab %s' (not in this build)"), missing);
	else if (done == lab->nsteps)
		snprintf(progress, len, "%s", _("done"));
	else if (done > 0)
		snprintf(progress, len, ngettext("%d/%d step", "%d/%d steps", lab->nsteps), done,
		    lab->nsteps);
	else
		snprintf(progress, len, ngettext("%d step", "%d steps", lab->nsteps), lab->nsteps);
}

/* Number, name, title, progress: each column as wide as its widest entry. */
static void list(struct lab **labs, int n)
{
	int name_w = 0, title_w = 0;

	for (int i = 0; i < n; i++) {
		if (text_columns(labs[i]->name) > name_w)
			name_w = text_columns(labs[i]->name);
		if (text_columns(labs[i]->title) > title_w)
			title_w = text_columns(labs[i]->title);
	}
	printf(_("The labs (from %s):\n"), lab_dir());
	for (int i = 0; i < n; i++) {
		char progress[64];

		list_progress(labs[i], progress, sizeof(progress));
		printf("  %2d  %s%*s  %s%*s  %s\n", labs[i]->number, labs[i]->name,
		    name_w - text_columns(labs[i]->name), "", labs[i]->title,
		    title_w - text_columns(labs[i]->title), "", progress);
	}
	if (n == 0)
		printf(_("  (none: no .lab files there)\n"));
}

static struct lab *find(struct lab **labs, int n, const char *which)
{
	char *end;
	long number = strtol(which, &end, 10);

	for (int i = 0; i < n; i++) {
		if ((*end == '\0' && labs[i]->number == number) ||
		    strcmp(labs[i]->name, which) == 0 || strcmp(labs[i]->id, which) == 0)
			return labs[i];
	}
	return NULL;
}

static int start(struct lab *lab, const struct options *opt)
{
	const char *missing = lab_missing(lab);

	if (missing != NULL) {
		fflush(stdout);
		fprintf(stderr, _("netlab: lab %d (%s) needs 'netlab %s', which this build does "
		    "not have yet (see netlab lab list)\n"), lab->number, lab->name, missing);
		return 1;
	}
	if (lab->untranslated) {
		/* Its expectations were written for the English output: all in English. */
		printf("(%s)\n", _("this lab is not in Italian yet: it is shown in English"));
		i18n_init("en");
	}
	return session_run(lab, opt);
}

int run_lab(const struct options *opt)
{
	struct lab **labs = NULL, *lab;
	int n, rc;

	if (opt->nargs > 1)
		usage_error(_("lab takes one lab number or name, not '%s %s'"), opt->args[0],
		    opt->args[1]);
	if (opt->nargs == 0 || strcmp(opt->args[0], "list") == 0) {
		if (opt->given & (GIVEN_AUTO | GIVEN_RECORD))
			usage_error(_("--auto and --record are for 'lab N', not for the list"));
		n = load_all(&labs);
		list(labs, n);
		free_all(labs, n);
		return 0;
	}
	n = load_all(&labs);
	lab = find(labs, n, opt->args[0]);
	if (lab == NULL) {
		free_all(labs, n);
		usage_error(_("unknown lab '%s'; 'netlab lab list' shows the labs"), opt->args[0]);
	}
	rc = start(lab, opt);
	free_all(labs, n);
	return rc;
}

int lab_menu(const struct options *opt)
{
	struct lab **labs = NULL, *lab;
	int n = load_all(&labs), rc = 0;
	char *answer;

	printf(_("netlab: a teaching lab for concurrent TCP servers.\n"
	    "Pick a lab (netlab --help lists every command).\n\n"));
	list(labs, n);
	for (;;) {
		answer = readline(_("\nlab number or name (q quits)> "));
		if (answer == NULL || strcmp(answer, "q") == 0 || strcmp(answer, "quit") == 0) {
			free(answer);
			break;
		}
		lab = *answer ? find(labs, n, answer) : NULL;
		if (lab == NULL) {
			if (*answer)
				printf(_("no lab '%s' here\n"), answer);
			free(answer);
			continue;
		}
		free(answer);
		rc = start(lab, opt);
		break;
	}
	free_all(labs, n);
	return rc;
}
