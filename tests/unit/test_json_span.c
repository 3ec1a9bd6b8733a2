/*
 * test_json_span.c - the JSON checker and span readers (src/input/
 * json_span.c) against jansson, which the Google Patents reader used to
 * parse every row's metadata with and still uses for its error messages:
 * the same texts accepted and rejected, the same strings decoded, the
 * members found by key, the integers read (tests/fuzz/json_same.h, which
 * fuzz_json_span.c holds to any bytes), on 200,000 generated texts and
 * their mutations; and the reject cases one by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "../fuzz/json_same.h"
#include "input/json_span.h"

static bool jansson_accepts(const char *s, size_t n)
{
    json_error_t err;
    json_t *v = json_loadb(s, n, JSON_DECODE_ANY, &err);
    json_decref(v);
    return v != NULL;
}

static bool check(const char *s)
{
    return rf_json_check(s, strlen(s), NULL);
}

static void test_accepts_and_rejects(void **state)
{
    (void)state;
    static const char *const good[] = {
        "{}",
        " [ ] ",
        "{\"a\": [1, -0, 2.5e+3, true, false, null, \"x\"]}",
        "\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "{\"k\":{\"k\":{\"k\":[[[]]]}}}",
        "\"caf\xC3\xA9 \xE4\xBA\xBA \xF0\x9F\x98\x80\"",
        "-1.0E-2",
    };
    static const char *const bad[] = {
        "",
        "{",
        "{\"a\" 1}",
        "{\"a\": 1,}",
        "[1 2]",
        "[01]",
        "[1.]",
        "[.5]",
        "[-]",
        "[1e]",
        "[tru]",
        "[nul]",
        "{a: 1}",
        "\"\\u0000\"",          /* U+0000: jansson says no too */
        "\"\\ud800\"",          /* a lone high surrogate */
        "\"\\udc00\"",          /* a lone low one */
        "\"\\ud800\\u0041\"",   /* a high one paired with no low one */
        "\"\\x41\"",            /* no such escape */
        "\"\\u12G4\"",          /* not hex */
        "\"a\tb\"",             /* a control character */
        "\"a\x1f\"",            /* the last of them */
        "\"\xC3\"",             /* UTF-8 cut short */
        "\"\xC0\xAF\"",         /* overlong */
        "\"\xED\xA0\x80\"",     /* a surrogate as UTF-8 */
        "\"\xF4\x90\x80\x80\"", /* past U+10FFFF */
        "{} {}",
        "[1] x",
        "\"open",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
        if (!check(good[i])) {
            fail_msg("rejected: %s", good[i]);
        }
        assert_true(jansson_accepts(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        if (check(bad[i])) {
            fail_msg("accepted: %s", bad[i]);
        }
        assert_false(jansson_accepts(bad[i], strlen(bad[i])));
    }
    size_t at = 0;
    assert_false(rf_json_check("[1, 2, x]", 9, &at));
    assert_int_equal(at, 7);
}

static void test_depth(void **state)
{
    (void)state;
    size_t n = RF_JSON_MAX_DEPTH + 1;
    char *s = malloc(2 * n + 1);
    assert_non_null(s);
    for (size_t d = RF_JSON_MAX_DEPTH - 1; d <= n; d++) {
        memset(s, '[', d);
        memset(s + d, ']', d);
        bool ok = rf_json_check(s, 2 * d, NULL);
        assert_int_equal(ok, jansson_accepts(s, 2 * d));
        assert_int_equal(ok, d <= RF_JSON_MAX_DEPTH);
    }
    free(s);
}

/* ---------------- generated texts ---------------- */

typedef struct rng {
    uint64_t s;
} rng;

static unsigned pick(rng *r, unsigned n)
{
    r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((r->s >> 33) % n);
}

static void put(rf_buf *b, const char *s)
{
    assert_int_equal(rf_buf_puts(b, s), RF_OK);
}

