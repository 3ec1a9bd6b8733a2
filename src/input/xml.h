/*
 * xml.h - the streaming XML engine under every patent XML reader.
 *
 * One engine (xml.c) splits a stream into documents at `<?xml` boundaries,
 * transcodes legacy Chinese / Japanese encodings, runs one expat parser per
 * document and keeps the element stack, the metadata scratch and the
 * paragraph router. A format only says what its elements mean: a pair of
 * start/end callbacks per family of document (rf_xml_handler), chosen per
 * document by the name of its root element.
 */
#ifndef RF_XML_H
#define RF_XML_H

#include <iconv.h>

/* Debian's libexpat is built with DTD support; the header declares the
 * billion-laughs limits only when told so. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#include "patent.h"

/* ---------------- transcoding ---------------- */

/* A run of characters that all have the same width in UTF-8 and in the
 * source encoding, so offsets inside it map by arithmetic. */
typedef struct rf_xcode_seg {
    uint64_t u8;
    uint64_t src;
    uint8_t u8step;
    uint8_t srcstep;
} rf_xcode_seg;

/*
 * Converts one document from a legacy encoding to UTF-8 for expat and
 * remembers, compactly, where each UTF-8 byte came from in the original.
 */
typedef struct rf_xcode {
    iconv_t cd; /* (iconv_t)-1 when unused */
    char name[40];
    rf_buf out;
    rf_xcode_seg *segs;
    size_t nseg;
    size_t cap;
    uint64_t u8_pos;
    uint64_t src_pos;
    char pend[8];
    size_t npend;
} rf_xcode;

void rf_xcode_init(rf_xcode *x);
/* Open a converter from `encoding` to UTF-8. RF_EUNSUPPORTED if iconv does
 * not know it. Resets the offset map. */
rf_status rf_xcode_open(rf_xcode *x, const char *encoding);
/* Convert a chunk; x->out holds the UTF-8 (replaced on every call).
 * Incomplete trailing sequences wait for the next chunk unless `final`. */
rf_status rf_xcode_feed(rf_xcode *x, const char *data, size_t len, bool final);
/* Source offset (from the document start) of UTF-8 offset u8off. */
uint64_t rf_xcode_map(const rf_xcode *x, uint64_t u8off);
bool rf_xcode_active(const rf_xcode *x);
void rf_xcode_close(rf_xcode *x);
void rf_xcode_free(rf_xcode *x);

/* UTF-8 for an HTML / ISO entity name ("ldquo"), or NULL. */
const char *rf_xml_entity(const char *name);

/* True when expat decodes this encoding itself (UTF-8/16, ASCII, Latin-1). */
bool rf_xml_encoding_native(const char *name);

/* ---------------- the engine ---------------- */

typedef struct rf_xb rf_xb;

/* The element names the ST.36 core (xml_st36.c) looks at. The engine
 * interns each element's local name once, when it starts, so that the
 * handlers compare small integers instead of running strcmp chains over
 * every element of a weekly file. */
