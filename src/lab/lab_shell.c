/*
 * lab_shell.c - the student's side of the lab: a GNU readline shell.
 *
 * readline's callback interface lets one thread do everything: poll() says
 * the keyboard is readable, rl_callback_read_char() takes the key, and a
 * whole line arrives in on_readline(). The server's log is printed above
 * the prompt (lab_print() clears the prompt, prints, and redraws it), and
 * the commands that matter stay on the row under it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "lab_runner.h"

static const char *const commands[] = { "next", "back", "hint", "check", "status",
	"timeline", "restart", "reset", "quit", "help", NULL };
static const char bar[] = "next  back  hint  check  status  timeline  help  quit  (Tab completes)";

int lab_set_prompt(void)
{
	if (sess.asking)
		snprintf(sess.prompt, sizeof(sess.prompt), "your guess> ");
	else if (sess.confirm_all)
		snprintf(sess.prompt, sizeof(sess.prompt), "reset the progress of every lab? [y/N] ");
	else
		snprintf(sess.prompt, sizeof(sess.prompt), "lab %d, step %d/%d> ", sess.lab->number,
		    sess.step + 1, sess.lab->nsteps);
	if (sess.rl_active) {
		rl_set_prompt(sess.prompt);
		fputs("\r\033[J", stdout);
		rl_on_new_line();
		(*rl_redisplay_function)();
	}
	return 0;
}

static void help(void)
{
	lab_print("  next      skip to the next step          back      the step before\n"
	    "  hint      a hint for this step           check     which expectations hold\n"
	    "  status    who is connected, who waits    timeline  the session so far\n"
	    "  restart   restart the server, redo step  reset     forget this lab's progress\n"
	    "  reset all forget every lab's progress    quit      leave (Ctrl-D too)\n");
}

static void check(void)
{
	const struct lab_step *st = &sess.lab->steps[sess.step];

	for (int i = 0; i < st->nexpects; i++) {
		char what[256];
		int h = lab_holds(&st->expects[i], what, sizeof(what));

		lab_print("  %s %s\n", h ? lab_paint("32", "[x]") : "[ ]", what);
	}
}

void lab_command(char *line)
{
	char *word = line + strspn(line, " \t"), *arg;
	size_t len;

	word[strcspn(word, "\r\n")] = '\0';
	for (len = strlen(word); len > 0 && (word[len - 1] == ' ' || word[len - 1] == '\t'); )
		word[--len] = '\0';	/* Tab completion leaves a space behind */
	if (sess.record != NULL && !sess.tty)
		lab_record_text("");
	if (sess.confirm_all) {
		sess.confirm_all = 0;
		if (word[0] == 'y' || word[0] == 'Y')
			lab_print(progress_reset(NULL) == 0 ? "  every lab's progress is forgotten\n" :
			    "  netlab: cannot reset the progress\n");
		else
			lab_print("  nothing was reset\n");
		lab_set_prompt();
		return;
	}
	if (sess.asking) {
		int is_command = 0;

		for (int i = 0; commands[i]; i++)
			is_command |= strcmp(word, commands[i]) == 0;
		if (!is_command) {
			snprintf(sess.guess, sizeof(sess.guess), "%s", word);
			sess.asking = 0;
			lab_print("  Your guess is noted: %s\n", word[0] ? word : "(none)");
			lab_show_actions();
			lab_set_prompt();
			return;
		}
	}
	arg = word + strcspn(word, " \t");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	if (word[0] == '\0')
		return;
	if (strcmp(word, "next") == 0 || strcmp(word, "n") == 0) {
		lab_print("  (step %d skipped)\n", sess.step + 1);
		lab_enter_step(sess.finished ? sess.lab->nsteps : sess.step + 1);
	} else if (strcmp(word, "back") == 0 || strcmp(word, "b") == 0) {
		lab_enter_step(sess.step > 0 ? sess.step - 1 : 0);
	} else if (strcmp(word, "hint") == 0) {
		lab_wrap("  Hint: ", sess.lab->steps[sess.step].hint ? sess.lab->steps[sess.step].hint :
		    "no hint for this step: read the Watch line again");
	} else if (strcmp(word, "check") == 0) {
		check();
	} else if (strcmp(word, "status") == 0) {
		watch_scan(&sess.w);
		watch_status(&sess.w);
	} else if (strcmp(word, "timeline") == 0) {
		watch_scan(&sess.w);
		watch_timeline(&sess.w);
	} else if (strcmp(word, "restart") == 0) {
		lab_start_server(lab_effective_server(sess.step));
		lab_enter_step(sess.step);
	} else if (strcmp(word, "reset") == 0 && strcmp(arg, "all") == 0) {
		sess.confirm_all = 1;
		lab_set_prompt();
	} else if (strcmp(word, "reset") == 0) {
		lab_print(progress_reset(sess.lab->id) == 0 ? "  the progress of lab %d is forgotten\n" :
		    "  netlab: cannot reset the progress of lab %d\n", sess.lab->number);
	} else if (strcmp(word, "quit") == 0 || strcmp(word, "q") == 0 ||
	    strcmp(word, "exit") == 0) {
		sess.quit = 1;
	} else if (strcmp(word, "help") == 0 || strcmp(word, "?") == 0) {
		help();
	} else {
		lab_print("  unknown command '%s': try help\n", word);
	}
}

