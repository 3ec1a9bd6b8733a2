/*
 * fuzz_rules.c - the rule-file parser and compiler: any YAML text (kept
 * small, since a valid rule set is handed to Hyperscan) must give rules or
 * diagnostics with a file and line, never a crash.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "redflag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) {
        return 0;
    }
    rf_compiler *c = NULL;
    if (rf_compiler_new(&c) != RF_OK) {
        return 0;
    }
    rf_ruleset *rs = NULL;
    rf_status st =
        rf_compiler_add_string(c, (const char *)data, size, "fuzz.yaml");
    if (st == RF_OK) {
        st = rf_compiler_compile(&rs, c);
    }
    if (st != RF_OK && rf_compiler_errmsg(c) == NULL) {
        abort();
    }
    for (size_t i = 0; i < rf_compiler_diag_count(c); i++) {
        const rf_diag *d = rf_compiler_diag(c, i);
        if (d == NULL || d->message == NULL) {
            abort();
        }
    }
    rf_ruleset_free(rs);
    rf_compiler_free(c);
    return 0;
}
