/*
 * xml_cnipa.c - China National Intellectual Property Administration XML.
 *
 *   legacy cn-patent-document: ST.36 with cn- prefixed bibliography
 *   (cn-publication-reference, cn-applicants, cn-inventors); headings such
 *   as 技术领域 / 背景技术 are paragraphs of their own, which the paragraph
 *   router recognises. Often UTF-8 with a BOM, sometimes declared GB2312
 *   or GBK: the engine transcodes those.
 *
 *   current business:PatentDocumentAndRelated (XSD V2.2.x): namespaced
 *   CamelCase elements (business:Claim, base:Paragraphs); the description
 *   is divided structurally (TechnicalField, BackgroundArt, Disclosure,
 *   DrawingsDescription, InventionMode), so background text is known
 *   without reading headings.
 */
#include <string.h>

#include "xml.h"

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* ---------------- legacy ---------------- */

static void legacy_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_st36_root(x, atts);
        rf_xb_set_lang(x, "zh"); /* no-op when the root said */
        return;
    }
    rf_st36_start(x, name, atts);
}

const rf_xml_handler rf_cnipa_handler = {
    "cnipa-xml", legacy_start, rf_st36_end};

/* ---------------- current (V2.x) ---------------- */

enum { C_NAME = 0, C_PRIORITY, C_LANG };
enum { C_PARTY = 0, C_ORIGINAL = 1 };

static void cn_root(rf_xb *x, const char **atts)
{
    const char *lang = rf_xb_attr(atts, "lang");
    rf_xb_set_lang(x, lang != NULL ? lang : "zh");
    const char *num = rf_xb_attr(atts, "docNumber");
    if (num != NULL) {
        const char *cc = rf_xb_attr(atts, "country");
        rf_xb_set_id(x, cc != NULL ? cc : "CN", num, rf_xb_attr(atts, "kind"));
    }
    rf_xb_check(
        x, rf_patent_set_date(
               &x->doc->date_published, rf_xb_attr(atts, "datePublication")));
}

static int cn_part(const char *name)
{
    if (is(name, "BackgroundArt")) {
        return 1;
    }
    if (is(name, "TechnicalField") || is(name, "Disclosure") ||
        is(name, "DrawingsDescription") || is(name, "InventionMode") ||
        is(name, "EmbodimentsDescription")) {
        return -1;
    }
    return 0;
}

static void cn_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        cn_root(x, atts);
        return;
    }
    const char *lang_attr = rf_xb_attr(atts, "lang");
    if (rf_xb_in(x, "BibliographicData")) {
        if (is(name, "ApplicationReference")) {
            const char *f = rf_xb_attr(atts, "dataFormat");
            x->state[C_ORIGINAL] = f == NULL || is(f, "original");
        } else if (
            is(name, "Date") && rf_xb_in(x, "ApplicationReference") &&
            x->state[C_ORIGINAL]) {
            rf_xb_field_begin(x);
        } else if (is(name, "Date") && rf_xb_in(x, "PriorityClaim")) {
            rf_xb_field_begin(x);
        } else if (is(name, "Text") && rf_xb_in(x, "ClassificationIPCR")) {
            rf_xb_field_begin(x);
        } else if (is(name, "InventionTitle")) {
            char l[16] = "";
            rf_patent_lang(l, sizeof(l), lang_attr);
            rf_xb_para(x, RF_SECTION_TITLE, l[0] ? l : NULL, NULL, false, 0);
        } else if (is(name, "Applicant")) {
            x->state[C_PARTY] = 1;
        } else if (is(name, "Inventor")) {
            x->state[C_PARTY] = 2;
        } else if (
            (is(name, "Name") || is(name, "OrganizationName")) &&
            x->state[C_PARTY] != 0 && !rf_xb_in(x, "Address")) {
            rf_xb_field_begin(x);
        }
        return;
    }
    if (is(name, "Abstract") || is(name, "Description") || is(name, "Claims")) {
        char l[16] = "";
        rf_patent_lang(l, sizeof(l), lang_attr);
        rf_xb_slot_set(x, C_LANG, l[0] ? l : rf_xb_lang(x));
        return;
    }
    if (is(name, "Figure") || is(name, "Image") || is(name, "AbstractFigure") ||
        is(name, "math") || is(name, "Math") ||
        (is(name, "InventionTitle") && rf_xb_in(x, "Description"))) {
        rf_xb_skip(x);
        return;
    }
    int part = cn_part(name);
    if (part != 0) {
        rf_xb_force_background(x, part);
        return;
    }
    const char *lang = rf_xb_slot(x, C_LANG);
    if (is(name, "Claim") && rf_xb_in(x, "Claims")) {
        char label[32];
        rf_xb_claim_label(label, sizeof(label), rf_xb_attr(atts, "num"));
        rf_xb_para(
            x, RF_SECTION_CLAIMS, lang, label[0] ? label : NULL, false, 0);
    } else if (
        is(name, "ClaimText") || is(name, "row") || is(name, "Br") ||
        is(name, "br")) {
        rf_xb_break(x);
    } else if (is(name, "Paragraphs") || is(name, "P")) {
        if (rf_xb_in(x, "Abstract")) {
            rf_xb_para(x, RF_SECTION_ABSTRACT, lang, NULL, false, 0);
        } else if (rf_xb_in(x, "Description")) {
            char label[32] = "";
            const char *num = rf_xb_attr(atts, "num");
            rf_xb_para_label(label, sizeof(label), num);
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, lang, label[0] ? label : NULL,
                num == NULL, 0);
        } else if (rf_xb_in(x, "Claims")) {
            rf_xb_break(x);
        }
    }
}

static void cn_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "Date") && rf_xb_in(x, "PriorityClaim")) {
            const char *p = rf_xb_slot(x, C_PRIORITY);
            if (p[0] == '\0' || strcmp(v, p) < 0) {
                rf_xb_slot_set(x, C_PRIORITY, v);
            }
        } else if (is(name, "Date")) {
            if (x->doc->date_filed == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
            }
        } else if (is(name, "Text")) {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        } else {
            rf_strvec *list = x->state[C_PARTY] == 2 ? &x->doc->inventors
                                                     : &x->doc->applicants;
            rf_xb_check(x, rf_patent_add_name(list, v, strlen(v)));
        }
        return;
    }
    if (is(name, "Applicant") || is(name, "Inventor")) {
        x->state[C_PARTY] = 0;
    } else if (is(name, "BibliographicData")) {
        rf_xb_check(
            x, rf_patent_set_date(
                   &x->doc->date_priority, rf_xb_slot(x, C_PRIORITY)));
    } else if (cn_part(name) != 0) {
        rf_xb_force_background(x, 0);
    }
}

const rf_xml_handler rf_cnipa_new_handler = {"cnipa-xml", cn_start, cn_end};

/* ---------------- the reader ---------------- */

static const char *const cnipa_roots[] = {
    "cn-patent-document", "PatentDocumentAndRelated", NULL};

int rf_sniff_cnipa_xml(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, cnipa_roots);
}

rf_status rf_read_cnipa_xml(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_cnipa_handler);
}
