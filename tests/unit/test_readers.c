/*
 * test_readers.c - the patent readers on the project's own examples
 * (examples/patents): metadata, sections, claim and paragraph numbers,
 * languages, and exact byte offsets (the offset where a word occurs in the
 * file must be the offset its text maps back to).
 */
#include "input/patent.h"
#include "test_readers_util.h"

/* Assert that `needle` in section s maps back to the n-th occurrence of
 * `raw` (its bytes as stored in the file) at base + offset, on its line. */
static void check_origin(
    const rf_section *s,
    const char *needle,
    const char *file,
    size_t flen,
    const char *raw,
    size_t nth,
    uint64_t base)
{
    size_t t = tr_text_off(s, needle);
    uint64_t line = 0;
    uint64_t src = rf_section_src_offset(s, t, &line);
    uint64_t want = tr_file_off(file, flen, raw, nth);
    assert_int_equal(src, base + want);
    if (line != 0) {
        assert_int_equal(line, tr_line_at(file, want));
    }
}

static void test_uspto_grant(void **state)
{
    (void)state;
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, EXAMPLES "/us-grant.xml"), RF_OK);
    assert_int_equal(c.ndocs, 1);
    assert_int_equal(c.ndiags, 0);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->id, "US-19000001-B2");
    assert_string_equal(d->format, "uspto-xml");
    assert_string_equal(d->kind, "B2");
    assert_string_equal(d->lang, "en");
    assert_string_equal(
        d->title, "Pedestrian attribute recognition system for video "
                  "surveillance");
    assert_string_equal(d->date_published, "2022-01-04");
    assert_string_equal(d->date_filed, "2020-06-11");
    assert_string_equal(d->date_priority, "2019-06-12");
    /* the assignee once, the attorney not at all */
    assert_int_equal(d->applicants.n, 1);
    assert_string_equal(
        d->applicants.v[0], "Example Vision Technology Co., Ltd.");
    assert_int_equal(d->inventors.n, 1);
    assert_string_equal(d->inventors.v[0], "Jane Doe");
    assert_true(tr_list_has(&d->classes, "G06V40/10"));
    assert_true(tr_list_has(&d->classes, "G06V40/103"));

    const rf_section *claims = tr_section(d, RF_SECTION_CLAIMS, "en");
    assert_non_null(claims);
    assert_int_equal(claims->unit_count, 3);
    assert_string_equal(claims->units[0].label, "claim 1");
    assert_string_equal(claims->units[2].label, "claim 3");
    size_t at = tr_text_off(claims, "race (Han, Uyghur)");
    assert_string_equal(tr_unit(claims, at), "claim 2");
    size_t len;
    char *file = tr_slurp(EXAMPLES "/us-grant.xml", &len);
    check_origin(claims, "Uyghur", file, len, "Uyghur", 0, 0);
    check_origin(claims, "clothing color", file, len, "clothing color", 1, 0);
    /* claim elements are separated, claims by a blank line */
    assert_non_null(strstr(claims->text.data, "frames;\na detector"));
    assert_non_null(strstr(claims->text.data, "pedestrian.\n\n2. The system"));

    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "en");
    assert_non_null(bg);
    tr_text_off(bg, "Video surveillance networks record");
    assert_null(strstr(bg->text.data, "neural network"));
    const rf_section *desc = tr_section(d, RF_SECTION_DESCRIPTION, "en");
    size_t n = tr_text_off(desc, "neural network");
    assert_string_equal(tr_unit(desc, n), "[0002]");
    /* an entity the unread DTD declares, and a character reference */
    tr_text_off(desc, "\xE2\x80\x98search\xE2\x80\x99");
    tr_text_off(desc, "pedestrian\xE2\x80\x99s attributes");
    check_origin(desc, "time stamp", file, len, "time stamp", 0, 0);
    const rf_section *ab = tr_section(d, RF_SECTION_ABSTRACT, "en");
    check_origin(ab, "clothing color", file, len, "clothing color", 0, 0);
    free(file);
    tr_free(&c);
}

static void test_uspto_application(void **state)
{
    (void)state;
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, EXAMPLES "/us-application.xml"), RF_OK);
    assert_int_equal(c.ndocs, 1);
    const rf_doc *d = c.docs[0];
    /* the padding zero of the 11-digit number goes, as in DOCDB */
    assert_string_equal(d->id, "US-2021999001-A1");
    assert_string_equal(d->kind, "A1");
    assert_string_equal(d->title, "Face snapshot indexing method");
    assert_null(d->date_priority);
    const rf_section *desc = tr_section(d, RF_SECTION_DESCRIPTION, "en");
    size_t at = tr_text_off(desc, "ethnicity of each face");
    assert_string_equal(tr_unit(desc, at), "[0003]");
    size_t len;
    char *file = tr_slurp(EXAMPLES "/us-application.xml", &len);
    check_origin(desc, "Uyghur or Han", file, len, "Uyghur or Han", 0, 0);
    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "en");
    tr_text_off(bg, "building entrances");
    free(file);
    tr_free(&c);
}

