/*
 * shell.h - the student's side of the lab: a GNU readline shell, its one
 * table of commands (completion, the command bar under the prompt, help),
 * and the prompt. It reads lines and says which command each is; the
 * session (above) carries them out.
 */
#ifndef NETLAB_LAB_SHELL_H
#define NETLAB_LAB_SHELL_H

#include <stddef.h>

#include "screen.h"

enum shell_cmd { SHELL_NONE, SHELL_NEXT, SHELL_BACK, SHELL_HINT, SHELL_CHECK, SHELL_RUN, SHELL_STATUS,
	SHELL_TIMELINE, SHELL_RESTART, SHELL_RESET, SHELL_HELP, SHELL_QUIT, SHELL_UNKNOWN };

enum answer { ANSWER_OTHER, ANSWER_YES, ANSWER_NO };

/* What the prompt says Enter does: nothing yet, run the step's command, go on. */
enum prompt_kind { PROMPT_STEP, PROMPT_RUN, PROMPT_DONE, PROMPT_GUESS, PROMPT_CONFIRM_ALL };

struct shell {
	struct screen *scr;	/* where lines are printed (rl_active lives there) */
	int tty;		/* readline on a terminal; else whole lines from stdin */
	char prompt[64];
	char *line;		/* a line readline gave us, not yet taken */
	int eof;		/* Ctrl-D, or the end of the input */
	int busy;		/* a line is being carried out: no prompt */
	char input[4096];	/* stdin that is not a terminal */
	size_t input_len, input_used;
};

void shell_start(struct shell *sh);
void shell_stop(struct shell *sh);

/* The prompt for this state; redrawn if it changed. */
void shell_prompt(struct shell *sh, enum prompt_kind kind, int lab, int step, int nsteps);

/* The keyboard is readable: take what it has. */
void shell_read(struct shell *sh);

/* The next line typed, or NULL. The caller frees it. */
char *shell_next_line(struct shell *sh);

/* The line without its blanks around, and its end of line. */
char *shell_trim(char *line);

/* The lines are carried out: the prompt again. */
void shell_ready(struct shell *sh);

/* Which command a trimmed line is: its arguments start at *arg. */
enum shell_cmd shell_parse(char *line, char **arg);

/* Is the word a command's full name? (A guess may be any other text.) */
int shell_is_command(const char *word);

/* Is the word a yes or a no (English or Italian)? */
enum answer shell_answer(const char *word);

/* A yes or a no in full ("s" is "sì", "y" is "yes"); any other word as it is. */
const char *shell_answer_in_full(const char *word);

void shell_help(struct shell *sh);

#endif
