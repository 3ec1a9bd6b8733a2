/*
 * sarif.c - findings as SARIF 2.1.0, for GitHub code scanning and other
 * SARIF viewers (docs/reports.md has the mapping in full).
 *
 * One run. tool.driver.rules lists every rule announced before the first
 * finding (all loaded rules for a scan, the rules table for the store),
 * sorted by id as the ruleset and the store give them; results reference
 * them by ruleId and ruleIndex. Results are streamed: the document is
 * written as findings arrive and closed at `end`, so memory does not grow
 * with the number of findings.
 *
 * Mapping, per result:
 *   level          critical/high -> error, medium -> warning,
 *                  low/info -> note;
 *   location       artifactLocation.uri is the file path as scanned
 *                  (relative paths stay relative, absolute ones become
 *                  file:// URIs), percent-encoded; an archive member is
 *                  addressed as "archive.zip!/member/path" (the jar-URL
 *                  convention), and region offsets are then offsets in the
 *                  decompressed member. region has startLine, startColumn
 *                  (Unicode code points: run.columnKind), byteOffset,
 *                  byteLength and the passage as snippet.text;
 *   logicalLocations  the document (publication number) and its section
 *                  or claim;
 *   partialFingerprints {"redflag/v1": fingerprint};
 *   suppressions   a false-positive in the store becomes
 *                  {kind: external, status: accepted, justification: note};
 *                  it stays in the file, marked, as reviewers expect;
 *   baselineState  (store) new / unchanged / absent (resolved).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SARIF_SCHEMA                                                      \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/" \
    "sarif-schema-2.1.0.json"

typedef struct rule_entry {
    char *id;
} rule_entry;

typedef struct sarif {
    rf_report base;
    rf_buf out;
    rf_buf notes; /* toolExecutionNotifications, written at end */
    size_t note_count;
    rf_buf rules; /* the rules array, written with the header */
    rule_entry *ids;
    size_t nids;
    size_t capids;
    size_t last_rule; /* cache: findings come in runs of one rule */
    bool header_done;
    size_t results;
    rf_report_meta meta;
    char *filter;
} sarif;

static rf_status jstr(rf_buf *b, const char *s)
{
    return rf_buf_json_cstr(b, s ? s : "");
}

/* ---------------- URIs ---------------- */

/* Percent-encode a path for a URI reference: keep RFC 3986 unreserved
 * characters, '/' and the sub-delims that are harmless in a path. */
static rf_status uri_path(rf_buf *b, const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    rf_status st = RF_OK;
    for (const unsigned char *s = (const unsigned char *)p; *s && st == RF_OK;
         s++) {
        unsigned char c = *s;
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || strchr("-._~/!$&'()*+,;=:@", c);
        if (keep && c != '\0') {
            st = rf_buf_putc(b, (char)c);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            st = rf_buf_append(b, enc, 3);
        }
    }
    return st;
}

static rf_status artifact_uri(rf_buf *uri, const char *path, const char *member)
{
    rf_status st = RF_OK;
    const char *p = path ? path : "";
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
    }
    if (p[0] == '/') {
        st = rf_buf_puts(uri, "file://");
    }
    /* A relative path's first segment must not look like a scheme. */
    if (st == RF_OK && p[0] != '/' && strchr(p, ':') != NULL &&
        (strchr(p, '/') == NULL || strchr(p, ':') < strchr(p, '/'))) {
        st = rf_buf_puts(uri, "./");
    }
    st = st ? st : uri_path(uri, p);
    if (st == RF_OK && member != NULL && *member != '\0') {
        st = rf_buf_puts(uri, "!/");
        st = st ? st : uri_path(uri, member[0] == '/' ? member + 1 : member);
    }
    return st;
}

/* ---------------- rules ---------------- */

