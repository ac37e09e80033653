/* Tests for the HubSpot client's plumbing over loopback: the URLs and
 * request bodies it sends (trace ids, idProperty, the key echoed in the
 * properties) and how answers reach the callbacks, against
 * tests/support/fake_server.py, which answers in reverse order and
 * records the last body it saw per path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../support/fake_server.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "hubspot/assoc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"

static struct fake_server srv;

static int setup(void **state)
{
    (void)state;
    return fake_server_start(&srv);
}

static int teardown(void **state)
{
    (void)state;
    fake_server_stop(&srv);
    return 0;
}

static struct hs_client *client_new(void)
{
    struct http_pool_opts o;
    struct hs_client *c = NULL;
    struct err e = {0};
    char *base = xasprintf("http://127.0.0.1:%d/", srv.port);

    http_pool_opts_init(&o);
    o.token = "tok";
    o.backoff_base_ms = 10;
    assert_int_equal(hs_client_new(base, &o, &c, &e), 0);
    /* The trailing slash is dropped, so paths join cleanly. */
    base[strlen(base) - 1] = '\0';
    assert_string_equal(hs_client_base_url(c), base);
    free(base);
    return c;
}

/* A client whose base URL has prefix after the port: the fake server
 * picks its behaviour by a path's first part. */
static struct hs_client *client_at(const char *prefix)
{
    struct http_pool_opts o;
    struct hs_client *c = NULL;
    struct err e = {0};
    char *base = xasprintf("http://127.0.0.1:%d/%s", srv.port, prefix);

    http_pool_opts_init(&o);
    o.token = "tok";
    assert_int_equal(hs_client_new(base, &o, &c, &e), 0);
    free(base);
    return c;
}

/* The last request body the server saw for path, parsed. */
static json_t *last_body(struct hs_client *c, const char *path)
{
    char *q = xasprintf("/_last%s", path);
    json_t *j = NULL;
    long status = 0;
    struct err e = {0};

    assert_int_equal(
        hs_request(c, "GET", q, NULL, HTTP_KIND_NORMAL, &status, &j, &e), 0);
    assert_int_equal(status, 200);
    assert_non_null(j);
    free(q);
    return j;
}

/* Copies what a callback sees, since its pointers die with it. */
struct seen {
    int calls;
    size_t n;
    int outcome[8];
    char key[8][64];
    char id[8][64];
    char prop[8][64];
    int is_new[8];
};

static void keep(struct hs_result *r, size_t n, void *ud)
{
    struct seen *s = ud;

    s->calls++;
    s->n = n;
    for (size_t i = 0; i < n && i < 8; i++) {
        s->outcome[i] = r[i].outcome;
        snprintf(s->key[i], 64, "%s", r[i].key ? r[i].key : "");
        snprintf(s->id[i], 64, "%s", r[i].hubspot_id ? r[i].hubspot_id : "");
        snprintf(s->prop[i], 64, "%s",
                 r[i].bad_property ? r[i].bad_property : "");
        s->is_new[i] = r[i].is_new;
    }
}

static void test_upsert_body_and_results(void **state)
{
    struct hs_client *c = client_new();
    struct hs_input in[3] = {{0}};
    struct seen s = {0};
    struct err e = {0};
    json_t *body;
    json_t *first;

    (void)state;
    in[0].key = "001000000000001AAA";
    in[0].properties = json_pack("{s:s}", "name", "Acme");
    in[1].key = "001000000000002AAA";
    in[1].properties = json_pack("{s:s}", "industry", "BAD");
    in[2].key = "001000000000003AAA";
    in[2].properties = json_pack("{s:s}", "name", "Globex");
    hs_batch_upsert(c, "companies", "salesforce_id", in, 3, keep, &s);
    assert_int_equal(hs_client_run(c, &e), 0);

    assert_int_equal(s.calls, 1);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.outcome[0], HS_OK);
    assert_string_equal(s.key[0], "001000000000001AAA");
    assert_string_equal(s.id[0], "1000");
    assert_true(s.is_new[0]);
    assert_int_equal(s.outcome[1], HS_REJECTED);
    assert_string_equal(s.prop[1], "industry");
    assert_int_equal(s.outcome[2], HS_OK);
    assert_string_equal(s.id[2], "1002");

    body = last_body(c, "/crm/v3/objects/companies/batch/upsert");
    first = json_array_get(json_object_get(body, "inputs"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "id")),
                        "001000000000001AAA");
    assert_string_equal(json_string_value(json_object_get(first, "idProperty")),
                        "salesforce_id");
    assert_string_equal(
        json_string_value(json_object_get(first, "objectWriteTraceId")), "0");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(first, "properties"),
                                          "salesforce_id")),
        "001000000000001AAA");
    /* The caller's properties are not modified. */
    assert_null(json_object_get(in[0].properties, "salesforce_id"));
    json_decref(body);
    for (int i = 0; i < 3; i++)
        json_decref(in[i].properties);
    hs_client_free(c);
}

