/*
 * formats.c - the format table and dispatch: sniff an input by its content
 * (and, for source code, its name), then hand it to one reader.
 *
 * Content wins over names: a weekly USPTO file named .txt is still read as
 * USPTO XML. `--format NAME` skips sniffing for documents, but an archive
 * or a compressed file is always opened first, so `--format uspto-xml` on
 * a zipped weekly file applies to the members. Binary inputs that no
 * reader claims are skipped and counted, never scanned as text.
 *
 * Scores: archives 200 (magic numbers are certain), patent formats 100
 * (root element or first JSON keys), HTML 50, code 10 (by extension),
 * text 1 (anything that is not binary).
 */
#include <string.h>

#include "input.h"

static const rf_format formats[] = {
    {"archive", rf_sniff_archive, rf_read_archive},
    {"uspto-xml", rf_sniff_uspto_xml, rf_read_uspto_xml},
    {"epo-xml", rf_sniff_epo_xml, rf_read_epo_xml},
    {"wipo-st36", rf_sniff_wipo_st36, rf_read_wipo_st36},
    {"cnipa-xml", rf_sniff_cnipa_xml, rf_read_cnipa_xml},
    {"wipo-st96", rf_sniff_wipo_st96, rf_read_wipo_st96},
    {"uspto-xml4ip", rf_sniff_uspto_xml4ip, rf_read_uspto_xml4ip},
    {"jpo-xml", rf_sniff_jpo_xml, rf_read_jpo_xml},
    {"uspto-aps", rf_sniff_uspto_aps, rf_read_uspto_aps},
    {"google-patents-json", rf_sniff_google_patents_json,
     rf_read_google_patents_json},
    {"html", rf_sniff_html, rf_read_html},
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

const rf_format *rf_format_sniff(const char *head, size_t len, const char *name)
{
    const rf_format *best = NULL;
    int best_score = 0;
    for (const rf_format *f = formats; f->name != NULL; f++) {
        int score = f->sniff(head, len, name);
        if (score > best_score) {
            best_score = score;
            best = f;
        }
    }
    return best;
}

void rf_input_unreadable(
    const rf_reader_ctx *ctx, const rf_input *in, rf_status st)
{
    rf_reader_diag(
        ctx, in, RF_DIAG_ERROR, st, NULL, 0, 0, "%s",
        in->errmsg[0] ? in->errmsg : rf_status_str(st));
}

rf_status rf_input_dispatch(rf_input *raw, const rf_reader_ctx *ctx)
{
    rf_peek_input peek;
    rf_input in;
    rf_status st = rf_peek_input_init(&peek, &in, raw);
    if (st != RF_OK) {
        rf_input_unreadable(ctx, raw, st);
        return RF_OK;
    }
    const char *name = in.member ? in.member : in.path;
    const rf_format *best = NULL;
    /* a later piece of a file is in the format its head was read as
     * (scan/chunk.c), whatever bytes it starts with */
    if (!ctx->continuation &&
        rf_sniff_archive(peek.head, peek.head_len, name) > 0) {
        best = rf_format_find("archive");
    } else if (ctx->forced_format != NULL) {
        best = rf_format_find(ctx->forced_format);
        if (best == NULL) {
            rf_peek_input_free(&peek);
            return RF_EINVAL;
        }
    } else {
        best = rf_format_sniff(peek.head, peek.head_len, name);
    }
    /* UTF-16 and undeclared GB18030 text is decoded to UTF-8 first */
    const char *enc = NULL;
    if (best == NULL || strcmp(best->name, "text") == 0 ||
        strcmp(best->name, "code") == 0) {
        enc = rf_text_encoding(peek.head, peek.head_len);
    }
    if (best == NULL) {
        if (enc == NULL && peek.head_len > 0 &&
            rf_looks_binary(peek.head, peek.head_len)) {
            if (ctx->binary_skipped != NULL) {
                (*ctx->binary_skipped)++;
            }
            rf_peek_input_free(&peek);
            return RF_OK;
        }
        best = rf_format_find("text");
    }
    /* A document reader reads to the end: a stream that can read ahead
     * may start now. Not before the sniffing (the head is read here, as
     * ever), not for an archive (its large members read ahead instead,
     * one thread per chain of archives) and not for a skipped binary. */
    if (raw->read_ahead != NULL && strcmp(best->name, "archive") != 0) {
        raw->read_ahead(raw);
    }
    rf_decode_input dec;
    rf_input din;
    if (enc != NULL && rf_decode_input_init(&dec, &din, &in, enc) == RF_OK) {
        st = best->read(&din, ctx);
        rf_decode_input_free(&dec);
    } else {
        in.format = best->name;
        st = best->read(&in, ctx);
    }
    rf_peek_input_free(&peek);
    return st;
}
