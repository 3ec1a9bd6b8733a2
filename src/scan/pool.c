/*
 * pool.c - scanning files on several threads with deterministic output.
 *
 * One compiled ruleset is shared read-only; each worker owns a scanner
 * (and so its Hyperscan scratch), takes the next file index from an atomic
 * counter, and records what the file produced (documents, findings,
 * diagnostics) as deep copies. The calling thread is the emitter: it waits
 * for file 0, replays its record into the sink, then file 1, and so on. No
 * lock is taken on the matching path; the mutex guards only the hand-over
 * of finished records. Workers stay at most a bounded number of files
 * ahead of the emitter, so memory does not grow with the number of files.
 * A piece of a file is emitted with its places moved back (shift.c).
 *
 * One file alone is read on the calling thread; with more than one job,
 * its large archive members are cut into pieces for the jobs (fanout.c).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "run.h"
#include "scan.h"

unsigned rf_run__default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The sink the emitter sees: counts findings and reports progress. */
typedef struct emit_ctx {
    const rf_sink *sink;
    rf_scan_summary *summary;
    const rf_scan_options *opts;
    double last_progress;
    uint64_t bytes_total;
    rf_shift at;         /* the piece being emitted: what to add back */
    uint64_t piece_docs; /* documents the piece held, so far */
} emit_ctx;

/* Before emitting work item i: carry the file's running totals over from
 * the previous piece of the same file, or start afresh. */
static void begin_piece(emit_ctx *e, const rf_work *w)
{
    if (w->length > 0 && w->continuation) {
        e->at.docs += e->piece_docs;
    } else {
        e->at.docs = 0;
        e->at.lines = 0;
    }
    e->at.offset = w->length > 0 ? w->offset : 0;
    e->piece_docs = 0;
}

static void end_piece(emit_ctx *e, uint64_t newlines)
{
    e->at.lines += newlines;
}

static void progress(emit_ctx *e, bool force)
{
    if (e->opts->progress == NULL) {
        return;
    }
    double t = now_seconds();
    if (!force && t - e->last_progress < 0.25) {
        return;
    }
    e->last_progress = t;
    rf_progress p = {
        .bytes_done = e->summary->bytes,
        .bytes_total = e->bytes_total,
        .documents = e->summary->documents,
        .findings = e->summary->findings,
    };
    e->opts->progress(&p, e->opts->progress_payload);
}

static rf_status emit_document(void *payload, const rf_document *d)
{
    emit_ctx *e = payload;
    progress(e, false);
    rf_shift_count_document(&e->piece_docs, d);
    return rf_shift_document(&e->at, e->sink, d);
}

static rf_status emit_finding(void *payload, const rf_finding *f)
{
    emit_ctx *e = payload;
    e->summary->findings++;
    if ((unsigned)f->severity <= RF_SEV_CRITICAL) {
        e->summary->by_severity[f->severity]++;
    }
    return rf_shift_finding(&e->at, e->sink, f);
}

static void emit_diag(void *payload, const rf_diag *d)
{
    emit_ctx *e = payload;
    rf_shift_count_diag(&e->piece_docs, d);
    rf_shift_diag(&e->at, e->sink, d);
}

/* ---------------- one thread ---------------- */

static rf_status run_serial(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const rf_worklist *work,
    const rf_scan_options *opts,
    unsigned asked,
    emit_ctx *e,
    const rf_sink *counting)
{
    /* One file and more than one job: the spare cores read its large
     * archive members ahead (prefetch.c) and parse and scan them in
     * pieces (fanout.c). Only then: with two files or more, the pool runs
     * them side by side already, and a fan-out inside each would only put
     * more threads and pieces in memory on the same cores. */
    bool read_ahead = asked > 1;
    unsigned fanout = asked > 1 && work->n == 1 ? asked : 0;
    rf_scanner *sc = NULL;
    if (rs != NULL) {
        rf_status st = rf_scanner_new(&sc, rs);
        if (st != RF_OK) {
            return st;
        }
    }
    rf_status st = RF_OK;
    for (size_t i = 0; i < work->n && st == RF_OK; i++) {
        rf_file_job job = {
            .path = work->v[i].path,
            .work = &work->v[i],
            .opts = opts,
            .scanner = sc,
            .out = counting,
            .summary = summary,
            .read_ahead = read_ahead,
            .fanout_jobs = fanout,
            .rs = rs,
        };
        begin_piece(e, &work->v[i]);
        st = rf_run__file(&job);
        end_piece(e, job.newlines);
        progress(e, false);
    }
    rf_scanner_free(sc);
    return st;
}

/* ---------------- several threads ---------------- */

typedef struct slot {
    rf_record rec;
    rf_scan_summary summary;
    rf_status status;
    uint64_t newlines;
    bool done;
} slot;

