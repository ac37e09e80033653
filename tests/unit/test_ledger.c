/* Unit tests for store/ledger and config/project round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/project.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/ledger.h"

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/hsm-unit-XXXXXX";
    char *d = mkdtemp(tmpl);

    assert_non_null(d);
    return xstrdup(d);
}

static void rmtree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);

    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static void put(struct ledger *l, const char *sid, int state, const char *hs,
                const char *merged)
{
    struct ledger_record r = {0};
    struct err e = {0};

    snprintf(r.object, sizeof(r.object), "contacts");
    snprintf(r.source_id, sizeof(r.source_id), "%s", sid);
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "%s", hs ? hs : "");
    snprintf(r.merged_into, sizeof(r.merged_into), "%s", merged ? merged : "");
    r.state = state;
    assert_int_equal(ledger_record_put(l, &r, "Contact.csv", 2, 1, &e), 0);
}

static void test_records_resolve_and_merge(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/ledger.db", dir);
    struct ledger *l = NULL;
    struct err e = {0};
    char hs[32];
    struct stat st;

    (void)state;
    assert_int_equal(ledger_open(path, &l, &e), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    put(l, "A", LEDGER_CREATED, "101", NULL);
    put(l, "B", LEDGER_MERGED, NULL, "A");
    put(l, "C", LEDGER_REJECTED, NULL, NULL);
    assert_int_equal(ledger_resolve(l, "contacts", "A", hs, &e), 1);
    assert_string_equal(hs, "101");
    assert_int_equal(ledger_resolve(l, "contacts", "B", hs, &e), 1);
    assert_string_equal(hs, "101");
    assert_int_equal(ledger_resolve(l, "contacts", "C", hs, &e), 0);
    assert_int_equal(ledger_resolve(l, "contacts", "Z", hs, &e), 0);
    ledger_close(l);
    rmtree(dir);
    free(path);
    free(dir);
}

static struct ledger *open_fresh(char **dir)
{
    char *path;
    struct ledger *l = NULL;
    struct err e = {0};

    *dir = tmpdir();
    path = xasprintf("%s/ledger.db", *dir);
    if (ledger_open(path, &l, &e))
        fail_msg("open: %s", e.msg);
    free(path);
    return l;
}

static void close_fresh(struct ledger *l, char *dir)
{
    ledger_close(l);
    rmtree(dir);
    free(dir);
}

static int64_t scalar(struct ledger *l, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(ledger_db(l), sql, -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* "run:old>new ..." of a record's pre-images, by run. */
static const char *preimages(struct ledger *l, const char *id)
{
    static char out[256];
    sqlite3_stmt *st;
    size_t n = 0;

    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(ledger_db(l),
                                        "SELECT run_id, old_value, new_value"
                                        " FROM preimages WHERE hubspot_id = ?"
                                        " ORDER BY run_id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%lld:%s>%s",
                              n ? " " : "",
                              (long long)sqlite3_column_int64(st, 0),
                              (const char *)sqlite3_column_text(st, 1),
                              (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    return out;
}

static void test_preimage_keeps_first(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct err e = {0};

    (void)state;
    assert_int_equal(
        ledger_preimage_put(l, 1, "contacts", "7", "phone", "old", "new", &e),
        0);
    /* A retried batch would read the run's own value back. */
    assert_int_equal(
        ledger_preimage_put(l, 1, "contacts", "7", "phone", "new", "new", &e),
        0);
    /* A later run keeps a pre-image of its own. */
    assert_int_equal(
        ledger_preimage_put(l, 2, "contacts", "7", "phone", "new", "3rd", &e),
        0);
    assert_string_equal(preimages(l, "7"), "1:old>new 2:new>3rd");
    assert_int_equal(
        ledger_assoc_put(l, 1, "contacts", "7", "companies", "9", 1, 1, &e), 0);
    assert_int_equal(
        ledger_assoc_known(l, "contacts", "7", "companies", "9", 1, &e), 1);
    assert_int_equal(ledger_assoc_other(l, "contacts", "7", 1, "10", &e), 1);
    assert_int_equal(ledger_assoc_other(l, "contacts", "7", 1, "9", &e), 0);
    close_fresh(l, dir);
}

static void test_email_claims(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct err e = {0};
    char primary[64];

    (void)state;
    assert_int_equal(ledger_email_claim(l, "a@x.io", "S1", primary, &e), 0);
    assert_int_equal(ledger_email_claim(l, "a@x.io", "S2", primary, &e), 1);
    assert_string_equal(primary, "S1");
    assert_int_equal(ledger_email_reset(l, &e), 0);
    assert_int_equal(ledger_email_claim(l, "a@x.io", "S2", primary, &e), 0);
    close_fresh(l, dir);
}

static void test_runs_and_phases(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct err e = {0};
    int64_t first = 0, second = 0;
    char st[32];
    sqlite3_stmt *q;

    (void)state;
    assert_int_equal(ledger_run_start(l, "run", &first, &e), 0);
    assert_int_equal(ledger_run_start(l, "rollback", &second, &e), 0);
    assert_true(first > 0);
    assert_int_equal(second, first + 1);
    assert_int_equal(ledger_run_finish(l, first, "ok", &e), 0);
    assert_int_equal(sqlite3_prepare_v2(ledger_db(l),
                                        "SELECT command, status, finished_at"
                                        " IS NOT NULL FROM runs ORDER BY id",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "run");
    assert_string_equal((const char *)sqlite3_column_text(q, 1), "ok");
    assert_int_equal(sqlite3_column_int(q, 2), 1);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 1), "running");
    assert_int_equal(sqlite3_column_int(q, 2), 0);
    sqlite3_finalize(q);

    assert_int_equal(ledger_phase_get(l, "contacts", st, sizeof(st), &e), 0);
    assert_string_equal(st, "");
    assert_int_equal(ledger_phase_set(l, "contacts", "running", &e), 0);
    assert_int_equal(ledger_phase_set(l, "contacts", "done", &e), 0);
    assert_int_equal(ledger_phase_get(l, "contacts", st, sizeof(st), &e), 0);
    assert_string_equal(st, "done");
    close_fresh(l, dir);
}

static void test_record_round_trip_and_counts(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct ledger_record r = {0}, back;
    struct ledger_counts c;
    struct err e = {0};

    (void)state;
    snprintf(r.object, sizeof(r.object), "contacts");
    snprintf(r.source_id, sizeof(r.source_id), "S1");
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "501");
    snprintf(r.hash, sizeof(r.hash), "abc123");
    r.state = LEDGER_EXISTED;
    r.existed_before = 1;
    assert_int_equal(ledger_record_put(l, &r, "Contact.csv", 7, 3, &e), 0);
    assert_int_equal(ledger_record_get(l, "contacts", "S1", &back, &e), 1);
    assert_string_equal(back.object, "contacts");
    assert_string_equal(back.source_id, "S1");
    assert_string_equal(back.hubspot_id, "501");
    assert_string_equal(back.hash, "abc123");
    assert_string_equal(back.merged_into, "");
    assert_int_equal(back.state, LEDGER_EXISTED);
    assert_int_equal(back.existed_before, 1);
    assert_int_equal(ledger_record_get(l, "companies", "S1", &back, &e), 0);

    put(l, "S2", LEDGER_CREATED, "502", NULL);
    put(l, "S3", LEDGER_CREATED, "503", NULL);
    put(l, "S4", LEDGER_REJECTED, NULL, NULL);
    put(l, "S5", LEDGER_MERGED, NULL, "S2");
    put(l, "S6", LEDGER_PENDING, NULL, NULL);
    assert_int_equal(ledger_count_records(l, "contacts", &c, &e), 0);
    assert_int_equal(c.created, 2);
    assert_int_equal(c.existed, 1);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(c.merged, 1);
    assert_int_equal(c.pending, 1);
    assert_int_equal(ledger_count_records(l, "deals", &c, &e), 0);
    assert_int_equal(c.created + c.existed + c.pending, 0);
    close_fresh(l, dir);
}

