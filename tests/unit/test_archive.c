/*
 * test_archive.c - weekly-style concatenated files and archives.
 *
 * Builds, in a fresh temporary folder, a weekly file from the project's
 * example documents (each a complete XML document with its own
 * declaration), then zips, tars and compresses it with libarchive's
 * writer, and checks that every document comes back with the right id,
 * index and offset, that a malformed document in the middle is reported
 * and skipped, and that every archive limit is reported by name.
 */
#include <archive.h>
#include <archive_entry.h>

#include "test_readers_util.h"

static char tmpdir[256];

static const char *const weekly_parts[] = {
    "us-grant.xml", "us-application.xml", "cn-application-gbk.xml",
    "ep-grant.xml", "wo-st36.xml",
};
static const char *const weekly_ids[] = {
    "US-19000001-B2", "US-2021999001-A1", "CN-199900001-A",
    "EP-9990001-B1",  "WO-2021999999-A1",
};
#define NPARTS (sizeof(weekly_parts) / sizeof(weekly_parts[0]))

typedef struct weekly {
    rf_buf data;
    uint64_t start[NPARTS];
} weekly;

static void build_weekly(weekly *w)
{
    memset(w, 0, sizeof(*w));
    for (size_t i = 0; i < NPARTS; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", EXAMPLES, weekly_parts[i]);
        size_t len;
        char *buf = tr_slurp(path, &len);
        w->start[i] = w->data.len;
        rf_buf_append(&w->data, buf, len);
        free(buf);
    }
}

static char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    return path;
}

/* Write an archive with libarchive: format "zip", "tar.gz", "raw.gz". */
static void write_archive(
    const char *path,
    const char *format,
    const char *const *names,
    const void *const *datas,
    const size_t *lens,
    size_t n)
{
    struct archive *a = archive_write_new();
    if (strcmp(format, "zip") == 0) {
        archive_write_set_format_zip(a);
    } else if (strcmp(format, "tar.gz") == 0) {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
    } else {
        archive_write_set_format_raw(a);
        archive_write_add_filter_gzip(a);
    }
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_size(e, (la_int64_t)lens[i]);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(
            archive_write_data(a, datas[i], lens[i]), (la_ssize_t)lens[i]);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/rf-test-archive-XXXXXX");
    return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The first NPARTS documents are the weekly file's (other members may
 * follow). */
static void
check_weekly_docs(const collector *c, const weekly *w, const char *member)
{
    assert_true(c->ndocs >= NPARTS);
    for (size_t i = 0; i < NPARTS; i++) {
        const rf_doc *d = c->docs[i];
        assert_string_equal(d->id, weekly_ids[i]);
        assert_int_equal(d->index, i);
        assert_int_equal(d->offset, w->start[i]);
        if (member != NULL) {
            assert_string_equal(d->member, member);
        } else {
            assert_null(d->member);
        }
    }
    /* a planted word maps back into its own document of the weekly file */
    const rf_section *cl = tr_section(c->docs[0], RF_SECTION_CLAIMS, "en");
    size_t t = tr_text_off(cl, "Uyghur");
    uint64_t line = 0;
    uint64_t off = rf_section_src_offset(cl, t, &line);
    assert_int_equal(off, tr_file_off(w->data.data, w->data.len, "Uyghur", 0));
    assert_int_equal(line, tr_line_at(w->data.data, off));
    const rf_section *cn = tr_section(c->docs[2], RF_SECTION_CLAIMS, "zh");
    t = tr_text_off(cn, "维吾尔族");
    off = rf_section_src_offset(cn, t, &line);
    assert_int_equal(
        off,
        tr_file_off(
            w->data.data, w->data.len, "\xce\xac\xce\xe1\xb6\xfb\xd7\xe5", 0));
    assert_int_equal(line, tr_line_at(w->data.data, off));
    const rf_section *de = tr_section(c->docs[3], RF_SECTION_CLAIMS, "de");
    t = tr_text_off(de, "ethnischer");
    off = rf_section_src_offset(de, t, NULL);
    assert_int_equal(
        off, tr_file_off(w->data.data, w->data.len, "ethnischer", 0));
}

static void test_weekly_concatenated(void **state)
{
    (void)state;
    weekly w;
    build_weekly(&w);
    /* any read size: boundaries may fall inside "<?xml", a BOM, a GBK
     * character or an element */
    static const size_t chunks[] = {1 << 20, 4096, 7, 1};
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        collector c;
        tr_init(&c);
        assert_int_equal(
            tr_read_mem(
                &c, "ipg-weekly.xml", w.data.data, w.data.len, chunks[k]),
            RF_OK);
        assert_int_equal(c.ndiags, 0);
        assert_int_equal(c.ndocs, NPARTS);
        check_weekly_docs(&c, &w, NULL);
        tr_free(&c);
    }
    rf_buf_free(&w.data);
}

