/* The HubSpot client against the sandbox portal, the independent witness:
 * each test starts an in-memory sandbox on a loopback port (its own
 * threads, its own code: nothing of src/hubspot/ or src/http/ is in it)
 * and checks outcomes in the portal: records, ids, links, error details,
 * 429 counts and duplicates under injected faults. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "hubspot/assoc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "sandbox/sandbox.h"

#define TOKEN "tok-sandbox"

struct fixture {
    struct sandbox *sb;
    struct hs_client *c;
};

static void fixture_start(struct fixture *f, const struct sandbox_config *in,
                          int max_attempts)
{
    struct sandbox_config cfg;
    struct http_pool_opts o;
    struct err e = {0};
    char *base;

    if (in) {
        cfg = *in;
    } else {
        sandbox_config_init(&cfg);
        cfg.tier = SANDBOX_TIER_PROFESSIONAL;
    }
    cfg.port = 0;
    cfg.token = TOKEN;
    assert_int_equal(sandbox_start(&cfg, &f->sb, &e), 0);
    base = xasprintf("http://127.0.0.1:%d", sandbox_port(f->sb));
    http_pool_opts_init(&o);
    o.token = TOKEN;
    o.max_attempts = max_attempts;
    o.backoff_base_ms = 20;
    o.timeout_ms = 10000;
    assert_int_equal(hs_client_new(base, &o, &f->c, &e), 0);
    free(base);
}

static void fixture_stop(struct fixture *f)
{
    hs_client_free(f->c);
    sandbox_free(f->sb);
}

static void create_key_property(struct fixture *f, const char *object,
                                const char *group)
{
    json_t *def =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", "salesforce_id",
                  "label", "Salesforce ID", "type", "string", "fieldType",
                  "text", "groupName", group, "hasUniqueValue", 1);
    struct err e = {0};
    int existed = -1;

    assert_int_equal(hs_property_create(f->c, object, def, &existed, &e), 0);
    assert_int_equal(existed, 0);
    assert_int_equal(hs_property_create(f->c, object, def, &existed, &e), 0);
    assert_int_equal(existed, 1);
    json_decref(def);
}

/* Copies what a callback sees, since its pointers die with it. */
#define SEEN_MAX 100
struct seen {
    int calls;
    size_t n;
    int outcome[SEEN_MAX];
    int is_new[SEEN_MAX];
    char key[SEEN_MAX][40];
    char id[SEEN_MAX][40];
    char prop[SEEN_MAX][40];
    char code[SEEN_MAX][40];
    char existing[SEEN_MAX][40];
};

static void copy_str(char *dst, const char *s)
{
    snprintf(dst, 40, "%s", s ? s : "");
}

static void keep(struct hs_result *r, size_t n, void *ud)
{
    struct seen *s = ud;

    s->calls++;
    s->n = n;
    for (size_t i = 0; i < n && i < SEEN_MAX; i++) {
        s->outcome[i] = r[i].outcome;
        s->is_new[i] = r[i].is_new;
        copy_str(s->key[i], r[i].key);
        copy_str(s->id[i], r[i].hubspot_id);
        copy_str(s->prop[i], r[i].bad_property);
        copy_str(s->code[i], r[i].code);
        copy_str(s->existing[i], r[i].existing_id);
    }
}

static int count_page(const json_t *results, void *ud)
{
    *(long *)ud += (long)json_array_size(results);
    return 0;
}

static long count_records(struct fixture *f, const char *object)
{
    struct err e = {0};
    long n = 0;

    assert_int_equal(
        hs_list_objects_all(f->c, object, NULL, NULL, count_page, &n, &e), 0);
    return n;
}

/* Upserts companies key0..key(n-1) (n <= 100) named by round. */
static void upsert_companies(struct fixture *f, int from, int n, int round,
                             struct seen *s)
{
    struct hs_input in[SEEN_MAX] = {{0}};
    char keys[SEEN_MAX][24];

