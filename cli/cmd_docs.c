/*
 * cmd_docs.c - `redflag docs`: read inputs without matching and print one
 * JSON line per document, so a user sees exactly what was parsed (ids,
 * kinds, titles, parties, dates, classes, languages, section sizes and
 * claim / paragraph counts) before trusting a scan of it. Diagnostics and
 * an end summary, with a count per format, go to stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define DOCS_MAX_FORMATS 32

typedef struct docs_cli {
    const char *formats[DOCS_MAX_FORMATS];
    uint64_t counts[DOCS_MAX_FORMATS];
    size_t nformats;
    rf_status write_error;
} docs_cli;

static rf_status on_document(void *payload, const rf_document *doc)
{
    docs_cli *c = payload;
    char *json = NULL;
    size_t len = 0;
    rf_status st = rf_document_to_json(&json, &len, doc);
    if (st != RF_OK) {
        return st;
    }
    if (fwrite(json, 1, len, stdout) != len || fputc('\n', stdout) == EOF) {
        c->write_error = RF_EIO;
        st = RF_EIO;
    }
    free(json);
    size_t i = 0;
    while (i < c->nformats && strcmp(c->formats[i], doc->format) != 0) {
        i++;
    }
    if (i == c->nformats && i < DOCS_MAX_FORMATS) {
        /* format names are the library's static strings only when read
         * through the table; keep our own copy to be safe */
        c->formats[i] = strdup(doc->format);
        c->nformats += c->formats[i] != NULL;
    }
    if (i < c->nformats) {
        c->counts[i]++;
    }
    return st;
}

static void on_diag(void *payload, const rf_diag *d)
{
    (void)payload;
    rf_cli_print_diag(d);
}

static void usage(FILE *fp)
{
    fprintf(
        fp, "usage: redflag docs [options] PATH...   (PATH '-' reads stdin)\n"
            "  print one JSON line per document read: id, format, kind, "
            "title,\n"
            "  language, dates, applicants, inventors, classes, sections\n"
            "  --format NAME           read every input as NAME (skip "
            "sniffing):\n"
            "                          uspto-xml, epo-xml, wipo-st36, "
            "cnipa-xml,\n"
            "                          wipo-st96, uspto-xml4ip, jpo-xml, "
            "uspto-aps,\n"
            "                          google-patents-json, html, code, text\n"
            "  -j, --jobs N            worker threads (default 1)\n"
            "  --follow                follow symbolic links in folders\n"
            "  --max-member-size N, --max-total-size N, --max-ratio N,\n"
            "  --max-depth N, --max-xml-depth N, --max-document-size N,\n"
            "  --max-file-size N       limits (0 = none)\n");
}

static void print_summary(const rf_scan_summary *s, const docs_cli *c)
{
    fprintf(
        stderr,
        "redflag: %llu files, %llu archive members, %llu documents, "
        "%llu bytes; %llu errors, %llu binary skipped\n",
        (unsigned long long)s->files, (unsigned long long)s->members,
        (unsigned long long)s->documents, (unsigned long long)s->bytes,
        (unsigned long long)s->errors, (unsigned long long)s->skipped_binary);
    if (c->nformats > 0) {
        fprintf(stderr, "redflag: documents by format:");
        for (size_t i = 0; i < c->nformats; i++) {
            fprintf(
                stderr, " %s %llu", c->formats[i],
                (unsigned long long)c->counts[i]);
        }
        fputc('\n', stderr);
    }
}

typedef struct limit_opt {
    const char *name;
    uint64_t *u64;
    uint32_t *u32;
} limit_opt;

int cmd_docs(int argc, char **argv)
{
    rf_scan_options opts;
    rf_scan_options_init(&opts);
    /* documents arrive in input order either way; one job keeps memory to
     * one document at a time */
    opts.jobs = 1;
    limit_opt limits[] = {
        {"--max-file-size", &opts.limits.max_file_size, NULL},
        {"--max-member-size", &opts.limits.max_member_size, NULL},
        {"--max-total-size", &opts.limits.max_total_size, NULL},
        {"--max-ratio", &opts.limits.max_ratio, NULL},
        {"--max-document-size", &opts.limits.max_document_size, NULL},
        {"--max-depth", NULL, &opts.limits.max_archive_depth},
        {"--max-xml-depth", NULL, &opts.limits.max_xml_depth},
    };
    const char **paths = calloc((size_t)argc, sizeof(*paths));
    size_t npaths = 0;
    docs_cli cli;
    memset(&cli, 0, sizeof(cli));
    int rc = RF_EXIT_ERROR;
    if (paths == NULL) {
        return RF_EXIT_ERROR;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool matched = false;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            rc = RF_EXIT_OK;
            goto done;
        }
        if ((strcmp(a, "--format") == 0 || strcmp(a, "--input-format") == 0)) {
            if (v == NULL) {
                fprintf(stderr, "redflag: error: %s needs a value\n", a);
                goto done;
            }
            opts.format = v;
            i++;
            continue;
        }
        if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            long n = rf_cli_parse_long(a, v);
            if (n < 0) {
                goto done;
            }
            opts.jobs = (unsigned)n;
            i++;
            continue;
        }
        if (strcmp(a, "--follow") == 0) {
            opts.follow_symlinks = true;
            continue;
        }
        for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
            if (strcmp(a, limits[k].name) == 0) {
                long n = rf_cli_parse_long(a, v);
                if (n < 0) {
                    goto done;
                }
                if (limits[k].u64 != NULL) {
                    *limits[k].u64 = (uint64_t)n;
                } else {
                    *limits[k].u32 = (uint32_t)n;
                }
                i++;
                matched = true;
                break;
            }
        }
        if (matched) {
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "redflag: error: unknown option '%s'\n", a);
            usage(stderr);
            goto done;
        }
        paths[npaths++] = a;
    }
    if (npaths == 0) {
        usage(stderr);
        goto done;
    }
    rf_sink sink = {
        .version = RF_SINK_VERSION,
        .document = on_document,
        .diag = on_diag,
        .payload = &cli,
    };
    rf_scan_summary sum;
    memset(&sum, 0, sizeof(sum));
    rf_status st = rf_read_documents(&sum, paths, npaths, &opts, &sink);
    if (fflush(stdout) != 0 && st == RF_OK) {
        st = RF_EIO;
    }
    print_summary(&sum, &cli);
    if (st == RF_EINVAL && opts.format != NULL) {
        fprintf(
            stderr,
            "redflag: error: unknown --format '%s' (see redflag docs "
            "--help)\n",
            opts.format);
        goto done;
    }
    if (st != RF_OK) {
        fprintf(
            stderr, "redflag: error: reading stopped: %s\n", rf_status_str(st));
        goto done;
    }
    rc = RF_EXIT_OK;
done:
    for (size_t i = 0; i < cli.nformats; i++) {
        free((void *)cli.formats[i]);
    }
    free(paths);
    return rc;
}
