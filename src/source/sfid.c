/* sfid.c: Salesforce's 15-to-18 character id conversion.
 *
 * A 15-character id is case-sensitive. The three extra characters encode,
 * for each 5-character chunk, which positions hold an uppercase letter
 * (bit j for position j), as one character of A-Z0-5. With them an id
 * stays unique even when compared without case. */
#include "source/salesforce.h"

#include "core/err.h"

#include <string.h>

static const char suffix_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/* Per byte, 16 a row: 1 for an ASCII letter or digit, 3 for an
 * uppercase letter, 0 for anything else. */
/* clang-format off */
static const unsigned char id_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
/* clang-format on */

static unsigned char upper(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

/* Checks the characters and computes the suffix in one pass: ids are
 * read from every row of every file. Returns -1 when a character is not
 * a letter or digit, 1 for the null id's fifteen zeros, else 0. */
static int id_scan(const unsigned char *in, size_t n, char suffix[3])
{
    unsigned ok = 1, nonzero = 0;

    for (size_t i = 15; i < n; i++)
        ok &= id_class[in[i]];
    for (int chunk = 0; chunk < 3; chunk++) {
        unsigned bits = 0;

        for (int j = 0; j < 5; j++) {
            unsigned char c = in[chunk * 5 + j];

            ok &= id_class[c];
            nonzero |= c ^ '0';
            bits |= (unsigned)(id_class[c] >> 1) << j;
        }
        suffix[chunk] = suffix_alphabet[bits];
    }
    if (!ok)
        return -1;
    return !nonzero;
}

static int suffix_matches(const char *in, const char *suffix)
{
    for (int i = 0; i < 3; i++)
        if (upper((unsigned char)in[i]) != upper((unsigned char)suffix[i]))
            return 0;
    return 1;
}

int sf_id_canonical(const char *in, char out[19])
{
    size_t n = strlen(in);
    char suffix[3];
    int scan;

    out[0] = '\0';
    if (n == 0)
        return 1;
    if (n != 15 && n != 18)
        return ERR_INPUT;
    scan = id_scan((const unsigned char *)in, n, suffix);
    if (scan < 0)
        return ERR_INPUT;
    if (scan == 1)
        return n == 15 || suffix_matches(in + 15, "AAA") ? 1 : ERR_INPUT;
    if (n == 18 && !suffix_matches(in + 15, suffix))
        return ERR_INPUT;
    memcpy(out, in, 15);
    memcpy(out + 15, suffix, 3);
    out[18] = '\0';
    return 0;
}
