/*
 * kernel_text.h - the kernel's view of a server (kernel.h), said in words:
 * the rows that 'netlab watch' and the lab shell's 'status' print, and the
 * JSON of 'watch --json'. Every sentence a student reads about it is here.
 */
#ifndef NETLAB_KERNEL_TEXT_H
#define NETLAB_KERNEL_TEXT_H

#include <stdio.h>

#include <jansson.h>

#include "kernel.h"

#define ROW_MAX 160

/* One line of the picture; 'key' names what it is about, across frames. */
struct row {
	char key[KERNEL_PEER_MAX + 8];	/* "c:('127.0.0.1', 49743)", "t:4711" */
	char text[ROW_MAX];
};

struct rows {
	struct row *row;
	size_t n, cap;
};

/*
 * The picture of view v, row by row, at most 'max_list' rows per list (the
 * rest summed up in one row); 'title' heads it (v NULL: the title alone).
 * Returns 0, -1 out of memory.
 */
int kernel_text_rows(struct rows *out, const struct kernel_view *v, const char *title,
    size_t max_list);
void kernel_text_free(struct rows *r);

/* What a thread is doing, in a student's words: "accept() waiting for a client". */
void kernel_text_doing(const struct kernel_thread *t, char *out, size_t size);

/*
 * The view as one JSON object, the spec's keys ('watch --json'), for
 * json_out_print(); NULL if out of memory.
 */
json_t *kernel_text_json(const struct kernel_view *v);

#endif
