/*
 * fuzz_json_span.c - the JSON checker (src/input/json_span.c) against
 * jansson, whatever the bytes: the same texts accepted and rejected (but
 * for a number too large for jansson, and a raw NUL byte, which jansson
 * takes for the end of the text in some places and not in others: "[1\0]"
 * passes, "[1]\0" does not; the checker rejects every one), and in an
 * accepted text every string decoded, and every member found, as jansson
 * decodes and finds them. Any difference aborts.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "input/json_span.h"

static void same(const char *s, size_t vs, size_t ve, json_t *j);

/* Whether a member after position `it` of the object at s[at] is `key`. */
static bool later_key(const char *s, size_t at, size_t it, const char *key)
{
    rf_buf k = {0};
    size_t ks;
    size_t ke;
    size_t vs;
    size_t ve;
    bool found = false;
    while (!found && rf_json_next(s, at, &it, &ks, &ke, &vs, &ve)) {
        if (rf_json_string(&k, s, ks, ke) != RF_OK) {
            abort();
        }
        found = strcmp(k.data, key) == 0;
    }
    rf_buf_free(&k);
    return found;
}

static void same_container(const char *s, size_t vs, json_t *j)
{
    rf_buf key = {0};
    size_t it = 0;
    size_t ks;
    size_t ke;
    size_t es;
    size_t ee;
    size_t n = 0;
    bool obj = s[vs] == '{';
    if (obj ? !json_is_object(j) : !json_is_array(j)) {
        abort();
    }
    while (rf_json_next(s, vs, &it, &ks, &ke, &es, &ee)) {
        json_t *e = json_array_get(j, n);
        bool last = true;
        if (obj) {
            if (rf_json_string(&key, s, ks, ke) != RF_OK) {
                abort();
            }
            e = json_object_get(j, key.data);
            last = !later_key(s, vs, it, key.data);
        }
        if (e == NULL) {
            abort();
        }
        if (last) {
            same(s, es, ee, e); /* jansson keeps the last of a key */
        }
        n++;
    }
    if (!obj && n != json_array_size(j)) {
        abort();
    }
    rf_buf_free(&key);
}

static void same(const char *s, size_t vs, size_t ve, json_t *j)
{
    if (s[vs] == '{' || s[vs] == '[') {
        same_container(s, vs, j);
        return;
    }
    if (s[vs] == '"') {
        rf_buf str = {0};
        if (!json_is_string(j) || rf_json_string(&str, s, vs, ve) != RF_OK ||
            str.len != json_string_length(j) ||
            memcmp(str.data, json_string_value(j), str.len) != 0) {
            abort();
        }
        rf_buf_free(&str);
        return;
    }
    long long v;
    if (json_is_integer(j) &&
        (!rf_json_int(s, vs, ve, &v) || v != json_integer_value(j))) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy with a NUL after it, as the reader's buffers have */
    char *s = malloc(size + 1);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    bool ours = rf_json_check(s, size, NULL);
    if (memchr(s, '\0', size) != NULL) {
        if (ours) {
            abort();
        }
        free(s);
        return 0;
    }
    json_error_t err;
    json_t *j = json_loadb(s, size, JSON_DECODE_ANY, &err);
    bool number = j == NULL && (strstr(err.text, "overflow") != NULL ||
                                strstr(err.text, "too big") != NULL);
    if (ours != (j != NULL) && !(ours && number)) {
        abort();
    }
    if (ours && j != NULL) {
        size_t at = 0;
        while (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' ||
               s[at] == '\r') {
            at++;
        }
        same(s, at, rf_json_skip(s, at), j);
    }
    json_decref(j);
    free(s);
    return 0;
}
