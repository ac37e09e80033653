/* yamljson.h: read a YAML document into a jansson tree, and write one.
 *
 * The project config is YAML so that users can edit it by hand and keep
 * comments; the code works on the jansson tree. Mappings become objects,
 * sequences arrays, and every scalar a string (typing is the reader's
 * job, so `00123` stays a string and a column named `yes` stays a name).
 */
#ifndef HSM_CONFIG_YAMLJSON_H
#define HSM_CONFIG_YAMLJSON_H

#include <jansson.h>
#include <stdio.h>

struct err;

/* Parses path; on success *out is a new reference the caller decrefs.
 * Errors name the file, line and column. */
int yamljson_load(const char *path, json_t **out, struct err *e);

/* Writes a scalar as a double-quoted YAML string that reads back as
 * the same text: quotes, backslashes, control characters (C0, DEL, C1),
 * Unicode's line and paragraph separators and the non-characters YAML
 * does not allow in a file are escaped. */
void yamljson_put_string(FILE *f, const char *s);

/* Whether a mapping key needs the explicit "? key" form: YAML reads an
 * implicit key of at most 1,024 characters. */
int yamljson_long_key(const char *s);

#endif
