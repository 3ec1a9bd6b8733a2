/*
 * test_readers_util.h - helpers shared by the reader and archive suites:
 * read a file or a memory buffer through rf_input_dispatch (in chunks of
 * any size, to exercise boundaries), keep a deep copy of every document
 * and every diagnostic, and look things up in them.
 */
#ifndef RF_TEST_READERS_UTIL_H
#define RF_TEST_READERS_UTIL_H

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "input/input.h"
#include "internal.h"

#define EXAMPLES RF_SOURCE_DIR "/examples/patents"

typedef struct got_diag {
    rf_diag_level level;
    rf_status status;
    char member[256];
    char document[64];
    uint64_t offset;
    uint64_t line;
    char message[1024];
} got_diag;

typedef struct collector {
    rf_doc **docs;
    size_t ndocs;
    got_diag *diags;
    size_t ndiags;
    uint64_t members;
    uint64_t bytes;
    uint64_t errors;
    uint64_t binary;
    rf_limits limits;
    const char *format; /* forced */
} collector;

static inline char *tr_strdup(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* A deep copy: readers reuse their document after the callback. */
static inline rf_doc *tr_clone(const rf_doc *d)
{
    rf_doc *c = NULL;
    assert_int_equal(rf_doc_new(&c), RF_OK);
    c->id = tr_strdup(d->id);
    c->format = tr_strdup(d->format);
    c->kind = tr_strdup(d->kind);
    c->title = tr_strdup(d->title);
    c->lang = tr_strdup(d->lang);
    c->path = tr_strdup(d->path);
    c->member = tr_strdup(d->member);
    c->date_published = tr_strdup(d->date_published);
    c->date_filed = tr_strdup(d->date_filed);
    c->date_priority = tr_strdup(d->date_priority);
    c->family_id = tr_strdup(d->family_id);
    c->index = d->index;
    c->offset = d->offset;
    for (size_t i = 0; i < d->applicants.n; i++) {
        rf_strvec_push(&c->applicants, d->applicants.v[i]);
    }
    for (size_t i = 0; i < d->inventors.n; i++) {
        rf_strvec_push(&c->inventors, d->inventors.v[i]);
    }
    for (size_t i = 0; i < d->classes.n; i++) {
        rf_strvec_push(&c->classes, d->classes.v[i]);
    }
    for (size_t i = 0; i < d->section_count; i++) {
        const rf_section *s = &d->sections[i];
        rf_section *t;
        assert_int_equal(rf_doc_add_section(&t, c, s->kind, s->lang), RF_OK);
        rf_buf_append(&t->text, s->text.data, s->text.len);
        t->origins = malloc((s->origin_count + 1) * sizeof(*t->origins));
        if (s->origin_count > 0) {
            memcpy(
                t->origins, s->origins, s->origin_count * sizeof(*t->origins));
        }
        t->origin_count = t->origin_cap = s->origin_count;
        t->units = malloc((s->unit_count + 1) * sizeof(*t->units));
        if (s->unit_count > 0) {
            memcpy(t->units, s->units, s->unit_count * sizeof(*t->units));
        }
        t->unit_count = t->unit_cap = s->unit_count;
    }
    assert_int_equal(rf_doc_finish(c), RF_OK);
    return c;
}

static inline rf_status tr_on_doc(void *payload, rf_doc *doc)
{
    collector *c = payload;
    c->docs = realloc(c->docs, (c->ndocs + 1) * sizeof(*c->docs));
    c->docs[c->ndocs++] = tr_clone(doc);
    return RF_OK;
}

static inline void tr_on_diag(void *payload, const rf_diag *d)
{
    collector *c = payload;
    c->diags = realloc(c->diags, (c->ndiags + 1) * sizeof(*c->diags));
    got_diag *g = &c->diags[c->ndiags++];
    memset(g, 0, sizeof(*g));
    g->level = d->level;
    g->status = d->status;
    snprintf(g->member, sizeof(g->member), "%s", d->member ? d->member : "");
    snprintf(
        g->document, sizeof(g->document), "%s", d->document ? d->document : "");
    g->offset = d->offset;
    g->line = d->line;
    snprintf(g->message, sizeof(g->message), "%s", d->message);
    if (getenv("RF_TEST_VERBOSE") != NULL) {
        fprintf(
            stderr, "diag: [%s] [%s] @%llu:%llu %s\n", g->member, g->document,
            (unsigned long long)g->offset, (unsigned long long)g->line,
            g->message);
    }
}

static inline void tr_init(collector *c)
{
    memset(c, 0, sizeof(*c));
    rf_limits_init(&c->limits);
}

static inline void tr_free(collector *c)
{
    for (size_t i = 0; i < c->ndocs; i++) {
        rf_doc_free(c->docs[i]);
    }
    free(c->docs);
    free(c->diags);
    memset(c, 0, sizeof(*c));
}

static inline rf_reader_ctx tr_ctx(collector *c)
{
    rf_reader_ctx ctx = {
        .document = tr_on_doc,
        .diag = tr_on_diag,
        .payload = c,
        .limits = &c->limits,
        .forced_format = c->format,
        .binary_skipped = &c->binary,
        .members = &c->members,
        .bytes = &c->bytes,
        .errors = &c->errors,
    };
    return ctx;
}

/* ---- memory input in chunks of `chunk` bytes ---- */

typedef struct mem_input {
    const char *data;
    size_t len;
    size_t pos;
    size_t chunk;
} mem_input;

static inline rf_status
tr_mem_read(rf_input *in, const char **data, size_t *len)
{
    mem_input *m = in->ctx;
    size_t n = m->len - m->pos < m->chunk ? m->len - m->pos : m->chunk;
    *data = m->data + m->pos;
    *len = n;
    m->pos += n;
    in->consumed += n;
    return RF_OK;
}

static inline rf_status tr_read_mem(
    collector *c, const char *name, const char *data, size_t len, size_t chunk)
{
    mem_input m = {.data = data, .len = len, .chunk = chunk};
    rf_input in;
    memset(&in, 0, sizeof(in));
    in.path = name;
    in.size = len;
    in.read = tr_mem_read;
    in.ctx = &m;
    rf_reader_ctx ctx = tr_ctx(c);
    return rf_input_dispatch(&in, &ctx);
}

static inline rf_status tr_read_file(collector *c, const char *path)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    rf_fd_input f = {0};
    rf_input in;
    assert_int_equal(rf_fd_input_init(&f, &in, fd, path, 0), RF_OK);
    rf_reader_ctx ctx = tr_ctx(c);
    rf_status st = rf_input_dispatch(&in, &ctx);
    rf_fd_input_free(&f);
    close(fd);
    return st;
}

