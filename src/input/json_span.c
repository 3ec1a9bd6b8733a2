/*
 * json_span.c - a strict JSON checker, and readers of the values of a
 * checked text where they lie (see json_span.h).
 *
 * The checker decides what jansson decides for the texts it is given
 * (json_gp.c falls back on jansson for the message when it says no), so
 * it rejects what jansson rejects: U+0000 in a string, bytes that are not
 * UTF-8, an unpaired surrogate escape, control characters, nesting past
 * 2048. Numbers are the one difference: jansson also rejects an integer
 * that does not fit 64 bits, or a real that overflows a double; here a
 * number is checked by its grammar, and a reader that wants an integer
 * (rf_json_int) says when it does not fit. A raw NUL byte is rejected
 * wherever it is (jansson takes it for the end of the text in some places).
 * The readers trust the checker and do no bounds checks of their own.
 */
#include "input/json_span.h"

#include <limits.h>
#include <string.h>

typedef struct checker {
    const char *s;
    size_t n;
    size_t i;
} checker;

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(checker *c)
{
    while (c->i < c->n && is_ws(c->s[c->i])) {
        c->i++;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* The four hex digits at s[i], or -1. */
static long hex4(const char *s, size_t n, size_t i)
{
    if (i + 4 > n) {
        return -1;
    }
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(s[i + k]);
        if (h < 0) {
            return -1;
        }
        v = v * 16 + h;
    }
    return v;
}

/* The \u escape at s[i] == '\\' (a surrogate pair takes two): its code
 * point, or -1, and its length in *len. */
static long unicode_escape(const char *s, size_t n, size_t i, size_t *len)
{
    long cp = hex4(s, n, i + 2);
    *len = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return -1;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u') {
            return -1;
        }
        long lo = hex4(s, n, i + 8);
        if (lo < 0xDC00 || lo > 0xDFFF) {
            return -1;
        }
        *len = 12;
        return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    return cp;
}

static bool check_string(checker *c)
{
    const char *s = c->s;
    size_t i = c->i + 1;
    while (i < c->n) {
        unsigned char b = (unsigned char)s[i];
        if (b == '"') {
            c->i = i + 1;
            return true;
        }
        if (b < 0x20) {
            break;
        }
        if (b >= 0x80) {
            /* a run of non-ASCII bytes is whole UTF-8 sequences or not */
            size_t j = i;
            while (j < c->n && (unsigned char)s[j] >= 0x80) {
                j++;
            }
            if (!rf_utf8_valid(s + i, j - i)) {
                break;
            }
            i = j;
            continue;
        }
        if (b != '\\') {
            i++;
            continue;
        }
        if (i + 1 >= c->n) {
            break;
        }
        char e = s[i + 1];
        if (e == 'u') {
            size_t len;
            if (unicode_escape(s, c->n, i, &len) <= 0) {
                break; /* bad, unpaired, or U+0000 */
            }
            i += len;
        } else if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
            i += 2;
        } else {
            break;
        }
    }
    c->i = i;
    return false;
}

static bool digits(checker *c)
{
    size_t from = c->i;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
        c->i++;
    }
    return c->i > from;
}

static bool check_number(checker *c)
{
    if (c->s[c->i] == '-') {
        c->i++;
    }
    if (c->i < c->n && c->s[c->i] == '0') {
        c->i++;
    } else if (!digits(c)) {
        return false;
    }
    if (c->i < c->n && c->s[c->i] == '.') {
        c->i++;
        if (!digits(c)) {
            return false;
        }
    }
    if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
        c->i++;
        if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-')) {
            c->i++;
        }
        if (!digits(c)) {
            return false;
        }
    }
    return true;
}

static bool check_word(checker *c, const char *w)
{
    size_t len = strlen(w);
    if (c->n - c->i < len || memcmp(c->s + c->i, w, len) != 0) {
        return false;
    }
    c->i += len;
    return true;
}

static bool check_value(checker *c, unsigned depth);

/* The members of an object or elements of an array, at s[i] == open. */
static bool check_container(checker *c, unsigned depth, char close)
{
    if (depth >= RF_JSON_MAX_DEPTH) {
        return false;
    }
    c->i++;
    skip_ws(c);
    if (c->i < c->n && c->s[c->i] == close) {
        c->i++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            if (c->i >= c->n || c->s[c->i] != '"' || !check_string(c)) {
                return false;
            }
            skip_ws(c);
            if (c->i >= c->n || c->s[c->i] != ':') {
                return false;
            }
            c->i++;
            skip_ws(c);
        }
        if (!check_value(c, depth + 1)) {
            return false;
        }
        skip_ws(c);
        if (c->i < c->n && c->s[c->i] == close) {
            c->i++;
            return true;
        }
        if (c->i >= c->n || c->s[c->i] != ',') {
            return false;
        }
        c->i++;
        skip_ws(c);
    }
}

