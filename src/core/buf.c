/*
 * buf.c - growable byte buffers and the two escapers every sink needs.
 *
 * Escaping lives here, once, because hostile document text reaches every
 * output format: JSON strings must be valid UTF-8 (invalid bytes become
 * U+FFFD rather than being passed through), and HTML must never let a
 * document's `<script>` become markup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

rf_status rf_buf_reserve(rf_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1) {
        return RF_ENOMEM;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return RF_OK;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    }
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        return RF_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    return RF_OK;
}

void rf_buf_commit(rf_buf *b, size_t n)
{
    b->len += n;
    b->data[b->len] = '\0';
}

rf_status rf_buf_append(rf_buf *b, const void *data, size_t len)
{
    rf_status st = rf_buf_reserve(b, len);
    if (st != RF_OK) {
        return st;
    }
    if (len > 0) {
        memcpy(b->data + b->len, data, len);
    }
    b->len += len;
    b->data[b->len] = '\0';
    return RF_OK;
}

rf_status rf_buf_puts(rf_buf *b, const char *s)
{
    return rf_buf_append(b, s, strlen(s));
}

rf_status rf_buf_putc(rf_buf *b, char c)
{
    return rf_buf_append(b, &c, 1);
}

rf_status rf_buf_vprintf(rf_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return RF_EINVAL;
    }
    rf_status st = rf_buf_reserve(b, (size_t)n);
    if (st != RF_OK) {
        return st;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return RF_OK;
}

rf_status rf_buf_printf(rf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rf_status st = rf_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

void rf_buf_reset(rf_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

void rf_buf_free(rf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

char *rf_buf_steal(rf_buf *b)
{
    char *p = b->data;
    if (p == NULL) {
        p = calloc(1, 1);
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

static const char replacement[] = "\xEF\xBF\xBD";

rf_status rf_buf_json_str(rf_buf *b, const char *s, size_t len)
{
    rf_status st = rf_buf_reserve(b, len + 2);
    if (st != RF_OK) {
        return st;
    }
    rf_buf_putc(b, '"');
    size_t i = 0;
    while (i < len && st == RF_OK) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            size_t n = rf_utf8_decode(s, len, i, &cp);
            if (cp == 0xFFFD && n == 1) {
                st = rf_buf_append(b, replacement, 3);
            } else if (cp == 0x2028 || cp == 0x2029) {
                /* valid JSON, but not valid JavaScript: escape */
                st = rf_buf_printf(b, "\\u%04x", (unsigned)cp);
            } else {
                st = rf_buf_append(b, s + i, n);
            }
            i += n;
            continue;
        }
        switch (c) {
        case '"':
            st = rf_buf_append(b, "\\\"", 2);
            break;
        case '\\':
            st = rf_buf_append(b, "\\\\", 2);
            break;
        case '\n':
            st = rf_buf_append(b, "\\n", 2);
            break;
        case '\r':
            st = rf_buf_append(b, "\\r", 2);
            break;
        case '\t':
            st = rf_buf_append(b, "\\t", 2);
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                st = rf_buf_printf(b, "\\u%04x", c);
            } else {
                st = rf_buf_putc(b, (char)c);
            }
        }
        i++;
    }
    if (st != RF_OK) {
        return st;
    }
    return rf_buf_putc(b, '"');
}

rf_status rf_buf_json_cstr(rf_buf *b, const char *s)
{
    if (s == NULL) {
        return rf_buf_puts(b, "null");
    }
    return rf_buf_json_str(b, s, strlen(s));
}

rf_status rf_buf_html(rf_buf *b, const char *s, size_t len)
{
    rf_status st = RF_OK;
    size_t i = 0;
    while (i < len && st == RF_OK) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            int32_t cp;
            size_t n = rf_utf8_decode(s, len, i, &cp);
            if (cp == 0xFFFD && n == 1) {
                st = rf_buf_append(b, replacement, 3);
            } else {
                st = rf_buf_append(b, s + i, n);
            }
            i += n;
            continue;
        }
        switch (c) {
        case '&':
            st = rf_buf_puts(b, "&amp;");
            break;
        case '<':
            st = rf_buf_puts(b, "&lt;");
            break;
        case '>':
            st = rf_buf_puts(b, "&gt;");
            break;
        case '"':
            st = rf_buf_puts(b, "&quot;");
            break;
        case '\'':
            st = rf_buf_puts(b, "&#39;");
            break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                st = rf_buf_append(b, replacement, 3);
            } else {
                st = rf_buf_putc(b, (char)c);
            }
        }
        i++;
    }
    return st;
}
