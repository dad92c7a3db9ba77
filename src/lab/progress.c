/*
 * progress.c - the student's progress between runs, kept in
 * $XDG_STATE_HOME/netlab/progress: "01-sequential ++-+---" a line, + for
 * a passed step.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

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
