/*
 * test_zip.c - the zip reader (src/input/zip.c) on zips written here byte
 * by byte, with zlib as the independent deflater: every layout it reads
 * itself (known sizes, data descriptors with and without a signature,
 * zip64, stored, UTF-8 names, directories), the hand-off to libarchive in
 * the middle of an archive, and damage (a wrong CRC, a cut, bad deflate
 * data), each at read sizes down to one byte, where headers, descriptors
 * and the end of a deflate stream fall across reads. Then gzip files: the
 * header's optional fields, several streams in one file, a tar inside
 * (libarchive's), damage and a bomb.
 */
#include <zlib.h>

#include "test_readers_util.h"

enum {
    ZW_DESC = 1,       /* sizes and CRC in a descriptor after the data */
    ZW_DESC_NOSIG = 2, /* ... without its PK\7\8 signature */
    ZW_ZIP64 = 4,      /* zip64 extra field */
    ZW_STORED = 8,
    ZW_UTF8 = 16,
    ZW_BAD_CRC = 32,
    ZW_CRYPT = 64 /* flagged as encrypted (the bytes are not) */
};

typedef struct zw {
    rf_buf out;
    rf_buf cd;
    unsigned count;
} zw;

static void put16(rf_buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    rf_buf_append(b, x, 2);
}

static void put32(rf_buf *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}

