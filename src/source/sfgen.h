/* sfgen.h: a seeded generator of realistic Salesforce Data Exports.
 *
 * The same options always produce byte-identical files. Rows are written
 * as they are made and every cross-reference is recomputed from the seed,
 * so memory does not grow with the size of the export. The output has the
 * quirks migrations meet in real exports: duplicate e-mails (also across
 * leads and contacts, differing in case and whitespace), contacts without
 * e-mail or account, opportunities without contact roles, inactive
 * owners, accented names, 15- and 18-character ids in lookups, null ids,
 * deleted rows, converted leads, rich text starting with a NUL byte,
 * values with newlines, commas and quotes, and CRLF line endings in
 * Contact.csv and Lead.csv.
 */
#ifndef HSM_SOURCE_SFGEN_H
#define HSM_SOURCE_SFGEN_H

#include <stdint.h>

#include "csv/reader.h"

struct err;

struct sfgen_opts {
    long accounts;
    long contacts;
    long leads;
    long opportunities;
    long users; /* at least 1 when any other count is non-zero */
    uint64_t seed;
    enum csv_encoding enc; /* CSV_ENC_UTF8 or CSV_ENC_LATIN1 */
};

/* Rows written per file, deleted rows included. */
struct sfgen_result {
    long users;
    long accounts;
    long contacts;
    long leads;
    long opportunities;
    long contact_roles;
};

/* Writes User.csv, Account.csv, Contact.csv, Lead.csv, Opportunity.csv
 * and OpportunityContactRole.csv into dir (created when missing),
 * replacing files of those names. res may be NULL. */
int sfgen_write(const char *dir, const struct sfgen_opts *o,
                struct sfgen_result *res, struct err *e);

#endif
