/*
 * xml_uspto.c - USPTO full text: the weekly grant (ipg) and application
 * (ipa) files in us-patent-grant v4.0-v4.7 / us-patent-application
 * v4.0-v4.6, and the two XML formats before them:
 *
 *   pap v1.x (2001-2004 applications, <patent-application-publication>)
 *   ST.32 v2.4/2.5 (2001-2004 grants, <PATDOC> with SGML-style B-tags)
 *
 * v4 is the ST.36 vocabulary (xml_st36.c does the work); the older two are
 * mapped here. All three may be concatenated in one weekly file: the
 * engine picks the handler per document by its root element.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* ---------------- v4 ---------------- */

static void v4_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_st36_root(x, atts);
        return;
    }
    rf_st36_start(x, name, atts);
}

const rf_xml_handler rf_uspto_handler = {"uspto-xml", v4_start, rf_st36_end};

/* ---------------- pap v1.x ---------------- */

enum { P_NUMBER = 0, P_KIND, P_GIVEN, P_MIDDLE, P_FAMILY, P_ORG };

enum { P_PARTY = 0 }; /* 1 inventor, 2 assignee */

static void pap_label(char *out, size_t cap, const char *id, bool claim)
{
    const char *p = id != NULL ? id : "";
    while (*p != '\0' && (*p < '0' || *p > '9')) {
        p++;
    }
    long n = strtol(p, NULL, 10);
    if (*p == '\0') {
        out[0] = '\0';
    } else if (claim) {
        snprintf(out, cap, "claim %ld", n);
    } else {
        snprintf(out, cap, "[%04ld]", n);
    }
}

static void pap_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_xb_set_lang(x, "en");
        return;
    }
    bool bib = rf_xb_in(x, "subdoc-bibliographic-information");
    if (bib) {
        if ((is(name, "doc-number") || is(name, "kind-code") ||
             is(name, "document-date")) &&
            is(rf_xb_parent(x, 1), "document-id") &&
            is(rf_xb_parent(x, 2), "subdoc-bibliographic-information")) {
            rf_xb_field_begin(x);
        } else if (
            is(name, "filing-date") && rf_xb_in(x, "domestic-filing-data")) {
            rf_xb_field_begin(x);
        } else if (is(name, "ipc")) {
            rf_xb_field_begin(x);
        } else if (is(name, "title-of-invention")) {
            rf_xb_para(x, RF_SECTION_TITLE, "en", NULL, false, 0);
        } else if (is(name, "inventors")) {
            x->state[P_PARTY] = 1;
        } else if (is(name, "assignee")) {
            x->state[P_PARTY] = 2;
        } else if (
            x->state[P_PARTY] != 0 &&
            (is(name, "given-name") || is(name, "middle-name") ||
             is(name, "family-name") || is(name, "organization-name"))) {
            rf_xb_field_begin(x);
        }
        return;
    }
    if (is(name, "background-of-invention")) {
        rf_xb_force_background(x, 1);
    } else if (
        is(name, "summary-of-invention") ||
        is(name, "brief-description-of-drawings") ||
        is(name, "detailed-description") ||
        is(name, "cross-reference-to-related-applications")) {
        rf_xb_force_background(x, -1);
    } else if (is(name, "paragraph") || is(name, "heading")) {
        if (rf_xb_in(x, "subdoc-abstract")) {
            if (is(name, "paragraph")) {
                rf_xb_para(x, RF_SECTION_ABSTRACT, "en", NULL, false, 0);
            }
        } else if (rf_xb_in(x, "subdoc-description")) {
            char label[32] = "";
            if (is(name, "paragraph")) {
                pap_label(label, sizeof(label), rf_xb_attr(atts, "id"), false);
            }
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, "en", label[0] ? label : NULL,
                is(name, "heading"), 0);
        }
    } else if (is(name, "claim") && rf_xb_in(x, "subdoc-claims")) {
        char label[32];
        pap_label(label, sizeof(label), rf_xb_attr(atts, "id"), true);
        rf_xb_para(
            x, RF_SECTION_CLAIMS, "en", label[0] ? label : NULL, false, 0);
    } else if (
        is(name, "claim-text") || is(name, "list-item") || is(name, "br")) {
        rf_xb_break(x);
    } else if (is(name, "math") || is(name, "image") || is(name, "chemistry")) {
        rf_xb_skip(x);
    }
}

