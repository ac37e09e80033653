/* check.c: the dry run. Every source row goes through the mapping and
 * transforms against the portal's live schema; nothing is written to the
 * portal or the ledger. What the run would have to create first
 * (properties, options) is collected into the plan. */
#include "core/log.h"
#include "core/strset.h"
#include "core/xalloc.h"
#include "csv/writer.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "mapping/transform.h"
#include "migrate/internal.h"
#include "source/salesforce.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What the values of a column that feeds a missing property look like,
 * so the property can be created with a type that fits them all. */
struct infer {
    enum object_kind k;
    char *name;
    int seen, number, boolean, date, datetime;
};

#define LINK_MAX_INLINE 8

struct checker {
    struct mig *m;
    struct check_summary *s;
    struct csv_writer *w;
    struct strset emails;
    struct strset domains;
    struct strset options; /* object/property/value already planned */
    struct strset ids;     /* object/source id met so far */
    struct map_result res; /* reused from row to row */
    /* The last row's email or domain, added to its set with the next
     * row so that the set's memory is fetched while that row is read. */
    struct strset *pending_set;
    uint64_t pending;
    enum object_kind pending_kind;
    struct infer *infer;
    size_t ninfer;
    char *link_counted; /* per config link: counted while checking */
};

/* Distinct problems counted for the summary; the rest go under one key. */
#define TALLY_MAX 1000

/* Counts a blocking problem by object, field and message, for the
 * summary's most frequent problems: key -> {object, field, problem,
 * hint, rows}. */
static void tally(struct checker *c, enum object_kind k, const char *field,
                  const char *problem, const char *hint)
{
    json_t *t = c->s->tally;
    char *key = xasprintf("%s\t%s\t%s", object_kind_name(k), field, problem);
    json_t *n = json_object_get(t, key);

    if (!n && json_object_size(t) >= TALLY_MAX) {
        free(key);
        key = xasprintf("%s\tother", object_kind_name(k));
        field = "";
        problem = "other problems";
        hint = "";
        n = json_object_get(t, key);
    }
    if (!n) {
        n = json_pack("{s:s, s:s, s:s, s:s, s:I}", "object",
                      object_kind_name(k), "field", field, "problem", problem,
                      "hint", hint ? hint : "", "rows", (json_int_t)0);
        json_object_set_new(t, key, n);
    }
    json_object_set_new(
        n, "rows",
        json_integer(json_integer_value(json_object_get(n, "rows")) + 1));
    free(key);
}

