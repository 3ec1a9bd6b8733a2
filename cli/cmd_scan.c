/*
 * cmd_scan.c - `redflag scan [options] PATH...`
 *
 * Findings go to stdout (or --output) in the chosen format; diagnostics and
 * the end-of-scan summary go to stderr; the exit status says whether any
 * finding reached --fail-on. Document formats (SARIF, HTML) are written to
 * a temporary file renamed into place at the end, so a failed scan never
 * leaves half a report; JSON Lines and CSV are streamed, so a killed scan
 * leaves every complete line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

#define MAX_SINKS 4

/* Documents and findings per reader format, for the summary. */
typedef struct format_count {
    char name[32];
    uint64_t documents;
    uint64_t findings;
    uint64_t errors;
} format_count;

#define MAX_FORMATS 24

typedef struct scan_cli {
    format_count formats[MAX_FORMATS];
    size_t nformats;
    const rf_sink *down[MAX_SINKS];
    size_t ndown;
    rf_severity fail_on;
    bool fail_never;
    bool failed;
    bool quiet;
    bool progress_shown;
    double started; /* monotonic seconds at the start, for rate and ETA */
    uint64_t errors;
    /* --store: record the scan in the findings store as well */
    const char *store;
    bool writer_wanted; /* with --store, only on --format or --output */
    char *args;
    rf_store *st;
    rf_sink store_sink;
} scan_cli;

static rf_status tee_begin(void *p, const rf_ruleset *rs)
{
    scan_cli *c = p;
    for (size_t i = 0; i < c->ndown; i++) {
        if (c->down[i]->begin != NULL) {
            rf_status st = c->down[i]->begin(c->down[i]->payload, rs);
            if (st != RF_OK) {
                return st;
            }
        }
    }
    return RF_OK;
}

