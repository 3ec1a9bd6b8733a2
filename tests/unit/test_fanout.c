/*
 * test_fanout.c - a member cut into pieces on several threads
 * (src/scan/fanout.c) reports what one reader of the whole member reports:
 * the same documents with the same indexes and offsets, the same
 * diagnostics with the same names, lines and counts, in the same order,
 * however the member's reads fall (here in chunks of 1 byte to 64 KiB, so
 * seams straddle them), with a stretch that has no seam to cut at, a
 * * malformed document, and a member that ends in a read error.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scan/run.h"

/* USPTO documents of ~9.6 KB; those from `glued` to `unglued` follow
 * each other on one line (no seam between them), document `bad` is
 * malformed. */
static void
make_member(rf_buf *b, size_t ndocs, size_t glued, size_t unglued, size_t bad)
{
    rf_buf filler = {0};
    for (int i = 0; i < 300; i++) {
        assert_int_equal(
            rf_buf_printf(&filler, "the camera module %d focuses ", i), RF_OK);
    }
    for (size_t n = 0; n < ndocs; n++) {
        assert_int_equal(
            rf_buf_printf(
                b,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<?xml-stylesheet href=\"g.xsl\"?>\n"
                "<us-patent-grant lang=\"EN\" country=\"US\">\n"
                "<us-bibliographic-data-grant><publication-reference>"
                "<document-id><country>US</country><doc-number>%zu"
                "</doc-number><kind>B2</kind></document-id>"
                "</publication-reference></us-bibliographic-data-grant>\n"
                "<description id=\"d\">\n<p id=\"p-1\" num=\"1\">%s</p>\n"
                "</%s>\n</us-patent-grant>%s",
                n, filler.data, n == bad ? "descr" : "description",
                n >= glued && n < unglued ? "" : "\n"),
            RF_OK);
    }
    rf_buf_free(&filler);
}

/* Every event as a line of text. */
static rf_status log_document(void *payload, const rf_document *d)
{
    return rf_buf_printf(
        payload, "doc %s %llu %llu\n", d->id, (unsigned long long)d->index,
        (unsigned long long)d->offset);
}

static void log_diag(void *payload, const rf_diag *d)
{
    assert_int_equal(
        rf_buf_printf(
            payload, "diag %s %s %s %llu %llu %s\n", d->path,
            d->member ? d->member : "-", d->document ? d->document : "-",
            (unsigned long long)d->offset, (unsigned long long)d->line,
            d->message),
        RF_OK);
}

/* The member in chunks of varied sizes, then its end. */
typedef struct member {
    const rf_buf *bytes;
    size_t pos;
    uint32_t seed;
    rf_status end;
} member;

static rf_status member_read(rf_input *in, const char **data, size_t *len)
{
    member *m = in->ctx;
    size_t left = m->bytes->len - m->pos;
    if (left == 0) {
        *data = "";
        *len = 0;
        if (m->end != RF_OK) {
            snprintf(in->errmsg, sizeof(in->errmsg), "member is damaged");
        }
        return m->end;
    }
    m->seed = m->seed * 1103515245u + 12345u;
    size_t n = (m->seed >> 8) % 8 == 0 ? 1 + (m->seed >> 12) % 7
                                       : 1 + (m->seed >> 12) % 65536;
    if (n > left) {
        n = left;
    }
    *data = m->bytes->data + m->pos;
    *len = n;
    m->pos += n;
    in->consumed += n;
    return RF_OK;
}

/* Read the member with `jobs` (1: one reader) into log. */
static void run(rf_buf *log, const rf_buf *bytes, rf_status end, unsigned jobs)
{
    rf_scan_options opts;
    rf_scan_options_init(&opts);
    rf_sink sink = {
        .version = RF_SINK_VERSION,
        .document = log_document,
        .diag = log_diag,
        .payload = log,
    };
    rf_sink out;
    rf_run__complete_sink(&out, &sink);
    rf_scan_summary summary = {0};
    rf_file_job job = {
        .path = "w.zip",
        .opts = &opts,
        .out = &out,
        .summary = &summary,
        .fanout_jobs = jobs,
    };
    member m = {.bytes = bytes, .seed = 7, .end = end};
    rf_input in = {
        .path = "w.zip",
        .member = "ipg.xml",
        .depth = 1,
        .read = member_read,
        .ctx = &m,
    };
    if (jobs > 1) {
        bool taken = false;
        rf_status st = rf_run__fanout(&job, &in, "uspto-xml", &taken);
        /* the workers belong to the file: stopped when it is done */
        assert_int_equal(rf_run__fan_close(&job, st), RF_OK);
        assert_true(taken);
    } else {
        assert_int_equal(
            rf_run__piece(&job, &in, "uspto-xml", false, 0, 0), RF_OK);
    }
    assert_int_equal(m.pos, bytes->len); /* read to its end */
    assert_int_equal(
        rf_buf_printf(
            log, "documents %llu bytes %llu errors %llu\n",
            (unsigned long long)summary.documents,
            (unsigned long long)summary.bytes,
            (unsigned long long)summary.errors),
        RF_OK);
}

