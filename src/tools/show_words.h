/*
 * show_words.h - the words of show's picture (headings, legend, states),
 * shared by the page and the SVG, each under a key ("legend_recv",
 * "state_queued"); "{n}", "{by}" mark where a value goes.
 */
#ifndef NETLAB_SHOW_WORDS_H
#define NETLAB_SHOW_WORDS_H

#include <stddef.h>

struct show_word {
	const char *key;
	const char *text;	/* marked N_(): translate with _() */
};

extern const struct show_word show_words[];
extern const size_t show_nwords;

/* The word for key in the command line's language, or NULL when there is none. */
const char *show_word(const char *key);

#endif