#define RF_XE_NAMES(X)                                          \
    X(ABSTRACT, "abstract")                                     \
    X(ADVANTAGEOUS_EFFECTS, "advantageous-effects")             \
    X(AGENT, "agent")                                           \
    X(APPLICANT, "applicant")                                   \
    X(APPLICATION_REFERENCE, "application-reference")           \
    X(ASSIGNEE, "assignee")                                     \
    X(ASSISTANT_EXAMINER, "assistant-examiner")                 \
    X(BACKGROUND_ART, "background-art")                         \
    X(BACKGROUND_OF_INVENTION, "background-of-invention")       \
    X(BEST_MODE, "best-mode")                                   \
    X(BR, "br")                                                 \
    X(CHEMISTRY, "chemistry")                                   \
    X(CITATION_LIST, "citation-list")                           \
    X(CLAIM, "claim")                                           \
    X(CLAIM_TEXT, "claim-text")                                 \
    X(CLAIMS, "claims")                                         \
    X(CLASS, "class")                                           \
    X(CLASSIFICATION_CPC, "classification-cpc")                 \
    X(CLASSIFICATION_IPC, "classification-ipc")                 \
    X(CLASSIFICATION_IPCR, "classification-ipcr")               \
    X(CN_AGENCY, "cn-agency")                                   \
    X(CN_AGENT, "cn-agent")                                     \
    X(CN_APPLICANT, "cn-applicant")                             \
    X(CN_INVENTOR, "cn-inventor")                               \
    X(CN_PUBLICATION_REFERENCE, "cn-publication-reference")     \
    X(COUNTRY, "country")                                       \
    X(DATE, "date")                                             \
    X(DESCRIPTION, "description")                               \
    X(DESCRIPTION_OF_DRAWINGS, "description-of-drawings")       \
    X(DESCRIPTION_OF_EMBODIMENTS, "description-of-embodiments") \
    X(DISCLOSURE, "disclosure")                                 \
    X(DOC_NUMBER, "doc-number")                                 \
    X(DOC_PAGE, "doc-page")                                     \
    X(DOCUMENT_ID, "document-id")                               \
    X(DP, "DP")                                                 \
    X(ENTRY, "entry")                                           \
    X(EXAMINERS, "examiners")                                   \
    X(FIRST_NAME, "first-name")                                 \
    X(FURTHER_CLASSIFICATION, "further-classification")         \
    X(FURTHER_CLSF, "further-clsf")                             \
    X(HEADING, "heading")                                       \
    X(IMG, "img")                                               \
    X(INDUSTRIAL_APPLICABILITY, "industrial-applicability")     \
    X(INVENTION_TITLE, "invention-title")                       \
    X(INVENTOR, "inventor")                                     \
    X(KIND, "kind")                                             \
    X(LAST_NAME, "last-name")                                   \
    X(LI, "li")                                                 \
    X(MAIN_CLASSIFICATION, "main-classification")               \
    X(MAIN_CLSF, "main-clsf")                                   \
    X(MAIN_GROUP, "main-group")                                 \
    X(MATH, "math")                                             \
    X(MATHS, "maths")                                           \
    X(MODE_FOR_INVENTION, "mode-for-invention")                 \
    X(NAME, "name")                                             \
    X(ORGNAME, "orgname")                                       \
    X(P, "p")                                                   \
    X(PRIMARY_EXAMINER, "primary-examiner")                     \
    X(PRIORITY_CLAIM, "priority-claim")                         \
    X(PRIORITY_CLAIMS, "priority-claims")                       \
    X(PUBLICATION_REFERENCE, "publication-reference")           \
    X(REFERENCE_SIGNS_LIST, "reference-signs-list")             \
    X(ROW, "row")                                               \
    X(SECTION, "section")                                       \
    X(SEQUENCE_LIST_TEXT, "sequence-list-text")                 \
    X(SUBCLASS, "subclass")                                     \
    X(SUBGROUP, "subgroup")                                     \
    X(SUMMARY_OF_INVENTION, "summary-of-invention")             \
    X(TECH_PROBLEM, "tech-problem")                             \
    X(TECH_SOLUTION, "tech-solution")                           \
    X(TECHNICAL_FIELD, "technical-field")                       \
    X(TEXT, "text")                                             \
    X(US_APPLICANT, "us-applicant")

#define RF_XE_ENUM(id, name) RF_XE_##id,
typedef enum rf_xe {
    RF_XE_OTHER = 0, /* a name not in the list */
    RF_XE_NAMES(RF_XE_ENUM) RF_XE_COUNT
} rf_xe;
#undef RF_XE_ENUM

/* What one family of documents means. `start` and `end` receive local
 * names (prefix stripped: "pat:Claim" -> "Claim"); the element being
 * started or ended is on the stack while they run. */
typedef struct rf_xml_handler {
    const char *format; /* reported as rf_document.format */
    void (*start)(rf_xb *x, const char *name, const char **atts);
    void (*end)(rf_xb *x, const char *name);
} rf_xml_handler;

#define RF_XB_SLOTS    12
#define RF_XB_SLOT_LEN 256

struct rf_xb {
    XML_Parser parser;
    const rf_reader_ctx *ctx;
    rf_input *in;
    rf_doc *doc;
    rf_router router;
    const rf_xml_handler *handler;
    const rf_xml_handler *fallback;
    rf_xcode xcode;
    /* element stack of local names, and their rf_xe ids */
    char (*names)[48];
    uint8_t *ids;
    size_t depth;
    size_t names_cap;
    uint32_t max_depth;
    /* the metadata field being collected (innermost) */
    rf_buf field;
    size_t field_depth; /* stack depth of the element collecting; 0 = off */
    size_t skip_depth;  /* text below this depth is dropped; 0 = off */
    size_t para_depth;  /* stack depth of the open paragraph; 0 = none */
    int forced[32];     /* structural background markers, innermost last */
    size_t nforced;
    /* per-document scratch for the handlers */
    char slot[RF_XB_SLOTS][RF_XB_SLOT_LEN];
    int state[8];
    /* where the document is in the input */
    uint64_t doc_off;
    uint64_t line_base; /* lines before the document start */
    uint64_t index;     /* 0-based document index in the input */
    /* While a whole document is parsed in one final call (see feed in
     * xml.c): its bytes, and the byte index and line breaks counted so
     * far, so that emit_text needs no XML_GetCurrentLineNumber. */
    const char *lc_data;
    uint64_t lc_len;
    uint64_t lc_idx;
    uint64_t lc_lines;
    /* first error of the document: stops the parser */
    rf_status st;
    char err[256];
};