static void on_readline(char *line)
{
	sess.rl_active = 0;
	fputs("\r\033[J", stdout);	/* the bar under the old prompt goes */
	if (line == NULL) {		/* Ctrl-D, or the end of the input */
		lab_print("\n");
		sess.quit = 1;
	} else {
		if (*line)
			add_history(line);
		lab_record_text(sess.prompt);
		lab_record_text(line);
		lab_record_text("\n");
		lab_command(line);
		free(line);
	}
	sess.rl_active = 1;
	if (!sess.quit) {
		fputs("\n\033[A", stdout);
		rl_set_prompt(sess.prompt);	/* the command may have moved to another step */
		rl_on_new_line();
	}
}

static void redisplay_with_bar(void)
{
	rl_redisplay();
	/* The commands that matter, always on the row under the prompt. */
	printf("\0337\r\n\033[K%s\0338", sess.color ? "\033[2m" : "");
	fflush(stdout);
	if (sess.color) {
		printf("\0337\r\n%s\033[0m\0338", bar);
	} else {
		printf("\0337\r\n%s\0338", bar);
	}
	fflush(stdout);
}

static char *command_generator(const char *text, int state)
{
	static int i;
	static size_t len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (commands[i] != NULL)
		if (strncmp(commands[i++], text, len) == 0)
			return strdup(commands[i - 1]);
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
void lab_read_input(void)
{
	ssize_t n = read(STDIN_FILENO, sess.input + sess.input_len, sizeof(sess.input) - 1 - sess.input_len);
	char *nl;

	if (n == -1 && errno == EINTR)
		return;
	if (n <= 0) {
		sess.quit = 1;		/* EOF: leave cleanly */
		return;
	}
	sess.input_len += (size_t)n;
	sess.input[sess.input_len] = '\0';
	while (!sess.quit && (nl = strchr(sess.input, '\n')) != NULL) {
		*nl = '\0';
		lab_print("%s%s\n", sess.prompt, sess.input);
		lab_command(sess.input);
		sess.input_len -= (size_t)(nl + 1 - sess.input);
		memmove(sess.input, nl + 1, sess.input_len + 1);
	}
	if (sess.input_len == sizeof(sess.input) - 1)
		sess.input_len = 0;	/* a line this long is no command */
}


void lab_shell_start(void)
{
	rl_catch_signals = 0;		/* Ctrl-C is ours: see the loop */
	rl_attempted_completion_function = complete;
	rl_redisplay_function = redisplay_with_bar;
	fputs("\n\033[A", stdout);	/* a free row under the prompt, for the bar */
	rl_callback_handler_install(sess.prompt, on_readline);
	sess.rl_active = 1;
}

void lab_shell_stop(void)
{
	sess.rl_active = 0;
	rl_callback_handler_remove();
	fputs("\r\033[J", stdout);
}
