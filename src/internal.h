/*
 * internal.h - types shared between the library's modules; never installed.
 *
 * Three small pieces every stage uses:
 *   rf_buf     a growable byte buffer (text, JSON, HTML being built);
 *   rf_strvec  a NULL-terminated vector of owned strings;
 *   rf_doc     a document as a reader builds it: metadata plus sections,
 *              each section UTF-8 text with an origin map back to the
 *              original bytes, so a finding can name its exact place.
 */
#ifndef RF_INTERNAL_H
#define RF_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "redflag.h"

#define RF_UNUSED(x)    ((void)(x))
#define RF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------- rf_buf ---------------- */

typedef struct rf_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} rf_buf;

rf_status rf_buf_reserve(rf_buf *b, size_t extra);
/* Count n bytes written into the space rf_buf_reserve(b, n) made after
 * data + len (a read() straight into the buffer); keeps the NUL. */
void rf_buf_commit(rf_buf *b, size_t n);
rf_status rf_buf_append(rf_buf *b, const void *data, size_t len);
rf_status rf_buf_puts(rf_buf *b, const char *s);
rf_status rf_buf_putc(rf_buf *b, char c);
rf_status rf_buf_printf(rf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
rf_status rf_buf_vprintf(rf_buf *b, const char *fmt, va_list ap);
void rf_buf_reset(rf_buf *b);
void rf_buf_free(rf_buf *b);
/* Hand the bytes to the caller (malloc'd, NUL-terminated); b is emptied. */
char *rf_buf_steal(rf_buf *b);

/* JSON string literal with quotes; invalid UTF-8 becomes U+FFFD. */
rf_status rf_buf_json_str(rf_buf *b, const char *s, size_t len);
/* Same for a NUL-terminated string; NULL writes `null`. */
rf_status rf_buf_json_cstr(rf_buf *b, const char *s);
/* HTML text/attribute escaping (& < > " '); invalid UTF-8 -> U+FFFD. */
rf_status rf_buf_html(rf_buf *b, const char *s, size_t len);

/* Read the file at path into b (appended); RF_ENOTFOUND if it cannot be
 * opened (errno says why), RF_EIO on a read error (file.c). */
rf_status rf_buf_read_file(rf_buf *b, const char *path);
/* Write dir/name whole or not at all (a temporary file renamed into
 * place; dir is created if missing); false if it could not be written. */
bool rf_file_write_whole(
    const char *dir, const char *name, const void *data, size_t len);

/* ---------------- rf_hash128 (hash.c) ---------------- */

typedef struct rf_hash128 {
    uint64_t a;
    uint64_t b;
    uint64_t inc; /* the second lane's increment: see hash.c */
} rf_hash128;

void rf_hash128_init(rf_hash128 *h, uint64_t inc);
void rf_hash128_add(rf_hash128 *h, const void *data, size_t n);
void rf_hash128_str(rf_hash128 *h, const char *s);
/* 32 hex digits and a NUL */
void rf_hash128_hex(const rf_hash128 *h, char out[33]);

/* ---------------- rf_strvec ---------------- */

typedef struct rf_strvec {
    char **v; /* NULL-terminated when n > 0 or after rf_strvec_terminate */
    size_t n;
    size_t cap;
} rf_strvec;

rf_status rf_strvec_push(rf_strvec *sv, const char *s);
rf_status rf_strvec_pushn(rf_strvec *sv, const char *s, size_t len);
/* Borrowed NULL-terminated array; a static empty list when n == 0. */
const char *const *rf_strvec_list(const rf_strvec *sv);
void rf_strvec_free(rf_strvec *sv);
bool rf_strvec_contains(const rf_strvec *sv, const char *s);

char *rf_strdup(const char *s);
char *rf_strndup(const char *s, size_t len);

/* ---------------- UTF-8 helpers (src/core/utf8.c) ---------------- */

/* Decode one code point at s[i]; returns its length (1..4). Invalid
 * sequences decode as U+FFFD with length 1. */
size_t rf_utf8_decode(const char *s, size_t len, size_t i, int32_t *cp);
/* Start of the code point that ends just before s[i] (i > 0). */
size_t rf_utf8_prev(const char *s, size_t i);
/* Count code points in s[0..len). */
size_t rf_utf8_count(const char *s, size_t len);
/* True for CJK ideographs, kana, Hangul (scripts written without spaces). */
bool rf_utf8_is_cjk(int32_t cp);
/* A letter or digit of a script that separates words with spaces (Latin,
 * Cyrillic, Arabic, ...); CJK, kana and punctuation are not. */
bool rf_utf8_is_word(int32_t cp);
/* Upper-case letter; lower-case letter or digit (for camelCase humps). */
bool rf_utf8_is_upper(int32_t cp);
bool rf_utf8_is_lower(int32_t cp);
/* Count '\n' in s[0..len) (vectorised). */
uint64_t rf_count_newlines(const char *s, size_t len);
/* True if every byte sequence in s is valid UTF-8. */
bool rf_utf8_valid(const char *s, size_t len);

/* ---------------- documents ---------------- */

/* A run of section text that came from one place in the input. Offsets in
 * between are interpolated: src = src_off + (text - text_off). */
typedef struct rf_origin {
    size_t text_off;
    uint64_t src_off;
    uint64_t line; /* line of src_off, 1-based; 0 = count from text */
} rf_origin;

/* A numbered unit inside a section: a claim or a paragraph. */
typedef struct rf_unit {
    size_t text_off;
    char label[32]; /* "claim 3", "[0042]" */
} rf_unit;

typedef struct rf_section {
    rf_section_kind kind;
    char lang[16];
    rf_buf text;
    rf_origin *origins;
    size_t origin_count;
    size_t origin_cap;
    rf_unit *units;
    size_t unit_count;
    size_t unit_cap;
    uint64_t col0; /* characters of its line before text[0]: a text window
                      cut inside a line longer than the window */
} rf_section;

typedef struct rf_doc {
    rf_document pub; /* view handed to sinks; filled by rf_doc_finish */
    char *id;
    char *format;
    char *kind;
    char *title;
    char *lang;
    char *path;
    char *member;
    char *date_published;
    char *date_filed;
    char *date_priority;
    char *family_id;
    uint64_t index;
    uint64_t offset;
    rf_strvec applicants;
    rf_strvec inventors;
    rf_strvec classes;
    rf_section *sections;
    size_t section_count;
    size_t section_cap;
    /* arrays behind pub.section_* */
    size_t *section_sizes;
    rf_section_kind *section_kinds;
    const char **section_langs;
    size_t *section_units;
    /* A large text file is read as consecutive windows: part 0, 1, ...
     * of the same document. Only part 0 is reported as a document; later
     * parts begin with `overlap` bytes repeated from the previous window
     * (only when a window had to be cut inside a line), and findings that
     * end inside the overlap are dropped as already reported. */
    uint64_t part;
    size_t overlap;
} rf_doc;

rf_status rf_doc_new(rf_doc **out);
void rf_doc_free(rf_doc *doc);
/* Empty the document for reuse; keeps allocations. */
void rf_doc_reset(rf_doc *doc);
/* Replace *field with a copy of value (NULL allowed). */
rf_status rf_doc_set(char **field, const char *value);
rf_status rf_doc_setn(char **field, const char *value, size_t len);
/* Start a new section; returned pointer valid until the next add. */
rf_status rf_doc_add_section(
    rf_section **out, rf_doc *doc, rf_section_kind kind, const char *lang);
/* Append text that came from src_off (and line, 0 if unknown). */
rf_status rf_section_append(
    rf_section *sec,
    const char *text,
    size_t len,
    uint64_t src_off,
    uint64_t line);
/* Append text with no origin of its own (separators, decoded entities). */
rf_status
rf_section_append_plain(rf_section *sec, const char *text, size_t len);
/* Begin a unit ("claim 3") at the current end of the section text. */
rf_status rf_section_begin_unit(rf_section *sec, const char *label);
/* Map a text offset to the input byte offset (and line if known). */
uint64_t
rf_section_src_offset(const rf_section *sec, size_t text_off, uint64_t *line);
/* Label of the unit containing text_off, or NULL. */
const char *rf_section_unit_at(const rf_section *sec, size_t text_off);
/* Fill doc->pub from the owned fields; call before handing the doc out. */
rf_status rf_doc_finish(rf_doc *doc);

/* ---------------- inputs and readers ---------------- */

/*
 * An input is one byte stream: a file, stdin, or an archive member.
 * Readers pull it in chunks; `head` holds its first bytes for sniffing.
 */
typedef struct rf_input rf_input;
struct rf_input {
    const char *path;   /* file on disk ("-" for stdin) */
    const char *member; /* archive member path, NULL at top level */
    uint64_t size;      /* total size when known, else 0 */
    unsigned depth;     /* archive nesting depth, 0 at top level */
    const char *format; /* the reader chosen for it (set by dispatch) */
    /* Read the next chunk into data and len (len 0 at the end). It stays
     * valid until the next call. */
    rf_status (*read)(rf_input *in, const char **data, size_t *len);
    /* Optional (NULL when the stream cannot): read up to cap bytes straight
     * into dst, *len 0 at the end. Same stream position as `read`; a
     * reader that keeps its own buffer (text windows) saves the copy out
     * of the stream's chunk. */
    rf_status (*read_into)(rf_input *in, char *dst, size_t cap, size_t *len);
    /* Optional: the reader now chosen reads the stream to its end, so a
     * stream that can read ahead on a thread may start to (a hint; NULL
     * or a stream that cannot just goes on as before). */
    void (*read_ahead)(rf_input *in);
    void *ctx;
    /* bytes already read by `read` (decompressed offset of next chunk) */
    uint64_t consumed;
    char errmsg[256]; /* set by read() on failure */
};

/* What readers report to: one complete document at a time. */
typedef struct rf_reader_ctx {
    /* Called with each complete document; the reader may reuse or free it
     * after the call. A non-zero status stops the reader. */
    rf_status (*document)(void *payload, rf_doc *doc);
    void (*diag)(void *payload, const rf_diag *d);
    void *payload;
    const rf_limits *limits;
    const char *forced_format; /* NULL = sniff */
    /* the input is a later chunk of a large file (see scan/chunk.c): a
     * text reader continues the file's document instead of starting one */
    bool continuation;
    /* a core is free (more than one job): large archive members may be
     * inflated on a thread of their own, ahead of their reader */
    bool read_ahead;
    /* NULL, or: a large archive member, sniffed as `format`, may be cut
     * into pieces parsed and scanned on other threads (scan/fanout.c),
     * which then report here as one reader of the member would. *taken is
     * false when the format has no seams to cut at: nothing was read, the
     * member goes to its reader as usual. */
    rf_status (*fanout)(
        void *payload, rf_input *member, const char *format, bool *taken);
    /* NULL, or: a small archive member that is not an archive itself may
     * be read whole here and parsed and scanned on another thread; drain
     * reports everything handed over so far, so that a member read here
     * next comes after it in the output (scan/fanout.c) */
    rf_status (*fan_whole)(void *payload, rf_input *member, bool *taken);
    rf_status (*fan_drain)(void *payload);
    /* the input is a piece of a longer stream (scan/fanout.c): what the
     * pieces before it held, so that the lines it names and the documents
     * its messages count are the whole stream's (the XML reader counts on
     * from here) */
    uint64_t lines_before;     /* line breaks */
    uint64_t documents_before; /* documents delivered */
    /* NULL, or: the plain text and code readers add the line breaks they
     * read here (a piece of a file, scan/chunk.c: the pieces after it are
     * moved by them), counting them anyway for their own lines */
    uint64_t *newlines;
    /* the archive this input is a member of (archive.c), so that a nested
     * archive's expansion counts against every enclosing ratio as it is
     * read, not only once it is done */
    void *enclosing_archive;
    uint64_t *binary_skipped; /* counters the reader bumps */
    uint64_t *members;
    uint64_t *bytes;
    uint64_t *errors;
} rf_reader_ctx;

/* Report a problem with an input (fills path/member from in). */
void rf_reader_diag(
    const rf_reader_ctx *ctx,
    const rf_input *in,
    rf_diag_level level,
    rf_status status,
    const char *document,
    uint64_t offset,
    uint64_t line,
    const char *fmt,
    ...) __attribute__((format(printf, 8, 9)));

/* Read the whole input into buf (bounded by limit; RF_ELIMIT if larger). */
rf_status rf_input_slurp(rf_input *in, rf_buf *buf, uint64_t limit);

/* Append one read of the input to buf; *len is what it added, 0 at the
 * end. An input that can read() straight into buf does (its bytes are not
 * copied a second time out of its own chunk); a buffer that cannot grow is
 * RF_ENOMEM, a failed read the input's status with in->errmsg. */
rf_status rf_input_append(rf_input *in, rf_buf *buf, size_t *len);

/* Sniff the format and run the right reader (or archive walker). */
rf_status rf_input_dispatch(rf_input *in, const rf_reader_ctx *ctx);

/* Report an input whose first read failed with st (formats.c): what
 * rf_input_dispatch says, for callers that peek at an input themselves. */
void rf_input_unreadable(
    const rf_reader_ctx *ctx, const rf_input *in, rf_status st);

#endif /* RF_INTERNAL_H */
