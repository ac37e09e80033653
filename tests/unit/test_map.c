/* Unit tests for mapping/map: one row through a plan bound to a small
 * schema, owners and pipelines, with no portal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "mapping/map.h"
#include "mapping/transform.h"

static const char schema_text[] =
    "{\"lastname\": {\"type\": \"string\", \"label\": \"Last Name\"},"
    " \"method\": {\"type\": \"enumeration\", \"fieldType\": \"select\","
    "  \"options\": [{\"value\": \"email\", \"label\": \"Email\"},"
    "               {\"value\": \"phone\", \"label\": \"Phone Call\"}]},"
    " \"channels\": {\"type\": \"enumeration\", \"fieldType\": \"checkbox\","
    "  \"options\": [{\"value\": \"email\", \"label\": \"Email\"},"
    "               {\"value\": \"phone\", \"label\": \"Phone\"}]},"
    " \"amount\": {\"type\": \"number\"},"
    " \"since\": {\"type\": \"date\"},"
    " \"createdate\": {\"type\": \"datetime\","
    "  \"modificationMetadata\": {\"readOnlyValue\": true}},"
    " \"hubspot_owner_id\": {\"type\": \"enumeration\"},"
    " \"pipeline\": {\"type\": \"enumeration\"},"
    " \"dealstage\": {\"type\": \"enumeration\"}}";

static const char pipelines_text[] =
    "[{\"id\": \"p1\", \"label\": \"Sales\", \"stages\": ["
    "   {\"id\": \"s-new\", \"label\": \"New\"},"
    "   {\"id\": \"s-won\", \"label\": \"Won\"}]},"
    " {\"id\": \"p2\", \"label\": \"Renewals\", \"stages\": ["
    "   {\"id\": \"r-due\", \"label\": \"Due\"}]}]";

struct fixture {
    json_t *schema, *pipelines, *users, *owners, *archived, *stages, *set;
    struct map_ctx ctx;
};

static int setup(void **state)
{
    static struct fixture fx;

    memset(&fx, 0, sizeof(fx));
    fx.schema = json_loads(schema_text, 0, NULL);
    fx.pipelines = json_loads(pipelines_text, 0, NULL);
    fx.users = json_pack("{s:s, s:s}", "U1", "ann@example.com", "U2",
                         "bob@example.com");
    fx.owners = json_pack("{s:s, s:s}", "ann@example.com", "201",
                          "bob@example.com", "202");
    fx.archived = json_pack("{s:b}", "202", 1);
    fx.stages = json_pack("{s:s}", "Closed Won", "s-won");
    fx.set = json_object();
    fx.ctx = (struct map_ctx){.schema = fx.schema,
                              .user_emails = fx.users,
                              .owner_emails = fx.owners,
                              .archived_owners = fx.archived,
                              .stages = fx.stages,
                              .pipelines = fx.pipelines,
                              .pipeline = "p1",
                              .id_property = "salesforce_id",
                              .tz = "UTC",
                              .locale = XF_LOCALE_EN};
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    json_decref(fx->schema);
    json_decref(fx->pipelines);
    json_decref(fx->users);
    json_decref(fx->owners);
    json_decref(fx->archived);
    json_decref(fx->stages);
    json_decref(fx->set);
    return 0;
}

/* Maps one value of one field; returns the written value or NULL. */
static const char *map_one(struct fixture *fx, struct field_map *f,
                           const char *value, struct map_result *res)
{
    struct object_source src = {
        .file = "X.csv", .fields = f, .nfields = 1, .set = fx->set};
    const char *header[] = {"Col"};
    const char *values[] = {value};
    struct map_plan *plan = NULL;
    struct err e = {0};
    static char out[XF_OUT_MAX];
    const json_t *v;

    f->column = "Col";
    assert_int_equal(map_plan_new(&src, header, 1, &fx->ctx, &plan, &e), 0);
    map_row(plan, &fx->ctx, "SID", values, res);
    map_plan_free(plan);
    if (!res->props)
        return NULL;
    v = json_object_get(res->props, "dealstage");
    v = v ? v : json_object_get(res->props, f->property);
    snprintf(out, sizeof(out), "%s", v ? json_string_value(v) : "<none>");
    map_result_release(res);
    return out;
}

static struct field_map field(const char *property, enum xform x)
{
    return (struct field_map){.property = (char *)property,
                              .xform = x,
                              .date_format = -1,
                              .locale = -1};
}

