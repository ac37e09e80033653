/* transform.h: value transforms from source formats to HubSpot's.
 *
 * Pure functions: a string in, a HubSpot value (or ERR_INPUT with a
 * reason) out. They never allocate; out must hold at least
 * XF_OUT_MAX bytes. Empty input is handled by the caller (it means "no
 * value" and is never passed here).
 */
#ifndef HSM_MAPPING_TRANSFORM_H
#define HSM_MAPPING_TRANSFORM_H

#include <stddef.h>

#define XF_OUT_MAX 512

/* Each returns 0, or ERR_INPUT and writes a short reason into why
 * (XF_OUT_MAX bytes). */
int xf_email(const char *in, char *out, char *why);
int xf_domain(const char *in, char *out, char *why);
int xf_number(const char *in, char *out, char *why);
int xf_bool(const char *in, char *out, char *why);
/* A date or datetime in any of: YYYY-MM-DD, YYYY-MM-DD HH:MM:SS,
 * YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM]. as_datetime selects the output:
 * 0 gives YYYY-MM-DD (the UTC calendar day), 1 gives ISO 8601 UTC with
 * milliseconds. */
int xf_date(const char *in, int as_datetime, char *out, char *why);

/* Trims ASCII white space in place at both ends; returns s. */
char *xf_trim(char *s);

#endif
