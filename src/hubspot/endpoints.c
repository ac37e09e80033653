/* The synchronous helpers of client.h: properties, owners, pipelines,
 * single reads, listing, search and merge. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "hubspot/client.h"
#include "hubspot/client_int.h"

char hs_query_list(struct buf *b, char sep, const char *name,
                   const char *const *list)
{
    if (!list || !list[0])
        return sep;
    buf_addf(b, "%c%s=", sep, name);
    for (size_t i = 0; list[i]; i++) {
        char *v = hs_url_escape(list[i]);

        buf_addf(b, "%s%s", i ? "," : "", v);
        free(v);
    }
    return '&';
}

/* GET path; 200 gives *out = body[key] (a new reference). */
static int get_member(struct hs_client *c, const char *path, const char *key,
                      const char *what, json_t **out, struct err *e)
{
    json_t *body = NULL;
    long status = 0;
    int rc =
        hs_request(c, "GET", path, NULL, HTTP_KIND_NORMAL, &status, &body, e);

    *out = NULL;
    if (rc < 0)
        goto out;
    if (status != 200 || !json_is_array(json_object_get(body, key))) {
        rc = hs_status_error(e, what, status, body);
        goto out;
    }
    *out = json_incref(json_object_get(body, key));
out:
    json_decref(body);
    return rc;
}

int hs_properties_list(struct hs_client *c, const char *object, json_t **out,
                       struct err *e)
{
    char *obj = hs_url_escape(object);
    char *path = xasprintf("/crm/v3/properties/%s", obj);
    char *what = xasprintf("listing %s properties", object);
    int rc = get_member(c, path, "results", what, out, e);

    free(what);
    free(path);
    free(obj);
    return rc;
}

int hs_property_create(struct hs_client *c, const char *object,
                       const json_t *def, int *existed, struct err *e)
{
    const char *name = json_string_value(json_object_get(def, "name"));
    char *obj = hs_url_escape(object);
    char *path = xasprintf("/crm/v3/properties/%s", obj);
    char *what =
        xasprintf("creating property %s.%s", object, name ? name : "?");
    json_t *body = NULL;
    long status = 0;
    int rc;

    *existed = 0;
    rc = hs_request(c, "POST", path, def, HTTP_KIND_NORMAL, &status, &body, e);
    if (rc == 0 && status == 409)
        *existed = 1;
    else if (rc == 0 && status != 201 && status != 200)
        rc = hs_status_error(e, what, status, body);
    json_decref(body);
    free(what);
    free(path);
    free(obj);
    return rc;
}

/* The cursor of the next page, copied; NULL on the last page. */
static char *next_after(const json_t *body)
{
    const json_t *next =
        json_object_get(json_object_get(body, "paging"), "next");
    const char *after = json_string_value(json_object_get(next, "after"));

    return after ? xstrdup(after) : NULL;
}

/* One page's body: fn gets its results, *after the next cursor. */
static int take_page(const json_t *body, long status, const char *what,
                     hs_page_fn fn, void *ud, char **after, int *stop,
                     struct err *e)
{
    if (status != 200)
        return hs_status_error(e, what, status, body);
    *stop = fn(json_object_get(body, "results"), ud);
    *after = next_after(body);
    return 0;
}

/* GET path (which has a query already) page by page; fn gets each
 * page's results. When first is given it is the first page's answer,
 * already read. */
static int get_pages_from(struct hs_client *c, const char *path,
                          const json_t *first, long first_status,
                          const char *what, hs_page_fn fn, void *ud,
                          struct err *e)
{
    char *after = NULL, *asked = NULL;
    int rc = 0;
    int stop = 0;

    if (first &&
        (rc = take_page(first, first_status, what, fn, ud, &after, &stop, e)))
        return rc;
    while (rc == 0 && !stop && (!first || after)) {
        char *esc = after ? hs_url_escape(after) : NULL;
        char *page =
            xasprintf("%s%s%s", path, esc ? "&after=" : "", esc ? esc : "");
        json_t *body = NULL;
        long status = 0;

        free(esc);
        free(asked);
        asked = after;
        after = NULL;
        first = NULL;
        rc = hs_request(c, "GET", page, NULL, HTTP_KIND_NORMAL, &status, &body,
                        e);
        free(page);
        if (rc == 0)
            rc = take_page(body, status, what, fn, ud, &after, &stop, e);
        json_decref(body);
        if (!after)
            break;
        /* A cursor that does not move would page forever. */
        if (rc == 0 && asked && !strcmp(after, asked))
            rc = err_set(e, ERR_HTTP,
                         "%s: the portal answered the same page cursor '%s' "
                         "twice; stopped instead of reading it forever",
                         what, after);
    }
    free(asked);
    free(after);
    return rc;
}