typedef struct pool {
    const rf_ruleset *rs;
    const rf_worklist *work;
    const rf_scan_options *opts;
    slot *slots;
    atomic_size_t next;
    size_t emitted; /* guarded by mu */
    size_t ahead;   /* how far workers may run ahead of the emitter */
    atomic_bool stop;
    pthread_mutex_t mu;
    pthread_cond_t done_cv;  /* a slot finished */
    pthread_cond_t space_cv; /* the emitter moved on */
    rf_status fatal;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    rf_scanner *sc = NULL;
    if (p->rs != NULL && rf_scanner_new(&sc, p->rs) != RF_OK) {
        pthread_mutex_lock(&p->mu);
        p->fatal = RF_ENOMEM;
        atomic_store(&p->stop, true);
        pthread_cond_broadcast(&p->done_cv);
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->work->n || atomic_load(&p->stop)) {
            break;
        }
        pthread_mutex_lock(&p->mu);
        while (i >= p->emitted + p->ahead && !atomic_load(&p->stop)) {
            pthread_cond_wait(&p->space_cv, &p->mu);
        }
        pthread_mutex_unlock(&p->mu);
        slot *s = &p->slots[i];
        rf_sink rec_sink;
        rf_record_sink(&rec_sink, &s->rec);
        rf_file_job job = {
            .path = p->work->v[i].path,
            .work = &p->work->v[i],
            .opts = p->opts,
            .scanner = sc,
            .out = &rec_sink,
            .summary = &s->summary,
            .read_ahead = true, /* a pool has more than one job */
        };
        rf_status st = rf_run__file(&job);
        pthread_mutex_lock(&p->mu);
        s->newlines = job.newlines;
        s->status = st != RF_OK ? st : s->rec.status;
        s->done = true;
        pthread_cond_broadcast(&p->done_cv);
        pthread_mutex_unlock(&p->mu);
    }
    rf_scanner_free(sc);
    return NULL;
}

static rf_status run_pool(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const rf_worklist *work,
    const rf_scan_options *opts,
    unsigned jobs,
    emit_ctx *e,
    const rf_sink *counting)
{
    pool p = {.rs = rs, .work = work, .opts = opts, .ahead = (size_t)4 * jobs};
    p.slots = calloc(work->n ? work->n : 1, sizeof(*p.slots));
    if (p.slots == NULL) {
        return RF_ENOMEM;
    }
    atomic_init(&p.next, 0);
    atomic_init(&p.stop, false);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.done_cv, NULL);
    pthread_cond_init(&p.space_cv, NULL);
    pthread_t *threads = calloc(jobs, sizeof(*threads));
    unsigned started = 0;
    rf_status st = threads ? RF_OK : RF_ENOMEM;
    for (unsigned t = 0; t < jobs && st == RF_OK; t++) {
        if (pthread_create(&threads[t], NULL, worker, &p) != 0) {
            break; /* fewer threads still finish the work */
        }
        started++;
    }
    if (started == 0 && st == RF_OK) {
        st = RF_ENOMEM;
    }
    for (size_t i = 0; i < work->n && st == RF_OK; i++) {
        pthread_mutex_lock(&p.mu);
        while (!p.slots[i].done && p.fatal == RF_OK) {
            pthread_cond_wait(&p.done_cv, &p.mu);
        }
        pthread_mutex_unlock(&p.mu);
        if (p.fatal != RF_OK) {
            st = p.fatal;
            break;
        }
        slot *s = &p.slots[i];
        rf_summary_add(summary, &s->summary);
        begin_piece(e, &work->v[i]);
        st = rf_record_replay(&s->rec, counting);
        end_piece(e, s->newlines);
        if (st == RF_OK) {
            st = s->status;
        }
        rf_record_free(&s->rec);
        pthread_mutex_lock(&p.mu);
        p.emitted = i + 1;
        pthread_cond_broadcast(&p.space_cv);
        pthread_mutex_unlock(&p.mu);
    }
    if (st != RF_OK) {
        atomic_store(&p.stop, true);
        pthread_mutex_lock(&p.mu);
        pthread_cond_broadcast(&p.space_cv);
        pthread_mutex_unlock(&p.mu);
    }
    for (unsigned t = 0; t < started; t++) {
        pthread_join(threads[t], NULL);
    }
    for (size_t i = 0; i < work->n; i++) {
        rf_record_free(&p.slots[i].rec);
    }
    free(threads);
    free(p.slots);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.done_cv);
    pthread_cond_destroy(&p.space_cv);
    return st;
}

rf_status rf_run__files(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const rf_worklist *work,
    const rf_scan_options *opts,
    const rf_sink *sink)
{
    emit_ctx e = {.sink = sink, .summary = summary, .opts = opts};
    for (size_t i = 0; i < work->n && opts->progress != NULL; i++) {
        e.bytes_total += work->v[i].length > 0
                             ? work->v[i].length
                             : rf_record__file_size(work->v[i].path);
    }
    rf_sink counting = {
        .version = RF_SINK_VERSION,
        .document = emit_document,
        .finding = emit_finding,
        .diag = emit_diag,
        .payload = &e,
    };
    unsigned asked = opts->jobs ? opts->jobs : rf_run__default_jobs();
    unsigned jobs = asked;
    if (jobs > work->n) {
        jobs = (unsigned)work->n;
    }
    rf_status st;
    if (jobs <= 1) {
        st = run_serial(summary, rs, work, opts, asked, &e, &counting);
    } else {
        st = run_pool(summary, rs, work, opts, jobs, &e, &counting);
    }
    progress(&e, true);
    return st;
}
