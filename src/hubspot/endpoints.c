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

/* GET path (which has a query already) page by page; fn gets each
 * page's results. */
static int get_pages(struct hs_client *c, const char *path, const char *what,
                     hs_page_fn fn, void *ud, struct err *e)
{
    char *after = NULL;
    int rc = 0;
    int stop = 0;

    do {
        char *esc = after ? hs_url_escape(after) : NULL;
        char *page =
            xasprintf("%s%s%s", path, esc ? "&after=" : "", esc ? esc : "");
        json_t *body = NULL;
        long status = 0;

        free(esc);
        free(after);
        after = NULL;
        rc = hs_request(c, "GET", page, NULL, HTTP_KIND_NORMAL, &status, &body,
                        e);
        free(page);
        if (rc == 0 && status != 200)
            rc = hs_status_error(e, what, status, body);
        if (rc == 0) {
            stop = fn(json_object_get(body, "results"), ud);
            after = next_after(body);
        }
        json_decref(body);
    } while (rc == 0 && after && !stop);
    free(after);
    return rc;
}

static int append_page(const json_t *results, void *ud)
{
    json_array_extend(ud, (json_t *)results);
    return 0;
}

int hs_owners_list_all(struct hs_client *c, json_t **out, struct err *e)
{
    json_t *all = json_array();
    int rc;

    *out = NULL;
    rc = get_pages(c, "/crm/v3/owners?limit=100&archived=false",
                   "listing owners", append_page, all, e);
    if (rc == 0)
        rc = get_pages(c, "/crm/v3/owners?limit=100&archived=true",
                       "listing archived owners", append_page, all, e);
    if (rc < 0) {
        json_decref(all);
        return rc;
    }
    *out = all;
    return 0;
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
