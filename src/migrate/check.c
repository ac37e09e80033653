/* check.c: the dry run. Every source row goes through the mapping and
 * transforms against the portal's live schema; nothing is written to the
 * portal or the ledger. */
#include "core/log.h"
#include "core/strset.h"
#include "core/xalloc.h"
#include "csv/writer.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "source/salesforce.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct checker {
    struct mig *m;
    struct check_summary *s;
    struct csv_writer *w;
    struct strset emails;
};

static int problem_row(struct checker *c, const char *file, long line,
                       const char *sid, enum object_kind k, const char *field,
                       const char *value, const char *problem, const char *hint,
                       struct err *e)
{
    char ln[24];
    const char *row[8];

    snprintf(ln, sizeof(ln), "%ld", line);
    row[0] = file;
    row[1] = ln;
    row[2] = sid;
    row[3] = object_kind_name(k);
    row[4] = field;
    row[5] = value;
    row[6] = problem;
    row[7] = hint;
    return csv_writer_row(c->w, 8, row, e);
}

/* The config's own mistakes: mapped properties the portal lacks or will
 * not let us write. */
static int check_properties(struct checker *c, enum object_kind k,
                            struct err *e)
{
    const struct object_map *om = &c->m->cfg->objects[k];
    int rc = 0;

    for (size_t i = 0; i < om->nsources && !rc; i++)
        for (size_t j = 0; j < om->sources[i].nfields && !rc; j++) {
            const struct field_map *f = &om->sources[i].fields[j];

            if (!json_object_get(c->m->prop_types[k], f->property) ||
                json_object_get(c->m->readonly[k], f->property))
                c->s->problems++;
            if (!json_object_get(c->m->prop_types[k], f->property))
                rc = problem_row(c, om->sources[i].file, 0, "", k, f->column,
                                 f->property,
                                 "the mapped property does not exist in the "
                                 "portal",
                                 "create it, or map the column to another "
                                 "property",
                                 e);
            else if (json_object_get(c->m->readonly[k], f->property))
                rc = problem_row(c, om->sources[i].file, 0, "", k, f->column,
                                 f->property,
                                 "the mapped property is read-only in the "
                                 "portal",
                                 "map the column to a writable property", e);
        }
    return rc;
}

static void count_key(struct checker *c, enum object_kind k,
                      const json_t *props)
{
    const char *email = json_string_value(json_object_get(props, "email"));

    if (k != OBJ_CONTACTS)
        return;
    if (!email) {
        c->s->contacts_by_source_id++;
    } else if (strset_add(&c->emails, email)) {
        c->s->objects[k].merged++;
    } else {
        c->s->contacts_by_email++;
    }
}

static int check_row(struct checker *c, enum object_kind k,
                     const struct object_source *src,
                     const struct map_plan *plan, struct sf_reader *rd,
                     const struct sf_row *row, struct err *e)
{
    const char *sid = sf_row_get(rd, row, "Id");
    struct map_result res;
    int rc = 0;

    map_row(plan, &c->m->mctx[k], sid, row->rec->fields, &res);
    for (size_t i = 0; i < res.nproblems && !rc; i++) {
        const struct map_problem *p = &res.problems[i];

        if (p->is_error)
            c->s->problems++;
        else
            c->s->warnings++;
        rc = problem_row(c, src->file, row->line, sid, k, p->column, p->value,
                         p->message, p->is_error ? "" : "warning only", e);
    }
    if (res.props) {
        count_key(c, k, res.props);
        c->s->objects[k].warnings += res.nproblems > 0;
    } else {
        c->s->objects[k].rejected++;
    }
    map_result_release(&res);
    return rc;
}

static int check_source(struct checker *c, enum object_kind k,
                        const struct object_source *src, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct map_plan *plan = NULL;
    struct csv_reader *csv;
    struct sf_row row;
    const char **header;
    size_t ncols;
    int conv, rc;

    rc = sf_reader_open(c->m->cfg->input_dir, src->object, c->m->enc, &rd, e);
    if (rc == ERR_NOTFOUND && ++c->s->problems)
        return problem_row(c, src->file, 0, "", k, "", "",
                           "the file is not in the export",
                           "remove it from the project config, or add it", e);
    if (rc)
        return rc;
    csv = sf_reader_csv(rd);
    ncols = csv_reader_ncols(csv);
    header = xcalloc(ncols, sizeof(*header));
    for (size_t i = 0; i < ncols; i++)
        header[i] = csv_reader_colname(csv, i);
    rc = map_plan_new(src, header, ncols, &plan, e);
    free(header);
    if (rc)
        goto out;
    conv = src->skip_converted ? sf_reader_column(rd, "IsConverted") : -1;
    while ((rc = sf_reader_next(rd, &row, e)) != 0 && rc != ERR_IO) {
        if (rc < 0) {
            c->s->objects[k].rejected++;
            c->s->problems++;
            rc = problem_row(c, src->file, 0, "", k, "", "", e->msg, "", e);
        } else if (conv >= 0 && !strcmp(row.rec->fields[conv], "1")) {
            c->s->objects[k].skipped++;
            rc = 0;
        } else {
            c->s->objects[k].read++;
            rc = check_row(c, k, src, plan, rd, &row, e);
        }
        if (rc)
            break;
    }
    c->s->objects[k].skipped += sf_reader_deleted(rd);
out:
    map_plan_free(plan);
    sf_reader_free(rd);
    return rc;
}

