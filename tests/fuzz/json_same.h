/*
 * json_same.h - the JSON checker (src/input/json_span.c) against jansson
 * on one text, for fuzz_json_span.c and tests/unit/test_json_span.c.
 *
 * The two must accept and reject the same texts, but for the differences
 * by design: a number too large for jansson (the checker reads numbers by
 * their grammar), and a raw NUL byte, which jansson takes for the end of
 * the text in some places and not in others ("[1\0]" passes, "[1]\0" does
 * not) and the checker always rejects. In an accepted text every string
 * must decode, every member be found and every integer read as jansson
 * has them.
 */
#ifndef RF_JSON_SAME_H
#define RF_JSON_SAME_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "input/json_span.h"

/* Whether a member after position `it` of the object at s[at] is `key`. */
static bool json_same_later_key(
    const char *s, size_t at, size_t it, const char *key, rf_buf *k)
{
    size_t ks;
    size_t ke;
    size_t vs;
    size_t ve;
    while (rf_json_next(s, at, &it, &ks, &ke, &vs, &ve)) {
        if (rf_json_string(k, s, ks, ke) == RF_OK &&
            strcmp(k->data, key) == 0) {
            return true;
        }
    }
    return false;
}

static bool json_same_value(const char *s, size_t vs, size_t ve, json_t *j);

static bool json_same_container(const char *s, size_t vs, json_t *j)
{
    bool obj = s[vs] == '{';
    if (obj ? !json_is_object(j) : !json_is_array(j)) {
        return false;
    }
    rf_buf key = {0};
    rf_buf later = {0};
    size_t it = 0;
    size_t ks;
    size_t ke;
    size_t es;
    size_t ee;
    size_t n = 0;
    bool same = true;
    while (same && rf_json_next(s, vs, &it, &ks, &ke, &es, &ee)) {
        json_t *e = json_array_get(j, n++);
        bool last = true;
        if (obj) {
            same = rf_json_string(&key, s, ks, ke) == RF_OK;
            e = same ? json_object_get(j, key.data) : NULL;
            last = same && !json_same_later_key(s, vs, it, key.data, &later);
        }
        /* of a key given twice, jansson keeps the last */
        same = same && e != NULL && (!last || json_same_value(s, es, ee, e));
    }
    rf_buf_free(&key);
    rf_buf_free(&later);
    return same && (obj || n == json_array_size(j));
}

static bool json_same_value(const char *s, size_t vs, size_t ve, json_t *j)
{
    if (s[vs] == '{' || s[vs] == '[') {
        return json_same_container(s, vs, j);
    }
    if (s[vs] == '"') {
        rf_buf str = {0};
        bool same = json_is_string(j) &&
                    rf_json_string(&str, s, vs, ve) == RF_OK &&
                    str.len == json_string_length(j) &&
                    memcmp(str.data, json_string_value(j), str.len) == 0;
        rf_buf_free(&str);
        return same;
    }
    long long v;
    return !json_is_integer(j) ||
           (rf_json_int(s, vs, ve, &v) && v == json_integer_value(j));
}

/* Whether the checker and jansson agree on s[0..n) (s[n] must be NUL);
 * if not, why, in why. */
static bool json_same(const char *s, size_t n, char *why, size_t cap)
{
    bool ours = rf_json_check(s, n, NULL);
    if (memchr(s, '\0', n) != NULL) {
        snprintf(why, cap, "a raw NUL byte, and the checker accepted it");
        return !ours;
    }
    json_error_t err;
    json_t *j = json_loadb(s, n, JSON_DECODE_ANY, &err);
    bool number = j == NULL && (strstr(err.text, "overflow") != NULL ||
                                strstr(err.text, "too big") != NULL);
    bool same = ours == (j != NULL) || (ours && number);
    snprintf(
        why, cap, "checker %s, jansson %s (%s)", ours ? "yes" : "no",
        j != NULL ? "yes" : "no", j != NULL ? "" : err.text);
    if (same && ours && j != NULL) {
        size_t at = 0;
        while (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' ||
               s[at] == '\r') {
            at++;
        }
        same = json_same_value(s, at, rf_json_skip(s, at), j);
        snprintf(why, cap, "a value read otherwise than jansson reads it");
    }
    json_decref(j);
    return same;
}

#endif
