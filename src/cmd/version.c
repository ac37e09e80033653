#include "cmd/cmd.h"

#include <stdio.h>

#ifndef HSM_VERSION
#define HSM_VERSION "0.1.0"
#endif

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("hsmigrate %s\n", HSM_VERSION);
    return EXIT_OK;
}