static void test_assoc_counts(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct err e = {0};
    long created = -1, existed = -1;

    (void)state;
    assert_int_equal(
        ledger_count_assocs(l, "deals", "companies", &created, &existed, &e),
        0);
    assert_int_equal(created + existed, 0);
    assert_int_equal(
        ledger_assoc_put(l, 1, "deals", "1", "companies", "9", 5, 1, &e), 0);
    assert_int_equal(
        ledger_assoc_put(l, 1, "deals", "2", "companies", "9", 5, 1, &e), 0);
    assert_int_equal(
        ledger_assoc_put(l, 1, "deals", "3", "companies", "9", 5, 0, &e), 0);
    /* Already recorded: kept as it was. */
    assert_int_equal(
        ledger_assoc_put(l, 2, "deals", "3", "companies", "9", 5, 1, &e), 0);
    assert_int_equal(
        ledger_assoc_put(l, 1, "deals", "3", "contacts", "4", 3, 1, &e), 0);
    assert_int_equal(
        ledger_count_assocs(l, "deals", "companies", &created, &existed, &e),
        0);
    assert_int_equal(created, 2);
    assert_int_equal(existed, 1);
    assert_int_equal(
        ledger_assoc_known(l, "deals", "3", "companies", "9", 5, &e), 1);
    assert_int_equal(
        ledger_assoc_known(l, "deals", "3", "companies", "9", 6, &e), 0);
    close_fresh(l, dir);
}

