/* sfid.c: Salesforce's 15-to-18 character id conversion.
 *
 * A 15-character id is case-sensitive. The three extra characters encode,
 * for each 5-character chunk, which positions hold an uppercase letter
 * (bit j for position j), as one character of A-Z0-5. With them an id
 * stays unique even when compared without case. */
#include "source/salesforce.h"

#include "core/err.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char suffix_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

static int all_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static void id_suffix(const char *id15, char suffix[3])
{
    for (int chunk = 0; chunk < 3; chunk++) {
        unsigned bits = 0;

        for (int j = 0; j < 5; j++) {
            char c = id15[chunk * 5 + j];

            if (c >= 'A' && c <= 'Z')
                bits |= 1u << j;
        }
        suffix[chunk] = suffix_alphabet[bits];
    }
}

int sf_id_canonical(const char *in, char out[19])
{
    size_t n = strlen(in);
    char suffix[3];

    out[0] = '\0';
    if (n == 0)
        return 1;
    if ((n != 15 && n != 18) || !all_alnum(in, n))
        return ERR_INPUT;
    if (!strncmp(in, "000000000000000", 15))
        return n == 15 || !strcasecmp(in + 15, "AAA") ? 1 : ERR_INPUT;

    id_suffix(in, suffix);
    if (n == 18 && strncasecmp(in + 15, suffix, 3))
        return ERR_INPUT;
    memcpy(out, in, 15);
    memcpy(out + 15, suffix, 3);
    out[18] = '\0';
    return 0;
}
