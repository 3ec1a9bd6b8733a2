/*
 * fuzz_scan.c - a whole scan of one text: matching, windows, masks,
 * snippets and fingerprints over any bytes, with a small fixed rule set
 * (both languages, a mask and a regex term). The section kind comes from
 * the first byte, and its top bit sets a hit budget of 8, so that dense
 * inputs are evaluated in slices (scanner.c, scan_sliced). Every finding's
 * ranges must lie inside the text.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "redflag.h"

static const char rules[] =
    "sets:\n"
    "  t-trait:\n"
    "    terms:\n"
    "      en: [race, ethnicity, 're:skin (tone|colou?r)']\n"
    "      zh-Hans: [民族, 种族]\n"
    "  t-subject:\n"
    "    terms:\n"
    "      en: [face, pedestrian*]\n"
    "      zh-Hans: [人脸, 行人]\n"
    "  t-mask:\n"
    "    mask: true\n"
    "    terms:\n"
    "      en: [race condition]\n"
    "rules:\n"
    "  - id: t-attr\n"
    "    title: Trait attribute of a face\n"
    "    category: ethnicity\n"
    "    severity: high\n"
    "    regulation: EU AI Act Art. 5(1)(g)\n"
    "    message: a protected trait inferred from a face\n"
    "    all: [t-trait, t-subject]\n"
    "    within: sentence\n"
    "    examples:\n"
    "      match: [\"The face attributes include race.\"]\n"
    "  - id: t-any\n"
    "    title: Trait word\n"
    "    category: ethnicity\n"
    "    severity: low\n"
    "    regulation: none\n"
    "    message: a trait word\n"
    "    all: [t-trait]\n"
    "    examples:\n"
    "      match: [\"ethnicity\"]\n";

static rf_ruleset *ruleset;
static rf_scanner *scanner;

typedef struct scan_ctx {
    size_t len;
} scan_ctx;

static int on_finding(const rf_finding *f, void *payload)
{
    const scan_ctx *sc = payload;
    if (f->end < f->start || f->end > sc->len || f->snippet == NULL ||
        f->fingerprint == NULL || strlen(f->fingerprint) != 32) {
        abort();
    }
    size_t n = strlen(f->snippet);
    for (size_t i = 0; i < f->mark_count; i++) {
        if (f->marks[i].start > f->marks[i].end || f->marks[i].end > n) {
            abort();
        }
    }
    return 0;
}

/* The rule set lives for the whole run; freed at exit so valgrind and
 * LeakSanitizer see no leak. */
static void teardown(void)
{
    rf_scanner_free(scanner);
    rf_ruleset_free(ruleset);
}

static void setup(void)
{
    rf_compiler *c = NULL;
    if (rf_compiler_new(&c) != RF_OK ||
        rf_compiler_add_string(c, rules, sizeof(rules) - 1, "fuzz.yaml") !=
            RF_OK ||
        rf_compiler_compile(&ruleset, c) != RF_OK ||
        rf_scanner_new(&scanner, ruleset) != RF_OK) {
        abort();
    }
    rf_compiler_free(c);
    atexit(teardown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    if (scanner == NULL) {
        setup();
    }
    rf_section_kind kind =
        (rf_section_kind)((data[0] & 0x7F) % RF_SECTION_KIND_COUNT);
    rf_scanner_set_max_hits(scanner, (data[0] & 0x80) ? 8 : 0);
    scan_ctx sc = {.len = size - 1};
    (void)rf_scanner_scan_text(
        scanner, (const char *)data + 1, size - 1, kind, on_finding, &sc);
    return 0;
}
