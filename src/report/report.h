/*
 * report.h - document-shaped reports (SARIF, CSV, HTML) and the store.
 *
 * The same three formats are written from two places: a scan (through an
 * rf_writer sink, see writer.h) and the findings store (rf_store_report),
 * which adds each finding's review state. So each format is written once,
 * against this small interface, and two adapters drive it:
 *
 *   scan   rf_<fmt>_writer_init fills an rf_writer's sink: begin gives the
 *          ruleset's rules, each finding comes with no review;
 *   store  rf_store_report feeds the rules table, then every stored
 *          finding with its rf_stored_finding.
 *
 * Calls come in this order: begin, rule*, finding*, diag* (anywhere),
 * end. Rules are known before the first finding (SARIF lists them first);
 * a finding whose rule was never announced is still written.
 */
#ifndef RF_REPORT_H
#define RF_REPORT_H

#include "internal.h"

/* A rule's metadata without the rule object (the store has no rf_rule). */
typedef struct rf_rule_info {
    const char *id;
    const char *title;
    const char *category;
    rf_severity severity;
    const char *regulation;
    const char *message;
    const char *description;
} rf_rule_info;

/* Facts a report states once. */
typedef struct rf_report_meta {
    bool from_store;             /* findings carry review state */
    int64_t latest_scan;         /* store: newest scan, for "new" markers */
    const char *filter;          /* store: the filter, in words; NULL = none */
    uint64_t hidden_resolved;    /* store: resolved findings left out */
    uint64_t unmatched_baseline; /* store: baseline entries matching nothing */
} rf_report_meta;

typedef struct rf_report rf_report;

typedef struct rf_report_ops {
    rf_status (*begin)(rf_report *r, const rf_report_meta *meta);
    rf_status (*rule)(rf_report *r, const rf_rule_info *rule);
    /* sf is NULL for findings straight from a scan */
    rf_status (*finding)(
        rf_report *r, const rf_finding *f, const rf_stored_finding *sf);
    void (*diag)(rf_report *r, const rf_diag *d);
    /* summary is NULL for reports from the store */
    rf_status (*end)(rf_report *r, const rf_scan_summary *summary);
    void (*free)(rf_report *r);
} rf_report_ops;

struct rf_report {
    const rf_report_ops *ops;
    FILE *fp;
};

rf_status rf_report__sarif_new(rf_report **out, FILE *fp);
rf_status rf_report__csv_new(rf_report **out, FILE *fp);
rf_status rf_report__html_new(rf_report **out, FILE *fp);
/* JSON Lines with review state (store only; scans use jsonl.c). */
rf_status rf_report__jsonl_new(rf_report **out, FILE *fp);

/* "sarif", "csv", "html" or "jsonl"; RF_EINVAL for anything else. */
rf_status rf_report__new(rf_report **out, const char *format, FILE *fp);
void rf_report__free(rf_report *r);

/* Fill a rule_info from a compiled rule. */
void rf_report__rule_info(rf_rule_info *out, const rf_rule *rule);

/* ---- helpers shared by the formats (report_util.c) ---- */

/* SARIF level for a severity: error, warning or note. */
const char *rf_report__sarif_level(rf_severity sev);
/* Public-record URL for a patent document id ("US-11574187-B2" ->
 * https://patents.google.com/patent/US11574187B2), or NULL when the id
 * does not look like a patent publication number. Malloc'd. */
char *rf_report__patent_url(const rf_document *doc);
/* The year of the document (publication date, else filing), or "". */
void rf_report__doc_year(char out[8], const rf_document *doc);
/* A finding's review status as reports print it ("" from a scan). */
const char *rf_report__status(const rf_stored_finding *sf);
/* Write all of b to fp and empty b. */
rf_status rf_report__flush(rf_buf *b, FILE *fp);

/* ---- HTML pieces shared with the triage server (html_parts.c) ---- */

/* One bar of a chart: a label (document text: escaped) and its count. */
typedef struct rf_chart_bar {
    const char *label;
    uint64_t n;
} rf_chart_bar;

/* Up to @p max columns of s (CJK counts two), escaped, "…" if cut. */
rf_status rf_report__html_trunc(rf_buf *b, const char *s, size_t max);
/* The finding's passage, escaped, each matched term in <mark>. */
rf_status rf_report__html_snippet(rf_buf *b, const rf_finding *f);
/* After an open `<p class="snip"`: its lang attribute, the highlighted
 * snippet, and the opening of the metadata list that follows it. */
rf_status rf_report__html_passage(rf_buf *b, const rf_finding *f);
/* "<dt>label</dt><dd>value</dd>" (value escaped), nothing when empty;
 * @p label is markup of ours, never document text. */
rf_status rf_report__html_dd(rf_buf *b, const char *label, const char *value);
/* The document rows shared by the report and the web UI: applicants,
 * inventors, dates, kind, classes, family, language and source file (with
 * the reader's format when with_format). Lists are cut at the maxima. */
rf_status rf_report__html_doc_rows(
    rf_buf *b,
    const rf_document *d,
    size_t max_people,
    size_t max_classes,
    bool with_format);
/* Escaped text; NULL writes nothing. */
rf_status rf_report__html_esc(rf_buf *b, const char *s);
/* The <dt>/<dd> rows saying where a finding is (section, claim or
 * paragraph, line, bytes), its language and the matched terms. */
rf_status rf_report__html_where(rf_buf *b, const rf_finding *f);
/* The same for a NULL-terminated list, at most @p max items shown. */
rf_status rf_report__html_dd_list(
    rf_buf *b, const char *label, const char *const *list, size_t max);
/* A horizontal bar chart as an inline SVG <figure>: the first 11 bars in
 * the order given, the rest summed as "other". @p title is ours;
 * severity_colours colours bars by severity name (class sev-<label>). */
rf_status rf_report__html_chart(
    rf_buf *b,
    const char *title,
    const rf_chart_bar *bars,
    size_t n,
    bool severity_colours);

#endif /* RF_REPORT_H */
