/*
 * transcode.c - legacy encodings (GB2312, GBK, GB18030, Big5, Shift_JIS,
 * EUC-JP, EUC-KR, Windows code pages) to UTF-8 for expat, with an offset
 * map back to the original bytes.
 *
 * Expat decodes only UTF-8, UTF-16, US-ASCII and ISO-8859-1 by itself, and
 * its unknown-encoding hook cannot describe GB18030 (whose sequence length
 * is not known from the first byte). So a document that declares another
 * encoding is converted with iconv before expat sees it, and the parser is
 * told the input is UTF-8.
 *
 * Findings must still point at the original bytes. Converting character
 * by character gives each one's width on both sides; consecutive characters
 * of the same widths form a segment, so the map stays small (a Chinese
 * paragraph is one segment of 3:2 characters, the markup around it one of
 * 1:1) and a UTF-8 offset maps back by arithmetic inside its segment.
 * ASCII bytes, which all these encodings share, take a fast path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml.h"

void rf_xcode_init(rf_xcode *x)
{
    memset(x, 0, sizeof(*x));
    x->cd = (iconv_t)-1;
}

bool rf_xcode_active(const rf_xcode *x)
{
    return x->cd != (iconv_t)-1;
}

void rf_xcode_close(rf_xcode *x)
{
    if (rf_xcode_active(x)) {
        iconv_close(x->cd);
        x->cd = (iconv_t)-1;
    }
    x->nseg = 0;
    x->u8_pos = 0;
    x->src_pos = 0;
    x->npend = 0;
    x->name[0] = '\0';
}

void rf_xcode_free(rf_xcode *x)
{
    rf_xcode_close(x);
    rf_buf_free(&x->out);
    free(x->segs);
    x->segs = NULL;
    x->cap = 0;
}

bool rf_xml_encoding_native(const char *name)
{
    static const char *const native[] = {
        "UTF-8", "UTF8",       "UTF-16",    "UTF-16LE", "UTF-16BE", "US-ASCII",
        "ASCII", "ISO-8859-1", "ISO8859-1", "LATIN1",   NULL};
    if (name == NULL || name[0] == '\0') {
        return true;
    }
    for (size_t i = 0; native[i] != NULL; i++) {
        if (strcasecmp(name, native[i]) == 0) {
            return true;
        }
    }
    return false;
}

rf_status rf_xcode_open(rf_xcode *x, const char *encoding)
{
    rf_xcode_close(x);
    /* GB2312 documents routinely use GBK characters: read the superset */
    const char *from = encoding;
    if (strcasecmp(encoding, "GB2312") == 0 ||
        strcasecmp(encoding, "GBK") == 0 ||
        strcasecmp(encoding, "CP936") == 0) {
        from = "GB18030";
    }
    x->cd = iconv_open("UTF-8", from);
    if (x->cd == (iconv_t)-1) {
        return RF_EUNSUPPORTED;
    }
    size_t n = strlen(encoding);
    if (n >= sizeof(x->name)) {
        n = sizeof(x->name) - 1;
    }
    memcpy(x->name, encoding, n);
    x->name[n] = '\0';
    return RF_OK;
}

static rf_status add_char(rf_xcode *x, unsigned u8len, unsigned srclen)
{
    if (x->nseg > 0) {
        const rf_xcode_seg *last = &x->segs[x->nseg - 1];
        if (last->u8step == u8len && last->srcstep == srclen) {
            x->u8_pos += u8len;
            x->src_pos += srclen;
            return RF_OK;
        }
    }
    if (x->nseg == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        rf_xcode_seg *s = realloc(x->segs, cap * sizeof(*s));
        if (s == NULL) {
            return RF_ENOMEM;
        }
        x->segs = s;
        x->cap = cap;
    }
    x->segs[x->nseg++] = (rf_xcode_seg){
        .u8 = x->u8_pos,
        .src = x->src_pos,
        .u8step = (uint8_t)u8len,
        .srcstep = (uint8_t)srclen};
    x->u8_pos += u8len;
    x->src_pos += srclen;
    return RF_OK;
}

