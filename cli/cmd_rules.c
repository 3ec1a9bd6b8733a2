/*
 * cmd_rules.c - `redflag rules list|test|terms`.
 *
 * `rules test` runs every rule's own examples, the way semgrep and YARA
 * rules carry tests: each `match` text must produce a finding of that rule,
 * each `no_match` text must not.
 */
#include <string.h>

#include "cmd.h"

typedef struct hit_ctx {
    const char *rule_id;
    bool hit;
    rf_severity severity;
} hit_ctx;

static int on_finding(const rf_finding *f, void *payload)
{
    hit_ctx *h = payload;
    if (strcmp(f->rule_id, h->rule_id) == 0) {
        h->hit = true;
        h->severity = f->severity;
    }
    return 0;
}

static int rules_list(rf_ruleset *rs)
{
    size_t n = rf_ruleset_rule_count(rs);
    for (size_t i = 0; i < n; i++) {
        const rf_rule *r = rf_ruleset_rule(rs, i);
        printf(
            "%-40s %-9s %-20s %s\n", rf_rule_id(r),
            rf_severity_name(rf_rule_severity(r)), rf_rule_category(r),
            rf_rule_title(r));
    }
    fprintf(
        stderr, "%zu rules, %zu patterns\n", n, rf_ruleset_pattern_count(rs));
    return RF_EXIT_OK;
}

static int rules_test(rf_ruleset *rs, bool verbose)
{
    rf_scanner *sc = NULL;
    if (rf_scanner_new(&sc, rs) != RF_OK) {
        fprintf(stderr, "redflag: error: out of memory\n");
        return RF_EXIT_ERROR;
    }
    /* each rule's examples test that rule, not what survives the merge
     * with a more severe rule of the same category */
    rf_scanner_set_merge(sc, false);
    size_t passed = 0;
    size_t failed = 0;
    size_t n = rf_ruleset_rule_count(rs);
    for (size_t i = 0; i < n; i++) {
        const rf_rule *r = rf_ruleset_rule(rs, i);
        uint64_t line;
        const char *file = rf_rule_source(r, &line);
        for (int want = 1; want >= 0; want--) {
            const char *const *ex = rf_rule_examples(r, want == 1);
            for (size_t k = 0; ex[k] != NULL; k++) {
                hit_ctx h = {.rule_id = rf_rule_id(r)};
                rf_status st = rf_scanner_scan_text(
                    sc, ex[k], strlen(ex[k]), RF_SECTION_TEXT, on_finding, &h);
                if (st != RF_OK) {
                    fprintf(stderr, "redflag: error: %s\n", rf_status_str(st));
                    rf_scanner_free(sc);
                    return RF_EXIT_ERROR;
                }
                if (h.hit == (want == 1)) {
                    passed++;
                    if (verbose) {
                        printf(
                            "ok   %s %s #%zu\n", rf_rule_id(r),
                            want ? "match" : "no_match", k + 1);
                    }
                    continue;
                }
                failed++;
                printf(
                    "FAIL %s (%s:%llu) %s example #%zu %s: %s\n", rf_rule_id(r),
                    file, (unsigned long long)line, want ? "match" : "no_match",
                    k + 1, want ? "produced no finding" : "produced a finding",
                    ex[k]);
            }
        }
    }
    rf_scanner_free(sc);
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed > 0 ? RF_EXIT_FINDINGS : RF_EXIT_OK;
}

static int print_term(const char *term, const char *set, void *payload)
{
    const bool *with_sets = payload;
    /* a literal with a line break cannot be a line of a pattern file */
    if (strchr(term, '\n') != NULL) {
        return 0;
    }
    if (*with_sets) {
        printf("%s\t%s\n", set, term);
    } else {
        puts(term);
    }
    return 0;
}

static void usage(FILE *fp)
{
    fprintf(
        fp, "usage: redflag rules list [--rules PATH]\n"
            "       redflag rules test [--verbose] [PATH]\n"
            "       redflag rules terms [--expanded | --anchors] [--sets] "
            "[--rules PATH]\n");
}

int cmd_rules(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RF_EXIT_ERROR;
    }
    const char *verb = argv[1];
    const char *path = NULL;
    bool expanded = false;
    bool anchors = false;
    bool verbose = false;
    bool with_sets = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strcmp(argv[i], "--expanded") == 0) {
            expanded = true;
        } else if (strcmp(argv[i], "--anchors") == 0) {
            anchors = true;
        } else if (strcmp(argv[i], "--sets") == 0) {
            with_sets = true;
        } else if (
            strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            usage(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (strcmp(verb, "list") != 0 && strcmp(verb, "test") != 0 &&
        strcmp(verb, "terms") != 0) {
        usage(stderr);
        return RF_EXIT_ERROR;
    }
    rf_ruleset *rs = rf_cli_load_rules(path);
    if (rs == NULL) {
        return RF_EXIT_ERROR;
    }
    int rc;
    if (strcmp(verb, "list") == 0) {
        rc = rules_list(rs);
    } else if (strcmp(verb, "test") == 0) {
        rc = rules_test(rs, verbose);
    } else if (anchors) {
        rc = rf_ruleset_anchor_terms(rs, print_term, &with_sets) == RF_OK
                 ? RF_EXIT_OK
                 : RF_EXIT_ERROR;
    } else {
        rc = rf_ruleset_terms(rs, expanded, print_term, &with_sets) == RF_OK
                 ? RF_EXIT_OK
                 : RF_EXIT_ERROR;
    }
    rf_ruleset_free(rs);
    return rc;
}
