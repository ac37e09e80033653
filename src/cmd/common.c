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

struct tally_entry {
    const char *key;
    json_int_t rows;
    const char *hint;
};

static int by_rows(const void *a, const void *b)
{
    const struct tally_entry *x = a, *y = b;

    if (x->rows != y->rows)
        return x->rows < y->rows ? 1 : -1;
    return strcmp(x->key, y->key);
}

json_t *cmd_top_problems(const json_t *tally, size_t max)
{
    size_t n = json_object_size(tally), i = 0;
    struct tally_entry *all = xcalloc(n + 1, sizeof(*all));
    json_t *out = json_array();
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)tally, key, v)
    {
        all[i].key = key;
        all[i].hint = json_string_value(json_object_get(v, "hint"));
        all[i++].rows = json_integer_value(json_object_get(v, "rows"));
    }
    qsort(all, n, sizeof(*all), by_rows);
    for (i = 0; i < n && i < max; i++) {
        char *parts = xstrdup(all[i].key);
        char *field = strchr(parts, '\t');
        char *problem = field ? strchr(field + 1, '\t') : NULL;

        if (field && problem) {
            *field++ = '\0';
            *problem++ = '\0';
            json_array_append_new(
                out,
                json_pack("{s:s, s:s, s:s, s:s, s:I}", "object", parts, "field",
                          field, "problem", problem, "hint",
                          all[i].hint ? all[i].hint : "", "rows", all[i].rows));
        }
        free(parts);
    }
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
