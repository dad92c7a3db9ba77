/*
 * shell.c - readline, the command table, completion, the command bar.
 *
 * readline's callback interface lets one thread do everything: poll() says
 * the keyboard is readable, rl_callback_read_char() takes the key, and a
 * whole line arrives in on_line(), kept until the session takes it. The
 * server's log is printed above the prompt (screen.c), and the commands
 * that matter stay on the row under it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "i18n.h"
#include "shell.h"

/* One table: completion, the bar under the prompt, and help. */
static const struct shell_command {
	const char *name;
	const char *aliases;	/* space-separated */
	enum shell_cmd id;
	int in_bar;
	const char *help;
	const char *with_all;	/* "reset all": the help for the variant */
} commands[] = {
	{ "next", "n", SHELL_NEXT, 1, N_("skip to the next step"), NULL },
	{ "back", "b", SHELL_BACK, 1, N_("the step before"), NULL },
	{ "hint", "", SHELL_HINT, 1, N_("a hint for this step"), NULL },
	{ "check", "", SHELL_CHECK, 1, N_("what this step still waits for"), NULL },
	{ "run", "", SHELL_RUN, 0, N_("run the step's command (again)"), NULL },
	{ "status", "", SHELL_STATUS, 1, N_("who is connected, who waits"), NULL },
	{ "timeline", "", SHELL_TIMELINE, 1, N_("the session so far"), NULL },
	{ "restart", "", SHELL_RESTART, 0, N_("restart the server, redo step"), NULL },
	{ "reset", "", SHELL_RESET, 0, N_("forget this lab's progress"),
	    N_("forget every lab's progress") },
	{ "help", "?", SHELL_HELP, 1, NULL, NULL },
	{ "quit", "q exit", SHELL_QUIT, 1, N_("leave (Ctrl-D too)"), NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The shell readline's callbacks work for: there is one readline per process. */
static struct shell *current;

static int has_alias(const char *aliases, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = aliases; len > 0 && (p = strstr(p, word)) != NULL; p += len)
		if ((p == aliases || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

int shell_is_command(const char *word)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(word, commands[i].name) == 0)
			return 1;
	return 0;
}

char *shell_trim(char *line)
{
	char *word = line + strspn(line, " \t");
	size_t len;

	word[strcspn(word, "\r\n")] = '\0';
	for (len = strlen(word); len > 0 && (word[len - 1] == ' ' || word[len - 1] == '\t'); )
		word[--len] = '\0';	/* Tab completion leaves a space behind */
	return word;
}

enum shell_cmd shell_parse(char *line, char **arg)
{
	char *rest = line + strcspn(line, " \t");

	if (*rest)
		*rest++ = '\0';
	*arg = rest + strspn(rest, " \t");
	if (line[0] == '\0')
		return SHELL_NONE;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(line, commands[i].name) == 0 || has_alias(commands[i].aliases, line))
			return commands[i].id;
	return SHELL_UNKNOWN;
}

/*
 * A yes or a no, in English or in Italian: "y", "yes", "s", "si", "sì"
 * (any case); "n", "no". Anything else is neither.
 */
enum answer shell_answer(const char *word)
{
	static const char *const yes[] = { "y", "yes", "s", "si", "s\xc3\xac", "s\xc3\x8c" };
	static const char *const no[] = { "n", "no" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(word, yes[i]) == 0)
			return ANSWER_YES;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(word, no[i]) == 0)
			return ANSWER_NO;
	return ANSWER_OTHER;
}

const char *shell_answer_in_full(const char *word)
{
	switch (shell_answer(word)) {
	case ANSWER_YES: return tolower((unsigned char)word[0]) == 'y' ? "yes" : "s\xc3\xac";
	case ANSWER_NO: return "no";
	default: return word;
	}
}

/* One help entry: "  name      what it does", padded to a column. */
static int help_entry(char *out, size_t len, const char *name, const char *help, int left)
{
	return snprintf(out, len, left ? "  %-10s%-31s" : "%-10s%s\n", name, _(help));
}

void shell_help(struct shell *sh)
{
	char text[2048];
	size_t o = 0;
	int column = 0;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		char all[32];

		if (commands[i].help == NULL)
			continue;
		o += (size_t)help_entry(text + o, sizeof(text) - o, commands[i].name,
		    commands[i].help, column == 0);
		column ^= 1;
		if (commands[i].with_all == NULL)
			continue;
		snprintf(all, sizeof(all), "%s all", commands[i].name);
		o += (size_t)help_entry(text + o, sizeof(text) - o, all, commands[i].with_all,
		    column == 0);
		column ^= 1;
	}
	screen_print(sh->scr, "%s%s", text, column ? "\n" : "");
}

