/* salesforce.h: the Salesforce Data Export adapter.
 *
 * An export directory holds one CSV per object, named by API name
 * (Contact.csv, Account.csv, ...), with API field names in the header row.
 * The reader yields live rows with every Salesforce id in its canonical
 * 18-character form, so joins never depend on which form a column used.
 */
#ifndef HSM_SOURCE_SALESFORCE_H
#define HSM_SOURCE_SALESFORCE_H

#include <stddef.h>

#include "csv/reader.h"

struct err;

#define SF_ID_LEN 18

/* Converts a 15- or 18-character Salesforce id to its canonical
 * 18-character form (the 3-character case-checksum suffix). Returns 0 and
 * fills out (19 bytes), 1 when the value is a null id (empty, or fifteen
 * zeros with or without the AAA suffix; out is then ""), or ERR_INPUT when
 * it is not an id. An 18-character input is re-derived from its first 15
 * characters (its suffix compared without case), so variants canonicalise
 * identically; a suffix that does not match is ERR_INPUT. */
int sf_id_canonical(const char *in, char out[19]);

struct sf_reader; /* one object file of an export directory */

struct sf_row {
    const char *file; /* e.g. "Contact.csv" (basename) */
    long line;
    const struct csv_record *rec; /* ids already canonical */
};

/* Opens EXPORT_DIR/OBJECT.csv. Returns ERR_NOTFOUND when the file is
 * absent and ERR_INPUT when it has no Id column or names a column twice. */
int sf_reader_open(const char *export_dir, const char *object,
                   enum csv_encoding enc, struct sf_reader **out,
                   struct err *e);

/* Returns 1 with the next live row, 0 at end, or a negative ERR_* with e
 * naming file, line and field. Rows with IsDeleted=1 are skipped and
 * counted. Every id column (Id, and columns whose name ends in "Id" that
 * hold 15/18-character ids: AccountId, OwnerId, ConvertedContactId, ...)
 * is rewritten to its 18-character form and null ids to "". A row whose
 * Id is missing or invalid is an ERR_INPUT, with row->file and row->line
 * naming the row; after an ERR_INPUT the next call continues with the
 * following row (ERR_IO is final). The row is valid until the next
 * call. */
int sf_reader_next(struct sf_reader *r, struct sf_row *row, struct err *e);

/* The value of column in row, or "" when the file has no such column. */
const char *sf_row_get(const struct sf_reader *r, const struct sf_row *row,
                       const char *column);
/* Index of column, or -1: lets hot loops avoid name lookups. */
int sf_reader_column(const struct sf_reader *r, const char *column);
/* Says which columns the caller reads (indices from sf_reader_column;
 * negative ones are ignored); Id and IsDeleted are always read. The
 * others may come out as "", and their ids are not canonicalised: a
 * caller that reads few columns of a wide file skips most of the work. */
void sf_reader_use_columns(struct sf_reader *r, const int *cols, size_t n);
long sf_reader_deleted(const struct sf_reader *r);
struct csv_reader *sf_reader_csv(struct sf_reader *r);
void sf_reader_free(struct sf_reader *r); /* NULL ok */

/* Value helpers for the export's formats. Each returns 0 on success, 1
 * when the input is empty (out is then "" or untouched for sf_bool), or
 * ERR_INPUT when it is malformed or out is too small. */

/* "2024-01-02 03:04:05" (also "2024-01-02T03:04:05[.000][Z|+0000|
 * +00:00]" and a bare date) -> "2024-01-02T03:04:05.000Z"; n >= 25. */
int sf_datetime_to_iso(const char *in, char *out, size_t n);
/* "2024-01-02 00:00:00" or "2024-01-02" -> "2024-01-02"; n >= 11. */
int sf_date_to_ymd(const char *in, char *out, size_t n);
/* 0/1, true/false (any case). */
int sf_bool(const char *in, int *out);

#endif
