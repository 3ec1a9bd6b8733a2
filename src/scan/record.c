/*
 * record.c - deep copies of documents, findings and diagnostics.
 *
 * Findings point at their document; a recorded finding points at the
 * recorded copy of the document it came from (the last one recorded), so
 * the replayed events are self-consistent without the reader's buffers.
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* EV_DOC_QUIET holds a copy of a document that findings point at but that
 * was not reported as a document (a later piece of a large text file). */
typedef enum ev_kind { EV_DOC, EV_DOC_QUIET, EV_FINDING, EV_DIAG } ev_kind;

typedef struct rec_finding {
    rf_finding f;
    char *strings[6]; /* unit, lang, snippet, fingerprint, section, - */
    rf_span *marks;
    rf_strvec terms;
} rec_finding;

typedef struct rec_diag {
    rf_diag d;
    char *strings[5]; /* path, member, document, rule, message */
} rec_diag;

struct rf_record_event {
    ev_kind kind;
    union {
        rf_doc *doc;
        rec_finding *finding;
        rec_diag *diag;
    } u;
};

uint64_t rf_record__file_size(const char *path)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0) {
        return 0;
    }
    return (uint64_t)sb.st_size;
}

static rf_status push(rf_record *rec, rf_record_event ev)
{
    if (rec->n == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 16;
        rf_record_event *v = realloc(rec->v, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        rec->v = v;
        rec->cap = cap;
    }
    rec->v[rec->n++] = ev;
    return RF_OK;
}

static rf_status copy_list(rf_strvec *to, const char *const *from)
{
    for (size_t i = 0; from != NULL && from[i] != NULL; i++) {
        rf_status st = rf_strvec_push(to, from[i]);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

static rf_status copy_doc(rf_doc **out, const rf_document *d)
{
    rf_doc *c = NULL;
    rf_status st = rf_doc_new(&c);
    if (st != RF_OK) {
        return st;
    }
    const struct {
        char **to;
        const char *from;
    } fields[] = {
        {&c->id, d->id},
        {&c->format, d->format},
        {&c->kind, d->kind},
        {&c->title, d->title},
        {&c->lang, d->lang},
        {&c->path, d->path},
        {&c->member, d->member},
        {&c->date_published, d->date_published},
        {&c->date_filed, d->date_filed},
        {&c->date_priority, d->date_priority},
        {&c->family_id, d->family_id},
    };
    for (size_t i = 0; i < RF_ARRAY_LEN(fields) && st == RF_OK; i++) {
        st = rf_doc_set(fields[i].to, fields[i].from);
    }
    if (st == RF_OK) {
        st = copy_list(&c->applicants, d->applicants);
    }
    if (st == RF_OK) {
        st = copy_list(&c->inventors, d->inventors);
    }
    if (st == RF_OK) {
        st = copy_list(&c->classes, d->classes);
    }
    for (size_t i = 0; i < d->section_count && st == RF_OK; i++) {
        rf_section *sec;
        st = rf_doc_add_section(
            &sec, c, d->section_kinds[i], d->section_langs[i]);
    }
    c->index = d->index;
    c->offset = d->offset;
    if (st == RF_OK) {
        st = rf_doc_finish(c);
    }
    if (st != RF_OK) {
        rf_doc_free(c);
        return st;
    }
    /* sizes and unit counts of the original text, which the copy does
     * not keep */
    for (size_t i = 0; i < d->section_count; i++) {
        c->section_sizes[i] = d->section_sizes[i];
        c->section_units[i] = d->section_units ? d->section_units[i] : 0;
    }
    *out = c;
    return RF_OK;
}

static void free_finding(rec_finding *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(r->strings); i++) {
        free(r->strings[i]);
    }
    free(r->marks);
    rf_strvec_free(&r->terms);
    free(r);
}

static rf_status
copy_finding(rec_finding **out, const rf_finding *f, const rf_doc *doc)
{
    rec_finding *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return RF_ENOMEM;
    }
    r->f = *f;
    r->strings[0] = rf_strdup(f->unit);
    r->strings[1] = rf_strdup(f->lang);
    r->strings[2] = rf_strdup(f->snippet);
    r->strings[3] = rf_strdup(f->fingerprint);
    r->strings[4] = rf_strdup(f->section);
    r->marks = calloc(f->mark_count ? f->mark_count : 1, sizeof(*r->marks));
    rf_status st = RF_OK;
    if ((f->unit && !r->strings[0]) || !r->strings[1] || !r->strings[2] ||
        !r->strings[3] || !r->strings[4] || !r->marks) {
        st = RF_ENOMEM;
    }
    for (size_t i = 0; i < f->term_count && st == RF_OK; i++) {
        st = rf_strvec_push(&r->terms, f->terms[i]);
    }
    if (st != RF_OK) {
        free_finding(r);
        return st;
    }
    memcpy(r->marks, f->marks, f->mark_count * sizeof(*r->marks));
    r->f.unit = r->strings[0];
    r->f.lang = r->strings[1];
    r->f.snippet = r->strings[2];
    r->f.fingerprint = r->strings[3];
    r->f.section = r->strings[4];
    r->f.marks = r->marks;
    r->f.terms = rf_strvec_list(&r->terms);
    r->f.doc = doc != NULL ? &doc->pub : f->doc;
    *out = r;
    return RF_OK;
}

static void free_diag(rec_diag *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(r->strings); i++) {
        free(r->strings[i]);
    }
    free(r);
}

