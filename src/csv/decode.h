/* decode.h: charset helpers shared by the CSV reader and writer.
 *
 * Conversion happens one value at a time, so a value never straddles two
 * calls and no state is carried between them.
 */
#ifndef HSM_CSV_DECODE_H
#define HSM_CSV_DECODE_H

#include <stddef.h>

#include "csv/reader.h"

struct buf;

/* Length of the well-formed UTF-8 sequence at s (1-4), 0 when the bytes
 * are not UTF-8, or -1 when s ends before the sequence does. */
int csv_utf8_seqlen(const unsigned char *s, size_t n);

/* Appends s[0..n) decoded from enc to out as UTF-8, dropping NUL bytes and
 * writing U+FFFD for each byte that cannot be decoded. Returns how many
 * bytes could not be decoded; *first_bad gets the offset in s of the first
 * one (untouched when none). enc must not be CSV_ENC_AUTO. */
size_t csv_decode_append(enum csv_encoding enc, const unsigned char *s,
                         size_t n, struct buf *out, size_t *first_bad);

/* Appends UTF-8 s[0..n) to out encoded as enc (UTF-8, Latin-1 or
 * Windows-1252). Characters the charset lacks, and malformed UTF-8, become
 * '?'. Returns how many were replaced. */
size_t csv_encode_append(enum csv_encoding enc, const unsigned char *s,
                         size_t n, struct buf *out);

/* Scanner state for choosing a file's encoding from its bytes. */
struct csv_sniff {
    unsigned char carry[4]; /* an incomplete sequence across chunks */
    size_t ncarry;
    long multibyte; /* well-formed multi-byte UTF-8 sequences */
    long invalid;   /* bytes that are not UTF-8 */
    long c1;        /* bytes 0x80-0x9f, which only Windows-1252 prints */
    long nul;       /* NUL bytes, which the reader drops from values */
    long bare_cr;   /* CR bytes not followed by LF */
    int cr_last;    /* the previous chunk ended with a CR */
};

void csv_sniff_feed(struct csv_sniff *s, const unsigned char *p, size_t n);
/* Call once after the last chunk. */
enum csv_encoding csv_sniff_result(struct csv_sniff *s);

/* After csv_sniff_result: 1 when the bytes are well-formed UTF-8, so
 * values without NUL bytes can be copied unchanged. */
int csv_sniff_plain(const struct csv_sniff *s);

#endif
