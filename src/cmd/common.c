#include "cmd/cmd.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"

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

const char *cmd_status_word(int code)
{
    switch (code) {
    case EXIT_OK:
        return "ok";
    case EXIT_REJECTS:
        return "rejects";
    case EXIT_USAGE:
        return "usage";
    case EXIT_AUTH:
        return "auth";
    case EXIT_QUOTA:
        return "stopped";
    default:
        return "error";
    }
}

void cmd_print_error_json(const char *command, int code, const char *error)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "command", command, "status",
                          cmd_status_word(code), "exit", code, "error",
                          error ? error : "");

    cmd_print_json(j);
    json_decref(j);
}

int cmd_setup_failed(const char *command, const struct err *e, int json)
{
    int code = cmd_exit_for_err(e);

    log_error("%s", e->msg);
    if (json)
        cmd_print_error_json(command, code, e->msg);
    return code;
}

static int by_rows(const void *a, const void *b)
{
    const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
    json_int_t rx = json_integer_value(json_object_get(x, "rows"));
    json_int_t ry = json_integer_value(json_object_get(y, "rows"));

    static const char *const keys[] = {"object", "field", "problem"};

    if (rx != ry)
        return rx < ry ? 1 : -1;
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
        int c = strcmp(json_string_value(json_object_get(x, keys[i])),
                       json_string_value(json_object_get(y, keys[i])));

        if (c)
            return c;
    }
    return 0;
}

json_t *cmd_top_problems(const json_t *tally, size_t max)
{
    size_t n = json_object_size(tally), i = 0;
    const json_t **all = xcalloc(n + 1, sizeof(*all));
    json_t *out = json_array();
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)tally, key, v) all[i++] = v;
    qsort(all, n, sizeof(*all), by_rows);
    for (i = 0; i < n && i < max; i++)
        json_array_append_new(out, json_deep_copy(all[i]));
    free(all);
    return out;
}

void cmd_print_json(const json_t *summary)
{
    char *text = json_dumps(summary, JSON_COMPACT | JSON_PRESERVE_ORDER);

    if (text)
        printf("%s\n", text);
    fflush(stdout);
    free(text);
}