static void test_type_decides_transform(void **state)
{
    struct fixture *fx = *state;
    struct field_map f = field("amount", XF_TEXT);
    struct map_result res;

    assert_string_equal(map_one(fx, &f, "1,200.50", &res), "1200.50");
    f = field("since", XF_TEXT);
    assert_string_equal(map_one(fx, &f, "2024-03-05T23:30:00-08:00", &res),
                        "2024-03-06");
    fx->ctx.tz = "America/Los_Angeles";
    assert_string_equal(map_one(fx, &f, "2024-03-05T23:30:00-08:00", &res),
                        "2024-03-05");
    fx->ctx.tz = "UTC";
}

static void test_enum_and_multi(void **state)
{
    struct fixture *fx = *state;
    struct field_map f = field("method", XF_TEXT);
    struct map_result res;

    assert_string_equal(map_one(fx, &f, " phone call ", &res), "phone");
    assert_null(map_one(fx, &f, "Fax", &res));
    assert_int_equal(res.problems[0].kind, MAP_ERROR);
    assert_string_equal(res.problems[0].hint, "allowed: email, phone");
    assert_null(map_one(fx, &f, "Email;Phone Call", &res));
    f = field("channels", XF_TEXT);
    f.separator = ",";
    assert_string_equal(map_one(fx, &f, "Email, Phone", &res), "email;phone");
    f.separator = NULL;
    assert_null(map_one(fx, &f, "Email, Phone", &res));
    /* An enumeration whose options the portal does not list. */
    f = field("hubspot_owner_id", XF_TEXT);
    assert_string_equal(map_one(fx, &f, "12345", &res), "12345");
}

static void test_enum_policies(void **state)
{
    struct fixture *fx = *state;
    struct field_map f = field("method", XF_ENUM);
    struct map_result res;

    f.values = json_pack("{s:s}", "tel", "Phone Call");
    assert_string_equal(map_one(fx, &f, "TEL", &res), "phone");
    f.on_unknown = UNKNOWN_DEFAULT;
    f.default_value = "Email";
    assert_string_equal(map_one(fx, &f, "Fax", &res), "email");
    assert_int_equal(res.problems[0].kind, MAP_WARNING);
    f.on_unknown = UNKNOWN_CREATE;
    assert_string_equal(map_one(fx, &f, " Fax ", &res), "Fax");
    assert_int_equal(res.problems[0].kind, MAP_NEW_OPTION);
    assert_string_equal(res.problems[0].value, "Fax");
    json_decref(f.values);
}

static void test_owners(void **state)
{
    struct fixture *fx = *state;
    struct field_map f = field("hubspot_owner_id", XF_OWNER);
    struct map_result res;

    assert_string_equal(map_one(fx, &f, "U1", &res), "201");
    assert_int_equal(res.nproblems, 0);
    assert_string_equal(map_one(fx, &f, "Ann@Example.com", &res), "201");
    assert_string_equal(map_one(fx, &f, "U2", &res), "202");
    assert_int_equal(res.problems[0].kind, MAP_WARNING);
    assert_non_null(strstr(res.problems[0].message, "archived"));
    assert_null(map_one(fx, &f, "U9", &res));
    fx->ctx.default_owner = "201";
    assert_string_equal(map_one(fx, &f, "U9", &res), "201");
    fx->ctx.default_owner = NULL;
    fx->ctx.owner_optional = 1;
    assert_string_equal(map_one(fx, &f, "U9", &res), "<none>");
    assert_int_equal(res.problems[0].kind, MAP_WARNING);
    fx->ctx.owner_optional = 0;
}

static void test_stages(void **state)
{
    struct fixture *fx = *state;
    struct field_map f = field("dealstage", XF_DEALSTAGE);
    struct map_result res;

    assert_string_equal(map_one(fx, &f, "Closed Won", &res), "s-won");
    assert_string_equal(map_one(fx, &f, "new", &res), "s-new");
    assert_null(map_one(fx, &f, "Due", &res));
    assert_non_null(strstr(res.problems[0].message, "'Renewals'"));
    assert_string_equal(res.problems[0].hint, "allowed: New, Won");
    fx->ctx.pipeline = "p2";
    assert_string_equal(map_one(fx, &f, "due", &res), "r-due");
    fx->ctx.pipeline = "p1";
}

