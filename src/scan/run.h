/*
 * run.h - the driver's internal pieces: one file's work, and the pool.
 */
#ifndef RF_RUN_H
#define RF_RUN_H

#include "internal.h"

/* Everything needed to read and scan one file, and where results go. */
typedef struct rf_file_job {
    const char *path;
    const rf_scan_options *opts;
    rf_scanner *scanner; /* NULL: read documents only */
    const rf_sink *out;  /* complete sink (no NULL callbacks) */
    rf_scan_summary *summary;
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

/* Process files in order, on opts->jobs threads (pool.c). */
rf_status rf_run__files(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const rf_strvec *files,
    const rf_scan_options *opts,
    const rf_sink *sink);

/* Fill NULL callbacks of a sink with no-ops. */
void rf_run__complete_sink(rf_sink *out, const rf_sink *in);

#endif /* RF_RUN_H */
