/* target.h: where check and run send their requests.
 *
 * The portal is HubSpot (token from HUBSPOT_ACCESS_TOKEN, base URL from
 * --api-base, HSMIGRATE_API_BASE or https://api.hubapi.com), or, with
 * --sandbox DIR, a sandbox portal started in this process on a loopback
 * port with its state in DIR and a random token that never leaves the
 * process.
 */
#ifndef HSM_CMD_TARGET_H
#define HSM_CMD_TARGET_H

struct err;
struct sandbox;

struct target {
    char *api_base;
    char *token;
    struct sandbox *sb;
};

/* api_base, sandbox_dir and sandbox_seed may be NULL. sandbox_seed is a
 * seed file for a sandbox portal whose state in sandbox_dir is new. */
int target_open(struct target *t, const char *api_base, const char *sandbox_dir,
                const char *sandbox_seed, struct err *e);
void target_close(struct target *t);

#endif
