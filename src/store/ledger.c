#include "store/ledger.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ledger {
    sqlite3 *db;
};

static const char *const schema_sql =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, command TEXT,"
    " started_at INTEGER, finished_at INTEGER, status TEXT);"
    "CREATE TABLE IF NOT EXISTS phases(name TEXT PRIMARY KEY, status TEXT,"
    " updated_at INTEGER);"
    "CREATE TABLE IF NOT EXISTS records(object TEXT NOT NULL,"
    " source_id TEXT NOT NULL, source_file TEXT, source_line INTEGER,"
    " hubspot_id TEXT, state INTEGER NOT NULL, existed_before INTEGER,"
    " hash TEXT, merged_into TEXT, run_id INTEGER, updated_at INTEGER,"
    " PRIMARY KEY(object, source_id));"
    "CREATE INDEX IF NOT EXISTS records_hs ON records(object, hubspot_id);"
    "CREATE TABLE IF NOT EXISTS preimages(run_id INTEGER, object TEXT,"
    " hubspot_id TEXT, property TEXT, old_value TEXT, new_value TEXT,"
    " restored INTEGER DEFAULT 0,"
    " PRIMARY KEY(object, hubspot_id, property));"
    "CREATE TABLE IF NOT EXISTS associations(run_id INTEGER,"
    " from_object TEXT, from_id TEXT, to_object TEXT, to_id TEXT,"
    " type_id INTEGER, created INTEGER, removed INTEGER DEFAULT 0,"
    " PRIMARY KEY(from_object, from_id, to_object, to_id, type_id));"
    "CREATE TABLE IF NOT EXISTS problems(run_id INTEGER, object TEXT,"
    " source_file TEXT, source_line INTEGER, source_id TEXT, phase TEXT,"
    " field TEXT, value TEXT, category TEXT, message TEXT,"
    " PRIMARY KEY(object, source_id, phase, field, source_line));"
    "CREATE TABLE IF NOT EXISTS emails(email TEXT PRIMARY KEY,"
    " source_id TEXT);";

static int db_fail(struct ledger *l, struct err *e, const char *what)
{
    return err_set(e, ERR_DB, "ledger: %s: %s", what, sqlite3_errmsg(l->db));
}

int ledger_open(const char *path, struct ledger **out, struct err *e)
{
    struct ledger *l = xcalloc(1, sizeof(*l));
    int fd;
    int rc;

    *out = NULL;
    /* Create the file owner-only before SQLite opens it: it holds
     * personal data. SQLite's -wal and -shm files inherit the mode. */
    fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd < 0) {
        free(l);
        return err_set(e, ERR_IO, "cannot open ledger '%s'", path);
    }
    close(fd);
    if (sqlite3_open(path, &l->db) != SQLITE_OK) {
        rc = db_fail(l, e, "open");
        goto fail;
    }
    sqlite3_busy_timeout(l->db, 5000);
    if (sqlite3_exec(l->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(l, e, "schema");
        goto fail;
    }
    *out = l;
    return 0;
fail:
    sqlite3_close(l->db);
    free(l);
    return rc;
}

void ledger_close(struct ledger *l)
{
    if (!l)
        return;
    sqlite3_close(l->db);
    free(l);
}

struct sqlite3 *ledger_db(struct ledger *l)
{
    return l->db;
}

static int exec_simple(struct ledger *l, const char *sql, struct err *e)
{
    if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(l, e, sql);
    return 0;
}

int ledger_begin(struct ledger *l, struct err *e)
{
    return exec_simple(l, "BEGIN IMMEDIATE", e);
}

int ledger_commit(struct ledger *l, struct err *e)
{
    return exec_simple(l, "COMMIT", e);
}

int ledger_rollback_tx(struct ledger *l)
{
    return sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK
               ? 0
               : ERR_DB;
}