static bool check_value(checker *c, unsigned depth)
{
    if (c->i >= c->n) {
        return false;
    }
    switch (c->s[c->i]) {
    case '{':
        return check_container(c, depth, '}');
    case '[':
        return check_container(c, depth, ']');
    case '"':
        return check_string(c);
    case 't':
        return check_word(c, "true");
    case 'f':
        return check_word(c, "false");
    case 'n':
        return check_word(c, "null");
    default:
        return check_number(c);
    }
}

bool rf_json_check(const char *s, size_t n, size_t *err_at)
{
    checker c = {.s = s, .n = n, .i = 0};
    skip_ws(&c);
    bool ok = check_value(&c, 0);
    if (ok) {
        skip_ws(&c);
        ok = c.i == n;
    }
    if (!ok && err_at != NULL) {
        *err_at = c.i;
    }
    return ok;
}

/* ---------------- reading a checked text ---------------- */

static size_t string_skip(const char *s, size_t i)
{
    for (i++; s[i] != '"'; i++) {
        if (s[i] == '\\') {
            i++; /* the escaped character: '"' or '\\' among them */
        }
    }
    return i + 1;
}

size_t rf_json_skip(const char *s, size_t i)
{
    char c = s[i];
    if (c == '"') {
        return string_skip(s, i);
    }
    if (c != '{' && c != '[') {
        /* a number or a literal: up to the next delimiter */
        while (s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_ws(s[i]) &&
               s[i] != '\0') {
            i++;
        }
        return i;
    }
    unsigned depth = 0;
    for (;; i++) {
        c = s[i];
        if (c == '"') {
            i = string_skip(s, i) - 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
}

static size_t ws_on(const char *s, size_t i)
{
    while (is_ws(s[i])) {
        i++;
    }
    return i;
}

bool rf_json_next(
    const char *s,
    size_t at,
    size_t *i,
    size_t *ks,
    size_t *ke,
    size_t *vs,
    size_t *ve)
{
    size_t p = ws_on(s, *i == 0 ? at + 1 : *i);
    if (s[p] == ',') {
        p = ws_on(s, p + 1);
    }
    if (s[p] == '}' || s[p] == ']') {
        return false;
    }
    if (s[at] == '{') {
        size_t e = string_skip(s, p);
        if (ks != NULL) {
            *ks = p;
            *ke = e;
        }
        p = ws_on(s, ws_on(s, e) + 1); /* past the ':' */
    }
    *vs = p;
    *ve = rf_json_skip(s, p);
    *i = *ve;
    return true;
}

bool rf_json_key_is(const char *s, size_t ks, size_t ke, const char *key)
{
    size_t len = strlen(key);
    return ke - ks == len + 2 && memcmp(s + ks + 1, key, len) == 0;
}

/* Code point cp as UTF-8 into o; its length. */
static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t
rf_json_escape(const char *s, size_t n, size_t i, char o[4], size_t *olen)
{
    char c = i + 1 < n ? s[i + 1] : '\\';
    *olen = 1;
    switch (c) {
    case 'b':
        o[0] = '\b';
        return 2;
    case 'f':
        o[0] = '\f';
        return 2;
    case 'n':
        o[0] = '\n';
        return 2;
    case 'r':
        o[0] = '\r';
        return 2;
    case 't':
        o[0] = '\t';
        return 2;
    case 'u': {
        size_t used;
        long cp = unicode_escape(s, n, i, &used);
        *olen = put_utf8(o, cp < 0 ? 0xFFFD : (unsigned long)cp);
        return used;
    }
    default: /* '"', '\\', '/', and anything else as itself */
        o[0] = c;
        return 2;
    }
}

rf_status rf_json_string(rf_buf *out, const char *s, size_t vs, size_t ve)
{
    rf_buf_reset(out);
    rf_status st = rf_buf_reserve(out, ve - vs);
    if (st == RF_OK) {
        out->data[0] = '\0'; /* "" too is a string, not NULL */
    }
    size_t k = vs + 1;
    size_t end = ve - 1; /* the closing quote */
    while (st == RF_OK && k < end) {
        const char *bs = memchr(s + k, '\\', end - k);
        size_t j = bs != NULL ? (size_t)(bs - s) : end;
        st = rf_buf_append(out, s + k, j - k);
        if (st != RF_OK || j == end) {
            break;
        }
        char o[4];
        size_t ol;
        size_t used = rf_json_escape(s, end, j, o, &ol);
        st = rf_buf_append(out, o, ol);
        k = j + used;
    }
    return st;
}

bool rf_json_int(const char *s, size_t vs, size_t ve, long long *v)
{
    size_t i = vs;
    bool neg = i < ve && s[i] == '-';
    i += neg ? 1 : 0;
    if (i == ve) {
        return false;
    }
    unsigned long long u = 0;
    for (; i < ve; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false; /* a fraction or an exponent */
        }
        unsigned d = (unsigned)(s[i] - '0');
        if (u > (ULLONG_MAX - d) / 10) {
            return false;
        }
        u = u * 10 + d;
    }
    if (u > (unsigned long long)LLONG_MAX + (neg ? 1 : 0)) {
        return false;
    }
    *v = neg ? (long long)(0 - u) : (long long)u;
    return true;
}