static void put64(rf_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

/* data deflated by zlib onto dst: raw (window_bits -15), or gzip (31)
 * with the header h when given */
static void zdeflate(
    rf_buf *dst, const char *data, size_t len, int window_bits, gz_header *h)
{
    z_stream s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(
        deflateInit2(&s, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
        Z_OK);
    if (h != NULL) {
        assert_int_equal(deflateSetHeader(&s, h), Z_OK);
    }
    size_t cap = deflateBound(&s, (uLong)len) + 128;
    assert_int_equal(rf_buf_reserve(dst, cap), RF_OK);
    s.next_in = (Bytef *)(uintptr_t)data;
    s.avail_in = (uInt)len;
    s.next_out = (Bytef *)dst->data + dst->len;
    s.avail_out = (uInt)cap;
    assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
    rf_buf_commit(dst, cap - s.avail_out);
    deflateEnd(&s);
}

static void
zw_add(zw *w, const char *name, const char *data, size_t len, unsigned how)
{
    rf_buf body = {0};
    unsigned method = (how & ZW_STORED) ? 0 : 8;
    if (method == 0) {
        rf_buf_append(&body, data, len);
    } else {
        zdeflate(&body, data, len, -15, NULL);
    }
    uint32_t crc = (uint32_t)crc32(0, (const Bytef *)data, (uInt)len);
    uint32_t hcrc = (how & ZW_BAD_CRC) ? crc ^ 1u : crc;
    bool desc = (how & (ZW_DESC | ZW_DESC_NOSIG)) != 0;
    bool z64 = (how & ZW_ZIP64) != 0;
    unsigned flags = (desc ? 0x0008u : 0) | ((how & ZW_UTF8) ? 0x0800u : 0) |
                     ((how & ZW_CRYPT) ? 0x0001u : 0);
    uint64_t at = w->out.len;
    size_t nlen = strlen(name);
    rf_buf_append(&w->out, "PK\x03\x04", 4);
    put16(&w->out, z64 ? 45 : 20);
    put16(&w->out, flags);
    put16(&w->out, method);
    put32(&w->out, 0); /* time and date */
    put32(&w->out, desc ? 0 : hcrc);
    uint32_t small = desc ? 0 : (z64 ? 0xFFFFFFFFu : 0);
    put32(&w->out, small != 0 || desc ? small : (uint32_t)body.len);
    put32(&w->out, small != 0 || desc ? small : (uint32_t)len);
    put16(&w->out, (unsigned)nlen);
    put16(&w->out, z64 ? 20 : 0);
    rf_buf_append(&w->out, name, nlen);
    if (z64) {
        put16(&w->out, 0x0001);
        put16(&w->out, 16);
        put64(&w->out, desc ? 0 : len);
        put64(&w->out, desc ? 0 : body.len);
    }
    rf_buf_append(&w->out, body.data, body.len);
    if (desc) {
        if (how & ZW_DESC) {
            rf_buf_append(&w->out, "PK\x07\x08", 4);
        }
        put32(&w->out, hcrc);
        if (z64) {
            put64(&w->out, body.len);
            put64(&w->out, len);
        } else {
            put32(&w->out, (uint32_t)body.len);
            put32(&w->out, (uint32_t)len);
        }
    }
    /* the central directory entry (zip.c stops at it; libarchive's
     * streaming reader does too) */
    rf_buf_append(&w->cd, "PK\x01\x02", 4);
    put16(&w->cd, 45);
    put16(&w->cd, z64 ? 45 : 20);
    put16(&w->cd, flags);
    put16(&w->cd, method);
    put32(&w->cd, 0);
    put32(&w->cd, crc);
    put32(&w->cd, (uint32_t)body.len);
    put32(&w->cd, (uint32_t)len);
    put16(&w->cd, (unsigned)nlen);
    put32(&w->cd, 0); /* extra, comment */
    put32(&w->cd, 0); /* disk, internal attributes */
    put32(&w->cd, 0); /* external attributes */
    put32(&w->cd, (uint32_t)at);
    rf_buf_append(&w->cd, name, nlen);
    w->count++;
    rf_buf_free(&body);
}

static void zw_end(zw *w)
{
    uint64_t at = w->out.len;
    rf_buf_append(&w->out, w->cd.data, w->cd.len);
    rf_buf_append(&w->out, "PK\x05\x06", 4);
    put32(&w->out, 0);
    put16(&w->out, w->count);
    put16(&w->out, w->count);
    put32(&w->out, (uint32_t)w->cd.len);
    put32(&w->out, (uint32_t)at);
    put16(&w->out, 0);
    rf_buf_free(&w->cd);
}

/* Text a member holds: its own marker, and enough repetition that
 * deflate has matches to make (and back-references across reads). */
static char *member_text(const char *marker, size_t *len)
{
    rf_buf b = {0};
    rf_buf_printf(&b, "%s opens this member.\n", marker);
    for (int i = 0; i < 300; i++) {
        rf_buf_printf(&b, "line %d of %s, and some filler words.\n", i, marker);
    }
    *len = b.len;
    return rf_buf_steal(&b);
}

static const char *doc_text(const rf_doc *d)
{
    return d->section_count > 0 ? d->sections[0].text.data : "";
}

static const size_t chunks[] = {1u << 20, 4096, 7, 1};

/* A stream whose every chunk is a copy, after bytes that are not the
 * stream's: reading before a chunk (as if it followed the last one in
 * memory, which tr_read_mem's chunks do) finds garbage. */
typedef struct copy_input {
    const char *data;
    size_t len;
    size_t pos;
    size_t chunk;
    char *scratch;
} copy_input;

static rf_status copy_read(rf_input *in, const char **data, size_t *len)
{
    copy_input *m = in->ctx;
    size_t n = m->len - m->pos < m->chunk ? m->len - m->pos : m->chunk;
    memset(m->scratch, 'X', 64);
    memcpy(m->scratch + 64, m->data + m->pos, n);
    *data = m->scratch + 64;
    *len = n;
    m->pos += n;
    in->consumed += n;
    return RF_OK;
}

static rf_status
read_copies(collector *c, const char *name, const rf_buf *zip, size_t chunk)
{
    copy_input m = {.data = zip->data, .len = zip->len, .chunk = chunk};
    m.scratch = malloc(chunk + 64);
    rf_input in;
    memset(&in, 0, sizeof(in));
    in.path = name;
    in.size = zip->len;
    in.read = copy_read;
    in.ctx = &m;
    rf_reader_ctx ctx = tr_ctx(c);
    rf_status st = rf_input_dispatch(&in, &ctx);
    free(m.scratch);
    return st;
}

typedef struct layout {
    const char *name;
    const char *marker;
    unsigned how;
} layout;

/* Every layout zip.c reads, then two it hands to libarchive (a stored
 * member of unknown size; a deflated one after it). */
static const layout layouts[] = {
    {"a.txt", "ALPHA", 0},
    {"b.txt", "BRAVO", ZW_DESC},
    {"c.txt", "CHARLIE", ZW_DESC_NOSIG},
    {"d.txt", "DELTA", ZW_ZIP64},
    {"e.txt", "ECHO", ZW_ZIP64 | ZW_DESC},
    {"f.txt", "FOXTROT", ZW_STORED},
    {"名前/g.txt", "GOLF", ZW_UTF8},
    {"h.txt", "HOTEL", ZW_STORED | ZW_DESC},
    {"i.txt", "INDIA", 0},
};

static void build(zw *w, const layout *l, size_t n, uint64_t *total)
{
    memset(w, 0, sizeof(*w));
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *text = member_text(l[i].marker, &len);
        zw_add(w, l[i].name, text, len, l[i].how);
        *total += len;
        free(text);
        if (i == 2) {
            zw_add(w, "dir/", "", 0, ZW_STORED);
        }
    }
    zw_end(w);
}

static void test_layouts(void **state)
{
    (void)state;
    zw w;
    uint64_t total;
    size_t n = sizeof(layouts) / sizeof(layouts[0]);
    build(&w, layouts, n, &total);
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        collector c;
        tr_init(&c);
        assert_int_equal(
            tr_read_mem(&c, "layouts.zip", w.out.data, w.out.len, chunks[k]),
            RF_OK);
        for (size_t i = 0; i < c.ndiags; i++) {
            print_error("chunk %zu: %s\n", chunks[k], c.diags[i].message);
        }
        assert_int_equal(c.ndiags, 0);
        assert_int_equal(c.members, n);
        assert_int_equal(c.bytes, total);
        assert_int_equal(c.ndocs, n);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(c.docs[i]->member, layouts[i].name);
            assert_non_null(strstr(doc_text(c.docs[i]), layouts[i].marker));
            assert_non_null(strstr(doc_text(c.docs[i]), "line 299 of"));
        }
        tr_free(&c);
    }
    rf_buf_free(&w.out);
}

