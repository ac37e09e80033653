/* reader.h: a streaming CSV reader (RFC 4180 over libcsv).
 *
 * Memory stays bounded by the largest record, whatever the file size.
 * Every value comes out as NUL-terminated UTF-8: the file's encoding is
 * detected (or forced) and converted, bytes that cannot be decoded become
 * U+FFFD with a warning naming file and line, and NUL bytes inside a value
 * are dropped so that C strings never cut a value short.
 */
#ifndef HSM_CSV_READER_H
#define HSM_CSV_READER_H

#include <stddef.h>

struct err;

enum csv_encoding {
    CSV_ENC_AUTO,   /* UTF-8 unless the bytes say a single-byte charset */
    CSV_ENC_UTF8,   /* a BOM, when present, is skipped */
    CSV_ENC_LATIN1, /* ISO-8859-1 */
    CSV_ENC_CP1252, /* Windows-1252 */
};

/* Limits that protect memory from hostile or broken files. */
#define CSV_FIELD_MAX (1024 * 1024)       /* bytes of one raw value */
#define CSV_RECORD_MAX (16 * 1024 * 1024) /* bytes of one decoded record */
#define CSV_FIELDS_MAX 8192               /* values in one record */

/* Accepts "auto", "utf8"/"utf-8", "latin1"/"iso-8859-1",
 * "cp1252"/"windows-1252" (any case). Returns 0 or ERR_USAGE. */
int csv_encoding_parse(const char *name, enum csv_encoding *out);
const char *csv_encoding_name(enum csv_encoding enc);

struct csv_reader;

struct csv_record {
    size_t nfields;
    /* UTF-8, NUL-terminated; owned by the reader and valid until the next
     * csv_reader_next or csv_reader_free. */
    const char *const *fields;
    /* 1-based line of the record's first line in the file (a quoted value
     * spanning lines counts its first line). */
    long line;
};

/* Opens path and reads its header row. With CSV_ENC_AUTO the file is
 * scanned once to choose its encoding (see csv_reader_encoding); UTF-8
 * characters beside at least as many bytes that are not UTF-8 are a
 * final ERR_IO naming the first of those bytes' line, since either
 * reading would garble values unseen. An empty file is an error; a file
 * with only a header row has no records. */
int csv_reader_open(const char *path, enum csv_encoding enc,
                    struct csv_reader **out, struct err *e);

/* Returns 1 and fills rec with the next record, 0 at end of file, or a
 * negative ERR_* with e naming file and line (and, for ERR_INPUT,
 * rec->line the record's first line). After an error on one
 * record (wrong number of fields, malformed quoting, a value over the
 * limits) the next call continues with the following record; an error
 * reading the file itself (ERR_IO) is final. */
int csv_reader_next(struct csv_reader *r, struct csv_record *rec,
                    struct err *e);

size_t csv_reader_ncols(const struct csv_reader *r);
const char *csv_reader_colname(const struct csv_reader *r, size_t i);
/* Says which columns the caller reads (indices; negative ones are
 * ignored). Values of the other columns are still parsed and count
 * toward the limits, but may come out as "" instead of their text: in a
 * file that needs no decoding they are not copied at all. */
void csv_reader_use_columns(struct csv_reader *r, const int *cols, size_t n);
/* Index of the column named name (exact match), or -1. */
int csv_reader_find(const struct csv_reader *r, const char *name);
/* The encoding in use: never CSV_ENC_AUTO once open. In auto mode a
 * file whose header is plain ASCII is scanned for its encoding only when
 * the first record or this answer is asked for; an error reading it
 * then is returned by the next csv_reader_next. */
enum csv_encoding csv_reader_encoding(struct csv_reader *r);
const char *csv_reader_path(const struct csv_reader *r);
/* Undecodable byte sequences met so far (each was warned about). */
long csv_reader_decode_warnings(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

#endif