static void test_epo_languages(void **state)
{
    (void)state;
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, EXAMPLES "/ep-grant.xml"), RF_OK);
    assert_int_equal(c.ndocs, 1);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->id, "EP-9990001-B1");
    assert_string_equal(d->format, "epo-xml");
    assert_string_equal(d->title, "FACE ATTRIBUTE RECOGNITION SYSTEM");
    assert_string_equal(d->date_published, "2022-03-16");
    assert_string_equal(d->date_filed, "2020-08-03");
    assert_string_equal(d->date_priority, "2019-08-05");
    assert_string_equal(d->applicants.v[0], "Example Sensing GmbH");
    assert_string_equal(d->inventors.v[0], "MUSTERMANN, Erika");
    assert_true(tr_list_has(&d->classes, "G06V40/16"));
    assert_true(tr_list_has(&d->classes, "G06V20/52"));
    assert_non_null(tr_section(d, RF_SECTION_TITLE, "de"));
    assert_non_null(tr_section(d, RF_SECTION_TITLE, "fr"));
    size_t len;
    char *file = tr_slurp(EXAMPLES "/ep-grant.xml", &len);
    const char *langs[] = {"en", "de", "fr"};
    const char *words[] = {
        "ethnic origin", "ethnischer Herkunft", "origine ethnique"};
    for (int i = 0; i < 3; i++) {
        const rf_section *cl = tr_section(d, RF_SECTION_CLAIMS, langs[i]);
        assert_non_null(cl);
        assert_int_equal(cl->unit_count, 2);
        size_t at = tr_text_off(cl, words[i]);
        assert_string_equal(tr_unit(cl, at), "claim 2");
        check_origin(cl, words[i], file, len, words[i], 0, 0);
    }
    /* "Field of the invention" is neither; "Background" opens, "Summary"
     * closes the background part */
    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "en");
    tr_text_off(bg, "adapt advertising");
    assert_null(strstr(bg->text.data, "camera systems"));
    assert_null(strstr(bg->text.data, "face crops"));
    free(file);
    tr_free(&c);
}

static void test_cnipa_gbk(void **state)
{
    (void)state;
    collector c;
    tr_init(&c);
    const char *path = EXAMPLES "/cn-application-gbk.xml";
    assert_int_equal(tr_read_file(&c, path), RF_OK);
    assert_int_equal(c.ndocs, 1);
    assert_int_equal(c.ndiags, 0);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->id, "CN-199900001-A");
    assert_string_equal(d->format, "cnipa-xml");
    assert_string_equal(d->lang, "zh");
    /* transcoded to UTF-8 */
    assert_string_equal(d->title, "一种行人属性识别方法及装置");
    assert_string_equal(d->applicants.v[0], "示例视觉科技有限公司");
    assert_int_equal(d->inventors.n, 2);
    assert_string_equal(d->inventors.v[1], "李四");
    assert_true(tr_list_has(&d->classes, "G06V40/10"));
    const rf_section *cl = tr_section(d, RF_SECTION_CLAIMS, "zh");
    assert_non_null(cl);
    assert_int_equal(cl->unit_count, 2);
    size_t at = tr_text_off(cl, "维吾尔族");
    assert_string_equal(tr_unit(cl, at), "claim 2");
    /* offsets point at the GBK bytes in the file */
    size_t len;
    char *file = tr_slurp(path, &len);
    check_origin(
        cl, "维吾尔族", file, len, "\xce\xac\xce\xe1\xb6\xfb\xd7\xe5", 0, 0);
    check_origin(cl, "汉族", file, len, "\xba\xba\xd7\xe5", 0, 0);
    /* 背景技术 is a paragraph of its own: it opens the background part */
    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "zh");
    assert_non_null(bg);
    tr_text_off(bg, "视频监控在城市管理中应用广泛");
    assert_null(strstr(bg->text.data, "神经网络"));
    const rf_section *desc = tr_section(d, RF_SECTION_DESCRIPTION, "zh");
    size_t n = tr_text_off(desc, "神经网络");
    assert_string_equal(tr_unit(desc, n), "[0006]");
    free(file);
    tr_free(&c);
}

static void test_wipo_st36(void **state)
{
    (void)state;
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, EXAMPLES "/wo-st36.xml"), RF_OK);
    assert_int_equal(c.ndocs, 1);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->id, "WO-2021999999-A1");
    assert_string_equal(d->format, "wipo-st36");
    assert_string_equal(d->title, "Portrait retrieval method and device");
    assert_string_equal(d->inventors.v[0], "ZHANG, San");
    /* <background-art> is background by structure */
    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "en");
    tr_text_off(bg, "Gallery search");
    const rf_section *desc = tr_section(d, RF_SECTION_DESCRIPTION, "en");
    size_t at = tr_text_off(desc, "by ethnicity");
    assert_string_equal(tr_unit(desc, at), "[0003]");
    tr_free(&c);
}

