/*
 * cmd.h - the sub-commands of the redflag CLI, one file each (cmd_<verb>.c).
 *
 * Every command is `int cmd_<verb>(int argc, char **argv)` where argv[0] is
 * the verb itself; it returns the process exit status (0 ok, 1 findings at
 * or above --fail-on / test failures, 2 usage or fatal error). The CLI uses
 * only the public header <redflag.h> plus the helpers below.
 */
#ifndef RF_CLI_CMD_H
#define RF_CLI_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "redflag.h"

#define RF_EXIT_OK       0
#define RF_EXIT_FINDINGS 1
#define RF_EXIT_ERROR    2

typedef struct rf_cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} rf_cli_cmd;

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_docs(int argc, char **argv);
/* the findings store (cli/cmd_{report,review,diff,baseline}.c) */
int cmd_report(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_eval(int argc, char **argv);
/* the triage web UI (cli/cmd_serve.c) */
int cmd_serve(int argc, char **argv);

/* ---- helpers shared by commands (cli/common.c) ---- */

/* The default rules folder: $REDFLAG_RULES, the source tree's rules/, or the
 * installed share/redflag/rules. */
const char *rf_cli_default_rules(void);

/* Compile the rules at path (file or folder; NULL = default). On error,
 * prints every diagnostic to stderr as "file:line: message" and returns
 * NULL. */
rf_ruleset *rf_cli_load_rules(const char *path);

/* Print a diagnostic to stderr in the one format all commands use:
 * "redflag: error: PATH[:MEMBER][#DOC]: message". */
void rf_cli_print_diag(const rf_diag *d);

/* Where a command writes: stdout, or a file. An atomic file appears whole
 * or not at all (written to PATH.tmpPID, renamed into place on commit); a
 * streamed one (JSON Lines, CSV) is written in place, so a killed scan
 * leaves every complete line. */
typedef struct rf_cli_output {
    FILE *fp;
    const char *path; /* NULL or "-": stdout */
    char *tmp;
} rf_cli_output;

/* Open path for writing (NULL or "-" = stdout); prints the error. */
int rf_cli_output_open(rf_cli_output *out, const char *path, bool atomic);
/* Finish: close and rename into place, or flush stdout. 0 on success;
 * prints the error. */
int rf_cli_output_commit(rf_cli_output *out);
/* Give up: close and delete the temporary file (after commit: no-op). */
void rf_cli_output_abort(rf_cli_output *out);

/* Parse a non-negative integer option value; prints an error and returns
 * -1 when it is not one. */
long rf_cli_parse_long(const char *opt, const char *value);

/* ---- store helpers (cli/store_cli.c) ---- */

/* Open the store at path (NULL = redflag.db); on error prints the store's
 * message and returns NULL. */
rf_store *rf_cli_open_store(const char *path, bool create);

/* If argv[*i] is a finding filter option, apply it (advancing *i past its
 * value) and return 1; 0 if it is not one; -1 after printing an error. */
int rf_cli_filter_option(rf_store_filter *flt, int argc, char **argv, int *i);

/* Print the filter options for a command's --help. */
void rf_cli_filter_usage(FILE *fp);

#endif /* RF_CLI_CMD_H */
