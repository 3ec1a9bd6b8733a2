/*
 * zip.c - the members of a zip archive that are stored or deflated, and
 * gzip files, read as a stream and inflated with ISA-L (igzip).
 *
 * Why not libarchive, which reads everything else: a USPTO weekly file is
 * one zip member of 2 GB, and libarchive inflates it with zlib, which was
 * a quarter of the CPU time of a whole scan. igzip inflates the same
 * member, CRC included, in 1.3 s instead of 3.3 s on this machine.
 *
 * So this reads what zips almost always hold: local headers one after the
 * other (as libarchive's streaming zip reader does: no central directory,
 * so a zip inside a zip or on a pipe reads the same), deflate (method 8)
 * and stored (method 0) members, zip64 sizes, UTF-8 or ASCII names, and
 * data descriptors after deflated members. Anything else (an encrypted
 * member, another method, a stored member of unknown size, a CP437 name,
 * bytes that are not a header) is handed off: from that header on,
 * libarchive reads the stream, starting with the bytes already read here
 * (rf_zip_pending), so nothing is lost and the rest reads as it always
 * did.
 *
 * A member whose CRC does not match is reported and the next one read. A
 * member that is cut short or holds bad deflate data ends the archive
 * too: past broken deflate data there is no telling where the next
 * header starts.
 *
 * A gzip file is read here too, as one member (gz_start): its header's
 * optional fields, several streams one after another, each trailer's
 * CRC-32 and length. A gzip holding an archive (a .tar.gz) is left whole
 * to libarchive, whose members then keep their own names.
 */
#include <inttypes.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

#define ZIP_OUT_CAP     ((size_t)256 << 10) /* one inflated block */
#define ZIP_LOCAL_LEN   30u
#define ZIP_FLAG_CRYPT  0x0001u
#define ZIP_FLAG_DESC   0x0008u /* sizes and CRC follow the data */
#define ZIP_FLAG_STRONG 0x0040u
#define ZIP_FLAG_UTF8   0x0800u
#define ZIP_STORED      0u
#define ZIP_DEFLATED    8u
#define ZIP_SIZE_MAX32  0xFFFFFFFFu
/* gathered at the start of a gzip file, for its header and a look inside */
#define GZ_PROBE ((size_t)64 << 10)

typedef enum zip_state {
    ZIP_BETWEEN, /* at a header */
    ZIP_DATA,    /* in a member's data */
    ZIP_DONE,    /* the member's data and descriptor were read */
    ZIP_BROKEN   /* a member was damaged: the archive stops */
} zip_state;

struct rf_zip {
    rf_input *outer;
    uint64_t *packed; /* compressed bytes read, for the ratio limit */
    /* unread bytes: in the outer stream's last chunk, or in hold */
    const unsigned char *p;
    size_t n;
    bool eof;
    rf_buf hold; /* bytes gathered across chunks (headers, descriptors) */
    rf_buf name;
    struct inflate_state *inf;
    unsigned char *out;
    zip_state state;
    bool handed_off;
    bool gzip;        /* a gzip file: one member, maybe several streams */
    unsigned started; /* members started */
    /* the member being read */
    unsigned method;
    unsigned flags;
    bool zip64;
    uint32_t crc_want;
    uint64_t csize; /* from the header; unknown with ZIP_FLAG_DESC */
    uint64_t usize;
    uint64_t in_used; /* compressed bytes consumed */
    uint32_t crc;     /* of a stored member's bytes so far */
    char errmsg[256];
};

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

