/*
 * fuzz/chat.c - the chat handler's line splitter, for any bytes in any
 * pieces.
 *
 * One client's bytes arrive in chunks cut anywhere; chat keeps them until
 * the newline and relays each line to the others as "PEER: line\n". What
 * the others receive must be the sender's bytes, in order, none lost, none
 * added, split only at a newline or at LINE_BYTES, with every byte that
 * could drive a terminal (anything but printable ASCII, tab and the line's
 * newline) written in the log's \xNN form. The handler runs against the
 * stand-ins below for the registry and the log, which only record what is
 * sent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "handler.h"
#include "log.h"
#include "output.h"

#define PEER "('127.0.0.1', 4242)"
#define SENT_MAX (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Everything broadcast to the others, one message after another. */
static char sent[SENT_MAX * 8];
static size_t sent_len;

void output_broadcast(struct client *from, const char *data, size_t len)
{
	(void)from;
	if (sent_len + len > sizeof(sent))
		abort();
	memcpy(sent + sent_len, data, len);
	sent_len += len;
}

int output_send(struct client *c, const void *data, size_t len)
{
	(void)c, (void)data, (void)len;
	return 0;
}

int output_send_piece(struct client *c, const void *data, size_t len)
{
	return output_send(c, data, len);
}

void log_received(const void *data, size_t len)
{
	(void)data, (void)len;
}

void log_note(const char *fmt, ...)
{
	(void)fmt;
}

/* One byte of a line as the others must see it (the log's form). */
static size_t shown(unsigned char ch, int last, char out[5])
{
	if ((ch >= ' ' && ch < 0x7f) || ch == '\t' || (ch == '\n' && last))
		return (size_t)snprintf(out, 5, "%c", ch);
	if (ch == '\r')
		return (size_t)snprintf(out, 5, "\\r");
	if (ch == '\n')
		return (size_t)snprintf(out, 5, "\\n");
	return (size_t)snprintf(out, 5, "\\x%02x", ch);
}

/* What the others must receive for these bytes, sent then left. */
static size_t expected(const uint8_t *data, size_t len, char *out)
{
	size_t n = 0, start = 0, k;
	char piece[5];

	for (size_t i = 0; i < len; i++) {
		if (data[i] != '\n' && i + 1 - start < LINE_BYTES && i + 1 < len)
			continue;
		n += (size_t)sprintf(out + n, "%s: ", PEER);
		for (size_t j = start; j <= i; j++) {
			k = shown(data[j], j == i, piece);
			memcpy(out + n, piece, k);
			n += k;
		}
		if (data[i] != '\n')
			out[n++] = '\n';
		start = i + 1;
	}
	return n + (size_t)sprintf(out + n, "*** %s left\n", PEER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static char want[SENT_MAX * 8];
	const struct handler *chat = handler_find("chat");
	struct client c;
	size_t done = 0, cut;

	if (len < 1 || len > SENT_MAX)
		return 0;
	memset(&c, 0, sizeof(c));
	snprintf(c.peer, sizeof(c.peer), "%s", PEER);
	sent_len = 0;
	/* The first byte says where the chunks are cut, as recv() would. */
	cut = (size_t)data[0] * 7 + 1;
	for (data++, len--; done < len; done += cut)
		chat->data(&c, (const char *)data + done, len - done < cut ? len - done : cut);
	chat->leave(&c);
	size_t want_len = expected(data, len, want);
	if (want_len != sent_len || memcmp(want, sent, sent_len) != 0) {
		fprintf(stderr, "defect: chat relayed %zu bytes, %zu expected:\n  relayed: %.*s\n"
		    "  expected: %.*s\n", sent_len, want_len, (int)(sent_len < 400 ? sent_len : 400),
		    sent, (int)(want_len < 400 ? want_len : 400), want);
		abort();
	}
	return 0;
}
