/*
 * play.h - the act layer: the processes the runner starts besides the
 * server. With --auto, the student's terminals (an nc each, its keyboard
 * on a pipe); in every mode, the run: commands that a lab runs itself.
 * Acting returns data: what the processes printed comes back a line at a
 * time, and the caller shows it.
 */
#ifndef NETLAB_LAB_PLAY_H
#define NETLAB_LAB_PLAY_H

#include <stddef.h>
#include <sys/types.h>

#include "child.h"
#include "labfile.h"

#define MAX_TERMS 16

struct output {			/* everything a process printed, up to 1 MiB */
	char *text;
	size_t len, cap;
};

struct lines {			/* a pipe, read a line at a time */
	int fd;			/* -1: closed */
	char partial[512];
	size_t len;
	char raw[2048];		/* the last read(), not yet split */
	size_t rlen, rpos;
	int eof;
};

struct term {			/* a student's terminal, played by --auto */
	char name[32];
	struct child child;	/* nc; its keyboard is child.input_fd */
	struct lines out;	/* its output: the pipe, handed over by the child */
};

struct run {			/* a run: command, which the runner runs itself */
	struct child child;
	struct lines out;
	double started, took;
	int done;
	struct output output;
};

struct player {
	struct term terms[MAX_TERMS];
	int nterms;
	struct run run;
	struct output seen;	/* everything the terminals and run: printed this step */
	int gate_clients;	/* a 'do' waits for the server's client count to pass this */
	struct term *gate_do;	/* ... or for its command to end */
	double gate_until;
	pid_t gate_pid;		/* a 'stop' or 'run' waits for this process */
};

void play_init(struct player *pl);

/* Play one action; text is its command or line, placeholders filled in. */
void play_action(struct player *pl, const struct lab_action *a, const char *text,
    int nclients, double run_timeout);

/* May the next action be played? nclients: the clients the server has seen. */
int play_gate_open(struct player *pl, int nclients);

/* Read what a pipe has; keeps it in seen (and in the run's output). 0 at EOF. */
int play_read(struct player *pl, struct lines *l);

/* The next whole line read from l, into line. 0: none yet. */
int play_next_line(struct lines *l, char *line, size_t len);

/* Reap the terminals and the run: command that ended, never the server. */
void play_reap(struct player *pl);

/* A new step: forget the run: command and what was seen. */
void play_new_step(struct player *pl);

/* End every terminal and the run: command. */
void play_stop_all(struct player *pl);

void play_free(struct player *pl);

#endif
