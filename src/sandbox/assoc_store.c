#include "sandbox/assoc_store.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/assoc_types.h"
#include "sandbox/sb.h"

/* Prepares sql and binds its parameters: fmt has one letter per
 * parameter, 'o' an object type (bound as its name), 'i' an int64_t. */
static int prepare_v(sqlite3 *db, sqlite3_stmt **st, const char *sql,
                     const char *fmt, va_list ap, struct err *e)
{
    if (sb_stmt_prepare(db, sql, st) != SQLITE_OK)
        return err_set(e, ERR_DB, "association store: %s", sqlite3_errmsg(db));
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 'o')
            sqlite3_bind_text(*st, i + 1, sb_otype_name(va_arg(ap, int)), -1,
                              SQLITE_STATIC);
        else
            sqlite3_bind_int64(*st, i + 1, va_arg(ap, int64_t));
    }
    return 0;
}

static int prepare(sqlite3 *db, sqlite3_stmt **st, struct err *e,
                   const char *sql, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = prepare_v(db, st, sql, fmt, ap, e);
    va_end(ap);
    return rc;
}

/* Runs one statement that returns no rows. */
static int run(sqlite3 *db, struct err *e, const char *sql, const char *fmt,
               ...)
{
    sqlite3_stmt *st = NULL;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = prepare_v(db, &st, sql, fmt, ap, e);
    va_end(ap);
    if (!rc && sqlite3_step(st) != SQLITE_DONE)
        rc = err_set(e, ERR_DB, "association store: %s", sqlite3_errmsg(db));
    sb_stmt_release(st);
    return rc;
}

/* Inserts one type and its reverse. */
static int put_type(sqlite3 *db, int from, int64_t from_id, int to,
                    int64_t to_id, const struct assoc_type *t, struct err *e)
{
    return run(db, e,
               "INSERT OR IGNORE INTO associations VALUES"
               " (?1, ?2, ?3, ?4, 'HUBSPOT_DEFINED', ?5),"
               " (?3, ?4, ?1, ?2, 'HUBSPOT_DEFINED', ?6)",
               "oioiii", from, from_id, to, to_id, (int64_t)t->id,
               (int64_t)t->reverse_id);
}

/* Removes one type and its reverse. */
static int drop_type(sqlite3 *db, int from, int64_t from_id, int to,
                     int64_t to_id, const struct assoc_type *t, struct err *e)
{
    return run(db, e,
               "DELETE FROM associations WHERE (from_type = ?1"
               " AND from_id = ?2 AND to_type = ?3 AND to_id = ?4"
               " AND type_id = ?5) OR (from_type = ?3 AND from_id = ?4"
               " AND to_type = ?1 AND to_id = ?2 AND type_id = ?6)",
               "oioiii", from, from_id, to, to_id, (int64_t)t->id,
               (int64_t)t->reverse_id);
}

/* A contact or deal has one primary company: before a new primary is
 * written, the record's primary links to other companies are dropped. */
static int clear_other_primary(sqlite3 *db, int from, int64_t from_id, int to,
                               int64_t to_id, const struct assoc_type *t,
                               struct err *e)
{
    if (from == SB_OT_COMPANIES) /* the record is the other end */
        return clear_other_primary(db, to, to_id, from, from_id,
                                   assoc_type_find(to, from, t->reverse_id), e);
    /* Two statements, each led by an index: as one OR the planner may
     * scan every association of the other type, once per link written. */
    if (run(db, e,
            "DELETE FROM associations WHERE from_type = ?1"
            " AND from_id = ?2 AND to_type = ?3 AND to_id <> ?4"
            " AND type_id = ?5",
            "oioii", from, from_id, to, to_id, (int64_t)t->id) < 0)
        return -1;
    return run(db, e,
               "DELETE FROM associations WHERE to_type = ?1 AND to_id = ?2"
               " AND +from_type = ?3 AND +from_id <> ?4 AND type_id = ?5",
               "oioii", from, from_id, to, to_id, (int64_t)t->reverse_id);
}

int assoc_store_remove_pair(sqlite3 *db, int from, int64_t from_id, int to,
                            int64_t to_id, struct err *e)
{
    return run(db, e,
               "DELETE FROM associations WHERE (from_type = ?1"
               " AND from_id = ?2 AND to_type = ?3 AND to_id = ?4) OR"
               " (from_type = ?3 AND from_id = ?4 AND to_type = ?1"
               " AND to_id = ?2)",
               "oioi", from, from_id, to, to_id);
}

int assoc_store_set(sqlite3 *db, int from, int64_t from_id, int to,
                    int64_t to_id, const int *type_ids, size_t n, bool replace,
                    struct err *e)
{
    int rc = 0;

    if (replace)
        rc = assoc_store_remove_pair(db, from, from_id, to, to_id, e);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct assoc_type *t = assoc_type_find(from, to, type_ids[i]);

