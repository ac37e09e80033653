/* generate.c: `hsmigrate generate salesforce`, a synthetic Salesforce
 * export for rehearsals, demos and benchmarks. */
#include "source/sfgen.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/err.h"

static const char usage_text[] =
    "usage: hsmigrate generate salesforce --out DIR [options]\n"
    "\n"
    "  --out DIR              write the export's CSV files into DIR\n"
    "  --accounts N           Account rows (default 40)\n"
    "  --contacts N           Contact rows (default 100)\n"
    "  --leads N              Lead rows (default 30)\n"
    "  --opportunities N      Opportunity rows (default 40)\n"
    "  --users N              User rows (default 8)\n"
    "  --seed N               the same seed gives the same files (default 1)\n"
    "  --encoding E           utf8 (default) or latin1\n"
    "  -q, -v                 quieter, more verbose\n";

enum {
    OPT_OUT = 256,
    OPT_ACCOUNTS,
    OPT_CONTACTS,
    OPT_LEADS,
    OPT_OPPS,
    OPT_USERS,
    OPT_SEED,
    OPT_ENCODING,
};

static const struct option options[] = {
    {"out", required_argument, NULL, OPT_OUT},
    {"accounts", required_argument, NULL, OPT_ACCOUNTS},
    {"contacts", required_argument, NULL, OPT_CONTACTS},
    {"leads", required_argument, NULL, OPT_LEADS},
    {"opportunities", required_argument, NULL, OPT_OPPS},
    {"users", required_argument, NULL, OPT_USERS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int parse_count(const char *s, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 100000000L)
        return -1;
    *out = v;
    return 0;
}

static int parse_seed(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

static int parse_encoding(const char *s, enum csv_encoding *out)
{
    if (csv_encoding_parse(s, out) < 0 ||
        (*out != CSV_ENC_UTF8 && *out != CSV_ENC_LATIN1))
        return -1;
    return 0;
}

/* Applies one option; returns -1 after a bad value. */
static int apply_option(int c, const char *arg, struct sfgen_opts *o,
                        const char **out_dir)
{
    switch (c) {
    case OPT_OUT:
        *out_dir = arg;
        return 0;
    case OPT_ACCOUNTS:
        return parse_count(arg, &o->accounts);
    case OPT_CONTACTS:
        return parse_count(arg, &o->contacts);
    case OPT_LEADS:
        return parse_count(arg, &o->leads);
    case OPT_OPPS:
        return parse_count(arg, &o->opportunities);
    case OPT_USERS:
        return parse_count(arg, &o->users);
    case OPT_SEED:
        return parse_seed(arg, &o->seed);
    case OPT_ENCODING:
        return parse_encoding(arg, &o->enc);
    default:
        return -1;
    }
}

static void summary_print(const char *dir, const struct sfgen_result *r)
{
    printf("wrote %s/User.csv: %ld rows\n", dir, r->users);
    printf("wrote %s/Account.csv: %ld rows\n", dir, r->accounts);
    printf("wrote %s/Contact.csv: %ld rows\n", dir, r->contacts);
    printf("wrote %s/Lead.csv: %ld rows\n", dir, r->leads);
    printf("wrote %s/Opportunity.csv: %ld rows\n", dir, r->opportunities);
    printf("wrote %s/OpportunityContactRole.csv: %ld rows\n", dir,
           r->contact_roles);
}

int cmd_generate(int argc, char **argv)
{
    struct sfgen_opts o = {40, 100, 30, 40, 8, 1, CSV_ENC_UTF8};
    struct sfgen_result res;
    struct err e = {0};
    const char *dir = NULL;
    int c, quiet = 0, verbose = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hqv", options, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        if (c == 'q' || c == 'v') {
            quiet += c == 'q';
            verbose += c == 'v';
            continue;
        }
        if (c == '?' || apply_option(c, optarg, &o, &dir) < 0) {
            if (c != '?')
                fprintf(stderr,
                        "hsmigrate: error: invalid value '%s' for --%s\n",
                        optarg, options[c - OPT_OUT].name);
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    cmd_set_verbosity(quiet, verbose);
    if (optind != argc - 1 || strcmp(argv[optind], "salesforce") || !dir) {
        fprintf(stderr, "hsmigrate: error: generate needs 'salesforce' and "
                        "--out DIR\n");
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (sfgen_write(dir, &o, &res, &e) < 0) {
        fprintf(stderr, "hsmigrate: error: %s\n", e.msg);
        return cmd_exit_for_err(&e);
    }
    summary_print(dir, &res);
    return EXIT_OK;
}
