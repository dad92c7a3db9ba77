/*
 * pyrepr.h - an independent model of Python 3's repr() of a bytes object,
 * for the fuzz targets to hold netlab's repr_bytes() and log against.
 *
 * Written from CPython's bytes_repr() (Objects/bytesobject.c), not from
 * repr.c: first count the quotes to choose the delimiter, then escape.
 * The rules, as Python states them:
 *   - the delimiter is ' unless the bytes hold a ' and no "; then it is ";
 *   - the delimiter itself and the backslash are preceded by a backslash;
 *   - tab, newline and carriage return are \t, \n, \r;
 *   - a byte below space or from 0x7f up is \x and two lower-case hex digits;
 *   - every other byte (printable ASCII) is itself.
 */
#ifndef FUZZ_PYREPR_H
#define FUZZ_PYREPR_H

#include <stddef.h>
#include <stdio.h>

/* The text of one byte inside quotes, written to out; its length. */
static inline size_t py_byte(unsigned char c, char quote, char out[5])
{
	switch (c) {
	case '\t': return (size_t)snprintf(out, 5, "\\t");
	case '\n': return (size_t)snprintf(out, 5, "\\n");
	case '\r': return (size_t)snprintf(out, 5, "\\r");
	case '\\': return (size_t)snprintf(out, 5, "\\\\");
	default: break;
	}
	if (c == (unsigned char)quote)
		return (size_t)snprintf(out, 5, "\\%c", quote);
	if (c < ' ' || c >= 0x7f)
		return (size_t)snprintf(out, 5, "\\x%02x", c);
	return (size_t)snprintf(out, 5, "%c", c);
}

static inline char py_quote(const unsigned char *p, size_t len)
{
	size_t squotes = 0, dquotes = 0;

	for (size_t i = 0; i < len; i++) {
		squotes += p[i] == '\'';
		dquotes += p[i] == '"';
	}
	return squotes > 0 && dquotes == 0 ? '"' : '\'';
}

/* b'...' into out (room for 4 * len + 4), NUL-terminated; its length. */
static inline size_t py_repr(char *out, const unsigned char *p, size_t len)
{
	char quote = py_quote(p, len), piece[5];
	size_t n = 0, k;

	out[n++] = 'b';
	out[n++] = quote;
	for (size_t i = 0; i < len; i++) {
		k = py_byte(p[i], quote, piece);
		for (size_t j = 0; j < k; j++)
			out[n++] = piece[j];
	}
	out[n++] = quote;
	out[n] = '\0';
	return n;
}

/* The length of py_repr() of these bytes, without writing it. */
static inline size_t py_repr_len(const unsigned char *p, size_t len)
{
	char quote = py_quote(p, len), piece[5];
	size_t n = 3;

	for (size_t i = 0; i < len; i++)
		n += py_byte(p[i], quote, piece);
	return n;
}

#endif
