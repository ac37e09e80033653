/* sandbox.h: the sandbox portal, a local HubSpot-compatible CRM API server.
 *
 * sandbox_start serves HTTP on 127.0.0.1 from threads of its own, so a
 * single-threaded caller (cmd/sandbox.c, or a migration that runs against
 * an in-process sandbox) keeps control and stops it with sandbox_stop.
 * Requests are served concurrently: a slow response (--latency-ms) does
 * not hold up the others.
 *
 * The struct sandbox is owned by the caller of sandbox_start and released
 * with sandbox_free, which also stops it. The config is copied.
 */
#ifndef HSM_SANDBOX_SANDBOX_H
#define HSM_SANDBOX_SANDBOX_H

#include <stdint.h>

struct err;

enum sandbox_tier {
    SANDBOX_TIER_FREE = 0,
    SANDBOX_TIER_STARTER,
    SANDBOX_TIER_PROFESSIONAL,
    SANDBOX_TIER_ENTERPRISE,
};

/* A zeroed config plus sandbox_config_init's defaults is a valid
 * in-memory free-tier portal on a free port. Limits of 0 mean "the
 * tier's documented value"; a negative limit means "unlimited". */
struct sandbox_config {
    int port;             /* 0: pick a free one */
    const char *data_dir; /* NULL: state in memory only */
    const char *token;    /* the accepted Bearer token */
    enum sandbox_tier tier;
    long window_max;  /* requests per rolling window */
    long window_ms;   /* rolling window length, ms */
    long daily_limit; /* requests per UTC day */
    long search_per_second;
    int retry_after;           /* add Retry-After to 429s */
    long latency_ms;           /* added to every response */
    long latency_per_input_us; /* added per batch input; negative: the
                                  default cost when latency_ms is set */
    const char *seed_file;     /* JSON; loaded at start when the store is new */
    int has_shuffle_seed;
    uint64_t shuffle_seed; /* batch result order */
};

struct sandbox;

/* What one batch input adds to --latency-ms unless told otherwise. */
#define SB_LATENCY_PER_INPUT_US 100

void sandbox_config_init(struct sandbox_config *cfg);

/* Parses "free", "starter", "professional" or "enterprise". */
int sandbox_tier_parse(const char *s, enum sandbox_tier *out);

int sandbox_start(const struct sandbox_config *cfg, struct sandbox **out,
                  struct err *e);
int sandbox_port(const struct sandbox *sb);
/* Stops serving; in-flight requests finish first. Safe to call twice. */
void sandbox_stop(struct sandbox *sb);
void sandbox_free(struct sandbox *sb);

#endif
