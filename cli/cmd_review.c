/*
 * cmd_review.c - `redflag review FINGERPRINT... --status S [--note TEXT]`:
 * record an analyst's decision in the store. The decision survives every
 * later re-scan and shows in every report.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redflag review FINGERPRINT... --status STATUS [--note TEXT] "
        "[--store FILE]\n"
        "  FINGERPRINT             as shown in reports (or its first 6+ "
        "digits)\n"
        "  --status STATUS         confirmed, false-positive, needs-review, "
        "or new to reopen\n"
        "  --note TEXT             why (replaces the note; \"\" clears it)\n"
        "  --store FILE            the findings store "
        "(default: " RF_STORE_DEFAULT_PATH ")\n");
}

typedef struct shown {
    int n;
} shown;

static int print_one(const rf_stored_finding *sf, void *payload)
{
    shown *s = payload;
    const rf_finding *f = sf->finding;
    printf(
        "%s %s: %s, %s in %s", f->fingerprint,
        rf_review_status_name(sf->status), rf_severity_name(f->severity),
        f->rule_id, f->doc && f->doc->id ? f->doc->id : "");
    if (sf->note != NULL) {
        printf(" (note: %s)", sf->note);
    }
    putchar('\n');
    s->n++;
    return 0;
}

int cmd_review(int argc, char **argv)
{
    const char *store = NULL;
    const char *status_name = NULL;
    const char *note = NULL;
    rf_store *st = NULL;
    int rc = RF_EXIT_ERROR;
    const char **fps = calloc((size_t)argc, sizeof *fps);
    size_t nfps = 0;
    if (fps == NULL) {
        return RF_EXIT_ERROR;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            rc = RF_EXIT_OK;
            goto done;
        } else if (strcmp(a, "--status") == 0 && v != NULL) {
            status_name = v;
            i++;
        } else if (strcmp(a, "--note") == 0 && v != NULL) {
            note = v;
            i++;
        } else if (strcmp(a, "--store") == 0 && v != NULL) {
            store = v;
            i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "redflag: error: unknown option '%s'\n", a);
            usage(stderr);
            goto done;
        } else {
            fps[nfps++] = a;
        }
    }
    if (nfps == 0 || status_name == NULL) {
        fprintf(
            stderr, "redflag: error: review needs a FINGERPRINT and "
                    "--status\n");
        usage(stderr);
        goto done;
    }
    rf_review_status status;
    if (rf_review_status_parse(&status, status_name) != RF_OK ||
        status == RF_REVIEW_RESOLVED) {
        fprintf(
            stderr,
            "redflag: error: --status must be confirmed, "
            "false-positive, needs-review or new (not '%s')\n",
            status_name);
        goto done;
    }
    st = rf_cli_open_store(store, false);
    if (st == NULL) {
        goto done;
    }
    rc = RF_EXIT_OK;
    for (size_t k = 0; k < nfps; k++) {
        if (rf_store_review(st, fps[k], status, note) != RF_OK) {
            fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
            rc = RF_EXIT_ERROR;
            continue;
        }
        /* echo what was recorded, with the full fingerprint */
        rf_store_filter flt;
        rf_store_filter_init(&flt);
        flt.fingerprint = fps[k];
        flt.include_resolved = true;
        shown s = {0};
        if (rf_store_query(st, &flt, print_one, &s) != RF_OK) {
            fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
            rc = RF_EXIT_ERROR;
        }
    }
done:
    rf_store_free(st);
    free(fps);
    return rc;
}
