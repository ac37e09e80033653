/* rollback_history.c: which runs rollbacks undid, when and how far, for
 * status. Read from the ledger alone: runs, run_rollbacks (one row per
 * run a rollback undid), rollback_items (what it did, by run) and what of
 * each run the ledger still holds. */
#include "core/clock.h"
#include "core/err.h"
#include "migrate/rollback.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <string.h>

static int db_fail(sqlite3 *db, struct err *e)
{
    return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(db));
}

/* An epoch-ms column as ISO 8601, or null. */
static json_t *time_json(sqlite3_stmt *st, int col)
{
    char iso[32];

    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    clock_format_iso(sqlite3_column_int64(st, col), iso, sizeof(iso));
    return json_string(iso);
}

static json_t *text_json(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    return s ? json_string((const char *)s) : json_null();
}

/* What one rollback did to one run, by outcome. */
static json_t *item_counts(sqlite3 *db, int64_t rollback_id, int64_t run_id)
{
    static const char *const keys[][2] = {
        {"archived", "archived"},  {"restored", "restored"},
        {"unlinked", "unlinked"},  {"gone", "gone"},
        {"changed", "left_alone"}, {"kept", "left_alone"},
        {"failed", "failed"}};
    json_t *c =
        json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "archived", 0, "restored",
                  0, "unlinked", 0, "gone", 0, "left_alone", 0, "failed", 0);
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db,
                           "SELECT outcome, count(*) FROM rollback_items"
                           " WHERE rollback_id = ? AND run_id = ?"
                           " GROUP BY outcome",
                           -1, &st, NULL) != SQLITE_OK)
        return c;
    sqlite3_bind_int64(st, 1, rollback_id);
    sqlite3_bind_int64(st, 2, run_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *o = (const char *)sqlite3_column_text(st, 0);

        for (size_t i = 0; o && i < sizeof(keys) / sizeof(keys[0]); i++)
            if (!strcmp(o, keys[i][0]))
                json_object_set_new(
                    c, keys[i][1],
                    json_integer(
                        json_integer_value(json_object_get(c, keys[i][1])) +
                        sqlite3_column_int64(st, 1)));
    }
    sqlite3_finalize(st);
    return c;
}

/* One number about one run (?1), or 0. */
static long run_scalar(sqlite3 *db, const char *sql, int64_t run_id)
{
    sqlite3_stmt *st;
    long n = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, run_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Ledger rows of the run a rollback would still undo. */
static long rows_left(sqlite3 *db, int64_t run_id)
{
    return run_scalar(db,
                      "SELECT (SELECT count(*) FROM records WHERE"
                      " run_id = ?1) + (SELECT count(*) FROM preimages"
                      " WHERE run_id = ?1 AND restored = 0) +"
                      " (SELECT count(*) FROM associations WHERE"
                      " run_id = ?1 AND created = 1 AND removed = 0)",
                      run_id);
}

/* The rollbacks of one run, oldest first; NULL when none. */
static json_t *run_rollbacks(sqlite3 *db, int64_t run_id, struct err *e)
{
    json_t *list = NULL;
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db,
                           "SELECT rollback_id, object, started_at,"
                           " finished_at, status FROM run_rollbacks WHERE"
                           " run_id = ? ORDER BY rollback_id",
                           -1, &st, NULL) != SQLITE_OK) {
        db_fail(db, e);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, run_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        json_t *rb = json_pack("{s:I, s:o, s:o, s:o, s:o}", "id",
                               (json_int_t)id, "object", text_json(st, 1),
                               "started_at", time_json(st, 2), "finished_at",
                               time_json(st, 3), "status", text_json(st, 4));

        json_t *counts = item_counts(db, id, run_id);

        json_object_update(rb, counts);
        json_decref(counts);
        if (!list)
            list = json_array();
        json_array_append_new(list, rb);
    }
    sqlite3_finalize(st);
    return list;
}

/* 1 when some rollback did something to the run (any item). */
static int run_touched(sqlite3 *db, int64_t run_id)
{
    return run_scalar(db,
                      "SELECT EXISTS(SELECT 1 FROM rollback_items WHERE"
                      " run_id = ?1)",
                      run_id) != 0;
}

/* complete: nothing of the run left; partial: some undone, some left;
 * none: rollbacks were tried (a failed one, say) but undid nothing. */
static json_t *rolled_back(sqlite3 *db, int64_t run_id, struct err *e)
{
    json_t *list = run_rollbacks(db, run_id, e);
    long left;

    if (!list)
        return json_null();
    left = rows_left(db, run_id);
    return json_pack("{s:s, s:I, s:o}", "state",
                     !left                     ? "complete"
                     : run_touched(db, run_id) ? "partial"
                                               : "none",
                     "left", (json_int_t)left, "rollbacks", list);
}

int rollback_history(struct ledger *l, json_t **runs, struct err *e)
{
    sqlite3 *db = ledger_db(l);
    sqlite3_stmt *st;

    *runs = json_array();
    if (sqlite3_prepare_v2(db,
                           "SELECT id, command, started_at, finished_at,"
                           " status FROM runs ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, e);
    while (!e->code && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);

        json_array_append_new(
            *runs, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id",
                             (json_int_t)id, "command", text_json(st, 1),
                             "started_at", time_json(st, 2), "finished_at",
                             time_json(st, 3), "status", text_json(st, 4),
                             "rolled_back", rolled_back(db, id, e)));
    }
    sqlite3_finalize(st);
    return e->code;
}
