/* sfvalue.c: the date, datetime and boolean formats of Salesforce exports.
 *
 * The weekly export writes datetimes as "YYYY-MM-DD HH:MM:SS" in UTC and
 * dates the same way at midnight; API-style ISO values are accepted too,
 * so files from other Salesforce tools read the same way. */
#include "source/salesforce.h"

#include "core/err.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct stamp {
    struct tm tm;
    int ms;
    int offset_min; /* east of UTC */
};

static int digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

static int parse_date(const char *s, struct tm *tm)
{
    int y, m, d;

    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
        s[7] != '-' || digits(s + 8, 2, &d))
        return ERR_INPUT;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return ERR_INPUT;
    tm->tm_year = y - 1900;
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    return 0;
}

/* Parses ".sss" (any number of digits, milliseconds kept) and a zone of
 * Z, +HHMM or +HH:MM; returns the bytes consumed or -1. */
static int parse_tail(const char *s, struct stamp *st)
{
    const char *p = s;
    int hh, mm, sign;

    if (*p == '.') {
        int scale = 100;

        for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
            st->ms += (*p - '0') * scale;
        if (p == s + 1)
            return -1;
    }
    if (*p == 'Z')
        return (int)(p - s) + 1;
    if (*p != '+' && *p != '-')
        return (int)(p - s);
    sign = *p++ == '-' ? -1 : 1;
    if (digits(p, 2, &hh))
        return -1;
    p += 2 + (p[2] == ':');
    if (digits(p, 2, &mm) || hh > 23 || mm > 59)
        return -1;
    st->offset_min = sign * (hh * 60 + mm);
    return (int)(p + 2 - s);
}

static int parse_stamp(const char *in, struct stamp *st)
{
    int h, mi, se, used;
    size_t n = strlen(in);

    memset(st, 0, sizeof(*st));
    if (n < 10 || parse_date(in, &st->tm))
        return ERR_INPUT;
    if (n == 10)
        return 0;
    if ((in[10] != ' ' && in[10] != 'T') || n < 19 || digits(in + 11, 2, &h) ||
        in[13] != ':' || digits(in + 14, 2, &mi) || in[16] != ':' ||
        digits(in + 17, 2, &se))
        return ERR_INPUT;
    if (h > 23 || mi > 59 || se > 60)
        return ERR_INPUT;
    st->tm.tm_hour = h;
    st->tm.tm_min = mi;
    st->tm.tm_sec = se;
    used = parse_tail(in + 19, st);
    if (used < 0 || in[19 + used] != '\0')
        return ERR_INPUT;
    return 0;
}

int sf_datetime_to_iso(const char *in, char *out, size_t n)
{
    struct stamp st;
    time_t t;
    struct tm utc;

    if (n < 25)
        return ERR_INPUT;
    out[0] = '\0';
    if (!in || !*in)
        return 1;
    if (parse_stamp(in, &st))
        return ERR_INPUT;
    t = timegm(&st.tm) - (time_t)st.offset_min * 60;
    if (!gmtime_r(&t, &utc))
        return ERR_INPUT;
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
             utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
             st.ms);
    return 0;
}

int sf_date_to_ymd(const char *in, char *out, size_t n)
{
    struct stamp st;

    if (n < 11)
        return ERR_INPUT;
    out[0] = '\0';
    if (!in || !*in)
        return 1;
    if (parse_stamp(in, &st))
        return ERR_INPUT;

    /* A date field is the calendar day as written; its time part is
     * always midnight and carries no zone worth converting. */
    snprintf(out, n, "%.10s", in);
    return 0;
}

int sf_bool(const char *in, int *out)
{
    if (!in || !*in)
        return 1;
    if (!strcmp(in, "1") || !strcasecmp(in, "true")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(in, "0") || !strcasecmp(in, "false")) {
        *out = 0;
        return 0;
    }
    return ERR_INPUT;
}
