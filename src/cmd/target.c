#include "cmd/target.h"
#include "cmd/args.h"
#include "config/project.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/sandbox.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *random_token(void)
{
    unsigned char raw[16];
    char *out = xmalloc(sizeof(raw) * 2 + 1);
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;

    if (fd >= 0)
        close(fd);
    if (n != (ssize_t)sizeof(raw))
        for (size_t i = 0; i < sizeof(raw); i++)
            raw[i] = (unsigned char)(rand() & 0xff);
    for (size_t i = 0; i < sizeof(raw); i++)
        sprintf(out + 2 * i, "%02x", raw[i]);
    return out;
}

static int open_sandbox(struct target *t, const char *dir, const char *seed,
                        struct err *e)
{
    struct sandbox_config cfg;
    int rc;

    sandbox_config_init(&cfg);
    cfg.data_dir = dir;
    cfg.seed_file = seed;
    t->token = random_token();
    cfg.token = t->token;
    cfg.tier = SANDBOX_TIER_PROFESSIONAL;
    if ((rc = sandbox_start(&cfg, &t->sb, e)))
        return err_prefix(e, "cannot start the sandbox portal in '%s'", dir);
    t->api_base = xasprintf("http://127.0.0.1:%d", sandbox_port(t->sb));
    return 0;
}

/* The token goes into a request header: printable characters only, so a
 * pasted newline or a stray space is named here rather than sent (an
 * embedded line break would add a header of its own). The token itself
 * is never printed. */
#define TOKEN_MAX 4096

static int token_check(const char *token, struct err *e)
{
    size_t n = strlen(token);

    if (n > TOKEN_MAX)
        return err_set(e, ERR_USAGE,
                       "HUBSPOT_ACCESS_TOKEN is %zu characters long; a "
                       "HubSpot token is far shorter (at most %d are "
                       "accepted)",
                       n, TOKEN_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)token[i];

        if (c <= ' ' || c >= 0x7f)
            return err_set(e, ERR_USAGE,
                           "HUBSPOT_ACCESS_TOKEN holds %s at character %zu; "
                           "a HubSpot token is printable characters only "
                           "(check for a pasted line break or space)",
                           c == ' '                 ? "a space"
                           : c == '\n' || c == '\r' ? "a line break"
                           : c < ' ' || c == 0x7f   ? "a control character"
                                                    : "a non-ASCII byte",
                           i + 1);
    }
    return 0;
}

/* An API base must be an http or https URL with a host, as libcurl's
 * own parser reads it. */
static int base_check(const char *base, struct err *e)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int ok = u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
             (!strcmp(scheme, "http") || !strcmp(scheme, "https")) && *host;

    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    if (!ok)
        return err_set(e, ERR_USAGE,
                       "the API base '%.200s' is not an http:// or https:// "
                       "URL with a host (from --api-base or "
                       "HSMIGRATE_API_BASE; the default is "
                       "https://api.hubapi.com)",
                       base);
    return 0;
}

int target_open(struct target *t, const char *api_base, const char *sandbox_dir,
                const char *sandbox_seed, struct err *e)
{
    const char *token = getenv("HUBSPOT_ACCESS_TOKEN");
    const char *env_base = getenv("HSMIGRATE_API_BASE");

    memset(t, 0, sizeof(*t));
    if (sandbox_dir)
        return open_sandbox(t, sandbox_dir, sandbox_seed, e);
    if (sandbox_seed)
        return err_set(e, ERR_USAGE, "--sandbox-seed goes with --sandbox");
    if (!token || !*token)
        return err_set(e, ERR_USAGE,
                       "no access token: set HUBSPOT_ACCESS_TOKEN to a "
                       "private app token, or rehearse with --sandbox DIR");
    if (token_check(token, e))
        return e->code;
    if (!api_base)
        api_base = env_base && *env_base ? env_base : "https://api.hubapi.com";
    if (base_check(api_base, e))
        return e->code;
    t->token = xstrdup(token);
    t->api_base = xstrdup(api_base);
    return 0;
}

void target_close(struct target *t)
{
    if (!t)
        return;
    sandbox_free(t->sb);
    if (t->token)
        memset(t->token, 0, strlen(t->token));
    free(t->token);
    free(t->api_base);
    memset(t, 0, sizeof(*t));
}

int target_setup(const struct cmd_args *a, int want_portal,
                 struct project_config *cfg, struct target *t, struct err *e)
{
    int rc;

    if (a->dir && (rc = project_config_load(a->dir, cfg, e)))
        return rc;
    if (!want_portal)
        return 0;
    return target_open(t, a->api_base, a->sandbox, a->sandbox_seed, e);
}

void target_teardown(struct project_config *cfg, struct target *t)
{
    target_close(t);
    project_config_release(cfg);
}
