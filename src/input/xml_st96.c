/*
 * xml_st96.c - WIPO ST.96 and the USPTO's XML4IP file-wrapper documents.
 *
 * ST.96 is namespaced CamelCase (pat:Claim, com:P, pat:BackgroundArt);
 * the engine strips prefixes, so only local names matter here. A claim's
 * number is an element (pat:ClaimNumber) inside the claim rather than an
 * attribute: the unit label is set on the open paragraph when it arrives.
 *
 * XML4IP (urn:us:gov:doc:uspto:patent) uses the same style for the
 * documents of an application's file wrapper: ClaimsDocument (claims as
 * filed or amended), SpecificationDocument (ABST, SPEC ...). They carry an
 * application number, not a publication number: the id is "US-<appl>".
 */
#include <stdlib.h>
#include <string.h>

#include "xml.h"

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

enum {
    W_COUNTRY = 0,
    W_NUMBER,
    W_KIND,
    W_CLASS,
    W_FIRST,
    W_LAST,
    W_ORG,
    W_PRIORITY,
    W_LANG,
    W_DOCCODE
};

enum { W_PARTY = 0 }; /* 1 applicant, 2 inventor, 3 assignee */

static int party_of(const char *name)
{
    return is(name, "Applicant")  ? 1
           : is(name, "Inventor") ? 2
           : is(name, "Assignee") ? 3
                                  : 0;
}

static int st96_part(const char *name)
{
    if (is(name, "BackgroundArt")) {
        return 1;
    }
    static const char *const others[] = {
        "TechnicalField",
        "Disclosure",
        "DrawingDescription",
        "EmbodimentDescription",
        "BestMode",
        "IndustrialApplicability",
        "InventionSummary",
        "RelatedApplicationBag",
        NULL};
    for (size_t i = 0; others[i] != NULL; i++) {
        if (is(name, others[i])) {
            return -1;
        }
    }
    return 0;
}

static bool class_part(const rf_xb *x, const char *name)
{
    if (!rf_xb_in(x, "IPCRClassification") &&
        !rf_xb_in(x, "CPCClassification")) {
        return false;
    }
    return is(name, "Section") || is(name, "CPCSection") || is(name, "Class") ||
           is(name, "Subclass") || is(name, "MainGroup") ||
           is(name, "Subgroup");
}

static void body_start(rf_xb *x, const char *name, const char **atts)
{
    const char *lang = rf_xb_slot(x, W_LANG);
    if (is(name, "math") || is(name, "Math") || is(name, "Image") ||
        is(name, "Figure") || is(name, "BoundaryData") ||
        is(name, "ClaimLabelText") || is(name, "ClaimTypeCategory")) {
        rf_xb_skip(x);
        return;
    }
    if (rf_xb_in(x, "Description")) {
        int part = st96_part(name);
        if (part != 0) {
            rf_xb_force_background(x, part);
            return;
        }
    }
    if (is(name, "Claim") &&
        (rf_xb_in(x, "Claims") || rf_xb_in(x, "ClaimList"))) {
        rf_xb_para(x, RF_SECTION_CLAIMS, lang, NULL, false, 0);
    } else if (is(name, "ClaimNumber") && rf_xb_in(x, "Claim")) {
        rf_xb_field_begin(x);
        rf_xb_skip(x);
    } else if (
        is(name, "ClaimText") || is(name, "Br") || is(name, "Row") ||
        is(name, "Li")) {
        rf_xb_break(x);
    } else if (is(name, "P") || is(name, "Heading")) {
        char label[32] = "";
        rf_xb_para_label(label, sizeof(label), rf_xb_attr(atts, "pNumber"));
        const char *code = rf_xb_slot(x, W_DOCCODE);
        if (rf_xb_in(x, "Abstract") || is(code, "ABST")) {
            rf_xb_para(x, RF_SECTION_ABSTRACT, lang, NULL, false, 0);
        } else if (rf_xb_in(x, "Description") || rf_xb_in(x, "Specification")) {
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, lang, label[0] ? label : NULL,
                is(name, "Heading"), 0);
        } else if (rf_xb_in(x, "Claim")) {
            rf_xb_break(x);
        }
    }
}