static void test_problems(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct err e = {0};
    struct ledger_problem p = {"contacts", "Contact.csv",   12,
                               "S1",       "records",       "email",
                               "x@",       "INVALID_EMAIL", "not an email"};
    long n = -1;

    (void)state;
    assert_int_equal(ledger_problem_add(l, 1, &p, &e), 0);
    p.field = "phone";
    assert_int_equal(ledger_problem_add(l, 1, &p, &e), 0);
    /* The same row, phase and field again replaces the first. */
    assert_int_equal(ledger_problem_add(l, 2, &p, &e), 0);
    p.source_id = "S2";
    p.line = 13;
    assert_int_equal(ledger_problem_add(l, 1, &p, &e), 0);
    p.phase = "links";
    assert_int_equal(ledger_problem_add(l, 1, &p, &e), 0);
    assert_int_equal(ledger_count_problems(l, "contacts", "records", &n, &e),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(
        ledger_problem_clear_field(l, "contacts", "S1", "records", "phone", &e),
        0);
    assert_int_equal(ledger_count_problems(l, "contacts", "records", &n, &e),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(ledger_problem_clear(l, "contacts", "S2", "records", &e),
                     0);
    assert_int_equal(ledger_count_problems(l, "contacts", "records", &n, &e),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(ledger_count_problems(l, "contacts", "links", &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ledger_count_problems(l, "deals", "records", &n, &e), 0);
    assert_int_equal(n, 0);
    close_fresh(l, dir);
}

/* The ledger layout before versioning: one pre-image per record and
 * property, rollback lines without a run. */
static const char *const v1_sql =
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, command TEXT,"
    " started_at INTEGER, finished_at INTEGER, status TEXT);"
    "CREATE TABLE records(object TEXT NOT NULL, source_id TEXT NOT NULL,"
    " source_file TEXT, source_line INTEGER, hubspot_id TEXT,"
    " state INTEGER NOT NULL, existed_before INTEGER, hash TEXT,"
    " merged_into TEXT, run_id INTEGER, updated_at INTEGER,"
    " PRIMARY KEY(object, source_id));"
    "CREATE TABLE preimages(run_id INTEGER, object TEXT, hubspot_id TEXT,"
    " property TEXT, old_value TEXT, new_value TEXT,"
    " restored INTEGER DEFAULT 0, PRIMARY KEY(object, hubspot_id, property));"
    "CREATE TABLE rollback_items(rollback_id INTEGER, object TEXT,"
    " hubspot_id TEXT, source_id TEXT, action TEXT, property TEXT,"
    " value TEXT, outcome TEXT, detail TEXT, at INTEGER);"
    "INSERT INTO runs VALUES(1, 'run', 1, 2, 'done');"
    "INSERT INTO records VALUES('contacts', 'S7', 'Contact.csv', 2, '7', 2,"
    " 1, 'abc', NULL, 1, 2);"
    "INSERT INTO preimages VALUES(1, 'contacts', '7', 'phone', 'old',"
    " 'new', 0);"
    "INSERT INTO rollback_items VALUES(3, 'contacts', '7', 'S7', 'restore',"
    " 'phone', 'x', 'changed', NULL, 5);";

static char *make_db(const char *dir, const char *sql)
{
    char *path = xasprintf("%s/ledger.db", dir);
    sqlite3 *db;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    return path;
}

static void test_upgrade_from_v1(void **state)
{
    char *dir = tmpdir();
    char *path = make_db(dir, v1_sql);
    struct ledger *l = NULL;
    struct ledger_record rec;
    struct err e = {0};

    (void)state;
    if (ledger_open(path, &l, &e))
        fail_msg("open: %s", e.msg);
    assert_int_equal(scalar(l, "PRAGMA user_version"), 2);
    assert_int_equal(ledger_record_get(l, "contacts", "S7", &rec, &e), 1);
    assert_string_equal(rec.hubspot_id, "7");
    assert_int_equal(
        ledger_preimage_put(l, 2, "contacts", "7", "phone", "new", "3rd", &e),
        0);
    assert_string_equal(preimages(l, "7"), "1:old>new 2:new>3rd");
    assert_int_equal(scalar(l, "SELECT count(*) FROM rollback_items WHERE"
                               " run_id IS NULL AND outcome = 'changed'"),
                     1);
    assert_int_equal(scalar(l, "SELECT count(*) FROM run_rollbacks"), 0);
    ledger_close(l);

    /* Opening again changes nothing. */
    assert_int_equal(ledger_open(path, &l, &e), 0);
    assert_string_equal(preimages(l, "7"), "1:old>new 2:new>3rd");
    ledger_close(l);
    rmtree(dir);
    free(path);
    free(dir);
}

static void test_newer_layout_refused(void **state)
{
    char *dir = tmpdir();
    char *path = make_db(dir, "CREATE TABLE preimages(x);"
                              "PRAGMA user_version = 99;");
    struct ledger *l = NULL;
    struct err e = {0};

    (void)state;
    assert_int_equal(ledger_open(path, &l, &e), ERR_DB);
    assert_null(l);
    assert_non_null(strstr(e.msg, "layout 99"));
    rmtree(dir);
    free(path);
    free(dir);
}

/* A record a later run writes to again stays the run's that created it;
 * one that a later run creates after a refusal becomes that run's. */
static void test_record_keeps_its_run(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct ledger_record r = {0};
    struct err e = {0};

    (void)state;
    snprintf(r.object, sizeof(r.object), "contacts");
    snprintf(r.source_id, sizeof(r.source_id), "A");
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "101");
    r.state = LEDGER_CREATED;
    assert_int_equal(ledger_record_put(l, &r, "C.csv", 2, 1, &e), 0);
    assert_int_equal(ledger_record_put(l, &r, "C.csv", 2, 2, &e), 0);
    assert_int_equal(scalar(l, "SELECT run_id FROM records WHERE"
                               " source_id = 'A'"),
                     1);
    snprintf(r.source_id, sizeof(r.source_id), "B");
    r.hubspot_id[0] = '\0';
    r.state = LEDGER_REJECTED;
    assert_int_equal(ledger_record_put(l, &r, "C.csv", 3, 1, &e), 0);
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "102");
    r.state = LEDGER_CREATED;
    assert_int_equal(ledger_record_put(l, &r, "C.csv", 3, 2, &e), 0);
    assert_int_equal(scalar(l, "SELECT run_id FROM records WHERE"
                               " source_id = 'B'"),
                     2);
    close_fresh(l, dir);
}

/* A row a later run rejects keeps the record an earlier run created or
 * found (it is still in the portal), its state and its run; its digest
 * is cleared so the next run sends it again. A row that never had a
 * record becomes rejected, and so does one with no HubSpot id. */
static void test_rejected_later_keeps_record(void **state)
{
    char *dir;
    struct ledger *l = open_fresh(&dir);
    struct ledger_record r = {0};
    struct err e = {0};

    (void)state;
    snprintf(r.object, sizeof(r.object), "deals");
    snprintf(r.source_id, sizeof(r.source_id), "A");
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "301");
    snprintf(r.hash, sizeof(r.hash), "abc");
    r.state = LEDGER_CREATED;
    assert_int_equal(ledger_record_put(l, &r, "O.csv", 2, 1, &e), 0);
    snprintf(r.source_id, sizeof(r.source_id), "B");
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "302");
    r.state = LEDGER_EXISTED;
    r.existed_before = 1;
    assert_int_equal(ledger_record_put(l, &r, "O.csv", 3, 1, &e), 0);

    memset(&r, 0, sizeof(r));
    snprintf(r.object, sizeof(r.object), "deals");
    r.state = LEDGER_REJECTED;
    for (const char *sid = "ABC"; *sid; sid++) {
        snprintf(r.source_id, sizeof(r.source_id), "%c", *sid);
        assert_int_equal(ledger_record_put(l, &r, "O.csv", 9, 2, &e), 0);
    }
    assert_int_equal(scalar(l, "SELECT count(*) FROM records WHERE"
                               " source_id = 'A' AND state = 1 AND"
                               " hubspot_id = '301' AND run_id = 1 AND"
                               " existed_before = 0 AND hash IS NULL AND"
                               " source_line = 9"),
                     1);
    assert_int_equal(scalar(l, "SELECT count(*) FROM records WHERE"
                               " source_id = 'B' AND state = 2 AND"
                               " hubspot_id = '302' AND run_id = 1 AND"
                               " existed_before = 1 AND hash IS NULL"),
                     1);
    assert_int_equal(scalar(l, "SELECT count(*) FROM records WHERE"
                               " source_id = 'C' AND state = 3 AND"
                               " run_id = 2"),
                     1);
    close_fresh(l, dir);
}

