/* store.c: opens the sandbox's SQLite store and creates its schema. */
#include "sandbox/store.h"

#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

#include "core/err.h"
#include "sandbox/sb.h"

static const char schema_sql[] =
    "PRAGMA foreign_keys = OFF;"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS property_groups("
    " object_type TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL,"
    " display_order INTEGER NOT NULL DEFAULT -1,"
    " archived INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(object_type, name));"
    "CREATE TABLE IF NOT EXISTS properties("
    " object_type TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL,"
    " type TEXT NOT NULL, field_type TEXT NOT NULL,"
    " group_name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " options TEXT NOT NULL DEFAULT '[]',"
    " display_order INTEGER NOT NULL DEFAULT -1,"
    " has_unique_value INTEGER NOT NULL DEFAULT 0,"
    " hubspot_defined INTEGER NOT NULL DEFAULT 0,"
    " calculated INTEGER NOT NULL DEFAULT 0,"
    " read_only_value INTEGER NOT NULL DEFAULT 0,"
    " read_only_definition INTEGER NOT NULL DEFAULT 0,"
    " hidden INTEGER NOT NULL DEFAULT 0,"
    " form_field INTEGER NOT NULL DEFAULT 0,"
    " archived INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " PRIMARY KEY(object_type, name));"
    "CREATE TABLE IF NOT EXISTS objects("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, object_type TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " archived INTEGER NOT NULL DEFAULT 0, archived_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS objects_type ON objects(object_type, id);"
    "CREATE TABLE IF NOT EXISTS unchecked_objects("
    " object_id INTEGER PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS object_values("
    " object_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(object_id, name));"
    "CREATE INDEX IF NOT EXISTS object_values_lookup"
    " ON object_values(name, value);"
    "CREATE TABLE IF NOT EXISTS associations("
    " from_type TEXT NOT NULL, from_id INTEGER NOT NULL,"
    " to_type TEXT NOT NULL, to_id INTEGER NOT NULL,"
    " category TEXT NOT NULL, type_id INTEGER NOT NULL,"
    " PRIMARY KEY(from_type, from_id, to_type, to_id, category, type_id));"
    "CREATE INDEX IF NOT EXISTS associations_to"
    " ON associations(to_type, to_id);"
    "CREATE TABLE IF NOT EXISTS owners("
    " id TEXT PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT,"
    " user_id INTEGER, type TEXT NOT NULL DEFAULT 'PERSON',"
    " teams TEXT NOT NULL DEFAULT '[]',"
    " archived INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS pipelines("
    " object_type TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL,"
    " display_order INTEGER NOT NULL DEFAULT 0,"
    " archived INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " PRIMARY KEY(object_type, id));"
    "CREATE TABLE IF NOT EXISTS pipeline_stages("
    " object_type TEXT NOT NULL, pipeline_id TEXT NOT NULL,"
    " id TEXT NOT NULL, label TEXT NOT NULL,"
    " display_order INTEGER NOT NULL DEFAULT 0,"
    " metadata TEXT NOT NULL DEFAULT '{}',"
    " archived INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " PRIMARY KEY(object_type, pipeline_id, id));"
    "CREATE TABLE IF NOT EXISTS merges("
    " object_type TEXT NOT NULL, merged_id INTEGER NOT NULL,"
    " survivor_id INTEGER NOT NULL, merged_at INTEGER NOT NULL,"
    " PRIMARY KEY(object_type, merged_id));"
    "CREATE TABLE IF NOT EXISTS request_log("
    " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, method TEXT NOT NULL,"
    " path TEXT NOT NULL, endpoint TEXT NOT NULL, status INTEGER NOT NULL,"
    " dropped INTEGER NOT NULL DEFAULT 0);";

static const char clear_sql[] =
    "DELETE FROM meta; DELETE FROM property_groups; DELETE FROM properties;"
    "DELETE FROM objects; DELETE FROM object_values;"
    "DELETE FROM unchecked_objects;"
    "DELETE FROM associations; DELETE FROM owners; DELETE FROM pipelines;"
    "DELETE FROM pipeline_stages; DELETE FROM merges;"
    "DELETE FROM request_log; DELETE FROM sqlite_sequence;";

static int exec_all(sqlite3 *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        err_set(e, ERR_DB, "sandbox store: %s", msg ? msg : "failure");
        sqlite3_free(msg);
        return ERR_DB;
    }
    return 0;
}

int sb_store_open(const char *path, sqlite3 **out, struct err *e)
{
    sqlite3 *db = NULL;
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    int rc;

    /* Owner-only before SQLite creates it: the portal's records are
     * personal data. The -wal and -shm files inherit the mode. */
    if (path && (rc = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0)
        close(rc);
    rc = sqlite3_open_v2(path ? path : ":memory:", &db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(e, ERR_DB, "cannot open sandbox store '%s': %s",
                     path ? path : ":memory:", sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    if (path && (rc = exec_all(db,
                               "PRAGMA journal_mode=WAL;"
                               "PRAGMA synchronous=NORMAL;",
                               e)) < 0)
        goto out;
    if ((rc = exec_all(db, schema_sql, e)) < 0)
        goto out;
    *out = db;
    db = NULL;
out:
    sqlite3_close(db);
    return rc < 0 ? rc : 0;
}

void sb_store_close(sqlite3 *db)
{
    if (db)
        sb_stmt_forget(db);
    sqlite3_close(db);
}

int sb_store_clear(sqlite3 *db, struct err *e)
{
    return exec_all(db, clear_sql, e);
}

int sb_store_seeded(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int seeded = 0;

    if (sb_stmt_prepare(db, "SELECT 1 FROM meta WHERE key = 'seeded'", &st) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        seeded = 1;
    sb_stmt_release(st);
    return seeded;
}

int sb_store_mark_seeded(sqlite3 *db, struct err *e)
{
    return exec_all(db, "INSERT OR REPLACE INTO meta VALUES('seeded', '1')", e);
}
