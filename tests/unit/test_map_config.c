/* Unit tests for the per-field mapping options in hsmigrate.yaml: they
 * load, survive a save and reload, and mistakes name their key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/project.h"
#include "core/err.h"
#include "mapping/transform.h"

static const char base[] =
    "version: \"1\"\n"
    "source:\n  type: \"salesforce\"\n  input: \"/tmp\"\n"
    "  timezone: \"America/Los_Angeles\"\n  locale: \"eu\"\n"
    "target:\n  create_missing_properties: \"true\"\n"
    "owners:\n  file: \"User.csv\"\n  default: \"ops@example.com\"\n"
    "objects:\n  contacts:\n    - file: \"Contact.csv\"\n      fields:\n";

/* A project whose hsmigrate.yaml is head followed by fields. */
static char *write_config(const char *head, const char *fields)
{
    char tmpl[] = "/tmp/hsm-test-map-config.XXXXXX";
    char *dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
    char path[512];
    FILE *f;

    assert_non_null(dir);
    snprintf(path, sizeof(path), "%s/hsmigrate.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s%s", head, fields);
    fclose(f);
    return dir;
}

static char *write_project(const char *fields)
{
    return write_config(base, fields);
}

static void remove_project(char *dir)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/hsmigrate.yaml", dir);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static void test_options_round_trip(void **state)
{
    char *dir = write_project(
        "        - {column: \"D\", property: \"since\", date_format: "
        "\"D/M/YYYY\", locale: \"en\"}\n"
        "        - column: \"M\"\n          property: \"method\"\n"
        "          values: {\"Tel\": \"phone\", \"a, b\": \"x\"}\n"
        "          on_unknown: \"default\"\n          default: \"email\"\n"
        "          separator: \",\"\n");
    struct project_config cfg;
    struct err e = {0};

    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        const struct field_map *f;

        assert_int_equal(project_config_load(dir, &cfg, &e), 0);
        f = cfg.objects[OBJ_CONTACTS].sources[0].fields;
        assert_string_equal(cfg.timezone, "America/Los_Angeles");
        assert_int_equal(cfg.locale, XF_LOCALE_EU);
        assert_int_equal(cfg.create_missing_properties, 1);
        assert_string_equal(cfg.default_owner, "ops@example.com");
        assert_int_equal(f[0].date_format, XF_DATE_DMY);
        assert_int_equal(f[0].locale, XF_LOCALE_EN);
        assert_int_equal(f[1].date_format, -1);
        assert_int_equal(f[1].on_unknown, UNKNOWN_DEFAULT);
        assert_string_equal(f[1].default_value, "email");
        assert_string_equal(f[1].separator, ",");
        assert_string_equal(
            json_string_value(json_object_get(f[1].values, "a, b")), "x");
        if (pass == 0)
            assert_int_equal(project_config_save(&cfg, &e), 0);
        project_config_release(&cfg);
    }
    remove_project(dir);
}

struct bad_case {
    const char *fields;
    const char *want; /* in the message */
};

static void test_mistakes_name_their_key(void **state)
{
    static const struct bad_case cases[] = {
        {"        - {column: \"A\", property: \"a\", date_format: \"soon\"}\n",
         "fields[0].date_format: unknown format 'soon'"},
        {"        - {column: \"A\", property: \"a\", locale: \"fr\"}\n",
         "fields[0].locale: unknown locale 'fr'"},
        {"        - {column: \"A\", property: \"a\", on_unknown: \"guess\"}\n",
         "fields[0].on_unknown: 'guess'"},
        {"        - {column: \"A\", property: \"a\", on_unknown: \"default\"}\n",
         "no 'default' value"},
        {"        - {column: \"A\", property: \"a\", values: \"x\"}\n",
         "fields[0].values: expected a mapping"},
    };
    struct project_config cfg;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char *dir = write_project(cases[i].fields);
        struct err e = {0};

        assert_int_equal(project_config_load(dir, &cfg, &e), ERR_USAGE);
        if (!strstr(e.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].want);
        project_config_release(&cfg);
        remove_project(dir);
    }
}

/* Loads head + fields and expects ERR_USAGE with want in the message. */
static void expect_refused(const char *head, const char *fields,
                           const char *want)
{
    char *dir = write_config(head, fields);
    struct project_config cfg;
    struct err e = {0};

    if (project_config_load(dir, &cfg, &e) != ERR_USAGE)
        fail_msg("accepted, wanted an error with '%s'", want);
    if (!strstr(e.msg, want))
        fail_msg("'%s' lacks '%s'", e.msg, want);
    project_config_release(&cfg);
    remove_project(dir);
}