static void test_google_patents_jsonl(void **state)
{
    (void)state;
    collector c;
    tr_init(&c);
    const char *path = EXAMPLES "/google-patents.jsonl";
    assert_int_equal(tr_read_file(&c, path), RF_OK);
    assert_int_equal(c.ndocs, 3);
    size_t len;
    char *file = tr_slurp(path, &len);
    const rf_doc *cn = c.docs[0];
    assert_string_equal(cn->id, "CN-199900002-A");
    assert_string_equal(cn->format, "google-patents-json");
    assert_string_equal(cn->family_id, "99000002");
    assert_string_equal(cn->lang, "zh");
    assert_string_equal(cn->title, "人脸属性分析方法");
    assert_string_equal(cn->date_published, "2021-09-17");
    assert_string_equal(cn->applicants.v[0], "EXAMPLE SECURITY TECH CO LTD");
    assert_true(tr_list_has(&cn->classes, "G06V40/172"));
    assert_non_null(tr_section(cn, RF_SECTION_TITLE, "en"));
    const rf_section *cl = tr_section(cn, RF_SECTION_CLAIMS, "zh");
    assert_int_equal(cl->unit_count, 2);
    size_t at = tr_text_off(cl, "维吾尔族");
    assert_string_equal(tr_unit(cl, at), "claim 2");
    check_origin(cl, "维吾尔族", file, len, "维吾尔族", 0, 0);
    assert_int_equal(cn->index, 0);
    assert_int_equal(cn->offset, 0);

    const rf_doc *us = c.docs[1];
    assert_string_equal(us->id, "US-2021999002-A1");
    assert_int_equal(us->index, 1);
    assert_int_equal(
        us->offset,
        tr_file_off(file, len, "{\"publication_number\": \"US-2021999002", 0));
    const rf_section *ucl = tr_section(us, RF_SECTION_CLAIMS, "en");
    assert_int_equal(ucl->unit_count, 2);
    /* offsets survive the \n and \" escapes before them */
    check_origin(ucl, "race condition", file, len, "race condition", 0, 0);
    const rf_section *bg = tr_section(us, RF_SECTION_BACKGROUND, "en");
    size_t q = tr_text_off(bg, "\"race condition\"");
    assert_string_equal(tr_unit(bg, q), "[0001]");
    check_origin(bg, "race condition\"", file, len, "race condition\\\"", 0, 0);
    const rf_section *desc = tr_section(us, RF_SECTION_DESCRIPTION, "en");
    tr_text_off(desc, "ring buffer");
    assert_null(strstr(bg->text.data, "ring buffer"));
    free(file);
    tr_free(&c);
}

/* A JSON array and a table sample with JSON-encoded nested columns. */
static void test_google_patents_array(void **state)
{
    (void)state;
    const char *doc =
        "{\"table_name\": \"PUBLICATIONS\", \"sample_rows\": [\n"
        " {\"publication_number\": \"US-1-A\", \"title_localized\": "
        "\"[{\\\"language\\\": \\\"en\\\", \\\"text\\\": \\\"Gait "
        "analysis\\\"}]\", \"publication_date\": 19800101},\n"
        " {\"publication_number\": \"US-2-B1\", \"title_localized\": "
        "[{\"language\": \"en\", \"text\": \"Second\"}], \"cpc\": "
        "\"[{\\\"code\\\": \\\"G06V40/20\\\"}]\"}\n]}\n";
    collector c;
    tr_init(&c);
    assert_int_equal(
        tr_read_mem(&c, "sample.json", doc, strlen(doc), 4096), RF_OK);
    assert_int_equal(c.ndocs, 2);
    assert_string_equal(c.docs[0]->id, "US-1-A");
    assert_string_equal(c.docs[0]->title, "Gait analysis");
    assert_string_equal(c.docs[0]->date_published, "1980-01-01");
    /* the mapped offset lands inside the encoded string, at its start */
    const rf_section *t = tr_section(c.docs[0], RF_SECTION_TITLE, "en");
    uint64_t off = rf_section_src_offset(t, 0, NULL);
    assert_int_equal(off, tr_file_off(doc, strlen(doc), "Gait", 0));
    assert_string_equal(c.docs[1]->title, "Second");
    assert_true(tr_list_has(&c.docs[1]->classes, "G06V40/20"));
    assert_int_equal(c.docs[1]->index, 1);
    tr_free(&c);

    const char *arr = "[{\"publication_number\": \"JP-3-A\"}, "
                      "{\"publication_number\": \"JP-4-A\"}]";
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "a.json", arr, strlen(arr), 5), RF_OK);
    assert_int_equal(c.ndocs, 2);
    assert_string_equal(c.docs[1]->id, "JP-4-A");
    tr_free(&c);
}