static int prep(struct ledger *l, sqlite3_stmt **st, const char *sql,
                struct err *e)
{
    if (sqlite3_prepare_v2(l->db, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(l, e, "prepare");
    return 0;
}

static int step_done(struct ledger *l, sqlite3_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st);

    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(l, e, "write");
    return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

int ledger_run_start(struct ledger *l, const char *command, int64_t *run_id,
                     struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "INSERT INTO runs(command, started_at, status)"
                   " VALUES(?, ?, 'running')",
                   e)))
        return rc;
    bind_text(st, 1, command);
    sqlite3_bind_int64(st, 2, clock_wall_ms());
    if ((rc = step_done(l, st, e)))
        return rc;
    *run_id = sqlite3_last_insert_rowid(l->db);
    return 0;
}

int ledger_run_finish(struct ledger *l, int64_t run_id, const char *status,
                      struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
                   e)))
        return rc;
    sqlite3_bind_int64(st, 1, clock_wall_ms());
    bind_text(st, 2, status);
    sqlite3_bind_int64(st, 3, run_id);
    return step_done(l, st, e);
}

int ledger_phase_set(struct ledger *l, const char *phase, const char *status,
                     struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "INSERT OR REPLACE INTO phases(name, status, updated_at)"
                   " VALUES(?, ?, ?)",
                   e)))
        return rc;
    bind_text(st, 1, phase);
    bind_text(st, 2, status);
    sqlite3_bind_int64(st, 3, clock_wall_ms());
    return step_done(l, st, e);
}

int ledger_phase_get(struct ledger *l, const char *phase, char *status,
                     size_t size, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    status[0] = '\0';
    if ((rc = prep(l, &st, "SELECT status FROM phases WHERE name = ?", e)))
        return rc;
    bind_text(st, 1, phase);
    if (sqlite3_step(st) == SQLITE_ROW)
        copy_col(st, 0, status, size);
    sqlite3_finalize(st);
    return 0;
}

int ledger_record_get(struct ledger *l, const char *object,
                      const char *source_id, struct ledger_record *rec,
                      struct err *e)
{
    sqlite3_stmt *st;
    int rc;
    int found = 0;

    if ((rc = prep(l, &st,
                   "SELECT hubspot_id, state, existed_before, hash,"
                   " merged_into FROM records WHERE object = ? AND"
                   " source_id = ?",
                   e)))
        return rc;
    bind_text(st, 1, object);
    bind_text(st, 2, source_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        memset(rec, 0, sizeof(*rec));
        snprintf(rec->object, sizeof(rec->object), "%s", object);
        snprintf(rec->source_id, sizeof(rec->source_id), "%s", source_id);
        copy_col(st, 0, rec->hubspot_id, sizeof(rec->hubspot_id));
        rec->state = sqlite3_column_int(st, 1);
        rec->existed_before = sqlite3_column_int(st, 2);
        copy_col(st, 3, rec->hash, sizeof(rec->hash));
        copy_col(st, 4, rec->merged_into, sizeof(rec->merged_into));
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

int ledger_record_put(struct ledger *l, const struct ledger_record *rec,
                      const char *file, long line, int64_t run_id,
                      struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "INSERT OR REPLACE INTO records(object, source_id,"
                   " source_file, source_line, hubspot_id, state,"
                   " existed_before, hash, merged_into, run_id, updated_at)"
                   " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   e)))
        return rc;
    bind_text(st, 1, rec->object);
    bind_text(st, 2, rec->source_id);
    bind_text(st, 3, file);
    sqlite3_bind_int64(st, 4, line);
    bind_text(st, 5, rec->hubspot_id[0] ? rec->hubspot_id : NULL);
    sqlite3_bind_int(st, 6, rec->state);
    sqlite3_bind_int(st, 7, rec->existed_before);
    bind_text(st, 8, rec->hash[0] ? rec->hash : NULL);
    bind_text(st, 9, rec->merged_into[0] ? rec->merged_into : NULL);
    sqlite3_bind_int64(st, 10, run_id);
    sqlite3_bind_int64(st, 11, clock_wall_ms());
    return step_done(l, st, e);
}

int ledger_resolve(struct ledger *l, const char *object, const char *source_id,
                   char *hubspot_id, struct err *e)
{
    struct ledger_record rec;
    int rc;

    hubspot_id[0] = '\0';
    rc = ledger_record_get(l, object, source_id, &rec, e);
    if (rc <= 0)
        return rc;
    if (rec.state == LEDGER_MERGED && rec.merged_into[0]) {
        rc = ledger_record_get(l, object, rec.merged_into, &rec, e);
        if (rc <= 0)
            return rc;
    }
    if (rec.state != LEDGER_CREATED && rec.state != LEDGER_EXISTED)
        return 0;
    if (!rec.hubspot_id[0])
        return 0;
    snprintf(hubspot_id, 32, "%s", rec.hubspot_id);
    return 1;
}

int ledger_preimage_put(struct ledger *l, int64_t run_id, const char *object,
                        const char *hubspot_id, const char *property,
                        const char *old_value, const char *new_value,
                        struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "INSERT OR IGNORE INTO preimages(run_id, object,"
                   " hubspot_id, property, old_value, new_value)"
                   " VALUES(?, ?, ?, ?, ?, ?)",
                   e)))
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, object);
    bind_text(st, 3, hubspot_id);
    bind_text(st, 4, property);
    bind_text(st, 5, old_value);
    bind_text(st, 6, new_value);
    return step_done(l, st, e);
}

