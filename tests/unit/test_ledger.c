/* Unit tests for store/ledger and config/project round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/project.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/ledger.h"

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/hsm-unit-XXXXXX";
    char *d = mkdtemp(tmpl);

    assert_non_null(d);
    return xstrdup(d);
}

static void rmtree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);

    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static void put(struct ledger *l, const char *sid, int state, const char *hs,
                const char *merged)
{
    struct ledger_record r = {0};
    struct err e = {0};

    snprintf(r.object, sizeof(r.object), "contacts");
    snprintf(r.source_id, sizeof(r.source_id), "%s", sid);
    snprintf(r.hubspot_id, sizeof(r.hubspot_id), "%s", hs ? hs : "");
    snprintf(r.merged_into, sizeof(r.merged_into), "%s", merged ? merged : "");
    r.state = state;
    assert_int_equal(ledger_record_put(l, &r, "Contact.csv", 2, 1, &e), 0);
}

static void test_records_resolve_and_merge(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/ledger.db", dir);
    struct ledger *l = NULL;
    struct err e = {0};
    char hs[32];
    struct stat st;

    (void)state;
    assert_int_equal(ledger_open(path, &l, &e), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    put(l, "A", LEDGER_CREATED, "101", NULL);
    put(l, "B", LEDGER_MERGED, NULL, "A");
    put(l, "C", LEDGER_REJECTED, NULL, NULL);
    assert_int_equal(ledger_resolve(l, "contacts", "A", hs, &e), 1);
    assert_string_equal(hs, "101");
    assert_int_equal(ledger_resolve(l, "contacts", "B", hs, &e), 1);
    assert_string_equal(hs, "101");
    assert_int_equal(ledger_resolve(l, "contacts", "C", hs, &e), 0);
    assert_int_equal(ledger_resolve(l, "contacts", "Z", hs, &e), 0);
    ledger_close(l);
    rmtree(dir);
    free(path);
    free(dir);
}

static void test_preimage_keeps_first(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/ledger.db", dir);
    struct ledger *l = NULL;
    struct err e = {0};

    (void)state;
    assert_int_equal(ledger_open(path, &l, &e), 0);
    assert_int_equal(
        ledger_preimage_put(l, 1, "contacts", "7", "phone", "old", "new", &e),
        0);
    /* A retried batch would read the run's own value back. */
    assert_int_equal(
        ledger_preimage_put(l, 1, "contacts", "7", "phone", "new", "new", &e),
        0);
    assert_int_equal(
        ledger_assoc_put(l, 1, "contacts", "7", "companies", "9", 1, 1, &e), 0);
    assert_int_equal(
        ledger_assoc_known(l, "contacts", "7", "companies", "9", 1, &e), 1);
    assert_int_equal(ledger_assoc_other(l, "contacts", "7", 1, "10", &e), 1);
    assert_int_equal(ledger_assoc_other(l, "contacts", "7", 1, "9", &e), 0);
    ledger_close(l);
    rmtree(dir);
    free(path);
    free(dir);
}

static void test_email_claims(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/ledger.db", dir);
    struct ledger *l = NULL;
    struct err e = {0};
    char primary[64];

    (void)state;
    assert_int_equal(ledger_open(path, &l, &e), 0);
    assert_int_equal(ledger_email_claim(l, "a@x.io", "S1", primary, &e), 0);
    assert_int_equal(ledger_email_claim(l, "a@x.io", "S2", primary, &e), 1);
    assert_string_equal(primary, "S1");
    assert_int_equal(ledger_email_reset(l, &e), 0);
    assert_int_equal(ledger_email_claim(l, "a@x.io", "S2", primary, &e), 0);
    ledger_close(l);
    rmtree(dir);
    free(path);
    free(dir);
}

static void test_config_round_trip(void **state)
{
    char *dir = tmpdir();
    struct project_config cfg = {0}, back = {0};
    struct err e = {0};

    (void)state;
    cfg.dir = xstrdup(dir);
    cfg.path = xasprintf("%s/hsmigrate.yaml", dir);
    cfg.source_type = xstrdup("salesforce");
    cfg.input_dir = xstrdup("/data/export \"weekly\"");
    cfg.encoding = xstrdup("latin1");
    cfg.id_property = xstrdup("salesforce_id");
    cfg.concurrency = 4;
    cfg.daily_floor = 1000;
    cfg.pipeline = xstrdup("default");
    cfg.stages = json_pack("{s:s}", "Closed: Won", "closedwon");
    cfg.objects[OBJ_CONTACTS].nsources = 1;
    cfg.objects[OBJ_CONTACTS].sources =
        xcalloc(1, sizeof(struct object_source));
    cfg.objects[OBJ_CONTACTS].sources[0].file = xstrdup("Lead.csv");
    cfg.objects[OBJ_CONTACTS].sources[0].object = xstrdup("Lead");
    cfg.objects[OBJ_CONTACTS].sources[0].skip_converted = 1;
    cfg.objects[OBJ_CONTACTS].sources[0].set =
        json_pack("{s:s}", "lifecyclestage", "lead");
    cfg.objects[OBJ_CONTACTS].sources[0].nfields = 1;
    cfg.objects[OBJ_CONTACTS].sources[0].fields =
        xcalloc(1, sizeof(struct field_map));
    cfg.objects[OBJ_CONTACTS].sources[0].fields[0].column = xstrdup("Email");
    cfg.objects[OBJ_CONTACTS].sources[0].fields[0].property = xstrdup("email");
    cfg.objects[OBJ_CONTACTS].sources[0].fields[0].xform = XF_EMAIL;
    assert_int_equal(project_config_save(&cfg, &e), 0);
    if (project_config_load(dir, &back, &e))
        fail_msg("reload: %s", e.msg);
    assert_string_equal(back.input_dir, "/data/export \"weekly\"");
    assert_string_equal(back.encoding, "latin1");
    assert_int_equal(back.concurrency, 4);
    assert_int_equal(back.daily_floor, 1000);
    assert_string_equal(
        json_string_value(json_object_get(back.stages, "Closed: Won")),
        "closedwon");
    assert_int_equal(back.objects[OBJ_CONTACTS].nsources, 1);
    assert_int_equal(back.objects[OBJ_CONTACTS].sources[0].skip_converted, 1);
    assert_int_equal(back.objects[OBJ_CONTACTS].sources[0].fields[0].xform,
                     XF_EMAIL);
    assert_string_equal(
        json_string_value(json_object_get(
            back.objects[OBJ_CONTACTS].sources[0].set, "lifecyclestage")),
        "lead");
    project_config_release(&cfg);
    project_config_release(&back);
    rmtree(dir);
    free(dir);
}

static void test_config_errors_name_the_key(void **state)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/hsmigrate.yaml", dir);
    FILE *f = fopen(path, "w");
    struct project_config cfg = {0};
    struct err e = {0};

    (void)state;
    fputs("source: {type: salesforce, input: /x}\nobjects:\n  contacts:\n"
          "    - file: Contact.csv\n      fields:\n"
          "        - {column: Email, property: email, transform: shout}\n",
          f);
    fclose(f);
    assert_int_equal(project_config_load(dir, &cfg, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "objects.contacts[0].fields[0]"));
    assert_non_null(strstr(e.msg, "shout"));
    project_config_release(&cfg);
    rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_resolve_and_merge),
        cmocka_unit_test(test_preimage_keeps_first),
        cmocka_unit_test(test_email_claims),
        cmocka_unit_test(test_config_round_trip),
        cmocka_unit_test(test_config_errors_name_the_key),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