static rf_status zip_fail(rf_zip *z, rf_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static rf_status zip_fail(rf_zip *z, rf_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(z->errmsg, sizeof(z->errmsg), fmt, ap);
    va_end(ap);
    z->state = ZIP_BROKEN;
    return st;
}

/* The outer stream's next chunk, once the unread bytes are used up. */
static rf_status fill(rf_zip *z)
{
    if (z->n > 0 || z->eof) {
        return RF_OK;
    }
    const char *data = NULL;
    size_t len = 0;
    rf_status st = z->outer->read(z->outer, &data, &len);
    if (st != RF_OK) {
        return zip_fail(
            z, st, "%s",
            z->outer->errmsg[0] ? z->outer->errmsg : rf_status_str(st));
    }
    if (len == 0) {
        z->eof = true;
        return RF_OK;
    }
    *z->packed += len;
    z->p = (const unsigned char *)data;
    z->n = len;
    return RF_OK;
}

/* k contiguous unread bytes at z->p (*ok false: the stream ends first).
 * A header cut by a chunk boundary is gathered in hold, with the whole
 * chunk it ends in, so the data after it is read from hold. */
static rf_status need(rf_zip *z, size_t k, bool *ok)
{
    *ok = z->n >= k;
    if (*ok) {
        return RF_OK;
    }
    bool in_hold = z->hold.data != NULL &&
                   z->p >= (const unsigned char *)z->hold.data &&
                   z->p <= (const unsigned char *)z->hold.data + z->hold.len;
    if (in_hold) {
        memmove(z->hold.data, z->p, z->n);
        z->hold.len = z->n;
    } else {
        rf_buf_reset(&z->hold);
        if (z->n > 0 && rf_buf_append(&z->hold, z->p, z->n) != RF_OK) {
            return zip_fail(z, RF_ENOMEM, "out of memory");
        }
    }
    z->p = (const unsigned char *)z->hold.data;
    while (z->hold.len < k) {
        z->n = 0;
        rf_status st = fill(z);
        if (st != RF_OK) {
            return st;
        }
        if (z->n == 0) { /* the end: fill reads only when nothing is left */
            break;
        }
        if (rf_buf_append(&z->hold, z->p, z->n) != RF_OK) {
            return zip_fail(z, RF_ENOMEM, "out of memory");
        }
    }
    z->p = (const unsigned char *)z->hold.data;
    z->n = z->hold.len;
    *ok = z->n >= k;
    return RF_OK;
}

/* Pass over k bytes; *ok false if the stream ends first. */
static rf_status skip(rf_zip *z, uint64_t k, bool *ok)
{
    while (k > 0) {
        rf_status st = fill(z);
        if (st != RF_OK) {
            return st;
        }
        if (z->n == 0) { /* the end: fill reads only when nothing is left */
            *ok = false;
            return RF_OK;
        }
        size_t take = z->n < k ? z->n : (size_t)k;
        z->p += take;
        z->n -= take;
        k -= take;
    }
    *ok = true;
    return RF_OK;
}

/* More of a member's data at z->p: the stream's end here cuts it short. */
static rf_status more(rf_zip *z)
{
    rf_status st = fill(z);
    if (st == RF_OK && z->n == 0) { /* fill reads only when none is left */
        st = zip_fail(z, RF_EIO, "member is cut short");
    }
    return st;
}

/* Give back the whole bytes igzip read past the end of a deflate stream.
 * They sit in its bit buffer, lowest first, after the rest of the last
 * byte it used; most of the time they are also the bytes just before
 * z->p, but not when the stream ended inside a chunk read before. */
static rf_status give_back(rf_zip *z, size_t used_now)
{
    size_t back = (size_t)(z->inf->read_in_length / 8);
    if (back == 0) {
        return RF_OK;
    }
    if (back <= used_now) {
        z->p -= back;
        z->n += back;
        return RF_OK;
    }
    unsigned char tail[8];
    unsigned skip_bits = (unsigned)(z->inf->read_in_length % 8);
    for (size_t i = 0; i < back; i++) {
        tail[i] = (unsigned char)(z->inf->read_in >> (skip_bits + 8 * i));
    }
    rf_buf rest = {0};
    if (rf_buf_append(&rest, tail, back) != RF_OK ||
        rf_buf_append(&rest, z->p, z->n) != RF_OK) {
        rf_buf_free(&rest);
        return zip_fail(z, RF_ENOMEM, "out of memory");
    }
    rf_buf_free(&z->hold);
    z->hold = rest;
    z->p = (const unsigned char *)z->hold.data;
    z->n = z->hold.len;
    return RF_OK;
}

rf_status rf_zip_open(rf_zip **out, rf_input *outer, uint64_t *packed)
{
    *out = NULL;
    rf_zip *z = calloc(1, sizeof(*z));
    if (z == NULL) {
        return RF_ENOMEM;
    }
    z->inf = malloc(sizeof(*z->inf));
    z->out = malloc(ZIP_OUT_CAP);
    if (z->inf == NULL || z->out == NULL) {
        rf_zip_free(z);
        return RF_ENOMEM;
    }
    z->outer = outer;
    z->packed = packed;
    z->state = ZIP_BETWEEN;
    *out = z;
    return RF_OK;
}

void rf_zip_free(rf_zip *z)
{
    if (z == NULL) {
        return;
    }
    rf_buf_free(&z->hold);
    rf_buf_free(&z->name);
    free(z->inf);
    free(z->out);
    free(z);
}

const char *rf_zip_error(const rf_zip *z)
{
    return z->errmsg;
}

bool rf_zip_pending(rf_zip *z, const void **data, size_t *len)
{
    if (!z->handed_off || z->n == 0) {
        return false;
    }
    *data = z->p;
    *len = z->n;
    z->n = 0;
    return true;
}

/* The data descriptor after a deflated member: an optional signature,
 * the CRC, and both sizes, 64-bit in a zip64 member. Some writers use
 * 64-bit sizes without saying so in the header: the width whose sizes
 * match what was read is the one taken. */
static rf_status read_descriptor(rf_zip *z, uint64_t produced)
{
    bool ok;
    rf_status st = need(z, 4, &ok);
    if (st == RF_OK && ok && memcmp(z->p, "PK\x07\x08", 4) == 0) {
        z->p += 4;
        z->n -= 4;
    }
    if (st == RF_OK) {
        st = need(z, 20, &ok);
    }
    if (st != RF_OK) {
        return st;
    }
    if (z->n < 12) {
        return zip_fail(
            z, RF_EIO, "member is cut short before its data descriptor");
    }
    const unsigned char *d = z->p;
    bool wide =
        z->n >= 20 && le64(d + 4) == z->in_used && le64(d + 12) == produced;
    bool narrow = le32(d + 4) == (uint32_t)z->in_used &&
                  le32(d + 8) == (uint32_t)produced;
    if (!narrow && !wide) {
        wide = z->zip64 && z->n >= 20;
    } else if (narrow && wide) {
        wide = z->zip64;
    }
    z->crc_want = le32(d);
    z->csize = wide ? le64(d + 4) : le32(d + 4);
    z->usize = wide ? le64(d + 12) : le32(d + 8);
    z->p += wide ? 20 : 12;
    z->n -= wide ? 20 : 12;
    return RF_OK;
}

/* The length of the gzip header at p, or 0 if the n bytes there do not
 * hold a whole one (RFC 1952: magic, deflate, no reserved flags). */
static size_t gz_header(const unsigned char *p, size_t n)
{
    if (n < 10 || p[0] != 0x1F || p[1] != 0x8B || p[2] != 8 ||
        (p[3] & 0xE0) != 0) {
        return 0;
    }
    unsigned fl = p[3];
    size_t at = 10;
    if (fl & 0x04) { /* FEXTRA */
        if (at + 2 > n) {
            return 0;
        }
        at += 2 + (size_t)le16(p + at);
    }
    for (unsigned bit = 0x08; bit <= 0x10; bit <<= 1) { /* FNAME, FCOMMENT */
        if (fl & bit) {
            const unsigned char *e = at < n ? memchr(p + at, 0, n - at) : NULL;
            if (e == NULL) {
                return 0;
            }
            at = (size_t)(e - p) + 1;
        }
    }
    if (fl & 0x02) { /* FHCRC */
        at += 2;
    }
    return at <= n ? at : 0;
}

/* After a gzip stream's deflate data: its trailer (CRC-32 and length),
 * then either another stream (a file written in several, as bgzip and
 * pigz do), which the member goes on with, or the end. */
static rf_status gz_end(rf_zip *z)
{
    bool ok;
    rf_status st = need(z, 8, &ok);
    if (st != RF_OK) {
        return st;
    }
    if (!ok) {
        return zip_fail(z, RF_EIO, "gzip stream is cut short before its end");
    }
    uint32_t crc = le32(z->p);
    uint32_t isize = le32(z->p + 4);
    z->p += 8;
    z->n -= 8;
    if (crc != z->inf->crc || isize != (uint32_t)z->inf->total_out) {
        return zip_fail(
            z, RF_EIO,
            "bad CRC-32 or length (%08" PRIx32 "/%" PRIu32
            ", should be %08" PRIx32 "/%" PRIu32 ")",
            z->inf->crc, (uint32_t)z->inf->total_out, crc, isize);
    }
    st = need(z, 10, &ok);
    size_t hlen = 0;
    if (st == RF_OK && ok) {
        size_t want = 10;
        while (st == RF_OK && (hlen = gz_header(z->p, z->n)) == 0 &&
               z->n >= want && want < ZIP_OUT_CAP && z->p[0] == 0x1F) {
            want *= 4; /* a header with a name or an extra field */
            st = need(z, want, &ok);
        }
    }
    if (st != RF_OK) {
        return st;
    }
    if (hlen == 0) {
        z->state = ZIP_DONE; /* what follows the last stream is not read */
        return RF_OK;
    }
    z->p += hlen;
    z->n -= hlen;
    isal_inflate_init(z->inf);
    z->inf->crc_flag = ISAL_GZIP_NO_HDR;
    return RF_OK;
}

/* The member's data is over: check it against its CRC. Its sizes are
 * not checked: the end of the deflate stream is where the member ends,
 * whatever a header says (libarchive reads a member whose local header
 * lies about its size to its end, and so does this), and the CRC covers
 * the content. */
static rf_status finish(rf_zip *z, uint32_t crc, uint64_t produced)
{
    if (z->flags & ZIP_FLAG_DESC) {
        rf_status st = read_descriptor(z, produced);
        if (st != RF_OK) {
            return st;
        }
    }
    z->state = ZIP_DONE;
    if (crc != z->crc_want) {
        /* the member is damaged, the archive is not: the next header is
         * right here, and is read */
        snprintf(
            z->errmsg, sizeof(z->errmsg),
            "bad CRC-32 (%08" PRIx32 ", should be %08" PRIx32 ")", crc,
            z->crc_want);
        return RF_EIO;
    }
    return RF_OK;
}

/* Up to cap of a stored member's bytes, where they lie in the stream. */
static rf_status
read_stored(rf_zip *z, const char **data, size_t cap, size_t *len)
{
    uint64_t left = z->csize - z->in_used;
    if (left == 0) {
        return finish(z, z->crc, 0); /* an empty member */
    }
    rf_status st = more(z);
    if (st != RF_OK) {
        return st;
    }
    size_t take = z->n < cap ? z->n : cap;
    take = take < left ? take : (size_t)left;
    const unsigned char *at = z->p;
    z->crc = crc32_gzip_refl(z->crc, at, take);
    z->p += take;
    z->n -= take;
    z->in_used += take;
    /* checked with the last bytes, as for a deflated member: a reader
     * that stops at the size it was told never asks for the end */
    if (take == left) {
        st = finish(z, z->crc, z->in_used);
        if (st != RF_OK) {
            return st;
        }
    }
    *data = (const char *)at;
    *len = take;
    return RF_OK;
}

/* Inflate up to cap bytes into dst (at least one, unless the member
 * ends). igzip keeps its own window, so dst may change between calls. */
static rf_status
read_deflated(rf_zip *z, unsigned char *dst, size_t cap, size_t *len)
{
    struct inflate_state *inf = z->inf;
    *len = 0;
    cap = cap < UINT32_MAX ? cap : UINT32_MAX;
    for (;;) {
        rf_status st = more(z);
        if (st != RF_OK) {
            return st;
        }
        size_t feed = z->n < UINT32_MAX ? z->n : UINT32_MAX;
        inf->next_in = (uint8_t *)(uintptr_t)z->p;
        inf->avail_in = (uint32_t)feed;
        inf->next_out = dst;
        inf->avail_out = (uint32_t)cap;
        int r = isal_inflate(inf);
        if (inf->avail_in > feed) {
            /* igzip hands back bytes of its bit buffer that it read in an
             * earlier call (on bad data): they are not in this chunk, and
             * the stream is broken anyway */
            return zip_fail(
                z, RF_EIO, "invalid deflate data (igzip error %d)",
                r != ISAL_DECOMP_OK ? r : ISAL_INVALID_BLOCK);
        }
        size_t used = feed - inf->avail_in;
        z->p += used;
        z->n -= used;
        z->in_used += used;
        if (r != ISAL_DECOMP_OK) {
            return zip_fail(
                z, RF_EIO, "invalid deflate data (igzip error %d)", r);
        }
        size_t made = cap - inf->avail_out;
        if (inf->block_state == ISAL_BLOCK_FINISH) {
            size_t back = (size_t)(inf->read_in_length / 8);
            st = give_back(z, used);
            if (st != RF_OK) {
                return st;
            }
            z->in_used -= back;
            st = z->gzip ? gz_end(z) : finish(z, inf->crc, inf->total_out);
        }
        if (st != RF_OK || made > 0 || z->state == ZIP_DONE) {
            *len = st == RF_OK ? made : 0;
            return st;
        }
    }
}

/* The member's next block, of at most ZIP_OUT_CAP bytes whichever way it
 * is read: limits are checked per block (archive.c), and a member must be
 * cut at the same byte by rf_zip_read and rf_zip_read_into, so that -j1
 * and -jN write the same bytes. Into dst when given; else a stored
 * member's bytes where they lie, a deflated one's in z->out. */
static rf_status read_block(
    rf_zip *z, unsigned char *dst, size_t cap, const char **data, size_t *len)
{
    *data = "";
    *len = 0;
    cap = cap < ZIP_OUT_CAP ? cap : ZIP_OUT_CAP;
    if (z->state == ZIP_BROKEN) {
        return RF_EIO;
    }
    if (z->state != ZIP_DATA) {
        return RF_OK;
    }
    if (z->method == ZIP_STORED) {
        rf_status st = read_stored(z, data, cap, len);
        if (st == RF_OK && dst != NULL && *len > 0) {
            memcpy(dst, *data, *len);
            *data = (const char *)dst;
        }
        return st;
    }
    dst = dst != NULL ? dst : z->out;
    *data = (const char *)dst;
    return read_deflated(z, dst, cap, len);
}

rf_status rf_zip_read(rf_zip *z, const char **data, size_t *len)
{
    return read_block(z, NULL, ZIP_OUT_CAP, data, len);
}

rf_status rf_zip_read_into(rf_zip *z, char *dst, size_t cap, size_t *len)
{
    const char *data;
    return read_block(z, (unsigned char *)dst, cap, &data, len);
}

/* The rest of a member nobody read to its end (a reader that stopped, a
 * limit): known compressed sizes are passed over, a deflated member of
 * unknown size is inflated to find its end. */
static rf_status skip_rest(rf_zip *z)
{
    if (z->gzip) {
        z->state = ZIP_DONE; /* its one member: nothing after it to find */
        return RF_OK;
    }
    if (!(z->flags & ZIP_FLAG_DESC)) {
        bool ok;
        rf_status st = skip(z, z->csize - z->in_used, &ok);
        if (st == RF_OK && !ok) {
            st = zip_fail(z, RF_EIO, "member is cut short");
        }
        if (st == RF_OK) {
            z->state = ZIP_DONE;
        }
        return st;
    }
    while (z->state == ZIP_DATA) {
        size_t l;
        rf_status st = read_deflated(z, z->out, ZIP_OUT_CAP, &l);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

/* zip64 sizes from the extra field, where the header says 0xFFFFFFFF. */
static void
read_extra(rf_zip *z, const unsigned char *x, size_t len, bool *unicode_path)
{
    while (len >= 4) {
        unsigned id = le16(x);
        size_t sz = le16(x + 2);
        if (sz > len - 4) {
            return;
        }
        const unsigned char *v = x + 4;
        size_t vlen = sz;
        if (id == 0x0001) {
            z->zip64 = true;
            if (z->usize == ZIP_SIZE_MAX32 && vlen >= 8) {
                z->usize = le64(v);
                v += 8;
                vlen -= 8;
            }
            if (z->csize == ZIP_SIZE_MAX32 && vlen >= 8) {
                z->csize = le64(v);
            }
        } else if (id == 0x7075) {
            *unicode_path = true;
        }
        x += 4 + sz;
        len -= 4 + sz;
    }
}

static bool ascii(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 0x80) {
            return false;
        }
    }
    return true;
}

/* Can this header be read here, or is it libarchive's? */
static bool
ours(const rf_zip *z, const unsigned char *name, size_t nlen, bool unicode_path)
{
    if (z->flags & (ZIP_FLAG_CRYPT | ZIP_FLAG_STRONG)) {
        return false;
    }
    if (z->method != ZIP_DEFLATED &&
        (z->method != ZIP_STORED || (z->flags & ZIP_FLAG_DESC))) {
        return false;
    }
    if (unicode_path || memchr(name, '\0', nlen) != NULL) {
        return false;
    }
    return ascii(name, nlen) || ((z->flags & ZIP_FLAG_UTF8) &&
                                 rf_utf8_valid((const char *)name, nlen));
}

/* An archive inside (tar, cpio, ar, or a zip or another compression):
 * libarchive reads the whole file then, so that its members are named as
 * they always were ("a.txt", not "x.tar!a.txt"). */
static bool archive_inside(const unsigned char *h, size_t n)
{
    if (rf_sniff_archive((const char *)h, n, NULL) != 0 ||
        (n >= 8 && memcmp(h, "!<arch>\n", 8) == 0) ||
        (n >= 6 && memcmp(h, "07070", 5) == 0) ||
        (n >= 2 &&
         ((h[0] == 0xC7 && h[1] == 0x71) || (h[0] == 0x71 && h[1] == 0xC7)))) {
        return true;
    }
    if (n < 512 || h[0] == 0) {
        return false;
    }
    /* a tar header from before POSIX: no magic, but its checksum adds up */
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++) {
        sum += i >= 148 && i < 156 ? ' ' : h[i];
    }
    unsigned want = 0;
    size_t i = 148;
    while (i < 156 && h[i] == ' ') {
        i++;
    }
    size_t digits = 0;
    for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++, digits++) {
        want = want * 8 + (unsigned)(h[i] - '0');
    }
    return digits > 0 && want == sum;
}

