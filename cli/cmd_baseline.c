/*
 * cmd_baseline.c - `redflag baseline export|import|unmatched`: share
 * review decisions (what a team has confirmed or dismissed) between
 * stores as a small JSON file that diffs well in version control.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redflag baseline export FILE [--store FILE]   (FILE '-' = "
        "stdout)\n"
        "       redflag baseline import FILE [--store FILE]   (FILE '-' = "
        "stdin)\n"
        "       redflag baseline unmatched [--store FILE]\n"
        "export writes every reviewed finding (fingerprint, status, note);\n"
        "import applies them to this store, remembers them for later "
        "scans,\n"
        "and lists the entries that match no finding here; unmatched lists\n"
        "remembered entries that still match nothing.\n"
        "  --store FILE            the findings store "
        "(default: " RF_STORE_DEFAULT_PATH ")\n");
}

static void print_unmatched(
    const char *fp, const char *status, const char *note, void *payload)
{
    (void)payload;
    printf("%s %s%s%s\n", fp, status, note ? "  " : "", note ? note : "");
}

static int do_export(rf_store *st, const char *file)
{
    rf_cli_output out;
    if (rf_cli_output_open(&out, file, true) != 0) {
        return RF_EXIT_ERROR;
    }
    size_t count = 0;
    if (rf_store_baseline_export(&count, st, out.fp) != RF_OK) {
        fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
        rf_cli_output_abort(&out);
        return RF_EXIT_ERROR;
    }
    if (rf_cli_output_commit(&out) != 0) {
        return RF_EXIT_ERROR;
    }
    fprintf(
        stderr, "redflag: %zu reviewed finding%s exported\n", count,
        count == 1 ? "" : "s");
    return RF_EXIT_OK;
}

static int do_import(rf_store *st, const char *file)
{
    FILE *fp = stdin;
    if (strcmp(file, "-") != 0) {
        fp = fopen(file, "rb");
        if (fp == NULL) {
            fprintf(
                stderr, "redflag: error: cannot read %s: %s\n", file,
                strerror(errno));
            return RF_EXIT_ERROR;
        }
    }
    rf_baseline_totals t;
    rf_status s =
        rf_store_baseline_import(&t, st, fp, file, print_unmatched, NULL);
    if (fp != stdin) {
        fclose(fp);
    }
    if (s != RF_OK) {
        fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
        return RF_EXIT_ERROR;
    }
    fprintf(
        stderr,
        "redflag: %zu entr%s: %zu applied, %zu match no finding "
        "in this store%s\n",
        t.entries, t.entries == 1 ? "y" : "ies", t.applied, t.unmatched,
        t.unmatched ? " (listed above; kept for later scans)" : "");
    return RF_EXIT_OK;
}

int cmd_baseline(int argc, char **argv)
{
    const char *store = NULL;
    const char *verb = NULL;
    const char *file = NULL;
    rf_store *st = NULL;
    int rc = RF_EXIT_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return RF_EXIT_OK;
        } else if (strcmp(a, "--store") == 0 && v != NULL) {
            store = v;
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "redflag: error: unknown option '%s'\n", a);
            usage(stderr);
            return RF_EXIT_ERROR;
        } else if (verb == NULL) {
            verb = a;
        } else if (file == NULL) {
            file = a;
        } else {
            fprintf(stderr, "redflag: error: unexpected argument '%s'\n", a);
            usage(stderr);
            return RF_EXIT_ERROR;
        }
    }
    bool needs_file = verb != NULL && (strcmp(verb, "export") == 0 ||
                                       strcmp(verb, "import") == 0);
    if (verb == NULL || (needs_file && file == NULL) ||
        (!needs_file && strcmp(verb, "unmatched") != 0)) {
        usage(stderr);
        return RF_EXIT_ERROR;
    }
    st = rf_cli_open_store(store, false);
    if (st == NULL) {
        return RF_EXIT_ERROR;
    }
    if (strcmp(verb, "export") == 0) {
        rc = do_export(st, file);
    } else if (strcmp(verb, "import") == 0) {
        rc = do_import(st, file);
    } else if (
        rf_store_baseline_unmatched(st, print_unmatched, NULL) == RF_OK) {
        rc = RF_EXIT_OK;
    } else {
        fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
    }
    rf_store_free(st);
    return rc;
}