static void test_batch_read_by_email(void **state)
{
    struct hs_client *c = client_new();
    const char *const keys[] = {"Ann@Example.com", "missing@example.com"};
    const char *const props[] = {"firstname", NULL};
    struct seen s = {0};
    struct err e = {0};
    json_t *body;

    (void)state;
    hs_batch_read(c, "contacts", "email", keys, 2, props, keep, &s);
    assert_int_equal(hs_client_run(c, &e), 0);
    assert_int_equal(s.outcome[0], HS_OK);
    assert_string_equal(s.id[0], "500");
    assert_string_equal(s.key[0], "Ann@Example.com");
    assert_int_equal(s.outcome[1], HS_NOT_FOUND);
    body = last_body(c, "/crm/v3/objects/contacts/batch/read");
    assert_string_equal(json_string_value(json_object_get(body, "idProperty")),
                        "email");
    assert_int_equal(json_array_size(json_object_get(body, "properties")), 2);
    json_decref(body);
    hs_client_free(c);
}

static void test_assoc_create(void **state)
{
    struct hs_client *c = client_new();
    struct hs_assoc pairs[2] = {
        {"11", "21", HS_ASSOC_DEAL_TO_COMPANY_PRIMARY, NULL},
        {"12", "22", HS_ASSOC_DEAL_TO_COMPANY_PRIMARY, NULL},
    };
    struct seen s = {0};
    struct err e = {0};
    json_t *body;
    json_t *type;

    (void)state;
    hs_assoc_batch_create(c, "deals", "companies", pairs, 2, keep, &s);
    assert_int_equal(hs_client_run(c, &e), 0);
    assert_int_equal(s.outcome[0], HS_OK);
    assert_string_equal(s.key[1], "12");
    assert_string_equal(s.id[1], "22");
    body = last_body(c, "/crm/v4/associations/deals/companies/batch/create");
    type = json_array_get(
        json_object_get(json_array_get(json_object_get(body, "inputs"), 1),
                        "types"),
        0);
    assert_int_equal(
        json_integer_value(json_object_get(type, "associationTypeId")), 5);
    assert_string_equal(
        json_string_value(json_object_get(type, "associationCategory")),
        "HUBSPOT_DEFINED");
    json_decref(body);
    hs_client_free(c);
}

static void test_owners_pages_and_archived(void **state)
{
    struct hs_client *c = client_new();
    struct err e = {0};
    json_t *owners = NULL;

    (void)state;
    assert_int_equal(hs_owners_list_all(c, &owners, &e), 0);
    assert_int_equal(json_array_size(owners), 3);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(owners, 2), "email")),
        "old@example.com");
    json_decref(owners);
    hs_client_free(c);
}

/* A server whose next-page cursor never changes would keep a list
 * going forever: the client stops at the repeated cursor. */
static void test_stuck_paging_stops(void **state)
{
    struct hs_client *c = client_at("stuck");
    struct err e = {0};
    json_t *owners = NULL;

    (void)state;
    assert_int_equal(hs_owners_list_all(c, &owners, &e), ERR_HTTP);
    assert_null(owners);
    if (!strstr(e.msg, "listing owners") ||
        !strstr(e.msg, "the same page cursor 'again' twice"))
        fail_msg("message: %s", e.msg);
    hs_client_free(c);
}

/* A 200 whose body is not what the call reads is an error that says so. */
static void test_success_without_fields(void **state)
{
    struct hs_client *c = client_at("ok");
    struct err e = {0};
    json_t *props = NULL;

    (void)state;
    assert_int_equal(hs_properties_list(c, "contacts", &props, &e), ERR_HTTP);
    assert_null(props);
    if (!strstr(e.msg, "listing contacts properties: HubSpot answered 200 "
                       "with a body without the expected fields"))
        fail_msg("message: %s", e.msg);
    hs_client_free(c);
}

static void test_property_create_409_and_404(void **state)
{
    struct hs_client *c = client_new();
    struct err e = {0};
    json_t *def = json_pack("{s:s}", "name", "exists");
    json_t *obj = NULL;
    int existed = -1;

    (void)state;
    assert_int_equal(hs_property_create(c, "contacts", def, &existed, &e), 0);
    assert_int_equal(existed, 1);
    json_object_set_new(def, "name", json_string("salesforce_id"));
    assert_int_equal(hs_property_create(c, "contacts", def, &existed, &e), 0);
    assert_int_equal(existed, 0);
    assert_int_equal(hs_get_object(c, "contacts", "a b", NULL, NULL, &obj, &e),
                     ERR_NOTFOUND);
    assert_null(obj);
    assert_non_null(strstr(e.msg, "404"));
    json_decref(def);
    hs_client_free(c);
}

static void test_url_escape(void **state)
{
    char *s = hs_url_escape("a+b@c.d/ é");

    (void)state;
    assert_string_equal(s, "a%2Bb%40c.d%2F%20%C3%A9");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upsert_body_and_results),
        cmocka_unit_test(test_batch_read_by_email),
        cmocka_unit_test(test_assoc_create),
        cmocka_unit_test(test_owners_pages_and_archived),
        cmocka_unit_test(test_stuck_paging_stops),
        cmocka_unit_test(test_success_without_fields),
        cmocka_unit_test(test_property_create_409_and_404),
        cmocka_unit_test(test_url_escape),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
