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

struct cmd_args;
struct err;
struct project_config;
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

/* A subcommand's setup from its common options (cmd/args.h): loads the
 * project config when --dir was given, then, when want_portal, opens
 * the target from --api-base, --sandbox and --sandbox-seed. On failure
 * what was opened stays for target_teardown. */
int target_setup(const struct cmd_args *a, int want_portal,
                 struct project_config *cfg, struct target *t, struct err *e);
/* Closes t and releases cfg; either may be zeroed. */
void target_teardown(struct project_config *cfg, struct target *t);

#endif
