/*
 * writer.c - the table of output formats.
 */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    rf_writer_init_fn init;
} formats[] = {
    {"jsonl", rf_jsonl_writer_init},
    {"sarif", rf_sarif_writer_init},
    {"csv", rf_csv_writer_init},
    {"html", rf_html_writer_init},
};

bool rf_writer_format_known(const char *format)
{
    for (size_t i = 0; i < RF_ARRAY_LEN(formats); i++) {
        if (strcmp(formats[i].name, format) == 0) {
            return true;
        }
    }
    return false;
}

rf_status rf_writer_new(rf_writer **out, const char *format, FILE *fp)
{
    for (size_t i = 0; i < RF_ARRAY_LEN(formats); i++) {
        if (strcmp(formats[i].name, format) != 0) {
            continue;
        }
        rf_writer *w = calloc(1, sizeof(*w));
        if (w == NULL) {
            return RF_ENOMEM;
        }
        w->fp = fp;
        w->sink.version = RF_SINK_VERSION;
        w->sink.payload = w;
        rf_status st = formats[i].init(w);
        if (st != RF_OK) {
            rf_writer_free(w);
            return st;
        }
        *out = w;
        return RF_OK;
    }
    return RF_EINVAL;
}

const rf_sink *rf_writer_sink(rf_writer *w)
{
    return &w->sink;
}

void rf_writer_free(rf_writer *w)
{
    if (w == NULL) {
        return;
    }
    if (w->free_state != NULL) {
        w->free_state(w->state);
    }
    free(w);
}