static format_count *count_for(scan_cli *c, const char *format)
{
    for (size_t i = 0; i < c->nformats; i++) {
        if (strcmp(c->formats[i].name, format) == 0) {
            return &c->formats[i];
        }
    }
    if (c->nformats == MAX_FORMATS) {
        return NULL;
    }
    format_count *f = &c->formats[c->nformats++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", format);
    return f;
}

static rf_status tee_document(void *p, const rf_document *d)
{
    scan_cli *c = p;
    format_count *fc = count_for(c, d->format);
    if (fc != NULL) {
        fc->documents++;
    }
    for (size_t i = 0; i < c->ndown; i++) {
        if (c->down[i]->document != NULL) {
            rf_status st = c->down[i]->document(c->down[i]->payload, d);
            if (st != RF_OK) {
                return st;
            }
        }
    }
    return RF_OK;
}

static rf_status tee_finding(void *p, const rf_finding *f)
{
    scan_cli *c = p;
    format_count *fc = count_for(c, f->doc->format);
    if (fc != NULL) {
        fc->findings++;
    }
    if (!c->fail_never && f->severity >= c->fail_on) {
        c->failed = true;
    }
    for (size_t i = 0; i < c->ndown; i++) {
        if (c->down[i]->finding != NULL) {
            rf_status st = c->down[i]->finding(c->down[i]->payload, f);
            if (st != RF_OK) {
                return st;
            }
        }
    }
    return RF_OK;
}

static void clear_progress(scan_cli *c)
{
    if (c->progress_shown) {
        fputs("\r\033[K", stderr);
        c->progress_shown = false;
    }
}

static void tee_diag(void *p, const rf_diag *d)
{
    scan_cli *c = p;
    if (d->level == RF_DIAG_ERROR) {
        c->errors++;
        format_count *fc = count_for(c, d->format ? d->format : "unread");
        if (fc != NULL) {
            fc->errors++;
        }
    }
    clear_progress(c);
    rf_cli_print_diag(d);
    for (size_t i = 0; i < c->ndown; i++) {
        if (c->down[i]->diag != NULL) {
            c->down[i]->diag(c->down[i]->payload, d);
        }
    }
}

static rf_status tee_end(void *p, const rf_scan_summary *s)
{
    scan_cli *c = p;
    rf_status first = RF_OK;
    for (size_t i = 0; i < c->ndown; i++) {
        if (c->down[i]->end != NULL) {
            rf_status st = c->down[i]->end(c->down[i]->payload, s);
            if (first == RF_OK) {
                first = st;
            }
        }
    }
    return first;
}

static void human_bytes(char *out, size_t n, double b)
{
    const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t u = 0;
    while (b >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
        b /= 1024;
        u++;
    }
    snprintf(out, n, "%.1f %s", b, unit[u]);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(const rf_progress *p, void *payload)
{
    scan_cli *c = payload;
    char done[32];
    char total[32];
    char rate[32];
    double elapsed = now_seconds() - c->started;
    double bps = elapsed > 0 ? (double)p->bytes_done / elapsed : 0;
    human_bytes(done, sizeof(done), (double)p->bytes_done);
    human_bytes(rate, sizeof(rate), bps);
    if (p->bytes_total > 0 && p->bytes_done <= p->bytes_total) {
        human_bytes(total, sizeof(total), (double)p->bytes_total);
        double eta =
            bps > 0 ? (double)(p->bytes_total - p->bytes_done) / bps : 0;
        fprintf(
            stderr,
            "\r\033[K%s of %s (%.0f%%), %llu documents, %llu findings, "
            "%s/s, ETA %.0f s",
            done, total, 100.0 * (double)p->bytes_done / (double)p->bytes_total,
            (unsigned long long)p->documents, (unsigned long long)p->findings,
            rate, eta);
    } else {
        fprintf(
            stderr, "\r\033[K%s, %llu documents, %llu findings, %s/s", done,
            (unsigned long long)p->documents, (unsigned long long)p->findings,
            rate);
    }
    c->progress_shown = true;
}

/*
 * --max-memory: what a scan holds is, per worker, one document's text (or
 * one text window), the raw bytes it was read from, and the term hits of
 * one section;
 * everything else is small and fixed (the compiled rules, the output line). So
 * the total is bounded by capping the per-document limits at an equal share of
 * the budget. A document cut by the cap is reported like any max_document_size
 * hit.
 */
#define RF_FIXED_OVERHEAD ((uint64_t)48 << 20) /* rules, scratch, buffers */

static void cap_memory(rf_scan_options *opts, uint64_t budget)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t jobs = opts->jobs ? opts->jobs : (cores > 0 ? (uint64_t)cores : 1);
    uint64_t usable = budget > RF_FIXED_OVERHEAD * 2
                          ? budget - RF_FIXED_OVERHEAD
                          : budget / 2;
    /* per worker, in shares of max_document_size, each buffer up to twice
     * its size while it grows (measured with massif on 13-17 MB JSON
     * rows): the raw row (up to 4 shares, see json_gp.c), the decoded
     * text, the section and the router's copy, and the term hits of one
     * section (1 share) */
    uint64_t share = usable / (jobs * 15);
    if (share < ((uint64_t)1 << 20)) {
        share = (uint64_t)1 << 20;
    }
    if (opts->limits.max_document_size == 0 ||
        opts->limits.max_document_size > share) {
        opts->limits.max_document_size = share;
    }
    if (opts->limits.max_line_length == 0 ||
        opts->limits.max_line_length > share) {
        opts->limits.max_line_length = share;
    }
    /* a hit is 32 bytes plus 4 of index, twice that while arrays grow */
    uint64_t hits = share / 72;
    if (opts->limits.max_hits == 0 || opts->limits.max_hits > hits) {
        opts->limits.max_hits = hits;
    }
}

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redflag scan [options] PATH...   (PATH '-' reads stdin)\n"
        "  --rules PATH            rule file or folder (default: shipped "
        "packs)\n"
        "  --format FMT            jsonl (default), sarif, csv, html\n"
        "  --output FILE           write findings to FILE instead of stdout\n"
        "  --store FILE            record the scan in a findings store (e.g.\n"
        "                          redflag.db); then no findings on stdout\n"
        "                          unless --format or --output is given\n"
        "  --input-format NAME     read every input as NAME (skip sniffing)\n"
        "  --min-severity LEVEL    report findings at or above LEVEL (info)\n"
        "  --fail-on LEVEL|never   exit 1 when a finding reaches LEVEL "
        "(medium)\n"
        "  -j, --jobs N            worker threads (default: number of cores)\n"
        "  --quiet                 no progress line\n"
        "  --follow                follow symbolic links in folders\n"
        "  --max-file-size N, --max-member-size N, --max-total-size N,\n"
        "  --max-ratio N, --max-depth N, --max-xml-depth N,\n"
        "  --max-line-length N, --max-findings-per-doc N,\n"
        "  --max-document-size N, --max-hits N   limits (0 = none)\n"
        "  --max-memory N          cap the per-document limits so the scan "
        "holds\n"
        "                          about N bytes (docs/robustness.md)\n");
}