static void same_as_one_reader(rf_status end)
{
    rf_buf bytes = {0};
    /* pieces, then 36 MB with no seam, then pieces again */
    make_member(&bytes, 7000, 1000, 4800, 6000);
    assert_true(bytes.len > (size_t)60 << 20);
    rf_buf one = {0};
    run(&one, &bytes, end, 1);
    assert_non_null(strstr(one.data, "diag w.zip ipg.xml #6001 "));
    if (end == RF_OK) {
        assert_non_null(strstr(one.data, "doc US-6999-B2 6999 "));
        assert_non_null(strstr(one.data, "documents 6999 "));
    } else {
        assert_non_null(strstr(one.data, "#7000 "));
        assert_non_null(
            strstr(one.data, "(6998 complete documents before it were)"));
    }
    for (unsigned jobs = 2; jobs <= 4; jobs++) {
        rf_buf many = {0};
        run(&many, &bytes, end, jobs);
        assert_string_equal(many.data, one.data);
        rf_buf_free(&many);
    }
    rf_buf_free(&one);
    rf_buf_free(&bytes);
}

static void test_same_output(void **state)
{
    (void)state;
    same_as_one_reader(RF_OK);
}

static void test_same_output_damaged(void **state)
{
    (void)state;
    same_as_one_reader(RF_EIO);
}

static void test_seams(void **state)
{
    (void)state;
    const char *s = "a\n<?xml-stylesheet?>\n<?xml\tv?>";
    assert_int_equal(
        rf_run__find_seam(s, strlen(s), RF_SEAM_XML),
        (size_t)(strstr(s, "<?xml\t") - s));
    /* no white space after it yet: not known to be a seam */
    assert_int_equal(rf_run__find_seam("x\n<?xml", 7, RF_SEAM_XML), SIZE_MAX);
    /* not at a line start */
    assert_int_equal(rf_run__find_seam("a><?xml v", 9, RF_SEAM_XML), SIZE_MAX);
    assert_int_equal(rf_run__find_seam("\n<?xml v", 8, RF_SEAM_XML), 1);
    assert_int_equal(rf_run__find_seam("?\n<?xml v", 9, RF_SEAM_XML), 2);
    assert_int_equal(rf_run__seam_of("uspto-xml"), RF_SEAM_XML);
    assert_int_equal(rf_run__seam_of("epo-xml"), RF_SEAM_NONE);
}

/* The seam as defined: the '<' of the first "\n<?xml" followed by white
 * space; SIZE_MAX if there is none, or if the first "\n<?xml" ends the
 * buffer (what follows it is not known yet). */
static size_t naive_seam(const char *s, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (memcmp(s + i, "\n<?xml", 6) == 0) {
            if (i + 6 == len) {
                return SIZE_MAX;
            }
            if (isspace((unsigned char)s[i + 6])) {
                return i + 1;
            }
        }
    }
    return SIZE_MAX;
}

static void test_seams_random(void **state)
{
    (void)state;
    /* strings of the characters a seam is made of, so that near misses
     * ("\n<?xm", "<?xml-", "?\n<?") are everywhere */
    static const char alphabet[] = "\n<?xml \t-a";
    char s[64];
    unsigned seed = 12345;
    for (int round = 0; round < 200000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof(s);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        size_t want = naive_seam(s, len);
        size_t got = rf_run__find_seam(s, len, RF_SEAM_XML);
        if (got != want) {
            fail_msg("seam of %zu bytes: got %zu, want %zu", len, got, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seams),
        cmocka_unit_test(test_seams_random),
        cmocka_unit_test(test_same_output),
        cmocka_unit_test(test_same_output_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
