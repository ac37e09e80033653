#include "cmd/cmd.h"
#include "core/err.h"
#include "core/log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int stop_requested;

int cmd_exit_for_err(const struct err *e)
{
    switch (e->code) {
    case ERR_OK:
        return EXIT_OK;
    case ERR_USAGE:
        return EXIT_USAGE;
    case ERR_AUTH:
        return EXIT_AUTH;
    case ERR_QUOTA:
    case ERR_INTERRUPTED:
        return EXIT_QUOTA;
    default:
        return EXIT_FAILURE_;
    }
}

void cmd_set_verbosity(int quiet, int verbose)
{
    if (quiet)
        log_set_level(LOG_ERROR);
    else
        log_set_level(LOG_WARN + verbose);
}

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

volatile int *cmd_stop_on_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return &stop_requested;
}

void cmd_print_json(const json_t *summary)
{
    char *text = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);

    if (text)
        printf("%s\n", text);
    fflush(stdout);
    free(text);
}