typedef struct limit_opt {
    const char *name;
    uint64_t *u64;
    uint32_t *u32;
} limit_opt;

static bool is_document_format(const char *fmt)
{
    return strcmp(fmt, "sarif") == 0 || strcmp(fmt, "html") == 0;
}

static void print_summary(const rf_scan_summary *s)
{
    fprintf(
        stderr,
        "redflag: %llu files, %llu archive members, %llu documents, "
        "%llu bytes; %llu findings (critical %llu, high %llu, medium "
        "%llu, low %llu, info %llu); %llu errors, %llu binary skipped\n",
        (unsigned long long)s->files, (unsigned long long)s->members,
        (unsigned long long)s->documents, (unsigned long long)s->bytes,
        (unsigned long long)s->findings,
        (unsigned long long)s->by_severity[RF_SEV_CRITICAL],
        (unsigned long long)s->by_severity[RF_SEV_HIGH],
        (unsigned long long)s->by_severity[RF_SEV_MEDIUM],
        (unsigned long long)s->by_severity[RF_SEV_LOW],
        (unsigned long long)s->by_severity[RF_SEV_INFO],
        (unsigned long long)s->errors, (unsigned long long)s->skipped_binary);
}

/* One line on what the store now knows, and where to look next. */
static void print_stored(scan_cli *cli)
{
    int64_t id = rf_store_scan_id(cli->st);
    uint64_t seen = 0;
    uint64_t added = 0;
    uint64_t resolved = 0;
    rf_store_filter flt;
    rf_store_filter_init(&flt);
    flt.scan = id;
    rf_status s = rf_store_count(&seen, cli->st, &flt);
    flt.new_since_scan = id - 1; /* first seen by this scan */
    s = s ? s : rf_store_count(&added, cli->st, &flt);
    rf_store_filter_init(&flt);
    flt.resolved_by_scan = id;
    s = s ? s : rf_store_count(&resolved, cli->st, &flt);
    if (s != RF_OK) {
        fprintf(stderr, "redflag: error: %s\n", rf_store_errmsg(cli->st));
        return;
    }
    fprintf(
        stderr,
        "redflag: stored as scan %lld in %s: %llu findings, %llu new, "
        "%llu resolved; see redflag report --store %s\n",
        (long long)id, cli->store, (unsigned long long)seen,
        (unsigned long long)added, (unsigned long long)resolved, cli->store);
}

