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

/* Writes a scalar as a double-quoted YAML string. */
void yamljson_put_string(FILE *f, const char *s);

#endif
