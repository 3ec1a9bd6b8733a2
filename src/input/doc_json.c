/*
 * doc_json.c - a document as one JSON object: what `redflag docs` prints
 * so a user can see exactly what a reader made of a file (ids, dates,
 * parties, classes, languages, and each section's size and unit count).
 * Keys are in a fixed order and nothing depends on time or machine, so
 * the output can be diffed and used as a golden file.
 */
#include <string.h>

#include "internal.h"

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

static rf_status str_field(rf_buf *b, const char *key, const char *value)
{
    rf_status st = rf_buf_printf(b, ",\"%s\":", key);
    return st == RF_OK ? rf_buf_json_cstr(b, value) : st;
}

/* The distinct section languages, in order of appearance. */
static rf_status languages(rf_buf *b, const rf_document *d)
{
    rf_status st = rf_buf_puts(b, ",\"languages\":[");
    size_t n = 0;
    for (size_t i = 0; i < d->section_count && st == RF_OK; i++) {
        const char *l = d->section_langs != NULL ? d->section_langs[i] : NULL;
        bool seen = l == NULL || l[0] == '\0';
        for (size_t j = 0; j < i && !seen; j++) {
            seen = strcmp(d->section_langs[j], l) == 0;
        }
        if (seen) {
            continue;
        }
        st = n++ > 0 ? rf_buf_putc(b, ',') : RF_OK;
        st = st ? st : rf_buf_json_cstr(b, l);
    }
    return st ? st : rf_buf_putc(b, ']');
}

static rf_status sections(rf_buf *b, const rf_document *d)
{
    rf_status st = rf_buf_puts(b, ",\"sections\":[");
    for (size_t i = 0; i < d->section_count && st == RF_OK; i++) {
        st = i > 0 ? rf_buf_putc(b, ',') : RF_OK;
        st = st ? st : rf_buf_puts(b, "{\"kind\":");
        st =
            st ? st
               : rf_buf_json_cstr(b, rf_section_kind_name(d->section_kinds[i]));
        st = st ? st : rf_buf_puts(b, ",\"lang\":");
        st = st ? st
                : rf_buf_json_cstr(
                      b, d->section_langs != NULL ? d->section_langs[i] : "");
        st = st ? st
                : rf_buf_printf(
                      b, ",\"bytes\":%llu",
                      (unsigned long long)d->section_sizes[i]);
        if (st == RF_OK && d->section_units != NULL) {
            st = rf_buf_printf(
                b, ",\"units\":%llu", (unsigned long long)d->section_units[i]);
        }
        st = st ? st : rf_buf_putc(b, '}');
    }
    return st ? st : rf_buf_putc(b, ']');
}

rf_status rf_document_to_json(char **out, size_t *len, const rf_document *d)
{
    if (out == NULL || d == NULL) {
        return RF_EINVAL;
    }
    rf_buf b = {0};
    rf_status st = rf_buf_puts(&b, "{\"id\":");
    st = st ? st : rf_buf_json_cstr(&b, d->id);
    st = st ? st : str_field(&b, "format", d->format);
    st = st ? st : str_field(&b, "kind", d->kind);
    st = st ? st : str_field(&b, "title", d->title);
    st = st ? st : str_field(&b, "lang", d->lang);
    st = st ? st : str_field(&b, "path", d->path);
    st = st ? st : str_field(&b, "member", d->member);
    st = st ? st
            : rf_buf_printf(
                  &b, ",\"index\":%llu,\"offset\":%llu",
                  (unsigned long long)d->index, (unsigned long long)d->offset);
    st = st ? st : str_field(&b, "date_published", d->date_published);
    st = st ? st : str_field(&b, "date_filed", d->date_filed);
    st = st ? st : str_field(&b, "date_priority", d->date_priority);
    st = st ? st : str_field(&b, "family_id", d->family_id);
    st = st ? st : rf_buf_puts(&b, ",\"applicants\":");
    st = st ? st : list_json(&b, d->applicants);
    st = st ? st : rf_buf_puts(&b, ",\"inventors\":");
    st = st ? st : list_json(&b, d->inventors);
    st = st ? st : rf_buf_puts(&b, ",\"classes\":");
    st = st ? st : list_json(&b, d->classes);
    st = st ? st : languages(&b, d);
    st = st ? st : sections(&b, d);
    st = st ? st : rf_buf_putc(&b, '}');
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
