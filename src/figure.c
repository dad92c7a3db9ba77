/*
 * figure.c - a figure, a number as a person reads it: thousands grouped
 * and the decimal mark as the language writes them.
 *
 * printf() could do this itself (the ' flag and LC_NUMERIC), but netlab
 * keeps LC_NUMERIC at "C" so that numbers it parses and writes as data
 * stay "1.5" everywhere, and a fresh machine may not even have an Italian
 * locale. So the two marks come from the language netlab speaks.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "figure.h"

/* The thousands mark and the decimal mark of the language spoken now. */
static void marks(char *thousands, char *decimal)
{
	int italian = strcmp(i18n_language(), "it") == 0;

	*thousands = italian ? '.' : ',';
	*decimal = italian ? ',' : '.';
}

/*
 * digits ("1048576.25", made by printf in the C locale) into buf, the
 * integer part grouped by threes and the point replaced.
 */
static const char *group(const char *digits, char *buf, size_t size)
{
	char thousands, decimal;
	const char *point = strchr(digits, '.');
	size_t whole = point != NULL ? (size_t)(point - digits) : strlen(digits);
	size_t i = 0, j = 0;

	marks(&thousands, &decimal);
	if (digits[0] == '-' && j + 1 < size)
		buf[j++] = digits[i++];
	for (; i < whole && j + 2 < size; i++) {
		buf[j++] = digits[i];
		if ((whole - i - 1) % 3 == 0 && i + 1 < whole)
			buf[j++] = thousands;
	}
	if (point != NULL && j + 1 < size) {
		buf[j++] = decimal;
		for (i = whole + 1; digits[i] != '\0' && j + 1 < size; i++)
			buf[j++] = digits[i];
	}
	buf[j] = '\0';
	return buf;
}

const char *figure_count(long n, char *buf, size_t size)
{
	char digits[FIGURE_SIZE];

	snprintf(digits, sizeof(digits), "%ld", n);
	return group(digits, buf, size);
}

const char *figure_fixed(double x, int decimals, char *buf, size_t size)
{
	char digits[FIGURE_SIZE];

	/* Nothing netlab measures needs 40 digits; a cut number still reads. */
	snprintf(digits, sizeof(digits), "%.*f", decimals, x);
	return group(digits, buf, size);
}

const char *figure_text(double x, int decimals)
{
	static char slot[8][FIGURE_SIZE];
	static int next;
	char *buf = slot[next++ % 8];

	return figure_fixed(x, decimals, buf, FIGURE_SIZE);
}
