#include "mapping/transform.h"
#include "core/err.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int reason(char *why, const char *msg)
{
    snprintf(why, XF_OUT_MAX, "%s", msg);
    return ERR_INPUT;
}

char *xf_trim(char *s)
{
    size_t n = strlen(s);
    size_t start = 0;

    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    while (s[start] && isspace((unsigned char)s[start]))
        start++;
    if (start)
        memmove(s, s + start, n - start + 1);
    return s;
}

/* Copies in into out, trimmed; fails when it does not fit. */
static int copy_trimmed(const char *in, char *out, char *why)
{
    if (strlen(in) >= XF_OUT_MAX)
        return reason(why, "value too long");
    strcpy(out, in);
    xf_trim(out);
    return 0;
}

int xf_email(const char *in, char *out, char *why)
{
    const char *at;
    const char *dot;

    if (copy_trimmed(in, out, why))
        return ERR_INPUT;
    for (char *p = out; *p; p++) {
        if ((unsigned char)*p <= ' ')
            return reason(why, "email contains white space");
        *p = (char)tolower((unsigned char)*p);
    }
    at = strchr(out, '@');
    if (!at || at == out || strchr(at + 1, '@'))
        return reason(why, "not an email address: needs one '@' with a "
                           "name before it");
    dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1] || strstr(at + 1, ".."))
        return reason(why, "not an email address: the domain needs a dot");
    return 0;
}

int xf_domain(const char *in, char *out, char *why)
{
    char buf[XF_OUT_MAX];
    char *p = buf;
    char *end;

    if (copy_trimmed(in, buf, why))
        return ERR_INPUT;
    for (char *q = buf; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    if ((end = strstr(p, "://")))
        p = end + 3;
    if (!strncmp(p, "www.", 4))
        p += 4;
    end = p + strcspn(p, "/?#:");
    *end = '\0';
    if (!*p || strchr(p, ' ') || !strchr(p, '.'))
        return reason(why, "not a web address or domain");
    strcpy(out, p);
    return 0;
}

int xf_number(const char *in, char *out, char *why)
{
    const char *p;
    int digits = 0;
    int points = 0;

    if (copy_trimmed(in, out, why))
        return ERR_INPUT;
    p = out;
    if (*p == '-' || *p == '+')
        p++;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (*p == '.' && !points)
            points++;
        else
            return reason(why, "not a number");
    }
    if (!digits)
        return reason(why, "not a number");
    if (out[0] == '+')
        memmove(out, out + 1, strlen(out));
    return 0;
}

int xf_bool(const char *in, char *out, char *why)
{
    static const char *const truthy[] = {"1", "true", "yes", "y", "checked"};
    static const char *const falsy[] = {"0", "false", "no", "n", "unchecked"};
    char v[XF_OUT_MAX];

    if (copy_trimmed(in, v, why))
        return ERR_INPUT;
    for (size_t i = 0; i < sizeof(truthy) / sizeof(*truthy); i++) {
        if (!strcasecmp(v, truthy[i])) {
            strcpy(out, "true");
            return 0;
        }
        if (!strcasecmp(v, falsy[i])) {
            strcpy(out, "false");
            return 0;
        }
    }
    return reason(why, "not a yes/no value");
}

/* Parses an optional zone suffix: Z, +HH:MM, +HHMM, +HH. Returns the
 * offset east of UTC in minutes through *mins, or -1 when malformed. */
static int parse_zone(const char *z, int *mins)
{
    int h = 0;
    int m = 0;
    int sign;

    *mins = 0;
    if (!*z || !strcmp(z, "Z"))
        return 0;
    if (*z != '+' && *z != '-')
        return -1;
    sign = *z == '-' ? -1 : 1;
    if (sscanf(z + 1, "%2d:%2d", &h, &m) < 1 &&
        sscanf(z + 1, "%2d%2d", &h, &m) < 1)
        return -1;
    *mins = sign * (h * 60 + m);
    return 0;
}

int xf_date(const char *in, int as_datetime, char *out, char *why)
{
    char v[XF_OUT_MAX];
    struct tm tm = {0};
    int y, mo, d, h = 0, mi = 0, s = 0, ms = 0, zone = 0, n = 0;
    time_t t;

    if (copy_trimmed(in, v, why))
        return ERR_INPUT;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return reason(why, "not a date (expected YYYY-MM-DD)");
    if (v[10] == ' ' || v[10] == 'T') {
        int n2 = 0;

        if (sscanf(v + 11, "%2d:%2d:%2d%n", &h, &mi, &s, &n2) != 3)
            return reason(why, "not a datetime (expected HH:MM:SS)");
        n = 11 + n2;
        if (v[n] == '.') {
            int n3 = 0;

            sscanf(v + n + 1, "%3d%n", &ms, &n3);
            n += 1 + n3;
            while (isdigit((unsigned char)v[n]))
                n++;
        }
        if (parse_zone(v + n, &zone) < 0)
            return reason(why, "not a datetime: bad time zone");
    } else if (v[10]) {
        return reason(why, "not a date (expected YYYY-MM-DD)");
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return reason(why, "not a valid calendar date or time");
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    if (tm.tm_mday != d)
        return reason(why, "not a valid calendar date");
    t += (time_t)h * 3600 + (time_t)(mi - zone) * 60 + s;
    gmtime_r(&t, &tm);
    if (as_datetime)
        snprintf(out, XF_OUT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, ms);
    else
        snprintf(out, XF_OUT_MAX, "%04d-%02d-%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday);
    return 0;
}
