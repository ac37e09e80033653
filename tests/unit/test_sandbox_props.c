/* The sandbox's property changes on the store: a PATCH keeps what it does
 * not carry and replaces the option list whole, HubSpot's own properties
 * keep their definition, archiving hides a property until a create of the
 * same name restores it, and a group with live properties stays. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"
#include "sandbox/store.h"

#define TIER                                                                   \
    "{\"name\": \"tier\", \"label\": \"Tier\", \"type\": \"enumeration\","     \
    " \"fieldType\": \"select\", \"groupName\": \"contactinformation\","       \
    " \"description\": \"service level\", \"options\": ["                      \
    "{\"label\": \"Gold\", \"value\": \"gold\", \"displayOrder\": 0},"         \
    " {\"label\": \"Silver\", \"value\": \"silver\", \"displayOrder\": 1}]}"

static int setup(void **state)
{
    struct err e = {0};
    sqlite3 *db = NULL;
    char msg[256];
    json_t *tier = json_loads(TIER, 0, NULL);

    assert_int_equal(sb_store_open(NULL, &db, &e), 0);
    assert_int_equal(sb_properties_seed_defaults(db, &e), 0);
    assert_int_equal(sb_prop_create(db, "contacts", tier, msg, sizeof(msg)), 0);
    json_decref(tier);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    sb_store_close(*state);
    return 0;
}

/* sb_prop_update with a body in JSON text; msg gets the refusal. */
static int patch(sqlite3 *db, const char *name, const char *body, char *msg)
{
    json_t *b = json_loads(body, 0, NULL);
    int rc;

    assert_non_null(b);
    rc = sb_prop_update(db, "contacts", name, b, msg, 256);
    json_decref(b);
    return rc;
}

static const char *opt_value(json_t *p, size_t i)
{
    return json_string_value(json_object_get(
        json_array_get(json_object_get(p, "options"), i), "value"));
}

static void test_options_replace_the_list(void **state)
{
    sqlite3 *db = *state;
    char msg[256];
    json_t *p;

    assert_int_equal(patch(db, "tier",
                           "{\"options\": [{\"label\": \"Silver\", \"value\":"
                           " \"silver\"}, {\"label\": \"Bronze\", \"value\":"
                           " \"bronze\", \"hidden\": true}]}",
                           msg),
                     0);
    p = sb_prop_get(db, "contacts", "tier", 0);
    assert_int_equal(json_array_size(json_object_get(p, "options")), 2);
    assert_string_equal(opt_value(p, 0), "silver");
    assert_string_equal(opt_value(p, 1), "bronze");
    /* hidden is an Option's required field: false when left out. */
    assert_true(json_is_false(json_object_get(
        json_array_get(json_object_get(p, "options"), 0), "hidden")));
    /* What the PATCH did not carry stays. */
    assert_string_equal(json_string_value(json_object_get(p, "label")), "Tier");
    assert_string_equal(json_string_value(json_object_get(p, "description")),
                        "service level");
    json_decref(p);
}

static void test_fields_overwrite_and_checks(void **state)
{
    sqlite3 *db = *state;
    char msg[256];
    json_t *p;

    assert_int_equal(patch(db, "tier",
                           "{\"label\": \"Service tier\", \"displayOrder\": 4,"
                           " \"hidden\": true, \"fieldType\": \"radio\"}",
                           msg),
                     0);
    p = sb_prop_get(db, "contacts", "tier", 0);
    assert_string_equal(json_string_value(json_object_get(p, "label")),
                        "Service tier");
    assert_string_equal(json_string_value(json_object_get(p, "fieldType")),
                        "radio");
    assert_int_equal(json_integer_value(json_object_get(p, "displayOrder")), 4);
    assert_string_equal(opt_value(p, 1), "silver");
    json_decref(p);

    assert_int_equal(patch(db, "tier", "{\"fieldType\": \"text\"}", msg), 400);
    assert_non_null(strstr(msg, "not valid for type 'enumeration'"));
    assert_int_equal(patch(db, "tier", "{\"groupName\": \"nosuch\"}", msg),
                     400);
    assert_int_equal(patch(db, "tier", "{\"name\": \"other\"}", msg), 400);
    assert_int_equal(patch(db, "tier", "{\"hasUniqueValue\": true}", msg), 400);
    assert_int_equal(patch(db, "tier", "{\"label\": 7}", msg), 400);
    assert_int_equal(
        patch(db, "tier",
              "{\"options\": [{\"label\": \"A\", \"value\": \"a\"},"
              " {\"label\": \"B\", \"value\": \"a\"}]}",
              msg),
        400);
    assert_non_null(strstr(msg, "duplicate value 'a'"));
    /* A string becomes an enumeration only with its options. */
    assert_int_equal(patch(db, "firstname",
                           "{\"type\": \"enumeration\", \"fieldType\":"
                           " \"select\"}",
                           msg),
                     400);
    assert_int_equal(patch(db, "nosuch", "{\"label\": \"x\"}", msg), 404);
}