static int run_scan(
    scan_cli *cli,
    const char *rules,
    const char *format,
    const char *output,
    const char *const *paths,
    size_t npaths,
    const rf_scan_options *opts)
{
    int rc = RF_EXIT_ERROR;
    rf_ruleset *rs = rf_cli_load_rules(rules);
    rf_writer *w = NULL;
    rf_cli_output out = {0};
    if (rs == NULL) {
        return RF_EXIT_ERROR;
    }
    if (rf_cli_output_open(&out, output, is_document_format(format)) != 0) {
        goto done;
    }
    if (cli->store != NULL) {
        rf_store_scan_info info;
        rf_store_scan_info_init(&info);
        info.paths = paths;
        info.path_count = npaths;
        info.args = cli->args;
        info.min_severity = opts->min_severity;
        cli->st = rf_cli_open_store(cli->store, true);
        if (cli->st == NULL ||
            rf_store_sink(&cli->store_sink, cli->st, &info, NULL) != RF_OK) {
            goto done;
        }
        cli->down[cli->ndown++] = &cli->store_sink;
    }
    if (cli->store == NULL || cli->writer_wanted) {
        if (rf_writer_new(&w, format, out.fp) != RF_OK) {
            fprintf(
                stderr, "redflag: error: cannot start the %s writer\n", format);
            goto done;
        }
        cli->down[cli->ndown++] = rf_writer_sink(w);
    }
    rf_sink tee = {
        .version = RF_SINK_VERSION,
        .begin = tee_begin,
        .document = tee_document,
        .finding = tee_finding,
        .diag = tee_diag,
        .end = tee_end,
        .payload = cli,
    };
    rf_scan_summary sum;
    rf_status st = rf_scan_run(&sum, rs, paths, npaths, opts, &tee);
    clear_progress(cli);
    print_summary(&sum);
    for (size_t i = 0; i < cli->nformats; i++) {
        fprintf(
            stderr,
            "redflag:   %-20s %llu documents, %llu findings, %llu errors\n",
            cli->formats[i].name, (unsigned long long)cli->formats[i].documents,
            (unsigned long long)cli->formats[i].findings,
            (unsigned long long)cli->formats[i].errors);
    }
    if (st == RF_EIO && out.fp != NULL && ferror(out.fp)) {
        /* the writer failed, not an input: say which file (a full disk) */
        fprintf(
            stderr, "redflag: error: scan stopped: cannot write %s: %s\n",
            output != NULL ? output : "standard output", strerror(errno));
        goto done;
    }
    if (st != RF_OK) {
        fprintf(
            stderr, "redflag: error: scan stopped: %s\n",
            st == RF_EDB && cli->st ? rf_store_errmsg(cli->st)
                                    : rf_status_str(st));
        goto done;
    }
    if (cli->st != NULL) {
        print_stored(cli);
    }
    if (rf_cli_output_commit(&out) != 0) {
        goto done;
    }
    rc = cli->failed ? RF_EXIT_FINDINGS : RF_EXIT_OK;
done:
    rf_cli_output_abort(&out);
    rf_writer_free(w);
    rf_store_free(cli->st);
    cli->st = NULL;
    rf_ruleset_free(rs);
    return rc;
}

