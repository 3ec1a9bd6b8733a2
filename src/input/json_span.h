/*
 * json_span.h - a strict JSON checker, and readers of the values of a
 * checked text where they lie (no tree).
 *
 * A Google Patents row's metadata (publication number, dates, names,
 * classes) is a few hundred bytes beside tens of kilobytes of text, yet
 * building a jansson tree of it took a fifth of the JSON Lines scan. The
 * reader checks the metadata here and takes the values it needs from
 * their spans (json_gp.c).
 */
#ifndef RF_JSON_SPAN_H
#define RF_JSON_SPAN_H

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"

/* Nesting deeper than this is an error, as it is to jansson. */
#define RF_JSON_MAX_DEPTH 2048

/*
 * Whether s[0..n) is one JSON value (RFC 8259) with white space around
 * it, and no more. Stricter than the RFC where jansson is: a string may
 * not hold U+0000, and its bytes must be UTF-8 with every \u surrogate
 * paired. Looser in one place: numbers are checked by their grammar only,
 * whatever their size. On false, *err_at is where the text went wrong.
 */
bool rf_json_check(const char *s, size_t n, size_t *err_at);

/* In a checked text: the index just past the value at s[i]. */
size_t rf_json_skip(const char *s, size_t i);

/*
 * In a checked text, iterate the elements of the array, or the members of
 * the object, at s[at]: start with *i = 0; each call gives the next
 * value's span [*vs, *ve) (and for an object its key's, quotes included,
 * in [*ks, *ke)) and returns false after the last. Keys may be NULL.
 */
bool rf_json_next(
    const char *s,
    size_t at,
    size_t *i,
    size_t *ks,
    size_t *ke,
    size_t *vs,
    size_t *ve);

/* Whether the checked string at s[ks..ke) (quotes included) is `key`
 * with no escapes. */
bool rf_json_key_is(const char *s, size_t ks, size_t ke, const char *key);

/*
 * The escape at s[i] == '\\' of a string that ends before s[n], decoded
 * into o as UTF-8 (*olen bytes); returns how many bytes of s it took (2,
 * 6, or 12 for a surrogate pair). Lenient, for strings not checked (the
 * text columns): a \u escape that is not four hex digits, or a surrogate
 * without its pair, gives U+FFFD, any other character itself.
 */
size_t
rf_json_escape(const char *s, size_t n, size_t i, char o[4], size_t *olen);

/* The checked string at s[vs..ve) decoded into out (NUL-terminated). */
rf_status rf_json_string(rf_buf *out, const char *s, size_t vs, size_t ve);

/* The checked number at s[vs..ve) as an integer: false if it has a
 * fraction or an exponent, or does not fit. */
bool rf_json_int(const char *s, size_t vs, size_t ve, long long *v);

#endif