static int get_pages(struct hs_client *c, const char *path, const char *what,
                     hs_page_fn fn, void *ud, struct err *e)
{
    return get_pages_from(c, path, NULL, 0, what, fn, ud, e);
}

static int append_page(const json_t *results, void *ud)
{
    json_array_extend(ud, (json_t *)results);
    return 0;
}

static const char *const owner_lists[2][2] = {
    {"/crm/v3/owners?limit=100&archived=false", "listing owners"},
    {"/crm/v3/owners?limit=100&archived=true", "listing archived owners"},
};

/* Every owner into *out; first[i] (may be NULL) is list i's first page,
 * already read. */
static int owners_collect(struct hs_client *c, json_t *const *first,
                          const long *status, json_t **out, struct err *e)
{
    json_t *all = json_array();
    int rc = 0;

    *out = NULL;
    for (int i = 0; i < 2 && rc == 0; i++) {
        const char *path = owner_lists[i][0];
        const char *what = owner_lists[i][1];

        rc = first && first[i] ? get_pages_from(c, path, first[i], status[i],
                                                what, append_page, all, e)
                               : get_pages(c, path, what, append_page, all, e);
    }
    if (rc) {
        json_decref(all);
        return rc;
    }
    *out = all;
    return 0;
}

int hs_owners_list_all(struct hs_client *c, json_t **out, struct err *e)
{
    return owners_collect(c, NULL, NULL, out, e);
}

int hs_portal_read(struct hs_client *c, struct hs_portal_reads *r,
                   struct err *e)
{
    const char *paths[HS_PORTAL_OBJECTS_MAX + 3];
    char *own[HS_PORTAL_OBJECTS_MAX] = {0};
    json_t *bodies[HS_PORTAL_OBJECTS_MAX + 3] = {0};
    long status[HS_PORTAL_OBJECTS_MAX + 3] = {0};
    size_t n = 0, pipe = 0, owners = 0;
    int rc;

    for (size_t i = 0; i < r->nobjects; i++) {
        char *obj = hs_url_escape(r->objects[i]);

        own[i] = xasprintf("/crm/v3/properties/%s", obj);
        free(obj);
        paths[n++] = own[i];
    }
    if (r->want_pipelines) {
        pipe = n;
        paths[n++] = "/crm/v3/pipelines/deals";
    }
    if (r->want_owners) {
        owners = n;
        paths[n++] = owner_lists[0][0];
        paths[n++] = owner_lists[1][0];
    }
    rc = hs_get_many(c, paths, n, status, bodies, e);
    for (size_t i = 0; rc == 0 && i < r->nobjects; i++) {
        const json_t *list = json_object_get(bodies[i], "results");

        if (status[i] != 200 || !json_is_array(list)) {
            char *what = xasprintf("listing %s properties", r->objects[i]);

            rc = hs_status_error(e, what, status[i], bodies[i]);
            free(what);
        } else {
            r->properties[i] = json_incref((json_t *)list);
        }
    }
    if (rc == 0 && r->want_pipelines) {
        r->pipelines_status = status[pipe];
        r->pipelines = json_incref(json_object_get(bodies[pipe], "results"));
    }
    if (rc == 0 && r->want_owners)
        rc = owners_collect(c, bodies + owners, status + owners, &r->owners, e);
    for (size_t i = 0; i < n; i++)
        json_decref(bodies[i]);
    for (size_t i = 0; i < r->nobjects; i++)
        free(own[i]);
    return rc;
}

void hs_portal_reads_release(struct hs_portal_reads *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < HS_PORTAL_OBJECTS_MAX; i++) {
        json_decref(r->properties[i]);
        r->properties[i] = NULL;
    }
    json_decref(r->pipelines);
    json_decref(r->owners);
    r->pipelines = r->owners = NULL;
}

int hs_pipelines_list(struct hs_client *c, const char *object, json_t **out,
                      struct err *e)
{
    char *obj = hs_url_escape(object);
    char *path = xasprintf("/crm/v3/pipelines/%s", obj);
    char *what = xasprintf("listing %s pipelines", object);
    int rc = get_member(c, path, "results", what, out, e);