static void test_bad_crc(void **state)
{
    (void)state;
    static const layout l[] = {
        {"a.txt", "ALPHA", 0},
        {"b.txt", "BRAVO", ZW_BAD_CRC},
        {"c.txt", "CHARLIE", ZW_DESC | ZW_BAD_CRC},
        {"d.txt", "DELTA", ZW_STORED | ZW_BAD_CRC},
        {"e.txt", "ECHO", 0},
    };
    zw w;
    uint64_t total;
    build(&w, l, 5, &total);
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        collector c;
        tr_init(&c);
        assert_int_equal(
            tr_read_mem(&c, "crc.zip", w.out.data, w.out.len, chunks[k]),
            RF_OK);
        /* each damaged member is named; the archive goes on past them */
        assert_int_equal(c.ndiags, 3);
        for (size_t i = 0; i < 3; i++) {
            assert_string_equal(c.diags[i].member, l[i + 1].name);
            assert_non_null(strstr(c.diags[i].message, "bad CRC-32"));
        }
        assert_string_equal(c.docs[0]->member, "a.txt");
        assert_string_equal(c.docs[c.ndocs - 1]->member, "e.txt");
        assert_non_null(strstr(doc_text(c.docs[c.ndocs - 1]), "ECHO"));
        tr_free(&c);
    }
    rf_buf_free(&w.out);
}

/* Offset of the n-th (0-based) local header in a zip. */
static size_t header_at(const rf_buf *b, int n)
{
    const char *p = b->data;
    for (;;) {
        p = memmem(p, b->len - (size_t)(p - b->data), "PK\x03\x04", 4);
        assert_non_null(p);
        if (n-- == 0) {
            return (size_t)(p - b->data);
        }
        p++;
    }
}

