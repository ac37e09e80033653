/* seed.h: filling a new store: HubSpot's defaults, then the seed file.
 *
 * A store is seeded once (at first start, and again after an admin
 * reset); a store reopened from --data keeps what it holds.
 *
 * Each endpoint family contributes through functions with these exact
 * names, looked up as weak symbols, so a family adds its part by defining
 * them in its own file:
 *
 *   int sb_NAME_seed_defaults(sqlite3 *db, struct err *e);
 *       HubSpot's built-ins (default properties, the default pipeline).
 *   int sb_NAME_seed(sqlite3 *db, json_t *section, const char *file,
 *                    struct err *e);
 *       The seed file's top-level key NAME ("properties", "records",
 *       "associations", "owners", "pipelines"). Errors name the file and
 *       the place in it, e.g. "seed.json: records.contacts[3].properties:
 *       ...".
 *
 * All of it runs in one transaction under the store lock.
 */
#ifndef HSM_SANDBOX_SEED_H
#define HSM_SANDBOX_SEED_H

#include <jansson.h>
#include <sqlite3.h>

struct err;
struct sb_state;

#define SB_SEED_FILE_MAX (64L * 1024 * 1024)

typedef int (*sb_seed_defaults_fn)(sqlite3 *db, struct err *e);
typedef int (*sb_seed_section_fn)(sqlite3 *db, json_t *section,
                                  const char *file, struct err *e);

int sb_seed_store(struct sb_state *sb, struct err *e);

#endif
