#include "store/ledger.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Prepared statements kept for reuse, by the address of their SQL
 * text (every query here is a string constant). */
#define LEDGER_STMT_CACHE 64

struct ledger_stmt {
    const char *sql;
    sqlite3_stmt *st;
};

struct ledger {
    sqlite3 *db;
    struct ledger_stmt cache[LEDGER_STMT_CACHE];
};

/* The layout this code writes. Version 1 is the unversioned layout
 * before it (pre-images one per record and property, whatever the run);
 * ledger_open moves an older ledger forward in one transaction. */
#define LEDGER_SCHEMA 2
#define STR_(x) #x
#define STR(x) STR_(x)

static const char *const pragmas_sql = "PRAGMA journal_mode=WAL;"
                                       "PRAGMA synchronous=NORMAL;"
                                       "PRAGMA cache_size=-16384;";

static const char *const schema_sql =
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
    " PRIMARY KEY(run_id, object, hubspot_id, property));"
    "CREATE INDEX IF NOT EXISTS preimages_rec ON preimages(object,"
    " hubspot_id);"
    "CREATE TABLE IF NOT EXISTS associations(run_id INTEGER,"
    " from_object TEXT, from_id TEXT, to_object TEXT, to_id TEXT,"
    " type_id INTEGER, created INTEGER, removed INTEGER DEFAULT 0,"
    " PRIMARY KEY(from_object, from_id, to_object, to_id, type_id));"
    "CREATE TABLE IF NOT EXISTS problems(run_id INTEGER, object TEXT,"
    " source_file TEXT, source_line INTEGER, source_id TEXT, phase TEXT,"
    " field TEXT, value TEXT, category TEXT, message TEXT,"
    " PRIMARY KEY(object, source_id, phase, field, source_line));"
    "CREATE TABLE IF NOT EXISTS emails(email TEXT PRIMARY KEY,"
    " source_id TEXT);"
    "CREATE TABLE IF NOT EXISTS rollback_items(rollback_id INTEGER,"
    " object TEXT, hubspot_id TEXT, source_id TEXT, action TEXT,"
    " property TEXT, value TEXT, outcome TEXT, detail TEXT, at INTEGER,"
    " run_id INTEGER);"
    "CREATE TABLE IF NOT EXISTS run_rollbacks(rollback_id INTEGER,"
    " run_id INTEGER, object TEXT, started_at INTEGER,"
    " finished_at INTEGER, status TEXT,"
    " PRIMARY KEY(rollback_id, run_id));";

/* Version 1 to 2: pre-images keyed by run as well. */
static const char *const upgrade_1_sql =
    "ALTER TABLE preimages RENAME TO preimages_v1;"
    "CREATE TABLE preimages(run_id INTEGER, object TEXT,"
    " hubspot_id TEXT, property TEXT, old_value TEXT, new_value TEXT,"
    " restored INTEGER DEFAULT 0,"
    " PRIMARY KEY(run_id, object, hubspot_id, property));"
    "INSERT INTO preimages SELECT run_id, object, hubspot_id, property,"
    " old_value, new_value, restored FROM preimages_v1;"
    "DROP TABLE preimages_v1;";

static int db_fail(struct ledger *l, struct err *e, const char *what)
{
    return err_set(e, ERR_DB, "ledger: %s: %s", what, sqlite3_errmsg(l->db));
}

static int exec_simple(struct ledger *l, const char *sql, struct err *e)
{
    if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(l, e, sql);
    return 0;
}

