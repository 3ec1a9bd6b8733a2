/*
 * test_engine.c - the rule compiler, term expansion, matcher and evaluator,
 * through the public API: compile a small rule set, scan a text, look at
 * the findings.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "redflag.h"

static const char *const base_rules =
    "sets:\n"
    "  trait:\n"
    "    terms:\n"
    "      en: [race, ethnicity, skin colour]\n"
    "      zh-Hans: [种族, 民族]\n"
    "      ru: [раса, цвет кожи]\n"
    "  group:\n"
    "    terms:\n"
    "      en: [Uyghur]\n"
    "      zh-Hans: [维吾尔族, 维吾尔]\n"
    "  subject:\n"
    "    terms:\n"
    "      en: [face, pedestrian]\n"
    "      zh-Hans: [人脸, 行人]\n"
    "      ru: [лицо]\n"
    "  action:\n"
    "    terms:\n"
    "      en: [alarm, alert]\n"
    "      zh-Hans: [预警]\n"
    "  game:\n"
    "    terms:\n"
    "      en: [elf, orc]\n"
    "  masks:\n"
    "    mask: true\n"
    "    terms:\n"
    "      zh-Hans: [新疆维吾尔自治区]\n"
    "      en: [race condition, elf test]\n"
    "rules:\n"
    "  - id: attr\n"
    "    title: trait attribute\n"
    "    category: ethnicity\n"
    "    severity: medium\n"
    "    regulation: EU AI Act Art. 5(1)(g)\n"
    "    message: trait inferred from a face\n"
    "    all: [trait, subject]\n"
    "    none: [game]\n"
    "    severity_by_section: {claims: high, background: low}\n"
    "    examples: {match: [face race]}\n"
    "  - id: group-alert\n"
    "    title: alert on a group\n"
    "    category: ethnicity\n"
    "    severity: critical\n"
    "    regulation: EU AI Act Art. 5(1)(g)\n"
    "    message: alert keyed on a named group\n"
    "    all: [group, subject, action]\n"
    "    examples: {match: [face Uyghur alarm]}\n"
    "  - id: near\n"
    "    title: near window\n"
    "    category: near-test\n"
    "    severity: low\n"
    "    regulation: none\n"
    "    message: near\n"
    "    all: [action, game]\n"
    "    within: 10\n"
    "    examples: {match: [alarm elf]}\n";

typedef struct collected {
    size_t n;
    char rules[16][32];
    rf_severity sev[16];
    char terms[16][128];
    char snippet[16][512];
    char fp[16][33];
    char lang[16][16];
    uint64_t start[16];
    uint64_t line[16];
} collected;

static int collect(const rf_finding *f, void *payload)
{
    collected *c = payload;
    if (c->n < 16) {
        snprintf(c->rules[c->n], sizeof(c->rules[0]), "%s", f->rule_id);
        c->sev[c->n] = f->severity;
        c->terms[c->n][0] = '\0';
        for (size_t i = 0; i < f->term_count; i++) {
            strncat(
                c->terms[c->n], f->terms[i],
                sizeof(c->terms[0]) - strlen(c->terms[c->n]) - 2);
            strcat(c->terms[c->n], "|");
        }
        snprintf(c->snippet[c->n], sizeof(c->snippet[0]), "%s", f->snippet);
        snprintf(c->fp[c->n], sizeof(c->fp[0]), "%s", f->fingerprint);
        snprintf(c->lang[c->n], sizeof(c->lang[0]), "%s", f->lang);
        c->start[c->n] = f->start;
        c->line[c->n] = f->line;
    }
    c->n++;
    return 0;
}

typedef struct fixture {
    rf_ruleset *rs;
    rf_scanner *sc;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    rf_compiler *c = NULL;
    assert_int_equal(rf_compiler_new(&c), RF_OK);
    assert_int_equal(
        rf_compiler_add_string(c, base_rules, strlen(base_rules), "base.yaml"),
        RF_OK);
    assert_int_equal(rf_compiler_compile(&fx->rs, c), RF_OK);
    rf_compiler_free(c);
    assert_int_equal(rf_scanner_new(&fx->sc, fx->rs), RF_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rf_scanner_free(fx->sc);
    rf_ruleset_free(fx->rs);
    free(fx);
    return 0;
}

static collected scan(fixture *fx, const char *text, rf_section_kind kind)
{
    collected c;
    memset(&c, 0, sizeof(c));
    assert_int_equal(
        rf_scanner_scan_text(fx->sc, text, strlen(text), kind, collect, &c),
        RF_OK);
    return c;
}

static void test_basic_match(void **state)
{
    collected c = scan(
        *state, "The face attribute output includes race.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rules[0], "attr");
    assert_int_equal(c.sev[0], RF_SEV_MEDIUM);
    assert_string_equal(c.terms[0], "face|race|");
    assert_string_equal(c.lang[0], "en");
    /* the passage starts at "face" (byte 4) */
    assert_int_equal(c.start[0], 4);
}

