/* doctor_keys.c: the keys duplicates are found by, and the survivor
 * choice. Pure functions. */
#include "migrate/doctor.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies in[start, end) lowercased, without surrounding white space. */
static int copy_key(const char *start, const char *end, char *out, size_t size)
{
    size_t n;

    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    n = (size_t)(end - start);
    if (!n || n >= size) {
        if (size)
            out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)start[i]);
    out[n] = '\0';
    return 1;
}

int doctor_norm_email(const char *in, char *out, size_t size)
{
    if (!in || !copy_key(in, in + strlen(in), out, size))
        return 0;
    if (!strchr(out, '@')) {
        out[0] = '\0';
        return 0;
    }
    return 1;
}

static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncasecmp(s, prefix, n) ? s : s + n;
}

int doctor_norm_domain(const char *in, char *out, size_t size)
{
    const char *s, *end;

    if (!in)
        return copy_key("", "", out, size);
    s = in;
    while (isspace((unsigned char)*s))
        s++;
    s = skip_prefix(s, "https://");
    s = skip_prefix(s, "http://");
    s = skip_prefix(s, "www.");
    end = s + strcspn(s, "/?#: \t");
    while (end > s && end[-1] == '.')
        end--;
    return copy_key(s, end, out, size);
}

/* Numeric ids compare as numbers; anything else as text. */
static int id_cmp(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

/* Negative when a should survive rather than b. */
static int cand_cmp(const struct doctor_cand *a, const struct doctor_cand *b,
                    enum doctor_why *why)
{
    int ca = a->created && a->created[0], cb = b->created && b->created[0];
    int c;

    *why = DOCTOR_WHY_SOURCE_ID;
    if (a->has_source_id != b->has_source_id)
        return a->has_source_id ? -1 : 1;
    *why = DOCTOR_WHY_OLDEST;
    if (ca != cb)
        return ca ? -1 : 1;
    if (ca && (c = strcmp(a->created, b->created)))
        return c;
    *why = DOCTOR_WHY_COMPLETE;
    if (a->filled != b->filled)
        return a->filled > b->filled ? -1 : 1;
    *why = DOCTOR_WHY_LOWEST_ID;
    return id_cmp(a->id, b->id);
}

size_t doctor_survivor(const struct doctor_cand *c, size_t n,
                       enum doctor_why *why)
{
    enum doctor_why w, decisive = DOCTOR_WHY_SOURCE_ID;
    size_t best = 0;

    for (size_t i = 1; i < n; i++)
        if (cand_cmp(&c[i], &c[best], &w) < 0)
            best = i;
    /* The reason is the latest criterion needed to beat every other. */
    for (size_t i = 0; i < n; i++) {
        if (i == best)
            continue;
        cand_cmp(&c[best], &c[i], &w);
        if (w > decisive)
            decisive = w;
    }
    *why = n < 2 ? DOCTOR_WHY_LOWEST_ID : decisive;
    return best;
}

const char *doctor_why_text(enum doctor_why why)
{
    switch (why) {
    case DOCTOR_WHY_SOURCE_ID:
        return "it holds the source id";
    case DOCTOR_WHY_OLDEST:
        return "it is the oldest";
    case DOCTOR_WHY_COMPLETE:
        return "it is the most complete";
    default:
        return "it has the lowest id";
    }
}
