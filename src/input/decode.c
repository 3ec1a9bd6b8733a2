/*
 * decode.c - text files that are not UTF-8: UTF-16 (with a BOM, or
 * without one, recognised by its NUL bytes) and GB18030 / GBK without any
 * declaration, recognised because the head is not UTF-8 but converts
 * cleanly as GB18030. Such a file is read through an iconv stream that
 * delivers UTF-8, so the text and code readers, which scan bytes as UTF-8,
 * see the characters instead of matching nothing (or skipping the file as
 * binary). Offsets and columns of findings in such a file count bytes of
 * the UTF-8 decoding; lines are the file's own.
 *
 * XML, HTML and JSON never come here: expat decodes UTF-16 and declared
 * encodings itself (transcode.c), and a document's declaration wins.
 * Undecodable bytes become U+FFFD, so a damaged file still scans.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "input.h"

#define DEC_HEAD 4096u

static bool utf16_nuls(const char *head, size_t len, int *order)
{
    size_t n = len < DEC_HEAD ? len : DEC_HEAD;
    n &= ~(size_t)1;
    if (n < 8) {
        return false;
    }
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += head[i] == '\0';
        odd += head[i + 1] == '\0';
    }
    size_t pairs = n / 2;
    /* mostly ASCII or Latin text: one byte of each pair is NUL; CJK text
     * has few NULs but never on both sides */
    if (odd * 10 >= pairs * 3 && even * 20 < pairs) {
        *order = 1; /* little-endian: "a\0" */
        return true;
    }
    if (even * 10 >= pairs * 3 && odd * 20 < pairs) {
        *order = 2;
        return true;
    }
    return false;
}

static bool gb18030_clean(const char *head, size_t len)
{
    size_t n = len < DEC_HEAD ? len : DEC_HEAD;
    bool high = false;
    for (size_t i = 0; i < n; i++) {
        if (head[i] == '\0') {
            return false;
        }
        high |= (unsigned char)head[i] >= 0x80;
    }
    /* a UTF-8 head may be cut inside its last character: validate up to
     * the start of the last character that may be incomplete (backing up
     * a fixed 3 bytes could itself land inside a 2-byte character, and
     * valid Cyrillic then passed for GB18030; found by bench/run.sh) */
    size_t check = n;
    if (n < len) {
        while (check > 0 && (((unsigned char)head[check - 1]) & 0xC0) == 0x80 &&
               n - check < 3) {
            check--;
        }
        if (check > 0 && ((unsigned char)head[check - 1]) >= 0xC0) {
            check--; /* the lead byte of the cut character */
        }
    }
    if (!high || rf_utf8_valid(head, check)) {
        return false;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        return false;
    }
    char out[4 * DEC_HEAD];
    char *ip = (char *)head;
    size_t il = n;
    char *op = out;
    size_t ol = sizeof(out);
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    bool ok = r != (size_t)-1 || (errno == EINVAL && n < len);
    iconv_close(cd);
    return ok;
}

const char *rf_text_encoding(const char *head, size_t len)
{
    const unsigned char *u = (const unsigned char *)head;
    if (len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        return "UTF-16"; /* iconv reads the BOM and drops it */
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        return NULL; /* UTF-8 with a BOM */
    }
    int order = 0;
    if (utf16_nuls(head, len, &order)) {
        return order == 1 ? "UTF-16LE" : "UTF-16BE";
    }
    if (gb18030_clean(head, len)) {
        return "GB18030";
    }
    return NULL;
}

static rf_status dec_read(rf_input *in, const char **data, size_t *len)
{
    rf_decode_input *d = in->ctx;
    *data = "";
    *len = 0;
    rf_buf_reset(&d->out);
    while (d->out.len == 0 && !d->eof) {
        const char *chunk;
        size_t n;
        rf_status st = d->inner->read(d->inner, &chunk, &n);
        if (st != RF_OK) {
            snprintf(in->errmsg, sizeof(in->errmsg), "%s", d->inner->errmsg);
            return st;
        }
        if (n == 0) {
            d->eof = true;
        } else if (rf_buf_append(&d->pend, chunk, n) != RF_OK) {
            return RF_ENOMEM;
        }
        if (rf_buf_reserve(&d->out, d->pend.len * 2 + 16) != RF_OK) {
            return RF_ENOMEM;
        }
        char *ip = d->pend.data;
        size_t il = d->pend.len;
        while (il > 0) {
            if (rf_buf_reserve(&d->out, il * 2 + 16) != RF_OK) {
                return RF_ENOMEM;
            }
            char *op = d->out.data + d->out.len;
            size_t ol = d->out.cap - d->out.len - 1;
            size_t r = iconv(d->cd, &ip, &il, &op, &ol);
            d->out.len = (size_t)(op - d->out.data);
            if (r != (size_t)-1) {
                break;
            }
            if (errno == E2BIG) {
                continue;
            }
            if (errno == EINVAL && !d->eof) {
                break; /* a character cut by the chunk: wait for more */
            }
            /* undecodable (or cut at the end): U+FFFD, skip a unit */
            if (rf_buf_append(&d->out, "\xEF\xBF\xBD", 3) != RF_OK) {
                return RF_ENOMEM;
            }
            size_t skip = d->unit < il ? d->unit : il;
            ip += skip;
            il -= skip;
        }
        memmove(d->pend.data, ip, il);
        d->pend.len = il;
        d->out.data[d->out.len] = '\0';
    }
    *data = d->out.data != NULL ? d->out.data : "";
    *len = d->out.len;
    in->consumed += d->out.len;
    return RF_OK;
}

rf_status rf_decode_input_init(
    rf_decode_input *d, rf_input *out, rf_input *inner, const char *encoding)
{
    memset(d, 0, sizeof(*d));
    d->cd = iconv_open("UTF-8", encoding);
    if (d->cd == (iconv_t)-1) {
        return RF_EUNSUPPORTED;
    }
    d->inner = inner;
    d->unit = strncmp(encoding, "UTF-16", 6) == 0 ? 2 : 1;
    memset(out, 0, sizeof(*out));
    out->path = inner->path;
    out->member = inner->member;
    out->depth = inner->depth;
    out->read = dec_read;
    out->ctx = d;
    return RF_OK;
}

void rf_decode_input_free(rf_decode_input *d)
{
    if (d->cd != (iconv_t)-1 && d->cd != NULL) {
        iconv_close(d->cd);
    }
    rf_buf_free(&d->pend);
    rf_buf_free(&d->out);
    memset(d, 0, sizeof(*d));
}
