/*
 * patent.h - what every patent reader shares, whatever the syntax: DOCDB
 * ids, dates, classification symbols, headings that open and close the
 * background part of a description, and the "paragraph router" that sends
 * each paragraph of a document to the right section with its origin runs.
 */
#ifndef RF_PATENT_H
#define RF_PATENT_H

#include "input.h"

/*
 * Build "CC-NUMBER-KIND" (DOCDB form, as Google Patents writes it) from the
 * parts found in a document. Leading zeros of US grant numbers are dropped
 * ("08930553" -> "8930553"); an 11-digit US application number loses the
 * padding zero after its year ("20050004437" -> "2005004437"); spaces,
 * slashes and a repeated country prefix are removed. Any part may be NULL
 * or empty; the result is written into out (always NUL-terminated).
 */
void rf_patent_docdb(
    char *out,
    size_t cap,
    const char *country,
    const char *number,
    const char *kind);

/* "20210707" -> "2021-07-07" (also accepts "2021-07-07"). NULL when the
 * value is not a date: readers keep unknown rather than guess. */
rf_status rf_patent_set_date(char **field, const char *value);

/*
 * Normalise an IPC / CPC symbol to the compact form "G06F15/16" from the
 * spellings found in the wild: "G06F 15/16", "G06F015/16",
 * "B65D  51/18        20060101AFI20191003BHEP", "A24B   15/18 (2006.01)",
 * "H04N   1/40". Returns false (out = "") when the text is not a symbol.
 */
bool rf_patent_class(char *out, size_t cap, const char *raw, size_t len);

/* Add a normalised class symbol to doc->classes unless already present. */
rf_status rf_patent_add_class(rf_doc *doc, const char *raw, size_t len);

/* Add a name (trimmed, inner runs of whitespace collapsed) to a list unless
 * already present. Empty names are ignored. */
rf_status rf_patent_add_name(rf_strvec *list, const char *name, size_t len);

/* Lower-case a language code into out ("EN" -> "en", "ZH" -> "zh"; the
 * CNIPA "CN" body language means Chinese). */
void rf_patent_lang(char *out, size_t cap, const char *lang);

/* Set doc->title, when unset, from the TITLE section in the document's
 * language (else the first TITLE section). */
rf_status rf_patent_fill_title(rf_doc *doc);

/* ---------------- headings ---------------- */

typedef enum rf_heading_class {
    RF_HEADING_OTHER = 0,      /* ends a background part */
    RF_HEADING_BACKGROUND = 1, /* opens one */
    RF_HEADING_NEUTRAL = 2     /* "Field of the invention": keeps state */
} rf_heading_class;

/* Classify a heading's text (any language the corpus uses). */
rf_heading_class rf_patent_heading_class(const char *s, size_t len);

/* True when a short paragraph reads as a heading on its own ("背景技术",
 * "BACKGROUND OF THE INVENTION"): formats without heading markup use it. */
bool rf_patent_looks_like_heading(const char *s, size_t len);

/* ---------------- the paragraph router ---------------- */

/*
 * A paragraph is collected with its origin runs, then flushed into the
 * section of its kind and language. Description paragraphs pass through a
 * small state machine: a background heading switches the following
 * paragraphs to RF_SECTION_BACKGROUND until the next heading of the same or
 * a higher level; structural markup (<BackgroundArt>) can force it.
 * Paragraphs are separated by "\n\n" so sentences never merge.
 */
typedef struct rf_router {
    rf_doc *doc;
    rf_section para; /* the paragraph being collected (text + origins) */
    rf_section_kind kind;
    char lang[16];
    char unit[32];
    bool heading;
    int heading_level; /* 0 = unknown */
    bool open;
    bool background;
    int background_level;
    int forced;        /* >0: structural background, <0: structural non-bg */
    uint64_t max_text; /* limits->max_document_size, 0 = none */
    uint64_t text_bytes;
    bool truncated;
} rf_router;

void rf_router_init(rf_router *r, rf_doc *doc, uint64_t max_text);
void rf_router_free(rf_router *r);
/* Forget the paragraph and the background state (new document). */
void rf_router_reset(rf_router *r);

/* Open a paragraph. Opening one while another is open flushes the first.
 * A unit of "#claim" or "#para" is read from the paragraph's own leading
 * "3." or "[0042]" when it closes. */
rf_status rf_router_begin(
    rf_router *r,
    rf_section_kind kind,
    const char *lang,
    const char *unit,
    bool heading,
    int heading_level);
/* Text of the open paragraph that came from src_off (line may be 0). */
rf_status rf_router_text(
    rf_router *r,
    const char *text,
    size_t len,
    uint64_t src_off,
    uint64_t line);
/* Text with no origin of its own (separators). */
rf_status rf_router_plain(rf_router *r, const char *text, size_t len);
/* A line break inside the paragraph (between claim elements, list items);
 * collapses with whitespace already there. */
rf_status rf_router_break(rf_router *r);
/* Flush the open paragraph (no-op if none). */
rf_status rf_router_end(rf_router *r);

/* Find or add the section of this kind and language. *out stays valid
 * until the next section is added. */
rf_status rf_router_section(
    rf_section **out, rf_doc *doc, rf_section_kind kind, const char *lang);

#endif /* RF_PATENT_H */
