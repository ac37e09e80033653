/* cmd.h: one function per subcommand, and the exit codes they return.
 *
 * cmd/ is the only layer that prints for the user or decides the process
 * exit status. Each cmd_* parses its options through cmd_args_parse
 * (cmd/args.h), argv[0] being the subcommand name, and returns one of
 * the EXIT_* codes below.
 */
#ifndef HSM_CMD_CMD_H
#define HSM_CMD_CMD_H

enum exit_code {
    EXIT_OK = 0,       /* everything landed */
    EXIT_FAILURE_ = 1, /* anything else */
    EXIT_USAGE = 2,    /* usage or configuration error */
    EXIT_REJECTS = 3,  /* finished, with rejected rows */
    EXIT_AUTH = 4,     /* authentication refused */
    EXIT_QUOTA = 5,    /* stopped by quota or rate limit; resumable */
};

#include <jansson.h>

struct err;

/* Maps an ERR_* code from the layers below to an exit code. */
int cmd_exit_for_err(const struct err *e);

/* Applies -q / -v counts to the log level. */
void cmd_set_verbosity(int quiet, int verbose);

/* Catches SIGINT and SIGTERM from now on: the first sets the flag
 * returned, for a clean stop; a second kills at once (the ledger makes
 * that safe too). */
volatile int *cmd_stop_on_signals(void);

/* Prints a --json summary on stdout, one line. */
void cmd_print_json(const json_t *summary);

/* The max most frequent problems of a check's tally, most rows first:
 * [{object, field, problem, hint, rows}]. */
json_t *cmd_top_problems(const json_t *tally, size_t max);

/* The --json "status" word of an exit code: ok, rejects, usage, auth,
 * stopped or error. */
const char *cmd_status_word(int code);

/* The --json summary of a command that stopped with an error before it
 * had anything else to say: {command, status, exit, error}. */
void cmd_print_error_json(const char *command, int code, const char *error);

/* A command that failed before it started (no token, a broken config, a
 * locked project): the error on stderr, and with json the short summary
 * above instead of a table of zeros. Returns the exit code. */
int cmd_setup_failed(const char *command, const struct err *e, int json);

struct project_config;
struct migrate_summary;
/* The end-of-run summary: a table on stderr, or --json on stdout. */
void cmd_print_summary(const char *command, int code, const char *error,
                       const struct project_config *cfg,
                       const struct migrate_summary *s, int json);

int cmd_init(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_sandbox(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
