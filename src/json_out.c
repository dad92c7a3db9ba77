/*
 * json_out.c - JSON through jansson, printed one way. jansson refuses a
 * string that is not UTF-8; such bytes are written as the log writes a
 * client's bytes, so that every line netlab prints is valid JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "json_out.h"
#include "log.h"
#include "repr.h"

/* One line, ", " and ": " between items, figures to 15 significant digits. */
#define JSON_OUT_FLAGS JSON_REAL_PRECISION(15)

/* U+0080..U+009F, the C1 controls: in UTF-8, 0xc2 then 0x80..0x9f. */
static int has_c1_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9f)
			return 1;
	return 0;
}

json_t *json_out_text(const char *s)
{
	size_t len;
	char *escaped;
	json_t *text;

	if (s == NULL)
		return json_null();
	if (!has_c1_control(s) && strchr(s, 0x7f) == NULL) {
		text = json_string(s);	/* NULL: not UTF-8, or out of memory */
		if (text != NULL)
			return text;
	}
	len = strlen(s);
	escaped = malloc(REPR_SIZE(len));
	if (escaped == NULL)
		return NULL;
	repr_text(escaped, s, len);	/* ASCII now */
	text = json_string(escaped);
	free(escaped);
	return text;
}

json_t *json_out_real(double x, int decimals)
{
	double scale = pow(10, decimals);

	if (!isfinite(x))
		return json_null();
	return json_real(round(x * scale) / scale);
}

void json_out_append(json_t **list, json_t *item)
{
	if (json_array_append_new(*list, item) == -1) {	/* it released item */
		json_decref(*list);
		*list = NULL;
	}
}

void json_out_set(json_t **obj, const char *key, json_t *item)
{
	if (json_object_set_new(*obj, key, item) == -1) {
		json_decref(*obj);
		*obj = NULL;
	}
}

int json_out_print(FILE *out, json_t *value)
{
	int rc;

	if (value == NULL) {
		log_error(_("cannot write JSON: %s"), _("out of memory"));
		return -1;
	}
	rc = json_dumpf(value, out, JSON_OUT_FLAGS);
	json_decref(value);
	if (rc == -1 || putc('\n', out) == EOF || fflush(out) == EOF) {
		log_error(_("cannot write JSON: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

char *json_out_string(json_t *value)
{
	char *text;

	if (value == NULL)
		return NULL;
	text = json_dumps(value, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_REAL_PRECISION(15));
	json_decref(value);
	return text;
}
