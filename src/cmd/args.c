/* args.c: the one option parser of the subcommands. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "config/project.h"

#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long values: the common options, then own option i as
 * OPT_OWN + i, clear of the short options' characters. */
enum {
    OPT_DIR = 256,
    OPT_API_BASE,
    OPT_SANDBOX,
    OPT_SEED,
    OPT_JSON,
    OPT_OWN = 512,
};

#define MAX_OWN 16

static const struct {
    unsigned bits; /* accepted when the spec has any of these */
    struct option opt;
} common_opts[] = {
    {CMD_DIR | CMD_DIR_OPTIONAL, {"dir", required_argument, NULL, OPT_DIR}},
    {CMD_TARGET, {"api-base", required_argument, NULL, OPT_API_BASE}},
    {CMD_TARGET, {"sandbox", required_argument, NULL, OPT_SANDBOX}},
    {CMD_SEED, {"sandbox-seed", required_argument, NULL, OPT_SEED}},
    {CMD_JSON, {"json", no_argument, NULL, OPT_JSON}},
};

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

/* The getopt_long table for spec: its common options, its own, --help
 * and the terminating zeroed entry. */
static void build_table(const struct cmd_spec *spec, struct option *out)
{
    size_t n = 0;

    for (size_t i = 0; i < NCOMMON; i++)
        if (spec->common & common_opts[i].bits)
            out[n++] = common_opts[i].opt;
    for (int i = 0; spec->own && spec->own[i].name; i++) {
        const struct cmd_opt *o = &spec->own[i];

        assert(i < MAX_OWN);
        out[n++] = (struct option){
            o->name, o->kind == CMD_FLAG ? no_argument : required_argument,
            NULL, OPT_OWN + i};
    }
    out[n++] = (struct option){"help", no_argument, NULL, 'h'};
    out[n] = (struct option){NULL, 0, NULL, 0};
}

static void take_common(int id, const char *value, struct cmd_args *a)
{
    switch (id) {
    case OPT_DIR:
        a->dir = value;
        break;
    case OPT_API_BASE:
        a->api_base = value;
        break;
    case OPT_SANDBOX:
        a->sandbox = value;
        break;
    case OPT_SEED:
        a->sandbox_seed = value;
        break;
    default:
        a->json = 1;
        break;
    }
}

static int take_own(const struct cmd_opt *o, const char *value)
{
    switch (o->kind) {
    case CMD_FLAG:
        *(int *)o->dest = 1;
        return 0;
    case CMD_TEXT:
        *(const char **)o->dest = value;
        return 0;
    default:
        return o->parse(value, o->dest);
    }
}

/* The first option the spec requires that was left out, or NULL. */
static const char *missing(const struct cmd_spec *spec,
                           const struct cmd_args *a, unsigned long seen)
{
    if ((spec->common & CMD_DIR) && !a->dir)
        return "dir";
    for (int i = 0; spec->own && spec->own[i].name; i++)
        if (spec->own[i].required && !(seen & (1UL << i)))
            return spec->own[i].name;
    return NULL;
}

int cmd_args_parse(const struct cmd_spec *spec, int argc, char **argv,
                   struct cmd_args *a)
{
    struct option opts[NCOMMON + MAX_OWN + 2];
    unsigned long seen = 0;
    int quiet = 0, verbose = 0, c;
    const char *name;

    memset(a, 0, sizeof(*a));
    build_table(spec, opts);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if (c == 'q') {
            quiet = 1;
        } else if (c == 'v') {
            verbose++;
        } else if (c == 'h') {
            fputs(spec->usage, stdout);
            return EXIT_OK;
        } else if (c >= OPT_OWN) {
            if (take_own(&spec->own[c - OPT_OWN], optarg))
                return cmd_usage_error(spec);
            seen |= 1UL << (c - OPT_OWN);
        } else if (c >= OPT_DIR) {
            take_common(c, optarg, a);
        } else {
            return cmd_usage_error(spec);
        }
    }
    cmd_set_verbosity(quiet, verbose);
    if (optind != argc) {
        fprintf(stderr, "hsmigrate: error: unexpected argument '%s'\n",
                argv[optind]);
        return cmd_usage_error(spec);
    }
    if ((name = missing(spec, a, seen))) {
        fprintf(stderr, "hsmigrate: error: --%s is required\n", name);
        return cmd_usage_error(spec);
    }
    return CMD_CONTINUE;
}

int cmd_usage_error(const struct cmd_spec *spec)
{
    fputs(spec->usage, stderr);
    return EXIT_USAGE;
}

int cmd_parse_object(const char *value, void *dest)
{
    enum object_kind k;

    if (object_kind_parse(value, &k)) {
        log_error("--object: expected contacts, companies or deals, got '%s'",
                  value);
        return -1;
    }
    *(int *)dest = (int)k;
    return 0;
}

int cmd_parse_run_id(const char *value, void *dest)
{
    char *end;
    long long id = strtoll(value, &end, 10);

    if (*end || id <= 0) {
        log_error("--run: expected a run id (a positive number), got '%s'",
                  value);
        return -1;
    }
    *(long long *)dest = id;
    return 0;
}
