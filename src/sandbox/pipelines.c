/* pipelines.c: the pipelines API for deals, HubSpot's default pipeline,
 * the seed file's "pipelines" section and the dealstage check. */
#include "sandbox/pipelines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/sb.h"
#include "sandbox/validate.h"

#define STAGES_MAX 100

/* Declared here: the seed loader finds them as weak symbols. */
int sb_pipelines_seed_defaults(sqlite3 *db, struct err *e);
int sb_pipelines_seed(sqlite3 *db, json_t *section, const char *file,
                      struct err *e);

struct default_stage {
    const char *id;
    const char *label;
    const char *probability;
    const char *closed;
};

/* HubSpot's default deal pipeline, stage ids as its API reports them. */
static const struct default_stage default_stages[] = {
    {"appointmentscheduled", "Appointment Scheduled", "0.2", "false"},
    {"qualifiedtobuy", "Qualified To Buy", "0.4", "false"},
    {"presentationscheduled", "Presentation Scheduled", "0.6", "false"},
    {"decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "false"},
    {"contractsent", "Contract Sent", "0.9", "false"},
    {"closedwon", "Closed Won", "1.0", "true"},
    {"closedlost", "Closed Lost", "0.0", "true"},
};

static int put_pipeline(sqlite3 *db, const char *id, const char *label,
                        long order)
{
    static const char sql[] =
        "INSERT INTO pipelines (object_type, id, label, display_order,"
        " created_at, updated_at) VALUES ('deals', ?1, ?2, ?3, ?4, ?4)";
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, order);
        sqlite3_bind_int64(st, 4, sb_now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}

static int put_stage(sqlite3 *db, const char *pipeline, const char *id,
                     const char *label, long order, const char *metadata)
{
    static const char sql[] =
        "INSERT INTO pipeline_stages (object_type, pipeline_id, id, label,"
        " display_order, metadata, created_at, updated_at)"
        " VALUES ('deals', ?1, ?2, ?3, ?4, ?5, ?6, ?6)";
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, pipeline, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, order);
        sqlite3_bind_text(st, 5, metadata, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, sb_now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}

int sb_pipelines_seed_defaults(sqlite3 *db, struct err *e)
{
    size_t n = sizeof(default_stages) / sizeof(default_stages[0]);
    char meta[96];

    if (put_pipeline(db, PIPELINES_DEFAULT_ID, "Sales Pipeline", 0) < 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const struct default_stage *s = &default_stages[i];

        snprintf(meta, sizeof(meta),
                 "{\"isClosed\":\"%s\",\"probability\":\"%s\"}", s->closed,
                 s->probability);
        if (put_stage(db, PIPELINES_DEFAULT_ID, s->id, s->label, (long)i,
                      meta) < 0)
            goto fail;
    }
    return 0;
fail:
    return err_set(e, ERR_DB, "cannot store the default pipeline: %s",
                   sqlite3_errmsg(db));
}

static json_t *col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    return json_string(s ? (const char *)s : "");
}

/* Columns: id, label, display_order, metadata, archived, created_at,
 * updated_at. */
static json_t *stage_json(sqlite3_stmt *st)
{
    json_t *meta =
        json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
    char created[32], updated[32];

    sb_iso(sqlite3_column_int64(st, 5), created);
    sb_iso(sqlite3_column_int64(st, 6), updated);
    return json_pack("{s:o, s:o, s:I, s:o, s:s, s:s, s:b, s:s}", "id",
                     col_text(st, 0), "label", col_text(st, 1), "displayOrder",
                     (json_int_t)sqlite3_column_int64(st, 2), "metadata",
                     meta ? meta : json_object(), "createdAt", created,
                     "updatedAt", updated, "archived",
                     sqlite3_column_int(st, 4), "writePermissions",
                     "CRM_PERMISSIONS_ENFORCEMENT");
}

/* The stages of a pipeline (one stage when stage is non-NULL), in
 * display order; NULL on a store error. */