static const char field_a[] = "        - {column: \"A\", property: \"a\"}\n";

/* A misspelt key would leave its setting at the default without a word:
 * converted leads migrated, a transform never applied, no contacts. */
static void test_unknown_keys_are_refused(void **state)
{
    (void)state;
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\", "
                   "transfrom: \"text\"}\n",
                   "objects.contacts[0].fields[0]: unknown key 'transfrom'");
    expect_refused("version: \"1\"\nsource:\n  type: \"salesforce\"\n"
                   "  input: \"/tmp\"\nobjects:\n  contacts:\n"
                   "    - file: \"Lead.csv\"\n      skip_convertd: \"true\"\n"
                   "      fields:\n",
                   field_a, "objects.contacts[0]: unknown key 'skip_convertd'");
    expect_refused("version: \"1\"\nsource:\n  type: \"salesforce\"\n"
                   "  input: \"/tmp\"\nobjects:\n  contact:\n"
                   "    - file: \"Contact.csv\"\n      fields:\n",
                   field_a, "objects: unknown key 'contact'");
    expect_refused("version: \"1\"\nsource:\n  type: \"salesforce\"\n"
                   "  input: \"/tmp\"\n  encodng: \"latin1\"\nobjects:\n"
                   "  contacts:\n    - file: \"Contact.csv\"\n      fields:\n",
                   field_a, "source: unknown key 'encodng'");
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\"}\n"
                   "links:\n  - {kind: \"deal_contact\", file: \"X.csv\","
                   " from: \"Id\", too: \"ContactId\"}\n",
                   "links[0]: unknown key 'too'");
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\"}\n"
                   "bogus: \"1\"\n",
                   "unknown key 'bogus'");
}

/* A list or a mapping where one value belongs is not read as absent. */
static void test_wrong_shapes_are_refused(void **state)
{
    (void)state;
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\", "
                   "transform: [\"text\"]}\n",
                   "objects.contacts[0].fields[0].transform: expected a "
                   "single value, not a list");
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\"}\n"
                   "run:\n  concurrency: [1, 2]\n",
                   "run.concurrency: expected a single value");
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\"}\n"
                   "deals:\n  stages: [\"won\"]\n",
                   "deals.stages: expected a mapping, not a list");
    expect_refused("version: \"1\"\nsource:\n  type: \"salesforce\"\n"
                   "  input: \"/tmp\"\nobjects:\n  contacts:\n"
                   "    - file: \"Lead.csv\"\n"
                   "      set: {\"lifecyclestage\": [\"lead\"]}\n"
                   "      fields:\n",
                   field_a,
                   "objects.contacts[0].set.lifecyclestage: expected a single "
                   "value");
    expect_refused("version: \"2\"\nsource:\n  type: \"salesforce\"\n"
                   "  input: \"/tmp\"\nobjects:\n  contacts:\n"
                   "    - file: \"Contact.csv\"\n      fields:\n",
                   field_a, "version: '2' is not supported");
}

/* Yes/no settings take the usual spellings and refuse anything else,
 * instead of reading every spelling but "true" as no. */
static void test_yes_no_settings(void **state)
{
    static const char head[] =
        "version: \"1\"\nsource:\n  type: \"salesforce\"\n"
        "  input: \"/tmp\"\ntarget:\n  create_missing_properties: \"%s\"\n"
        "objects:\n  contacts:\n    - file: \"Lead.csv\"\n"
        "      skip_converted: \"%s\"\n      fields:\n";
    static const char *const spell[][3] = {
        {"yes", "Yes", "1"},
        {"TRUE", "on", "1"},
        {"no", "false", "0"},
        {"0", "", "0"},
    };
    char text[512];

    (void)state;
    for (size_t i = 0; i < sizeof(spell) / sizeof(*spell); i++) {
        struct project_config cfg;
        struct err e = {0};
        char *dir;

        snprintf(text, sizeof(text), head, spell[i][0], spell[i][1]);
        dir = write_config(text, field_a);
        if (project_config_load(dir, &cfg, &e))
            fail_msg("case %zu: %s", i, e.msg);
        assert_int_equal(cfg.create_missing_properties, spell[i][2][0] == '1');
        assert_int_equal(cfg.objects[OBJ_CONTACTS].sources[0].skip_converted,
                         spell[i][2][0] == '1');
        project_config_release(&cfg);
        remove_project(dir);
    }
    snprintf(text, sizeof(text), head, "true", "maybe");
    expect_refused(text, field_a,
                   "objects.contacts[0].skip_converted: expected \"true\" or "
                   "\"false\", not 'maybe'");
}

