/*
 * utf8.c - the few UTF-8 operations the hot path needs, without a library
 * call per byte. Invalid input is never an error here: it decodes as
 * U+FFFD, one byte at a time, so every caller makes progress.
 */
#include <utf8proc.h>

#include "internal.h"

size_t rf_utf8_decode(const char *s, size_t len, size_t i, int32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s + i;
    size_t avail = len - i;
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    int32_t v;
    int32_t min;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (avail < n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (p[k] & 0x3F);
    }
    /* overlong forms, surrogates and values past U+10FFFF are invalid */
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

size_t rf_utf8_prev(const char *s, size_t i)
{
    size_t j = i - 1;
    size_t steps = 0;
    while (j > 0 && steps < 3 && (((unsigned char)s[j]) & 0xC0) == 0x80) {
        j--;
        steps++;
    }
    return j;
}

size_t rf_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += (((unsigned char)s[i]) & 0xC0) != 0x80;
    }
    return n;
}

bool rf_utf8_is_cjk(int32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || /* radicals .. CJK unified */
           (cp >= 0xAC00 && cp <= 0xD7AF) || /* Hangul syllables */
           (cp >= 0x1100 && cp <= 0x11FF) || /* Hangul jamo */
           (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility ideographs */
           (cp >= 0xFF66 && cp <= 0xFF9F) || /* half-width katakana */
           (cp >= 0x20000 && cp <= 0x3FFFF); /* extension B.. */
}

bool rf_utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t n = rf_utf8_decode(s, len, i, &cp);
        if (cp == 0xFFFD && n == 1) {
            return false;
        }
        i += n;
    }
    return true;
}

bool rf_utf8_is_word(int32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               (cp >= '0' && cp <= '9');
    }
    if (rf_utf8_is_cjk(cp) || (cp >= 0x3040 && cp <= 0x30FF)) {
        return false;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
           cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
           cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND ||
           cat == UTF8PROC_CATEGORY_MN;
}

bool rf_utf8_is_upper(int32_t cp)
{
    if (cp < 0x80) {
        return cp >= 'A' && cp <= 'Z';
    }
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

bool rf_utf8_is_lower(int32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
    }
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}
