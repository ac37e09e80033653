/* rollback_ledger.c: what a rollback reads from and writes to the ledger.
 *
 * Every query takes the same two parameters: ?1 the run undone (0 for
 * every run) and ?2 the object undone (NULL for all). "Created" records
 * are those the runs wrote without finding them first: confirmed creates,
 * unconfirmed writes (pending), created records a later run's update
 * was refused on, and created records whose row a later run folded into
 * another row (store/ledger.c, KEEPS_CREATED).
 */
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "csv/writer.h"
#include "migrate/rollback_int.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#define RUN_FILTER "(?1 = 0 OR run_id = ?1) AND (?2 IS NULL OR object = ?2)"
#define CREATED                                                                \
    "existed_before = 0 AND (state IN (0, 1) OR (state IN (3, 4) AND"          \
    " coalesce(hubspot_id, '') <> ''))"

static int db_fail(struct rb *r, struct err *e, const char *what)
{
    return err_set(e, ERR_DB, "ledger: %s: %s", what, sqlite3_errmsg(r->db));
}

static int prep(struct rb *r, sqlite3_stmt **st, const char *sql, struct err *e)
{
    if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(r, e, "prepare");
    sqlite3_bind_int64(*st, 1, r->run_sel);
    if (r->object)
        sqlite3_bind_text(*st, 2, r->object, -1, SQLITE_TRANSIENT);
    return 0;
}

/* Runs the statements in one transaction, with ?3 bound to the
 * rollback's id and ?4 to the time, besides the usual ?1 and ?2. */
static int exec_tx(struct rb *r, const char *const *sqls, size_t n,
                   struct err *e)
{
    int64_t now = clock_wall_ms();
    int rc;

    if ((rc = ledger_begin(r->ledger, e)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st;

        if ((rc = prep(r, &st, sqls[i], e)))
            goto fail;
        sqlite3_bind_int64(st, 3, r->rb_id);
        sqlite3_bind_int64(st, 4, now);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            rc = db_fail(r, e, "write");
            goto fail;
        }
    }
    return ledger_commit(r->ledger, e);
fail:
    ledger_rollback_tx(r->ledger);
    return rc;
}

void rbl_prepare(struct rb *r)
{
    r->db = ledger_db(r->ledger);
}

int rbl_latest_run(struct rb *r, int64_t *run_id, struct err *e)
{
    sqlite3_stmt *st;

    *run_id = 0;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT max(id) FROM runs WHERE command = 'run'", -1,
                           &st, NULL) != SQLITE_OK)
        return db_fail(r, e, "prepare");
    if (sqlite3_step(st) == SQLITE_ROW)
        *run_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

int rbl_run_command(struct rb *r, int64_t id, char *cmd, size_t size,
                    struct err *e)
{
    sqlite3_stmt *st;
    const unsigned char *c;