static void test_config_round_trip(void **state)
{
    static const char *const odd_keys[] = {"Closed\x7fWon",
                                           "Closed\x01Won",
                                           "Closed\xc2\x85Won",
                                           "Closed\xe2\x80\xa8Won",
                                           "Closed\xe2\x80\xa9Won",
                                           "\xef\xbb\xbf"
                                           "BOM",
                                           "Non\xef\xbf\xbe"};
    char *dir = tmpdir();
    struct project_config cfg = {0}, back = {0};
    struct err e = {0};
    char long_key[1201];

    memset(long_key, 'S', sizeof(long_key) - 1);
    long_key[sizeof(long_key) - 1] = '\0';

    (void)state;
    cfg.dir = xstrdup(dir);
    cfg.path = xasprintf("%s/hsmigrate.yaml", dir);
    cfg.source_type = xstrdup("salesforce");
    cfg.input_dir = xstrdup("/data/export \"weekly\"");
    cfg.encoding = xstrdup("latin1");
    cfg.id_property = xstrdup("salesforce_id");
    cfg.concurrency = 4;
    cfg.daily_floor = 1000;
    cfg.pipeline = xstrdup("default");
    cfg.stages = json_pack("{s:s}", "Closed: Won", "closedwon");
    /* Keys YAML would not read back written plainly: control characters
     * (C0, DEL, C1 such as NEL), line and paragraph separators, a BOM and
     * a non-character, and a key over YAML's 1,024-character limit. */
    for (size_t i = 0; i < sizeof(odd_keys) / sizeof(odd_keys[0]); i++)
        json_object_set_new(cfg.stages, odd_keys[i], json_string("odd"));
    json_object_set_new(cfg.stages, long_key, json_string("long"));

    cfg.objects[OBJ_CONTACTS].nsources = 1;
    cfg.objects[OBJ_CONTACTS].sources =
        xcalloc(1, sizeof(struct object_source));
    cfg.objects[OBJ_CONTACTS].sources[0].file = xstrdup("Lead.csv");
    cfg.objects[OBJ_CONTACTS].sources[0].object = xstrdup("Lead");
    cfg.objects[OBJ_CONTACTS].sources[0].skip_converted = 1;
    cfg.objects[OBJ_CONTACTS].sources[0].set =
        json_pack("{s:s}", "lifecyclestage", "lead");
    cfg.objects[OBJ_CONTACTS].sources[0].nfields = 1;
    cfg.objects[OBJ_CONTACTS].sources[0].fields =
        xcalloc(1, sizeof(struct field_map));
    cfg.objects[OBJ_CONTACTS].sources[0].fields[0].column = xstrdup("Email");
    cfg.objects[OBJ_CONTACTS].sources[0].fields[0].property = xstrdup("email");
    cfg.objects[OBJ_CONTACTS].sources[0].fields[0].xform = XF_EMAIL;
    assert_int_equal(project_config_save(&cfg, &e), 0);
    if (project_config_load(dir, &back, &e))
        fail_msg("reload: %s", e.msg);
    assert_string_equal(back.input_dir, "/data/export \"weekly\"");
    assert_string_equal(back.encoding, "latin1");
    assert_int_equal(back.concurrency, 4);
    assert_int_equal(back.daily_floor, 1000);
    assert_string_equal(
        json_string_value(json_object_get(back.stages, "Closed: Won")),
        "closedwon");
    for (size_t i = 0; i < sizeof(odd_keys) / sizeof(odd_keys[0]); i++)
        assert_string_equal(
            json_string_value(json_object_get(back.stages, odd_keys[i])),
            "odd");
    assert_string_equal(
        json_string_value(json_object_get(back.stages, long_key)), "long");
    assert_int_equal(back.objects[OBJ_CONTACTS].nsources, 1);
    assert_int_equal(back.objects[OBJ_CONTACTS].sources[0].skip_converted, 1);
    assert_int_equal(back.objects[OBJ_CONTACTS].sources[0].fields[0].xform,
                     XF_EMAIL);
    assert_string_equal(
        json_string_value(json_object_get(
            back.objects[OBJ_CONTACTS].sources[0].set, "lifecyclestage")),
        "lead");
    project_config_release(&cfg);
    project_config_release(&back);
    rmtree(dir);
    free(dir);
}

