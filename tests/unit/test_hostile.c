/*
 * test_hostile.c - hostile inputs at the library level (the CLI side is
 * tests/cli/test_hostile*.sh): documents dense with findings, and XML
 * built to exhaust the parser, read from memory through rf_input_dispatch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_readers_util.h"

static const char rules[] = "sets:\n"
                            "  trait:\n"
                            "    terms:\n"
                            "      en: [race]\n"
                            "  subject:\n"
                            "    terms:\n"
                            "      en: [face]\n"
                            "rules:\n"
                            "  - id: attr\n"
                            "    title: trait attribute\n"
                            "    category: race\n"
                            "    severity: high\n"
                            "    regulation: EU AI Act Art. 5(1)(g)\n"
                            "    message: trait inferred from a face\n"
                            "    all: [trait, subject]\n"
                            "    within: sentence\n"
                            "    examples: {match: [face race]}\n";

typedef struct prints {
    char (*v)[33];
    size_t n;
} prints;

static int keep_print(const rf_finding *f, void *payload)
{
    prints *p = payload;
    p->v = realloc(p->v, (p->n + 1) * sizeof(*p->v));
    memcpy(p->v[p->n++], f->fingerprint, 33);
    return 0;
}

static int cmp_print(const void *a, const void *b)
{
    return strcmp(a, b);
}

static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *t = malloc(len * n + 1);
    for (size_t i = 0; i < n; i++) {
        memcpy(t + i * len, s, len);
    }
    t[len * n] = '\0';
    return t;
}

/* The same sentence many times in one document: one finding each, every
 * fingerprint distinct (the occurrence number is part of it), the same
 * fingerprints when the document is scanned again, and linear time (the
 * occurrence count was a list scanned per finding: quadratic). */
static void test_dense_document_fingerprints(void **state)
{
    (void)state;
    rf_compiler *c = NULL;
    rf_ruleset *rs = NULL;
    rf_scanner *s = NULL;
    assert_int_equal(rf_compiler_new(&c), RF_OK);
    assert_int_equal(
        rf_compiler_add_string(c, rules, sizeof(rules) - 1, "t.yaml"), RF_OK);
    assert_int_equal(rf_compiler_compile(&rs, c), RF_OK);
    assert_int_equal(rf_scanner_new(&s, rs), RF_OK);
    enum { N = 5000 };
    char *text = repeat("The face attributes include race.\n", N);
    prints a = {0}, b = {0};
    assert_int_equal(
        rf_scanner_scan_text(
            s, text, strlen(text), RF_SECTION_TEXT, keep_print, &a),
        RF_OK);
    assert_int_equal(
        rf_scanner_scan_text(
            s, text, strlen(text), RF_SECTION_TEXT, keep_print, &b),
        RF_OK);
    assert_int_equal(a.n, N);
    assert_int_equal(b.n, N);
    for (size_t i = 0; i < N; i++) {
        assert_string_equal(a.v[i], b.v[i]);
    }
    qsort(a.v, a.n, sizeof(*a.v), cmp_print);
    for (size_t i = 1; i < N; i++) {
        assert_string_not_equal(a.v[i - 1], a.v[i]);
    }
    free(a.v);
    free(b.v);
    free(text);
    rf_scanner_free(s);
    rf_ruleset_free(rs);
    rf_compiler_free(c);
}

static bool has_diag(const collector *c, const char *needle)
{
    for (size_t i = 0; i < c->ndiags; i++) {
        if (strstr(c->diags[i].message, needle) != NULL) {
            return true;
        }
    }
    return false;
}

/* XML nested 100,000 deep: the depth limit, not the stack, ends it. */
static void test_deep_xml(void **state)
{
    (void)state;
    enum { D = 100000 };
    const char *head = "<?xml version=\"1.0\"?><us-patent-grant>";
    size_t len = strlen(head) + 7 * (size_t)D + 32;
    char *x = malloc(len);
    char *p = x + sprintf(x, "%s", head);
    for (size_t i = 0; i < D; i++) {
        memcpy(p, "<a>", 3);
        p += 3;
    }
    for (size_t i = 0; i < D; i++) {
        memcpy(p, "</a>", 4);
        p += 4;
    }
    p += sprintf(p, "</us-patent-grant>");
    collector c;
    tr_init(&c);
    c.format = "uspto-xml";
    assert_int_equal(
        tr_read_mem(&c, "deep.xml", x, (size_t)(p - x), 4096), RF_OK);
    assert_true(has_diag(&c, "nest deeper than 256 levels"));
    assert_int_equal(c.errors, 1);
    tr_free(&c);
    free(x);
}

/* Billion laughs and an external entity: expat's amplification limit
 * stops the first; the second is never resolved (no text from it). */
static void test_entities(void **state)
{
    (void)state;
    char x[4096];
    char *p = x + sprintf(
                      x, "<?xml version=\"1.0\"?><!DOCTYPE us-patent-grant "
                         "[<!ENTITY l0 \"lol\">");
    for (int i = 1; i < 10; i++) {
        p += sprintf(p, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++) {
            p += sprintf(p, "&l%d;", i - 1);
        }
        p += sprintf(p, "\">");
    }
    p += sprintf(
        p, "]><us-patent-grant><abstract><p>&l9;</p></abstract>"
           "</us-patent-grant>");
    collector c;
    tr_init(&c);
    c.format = "uspto-xml";
    assert_int_equal(
        tr_read_mem(&c, "laughs.xml", x, (size_t)(p - x), 977), RF_OK);
    assert_true(has_diag(&c, "amplification"));
    tr_free(&c);

    const char *xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE us-patent-grant [<!ENTITY e SYSTEM "
        "\"file:///etc/hostname\">]><us-patent-grant><abstract><p>A[&e;]B"
        "</p></abstract></us-patent-grant>";
    tr_init(&c);
    c.format = "uspto-xml";
    assert_int_equal(tr_read_mem(&c, "xxe.xml", xxe, strlen(xxe), 64), RF_OK);
    for (size_t d = 0; d < c.ndocs; d++) {
        const rf_section *s = tr_section(c.docs[d], RF_SECTION_ABSTRACT, NULL);
        if (s != NULL) {
            /* nothing between the brackets but what the document holds */
            const char *a = memchr(s->text.data, '[', s->text.len);
            assert_non_null(a);
            assert_true(a[1] == ']' || strncmp(a + 1, "&e;", 3) == 0);
        }
    }
    tr_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_document_fingerprints),
        cmocka_unit_test(test_deep_xml),
        cmocka_unit_test(test_entities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