/* "ethnicity-face-attribute" -> "EthnicityFaceAttribute" */
static rf_status rule_name(rf_buf *b, const char *id)
{
    rf_buf n = {0};
    bool up = true;
    rf_status st = RF_OK;
    for (const char *p = id; *p && st == RF_OK; p++) {
        char c = *p;
        if (c == '-' || c == '_' || c == '.' || c == ' ' || c == '/') {
            up = true;
            continue;
        }
        if (up && c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        up = false;
        st = rf_buf_putc(&n, c);
    }
    st = st ? st : jstr(b, n.data ? n.data : id);
    rf_buf_free(&n);
    return st;
}

static rf_status help_text(rf_buf *b, const rf_rule_info *r)
{
    rf_buf t = {0};
    rf_status st = rf_buf_puts(
        &t, r->message && *r->message ? r->message
            : r->title                ? r->title
                                      : r->id);
    if (st == RF_OK && r->description && *r->description) {
        st = rf_buf_printf(&t, "\n\n%s", r->description);
    }
    if (st == RF_OK && r->regulation && *r->regulation) {
        st = rf_buf_printf(&t, "\n\nRegulation: %s", r->regulation);
    }
    if (st == RF_OK) {
        st = rf_buf_printf(
            &t,
            "\n\nTrait: %s. Severity: %s. Review findings with "
            "`redflag review FINGERPRINT --status confirmed|false-positive`.",
            r->category && *r->category ? r->category : "unspecified",
            rf_severity_name(r->severity));
    }
    st = st ? st : jstr(b, t.data);
    rf_buf_free(&t);
    return st;
}

static rf_status sarif_rule(rf_report *rep, const rf_rule_info *r)
{
    sarif *w = (sarif *)rep;
    if (w->header_done || r->id == NULL) {
        return RF_OK; /* too late to list it; results still name it */
    }
    if (w->nids == w->capids) {
        size_t cap = w->capids ? w->capids * 2 : 32;
        rule_entry *p = realloc(w->ids, cap * sizeof *p);
        if (p == NULL) {
            return RF_ENOMEM;
        }
        w->ids = p;
        w->capids = cap;
    }
    w->ids[w->nids].id = rf_strdup(r->id);
    if (w->ids[w->nids].id == NULL) {
        return RF_ENOMEM;
    }
    rf_buf *b = &w->rules;
    const char *title = r->title && *r->title ? r->title : r->id;
    const char *full = r->description && *r->description ? r->description
                       : r->message && *r->message       ? r->message
                                                         : title;
    rf_status st =
        rf_buf_puts(b, w->nids ? ",\n            {" : "\n            {");
    st = st ? st : rf_buf_puts(b, "\"id\":");
    st = st ? st : jstr(b, r->id);
    st = st ? st : rf_buf_puts(b, ",\"name\":");
    st = st ? st : rule_name(b, r->id);
    st = st ? st : rf_buf_puts(b, ",\"shortDescription\":{\"text\":");
    st = st ? st : jstr(b, title);
    st = st ? st : rf_buf_puts(b, "},\"fullDescription\":{\"text\":");
    st = st ? st : jstr(b, full);
    st = st ? st : rf_buf_puts(b, "},\"help\":{\"text\":");
    st = st ? st : help_text(b, r);
    st = st ? st : rf_buf_puts(b, "},\"defaultConfiguration\":{\"level\":");
    st = st ? st : jstr(b, rf_report__sarif_level(r->severity));
    st = st ? st : rf_buf_puts(b, "},\"properties\":{\"category\":");
    st = st ? st : jstr(b, r->category);
    st = st ? st : rf_buf_puts(b, ",\"severity\":");
    st = st ? st : jstr(b, rf_severity_name(r->severity));
    st = st ? st : rf_buf_puts(b, ",\"regulation\":");
    st = st ? st : jstr(b, r->regulation);
    st = st ? st : rf_buf_puts(b, ",\"tags\":[\"redflag\"");
    if (st == RF_OK && r->category && *r->category) {
        st = rf_buf_putc(b, ',');
        st = st ? st : jstr(b, r->category);
    }
    st = st ? st : rf_buf_puts(b, "]}}");
    if (st == RF_OK) {
        w->nids++;
    } else {
        free(w->ids[w->nids].id);
    }
    return st;
}

static long rule_index(sarif *w, const char *id)
{
    if (id == NULL) {
        return -1;
    }
    if (w->last_rule < w->nids && strcmp(w->ids[w->last_rule].id, id) == 0) {
        return (long)w->last_rule;
    }
    for (size_t i = 0; i < w->nids; i++) {
        if (strcmp(w->ids[i].id, id) == 0) {
            w->last_rule = i;
            return (long)i;
        }
    }
    return -1;
}

/* ---------------- document ---------------- */

static rf_status sarif_begin(rf_report *rep, const rf_report_meta *meta)
{
    sarif *w = (sarif *)rep;
    w->meta = *meta;
    if (meta->filter != NULL) {
        w->filter = rf_strdup(meta->filter);
        if (w->filter == NULL) {
            return RF_ENOMEM;
        }
        w->meta.filter = w->filter;
    }
    return RF_OK;
}

static rf_status header(sarif *w)
{
    rf_buf *b = &w->out;
    rf_status st = rf_buf_puts(
        b, "{\n"
           "  \"$schema\": \"" SARIF_SCHEMA "\",\n"
           "  \"version\": \"2.1.0\",\n"
           "  \"runs\": [\n"
           "    {\n"
           "      \"tool\": {\n"
           "        \"driver\": {\n"
           "          \"name\": \"redflag\",\n"
           "          \"version\": \"" RF_VERSION_STRING "\",\n"
           "          \"semanticVersion\": \"" RF_VERSION_STRING "\",\n"
           "          \"rules\": [");
    st =
        st ? st
           : rf_buf_append(b, w->rules.data ? w->rules.data : "", w->rules.len);
    st = st ? st : rf_buf_puts(b, w->nids ? "\n          ]\n" : "]\n");
    st = st ? st
            : rf_buf_puts(
                  b, "        }\n"
                     "      },\n"
                     "      \"columnKind\": \"unicodeCodePoints\",\n"
                     "      \"results\": [");
    w->header_done = true;
    rf_buf_free(&w->rules);
    return st;
}

static rf_status logical_location(rf_buf *b, const rf_finding *f)
{
    const rf_document *d = f->doc;
    rf_buf fq = {0};
    const char *where = f->unit && *f->unit ? f->unit : f->section;
    rf_status st = rf_buf_printf(&fq, "%s", d && d->id ? d->id : "");
    if (st == RF_OK && f->section && *f->section) {
        st = rf_buf_printf(&fq, "/%s", f->section);
    }
    if (st == RF_OK && f->unit && *f->unit) {
        st = rf_buf_printf(&fq, "/%s", f->unit);
    }
    st = st ? st : rf_buf_puts(b, ",\"logicalLocations\":[{\"name\":");
    st = st ? st : jstr(b, where && *where ? where : (d ? d->id : ""));
    st = st ? st : rf_buf_puts(b, ",\"fullyQualifiedName\":");
    st = st ? st : jstr(b, fq.data ? fq.data : "");
    st = st ? st : rf_buf_puts(b, ",\"kind\":\"element\"}]");
    rf_buf_free(&fq);
    return st;
}

static rf_status message_text(rf_buf *b, const rf_finding *f)
{
    rf_buf t = {0};
    const rf_document *d = f->doc;
    rf_status st = rf_buf_puts(
        &t, f->message && *f->message ? f->message
            : f->title && *f->title   ? f->title
                                      : f->rule_id);
    if (st == RF_OK && d != NULL && d->id != NULL) {
        st = rf_buf_printf(&t, " (%s", d->id);
        if (st == RF_OK && f->unit && *f->unit) {
            st = rf_buf_printf(&t, ", %s", f->unit);
        } else if (st == RF_OK && f->section && *f->section) {
            st = rf_buf_printf(&t, ", %s", f->section);
        }
        st = st ? st : rf_buf_putc(&t, ')');
    }
    for (size_t i = 0; st == RF_OK && i < f->term_count; i++) {
        st = rf_buf_printf(&t, "%s%s", i ? ", " : ": matched ", f->terms[i]);
    }
    st = st ? st : jstr(b, t.data);
    rf_buf_free(&t);
    return st;
}

static rf_status
properties(rf_buf *b, const rf_finding *f, const rf_stored_finding *sf)
{
    const rf_document *d = f->doc;
    rf_status st = rf_buf_puts(b, ",\"properties\":{\"severity\":");
    st = st ? st : jstr(b, rf_severity_name(f->severity));
    st = st ? st : rf_buf_puts(b, ",\"category\":");
    st = st ? st : jstr(b, f->category);
    st = st ? st : rf_buf_puts(b, ",\"regulation\":");
    st = st ? st : jstr(b, f->regulation);
    st = st ? st : rf_buf_puts(b, ",\"section\":");
    st = st ? st : jstr(b, f->section);
    st = st ? st : rf_buf_puts(b, ",\"unit\":");
    st = st ? st : rf_buf_json_cstr(b, f->unit);
    st = st ? st : rf_buf_puts(b, ",\"lang\":");
    st = st ? st : jstr(b, f->lang);
    st = st ? st : rf_buf_puts(b, ",\"terms\":[");
    for (size_t i = 0; st == RF_OK && i < f->term_count; i++) {
        st = i ? rf_buf_putc(b, ',') : RF_OK;
        st = st ? st : jstr(b, f->terms[i]);
    }
    st = st ? st : rf_buf_puts(b, "]");
    if (st == RF_OK && d != NULL) {
        char *url = rf_report__patent_url(d);
        st = rf_buf_puts(b, ",\"document\":{\"id\":");
        st = st ? st : jstr(b, d->id);
        st = st ? st : rf_buf_puts(b, ",\"title\":");
        st = st ? st : rf_buf_json_cstr(b, d->title);
        st = st ? st : rf_buf_puts(b, ",\"kind\":");
        st = st ? st : jstr(b, d->kind);
        st = st ? st : rf_buf_puts(b, ",\"format\":");
        st = st ? st : jstr(b, d->format);
        st = st ? st : rf_buf_puts(b, ",\"datePublished\":");
        st = st ? st : rf_buf_json_cstr(b, d->date_published);
        st = st ? st : rf_buf_puts(b, ",\"applicants\":[");
        for (size_t i = 0; st == RF_OK && d->applicants && d->applicants[i];
             i++) {
            st = i ? rf_buf_putc(b, ',') : RF_OK;
            st = st ? st : jstr(b, d->applicants[i]);
        }
        st = st ? st : rf_buf_puts(b, "],\"link\":");
        st = st ? st : rf_buf_json_cstr(b, url);
        st = st ? st : rf_buf_putc(b, '}');
        free(url);
    }
    if (st == RF_OK && sf != NULL) {
        st = rf_buf_puts(b, ",\"status\":");
        st = st ? st : jstr(b, rf_review_status_name(sf->status));
        st = st ? st : rf_buf_puts(b, ",\"review\":");
        st = st ? st : jstr(b, rf_review_status_name(sf->review));
        st = st ? st : rf_buf_puts(b, ",\"note\":");
        st = st ? st : rf_buf_json_cstr(b, sf->note);
        st = st ? st
                : rf_buf_printf(
                      b, ",\"firstScan\":%lld,\"lastScan\":%lld",
                      (long long)sf->first_scan, (long long)sf->last_scan);
    }
    return st ? st : rf_buf_putc(b, '}');
}

static rf_status
sarif_finding(rf_report *rep, const rf_finding *f, const rf_stored_finding *sf)
{
    sarif *w = (sarif *)rep;
    rf_buf *b = &w->out;
    rf_status st = w->header_done ? RF_OK : header(w);
    const rf_document *d = f->doc;
    long idx = rule_index(w, f->rule_id);
    st = st ? st : rf_buf_puts(b, w->results ? ",\n        {" : "\n        {");
    st = st ? st : rf_buf_puts(b, "\"ruleId\":");
    st = st ? st : jstr(b, f->rule_id);
    if (st == RF_OK && idx >= 0) {
        st = rf_buf_printf(b, ",\"ruleIndex\":%ld", idx);
    }
    st = st ? st : rf_buf_puts(b, ",\"level\":");
    st = st ? st : jstr(b, rf_report__sarif_level(f->severity));
    st = st ? st : rf_buf_puts(b, ",\"message\":{\"text\":");
    st = st ? st : message_text(b, f);
    st = st ? st
            : rf_buf_puts(
                  b, "},\"locations\":[{\"physicalLocation\":"
                     "{\"artifactLocation\":{\"uri\":");
    if (st == RF_OK) {
        rf_buf uri = {0};
        st = artifact_uri(&uri, d ? d->path : NULL, d ? d->member : NULL);
        st = st ? st : jstr(b, uri.data ? uri.data : "");
        rf_buf_free(&uri);
    }
    st = st ? st : rf_buf_puts(b, "},\"region\":{");
    if (st == RF_OK && f->line > 0) {
        st = rf_buf_printf(
            b, "\"startLine\":%llu,", (unsigned long long)f->line);
        if (st == RF_OK && f->column > 0) {
            st = rf_buf_printf(
                b, "\"startColumn\":%llu,", (unsigned long long)f->column);
        }
    }
    st =
        st ? st
           : rf_buf_printf(
                 b,
                 "\"byteOffset\":%llu,\"byteLength\":%llu,"
                 "\"snippet\":{\"text\":",
                 (unsigned long long)f->start,
                 (unsigned long long)(f->end > f->start ? f->end - f->start : 0));
    st = st ? st : jstr(b, f->snippet);
    st = st ? st : rf_buf_puts(b, "}}}");
    st = st ? st : logical_location(b, f);
    st =
        st ? st : rf_buf_puts(b, "}],\"partialFingerprints\":{\"redflag/v1\":");
    st = st ? st : jstr(b, f->fingerprint);
    st = st ? st : rf_buf_putc(b, '}');
    if (st == RF_OK && sf != NULL) {
        const char *state = sf->status == RF_REVIEW_RESOLVED ? "absent"
                            : sf->first_scan >= w->meta.latest_scan
                                ? "new"
                                : "unchanged";
        st = rf_buf_printf(b, ",\"baselineState\":\"%s\"", state);
    }
    if (st == RF_OK && sf != NULL && sf->suppressed) {
        st = rf_buf_puts(
            b, ",\"suppressions\":[{\"kind\":\"external\","
               "\"status\":\"accepted\",\"justification\":");
        st = st ? st
                : jstr(
                      b, sf->note && *sf->note
                             ? sf->note
                             : "marked false-positive in the redflag "
                               "findings store");
        st = st ? st : rf_buf_puts(b, "}]");
    }
    st = st ? st : properties(b, f, sf);
    st = st ? st : rf_buf_putc(b, '}');
    w->results++;
    if (st == RF_OK && b->len > 65536) {
        st = rf_report__flush(b, rep->fp);
    }
    return st;
}

static void sarif_diag(rf_report *rep, const rf_diag *d)
{
    sarif *w = (sarif *)rep;
    rf_buf *b = &w->notes;
    /* keep the log bounded on a corpus full of broken files */
    if (w->note_count >= 1000) {
        return;
    }
    const char *level = d->level == RF_DIAG_ERROR     ? "error"
                        : d->level == RF_DIAG_WARNING ? "warning"
                                                      : "note";
    rf_status st =
        rf_buf_puts(b, w->note_count ? ",\n            {" : "\n            {");
    st =
        st ? st
           : rf_buf_printf(b, "\"level\":\"%s\",\"message\":{\"text\":", level);
    st = st ? st : jstr(b, d->message);
    st = st ? st : rf_buf_putc(b, '}');
    if (st == RF_OK && d->path != NULL) {
        rf_buf uri = {0};
        st = artifact_uri(&uri, d->path, d->member);
        st = st ? st
                : rf_buf_puts(
                      b, ",\"locations\":[{\"physicalLocation\":"
                         "{\"artifactLocation\":{\"uri\":");
        st = st ? st : jstr(b, uri.data ? uri.data : "");
        st = st ? st : rf_buf_puts(b, "}}}]");
        rf_buf_free(&uri);
    }
    st = st ? st : rf_buf_putc(b, '}');
    if (st == RF_OK) {
        w->note_count++;
    }
}

static rf_status sarif_end(rf_report *rep, const rf_scan_summary *summary)
{
    sarif *w = (sarif *)rep;
    rf_buf *b = &w->out;
    rf_status st = w->header_done ? RF_OK : header(w);
    st = st ? st : rf_buf_puts(b, w->results ? "\n      ]" : "]");
    if (st == RF_OK && summary != NULL) {
        /* a scan: say it ran and what it could not read */
        st = rf_buf_puts(
            b, ",\n      \"invocations\": [\n        {"
               "\"executionSuccessful\":true");
        if (st == RF_OK && w->note_count > 0) {
            st = rf_buf_puts(b, ",\"toolExecutionNotifications\":[");
            st = st ? st : rf_buf_append(b, w->notes.data, w->notes.len);
            st = st ? st : rf_buf_puts(b, "\n        ]");
        }
        st = st ? st : rf_buf_puts(b, "}\n      ]");
    }
    if (st == RF_OK && w->meta.from_store) {
        st = rf_buf_printf(
            b,
            ",\n      \"properties\": {\"source\":\"store\","
            "\"latestScan\":%lld,\"resolvedNotShown\":%llu,"
            "\"unmatchedBaselineEntries\":%llu,\"filter\":",
            (long long)w->meta.latest_scan,
            (unsigned long long)w->meta.hidden_resolved,
            (unsigned long long)w->meta.unmatched_baseline);
        st = st ? st : rf_buf_json_cstr(b, w->meta.filter);
        st = st ? st : rf_buf_putc(b, '}');
    }
    st = st ? st : rf_buf_puts(b, "\n    }\n  ]\n}\n");
    st = st ? st : rf_report__flush(b, rep->fp);
    if (st == RF_OK && fflush(rep->fp) != 0) {
        st = RF_EIO;
    }
    return st;
}

static void sarif_free(rf_report *rep)
{
    sarif *w = (sarif *)rep;
    for (size_t i = 0; i < w->nids; i++) {
        free(w->ids[i].id);
    }
    free(w->ids);
    free(w->filter);
    rf_buf_free(&w->out);
    rf_buf_free(&w->notes);
    rf_buf_free(&w->rules);
    free(w);
}

static const rf_report_ops sarif_ops = {
    .begin = sarif_begin,
    .rule = sarif_rule,
    .finding = sarif_finding,
    .diag = sarif_diag,
    .end = sarif_end,
    .free = sarif_free,
};

rf_status rf_report__sarif_new(rf_report **out, FILE *fp)
{
    sarif *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return RF_ENOMEM;
    }
    w->base.ops = &sarif_ops;
    w->base.fp = fp;
    *out = &w->base;
    return RF_OK;
}
