/*
 * scan.h - internal scanning interfaces: the scanner over one document and
 * the finding builder that turns a rule match into an rf_finding.
 */
#ifndef RF_SCAN_H
#define RF_SCAN_H

#include "evaluate/eval.h"

/* A new input (file or piece) begins: forget per-document state, so that
 * what a piece produces does not depend on what the thread did before. */
void rf_scanner__begin_input(rf_scanner *s);

/* Scan every section of a document (the driver's entry point). */
rf_status rf_scanner__scan_doc(
    rf_scanner *s, const rf_doc *doc, rf_finding_cb cb, void *payload);

rf_status rf_scanner__scan_section(
    rf_scanner *s,
    const rf_doc *doc,
    const rf_section *sec,
    rf_finding_cb cb,
    void *payload);

/* Working storage for findings; the rf_finding it returns stays valid until
 * the next build. */
typedef struct rf_finding_builder {
    rf_finding f;
    rf_buf snippet;
    rf_span *marks;
    size_t mark_cap;
    rf_strvec terms;
    const char **term_ptrs;
    size_t term_ptr_cap;
    char fingerprint[33];
    char unit[32];
    char lang[16];
    /* occurrences of each fingerprint base within the current document,
     * so two identical passages in one document stay distinct */
    uint64_t *seen;
    size_t seen_n;
    size_t seen_cap;
    /* where the last line count ended (see line_of in finding.c) */
    const rf_doc *cur_doc;
    const rf_section *cur_sec;
    uint64_t cur_part;
    size_t cur_run;
    size_t cur_off;
    uint64_t cur_line;
    /* where the last column count ended (see column_of in finding.c) */
    const rf_section *col_sec;
    const char *col_text;
    uint64_t col_part;
    size_t col_off;
    uint64_t col;
} rf_finding_builder;

void rf_finding_builder_new_document(rf_finding_builder *fb);
void rf_finding_builder_free(rf_finding_builder *fb);

rf_status rf_finding_build(
    const rf_finding **out,
    rf_finding_builder *fb,
    const rf_ruleset *rs,
    const rf_doc *doc,
    const rf_section *sec,
    const rf_hits *hits,
    const rf_match *m);

/* Guess the language of a passage from its script (and, for Latin text,
 * a few function words). Writes a BCP 47 tag into out. */
void rf_detect_lang(
    char out[16], const char *text, size_t len, const char *hint);

#endif /* RF_SCAN_H */
