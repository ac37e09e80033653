/* keys.h: the shape of hsmigrate.yaml.
 *
 * The config is read key by key with defaults for what is absent, so a
 * misspelt key or a list where one value belongs would otherwise leave a
 * setting at its default without a word. project_keys_check walks the
 * whole tree first and refuses any key it does not know and any value of
 * the wrong shape, naming the key's place in the file.
 */
#ifndef HSM_CONFIG_KEYS_H
#define HSM_CONFIG_KEYS_H

#include <jansson.h>

struct err;

/* root is the config read by yamljson_load; path names the file in
 * messages. Returns 0 or ERR_USAGE. */
int project_keys_check(const json_t *root, const char *path, struct err *e);

#endif
