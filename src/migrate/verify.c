/* verify.c: read the portal back and compare it with the ledger. */
#include "core/strset.h"
#include "hubspot/assoc.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct verifier {
    struct mig *m;
    struct verify_summary *s;
    enum object_kind k;
    struct strset ids;
    struct strset emails;
    struct strset links;   /* "from_object from_id to_object to_id" */
    struct strset primary; /* the same, of pairs with the primary label */
};

static void link_key(char *out, size_t size, const char *from_object,
                     const char *from_id, const char *to_object,
                     const char *to_id)
{
    snprintf(out, size, "%s %s %s %s", from_object, from_id, to_object, to_id);
}

/* Distinct associated ids of one record toward one object type; each
 * pair goes into v->links for the comparison with the ledger. */
static long count_links(struct verifier *v, const json_t *rec, const char *to)
{
    const json_t *res = json_object_get(
        json_object_get(json_object_get(rec, "associations"), to), "results");
    const char *from_id = json_string_value(json_object_get(rec, "id"));
    const char *primary =
        strcmp(to, "companies") ? NULL : mig_primary_company_name(v->k);
    struct strset seen = {0};
    const json_t *a;
    char key[160];
    size_t i;
    long n = 0;

    json_array_foreach(res, i, a)
    {
        const char *id = json_string_value(json_object_get(a, "id"));
        const char *type = json_string_value(json_object_get(a, "type"));

        if (!id)
            continue;
        if (from_id) {
            link_key(key, sizeof(key), object_kind_name(v->k), from_id, to, id);
            if (primary && type && !strcmp(type, primary))
                strset_add(&v->primary, key);
        }
        if (strset_add(&seen, id))
            continue;
        n++;
        if (from_id)
            strset_add(&v->links, key);
    }
    strset_release(&seen);
    return n;
}

static int on_page(const json_t *results, void *ud)
{
    struct verifier *v = ud;
    struct verify_object *o = &v->s->objects[v->k];
    const json_t *rec;
    size_t i;

    json_array_foreach(results, i, rec)
    {
        const json_t *props = json_object_get(rec, "properties");
        const char *sid =
            json_string_value(json_object_get(props, v->m->cfg->id_property));
        const char *email = json_string_value(json_object_get(props, "email"));

        long n[LINK_COUNT] = {0};
        int migrated = sid && *sid;

        o->records++;
        if (email && *email && strset_add(&v->emails, email))
            o->dup_email++;
        /* Every record's links go into v->links: a ledger link may hang
         * off a record whose source id was cleared since. */
        if (v->k == OBJ_CONTACTS)
            n[LINK_CONTACT_COMPANY] = count_links(v, rec, "companies");
        if (v->k == OBJ_DEALS) {
            n[LINK_DEAL_COMPANY] = count_links(v, rec, "companies");
            n[LINK_DEAL_CONTACT] = count_links(v, rec, "contacts");
        }
        if (!migrated)
            continue;
        o->with_source_id++;
        if (strset_add(&v->ids, sid))
            o->dup_source_id++;
        for (int l = 0; l < LINK_COUNT; l++)
            v->s->links[l] += n[l];
    }
    return 0;
}

static int verify_object(struct verifier *v, enum object_kind k, struct err *e)
{
    const char *props[] = {v->m->cfg->id_property, "email", NULL};
    const char *contact_assoc[] = {"companies", NULL};
    const char *deal_assoc[] = {"companies", "contacts", NULL};
    struct ledger_counts lc;
    int rc;

    v->k = k;
    memset(&v->ids, 0, sizeof(v->ids));
    memset(&v->emails, 0, sizeof(v->emails));
    rc = hs_list_objects_all(v->m->hs, object_kind_name(k), props,
                             k == OBJ_CONTACTS ? contact_assoc
                             : k == OBJ_DEALS  ? deal_assoc
                                               : NULL,
                             on_page, v, e);
    strset_release(&v->ids);
    strset_release(&v->emails);
    if (rc)
        return rc;
    if (v->m->ledger &&
        !(rc = ledger_count_records(v->m->ledger, object_kind_name(k), &lc, e)))
        v->s->objects[k].ledger_written = lc.created + lc.existed;
    return rc;
}

/* Counts, per kind, the associations the ledger holds (created by a run
 * or found in place, and not rolled back) that the portal does not. */
static int verify_ledger_links(struct verifier *v, struct err *e)
{
    sqlite3 *db = ledger_db(v->m->ledger);
    sqlite3_stmt *st;
    char key[160];
    int rc;

    if (sqlite3_prepare_v2(db,
                           "SELECT from_object, from_id, to_object, to_id,"
                           " max(type_id IN (?1, ?2)) FROM associations WHERE"
                           " removed = 0 GROUP BY 1, 2, 3, 4",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(db));
    sqlite3_bind_int(st, 1, HS_ASSOC_CONTACT_TO_COMPANY_PRIMARY);
    sqlite3_bind_int(st, 2, HS_ASSOC_DEAL_TO_COMPANY_PRIMARY);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *from = (const char *)sqlite3_column_text(st, 0);
        const char *to = (const char *)sqlite3_column_text(st, 2);

        for (int l = 0; l < LINK_COUNT; l++) {
            if (strcmp(from, object_kind_name(link_from((enum link_kind)l))) ||
                strcmp(to, object_kind_name(link_to((enum link_kind)l))))
                continue;
            v->s->ledger_links[l]++;
            link_key(key, sizeof(key), from,
                     (const char *)sqlite3_column_text(st, 1), to,
                     (const char *)sqlite3_column_text(st, 3));
            /* A key the portal did not hold is added now: count it. */
            if (!strset_add(&v->links, key))
                v->s->links_missing[l]++;
            else if (sqlite3_column_int(st, 4) && !strset_add(&v->primary, key))
                v->s->primary_missing[l]++;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(db));
    return 0;
}

int migrate_verify(const struct project_config *cfg,
                   const struct migrate_opts *o, struct verify_summary *s,
                   struct err *e)
{
    struct mig m = {.cfg = cfg, .opts = o};
    struct verifier v = {.m = &m, .s = s};
    struct http_pool_opts po;
    char *path = project_path(cfg, "ledger.db");
    int rc;

    memset(s, 0, sizeof(*s));
    http_pool_opts_init(&po);
    po.token = o->token;
    po.max_in_flight = 1;
    if ((rc = ledger_open(path, &m.ledger, e)) ||
        (rc = hs_client_new(o->api_base, &po, &m.hs, e)))
        goto out;
    for (int k = 0; k < OBJ_COUNT && !rc; k++)
        rc = verify_object(&v, (enum object_kind)k, e);
    if (!rc)
        rc = verify_ledger_links(&v, e);
out:
    strset_release(&v.links);
    strset_release(&v.primary);
    hs_client_free(m.hs);
    ledger_close(m.ledger);
    free(path);
    return rc;
}
