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

/* Where a format can be cut into pieces that read as inputs of their own
 * (chunk.c): before a `<?xml` at a line start that opens the next document
 * of a weekly USPTO file, after a line of JSON Lines, after a blank line
 * (else a line break) of text. */
typedef enum rf_seam {
    RF_SEAM_NONE,
    RF_SEAM_TEXT,
    RF_SEAM_LINE,
    RF_SEAM_XML
} rf_seam;

rf_seam rf_run__seam_of(const char *format);
/* The first seam in buf[0..len): the offset the next piece starts at, or
 * SIZE_MAX when there is none (an XML seam needs the white space after its
 * `<?xml` in the buffer: look again once more has been read). */
size_t rf_run__find_seam(const char *buf, size_t len, rf_seam kind);

/* ---------------- pieces back into the whole (shift.c) ---------------- */

/* What the pieces before a piece held: added to what its reader reports. */
typedef struct rf_shift {
    uint64_t offset; /* bytes */
    uint64_t lines;  /* line breaks */
    uint64_t docs;   /* documents, failed ones included */
} rf_shift;

bool rf_shift_none(const rf_shift *s);
/* Pass an event on to down, moved by s (down: a complete sink). */
rf_status
rf_shift_document(const rf_shift *s, const rf_sink *down, const rf_document *d);
rf_status
rf_shift_finding(const rf_shift *s, const rf_sink *down, const rf_finding *f);
void rf_shift_diag(const rf_shift *s, const rf_sink *down, const rf_diag *d);
/* Raise *docs to the documents a piece's reader started, as its events
 * show them (see shift.c). */
void rf_shift_count_document(uint64_t *docs, const rf_document *d);
void rf_shift_count_diag(uint64_t *docs, const rf_diag *d);

/* The same as a sink: everything moved by `at` into down. */
typedef struct rf_shift_sink {
    rf_shift at;
    const rf_sink *down;
} rf_shift_sink;

void rf_shift_sink_init(rf_sink *out, rf_shift_sink *ss);

/* Add a piece's or a file's counts (not its findings) to a summary. */
void rf_summary_add(rf_scan_summary *to, const rf_scan_summary *from);

/* Everything needed to read and scan one file, and where results go. */
/* The fan-out of one file's archive members (fanout.c). */
typedef struct rf_fan rf_fan;

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
    /* the work is one file and this many jobs were asked for (> 1): its
     * large archive members are cut into pieces scanned on that many
     * threads (fanout.c); 0 = never */
    unsigned fanout_jobs;
    const rf_ruleset *rs; /* for the fan-out's own scanners */
    rf_fan *fan;          /* the fan-out's workers, once started */
    uint32_t doc_findings;
    rf_status status;
} rf_file_job;

/* Read and scan one file into job->out. Bad input is reported, not
 * returned: the status is RF_OK unless the sink stopped or memory ran out. */
rf_status rf_run__file(rf_file_job *job);

/* Read and scan an input that is a piece of a larger one (fanout.c): in
 * `format`, a later piece if `continuation`, after pieces that held
 * lines_before line breaks and delivered documents_before documents (as
 * far as they are known: see rf_reader_ctx). Same reporting as
 * rf_run__file. */
rf_status rf_run__piece(
    rf_file_job *job,
    rf_input *in,
    const char *format,
    bool continuation,
    uint64_t lines_before,
    uint64_t documents_before);

/* The reader-ctx fan-out hook (fanout.c): payload is the member's
 * rf_file_job; *taken false when `format` cannot be cut (nothing read). */
rf_status rf_run__fanout(
    void *payload, rf_input *member, const char *format, bool *taken);

/* The reader-ctx hooks for small members (fanout.c): read the member
 * whole here and scan it on a worker (*taken false: no worker could start,
 * nothing read); emit every piece handed over, before the caller reads a
 * member itself. */
rf_status rf_run__fan_whole(void *payload, rf_input *member, bool *taken);
rf_status rf_run__fan_drain(void *payload);

/* Emit what the job's fan-out holds (unless st is an error), stop its
 * workers and free it; returns st, or the first error of the emitting. */
rf_status rf_run__fan_close(rf_file_job *job, rf_status st);

/* Walk paths into a sorted list of files (diagnostics to sink). */
rf_status rf_run__collect(
    rf_strvec *files,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink,
    rf_scan_summary *summary);

/* The number of cores, the jobs when opts->jobs is 0 (pool.c). */
unsigned rf_run__default_jobs(void);

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
