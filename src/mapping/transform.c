#include "mapping/transform.h"
#include "core/err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
    size_t n = strlen(in), start = 0;

    if (n >= XF_OUT_MAX)
        return reason(why, "value too long");
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    while (start < n && isspace((unsigned char)in[start]))
        start++;
    memcpy(out, in + start, n - start);
    out[n - start] = '\0';
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
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
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

/* Bytes a number may carry that say nothing about its value: currency
 * signs and the spaces locales put between digit groups. */
static size_t noise_len(const char *p)
{
    static const char *const noise[] = {"$",
                                        " ",
                                        "\t",
                                        "'",
                                        "\xc2\xa0" /* NBSP */,
                                        "\xe2\x80\xaf" /* narrow NBSP */,
                                        "\xe2\x80\x89" /* thin space */,
                                        "\xe2\x82\xac" /* euro */,
                                        "\xc2\xa3" /* pound */,
                                        "\xc2\xa5" /* yen */,
                                        "\xe2\x82\xb9" /* rupee */};

    unsigned char c = (unsigned char)*p;

    /* Most bytes of a number are digits and separators. */
    if (c < 0x80 && c != '$' && c != ' ' && c != '\t' && c != '\'' &&
        !(c >= 'A' && c <= 'Z'))
        return 0;
    for (size_t i = 0; i < sizeof(noise) / sizeof(*noise); i++)
        if (!strncmp(p, noise[i], strlen(noise[i])))
            return strlen(noise[i]);
    /* A three-letter currency code such as USD or EUR. */
    if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) &&
        isupper((unsigned char)p[2]) && !isalpha((unsigned char)p[3]))
        return 3;
    return 0;
}

/* Keeps sign, digits and separators; drops the noise. */
static int strip_noise(const char *in, char *out, char *why)
{
    size_t n = 0;
    size_t skip;

    for (const char *p = in; *p;) {
        if ((skip = noise_len(p))) {
            if (*p == '\'' && n && !isdigit((unsigned char)out[n - 1]))
                return reason(why, "not a number");
            p += skip;
            continue;
        }
        if (!strchr("0123456789.,-+", *p))
            return reason(why, "not a number");
        out[n++] = *p++;
    }
    out[n] = '\0';
    return 0;
}

/* Checks digit groups: the first holds 1-3 digits, the others 3. */
static int groups_ok(const char *s, size_t len, char group)
{
    size_t run = 0;
    int seen = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] != group) {
            run++;
            continue;
        }
        if (run == 0 || run > 3 || (seen && run != 3))
            return 0;
        seen = 1;
        run = 0;
    }
    return !seen || run == 3;
}

int xf_number(const char *in, enum xf_locale loc, char *out, char *why)
{
    char v[XF_OUT_MAX];
    char group = loc == XF_LOCALE_EU ? '.' : ',';
    char point = loc == XF_LOCALE_EU ? ',' : '.';
    const char *p = v, *dec;
    size_t n = 0;

    if (copy_trimmed(in, v, why) || strip_noise(v, v, why))
        return ERR_INPUT;
    if (*p == '-')
        out[n++] = *p++;
    else if (*p == '+')
        p++;
    dec = strchr(p, point);
    if (!*p || (dec && strchr(dec + 1, point)) ||
        (dec && strchr(dec + 1, group)) ||
        !groups_ok(p, dec ? (size_t)(dec - p) : strlen(p), group))
        return reason(why, loc == XF_LOCALE_EU
                               ? "not a number (locale eu: 1.234,50)"
                               : "not a number (locale en: 1,234.50)");
    for (; *p; p++) {
        if (isdigit((unsigned char)*p))
            out[n++] = *p;
        else if (*p == point)
            out[n++] = '.';
        else if (*p != group)
            return reason(why, "not a number");
    }
    out[n] = '\0';
    if (!strpbrk(out, "0123456789") || out[n - 1] == '.' ||
        out[out[0] == '-'] == '.')
        return reason(why, "not a number");
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

long xf_option_find(const char *in, const char *const *values,
                    const char *const *labels, size_t n)
{
    char v[XF_OUT_MAX];

    snprintf(v, sizeof(v), "%s", in);
    xf_trim(v);
    for (size_t i = 0; i < n; i++)
        if (values[i] && !strcasecmp(v, values[i]))
            return (long)i;
    for (size_t i = 0; i < n; i++)
        if (labels && labels[i] && !strcasecmp(v, labels[i]))
            return (long)i;
    return -1;
}

static const char *const date_format_names[XF_DATE_FORMAT_COUNT] = {
    "auto",     "iso",   "M/D/YYYY", "D/M/YYYY",
    "D.M.YYYY", "excel", "unix",     "unix_ms"};
static const char *const locale_names[XF_LOCALE_COUNT] = {"en", "eu"};

const char *xf_date_format_name(enum xf_date_format f)
{
    return f < XF_DATE_FORMAT_COUNT ? date_format_names[f] : "auto";
}

int xf_date_format_parse(const char *s, enum xf_date_format *out)
{
    for (int i = 0; i < XF_DATE_FORMAT_COUNT; i++)
        if (!strcasecmp(s, date_format_names[i])) {
            *out = (enum xf_date_format)i;
            return 0;
        }
    if (!strcasecmp(s, "salesforce")) {
        *out = XF_DATE_ISO;
        return 0;
    }
    return -1;
}

const char *xf_locale_name(enum xf_locale l)
{
    return locale_names[l];
}

int xf_locale_parse(const char *s, enum xf_locale *out)
{
    for (int i = 0; i < XF_LOCALE_COUNT; i++)
        if (!strcasecmp(s, locale_names[i])) {
            *out = (enum xf_locale)i;
            return 0;
        }
    return -1;
}
