/*
 * report.h - the show layer's words: every message the lab runner prints
 * about the lab, its steps, the server's log and the results, each in one
 * place (report.c, result.c; status.c for 'status' and 'timeline').
 * They print through screen.c; nothing below them prints.
 */
#ifndef NETLAB_LAB_REPORT_H
#define NETLAB_LAB_REPORT_H

#include "expect.h"
#include "labfile.h"
#include "observe.h"
#include "screen.h"

struct report {
	struct screen scr;
	int auto_mode;
	int port;		/* for {port} in the teacher's texts */
	const char *host;	/* for {host}: what the students type into nc */
	const char *self;	/* for {netlab} */
	double window;		/* the log's burst control: this second began */
	int shown, hidden;	/* server lines shown, held back, this second */
};

/* A teacher's text, placeholders filled in, wrapped after lead. */
void report_text(struct report *r, const char *lead, const char *text);

/* The lab cannot run: no transcript, no binary (why), no memory (both NULL). */
void report_cannot_start(const char *transcript, const char *why);

void report_lab(struct report *r, const struct lab *lab);
void report_log_line(struct report *r, const char *line);
void report_log_flush(struct report *r);
void report_server_starting(struct report *r, const char *args);
void report_server_failed(struct report *r, const char *args, const char *why);
void report_step(struct report *r, const struct lab *lab, int step);
void report_step_missing(struct report *r, const struct lab *lab, int step, const char *missing);
void report_step_skipped(struct report *r, int step);
void report_lab_done(struct report *r, const struct lab *lab);
void report_predict(struct report *r, const struct lab_step *st);
void report_guess(struct report *r, const char *guess);
void report_action(struct report *r, const struct lab_action *a);
void report_actions(struct report *r, const struct lab_step *st);
void report_output(struct report *r, const char *who, const char *line, int is_run);
void report_press_enter(struct report *r, int last);
void report_step_again(struct report *r, const struct lab *lab, int step);
void report_running_again(struct report *r);
void report_type_there(struct report *r, const struct lab_action *a);
void report_reset(struct report *r, const struct lab *lab, int all, int ok);
void report_nothing_reset(struct report *r);
void report_unknown(struct report *r, const char *word);
void report_interrupt(struct report *r);
void report_end_of_input(struct report *r);
void report_final(struct report *r, const struct lab *lab, int passed, int ok);

/* status.c: the 'status' and 'timeline' commands. */
void report_status(struct report *r, const struct observer *o);
void report_timeline(struct report *r, const struct observer *o);

/*
 * result.c: a verdict in words; the 'check' list; the line ending a step;
 * 'hint': the step's own, then what it still waits for (not_run: Enter runs
 * its command first).
 */
void report_hint(struct report *r, const struct lab_step *st, const struct evidence *e,
    int not_run);
void report_verdict(const struct lab_expect *ex, const struct verdict *v, char *what,
    size_t len);
void report_check(struct report *r, const struct lab_step *st, const struct evidence *e);
void report_result(struct report *r, const struct lab *lab, int step,
    const struct evidence *e, int ok, const char *guess);
/* What has not held yet, in words, "; " between; empty when all hold. */
void report_missing(const struct lab_step *st, const struct evidence *e, char *out,
    size_t len);
/* The log pushed a passed step's explanation up: it again. */
void report_passed_again(struct report *r, const struct lab *lab, int step, const char *guess);
/* A run: ended and the step did not pass: what is missing, and Enter runs it again. */
void report_run_missed(struct report *r, const struct lab_step *st, const struct evidence *e);

#endif
