/* xf_date.c: dates and datetimes from the forms sources write them in. */
#include "core/err.h"
#include "mapping/transform.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* A parsed source value. has_time is 0 for a bare date; zone is minutes
 * east of UTC when has_zone. */
struct dt {
    int y, mo, d, h, mi, s, ms;
    int has_time, has_zone, zone;
};

static int reason(char *why, const char *msg)
{
    snprintf(why, XF_OUT_MAX, "%s", msg);
    return ERR_INPUT;
}

/* Parses a zone suffix: Z, +HH:MM, +HHMM, +HH. Returns the offset east
 * of UTC in minutes through *mins, or -1 when malformed. */
static int parse_zone(const char *z, int *mins)
{
    int h = 0, m = 0, n = 0;
    int sign;

    *mins = 0;
    if (!strcmp(z, "Z"))
        return 0;
    if (*z != '+' && *z != '-')
        return -1;
    sign = *z == '-' ? -1 : 1;
    if (sscanf(z + 1, "%2d:%2d%n", &h, &m, &n) == 2 && !z[1 + n])
        ;
    else if (sscanf(z + 1, "%2d%2d%n", &h, &m, &n) == 2 && !z[1 + n])
        ;
    else if (sscanf(z + 1, "%2d%n", &h, &n) == 1 && !z[1 + n])
        m = 0;
    else
        return -1;
    if (h > 14 || m > 59)
        return -1;
    *mins = sign * (h * 60 + m);
    return 0;
}

/* Reads exactly n digits at s into *out; -1 when one is not a digit.
 * The common forms are read this way; sscanf reads the rest (spaces,
 * signs), so that every value is read as it always was. */
static int fixed_digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* NN-NN-NN with a first number of width digits and sep between: the
 * plain form of an ISO date or time. 0 when v starts with one. */
static int fixed_triple(const char *v, int width, char sep, int *a, int *b,
                        int *c)
{
    return fixed_digits(v, width, a) || v[width] != sep ||
           fixed_digits(v + width + 1, 2, b) || v[width + 3] != sep ||
           fixed_digits(v + width + 4, 2, c);
}

/* HH:MM:SS[.fff][zone] after an ISO date. */
static int parse_iso_time(const char *v, struct dt *t)
{
    int n = 0;

    if (!fixed_triple(v, 2, ':', &t->h, &t->mi, &t->s))
        n = 8;
    else if (sscanf(v, "%2d:%2d:%2d%n", &t->h, &t->mi, &t->s, &n) != 3 ||
             n != 8)
        return -1;
    v += n;
    if (*v == '.') {
        int digits = 0;

        for (v++; isdigit((unsigned char)*v); v++, digits++)
            if (digits < 3)
                t->ms = t->ms * 10 + (*v - '0');
        for (; digits > 0 && digits < 3; digits++)
            t->ms *= 10;
    }
    t->has_time = 1;
    if (*v) {
        t->has_zone = 1;
        return parse_zone(v, &t->zone);
    }
    return 0;
}

static int parse_iso(const char *v, struct dt *t)
{
    int n = 0;

    if (!fixed_triple(v, 4, '-', &t->y, &t->mo, &t->d))
        n = 10;
    else if (sscanf(v, "%4d-%2d-%2d%n", &t->y, &t->mo, &t->d, &n) != 3 ||
             n != 10)
        return -1;
    if (!v[10])
        return 0;
    if (v[10] != ' ' && v[10] != 'T')
        return -1;
    return parse_iso_time(v + 11, t);
}

/* An optional " H:MM[:SS][ AM|PM]" after a day-month-year date. */
static int parse_clock(const char *v, struct dt *t)
{
    int n = 0;

    if (!*v)
        return 0;
    if (sscanf(v, " %2d:%2d%n", &t->h, &t->mi, &n) != 2)
        return -1;
    v += n;
    if (sscanf(v, ":%2d%n", &t->s, &n) == 1)
        v += n;
    while (*v == ' ')
        v++;
    t->has_time = 1;
    if (!*v)
        return 0;
    if (t->h < 1 || t->h > 12)
        return -1;
    if (!strcasecmp(v, "AM"))
        t->h %= 12;
    else if (!strcasecmp(v, "PM"))
        t->h = t->h % 12 + 12;
    else
        return -1;
    return 0;
}

/* a SEP b SEP yyyy, first and second number returned as written. */
static int parse_triple(const char *v, char sep, int *a, int *b, struct dt *t)
{
    char s1 = 0, s2 = 0;
    int n = 0;

    if (sscanf(v, "%2d%c%2d%c%4d%n", a, &s1, b, &s2, &t->y, &n) != 5 ||
        s1 != sep || s2 != sep || t->y < 1000)
        return -1;
    if (v[n] && v[n] != ' ')
        return -1;
    return parse_clock(v + n, t);
}