static void gen_string(rng *r, rf_buf *b)
{
    static const char *const parts[] = {
        "a",
        "Z",
        " ",
        "\\n",
        "\\\"",
        "\\\\",
        "\\/",
        "\\u00e9",
        "\\u4eba",
        "\\ud83d\\ude00",
        "\xC3\xA9",
        "\xE4\xBA\xBA",
        "\xF0\x9F\x98\x80",
        "G06V40/16",
        "\\t",
    };
    put(b, "\"");
    unsigned n = pick(r, 6);
    for (unsigned i = 0; i < n; i++) {
        put(b, parts[pick(r, sizeof(parts) / sizeof(*parts))]);
    }
    put(b, "\"");
}

static void gen_value(rng *r, rf_buf *b, unsigned depth)
{
    static const char *const atoms[] = {
        "0", "-7", "12", "3.25", "1e5", "-0.5E-2", "true", "false", "null",
    };
    unsigned k = pick(r, depth > 4 ? 2 : 4);
    if (k == 0) {
        put(b, atoms[pick(r, sizeof(atoms) / sizeof(*atoms))]);
    } else if (k == 1) {
        gen_string(r, b);
    } else {
        bool obj = k == 2;
        put(b, obj ? "{" : "[");
        unsigned n = pick(r, 4);
        for (unsigned i = 0; i < n; i++) {
            put(b, i > 0 ? (pick(r, 2) ? "," : " , ") : "");
            if (obj) {
                gen_string(r, b);
                put(b, pick(r, 2) ? ":" : " :\n");
            }
            gen_value(r, b, depth + 1);
        }
        put(b, obj ? "}" : "]");
    }
}

/* One byte changed, dropped or added, from a set that breaks JSON often. */
static void mutate(rng *r, rf_buf *b)
{
    static const char set[] = "{}[]\",:\\u0e+-.x \x01\x80\xC3";
    if (b->len == 0) {
        return;
    }
    size_t at = pick(r, (unsigned)b->len);
    char c = set[pick(r, sizeof(set) - 1)];
    switch (pick(r, 3)) {
    case 0:
        b->data[at] = c;
        break;
    case 1:
        memmove(b->data + at, b->data + at + 1, b->len - at);
        b->len--;
        break;
    default:
        assert_int_equal(rf_buf_reserve(b, 1), RF_OK);
        memmove(b->data + at + 1, b->data + at, b->len - at + 1);
        b->data[at] = c;
        b->len++;
        break;
    }
}

static void test_generated(void **state)
{
    (void)state;
    rng r = {.s = 20261127};
    rf_buf b = {0};
    size_t valid = 0;
    size_t invalid = 0;
    for (int i = 0; i < 200000; i++) {
        rf_buf_reset(&b);
        gen_value(&r, &b, 0);
        unsigned muts = pick(&r, 3);
        for (unsigned m = 0; m < muts; m++) {
            mutate(&r, &b);
        }
        char why[300];
        if (!json_same(b.data, b.len, why, sizeof(why))) {
            fail_msg("%s: [%.*s]", why, (int)b.len, b.data);
        }
        if (rf_json_check(b.data, b.len, NULL)) {
            valid++;
        } else {
            invalid++;
        }
    }
    /* both kinds were tried, many times */
    assert_true(valid > 50000);
    assert_true(invalid > 50000);
    rf_buf_free(&b);
}

static void test_int(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
        long long v;
    } cases[] = {
        {"0", true, 0},
        {"-12", true, -12},
        {"20210917", true, 20210917},
        {"9223372036854775807", true, INT64_MAX},
        {"-9223372036854775808", true, INT64_MIN},
        {"9223372036854775808", false, 0},
        {"99999999999999999999", false, 0},
        {"1.5", false, 0},
        {"1e3", false, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        long long v = 42;
        const char *s = cases[i].s;
        assert_true(rf_json_check(s, strlen(s), NULL));
        assert_int_equal(rf_json_int(s, 0, strlen(s), &v), cases[i].ok);
        if (cases[i].ok) {
            assert_int_equal(v, cases[i].v);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_and_rejects),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_generated),
        cmocka_unit_test(test_int),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