static void test_config_errors_name_the_key(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/hsmigrate.yaml", dir);
    FILE *f = fopen(path, "w");
    struct project_config cfg = {0};
    struct err e = {0};

    (void)state;
    fputs("source: {type: salesforce, input: /x}\nobjects:\n  contacts:\n"
          "    - file: Contact.csv\n      fields:\n"
          "        - {column: Email, property: email, transform: shout}\n",
          f);
    fclose(f);
    assert_int_equal(project_config_load(dir, &cfg, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "objects.contacts[0].fields[0]"));
    assert_non_null(strstr(e.msg, "shout"));
    project_config_release(&cfg);
    rmtree(dir);
    free(path);
    free(dir);
}

/* A second YAML document would have its settings ignored: refused, with
 * its line; a lone "---" before the only document is fine. */
static void test_config_second_document(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/hsmigrate.yaml", dir);
    struct project_config cfg = {0};
    struct err e = {0};
    FILE *f = fopen(path, "w");

    (void)state;
    fputs("---\nsource: {type: salesforce, input: /x}\n---\nrun: {bogus: 1}\n",
          f);
    fclose(f);
    assert_int_equal(project_config_load(dir, &cfg, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "line 3: a second YAML document"));
    project_config_release(&cfg);
    rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_resolve_and_merge),
        cmocka_unit_test(test_preimage_keeps_first),
        cmocka_unit_test(test_upgrade_from_v1),
        cmocka_unit_test(test_newer_layout_refused),
        cmocka_unit_test(test_record_keeps_its_run),
        cmocka_unit_test(test_rejected_later_keeps_record),
        cmocka_unit_test(test_email_claims),
        cmocka_unit_test(test_runs_and_phases),
        cmocka_unit_test(test_record_round_trip_and_counts),
        cmocka_unit_test(test_assoc_counts),
        cmocka_unit_test(test_problems),
        cmocka_unit_test(test_config_round_trip),
        cmocka_unit_test(test_config_errors_name_the_key),
        cmocka_unit_test(test_config_second_document),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
