/*
 * text.c - plain text, Markdown and source code.
 *
 * The text is not rewritten: a window of the input becomes one section, so
 * section offsets are input offsets plus a base and every match maps back
 * exactly. Large files are read as consecutive windows (parts) cut after a
 * newline, so memory is bounded by the window, not the file. A window with
 * no newline at all (a 1 GB single line) is cut at a character boundary and
 * the next window repeats the last RF_TEXT_OVERLAP bytes, so a phrase that
 * straddles the cut is still seen once.
 */
#include <string.h>
#include <strings.h>

#include "input.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define RF_TEXT_WINDOW  (4u << 20)
#define RF_TEXT_OVERLAP 1024u

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RF_HAVE_AVX2_PATH 1

/* The same with 32 bytes at a time: a piece of a large file is counted
 * once by its input and once by its reader, so this runs over every byte
 * twice (5 % of a text scan with the SSE2 loop). */
__attribute__((target("avx2"))) static uint64_t
count_newlines_avx2(const char *s, size_t len, size_t *done)
{
    uint64_t n = 0;
    size_t i = 0;
    const __m256i nl = _mm256_set1_epi8('\n');
    const __m256i zero = _mm256_setzero_si256();
    while (i + 32 <= len) {
        __m256i acc = zero;
        size_t stop = len - i >= (size_t)255 * 32
                          ? i + (size_t)255 * 32
                          : i + ((len - i) & ~(size_t)31);
        for (; i < stop; i += 32) {
            __m256i v =
                _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(v, nl));
        }
        __m256i sum = _mm256_sad_epu8(acc, zero);
        n += (uint64_t)_mm256_extract_epi64(sum, 0) +
             (uint64_t)_mm256_extract_epi64(sum, 1) +
             (uint64_t)_mm256_extract_epi64(sum, 2) +
             (uint64_t)_mm256_extract_epi64(sum, 3);
    }
    *done = i;
    return n;
}
#endif

uint64_t rf_count_newlines(const char *s, size_t len)
{
    uint64_t n = 0;
    size_t i = 0;
#if defined(RF_HAVE_AVX2_PATH)
    if (len >= 64 && __builtin_cpu_supports("avx2")) {
        n = count_newlines_avx2(s, len, &i);
    }
#endif
#if defined(__SSE2__)
    /* compare 16 bytes at a time and subtract the 0xFF masks from byte
     * counters; fold the counters with SAD before any can overflow */
    const __m128i nl = _mm_set1_epi8('\n');
    const __m128i zero = _mm_setzero_si128();
    while (i + 16 <= len) {
        __m128i acc = zero;
        size_t stop = len - i >= (size_t)255 * 16
                          ? i + (size_t)255 * 16
                          : i + ((len - i) & ~(size_t)15);
        for (; i < stop; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
        }
        __m128i sum = _mm_sad_epu8(acc, zero);
        n += (uint64_t)_mm_cvtsi128_si64(sum) +
             (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
    }
#endif
    for (; i < len; i++) {
        n += s[i] == '\n';
    }
    return n;
}

bool rf_looks_binary(const char *head, size_t len)
{
    size_t n = len < 8192 ? len : 8192;
    if (n >= 2 &&
        (((unsigned char)head[0] == 0xFF && (unsigned char)head[1] == 0xFE) ||
         ((unsigned char)head[0] == 0xFE && (unsigned char)head[1] == 0xFF))) {
        return false; /* UTF-16 with BOM */
    }
    return memchr(head, '\0', n) != NULL;
}

static const char *const code_exts[] = {
    ".c",    ".h",   ".hpp",   ".hh",      ".cc",    ".cpp",    ".cxx",
    ".java", ".cs",  ".py",    ".js",      ".mjs",   ".ts",     ".tsx",
    ".jsx",  ".go",  ".rs",    ".kt",      ".swift", ".m",      ".mm",
    ".php",  ".rb",  ".scala", ".proto",   ".idl",   ".thrift", ".json",
    ".yaml", ".yml", ".toml",  ".ini",     ".sql",   ".sh",     ".lua",
    ".vb",   ".pas", ".dart",  ".graphql", ".wsdl",  ".xsd",    ".raml",
    NULL};

static bool has_ext(const char *name, const char *const *exts)
{
    if (name == NULL) {
        return false;
    }
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot == NULL || (slash != NULL && dot < slash)) {
        return false;
    }
    for (size_t i = 0; exts[i] != NULL; i++) {
        if (strcasecmp(dot, exts[i]) == 0) {
            return true;
        }
    }
    return false;
}