static void test_cut_and_broken(void **state)
{
    (void)state;
    static const layout l[] = {
        {"a.txt", "ALPHA", 0},
        {"b.txt", "BRAVO", ZW_DESC},
        {"c.txt", "CHARLIE", 0},
    };
    zw w;
    uint64_t total;
    build(&w, l, 3, &total);
    /* cut in the middle of b.txt's deflate data */
    size_t b_at = header_at(&w.out, 1);
    size_t c_at = header_at(&w.out, 2);
    size_t cut = b_at + (c_at - b_at) / 2;
    /* and, in a copy, b.txt's data overwritten: a block type deflate
     * does not have (the first byte's bits 1-2 set to 3) */
    rf_buf broken = {0};
    rf_buf_append(&broken, w.out.data, w.out.len);
    broken.data[b_at + 30 + 5] |= 0x06;
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        collector c;
        tr_init(&c);
        assert_int_equal(
            tr_read_mem(&c, "cut.zip", w.out.data, cut, chunks[k]), RF_OK);
        assert_true(c.ndocs >= 1);
        assert_string_equal(c.docs[0]->member, "a.txt");
        const got_diag *g = tr_diag_with(&c, "cut short");
        assert_non_null(g);
        assert_string_equal(g->member, "b.txt");
        assert_non_null(strstr(g->message, "damaged or truncated"));
        for (size_t i = 0; i < c.ndocs; i++) {
            assert_string_not_equal(c.docs[i]->member, "c.txt");
        }
        tr_free(&c);

        tr_init(&c);
        assert_int_equal(
            tr_read_mem(&c, "bad.zip", broken.data, broken.len, chunks[k]),
            RF_OK);
        assert_string_equal(c.docs[0]->member, "a.txt");
        g = tr_diag_with(&c, "invalid deflate data");
        assert_non_null(g);
        assert_string_equal(g->member, "b.txt");
        /* past broken deflate data the archive stops, and says so */
        assert_non_null(tr_diag_with(&c, "truncated or damaged after 2"));
        for (size_t i = 0; i < c.ndocs; i++) {
            assert_string_not_equal(c.docs[i]->member, "c.txt");
        }
        tr_free(&c);
    }
    rf_buf_free(&broken);
    rf_buf_free(&w.out);
}

/* Members just over the reader's 256 KiB output block: igzip ends some
 * of them in a call that only hands out what it had inflated before, so
 * the bytes after the stream are in its bit buffer, not in the chunk just
 * read (zip.c's give_back). For this text and zlib's level 6, sizes
 * 256 KiB + 402, 403 and 433-435 do; each must leave the next header
 * where it is. */
static void test_stream_ends(void **state)
{
    static const size_t end_chunks[] = {1u << 20, 4096, 61};
    (void)state;
    size_t cap = (256u << 10) + 460;
    char *text = malloc(cap);
    for (size_t i = 0; i < cap; i++) {
        text[i] =
            (char)("abcdefgh ij\n"[(i * 7 + i / 13) % 12] ^ (i % 97 == 0 ? 1 : 0));
    }
    for (size_t size = (256u << 10) + 390; size < cap; size++) {
        for (unsigned how = 0; how <= ZW_DESC; how += ZW_DESC) {
            zw w;
            memset(&w, 0, sizeof(w));
            zw_add(&w, "long.txt", text, size, how);
            zw_add(&w, "next.txt", "NEXT member\n", 12, 0);
            zw_end(&w);
            for (size_t k = 0; k < RF_ARRAY_LEN(end_chunks); k++) {
                collector c;
                tr_init(&c);
                assert_int_equal(
                    read_copies(&c, "ends.zip", &w.out, end_chunks[k]), RF_OK);
                assert_int_equal(c.ndiags, 0);
                assert_int_equal(c.bytes, size + 12);
                assert_string_equal(c.docs[c.ndocs - 1]->member, "next.txt");
                tr_free(&c);
            }
            rf_buf_free(&w.out);
        }
    }
    free(text);
}

/* ---- gzip files ---- */

/* data gzipped by zlib; name, extra and comment set the header's optional
 * fields (and a header CRC) when given */
static void gzip_to(
    rf_buf *dst, const char *data, size_t len, const char *name, bool fields)
{
    gz_header h;
    memset(&h, 0, sizeof(h));
    static unsigned char extra[] = {'R', 'F', 2, 0, 'o', 'k'};
    h.name = (Bytef *)(uintptr_t)name;
    h.extra = extra;
    h.extra_len = sizeof(extra);
    h.comment = (Bytef *)"written by test_zip";
    h.hcrc = 1;
    zdeflate(dst, data, len, 31, fields ? &h : NULL);
}

static void read_gz(collector *c, const rf_buf *gz, size_t chunk)
{
    tr_init(c);
    assert_int_equal(
        tr_read_mem(c, "dir/weekly.txt.gz", gz->data, gz->len, chunk), RF_OK);
}