/* One row of reports/check-errors.csv; blocking ones are tallied. */
static int problem_row(struct checker *c, const char *file, long line,
                       const char *sid, enum object_kind k, const char *field,
                       const char *value, const char *problem, const char *hint,
                       int blocking, struct err *e)
{
    char ln[24];
    const char *row[8];

    if (blocking)
        tally(c, k, field, problem, hint);

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

static struct infer *infer_for(struct checker *c, enum object_kind k,
                               const char *name)
{
    struct infer *in;

    for (size_t i = 0; i < c->ninfer; i++)
        if (c->infer[i].k == k && !strcmp(c->infer[i].name, name))
            return &c->infer[i];
    c->infer = xrealloc(c->infer, (c->ninfer + 1) * sizeof(*c->infer));
    in = &c->infer[c->ninfer++];
    memset(in, 0, sizeof(*in));
    in->k = k;
    in->name = xstrdup(name);
    in->number = in->boolean = in->date = in->datetime = 1;
    return in;
}

static void infer_value(struct infer *in, const char *v, int locale)
{
    char out[XF_OUT_MAX], why[XF_OUT_MAX];
    struct xf_date_opts o = {XF_DATE_AUTO, 0, NULL};

    in->seen++;
    if (in->boolean && xf_bool(v, out, why))
        in->boolean = 0;
    if (in->number && xf_number(v, (enum xf_locale)locale, out, why))
        in->number = 0;
    if ((in->date || in->datetime) && xf_date(v, &o, out, why)) {
        in->date = in->datetime = 0;
    } else if (in->date || in->datetime) {
        /* A value with a time of day needs a datetime property. */
        if (strchr(v, ':'))
            in->date = 0;
    }
}

/* HubSpot's modificationMetadata.readOnlyOptions: a PATCH of the
 * property's options would be refused. */
static int options_read_only(const json_t *schema, const char *property)
{
    const json_t *def = json_object_get(schema, property);

    return json_is_true(json_object_get(
        json_object_get(def, "modificationMetadata"), "readOnlyOptions"));
}

/* The config's own mistakes, once per source: properties the portal
 * lacks, read-only properties, labels written for names. */
static int check_fields(struct checker *c, enum object_kind k,
                        const struct object_source *src,
                        const struct map_plan *plan, struct err *e)
{
    int rc = 0;

    for (size_t i = 0; i < map_plan_nfields(plan) && !rc; i++) {
        struct map_field_info fi;
        const char *name;

        map_plan_field(plan, i, &fi);
        name = fi.field->column;
        if (fi.bind == MAP_MISSING && c->m->cfg->create_missing_properties) {
            infer_for(c, k, fi.property);
        } else if (fi.bind == MAP_MISSING) {
            char what[160];

            snprintf(what, sizeof(what),
                     "the mapped property '%.100s' does not exist in the "
                     "portal",
                     fi.property);
            c->s->config_problems++;
            rc = problem_row(c, src->file, 0, "", k, name, fi.property, what,
                             "create it, set target.create_missing_properties"
                             ": \"true\", or map the column to another "
                             "property",
                             1, e);
        } else if (fi.bind == MAP_READONLY) {
            c->s->warnings++;
            rc = problem_row(c, src->file, 0, "", k, name, fi.property,
                             "the mapped property is read-only in the "
                             "portal; it is never written",
                             "warning only: map the column to a writable "
                             "property",
                             0, e);
        } else if (fi.by_label) {
            rc = problem_row(c, src->file, 0, "", k, name, fi.field->property,
                             "a property label where its internal name "
                             "belongs; the internal name is used",
                             fi.property, 0, e);
        }
        if (!rc && fi.bind == MAP_BOUND &&
            fi.field->on_unknown == UNKNOWN_CREATE &&
            options_read_only(c->m->schema[k], fi.property)) {
            c->s->config_problems++;
            rc = problem_row(c, src->file, 0, "", k, name, fi.property,
                             "on_unknown is 'create' but the portal keeps "
                             "the property's options read-only",
                             "map unknown values with 'values', or set "
                             "on_unknown to \"error\" or \"default\"",
                             1, e);
        }
    }
    return rc;
}

static void plan_option(struct checker *c, enum object_kind k,
                        const struct map_problem *p)
{
    char key[600];
    json_t *opts = json_object_get(c->s->create, "options");
    json_t *o;
    size_t i;

    /* Values that differ in case only are one option: the mapping
     * matches options case aside. */
    snprintf(key, sizeof(key), "%d/%s/%s", (int)k, p->property, p->value);
    for (char *q = key; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    if (strset_add(&c->options, key))
        return;
    c->s->options_to_create++;
    json_array_foreach(
        opts, i,
        o) if (!strcmp(json_string_value(json_object_get(o, "object")),
                       object_kind_name(k)) &&
               !strcmp(json_string_value(json_object_get(o, "property")),
                       p->property))
    {
        json_array_append_new(json_object_get(o, "values"),
                              json_string(p->value));
        return;
    }
    json_array_append_new(opts, json_pack("{s:s, s:s, s:[s]}", "object",
                                          object_kind_name(k), "property",
                                          p->property, "values", p->value));
}

/* Adds the pending email or domain to its set and counts it. */
static void key_flush(struct checker *c)
{
    enum object_kind k = c->pending_kind;
    int seen;

    if (!c->pending_set)
        return;
    seen = strset_add_digest(c->pending_set, c->pending);
    if (c->pending_set == &c->domains)
        c->s->duplicate_companies += seen;
    else if (seen)
        c->s->objects[k].merged++;
    else
        c->s->contacts_by_email++;
    c->pending_set = NULL;
}

static void key_defer(struct checker *c, enum object_kind k, struct strset *set,
                      const char *key)
{
    key_flush(c);
    c->pending = strset_digest(key);
    c->pending_set = set;
    c->pending_kind = k;
    strset_prefetch(set, c->pending);
}

static void count_key(struct checker *c, enum object_kind k,
                      const struct map_plan *plan, const char *sid)
{
    const struct map_ctx *ctx = &c->m->mctx[k];
    const char *email, *domain;

    if (k == OBJ_COMPANIES) {
        domain = map_result_get(plan, ctx, sid, &c->res, "domain");
        if (domain)
            key_defer(c, k, &c->domains, domain);
    }
    if (k != OBJ_CONTACTS)
        return;
    email = map_result_get(plan, ctx, sid, &c->res, "email");
    if (!email)
        c->s->contacts_by_source_id++;
    else
        key_defer(c, k, &c->emails, email);
}

static int report_notes(struct checker *c, enum object_kind k,
                        const struct object_source *src, long line,
                        const char *sid, const struct map_result *res,
                        struct err *e)
{
    int rc = 0;

    for (size_t i = 0; i < res->nproblems && !rc; i++) {
        const struct map_problem *p = &res->problems[i];

        if (p->kind == MAP_NEW_OPTION) {
            plan_option(c, k, p);
            continue;
        }
        if (p->kind == MAP_ERROR)
            c->s->problems++;
        else
            c->s->warnings++;
        rc = problem_row(c, src->file, line, sid, k, p->column, p->value,
                         p->message,
                         p->kind == MAP_ERROR ? p->hint
                         : p->hint[0]         ? p->hint
                                              : "warning only",
                         p->kind == MAP_ERROR, e);
    }
    return rc;
}

static void infer_row(struct checker *c, enum object_kind k,
                      const struct map_plan *plan, const char *const *values)
{
    for (size_t i = 0; i < map_plan_nfields(plan); i++) {
        struct map_field_info fi;

        map_plan_field(plan, i, &fi);
        if (fi.bind == MAP_MISSING && values[fi.column][0])
            infer_value(infer_for(c, k, fi.property), values[fi.column],
                        fi.field->locale >= 0 ? fi.field->locale
                                              : c->m->cfg->locale);
    }
}

/* The key of a source id in c->ids: ids are unique per object. */
static uint64_t id_digest(enum object_kind k, const char *sid)
{
    size_t n = strlen(sid);
    char key[96];

    n = n < sizeof(key) - 3 ? n : sizeof(key) - 3;
    key[0] = (char)('0' + k);
    key[1] = '/';
    memcpy(key + 2, sid, n);
    key[n + 2] = '\0';
    return strset_digest(key);
}

static int check_row(struct checker *c, enum object_kind k,
                     const struct object_source *src,
                     const struct map_plan *plan, const char *sid,
                     const struct sf_row *row, int missing, struct err *e)
{
    struct map_result *res = &c->res;
    uint64_t id = id_digest(k, sid);
    int rc;

    /* The row is mapped while its id's slot is fetched; mapping has no
     * effect a duplicate row would have to undo. */
    strset_prefetch(&c->ids, id);
    map_row_values(plan, &c->m->mctx[k], sid, row->rec->fields, res);

    /* As in run: the first row with an id wins, later ones are refused. */
    if (strset_add_digest(&c->ids, id)) {
        c->s->objects[k].rejected++;
        c->s->problems++;
        return problem_row(c, src->file, row->line, sid, k, "Id", sid,
                           "the same source id appears on an earlier row; "
                           "this row would not be migrated",
                           "remove the duplicate row from the export", 1, e);
    }
    rc = report_notes(c, k, src, row->line, sid, res, e);
    if (!res->rejected) {
        count_key(c, k, plan, sid);
        for (size_t i = 0; i < res->nproblems; i++)
            if (res->problems[i].kind == MAP_WARNING) {
                c->s->objects[k].warnings++;
                break;
            }
    } else {
        c->s->objects[k].rejected++;
    }
    if (missing && c->m->cfg->create_missing_properties)
        infer_row(c, k, plan, row->rec->fields);
    return rc;
}

static int plan_open(struct checker *c, enum object_kind k,
                     const struct object_source *src, struct sf_reader *rd,
                     struct map_plan **plan, int *missing, struct err *e)
{
    struct csv_reader *csv = sf_reader_csv(rd);
    size_t ncols = csv_reader_ncols(csv);
    const char **header = xcalloc(ncols + 1, sizeof(*header));
    int rc;

    for (size_t i = 0; i < ncols; i++)
        header[i] = csv_reader_colname(csv, i);
    rc = map_plan_new(src, header, ncols, &c->m->mctx[k], plan, e);
    free(header);
    if (rc)
        return rc;
    *missing = 0;
    for (size_t i = 0; i < map_plan_nfields(*plan); i++) {
        struct map_field_info fi;

        map_plan_field(*plan, i, &fi);
        *missing |= fi.bind == MAP_MISSING;
    }
    return check_fields(c, k, src, *plan, e);
}

/* Links kept in a file that is also checked as a source are counted in
 * the same pass, so the biggest files are read once. */
struct inline_links {
    const struct link_map *lm[LINK_MAX_INLINE];
    int from[LINK_MAX_INLINE], to[LINK_MAX_INLINE];
    size_t n;
};

static void inline_links_bind(struct checker *c, struct sf_reader *rd,
                              const struct object_source *src,
                              struct inline_links *il)
{
    il->n = 0;
    for (size_t i = 0; i < c->m->cfg->nlinks && il->n < LINK_MAX_INLINE; i++) {
        const struct link_map *lm = &c->m->cfg->links[i];

        if (strcmp(lm->object, src->object))
            continue;
        c->link_counted[i] = 1;
        il->lm[il->n] = lm;
        il->from[il->n] = sf_reader_column(rd, lm->from_column);
        il->to[il->n] = sf_reader_column(rd, lm->to_column);
        il->n++;
    }
}

static void inline_links_count(struct checker *c, const struct inline_links *il,
                               const struct sf_row *row)
{
    for (size_t i = 0; i < il->n; i++)
        if (il->from[i] >= 0 && il->to[i] >= 0 &&
            row->rec->fields[il->from[i]][0] && row->rec->fields[il->to[i]][0])
            c->s->links[il->lm[i]->kind]++;
}

/* Only the columns check reads are decoded: the mapped ones, the links
 * counted inline and IsConverted. */
static void use_columns(struct sf_reader *rd, const struct map_plan *plan,
                        const struct inline_links *il, int conv)
{
    size_t n = map_plan_nfields(plan);
    int *cols = xcalloc(n + 2 * il->n + 1, sizeof(*cols));
    size_t nc = 0;

    for (size_t i = 0; i < n; i++) {
        struct map_field_info fi;

        map_plan_field(plan, i, &fi);
        cols[nc++] = (int)fi.column;
    }
    for (size_t i = 0; i < il->n; i++) {
        cols[nc++] = il->from[i];
        cols[nc++] = il->to[i];
    }
    cols[nc++] = conv;
    sf_reader_use_columns(rd, cols, nc);
    free(cols);
}

static int check_source(struct checker *c, enum object_kind k,
                        const struct object_source *src, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct map_plan *plan = NULL;
    struct inline_links il;
    struct sf_row row;
    int conv, rc, missing = 0, idc, is_conv = 0;

    rc = sf_reader_open(c->m->cfg->input_dir, src->object, c->m->enc, &rd, e);
    if (rc == ERR_NOTFOUND && ++c->s->config_problems) {
        char what[160];

        snprintf(what, sizeof(what), "the file '%.100s' is not in the export",
                 src->file);
        return problem_row(c, src->file, 0, "", k, "", "", what,
                           "remove it from the project config, or add it", 1,
                           e);
    }
    if (rc || (rc = plan_open(c, k, src, rd, &plan, &missing, e)) ||
        (rc = mig_learn_dates(c->m, src, plan, e)))
        goto out;
    conv = src->skip_converted ? sf_reader_column(rd, "IsConverted") : -1;
    idc = sf_reader_column(rd, "Id");
    inline_links_bind(c, rd, src, &il);
    use_columns(rd, plan, &il, conv);
    while ((rc = sf_reader_next(rd, &row, e)) != 0 && rc != ERR_IO) {
        if (rc > 0)
            inline_links_count(c, &il, &row);
        if (rc < 0) {
            c->s->objects[k].read++;
            c->s->objects[k].rejected++;
            c->s->problems++;
            rc = problem_row(c, src->file, row.line, "", k, "", "", e->msg, "",
                             1, e);
        } else if (conv >= 0 && sf_bool(row.rec->fields[conv], &is_conv) == 0 &&
                   is_conv) {
            c->s->objects[k].skipped++;
            rc = 0;
        } else {
            c->s->objects[k].read++;
            rc = check_row(c, k, src, plan, row.rec->fields[idc], &row, missing,
                           e);
        }
        if (rc)
            break;
    }
    c->s->objects[k].skipped += sf_reader_deleted(rd);
    key_flush(c);
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
    int cols[2];
    int rc =
        sf_reader_open(c->m->cfg->input_dir, lm->object, c->m->enc, &rd, e);

    if (rc == ERR_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    cols[0] = sf_reader_column(rd, lm->from_column);
    cols[1] = sf_reader_column(rd, lm->to_column);
    sf_reader_use_columns(rd, cols, 2);
    while ((rc = sf_reader_next(rd, &row, e)) != 0 && rc != ERR_IO)
        if (rc > 0 && cols[0] >= 0 && cols[1] >= 0 &&
            row.rec->fields[cols[0]][0] && row.rec->fields[cols[1]][0])
            c->s->links[lm->kind]++;
    sf_reader_free(rd);
    return rc == ERR_IO ? rc : 0;
}

static long ceil_div(long a, long b)
{
    return (a + b - 1) / b;
}

/* A HubSpot internal name from what the config wrote: lowercase, with
 * '_' for anything but letters and digits. */
static char *internal_name(const char *s)
{
    char *n = xstrdup(s);

    for (char *p = n; *p; p++)
        *p =
            isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    return n;
}

static json_t *inferred_def(const struct infer *in)
{
    char *name = internal_name(in->name);
    json_t *def;

    /* Options as HubSpot's OptionInput, which requires hidden. */
    if (in->seen && in->boolean)
        def = json_pack("{s:s, s:s, s:[{s:s, s:s, s:i, s:b}, {s:s, s:s, s:i, "
                        "s:b}]}",
                        "type", "bool", "fieldType", "booleancheckbox",
                        "options", "label", "Yes", "value", "true",
                        "displayOrder", 0, "hidden", 0, "label", "No", "value",
                        "false", "displayOrder", 1, "hidden", 0);
    else if (in->seen && in->number)
        def = json_pack("{s:s, s:s}", "type", "number", "fieldType", "number");
    else if (in->seen && (in->date || in->datetime))
        def = json_pack("{s:s, s:s}", "type", in->date ? "date" : "datetime",
                        "fieldType", "date");
    else
        def = json_pack("{s:s, s:s}", "type", "string", "fieldType", "text");
    json_object_set_new(def, "object", json_string(object_kind_name(in->k)));
    json_object_set_new(def, "name", json_string(name));
    json_object_set_new(def, "label", json_string(in->name));
    free(name);
    return def;
}

static void make_plan(struct checker *c)
{
    struct check_summary *s = c->s;
    const struct ratelimit *rl = http_pool_limiter(hs_client_pool(c->m->hs));
    long links = 0;

    json_t *ids = json_array();

    for (size_t i = 0; i < c->ninfer; i++)
        json_array_append_new(json_object_get(s->create, "properties"),
                              inferred_def(&c->infer[i]));
    /* The source-id properties the run creates first, listed apart: the
     * run makes them itself, whatever the plan says. */
    for (int k = 0; k < OBJ_COUNT; k++)
        if (c->m->fresh_id[k])
            json_array_append_new(ids,
                                  json_pack("{s:s, s:s, s:s, s:b}", "object",
                                            object_kind_name(k), "name",
                                            c->m->cfg->id_property, "type",
                                            "string", "unique", 1));
    json_object_set_new(s->create, "id_properties", ids);
    s->properties_to_create = c->m->planned_properties + (long)c->ninfer;
    s->calls_schema =
        OBJ_COUNT + s->properties_to_create + 2 +
        (long)json_array_size(json_object_get(s->create, "options"));
    for (int k = 0; k < OBJ_COUNT; k++) {
        long writes =
            s->objects[k].read - s->objects[k].rejected - s->objects[k].merged;

        s->calls_records += ceil_div(writes, 100);
        /* A source-id property the run creates has nothing to find. */
        if (!c->m->fresh_id[k])
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

/* A link naming a column its file lacks is a config error, found before
 * any row is read. */
static int check_link_columns(struct checker *c, struct err *e)
{
    int rc = 0;

    for (size_t i = 0; i < c->m->cfg->nlinks && !rc; i++) {
        const struct link_map *lm = &c->m->cfg->links[i];
        struct sf_reader *rd = NULL;

        rc =
            sf_reader_open(c->m->cfg->input_dir, lm->object, c->m->enc, &rd, e);
        if (rc == ERR_NOTFOUND) {
            /* Every link of that file would be lost: a config problem, as
             * a mapped object file that is not there. */
            err_clear(e);
            c->s->config_problems++;
            rc = problem_row(c, lm->file, 0, "", link_from(lm->kind), "", "",
                             "the links' file is not in the export",
                             "remove the link from the project config, or "
                             "add the file",
                             1, e);
            continue;
        }
        if (!rc)
            rc = mig_link_columns(c->m, lm, rd, e);
        sf_reader_free(rd);
    }
    return rc;
}

static int check_all(struct checker *c, struct err *e)
{
    int rc = check_link_columns(c, e);

    for (int k = 0; k < OBJ_COUNT && !rc; k++) {
        const struct object_map *om = &c->m->cfg->objects[k];

        for (size_t i = 0; i < om->nsources && !rc; i++)
            rc = check_source(c, (enum object_kind)k, &om->sources[i], e);
    }
    for (size_t i = 0; i < c->m->cfg->nlinks && !rc; i++)
        if (!c->link_counted[i])
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

static void checker_release(struct checker *c)
{
    strset_release(&c->emails);
    strset_release(&c->ids);
    map_result_release(&c->res);
    strset_release(&c->domains);
    strset_release(&c->options);
    for (size_t i = 0; i < c->ninfer; i++)
        free(c->infer[i].name);
    free(c->infer);
    free(c->link_counted);
    mig_release_schema(c->m);
    hs_client_free(c->m->hs);
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
    s->create = json_pack("{s:[], s:[]}", "properties", "options");
    s->tally = json_object();
    m.sum = &unused;
    http_pool_opts_init(&po);
    po.token = o->token;
    po.max_in_flight = cfg->concurrency;
    if (csv_encoding_parse(cfg->encoding, &m.enc))
        return err_set(e, ERR_USAGE,
                       "%s: source.encoding: unknown encoding "
                       "'%s'",
                       cfg->path, cfg->encoding);
    /* The report is rewritten first, so an earlier check's rows never
     * stand in for this one's config error. */
    if ((rc = project_input_check(cfg, e)) || (rc = open_report(&c, e)) ||
        (rc = hs_client_new(o->api_base, &po, &m.hs, e)) ||
        (rc = mig_schema(&m, e)) || (rc = mig_owners(&m, e)) ||
        (rc = mig_pipelines(&m, e)))
        goto out;
    c.link_counted = xcalloc(cfg->nlinks + 1, 1);
    mig_setup_contexts(&m);
    rc = check_all(&c, e);
    make_plan(&c);
out:
    if (m.hs) {
        mig_collect_stats(&m);
        s->api_calls = unused.api_calls;
        memcpy(s->api_by_kind, unused.api_by_kind, sizeof(s->api_by_kind));
    }
    if (c.w && rc == ERR_USAGE) {
        const char *row[8] = {
            "hsmigrate.yaml",        "0", "", "", "", "", e->msg,
            "fix the project config"};
        struct err e2 = {0};

        csv_writer_row(c.w, 8, row, &e2);
    }
    if (c.w && csv_writer_close(c.w, rc ? NULL : e) && !rc)
        rc = e->code;
    if (!rc && m.portal_owned) {
        /* The run that follows takes it over rather than reading again. */
        s->portal = m.portal;
        m.portal_owned = 0;
    }
    checker_release(&c);
    return rc;
}

void check_summary_release(struct check_summary *s)
{
    if (!s)
        return;
    json_decref(s->create);
    s->create = NULL;
    json_decref(s->tally);
    s->tally = NULL;
    hs_portal_reads_release(s->portal);
    free(s->portal);
    s->portal = NULL;
}