/* ---- files ---- */

static inline char *tr_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static inline void tr_write(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
}

/* ---- lookups ---- */

static inline const rf_section *
tr_section(const rf_doc *d, rf_section_kind kind, const char *lang)
{
    for (size_t i = 0; i < d->section_count; i++) {
        const rf_section *s = &d->sections[i];
        if (s->kind == kind && (lang == NULL || strcmp(s->lang, lang) == 0)) {
            return s;
        }
    }
    return NULL;
}

/* Text offset of `needle` in a section (fails the test if absent). */
static inline size_t tr_text_off(const rf_section *s, const char *needle)
{
    assert_non_null(s);
    const char *p = memmem(s->text.data, s->text.len, needle, strlen(needle));
    if (p == NULL) {
        fprintf(
            stderr, "'%s' not in section text:\n%.*s\n", needle,
            (int)s->text.len, s->text.data);
    }
    assert_non_null(p);
    return (size_t)(p - s->text.data);
}

/* Byte offset of the n-th (0-based) occurrence of needle in a buffer. */
static inline uint64_t
tr_file_off(const char *buf, size_t len, const char *needle, size_t nth)
{
    size_t nl = strlen(needle);
    const char *p = buf;
    for (size_t i = 0;; i++) {
        p = memmem(p, len - (size_t)(p - buf), needle, nl);
        assert_non_null(p);
        if (i == nth) {
            return (uint64_t)(p - buf);
        }
        p += nl;
    }
}

static inline uint64_t tr_line_at(const char *buf, uint64_t off)
{
    uint64_t line = 1;
    for (uint64_t i = 0; i < off; i++) {
        line += buf[i] == '\n';
    }
    return line;
}

static inline bool tr_list_has(const rf_strvec *v, const char *s)
{
    return rf_strvec_contains(v, s);
}

static inline const char *tr_unit(const rf_section *s, size_t off)
{
    const char *u = rf_section_unit_at(s, off);
    return u != NULL ? u : "";
}

static inline const got_diag *tr_diag_with(const collector *c, const char *text)
{
    for (size_t i = 0; i < c->ndiags; i++) {
        if (strstr(c->diags[i].message, text) != NULL) {
            return &c->diags[i];
        }
    }
    return NULL;
}

#endif /* RF_TEST_READERS_UTIL_H */
