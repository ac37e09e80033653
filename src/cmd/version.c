/* version.c: the version, as text or --json. */
#include "cmd/args.h"
#include "cmd/cmd.h"

#include <jansson.h>
#include <stdio.h>

#ifndef HSM_VERSION
#define HSM_VERSION "0.1.0"
#endif

static const struct cmd_spec version_spec = {
    "usage: hsmigrate version [--json]\n", CMD_JSON, NULL, "version"};

int cmd_version(int argc, char **argv)
{
    struct cmd_args a;
    int code = cmd_args_parse(&version_spec, argc, argv, &a);
    json_t *j;

    if (code != CMD_CONTINUE)
        return code;
    if (!a.json) {
        printf("hsmigrate %s\n", HSM_VERSION);
        return EXIT_OK;
    }
    j = json_pack("{s:s, s:s, s:i, s:s}", "command", "version", "status",
                  cmd_status_word(EXIT_OK), "exit", EXIT_OK, "version",
                  HSM_VERSION);
    cmd_print_json(j);
    json_decref(j);
    return EXIT_OK;
}