/* "redflag scan ARGS...", as recorded with a stored scan. */
static char *join_args(int argc, char **argv)
{
    size_t n = strlen("redflag") + 1;
    for (int i = 0; i < argc; i++) {
        n += strlen(argv[i]) + 1;
    }
    char *s = malloc(n);
    if (s == NULL) {
        return NULL;
    }
    strcpy(s, "redflag");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int cmd_scan(int argc, char **argv)
{
    const char *rules = NULL;
    const char *format = "jsonl";
    const char *output = NULL;
    rf_scan_options opts;
    rf_scan_options_init(&opts);
    scan_cli cli = {.fail_on = RF_SEV_MEDIUM};
    rf_severity min = RF_SEV_INFO;
    uint64_t max_memory = 0;
    limit_opt limits[] = {
        {"--max-file-size", &opts.limits.max_file_size, NULL},
        {"--max-member-size", &opts.limits.max_member_size, NULL},
        {"--max-total-size", &opts.limits.max_total_size, NULL},
        {"--max-ratio", &opts.limits.max_ratio, NULL},
        {"--max-depth", NULL, &opts.limits.max_archive_depth},
        {"--max-xml-depth", NULL, &opts.limits.max_xml_depth},
        {"--max-line-length", &opts.limits.max_line_length, NULL},
        {"--max-findings-per-doc", NULL, &opts.limits.max_findings_per_doc},
        {"--max-document-size", &opts.limits.max_document_size, NULL},
        {"--max-hits", &opts.limits.max_hits, NULL},
        {"--max-memory", &max_memory, NULL},
    };
    const char **paths = calloc((size_t)argc, sizeof(*paths));
    size_t npaths = 0;
    if (paths == NULL) {
        return RF_EXIT_ERROR;
    }
    int rc = RF_EXIT_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool matched = false;
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
            }
        }
        if (matched) {
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            rc = RF_EXIT_OK;
            goto done;
        } else if (strcmp(a, "--rules") == 0 && v != NULL) {
            rules = v;
            i++;
        } else if (strcmp(a, "--format") == 0 && v != NULL) {
            format = v;
            cli.writer_wanted = true;
            i++;
        } else if (strcmp(a, "--output") == 0 && v != NULL) {
            output = v;
            cli.writer_wanted = true;
            i++;
        } else if (strcmp(a, "--store") == 0 && v != NULL) {
            cli.store = v;
            i++;
        } else if (strcmp(a, "--input-format") == 0 && v != NULL) {
            opts.format = v;
            i++;
        } else if (strcmp(a, "--min-severity") == 0 && v != NULL) {
            if (rf_severity_parse(&min, v) != RF_OK) {
                fprintf(stderr, "redflag: error: unknown severity '%s'\n", v);
                goto done;
            }
            i++;
        } else if (strcmp(a, "--fail-on") == 0 && v != NULL) {
            if (strcmp(v, "never") == 0) {
                cli.fail_never = true;
            } else if (rf_severity_parse(&cli.fail_on, v) != RF_OK) {
                fprintf(stderr, "redflag: error: unknown severity '%s'\n", v);
                goto done;
            }
            i++;
        } else if ((strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0)) {
            long n = rf_cli_parse_long(a, v);
            if (n < 0 || n > 1024) {
                goto done;
            }
            opts.jobs = (unsigned)n;
            i++;
        } else if (strncmp(a, "-j", 2) == 0 && a[2] != '\0') {
            long n = rf_cli_parse_long("-j", a + 2);
            if (n < 0 || n > 1024) {
                goto done;
            }
            opts.jobs = (unsigned)n;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            cli.quiet = true;
        } else if (strcmp(a, "--follow") == 0) {
            opts.follow_symlinks = true;
        } else if (strcmp(a, "--deterministic") == 0) {
            opts.deterministic = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "redflag: error: unknown option '%s'\n", a);
            usage(stderr);
            goto done;
        } else {
            paths[npaths++] = a;
        }
    }
    if (npaths == 0) {
        fprintf(
            stderr, "redflag: error: scan needs at least one PATH ('-' "
                    "for stdin)\n");
        usage(stderr);
        goto done;
    }
    if (!rf_writer_format_known(format)) {
        fprintf(stderr, "redflag: error: unknown --format '%s'\n", format);
        goto done;
    }
    opts.min_severity = min;
    if (max_memory > 0) {
        cap_memory(&opts, max_memory);
    }
    cli.started = now_seconds();
    if (!cli.quiet && isatty(STDERR_FILENO)) {
        opts.progress = on_progress;
        opts.progress_payload = &cli;
    }
    cli.args = join_args(argc, argv);
    rc = run_scan(&cli, rules, format, output, paths, npaths, &opts);
done:
    free(cli.args);
    free(paths);
    return rc;
}
