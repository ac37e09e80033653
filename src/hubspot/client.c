#include "hubspot/client.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "hubspot/client_int.h"

int hs_client_new(const char *base_url, const struct http_pool_opts *opts,
                  struct hs_client **out, struct err *e)
{
    struct hs_client *c = xcalloc(1, sizeof(*c));
    struct http_pool_opts o;
    size_t len;
    int rc;

    *out = NULL;
    if (opts)
        o = *opts;
    else
        http_pool_opts_init(&o);
    rc = http_pool_new(&o, &c->pool, e);
    if (rc < 0) {
        free(c);
        return rc;
    }
    c->base = xstrdup(base_url && *base_url ? base_url : HS_DEFAULT_BASE_URL);
    len = strlen(c->base);
    while (len > 0 && c->base[len - 1] == '/')
        c->base[--len] = '\0';
    *out = c;
    return 0;
}

void hs_client_free(struct hs_client *c)
{
    if (!c)
        return;
    http_pool_free(c->pool);
    free(c->base);
    free(c);
}

struct http_pool *hs_client_pool(struct hs_client *c)
{
    return c->pool;
}

const char *hs_client_base_url(const struct hs_client *c)
{
    return c->base;
}

int hs_client_run(struct hs_client *c, struct err *e)
{
    return http_pool_run(c->pool, e);
}

char *hs_client_url(const struct hs_client *c, const char *path)
{
    return xasprintf("%s%s", c->base, path);
}

char *hs_url_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf b = {0};

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            buf_addc(&b, (char)*p);
        } else {
            buf_addc(&b, '%');
            buf_addc(&b, hex[*p >> 4]);
            buf_addc(&b, hex[*p & 15]);
        }
    }
    return b.data ? buf_detach(&b) : xstrdup("");
}

struct sync_answer {
    long status;
    json_t *json;
    char *error;
    int done;
};

static void sync_done(const struct http_response *r, void *ud)
{
    struct sync_answer *a = ud;

    a->done = 1;
    a->status = r->status;
    if (r->transport_failed)
        a->error = xstrdup(r->error ? r->error : "no answer");
    if (r->body_len > 0)
        a->json = json_loadb(r->body, r->body_len, 0, NULL);
}

int hs_request(struct hs_client *c, const char *method, const char *path,
               const json_t *body, int kind, long *status, json_t **out,
               struct err *e)
{
    struct sync_answer a = {0};
    char *url = hs_client_url(c, path);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    int rc;

    if (out)
        *out = NULL;
    http_pool_submit(c->pool, method, url, text, kind, sync_done, &a);
    rc = http_pool_run(c->pool, e);
    if (rc == 0 && a.error)
        rc = err_set(e, ERR_HTTP, "%s %s: %s", method, url, a.error);
    if (rc == 0 && !a.done)
        rc = err_set(e, ERR_HTTP, "%s %s: no answer", method, url);
    *status = a.status;
    if (rc == 0 && out) {
        *out = a.json;
        a.json = NULL;
    }
    json_decref(a.json);
    free(a.error);
    free(text);
    free(url);
    return rc;
}

int hs_get_many(struct hs_client *c, const char *const *paths, size_t n,
                long *status, json_t **bodies, struct err *e)
{
    struct sync_answer *a = xcalloc(n ? n : 1, sizeof(*a));
    int rc;

    for (size_t i = 0; i < n; i++) {
        char *url = hs_client_url(c, paths[i]);

        http_pool_submit(c->pool, "GET", url, NULL, HTTP_KIND_NORMAL, sync_done,
                         &a[i]);
        free(url);
    }
    rc = http_pool_run(c->pool, e);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && a[i].error)
            rc = err_set(e, ERR_HTTP, "GET %s%s: %s", c->base, paths[i],
                         a[i].error);
        if (rc == 0 && !a[i].done)
            rc = err_set(e, ERR_HTTP, "GET %s%s: no answer", c->base, paths[i]);
        status[i] = a[i].status;
        bodies[i] = a[i].json;
        free(a[i].error);
    }
    if (rc)
        for (size_t i = 0; i < n; i++) {
            json_decref(bodies[i]);
            bodies[i] = NULL;
        }
    free(a);
    return rc;
}

int hs_status_error(struct err *e, const char *what, long status,
                    const json_t *body)
{
    const char *msg = json_string_value(json_object_get(body, "message"));
    const char *cat = json_string_value(json_object_get(body, "category"));

    /* A success code with a body the caller cannot use: say so, rather
     * than an "answered 200" that reads like no error at all. */
    if (status >= 200 && status < 300)
        return err_set(e, ERR_HTTP, "%s: HubSpot answered %ld with %s", what,
                       status,
                       body ? "a body without the expected fields"
                            : "a body that is not JSON");
    return err_set(e, status == 404 ? ERR_NOTFOUND : ERR_HTTP,
                   "%s: HubSpot answered %ld%s%s%s%s", what, status,
                   cat ? " " : "", cat ? cat : "", msg ? ": " : "",
                   msg ? msg : "");
}