static json_t *stages_json(sqlite3 *db, const char *pipeline, const char *stage)
{
    static const char sql[] =
        "SELECT id, label, display_order, metadata, archived, created_at,"
        " updated_at FROM pipeline_stages WHERE object_type = 'deals'"
        " AND pipeline_id = ?1 AND (?2 IS NULL OR id = ?2)"
        " ORDER BY display_order, id";
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();
    int step;

    if (sb_stmt_prepare(db, sql, &st) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, pipeline, -1, SQLITE_STATIC);
    if (stage)
        sqlite3_bind_text(st, 2, stage, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, stage_json(st));
    if (step != SQLITE_DONE)
        goto fail;
    sb_stmt_release(st);
    return arr;
fail:
    sb_stmt_release(st);
    json_decref(arr);
    return NULL;
}

/* Pipelines (one when id is non-NULL) with their stages, in display
 * order; NULL on a store error. */
static json_t *pipelines_json(sqlite3 *db, const char *id)
{
    static const char sql[] =
        "SELECT id, label, display_order, archived, created_at, updated_at"
        " FROM pipelines WHERE object_type = 'deals' AND archived = 0"
        " AND (?1 IS NULL OR id = ?1) ORDER BY display_order, id";
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array(), *stages;
    char created[32], updated[32];
    int step;

    if (sb_stmt_prepare(db, sql, &st) != SQLITE_OK)
        goto fail;
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        stages =
            stages_json(db, (const char *)sqlite3_column_text(st, 0), NULL);
        if (!stages)
            goto fail;
        sb_iso(sqlite3_column_int64(st, 4), created);
        sb_iso(sqlite3_column_int64(st, 5), updated);
        json_array_append_new(
            arr,
            json_pack("{s:o, s:o, s:I, s:o, s:s, s:s, s:b}", "id",
                      col_text(st, 0), "label", col_text(st, 1), "displayOrder",
                      (json_int_t)sqlite3_column_int64(st, 2), "stages", stages,
                      "createdAt", created, "updatedAt", updated, "archived",
                      sqlite3_column_int(st, 3)));
    }
    if (step != SQLITE_DONE)
        goto fail;
    sb_stmt_release(st);
    return arr;
fail:
    sb_stmt_release(st);
    json_decref(arr);
    return NULL;
}

/* Only deals have pipelines here; answers 400 for anything else. */
static int deals_only(struct sb_request *req, struct sb_response *resp)
{
    const char *t = sb_param(req, "objectType");
    int ot = sb_otype_parse(t);

    if (ot == SB_OT_DEALS)
        return 0;
    if (ot == SB_OT_NONE)
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Unable to infer object type from: %s", t);
    else
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Object type %s does not support pipelines", t);
    return -1;
}

/* Answers with what a query found: 404 for an empty single lookup. */
static void answer(struct sb_response *resp, json_t *arr, int single)
{
    if (!arr)
        sb_resp_error(resp, 500, "INTERNAL_ERROR", NULL, "internal error");
    else if (!single)
        sb_resp_json(resp, 200, json_pack("{s:o}", "results", arr));
    else if (json_array_size(arr) == 0)
        sb_resp_not_found(resp);
    else
        sb_resp_json(resp, 200, json_incref(json_array_get(arr, 0)));
    if (arr && single)
        json_decref(arr);
}

static void pipelines_list(struct sb_request *req, struct sb_response *resp)
{
    json_t *arr;

    if (deals_only(req, resp))
        return;
    arr = pipelines_json(sb_db_lock(req->sb), NULL);
    sb_db_unlock(req->sb);
    answer(resp, arr, 0);
}

static void pipelines_get(struct sb_request *req, struct sb_response *resp)
{
    json_t *arr;

    if (deals_only(req, resp))
        return;
    arr = pipelines_json(sb_db_lock(req->sb), sb_param(req, "pipelineId"));
    sb_db_unlock(req->sb);
    answer(resp, arr, 1);
}

