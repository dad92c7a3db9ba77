/*
 * fuzz/number.c - the numbers on the command line: --port, --delay,
 * --idle-timeout, --max-clients, limited N, pool N, bench's -c -n -s
 * --timeout, watch's --pid.
 *
 * parse_number() exits on a bad number, so the target calls the check
 * beneath it, number_check(), and holds it against a model written here:
 * a number is an optional '-' and one or more decimal digits, nothing else
 * (no space, no '+', no hex), and it is in range only if its value is,
 * however many digits it has.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* The ranges netlab's options and commands use (bench's -c -n -s, watch's
 * --pid too), and two of the extremes. */
static const long ranges[][2] = {
	{ 0, 65535 }, { 0, 60000 }, { 0, 86400 }, { 1, 100000 }, { 1, 1024 },
	{ 1, 50 }, { 1, 1000000 }, { 1, 1048576 }, { 1, 4194304 },
	{ LONG_MIN, LONG_MAX }, { -5, 5 },
};

static enum number_result model(const char *text, long min, long max, long *value)
{
	int negative = text[0] == '-';
	const char *d = text + negative;
	unsigned long long v = 0;	/* the magnitude, stuck at ULLONG_MAX when larger */

	if (*d == '\0')
		return NUMBER_NOT;
	for (; *d != '\0'; d++) {
		if (*d < '0' || *d > '9')
			return NUMBER_NOT;
		v = v > (ULLONG_MAX - 9) / 10 ? ULLONG_MAX : v * 10 + (unsigned long long)(*d - '0');
	}
	if (v > (unsigned long long)LONG_MAX + negative)
		return NUMBER_NOT;		/* no long holds it: not a number here */
	*value = negative ? (long)(0 - v) : (long)v;
	return *value < min || *value > max ? NUMBER_RANGE : NUMBER_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char text[64];
	long got = 0, want = 0;
	enum number_result r, m;

	if (len < 1 || len > sizeof(text))
		return 0;
	/* The first byte picks a range; the rest is the text, up to a NUL. */
	const long *range = ranges[data[0] % (sizeof(ranges) / sizeof(ranges[0]))];
	memcpy(text, data + 1, len - 1);
	text[len - 1] = '\0';
	r = number_check(text, range[0], range[1], &got);
	m = model(text, range[0], range[1], &want);
	if (r != m || (r != NUMBER_NOT && got != want)) {
		fprintf(stderr, "defect: number_check(\"%s\", %ld, %ld) gave %d (%ld), "
		    "the model %d (%ld)\n", text, range[0], range[1], (int)r, got, (int)m, want);
		abort();
	}
	return 0;
}
