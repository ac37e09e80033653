/* doctor_store.c: the portal as doctor reads it, in memory.
 *
 * Records come from list paging (100 a page) with the properties that
 * make keys and the associations doctor checks; search is never used, so
 * its rate and its 10,000-result cap do not apply.
 */
#include "core/log.h"
#include "hubspot/client.h"
#include "migrate/doctor_int.h"
#include "migrate/internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define KEY_MAX 320

static const char *const schema_sql =
    "CREATE TABLE recs(object TEXT, id TEXT, sid TEXT, created TEXT,"
    " filled INTEGER, PRIMARY KEY(object, id));"
    "CREATE TABLE keys(object TEXT, kind TEXT, key TEXT, id TEXT);"
    "CREATE INDEX keys_key ON keys(object, kind, key);"
    "CREATE INDEX recs_sid ON recs(object, sid);"
    "CREATE TABLE links(from_object TEXT, from_id TEXT, to_object TEXT,"
    " to_id TEXT, PRIMARY KEY(from_object, from_id, to_object, to_id));"
    "CREATE TABLE primaries(object TEXT, id TEXT, PRIMARY KEY(object, id));";

static int db_err(struct doc *d, struct err *e)
{
    return err_set(e, ERR_DB, "doctor: %s", sqlite3_errmsg(d->db));
}

