/*
 * cmd_report.c - `redflag report`: findings from the store as HTML, SARIF,
 * CSV or JSON Lines, with their review status and notes.
 *
 * Like scan, a report written with --output goes to a temporary file that
 * is renamed into place only when complete, so a failed report never
 * replaces a good one with half a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redflag report [--format FMT] [--output FILE] "
        "[--store FILE] [filters]\n"
        "  --format FMT            html, sarif, csv or jsonl (default: from "
        "the --output\n"
        "                          extension, else jsonl)\n"
        "  --output FILE           write the report to FILE (default: "
        "stdout)\n"
        "  --store FILE            the findings store "
        "(default: " RF_STORE_DEFAULT_PATH ")\n");
    rf_cli_filter_usage(fp);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* --output report.html means --format html unless told otherwise. */
static const char *format_from_name(const char *output)
{
    if (output == NULL) {
        return "jsonl";
    }
    if (ends_with(output, ".html") || ends_with(output, ".htm")) {
        return "html";
    }
    if (ends_with(output, ".sarif") || ends_with(output, ".sarif.json")) {
        return "sarif";
    }
    if (ends_with(output, ".csv")) {
        return "csv";
    }
    return "jsonl";
}

int cmd_report(int argc, char **argv)
{
    const char *format = NULL;
    const char *output = NULL;
    const char *store = NULL;
    rf_store_filter flt;
    rf_store *st = NULL;
    rf_cli_output out = {0};
    int rc = RF_EXIT_ERROR;
    rf_store_filter_init(&flt);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int f = rf_cli_filter_option(&flt, argc, argv, &i);
        if (f < 0) {
            goto done;
        }
        if (f > 0) {
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            rc = RF_EXIT_OK;
            goto done;
        } else if (strcmp(a, "--format") == 0 && v != NULL) {
            format = v;
            i++;
        } else if (
            (strcmp(a, "--output") == 0 || strcmp(a, "-o") == 0) && v != NULL) {
            output = v;
            i++;
        } else if (strcmp(a, "--store") == 0 && v != NULL) {
            store = v;
            i++;
        } else {
            fprintf(stderr, "redflag: error: unexpected argument '%s'\n", a);
            usage(stderr);
            goto done;
        }
    }
    if (format == NULL) {
        format = format_from_name(output);
    }
    if (!rf_writer_format_known(format)) {
        fprintf(
            stderr,
            "redflag: error: unknown --format '%s' (html, sarif, "
            "csv, jsonl)\n",
            format);
        goto done;
    }
    st = rf_cli_open_store(store, false);
    if (st == NULL) {
        goto done;
    }
    if (rf_cli_output_open(&out, output, true) != 0) {
        goto done;
    }
    rf_status s = rf_store_report(st, &flt, format, out.fp);
    if (s != RF_OK) {
        fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
        goto done;
    }
    if (rf_cli_output_commit(&out) != 0) {
        goto done;
    }
    rc = RF_EXIT_OK;
done:
    rf_cli_output_abort(&out);
    rf_store_free(st);
    return rc;
}
