/*
 * i18n.h - netlab in the class's language: GNU gettext.
 *
 * Every message a person reads goes through _() and has an Italian
 * translation in po/it.po; N_() marks a string in a table, translated
 * where it is printed. The event lines of the log (Starting server on,
 * Received new connection from, Received:, Connection with, Shutting
 * down server...) are the tutorials' own words: never wrapped, never
 * translated, so that students and tests can match them.
 */
#ifndef NETLAB_I18N_H
#define NETLAB_I18N_H

#include <libintl.h>
#include <stddef.h>

#define _(text) gettext(text)
#define N_(text) (text)

/*
 * Choose the language before the first message: 'lang' is --lang ("it",
 * "en"), or NULL to follow LC_ALL, LC_MESSAGES and LANG. Works where the
 * wanted locale is not generated (a fresh Debian has only C.UTF-8).
 */
void i18n_init(const char *lang);

/* "it" or "en": the language netlab speaks now. */
const char *i18n_language(void);

/* "it" or "en": the language --lang or the locale asked for. */
const char *i18n_wanted(void);

/* Where the translations are read from (the build tree's locale/ or the
 * installed one), and the Italian catalog's path in it. */
const char *i18n_dir(void);
/* NULL when that file cannot be read. */
const char *i18n_catalog(const char *lang, char *path, size_t len);

#endif