/* A gzip file: one member, named by archive.c after the file. The first
 * 512 bytes are inflated first, to see whether libarchive should read it
 * instead (archive_inside); so are files whose header this does not take.
 * Nothing has been consumed then: the hand-off starts at the file's
 * first byte. */
static rf_zip_next_result gz_start(rf_zip *z, rf_zip_member *m)
{
    bool ok;
    if (need(z, GZ_PROBE, &ok) != RF_OK) {
        return RF_ZIP_DAMAGED;
    }
    size_t hlen = gz_header(z->p, z->n);
    bool ours = false;
    if (hlen > 0) {
        struct inflate_state *inf = z->inf;
        isal_inflate_init(inf);
        size_t feed = z->n - hlen;
        inf->next_in = (uint8_t *)(uintptr_t)(z->p + hlen);
        inf->avail_in = (uint32_t)(feed < UINT32_MAX ? feed : UINT32_MAX);
        inf->next_out = z->out;
        inf->avail_out = 512;
        ours = isal_inflate(inf) == ISAL_DECOMP_OK &&
               !archive_inside(z->out, 512 - inf->avail_out);
    }
    if (!ours) {
        z->handed_off = true;
        return RF_ZIP_HANDOFF;
    }
    z->gzip = true;
    z->p += hlen;
    z->n -= hlen;
    z->in_used = 0;
    z->method = ZIP_DEFLATED;
    z->flags = 0;
    z->state = ZIP_DATA;
    z->started++;
    isal_inflate_init(z->inf);
    z->inf->crc_flag = ISAL_GZIP_NO_HDR;
    m->name = NULL;
    return RF_ZIP_MEMBER;
}

