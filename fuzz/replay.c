/*
 * fuzz/replay.c - run a fuzz target over saved inputs, without libFuzzer.
 *
 * Linked with one target's LLVMFuzzerTestOneInput(), it reads every file
 * named on the command line and feeds it in, as libFuzzer would. 'make test'
 * builds it under AddressSanitizer and UndefinedBehaviorSanitizer and replays
 * fuzz/regressions/NAME/ and the seed corpus: an input that once crashed a
 * parser stays a test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			if (buf == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				exit(1);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int replayed = 0;

	for (int i = 1; i < argc; i++)
		if (replay(argv[i]) == 0)
			replayed++;
	printf("replayed %d input%s\n", replayed, replayed == 1 ? "" : "s");
	return replayed == argc - 1 ? 0 : 1;
}