/* The metadata a row's members give, as jansson gave them before the
 * reader checked and read them where they lie (json_span.c): the last of
 * a key given twice, integers and strings, empty values, names from the
 * plain column when the harmonized one is empty, a nested column held as
 * a JSON string, escapes and surrogate pairs, elements of the wrong type
 * left out. Rows whose metadata jansson rejects are skipped. */
static void test_json_metadata(void **state)
{
    (void)state;
    const char *doc =
        "{\"publication_number\": \"JP-1-A\", \"kind_code\": \"\", "
        "\"family_id\": 12345, \"publication_date\": \"20200102\", "
        "\"filing_date\": 0, \"priority_date\": 20190101, "
        "\"country_code\": \"JP\", \"assignee_harmonized\": [], "
        "\"assignee\": [\"Caf\\u00e9 \\ud83d\\ude00 Vision\", 7], "
        "\"inventor_harmonized\": \"[{\\\"name\\\": \\\"Li\\\"}, {}]\", "
        "\"cpc\": [{\"code\": \"G06V40/16\"}, {\"nocode\": 1}, \"x\"], "
        "\"ipc\": \"not json\", \"title_localized\": [{\"language\": "
        "\"en\", \"text\": \"Face analysis\"}], "
        "\"publication_number\": \"JP-2-A\"}\n"
        "{\"publication_number\": \"US-3-A\", \"kind_code\": \"\\u0000\"}\n"
        "{\"publication_number\": \"US-4-A\", \"kind_code\": \"\xC3\"}\n"
        "{\"publication_number\": \"US-5-A\", \"family_id\": \"77\", "
        "\"assignee_harmonized\": [{\"name\": \"ACME\"}], "
        "\"assignee\": [\"unused\"], \"cpc\": \"[{\\\"code\\\": "
        "\\\"H04N7/18\\\"}]\"}\n";
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "rows.jsonl", doc, strlen(doc), 9), RF_OK);
    assert_int_equal(c.ndocs, 2);
    const rf_doc *a = c.docs[0];
    assert_string_equal(a->id, "JP-2-A");
    assert_string_equal(a->kind, "");
    assert_string_equal(a->family_id, "12345");
    assert_string_equal(a->date_published, "2020-01-02");
    assert_null(a->date_filed);
    assert_string_equal(a->date_priority, "2019-01-01");
    assert_string_equal(a->lang, "ja");
    assert_int_equal(a->applicants.n, 1);
    assert_string_equal(
        a->applicants.v[0], "Caf\xC3\xA9 \xF0\x9F\x98\x80 Vision");
    assert_int_equal(a->inventors.n, 1);
    assert_string_equal(a->inventors.v[0], "Li");
    assert_int_equal(a->classes.n, 1);
    assert_true(tr_list_has(&a->classes, "G06V40/16"));
    assert_string_equal(a->title, "Face analysis");

    const rf_doc *b = c.docs[1];
    assert_string_equal(b->id, "US-5-A");
    assert_string_equal(b->family_id, "77");
    assert_int_equal(b->applicants.n, 1);
    assert_string_equal(b->applicants.v[0], "ACME");
    assert_true(tr_list_has(&b->classes, "H04N7/18"));
    assert_int_equal(b->index, 3);

    /* U+0000 and a byte that is not UTF-8: jansson's messages */
    assert_int_equal(c.ndiags, 2);
    assert_string_equal(c.diags[0].document, "#2");
    assert_non_null(strstr(c.diags[0].message, "invalid JSON"));
    assert_non_null(strstr(c.diags[0].message, "\\u0000"));
    assert_string_equal(c.diags[1].document, "#3");
    assert_non_null(strstr(c.diags[1].message, "invalid JSON"));
    tr_free(&c);
}

/* The text columns are found in the same walk as the metadata, and each
 * element's language and text in one walk of it: the first of a column or
 * member given twice counts, in any order, and a malformed element is
 * passed over for the next. */
static void test_json_columns(void **state)
{
    (void)state;
    const char *doc =
        "{\"title_localized\": [{\"text\": \"First title\", \"language\": "
        "\"de\", \"language\": \"fr\", \"text\": \"no\"}], "
        "\"publication_number\": \"EP-1-A\", "
        "\"title_localized\": [{\"text\": \"Second title\"}], "
        "\"abstract_localized\": [{\"language\" \"en\"}, {\"language\": "
        "\"en\", \"text\": \"The abstract.\"}, {\"language\": \"en\"}]}\n";
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "rows.jsonl", doc, strlen(doc), 5), RF_OK);
    assert_int_equal(c.ndocs, 1);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->id, "EP-1-A");
    assert_string_equal(d->title, "First title");
    assert_string_equal(d->lang, "de");
    assert_non_null(tr_section(d, RF_SECTION_TITLE, "de"));
    const rf_section *ab = tr_section(d, RF_SECTION_ABSTRACT, "en");
    assert_non_null(ab);
    tr_text_off(ab, "The abstract.");
    tr_free(&c);
}