/* Stages of a pipeline that exists; 404 when it does not. */
static void stages_get(struct sb_request *req, struct sb_response *resp)
{
    const char *pid = sb_param(req, "pipelineId");
    const char *sid = sb_param(req, "stageId");
    json_t *p, *arr = NULL;
    sqlite3 *db;

    if (deals_only(req, resp))
        return;
    db = sb_db_lock(req->sb);
    p = pipelines_json(db, pid);
    if (json_array_size(p) > 0)
        arr = stages_json(db, pid, sid);
    sb_db_unlock(req->sb);
    if (p && json_array_size(p) == 0)
        sb_resp_not_found(resp);
    else
        answer(resp, arr, sid != NULL);
    json_decref(p);
}

const struct sb_route sb_pipelines_routes[] = {
    {"GET", "/crm/v3/pipelines/{objectType}", pipelines_list, 0},
    {"GET", "/crm/v3/pipelines/{objectType}/{pipelineId}", pipelines_get, 0},
    {"GET", "/crm/v3/pipelines/{objectType}/{pipelineId}/stages", stages_get,
     0},
    {"GET", "/crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}",
     stages_get, 0},
    {0},
};

/* Seeded ids are optional: missing ones get numeric strings, as
 * HubSpot gives user-created pipelines and stages. */
static const char *seed_id(const json_t *o, long *next, char buf[24])
{
    const json_t *id = json_object_get(o, "id");

    if (json_is_string(id) && json_string_length(id) > 0)
        return json_string_value(id);
    if (id)
        return NULL;
    snprintf(buf, 24, "%ld", (*next)++);
    return buf;
}

/* metadata {probability: "0.0".."1.0", isClosed?} as stored JSON. */
static char *seed_stage_metadata(const json_t *meta)
{
    const json_t *p = json_object_get(meta, "probability");
    const json_t *c = json_object_get(meta, "isClosed");
    const char *ps = json_string_value(p);
    char *end = NULL;
    double v;

    if (!ps || (c && !json_is_boolean(c) && !json_is_string(c)))
        return NULL;
    v = strtod(ps, &end);
    if (end == ps || *end || v < 0.0 || v > 1.0)
        return NULL;
    return xasprintf("{\"isClosed\":\"%s\",\"probability\":\"%s\"}",
                     json_is_true(c) || (json_is_string(c) &&
                                         !strcmp(json_string_value(c), "true"))
                         ? "true"
                         : "false",
                     ps);
}

static int seed_stage(sqlite3 *db, const char *pid, const json_t *s, size_t i,
                      long *next, struct buf *where)
{
    const char *label = json_string_value(json_object_get(s, "label"));
    const json_t *order = json_object_get(s, "displayOrder");
    char idbuf[24], *meta;
    const char *id = seed_id(s, next, idbuf);
    int rc;

    buf_addf(where, ".stages[%zu]", i);
    if (!id || !label || (order && !json_is_integer(order)))
        return -1;
    if (!(meta = seed_stage_metadata(json_object_get(s, "metadata")))) {
        buf_adds(where, ".metadata.probability");
        return -1;
    }
    rc = put_stage(db, pid, id, label,
                   order ? (long)json_integer_value(order) : (long)i, meta);
    free(meta);
    if (rc < 0)
        buf_addf(where, ": %s", sqlite3_errmsg(db));
    return rc;
}

static int seed_pipeline(sqlite3 *db, const json_t *p, long *next,
                         struct buf *where)
{
    const char *label = json_string_value(json_object_get(p, "label"));
    const json_t *order = json_object_get(p, "displayOrder");
    const json_t *stages = json_object_get(p, "stages");
    char idbuf[24];
    const char *id = seed_id(p, next, idbuf);
    size_t i, mark = where->len;
    json_t *s;

    if (!id || !label || (order && !json_is_integer(order)) ||
        !json_is_array(stages) || json_array_size(stages) == 0 ||
        json_array_size(stages) > STAGES_MAX)
        return -1;
    if (put_pipeline(db, id, label,
                     order ? (long)json_integer_value(order) : 0) < 0) {
        buf_addf(where, ".id: %s", sqlite3_errmsg(db));
        return -1;
    }
    json_array_foreach(stages, i, s)
    {
        if (seed_stage(db, id, s, i, next, where) < 0)
            return -1;
        where->len = mark;
        where->data[mark] = '\0';
    }
    return 0;
}

