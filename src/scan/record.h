/*
 * record.h - what one file produced, kept as deep copies until the emitter
 * replays it in input order (pool.c).
 */
#ifndef RF_RECORD_H
#define RF_RECORD_H

#include "internal.h"

typedef struct rf_record_event rf_record_event;

typedef struct rf_record {
    rf_record_event *v;
    size_t n;
    size_t cap;
    rf_status status; /* first error while recording (out of memory) */
} rf_record;

/* A sink that appends copies of everything it receives to rec. */
void rf_record_sink(rf_sink *out, rf_record *rec);
/* Hand every recorded event to sink, in order. */
rf_status rf_record_replay(const rf_record *rec, const rf_sink *sink);
void rf_record_free(rf_record *rec);

/* Size of a file on disk (0 when unknown), for progress totals. */
uint64_t rf_record__file_size(const char *path);

#endif /* RF_RECORD_H */