static void test_word_boundaries(void **state)
{
    /* "trace", "embrace", "racing" and "faces" are not the words */
    collected c = scan(
        *state, "A trace of the embraced face while racing.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
}

static void test_code_identifiers(void **state)
{
    const char *const idents[] = {
        "struct FACE_INFO { EM_RACE_TYPE type; }",
        "face.emRace = 1",
        "int raceType = face_id",
        "face_race",
        "getFaceRace()",
    };
    for (size_t i = 0; i < sizeof(idents) / sizeof(idents[0]); i++) {
        collected c = scan(*state, idents[i], RF_SECTION_CODE);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.rules[0], "attr");
    }
}

static void test_mask_place_name(void **state)
{
    collected c = scan(
        *state, "新疆维吾尔自治区的行人检测系统，发现目标时预警。",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
    /* a real mention next to the place name still counts */
    c = scan(
        *state, "新疆维吾尔自治区部署的行人系统识别维吾尔族后预警。",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rules[0], "group-alert");
    assert_int_equal(c.sev[0], RF_SEV_CRITICAL);
    assert_string_equal(c.lang[0], "zh-Hans");
}

static void test_mask_race_condition(void **state)
{
    collected c =
        scan(*state, "A race condition in the face tracker.", RF_SECTION_CODE);
    assert_int_equal(c.n, 0);
}

static void test_traditional_and_fullwidth(void **state)
{
    collected c =
        scan(*state, "行人屬性包括性別、年齡、種族。", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.lang[0], "zh-Hant");
    c = scan(*state, "ＦＡＣＥ attribute: ｒａｃｅ", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
}

static void test_case_forms_non_ascii(void **state)
{
    collected c = scan(*state, "ЛИЦО и РАСА определяются.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.lang[0], "ru");
}

static void test_romanisation_and_separators(void **state)
{
    collected c = scan(
        *state,
        "The face system raises an alarm for Uighur "
        "persons.",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rules[0], "group-alert");
    c = scan(*state, "face: skin-colour", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    c = scan(*state, "face: skinColour", RF_SECTION_CODE);
    assert_int_equal(c.n, 1);
    c = scan(*state, "face: skin\ncolour", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
}

static void test_sentence_scope(void **state)
{
    /* trait and subject in different sentences: no finding */
    collected c = scan(
        *state,
        "Race is a social construct. The face is "
        "detected.",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
    /* 。 ends a Chinese sentence */
    c = scan(*state, "民族团结很重要。人脸检测系统。", RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
}

/* Every sentence end, walked over from either side of the anchor: the
 * scope walk looks at bytes, and decodes only the lead bytes of the
 * multi-byte ends, so each end is tried before and after the trait. */
static void test_sentence_ends_both_ways(void **state)
{
    static const char *const ends[] = {
        "\xe3\x80\x82",                           /* 。 */
        "\xef\xbc\x81",                           /* ！ */
        "\xef\xbc\x9f",                           /* ？ */
        "\xef\xbc\x9b",                           /* ； */
        "\xd8\x9f",                               /* Arabic question mark */
        "\xdb\x94",                               /* Arabic full stop */
        "! ",           "? ", ". ", "; ", "\n\n", /* a blank line */
    };
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        char text[256];
        /* subject before the end, trait after: two sentences */
        snprintf(text, sizeof(text), "人脸检测%s民族团结", ends[i]);
        collected c = scan(*state, text, RF_SECTION_TEXT);
        assert_int_equal(c.n, 0);
        /* trait before the end, subject after */
        snprintf(text, sizeof(text), "民族团结%s人脸检测", ends[i]);
        c = scan(*state, text, RF_SECTION_TEXT);
        assert_int_equal(c.n, 0);
        /* the same words with a comma (U+FF0C, lead byte EF, no end):
         * one sentence, one finding */
        snprintf(text, sizeof(text), "人脸检测\xef\xbc\x8c民族%s团结", ends[i]);
        c = scan(*state, text, RF_SECTION_TEXT);
        assert_int_equal(c.n, 1);
        assert_string_equal(c.rules[0], "attr");
    }
    /* a lone line break is no sentence end */
    collected c = scan(*state, "face detection\nof the race", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
}

static void test_none_set(void **state)
{
    collected c = scan(
        *state, "Choose your race: elf or orc, and a face.", RF_SECTION_TEXT);
    for (size_t i = 0; i < c.n; i++) {
        assert_string_not_equal(c.rules[i], "attr");
    }
}

static void test_near_window(void **state)
{
    collected c = scan(*state, "alarm elf", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    c = scan(
        *state, "alarm. Then a long long long long long text. elf",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
}

static void test_severity_by_section(void **state)
{
    collected c = scan(*state, "face race", RF_SECTION_CLAIMS);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.sev[0], RF_SEV_HIGH);
    c = scan(*state, "face race", RF_SECTION_BACKGROUND);
    assert_int_equal(c.sev[0], RF_SEV_LOW);
}

static void test_most_severe_wins(void **state)
{
    /* both rules fire on one passage of one category: one finding */
    collected c = scan(
        *state, "The face system raises an alert on Uyghur ethnicity.",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rules[0], "group-alert");
}

static void test_fingerprint_stable(void **state)
{
    collected a = scan(
        *state, "The face attribute output includes race.", RF_SECTION_TEXT);
    collected b = scan(
        *state,
        "Unrelated text first.\n\nThe face  attribute "
        "output\nincludes race.",
        RF_SECTION_TEXT);
    assert_int_equal(a.n, 1);
    assert_int_equal(b.n, 1);
    assert_string_equal(a.fp[0], b.fp[0]);
    assert_int_equal(strlen(a.fp[0]), 32);
    assert_int_equal(b.line[0], 3);
    /* two identical passages in one document get different fingerprints */
    collected d = scan(*state, "face race.\n\nface race.", RF_SECTION_TEXT);
    assert_int_equal(d.n, 2);
    assert_string_not_equal(d.fp[0], d.fp[1]);
}

static void test_invalid_utf8(void **state)
{
    const char text[] = "face \xff\xfe race \xc0\xaf.";
    collected c = scan(*state, text, RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    /* the snippet is valid UTF-8 with U+FFFD for the bad bytes */
    assert_non_null(strstr(c.snippet[0], "\xEF\xBF\xBD"));
}

static void test_acronym_hump(void **state)
{
    collected c = scan(
        *state, "struct FaceInfo { IRaceEstimator est; };", RF_SECTION_CODE);
    assert_int_equal(c.n, 1);
    c = scan(*state, "face TRACE", RF_SECTION_CODE);
    assert_int_equal(c.n, 0);
}

static void test_sentence_abbreviations(void **state)
{
    /* "e.g." and "Fig." do not end the sentence */
    collected c =
        scan(*state, "The face, e.g. its race, is estimated.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    c = scan(*state, "As in Fig. 3 the face shows the race.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    /* but a period before a capitalised word does */
    c = scan(
        *state, "The face is found. Race is a construct.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
}

static void test_claim_semicolons(void **state)
{
    /* claim elements joined by semicolons are one sentence ... */
    collected c = scan(
        *state,
        "1. A method: capturing a face; estimating "
        "the race.",
        RF_SECTION_CLAIMS);
    assert_int_equal(c.n, 1);
    /* ... elsewhere a semicolon ends it */
    c = scan(*state, "Capturing a face; estimating the race.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
}

static void test_sentence_case_form(void **state)
{
    /* a multi-word term at the start of a sentence */
    collected c =
        scan(*state, "Цвет кожи определяется по лицо.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
}

static void test_hidden_hit_vetoes_nothing(void **state)
{
    /* the game veto "elf" stops the rule ... */
    collected c =
        scan(*state, "The face shows the race of the elf.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
    /* ... but not when a mask ("elf test") hides it */
    c = scan(
        *state, "The face shows the race in the elf test.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
}

/* A fixture for rules of its own, freed with teardown. */
static fixture *compile_fixture(const char *yaml)
{
    fixture *fx = calloc(1, sizeof(*fx));
    rf_compiler *c = NULL;
    assert_non_null(fx);
    assert_int_equal(rf_compiler_new(&c), RF_OK);
    assert_int_equal(
        rf_compiler_add_string(c, yaml, strlen(yaml), "own.yaml"), RF_OK);
    assert_int_equal(rf_compiler_compile(&fx->rs, c), RF_OK);
    rf_compiler_free(c);
    assert_int_equal(rf_scanner_new(&fx->sc, fx->rs), RF_OK);
    return fx;
}

/* "near": "alarm" and "elf" within 10 characters, and a mask that hides
 * "elf" in a phrase 80 bytes long (test_long_mask_past_window); the
 * character-window test's texts never hold the phrase. */
static const char *const near_rules =
    "sets:\n"
    "  action: {terms: {en: [alarm]}}\n"
    "  game: {terms: {en: [elf]}}\n"
    "  masks:\n"
    "    mask: true\n"
    "    terms:\n"
    "      en: [elf test of the long and winding trail through the "
    "old and quiet forest]\n"
    "rules:\n"
    "  - id: near\n"
    "    title: near\n"
    "    category: near-test\n"
    "    severity: low\n"
    "    regulation: none\n"
    "    message: near\n"
    "    all: [action, game]\n"
    "    within: 10\n"
    "    examples: {match: [alarm elf]}\n";

static void test_long_mask_past_window(void **state)
{
    (void)state;
    /* "near" looks 10 characters either side of "alarm". The mask that
     * hides "elf" there runs 80 bytes past that window: the second pass
     * must read far enough around the window to find it whole. */
    fixture *fx = compile_fixture(near_rules);
    collected c = scan(fx, "An alarm elf ran past.", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    c = scan(
        fx,
        "An alarm elf test of the long and winding trail through the old "
        "and quiet forest.",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
    /* separator runs as long as a term's allow (16), where the term has
     * single spaces: the mask is 13 x 15 bytes longer than its form */
    c = scan(
        fx,
        "An alarm elf\n               test\n               of\n"
        "               the\n               long\n               and\n"
        "               winding\n               trail\n"
        "               through\n               the\n"
        "               old\n               and\n               quiet\n"
        "               forest.",
        RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
    teardown((void **)&fx);
}

/* A window of N characters reaches exactly N characters either side of
 * its hit: an ASCII character counts 1, a CJK or kana one 2, whatever its
 * bytes (eval.c walks ASCII without decoding it). */
static void test_char_window_edges(void **state)
{
    (void)state;
    fixture *fx = compile_fixture(near_rules);
    static const char *const pads[] = {
        " ", "\xE4\xB8\xAD", "\xE3\x81\x82", "\xC3\xA9"};
    static const size_t weights[] = {1, 2, 2, 1};
    for (size_t p = 0; p < sizeof(pads) / sizeof(*pads); p++) {
        for (size_t k = 0; k <= 9; k++) {
            /* "elf" after "alarm", then before it: fires while the two
             * separating spaces, the pad and "elf" fit in 10 */
            char pad[64] = "";
            for (size_t i = 0; i < k; i++) {
                strcat(pad, pads[p]);
            }
            bool fits = 2 + weights[p] * k + 3 <= 10;
            char text[128];
            snprintf(text, sizeof(text), "alarm %s elf", pad);
            collected c = scan(fx, text, RF_SECTION_TEXT);
            if (c.n != (fits ? 1u : 0u)) {
                fail_msg("after, pad %zu x %zu: %zu findings", p, k, c.n);
            }
            snprintf(text, sizeof(text), "elf %s alarm", pad);
            c = scan(fx, text, RF_SECTION_TEXT);
            if (c.n != (fits ? 1u : 0u)) {
                fail_msg("before, pad %zu x %zu: %zu findings", p, k, c.n);
            }
        }
    }
    teardown((void **)&fx);
}

/* Every finding as "rule start-end\n", in order; one rule left out. */
typedef struct listed {
    char *text;
    size_t len;
    const char *skip;
} listed;

static int list_finding(const rf_finding *f, void *payload)
{
    listed *l = payload;
    if (strcmp(f->rule_id, l->skip) == 0) {
        return 0;
    }
    char line[128];
    int n = snprintf(
        line, sizeof(line), "%s %llu-%llu\n", f->rule_id,
        (unsigned long long)f->start, (unsigned long long)f->end);
    char *t = realloc(l->text, l->len + (size_t)n + 1);
    assert_non_null(t);
    memcpy(t + l->len, line, (size_t)n + 1);
    l->text = t;
    l->len += (size_t)n;
    return 0;
}

/* Append "word N, " n times. */
static size_t put_words(char *row, size_t len, const char *word, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        len += (size_t)sprintf(row + len, "%s %u, ", word, i);
    }
    return len;
}

static void test_dense_row_regions(void **state)
{
    /* A 200 KB row with no sentence end and stretches with an anchor
     * every 10 bytes: walking out to every anchor's sentence would read 8
     * KiB each, so after a while the scanner gives the anchors it meets
     * inside a region their rules' whole reach instead. The findings must
     * be those of a scan whose second pass reads everything: the same
     * rules plus one scoped to the whole document on the same anchor set.
     * The words the last anchor of a stretch needs ("face", and the veto
     * "elf") are kilobytes away from it, with no anchor between. */
    fixture *fx = *state;
    char *row = malloc(256 << 10);
    assert_non_null(row);
    size_t len = 0;
    len = put_words(row, len, "race", 6000);
    len = put_words(row, len, "word", 300);
    len = put_words(row, len, "face", 1);
    len = put_words(row, len, "word", 500);
    len = put_words(row, len, "race", 3000);
    len = put_words(row, len, "face", 1);
    len = put_words(row, len, "word", 200);
    len = put_words(row, len, "elf", 1);
    len = put_words(row, len, "word", 500);
    len = put_words(row, len, "race", 3000);
    size_t n = strlen(base_rules);
    static const char *const whole = "  - id: whole\n"
                                     "    title: whole document\n"
                                     "    category: whole-test\n"
                                     "    severity: info\n"
                                     "    regulation: none\n"
                                     "    message: whole\n"
                                     "    all: [trait, subject]\n"
                                     "    within: document\n"
                                     "    examples: {match: [face race]}\n";
    char *yaml = malloc(n + strlen(whole) + 1);
    assert_non_null(yaml);
    memcpy(yaml, base_rules, n);
    strcpy(yaml + n, whole);
    fixture *all = compile_fixture(yaml);
    listed a = {NULL, 0, "whole"};
    listed b = {NULL, 0, "whole"};
    assert_int_equal(
        rf_scanner_scan_text(
            fx->sc, row, len, RF_SECTION_TEXT, list_finding, &a),
        RF_OK);
    assert_int_equal(
        rf_scanner_scan_text(
            all->sc, row, len, RF_SECTION_TEXT, list_finding, &b),
        RF_OK);
    assert_non_null(a.text);
    assert_non_null(strstr(a.text, "attr "));
    assert_string_equal(a.text, b.text);
    free(a.text);
    free(b.text);
    free(yaml);
    free(row);
    teardown((void **)&all);
}

/* Rules whose anchor set has a form of two words holding a word that is
 * an anchor on its own: the first pass looks for that word only, and the
 * region it makes must hold the windows of the whole form's hit. */
static const char *const word_anchor_rules =
    "sets:\n"
    "  phrase: {terms: {en: [ethnic Uyghur]}}\n"
    "  group: {terms: {en: [Uyghur]}}\n"
    "  subject: {terms: {en: [face]}}\n"
    "  action: {terms: {en: [alarm]}}\n"
    "rules:\n"
    "  - id: by-line\n"
    "    title: by line\n"
    "    category: line-test\n"
    "    severity: high\n"
    "    regulation: none\n"
    "    message: line\n"
    "    all: [phrase, subject]\n"
    "    within: line\n"
    "    examples: {match: [face ethnic Uyghur]}\n"
    "  - id: by-paragraph\n"
    "    title: by paragraph\n"
    "    category: paragraph-test\n"
    "    severity: high\n"
    "    regulation: none\n"
    "    message: paragraph\n"
    "    all: [phrase, action]\n"
    "    within: paragraph\n"
    "    examples: {match: [alarm ethnic Uyghur]}\n"
    "  - id: group\n"
    "    title: group\n"
    "    category: group-test\n"
    "    severity: low\n"
    "    regulation: none\n"
    "    message: group\n"
    "    all: [group, action]\n"
    "    within: 20\n"
    "    examples: {match: [Uyghur alarm]}\n";

static int cat_term(const char *term, const char *set, void *payload)
{
    (void)set;
    char *got = payload;
    size_t n = strlen(got);
    snprintf(got + n, 512 - n, "%s|", term);
    return 0;
}

static void test_word_anchor_regions(void **state)
{
    (void)state;
    fixture *fx = compile_fixture(word_anchor_rules);
    char text[2048];
    char filler[401];
    memset(filler, 'x', 400);
    for (size_t i = 9; i < 400; i += 10) {
        filler[i] = ' ';
    }
    filler[400] = '\0';
    /* the form's hit starts on the line before its anchor word: the line
     * it starts on holds "face", 400 bytes before the word */
    snprintf(text, sizeof(text), "a face %s ethnic\nUyghur here", filler);
    collected c = scan(fx, text, RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rules[0], "by-line");
    /* ... and in the paragraph before */
    snprintf(text, sizeof(text), "an alarm %s ethnic\n\nUyghur here", filler);
    c = scan(fx, text, RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.rules[0], "by-paragraph");
    /* words joined with no separator, and a form cut by the word's own
     * boundary check ("Uyghurs" is not the form "ethnic Uyghur") */
    snprintf(text, sizeof(text), "a face %s ethnicuyghur here", filler);
    c = scan(fx, text, RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    snprintf(text, sizeof(text), "a face %s ethnic Uyghurs here", filler);
    c = scan(fx, text, RF_SECTION_TEXT);
    assert_int_equal(c.n, 0);
    /* what the first pass looks for: the word's forms, not the phrase's
     * ("Uyghur", "uighur", "ＵＹＧＨＵＲ", ...) */
    char got[512] = "";
    assert_int_equal(rf_ruleset_anchor_terms(fx->rs, cat_term, got), RF_OK);
    assert_non_null(strstr(got, "Uyghur|"));
    assert_non_null(strstr(got, "ＵＹＧＨＵＲ|"));
    assert_null(strstr(got, "ethnic"));
    assert_null(strstr(got, "ｅｔｈｎｉｃ"));
    teardown((void **)&fx);
}

static void test_snippet_one_line(void **state)
{
    collected c = scan(*state, "face\n\trace", RF_SECTION_TEXT);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.snippet[0], "face race");
}

/* ---- compiler errors name the file and the line ---- */

static const char *first_error(const char *yaml)
{
    static char msg[1024];
    rf_compiler *c = NULL;
    rf_ruleset *rs = NULL;
    assert_int_equal(rf_compiler_new(&c), RF_OK);
    rf_status st = rf_compiler_add_string(c, yaml, strlen(yaml), "bad.yaml");
    if (st == RF_OK || st == RF_EPARSE) {
        st = rf_compiler_compile(&rs, c);
    }
    assert_int_not_equal(st, RF_OK);
    assert_null(rs);
    snprintf(msg, sizeof(msg), "%s", rf_compiler_errmsg(c));
    rf_compiler_free(c);
    return msg;
}

static void test_compile_errors(void **state)
{
    (void)state;
    const char *m = first_error("sets:\n  a:\n    terms: {en: [x]}\n"
                                "rules:\n  - id: r1\n    title: t\n"
                                "    category: race\n    severity: high\n"
                                "    regulation: x\n    message: m\n"
                                "    all: [nope]\n"
                                "    examples: {match: [x]}\n");
    assert_non_null(strstr(m, "bad.yaml:5"));
    assert_non_null(strstr(m, "unknown set 'nope'"));
    m = first_error("sets:\n  a:\n    terms: {en: [x]}\n"
                    "rules:\n  - id: r1\n    title: t\n"
                    "    category: race\n    severity: huge\n"
                    "    regulation: x\n    message: m\n    all: [a]\n"
                    "    examples: {match: [x]}\n");
    assert_non_null(strstr(m, "severity"));
    m = first_error("sets:\n  a:\n    terms: {en: [x]}\n"
                    "rules:\n  - id: r1\n    title: t\n"
                    "    category: race\n    severity: high\n"
                    "    regulation: x\n    message: m\n    all: [a]\n"
                    "    nones: [a]\n    examples: {match: [x]}\n");
    assert_non_null(strstr(m, "bad.yaml:12"));
    assert_non_null(strstr(m, "unknown key 'nones'"));
    m = first_error("sets:\n  a:\n    terms: {en: ['ra*ce']}\n"
                    "rules:\n  - id: r1\n    title: t\n"
                    "    category: race\n    severity: high\n"
                    "    regulation: x\n    message: m\n    all: [a]\n"
                    "    examples: {match: [x]}\n");
    assert_non_null(strstr(m, "bad.yaml:3"));
    assert_non_null(strstr(m, "'*' inside"));
    m = first_error("rules: [\n");
    assert_non_null(strstr(m, "bad.yaml:"));
    m = first_error("sets:\n  a:\n    terms: {en: ['re:(unclosed']}\n"
                    "rules:\n  - id: r1\n    title: t\n"
                    "    category: race\n    severity: high\n"
                    "    regulation: x\n    message: m\n    all: [a]\n"
                    "    examples: {match: [x]}\n");
    assert_non_null(strstr(m, "bad.yaml:3"));
}

static int count_term(const char *term, const char *set, void *payload)
{
    (void)set;
    const char *want = ((const char **)payload)[0];
    if (strcmp(term, want) == 0) {
        ((const char **)payload)[1] = "found";
    }
    return 0;
}

static void test_expanded_terms(void **state)
{
    fixture *fx = *state;
    const char *const wanted[] = {
        "維吾爾族", "uighur", "weiwuer", "ｒａｃｅ", "skin colour"};
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        const char *probe[2] = {wanted[i], NULL};
        assert_int_equal(
            rf_ruleset_terms(fx->rs, true, count_term, probe), RF_OK);
        assert_non_null(probe[1]);
    }
}

/* Compile base_rules with the on-disk cache in dir; the Traditional text
 * must still be found, so the forms (from OpenCC or from the cache) are
 * there. */
static void compile_cached_and_scan(const char *dir)
{
    rf_compiler *c = NULL;
    rf_ruleset *rs = NULL;
    rf_scanner *sc = NULL;
    assert_int_equal(rf_compiler_new(&c), RF_OK);
    assert_int_equal(rf_compiler_set_cache(c, dir), RF_OK);
    assert_int_equal(
        rf_compiler_add_string(c, base_rules, strlen(base_rules), "base.yaml"),
        RF_OK);
    assert_int_equal(rf_compiler_compile(&rs, c), RF_OK);
    rf_compiler_free(c);
    assert_int_equal(rf_scanner_new(&sc, rs), RF_OK);
    fixture fx = {rs, sc};
    /* 人臉 and 種族 are the Traditional forms of 人脸 and 种族 */
    collected got = scan(&fx, "人臉識別輸出種族。", RF_SECTION_TEXT);
    assert_int_equal(got.n, 1);
    assert_string_equal(got.rules[0], "attr");
    rf_scanner_free(sc);
    rf_ruleset_free(rs);
}

/* The one forms-*.bin file in dir, or "" */
static void forms_file(const char *dir, char *out, size_t cap)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "forms-", 6) == 0) {
            assert_string_equal(out, ""); /* only one */
            snprintf(out, cap, "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
}

static void test_forms_cache(void **state)
{
    (void)state;
    char dir[] = "/tmp/rf-forms-XXXXXX";
    assert_non_null(mkdtemp(dir));
    compile_cached_and_scan(dir); /* expands, writes the cache */
    char path[512];
    forms_file(dir, path, sizeof(path));
    assert_string_not_equal(path, "");
    FILE *fp = fopen(path, "rb");
    char head[8] = {0};
    assert_non_null(fp);
    assert_int_equal(fread(head, 1, sizeof(head), fp), sizeof(head));
    fclose(fp);
    assert_memory_equal(head, "RFFORMS1", 8);
    compile_cached_and_scan(dir); /* reads the forms back */
    /* a damaged file (cut short, or garbage) is ignored and rewritten */
    assert_int_equal(truncate(path, 20), 0);
    compile_cached_and_scan(dir);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("RFFORMS1 not forms at all", fp);
    fclose(fp);
    compile_cached_and_scan(dir);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 1000);
    char again[512];
    forms_file(dir, again, sizeof(again));
    assert_string_equal(again, path);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_match),
        cmocka_unit_test(test_word_boundaries),
        cmocka_unit_test(test_code_identifiers),
        cmocka_unit_test(test_mask_place_name),
        cmocka_unit_test(test_mask_race_condition),
        cmocka_unit_test(test_traditional_and_fullwidth),
        cmocka_unit_test(test_case_forms_non_ascii),
        cmocka_unit_test(test_romanisation_and_separators),
        cmocka_unit_test(test_sentence_scope),
        cmocka_unit_test(test_sentence_ends_both_ways),
        cmocka_unit_test(test_none_set),
        cmocka_unit_test(test_near_window),
        cmocka_unit_test(test_severity_by_section),
        cmocka_unit_test(test_most_severe_wins),
        cmocka_unit_test(test_fingerprint_stable),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_acronym_hump),
        cmocka_unit_test(test_sentence_abbreviations),
        cmocka_unit_test(test_claim_semicolons),
        cmocka_unit_test(test_sentence_case_form),
        cmocka_unit_test(test_hidden_hit_vetoes_nothing),
        cmocka_unit_test(test_long_mask_past_window),
        cmocka_unit_test(test_char_window_edges),
        cmocka_unit_test(test_dense_row_regions),
        cmocka_unit_test(test_word_anchor_regions),
        cmocka_unit_test(test_snippet_one_line),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_expanded_terms),
        cmocka_unit_test(test_forms_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