    for (int i = 0; i < n; i++) {
        snprintf(keys[i], sizeof(keys[i]), "001A%06d", from + i);
        in[i].key = keys[i];
        in[i].id = NULL;
        in[i].properties = json_pack("{s:s}", "name", round ? "Renamed" : "Co");
    }
    hs_batch_upsert(f->c, "companies", "salesforce_id", in, (size_t)n, keep, s);
    for (int i = 0; i < n; i++)
        json_decref(in[i].properties);
}

static void test_upsert_matches_shuffled_results(void **state)
{
    struct sandbox_config cfg;
    struct fixture f;
    struct seen *s1 = test_calloc(1, sizeof(*s1));
    struct seen *s2 = test_calloc(1, sizeof(*s2));
    struct err e = {0};

    (void)state;
    sandbox_config_init(&cfg);
    cfg.tier = SANDBOX_TIER_PROFESSIONAL;
    cfg.has_shuffle_seed = 1;
    cfg.shuffle_seed = 7;
    fixture_start(&f, &cfg, 6);
    create_key_property(&f, "companies", "companyinformation");
    upsert_companies(&f, 0, 60, 0, s1);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    upsert_companies(&f, 0, 60, 1, s2);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    for (int i = 0; i < 60; i++) {
        assert_int_equal(s1->outcome[i], HS_OK);
        assert_true(s1->is_new[i]);
        assert_false(s2->is_new[i]);
        /* Same key, same record, whatever order the answers came in. */
        assert_string_equal(s1->id[i], s2->id[i]);
    }
    assert_int_equal(count_records(&f, "companies"), 60);
    test_free(s1);
    test_free(s2);
    fixture_stop(&f);
}

static void test_upsert_207_names_bad_input(void **state)
{
    struct fixture f;
    struct seen *s = test_calloc(1, sizeof(*s));
    struct hs_input in[3] = {{0}};
    struct err e = {0};

    (void)state;
    fixture_start(&f, NULL, 6);
    create_key_property(&f, "contacts", "contactinformation");
    in[0].key = "003A1";
    in[0].properties = json_pack("{s:s}", "firstname", "Ann");
    in[1].key = "003A2";
    in[1].properties = json_pack("{s:s}", "no_such_property", "x");
    in[2].key = "003A3";
    in[2].properties = json_pack("{s:s}", "firstname", "Cy");
    hs_batch_upsert(f.c, "contacts", "salesforce_id", in, 3, keep, s);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    assert_int_equal(s->outcome[0], HS_OK);
    assert_int_equal(s->outcome[1], HS_REJECTED);
    assert_string_equal(s->prop[1], "no_such_property");
    assert_string_equal(s->code[1], "PROPERTY_DOESNT_EXIST");
    assert_int_equal(s->outcome[2], HS_OK);
    assert_int_equal(count_records(&f, "contacts"), 2);
    for (int i = 0; i < 3; i++)
        json_decref(in[i].properties);
    test_free(s);
    fixture_stop(&f);
}

static void test_read_misses_email_case_and_409(void **state)
{
    struct fixture f;
    struct seen *s = test_calloc(1, sizeof(*s));
    struct hs_input in = {0};
    const char *const keys[] = {"ANN@example.com", "nobody@example.com"};
    struct err e = {0};
    char id[40];

    (void)state;
    fixture_start(&f, NULL, 6);
    in.key = "Ann@Example.com";
    in.properties = json_pack("{s:s}", "firstname", "Ann");
    hs_batch_upsert(f.c, "contacts", "email", &in, 1, keep, s);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    assert_int_equal(s->outcome[0], HS_OK);
    copy_str(id, s->id[0]);

    hs_batch_read(f.c, "contacts", "email", keys, 2, NULL, keep, s);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    assert_int_equal(s->outcome[0], HS_OK);
    assert_string_equal(s->id[0], id);
    assert_int_equal(s->outcome[1], HS_NOT_FOUND);

    /* A plain create of the same email: 409 with the existing id. */
    hs_batch_create(f.c, "contacts", "email", &in, 1, keep, s);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    assert_int_equal(s->outcome[0], HS_REJECTED);
    assert_string_equal(s->existing[0], id);
    json_decref(in.properties);
    test_free(s);
    fixture_stop(&f);
}

