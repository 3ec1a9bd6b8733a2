/*
 * fuzz_common.c - rf_fuzz_dispatch: an in-memory rf_input over the fuzz
 * data, delivered in chunks whose size depends on the input (so chunk
 * boundaries land everywhere, as they do with pipes and archive members),
 * with tight limits so one input cannot take seconds.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

typedef struct mem_src {
    const uint8_t *data;
    size_t len;
    size_t pos;
    size_t chunk;
} mem_src;

static rf_status mem_read(rf_input *in, const char **data, size_t *len)
{
    mem_src *m = in->ctx;
    size_t n = m->len - m->pos;
    if (n > m->chunk) {
        n = m->chunk;
    }
    *data = (const char *)m->data + m->pos;
    *len = n;
    m->pos += n;
    in->consumed += n;
    return RF_OK;
}

static rf_status on_doc(void *payload, rf_doc *doc)
{
    RF_UNUSED(payload);
    /* touch every byte the reader produced, so a bad length shows up */
    size_t sum = 0;
    for (size_t i = 0; i < doc->section_count; i++) {
        const rf_section *s = &doc->sections[i];
        for (size_t j = 0; j < s->text.len; j++) {
            sum += (unsigned char)s->text.data[j];
        }
        if (s->text.len > 0) {
            (void)rf_section_src_offset(s, s->text.len - 1, NULL);
            (void)rf_section_unit_at(s, s->text.len - 1);
        }
    }
    return sum == (size_t)-1 ? RF_EUSER : RF_OK;
}

static void on_diag(void *payload, const rf_diag *d)
{
    RF_UNUSED(payload);
    (void)strlen(d->message);
}

void rf_fuzz_dispatch(
    const uint8_t *data, size_t size, const char *format, const char *name)
{
    rf_limits limits;
    rf_limits_init(&limits);
    limits.max_member_size = 1u << 20;
    limits.max_total_size = 4u << 20;
    limits.max_ratio = 100;
    limits.max_archive_depth = 3;
    limits.max_line_length = 64u << 10;
    limits.max_document_size = 1u << 20;
    uint64_t binary = 0, members = 0, bytes = 0, errors = 0;
    rf_reader_ctx ctx = {
        .document = on_doc,
        .diag = on_diag,
        .payload = NULL,
        .limits = &limits,
        .forced_format = format,
        .binary_skipped = &binary,
        .members = &members,
        .bytes = &bytes,
        .errors = &errors,
    };
    mem_src m = {.data = data, .len = size, .pos = 0};
    m.chunk = 1 + (size > 0 ? (size_t)data[size - 1] * 61 % 8191 : 0);
    rf_input in;
    memset(&in, 0, sizeof(in));
    in.path = name;
    in.size = size;
    in.read = mem_read;
    in.ctx = &m;
    (void)rf_input_dispatch(&in, &ctx);
}
