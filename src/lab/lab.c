/*
 * lab.c - netlab lab list | lab N [--auto] [--record FILE]; the lab menu;
 * the student's progress between runs.
 *
 * The labs themselves are data (labs/NN-name.lab, see lab_file.h); one run
 * of a lab is lab_session.c; what the runner sees of the server is
 * lab_watch.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>

#include "lab.h"
#include "lab_file.h"
#include "lab_session.h"

/* ---- progress: "01-sequential ++-+---" a line, + for a passed step ---- */

static int progress_path(char *path, size_t len, int create)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[PATH_MAX];

	if (state != NULL && *state == '/')
		snprintf(dir, sizeof(dir), "%s/netlab", state);
	else if (home != NULL && *home != '\0')
		snprintf(dir, sizeof(dir), "%s/.local/state/netlab", home);
	else
		return -1;
	if (create) {
		/* mkdir -p: each parent in turn; "already there" is fine */
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			(void)mkdir(dir, 0700);
			*p = '/';
		}
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return -1;
	}
	return (size_t)snprintf(path, len, "%s/progress", dir) < len ? 0 : -1;
}

/* The whole file, or an empty string. Caller frees. */
static char *progress_read(void)
{
	char path[PATH_MAX], *text;
	long size;
	FILE *f;

	if (progress_path(path, sizeof(path), 0) == -1 || (f = fopen(path, "r")) == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = calloc(1, size > 0 ? (size_t)size + 1 : 1);
	if (text != NULL && size > 0 && fread(text, 1, (size_t)size, f) != (size_t)size)
		text[0] = '\0';
	fclose(f);
	return text;
}

/* Write the file again with the line for id replaced (NULL line: removed). */
static int progress_write(const char *id, const char *marks)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], *text = progress_read();
	size_t idlen = id ? strlen(id) : 0;
	FILE *f;

	if (text == NULL || progress_path(path, sizeof(path), 1) == -1) {
		free(text);
		return -1;
	}
	f = (size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) < sizeof(tmp) ? fopen(tmp, "w") : NULL;
	if (f == NULL) {
		free(text);
		return -1;
	}
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
		if (id != NULL && !(strncmp(line, id, idlen) == 0 && line[idlen] == ' '))
			fprintf(f, "%s\n", line);
	if (id != NULL && marks != NULL)
		fprintf(f, "%s %s\n", id, marks);
	free(text);
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		return -1;
	return 0;
}

static void progress_marks(const struct lab *lab, char *marks, size_t len)
{
	char *text = progress_read();
	size_t idlen = strlen(lab->id);
	int i;

	for (i = 0; i < lab->nsteps && (size_t)i < len - 1; i++)
		marks[i] = '-';
	marks[i] = '\0';
	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
		if (strncmp(line, lab->id, idlen) == 0 && line[idlen] == ' ')
			for (i = 0; line[idlen + 1 + i] && marks[i]; i++)
				marks[i] = line[idlen + 1 + i] == '+' ? '+' : '-';
	free(text);
}

void progress_mark(const struct lab *lab, int step)
{
	char marks[256];

	progress_marks(lab, marks, sizeof(marks));
	if (step < 0 || (size_t)step >= strlen(marks))
		return;
	marks[step] = '+';
	/* Progress that cannot be saved is a pity, not an error. */
	(void)progress_write(lab->id, marks);
}

int progress_passed(const struct lab *lab)
{
	char marks[256];
	int n = 0;

	progress_marks(lab, marks, sizeof(marks));
	for (char *p = marks; *p; p++)
		n += *p == '+';
	return n;
}

int progress_reset(const char *id)
{
	char path[PATH_MAX];

	if (id != NULL)
		return progress_write(id, NULL);
	if (progress_path(path, sizeof(path), 0) == -1)
		return -1;
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

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

static void list(struct lab **labs, int n)
{
	printf("The labs (from %s):\n", lab_dir());
	for (int i = 0; i < n; i++) {
		const char *missing = lab_missing(labs[i]);
		int done = progress_passed(labs[i]);
		char progress[64];

		if (missing != NULL)
			snprintf(progress, sizeof(progress), "needs 'netlab %s' (not in this build)",
			    missing);
		else if (done == labs[i]->nsteps)
			snprintf(progress, sizeof(progress), "done");
		else if (done > 0)
			snprintf(progress, sizeof(progress), "%d/%d steps", done, labs[i]->nsteps);
		else
			snprintf(progress, sizeof(progress), "%d steps", labs[i]->nsteps);
		printf("  %2d  %-13s %-44.44s %s\n", labs[i]->number, labs[i]->name,
		    labs[i]->title, progress);
	}
	if (n == 0)
		printf("  (none: no .lab files there)\n");
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
		fprintf(stderr, "netlab: lab %d (%s) needs 'netlab %s', which this build does "
		    "not have yet (see netlab lab list)\n", lab->number, lab->name, missing);
		return 1;
	}
	return lab_session(lab, opt);
}

int run_lab(const struct options *opt)
{
	struct lab **labs = NULL, *lab;
	int n, rc;

	if (opt->nargs > 1)
		usage_error("lab takes one lab number or name, not '%s %s'", opt->args[0],
		    opt->args[1]);
	if (opt->nargs == 0 || strcmp(opt->args[0], "list") == 0) {
		if (opt->given & GIVEN_LAB)
			usage_error("--auto and --record are for 'lab N', not for the list");
		n = load_all(&labs);
		list(labs, n);
		free_all(labs, n);
		return 0;
	}
	n = load_all(&labs);
	lab = find(labs, n, opt->args[0]);
	if (lab == NULL) {
		free_all(labs, n);
		usage_error("unknown lab '%s'; 'netlab lab list' shows the labs", opt->args[0]);
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

	printf("netlab: a teaching lab for concurrent TCP servers.\n"
	    "Pick a lab (netlab --help lists every command).\n\n");
	list(labs, n);
	for (;;) {
		answer = readline("\nlab number or name (q quits)> ");
		if (answer == NULL || strcmp(answer, "q") == 0 || strcmp(answer, "quit") == 0) {
			free(answer);
			break;
		}
		lab = *answer ? find(labs, n, answer) : NULL;
		if (lab == NULL) {
			if (*answer)
				printf("no lab '%s' here\n", answer);
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
