/*
 * i18n.c - which language, and where its translations are.
 *
 * gettext follows the locale: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG.
 * Two things get in the way in a classroom. A fresh Debian machine has
 * only the C.UTF-8 locale generated, so LANG=it_IT.UTF-8 makes
 * setlocale() fail and the program stays in "C", where gettext
 * translates nothing. And --lang must win over the locale. In both cases
 * netlab runs in C.UTF-8 and names the language in LANGUAGE, which glibc
 * honours in every locale but plain "C". Both go into the environment,
 * so the servers and commands the lab runner starts speak the same
 * language.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#ifndef NETLAB_LOCALEDIR
#define NETLAB_LOCALEDIR "/usr/local/share/locale"
#endif

static char locale_dir[PATH_MAX] = NETLAB_LOCALEDIR;
static char wanted[3] = "en";	/* what --lang or the locale asked for */

/* A build tree: locale/ beside the netlab binary, even if one is installed. */
static void find_locale_dir(void)
{
	char here[PATH_MAX];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", here, sizeof(here) - 8);
	char *slash;

	if (n <= 0)
		return;		/* no /proc: the installed place */
	here[n] = '\0';
	slash = strrchr(here, '/');
	if (slash == NULL)
		return;
	strcpy(slash + 1, "locale");
	if (stat(here, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(locale_dir, sizeof(locale_dir), "%s", here);
}

/* "it", "it_IT.UTF-8", "it:en": a name that asks for Italian. */
static int is_italian(const char *name)
{
	return name != NULL && strncmp(name, "it", 2) == 0 &&
	    (name[2] == '\0' || strchr("_.@:", name[2]) != NULL);
}

/* "it" from "it_IT.UTF-8", as the environment names the locale. */
static const char *wanted_by_environment(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	static char lang[3];

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v == NULL || *v == '\0')
			continue;
		memcpy(lang, is_italian(v) ? "it" : "en", 3);
		return lang;
	}
	return NULL;
}

/* Speak 'lang' whatever the locale: LANGUAGE, in a locale that is not "C". */
static void force_language(const char *lang, int locale_ok)
{
	const char *messages = setlocale(LC_MESSAGES, NULL);

	setenv("LANGUAGE", lang, 1);
	if (locale_ok && messages != NULL && strcmp(messages, "C") != 0 &&
	    strcmp(messages, "POSIX") != 0)
		return;		/* the user's own locale carries it */
	if (setlocale(LC_ALL, "C.UTF-8") != NULL)
		setenv("LC_ALL", "C.UTF-8", 1);		/* and the lab's servers too */
}

void i18n_init(const char *lang)
{
	int locale_ok = setlocale(LC_ALL, "") != NULL;

	/* Numbers stay "1.5" in every language: the labs and tools parse them. */
	setlocale(LC_NUMERIC, "C");
	if (lang == NULL && !locale_ok)
		lang = wanted_by_environment();		/* asked for, not generated */
	if (lang != NULL)
		force_language(lang, locale_ok);
	if (is_italian(lang) || (lang == NULL && (is_italian(getenv("LANGUAGE")) ||
	    is_italian(setlocale(LC_MESSAGES, NULL)))))
		memcpy(wanted, "it", 3);
	find_locale_dir();
	bindtextdomain("netlab", locale_dir);
	textdomain("netlab");
}

const char *i18n_language(void)
{
	/* The catalog's header, which gettext("") returns once it found one. */
	const char *header = gettext("");

	return strstr(header, "Language: it") != NULL ? "it" : "en";
}

const char *i18n_wanted(void)
{
	return wanted;
}

const char *i18n_dir(void)
{
	return locale_dir;
}

const char *i18n_catalog(const char *lang, char *path, size_t len)
{
	if ((size_t)snprintf(path, len, "%s/%s/LC_MESSAGES/netlab.mo", locale_dir, lang) >= len)
		return NULL;
	return access(path, R_OK) == 0 ? path : NULL;
}