/* Read an input as a stream of XML documents. `fallback` interprets roots
 * no handler claims (the format the user forced or the sniffer chose). */
rf_status rf_xml_read(
    rf_input *in, const rf_reader_ctx *ctx, const rf_xml_handler *fallback);

/* Handler for a root element, or NULL. */
const rf_xml_handler *rf_xml_handler_for_root(const char *local_name);
/* Sniff helper: score of a head whose first element is one of `roots`. */
int rf_xml_sniff_roots(const char *head, size_t len, const char *const *roots);

/* ---------------- helpers for handlers ---------------- */

/* Attribute value by local name (prefix ignored), or NULL. */
const char *rf_xb_attr(const char **atts, const char *name);
/* True when an element of this local name is open (current included). */
bool rf_xb_in(const rf_xb *x, const char *name);
/* Local name `up` levels above the current element ("" past the root). */
const char *rf_xb_parent(const rf_xb *x, size_t up);

/* rf_xe id of the element `up` levels above the current one (RF_XE_OTHER
 * past the root). */
static inline rf_xe rf_xb_id(const rf_xb *x, size_t up)
{
    return up < x->depth ? (rf_xe)x->ids[x->depth - 1 - up] : RF_XE_OTHER;
}

/* rf_xb_in by id: an element with this id is open (current included). */
static inline bool rf_xb_in_id(const rf_xb *x, rf_xe id)
{
    for (size_t i = x->depth; i > 0; i--) {
        if (x->ids[i - 1] == id) {
            return true;
        }
    }
    return false;
}

/* Collect the text of the current element (and its children) as a field;
 * rf_xb_field_end, called from the same element's end, returns it trimmed
 * (borrowed until the next begin). */
void rf_xb_field_begin(rf_xb *x);
const char *rf_xb_field_end(rf_xb *x);
/* Drop the text of the current element and its children. */
void rf_xb_skip(rf_xb *x);

/* Paragraphs (see rf_router): the text of the elements in between goes to
 * the paragraph with its origins. */
void rf_xb_para(
    rf_xb *x,
    rf_section_kind kind,
    const char *lang,
    const char *unit,
    bool heading,
    int level);
void rf_xb_para_end(rf_xb *x);
void rf_xb_break(rf_xb *x);
/* Structural background markers: at the start of a part, +1 for a
 * background part (<BackgroundArt>), -1 for another part; 0 at its end
 * restores what the enclosing part said (or heading detection). */
void rf_xb_force_background(rf_xb *x, int forced);

/* Slots: small per-document strings the handlers keep between events. */
void rf_xb_slot_set(rf_xb *x, int slot, const char *value);
const char *rf_xb_slot(const rf_xb *x, int slot);

/* Record a failure (ENOMEM...) and stop the parser. */
void rf_xb_fail(rf_xb *x, rf_status st, const char *msg);
/* Check a status from a doc/strvec call; non-OK fails the document. */
void rf_xb_check(rf_xb *x, rf_status st);

/* Set the id from publication parts (see rf_patent_docdb). */
void rf_xb_set_id(
    rf_xb *x, const char *country, const char *num, const char *kind);
/* "EN" -> doc->lang = "en" (first one wins). */
void rf_xb_set_lang(rf_xb *x, const char *lang);
/* Language of the document (for sections without their own). */
const char *rf_xb_lang(const rf_xb *x);

/* Unit labels. */
void rf_xb_claim_label(char *out, size_t cap, const char *num);
void rf_xb_para_label(char *out, size_t cap, const char *num);

/* The ST.36 core (xml_st36.c) that family handlers delegate to. */
void rf_st36_root(rf_xb *x, const char **atts);
void rf_st36_start(rf_xb *x, const char *name, const char **atts);
void rf_st36_end(rf_xb *x, const char *name);

/* The handlers, one per family (xml_uspto.c, xml_epo.c, ...). */
extern const rf_xml_handler rf_uspto_handler;
extern const rf_xml_handler rf_uspto_pap_handler;
extern const rf_xml_handler rf_uspto_st32_handler;
extern const rf_xml_handler rf_epo_handler;
extern const rf_xml_handler rf_epo_ops_handler;
extern const rf_xml_handler rf_st36_handler;
extern const rf_xml_handler rf_jpo_handler;
extern const rf_xml_handler rf_cnipa_handler;
extern const rf_xml_handler rf_cnipa_new_handler;
extern const rf_xml_handler rf_st96_handler;
extern const rf_xml_handler rf_xml4ip_handler;

#endif /* RF_XML_H */
