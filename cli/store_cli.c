/*
 * store_cli.c - what the store commands (report, review, diff, baseline,
 * and scan --store) share: opening the store with a helpful message, and
 * the finding filters every listing command accepts.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

rf_store *rf_cli_open_store(const char *path, bool create)
{
    rf_store *st = NULL;
    rf_status s = rf_store_open(
        &st, path ? path : RF_STORE_DEFAULT_PATH, create ? RF_STORE_CREATE : 0);
    if (s != RF_OK) {
        fprintf(
            stderr, "redflag: error: %s\n",
            st ? rf_store_errmsg(st) : rf_status_str(s));
        rf_store_free(st);
        return NULL;
    }
    return st;
}

static long scan_id(const char *opt, const char *v)
{
    long n = rf_cli_parse_long(opt, v);
    if (n == 0) {
        fprintf(stderr, "redflag: error: %s: scan ids start at 1\n", opt);
        return -1;
    }
    return n;
}

int rf_cli_filter_option(rf_store_filter *flt, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(a, "--include-resolved") == 0) {
        flt->include_resolved = true;
        return 1;
    }
    static const char *const with_value[] = {
        "--scan",           "--min-severity",
        "--category",       "--trait",
        "--rule",           "--lang",
        "--status",         "--applicant",
        "--since",          "--until",
        "--new-since-scan", "--text",
        "--limit",          "--resolved-by-scan",
    };
    bool known = false;
    for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++) {
        known = known || strcmp(a, with_value[k]) == 0;
    }
    if (!known) {
        return 0;
    }
    if (v == NULL) {
        fprintf(stderr, "redflag: error: %s needs a value\n", a);
        return -1;
    }
    (*i)++;
    if (strcmp(a, "--scan") == 0 || strcmp(a, "--new-since-scan") == 0 ||
        strcmp(a, "--resolved-by-scan") == 0) {
        long n = scan_id(a, v);
        if (n < 0) {
            return -1;
        }
        if (strcmp(a, "--scan") == 0) {
            flt->scan = n;
        } else if (strcmp(a, "--new-since-scan") == 0) {
            flt->new_since_scan = n;
        } else {
            flt->resolved_by_scan = n;
        }
    } else if (strcmp(a, "--limit") == 0) {
        long n = rf_cli_parse_long(a, v);
        if (n < 0) {
            return -1;
        }
        flt->limit = (uint64_t)n;
    } else if (strcmp(a, "--min-severity") == 0) {
        if (rf_severity_parse(&flt->min_severity, v) != RF_OK) {
            fprintf(
                stderr,
                "redflag: error: unknown severity '%s' (info, low, "
                "medium, high, critical)\n",
                v);
            return -1;
        }
    } else if (strcmp(a, "--status") == 0) {
        rf_review_status s;
        if (rf_review_status_parse(&s, v) != RF_OK) {
            fprintf(
                stderr,
                "redflag: error: unknown status '%s' (new, "
                "confirmed, false-positive, needs-review, "
                "resolved)\n",
                v);
            return -1;
        }
        flt->status = (int)s;
    } else if (strcmp(a, "--category") == 0 || strcmp(a, "--trait") == 0) {
        flt->category = v;
    } else if (strcmp(a, "--rule") == 0) {
        flt->rule_id = v;
    } else if (strcmp(a, "--lang") == 0) {
        flt->lang = v;
    } else if (strcmp(a, "--applicant") == 0) {
        flt->applicant = v;
    } else if (strcmp(a, "--since") == 0) {
        flt->since = v;
    } else if (strcmp(a, "--until") == 0) {
        flt->until = v;
    } else if (strcmp(a, "--text") == 0) {
        flt->text = v;
    }
    return 1;
}

void rf_cli_filter_usage(FILE *fp)
{
    fprintf(
        fp,
        "filters (all optional, combined with AND):\n"
        "  --scan N                findings seen by scan N\n"
        "  --new-since-scan N      findings first seen after scan N\n"
        "  --min-severity LEVEL    info, low, medium, high, critical\n"
        "  --category TRAIT        race, ethnicity, religion, ... (--trait)\n"
        "  --rule ID               one rule\n"
        "  --lang TAG              language of the passage (zh matches "
        "zh-Hans)\n"
        "  --status S              new, confirmed, false-positive, "
        "needs-review, resolved\n"
        "  --applicant TEXT        an applicant containing TEXT (any case)\n"
        "  --since DATE            published (else filed) on or after "
        "yyyy[-mm[-dd]]\n"
        "  --until DATE            ... on or before (--until 2020 includes "
        "all of 2020)\n"
        "  --text TEXT             passage or title containing TEXT\n"
        "  --include-resolved      also findings later scans no longer "
        "found\n"
        "  --limit N               at most N findings\n");
}