static void test_plan_binding(void **state)
{
    struct fixture *fx = *state;
    struct field_map f[3] = {field("Last Name", XF_TEXT),
                             field("createdate", XF_TEXT),
                             field("nosuch", XF_TEXT)};
    struct object_source src = {
        .file = "X.csv", .fields = f, .nfields = 3, .set = fx->set};
    const char *header[] = {"A", "B", "C"};
    const char *values[] = {"Doe", "2020-01-01", "x"};
    struct map_plan *plan = NULL;
    struct map_field_info fi;
    struct map_result res;
    struct err e = {0};

    f[0].column = "A";
    f[1].column = "B";
    f[2].column = "C";
    assert_int_equal(map_plan_new(&src, header, 3, &fx->ctx, &plan, &e), 0);
    map_plan_field(plan, 0, &fi);
    assert_string_equal(fi.property, "lastname");
    assert_true(fi.by_label);
    map_plan_field(plan, 1, &fi);
    assert_int_equal(fi.bind, MAP_READONLY);
    map_plan_field(plan, 2, &fi);
    assert_int_equal(fi.bind, MAP_MISSING);
    map_row(plan, &fx->ctx, "SID", values, &res);
    assert_string_equal(
        json_string_value(json_object_get(res.props, "lastname")), "Doe");
    assert_null(json_object_get(res.props, "createdate"));
    assert_null(json_object_get(res.props, "nosuch"));
    map_result_release(&res);
    map_plan_free(plan);
    header[2] = "Other";
    assert_int_equal(map_plan_new(&src, header, 3, &fx->ctx, &plan, &e),
                     ERR_USAGE);
    assert_non_null(strstr(e.msg, "'C'"));
}

/* Twelve bad values in one row: each is reported, in field order, by
 * map_row and by map_row_values, whose storage serves row after row. */
static void test_every_problem(void **state)
{
    struct fixture *fx = *state;
    struct field_map f[12];
    char cols[12][8];
    const char *header[12], *bad[12], *good[12];
    struct object_source src = {
        .file = "X.csv", .fields = f, .nfields = 12, .set = fx->set};
    struct map_plan *plan = NULL;
    struct map_result res, reused;
    struct err e = {0};

    for (int i = 0; i < 12; i++) {
        snprintf(cols[i], sizeof(cols[i]), "C%d", i);
        f[i] = field(i % 2 ? "amount" : "since", XF_TEXT);
        f[i].column = cols[i];
        header[i] = cols[i];
        bad[i] = i % 2 ? "12abc" : "2024-02-30";
        good[i] = i % 2 ? "12" : "2024-02-29";
    }
    assert_int_equal(map_plan_new(&src, header, 12, &fx->ctx, &plan, &e), 0);
    map_row(plan, &fx->ctx, "SID", bad, &res);
    assert_null(res.props);
    assert_int_equal(res.nproblems, 12);
    assert_string_equal(res.problems[11].column, "C11");
    assert_string_equal(res.problems[11].message, "not a number");
    map_result_release(&res);

    memset(&reused, 0, sizeof(reused));
    for (int round = 0; round < 3; round++) {
        map_row_values(plan, &fx->ctx, "SID", bad, &reused);
        assert_true(reused.rejected);
        assert_int_equal(reused.nproblems, 12);
        assert_string_equal(reused.problems[10].value, "2024-02-30");
        map_row_values(plan, &fx->ctx, "SID", good, &reused);
        assert_false(reused.rejected);
        assert_int_equal(reused.nproblems, 0);
        assert_string_equal(
            map_result_get(plan, &fx->ctx, "SID", &reused, "amount"), "12");
        assert_string_equal(
            map_result_get(plan, &fx->ctx, "SID", &reused, "salesforce_id"),
            "SID");
    }
    map_result_release(&reused);
    map_plan_free(plan);
}

/* Text longer than HubSpot's 65,536 characters (UTF-16 units) rejects
 * the row; the value kept in the problem is cut between characters. */