static void test_weekly_zipped(void **state)
{
    (void)state;
    weekly w;
    build_weekly(&w);
    const char *names[] = {"ipg220104.xml"};
    const void *datas[] = {w.data.data};
    size_t lens[] = {w.data.len};
    char *zip = strdup(tmp_path("ipg220104.zip"));
    write_archive(zip, "zip", names, datas, lens, 1);
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, zip), RF_OK);
    assert_int_equal(c.members, 1);
    assert_int_equal(c.bytes, w.data.len);
    check_weekly_docs(&c, &w, "ipg220104.xml");
    tr_free(&c);

    /* the zip inside a tar.gz: members are named through both levels */
    size_t zlen;
    char *zbytes = tr_slurp(zip, &zlen);
    const char *tnames[] = {"2022/ipg220104.zip", "README.txt"};
    const void *tdatas[] = {zbytes, "weekly files\n"};
    size_t tlens[] = {zlen, 13};
    char *tgz = strdup(tmp_path("bulk.tar.gz"));
    write_archive(tgz, "tar.gz", tnames, tdatas, tlens, 2);
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, tgz), RF_OK);
    assert_int_equal(c.members, 3);
    assert_int_equal(c.ndocs, NPARTS + 1);
    check_weekly_docs(&c, &w, "2022/ipg220104.zip!ipg220104.xml");
    assert_string_equal(c.docs[NPARTS]->member, "README.txt");
    assert_string_equal(c.docs[NPARTS]->format, "text");
    tr_free(&c);

    /* a lone .gz is one member named after the file */
    char *gz = strdup(tmp_path("ipg220104.xml.gz"));
    write_archive(gz, "raw.gz", names, datas, lens, 1);
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, gz), RF_OK);
    check_weekly_docs(&c, &w, "ipg220104.xml");
    tr_free(&c);

    /* --format applies to the members, not to the archive */
    tr_init(&c);
    c.format = "uspto-xml";
    assert_int_equal(tr_read_file(&c, zip), RF_OK);
    assert_int_equal(c.ndocs, NPARTS);
    tr_free(&c);

    /* nesting beyond max_archive_depth is refused by name */
    tr_init(&c);
    c.limits.max_archive_depth = 1;
    assert_int_equal(tr_read_file(&c, tgz), RF_OK);
    assert_int_equal(c.ndocs, 1); /* README.txt only */
    const got_diag *g = tr_diag_with(&c, "max_archive_depth");
    assert_non_null(g);
    assert_non_null(strstr(g->message, "--max-depth"));
    assert_string_equal(g->member, "2022/ipg220104.zip");
    tr_free(&c);
    free(zbytes);
    free(zip);
    free(tgz);
    free(gz);
    rf_buf_free(&w.data);
}

static void test_malformed_in_the_middle(void **state)
{
    (void)state;
    weekly w;
    build_weekly(&w);
    /* break the third document (the GBK one) after its claims begin */
    uint64_t at = tr_file_off(w.data.data, w.data.len, "<claims>", 0);
    assert_true(at > w.start[2] && at < w.start[3]);
    rf_buf bad = {0};
    rf_buf_append(&bad, w.data.data, at);
    rf_buf_puts(&bad, "<claim num=\"1\"><claim-text>x</claim></claims>");
    size_t broken = bad.len;
    rf_buf_append(&bad, w.data.data + at, w.data.len - at);
    uint64_t shift = bad.len - w.data.len;
    for (size_t chunk = 5; chunk <= (1 << 20); chunk *= 1024) {
        collector c;
        tr_init(&c);
        assert_int_equal(
            tr_read_mem(&c, "ipg.xml", bad.data, bad.len, chunk), RF_OK);
        assert_int_equal(c.ndocs, NPARTS - 1);
        assert_string_equal(c.docs[1]->id, weekly_ids[1]);
        assert_string_equal(c.docs[2]->id, weekly_ids[3]);
        assert_int_equal(c.docs[2]->index, 3);
        assert_int_equal(c.docs[2]->offset, w.start[3] + shift);
        assert_int_equal(c.ndiags, 1);
        const got_diag *g = &c.diags[0];
        assert_int_equal(g->level, RF_DIAG_ERROR);
        assert_int_equal(g->status, RF_EPARSE);
        assert_string_equal(g->document, "#3");
        assert_non_null(strstr(g->message, "CN-199900001-A"));
        assert_non_null(strstr(g->message, "mismatched tag"));
        assert_true(g->offset > w.start[2] && g->offset < broken);
        assert_int_equal(g->line, tr_line_at(bad.data, g->offset));
        assert_int_equal(c.errors, 1);
        tr_free(&c);
    }
    rf_buf_free(&bad);
    rf_buf_free(&w.data);
}

