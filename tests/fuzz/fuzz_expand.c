/*
 * fuzz_expand.c - term expansion: any UTF-8 (or not) term, with the prefix,
 * suffix and regex flags taken from the first byte, expanded into its
 * variants, each turned into a Hyperscan expression and a literal, and the
 * walk-back that finds where a match of a form starts run over the input.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "rules/rules.h"

static rf_expander *expander;

static void teardown(void)
{
    rf_expander_free(expander);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 512) {
        return 0;
    }
    if (expander == NULL) {
        if (rf_expander_new(&expander) != RF_OK) {
            abort();
        }
        atexit(teardown);
    }
    char *text = rf_strndup((const char *)data + 1, size - 1);
    if (text == NULL) {
        return 0;
    }
    static const char *const langs[] = {"en", "zh-Hans", "zh-Hant", "ja",
                                        "ko", "ru",      "ug",      "de"};
    rf_term term = {
        .text = text,
        .lang = (char *)langs[data[0] % RF_ARRAY_LEN(langs)],
        .prefix = (data[0] & 0x10) != 0,
        .suffix = (data[0] & 0x20) != 0,
        .regex = false, /* regex terms pass through unchanged */
    };
    rf_strvec forms = {0};
    rf_strvec literals = {0};
    rf_buf re = {0};
    if (rf_expand_term(expander, &term, &forms) == RF_OK) {
        for (size_t i = 0; i < forms.n; i++) {
            rf_buf_reset(&re);
            (void)rf_expand_regex(&re, forms.v[i]);
            (void)rf_expand_literal(&literals, forms.v[i]);
            size_t len = strlen(text);
            size_t start = rf_expand_match_start(forms.v[i], text, len);
            if (start > len) {
                abort(); /* a start after the end is a bug */
            }
        }
    }
    rf_buf_free(&re);
    rf_strvec_free(&literals);
    rf_strvec_free(&forms);
    free(text);
    return 0;
}