int rf_sniff_code(const char *head, size_t len, const char *name)
{
    if (rf_looks_binary(head, len)) {
        return 0;
    }
    return has_ext(name, code_exts) ? 10 : 0;
}

int rf_sniff_text(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_looks_binary(head, len) ? 0 : 1;
}

/* Where to end a window of len bytes: after the last newline, else at a
 * character boundary. *overlap says how many bytes the next window repeats. */
static size_t cut_window(const char *s, size_t len, size_t *overlap)
{
    *overlap = 0;
    /* a blank line in the second half keeps paragraphs (and so sentence
     * and paragraph windows) whole; else the last line break */
    for (const char *p = memrchr(s, '\n', len); p != NULL && p > s + len / 2;
         p = memrchr(s, '\n', (size_t)(p - s))) {
        if (p > s && p[-1] == '\n') {
            return (size_t)(p - s) + 1;
        }
    }
    const char *nl = memrchr(s, '\n', len);
    if (nl != NULL) {
        return (size_t)(nl - s) + 1;
    }
    size_t cut = len;
    while (cut > 0 && (((unsigned char)s[cut]) & 0xC0) == 0x80) {
        cut--;
    }
    if (cut == 0) {
        cut = len;
    }
    *overlap = RF_TEXT_OVERLAP < cut ? RF_TEXT_OVERLAP : cut / 2;
    /* the overlap must start on a character boundary too */
    while (*overlap > 0 &&
           (((unsigned char)s[cut - *overlap]) & 0xC0) == 0x80) {
        (*overlap)--;
    }
    return cut;
}

static rf_status emit_window(
    rf_input *in,
    const rf_reader_ctx *ctx,
    rf_doc *doc,
    rf_section_kind kind,
    const char *format,
    char *text,
    size_t len,
    uint64_t src_off,
    uint64_t line,
    uint64_t col0,
    uint64_t part,
    size_t overlap)
{
    rf_doc_reset(doc);
    rf_section *sec;
    rf_status st = rf_doc_set(&doc->path, in->path);
    if (st == RF_OK) {
        st = rf_doc_set(&doc->member, in->member);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->format, format);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->id, in->member ? in->member : in->path);
    }
    if (st == RF_OK) {
        st = rf_doc_add_section(&sec, doc, kind, NULL);
    }
    if (st == RF_OK) {
        /* the origin only: the text itself is lent below */
        st = rf_section_append(sec, text, 0, src_off, line);
        sec->col0 = col0;
    }
    if (st != RF_OK) {
        return st;
    }
    doc->part = part;
    doc->overlap = overlap;
    doc->offset = 0;
    /* Lend the window to the section for the call instead of copying it
     * (a third copy of every byte, after the kernel's): a document's text
     * is only read, and only during the call. text[len] belongs to the
     * next window; it is set aside for the NUL every rf_buf ends with. */
    rf_buf own = sec->text;
    char after = text[len];
    text[len] = '\0';
    sec->text = (rf_buf){.data = text, .len = len, .cap = len + 1};
    st = rf_doc_finish(doc);
    if (st == RF_OK) {
        st = ctx->document(ctx->payload, doc);
    }
    sec->text = own;
    text[len] = after;
    return st;
}