int ledger_assoc_known(struct ledger *l, const char *from_object,
                       const char *from_id, const char *to_object,
                       const char *to_id, int type_id, struct err *e)
{
    sqlite3_stmt *st;
    int rc;
    int found;

    if ((rc = prep(l, &st,
                   "SELECT 1 FROM associations WHERE from_object = ? AND"
                   " from_id = ? AND to_object = ? AND to_id = ? AND"
                   " type_id = ?",
                   e)))
        return rc;
    bind_text(st, 1, from_object);
    bind_text(st, 2, from_id);
    bind_text(st, 3, to_object);
    bind_text(st, 4, to_id);
    sqlite3_bind_int(st, 5, type_id);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

int ledger_assoc_put(struct ledger *l, int64_t run_id, const char *from_object,
                     const char *from_id, const char *to_object,
                     const char *to_id, int type_id, int created, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "INSERT OR IGNORE INTO associations(run_id, from_object,"
                   " from_id, to_object, to_id, type_id, created)"
                   " VALUES(?, ?, ?, ?, ?, ?, ?)",
                   e)))
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, from_object);
    bind_text(st, 3, from_id);
    bind_text(st, 4, to_object);
    bind_text(st, 5, to_id);
    sqlite3_bind_int(st, 6, type_id);
    sqlite3_bind_int(st, 7, created);
    return step_done(l, st, e);
}

int ledger_problem_add(struct ledger *l, int64_t run_id,
                       const struct ledger_problem *p, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "INSERT OR REPLACE INTO problems(run_id, object,"
                   " source_file, source_line, source_id, phase, field,"
                   " value, category, message)"
                   " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   e)))
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, p->object);
    bind_text(st, 3, p->file);
    sqlite3_bind_int64(st, 4, p->line);
    bind_text(st, 5, p->source_id ? p->source_id : "");
    bind_text(st, 6, p->phase);
    bind_text(st, 7, p->field ? p->field : "");
    bind_text(st, 8, p->value);
    bind_text(st, 9, p->category);
    bind_text(st, 10, p->message);
    return step_done(l, st, e);
}

int ledger_problem_clear(struct ledger *l, const char *object,
                         const char *source_id, const char *phase,
                         struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "DELETE FROM problems WHERE object = ? AND"
                   " source_id = ? AND phase = ?",
                   e)))
        return rc;
    bind_text(st, 1, object);
    bind_text(st, 2, source_id);
    bind_text(st, 3, phase);
    return step_done(l, st, e);
}

