/*
 * doc.c - the document a reader builds: metadata, sections, origin maps.
 *
 * A section's text is UTF-8 assembled from pieces of the input (XML
 * character data, JSON strings, lines of a text file). Each piece that came
 * from the input records an origin run (text offset -> input offset, line),
 * so that a match at text offset t maps back to the byte it was read from:
 * the last run starting at or before t, plus the distance into the run.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

rf_status rf_doc_new(rf_doc **out)
{
    rf_doc *doc = calloc(1, sizeof(*doc));
    if (doc == NULL) {
        return RF_ENOMEM;
    }
    *out = doc;
    return RF_OK;
}

static void free_fields(rf_doc *doc)
{
    char **fields[] = {&doc->id,         &doc->format,
                       &doc->kind,       &doc->title,
                       &doc->lang,       &doc->path,
                       &doc->member,     &doc->date_published,
                       &doc->date_filed, &doc->date_priority,
                       &doc->family_id};
    for (size_t i = 0; i < RF_ARRAY_LEN(fields); i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
    rf_strvec_free(&doc->applicants);
    rf_strvec_free(&doc->inventors);
    rf_strvec_free(&doc->classes);
}

void rf_doc_reset(rf_doc *doc)
{
    free_fields(doc);
    for (size_t i = 0; i < doc->section_count; i++) {
        rf_section *sec = &doc->sections[i];
        rf_buf_reset(&sec->text);
        sec->origin_count = 0;
        sec->unit_count = 0;
    }
    doc->section_count = 0;
    doc->index = 0;
    doc->offset = 0;
    doc->part = 0;
    doc->overlap = 0;
    memset(&doc->pub, 0, sizeof(doc->pub));
}

void rf_doc_free(rf_doc *doc)
{
    if (doc == NULL) {
        return;
    }
    free_fields(doc);
    for (size_t i = 0; i < doc->section_cap; i++) {
        rf_buf_free(&doc->sections[i].text);
        free(doc->sections[i].origins);
        free(doc->sections[i].units);
    }
    free(doc->sections);
    free(doc->section_sizes);
    free(doc->section_kinds);
    free(doc->section_langs);
    free(doc->section_units);
    free(doc);
}

rf_status rf_doc_setn(char **field, const char *value, size_t len)
{
    char *copy = NULL;
    if (value != NULL) {
        copy = rf_strndup(value, len);
        if (copy == NULL) {
            return RF_ENOMEM;
        }
    }
    free(*field);
    *field = copy;
    return RF_OK;
}

rf_status rf_doc_set(char **field, const char *value)
{
    return rf_doc_setn(field, value, value ? strlen(value) : 0);
}

rf_status rf_doc_add_section(
    rf_section **out, rf_doc *doc, rf_section_kind kind, const char *lang)
{
    if (doc->section_count == doc->section_cap) {
        size_t cap = doc->section_cap ? doc->section_cap * 2 : 4;
        rf_section *s = realloc(doc->sections, cap * sizeof(*s));
        if (s == NULL) {
            return RF_ENOMEM;
        }
        memset(s + doc->section_cap, 0, (cap - doc->section_cap) * sizeof(*s));
        doc->sections = s;
        doc->section_cap = cap;
    }
    rf_section *sec = &doc->sections[doc->section_count++];
    sec->kind = kind;
    sec->lang[0] = '\0';
    if (lang != NULL) {
        size_t n = strlen(lang);
        if (n >= sizeof(sec->lang)) {
            n = sizeof(sec->lang) - 1;
        }
        memcpy(sec->lang, lang, n);
        sec->lang[n] = '\0';
    }
    rf_buf_reset(&sec->text);
    sec->origin_count = 0;
    sec->unit_count = 0;
    sec->col0 = 0;
    /* make sure text.data is never NULL for the matcher */
    rf_status st = rf_buf_reserve(&sec->text, 0);
    if (st != RF_OK) {
        return st;
    }
    *out = sec;
    return RF_OK;
}

static rf_status push_origin(rf_section *sec, uint64_t src_off, uint64_t line)
{
    size_t at = sec->text.len;
    if (sec->origin_count > 0) {
        rf_origin *last = &sec->origins[sec->origin_count - 1];
        /* extend the current run when the input is contiguous */
        if (last->src_off + (at - last->text_off) == src_off && line == 0) {
            return RF_OK;
        }
        if (last->text_off == at) {
            last->src_off = src_off;
            last->line = line;
            return RF_OK;
        }
    }
    if (sec->origin_count == sec->origin_cap) {
        size_t cap = sec->origin_cap ? sec->origin_cap * 2 : 16;
        rf_origin *o = realloc(sec->origins, cap * sizeof(*o));
        if (o == NULL) {
            return RF_ENOMEM;
        }
        sec->origins = o;
        sec->origin_cap = cap;
    }
    sec->origins[sec->origin_count++] =
        (rf_origin){.text_off = at, .src_off = src_off, .line = line};
    return RF_OK;
}