int doc_store_open(struct doc *d, struct err *e)
{
    if (sqlite3_open(":memory:", &d->db) != SQLITE_OK ||
        sqlite3_exec(d->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(d->db,
                           "INSERT OR REPLACE INTO recs VALUES(?, ?, ?, ?, ?)",
                           -1, &d->ins_rec, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(d->db, "INSERT INTO keys VALUES(?, ?, ?, ?)", -1,
                           &d->ins_key, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(d->db,
                           "INSERT OR IGNORE INTO links VALUES(?, ?, ?, ?)", -1,
                           &d->ins_link, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(d->db,
                           "INSERT OR IGNORE INTO primaries VALUES(?, ?)", -1,
                           &d->ins_primary, NULL) != SQLITE_OK)
        return db_err(d, e);
    return 0;
}

void doc_store_close(struct doc *d)
{
    sqlite3_finalize(d->ins_rec);
    sqlite3_finalize(d->ins_key);
    sqlite3_finalize(d->ins_link);
    sqlite3_finalize(d->ins_primary);
    sqlite3_close(d->db);
}

static int step(struct doc *d, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    if (rc != SQLITE_DONE && !d->failed) {
        db_err(d, &d->err);
        d->failed = 1;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static void add_key(struct doc *d, const char *kind, const char *key,
                    const char *id)
{
    sqlite3_bind_text(d->ins_key, 1, object_kind_name(d->k), -1, SQLITE_STATIC);
    sqlite3_bind_text(d->ins_key, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(d->ins_key, 3, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(d->ins_key, 4, id, -1, SQLITE_TRANSIENT);
    step(d, d->ins_key);
}

/* Contacts: the email and every additional email (";"-separated). */
static void add_email_keys(struct doc *d, const json_t *props, const char *id)
{
    const char *extra =
        json_string_value(json_object_get(props, "hs_additional_emails"));
    char key[KEY_MAX], part[KEY_MAX];

    if (doctor_norm_email(json_string_value(json_object_get(props, "email")),
                          key, sizeof(key)))
        add_key(d, "email", key, id);
    while (extra && *extra) {
        size_t n = strcspn(extra, ";");

        snprintf(part, sizeof(part), "%.*s", (int)n, extra);
        if (n < sizeof(part) && doctor_norm_email(part, key, sizeof(key)))
            add_key(d, "email", key, id);
        extra += n + (extra[n] == ';');
    }
}

static int filled(const json_t *props)
{
    const char *name;
    json_t *v;
    int n = 0;

    json_object_foreach((json_t *)props, name, v)
    {
        const char *s = json_string_value(v);

        if (s && *s && strcmp(name, "hs_object_id") &&
            strcmp(name, "createdate") && !strstr(name, "lastmodifieddate"))
            n++;
    }
    return n;
}

static void add_links(struct doc *d, const json_t *rec, const char *id)
{
    const char *primary = mig_primary_company_name(d->k);
    const char *to;
    json_t *group;

    json_object_foreach(json_object_get(rec, "associations"), to, group)
    {
        size_t i;
        json_t *a;

        json_array_foreach(json_object_get(group, "results"), i, a)
        {
            const char *type = json_string_value(json_object_get(a, "type"));

            if (primary && type && !strcmp(type, primary) &&
                !strcmp(to, "companies")) {
                sqlite3_bind_text(d->ins_primary, 1, object_kind_name(d->k), -1,
                                  SQLITE_STATIC);
                sqlite3_bind_text(d->ins_primary, 2, id, -1, SQLITE_TRANSIENT);
                step(d, d->ins_primary);
            }
            sqlite3_bind_text(d->ins_link, 1, object_kind_name(d->k), -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(d->ins_link, 2, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(d->ins_link, 3, to, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(d->ins_link, 4,
                              json_string_value(json_object_get(a, "id")), -1,
                              SQLITE_TRANSIENT);
            step(d, d->ins_link);
        }
    }
}

static void add_record(struct doc *d, const json_t *rec)
{
    const json_t *props = json_object_get(rec, "properties");
    const char *id = json_string_value(json_object_get(rec, "id"));
    const char *sid =
        json_string_value(json_object_get(props, d->o->id_property));
    char key[KEY_MAX];

    if (!id)
        return;
    sqlite3_bind_text(d->ins_rec, 1, object_kind_name(d->k), -1, SQLITE_STATIC);
    sqlite3_bind_text(d->ins_rec, 2, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(d->ins_rec, 3, sid && *sid ? sid : NULL, -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(d->ins_rec, 4,
                      json_string_value(json_object_get(props, "createdate")),
                      -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(d->ins_rec, 5, filled(props));
    step(d, d->ins_rec);
    if (sid && *sid)
        add_key(d, "source id", sid, id);
    if (d->k == OBJ_CONTACTS)
        add_email_keys(d, props, id);
    if (d->k == OBJ_COMPANIES &&
        doctor_norm_domain(json_string_value(json_object_get(props, "domain")),
                           key, sizeof(key)))
        add_key(d, "domain", key, id);
    add_links(d, rec, id);
    d->s->objects[d->k].records++;
}

static int on_page(const json_t *results, void *ud)
{
    struct doc *d = ud;
    size_t i;
    json_t *rec;

    json_array_foreach(results, i, rec) add_record(d, rec);
    return d->failed;
}

static int load_object(struct doc *d, enum object_kind k, struct err *e)
{
    static const char *const assoc_contacts[] = {"companies", NULL};
    static const char *const assoc_deals[] = {"companies", "contacts", NULL};
    const char *props[][9] = {
        {d->o->id_property, "domain", "name", "phone", "city", "industry",
         "createdate", NULL},
        {d->o->id_property, "email", "hs_additional_emails", "firstname",
         "lastname", "phone", "company", "jobtitle", "createdate"},
        {d->o->id_property, "dealname", "amount", "dealstage", "pipeline",
         "closedate", "createdate", NULL},
    };
    const char *list[10] = {0};
    int rc;

    memcpy(list, props[k], sizeof(props[k]));
    d->k = k;
    d->s->objects[k].records = 0;
    log_info("%s: reading every record", object_kind_name(k));
    rc = hs_list_objects_all(d->hs, object_kind_name(k), list,
                             k == OBJ_CONTACTS ? assoc_contacts
                             : k == OBJ_DEALS  ? assoc_deals
                                               : NULL,
                             on_page, d, e);
    if (!rc && d->failed) {
        *e = d->err;
        rc = e->code;
    }
    return rc;
}

int doc_store_load(struct doc *d, struct err *e)
{
    int rc = 0;

    if (sqlite3_exec(d->db,
                     "DELETE FROM recs; DELETE FROM keys; DELETE FROM links;"
                     " DELETE FROM primaries;"
                     " BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_err(d, e);
    for (int k = 0; k < OBJ_COUNT && !rc; k++)
        if (doc_in_scope(d, k) || d->o->cfg)
            rc = load_object(d, k, e);
    sqlite3_exec(d->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return rc;
}

int doc_store_by_sid(struct doc *d, enum object_kind k, const char *sid,
                     char *id)
{
    sqlite3_stmt *st;
    int found = 0;

    if (sqlite3_prepare_v2(d->db,
                           "SELECT id FROM recs WHERE object = ? AND sid = ?"
                           " ORDER BY length(id), id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, object_kind_name(k), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sid, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(id, 32, "%s", (const char *)sqlite3_column_text(st, 0));
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

int doc_store_has(struct doc *d, enum object_kind k, const char *id)
{
    sqlite3_stmt *st;
    int found;

    if (sqlite3_prepare_v2(d->db,
                           "SELECT 1 FROM recs WHERE object = ? AND id = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, object_kind_name(k), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

int doc_store_claim_primary(struct doc *d, enum object_kind k, const char *id)
{
    sqlite3_bind_text(d->ins_primary, 1, object_kind_name(k), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(d->ins_primary, 2, id, -1, SQLITE_TRANSIENT);
    if (step(d, d->ins_primary))
        return 0;
    return sqlite3_changes(d->db) == 1;
}

int doc_store_linked(struct doc *d, enum object_kind from, const char *from_id,
                     enum object_kind to, const char *to_id)
{
    sqlite3_stmt *st;
    int found;

    if (sqlite3_prepare_v2(d->db,
                           "SELECT 1 FROM links WHERE from_object = ? AND"
                           " from_id = ? AND to_object = ? AND to_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, object_kind_name(from), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, from_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, object_kind_name(to), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, to_id, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}
