/* verify.c: read the portal back and compare it with the ledger. */
#include "core/strset.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "store/ledger.h"

#include <stdlib.h>
#include <string.h>

struct verifier {
    struct mig *m;
    struct verify_summary *s;
    enum object_kind k;
    struct strset ids;
    struct strset emails;
};

/* Distinct associated ids of one record toward one object type. */
static long count_links(const json_t *rec, const char *to)
{
    const json_t *res = json_object_get(
        json_object_get(json_object_get(rec, "associations"), to), "results");
    struct strset seen = {0};
    const json_t *a;
    size_t i;
    long n = 0;

    json_array_foreach(res, i, a)
    {
        const char *id = json_string_value(json_object_get(a, "id"));

        if (id && !strset_add(&seen, id))
            n++;
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

        o->records++;
        if (email && *email && strset_add(&v->emails, email))
            o->dup_email++;
        if (!sid || !*sid)
            continue;
        o->with_source_id++;
        if (strset_add(&v->ids, sid))
            o->dup_source_id++;
        if (v->k == OBJ_CONTACTS)
            v->s->links[LINK_CONTACT_COMPANY] += count_links(rec, "companies");
        if (v->k == OBJ_DEALS) {
            v->s->links[LINK_DEAL_COMPANY] += count_links(rec, "companies");
            v->s->links[LINK_DEAL_CONTACT] += count_links(rec, "contacts");
        }
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
out:
    hs_client_free(m.hs);
    ledger_close(m.ledger);
    free(path);
    return rc;
}
