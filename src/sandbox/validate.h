/* validate.h: checking property values the way HubSpot does, as pure
 * functions over property definitions (no store, no clock).
 *
 * Values arrive as JSON (strings, or numbers and booleans that HubSpot
 * also accepts) and leave as the normalized string the portal stores:
 * emails lowercased, dates as YYYY-MM-DD, datetimes as ISO 8601 UTC with
 * milliseconds, booleans as true/false. "" (or null) clears a value.
 */
#ifndef HSM_SANDBOX_VALIDATE_H
#define HSM_SANDBOX_VALIDATE_H

#include <jansson.h>
#include <stddef.h>

/* A property definition, as far as validation needs one. */
struct sb_propdef {
    char *name;
    char *type;       /* string, number, date, datetime, bool, enumeration,
                         phone_number */
    char *field_type; /* checkbox marks a multi-value enumeration */
    json_t *options;  /* array of {value, ...}; NULL or [] when none */
    int read_only;    /* readOnlyValue */
    int create_only;  /* read-only, yet accepted when creating */
    int unique;       /* hasUniqueValue */
};

struct sb_propdefs {
    struct sb_propdef *v;
    size_t n;
};

struct sb_value_error {
    char code[40];
    char message[512];
};

void sb_propdefs_release(struct sb_propdefs *d);
const struct sb_propdef *sb_propdefs_find(const struct sb_propdefs *d,
                                          const char *name);

/* Checks one value. current is the stored value (for a multi-checkbox
 * value with a leading ';', which appends), or NULL. Returns 0 and sets
 * *out to a newly allocated normalized string, or -1 and fills ve. */
int sb_validate_value(const struct sb_propdef *def, json_t *value,
                      const char *current, char **out,
                      struct sb_value_error *ve);

/* Checks a whole properties object. current is an object of stored
 * values (or NULL); creating accepts create_only properties. Returns a
 * new object of normalized values, or NULL with *errors set to a new
 * array of HubSpot's per-property error entries (isValid, message, error,
 * name). */
json_t *sb_validate_properties(const struct sb_propdefs *defs, json_t *props,
                               json_t *current, int creating, json_t **errors);

/* "Property values were not valid: [...]" for an array of entries. */
char *sb_validate_envelope(json_t *errors);

/* 1 when type and field_type make a valid pair for a new property. */
int sb_validate_type_pair(const char *type, const char *field_type);

/* Parses YYYY-MM-DD into epoch ms at midnight UTC; -1 if invalid. */
int sb_parse_date(const char *s, long long *ms);
/* Parses ISO 8601 (date, time, optional fraction and zone) or epoch ms
 * digits into epoch ms; -1 if invalid. */
int sb_parse_datetime(const char *s, long long *ms);
/* 1 when s is a plain decimal number: sign, digits, one point. */
int sb_is_number(const char *s);

#endif
