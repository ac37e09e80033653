/* main.c: dispatches to one subcommand through a table. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"init", cmd_init, "inspect an export and write the project config"},
    {"check", cmd_check, "dry run: validate every row, plan the calls"},
    {"run", cmd_run, "migrate; safe to interrupt and run again"},
    {"status", cmd_status, "where each phase stands, from the ledger"},
    {"verify", cmd_verify, "read the portal back: records, duplicates, links"},
    {"rollback", cmd_rollback, "undo runs: archive, restore, unlink"},
    {"ledger", cmd_ledger, "ledger rebuild: the id map, from the portal"},
    {"doctor", cmd_doctor, "find and fix duplicates and missing links"},
    {"generate", cmd_generate, "write a synthetic Salesforce export"},
    {"sandbox", cmd_sandbox, "run a local HubSpot-compatible portal"},
    {"version", cmd_version, "print the version"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
    fprintf(out, "usage: hsmigrate <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'hsmigrate <command> --help' describes a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
        !strcmp(argv[1], "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version"))
        return cmd_version(argc - 1, argv + 1);
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "hsmigrate: error: unknown command '%s'\n", argv[1]);
    usage(stderr);
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--json")) {
            char msg[160];

            snprintf(msg, sizeof(msg), "unknown command '%.100s'", argv[1]);
            cmd_print_error_json(argv[1], EXIT_USAGE, msg);
            break;
        }
    return EXIT_USAGE;
}
