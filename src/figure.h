/*
 * figure.h - a figure: a number as the student's language writes it.
 *
 * English writes 1,048,576 and 0.6; Italian writes 1.048.576 and 0,6.
 * Every number a person reads (a count of bytes, a time, a rate) goes
 * through here, so that one language never borrows the other's marks.
 * JSON does not: its numbers are data, written as C writes them.
 */
#ifndef NETLAB_FIGURE_H
#define NETLAB_FIGURE_H

#include <stddef.h>

/* Room for any number these functions write. */
#define FIGURE_SIZE 40

/* "1,048,576" (English), "1.048.576" (Italian): a whole number, grouped. */
const char *figure_count(long n, char *buf, size_t size);

/* "0.6" / "0,6", "12,345.7" / "12.345,7": 'decimals' digits after the mark. */
const char *figure_fixed(double x, int decimals, char *buf, size_t size);

/*
 * The same as figure_fixed(), into one of eight buffers used in turn, so
 * that one printf() can show several numbers. One thread only: the
 * report a command prints at its end.
 */
const char *figure_text(double x, int decimals);

#endif