/* A description is cut into paragraphs at its line breaks, escaped or
 * raw (a whole-file array is not JSON Lines, so a raw one can be in a
 * string); every paragraph keeps its unit and maps back to its bytes. */
static void test_json_paragraphs(void **state)
{
    (void)state;
    const char *doc =
        "[{\"publication_number\": \"US-7-A1\", \"description_localized\": "
        "[{\"text\": \"TECHNICAL FIELD\\n[0001] Cameras.\nBACKGROUND\\u000a"
        "[0002] Race \\u00e9 classifiers\n[0003] in the wild\", "
        "\"language\": \"en\"}], \"claims_localized\": [{\"text\": "
        "\"1. A camera.\\n2. The camera of claim 1\nthat sorts faces.\", "
        "\"language\": \"en\"}]}]\n";
    size_t n = strlen(doc);
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "rows.json", doc, n, 7), RF_OK);
    assert_int_equal(c.ndocs, 1);
    assert_int_equal(c.ndiags, 0);
    const rf_doc *d = c.docs[0];
    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "en");
    assert_non_null(bg);
    assert_string_equal(
        bg->text.data, "BACKGROUND\n\n[0002] Race \xC3\xA9 classifiers\n\n"
                       "[0003] in the wild");
    size_t t = tr_text_off(bg, "in the wild");
    assert_string_equal(tr_unit(bg, t), "[0003]");
    assert_int_equal(
        rf_section_src_offset(bg, t, NULL),
        tr_file_off(doc, n, "in the wild", 0));
    t = tr_text_off(bg, "classifiers");
    assert_int_equal(
        rf_section_src_offset(bg, t, NULL),
        tr_file_off(doc, n, "classifiers", 0));
    const rf_section *de = tr_section(d, RF_SECTION_DESCRIPTION, "en");
    t = tr_text_off(de, "Cameras.");
    assert_string_equal(tr_unit(de, t), "[0001]");
    assert_int_equal(
        rf_section_src_offset(de, t, NULL), tr_file_off(doc, n, "Cameras", 0));
    const rf_section *cl = tr_section(d, RF_SECTION_CLAIMS, "en");
    /* the unnumbered line goes on in claim 2 */
    assert_int_equal(cl->unit_count, 2);
    t = tr_text_off(cl, "that sorts faces.");
    assert_string_equal(tr_unit(cl, t), "claim 2");
    assert_int_equal(
        rf_section_src_offset(cl, t, NULL),
        tr_file_off(doc, n, "that sorts", 0));
    tr_free(&c);
}

static void test_json_bad_row(void **state)
{
    (void)state;
    const char *doc = "{\"publication_number\": \"US-1-A\"}\n"
                      "{\"publication_number\": \"US-2-A\", oops}\n"
                      "{\"publication_number\": \"US-3-A\"}\n";
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "rows.jsonl", doc, strlen(doc), 7), RF_OK);
    assert_int_equal(c.ndocs, 2);
    assert_string_equal(c.docs[1]->id, "US-3-A");
    assert_int_equal(c.docs[1]->index, 2);
    const got_diag *g = tr_diag_with(&c, "invalid JSON");
    assert_non_null(g);
    assert_string_equal(g->document, "#2");
    assert_int_equal(g->line, 2);
    tr_free(&c);
}

static void test_sniff_and_force(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *format;
    } cases[] = {
        {"us-grant.xml", "uspto-xml"},
        {"us-application.xml", "uspto-xml"},
        {"ep-grant.xml", "epo-xml"},
        {"cn-application-gbk.xml", "cnipa-xml"},
        {"wo-st36.xml", "wipo-st36"},
        {"google-patents.jsonl", "google-patents-json"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", EXAMPLES, cases[i].file);
        size_t len;
        char *buf = tr_slurp(path, &len);
        collector c;
        tr_init(&c);
        /* the name says nothing: content decides */
        assert_int_equal(tr_read_mem(&c, "noext", buf, len, 1 << 20), RF_OK);
        assert_true(c.ndocs >= 1);
        assert_string_equal(c.docs[0]->format, cases[i].format);
        tr_free(&c);
        free(buf);
    }
    /* --format text reads a patent as plain text */
    collector c;
    tr_init(&c);
    c.format = "text";
    assert_int_equal(tr_read_file(&c, EXAMPLES "/us-grant.xml"), RF_OK);
    assert_string_equal(c.docs[0]->format, "text");
    tr_free(&c);
    tr_init(&c);
    c.format = "no-such-format";
    assert_int_equal(tr_read_file(&c, EXAMPLES "/us-grant.xml"), RF_EINVAL);
    tr_free(&c);
}