        if (!t)
            return err_set(e, ERR_INPUT, "unknown association type %d",
                           type_ids[i]);
        if (assoc_type_is_primary(t))
            rc = clear_other_primary(db, from, from_id, to, to_id, t, e);
        if (!rc)
            rc = put_type(db, from, from_id, to, to_id, t, e);
        if (!rc && t->unlabeled_id != t->id)
            rc = put_type(db, from, from_id, to, to_id,
                          assoc_type_find(from, to, t->unlabeled_id), e);
    }
    return rc;
}

int assoc_store_remove_types(sqlite3 *db, int from, int64_t from_id, int to,
                             int64_t to_id, const int *type_ids, size_t n,
                             struct err *e)
{
    int rc = 0;

    for (size_t i = 0; !rc && i < n; i++) {
        const struct assoc_type *t = assoc_type_find(from, to, type_ids[i]);

        if (!t)
            return err_set(e, ERR_INPUT, "unknown association type %d",
                           type_ids[i]);
        if (!t->label) /* unlabeled: the link itself goes */
            return assoc_store_remove_pair(db, from, from_id, to, to_id, e);
        rc = drop_type(db, from, from_id, to, to_id, t, e);
    }
    return rc;
}

/* Appends a row to the grouped list; rows come in to_id order. */
static void add_row(struct assoc_link **links, size_t *n, size_t *cap,
                    int64_t to_id, int type_id)
{
    struct assoc_link *l;

    if (*n > 0 && (*links)[*n - 1].to_id == to_id) {
        l = &(*links)[*n - 1];
        if (l->ntypes < ASSOC_LINK_MAX_TYPES)
            l->type_ids[l->ntypes++] = type_id;
        return;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *links = xrealloc(*links, *cap * sizeof(**links));
    }
    l = &(*links)[(*n)++];
    l->to_id = to_id;
    l->type_ids[0] = type_id;
    l->ntypes = 1;
}

static int list_rows(sqlite3_stmt *st, int limit, struct assoc_link **links,
                     size_t *n, bool *more)
{
    size_t cap = 0;
    int step;

    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);

        if (*n == (size_t)limit && (*links)[*n - 1].to_id != id) {
            *more = true;
            return SQLITE_DONE;
        }
        add_row(links, n, &cap, id, sqlite3_column_int(st, 1));
    }
    return step;
}

int assoc_store_list(sqlite3 *db, int from, int64_t from_id, int to,
                     int64_t after, int limit, struct assoc_link **links,
                     size_t *n, bool *more, struct err *e)
{
    static const char sql[] =
        "SELECT to_id, type_id FROM associations WHERE from_type = ?1"
        " AND from_id = ?2 AND to_type = ?3 AND to_id > ?4"
        " AND EXISTS (SELECT 1 FROM objects o WHERE o.id = to_id"
        " AND o.archived = 0) ORDER BY to_id, type_id";
    sqlite3_stmt *st = NULL;
    int rc;

    *links = NULL;
    *n = 0;
    *more = false;
    rc = prepare(db, &st, e, sql, "oioi", from, from_id, to, after);
    if (rc)
        goto out;
    rc = list_rows(st, limit, links, n, more);
    rc = rc == SQLITE_DONE
             ? 0
             : err_set(e, ERR_DB, "association store: %s", sqlite3_errmsg(db));
out:
    sb_stmt_release(st);
    return rc;
}

int assoc_store_move(sqlite3 *db, int obj, int64_t old_id, int64_t new_id,
                     struct err *e)
{
    int rc;

    /* The survivor's own primary company wins: the merged record's
     * primary rows (and their reverses) go first if it has one. */
    rc = run(db, e,
             "DELETE FROM associations WHERE EXISTS (SELECT 1 FROM"
             " associations s WHERE s.from_type = ?1 AND s.from_id = ?3"
             " AND s.to_type = 'companies' AND s.type_id IN (1, 5))"
             " AND ((from_type = ?1 AND from_id = ?2"
             " AND to_type = 'companies' AND type_id IN (1, 5))"
             " OR (+from_type = 'companies' AND to_type = ?1 AND to_id = ?2"
             " AND type_id IN (2, 6)))",
             "oii", obj, old_id, new_id);
    if (!rc)
        rc = run(db, e,
                 "INSERT OR IGNORE INTO associations SELECT from_type, ?3,"
                 " to_type, to_id, category, type_id FROM associations"
                 " WHERE from_type = ?1 AND from_id = ?2",
                 "oii", obj, old_id, new_id);
    if (!rc)
        rc = run(db, e,
                 "INSERT OR IGNORE INTO associations SELECT from_type,"
                 " from_id, to_type, ?3, category, type_id FROM associations"
                 " WHERE to_type = ?1 AND to_id = ?2",
                 "oii", obj, old_id, new_id);
    if (!rc)
        rc = assoc_store_remove_record(db, obj, old_id, e);
    return rc;
}

int assoc_store_remove_record(sqlite3 *db, int obj, int64_t id, struct err *e)
{
    return run(db, e,
               "DELETE FROM associations WHERE (from_type = ?1"
               " AND from_id = ?2) OR (to_type = ?1 AND to_id = ?2)",
               "oi", obj, id);
}
