/*
 * repr.c - Python 3's repr() of bytes, byte for byte.
 *
 * Python quotes with ' unless the bytes hold a ' and no ", escapes the
 * backslash and the chosen quote, writes \t \n \r by name, printable
 * ASCII as itself and every other byte as \xNN in lower case.
 *
 * repr_text() escapes the same bytes the same way, without quotes: text
 * relayed to other clients' terminals (chat) passes through it.
 */
#include "repr.h"

static int contains(const unsigned char *p, size_t len, unsigned char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] == c)
			return 1;
	return 0;
}

/* Characters that byte c takes in a repr quoted with ' (a ' escaped). */
static size_t width(unsigned char c)
{
	if (c == '\\' || c == '\'' || c == '\t' || c == '\n' || c == '\r')
		return 2;
	return c < 0x20 || c >= 0x7f ? 4 : 1;
}

/*
 * A ' costs two characters only when repr quotes with ', that is once the
 * bytes so far hold a "; until then repr quotes with " and a ' is itself.
 */
size_t repr_fits(const void *data, size_t len, size_t room)
{
	const unsigned char *p = data;
	size_t used = 0, squotes = 0, n;
	int dquote = 0;		/* a " seen: repr quotes with ' and escapes each ' */

	for (n = 0; n < len; n++) {
		if (p[n] == '"' && !dquote) {
			dquote = 1;
			used += squotes;	/* every ' so far now costs two */
		}
		squotes += p[n] == '\'';
		used += width(p[n]) - (p[n] == '\'' && !dquote);
		if (used > room)
			break;
	}
	return n;
}

/* A byte that is not printable ASCII: \t \n \r by name, others as \xNN. */
static size_t escape(char *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	if (c == '\t' || c == '\n' || c == '\r') {
		out[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	return 4;
}

static int printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

size_t repr_bytes(char *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	char quote = '\'';
	size_t n = 0;

	if (contains(p, len, '\'') && !contains(p, len, '"'))
		quote = '"';
	out[n++] = 'b';
	out[n++] = quote;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c == '\\' || c == (unsigned char)quote) {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (printable(c)) {
			out[n++] = (char)c;
		} else {
			n += escape(out + n, c);
		}
	}
	out[n++] = quote;
	out[n] = '\0';
	return n;
}

size_t repr_text(char *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (printable(p[i]) || p[i] == '\t' || (p[i] == '\n' && i == len - 1))
			out[n++] = (char)p[i];
		else
			n += escape(out + n, p[i]);
	}
	out[n] = '\0';
	return n;
}
