/*
 * run.h - the driver's internal pieces: one file's work, and the pool.
 */
#ifndef RF_RUN_H
#define RF_RUN_H

#include "internal.h"

/* One unit of work: a whole file, or one piece of a large one. */
typedef struct rf_work {
    char *path;
    uint64_t offset; /* where the piece starts in the file */
    uint64_t length; /* 0: the whole file */
    char format[32]; /* the file's format, forced for its pieces ("" = sniff) */
    bool continuation; /* a piece after the first */
} rf_work;

typedef struct rf_worklist {
    rf_work *v;
    size_t n;
    size_t cap;
} rf_worklist;

/* Cut the files into work (chunk.c). */
rf_status rf_run__plan(
    rf_worklist *wl, const rf_strvec *files, const rf_scan_options *opts);
void rf_worklist_free(rf_worklist *wl);

/* Everything needed to read and scan one file, and where results go. */
typedef struct rf_file_job {
    const char *path;
    const rf_work *work; /* the piece; NULL = the whole file */
    uint64_t newlines;   /* out: line breaks in the piece */
    const rf_scan_options *opts;
    rf_scanner *scanner; /* NULL: read documents only */
    const rf_sink *out;  /* complete sink (no NULL callbacks) */
    rf_scan_summary *summary;
    /* more than one job was asked for: a large archive member may be
     * inflated on a thread of its own (the scan of one big zip would
     * otherwise leave the other cores idle) */
    bool read_ahead;
    uint32_t doc_findings;
    rf_status status;
} rf_file_job;

/* Read and scan one file into job->out. Bad input is reported, not
 * returned: the status is RF_OK unless the sink stopped or memory ran out. */
rf_status rf_run__file(rf_file_job *job);

/* Walk paths into a sorted list of files (diagnostics to sink). */
rf_status rf_run__collect(
    rf_strvec *files,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink,
    rf_scan_summary *summary);

/* Process the work in order, on opts->jobs threads (pool.c). */
rf_status rf_run__files(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const rf_worklist *work,
    const rf_scan_options *opts,
    const rf_sink *sink);

/* Fill NULL callbacks of a sink with no-ops. */
void rf_run__complete_sink(rf_sink *out, const rf_sink *in);

#endif /* RF_RUN_H */
