/* validate.c: HubSpot's value rules for record writes; see validate.h. */
#include "sandbox/validate.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"

#define DAY_MS 86400000LL
#define STRING_MAX 65536

void sb_propdefs_release(struct sb_propdefs *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].name);
        free(d->v[i].type);
        free(d->v[i].field_type);
        json_decref(d->v[i].options);
    }
    free(d->v);
    d->v = NULL;
    d->n = 0;
}

const struct sb_propdef *sb_propdefs_find(const struct sb_propdefs *d,
                                          const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].name, name))
            return &d->v[i];
    return NULL;
}

static int fail(struct sb_value_error *ve, const char *code, const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));

static int fail(struct sb_value_error *ve, const char *code, const char *fmt,
                ...)
{
    va_list ap;

    snprintf(ve->code, sizeof(ve->code), "%s", code);
    va_start(ap, fmt);
    vsnprintf(ve->message, sizeof(ve->message), fmt, ap);
    va_end(ap);
    return -1;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return n > 0;
}

/* Reads exactly n digits at s. */
static int digits(const char *s, size_t n, int *out)
{
    int v = 0;

    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Epoch ms of a calendar date; -1 if it is not a real date. */
static int ymd_to_ms(int y, int m, int d, long long *ms)
{
    struct tm tm = {0};

    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    *ms = (long long)timegm(&tm) * 1000;
    return 0;
}

int sb_parse_date(const char *s, long long *ms)
{
    int y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) < 0 ||
        digits(s + 5, 2, &m) < 0 || digits(s + 8, 2, &d) < 0)
        return -1;
    return ymd_to_ms(y, m, d, ms);
}

/* Parses "Z", "+HH", "+HHMM" or "+HH:MM" into an offset in ms. */
static int parse_zone(const char *p, long long *off)
{
    int h = 0, m = 0, sign;

    if (*p == '\0' || !strcmp(p, "Z")) {
        *off = 0;
        return 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p++ == '-' ? -1 : 1;
    if (digits(p, 2, &h) < 0)
        return -1;
    p += 2;
    if (*p == ':')
        p++;
    if (*p && (digits(p, 2, &m) < 0 || p[2]))
        return -1;
    if (h > 23 || m > 59)
        return -1;
    *off = sign * ((long long)h * 3600000 + (long long)m * 60000);
    return 0;
}

/* Parses "HH:MM[:SS[.fff]]" at p; returns the rest. */
static const char *parse_time(const char *p, long long *ms)
{
    int h, mi, sec = 0, frac = 0;

    if (digits(p, 2, &h) < 0 || p[2] != ':' || digits(p + 3, 2, &mi) < 0)
        return NULL;
    p += 5;
    if (*p == ':') {
        if (digits(p + 1, 2, &sec) < 0)
            return NULL;
        p += 3;
        if (*p == '.') {
            int scale = 100, n = 0;
            for (p++; isdigit((unsigned char)*p); p++, n++) {
                frac += (*p - '0') * scale;
                scale /= 10;
            }
            if (n == 0)
                return NULL;
        }
    }
    if (h > 23 || mi > 59 || sec > 60)
        return NULL;
    *ms = ((long long)h * 3600 + mi * 60 + sec) * 1000 + frac;
    return p;
}

int sb_parse_datetime(const char *s, long long *ms)
{
    long long day, tod, off;
    char date[11];
    const char *rest;
    size_t n = strlen(s);

    if ((n > 0 && all_digits(s, n) && n <= 15) ||
        (n > 1 && s[0] == '-' && all_digits(s + 1, n - 1) && n <= 16)) {
        *ms = strtoll(s, NULL, 10);
        return 0;
    }
    if (n < 16 || (s[10] != 'T' && s[10] != ' '))
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (sb_parse_date(date, &day) < 0)
        return -1;
    if (!(rest = parse_time(s + 11, &tod)) || parse_zone(rest, &off) < 0)
        return -1;
    *ms = day + tod - off;
    return 0;
}

int sb_is_number(const char *s)
{
    int seen_digit = 0, seen_point = 0;

    if (*s == '-' || *s == '+')
        s++;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            seen_digit = 1;
        else if (*s == '.' && !seen_point)
            seen_point = 1;
        else
            return 0;
    }
    return seen_digit;
}

static int valid_email(const char *s)
{
    const char *at = strchr(s, '@');

    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return 0;
    for (; *s; s++)
        if (isspace((unsigned char)*s) || *s == ',' || *s == ';')
            return 0;
    return at[1] != '.' && s[-1] != '.';
}