void shell_prompt(struct shell *sh, enum prompt_kind kind, int lab, int step, int nsteps)
{
	char prompt[sizeof(sh->prompt)];

	if (kind == PROMPT_GUESS)
		snprintf(prompt, sizeof(prompt), _("your guess> "));
	else if (kind == PROMPT_RUN)
		snprintf(prompt, sizeof(prompt), _("lab %d, step %d/%d, Enter runs it> "), lab,
		    step + 1, nsteps);
	else if (kind == PROMPT_DONE)
		snprintf(prompt, sizeof(prompt), _("lab %d, step %d/%d passed, Enter goes on> "), lab,
		    step + 1, nsteps);
	else if (kind == PROMPT_CONFIRM_ALL)
		snprintf(prompt, sizeof(prompt), _("reset the progress of every lab? [y/N] "));
	else
		snprintf(prompt, sizeof(prompt), _("lab %d, step %d/%d> "), lab, step + 1, nsteps);
	if (strcmp(prompt, sh->prompt) == 0)
		return;
	memcpy(sh->prompt, prompt, sizeof(prompt));
	if (sh->scr->rl_active) {
		rl_set_prompt(sh->prompt);
		fputs("\r\033[J", stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
}

/*
 * A whole line. The prompt stays off until the session has carried the
 * line out (shell_ready()): what the command prints goes out plainly, and
 * the prompt comes back once, for the step the command may have moved to.
 */
static void on_line(char *line)
{
	struct shell *sh = current;

	sh->scr->rl_active = 0;
	fputs("\r\033[J", stdout);	/* the bar under the old prompt goes */
	if (line == NULL) {		/* Ctrl-D, or the end of the input */
		sh->eof = 1;
		return;
	}
	if (*line)
		add_history(line);
	screen_record(sh->scr, sh->prompt);
	screen_record(sh->scr, line);
	screen_record(sh->scr, "\n");
	free(sh->line);
	sh->line = line;
	sh->busy = 1;
}

void shell_ready(struct shell *sh)
{
	if (!sh->tty || !sh->busy)
		return;
	sh->busy = 0;
	sh->scr->rl_active = 1;
	fputs("\n\033[A", stdout);
	rl_set_prompt(sh->prompt);
	rl_on_new_line();
	(*rl_redisplay_function)();
}

static void redisplay_with_bar(void)
{
	char bar[256];
	size_t o = 0;

	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].in_bar)
			o += (size_t)snprintf(bar + o, sizeof(bar) - o, "%s  ", commands[i].name);
	snprintf(bar + o, sizeof(bar) - o, "%s", _("(Tab completes)"));
	if (current->busy)
		return;		/* a command is being carried out */
	rl_redisplay();
	/* The commands that matter, always on the row under the prompt. */
	printf("\0337\r\n\033[K%s\0338", current->scr->color ? "\033[2m" : "");
	fflush(stdout);
	printf("\0337\r\n%s%s\0338", bar, current->scr->color ? "\033[0m" : "");
	fflush(stdout);
}

static char *command_generator(const char *text, int state)
{
	static size_t i, len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (i < NCOMMANDS)
		if (strncmp(commands[i++].name, text, len) == 0)
			return strdup(commands[i - 1].name);
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;	/* no file names */
	if (start > 0)
		return NULL;
	return rl_completion_matches(text, command_generator);
}

/* Input that is not a terminal: whole lines, no editing. */
static void read_lines(struct shell *sh)
{
	ssize_t n;

	if (sh->input_used > 0) {	/* drop the lines already taken */
		sh->input_len -= sh->input_used;
		memmove(sh->input, sh->input + sh->input_used, sh->input_len);
		sh->input_used = 0;
	}
	n = read(STDIN_FILENO, sh->input + sh->input_len, sizeof(sh->input) - 1 - sh->input_len);
	if (n == -1 && errno == EINTR)
		return;
	if (n <= 0) {
		sh->eof = 1;		/* EOF: leave cleanly */
		return;
	}
	sh->input_len += (size_t)n;
	sh->input[sh->input_len] = '\0';
	if (sh->input_len == sizeof(sh->input) - 1 && strchr(sh->input, '\n') == NULL)
		sh->input_len = 0;	/* a line this long is no command */
}

void shell_read(struct shell *sh)
{
	if (sh->tty)
		rl_callback_read_char();	/* a whole line goes to on_line() */
	else
		read_lines(sh);
}

char *shell_next_line(struct shell *sh)
{
	char *line, *start = sh->input + sh->input_used, *nl;

	if (sh->tty) {
		line = sh->line;
		sh->line = NULL;
		return line;
	}
	nl = memchr(start, '\n', sh->input_len - sh->input_used);
	if (nl == NULL)
		return NULL;
	*nl = '\0';
	sh->input_used = (size_t)(nl + 1 - sh->input);
	screen_print(sh->scr, "%s%s\n", sh->prompt, start);
	return strdup(start);
}

void shell_start(struct shell *sh)
{
	current = sh;
	rl_catch_signals = 0;		/* Ctrl-C is the session's: see its loop */
	rl_attempted_completion_function = complete;
	rl_redisplay_function = redisplay_with_bar;
	fputs("\n\033[A", stdout);	/* a free row under the prompt, for the bar */
	rl_callback_handler_install(sh->prompt, on_line);
	sh->scr->rl_active = 1;
}

void shell_stop(struct shell *sh)
{
	sh->scr->rl_active = 0;
	rl_callback_handler_remove();
	fputs("\r\033[J", stdout);
	free(sh->line);
	sh->line = NULL;
}
