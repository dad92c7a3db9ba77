/*
 * wrap.h - lines wider than the terminal, broken at a space.
 *
 * A terminal wraps a long line back to column 0 in the middle of a word;
 * a text wrapped here breaks at the last space that fits, and its next
 * rows start with a hanging indent, so that a list stays a list. Colour
 * sequences take no column, a UTF-8 character takes one.
 */
#ifndef NETLAB_WRAP_H
#define NETLAB_WRAP_H

#include <stddef.h>

struct wrap_buf {			/* what goes out, built up */
	char buf[16384];
	size_t len;
};

/* Append n bytes of s (cut, never overrun, when the buffer is full). */
void wrap_add(struct wrap_buf *t, const char *s, size_t n);

/*
 * One line, no '\n', into out, in rows of at most max columns; the rows
 * after the first start with hang.
 */
void wrap_line(struct wrap_buf *out, const char *line, size_t len, const char *hang,
    size_t max);

/* Each line of text wrapped; hang NULL: each line's leading blanks and two more. */
void wrap_text(struct wrap_buf *out, const char *text, const char *hang, size_t max);

#endif