static void test_xml_limits(void **state)
{
    (void)state;
    /* nesting past max_xml_depth fails that document only */
    rf_buf b = {0};
    rf_buf_puts(&b, "<?xml version=\"1.0\"?>\n<us-patent-grant lang=\"EN\">");
    for (int i = 0; i < 40; i++) {
        rf_buf_puts(&b, "<b>");
    }
    for (int i = 0; i < 40; i++) {
        rf_buf_puts(&b, "</b>");
    }
    rf_buf_puts(&b, "</us-patent-grant>\n");
    size_t first = b.len;
    rf_buf_puts(
        &b, "<?xml version=\"1.0\"?>\n<us-patent-grant lang=\"EN\">"
            "<us-bibliographic-data-grant><publication-reference>"
            "<document-id><country>US</country><doc-number>1"
            "</doc-number><kind>A</kind></document-id>"
            "</publication-reference></us-bibliographic-data-grant>"
            "</us-patent-grant>\n");
    collector c;
    tr_init(&c);
    c.limits.max_xml_depth = 16;
    assert_int_equal(tr_read_mem(&c, "deep.xml", b.data, b.len, 64), RF_OK);
    assert_int_equal(c.ndocs, 1);
    assert_string_equal(c.docs[0]->id, "US-1-A");
    assert_int_equal(c.docs[0]->offset, first);
    const got_diag *g = tr_diag_with(&c, "max_xml_depth");
    assert_non_null(g);
    assert_int_equal(g->status, RF_ELIMIT);
    assert_string_equal(g->document, "#1");
    tr_free(&c);
    rf_buf_free(&b);

    /* a billion laughs is stopped by expat's amplification guard */
    const char *lol =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE us-patent-grant [\n"
        "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
        "]>\n<us-patent-grant><abstract><p>&g;</p></abstract>"
        "</us-patent-grant>\n";
    tr_init(&c);
    assert_int_equal(
        tr_read_mem(&c, "lol.xml", lol, strlen(lol), 1 << 20), RF_OK);
    assert_int_equal(c.ndocs, 0);
    assert_non_null(tr_diag_with(&c, "malformed XML"));
    tr_free(&c);

    /* external entities are never fetched: the reference is skipped */
    const char *xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE us-patent-grant [\n"
        "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<us-patent-grant><abstract><p>before &x; after</p></abstract>"
        "</us-patent-grant>\n";
    tr_init(&c);
    assert_int_equal(
        tr_read_mem(&c, "xxe.xml", xxe, strlen(xxe), 1 << 20), RF_OK);
    assert_int_equal(c.ndocs, 1);
    const rf_section *ab = tr_section(c.docs[0], RF_SECTION_ABSTRACT, NULL);
    assert_null(strstr(ab->text.data, "root:"));
    tr_text_off(ab, "after");
    tr_free(&c);
}

/* Entities from a DTD nobody reads: mapped by name, unknown ones dropped,
 * and not fatal even when the document claims to be standalone. */
static void test_undeclared_entities(void **state)
{
    (void)state;
    const char *doc =
        "<?xml version=\"1.0\" standalone=\"yes\"?>\n<us-patent-grant>"
        "<abstract><p>a &lsquo;b&rsquo; &nosuch; &ohgr; c</p></abstract>"
        "</us-patent-grant>\n";
    collector c;
    tr_init(&c);
    assert_int_equal(
        tr_read_mem(&c, "e.xml", doc, strlen(doc), 1 << 20), RF_OK);
    assert_int_equal(c.ndocs, 1);
    assert_int_equal(c.ndiags, 0);
    const rf_section *ab = tr_section(c.docs[0], RF_SECTION_ABSTRACT, NULL);
    assert_string_equal(
        ab->text.data, "a \xE2\x80\x98"
                       "b\xE2\x80\x99  \xCF\x89 c");
    /* "b" and "c" still map to their own bytes */
    size_t t = tr_text_off(ab, "b\xE2\x80\x99");
    assert_int_equal(
        rf_section_src_offset(ab, t, NULL),
        tr_file_off(doc, strlen(doc), "b&rsquo;", 0));
    t = tr_text_off(ab, " c");
    assert_int_equal(
        rf_section_src_offset(ab, t, NULL),
        tr_file_off(doc, strlen(doc), " c<", 0));
    tr_free(&c);
}

static void test_html(void **state)
{
    (void)state;
    const char *page =
        "<!DOCTYPE html>\n<html><head><title>Face &amp; body</title>"
        "<script>var s = \"<p>race</p>\";</script>"
        "<style>p { color: red }</style></head>\n"
        "<body><h1>SDK</h1><p>Returns &ldquo;race&rdquo; and &#x6C11;&#x65CF;."
        "</p><!-- race in a comment --><li>one<li>two</body></html>\n";
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "page", page, strlen(page), 9), RF_OK);
    assert_int_equal(c.ndocs, 1);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->format, "html");
    assert_string_equal(d->title, "Face & body");
    const rf_section *s = tr_section(d, RF_SECTION_TEXT, NULL);
    assert_null(strstr(s->text.data, "var s"));
    assert_null(strstr(s->text.data, "color"));
    assert_null(strstr(s->text.data, "comment"));
    tr_text_off(s, "SDK\nReturns \xE2\x80\x9Crace\xE2\x80\x9D and 民族.");
    tr_text_off(s, "one\ntwo");
    /* "race" maps to its bytes in the page, 民 to its &#x6C11; */
    size_t t = tr_text_off(s, "race\xE2\x80\x9D");
    assert_int_equal(
        rf_section_src_offset(s, t, NULL),
        tr_file_off(page, strlen(page), "race&rdquo;", 0));
    t = tr_text_off(s, "民族");
    assert_int_equal(
        rf_section_src_offset(s, t, NULL),
        tr_file_off(page, strlen(page), "&#x6C11;", 0));
    tr_free(&c);
}