static rf_status copy_diag(rec_diag **out, const rf_diag *d)
{
    rec_diag *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return RF_ENOMEM;
    }
    r->d = *d;
    const char *from[5] = {
        d->path, d->member, d->document, d->rule, d->message};
    for (size_t i = 0; i < 5; i++) {
        if (from[i] != NULL && (r->strings[i] = rf_strdup(from[i])) == NULL) {
            free_diag(r);
            return RF_ENOMEM;
        }
    }
    r->d.path = r->strings[0];
    r->d.member = r->strings[1];
    r->d.document = r->strings[2];
    r->d.rule = r->strings[3];
    r->d.message = r->strings[4];
    *out = r;
    return RF_OK;
}

static const rf_doc *last_doc(const rf_record *rec)
{
    for (size_t i = rec->n; i > 0; i--) {
        if (rec->v[i - 1].kind == EV_DOC ||
            rec->v[i - 1].kind == EV_DOC_QUIET) {
            return rec->v[i - 1].u.doc;
        }
    }
    return NULL;
}

static rf_status rec_document(void *payload, const rf_document *d)
{
    rf_record *rec = payload;
    rf_record_event ev = {.kind = EV_DOC};
    rf_status st = copy_doc(&ev.u.doc, d);
    if (st == RF_OK) {
        st = push(rec, ev);
        if (st != RF_OK) {
            rf_doc_free(ev.u.doc);
        }
    }
    if (st != RF_OK && rec->status == RF_OK) {
        rec->status = st;
    }
    return st;
}

static rf_status rec_finding_cb(void *payload, const rf_finding *f)
{
    rf_record *rec = payload;
    rf_record_event ev = {.kind = EV_FINDING};
    rf_status st = RF_OK;
    if (last_doc(rec) == NULL) {
        rf_record_event quiet = {.kind = EV_DOC_QUIET};
        st = copy_doc(&quiet.u.doc, f->doc);
        if (st == RF_OK && (st = push(rec, quiet)) != RF_OK) {
            rf_doc_free(quiet.u.doc);
        }
    }
    if (st == RF_OK) {
        st = copy_finding(&ev.u.finding, f, last_doc(rec));
    }
    if (st == RF_OK) {
        st = push(rec, ev);
        if (st != RF_OK) {
            free_finding(ev.u.finding);
        }
    }
    if (st != RF_OK && rec->status == RF_OK) {
        rec->status = st;
    }
    return st;
}

static void rec_diag_cb(void *payload, const rf_diag *d)
{
    rf_record *rec = payload;
    rf_record_event ev = {.kind = EV_DIAG};
    rf_status st = copy_diag(&ev.u.diag, d);
    if (st == RF_OK) {
        st = push(rec, ev);
        if (st != RF_OK) {
            free_diag(ev.u.diag);
        }
    }
    if (st != RF_OK && rec->status == RF_OK) {
        rec->status = st;
    }
}

void rf_record_sink(rf_sink *out, rf_record *rec)
{
    memset(out, 0, sizeof(*out));
    out->version = RF_SINK_VERSION;
    out->document = rec_document;
    out->finding = rec_finding_cb;
    out->diag = rec_diag_cb;
    out->payload = rec;
}

rf_status rf_record_replay(const rf_record *rec, const rf_sink *sink)
{
    for (size_t i = 0; i < rec->n; i++) {
        const rf_record_event *ev = &rec->v[i];
        rf_status st = RF_OK;
        switch (ev->kind) {
        case EV_DOC:
            st = sink->document(sink->payload, &ev->u.doc->pub);
            break;
        case EV_DOC_QUIET:
            break;
        case EV_FINDING:
            st = sink->finding(sink->payload, &ev->u.finding->f);
            break;
        case EV_DIAG:
            sink->diag(sink->payload, &ev->u.diag->d);
            break;
        }
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

void rf_record_free(rf_record *rec)
{
    for (size_t i = 0; i < rec->n; i++) {
        rf_record_event *ev = &rec->v[i];
        switch (ev->kind) {
        case EV_DOC:
        case EV_DOC_QUIET:
            rf_doc_free(ev->u.doc);
            break;
        case EV_FINDING:
            free_finding(ev->u.finding);
            break;
        case EV_DIAG:
            free_diag(ev->u.diag);
            break;
        }
    }
    free(rec->v);
    memset(rec, 0, sizeof(*rec));
}
