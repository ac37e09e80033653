/* Unit tests for matching HubSpot batch answers to inputs: results come
 * back shuffled, errors name inputs by trace id or by id, and error
 * bodies carry the detail inside strings. Bodies are HubSpot's shapes
 * (see the API reference, sections 2 and 4). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hubspot/assoc.h"
#include "hubspot/parse.h"

static const char *const keys3[] = {"001A", "001B", "001C"};

static void test_upsert_results_matched_by_key_not_position(void **state)
{
    /* Reverse order, and only properties to match on. */
    const char *body =
        "{\"status\":\"COMPLETE\",\"results\":["
        "{\"id\":\"303\",\"new\":false,\"properties\":{\"sfid\":\"001C\"}},"
        "{\"id\":\"101\",\"new\":true,\"properties\":{\"sfid\":\"001A\"}},"
        "{\"id\":\"202\",\"new\":true,\"properties\":{\"sfid\":\"001B\"}}]}";
    struct hs_match_spec spec = {.id_property = "sfid", .trace_ids = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(200, body, NULL, keys3, NULL, 3, &spec, &o);
    assert_int_equal(o.n, 3);
    assert_string_equal(o.results[0].key, "001A");
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_string_equal(o.results[0].hubspot_id, "101");
    assert_true(o.results[0].is_new);
    assert_string_equal(o.results[1].hubspot_id, "202");
    assert_string_equal(o.results[2].hubspot_id, "303");
    assert_false(o.results[2].is_new);
    assert_string_equal(
        json_string_value(json_object_get(o.results[2].properties, "sfid")),
        "001C");
    hs_batch_outcome_release(&o);
}

