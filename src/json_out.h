/*
 * json_out.h - every JSON byte netlab writes (bench, compare, watch, check
 * --json) is built with jansson and printed here, one way: one line, keys
 * in the order they were added, UTF-8 as it is.
 *
 * Build a value with json_pack() ("s" for netlab's own words, such as keys
 * and design names), json_out_text() for any other string, json_out_real()
 * for a measured figure; then json_out_print() it. A builder that runs out
 * of memory returns NULL, and json_out_print() says so: nothing to check
 * at every step.
 */
#ifndef NETLAB_JSON_OUT_H
#define NETLAB_JSON_OUT_H

#include <stdio.h>

#include <jansson.h>

/*
 * A string netlab did not write itself (a thread's name, a host as typed,
 * a sentence that holds a client's bytes): kept as it is when it is UTF-8
 * without control codes a terminal would act on, otherwise written as the
 * log writes bytes (\xe8, \x1b). NULL s: null. NULL if out of memory.
 */
json_t *json_out_text(const char *s);

/* x rounded to 'decimals' places, as a report shows it; null if x is not finite. */
json_t *json_out_real(double x, int decimals);

/*
 * Adds 'item' to the array *list, or sets *obj's 'key' to it, taking the
 * reference. If that fails (item NULL: out of memory), *list or *obj is
 * released and set to NULL, and later calls only release their item: the
 * caller checks once, at the end.
 */
void json_out_append(json_t **list, json_t *item);
void json_out_set(json_t **obj, const char *key, json_t *item);

/*
 * Prints value on one line of 'out', then releases it. Returns 0, or -1
 * with a line on stderr when value is NULL or 'out' cannot be written.
 */
int json_out_print(FILE *out, json_t *value);

/*
 * The value in a string of its own, compact (no spaces: a web page reads
 * it, not a person), "</" written "<\/" so that it may sit inside an HTML
 * script element; then releases value. NULL if value is NULL or out of
 * memory; the caller frees the string.
 */
char *json_out_string(json_t *value);

#endif
