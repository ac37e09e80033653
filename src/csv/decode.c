/* decode.c: UTF-8 validation and the two single-byte charsets that
 * Salesforce exports and Excel-saved files use. */
#include "csv/decode.h"

#include "core/buf.h"

#include <stdint.h>
#include <string.h>

/* Windows-1252 0x80-0x9f; 0 marks the five bytes it leaves undefined. */
static const unsigned short cp1252_high[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
    0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
};

/* Length of the prefix of s that is plain ASCII without NUL (or, when
 * allow_nul, plain ASCII), eight bytes at a time: nearly every byte of an
 * export takes this path. */
static size_t ascii_run(const unsigned char *s, size_t n, int allow_nul)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t highs = 0x8080808080808080ULL;
    size_t i = 0;

    /* The encoding scan reads whole files: 32 bytes a step. */
    for (; allow_nul && i + 32 <= n; i += 32) {
        uint64_t a, b, c, d;

        memcpy(&a, s + i, 8);
        memcpy(&b, s + i + 8, 8);
        memcpy(&c, s + i + 16, 8);
        memcpy(&d, s + i + 24, 8);
        if ((a | b | c | d) & highs)
            break;
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        uint64_t bad;

        memcpy(&w, s + i, 8);
        bad = w & highs;
        if (!allow_nul)
            bad |= (w - ones) & ~w & highs;
        if (bad)
            break;
    }
    while (i < n && s[i] < 0x80 && (allow_nul || s[i] != 0))
        i++;
    return i;
}

int csv_utf8_seqlen(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    int len;
    unsigned char lo = 0x80, hi = 0xbf;

    if (c < 0x80)
        return 1;
    if (c < 0xc2 || c > 0xf4)
        return 0;
    len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

    /* The second byte's range excludes overlong forms, surrogates and
     * code points above U+10FFFF. */
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
            return 0;
    }
    return len;
}

static void utf8_put(struct buf *out, unsigned cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    }
    buf_add(out, u, n);
}

/* Decodes one non-ASCII unit at s; returns the bytes consumed, and sets
 * *bad when they could not be decoded. */
static size_t decode_one(enum csv_encoding enc, const unsigned char *s,
                         size_t n, struct buf *out, int *bad)
{
    int len;

    *bad = 0;
    if (enc == CSV_ENC_LATIN1) {
        utf8_put(out, s[0]);
        return 1;
    }
    if (enc == CSV_ENC_CP1252) {
        unsigned cp = s[0] >= 0xa0 ? s[0] : cp1252_high[s[0] - 0x80];

        *bad = cp == 0;
        utf8_put(out, cp ? cp : 0xfffd);
        return 1;
    }
    len = csv_utf8_seqlen(s, n);
    if (len > 0) {
        buf_add(out, s, (size_t)len);
        return (size_t)len;
    }
    *bad = 1;
    utf8_put(out, 0xfffd);
    return 1;
}

size_t csv_decode_append(enum csv_encoding enc, const unsigned char *s,
                         size_t n, struct buf *out, size_t *first_bad)
{
    size_t i = 0, nbad = 0;

    buf_grow(out, n + 1);
    while (i < n) {
        size_t run = i + ascii_run(s + i, n - i, 0);
        int bad;

        if (run > i)
            buf_add(out, s + i, run - i);
        i = run;
        if (i >= n)
            break;
        if (s[i] == 0) {
            i++;
            continue;
        }
        i += decode_one(enc, s + i, n - i, out, &bad);
        if (bad && nbad++ == 0 && first_bad)
            *first_bad = i - 1;
    }
    return nbad;
}

static int cp1252_byte(unsigned cp)
{
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff))
        return (int)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] && cp1252_high[i] == cp)
            return 0x80 + i;
    return -1;
}

static unsigned utf8_decode(const unsigned char *s, int len)
{
    if (len == 1)
        return s[0];
    if (len == 2)
        return ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
    if (len == 3)
        return ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
    return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) |
           ((s[2] & 0x3fu) << 6) | (s[3] & 0x3fu);
}

size_t csv_encode_append(enum csv_encoding enc, const unsigned char *s,
                         size_t n, struct buf *out)
{
    size_t i = 0, nrep = 0;

    if (enc != CSV_ENC_LATIN1 && enc != CSV_ENC_CP1252) {
        buf_add(out, s, n);
        return 0;
    }
    while (i < n) {
        int len = csv_utf8_seqlen(s + i, n - i);
        int b = -1;

        if (len <= 0) {
            len = 1;
        } else {
            unsigned cp = utf8_decode(s + i, len);

            if (enc == CSV_ENC_LATIN1)
                b = cp <= 0xff ? (int)cp : -1;
            else
                b = cp1252_byte(cp);
        }
        if (b < 0)
            nrep++;
        buf_addc(out, b < 0 ? '?' : (char)b);
        i += (size_t)len;
    }
    return nrep;
}

/* NUL bytes, and CRs that do not end a line with an LF. */
static void sniff_controls(struct csv_sniff *s, const unsigned char *p,
                           size_t n)
{
    const unsigned char *z = p, *end = p + n;

    if (s->cr_last && n) {
        s->bare_cr += p[0] != '\n';
        s->cr_last = 0;
    }
    while (z < end && (z = memchr(z, 0, (size_t)(end - z)))) {
        s->nul++;
        z++;
    }
    for (z = p; z < end && (z = memchr(z, '\r', (size_t)(end - z))); z++) {
        if (z + 1 == end)
            s->cr_last = 1;
        else
            s->bare_cr += z[1] != '\n';
    }
}

void csv_sniff_feed(struct csv_sniff *s, const unsigned char *p, size_t n)
{
    size_t i = 0;

    sniff_controls(s, p, n);

    /* Finish a sequence the previous chunk cut short. */
    while (s->ncarry > 0 && i < n) {
        int len;

        s->carry[s->ncarry++] = p[i++];
        len = csv_utf8_seqlen(s->carry, s->ncarry);
        if (len == 0) {
            s->invalid++;
            s->ncarry = 0;
        } else if (len > 0) {
            s->multibyte++;
            s->ncarry = 0;
        }
    }
    while (i < n) {
        int len;

        i += ascii_run(p + i, n - i, 1);
        if (i >= n)
            break;

        /* Accented letters are two bytes: the common case, inline. */
        if (p[i] >= 0xc2 && p[i] <= 0xdf && i + 1 < n &&
            (p[i + 1] & 0xc0) == 0x80) {
            s->multibyte++;
            i += 2;
            continue;
        }
        if (p[i] < 0xa0)
            s->c1++;
        len = csv_utf8_seqlen(p + i, n - i);
        if (len < 0) {
            memcpy(s->carry, p + i, n - i);
            s->ncarry = n - i;
            return;
        }
        if (len == 0) {
            s->invalid++;
            len = 1;
        } else {
            s->multibyte++;
        }
        i += (size_t)len;
    }
}

enum csv_encoding csv_sniff_result(struct csv_sniff *s)
{
    if (s->ncarry > 0) {
        s->invalid++;
        s->ncarry = 0;
    }
    s->bare_cr += s->cr_last;
    s->cr_last = 0;

    /* A few stray bytes in a file full of UTF-8 are damage to warn about;
     * a file with no UTF-8 sequences to speak of is single-byte text. */
    if (s->invalid == 0 || s->multibyte > s->invalid)
        return CSV_ENC_UTF8;
    return s->c1 > 0 ? CSV_ENC_CP1252 : CSV_ENC_LATIN1;
}

int csv_sniff_plain(const struct csv_sniff *s)
{
    return s->invalid == 0;
}