static void pap_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "doc-number")) {
            rf_xb_slot_set(x, P_NUMBER, v);
        } else if (is(name, "kind-code")) {
            rf_xb_slot_set(x, P_KIND, v);
        } else if (is(name, "document-date")) {
            rf_xb_check(x, rf_patent_set_date(&x->doc->date_published, v));
        } else if (is(name, "filing-date")) {
            rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
        } else if (is(name, "ipc")) {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        } else if (is(name, "given-name")) {
            rf_xb_slot_set(x, P_GIVEN, v);
        } else if (is(name, "middle-name")) {
            rf_xb_slot_set(x, P_MIDDLE, v);
        } else if (is(name, "family-name")) {
            rf_xb_slot_set(x, P_FAMILY, v);
        } else if (is(name, "organization-name")) {
            rf_xb_slot_set(x, P_ORG, v);
        }
        return;
    }
    if (is(name, "document-id") &&
        is(rf_xb_parent(x, 1), "subdoc-bibliographic-information")) {
        rf_xb_set_id(x, "US", rf_xb_slot(x, P_NUMBER), rf_xb_slot(x, P_KIND));
    } else if (is(name, "name") && x->state[P_PARTY] == 1) {
        char full[RF_XB_SLOT_LEN * 3 + 3];
        snprintf(
            full, sizeof(full), "%s %s %s", rf_xb_slot(x, P_GIVEN),
            rf_xb_slot(x, P_MIDDLE), rf_xb_slot(x, P_FAMILY));
        rf_xb_check(
            x, rf_patent_add_name(&x->doc->inventors, full, strlen(full)));
        rf_xb_slot_set(x, P_GIVEN, "");
        rf_xb_slot_set(x, P_MIDDLE, "");
        rf_xb_slot_set(x, P_FAMILY, "");
    } else if (is(name, "assignee")) {
        const char *org = rf_xb_slot(x, P_ORG);
        rf_xb_check(
            x, rf_patent_add_name(&x->doc->applicants, org, strlen(org)));
        rf_xb_slot_set(x, P_ORG, "");
        x->state[P_PARTY] = 0;
    } else if (is(name, "inventors")) {
        x->state[P_PARTY] = 0;
    } else if (
        is(name, "background-of-invention") ||
        is(name, "summary-of-invention") ||
        is(name, "brief-description-of-drawings") ||
        is(name, "detailed-description") ||
        is(name, "cross-reference-to-related-applications")) {
        rf_xb_force_background(x, 0);
    }
}

const rf_xml_handler rf_uspto_pap_handler = {"uspto-xml", pap_start, pap_end};

/* ---------------- ST.32 v2.x (PATDOC) ---------------- */

enum { G_NUMBER = 0, G_KIND, G_COUNTRY, G_FIRST, G_LAST, G_ORG, G_PRIORITY };

enum { G_PARTY = 0 }; /* 1 inventor, 2 assignee */

static bool st32_field(const char *name)
{
    static const char *const fields[] = {"B110", "B130", "B140", "B190",
                                         "B220", "B320", "B511", "B512",
                                         "FNM",  "SNM",  "ONM",  NULL};
    for (size_t i = 0; fields[i] != NULL; i++) {
        if (is(name, fields[i])) {
            return true;
        }
    }
    return false;
}