static int parse_plain_number(const char *v, double *out)
{
    char *end;

    if (!*v || (!isdigit((unsigned char)*v) && *v != '-'))
        return -1;
    *out = strtod(v, &end);
    return *end ? -1 : 0;
}

/* Fills t from an instant in milliseconds since the epoch (UTC). */
static void from_epoch_ms(long long ms, struct dt *t)
{
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    t->y = tm.tm_year + 1900;
    t->mo = tm.tm_mon + 1;
    t->d = tm.tm_mday;
    t->h = tm.tm_hour;
    t->mi = tm.tm_min;
    t->s = tm.tm_sec;
    t->ms = (int)(ms - (long long)secs * 1000);
    t->has_time = 1;
}

static int parse_numeric(const char *v, enum xf_date_format f, struct dt *t,
                         char *why)
{
    double x;

    if (parse_plain_number(v, &x))
        return reason(why, "not a number of days or seconds");
    if (f == XF_DATE_EXCEL) {
        /* Excel counts 1900-01-01 as day 1 and believes 1900 was a leap
         * year, so serials from March 1900 on count from 1899-12-30. */
        if (x < 61 || x > 2958465)
            return reason(why, "not an Excel date serial (61-2958465)");
        from_epoch_ms((long long)((x - 25569.0) * 86400000.0 + 0.5), t);
        t->has_time = x != (double)(long long)x;
        return 0;
    }
    if (f == XF_DATE_UNIX)
        x *= 1000.0;
    if (x < -62135596800000.0 || x > 253402300799000.0)
        return reason(why, "timestamp out of range");
    from_epoch_ms((long long)x, t);
    return 0;
}

/* The order a slash date's two numbers show by themselves. */
static enum xf_date_format order_of(int a, int b)
{
    if (a > 12 && b <= 12)
        return XF_DATE_AUTO_DMY;
    if (b > 12 && a <= 12)
        return XF_DATE_AUTO_MDY;
    return XF_DATE_AUTO;
}

/* Slash dates with no format configured: in the order the column shows,
 * else in the order the value shows; when neither tells, the date cannot
 * be read (unless day and month are the same). */
static int parse_slash_auto(const char *v, enum xf_date_format column,
                            struct dt *t, char *why)
{
    enum xf_date_format order;
    int a, b;

    if (parse_triple(v, '/', &a, &b, t))
        return reason(why, "not a date");
    order = order_of(a, b);
    if (column != XF_DATE_AUTO && order != XF_DATE_AUTO && order != column)
        return reason(why, column == XF_DATE_AUTO_DMY
                               ? "not a D/M/YYYY date, the order the "
                                 "column's other values show"
                               : "not a M/D/YYYY date, the order the "
                                 "column's other values show");
    if (column != XF_DATE_AUTO)
        order = column;
    if (order == XF_DATE_AUTO && a != b)
        return reason(why, "ambiguous date: day and month cannot be told "
                           "apart, and the column's values show no single "
                           "order; set date_format for this field");
    t->d = order == XF_DATE_AUTO_MDY ? b : a;
    t->mo = order == XF_DATE_AUTO_MDY ? a : b;
    return 0;
}

static int iso_like(const char *v)
{
    return isdigit((unsigned char)v[0]) && strlen(v) >= 10 && v[4] == '-';
}

static int parse_auto(const char *v, enum xf_date_format slash, struct dt *t,
                      char *why)
{
    int a, b;

    if (iso_like(v))
        return parse_iso(v, t) ? reason(why, "not a date (YYYY-MM-DD)") : 0;
    if (strchr(v, '/'))
        return parse_slash_auto(v, slash, t, why);
    if (strchr(v, '.') && !parse_triple(v, '.', &a, &b, t)) {
        t->d = a;
        t->mo = b;
        return 0;
    }
    return reason(why, "not a date: expected YYYY-MM-DD; set date_format "
                       "for other forms (M/D/YYYY, D/M/YYYY, D.M.YYYY, "
                       "excel, unix, unix_ms)");
}

/* The two numbers of a trimmed slash date, or -1. */
static int slash_pair(const char *in, int *a, int *b)
{
    char v[XF_OUT_MAX];
    struct dt t = {0};

    if (strlen(in) >= XF_OUT_MAX)
        return -1;
    strcpy(v, in);
    xf_trim(v);
    if (iso_like(v) || !strchr(v, '/') || parse_triple(v, '/', a, b, &t))
        return -1;
    return 0;
}

enum xf_date_format xf_date_order_shown(const char *in)
{
    int a, b;

    return slash_pair(in, &a, &b) ? XF_DATE_AUTO : order_of(a, b);
}

int xf_date_ambiguous(const char *in)
{
    int a, b;

    return !slash_pair(in, &a, &b) && order_of(a, b) == XF_DATE_AUTO && a != b;
}

static int parse_value(const char *v, const struct xf_date_opts *o,
                       struct dt *t, char *why)
{
    enum xf_date_format f = o->format;
    int a = 0, b = 0;