    cmd[0] = '\0';
    if (sqlite3_prepare_v2(r->db, "SELECT command FROM runs WHERE id = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return db_fail(r, e, "prepare");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW &&
        (c = sqlite3_column_text(st, 0)) != NULL)
        snprintf(cmd, size, "%s", (const char *)c);
    sqlite3_finalize(st);
    return 0;
}

/* Adds each (object, count) row of sql to counts[object]. */
static int count_by_object(struct rb *r, const char *sql, long *counts,
                           struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(r, &st, sql, e)))
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        enum object_kind k;
        const char *o = (const char *)sqlite3_column_text(st, 0);

        if (o && !object_kind_parse(o, &k))
            counts[k] += (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

static long batches(long n, long size)
{
    return (n + size - 1) / size;
}

int rbl_runs(struct rb *r, int64_t **ids, size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    *ids = NULL;
    *n = 0;
    if ((rc = prep(r, &st,
                   "SELECT DISTINCT coalesce(run_id, 0) FROM (SELECT run_id"
                   " FROM records WHERE " RUN_FILTER " UNION ALL"
                   " SELECT run_id FROM preimages WHERE " RUN_FILTER
                   " AND restored = 0 UNION ALL SELECT run_id FROM"
                   " associations WHERE (?1 = 0 OR run_id = ?1) AND"
                   " (?2 IS NULL OR from_object = ?2 OR to_object = ?2)"
                   " AND created = 1 AND removed = 0) ORDER BY 1 DESC",
                   e)))
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        *ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Where the rollback of each run stands, for status. The records whose
 * values this run restores lose their digest, so that a later `run`
 * writes their values again instead of trusting the ledger. */
int rbl_run_begin(struct rb *r, struct err *e)
{
    static const char *const sqls[] = {
        "INSERT OR REPLACE INTO run_rollbacks(rollback_id, run_id, object,"
        " started_at, status) VALUES(?3, ?1, ?2, ?4, 'running')",
        "UPDATE records SET hash = NULL WHERE EXISTS(SELECT 1 FROM"
        " preimages p WHERE (?1 = 0 OR p.run_id = ?1) AND (?2 IS NULL OR"
        " p.object = ?2) AND p.restored = 0 AND p.object = records.object"
        " AND p.hubspot_id = records.hubspot_id)",
    };

    return exec_tx(r, sqls, 2, e);
}

void rbl_run_end(struct rb *r, const char *status)
{
    sqlite3_stmt *st;
    struct err e = {0};

    if (prep(r, &st,
             "UPDATE run_rollbacks SET finished_at = ?4, status = ?5 WHERE"
             " rollback_id = ?3 AND run_id = ?1",
             &e)) {
        log_warn("%s", e.msg);
        return;
    }
    sqlite3_bind_int64(st, 3, r->rb_id);
    sqlite3_bind_int64(st, 4, clock_wall_ms());
    sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        log_warn("ledger: %s", sqlite3_errmsg(r->db));
    sqlite3_finalize(st);
}

/* The calls: each run is undone on its own, in batches of RB_BATCH per
 * object (records: a read and an archive or update per batch) and per
 * kind of association (one archive per batch). */
static int plan_calls(struct rb *r, struct rollback_plan *p, struct err *e)
{
    static const struct {
        const char *sql;
        int per_batch;
    } parts[] = {
        {"SELECT count(*) FROM records WHERE " RUN_FILTER " AND " CREATED
         " GROUP BY run_id, object",
         2},
        {"SELECT count(DISTINCT hubspot_id) FROM preimages WHERE " RUN_FILTER
         " AND restored = 0 GROUP BY run_id, object",
         2},
        {"SELECT count(*) FROM associations WHERE (?1 = 0 OR run_id = ?1)"
         " AND (?2 IS NULL OR from_object = ?2 OR to_object = ?2) AND"
         " created = 1 AND removed = 0 GROUP BY run_id, from_object,"
         " to_object",
         1},
    };
    sqlite3_stmt *st;
    int rc;

    p->calls = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
        if ((rc = prep(r, &st, parts[i].sql, e)))
            return rc;
        while (sqlite3_step(st) == SQLITE_ROW)
            p->calls += parts[i].per_batch *
                        batches((long)sqlite3_column_int64(st, 0), RB_BATCH);
        sqlite3_finalize(st);
    }
    return 0;
}

int rbl_plan(struct rb *r, struct rollback_plan *p, struct err *e)
{
    int rc;

    if ((rc = count_by_object(
             r,
             "SELECT object, count(*) FROM records WHERE " RUN_FILTER
             " AND " CREATED " AND coalesce(hubspot_id, '') <> ''"
             " GROUP BY object",
             p->archive, e)) ||
        (rc = count_by_object(
             r,
             "SELECT object, count(*) FROM records WHERE " RUN_FILTER
             " AND " CREATED " AND coalesce(hubspot_id, '') = ''"
             " GROUP BY object",
             p->lookup, e)) ||
        (rc = count_by_object(
             r,
             "SELECT object, count(*) FROM records WHERE " RUN_FILTER
             " AND NOT (" CREATED ")"
             " GROUP BY object",
             p->forget, e)) ||
        (rc = count_by_object(r,
                              "SELECT object, count(DISTINCT hubspot_id)"
                              " FROM preimages WHERE " RUN_FILTER
                              " AND restored = 0 GROUP BY object",
                              p->restore, e)) ||
        (rc = count_by_object(
             r,
             "SELECT object, count(*) FROM preimages WHERE " RUN_FILTER
             " AND restored = 0 GROUP BY object",
             p->values, e)) ||
        (rc = count_by_object(r,
                              "SELECT from_object, count(*) FROM associations"
                              " WHERE (?1 = 0 OR run_id = ?1) AND (?2 IS NULL"
                              " OR from_object = ?2 OR to_object = ?2) AND"
                              " created = 1 AND removed = 0"
                              " GROUP BY from_object",
                              p->assocs, e)))
        return rc;
    return plan_calls(r, p, e);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int rbl_item(struct rb *r, const struct rb_item *it)
{
    sqlite3_stmt *st;
    struct err e = {0};
    int rc;

    /* Restores and unlinks name a HubSpot id only: the source id comes
     * from the ledger's record, which the rollback removes only after. */
    if (sqlite3_prepare_v2(
            r->db,
            "INSERT INTO rollback_items(rollback_id, object, hubspot_id,"
            " source_id, action, property, value, outcome, detail, at,"
            " run_id) VALUES(?1, ?2, ?3, coalesce(?4, (SELECT source_id"
            " FROM records WHERE object = ?2 AND hubspot_id = ?3 ORDER BY"
            " merged_into IS NOT NULL LIMIT 1)), ?5, ?6, ?7, ?8, ?9, ?10,"
            " ?11)",
            -1, &st, NULL) != SQLITE_OK) {
        db_fail(r, &e, "prepare");
        rb_fail(r, &e);
        return e.code;
    }
    sqlite3_bind_int64(st, 1, r->rb_id);
    bind_opt(st, 2, it->object);
    bind_opt(st, 3, it->hubspot_id);
    bind_opt(st, 4, it->source_id);
    bind_opt(st, 5, it->action);
    bind_opt(st, 6, it->property);
    bind_opt(st, 7, it->value);
    bind_opt(st, 8, it->outcome);
    bind_opt(st, 9, it->detail);
    sqlite3_bind_int64(st, 10, clock_wall_ms());
    sqlite3_bind_int64(st, 11, r->run_sel);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_fail(r, &e, "write");
        rb_fail(r, &e);
        return e.code;
    }
    return 0;
}

int rbl_begin(struct rb *r)
{
    struct err e = {0};

    if (ledger_begin(r->ledger, &e)) {
        rb_fail(r, &e);
        return -1;
    }
    return 0;
}

int rbl_commit(struct rb *r)
{
    struct err e = {0};

    if (ledger_commit(r->ledger, &e)) {
        rb_fail(r, &e);
        return -1;
    }
    return 0;
}

int rbl_is_created(struct rb *r, const char *object, const char *hubspot_id)
{
    sqlite3_stmt *st;
    struct err e = {0};
    int found;

    if (prep(r, &st,
             "SELECT 1 FROM records WHERE " RUN_FILTER " AND " CREATED
             " AND object = ?3 AND hubspot_id = ?4 LIMIT 1",
             &e)) {
        rb_fail(r, &e);
        return 0;
    }
    sqlite3_bind_text(st, 3, object, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, hubspot_id, -1, SQLITE_TRANSIENT);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* The runs' other rows (records that existed, rejected or folded rows)
 * leave the ledger so a later run treats their source rows as new. */
int rbl_forget_rest(struct rb *r, struct err *e)
{
    static const char *const sqls[] = {
        "INSERT INTO rollback_items(rollback_id, object, hubspot_id,"
        " source_id, action, outcome, at, run_id) SELECT ?3, object,"
        " hubspot_id, source_id, 'forget', 'forgotten', ?4, run_id FROM"
        " records WHERE " RUN_FILTER,
        "DELETE FROM records WHERE " RUN_FILTER,
    };

    return exec_tx(r, sqls, 2, e);
}

static int report_rows(struct rb *r, struct csv_writer *w, struct err *e)
{
    sqlite3_stmt *st;
    int rc = 0;

    if (sqlite3_prepare_v2(r->db,
                           "SELECT object, hubspot_id, source_id, action,"
                           " property, value, outcome, detail, run_id FROM"
                           " rollback_items WHERE rollback_id = ? AND"
                           " action <> 'forget' ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(r, e, "prepare");
    sqlite3_bind_int64(st, 1, r->rb_id);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *f[9];

        for (int i = 0; i < 9; i++) {
            const unsigned char *v = sqlite3_column_text(st, i);

            f[i] = v ? (const char *)v : "";
        }
        rc = csv_writer_row(w, 9, f, e);
    }
    sqlite3_finalize(st);
    return rc;
}

int rbl_report(struct rb *r, struct err *e)
{
    static const char *const head[] = {"object",  "hubspot_id", "source_id",
                                       "action",  "property",   "value",
                                       "outcome", "detail",     "run"};
    char *path = project_path(r->cfg, "reports/rollback.csv");
    struct csv_writer *w = NULL;
    int rc;

    if ((rc = csv_writer_open(path, 0600, NULL, &w, e)))
        goto out;
    if (!(rc = csv_writer_row(w, 9, head, e)))
        rc = report_rows(r, w, e);
    if (csv_writer_close(w, rc ? NULL : e) && !rc)
        rc = e->code;
out:
    free(path);
    return rc;
}