static void test_hubspot_defined_keep_their_definition(void **state)
{
    sqlite3 *db = *state;
    char msg[256];
    json_t *p;

    assert_int_equal(patch(db, "lifecyclestage", "{\"label\": \"Stage\"}", msg),
                     400);
    assert_int_equal(patch(db, "hubspot_owner_id", "{\"options\": []}", msg),
                     400);
    p = sb_prop_get(db, "contacts", "hs_lead_status", 0);
    assert_true(json_is_false(json_object_get(
        json_object_get(p, "modificationMetadata"), "readOnlyOptions")));
    json_decref(p);
    assert_int_equal(patch(db, "hs_lead_status",
                           "{\"options\": [{\"label\": \"New\", \"value\":"
                           " \"NEW\"}, {\"label\": \"Won back\", \"value\":"
                           " \"WON_BACK\"}]}",
                           msg),
                     0);
    p = sb_prop_get(db, "contacts", "hs_lead_status", 0);
    assert_string_equal(opt_value(p, 1), "WON_BACK");
    json_decref(p);
    assert_int_equal(sb_prop_archive(db, "contacts", "email", msg, 256), 400);
}

static int defined(sqlite3 *db, const char *name)
{
    struct sb_propdefs defs;
    int found;

    assert_int_equal(sb_propdefs_load(db, "contacts", &defs), 0);
    found = sb_propdefs_find(&defs, name) != NULL;
    sb_propdefs_release(&defs);
    return found;
}

static void test_archive_and_restore(void **state)
{
    sqlite3 *db = *state;
    char msg[256];
    json_t *p,
        *again =
            json_loads("{\"name\": \"tier\", \"label\": \"Tier 2\", \"type\":"
                       " \"string\", \"fieldType\": \"text\", \"groupName\":"
                       " \"contactinformation\"}",
                       0, NULL);
    char created[40];

    p = sb_prop_get(db, "contacts", "tier", 0);
    snprintf(created, sizeof(created), "%s",
             json_string_value(json_object_get(p, "createdAt")));
    json_decref(p);
    assert_int_equal(sb_prop_archive(db, "contacts", "tier", msg, 256), 0);
    assert_null(sb_prop_get(db, "contacts", "tier", 0));
    assert_false(defined(db, "tier"));
    p = sb_prop_get(db, "contacts", "tier", 1);
    assert_true(json_is_true(json_object_get(p, "archived")));
    assert_non_null(json_object_get(p, "archivedAt"));
    json_decref(p);
    assert_int_equal(sb_prop_archive(db, "contacts", "tier", msg, 256), 404);
    assert_int_equal(patch(db, "tier", "{\"label\": \"x\"}", msg), 404);

    /* A create of the name restores the property, createdAt and all. */
    assert_int_equal(sb_prop_create(db, "contacts", again, msg, 256), 0);
    p = sb_prop_get(db, "contacts", "tier", 0);
    assert_string_equal(json_string_value(json_object_get(p, "label")),
                        "Tier 2");
    assert_string_equal(json_string_value(json_object_get(p, "createdAt")),
                        created);
    assert_true(defined(db, "tier"));
    json_decref(p);
    json_decref(again);
}

static void test_groups(void **state)
{
    sqlite3 *db = *state;
    json_t *relabel = json_loads("{\"label\": \"Contact info\"}", 0, NULL);
    json_t *bad = json_loads("{\"displayOrder\": \"first\"}", 0, NULL);
    char msg[256];

    assert_int_equal(sb_group_update(db, "contacts", "contactinformation",
                                     relabel, msg, 256),
                     0);
    assert_int_equal(
        sb_group_update(db, "contacts", "contactinformation", bad, msg, 256),
        400);
    assert_int_equal(
        sb_group_update(db, "contacts", "nosuch", relabel, msg, 256), 404);
    assert_int_equal(
        sb_group_archive(db, "contacts", "contactinformation", msg, 256), 400);
    assert_string_equal(msg,
                        "Can't delete or purge a group with active properties");
    assert_true(sb_prop_group_live(db, "contacts", "contactinformation"));
    assert_int_equal(sb_group_archive(db, "companies", "nosuch", msg, 256),
                     404);

    /* A group whose properties are all archived archives. */
    assert_int_equal(sb_db_exec(db, "INSERT INTO property_groups(object_type,"
                                    " name, label) VALUES('contacts', 'sf',"
                                    " 'Salesforce')"),
                     0);
    assert_int_equal(patch(db, "tier", "{\"groupName\": \"sf\"}", msg), 0);
    assert_int_equal(sb_group_archive(db, "contacts", "sf", msg, 256), 400);
    assert_int_equal(sb_prop_archive(db, "contacts", "tier", msg, 256), 0);
    assert_int_equal(sb_group_archive(db, "contacts", "sf", msg, 256), 0);
    assert_false(sb_prop_group_live(db, "contacts", "sf"));
    assert_int_equal(patch(db, "firstname", "{\"groupName\": \"sf\"}", msg),
                     400);
    json_decref(relabel);
    json_decref(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_options_replace_the_list, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fields_overwrite_and_checks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_hubspot_defined_keep_their_definition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive_and_restore, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
