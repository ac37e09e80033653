/* report.c: the per-object success and error CSVs, from the ledger. */
#include "core/xalloc.h"
#include "csv/writer.h"
#include "migrate/internal.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const state_names[] = {"pending", "created", "updated",
                                          "rejected", "merged"};

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);

    return s ? (const char *)s : "";
}

/* Writes one CSV from a query whose columns match header. */
static int write_query(struct mig *m, const char *name, const char *sql,
                       const char *object, const char *const *header,
                       size_t ncols, struct err *e)
{
    char *path = xasprintf("%s/reports/%s", m->cfg->dir, name);
    struct csv_writer *w = NULL;
    sqlite3_stmt *st = NULL;
    const char *vals[16];
    int rc;

    if ((rc = csv_writer_open(path, 0600, NULL, &w, e)))
        goto out;
    if ((rc = csv_writer_row(w, ncols, header, e)))
        goto out;
    if (sqlite3_prepare_v2(ledger_db(m->ledger), sql, -1, &st, NULL) !=
        SQLITE_OK) {
        rc = err_set(e, ERR_DB, "report '%s': %s", name,
                     sqlite3_errmsg(ledger_db(m->ledger)));
        goto out;
    }
    sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        for (size_t i = 0; i < ncols; i++)
            vals[i] = col(st, (int)i);
        rc = csv_writer_row(w, ncols, vals, e);
    }
out:
    sqlite3_finalize(st);
    if (w && csv_writer_close(w, rc ? NULL : e) && !rc)
        rc = e->code;
    free(path);
    return rc;
}

static int success_report(struct mig *m, enum object_kind k, struct err *e)
{
    static const char *const header[] = {"source_file", "source_line",
                                         "source_id",   "hubspot_id",
                                         "outcome",     "merged_into"};
    char name[64];
    char sql[400];

    snprintf(name, sizeof(name), "%s-success.csv", object_kind_name(k));
    snprintf(sql, sizeof(sql),
             "SELECT source_file, source_line, source_id, hubspot_id,"
             " CASE state WHEN 1 THEN '%s' WHEN 2 THEN '%s' ELSE '%s' END,"
             " merged_into FROM records WHERE object = ?1 AND state IN"
             " (1, 2, 4) ORDER BY source_file, source_line",
             state_names[1], state_names[2], state_names[4]);
    return write_query(m, name, sql, object_kind_name(k), header, 6, e);
}

static int error_report(struct mig *m, enum object_kind k, struct err *e)
{
    static const char *const header[] = {
        "source_file", "source_line", "source_id", "phase",
        "field",       "value",       "error",     "message"};
    char name[64];

    snprintf(name, sizeof(name), "%s-errors.csv", object_kind_name(k));
    return write_query(m, name,
                       "SELECT source_file, source_line, source_id, phase,"
                       " field, value, category, message FROM problems"
                       " WHERE object = ?1 ORDER BY source_file,"
                       " source_line, phase",
                       object_kind_name(k), header, 8, e);
}

/* Every report is tried, whatever failed before; the first failure is
 * the one returned. */
int mig_reports(struct mig *m, struct err *e)
{
    struct err other = {0};
    int rc = 0;

    for (int k = 0; k < OBJ_COUNT; k++) {
        if (success_report(m, (enum object_kind)k, rc ? &other : e) && !rc)
            rc = e->code;
        if (error_report(m, (enum object_kind)k, rc ? &other : e) && !rc)
            rc = e->code;
    }
    return rc;
}
