/* seed.c: runs the families' seeders over a new store; see seed.h. */
#include "sandbox/seed.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/log.h"
#include "sandbox/sb.h"
#include "sandbox/store.h"

#define SB_SEEDERS(name)                                                       \
    extern int sb_##name##_seed_defaults(sqlite3 *db, struct err *e)           \
        __attribute__((weak));                                                 \
    extern int sb_##name##_seed(sqlite3 *db, json_t *section,                  \
                                const char *file, struct err *e)               \
        __attribute__((weak))
SB_SEEDERS(properties);
SB_SEEDERS(records);
SB_SEEDERS(associations);
SB_SEEDERS(owners);
SB_SEEDERS(pipelines);

struct seeder {
    const char *name;
    sb_seed_defaults_fn defaults;
    sb_seed_section_fn section;
};

/* In dependency order: records need properties, links need records. */
static const struct seeder seeders[] = {
    {"properties", sb_properties_seed_defaults, sb_properties_seed},
    {"owners", sb_owners_seed_defaults, sb_owners_seed},
    {"pipelines", sb_pipelines_seed_defaults, sb_pipelines_seed},
    {"records", sb_records_seed_defaults, sb_records_seed},
    {"associations", sb_associations_seed_defaults, sb_associations_seed},
};

#define NSEEDERS (sizeof(seeders) / sizeof(seeders[0]))

static json_t *seed_file_load(const char *file, struct err *e)
{
    struct stat sta;
    json_error_t je;
    json_t *root;

    if (stat(file, &sta) < 0) {
        err_set(e, ERR_IO, "cannot read seed file '%s'", file);
        return NULL;
    }
    if (sta.st_size > SB_SEED_FILE_MAX) {
        err_set(e, ERR_INPUT, "seed file '%s' is larger than %ld bytes", file,
                SB_SEED_FILE_MAX);
        return NULL;
    }
    root = json_load_file(file, 0, &je);
    if (!root)
        err_set(e, ERR_INPUT, "%s: line %d column %d: %s", file, je.line,
                je.column, je.text);
    else if (!json_is_object(root)) {
        err_set(e, ERR_INPUT, "%s: line 1: expected a JSON object", file);
        json_decref(root);
        root = NULL;
    }
    return root;
}

/* Refuses keys no seeder knows, so a typo is not silently ignored. */
static int seed_file_check_keys(json_t *root, const char *file, struct err *e)
{
    const char *key;
    json_t *v;

    json_object_foreach(root, key, v)
    {
        size_t i;
        for (i = 0; i < NSEEDERS; i++)
            if (!strcmp(key, seeders[i].name))
                break;
        if (i == NSEEDERS)
            return err_set(e, ERR_INPUT, "%s: unknown section '%s'", file, key);
        if (!seeders[i].section)
            return err_set(e, ERR_INPUT,
                           "%s: section '%s' is not supported yet", file, key);
    }
    return 0;
}

static int seed_all(sqlite3 *db, const char *file, struct err *e)
{
    json_t *root = NULL;
    int rc = 0;

    for (size_t i = 0; i < NSEEDERS && rc == 0; i++)
        if (seeders[i].defaults)
            rc = seeders[i].defaults(db, e);
    if (rc < 0 || !file)
        goto out;
    if (!(root = seed_file_load(file, e))) {
        rc = e->code;
        goto out;
    }
    if ((rc = seed_file_check_keys(root, file, e)) < 0)
        goto out;
    for (size_t i = 0; i < NSEEDERS && rc == 0; i++) {
        json_t *section = json_object_get(root, seeders[i].name);
        if (section)
            rc = seeders[i].section(db, section, file, e);
    }
out:
    json_decref(root);
    return rc;
}

int sb_seed_store(struct sb_state *sb, struct err *e)
{
    sqlite3 *db = sb_db_lock(sb);
    int rc = 0;

    if (sb_store_seeded(db)) {
        if (sb->cfg.seed_file)
            log_warn("sandbox: '%s' already holds a portal, so the seed file "
                     "'%s' is not loaded; remove the directory to start "
                     "from the seed",
                     sb->cfg.data_dir ? sb->cfg.data_dir : "(memory)",
                     sb->cfg.seed_file);
        goto out;
    }
    if (sb_db_exec(db, "BEGIN") < 0) {
        rc = err_set(e, ERR_DB, "sandbox store: %s", sqlite3_errmsg(db));
        goto out;
    }
    rc = seed_all(db, sb->cfg.seed_file, e);
    if (rc == 0)
        rc = sb_store_mark_seeded(db, e);
    sb_db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK");
out:
    sb_db_unlock(sb);
    return rc;
}