static void st32_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_xb_set_lang(x, "en");
        return;
    }
    if (rf_xb_in(x, "SDOBI")) {
        if (is(name, "B721")) {
            x->state[G_PARTY] = 1;
        } else if (is(name, "B731")) {
            x->state[G_PARTY] = 2;
        } else if (is(name, "B540")) {
            rf_xb_para(x, RF_SECTION_TITLE, "en", NULL, false, 0);
        } else if (
            st32_field(name) && x->field_depth == 0 &&
            (x->state[G_PARTY] != 0 || name[0] == 'B')) {
            if (!rf_xb_in(x, "B560")) { /* not a citation */
                rf_xb_field_begin(x);
            }
        }
        return;
    }
    /* BRFSUM and DETDESC hold headed text: headings decide */
    if (is(name, "DRWDESC") || is(name, "RELAPP")) {
        rf_xb_force_background(x, -1);
    }
    const char *lv = rf_xb_attr(atts, "LVL");
    if (is(name, "PARA") || is(name, "H")) {
        if (rf_xb_in(x, "SDOAB")) {
            rf_xb_para(x, RF_SECTION_ABSTRACT, "en", NULL, false, 0);
        } else if (rf_xb_in(x, "SDODE")) {
            char label[32] = "";
            if (is(name, "PARA")) {
                pap_label(label, sizeof(label), rf_xb_attr(atts, "ID"), false);
            }
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, "en", label[0] ? label : NULL,
                is(name, "H"), lv != NULL ? atoi(lv) : 0);
        } else if (rf_xb_in(x, "CLM")) {
            rf_xb_break(x);
        }
    } else if (is(name, "CLM")) {
        char label[32];
        pap_label(label, sizeof(label), rf_xb_attr(atts, "ID"), true);
        rf_xb_para(
            x, RF_SECTION_CLAIMS, "en", label[0] ? label : NULL, false, 0);
    } else if (is(name, "CLMSTEP") || is(name, "BR")) {
        rf_xb_break(x);
    } else if (is(name, "EMI") || is(name, "MATH") || is(name, "CHEM")) {
        rf_xb_skip(x);
    }
}

static void st32_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "B110")) {
            rf_xb_slot_set(x, G_NUMBER, v);
        } else if (is(name, "B130")) {
            rf_xb_slot_set(x, G_KIND, v);
        } else if (is(name, "B190")) {
            rf_xb_slot_set(x, G_COUNTRY, v);
        } else if (is(name, "B140")) {
            rf_xb_check(x, rf_patent_set_date(&x->doc->date_published, v));
        } else if (is(name, "B220")) {
            rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
        } else if (is(name, "B320")) {
            const char *p = rf_xb_slot(x, G_PRIORITY);
            if (p[0] == '\0' || strcmp(v, p) < 0) {
                rf_xb_slot_set(x, G_PRIORITY, v);
            }
        } else if (is(name, "B511") || is(name, "B512")) {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        } else if (is(name, "FNM")) {
            rf_xb_slot_set(x, G_FIRST, v);
        } else if (is(name, "SNM")) {
            rf_xb_slot_set(x, G_LAST, v);
        } else if (is(name, "ONM")) {
            rf_xb_slot_set(x, G_ORG, v);
        }
        return;
    }
    if (is(name, "B100")) {
        const char *cc = rf_xb_slot(x, G_COUNTRY);
        rf_xb_set_id(
            x, cc[0] ? cc : "US", rf_xb_slot(x, G_NUMBER),
            rf_xb_slot(x, G_KIND));
    } else if (is(name, "B300")) {
        rf_xb_check(
            x, rf_patent_set_date(
                   &x->doc->date_priority, rf_xb_slot(x, G_PRIORITY)));
    } else if (is(name, "NAM") && x->state[G_PARTY] != 0) {
        char full[RF_XB_SLOT_LEN * 2 + 2];
        const char *org = rf_xb_slot(x, G_ORG);
        if (org[0] != '\0') {
            snprintf(full, sizeof(full), "%s", org);
        } else {
            snprintf(
                full, sizeof(full), "%s %s", rf_xb_slot(x, G_FIRST),
                rf_xb_slot(x, G_LAST));
        }
        rf_strvec *list =
            x->state[G_PARTY] == 1 ? &x->doc->inventors : &x->doc->applicants;
        rf_xb_check(x, rf_patent_add_name(list, full, strlen(full)));
        rf_xb_slot_set(x, G_FIRST, "");
        rf_xb_slot_set(x, G_LAST, "");
        rf_xb_slot_set(x, G_ORG, "");
    } else if (is(name, "B721") || is(name, "B731")) {
        x->state[G_PARTY] = 0;
    } else if (is(name, "DRWDESC") || is(name, "RELAPP")) {
        rf_xb_force_background(x, 0);
    }
}

const rf_xml_handler rf_uspto_st32_handler = {
    "uspto-xml", st32_start, st32_end};

/* ---------------- the reader ---------------- */

static const char *const uspto_roots[] = {
    "us-patent-grant", "us-patent-application",
    "patent-application-publication", "PATDOC", NULL};

int rf_sniff_uspto_xml(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, uspto_roots);
}

rf_status rf_read_uspto_xml(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_uspto_handler);
}
