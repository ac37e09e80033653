/* args.c: the one option parser of the subcommands. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "config/project.h"

#include <assert.h>
#include <getopt.h>
#include <stdarg.h>
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

static int take_own(const struct cmd_opt *o, const char *value, char *msg,
                    size_t msg_size)
{
    switch (o->kind) {
    case CMD_FLAG:
        *(int *)o->dest = 1;
        return 0;
    case CMD_TEXT:
        *(const char **)o->dest = value;
        return 0;
    default:
        return o->parse(value, o->dest, msg, msg_size);
    }
}

/* What getopt_long found wrong in argv: c is ':' for a missing value,
 * '?' for an option the command does not know (or an ambiguous
 * abbreviation). getopt's own messages are off (opterr = 0). */
static void describe_bad_option(int c, char **argv, char *msg, size_t n)
{
    const char *what = argv[optind - 1];

    if (optopt > 0 && optopt < 256 && strncmp(what, "--", 2))
        snprintf(msg, n,
                 c == ':' ? "option '-%c' needs a value"
                          : "unknown option '-%c'",
                 optopt);
    else if (c == ':')
        snprintf(msg, n, "option '%s' needs a value", what);
    else
        snprintf(msg, n, "unknown or ambiguous option '%s'", what);
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
    char msg[512];

    memset(a, 0, sizeof(*a));
    build_table(spec, opts);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qvh", opts, NULL)) != -1) {
        if (c == 'q') {
            quiet = 1;
        } else if (c == 'v') {
            verbose++;
        } else if (c == 'h') {
            fputs(spec->usage, stdout);
            return EXIT_OK;
        } else if (c >= OPT_OWN) {
            if (take_own(&spec->own[c - OPT_OWN], optarg, msg, sizeof(msg)))
                return cmd_usage_fail(spec, argc, argv, "%s", msg);
            seen |= 1UL << (c - OPT_OWN);
        } else if (c >= OPT_DIR) {
            take_common(c, optarg, a);
        } else {
            describe_bad_option(c, argv, msg, sizeof(msg));
            return cmd_usage_fail(spec, argc, argv, "%s", msg);
        }
    }
    cmd_set_verbosity(quiet, verbose);
    if (optind != argc)
        return cmd_usage_fail(spec, argc, argv, "unexpected argument '%s'",
                              argv[optind]);
    if ((name = missing(spec, a, seen)))
        return cmd_usage_fail(spec, argc, argv, "--%s is required", name);
    return CMD_CONTINUE;
}

/* Whether argv asks for --json and the command has it. Looked for in
 * the raw argv, since the parse that failed may not have reached it. */
static int wants_json(const struct cmd_spec *spec, int argc, char **argv)
{
    if (!(spec->common & CMD_JSON))
        return 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--json"))
            return 1;
    return 0;
}

int cmd_usage_fail(const struct cmd_spec *spec, int argc, char **argv,
                   const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "hsmigrate: error: %s\n", msg);
    fputs(spec->usage, stderr);
    if (wants_json(spec, argc, argv))
        cmd_print_error_json(spec->name, EXIT_USAGE, msg);
    return EXIT_USAGE;
}

int cmd_parse_object(const char *value, void *dest, char *msg, size_t n)
{
    enum object_kind k;

    if (object_kind_parse(value, &k)) {
        snprintf(msg, n,
                 "--object: expected contacts, companies or deals, got '%s'",
                 value);
        return -1;
    }
    *(int *)dest = (int)k;
    return 0;
}

int cmd_parse_run_id(const char *value, void *dest, char *msg, size_t n)
{
    char *end;
    long long id = strtoll(value, &end, 10);

    if (!*value || *end || id <= 0) {
        snprintf(msg, n,
                 "--run: expected a run id (a positive number), got '%s'",
                 value);
        return -1;
    }
    *(long long *)dest = id;
    return 0;
}
