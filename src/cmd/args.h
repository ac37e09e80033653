/* args.h: a subcommand's options, parsed through one table.
 *
 * Every subcommand accepts -q, -v (repeatable) and -h/--help, takes no
 * operands, and picks from the common options below; it describes the
 * options only it has in a table of struct cmd_opt. cmd_args_parse
 * reads them all with getopt_long (argv[0] being the subcommand name),
 * applies -q/-v to the log level, and prints the command's usage: on
 * stdout for --help, on stderr after a usage error, which it describes
 * first. With --json anywhere on the command line a usage error also
 * prints {command, status "usage", exit 2, error} on stdout.
 */
#include <stddef.h>

#ifndef HSM_CMD_ARGS_H
#define HSM_CMD_ARGS_H

/* The common options a command accepts, or'ed together. */
enum cmd_common {
    CMD_DIR = 1 << 0,          /* --dir PROJECT_DIR, required */
    CMD_DIR_OPTIONAL = 1 << 1, /* --dir PROJECT_DIR, may be left out */
    CMD_TARGET = 1 << 2,       /* --api-base URL, --sandbox DIR */
    CMD_SEED = 1 << 3,         /* --sandbox-seed FILE */
    CMD_JSON = 1 << 4,         /* --json */
};

/* What the common options said; NULL or 0 when not given. The strings
 * point into argv. */
struct cmd_args {
    const char *dir;
    const char *api_base;
    const char *sandbox;
    const char *sandbox_seed;
    int json;
};

enum cmd_opt_kind {
    CMD_FLAG,  /* no argument; sets *(int *)dest to 1 */
    CMD_TEXT,  /* an argument; sets *(const char **)dest to it */
    CMD_VALUE, /* an argument that parse turns into *dest */
};

/* One option of a command's own. A table of them ends with an entry
 * whose name is NULL. */
struct cmd_opt {
    const char *name; /* the long name, without the dashes */
    enum cmd_opt_kind kind;
    void *dest;
    /* CMD_VALUE: 0, or -1 after writing into msg (n bytes) an error
     * that names the option and the value. */
    int (*parse)(const char *value, void *dest, char *msg, size_t n);
    int required; /* a usage error when left out */
};

struct cmd_spec {
    const char *usage;         /* the whole usage text, ending in '\n' */
    unsigned common;           /* enum cmd_common bits */
    const struct cmd_opt *own; /* may be NULL */
    const char *name;          /* the command, as --json errors name it */
};

/* cmd_args_parse's answer when the command should go on. */
#define CMD_CONTINUE (-1)

/* Fills *a (zeroed first) and the own options' destinations. Returns
 * CMD_CONTINUE, or the exit code to return at once: EXIT_OK after
 * --help, EXIT_USAGE after a usage error (already reported). */
int cmd_args_parse(const struct cmd_spec *spec, int argc, char **argv,
                   struct cmd_args *a);

/* A usage error found after or outside cmd_args_parse (options that do
 * not go together): the message on stderr, then the usage, and the
 * --json error on stdout when argv asks for --json. Returns EXIT_USAGE. */
int cmd_usage_fail(const struct cmd_spec *spec, int argc, char **argv,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* CMD_VALUE parsers. --object: contacts, companies or deals, into an
 * int holding an enum object_kind. --run: a positive run id, into a
 * long long. */
int cmd_parse_object(const char *value, void *dest, char *msg, size_t n);
int cmd_parse_run_id(const char *value, void *dest, char *msg, size_t n);

#endif
