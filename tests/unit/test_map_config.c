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

static char *write_project(const char *fields)
{
    char tmpl[] = "/tmp/hsm-test-map-config.XXXXXX";
    char *dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
    char path[512];
    FILE *f;

    assert_non_null(dir);
    snprintf(path, sizeof(path), "%s/hsmigrate.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s%s", base, fields);
    fclose(f);
    return dir;
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
