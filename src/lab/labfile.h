/*
 * labfile.h - a guided lab as a teacher writes it: labs/NN-name.lab.
 *
 * A lab is plain text, read at run time, so a teacher can edit or add one
 * without compiling. The format (one "key: value" a line, '#' comments,
 * a line starting with a space or tab continues the previous value):
 *
 *   title: Sequential: one client at a time     the lab's header
 *   seeds: 004
 *   server: sequential --delay 100               the server the runner starts
 *   needs: threads                               other netlab commands used
 *   intro: ...
 *
 *   step: The first client                       a step; then, in any order:
 *   server: threaded                             (re)start the server here
 *   say: ... / watch: ... / hint: ... / explain: ...
 *   predict: Will the second client be answered? asked before the step
 *   do NAME: nc {host} {port}                    the student types it in terminal NAME
 *   type NAME: Hello                             ... types a line into it
 *   stop NAME:                                   ... presses Ctrl-C in it
 *   eof NAME:                                    ... presses Ctrl-D in it
 *   run: CMD                                     the runner runs CMD itself
 *   edit FILE: OLD => NEW                        the student changes line OLD of FILE
 *   expect: accepted 1                           checked from the server's log
 *   timeout: 5                                   --auto gives up after 5 s
 *   optional: yes                                skipped if its server is missing
 *
 * {host}, {port} and {netlab} are replaced when the lab runs; {labdir}
 * (the lab file's own folder) as the file is read. The expectations are listed below (enum expect_kind) and in labs/README.md.
 */
#ifndef NETLAB_LAB_LABFILE_H
#define NETLAB_LAB_LABFILE_H

#include <stddef.h>

#define LAB_MAX_ACTIONS 16
#define LAB_MAX_EXPECTS 8
#define LAB_MAX_NEEDS 8

enum action_kind { ACT_DO, ACT_TYPE, ACT_STOP, ACT_EOF, ACT_RUN, ACT_EDIT };

struct lab_action {
	enum action_kind kind;
	char *who;		/* the terminal's name: "first"; edit: the file */
	char *text;		/* the command or the line typed; edit: "OLD => NEW" */
};

enum expect_kind {
	EX_ACCEPTED,		/* accepted N: N "Received new connection" this step */
	EX_RECEIVED,		/* received TEXT: a "Received: b'...TEXT..." this step */
	EX_MESSAGES,		/* messages N: N "Received:" lines this step */
	EX_CLOSED,		/* closed N: N "Connection with ... closed" this step */
	EX_CONNECTED,		/* connected N: N clients accepted and not gone, now */
	EX_WAITING,		/* waiting N [MS]: N connected, not accepted, for MS */
	EX_UNREAD,		/* unread N [MS]: N clients' bytes unread by the server */
	EX_LISTENER_CLOSED,	/* listener-closed: the port refuses connections */
	EX_EXITED,		/* exited: the server ended by itself, status 0 */
	EX_SERVED_BY,		/* served-by PREFIX [N]: N actors "PREFIX ..." this step */
	EX_LOG,			/* log TEXT: any server line this step */
	EX_OUTPUT,		/* output TEXT: a terminal or run: printed it (any case) */
	EX_NUMBER_BELOW,	/* number below N: the last number run: printed */
	EX_NUMBER_ABOVE,
	EX_TOOK_BELOW,		/* took below SECS: run: took less than this */
	EX_TOOK_ABOVE
};

struct lab_expect {
	enum expect_kind kind;
	long n;			/* a count or a bound */
	long ms;		/* waiting, unread: how long it must hold */
	char *text;
	char *source;		/* as written, for messages: "waiting 1 500" */
};

struct lab_step {
	char *title;
	char *server;		/* restart the server with this before the step */
	char *say, *watch, *hint, *predict, *explain;
	int optional;
	int timeout_ms;
	struct lab_action actions[LAB_MAX_ACTIONS];
	int nactions;
	struct lab_expect expects[LAB_MAX_EXPECTS];
	int nexpects;
};

struct lab {
	char *path;
	char *id;		/* "01-sequential" */
	char *name;		/* "sequential" */
	int number;		/* 1 */
	char *title, *seeds, *intro;
	char *server;		/* "sequential --delay 100", or "none" */
	char *needs[LAB_MAX_NEEDS];	/* commands this lab's required steps use */
	int nneeds;
	struct lab_step *steps;
	int nsteps;
	int untranslated;	/* netlab speaks Italian, this lab has no labs/it file */
};

/* Read and check one lab file. NULL: err holds "FILE:LINE: what is wrong". */
struct lab *lab_load(const char *path, char *err, size_t errlen);
void lab_free(struct lab *lab);

/* The directory the labs are read from ($NETLAB_LABDIR, the installed one, ./labs). */
const char *lab_dir(void);

/*
 * The file to read for labs/NAME in the language netlab speaks: DIR/it/NAME
 * when it exists (a teacher translates a lab by copying it there), else
 * DIR/NAME. Returns 1 when the lab is not in that language.
 */
int lab_localized(const char *dir, const char *name, char *path, size_t len);

/*
 * All labs, sorted by number. Returns how many; -1 with err set when a file
 * is malformed or the directory cannot be read.
 */
int lab_load_all(struct lab ***labs, char *err, size_t errlen);

/* The first command of this lab (or step) that this netlab lacks, or NULL. */
const char *lab_missing(const struct lab *lab);
const char *step_missing(const struct lab_step *step);

/* text with {host}, {port} and {netlab} (self) filled in, into out. */
void lab_expand(const char *text, const char *host, int port, const char *self, char *out,
    size_t len);

/* The design named in a "server:" value ("limited 3 --delay 9" -> "limited"). */
void server_design(const char *server, char *design, size_t len);

#endif