    free(what);
    free(path);
    free(obj);
    return rc;
}

int hs_get_object(struct hs_client *c, const char *object, const char *id,
                  const char *id_property, const char *const *properties,
                  json_t **out, struct err *e)
{
    char *obj = hs_url_escape(object);
    char *rid = hs_url_escape(id);
    struct buf path = {0};
    json_t *body = NULL;
    long status = 0;
    char sep = '?';
    int rc;

    *out = NULL;
    buf_addf(&path, "/crm/v3/objects/%s/%s", obj, rid);
    if (id_property) {
        char *p = hs_url_escape(id_property);

        buf_addf(&path, "?idProperty=%s", p);
        free(p);
        sep = '&';
    }
    hs_query_list(&path, sep, "properties", properties);
    rc = hs_request(c, "GET", buf_str(&path), NULL, HTTP_KIND_NORMAL, &status,
                    &body, e);
    if (rc == 0 && status != 200)
        rc = hs_status_error(e, "reading a record", status, body);
    if (rc == 0) {
        *out = body;
        body = NULL;
    }
    json_decref(body);
    buf_release(&path);
    free(rid);
    free(obj);
    return rc;
}

int hs_list_objects_all(struct hs_client *c, const char *object,
                        const char *const *properties,
                        const char *const *associations, hs_page_fn fn,
                        void *ud, struct err *e)
{
    char *obj = hs_url_escape(object);
    char *what = xasprintf("listing %s", object);
    struct buf path = {0};
    int rc;

    buf_addf(&path, "/crm/v3/objects/%s?limit=100", obj);
    hs_query_list(&path, '&', "properties", properties);
    hs_query_list(&path, '&', "associations", associations);
    rc = get_pages(c, buf_str(&path), what, fn, ud, e);
    buf_release(&path);
    free(what);
    free(obj);
    return rc;
}

/* method path with body req (or none); 200 gives *out = the body. */
static int request_for_body(struct hs_client *c, const char *method,
                            const char *path, const json_t *req, int kind,
                            const char *what, json_t **out, struct err *e)
{
    json_t *body = NULL;
    long status = 0;
    int rc = hs_request(c, method, path, req, kind, &status, &body, e);

    *out = NULL;
    if (rc == 0 && status != 200)
        rc = hs_status_error(e, what, status, body);
    if (rc == 0) {
        *out = body;
        body = NULL;
    }
    json_decref(body);
    return rc;
}

int hs_search_page(struct hs_client *c, const char *object,
                   const json_t *request, json_t **out, struct err *e)
{
    char *obj = hs_url_escape(object);
    char *path = xasprintf("/crm/v3/objects/%s/search", obj);
    int rc = request_for_body(c, "POST", path, request, HTTP_KIND_SEARCH,
                              "searching", out, e);

    free(path);
    free(obj);
    return rc;
}

int hs_merge(struct hs_client *c, const char *object, const char *primary_id,
             const char *merge_id, json_t **out, struct err *e)
{
    char *obj = hs_url_escape(object);
    char *path = xasprintf("/crm/v3/objects/%s/merge", obj);
    json_t *req = json_pack("{s:s, s:s}", "primaryObjectId", primary_id,
                            "objectIdToMerge", merge_id);
    int rc = request_for_body(c, "POST", path, req, HTTP_KIND_NORMAL, "merging",
                              out, e);

    json_decref(req);
    free(path);
    free(obj);
    return rc;
}

/* GET or PATCH (with update) one property; 200 gives *out = it. */
static int property_call(struct hs_client *c, const char *method,
                         const char *object, const char *name,
                         const json_t *update, json_t **out, struct err *e)
{
    char *obj = hs_url_escape(object);
    char *prop = hs_url_escape(name);
    char *path = xasprintf("/crm/v3/properties/%s/%s", obj, prop);
    char *what = xasprintf("%s property %s.%s", update ? "updating" : "reading",
                           object, name);
    int rc = request_for_body(c, method, path, update, HTTP_KIND_NORMAL, what,
                              out, e);

    free(what);
    free(path);
    free(prop);
    free(obj);
    return rc;
}

int hs_property_get(struct hs_client *c, const char *object, const char *name,
                    json_t **out, struct err *e)
{
    return property_call(c, "GET", object, name, NULL, out, e);
}

int hs_property_update(struct hs_client *c, const char *object,
                       const char *name, const json_t *update, json_t **out,
                       struct err *e)
{
    return property_call(c, "PATCH", object, name, update, out, e);
}