    switch (f) {
    case XF_DATE_AUTO:
    case XF_DATE_AUTO_DMY:
    case XF_DATE_AUTO_MDY:
        return parse_auto(v, f, t, why);
    case XF_DATE_ISO:
        return parse_iso(v, t) ? reason(why, "not a date (YYYY-MM-DD)") : 0;
    case XF_DATE_MDY:
    case XF_DATE_DMY:
    case XF_DATE_DMY_DOT:
        if (parse_triple(v, f == XF_DATE_DMY_DOT ? '.' : '/', &a, &b, t))
            return reason(why, f == XF_DATE_MDY   ? "not a date (M/D/YYYY)"
                               : f == XF_DATE_DMY ? "not a date (D/M/YYYY)"
                                                  : "not a date (D.M.YYYY)");
        t->mo = f == XF_DATE_MDY ? a : b;
        t->d = f == XF_DATE_MDY ? b : a;
        return 0;
    default:
        return parse_numeric(v, f, t, why);
    }
}

/* Minutes east of UTC of zone tz at instant at. */
static int tz_offset(const char *tz, time_t at, int *mins)
{
    static char current[128];
    struct tm tm;

    if (!tz || !*tz || !strcasecmp(tz, "UTC"))
        return (*mins = 0);
    if (*tz == '+' || *tz == '-')
        return parse_zone(tz, mins);
    if (strlen(tz) >= sizeof(current))
        return -1;
    /* The C library reads zones only through TZ; it is set once, when
     * the zone first changes, and sources have one zone. */
    if (strcmp(current, tz)) {
        setenv("TZ", tz, 1);
        tzset();
        snprintf(current, sizeof(current), "%s", tz);
    }
    if (!localtime_r(&at, &tm))
        return -1;
    *mins = (int)(tm.tm_gmtoff / 60);
    return 0;
}

int xf_tz_valid(const char *tz)
{
    char path[256];
    int mins;

    if (!tz || !*tz || !strcasecmp(tz, "UTC") || *tz == '+' || *tz == '-')
        return tz_offset(tz, 0, &mins) == 0;
    if (strstr(tz, "..") || strlen(tz) > 100)
        return 0;
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
    return access(path, R_OK) == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

static int check_calendar(const struct dt *t, char *why)
{
    if (t->mo < 1 || t->mo > 12 || t->d < 1 || t->d > 31 || t->h > 23 ||
        t->mi > 59 || t->s > 60 || t->y < 1 || t->y > 9999)
        return reason(why, "not a valid calendar date or time");
    if (t->d > days_in_month(t->y, t->mo))
        return reason(why, "not a valid calendar date");
    return 0;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar,
 * and back (as timegm and gmtime count them, without their cost). */
static long long days_from_civil(long long y, int m, int d)
{
    long long era, yoe, doy;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    long long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static char *put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

/* YYYY-MM-DD, and THH:MM:SS.fffZ for a datetime. */
static void format_utc(long long at, int ms, int as_datetime, char *out)
{
    long long days = (at >= 0 ? at : at - 86399) / 86400;
    int secs = (int)(at - days * 86400);
    int y, m, d;
    char *p = out;

    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, XF_OUT_MAX, "%04d-%02d-%02d", y, m, d);
        p = out + strlen(out);
    } else {
        p = put_digits(p, y, 4);
        *p++ = '-';
        p = put_digits(p, m, 2);
        *p++ = '-';
        p = put_digits(p, d, 2);
    }
    if (as_datetime) {
        *p++ = 'T';
        p = put_digits(p, secs / 3600, 2);
        *p++ = ':';
        p = put_digits(p, secs / 60 % 60, 2);
        *p++ = ':';
        p = put_digits(p, secs % 60, 2);
        *p++ = '.';
        p = put_digits(p, ms, 3);
        *p++ = 'Z';
    }
    *p = '\0';
}

int xf_date(const char *in, const struct xf_date_opts *o, char *out, char *why)
{
    static const struct xf_date_opts dflt = {XF_DATE_AUTO, 0, NULL};
    struct dt t = {0};
    char v[XF_OUT_MAX];
    long long at;
    int shift = 0;

    o = o ? o : &dflt;
    if (strlen(in) >= XF_OUT_MAX)
        return reason(why, "value too long");
    strcpy(v, in);
    xf_trim(v);
    if (parse_value(v, o, &t, why) || check_calendar(&t, why))
        return ERR_INPUT;
    at = days_from_civil(t.y, t.mo, t.d) * 86400 + (long long)t.h * 3600 +
         (long long)t.mi * 60 + t.s - (long long)t.zone * 60;
    /* A datetime written as a date: its calendar day where the source
     * is. A bare date stays the day it names. */
    if (!o->as_datetime && t.has_time && tz_offset(o->tz, (time_t)at, &shift))
        return reason(why, "unknown time zone in the project config");
    at += (long long)shift * 60;
    format_utc(at, t.ms, o->as_datetime, out);
    return 0;
}