/* "pipelines": {"deals": [{id?, label, displayOrder?, stages: [{id?,
 * label, displayOrder?, metadata: {probability, isClosed?}}]}]}. */
int sb_pipelines_seed(sqlite3 *db, json_t *section, const char *file,
                      struct err *e)
{
    const json_t *deals = json_object_get(section, "deals");
    struct buf where = {0};
    long next = 10000001;
    int rc = 0;
    size_t i;
    json_t *p;

    if (!json_is_object(section) || json_object_size(section) != 1 ||
        !json_is_array(deals))
        return err_set(e, ERR_INPUT,
                       "%s: pipelines: expected {\"deals\": [...]}", file);
    json_array_foreach(deals, i, p)
    {
        buf_reset(&where);
        buf_addf(&where, "pipelines.deals[%zu]", i);
        if (seed_pipeline(db, p, &next, &where) < 0) {
            rc = err_set(e, ERR_INPUT,
                         "%s: %s: missing, invalid or duplicate member", file,
                         buf_str(&where));
            break;
        }
    }
    buf_release(&where);
    return rc;
}

/* Appends the pipeline's stage ids, "[a, b, c]"; -1 when the pipeline
 * does not exist. */
static int stage_list(sqlite3 *db, const char *pipeline, struct buf *out,
                      int *has_stage, const char *stage)
{
    json_t *arr = stages_json(db, pipeline, NULL);
    size_t i;
    json_t *s;

    if (!arr)
        return -1;
    buf_adds(out, "[");
    json_array_foreach(arr, i, s)
    {
        const char *id = json_string_value(json_object_get(s, "id"));

        buf_addf(out, "%s%s", i ? ", " : "", id);
        if (stage && !strcmp(id, stage))
            *has_stage = 1;
    }
    buf_adds(out, "]");
    json_decref(arr);
    return 0;
}

int pipelines_check_deal(sqlite3 *db, const char *pipeline, const char *stage,
                         char *msg, size_t size)
{
    json_t *found;
    struct buf list = {0};
    int has_stage = 0, rc = 0;

    if (!pipeline || !*pipeline)
        pipeline = PIPELINES_DEFAULT_ID;
    found = pipelines_json(db, pipeline);
    if (json_array_size(found) == 0) {
        snprintf(msg, size, "%s is not a valid pipeline ID", pipeline);
        rc = PIPELINES_BAD_PIPELINE;
    } else if (stage &&
               (stage_list(db, pipeline, &list, &has_stage, stage) < 0 ||
                !has_stage)) {
        snprintf(msg, size,
                 "%s is not a valid pipeline stage ID. Valid options are:"
                 " pipelineId=%s : %s",
                 stage, pipeline, buf_str(&list));
        rc = PIPELINES_BAD_STAGE;
    }
    json_decref(found);
    buf_release(&list);
    return rc;
}

/* A property value as text: strings as they are, numbers printed. */
static char *prop_text(const json_t *v)
{
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%lld", (long long)json_integer_value(v));
    return NULL;
}

char *pipelines_check_write(sqlite3 *db, int ot, const json_t *props,
                            const json_t *current)
{
    const json_t *np = json_object_get(props, "pipeline");
    const json_t *ns = json_object_get(props, "dealstage");
    char *pipeline, *stage, msg[1024], *out = NULL;
    json_t *errors;
    int rc;

    if (ot != SB_OT_DEALS || (!np && !ns))
        return NULL;
    pipeline = prop_text(np ? np : json_object_get(current, "pipeline"));
    stage = prop_text(ns ? ns : json_object_get(current, "dealstage"));
    if (stage && !*stage) { /* "" clears the stage */
        free(stage);
        stage = NULL;
    }
    rc = pipelines_check_deal(db, pipeline, stage, msg, sizeof(msg));
    if (rc < 0) {
        errors =
            json_pack("[{s:b, s:s, s:s, s:s}]", "isValid", 0, "message", msg,
                      "error", "INVALID_OPTION", "name",
                      rc == PIPELINES_BAD_STAGE ? "dealstage" : "pipeline");
        out = sb_validate_envelope(errors);
        json_decref(errors);
    }
    free(pipeline);
    free(stage);
    return out;
}
