/*
 * bench_notes.h - what bench's figures mean, when they point at a known
 * cause. To say "the server was idle while its clients waited", bench must
 * know the server's CPU time: when the server runs on this machine, the
 * kernel tells it (/proc/PID/stat), for the server and its children.
 */
#ifndef NETLAB_BENCH_NOTES_H
#define NETLAB_BENCH_NOTES_H

#include <sys/socket.h>
#include <sys/types.h>

/* The causes bench can name; the --json words are bench_note_words[]. */
enum bench_note { NOTE_NAGLE, BENCH_NNOTES };

extern const char *const bench_note_words[BENCH_NNOTES];

/* The server's process on this machine and the CPU it had used by then. */
struct server_cpu {
	pid_t pid;		/* 0: not on this machine, or /proc would not say */
	double start_s;		/* its CPU seconds (children included) at the start */
	double used_s;		/* CPU seconds during the run; -1 unknown */
};

/*
 * Before the run: when 'addr' (the server's) is an address of this machine,
 * the process that listens on its port, and its CPU so far.
 */
void server_cpu_start(struct server_cpu *s, const struct sockaddr *addr, socklen_t len);

/*
 * After a run of 'seconds': how much CPU it used meanwhile (s->used_s), or
 * -1 when that is unknown or the run was too short to tell (under 0.5 s).
 */
void server_cpu_stop(struct server_cpu *s, double seconds);

/*
 * Which notes apply (a bit per enum bench_note): Nagle when the median
 * answer took 30 to 50 ms while the server used under a quarter of one
 * core. Without the server's CPU, nothing is said.
 */
unsigned bench_notes(double p50_ms, double seconds, const struct server_cpu *s);

#endif
