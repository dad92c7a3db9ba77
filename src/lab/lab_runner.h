/*
 * lab_runner.h - what the parts of the lab runner share: one session.
 *
 *   lab_session.c  a lab's steps, what is printed, the poll() loop
 *   lab_expect.c   does a step's expectation hold? the pass/fail line
 *   lab_play.c     processes: the auto player's terminals, run: commands
 *   lab_shell.c    the student's shell: readline, commands, completion
 *
 * One thread runs all of it, so the session needs no lock.
 */
#ifndef NETLAB_LAB_RUNNER_H
#define NETLAB_LAB_RUNNER_H

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>

#include "cli.h"
#include "lab_file.h"
#include "lab_session.h"
#include "lab_watch.h"

#define MAX_TERMS 16
#define WIDTH 78

struct term {			/* a student's terminal, played by --auto */
	char name[32];
	pid_t pid;
	int in_fd, out_fd;
	char partial[512];
	size_t partial_len;
};

struct run {			/* a run: command, which the runner runs itself */
	pid_t pid;
	int out_fd;
	double started, took;
	int done;
	char *output;
	size_t len, cap;
};

struct session {
	struct lab *lab;
	const struct options *opt;
	char self[PATH_MAX];
	int auto_mode, tty, color;
	FILE *record;
	struct watch w;

	int step;		/* the current step, 0-based */
	int mark;		/* w.nevents when the step began */
	double step_began, actions_done_at;
	int action;		/* next action to play */
	int gate_clients;	/* a 'do' waits for a new client to connect */
	double gate_until;
	pid_t gate_pid;		/* a 'stop' or 'run' waits for this process */
	int asking;		/* waiting for the student's prediction */
	char guess[200];
	int passed, failed, finished, quit;
	int all_passed;
	int confirm_all;	/* "reset all": waiting for y/n */

	struct term terms[MAX_TERMS];
	int nterms;
	struct run run;
	struct run seen;	/* everything the terminals and run: printed this step */
	int shown, hidden;	/* server lines shown, held back, this second */
	double window;
	char prompt[64];
	int rl_active;
	char input[4096];	/* stdin that is not a terminal: a line at a time */
	size_t input_len;
};

extern struct session sess;
extern volatile sig_atomic_t got_signal;

/* lab_session.c */
void lab_record_text(const char *text);
const char *lab_paint(const char *code, const char *text);	/* color, if on */
void lab_expand(const char *text, char *out, size_t len);	/* {host}, {port}, ... */
void lab_wrap(const char *lead, const char *text);
void lab_server_line(const char *line);
void lab_flush_hidden(void);
const char *lab_effective_server(int step);
int lab_start_server(const char *args);
void lab_stop_server(void);
void lab_show_action(const struct lab_action *a);
void lab_show_actions(void);
void lab_enter_step(int step);

/* lab_expect.c */
int lab_holds(const struct lab_expect *ex, char *what, size_t len);
int lab_all_hold(char *summary, size_t len, int only_failed);
void lab_step_result(int ok);

/* lab_play.c */
void lab_play_action(const struct lab_action *a);
int lab_gate_open(void);
void lab_reap(void);
int lab_pipe_lines(int fd, char *partial, size_t cap, size_t *len, const char *who,
    struct run *run);
void lab_terms_close_all(void);
void lab_run_kill(void);

/* lab_shell.c */
int lab_set_prompt(void);
void lab_command(char *line);
void lab_read_input(void);
void lab_shell_start(void);
void lab_shell_stop(void);

#endif
