/*
 * formats.c - the format table and dispatch: sniff an input by its content
 * (and, for source code, its name), then hand it to one reader.
 *
 * Content wins over names: a weekly USPTO file named .txt is still read as
 * USPTO XML. `--format NAME` skips sniffing. Binary inputs that no reader
 * claims are skipped and counted, never scanned as text.
 */
#include <string.h>

#include "input.h"

static const rf_format formats[] = {
    {"code", rf_sniff_code, rf_read_code},
    {"text", rf_sniff_text, rf_read_plain},
    {NULL, NULL, NULL},
};

const rf_format *rf_formats(void)
{
    return formats;
}

const rf_format *rf_format_find(const char *name)
{
    for (const rf_format *f = formats; f->name != NULL; f++) {
        if (strcmp(f->name, name) == 0) {
            return f;
        }
    }
    return NULL;
}

rf_status rf_input_dispatch(rf_input *raw, const rf_reader_ctx *ctx)
{
    rf_peek_input peek;
    rf_input in;
    rf_status st = rf_peek_input_init(&peek, &in, raw);
    if (st != RF_OK) {
        rf_reader_diag(ctx, raw, RF_DIAG_ERROR, st, NULL, 0, 0, "%s",
                       raw->errmsg[0] ? raw->errmsg : rf_status_str(st));
        return RF_OK;
    }
    const char *name = in.member ? in.member : in.path;
    const rf_format *best = NULL;
    if (ctx->forced_format != NULL) {
        best = rf_format_find(ctx->forced_format);
        if (best == NULL) {
            return RF_EINVAL;
        }
    } else {
        int best_score = 0;
        for (const rf_format *f = formats; f->name != NULL; f++) {
            int score = f->sniff(peek.head, peek.head_len, name);
            if (score > best_score) {
                best_score = score;
                best = f;
            }
        }
    }
    if (best == NULL) {
        if (peek.head_len > 0 && rf_looks_binary(peek.head, peek.head_len)) {
            if (ctx->binary_skipped != NULL) {
                (*ctx->binary_skipped)++;
            }
            return RF_OK;
        }
        best = rf_format_find("text");
    }
    return best->read(&in, ctx);
}