/* Convert one character at s (avail bytes). *used = 0 means "need more
 * input". Invalid bytes become U+FFFD, one byte each. */
static rf_status
convert_one(rf_xcode *x, const char *s, size_t avail, bool final, size_t *used)
{
    char tmp[16];
    bool incomplete = false;
    *used = 0;
    for (size_t k = 1; k <= avail && k <= 4; k++) {
        char *in = (char *)s;
        size_t inleft = k;
        char *out = tmp;
        size_t outleft = sizeof(tmp);
        if (iconv(x->cd, &in, &inleft, &out, &outleft) != (size_t)-1) {
            size_t consumed = k - inleft;
            size_t produced = sizeof(tmp) - outleft;
            rf_status st = rf_buf_append(&x->out, tmp, produced);
            if (st == RF_OK) {
                st = add_char(x, (unsigned)produced, (unsigned)consumed);
            }
            *used = consumed;
            return st;
        }
        int err = errno;
        iconv(x->cd, NULL, NULL, NULL, NULL);
        incomplete = err == EINVAL;
        if (!incomplete) {
            break;
        }
    }
    if (incomplete && avail < 4 && !final) {
        return RF_OK; /* wait for the rest of the sequence */
    }
    rf_status st = rf_buf_append(&x->out, "\xEF\xBF\xBD", 3);
    if (st == RF_OK) {
        st = add_char(x, 3, 1);
    }
    *used = 1;
    return st;
}

static rf_status
convert(rf_xcode *x, const char *s, size_t len, bool final, size_t *done)
{
    size_t i = 0;
    rf_status st = RF_OK;
    while (i < len && st == RF_OK) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            size_t j = i;
            while (j < len && (unsigned char)s[j] < 0x80) {
                j++;
            }
            st = rf_buf_append(&x->out, s + i, j - i);
            for (size_t k = i; st == RF_OK && k < j; k++) {
                st = add_char(x, 1, 1);
            }
            i = j;
            continue;
        }
        size_t used;
        st = convert_one(x, s + i, len - i, final, &used);
        if (used == 0) {
            break;
        }
        i += used;
    }
    *done = i;
    return st;
}

rf_status rf_xcode_feed(rf_xcode *x, const char *data, size_t len, bool final)
{
    rf_buf_reset(&x->out);
    rf_status st = rf_buf_reserve(&x->out, len + len / 2 + 16);
    if (st != RF_OK) {
        return st;
    }
    size_t i = 0;
    if (x->npend > 0) {
        /* finish a sequence the previous chunk cut in half */
        char tmp[16];
        size_t n = x->npend;
        size_t take = len < 8 ? len : 8;
        memcpy(tmp, x->pend, n);
        memcpy(tmp + n, data, take);
        size_t done;
        st = convert(x, tmp, n + take, final && take == len, &done);
        if (st != RF_OK) {
            return st;
        }
        if (done < n) {
            /* still incomplete: only when this chunk was tiny */
            size_t keep = n + take - done;
            memmove(x->pend, tmp + done, keep);
            x->npend = keep;
            return RF_OK;
        }
        i = done - n;
        x->npend = 0;
    }
    size_t done;
    st = convert(x, data + i, len - i, final, &done);
    if (st == RF_OK && i + done < len) {
        size_t rest = len - i - done;
        if (rest > sizeof(x->pend)) {
            rest = sizeof(x->pend);
        }
        memcpy(x->pend, data + i + done, rest);
        x->npend = rest;
    }
    return st;
}

uint64_t rf_xcode_map(const rf_xcode *x, uint64_t u8off)
{
    if (x->nseg == 0) {
        return u8off;
    }
    size_t lo = 0;
    size_t hi = x->nseg;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->segs[mid].u8 <= u8off) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    const rf_xcode_seg *s = &x->segs[lo];
    if (u8off < s->u8) {
        return s->src;
    }
    uint64_t k = (u8off - s->u8) / s->u8step;
    return s->src + k * s->srcstep;
}
