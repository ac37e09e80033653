/* rebuild.c: the ledger's source id -> HubSpot id map, from the portal.
 *
 * The portal's records go into a temporary table of the ledger database
 * (so memory stays flat at any portal size); the export is then walked
 * once and joined against it row by row.
 */
#include "migrate/rebuild.h"
#include "core/err.h"
#include "core/log.h"
#include "csv/writer.h"
#include "hubspot/client.h"
#include "mapping/transform.h"
#include "source/salesforce.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct rbd {
    const struct project_config *cfg;
    struct rebuild_summary *s;
    struct ledger *ledger;
    sqlite3 *db;
    struct hs_client *hs;
    struct csv_writer *report;
    enum csv_encoding enc;
    int64_t run_id;
    enum object_kind k;
    sqlite3_stmt *put;
    struct err err;
    int failed;
};

static int db_err(struct rbd *r, struct err *e)
{
    return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(r->db));
}

/* Emails are compared as `run` writes them: trimmed and lowercased. */
static void norm_email(const char *in, char *out)
{
    char why[XF_OUT_MAX];

    if (!in || !*in || xf_email(in, out, why))
        out[0] = '\0';
}

static int on_page(const json_t *results, void *ud)
{
    struct rbd *r = ud;
    size_t i;
    json_t *rec;

    json_array_foreach(results, i, rec)
    {
        const json_t *props = json_object_get(rec, "properties");
        const char *sid =
            json_string_value(json_object_get(props, r->cfg->id_property));
        char email[XF_OUT_MAX];

        norm_email(json_string_value(json_object_get(props, "email")), email);
        if ((!sid || !*sid) && !email[0])
            continue;
        sqlite3_reset(r->put);
        sqlite3_bind_text(r->put, 1, object_kind_name(r->k), -1, SQLITE_STATIC);
        sqlite3_bind_text(r->put, 2, sid && *sid ? sid : NULL, -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_text(r->put, 3, email[0] ? email : NULL, -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_text(r->put, 4,
                          json_string_value(json_object_get(rec, "id")), -1,
                          SQLITE_TRANSIENT);
        if (sqlite3_step(r->put) != SQLITE_DONE) {
            db_err(r, &r->err);
            r->failed = 1;
            return 1;
        }
        r->s->objects[r->k].portal += sid && *sid;
    }
    return 0;
}

static int load_portal(struct rbd *r, struct err *e)
{
    const char *const props[] = {r->cfg->id_property, "email", NULL};
    int rc;

    if (sqlite3_exec(r->db,
                     "CREATE TEMP TABLE IF NOT EXISTS portal(object TEXT,"
                     " sid TEXT, email TEXT, id TEXT);"
                     "CREATE INDEX IF NOT EXISTS temp.portal_sid ON"
                     " portal(object, sid);"
                     "CREATE INDEX IF NOT EXISTS temp.portal_email ON"
                     " portal(object, email);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db,
                           "INSERT INTO portal(object, sid, email, id)"
                           " VALUES(?, ?, ?, ?)",
                           -1, &r->put, NULL) != SQLITE_OK)
        return db_err(r, e);
    rc = hs_list_objects_all(r->hs, object_kind_name(r->k), props, NULL,
                             on_page, r, e);
    sqlite3_finalize(r->put);
    r->put = NULL;
    if (!rc && r->failed) {
        *e = r->err;
        rc = e->code;
    }
    return rc;
}

/* The portal record for a source id, or for a normalized email. Fills
 * id and, for an email match, the record's own source id. */
static int portal_find(struct rbd *r, const char *col, const char *value,
                       char *id, char *sid)
{
    sqlite3_stmt *st;
    char sql[128];
    int found = 0;

    snprintf(sql, sizeof(sql),
             "SELECT id, coalesce(sid, '') FROM portal WHERE object = ? AND"
             " %s = ? ORDER BY CAST(id AS INTEGER) LIMIT 1",
             col);
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, object_kind_name(r->k), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(id, 32, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(sid, 64, "%s", (const char *)sqlite3_column_text(st, 1));
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

static int report_missing(struct rbd *r, const struct sf_row *row,
                          const char *sid, const char *why, struct err *e)
{
    char line[24];
    const char *f[5] = {object_kind_name(r->k), row->file, line, sid, why};

    snprintf(line, sizeof(line), "%ld", row->line);
    r->s->objects[r->k].missing++;
    return csv_writer_row(r->report, 5, f, e);
}

/* The column of a source file that feeds the email property, or NULL. */
static const char *email_column(const struct object_source *src)
{
    for (size_t i = 0; i < src->nfields; i++)
        if (!strcmp(src->fields[i].property, "email"))
            return src->fields[i].column;
    return NULL;
}

static int put_record(struct rbd *r, const struct sf_row *row, const char *sid,
                      const char *id, const char *merged_into, struct err *e)
{
    struct ledger_record rec = {0};

    snprintf(rec.object, sizeof(rec.object), "%s", object_kind_name(r->k));
    snprintf(rec.source_id, sizeof(rec.source_id), "%s", sid);
    snprintf(rec.hubspot_id, sizeof(rec.hubspot_id), "%s",
             merged_into ? "" : id);
    snprintf(rec.merged_into, sizeof(rec.merged_into), "%s",
             merged_into ? merged_into : "");
    rec.state = merged_into ? LEDGER_MERGED : LEDGER_EXISTED;
    rec.existed_before = !merged_into;
    return ledger_record_put(r->ledger, &rec, row->file, row->line, r->run_id,
                             e);
}

/* A contact row without its own record, folded into the record that
 * holds its email (the record of the row `run` kept). */
static int try_fold(struct rbd *r, const struct sf_reader *rd,
                    const struct sf_row *row, const char *col, const char *sid,
                    struct err *e)
{
    char email[XF_OUT_MAX], id[32], other[64];

    norm_email(col ? sf_row_get(rd, row, col) : NULL, email);
    if (!email[0] || portal_find(r, "email", email, id, other) <= 0)
        return report_missing(r, row, sid,
                              "no record in HubSpot carries this source id", e);
    if (!other[0] || !strcmp(other, sid))
        return report_missing(r, row, sid,
                              "a contact holds this email but carries no "
                              "source id",
                              e);
    r->s->objects[r->k].folded++;
    return put_record(r, row, sid, id, other, e);
}

/* A row the ledger maps to a record the portal no longer lists (deleted,
 * archived, or merged into another since): run would trust the ledger
 * and never write the row again. */
static int record_gone(struct rbd *r, const struct ledger_record *prior)
{
    char id[32], sid[64];

    if ((prior->state != LEDGER_CREATED && prior->state != LEDGER_EXISTED) ||
        !prior->hubspot_id[0])
        return 0;
    return portal_find(r, "id", prior->hubspot_id, id, sid) == 0;
}

/* Drops the row, and the associations of its lost record, from the
 * ledger; the row is then matched afresh, and run links it again. */
static int forget_row(struct rbd *r, const char *sid, const char *lost,
                      struct err *e)
{
    static const char *const sql[] = {
        "DELETE FROM records WHERE object = ?1 AND source_id = ?2",
        "DELETE FROM associations WHERE (from_object = ?1 AND from_id = ?3)"
        " OR (to_object = ?1 AND to_id = ?3)",
    };
    sqlite3_stmt *st;
    int rc;

    for (size_t i = 0; i < sizeof(sql) / sizeof(*sql); i++) {
        if (sqlite3_prepare_v2(r->db, sql[i], -1, &st, NULL) != SQLITE_OK)
            return db_err(r, e);
        sqlite3_bind_text(st, 1, object_kind_name(r->k), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, sid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, lost, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return db_err(r, e);
    }
    r->s->objects[r->k].gone++;
    return 0;
}

static int take_row(struct rbd *r, const struct object_source *src,
                    const struct sf_reader *rd, const struct sf_row *row,
                    struct err *e)
{
    const char *sid = sf_row_get(rd, row, "Id");
    struct ledger_record prior;
    char id[32], other[64];
    int rc;

    if (src->skip_converted &&
        !strcmp(sf_row_get(rd, row, "IsConverted"), "1")) {
        r->s->objects[r->k].skipped++;
        return 0;
    }
    r->s->objects[r->k].rows++;
    rc = ledger_record_get(r->ledger, object_kind_name(r->k), sid, &prior, e);
    if (rc < 0)
        return rc;
    if (rc > 0 && !record_gone(r, &prior)) {
        r->s->objects[r->k].kept++;
        return 0;
    }
    if (rc > 0 && (rc = forget_row(r, sid, prior.hubspot_id, e)))
        return rc;
    rc = portal_find(r, "sid", sid, id, other);
    if (rc < 0)
        return db_err(r, e);
    if (rc == 0)
        return r->k == OBJ_CONTACTS
                   ? try_fold(r, rd, row, email_column(src), sid, e)
                   : report_missing(r, row, sid,
                                    "no record in HubSpot "
                                    "carries this source id",
                                    e);
    r->s->objects[r->k].mapped++;
    return put_record(r, row, sid, id, NULL, e);
}

/* Walks one source file, committing every few hundred rows. */
static int walk_source(struct rbd *r, const struct object_source *src,
                       struct err *e)
{
    struct sf_reader *rd = NULL;
    struct sf_row row;
    long n = 0;
    int rc;

    rc = sf_reader_open(r->cfg->input_dir, src->object, r->enc, &rd, e);
    if (rc == ERR_NOTFOUND) {
        log_warn("%s: not in the export; skipped", src->file);
        err_clear(e);
        return 0;
    }
    if (rc || (rc = ledger_begin(r->ledger, e)))
        goto out;
    while ((rc = sf_reader_next(rd, &row, e)) != 0) {
        if (rc == ERR_IO)
            break;
        if (rc < 0) {
            log_warn("%s", e->msg); /* a row without a usable id */
            err_clear(e);
            continue;
        }
        if ((rc = take_row(r, src, rd, &row, e)))
            break;
        if (++n % 500 == 0 && ((rc = ledger_commit(r->ledger, e)) ||
                               (rc = ledger_begin(r->ledger, e))))
            goto out;
    }
    if (rc)
        ledger_rollback_tx(r->ledger);
    else
        rc = ledger_commit(r->ledger, e);
out:
    sf_reader_free(rd);
    return rc;
}

static int rebuild_object(struct rbd *r, enum object_kind k, struct err *e)
{
    const struct object_map *om = &r->cfg->objects[k];
    int rc;

    r->k = k;
    if (!om->nsources)
        return 0;
    log_info("%s: reading the portal's records", object_kind_name(k));
    if ((rc = load_portal(r, e)))
        return rc;
    for (size_t i = 0; i < om->nsources && !rc; i++)
        rc = walk_source(r, &om->sources[i], e);
    return rc;
}

static int open_all(struct rbd *r, const struct rebuild_opts *o, struct err *e)
{
    static const char *const head[] = {"object", "source_file", "source_line",
                                       "source_id", "reason"};
    struct http_pool_opts po;
    char *path = project_path(r->cfg, "ledger.db");
    int rc;

    if (csv_encoding_parse(r->cfg->encoding, &r->enc))
        rc = err_set(e, ERR_USAGE, "%s: source.encoding: unknown encoding '%s'",
                     r->cfg->path, r->cfg->encoding);
    else
        rc = ledger_open(path, &r->ledger, e);
    free(path);
    if (rc ||
        (rc = ledger_run_start(r->ledger, "ledger-rebuild", &r->run_id, e)))
        return rc;
    r->db = ledger_db(r->ledger);
    http_pool_opts_init(&po);
    po.token = o->token;
    po.max_in_flight = r->cfg->concurrency;
    po.daily_floor = r->cfg->daily_floor;
    if ((rc = hs_client_new(o->api_base, &po, &r->hs, e)))
        return rc;
    path = project_path(r->cfg, "reports/ledger-rebuild.csv");
    rc = csv_writer_open(path, 0600, NULL, &r->report, e);
    free(path);
    return rc ? rc : csv_writer_row(r->report, 5, head, e);
}

int rebuild_ledger(const struct project_config *cfg,
                   const struct rebuild_opts *o, struct rebuild_summary *s,
                   struct err *e)
{
    static const enum object_kind order[] = {OBJ_COMPANIES, OBJ_CONTACTS,
                                             OBJ_DEALS};
    struct rbd r = {.cfg = cfg, .s = s};
    struct err e2 = {0};
    int lock = -1;
    int rc;

    memset(s, 0, sizeof(*s));
    if (!(rc = project_lock(cfg, &lock, e)))
        rc = open_all(&r, o, e);
    for (size_t i = 0; !rc && i < OBJ_COUNT; i++)
        rc = rebuild_object(&r, order[i], e);
    if (csv_writer_close(r.report, rc ? NULL : &e2) && !rc)
        rc = err_set(e, e2.code, "%s", e2.msg);
    if (r.hs)
        s->api_calls = http_pool_stats(hs_client_pool(r.hs))->requests;
    if (r.ledger)
        ledger_run_finish(r.ledger, r.run_id, rc ? "failed" : "done", &e2);
    hs_client_free(r.hs);
    ledger_close(r.ledger);
    project_unlock(lock);
    return rc;
}
