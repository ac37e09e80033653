#include "cmd/cmd.h"

#include <stdio.h>

int cmd_sandbox(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "hsmigrate: error: sandbox is not built yet\n");
    return EXIT_FAILURE_;
}
