/* store.h: the sandbox's SQLite store: schema, opening, reset.
 *
 * One connection, used under sb_db_lock. Tables (every object type is
 * its plural name, "contacts", "companies", "deals"; times are epoch ms):
 *
 *   property_groups(object_type, name, label, display_order, archived)
 *   properties(object_type, name, label, type, field_type, group_name,
 *       description, options JSON array of {label,value,displayOrder,
 *       hidden}, display_order, has_unique_value, hubspot_defined,
 *       calculated, read_only_value, read_only_definition, hidden,
 *       form_field, archived, created_at, updated_at)
 *   objects(id INTEGER, object_type, created_at, updated_at, archived,
 *       archived_at): ids come from one sequence shared by all types
 *   object_values(object_id, name, value): one row per set property;
 *       emails are stored lowercased
 *   associations(from_type, from_id, to_type, to_id, category, type_id)
 *   owners(id, email, first_name, last_name, user_id, type, teams JSON,
 *       archived, created_at, updated_at)
 *   pipelines(object_type, id, label, display_order, archived,
 *       created_at, updated_at)
 *   pipeline_stages(object_type, pipeline_id, id, label, display_order,
 *       metadata JSON object, archived, created_at, updated_at)
 *   merges(object_type, merged_id, survivor_id, merged_at): a merged-away
 *       id resolves to its survivor
 *   request_log(id, at, method, path, endpoint, status, dropped)
 *   meta(key, value): "seeded" once the defaults and seed file are in
 */
#ifndef HSM_SANDBOX_STORE_H
#define HSM_SANDBOX_STORE_H

#include <sqlite3.h>

struct err;

/* Opens path (NULL: in memory) and creates the schema if missing. */
int sb_store_open(const char *path, sqlite3 **out, struct err *e);
void sb_store_close(sqlite3 *db);
/* Empties every table. */
int sb_store_clear(sqlite3 *db, struct err *e);
/* 1 when the store was already seeded, else 0. */
int sb_store_seeded(sqlite3 *db);
int sb_store_mark_seeded(sqlite3 *db, struct err *e);

#endif
