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

/* api_base and sandbox_dir may be NULL. */
int target_open(struct target *t, const char *api_base, const char *sandbox_dir,
                struct err *e);
void target_close(struct target *t);

#endif