int ledger_problem_clear_field(struct ledger *l, const char *object,
                               const char *source_id, const char *phase,
                               const char *field, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = prep(l, &st,
                   "DELETE FROM problems WHERE object = ? AND"
                   " source_id = ? AND phase = ? AND field = ?",
                   e)))
        return rc;
    bind_text(st, 1, object);
    bind_text(st, 2, source_id);
    bind_text(st, 3, phase);
    bind_text(st, 4, field);
    return step_done(l, st, e);
}

int ledger_email_reset(struct ledger *l, struct err *e)
{
    return exec_simple(l, "DELETE FROM emails", e);
}

int ledger_email_claim(struct ledger *l, const char *email,
                       const char *source_id, char *primary, struct err *e)
{
    sqlite3_stmt *st;
    int rc;
    int found = 0;

    primary[0] = '\0';
    if ((rc = prep(l, &st, "SELECT source_id FROM emails WHERE email = ?", e)))
        return rc;
    bind_text(st, 1, email);
    if (sqlite3_step(st) == SQLITE_ROW) {
        copy_col(st, 0, primary, 64);
        found = 1;
    }
    sqlite3_finalize(st);
    if (found)
        return 1;
    if ((rc = prep(l, &st, "INSERT INTO emails(email, source_id) VALUES(?, ?)",
                   e)))
        return rc;
    bind_text(st, 1, email);
    bind_text(st, 2, source_id);
    return step_done(l, st, e);
}

int ledger_count_records(struct ledger *l, const char *object,
                         struct ledger_counts *c, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    memset(c, 0, sizeof(*c));
    if ((rc = prep(l, &st,
                   "SELECT state, count(*) FROM records WHERE object = ?"
                   " GROUP BY state",
                   e)))
        return rc;
    bind_text(st, 1, object);
    while (sqlite3_step(st) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(st, 1);

        switch (sqlite3_column_int(st, 0)) {
        case LEDGER_CREATED:
            c->created = n;
            break;
        case LEDGER_EXISTED:
            c->existed = n;
            break;
        case LEDGER_REJECTED:
            c->rejected = n;
            break;
        case LEDGER_MERGED:
            c->merged = n;
            break;
        default:
            c->pending = n;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

int ledger_count_assocs(struct ledger *l, const char *from_object,
                        const char *to_object, long *created, long *existed,
                        struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    *created = 0;
    *existed = 0;
    if ((rc = prep(l, &st,
                   "SELECT created, count(*) FROM associations WHERE"
                   " from_object = ? AND to_object = ? AND removed = 0"
                   " GROUP BY created",
                   e)))
        return rc;
    bind_text(st, 1, from_object);
    bind_text(st, 2, to_object);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_int(st, 0))
            *created = (long)sqlite3_column_int64(st, 1);
        else
            *existed = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

int ledger_count_problems(struct ledger *l, const char *object,
                          const char *phase, long *n, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    *n = 0;
    if ((rc = prep(l, &st,
                   "SELECT count(*) FROM problems WHERE object = ? AND"
                   " phase = ?",
                   e)))
        return rc;
    bind_text(st, 1, object);
    bind_text(st, 2, phase);
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

int ledger_assoc_other(struct ledger *l, const char *from_object,
                       const char *from_id, int type_id, const char *to_id,
                       struct err *e)
{
    sqlite3_stmt *st;
    int rc;
    int found;

    if ((rc = prep(l, &st,
                   "SELECT 1 FROM associations WHERE from_object = ? AND"
                   " from_id = ? AND type_id = ? AND to_id <> ? AND"
                   " removed = 0 LIMIT 1",
                   e)))
        return rc;
    bind_text(st, 1, from_object);
    bind_text(st, 2, from_id);
    sqlite3_bind_int(st, 3, type_id);
    bind_text(st, 4, to_id);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}