static int query_int(struct ledger *l, const char *sql)
{
    sqlite3_stmt *st;
    int v = 0;

    if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Moves a version 1 ledger to version 2; rollback lines written before
 * name no run (NULL). */
static int upgrade_1(struct ledger *l)
{
    if (sqlite3_exec(l->db, upgrade_1_sql, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    if (query_int(l, "SELECT count(*) FROM sqlite_master WHERE"
                     " name = 'rollback_items'") > 0 &&
        query_int(l, "SELECT count(*) FROM pragma_table_info("
                     "'rollback_items') WHERE name = 'run_id'") == 0 &&
        sqlite3_exec(l->db,
                     "ALTER TABLE rollback_items ADD COLUMN run_id INTEGER",
                     NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

/* Creates the tables of a new ledger, or brings an older one up to
 * LEDGER_SCHEMA, in one transaction. */
static int schema_update(struct ledger *l, const char *path, struct err *e)
{
    int version;

    if (exec_simple(l, "BEGIN IMMEDIATE", e))
        return e->code;
    version = query_int(l, "PRAGMA user_version");
    if (version == 0 && query_int(l, "SELECT count(*) FROM sqlite_master"
                                     " WHERE name = 'preimages'") > 0)
        version = 1;
    if (version > LEDGER_SCHEMA) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return err_set(e, ERR_DB,
                       "ledger '%s' has layout %d, newer than this "
                       "hsmigrate reads (%d); use a newer hsmigrate",
                       path, version, LEDGER_SCHEMA);
    }
    if ((version == 1 && upgrade_1(l)) ||
        sqlite3_exec(l->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(l->db, "PRAGMA user_version = " STR(LEDGER_SCHEMA), NULL,
                     NULL, NULL) != SQLITE_OK) {
        db_fail(l, e, "schema");
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return e->code;
    }
    return exec_simple(l, "COMMIT", e);
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
    if (sqlite3_exec(l->db, pragmas_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(l, e, "schema");
        goto fail;
    }
    if ((rc = schema_update(l, path, e)))
        goto fail;
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
    for (size_t i = 0; i < LEDGER_STMT_CACHE; i++)
        sqlite3_finalize(l->cache[i].st);
    sqlite3_close(l->db);
    free(l);
}

struct sqlite3 *ledger_db(struct ledger *l)
{
    return l->db;
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

/* One parameter of a statement: text (NULL binds SQL NULL) or an
 * integer. */
struct bind {
    const char *text;
    int64_t num;
    int is_num;
};

struct binds {
    const struct bind *v;
    size_t n;
};

#define TXT(s) ((struct bind){(s), 0, 0})
#define NUM(x) ((struct bind){NULL, (int64_t)(x), 1})
/* A statement's parameters in order: BIND(TXT(object), NUM(run_id)). */
#define BIND(...)                                                              \
    ((struct binds){(const struct bind[]){__VA_ARGS__},                        \
                    sizeof((const struct bind[]){__VA_ARGS__}) /               \
                        sizeof(struct bind)})

static struct ledger_stmt *cache_slot(struct ledger *l, const char *sql)
{
    return &l->cache[((uintptr_t)sql >> 3) % LEDGER_STMT_CACHE];
}

/* The statement for sql, from the cache (taken out while in use, so a
 * nested use prepares its own) or prepared, with b bound. */
static int prepare(struct ledger *l, sqlite3_stmt **st, const char *sql,
                   struct binds b, struct err *e)
{
    struct ledger_stmt *c = cache_slot(l, sql);

    if (c->st && c->sql == sql && !strcmp(sqlite3_sql(c->st), sql)) {
        *st = c->st;
        c->st = NULL;
    } else if (sqlite3_prepare_v2(l->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return db_fail(l, e, "prepare");
    }
    for (size_t i = 0; i < b.n; i++) {
        int col = (int)i + 1;

        if (b.v[i].is_num)
            sqlite3_bind_int64(*st, col, b.v[i].num);
        else if (b.v[i].text)
            sqlite3_bind_text(*st, col, b.v[i].text, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(*st, col);
    }
    return 0;
}

/* Done with a statement prepare gave: back into the cache. */
static void release(struct ledger *l, const char *sql, sqlite3_stmt *st)
{
    struct ledger_stmt *c = cache_slot(l, sql);

    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (c->st)
        sqlite3_finalize(c->st);
    c->sql = sql;
    c->st = st;
}

/* 1 with a row to read, 0 at the end, or an error. */
static int next_row(struct ledger *l, sqlite3_stmt *st, struct err *e)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(l, e, "step");
}

/* Runs a statement whose rows, if any, nobody reads. */
static int exec(struct ledger *l, const char *sql, struct binds b,
                struct err *e)
{
    sqlite3_stmt *st;
    int rc = prepare(l, &st, sql, b, e);

    if (!rc && (rc = next_row(l, st, e)) > 0)
        rc = 0;
    release(l, sql, st);
    return rc;
}

/* 1 when the query returns a row, 0 when not, or an error. */
static int exists(struct ledger *l, const char *sql, struct binds b,
                  struct err *e)
{
    sqlite3_stmt *st;
    int rc = prepare(l, &st, sql, b, e);

    if (!rc)
        rc = next_row(l, st, e);
    release(l, sql, st);
    return rc;
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

/* The first column of the first row into dst ("" when none): 1 when
 * there was a row, 0 when not, or an error. */
static int query_text(struct ledger *l, const char *sql, struct binds b,
                      char *dst, size_t size, struct err *e)
{
    sqlite3_stmt *st;
    int rc = prepare(l, &st, sql, b, e);

    dst[0] = '\0';
    if (!rc && (rc = next_row(l, st, e)) > 0)
        copy_col(st, 0, dst, size);
    release(l, sql, st);
    return rc;
}

/* Reads (key, count) rows of a GROUP BY query into counts[key], for keys
 * 0 to nkeys - 1; a key out of range counts at other_key. */
static int query_counts(struct ledger *l, const char *sql, struct binds b,
                        long *counts, int nkeys, int other_key, struct err *e)
{
    sqlite3_stmt *st;
    int rc = prepare(l, &st, sql, b, e);

    memset(counts, 0, sizeof(*counts) * (size_t)nkeys);
    while (!rc && (rc = next_row(l, st, e)) > 0) {
        int key = sqlite3_column_int(st, 0);

        if (key < 0 || key >= nkeys)
            key = other_key;
        counts[key] = (long)sqlite3_column_int64(st, 1);
        rc = 0;
    }
    release(l, sql, st);
    return rc;
}

int ledger_run_start(struct ledger *l, const char *command, int64_t *run_id,
                     struct err *e)
{
    int rc = exec(l,
                  "INSERT INTO runs(command, started_at, status)"
                  " VALUES(?, ?, 'running')",
                  BIND(TXT(command), NUM(clock_wall_ms())), e);

    if (!rc)
        *run_id = sqlite3_last_insert_rowid(l->db);
    return rc;
}

int ledger_run_finish(struct ledger *l, int64_t run_id, const char *status,
                      struct err *e)
{
    return exec(l, "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
                BIND(NUM(clock_wall_ms()), TXT(status), NUM(run_id)), e);
}

int ledger_phase_set(struct ledger *l, const char *phase, const char *status,
                     struct err *e)
{
    return exec(l,
                "INSERT OR REPLACE INTO phases(name, status, updated_at)"
                " VALUES(?, ?, ?)",
                BIND(TXT(phase), TXT(status), NUM(clock_wall_ms())), e);
}

int ledger_phases_reset(struct ledger *l, struct err *e)
{
    return exec(l, "UPDATE phases SET status = 'pending', updated_at = ?",
                BIND(NUM(clock_wall_ms())), e);
}

int ledger_phases_settle(struct ledger *l, const char *status, struct err *e)
{
    return exec(l,
                "UPDATE phases SET status = ?, updated_at = ? WHERE"
                " status = 'running'",
                BIND(TXT(status), NUM(clock_wall_ms())), e);
}

int ledger_phase_get(struct ledger *l, const char *phase, char *status,
                     size_t size, struct err *e)
{
    int rc = query_text(l, "SELECT status FROM phases WHERE name = ?",
                        BIND(TXT(phase)), status, size, e);

    return rc < 0 ? rc : 0;
}

int ledger_record_get(struct ledger *l, const char *object,
                      const char *source_id, struct ledger_record *rec,
                      struct err *e)
{
    static const char *const sql =
        "SELECT hubspot_id, state, existed_before, hash, merged_into FROM"
        " records WHERE object = ? AND source_id = ?";
    sqlite3_stmt *st;
    int rc = prepare(l, &st, sql, BIND(TXT(object), TXT(source_id)), e);

    if (!rc && (rc = next_row(l, st, e)) > 0) {
        memset(rec, 0, sizeof(*rec));
        snprintf(rec->object, sizeof(rec->object), "%s", object);
        snprintf(rec->source_id, sizeof(rec->source_id), "%s", source_id);
        copy_col(st, 0, rec->hubspot_id, sizeof(rec->hubspot_id));
        rec->state = sqlite3_column_int(st, 1);
        rec->existed_before = sqlite3_column_int(st, 2);
        copy_col(st, 3, rec->hash, sizeof(rec->hash));
        copy_col(st, 4, rec->merged_into, sizeof(rec->merged_into));
    }
    release(l, sql, st);
    return rc;
}

/* NULL for an empty fixed-size field, so the column holds NULL. */
static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

/* A row whose run created a record and that a later run folds into
 * another row (the other row now holds the email, and found the record
 * by it) keeps its record, its run and the fact that a run created it,
 * so rollback still archives that record with that run. */
#define KEEPS_CREATED                                                          \
    "(excluded.state = 4 AND records.existed_before = 0 AND"                   \
    " records.state IN (1, 3, 4) AND coalesce(records.hubspot_id, '') <> '')"
/* A row rejected or folded again the same way stays the earlier run's,
 * so a rerun that changes nothing leaves nothing to roll back. */
#define SAME_OUTCOME                                                           \
    "(records.state IN (3, 4) AND excluded.state = records.state AND"          \
    " coalesce(records.merged_into, '') = coalesce(excluded.merged_into, ''))"

/* A row rejected by a later run (a config change, a value HubSpot now
 * refuses) whose record an earlier run created, found or was writing
 * keeps that record, its state and its run: the record is still in the
 * portal, and rollback, verify and the links must still find it. Its
 * digest is cleared so the next run sends its values again; the
 * rejection itself is in problems. */
#define KEEPS_RECORD                                                           \
    "(excluded.state = 3 AND (records.state = 0 OR (records.state IN (1, 2)"   \
    " AND coalesce(records.hubspot_id, '') <> '')))"

int ledger_record_put(struct ledger *l, const struct ledger_record *rec,
                      const char *file, long line, int64_t run_id,
                      struct err *e)
{
    /* The row stays the run's that created (or first found) its record
     * while later runs write to the same HubSpot record (KEEPS_CREATED
     * for a row folded into another since, KEEPS_RECORD for one a later
     * run rejected), or that rejected or folded it (SAME_OUTCOME). */
    return exec(l,
                "INSERT INTO records(object, source_id,"
                " source_file, source_line, hubspot_id, state,"
                " existed_before, hash, merged_into, run_id, updated_at)"
                " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(object, source_id) DO UPDATE SET"
                " source_file = excluded.source_file,"
                " source_line = excluded.source_line,"
                " hubspot_id = CASE WHEN " KEEPS_CREATED " OR " KEEPS_RECORD
                " THEN records.hubspot_id ELSE excluded.hubspot_id END,"
                " state = CASE WHEN " KEEPS_RECORD
                " THEN records.state ELSE excluded.state END,"
                " existed_before = CASE WHEN " KEEPS_CREATED
                " THEN 0 WHEN " KEEPS_RECORD " THEN records.existed_before"
                " ELSE excluded.existed_before END,"
                " hash = excluded.hash, merged_into = CASE WHEN " KEEPS_RECORD
                " THEN records.merged_into ELSE excluded.merged_into END,"
                " updated_at = excluded.updated_at,"
                " run_id = CASE WHEN " KEEPS_CREATED " OR " KEEPS_RECORD
                " OR (records.state IN"
                " (1, 2, 3) AND coalesce(records.hubspot_id, '') <> '' AND"
                " records.hubspot_id = excluded.hubspot_id AND"
                " excluded.state IN (1, 2, 3)) OR " SAME_OUTCOME
                " THEN records.run_id ELSE excluded.run_id END",
                BIND(TXT(rec->object), TXT(rec->source_id), TXT(file),
                     NUM(line), TXT(or_null(rec->hubspot_id)), NUM(rec->state),
                     NUM(rec->existed_before), TXT(or_null(rec->hash)),
                     TXT(or_null(rec->merged_into)), NUM(run_id),
                     NUM(clock_wall_ms())),
                e);
}
int ledger_resolve(struct ledger *l, const char *object, const char *source_id,
                   char *hubspot_id, struct err *e)
{
    return ledger_resolve_created(l, object, source_id, hubspot_id, NULL, NULL,
                                  e);
}

int ledger_resolve_created(struct ledger *l, const char *object,
                           const char *source_id, char *hubspot_id,
                           int *created, int *existed, struct err *e)
{
    struct ledger_record rec;
    int rc;

    hubspot_id[0] = '\0';
    if (created)
        *created = 0;
    if (existed)
        *existed = 0;
    rc = ledger_record_get(l, object, source_id, &rec, e);
    if (rc <= 0)
        return rc;
    if (created)
        *created = rec.state == LEDGER_CREATED;
    if (rec.state == LEDGER_MERGED && rec.merged_into[0]) {
        rc = ledger_record_get(l, object, rec.merged_into, &rec, e);
        if (rc <= 0)
            return rc;
    }
    if (rec.state != LEDGER_CREATED && rec.state != LEDGER_EXISTED)
        return 0;
    if (!rec.hubspot_id[0])
        return 0;
    if (existed)
        *existed = rec.state == LEDGER_EXISTED;
    snprintf(hubspot_id, 32, "%s", rec.hubspot_id);
    return 1;
}

int ledger_preimage_put(struct ledger *l, int64_t run_id, const char *object,
                        const char *hubspot_id, const char *property,
                        const char *old_value, const char *new_value,
                        struct err *e)
{
    return exec(l,
                "INSERT OR IGNORE INTO preimages(run_id, object,"
                " hubspot_id, property, old_value, new_value)"
                " VALUES(?, ?, ?, ?, ?, ?)",
                BIND(NUM(run_id), TXT(object), TXT(hubspot_id), TXT(property),
                     TXT(old_value), TXT(new_value)),
                e);
}

int ledger_assoc_known(struct ledger *l, const char *from_object,
                       const char *from_id, const char *to_object,
                       const char *to_id, int type_id, struct err *e)
{
    return exists(l,
                  "SELECT 1 FROM associations WHERE from_object = ? AND"
                  " from_id = ? AND to_object = ? AND to_id = ? AND"
                  " type_id = ?",
                  BIND(TXT(from_object), TXT(from_id), TXT(to_object),
                       TXT(to_id), NUM(type_id)),
                  e);
}

int ledger_assoc_put(struct ledger *l, int64_t run_id, const char *from_object,
                     const char *from_id, const char *to_object,
                     const char *to_id, int type_id, int created, struct err *e)
{
    return exec(l,
                "INSERT OR IGNORE INTO associations(run_id, from_object,"
                " from_id, to_object, to_id, type_id, created)"
                " VALUES(?, ?, ?, ?, ?, ?, ?)",
                BIND(NUM(run_id), TXT(from_object), TXT(from_id),
                     TXT(to_object), TXT(to_id), NUM(type_id), NUM(created)),
                e);
}

int ledger_problem_add(struct ledger *l, int64_t run_id,
                       const struct ledger_problem *p, struct err *e)
{
    return exec(l,
                "INSERT OR REPLACE INTO problems(run_id, object,"
                " source_file, source_line, source_id, phase, field,"
                " value, category, message)"
                " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                BIND(NUM(run_id), TXT(p->object), TXT(p->file), NUM(p->line),
                     TXT(p->source_id ? p->source_id : ""), TXT(p->phase),
                     TXT(p->field ? p->field : ""), TXT(p->value),
                     TXT(p->category), TXT(p->message)),
                e);
}

int ledger_problem_clear(struct ledger *l, const char *object,
                         const char *source_id, const char *phase,
                         struct err *e)
{
    return exec(l,
                "DELETE FROM problems WHERE object = ? AND"
                " source_id = ? AND phase = ?",
                BIND(TXT(object), TXT(source_id), TXT(phase)), e);
}

int ledger_problem_clear_field(struct ledger *l, const char *object,
                               const char *source_id, const char *phase,
                               const char *field, struct err *e)
{
    return exec(l,
                "DELETE FROM problems WHERE object = ? AND"
                " source_id = ? AND phase = ? AND field = ?",
                BIND(TXT(object), TXT(source_id), TXT(phase), TXT(field)), e);
}

int ledger_email_reset(struct ledger *l, struct err *e)
{
    return exec_simple(l, "DELETE FROM emails", e);
}

int ledger_email_claim(struct ledger *l, const char *email,
                       const char *source_id, char *primary, struct err *e)
{
    int rc = query_text(l, "SELECT source_id FROM emails WHERE email = ?",
                        BIND(TXT(email)), primary, 64, e);

    if (rc)
        return rc;
    return exec(l, "INSERT INTO emails(email, source_id) VALUES(?, ?)",
                BIND(TXT(email), TXT(source_id)), e);
}

int ledger_count_records(struct ledger *l, const char *object,
                         struct ledger_counts *c, struct err *e)
{
    long n[LEDGER_MERGED + 1];
    int rc = query_counts(l,
                          "SELECT state, count(*) FROM records WHERE"
                          " object = ? GROUP BY state",
                          BIND(TXT(object)), n, LEDGER_MERGED + 1,
                          LEDGER_PENDING, e);

    c->created = n[LEDGER_CREATED];
    c->existed = n[LEDGER_EXISTED];
    c->rejected = n[LEDGER_REJECTED];
    c->merged = n[LEDGER_MERGED];
    c->pending = n[LEDGER_PENDING];
    return rc;
}

int ledger_count_assocs(struct ledger *l, const char *from_object,
                        const char *to_object, long *created, long *existed,
                        struct err *e)
{
    long n[2];
    int rc = query_counts(l,
                          "SELECT created != 0, count(*) FROM associations"
                          " WHERE from_object = ? AND to_object = ? AND"
                          " removed = 0 GROUP BY created != 0",
                          BIND(TXT(from_object), TXT(to_object)), n, 2, 0, e);

    *created = n[1];
    *existed = n[0];
    return rc;
}

int ledger_count_problems(struct ledger *l, const char *object,
                          const char *phase, long *n, struct err *e)
{
    static const char *const sql =
        "SELECT count(*) FROM problems WHERE object = ? AND phase = ?";
    sqlite3_stmt *st;
    int rc = prepare(l, &st, sql, BIND(TXT(object), TXT(phase)), e);

    *n = 0;
    if (!rc && (rc = next_row(l, st, e)) > 0) {
        *n = (long)sqlite3_column_int64(st, 0);
        rc = 0;
    }
    release(l, sql, st);
    return rc;
}

int ledger_assoc_other(struct ledger *l, const char *from_object,
                       const char *from_id, int type_id, const char *to_id,
                       struct err *e)
{
    return exists(
        l,
        "SELECT 1 FROM associations WHERE from_object = ? AND"
        " from_id = ? AND type_id = ? AND to_id <> ? AND"
        " removed = 0 LIMIT 1",
        BIND(TXT(from_object), TXT(from_id), NUM(type_id), TXT(to_id)), e);
}
