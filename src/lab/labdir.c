/*
 * labdir.c - where the labs are, all of them loaded and sorted, and which
 * netlab commands a lab needs that this build lacks.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "i18n.h"
#include "labfile.h"

#ifndef NETLAB_LABDIR
#define NETLAB_LABDIR "/usr/local/share/netlab/labs"
#endif

static int is_dir(const char *path)
{
	struct stat st;

	return path != NULL && *path != '\0' && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *lab_dir(void)
{
	static char here[PATH_MAX];
	const char *env = getenv("NETLAB_LABDIR");
	ssize_t n;

	if (env != NULL && *env != '\0')
		return env;		/* even if missing: the error then names it */
	/* A checkout: labs/ beside the netlab binary, even if one is installed. */
	n = readlink("/proc/self/exe", here, sizeof(here) - 8);
	if (n > 0) {
		here[n] = '\0';
		char *slash = strrchr(here, '/');

		if (slash != NULL) {
			strcpy(slash + 1, "labs");
			if (is_dir(here))
				return here;
		}
	}
	if (is_dir(NETLAB_LABDIR))
		return NETLAB_LABDIR;	/* make install put them there */
	return "labs";
}

int lab_localized(const char *dir, const char *name, char *path, size_t len)
{
	const char *lang = i18n_language();

	if (strcmp(lang, "en") != 0) {
		snprintf(path, len, "%s/%s/%s", dir, lang, name);
		if (access(path, R_OK) == 0)
			return 0;
	}
	snprintf(path, len, "%s/%s", dir, name);
	return strcmp(lang, "en") != 0;
}

static int by_number(const void *a, const void *b)
{
	const struct lab *x = *(struct lab *const *)a, *y = *(struct lab *const *)b;

	return x->number != y->number ? x->number - y->number : strcmp(x->id, y->id);
}

int lab_load_all(struct lab ***out, char *err, size_t errlen)
{
	const char *dir = lab_dir();
	struct lab **labs = NULL;
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, _("cannot read the labs in %s: %s (set NETLAB_LABDIR)"),
		    dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char path[PATH_MAX];
		struct lab *lab, **grown;
		int untranslated;

		if (len < 5 || strcmp(de->d_name + len - 4, ".lab") != 0)
			continue;
		untranslated = lab_localized(dir, de->d_name, path, sizeof(path));
		lab = lab_load(path, err, errlen);
		if (lab != NULL)
			lab->untranslated = untranslated;
		grown = lab ? realloc(labs, sizeof(*labs) * (size_t)(n + 1)) : NULL;
		if (grown == NULL) {
			lab_free(lab);
			for (int i = 0; i < n; i++)
				lab_free(labs[i]);
			free(labs);
			closedir(d);
			return -1;
		}
		labs = grown;
		labs[n++] = lab;
	}
	closedir(d);
	if (n > 0)
		qsort(labs, (size_t)n, sizeof(*labs), by_number);
	*out = labs;
	return n;
}

void server_design(const char *server, char *design, size_t len)
{
	snprintf(design, len, "%.*s", (int)strcspn(server, " \t"), server);
}

const char *step_missing(const struct lab_step *st)
{
	static char design[64];

	if (st->server == NULL || strcmp(st->server, "none") == 0)
		return NULL;
	server_design(st->server, design, sizeof(design));
	return command_find(design) != NULL ? NULL : design;
}

const char *lab_missing(const struct lab *lab)
{
	static char design[64];
	const char *m;

	for (int i = 0; i < lab->nneeds; i++)
		if (command_find(lab->needs[i]) == NULL)
			return lab->needs[i];
	if (strcmp(lab->server, "none") != 0) {
		server_design(lab->server, design, sizeof(design));
		if (command_find(design) == NULL)
			return design;
	}
	for (int s = 0; s < lab->nsteps; s++)
		if (!lab->steps[s].optional && (m = step_missing(&lab->steps[s])) != NULL)
			return m;
	return NULL;
}