static void test_trace_id_wins_over_properties(void **state)
{
    /* Trace ids are the inputs' indexes; they beat a misleading value. */
    const char *body =
        "{\"results\":["
        "{\"id\":\"9\",\"objectWriteTraceId\":\"1\","
        "\"properties\":{\"sfid\":\"001A\"}},"
        "{\"id\":\"8\",\"objectWriteTraceId\":\"0\",\"properties\":{}},"
        "{\"id\":\"7\",\"objectWriteTraceId\":\"2\",\"properties\":{}}]}";
    struct hs_match_spec spec = {.id_property = "sfid", .trace_ids = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(200, body, NULL, keys3, NULL, 3, &spec, &o);
    assert_string_equal(o.results[0].hubspot_id, "8");
    assert_string_equal(o.results[1].hubspot_id, "9");
    assert_string_equal(o.results[2].hubspot_id, "7");
    hs_batch_outcome_release(&o);
}

static void test_207_value_error_envelope(void **state)
{
    const char *body =
        "{\"status\":\"COMPLETE\",\"numErrors\":1,\"results\":["
        "{\"id\":\"101\",\"new\":true,\"properties\":{\"sfid\":\"001A\"}},"
        "{\"id\":\"303\",\"new\":true,\"properties\":{\"sfid\":\"001C\"}}],"
        "\"errors\":[{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
        "\"message\":\"Property values were not valid: "
        "[{\\\"isValid\\\":false,\\\"message\\\":\\\"Japan Summer was not "
        "one of the allowed options\\\",\\\"error\\\":\\\"INVALID_OPTION\\\","
        "\\\"name\\\":\\\"industry\\\"}]\","
        "\"context\":{\"objectWriteTraceId\":[\"1\"]}}]}";
    struct hs_match_spec spec = {.id_property = "sfid", .trace_ids = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(207, body, NULL, keys3, NULL, 3, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_int_equal(o.results[2].outcome, HS_OK);
    assert_int_equal(o.results[1].outcome, HS_REJECTED);
    assert_string_equal(o.results[1].key, "001B");
    assert_string_equal(o.results[1].category, "VALIDATION_ERROR");
    assert_string_equal(o.results[1].code, "INVALID_OPTION");
    assert_string_equal(o.results[1].bad_property, "industry");
    assert_string_equal(o.results[1].detail,
                        "Japan Summer was not one of the allowed options");
    assert_non_null(strstr(o.results[1].message, "not valid"));
    assert_int_equal(o.results[1].status, 207);
    hs_batch_outcome_release(&o);
}

static void test_whole_batch_failure(void **state)
{
    const char *body =
        "{\"status\":\"error\",\"message\":\"Duplicate IDs found in batch "
        "input: [001A]. IDs must be unique\",\"correlationId\":\"x\","
        "\"context\":{\"ids\":[\"001A\"]},\"category\":\"VALIDATION_ERROR\"}";
    struct hs_match_spec spec = {.id_property = "sfid", .trace_ids = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(400, body, NULL, keys3, NULL, 3, &spec, &o);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(o.results[i].outcome, HS_BATCH_FAILED);
        assert_non_null(strstr(o.results[i].message, "Duplicate IDs"));
        assert_int_equal(o.results[i].status, 400);
    }
    hs_batch_outcome_release(&o);

    /* A batch of one has nothing to split: it is that input's error. */
    hs_batch_parse(400, body, NULL, keys3, NULL, 1, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_REJECTED);
    hs_batch_outcome_release(&o);

    /* Server trouble is not the input's fault. */
    hs_batch_parse(503, "<html>down</html>", NULL, keys3, NULL, 3, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_TRANSPORT);
    assert_string_equal(o.results[0].message, "HTTP status 503");
    hs_batch_outcome_release(&o);
}

static void test_409_existing_id(void **state)
{
    const char *body =
        "{\"status\":\"error\",\"message\":\"Contact already exists. "
        "Existing ID: 37765128953\",\"correlationId\":\"c\","
        "\"category\":\"CONFLICT\"}";
    const char *const keys[] = {"ann@example.com"};
    struct hs_match_spec spec = {.id_property = "email", .caseless = 1};
    struct hs_batch_outcome o;
    char id[24];

    (void)state;
    hs_batch_parse(409, body, NULL, keys, NULL, 1, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_REJECTED);
    assert_string_equal(o.results[0].category, "CONFLICT");
    assert_string_equal(o.results[0].existing_id, "37765128953");
    assert_string_equal(o.results[0].hubspot_id, "37765128953");
    hs_batch_outcome_release(&o);
    assert_int_equal(hs_parse_existing_id("no id here", id, sizeof(id)), -1);
}

static void test_batch_read_misses_and_email_case(void **state)
{
    const char *const keys[] = {"Ann@Example.com", "gone@example.com",
                                "bob@example.com"};
    const char *body =
        "{\"status\":\"COMPLETE\",\"numErrors\":1,\"results\":["
        "{\"id\":\"2\",\"properties\":{\"email\":\"bob@example.com\"}},"
        "{\"id\":\"1\",\"properties\":{\"email\":\"ann@example.com\"}}],"
        "\"errors\":[{\"status\":\"error\",\"category\":\"OBJECT_NOT_FOUND\","
        "\"message\":\"Could not get some CONTACT objects, they may be "
        "deleted or not exist. Check that ids are valid.\","
        "\"context\":{\"ids\":[\"gone@example.com\"]}}]}";
    struct hs_match_spec spec = {
        .id_property = "email", .caseless = 1, .missing_is_not_found = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(207, body, NULL, keys, NULL, 3, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_string_equal(o.results[0].hubspot_id, "1");
    assert_int_equal(o.results[1].outcome, HS_NOT_FOUND);
    assert_string_equal(o.results[1].category, "OBJECT_NOT_FOUND");
    assert_int_equal(o.results[2].outcome, HS_OK);
    assert_string_equal(o.results[2].hubspot_id, "2");
    hs_batch_outcome_release(&o);

    /* A miss the answer does not even name is still a miss. */
    hs_batch_parse(200, "{\"results\":[]}", NULL, keys, NULL, 3, &spec, &o);
    assert_int_equal(o.results[2].outcome, HS_NOT_FOUND);
    hs_batch_outcome_release(&o);
}

static void test_update_by_id_and_not_found(void **state)
{
    const char *const ids[] = {"11", "12"};
    const char *body =
        "{\"results\":[{\"id\":\"12\",\"properties\":{}}],"
        "\"errors\":[{\"category\":\"OBJECT_NOT_FOUND\",\"message\":\"x\","
        "\"context\":{\"objectWriteTraceId\":[\"0\"]}}]}";
    struct hs_match_spec spec = {.by_id = 1, .trace_ids = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(207, body, NULL, ids, ids, 2, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_NOT_FOUND);
    assert_int_equal(o.results[1].outcome, HS_OK);
    assert_string_equal(o.results[1].hubspot_id, "12");
    assert_string_equal(o.results[1].key, "12");
    hs_batch_outcome_release(&o);
}

static void test_unmentioned_input_and_transport(void **state)
{
    const char *body = "{\"results\":[{\"id\":\"101\",\"properties\":"
                       "{\"sfid\":\"001A\"}}]}";
    struct hs_match_spec spec = {.id_property = "sfid", .trace_ids = 1};
    struct hs_batch_outcome o;

    (void)state;
    hs_batch_parse(200, body, NULL, keys3, NULL, 3, &spec, &o);
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_int_equal(o.results[1].outcome, HS_TRANSPORT);
    assert_non_null(strstr(o.results[1].message, "did not mention"));
    hs_batch_outcome_release(&o);

    hs_batch_parse(0, "", "stopped: interrupted", keys3, NULL, 3, &spec, &o);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(o.results[i].outcome, HS_TRANSPORT);
        assert_string_equal(o.results[i].message, "stopped: interrupted");
    }
    hs_batch_outcome_release(&o);
}

static void test_error_detail_property_name(void **state)
{
    const char *body =
        "{\"status\":\"error\",\"message\":\"Invalid input\","
        "\"errors\":[{\"message\":\"discount was not a valid number\","
        "\"code\":\"INVALID_INTEGER\",\"context\":{\"propertyName\":"
        "[\"discount\"]}}],\"category\":\"VALIDATION_ERROR\"}";
    json_t *j = json_loads(body, 0, NULL);
    json_t *keep = json_array();
    struct hs_error_info info;

    (void)state;
    hs_error_info_parse(j, keep, &info);
    assert_string_equal(info.code, "INVALID_INTEGER");
    assert_string_equal(info.bad_property, "discount");
    assert_string_equal(info.detail, "discount was not a valid number");
    assert_null(info.existing_id);
    json_decref(keep);
    json_decref(j);
}

static void test_assoc_create_matched_by_pair(void **state)
{
    const char *const from[] = {"1", "1", "2"};
    const char *const to[] = {"10", "11", "10"};
    const char *body =
        "{\"status\":\"COMPLETE\",\"results\":["
        "{\"fromObjectId\":2,\"toObjectId\":10,\"labels\":[]},"
        "{\"fromObjectId\":1,\"toObjectId\":10,\"labels\":[]}],"
        "\"errors\":[{\"status\":\"error\",\"category\":\"OBJECT_NOT_FOUND\","
        "\"message\":\"no such record\",\"context\":{\"toObjectId\":"
        "[\"11\"]}}]}";
    struct hs_batch_outcome o;

    (void)state;
    hs_assoc_parse(207, body, NULL, from, to, 3, &o);
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_string_equal(o.results[0].key, "1");
    assert_string_equal(o.results[0].hubspot_id, "10");
    assert_int_equal(o.results[1].outcome, HS_NOT_FOUND);
    assert_string_equal(o.results[1].hubspot_id, "11");
    assert_int_equal(o.results[2].outcome, HS_OK);
    hs_batch_outcome_release(&o);

    /* 201 with no errors covers every pair, mentioned or not. */
    hs_assoc_parse(201, "{\"results\":[]}", NULL, from, to, 3, &o);
    assert_int_equal(o.results[1].outcome, HS_OK);
    hs_batch_outcome_release(&o);
}

static void test_assoc_read(void **state)
{
    const char *const from[] = {"5", "6"};
    const char *body =
        "{\"status\":\"COMPLETE\",\"results\":[{\"from\":{\"id\":\"6\"},"
        "\"to\":[{\"toObjectId\":77,\"associationTypes\":[{\"category\":"
        "\"HUBSPOT_DEFINED\",\"typeId\":1,\"label\":\"Primary\"}]}],"
        "\"paging\":{\"next\":{\"after\":\"77\"}}}]}";
    struct hs_batch_outcome o;

    (void)state;
    hs_assoc_parse(200, body, NULL, from, NULL, 2, &o);
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_null(o.results[0].properties);
    assert_false(o.results[0].more);
    assert_int_equal(o.results[1].outcome, HS_OK);
    assert_int_equal(json_array_size(o.results[1].properties), 1);
    assert_true(o.results[1].more);
    hs_batch_outcome_release(&o);
}

/* HubSpot answers a record without links with an OBJECT_NOT_FOUND error
 * (NO_ASSOCIATIONS_FOUND): that is "none", not a failure; another error
 * still fails its record. */
static void test_assoc_read_no_links_error(void **state)
{
    const char *const from[] = {"5", "6", "7"};
    const char *body =
        "{\"status\":\"COMPLETE\",\"results\":[{\"from\":{\"id\":\"6\"},"
        "\"to\":[{\"toObjectId\":77,\"associationTypes\":[{\"category\":"
        "\"HUBSPOT_DEFINED\",\"typeId\":279,\"label\":null}]}]}],"
        "\"numErrors\":2,\"errors\":[{\"status\":\"error\",\"category\":"
        "\"OBJECT_NOT_FOUND\",\"subCategory\":"
        "\"crm.associations.NO_ASSOCIATIONS_FOUND\",\"message\":\"No "
        "company is associated with contact 5.\",\"context\":{"
        "\"fromObjectId\":[\"5\"],\"toObjectType\":[\"company\"]}},"
        "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
        "\"message\":\"bad id\",\"context\":{\"fromObjectId\":[\"7\"]}}]}";
    struct hs_batch_outcome o;

    (void)state;
    hs_assoc_parse(207, body, NULL, from, NULL, 3, &o);
    assert_int_equal(o.results[0].outcome, HS_OK);
    assert_null(o.results[0].properties);
    assert_int_equal(o.results[1].outcome, HS_OK);
    assert_int_equal(json_array_size(o.results[1].properties), 1);
    assert_false(o.results[1].more);
    assert_int_equal(o.results[2].outcome, HS_REJECTED);
    assert_string_equal(o.results[2].message, "bad id");
    hs_batch_outcome_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upsert_results_matched_by_key_not_position),
        cmocka_unit_test(test_trace_id_wins_over_properties),
        cmocka_unit_test(test_207_value_error_envelope),
        cmocka_unit_test(test_whole_batch_failure),
        cmocka_unit_test(test_409_existing_id),
        cmocka_unit_test(test_batch_read_misses_and_email_case),
        cmocka_unit_test(test_update_by_id_and_not_found),
        cmocka_unit_test(test_unmentioned_input_and_transport),
        cmocka_unit_test(test_error_detail_property_name),
        cmocka_unit_test(test_assoc_create_matched_by_pair),
        cmocka_unit_test(test_assoc_read),
        cmocka_unit_test(test_assoc_read_no_links_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