rf_status rf_section_append(
    rf_section *sec,
    const char *text,
    size_t len,
    uint64_t src_off,
    uint64_t line)
{
    rf_status st = push_origin(sec, src_off, line);
    if (st != RF_OK) {
        return st;
    }
    return rf_buf_append(&sec->text, text, len);
}

rf_status rf_section_append_plain(rf_section *sec, const char *text, size_t len)
{
    return rf_buf_append(&sec->text, text, len);
}

rf_status rf_section_begin_unit(rf_section *sec, const char *label)
{
    if (sec->unit_count == sec->unit_cap) {
        size_t cap = sec->unit_cap ? sec->unit_cap * 2 : 16;
        rf_unit *u = realloc(sec->units, cap * sizeof(*u));
        if (u == NULL) {
            return RF_ENOMEM;
        }
        sec->units = u;
        sec->unit_cap = cap;
    }
    rf_unit *u = &sec->units[sec->unit_count++];
    u->text_off = sec->text.len;
    size_t n = strlen(label);
    if (n >= sizeof(u->label)) {
        n = sizeof(u->label) - 1;
    }
    memcpy(u->label, label, n);
    u->label[n] = '\0';
    return RF_OK;
}

uint64_t
rf_section_src_offset(const rf_section *sec, size_t text_off, uint64_t *line)
{
    if (line != NULL) {
        *line = 0;
    }
    if (sec->origin_count == 0) {
        return text_off;
    }
    size_t lo = 0;
    size_t hi = sec->origin_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (sec->origins[mid].text_off <= text_off) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    const rf_origin *o = &sec->origins[lo];
    if (text_off < o->text_off) {
        return o->src_off;
    }
    if (line != NULL && o->line > 0) {
        *line =
            o->line + rf_count_newlines(
                          sec->text.data + o->text_off, text_off - o->text_off);
    }
    return o->src_off + (text_off - o->text_off);
}

const char *rf_section_unit_at(const rf_section *sec, size_t text_off)
{
    const char *label = NULL;
    for (size_t i = 0; i < sec->unit_count; i++) {
        if (sec->units[i].text_off > text_off) {
            break;
        }
        label = sec->units[i].label;
    }
    return label;
}

rf_status rf_doc_finish(rf_doc *doc)
{
    size_t n = doc->section_count;
    size_t *sizes = realloc(doc->section_sizes, (n + 1) * sizeof(*sizes));
    if (sizes == NULL) {
        return RF_ENOMEM;
    }
    doc->section_sizes = sizes;
    rf_section_kind *kinds =
        realloc(doc->section_kinds, (n + 1) * sizeof(*kinds));
    if (kinds == NULL) {
        return RF_ENOMEM;
    }
    doc->section_kinds = kinds;
    const char **langs = realloc(doc->section_langs, (n + 1) * sizeof(*langs));
    if (langs == NULL) {
        return RF_ENOMEM;
    }
    doc->section_langs = langs;
    size_t *units = realloc(doc->section_units, (n + 1) * sizeof(*units));
    if (units == NULL) {
        return RF_ENOMEM;
    }
    doc->section_units = units;
    for (size_t i = 0; i < n; i++) {
        sizes[i] = doc->sections[i].text.len;
        kinds[i] = doc->sections[i].kind;
        langs[i] = doc->sections[i].lang;
        units[i] = doc->sections[i].unit_count;
    }
    rf_document *p = &doc->pub;
    p->id = doc->id ? doc->id : (doc->path ? doc->path : "");
    p->format = doc->format ? doc->format : "text";
    p->kind = doc->kind ? doc->kind : "";
    p->title = doc->title;
    p->lang = doc->lang ? doc->lang : "";
    p->path = doc->path ? doc->path : "";
    p->member = doc->member;
    p->index = doc->index;
    p->offset = doc->offset;
    p->date_published = doc->date_published;
    p->date_filed = doc->date_filed;
    p->date_priority = doc->date_priority;
    p->family_id = doc->family_id;
    p->applicants = rf_strvec_list(&doc->applicants);
    p->inventors = rf_strvec_list(&doc->inventors);
    p->classes = rf_strvec_list(&doc->classes);
    p->section_count = n;
    p->section_sizes = sizes;
    p->section_kinds = kinds;
    p->section_langs = langs;
    p->section_units = units;
    return RF_OK;
}