static void test_aps(void **state)
{
    (void)state;
    const char *aps = "PATN\n"
                      "WKU  039999994\n"
                      "APT  1\n"
                      "APD  19740101\n"
                      "TTL  Crowd counting\n"
                      "      apparatus\n"
                      "ISD  19760210\n"
                      "INVT\n"
                      "NAM  Doe; Jane\n"
                      "CLAS\n"
                      "ICL  G06K  900\n"
                      "ABST\n"
                      "PAL  A camera counts people.\n"
                      "BSUM\n"
                      "PAC  BACKGROUND OF THE INVENTION\n"
                      "PAR  Counting by hand is slow.\n"
                      "PAC  SUMMARY OF THE INVENTION\n"
                      "PAR  The apparatus counts\n"
                      "      automatically.\n"
                      "CLMS\n"
                      "STM  What I claim is:\n"
                      "NUM  1.\n"
                      "PAR  1. An apparatus comprising a camera.\n"
                      "NUM  2.\n"
                      "PAR  2. The apparatus of claim 1 with a counter.\n"
                      "PATN\n"
                      "WKU  D04358541\n"
                      "APT  4\n"
                      "TTL  Camera housing\n";
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_mem(&c, "aps.txt", aps, strlen(aps), 11), RF_OK);
    assert_int_equal(c.ndocs, 2);
    const rf_doc *d = c.docs[0];
    assert_string_equal(d->id, "US-3999999-A");
    assert_string_equal(d->format, "uspto-aps");
    assert_string_equal(d->title, "Crowd counting apparatus");
    assert_string_equal(d->date_filed, "1974-01-01");
    assert_string_equal(d->inventors.v[0], "Jane Doe");
    assert_true(tr_list_has(&d->classes, "G06K9/00"));
    const rf_section *cl = tr_section(d, RF_SECTION_CLAIMS, "en");
    assert_int_equal(cl->unit_count, 2);
    size_t at = tr_text_off(cl, "counter");
    assert_string_equal(tr_unit(cl, at), "claim 2");
    assert_int_equal(
        rf_section_src_offset(cl, at, NULL),
        tr_file_off(aps, strlen(aps), "counter", 0));
    const rf_section *bg = tr_section(d, RF_SECTION_BACKGROUND, "en");
    tr_text_off(bg, "by hand");
    const rf_section *desc = tr_section(d, RF_SECTION_DESCRIPTION, "en");
    at = tr_text_off(desc, "counts automatically");
    assert_int_equal(
        rf_section_src_offset(desc, at + 7, NULL),
        tr_file_off(aps, strlen(aps), "automatically", 0));
    assert_string_equal(c.docs[1]->id, "US-D435854-S");
    assert_int_equal(
        c.docs[1]->offset, tr_file_off(aps, strlen(aps), "PATN", 1));
    tr_free(&c);
}

