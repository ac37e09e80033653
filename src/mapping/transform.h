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

/* How a source writes dates. XF_DATE_AUTO reads ISO 8601 and
 * Salesforce's export form, D.M.YYYY, and slash dates whose day is above
 * 12 (04/05/2024 is ambiguous and refused); the others read one form. */
enum xf_date_format {
    XF_DATE_AUTO,
    XF_DATE_ISO,     /* YYYY-MM-DD[ HH:MM:SS | THH:MM:SS[.fff][zone]] */
    XF_DATE_MDY,     /* M/D/YYYY [H:MM[:SS]] */
    XF_DATE_DMY,     /* D/M/YYYY [H:MM[:SS]] */
    XF_DATE_DMY_DOT, /* D.M.YYYY [H:MM[:SS]] */
    XF_DATE_EXCEL,   /* days since 1899-12-30, fraction = time of day */
    XF_DATE_UNIX,    /* seconds since 1970-01-01 UTC */
    XF_DATE_UNIX_MS, /* milliseconds since 1970-01-01 UTC */
    XF_DATE_FORMAT_COUNT,
    /* Never written in a config: XF_DATE_AUTO for a column whose slash
     * dates show one order (see xf_date_order_shown). Every slash date is
     * read in that order, and one that shows the other is refused. */
    XF_DATE_AUTO_DMY,
    XF_DATE_AUTO_MDY,
};

/* Number notation: which character groups thousands and which marks
 * decimals. */
enum xf_locale {
    XF_LOCALE_EN, /* 1,234.50 */
    XF_LOCALE_EU, /* 1.234,50 */
    XF_LOCALE_COUNT
};

struct xf_date_opts {
    enum xf_date_format format;
    int as_datetime; /* 1: ISO 8601 UTC with milliseconds; 0: YYYY-MM-DD */
    /* The source's time zone: NULL or "UTC", a fixed offset "+05:30", or
     * an IANA name ("America/Los_Angeles"). A datetime written as a date
     * takes its calendar day in this zone. Times that carry no zone are
     * UTC (as Salesforce exports them). */
    const char *tz;
};

/* Each returns 0, or ERR_INPUT and writes a short reason into why
 * (XF_OUT_MAX bytes). */
int xf_email(const char *in, char *out, char *why);
int xf_domain(const char *in, char *out, char *why);
/* Removes currency symbols and codes, spaces and thousands separators;
 * writes a plain decimal with '.' for the decimal point. */
int xf_number(const char *in, enum xf_locale loc, char *out, char *why);
int xf_bool(const char *in, char *out, char *why);
/* o NULL means XF_DATE_AUTO, a date out, UTC. */
int xf_date(const char *in, const struct xf_date_opts *o, char *out, char *why);

/* The order a slash date shows by itself, as XF_DATE_AUTO reads it:
 * XF_DATE_AUTO_DMY when its first number is above 12 and its second is
 * not (13/05/2024), XF_DATE_AUTO_MDY for the reverse (05/13/2024), else
 * (04/05/2024, or not a slash date) XF_DATE_AUTO. */
enum xf_date_format xf_date_order_shown(const char *in);
/* 1 when in is a slash date that shows no order and is not the same
 * either way (04/05/2024, but not 04/04/2024). */
int xf_date_ambiguous(const char *in);

/* Checks that a time zone setting is one xf_date understands. */
int xf_tz_valid(const char *tz);

/* The index of the option whose value or label equals in, compared
 * without regard to ASCII case and surrounding white space; values are
 * tried first. -1 when none matches. */
long xf_option_find(const char *in, const char *const *values,
                    const char *const *labels, size_t n);

/* Names for config files: "iso", "M/D/YYYY", ...; "en", "eu". Parsing
 * returns 0 or -1. */
const char *xf_date_format_name(enum xf_date_format f);
int xf_date_format_parse(const char *s, enum xf_date_format *out);
const char *xf_locale_name(enum xf_locale l);
int xf_locale_parse(const char *s, enum xf_locale *out);

/* Trims ASCII white space in place at both ends; returns s. */
char *xf_trim(char *s);

#endif
