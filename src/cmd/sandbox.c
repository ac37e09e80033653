/* sandbox.c: `hsmigrate sandbox`, a local HubSpot-compatible portal that
 * serves until SIGINT or SIGTERM. */
#include "sandbox/sandbox.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/err.h"

static const char usage_text[] =
    "usage: hsmigrate sandbox [options]\n"
    "\n"
    "  --port N               listen on 127.0.0.1:N (0: a free port)\n"
    "  --data DIR             keep state in DIR/sandbox.db (default: memory)\n"
    "  --token TOKEN          the accepted Bearer token (default: any)\n"
    "  --tier T               free, starter, professional or enterprise\n"
    "  --latency-ms N         delay every response by N ms\n"
    "  --latency-per-input-us N  and by N us per batch input (100)\n"
    "  --seed-file FILE       load owners, pipelines, properties, records\n"
    "  --shuffle-seed N       fix the order of batch results\n"
    "  --rate-window-max N    requests per rolling window (or 'unlimited')\n"
    "  --rate-window-ms N     length of the rolling window\n"
    "  --daily-limit N        requests per day (or 'unlimited')\n"
    "  --search-per-second N  search requests per second (or 'unlimited')\n"
    "  --retry-after          add Retry-After to 429 responses\n"
    "  -q, -v                 quieter, more verbose\n";

enum {
    OPT_PORT = 256,
    OPT_DATA,
    OPT_TOKEN,
    OPT_TIER,
    OPT_LATENCY,
    OPT_LATENCY_INPUT,
    OPT_SEED_FILE,
    OPT_SHUFFLE_SEED,
    OPT_WINDOW_MAX,
    OPT_WINDOW_MS,
    OPT_DAILY,
    OPT_SEARCH,
    OPT_RETRY_AFTER,
};

static const struct option options[] = {
    {"port", required_argument, NULL, OPT_PORT},
    {"data", required_argument, NULL, OPT_DATA},
    {"token", required_argument, NULL, OPT_TOKEN},
    {"tier", required_argument, NULL, OPT_TIER},
    {"latency-ms", required_argument, NULL, OPT_LATENCY},
    {"latency-per-input-us", required_argument, NULL, OPT_LATENCY_INPUT},
    {"seed-file", required_argument, NULL, OPT_SEED_FILE},
    {"shuffle-seed", required_argument, NULL, OPT_SHUFFLE_SEED},
    {"rate-window-max", required_argument, NULL, OPT_WINDOW_MAX},
    {"rate-window-ms", required_argument, NULL, OPT_WINDOW_MS},
    {"daily-limit", required_argument, NULL, OPT_DAILY},
    {"search-per-second", required_argument, NULL, OPT_SEARCH},
    {"retry-after", no_argument, NULL, OPT_RETRY_AFTER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Parses a whole decimal number in [min, max]. */
static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* A limit is a positive count or "unlimited" (stored as -1). */
static int parse_limit(const char *s, long *out)
{
    if (!strcmp(s, "unlimited")) {
        *out = -1;
        return 0;
    }
    return parse_long(s, 1, 1000000000L, out);
}

static int bad_value(const char *opt, const char *value)
{
    fprintf(stderr, "hsmigrate: error: invalid value '%s' for --%s\n", value,
            opt);
    return EXIT_USAGE;
}

/* Applies one option to cfg; returns -1 after a bad value. */
static int apply_option(int c, const char *arg, struct sandbox_config *cfg)
{
    long v = 0;
    int rc = 0;

    switch (c) {
    case OPT_PORT:
        rc = parse_long(arg, 0, 65535, &v);
        cfg->port = (int)v;
        break;
    case OPT_DATA:
        cfg->data_dir = arg;
        break;
    case OPT_TOKEN:
        cfg->token = arg;
        break;
    case OPT_TIER:
        rc = sandbox_tier_parse(arg, &cfg->tier);
        break;
    case OPT_LATENCY:
        rc = parse_long(arg, 0, 600000, &cfg->latency_ms);
        break;
    case OPT_LATENCY_INPUT:
        rc = parse_long(arg, 0, 1000000, &cfg->latency_per_input_us);
        break;
    case OPT_SEED_FILE:
        cfg->seed_file = arg;
        break;
    case OPT_SHUFFLE_SEED:
        rc = parse_long(arg, 0, LONG_MAX, &v);
        cfg->has_shuffle_seed = 1;
        cfg->shuffle_seed = (uint64_t)v;
        break;
    default:
        return -2;
    }
    return rc;
}

static int apply_limit_option(int c, const char *arg,
                              struct sandbox_config *cfg)
{
    switch (c) {
    case OPT_WINDOW_MAX:
        return parse_limit(arg, &cfg->window_max);
    case OPT_WINDOW_MS:
        return parse_long(arg, 1, 86400000L, &cfg->window_ms);
    case OPT_DAILY:
        return parse_limit(arg, &cfg->daily_limit);
    case OPT_SEARCH:
        return parse_limit(arg, &cfg->search_per_second);
    case OPT_RETRY_AFTER:
        cfg->retry_after = 1;
        return 0;
    default:
        return -2;
    }
}

static int parse_args(int argc, char **argv, struct sandbox_config *cfg)
{
    int c, quiet = 0, verbose = 0, idx = 0;

    while ((c = getopt_long(argc, argv, "hqv", options, &idx)) != -1) {
        int rc;
        if (c == 'h') {
            fputs(usage_text, stdout);
            return -1;
        }
        if (c == 'q' || c == 'v') {
            quiet += c == 'q';
            verbose += c == 'v';
            continue;
        }
        if (c == '?')
            return EXIT_USAGE;
        rc = apply_option(c, optarg, cfg);
        if (rc == -2)
            rc = apply_limit_option(c, optarg, cfg);
        if (rc < 0)
            return bad_value(options[idx].name, optarg);
    }
    if (optind < argc) {
        fprintf(stderr, "hsmigrate: error: unexpected argument '%s'\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    cmd_set_verbosity(quiet, verbose);
    return 0;
}

int cmd_sandbox(int argc, char **argv)
{
    struct sandbox_config cfg;
    struct sandbox *sb = NULL;
    struct err e = {0};
    sigset_t stop_signals;
    int rc, sig;

    sandbox_config_init(&cfg);
    rc = parse_args(argc, argv, &cfg);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;

    /* Blocked before the server threads exist, so they inherit the mask
     * and only sigwait below sees the signals. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (sandbox_start(&cfg, &sb, &e) < 0) {
        fprintf(stderr, "hsmigrate: error: %s\n", e.msg);
        return cmd_exit_for_err(&e);
    }
    printf("listening on http://127.0.0.1:%d\n", sandbox_port(sb));
    fflush(stdout);
    sigwait(&stop_signals, &sig);
    sandbox_free(sb);
    return EXIT_OK;
}