static void test_member_size_limit(void **state)
{
    (void)state;
    /* a large, very compressible member between two small ones */
    size_t big = 3u << 20;
    char *zeros = malloc(big);
    memset(zeros, 'a', big);
    const char *names[] = {"a.txt", "bomb.txt", "z.txt"};
    const void *datas[] = {"first\n", zeros, "last\n"};
    size_t lens[] = {6, big, 5};
    char *zip = strdup(tmp_path("limits.zip"));
    write_archive(zip, "zip", names, datas, lens, 3);
    collector c;
    tr_init(&c);
    c.limits.max_member_size = 1u << 20;
    c.limits.max_ratio = 0;
    assert_int_equal(tr_read_file(&c, zip), RF_OK);
    const got_diag *g = tr_diag_with(&c, "max_member_size");
    assert_non_null(g);
    assert_string_equal(g->member, "bomb.txt");
    assert_non_null(strstr(g->message, "--max-member-size"));
    /* the member is cut, the next one is read */
    assert_string_equal(c.docs[c.ndocs - 1]->member, "z.txt");
    tr_free(&c);

    /* the ratio guard stops the whole archive */
    tr_init(&c);
    c.limits.max_ratio = 50;
    assert_int_equal(tr_read_file(&c, zip), RF_OK);
    g = tr_diag_with(&c, "max_ratio");
    assert_non_null(g);
    assert_string_equal(g->member, "bomb.txt");
    assert_non_null(strstr(g->message, "--max-ratio"));
    for (size_t i = 0; i < c.ndocs; i++) {
        assert_string_not_equal(c.docs[i]->member, "z.txt");
    }
    tr_free(&c);

    /* so does the total */
    tr_init(&c);
    c.limits.max_ratio = 0;
    c.limits.max_total_size = 2u << 20;
    assert_int_equal(tr_read_file(&c, zip), RF_OK);
    g = tr_diag_with(&c, "max_total_size");
    assert_non_null(g);
    assert_non_null(strstr(g->message, "--max-total-size"));
    for (size_t i = 0; i < c.ndocs; i++) {
        assert_string_not_equal(c.docs[i]->member, "z.txt");
    }
    tr_free(&c);
    free(zeros);
    free(zip);
}

static void test_truncated_and_odd_names(void **state)
{
    (void)state;
    weekly w;
    build_weekly(&w);
    /* incompressible filler so the cut lands inside the last member */
    size_t nf = 1u << 20;
    unsigned char *filler = malloc(nf);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < nf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        filler[i] = (unsigned char)('a' + x % 26);
    }
    const char *names[] = {"../../etc/evil.xml", "/abs/filler.txt"};
    const void *datas[] = {w.data.data, filler};
    size_t lens[] = {w.data.len, nf};
    char *tgz = strdup(tmp_path("cut.tar.gz"));
    write_archive(tgz, "tar.gz", names, datas, lens, 2);
    size_t len;
    char *bytes = tr_slurp(tgz, &len);
    char *cut = strdup(tmp_path("cut-short.tar.gz"));
    tr_write(cut, bytes, len - len / 4);
    collector c;
    tr_init(&c);
    assert_int_equal(tr_read_file(&c, cut), RF_OK);
    /* everything before the damage was read, under its name as given */
    check_weekly_docs(&c, &w, "../../etc/evil.xml");
    assert_non_null(tr_diag_with(&c, "truncated"));
    assert_true(c.errors >= 1);
    tr_free(&c);
    /* nothing was written next to the archive */
    struct stat sb;
    assert_int_not_equal(stat(tmp_path("../etc/evil.xml"), &sb), 0);
    free(bytes);
    free(filler);
    free(tgz);
    free(cut);
    rf_buf_free(&w.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekly_concatenated),
        cmocka_unit_test(test_weekly_zipped),
        cmocka_unit_test(test_malformed_in_the_middle),
        cmocka_unit_test(test_member_size_limit),
        cmocka_unit_test(test_truncated_and_odd_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
