/*
 * shift.c - what a piece produced, moved back to its place in the whole.
 *
 * A large file (chunk.c) or a large archive member (fanout.c) is read as
 * pieces, each by a reader of its own that counts from zero: offsets from
 * the piece's first byte, lines from its first line, documents from its
 * first document. Whoever emits the pieces in order adds back what the
 * pieces before held, so every place is the one a single reader of the
 * whole would have reported. Both emitters use this file, so the two
 * cannot drift apart.
 *
 * Documents are counted as their readers number them: by index, and by
 * the "#N" (1-based) a reader names a document with in a diagnostic when
 * it has no id. A document that failed to parse is reported as "#N" and
 * never delivered, but it still takes its number: a piece held as many
 * documents as the highest number among its events.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "run.h"

bool rf_shift_none(const rf_shift *s)
{
    return s->offset == 0 && s->lines == 0 && s->docs == 0;
}

/* "#N" -> N (1-based); false for any other name. */
static bool ordinal(const char *name, uint64_t *n)
{
    if (name == NULL || name[0] != '#' || name[1] < '0' || name[1] > '9') {
        return false;
    }
    char *end;
    unsigned long long v = strtoull(name + 1, &end, 10);
    if (*end != '\0') {
        return false;
    }
    *n = v;
    return true;
}

void rf_shift_count_document(uint64_t *docs, const rf_document *d)
{
    if (d->index + 1 > *docs) {
        *docs = d->index + 1;
    }
}

void rf_shift_count_diag(uint64_t *docs, const rf_diag *d)
{
    uint64_t n;
    if (ordinal(d->document, &n) && n > *docs) {
        *docs = n;
    }
}

static void shift_doc(const rf_shift *s, rf_document *d)
{
    d->offset += s->offset;
    d->index += s->docs;
}

rf_status
rf_shift_document(const rf_shift *s, const rf_sink *down, const rf_document *d)
{
    if (s->offset == 0 && s->docs == 0) {
        return down->document(down->payload, d);
    }
    rf_document copy = *d;
    shift_doc(s, &copy);
    return down->document(down->payload, &copy);
}

rf_status
rf_shift_finding(const rf_shift *s, const rf_sink *down, const rf_finding *f)
{
    if (rf_shift_none(s)) {
        return down->finding(down->payload, f);
    }
    rf_finding copy = *f;
    rf_document doc = *f->doc;
    shift_doc(s, &doc);
    copy.doc = &doc;
    copy.start += s->offset;
    copy.end += s->offset;
    if (copy.line > 0) {
        copy.line += s->lines;
    }
    return down->finding(down->payload, &copy);
}

void rf_shift_diag(const rf_shift *s, const rf_sink *down, const rf_diag *d)
{
    if (rf_shift_none(s)) {
        down->diag(down->payload, d);
        return;
    }
    rf_diag copy = *d;
    copy.offset += s->offset;
    if (copy.line > 0) {
        copy.line += s->lines;
    }
    char name[32];
    uint64_t n;
    if (s->docs > 0 && ordinal(d->document, &n)) {
        snprintf(name, sizeof(name), "#%" PRIu64, n + s->docs);
        copy.document = name;
    }
    down->diag(down->payload, &copy);
}

/* ---------------- as a sink ---------------- */

static rf_status ss_document(void *payload, const rf_document *d)
{
    const rf_shift_sink *ss = payload;
    return rf_shift_document(&ss->at, ss->down, d);
}

static rf_status ss_finding(void *payload, const rf_finding *f)
{
    const rf_shift_sink *ss = payload;
    return rf_shift_finding(&ss->at, ss->down, f);
}

static void ss_diag(void *payload, const rf_diag *d)
{
    const rf_shift_sink *ss = payload;
    rf_shift_diag(&ss->at, ss->down, d);
}

void rf_shift_sink_init(rf_sink *out, rf_shift_sink *ss)
{
    rf_run__complete_sink(out, &(rf_sink){.version = RF_SINK_VERSION});
    out->document = ss_document;
    out->finding = ss_finding;
    out->diag = ss_diag;
    out->payload = ss;
}

void rf_summary_add(rf_scan_summary *to, const rf_scan_summary *from)
{
    to->files += from->files;
    to->members += from->members;
    to->documents += from->documents;
    to->bytes += from->bytes;
    to->errors += from->errors;
    to->skipped_binary += from->skipped_binary;
}
