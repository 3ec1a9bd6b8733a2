/*
 * run.c - the scan driver: paths in, events out to a sink.
 *
 *   paths --walk--> files --open--> inputs --dispatch--> readers
 *         --document--> scanner --finding--> sink
 *
 * Directories are walked in sorted order, so the same tree always yields
 * the same output. A file that cannot be opened, a symlink loop, a file
 * over the size limit: each becomes a diagnostic and the walk goes on.
 *
 * With more than one job, work is spread over a pool (pool.c): each worker
 * reads and scans whole files and buffers what it produced; the emitter
 * hands the buffers to the sink in input order, so the output is the same
 * bytes whatever the number of jobs. One file alone has its large archive
 * members cut into pieces for the jobs instead (fanout.c).
 */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input.h"
#include "scan.h"

void rf_limits_init(rf_limits *l)
{
    memset(l, 0, sizeof(*l));
    l->max_file_size = 0; /* files are streamed: no need to cap them */
    l->max_member_size = (uint64_t)4 << 30;
    l->max_total_size = (uint64_t)64 << 30;
    l->max_ratio = 1000;
    l->max_archive_depth = 4;
    l->max_xml_depth = 256;
    l->max_line_length = (uint64_t)4 << 20;
    l->max_findings_per_doc = 1000;
    l->max_document_size = (uint64_t)256 << 20;
    l->max_hits = (uint64_t)1 << 20; /* 32 MiB of hits per worker */
}

void rf_scan_options_init(rf_scan_options *o)
{
    memset(o, 0, sizeof(*o));
    o->version = RF_SCAN_OPTIONS_VERSION;
    o->min_severity = RF_SEV_INFO;
    rf_limits_init(&o->limits);
}

/* ---------------- per-file processing (shared by both paths) ---------- */

static rf_status on_finding(const rf_finding *f, void *payload)
{
    rf_file_job *job = payload;
    if (f->severity < job->opts->min_severity) {
        return RF_OK;
    }
    uint32_t limit = job->opts->limits.max_findings_per_doc;
    if (limit > 0 && job->doc_findings >= limit) {
        if (job->doc_findings == limit) {
            job->doc_findings++;
            rf_diag d = {
                .level = RF_DIAG_WARNING,
                .status = RF_ELIMIT,
                .path = f->doc->path,
                .member = f->doc->member,
                .document = f->doc->id,
                .message = "more findings in this document than "
                           "max_findings_per_doc; the rest are not reported "
                           "(raise --max-findings-per-doc)",
            };
            job->out->diag(job->out->payload, &d);
        }
        return RF_OK;
    }
    job->doc_findings++;
    return job->out->finding(job->out->payload, f);
}

static int finding_cb(const rf_finding *f, void *payload)
{
    rf_file_job *job = payload;
    job->status = on_finding(f, payload);
    return job->status != RF_OK;
}

static rf_status on_document(void *payload, rf_doc *doc)
{
    rf_file_job *job = payload;
    if (doc->part == 0) {
        job->doc_findings = 0;
        job->summary->documents++;
        rf_status st = job->out->document(job->out->payload, &doc->pub);
        if (st != RF_OK) {
            return st;
        }
    }
    if (job->scanner == NULL) {
        return RF_OK;
    }
    job->status = RF_OK;
    uint64_t sliced = rf_scanner_sliced(job->scanner);
    rf_status st = rf_scanner__scan_doc(job->scanner, doc, finding_cb, job);
    if (st == RF_EUSER) {
        st = job->status;
    }
    if (rf_scanner_sliced(job->scanner) != sliced) {
        char msg[320];
        snprintf(
            msg, sizeof(msg),
            "a section holds more than max_hits (%" PRIu64
            ") term hits; it was evaluated in slices of its text: a passage "
            "at a slice edge may be cut differently, and rules scoped to a "
            "claim or the whole section saw one slice at a time (raise "
            "--max-hits)",
            job->opts->limits.max_hits);
        rf_diag d = {
            .level = RF_DIAG_WARNING,
            .status = RF_ELIMIT,
            .path = doc->pub.path,
            .member = doc->pub.member,
            .document = doc->pub.id,
            .message = msg,
        };
        job->out->diag(job->out->payload, &d);
    }
    return st;
}

static void on_diag(void *payload, const rf_diag *d)
{
    rf_file_job *job = payload;
    job->out->diag(job->out->payload, d);
}

/* What the readers of the job's input report to. */
static rf_reader_ctx reader_ctx(rf_file_job *job)
{
    if (job->scanner != NULL) {
        rf_scanner__begin_input(job->scanner);
        rf_scanner_set_max_hits(job->scanner, job->opts->limits.max_hits);
    }
    return (rf_reader_ctx){
        .document = on_document,
        .diag = on_diag,
        .payload = job,
        .limits = &job->opts->limits,
        .forced_format = job->opts->format,
        .read_ahead = job->read_ahead,
        .fanout = job->fanout_jobs > 1 ? rf_run__fanout : NULL,
        .fan_whole = job->fanout_jobs > 1 ? rf_run__fan_whole : NULL,
        .fan_drain = job->fanout_jobs > 1 ? rf_run__fan_drain : NULL,
        .binary_skipped = &job->summary->skipped_binary,
        .members = &job->summary->members,
        .bytes = &job->summary->bytes,
        .errors = &job->summary->errors,
    };
}