static rf_status read_windows(
    rf_input *in,
    const rf_reader_ctx *ctx,
    rf_section_kind kind,
    const char *format)
{
    size_t window = RF_TEXT_WINDOW;
    if (ctx->limits != NULL && ctx->limits->max_line_length > 0 &&
        ctx->limits->max_line_length < window) {
        window = (size_t)ctx->limits->max_line_length;
    }
    rf_buf buf = {0};
    rf_doc *doc = NULL;
    rf_status st = rf_doc_new(&doc);
    uint64_t src_off = 0; /* input offset of buf[0] */
    uint64_t line = 1;    /* line of buf[0] */
    uint64_t col = 0;     /* characters of that line before buf[0] */
    /* line breaks in buf, and in all read: counted as each read lands,
     * while its bytes are in the cache, not when a 4 MiB window is done */
    uint64_t buf_lines = 0;
    uint64_t read_lines = 0;
    uint64_t part = ctx->continuation ? 1 : 0;
    size_t overlap = 0;
    bool eof = false;
    while (st == RF_OK && !eof) {
        while (buf.len < window) {
            size_t len;
            st = rf_input_append(in, &buf, &len);
            if (st == RF_ENOMEM) {
                break;
            }
            if (st != RF_OK) {
                rf_reader_diag(
                    ctx, in, RF_DIAG_ERROR, st, NULL, in->consumed, 0, "%s",
                    in->errmsg[0] ? in->errmsg : rf_status_str(st));
                break;
            }
            if (len == 0) {
                eof = true;
                break;
            }
            if (ctx->bytes != NULL) {
                *ctx->bytes += len;
            }
            uint64_t n = rf_count_newlines(buf.data + buf.len - len, len);
            buf_lines += n;
            read_lines += n;
        }
        if (buf.len == 0) {
            break;
        }
        /* On a read error, scan what was read: nothing found is lost. */
        size_t next_overlap = 0;
        size_t cut = buf.len;
        if (!eof && st == RF_OK && buf.len >= window) {
            cut = cut_window(buf.data, window, &next_overlap);
        }
        rf_status est = emit_window(
            in, ctx, doc, kind, format, buf.data, cut, src_off, line, col, part,
            overlap);
        if (est != RF_OK) {
            st = est;
            break;
        }
        size_t keep_from = cut - next_overlap;
        uint64_t kept =
            rf_count_newlines(buf.data + keep_from, buf.len - keep_from);
        line += buf_lines - kept;
        buf_lines = kept;
        const char *nl = memrchr(buf.data, '\n', keep_from);
        if (nl != NULL) {
            col = 0;
        }
        const char *tail = nl != NULL ? nl + 1 : buf.data;
        col += rf_utf8_count(tail, (size_t)(buf.data + keep_from - tail));
        src_off += keep_from;
        memmove(buf.data, buf.data + keep_from, buf.len - keep_from);
        buf.len -= keep_from;
        overlap = next_overlap;
        part++;
        if (st != RF_OK) {
            break;
        }
    }
    if (part == 0 && st == RF_OK && !ctx->continuation) {
        /* an empty file is still a document: `docs` lists it */
        char empty[1] = "";
        st = emit_window(in, ctx, doc, kind, format, empty, 0, 0, 1, 0, 0, 0);
    }
    if (ctx->newlines != NULL) {
        *ctx->newlines += read_lines;
    }
    rf_doc_free(doc);
    rf_buf_free(&buf);
    /* a read error was reported above; the scan goes on with other inputs */
    return st == RF_EIO ? RF_OK : st;
}

rf_status rf_read_plain(rf_input *in, const rf_reader_ctx *ctx)
{
    return read_windows(in, ctx, RF_SECTION_TEXT, "text");
}

rf_status rf_read_code(rf_input *in, const rf_reader_ctx *ctx)
{
    return read_windows(in, ctx, RF_SECTION_CODE, "code");
}
