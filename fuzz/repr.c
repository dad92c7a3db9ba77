/*
 * fuzz/repr.c - repr_bytes() against Python's rules, byte for byte.
 *
 * A client's bytes reach the teacher's terminal only through repr_bytes(),
 * so it must never write past REPR_SIZE(len) and must print exactly what
 * Python 3 prints for repr(bytes): the model in pyrepr.h says what that is.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyrepr.h"
#include "repr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	/* Exactly REPR_SIZE(len): AddressSanitizer catches one byte too many. */
	char *got = malloc(REPR_SIZE(len));
	char *want = malloc(REPR_SIZE(len));
	size_t got_len, want_len;

	if (got == NULL || want == NULL)
		abort();
	got_len = repr_bytes(got, data, len);
	want_len = py_repr(want, data, len);
	if (got_len != strlen(got) || got_len != want_len || strcmp(got, want) != 0) {
		fprintf(stderr, "defect: repr_bytes() differs from Python's repr():\n"
		    "  netlab: %s (%zu)\n  python: %s (%zu)\n", got, got_len, want, want_len);
		abort();
	}
	free(got);
	free(want);
	return 0;
}