rf_status rf_run__piece(
    rf_file_job *job,
    rf_input *in,
    const char *format,
    bool continuation,
    uint64_t lines_before,
    uint64_t documents_before)
{
    rf_reader_ctx ctx = reader_ctx(job);
    ctx.forced_format = format;
    ctx.continuation = continuation;
    ctx.lines_before = lines_before;
    ctx.documents_before = documents_before;
    return rf_input_dispatch(in, &ctx);
}

rf_status rf_run__file(rf_file_job *job)
{
    const rf_work *work = job->work;
    bool piece = work != NULL && work->length > 0;
    rf_reader_ctx ctx = reader_ctx(job);
    if (piece && work->format[0]) {
        ctx.forced_format = work->format;
    }
    ctx.continuation = piece && work->continuation;
    rf_input raw;
    int fd;
    if (strcmp(job->path, "-") == 0) {
        fd = STDIN_FILENO;
    } else {
        fd = open(job->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    }
    if (fd < 0) {
        rf_input in = {.path = job->path};
        rf_reader_diag(
            &ctx, &in, RF_DIAG_ERROR, RF_EIO, NULL, 0, 0, "cannot open: %s",
            strerror(errno));
        return RF_OK;
    }
    struct stat sb;
    uint64_t size = 0;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        size = (uint64_t)sb.st_size;
    }
    uint64_t max = job->opts->limits.max_file_size;
    if (max > 0 && size > max) {
        rf_input in = {.path = job->path};
        rf_reader_diag(
            &ctx, &in, RF_DIAG_ERROR, RF_ELIMIT, NULL, 0, 0,
            "file is %llu bytes, over max_file_size (%llu); "
            "skipped (raise --max-file-size)",
            (unsigned long long)size, (unsigned long long)max);
        if (fd != STDIN_FILENO) {
            close(fd);
        }
        return RF_OK;
    }
    rf_fd_input f = {0};
    rf_status st = rf_fd_input_init(&f, &raw, fd, job->path, size);
    if (st == RF_OK && piece) {
        /* a piece reads as a file of its own; pool.c adds the piece's
         * offset, lines and documents back */
        if (lseek(fd, (off_t)work->offset, SEEK_SET) < 0) {
            st = RF_EIO;
        }
        f.remaining = work->length;
        /* the text reader counts its line breaks as it reads them; the
         * others' are counted here (chunk.c: a piece of a text file is
         * always read as text) */
        if (strcmp(work->format, "text") == 0 ||
            strcmp(work->format, "code") == 0) {
            ctx.newlines = &job->newlines;
        } else {
            f.newlines = &job->newlines;
        }
        raw.size = work->length;
    }
    if (st == RF_OK) {
        if (!piece || !work->continuation) {
            job->summary->files++;
        }
        st = rf_input_dispatch(&raw, &ctx);
    }
    /* the members handed to the fan-out's workers are reported by now */
    st = rf_run__fan_close(job, st);
    rf_fd_input_free(&f);
    if (fd != STDIN_FILENO) {
        close(fd);
    }
    return st;
}

/* ---------------- walking ---------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct walk_ctx {
    rf_strvec *files;
    const rf_scan_options *opts;
    const rf_sink *sink;
    rf_scan_summary *summary;
    /* directories on the current path, to break symlink loops */
    dev_t devs[64];
    ino_t inos[64];
    unsigned depth;
} walk_ctx;

static void
walk_diag(walk_ctx *w, const char *path, const char *fmt, const char *detail)
{
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, detail);
    rf_diag d = {
        .level = RF_DIAG_ERROR, .status = RF_EIO, .path = path, .message = msg};
    w->summary->errors++;
    w->sink->diag(w->sink->payload, &d);
}

