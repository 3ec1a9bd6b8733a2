/*
 * writer.h - output formats behind one sink interface.
 *
 * A format fills in the writer's sink callbacks (payload = the writer) and
 * may keep its own state (e.g. SARIF and HTML collect findings and write
 * the document at `end`). Add a format: write <name>.c with an init
 * function and add one row to the table in writer.c.
 */
#ifndef RF_WRITER_H
#define RF_WRITER_H

#include "internal.h"

struct rf_writer {
    rf_sink sink;
    FILE *fp;
    const rf_ruleset *rs; /* set by begin, when the scan has rules */
    void *state;
    void (*free_state)(void *state);
};

typedef rf_status (*rf_writer_init_fn)(rf_writer *w);

rf_status rf_jsonl_writer_init(rf_writer *w);
/* sarif.c, csv.c, html.c via report.c (the store's reports share them) */
rf_status rf_sarif_writer_init(rf_writer *w);
rf_status rf_csv_writer_init(rf_writer *w);
rf_status rf_html_writer_init(rf_writer *w);

/* Write f as a JSON object into b (no newline); shared with the store. */
rf_status rf_finding_json(rf_buf *b, const rf_finding *f);
/* The document part of a finding: {"id":..,"kind":..,"title":..}. */
rf_status rf_finding_doc_json(rf_buf *b, const rf_document *d);

#endif /* RF_WRITER_H */