static void test_gzip(void **state)
{
    (void)state;
    size_t la, lb;
    char *a = member_text("ALPHA", &la);
    char *b = member_text("BRAVO", &lb);
    /* plain, with every optional header field, and two streams one after
     * the other (as pigz and bgzip write): one member, all of its text */
    rf_buf plain = {0}, fields = {0}, two = {0};
    gzip_to(&plain, a, la, NULL, false);
    gzip_to(&fields, a, la, "weekly.txt", true);
    gzip_to(&two, a, la, NULL, false);
    gzip_to(&two, b, lb, "second", true);
    const rf_buf *files[] = {&plain, &fields, &two};
    for (size_t k = 0; k < RF_ARRAY_LEN(chunks); k++) {
        for (size_t f = 0; f < 3; f++) {
            collector c;
            read_gz(&c, files[f], chunks[k]);
            assert_int_equal(c.ndiags, 0);
            assert_int_equal(c.members, 1);
            assert_int_equal(c.bytes, f == 2 ? la + lb : la);
            assert_int_equal(c.ndocs, 1);
            assert_string_equal(c.docs[0]->member, "weekly.txt");
            assert_non_null(strstr(doc_text(c.docs[0]), "ALPHA"));
            if (f == 2) {
                assert_non_null(strstr(doc_text(c.docs[0]), "BRAVO"));
            }
            tr_free(&c);
        }
    }
    /* damage: the trailer's CRC, and a cut inside the deflate data */
    rf_buf bad = {0};
    rf_buf_append(&bad, plain.data, plain.len);
    bad.data[bad.len - 8] ^= 1;
    for (size_t k = 0; k < RF_ARRAY_LEN(chunks); k++) {
        collector c;
        read_gz(&c, &bad, chunks[k]);
        const got_diag *g = tr_diag_with(&c, "bad CRC-32 or length");
        assert_non_null(g);
        assert_string_equal(g->member, "weekly.txt");
        tr_free(&c);
        rf_buf cut = {0};
        rf_buf_append(&cut, plain.data, plain.len / 2);
        read_gz(&c, &cut, chunks[k]);
        g = tr_diag_with(&c, "cut short");
        assert_non_null(g);
        assert_string_equal(g->member, "weekly.txt");
        tr_free(&c);
        rf_buf_free(&cut);
    }
    rf_buf_free(&bad);
    rf_buf_free(&plain);
    rf_buf_free(&fields);
    rf_buf_free(&two);
    free(a);
    free(b);
}

/* A tar header for name with size bytes; magic false writes one from
 * before POSIX (no "ustar", found by its checksum). */
static void tar_header(rf_buf *t, const char *name, size_t size, bool magic)
{
    char h[512];
    memset(h, 0, sizeof(h));
    snprintf(h, 100, "%s", name);
    snprintf(h + 100, 8, "%07o", 0644);
    snprintf(h + 108, 8, "%07o", 0);
    snprintf(h + 116, 8, "%07o", 0);
    snprintf(h + 124, 12, "%011zo", size);
    snprintf(h + 136, 12, "%011o", 0);
    h[156] = '0';
    if (magic) {
        memcpy(
            h + 257,
            "ustar\0"
            "00",
            8);
    }
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++) {
        sum += (unsigned char)h[i];
    }
    snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    rf_buf_append(t, h, 512);
}

/* A .tar.gz (or an old tar, gzipped) is libarchive's: its members keep
 * their own names, not "x.tar!a.txt". */
static void test_gzip_tar(void **state)
{
    (void)state;
    for (int magic = 0; magic < 2; magic++) {
        rf_buf tar = {0};
        static const char body[] =
            "The face recognition module outputs the race of each person.\n";
        tar_header(&tar, "a.txt", sizeof(body) - 1, magic != 0);
        rf_buf_append(&tar, body, sizeof(body) - 1);
        char pad[1024 + 512];
        memset(pad, 0, sizeof(pad));
        rf_buf_append(&tar, pad, 512 - (sizeof(body) - 1) % 512 + 1024);
        rf_buf gz = {0};
        gzip_to(&gz, tar.data, tar.len, NULL, false);
        for (size_t k = 0; k < RF_ARRAY_LEN(chunks); k++) {
            collector c;
            read_gz(&c, &gz, chunks[k]);
            assert_int_equal(c.ndiags, 0);
            assert_int_equal(c.ndocs, 1);
            assert_string_equal(c.docs[0]->member, "a.txt");
            tr_free(&c);
        }
        rf_buf_free(&tar);
        rf_buf_free(&gz);
    }
}

