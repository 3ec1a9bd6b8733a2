/*
 * jsonl.c - findings as JSON Lines, one object per line, written as they
 * arrive (so a killed scan leaves every complete line valid). The schema
 * is documented in docs/output.md; keys are in a fixed order.
 */
#include <stdlib.h>
#include <string.h>

#include "writer.h"

static rf_status list_json(rf_buf *b, const char *const *list)
{
    rf_status st = rf_buf_putc(b, '[');
    for (size_t i = 0; list != NULL && list[i] != NULL && st == RF_OK; i++) {
        if (i > 0) {
            st = rf_buf_putc(b, ',');
        }
        if (st == RF_OK) {
            st = rf_buf_json_cstr(b, list[i]);
        }
    }
    return st == RF_OK ? rf_buf_putc(b, ']') : st;
}

rf_status rf_finding_doc_json(rf_buf *b, const rf_document *d)
{
    rf_status st = rf_buf_puts(b, "{\"id\":");
    st = st ? st : rf_buf_json_cstr(b, d->id);
    st = st ? st : rf_buf_puts(b, ",\"format\":");
    st = st ? st : rf_buf_json_cstr(b, d->format);
    st = st ? st : rf_buf_puts(b, ",\"kind\":");
    st = st ? st : rf_buf_json_cstr(b, d->kind);
    st = st ? st : rf_buf_puts(b, ",\"title\":");
    st = st ? st : rf_buf_json_cstr(b, d->title);
    st = st ? st : rf_buf_puts(b, ",\"index\":");
    st = st ? st : rf_buf_printf(b, "%llu", (unsigned long long)d->index);
    st = st ? st : rf_buf_puts(b, ",\"date_published\":");
    st = st ? st : rf_buf_json_cstr(b, d->date_published);
    st = st ? st : rf_buf_puts(b, ",\"applicants\":");
    st = st ? st : list_json(b, d->applicants);
    st = st ? st : rf_buf_putc(b, '}');
    return st;
}

rf_status rf_finding_json(rf_buf *b, const rf_finding *f)
{
    rf_status st = rf_buf_puts(b, "{\"rule\":");
    st = st ? st : rf_buf_json_cstr(b, f->rule_id);
    st = st ? st : rf_buf_puts(b, ",\"category\":");
    st = st ? st : rf_buf_json_cstr(b, f->category);
    st = st ? st : rf_buf_puts(b, ",\"severity\":");
    st = st ? st : rf_buf_json_cstr(b, rf_severity_name(f->severity));
    st = st ? st : rf_buf_puts(b, ",\"regulation\":");
    st = st ? st : rf_buf_json_cstr(b, f->regulation);
    st = st ? st : rf_buf_puts(b, ",\"message\":");
    st = st ? st : rf_buf_json_cstr(b, f->message);
    st = st ? st : rf_buf_puts(b, ",\"path\":");
    st = st ? st : rf_buf_json_cstr(b, f->doc->path);
    st = st ? st : rf_buf_puts(b, ",\"member\":");
    st = st ? st : rf_buf_json_cstr(b, f->doc->member);
    st = st ? st : rf_buf_puts(b, ",\"document\":");
    st = st ? st : rf_finding_doc_json(b, f->doc);
    st = st ? st : rf_buf_puts(b, ",\"section\":");
    st = st ? st : rf_buf_json_cstr(b, f->section);
    st = st ? st : rf_buf_puts(b, ",\"unit\":");
    st = st ? st : rf_buf_json_cstr(b, f->unit);
    st = st ? st : rf_buf_puts(b, ",\"lang\":");
    st = st ? st : rf_buf_json_cstr(b, f->lang);
    st = st ? st
            : rf_buf_printf(
                  b,
                  ",\"line\":%llu,\"column\":%llu,"
                  "\"start\":%llu,\"end\":%llu",
                  (unsigned long long)f->line, (unsigned long long)f->column,
                  (unsigned long long)f->start, (unsigned long long)f->end);
    st = st ? st : rf_buf_puts(b, ",\"snippet\":");
    /* the passage with each matched term between « and » */
    rf_buf marked = {0};
    size_t at = 0;
    for (size_t i = 0; i < f->mark_count && st == RF_OK; i++) {
        const rf_span *m = &f->marks[i];
        if (m->end <= m->start || m->start < at) {
            continue;
        }
        st = rf_buf_append(&marked, f->snippet + at, m->start - at);
        st = st ? st : rf_buf_puts(&marked, "\xC2\xAB");
        st = st ? st
                : rf_buf_append(
                      &marked, f->snippet + m->start, m->end - m->start);
        st = st ? st : rf_buf_puts(&marked, "\xC2\xBB");
        at = m->end;
    }
    st = st ? st : rf_buf_puts(&marked, f->snippet + at);
    st = st ? st : rf_buf_json_str(b, marked.data, marked.len);
    rf_buf_free(&marked);
    st = st ? st : rf_buf_puts(b, ",\"terms\":");
    st = st ? st : list_json(b, f->terms);
    st = st ? st : rf_buf_puts(b, ",\"fingerprint\":");
    st = st ? st : rf_buf_json_cstr(b, f->fingerprint);
    st = st ? st : rf_buf_putc(b, '}');
    return st;
}

rf_status rf_finding_to_json(char **out, size_t *len, const rf_finding *f)
{
    rf_buf b = {0};
    rf_status st = rf_finding_json(&b, f);
    if (st != RF_OK) {
        rf_buf_free(&b);
        return st;
    }
    if (len != NULL) {
        *len = b.len;
    }
    *out = rf_buf_steal(&b);
    return RF_OK;
}

typedef struct jsonl_state {
    rf_buf line;
} jsonl_state;

static rf_status jsonl_finding(void *payload, const rf_finding *f)
{
    rf_writer *w = payload;
    jsonl_state *s = w->state;
    rf_buf_reset(&s->line);
    rf_status st = rf_finding_json(&s->line, f);
    st = st ? st : rf_buf_putc(&s->line, '\n');
    if (st == RF_OK &&
        fwrite(s->line.data, 1, s->line.len, w->fp) != s->line.len) {
        st = RF_EIO;
    }
    return st;
}

static rf_status jsonl_end(void *payload, const rf_scan_summary *sum)
{
    RF_UNUSED(sum);
    rf_writer *w = payload;
    return fflush(w->fp) == 0 ? RF_OK : RF_EIO;
}

static void jsonl_free(void *state)
{
    jsonl_state *s = state;
    if (s != NULL) {
        rf_buf_free(&s->line);
        free(s);
    }
}

rf_status rf_jsonl_writer_init(rf_writer *w)
{
    jsonl_state *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return RF_ENOMEM;
    }
    w->state = s;
    w->free_state = jsonl_free;
    w->sink.finding = jsonl_finding;
    w->sink.end = jsonl_end;
    return RF_OK;
}
