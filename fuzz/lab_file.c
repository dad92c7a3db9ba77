/*
 * fuzz/lab_file.c - any text as a lab file.
 *
 * A teacher writes lab files by hand, so lab_load() must take anything:
 * either a lab it can run, or NULL with "FILE:LINE: what is wrong" naming a
 * line that exists. A lab it accepts must hold what it promises: a bound
 * of 'number below N' or 'took above SECS' is a number a long can hold
 * (checked here with strtod() on the line as written, not with the
 * parser's own arithmetic).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "labfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static size_t count_lines(const uint8_t *data, size_t len)
{
	size_t lines = 1;

	for (size_t i = 0; i < len; i++)
		lines += data[i] == '\n';
	return lines;
}

/*
 * err must be "PATH:LINE: what", LINE one of the file's lines, or, for a
 * step found wrong once the whole file is read, "PATH: step N ...".
 */
static void check_error(const char *err, const char *path, size_t lines)
{
	size_t plen = strlen(path);
	char *end;
	long line;

	if (strncmp(err, path, plen) == 0 && strncmp(err + plen, ": step ", 7) == 0 &&
	    isdigit((unsigned char)err[plen + 7]))
		return;
	if (strncmp(err, path, plen) != 0 || err[plen] != ':' || !isdigit((unsigned char)err[plen + 1])) {
		fprintf(stderr, "defect: lab_load() error without FILE:LINE: '%s'\n", err);
		abort();
	}
	line = strtol(err + plen + 1, &end, 10);
	if (line < 1 || (size_t)line > lines + 1 || strncmp(end, ": ", 2) != 0 || end[2] == '\0') {
		fprintf(stderr, "defect: lab_load() names line %ld of %zu: '%s'\n", line, lines, err);
		abort();
	}
}

/* 'number below N', 'took above S': the bound as written fits a long. */
static void check_bound(const struct lab_expect *ex)
{
	const char *num = ex->source;
	double v;

	if (ex->kind < EX_NUMBER_BELOW)
		return;
	num += strcspn(num, " \t");	/* skip the word, then below|above */
	num += strspn(num, " \t");
	num += strcspn(num, " \t");
	v = strtod(num, NULL);
	if (ex->kind == EX_TOOK_BELOW || ex->kind == EX_TOOK_ABOVE)
		v *= 1000;		/* seconds in the file, milliseconds inside */
	if (!isfinite(v) || fabs(v) >= 0x1p63) {	/* 2^63: the first a long cannot hold */
		fprintf(stderr, "defect: lab_load() accepted 'expect: %s': a bound no long holds\n",
		    ex->source);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int fd = -1;
	static char path[64];
	char err[512] = "";
	struct lab *lab;

	if (fd == -1) {
		fd = memfd_create("fuzz.lab", 0);
		if (fd == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, len, 0) != (ssize_t)len)
		abort();
	lab = lab_load(path, err, sizeof(err));
	if (lab == NULL) {
		check_error(err, path, count_lines(data, len));
		return 0;
	}
	for (int s = 0; s < lab->nsteps; s++)
		for (int e = 0; e < lab->steps[s].nexpects; e++)
			check_bound(&lab->steps[s].expects[e]);
	lab_free(lab);
	return 0;
}