static void test_patent_helpers(void **state)
{
    (void)state;
    char out[64];
    rf_patent_docdb(out, sizeof(out), "US", "08930553", "B2");
    assert_string_equal(out, "US-8930553-B2");
    rf_patent_docdb(out, sizeof(out), "US", "20050004437", "A1");
    assert_string_equal(out, "US-2005004437-A1");
    rf_patent_docdb(out, sizeof(out), "US", "D0435854", "S");
    assert_string_equal(out, "US-D435854-S");
    rf_patent_docdb(out, sizeof(out), "EP", "EP1000000", "A1");
    assert_string_equal(out, "EP-1000000-A1");
    rf_patent_docdb(out, sizeof(out), "CN", "109101000", "A");
    assert_string_equal(out, "CN-109101000-A");
    static const char *const cls[][2] = {
        {"G06F 15/16", "G06F15/16"},
        {"G06F015/00", "G06F15/00"},
        {"B65D  51/18        20060101AFI20191003BHEP        ", "B65D51/18"},
        {"A24B   15/18    (2006.01)", "A24B15/18"},
        {"B28B   1/    29            A I", "B28B1/29"},
        {" 7C 07C  29/44   A", "C07C29/44"},
        {"G06F 1516", "G06F15/16"},
        {"E05B17/0058", "E05B17/0058"},
    };
    for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++) {
        assert_true(
            rf_patent_class(out, sizeof(out), cls[i][0], strlen(cls[i][0])));
        assert_string_equal(out, cls[i][1]);
    }
    assert_false(rf_patent_class(out, sizeof(out), "715513", 6));
    assert_int_equal(
        rf_patent_heading_class("BACKGROUND OF THE INVENTION", 27),
        RF_HEADING_BACKGROUND);
    assert_int_equal(
        rf_patent_heading_class("背景技术", strlen("背景技术")),
        RF_HEADING_BACKGROUND);
    assert_int_equal(
        rf_patent_heading_class("1. Field of the Invention", 25),
        RF_HEADING_NEUTRAL);
    assert_int_equal(rf_patent_heading_class("SUMMARY", 7), RF_HEADING_OTHER);
    /* ASCII needles in any case, beside other scripts; the others as
     * written; a heading longer than the stack's fold */
    const char *const bg[] = {
        "Description of the Related ART",
        "STAND DER TECHNIK:", "现有技术 / Prior Art", "ÉTAT DE LA TECHNIQUE",
        "2. Hintergrund"};
    for (size_t i = 0; i < sizeof(bg) / sizeof(bg[0]); i++) {
        assert_int_equal(
            rf_patent_heading_class(bg[i], strlen(bg[i])),
            RF_HEADING_BACKGROUND);
    }
    assert_int_equal(
        rf_patent_heading_class("Technical FIELD", 15), RF_HEADING_NEUTRAL);
    assert_int_equal(
        rf_patent_heading_class("État de la Technique", 21), RF_HEADING_OTHER);
    char longer[600];
    memset(longer, 'x', sizeof(longer));
    const char *needle = "PRIOR ART";
    for (size_t i = 0; needle[i] != '\0'; i++) {
        longer[500 + i] = needle[i]; /* a span, not a string */
    }
    assert_int_equal(
        rf_patent_heading_class(longer, sizeof(longer)), RF_HEADING_BACKGROUND);
    assert_int_equal(rf_patent_heading_class(longer, 500), RF_HEADING_OTHER);
    assert_true(rf_patent_looks_like_heading("技术领域", strlen("技术领域")));
    assert_true(rf_patent_looks_like_heading("Background of the Art", 21));
    assert_false(rf_patent_looks_like_heading("background of the art", 21));
    assert_false(
        rf_patent_looks_like_heading("The camera captures frames.", 27));
}

/* The vector newline counters (AVX2, SSE2, bytes) agree with a plain
 * count at every length and alignment, across the 255-block folds. */
static void test_count_newlines(void **state)
{
    (void)state;
    size_t cap = 3 * 255 * 32 + 200;
    char *buf = malloc(cap);
    assert_non_null(buf);
    uint32_t x = 12345;
    for (size_t i = 0; i < cap; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (x >> 16) % 7 == 0 ? '\n' : (char)('a' + (x >> 20) % 26);
    }
    memset(buf + 1000, '\n', 9000); /* a counter would wrap at 256 */
    static const size_t lens[] = {0,  1,  15,   16,   31,   32,    63,
                                  64, 65, 1000, 8160, 8161, 10000, 24479};
    for (size_t a = 0; a < 3; a++) {
        for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
            size_t len = lens[l] < cap - a ? lens[l] : cap - a;
            uint64_t want = 0;
            for (size_t i = 0; i < len; i++) {
                want += buf[a + i] == '\n';
            }
            assert_int_equal(rf_count_newlines(buf + a, len), want);
        }
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uspto_grant),
        cmocka_unit_test(test_uspto_application),
        cmocka_unit_test(test_epo_languages),
        cmocka_unit_test(test_cnipa_gbk),
        cmocka_unit_test(test_wipo_st36),
        cmocka_unit_test(test_google_patents_jsonl),
        cmocka_unit_test(test_google_patents_array),
        cmocka_unit_test(test_json_bad_row),
        cmocka_unit_test(test_json_paragraphs),
        cmocka_unit_test(test_json_metadata),
        cmocka_unit_test(test_json_columns),
        cmocka_unit_test(test_sniff_and_force),
        cmocka_unit_test(test_xml_limits),
        cmocka_unit_test(test_undeclared_entities),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_aps),
        cmocka_unit_test(test_patent_helpers),
        cmocka_unit_test(test_count_newlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