static void claim_number(rf_xb *x, const char *v)
{
    /* the number arrives inside the claim: label the open paragraph */
    char label[32];
    rf_xb_claim_label(label, sizeof(label), v);
    if (label[0] != '\0' && x->router.open) {
        snprintf(x->router.unit, sizeof(x->router.unit), "%s", label);
    }
}

static void st96_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        const char *lang = rf_xb_attr(atts, "languageCode");
        rf_xb_set_lang(x, lang != NULL ? lang : "en");
        rf_xb_slot_set(x, W_LANG, rf_xb_lang(x));
        return;
    }
    if (rf_xb_in(x, "BibliographicData")) {
        int pk = party_of(name);
        if (pk != 0 && rf_xb_in(x, "PartyBag")) {
            x->state[W_PARTY] = pk;
        } else if (
            rf_xb_in(x, "PatentPublicationIdentification") &&
            x->doc->id == NULL && !rf_xb_in(x, "RelatedDocumentBag") &&
            (is(name, "IPOfficeCode") || is(name, "PublicationNumber") ||
             is(name, "PatentDocumentKindCode") ||
             is(name, "PublicationDate"))) {
            rf_xb_field_begin(x);
        } else if (
            is(name, "FilingDate") &&
            (rf_xb_in(x, "ApplicationIdentification") ||
             rf_xb_in(x, "PriorityClaim")) &&
            !rf_xb_in(x, "RelatedDocumentBag")) {
            rf_xb_field_begin(x);
        } else if (class_part(x, name)) {
            rf_xb_field_begin(x);
        } else if (is(name, "InventionTitle")) {
            char l[16] = "";
            rf_patent_lang(l, sizeof(l), rf_xb_attr(atts, "languageCode"));
            rf_xb_para(x, RF_SECTION_TITLE, l[0] ? l : NULL, NULL, false, 0);
        } else if (
            x->state[W_PARTY] != 0 &&
            (is(name, "FirstName") || is(name, "LastName") ||
             is(name, "EntityName") || is(name, "OrganizationStandardName"))) {
            rf_xb_field_begin(x);
        }
        return;
    }
    body_start(x, name, atts);
}

static void add_party(rf_xb *x)
{
    char name[RF_XB_SLOT_LEN * 2 + 2];
    const char *org = rf_xb_slot(x, W_ORG);
    if (org[0] != '\0') {
        snprintf(name, sizeof(name), "%s", org);
    } else {
        snprintf(
            name, sizeof(name), "%s %s", rf_xb_slot(x, W_FIRST),
            rf_xb_slot(x, W_LAST));
    }
    rf_strvec *list =
        x->state[W_PARTY] == 2 ? &x->doc->inventors : &x->doc->applicants;
    rf_xb_check(x, rf_patent_add_name(list, name, strlen(name)));
    rf_xb_slot_set(x, W_ORG, "");
    rf_xb_slot_set(x, W_FIRST, "");
    rf_xb_slot_set(x, W_LAST, "");
}