static void test_no_429_in_a_small_window(void **state)
{
    struct sandbox_config cfg;
    struct fixture f;
    struct seen *s = test_calloc(1, sizeof(*s));
    struct err e = {0};
    const char *keys[1] = {"x"};
    const struct http_stats *st;
    json_t *stats = NULL;
    long status = 0;

    (void)state;
    sandbox_config_init(&cfg);
    cfg.window_max = 20;
    cfg.window_ms = 1000;
    cfg.latency_ms = 100;
    fixture_start(&f, &cfg, 6);
    /* 70 reads at 8 in flight against 20 per second. */
    for (int i = 0; i < 70; i++)
        hs_batch_read(f.c, "contacts", NULL, keys, 1, NULL, keep, s);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    assert_int_equal(s->calls, 70);
    st = http_pool_stats(hs_client_pool(f.c));
    assert_int_equal(st->n429, 0);
    assert_int_equal(hs_request(f.c, "GET", "/_sandbox/stats", NULL,
                                HTTP_KIND_NORMAL, &status, &stats, &e),
                     0);
    assert_int_equal(json_integer_value(json_object_get(stats, "rateLimited")),
                     0);
    json_decref(stats);
    test_free(s);
    fixture_stop(&f);
}

static void test_faults_leave_no_duplicates(void **state)
{
    struct fixture f;
    struct seen *s[4];
    json_t *faults =
        json_pack("{s:f, s:[i,i,i,i], s:f, s:i}", "errorRate", 0.25, "statuses",
                  500, 502, 503, 504, "dropRate", 0.15, "seed", 42);
    struct err e = {0};
    long status = 0;

    (void)state;
    fixture_start(&f, NULL, 12);
    create_key_property(&f, "companies", "companyinformation");
    assert_int_equal(hs_request(f.c, "POST", "/_sandbox/faults", faults,
                                HTTP_KIND_NORMAL, &status, NULL, &e),
                     0);
    assert_int_equal(status, 200);
    for (int b = 0; b < 4; b++) {
        s[b] = test_calloc(1, sizeof(*s[b]));
        upsert_companies(&f, b * 50, 50, 0, s[b]);
    }
    assert_int_equal(hs_client_run(f.c, &e), 0);
    for (int b = 0; b < 4; b++) {
        for (int i = 0; i < 50; i++)
            assert_int_equal(s[b]->outcome[i], HS_OK);
        test_free(s[b]);
    }
    assert_true(http_pool_stats(hs_client_pool(f.c))->retries > 0);
    json_object_set_new(faults, "errorRate", json_real(0));
    json_object_set_new(faults, "dropRate", json_real(0));
    hs_request(f.c, "POST", "/_sandbox/faults", faults, HTTP_KIND_NORMAL,
               &status, NULL, &e);
    assert_int_equal(count_records(&f, "companies"), 200);
    json_decref(faults);
    fixture_stop(&f);
}

static void test_wrong_token_is_auth_error(void **state)
{
    struct fixture f;
    struct hs_client *bad = NULL;
    struct http_pool_opts o;
    struct err e = {0};
    json_t *out = NULL;
    char *base;

    (void)state;
    fixture_start(&f, NULL, 6);
    base = xasprintf("http://127.0.0.1:%d", sandbox_port(f.sb));
    http_pool_opts_init(&o);
    o.token = "wrong";
    assert_int_equal(hs_client_new(base, &o, &bad, &e), 0);
    assert_int_equal(hs_properties_list(bad, "contacts", &out, &e), ERR_AUTH);
    assert_null(strstr(e.msg, "wrong"));
    hs_client_free(bad);
    free(base);
    fixture_stop(&f);
}