/* The option values of an enumeration, for messages: "[a, b]". */
static void options_list(const struct sb_propdef *def, struct buf *b)
{
    size_t i;
    json_t *o;

    buf_addc(b, '[');
    json_array_foreach(def->options, i, o)
    {
        if (b->len > 300) {
            buf_adds(b, ", ...");
            break;
        }
        buf_addf(b, "%s%s", i ? ", " : "",
                 json_string_value(json_object_get(o, "value")));
    }
    buf_addc(b, ']');
}

static int is_option(const struct sb_propdef *def, const char *v, size_t n)
{
    size_t i;
    json_t *o;

    json_array_foreach(def->options, i, o)
    {
        const char *ov = json_string_value(json_object_get(o, "value"));
        if (ov && strlen(ov) == n && !memcmp(ov, v, n))
            return 1;
    }
    return 0;
}

static int bad_option(const struct sb_propdef *def, const char *v, size_t n,
                      struct sb_value_error *ve)
{
    struct buf b = {0};

    options_list(def, &b);
    fail(ve, "INVALID_OPTION", "%.*s was not one of the allowed options: %s",
         (int)n, v, buf_str(&b));
    buf_release(&b);
    return -1;
}

/* Adds item to a ';'-joined list unless it is there already. */
static void multi_add(struct buf *out, const char *v, size_t n)
{
    const char *p = buf_str(out);

    while (*p) {
        size_t m = strcspn(p, ";");
        if (m == n && !memcmp(p, v, n))
            return;
        p += m + (p[m] == ';');
    }
    if (out->len)
        buf_addc(out, ';');
    buf_add(out, v, n);
}

static int check_multi(const struct sb_propdef *def, const char *s,
                       const char *current, char **out,
                       struct sb_value_error *ve)
{
    struct buf b = {0};
    const char *p = s;

    if (*s == ';' && current)
        buf_adds(&b, current);
    while (*p) {
        size_t n = strcspn(p, ";");
        if (n > 0 && !is_option(def, p, n)) {
            buf_release(&b);
            return bad_option(def, p, n, ve);
        }
        if (n > 0)
            multi_add(&b, p, n);
        p += n + (p[n] == ';');
    }
    *out = xstrdup(buf_str(&b));
    buf_release(&b);
    return 0;
}

static int check_date(const char *s, char **out, struct sb_value_error *ve)
{
    long long ms, t;
    char iso[32];

    if (sb_parse_date(s, &ms) < 0 && sb_parse_datetime(s, &ms) < 0)
        return fail(ve, "INVALID_DATE",
                    "%s is not a valid date; use YYYY-MM-DD or epoch "
                    "milliseconds at midnight UTC",
                    s);
    t = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
    if (t != 0)
        return fail(ve, "INVALID_DATE",
                    "%s is at %02lld:%02lld:%02lld.%03lld UTC, not midnight!",
                    s, t / 3600000, t / 60000 % 60, t / 1000 % 60, t % 1000);
    clock_format_iso(ms, iso, sizeof(iso));
    *out = xstrndup(iso, 10);
    return 0;
}

static int check_datetime(const char *s, char **out, struct sb_value_error *ve)
{
    long long ms;
    char iso[32];

    if (sb_parse_datetime(s, &ms) < 0)
        return fail(ve, "INVALID_LONG",
                    "%s was not a valid long; use epoch milliseconds or an "
                    "ISO 8601 datetime",
                    s);
    clock_format_iso(ms, iso, sizeof(iso));
    *out = xstrdup(iso);
    return 0;
}

static int check_bool(const char *s, char **out, struct sb_value_error *ve)
{
    if (!strcasecmp(s, "true") || !strcasecmp(s, "false")) {
        *out = xstrdup(s[0] == 't' || s[0] == 'T' ? "true" : "false");
        return 0;
    }
    return fail(ve, "INVALID_BOOLEAN", "%s is not a valid boolean", s);
}

/* Length as HubSpot counts it: UTF-16 units, as a Java string has, so a
 * character outside the BMP counts two. */
static size_t utf16_units(const char *s)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xc0) != 0x80)
            n++;
        if (*p >= 0xf0)
            n++;
    }
    return n;
}