/* Two columns into one property: one of them would be lost silently. */
static void test_property_mapped_once(void **state)
{
    (void)state;
    expect_refused(base,
                   "        - {column: \"Last\", property: \"lastname\"}\n"
                   "        - {column: \"First\", property: \"LastName\"}\n",
                   "fields[1]: property 'LastName' is already mapped from "
                   "column 'Last' (fields[0])");
    expect_refused(
        base, "        - {column: \"Name\", property: \"salesforce_id\"}\n",
        "fields[0]: property 'salesforce_id' is "
        "target.id_property");
    expect_refused("version: \"1\"\nsource:\n  type: \"salesforce\"\n"
                   "  input: \"/tmp\"\nobjects:\n  contacts:\n"
                   "    - file: \"Lead.csv\"\n"
                   "      set: {\"lifecyclestage\": \"lead\"}\n"
                   "      fields:\n",
                   "        - {column: \"Stage\", property: "
                   "\"lifecyclestage\"}\n",
                   "fields[0]: property 'lifecyclestage' is also in set");
}

/* HubSpot keeps property names in lower case: a key property named
 * otherwise is created under another name, and every upsert by the
 * configured one then fails. */
static void test_id_property_name(void **state)
{
    static const char head[] =
        "version: \"1\"\nsource:\n  type: \"salesforce\"\n"
        "  input: \"/tmp\"\ntarget:\n  id_property: \"%s\"\nobjects:\n"
        "  contacts:\n    - file: \"Contact.csv\"\n      fields:\n";
    static const char *const bad[] = {"Salesforce_ID", "sf id", "1st_id", "_id",
                                      ""};
    char text[512];

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        snprintf(text, sizeof(text), head, bad[i]);
        expect_refused(text, field_a, "target.id_property: '");
    }
    snprintf(text, sizeof(text), head, "sf_id_2");
    {
        char *dir = write_config(text, field_a);
        struct project_config cfg;
        struct err e = {0};

        if (project_config_load(dir, &cfg, &e))
            fail_msg("sf_id_2 refused: %s", e.msg);
        assert_string_equal(cfg.id_property, "sf_id_2");
        project_config_release(&cfg);
        remove_project(dir);
    }
}

/* YAML that libyaml accepts but that must not be read as it stands. */
static void test_yaml_traps(void **state)
{
    char bomb[2048] = "";
    size_t n = 0;

    (void)state;
    /* A key given twice: the second would replace the first unseen. */
    expect_refused(base,
                   "        - {column: \"A\", property: \"a\"}\n"
                   "run:\n  concurrency: \"4\"\n  concurrency: \"8\"\n",
                   "line 19: key 'concurrency' appears twice");
    /* Aliases that expand a small file into billions of values. */
    n += (size_t)snprintf(bomb + n, sizeof(bomb) - n,
                          "a0: &a0 [\"x\", \"x\", \"x\", \"x\", \"x\", "
                          "\"x\", \"x\", \"x\", \"x\", \"x\"]\n");
    for (int i = 1; i < 9; i++)
        n += (size_t)snprintf(
            bomb + n, sizeof(bomb) - n,
            "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
            "*a%d, *a%d]\n",
            i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
            i - 1);
    expect_refused(bomb, base, "more than");
}

static void test_unknown_time_zone(void **state)
{
    char *dir = write_project("        - {column: \"A\", property: \"a\"}\n");
    char path[512];
    struct project_config cfg;
    struct err e = {0};
    FILE *f;

    (void)state;
    snprintf(path, sizeof(path), "%s/hsmigrate.yaml", dir);
    f = fopen(path, "w");
    fprintf(f, "version: \"1\"\nsource:\n  type: \"salesforce\"\n"
               "  input: \"/tmp\"\n  timezone: \"Mars/Olympus\"\n"
               "objects: {}\n");
    fclose(f);
    assert_int_equal(project_config_load(dir, &cfg, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "source.timezone"));
    project_config_release(&cfg);
    remove_project(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_round_trip),
        cmocka_unit_test(test_mistakes_name_their_key),
        cmocka_unit_test(test_unknown_time_zone),
        cmocka_unit_test(test_unknown_keys_are_refused),
        cmocka_unit_test(test_wrong_shapes_are_refused),
        cmocka_unit_test(test_yes_no_settings),
        cmocka_unit_test(test_property_mapped_once),
        cmocka_unit_test(test_yaml_traps),
        cmocka_unit_test(test_id_property_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