/* A gzip bomb stops at max_ratio, as a zip bomb does. */
static void test_gzip_bomb(void **state)
{
    (void)state;
    size_t n = 64u << 20;
    char *text = malloc(n); /* text, or the member is skipped as binary */
    memset(text, 'a', n);
    rf_buf gz = {0};
    gzip_to(&gz, text, n, NULL, false);
    free(text);
    collector c;
    tr_init(&c);
    c.limits.max_ratio = 100;
    assert_int_equal(
        tr_read_mem(&c, "bomb.txt.gz", gz.data, gz.len, 1u << 20), RF_OK);
    const got_diag *g = tr_diag_with(&c, "max_ratio");
    assert_non_null(g);
    assert_string_equal(g->member, "bomb.txt");
    assert_true(c.bytes < (8u << 20));
    tr_free(&c);
    rf_buf_free(&gz);
}

/* An encrypted member goes to libarchive, which names it; the members
 * after it are read. */
static void test_encrypted(void **state)
{
    (void)state;
    static const layout l[] = {
        {"a.txt", "ALPHA", 0},
        {"secret.txt", "SECRET", ZW_STORED | ZW_CRYPT},
        {"c.txt", "CHARLIE", 0},
    };
    zw w;
    uint64_t total;
    build(&w, l, 3, &total);
    for (size_t k = 0; k < RF_ARRAY_LEN(chunks); k++) {
        collector c;
        tr_init(&c);
        assert_int_equal(
            tr_read_mem(&c, "crypt.zip", w.out.data, w.out.len, chunks[k]),
            RF_OK);
        assert_int_equal(c.ndiags, 1);
        assert_string_equal(c.diags[0].member, "secret.txt");
        assert_non_null(strstr(c.diags[0].message, "encrypted"));
        assert_int_equal(c.ndocs, 2);
        assert_string_equal(c.docs[0]->member, "a.txt");
        assert_string_equal(c.docs[1]->member, "c.txt");
        assert_non_null(strstr(doc_text(c.docs[1]), "CHARLIE"));
        tr_free(&c);
    }
    rf_buf_free(&w.out);
}

/* The block lengths of every member, read with rf_zip_read or with
 * rf_zip_read_into (1 MiB asked for), from chunks of 1 MiB. */
static void block_lengths(const rf_buf *zip, bool into, rf_buf *out)
{
    mem_input m = {.data = zip->data, .len = zip->len, .chunk = 1u << 20};
    rf_input in;
    memset(&in, 0, sizeof(in));
    in.read = tr_mem_read;
    in.ctx = &m;
    uint64_t packed = 0;
    rf_zip *z;
    assert_int_equal(rf_zip_open(&z, &in, &packed), RF_OK);
    char *dst = malloc(1u << 20);
    rf_zip_member zm;
    while (rf_zip_next(z, &zm) == RF_ZIP_MEMBER) {
        size_t len;
        do {
            const char *data;
            assert_int_equal(
                into ? rf_zip_read_into(z, dst, 1u << 20, &len)
                     : rf_zip_read(z, &data, &len),
                RF_OK);
            rf_buf_printf(out, "%zu ", len);
        } while (len > 0);
    }
    free(dst);
    rf_zip_free(z);
}

/* A limit is checked per block, so both ways of reading a member must
 * return the same blocks, or -j1 (read) and -j2 (the fan-out's
 * read_into) would cut an oversized member at different bytes. */
static void test_same_blocks(void **state)
{
    (void)state;
    size_t n = 700u << 10;
    char *text = malloc(n);
    for (size_t i = 0; i < n; i++) {
        text[i] = (char)('a' + (i * 7 + i / 13) % 26);
    }
    zw w;
    memset(&w, 0, sizeof(w));
    zw_add(&w, "stored.txt", text, n, ZW_STORED);
    zw_add(&w, "deflated.txt", text, n, 0);
    zw_end(&w);
    rf_buf a = {0}, b = {0};
    block_lengths(&w.out, false, &a);
    block_lengths(&w.out, true, &b);
    assert_string_equal(a.data, b.data);
    /* and no block is larger than the reader's 256 KiB */
    assert_null(strstr(a.data, "716800"));
    rf_buf_free(&a);
    rf_buf_free(&b);
    rf_buf_free(&w.out);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_bad_crc),
        cmocka_unit_test(test_cut_and_broken),
        cmocka_unit_test(test_stream_ends),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_same_blocks),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_tar),
        cmocka_unit_test(test_gzip_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