static void test_text_length(void **state)
{
    struct fixture *fx = *state;
    struct field_map f[1] = {field("lastname", 0)};
    struct object_source src = {
        .file = "X.csv", .fields = f, .nfields = 1, .set = fx->set};
    const char *header[] = {"Name"};
    struct map_plan *plan = NULL;
    struct map_result res;
    struct err e = {0};
    size_t n = 70000 * 2;
    char *long_text = malloc(n + 1), *row[1] = {long_text};

    assert_non_null(long_text);
    f[0].column = "Name";
    assert_int_equal(map_plan_new(&src, header, 1, &fx->ctx, &plan, &e), 0);
    memset(&res, 0, sizeof(res));

    /* 65,536 two-byte characters: 131,072 bytes, not too long. */
    for (size_t i = 0; i < 65536; i++)
        memcpy(long_text + 2 * i, "\xc3\xa9", 2);
    long_text[2 * 65536] = '\0';
    map_row_values(plan, &fx->ctx, "SID", (const char *const *)row, &res);
    assert_false(res.rejected);

    /* 70,000 of them are; the problem's value ends on a whole one. */
    for (size_t i = 0; i < 70000; i++)
        memcpy(long_text + 2 * i, "\xc3\xa9", 2);
    long_text[n] = '\0';
    map_row_values(plan, &fx->ctx, "SID", (const char *const *)row, &res);
    assert_true(res.rejected);
    assert_int_equal(res.nproblems, 1);
    assert_string_equal(res.problems[0].message,
                        "value is 70000 characters long; HubSpot takes at "
                        "most 65536");
    assert_int_equal(strlen(res.problems[0].value) % 2, 0);
    assert_int_equal((unsigned char)res.problems[0].value[0], 0xc3);

    /* A character beyond U+FFFF counts two: 32,769 of them are 65,538. */
    for (size_t i = 0; i < 32769; i++)
        memcpy(long_text + 4 * i, "\xf0\x9f\x98\x80", 4);
    long_text[4 * 32769] = '\0';
    map_row_values(plan, &fx->ctx, "SID", (const char *const *)row, &res);
    assert_true(res.rejected);
    assert_string_equal(res.problems[0].message,
                        "value is 65538 characters long; HubSpot takes at "
                        "most 65536");
    assert_int_equal(strlen(res.problems[0].value) % 4, 0);

    map_result_release(&res);
    map_plan_free(plan);
    free(long_text);
}

/* A date column without date_format learns its slash-date order from
 * every row before any is mapped; a tie teaches nothing. */
static void test_date_order_learned(void **state)
{
    struct fixture *fx = *state;
    struct field_map f[2] = {field("since", XF_TEXT), field("lastname", 0)};
    struct object_source src = {
        .file = "X.csv", .fields = f, .nfields = 2, .set = fx->set};
    const char *header[] = {"Since", "Name"};
    const char *rows[][2] = {{"04/05/2024", "A"},
                             {"", "B"},
                             {"13/05/2024", "C"},
                             {"2024-01-02", "D"}};
    struct map_plan *plan = NULL;
    struct map_field_info fi;
    struct map_result res;
    struct err e = {0};

    f[0].column = "Since";
    f[1].column = "Name";
    assert_int_equal(map_plan_new(&src, header, 2, &fx->ctx, &plan, &e), 0);
    assert_true(map_plan_learns(plan));
    for (size_t i = 0; i < 4; i++)
        map_plan_learn(plan, rows[i]);
    map_plan_learned(plan);
    map_plan_field(plan, 0, &fi);
    assert_true(fi.learns);
    assert_string_equal(fi.date_order, "D/M/YYYY");
    assert_int_equal(fi.shown_dmy, 1);
    map_plan_field(plan, 1, &fi);
    assert_false(fi.learns);
    map_row(plan, &fx->ctx, "SID", rows[0], &res);
    assert_string_equal(json_string_value(json_object_get(res.props, "since")),
                        "2024-05-04");
    map_result_release(&res);

    /* One value each way: 04/05/2024 cannot be read, and the hint says
     * what to set. */
    map_plan_learn(plan, (const char *[]){"5/13/2024", "E"});
    map_plan_learned(plan);
    map_plan_field(plan, 0, &fi);
    assert_null(fi.date_order);
    map_row(plan, &fx->ctx, "SID", rows[0], &res);
    assert_null(res.props);
    assert_non_null(strstr(res.problems[0].hint, "date_format"));
    map_result_release(&res);
    map_plan_free(plan);

    f[0].date_format = XF_DATE_MDY;
    assert_int_equal(map_plan_new(&src, header, 2, &fx->ctx, &plan, &e), 0);
    assert_false(map_plan_learns(plan));
    map_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_decides_transform),
        cmocka_unit_test(test_enum_and_multi),
        cmocka_unit_test(test_enum_policies),
        cmocka_unit_test(test_owners),
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_plan_binding),
        cmocka_unit_test(test_every_problem),
        cmocka_unit_test(test_text_length),
        cmocka_unit_test(test_date_order_learned),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