static rf_status walk(walk_ctx *w, const char *path, bool top)
{
    struct stat sb;
    int r =
        (top || w->opts->follow_symlinks) ? stat(path, &sb) : lstat(path, &sb);
    if (r != 0) {
        walk_diag(w, path, "cannot open: %s", strerror(errno));
        return RF_OK;
    }
    if (S_ISLNK(sb.st_mode)) {
        return RF_OK; /* not followed unless --follow */
    }
    if (S_ISREG(sb.st_mode) || (top && !S_ISDIR(sb.st_mode))) {
        return rf_strvec_push(w->files, path);
    }
    if (!S_ISDIR(sb.st_mode)) {
        return RF_OK; /* sockets, devices, fifos found in a walk */
    }
    for (unsigned i = 0; i < w->depth; i++) {
        if (w->devs[i] == sb.st_dev && w->inos[i] == sb.st_ino) {
            walk_diag(
                w, path, "%s",
                "directory loop (a symlink points to a "
                "parent); not entered again");
            return RF_OK;
        }
    }
    if (w->depth >= RF_ARRAY_LEN(w->devs)) {
        walk_diag(w, path, "%s", "directories nested too deep; not entered");
        return RF_OK;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        walk_diag(w, path, "cannot open directory: %s", strerror(errno));
        return RF_OK;
    }
    rf_strvec names = {0};
    rf_status st = RF_OK;
    struct dirent *ent;
    while (st == RF_OK && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0 ||
            strcmp(ent->d_name, ".git") == 0) {
            continue;
        }
        st = rf_strvec_push(&names, ent->d_name);
    }
    closedir(d);
    if (names.n > 1) {
        qsort(names.v, names.n, sizeof(char *), cmp_str);
    }
    w->devs[w->depth] = sb.st_dev;
    w->inos[w->depth] = sb.st_ino;
    w->depth++;
    size_t plen = strlen(path);
    bool slash = plen > 0 && path[plen - 1] == '/';
    for (size_t i = 0; i < names.n && st == RF_OK; i++) {
        rf_buf child = {0};
        st =
            rf_buf_printf(&child, "%s%s%s", path, slash ? "" : "/", names.v[i]);
        if (st == RF_OK) {
            st = walk(w, child.data, false);
        }
        rf_buf_free(&child);
    }
    w->depth--;
    rf_strvec_free(&names);
    return st;
}

rf_status rf_run__collect(
    rf_strvec *files,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink,
    rf_scan_summary *summary)
{
    walk_ctx w = {
        .files = files, .opts = opts, .sink = sink, .summary = summary};
    for (size_t i = 0; i < path_count; i++) {
        rf_status st = strcmp(paths[i], "-") == 0 ? rf_strvec_push(files, "-")
                                                  : walk(&w, paths[i], true);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

/* ---------------- sinks with defaults ---------------- */

static rf_status nop_begin(void *p, const rf_ruleset *rs)
{
    RF_UNUSED(p);
    RF_UNUSED(rs);
    return RF_OK;
}

static rf_status nop_document(void *p, const rf_document *d)
{
    RF_UNUSED(p);
    RF_UNUSED(d);
    return RF_OK;
}

static rf_status nop_finding(void *p, const rf_finding *f)
{
    RF_UNUSED(p);
    RF_UNUSED(f);
    return RF_OK;
}

static void nop_diag(void *p, const rf_diag *d)
{
    RF_UNUSED(p);
    RF_UNUSED(d);
}

static rf_status nop_end(void *p, const rf_scan_summary *s)
{
    RF_UNUSED(p);
    RF_UNUSED(s);
    return RF_OK;
}

void rf_run__complete_sink(rf_sink *out, const rf_sink *in)
{
    *out = *in;
    out->begin = in->begin ? in->begin : nop_begin;
    out->document = in->document ? in->document : nop_document;
    out->finding = in->finding ? in->finding : nop_finding;
    out->diag = in->diag ? in->diag : nop_diag;
    out->end = in->end ? in->end : nop_end;
}

static rf_status
run(rf_scan_summary *summary,
    const rf_ruleset *rs,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts_in,
    const rf_sink *sink_in)
{
    rf_scan_options defaults;
    const rf_scan_options *opts = opts_in;
    if (opts == NULL) {
        rf_scan_options_init(&defaults);
        opts = &defaults;
    }
    rf_sink sink;
    rf_run__complete_sink(&sink, sink_in);
    rf_scan_summary local;
    if (summary == NULL) {
        summary = &local;
    }
    memset(summary, 0, sizeof(*summary));
    rf_status st = sink.begin(sink.payload, rs);
    if (st != RF_OK) {
        return st;
    }
    rf_strvec files = {0};
    rf_worklist work = {0};
    st = rf_run__collect(&files, paths, path_count, opts, &sink, summary);
    if (st == RF_OK) {
        st = rf_run__plan(&work, &files, opts);
    }
    if (st == RF_OK) {
        st = rf_run__files(summary, rs, &work, opts, &sink);
    }
    rf_worklist_free(&work);
    rf_strvec_free(&files);
    rf_status end = sink.end(sink.payload, summary);
    return st != RF_OK ? st : end;
}

rf_status rf_scan_run(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink)
{
    if (rs == NULL || sink == NULL) {
        return RF_EINVAL;
    }
    return run(summary, rs, paths, path_count, opts, sink);
}

rf_status rf_read_documents(
    rf_scan_summary *summary,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink)
{
    if (sink == NULL) {
        return RF_EINVAL;
    }
    return run(summary, NULL, paths, path_count, opts, sink);
}