static void test_search_merge_pipelines(void **state)
{
    struct fixture f;
    struct seen *s = test_calloc(1, sizeof(*s));
    struct hs_input in[2] = {{0}};
    struct err e = {0};
    json_t *req;
    json_t *out = NULL;
    char a[40];
    char b[40];

    (void)state;
    fixture_start(&f, NULL, 6);
    in[0].key = "a@example.com";
    in[1].key = "b@example.com";
    hs_batch_upsert(f.c, "contacts", "email", in, 2, keep, s);
    assert_int_equal(hs_client_run(f.c, &e), 0);
    copy_str(a, s->id[0]);
    copy_str(b, s->id[1]);

    req = json_pack("{s:[{s:[{s:s, s:s, s:s}]}], s:[s]}", "filterGroups",
                    "filters", "propertyName", "email", "operator", "EQ",
                    "value", "B@example.com", "properties", "email");
    assert_int_equal(hs_search_page(f.c, "contacts", req, &out, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(json_object_get(out, "results"), 0), "id")),
        b);
    assert_int_equal(http_pool_stats(hs_client_pool(f.c))->by_kind[1], 1);
    json_decref(out);
    json_decref(req);

    assert_int_equal(hs_merge(f.c, "contacts", a, b, &out, &e), 0);
    assert_non_null(json_string_value(json_object_get(out, "id")));
    json_decref(out);
    assert_int_equal(count_records(&f, "contacts"), 1);

    assert_int_equal(hs_pipelines_list(f.c, "deals", &out, &e), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(out, 0), "id")),
        "default");
    json_decref(out);
    test_free(s);
    fixture_stop(&f);
}

/* The value of option i of a property. */
static const char *option_value(const json_t *p, size_t i)
{
    return json_string_value(json_object_get(
        json_array_get(json_object_get(p, "options"), i), "value"));
}

static void test_property_update_replaces_options(void **state)
{
    struct fixture f;
    struct err e = {0};
    json_t *def = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}", "name", "tier", "label",
        "Tier", "type", "enumeration", "fieldType", "select", "groupName",
        "contactinformation", "options", "label", "Gold", "value", "gold");
    json_t *update, *out = NULL;
    int existed = -1;

    (void)state;
    fixture_start(&f, NULL, 1);
    assert_int_equal(hs_property_create(f.c, "contacts", def, &existed, &e), 0);
    update = json_pack("{s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}]}", "options",
                       "label", "Gold", "value", "gold", "hidden", 0, "label",
                       "Silver", "value", "silver", "hidden", 0);
    assert_int_equal(
        hs_property_update(f.c, "contacts", "tier", update, &out, &e), 0);
    assert_string_equal(option_value(out, 1), "silver");
    json_decref(out);
    assert_int_equal(hs_property_get(f.c, "contacts", "tier", &out, &e), 0);
    assert_int_equal(json_array_size(json_object_get(out, "options")), 2);
    assert_string_equal(option_value(out, 0), "gold");
    json_decref(out);

    /* The list sent is the list kept: what it leaves out is gone. */
    json_array_remove(json_object_get(update, "options"), 0);
    assert_int_equal(
        hs_property_update(f.c, "contacts", "tier", update, &out, &e), 0);
    assert_int_equal(json_array_size(json_object_get(out, "options")), 1);
    json_decref(out);

    assert_int_equal(
        hs_property_update(f.c, "contacts", "nosuch", update, &out, &e),
        ERR_NOTFOUND);
    assert_non_null(strstr(e.msg, "OBJECT_NOT_FOUND"));
    assert_int_equal(hs_property_update(f.c, "contacts", "hubspot_owner_id",
                                        update, &out, &e),
                     ERR_HTTP);
    assert_non_null(strstr(e.msg, "read-only"));
    json_decref(update);
    json_decref(def);
    fixture_stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upsert_matches_shuffled_results),
        cmocka_unit_test(test_upsert_207_names_bad_input),
        cmocka_unit_test(test_read_misses_email_case_and_409),
        cmocka_unit_test(test_no_429_in_a_small_window),
        cmocka_unit_test(test_faults_leave_no_duplicates),
        cmocka_unit_test(test_wrong_token_is_auth_error),
        cmocka_unit_test(test_search_merge_pipelines),
        cmocka_unit_test(test_property_update_replaces_options),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