static void st96_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "ClaimNumber")) {
            claim_number(x, v);
        } else if (is(name, "IPOfficeCode")) {
            rf_xb_slot_set(x, W_COUNTRY, v);
        } else if (is(name, "PublicationNumber")) {
            rf_xb_slot_set(x, W_NUMBER, v);
        } else if (is(name, "PatentDocumentKindCode")) {
            rf_xb_slot_set(x, W_KIND, v);
        } else if (is(name, "PublicationDate")) {
            if (x->doc->date_published == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_published, v));
            }
        } else if (is(name, "FilingDate") && rf_xb_in(x, "PriorityClaim")) {
            const char *p = rf_xb_slot(x, W_PRIORITY);
            if (p[0] == '\0' || strcmp(v, p) < 0) {
                rf_xb_slot_set(x, W_PRIORITY, v);
            }
        } else if (is(name, "FilingDate")) {
            if (x->doc->date_filed == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
            }
        } else if (is(name, "FirstName")) {
            rf_xb_slot_set(x, W_FIRST, v);
        } else if (is(name, "LastName")) {
            rf_xb_slot_set(x, W_LAST, v);
        } else if (
            is(name, "EntityName") || is(name, "OrganizationStandardName")) {
            rf_xb_slot_set(x, W_ORG, v);
        } else {
            char buf[RF_XB_SLOT_LEN];
            snprintf(
                buf, sizeof(buf), "%s%s%s", rf_xb_slot(x, W_CLASS),
                is(name, "MainGroup")  ? " "
                : is(name, "Subgroup") ? "/"
                                       : "",
                v);
            rf_xb_slot_set(x, W_CLASS, buf);
        }
        return;
    }
    if (is(name, "PatentPublicationIdentification") && x->doc->id == NULL) {
        rf_xb_set_id(
            x, rf_xb_slot(x, W_COUNTRY), rf_xb_slot(x, W_NUMBER),
            rf_xb_slot(x, W_KIND));
    } else if (
        is(name, "IPCRClassification") || is(name, "CPCClassification")) {
        const char *c = rf_xb_slot(x, W_CLASS);
        rf_xb_check(x, rf_patent_add_class(x->doc, c, strlen(c)));
        rf_xb_slot_set(x, W_CLASS, "");
    } else if (party_of(name) != 0 && x->state[W_PARTY] == party_of(name)) {
        add_party(x);
        x->state[W_PARTY] = 0;
    } else if (is(name, "PriorityClaimBag")) {
        rf_xb_check(
            x, rf_patent_set_date(
                   &x->doc->date_priority, rf_xb_slot(x, W_PRIORITY)));
    } else if (rf_xb_in(x, "Description") && st96_part(name) != 0) {
        rf_xb_force_background(x, 0);
    }
}

const rf_xml_handler rf_st96_handler = {"wipo-st96", st96_start, st96_end};

/* ---------------- XML4IP ---------------- */

static void x4_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_xb_set_lang(x, "en");
        rf_xb_slot_set(x, W_LANG, "en");
        return;
    }
    if (is(name, "DocumentCode") ||
        (is(name, "ApplicationNumber") &&
         rf_xb_in(x, "ApplicationHeaderDetails")) ||
        is(name, "MailRoomDate")) {
        rf_xb_field_begin(x);
        return;
    }
    body_start(x, name, atts);
}

static void x4_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "ClaimNumber")) {
            claim_number(x, v);
        } else if (is(name, "DocumentCode")) {
            rf_xb_slot_set(x, W_DOCCODE, v);
            rf_xb_check(x, rf_doc_set(&x->doc->kind, v));
        } else if (is(name, "ApplicationNumber") && x->doc->id == NULL) {
            rf_xb_set_id(x, "US", v, NULL);
            rf_xb_check(x, rf_doc_set(&x->doc->kind, rf_xb_slot(x, W_DOCCODE)));
        } else if (is(name, "MailRoomDate")) {
            rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
        }
    }
}

const rf_xml_handler rf_xml4ip_handler = {"uspto-xml4ip", x4_start, x4_end};

/* ---------------- the readers ---------------- */

static const char *const st96_roots[] = {
    "PatentPublication", "PatentGrant", NULL};
static const char *const xml4ip_roots[] = {
    "ClaimsDocument", "SpecificationDocument", "AbstractDocument", NULL};

int rf_sniff_wipo_st96(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, st96_roots);
}

rf_status rf_read_wipo_st96(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_st96_handler);
}

int rf_sniff_uspto_xml4ip(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, xml4ip_roots);
}

rf_status rf_read_uspto_xml4ip(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_xml4ip_handler);
}