rf_zip_next_result rf_zip_next(rf_zip *z, rf_zip_member *m)
{
    memset(m, 0, sizeof(*m));
    if (z->state == ZIP_DATA && skip_rest(z) != RF_OK) {
        return RF_ZIP_DAMAGED;
    }
    if (z->state == ZIP_BROKEN) {
        return RF_ZIP_DAMAGED;
    }
    if (z->gzip) {
        return RF_ZIP_END;
    }
    bool ok;
    if (need(z, 4, &ok) != RF_OK) {
        return RF_ZIP_DAMAGED;
    }
    if (z->started == 0 && ok && z->p[0] == 0x1F && z->p[1] == 0x8B) {
        return gz_start(z, m);
    }
    if (ok && z->p[0] == 'P' && z->p[1] == 'K' &&
        ((z->p[2] == 1 && z->p[3] == 2) || (z->p[2] == 5 && z->p[3] == 6) ||
         (z->p[2] == 6 && z->p[3] == 6))) {
        return RF_ZIP_END; /* the central directory */
    }
    if (!ok || memcmp(z->p, "PK\x03\x04", 4) != 0) {
        z->handed_off = true; /* libarchive says what it is */
        return RF_ZIP_HANDOFF;
    }
    if (need(z, ZIP_LOCAL_LEN, &ok) != RF_OK) {
        return RF_ZIP_DAMAGED;
    }
    size_t nlen = ok ? le16(z->p + 26) : 0;
    size_t xlen = ok ? le16(z->p + 28) : 0;
    if (ok && need(z, ZIP_LOCAL_LEN + nlen + xlen, &ok) != RF_OK) {
        return RF_ZIP_DAMAGED;
    }
    if (!ok) {
        z->handed_off = true;
        return RF_ZIP_HANDOFF;
    }
    const unsigned char *h = z->p;
    z->flags = le16(h + 6);
    z->method = le16(h + 8);
    z->crc_want = le32(h + 14);
    z->csize = le32(h + 18);
    z->usize = le32(h + 22);
    z->zip64 = false;
    bool unicode_path = false;
    read_extra(z, h + ZIP_LOCAL_LEN + nlen, xlen, &unicode_path);
    const unsigned char *name = h + ZIP_LOCAL_LEN;
    if (!ours(z, name, nlen, unicode_path)) {
        z->handed_off = true;
        return RF_ZIP_HANDOFF;
    }
    rf_buf_reset(&z->name);
    if (rf_buf_append(&z->name, name, nlen) != RF_OK) {
        zip_fail(z, RF_ENOMEM, "out of memory");
        return RF_ZIP_DAMAGED;
    }
    z->p += ZIP_LOCAL_LEN + nlen + xlen;
    z->n -= ZIP_LOCAL_LEN + nlen + xlen;
    z->in_used = 0;
    z->crc = 0;
    z->state = ZIP_DATA;
    z->started++;
    if (z->method == ZIP_DEFLATED) {
        isal_inflate_init(z->inf);
        z->inf->crc_flag = ISAL_GZIP_NO_HDR;
    }
    m->name = z->name.data;
    m->dir = nlen > 0 && name[nlen - 1] == '/';
    m->has_size = !(z->flags & ZIP_FLAG_DESC);
    m->size = m->has_size ? z->usize : 0;
    return RF_ZIP_MEMBER;
}
