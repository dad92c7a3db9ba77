/*
 * wrap.c - break a line at the last space that fits, with a hanging indent.
 */
#include <stdio.h>
#include <string.h>

#include "wrap.h"

void wrap_add(struct wrap_buf *t, const char *s, size_t n)
{
	if (n > sizeof(t->buf) - 1 - t->len)
		n = sizeof(t->buf) - 1 - t->len;	/* too long: cut, not overrun */
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* Bytes of s that fit in cols columns: colors take none, UTF-8 one a character. */
static size_t fitting(const char *s, size_t n, size_t cols, size_t *used)
{
	size_t i = 0, c = 0;

	while (i < n) {
		if (s[i] == '\033') {
			while (i < n && s[i] != 'm')
				i++;
			i += i < n;
			continue;
		}
		if (c == cols)
			break;
		c++;
		for (i++; i < n && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
			;
	}
	if (used != NULL)
		*used = c;
	return i;
}

static size_t columns(const char *s)
{
	size_t cols;

	fitting(s, strlen(s), (size_t)-1, &cols);
	return cols;
}

/*
 * One line, no '\n', into out, in rows of at most max columns. A row ends
 * at the last space that fits, past the hang on the first row; a word
 * longer than a whole row is cut, but never back at column 0.
 */
void wrap_line(struct wrap_buf *out, const char *line, size_t len, const char *hang,
    size_t max)
{
	size_t hang_cols = columns(hang), lead = 0;

	if (hang_cols * 2 > max)
		hang = "", hang_cols = 0;	/* a very narrow terminal */
	for (int first = 1;; first = 0) {
		size_t room = first ? max : max - hang_cols, cols;
		size_t fit = fitting(line, len, room, &cols), cut = fit;

		if (!first)
			wrap_add(out, hang, strlen(hang));
		if (fit == len) {
			wrap_add(out, line, len);
			break;
		}
		lead = first ? fitting(line, len, hang_cols, NULL) : 0;
		while (cut > lead && line[cut] != ' ')
			cut--;
		if (cut <= lead)
			cut = fit;	/* no space to break at */
		wrap_add(out, line, cut);
		wrap_add(out, "\n", 1);
		while (cut < len && line[cut] == ' ')
			cut++;
		line += cut;
		len -= cut;
	}
}

/* Each line of text wrapped; hang NULL: its leading blanks and two more. */
void wrap_text(struct wrap_buf *out, const char *text, const char *hang, size_t max)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		char pad[64];

		if (hang == NULL) {
			size_t blanks = strspn(text, " ");

			snprintf(pad, sizeof(pad), "%*s", (int)(blanks + 2 < 40 ? blanks + 2 : 40), "");
		}
		wrap_line(out, text, len, hang != NULL ? hang : pad, max);
		text += len;
		if (*text == '\n') {
			wrap_add(out, "\n", 1);
			text++;
		}
	}
}
