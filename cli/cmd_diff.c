/*
 * cmd_diff.c - `redflag diff`: what a scan found that the one before did
 * not (new), and what it no longer finds over the same paths (resolved).
 * `--scans` lists the scans recorded in the store.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(
        fp, "usage: redflag diff [--store FILE] [--from SCAN] [--to SCAN] "
            "[--format text|jsonl]\n"
            "                    [--exit-code] [filters]\n"
            "       redflag diff --scans [--store FILE]\n"
            "  --to SCAN               default: the latest complete scan\n"
            "  --from SCAN             default: the complete scan before --to "
            "(none: all new)\n"
            "  --format text|jsonl     text lines (default) or one JSON object "
            "per change\n"
            "  --exit-code             exit 1 when there is anything new\n"
            "  --scans                 list the scans in the store and exit\n"
            "  --store FILE            the findings store "
            "(default: " RF_STORE_DEFAULT_PATH ")\n");
    rf_cli_filter_usage(fp);
}

typedef struct diff_out {
    bool jsonl;
    size_t added;
    size_t resolved;
    bool failed;
} diff_out;

static int
print_change(rf_diff_kind kind, const rf_stored_finding *sf, void *payload)
{
    diff_out *o = payload;
    const rf_finding *f = sf->finding;
    const char *change = kind == RF_DIFF_NEW ? "new" : "resolved";
    if (kind == RF_DIFF_NEW) {
        o->added++;
    } else {
        o->resolved++;
    }
    if (o->jsonl) {
        char *json = NULL;
        if (rf_finding_to_json(&json, NULL, f) != RF_OK) {
            o->failed = true;
            return 1;
        }
        printf(
            "{\"change\":\"%s\",\"status\":\"%s\",\"finding\":%s}\n", change,
            rf_review_status_name(sf->status), json);
        free(json);
        return 0;
    }
    const char *where = f->unit && *f->unit ? f->unit : f->section;
    printf(
        "%c %s %-8s %-9s %s  %s (%s)", kind == RF_DIFF_NEW ? '+' : '-',
        f->fingerprint, change, rf_severity_name(f->severity), f->rule_id,
        f->doc && f->doc->id ? f->doc->id : "", where ? where : "");
    if (sf->review != RF_REVIEW_NEW) {
        printf(" [%s]", rf_review_status_name(sf->review));
    }
    putchar('\n');
    return 0;
}

static int print_scan(const rf_store_scan *s, void *payload)
{
    (void)payload;
    printf(
        "%4lld  %-8s  %s  %s  %6llu docs  %6llu findings  %s\n",
        (long long)s->id, s->state, s->started_at ? s->started_at : "",
        s->ended_at ? s->ended_at : "-                   ",
        (unsigned long long)s->documents, (unsigned long long)s->findings,
        s->args ? s->args : "");
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    const char *store = NULL;
    long from = 0;
    long to = 0;
    bool exit_code = false;
    bool list_scans = false;
    diff_out out = {0};
    rf_store_filter flt;
    rf_store *st = NULL;
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
        } else if (strcmp(a, "--store") == 0 && v != NULL) {
            store = v;
            i++;
        } else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
            long n = rf_cli_parse_long(a, v);
            if (n <= 0) {
                if (n == 0) {
                    fprintf(
                        stderr,
                        "redflag: error: %s: scan ids start at "
                        "1\n",
                        a);
                }
                goto done;
            }
            *(a[2] == 'f' ? &from : &to) = n;
            i++;
        } else if (strcmp(a, "--format") == 0 && v != NULL) {
            if (strcmp(v, "jsonl") == 0) {
                out.jsonl = true;
            } else if (strcmp(v, "text") != 0) {
                fprintf(
                    stderr, "redflag: error: diff --format is text or "
                            "jsonl\n");
                goto done;
            }
            i++;
        } else if (strcmp(a, "--exit-code") == 0) {
            exit_code = true;
        } else if (strcmp(a, "--scans") == 0) {
            list_scans = true;
        } else {
            fprintf(stderr, "redflag: error: unexpected argument '%s'\n", a);
            usage(stderr);
            goto done;
        }
    }
    st = rf_cli_open_store(store, false);
    if (st == NULL) {
        goto done;
    }
    if (list_scans) {
        if (rf_store_scans(st, print_scan, NULL) != RF_OK) {
            fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
            goto done;
        }
        rc = RF_EXIT_OK;
        goto done;
    }
    int64_t a = from;
    int64_t b = to;
    rf_status s = rf_store_diff(st, &flt, &a, &b, print_change, &out);
    if (s != RF_OK || out.failed) {
        fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(st));
        goto done;
    }
    if (a > 0) {
        fprintf(
            stderr,
            "redflag: scan %lld -> scan %lld: %zu new, %zu "
            "resolved\n",
            (long long)a, (long long)b, out.added, out.resolved);
    } else {
        fprintf(
            stderr,
            "redflag: scan %lld is the first complete scan: %zu "
            "new\n",
            (long long)b, out.added);
    }
    rc = exit_code && out.added > 0 ? RF_EXIT_FINDINGS : RF_EXIT_OK;
done:
    rf_store_free(st);
    return rc;
}