static int check_string(const struct sb_propdef *def, const char *s, char **out,
                        struct sb_value_error *ve)
{
    if (utf16_units(s) > STRING_MAX)
        return fail(ve, "INVALID_LENGTH",
                    "value of %s is longer than %d characters", def->name,
                    STRING_MAX);
    if (!strcmp(def->name, "email")) {
        if (!valid_email(s))
            return fail(ve, "INVALID_EMAIL", "Email address %s is invalid", s);
        *out = xstrdup(s);
        for (char *p = *out; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        return 0;
    }
    *out = xstrdup(s);
    return 0;
}

static int check_typed(const struct sb_propdef *def, const char *s,
                       const char *current, char **out,
                       struct sb_value_error *ve)
{
    if (!strcmp(def->type, "number")) {
        if (!sb_is_number(s))
            return fail(ve, "INVALID_INTEGER", "%s was not a valid number", s);
        *out = xstrdup(s);
        return 0;
    }
    if (!strcmp(def->type, "date"))
        return check_date(s, out, ve);
    if (!strcmp(def->type, "datetime"))
        return check_datetime(s, out, ve);
    if (!strcmp(def->type, "bool"))
        return check_bool(s, out, ve);
    if (!strcmp(def->type, "enumeration")) {
        if (def->field_type && !strcmp(def->field_type, "checkbox"))
            return check_multi(def, s, current, out, ve);
        if (!is_option(def, s, strlen(s)))
            return bad_option(def, s, strlen(s), ve);
        *out = xstrdup(s);
        return 0;
    }
    return check_string(def, s, out, ve);
}

/* The value as a string, the way HubSpot reads JSON scalars. */
static char *value_text(json_t *value)
{
    if (json_is_string(value))
        return xstrdup(json_string_value(value));
    if (json_is_null(value))
        return xstrdup("");
    if (json_is_boolean(value))
        return xstrdup(json_is_true(value) ? "true" : "false");
    if (json_is_number(value))
        return json_dumps(value, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    return NULL;
}

int sb_validate_value(const struct sb_propdef *def, json_t *value,
                      const char *current, char **out,
                      struct sb_value_error *ve)
{
    char *s = value_text(value);
    int rc;

    if (!s)
        return fail(ve, "INVALID_PROPERTY_VALUE",
                    "value of %s must be a string, number or boolean",
                    def->name);
    if (*s == '\0') {
        *out = s;
        return 0;
    }
    rc = check_typed(def, s, current, out, ve);
    free(s);
    return rc;
}

static json_t *error_entry(const char *name, const char *code,
                           const char *message)
{
    return json_pack("{s:b, s:s, s:s, s:s, s:s}", "isValid", 0, "message",
                     message, "error", code, "name", name,
                     "localizedErrorMessage", message);
}

/* Checks one property of props; appends an error entry when it fails. */
static void validate_one(const struct sb_propdefs *defs, const char *name,
                         json_t *value, json_t *current, int creating,
                         json_t *out, json_t *errors)
{
    const struct sb_propdef *def = sb_propdefs_find(defs, name);
    struct sb_value_error ve;
    char msg[600], *norm = NULL;

    if (!def) {
        snprintf(msg, sizeof(msg), "Property \"%s\" does not exist", name);
        json_array_append_new(errors,
                              error_entry(name, "PROPERTY_DOESNT_EXIST", msg));
        return;
    }
    if (def->read_only && !(creating && def->create_only)) {
        snprintf(msg, sizeof(msg),
                 "\"%s\" is a read only property; its value cannot be set",
                 name);
        json_array_append_new(errors,
                              error_entry(name, "READ_ONLY_VALUE", msg));
        return;
    }
    if (sb_validate_value(def, value,
                          json_string_value(json_object_get(current, name)),
                          &norm, &ve) < 0) {
        json_array_append_new(errors, error_entry(name, ve.code, ve.message));
        return;
    }
    json_object_set_new(out, name, json_string(norm));
    free(norm);
}

json_t *sb_validate_properties(const struct sb_propdefs *defs, json_t *props,
                               json_t *current, int creating, json_t **errors)
{
    json_t *out = json_object(), *errs = json_array(), *value;
    const char *name;

    json_object_foreach(props, name, value)
    {
        validate_one(defs, name, value, current, creating, out, errs);
    }
    if (json_array_size(errs) == 0) {
        json_decref(errs);
        *errors = NULL;
        return out;
    }
    json_decref(out);
    *errors = errs;
    return NULL;
}

char *sb_validate_envelope(json_t *errors)
{
    char *list = json_dumps(errors, JSON_COMPACT);
    char *msg =
        xasprintf("Property values were not valid: %s", list ? list : "[]");

    free(list);
    return msg;
}

int sb_validate_type_pair(const char *type, const char *field_type)
{
    static const char *const pairs[][2] = {
        {"bool", "booleancheckbox"},
        {"bool", "calculation_equation"},
        {"enumeration", "booleancheckbox"},
        {"enumeration", "checkbox"},
        {"enumeration", "radio"},
        {"enumeration", "select"},
        {"enumeration", "calculation_equation"},
        {"date", "date"},
        {"datetime", "date"},
        {"string", "file"},
        {"string", "text"},
        {"string", "textarea"},
        {"string", "calculation_equation"},
        {"string", "html"},
        {"string", "phonenumber"},
        {"number", "number"},
        {"number", "calculation_equation"},
        {"phone_number", "phonenumber"},
    };

    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (!strcmp(type, pairs[i][0]) && !strcmp(field_type, pairs[i][1]))
            return 1;
    return 0;
}