static int count_links(struct checker *c, const struct link_map *lm,
                       struct err *e)
{
    struct sf_reader *rd = NULL;
    struct sf_row row;
    int rc =
        sf_reader_open(c->m->cfg->input_dir, lm->object, c->m->enc, &rd, e);

    if (rc == ERR_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    while ((rc = sf_reader_next(rd, &row, e)) != 0 && rc != ERR_IO)
        if (rc > 0 && sf_row_get(rd, &row, lm->from_column)[0] &&
            sf_row_get(rd, &row, lm->to_column)[0])
            c->s->links[lm->kind]++;
    sf_reader_free(rd);
    return rc == ERR_IO ? rc : 0;
}

static long ceil_div(long a, long b)
{
    return (a + b - 1) / b;
}

static void make_plan(struct checker *c)
{
    struct check_summary *s = c->s;
    const struct ratelimit *rl = http_pool_limiter(hs_client_pool(c->m->hs));
    long links = 0;

    s->properties_to_create = c->m->planned_properties;
    s->calls_schema = OBJ_COUNT + s->properties_to_create + 2;
    for (int k = 0; k < OBJ_COUNT; k++) {
        long writes =
            s->objects[k].read - s->objects[k].rejected - s->objects[k].merged;

        s->calls_records += ceil_div(writes, 100);
        s->calls_reads += ceil_div(writes, 100);
    }
    /* Contacts not found by source id are looked up again by email. */
    s->calls_reads += ceil_div(s->contacts_by_email, 100);
    for (int l = 0; l < LINK_COUNT; l++)
        links += ceil_div(s->links[l], 1000);
    s->calls_links = links;
    s->daily_remaining = rl->daily_remaining;
    s->window_max = rl->max;
}

static int check_all(struct checker *c, struct err *e)
{
    int rc = 0;

    for (int k = 0; k < OBJ_COUNT && !rc; k++) {
        const struct object_map *om = &c->m->cfg->objects[k];

        rc = check_properties(c, (enum object_kind)k, e);
        for (size_t i = 0; i < om->nsources && !rc; i++)
            rc = check_source(c, (enum object_kind)k, &om->sources[i], e);
    }
    for (size_t i = 0; i < c->m->cfg->nlinks && !rc; i++)
        rc = count_links(c, &c->m->cfg->links[i], e);
    return rc;
}

static int open_report(struct checker *c, struct err *e)
{
    static const char *const header[] = {"source_file", "line",  "source_id",
                                         "object",      "field", "value",
                                         "problem",     "hint"};
    char *path = project_path(c->m->cfg, "reports/check-errors.csv");
    int rc = project_dir_prepare(c->m->cfg->dir, e);

    if (!rc)
        rc = csv_writer_open(path, 0600, NULL, &c->w, e);
    if (!rc)
        rc = csv_writer_row(c->w, 8, header, e);
    free(path);
    return rc;
}

int migrate_check(const struct project_config *cfg,
                  const struct migrate_opts *o, struct check_summary *s,
                  struct err *e)
{
    struct mig m = {.cfg = cfg, .opts = o, .dry_run = 1};
    struct migrate_summary unused;
    struct checker c = {.m = &m, .s = s};
    struct http_pool_opts po;
    int rc;

    memset(s, 0, sizeof(*s));
    memset(&unused, 0, sizeof(unused));
    m.sum = &unused;
    http_pool_opts_init(&po);
    po.token = o->token;
    po.max_in_flight = cfg->concurrency;
    if (csv_encoding_parse(cfg->encoding, &m.enc))
        return err_set(e, ERR_USAGE,
                       "%s: source.encoding: unknown encoding "
                       "'%s'",
                       cfg->path, cfg->encoding);
    if ((rc = hs_client_new(o->api_base, &po, &m.hs, e)) ||
        (rc = mig_schema(&m, e)) || (rc = mig_owners(&m, e)) ||
        (rc = open_report(&c, e)))
        goto out;
    mig_setup_contexts(&m);
    rc = check_all(&c, e);
    make_plan(&c);
out:
    if (c.w && csv_writer_close(c.w, rc ? NULL : e) && !rc)
        rc = e->code;
    strset_release(&c.emails);
    for (int k = 0; k < OBJ_COUNT; k++) {
        json_decref(m.prop_types[k]);
        json_decref(m.readonly[k]);
    }
    json_decref(m.owner_ids);
    hs_client_free(m.hs);
    return rc;
}
