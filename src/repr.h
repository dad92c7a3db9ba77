/*
 * repr.h - bytes shown exactly as Python 3's repr() of a bytes object.
 *
 * A client's bytes reach the teacher's terminal only through this
 * function: control characters become \x1b, \n and friends, so nobody
 * can write escape sequences onto the screen.
 */
#ifndef NETLAB_REPR_H
#define NETLAB_REPR_H

#include <stddef.h>

/* Worst case: every byte as \xNN, plus b'' and the NUL. */
#define REPR_SIZE(len) (4 * (len) + 4)

/*
 * How many of the first len bytes fit in 'room' characters of their repr
 * (the b and the quotes aside): the longest prefix that fits.
 */
size_t repr_fits(const void *data, size_t len, size_t room);

/* Writes b'...' into out (at least REPR_SIZE(len) bytes); returns its length. */
size_t repr_bytes(char *out, const void *data, size_t len);

/*
 * Text for someone else's terminal: printable ASCII, tabs and a last
 * newline as they are, every other byte escaped as repr_bytes() writes it
 * (\x1b, \r, \x00). Writes into out (at least REPR_SIZE(len) bytes) with
 * a NUL; returns its length.
 */
size_t repr_text(char *out, const void *data, size_t len);

#endif
