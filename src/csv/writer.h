/* writer.h: RFC 4180 CSV output.
 *
 * Values are quoted only where they must be (a comma, quote, CR or LF
 * inside, or leading/trailing space), unless quote_all asks for every
 * value to be quoted the way Salesforce exports are. Input values are
 * UTF-8; the file can be written in another charset.
 */
#ifndef HSM_CSV_WRITER_H
#define HSM_CSV_WRITER_H

#include <stddef.h>
#include <sys/types.h>

#include "csv/reader.h"

struct err;
struct csv_writer;

struct csv_writer_opts {
    int quote_all;         /* quote every value, even empty ones */
    int crlf;              /* end records with CR LF instead of LF */
    enum csv_encoding enc; /* AUTO and UTF8 both mean UTF-8 */
};

/* Creates or truncates path with the given permission bits (e.g. 0600:
 * exported files hold personal data). opts may be NULL for defaults. */
int csv_writer_open(const char *path, mode_t mode,
                    const struct csv_writer_opts *opts, struct csv_writer **out,
                    struct err *e);

/* Writes one record of n NUL-terminated values. */
int csv_writer_row(struct csv_writer *w, size_t n, const char *const *fields,
                   struct err *e);

/* Like csv_writer_row with explicit lengths, for values that hold NUL
 * bytes. lens may be NULL. */
int csv_writer_row_n(struct csv_writer *w, size_t n, const char *const *fields,
                     const size_t *lens, struct err *e);

/* Characters the output charset could not represent, written as '?'. */
long csv_writer_replaced(const struct csv_writer *w);

/* Flushes, closes and frees w (NULL ok). An error here means the file is
 * incomplete. */
int csv_writer_close(struct csv_writer *w, struct err *e);

#endif
