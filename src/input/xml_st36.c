/*
 * xml_st36.c - the WIPO ST.36 family: the element vocabulary that USPTO
 * v4 full text, EPO publications, CNIPA's legacy cn-patent-document, JPO
 * gazettes and WIPO's own wo-patent-document all derive from.
 *
 *   bibliography  publication-reference/document-id/{country,doc-number,
 *                 kind,date}, application-reference, priority-claims,
 *                 invention-title, classification-ipc(r)/-cpc, parties
 *                 (applicants, inventors, assignees with addressbooks)
 *   abstract      <p>...
 *   description   <heading level=N>, <p num="0042">, and in the WIPO /
 *                 JPO form structural parts such as <background-art>
 *   claims        <claim num="3"><claim-text>...</claim-text></claim>,
 *                 one <claims lang=".."> per language
 *
 * The functions here are the shared core; a family's handler (uspto, jpo,
 * cnipa, epo) adds what is particular to it and delegates the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "xml.h"

enum {
    S_COUNTRY = 0,
    S_NUMBER,
    S_KIND,
    S_KIND_OVERRIDE, /* JPO: kind from the root attribute */
    S_FIRST,
    S_LAST,
    S_ORG,
    S_NAME,
    S_CLASS,
    S_PART_LANG,
    S_PRIORITY
};

enum {
    T_PARTY = 0, /* 1 applicant, 2 inventor, 3 assignee, 4 ignored */
    T_IN_INVENTOR_ROLE
};

/* The element tests below read the rf_xe ids the engine interned when
 * each element started: USPTO weekly files run every element of every
 * document through them, and strcmp chains over the names cost a tenth
 * of the scan. */

static bool in_pubref(const rf_xb *x)
{
    rf_xe p = rf_xb_id(x, 2);
    return rf_xb_id(x, 1) == RF_XE_DOCUMENT_ID &&
           (p == RF_XE_PUBLICATION_REFERENCE ||
            p == RF_XE_CN_PUBLICATION_REFERENCE);
}

static bool in_appref(const rf_xb *x)
{
    return rf_xb_id(x, 1) == RF_XE_DOCUMENT_ID &&
           rf_xb_id(x, 2) == RF_XE_APPLICATION_REFERENCE;
}

static int party_kind(rf_xe e)
{
    switch (e) {
    case RF_XE_US_APPLICANT:
    case RF_XE_APPLICANT:
    case RF_XE_CN_APPLICANT:
        return 1;
    case RF_XE_INVENTOR:
    case RF_XE_CN_INVENTOR:
        return 2;
    case RF_XE_ASSIGNEE:
        return 3;
    case RF_XE_AGENT:
    case RF_XE_CN_AGENT:
    case RF_XE_CN_AGENCY:
    case RF_XE_EXAMINERS:
    case RF_XE_PRIMARY_EXAMINER:
    case RF_XE_ASSISTANT_EXAMINER:
        return 4;
    default:
        return 0;
    }
}

static bool is_class_part(rf_xe e)
{
    return e == RF_XE_SECTION || e == RF_XE_CLASS || e == RF_XE_SUBCLASS ||
           e == RF_XE_MAIN_GROUP || e == RF_XE_SUBGROUP;
}

static bool in_classification(const rf_xb *x)
{
    rf_xe p = rf_xb_id(x, 1);
    return p == RF_XE_CLASSIFICATION_IPCR || p == RF_XE_CLASSIFICATION_CPC;
}

static bool is_class_text(const rf_xb *x, rf_xe e)
{
    rf_xe p = rf_xb_id(x, 1);
    switch (e) {
    case RF_XE_TEXT:
        return p == RF_XE_CLASSIFICATION_IPCR || p == RF_XE_CLASSIFICATION_CPC;
    case RF_XE_MAIN_CLASSIFICATION:
    case RF_XE_FURTHER_CLASSIFICATION:
    case RF_XE_MAIN_CLSF:
    case RF_XE_FURTHER_CLSF:
        return p == RF_XE_CLASSIFICATION_IPC;
    default:
        return false;
    }
}

/* Does this element name a structural part of a description (ST.36)? +1
 * background, -1 another part, 0 not structural. */
static int structural_part(rf_xe e)
{
    switch (e) {
    case RF_XE_BACKGROUND_ART:
    case RF_XE_CITATION_LIST:
    case RF_XE_BACKGROUND_OF_INVENTION:
        return 1;
    case RF_XE_TECHNICAL_FIELD:
    case RF_XE_DISCLOSURE:
    case RF_XE_SUMMARY_OF_INVENTION:
    case RF_XE_TECH_PROBLEM:
    case RF_XE_TECH_SOLUTION:
    case RF_XE_ADVANTAGEOUS_EFFECTS:
    case RF_XE_DESCRIPTION_OF_DRAWINGS:
    case RF_XE_DESCRIPTION_OF_EMBODIMENTS:
    case RF_XE_BEST_MODE:
    case RF_XE_MODE_FOR_INVENTION:
    case RF_XE_INDUSTRIAL_APPLICABILITY:
    case RF_XE_REFERENCE_SIGNS_LIST:
    case RF_XE_SEQUENCE_LIST_TEXT:
        return -1;
    default:
        return 0;
    }
}

static void part_lang(rf_xb *x, const char **atts)
{
    const char *lang = rf_xb_attr(atts, "lang");
    char l[16] = "";
    if (lang != NULL) {
        rf_patent_lang(l, sizeof(l), lang);
    }
    rf_xb_slot_set(x, S_PART_LANG, l[0] ? l : rf_xb_lang(x));
}

static void name_part(rf_xb *x, int slot, const char *value)
{
    if (rf_xb_slot(x, slot)[0] == '\0') {
        rf_xb_slot_set(x, slot, value);
    }
}

/* A party's name from the parts collected: organisation, else "first
 * last", else the single <name>. */
static void flush_party(rf_xb *x)
{
    int kind = x->state[T_PARTY];
    char name[RF_XB_SLOT_LEN * 2 + 2];
    const char *org = rf_xb_slot(x, S_ORG);
    const char *first = rf_xb_slot(x, S_FIRST);
    const char *last = rf_xb_slot(x, S_LAST);
    if (org[0] != '\0') {
        snprintf(name, sizeof(name), "%s", org);
    } else if (first[0] != '\0' || last[0] != '\0') {
        snprintf(
            name, sizeof(name), "%s%s%s", first, first[0] && last[0] ? " " : "",
            last);
    } else {
        snprintf(name, sizeof(name), "%s", rf_xb_slot(x, S_NAME));
    }
    if (kind == 4) {
        /* agents and examiners: read, then forgotten */
    } else if (kind == 1 || kind == 3) {
        rf_xb_check(
            x, rf_patent_add_name(&x->doc->applicants, name, strlen(name)));
    }
    if (kind == 2 || (kind == 1 && x->state[T_IN_INVENTOR_ROLE])) {
        rf_xb_check(
            x, rf_patent_add_name(&x->doc->inventors, name, strlen(name)));
    }
    rf_xb_slot_set(x, S_ORG, "");
    rf_xb_slot_set(x, S_FIRST, "");
    rf_xb_slot_set(x, S_LAST, "");
    rf_xb_slot_set(x, S_NAME, "");
}

static void append_slot(rf_xb *x, int slot, const char *sep, const char *v)
{
    char buf[RF_XB_SLOT_LEN];
    snprintf(buf, sizeof(buf), "%s%s%s", rf_xb_slot(x, slot), sep, v);
    rf_xb_slot_set(x, slot, buf);
}

static void space_sep(rf_xb *x)
{
    rf_router *r = &x->router;
    if (r->open && r->para.text.len > 0) {
        char c = r->para.text.data[r->para.text.len - 1];
        if (c != ' ' && c != '\n' && c != '\t') {
            rf_xb_check(x, rf_router_plain(r, " ", 1));
        }
    }
}

void rf_st36_root(rf_xb *x, const char **atts)
{
    rf_xb_set_lang(x, rf_xb_attr(atts, "lang"));
    const char *k = rf_xb_attr(atts, "kind-of-st16");
    if (k != NULL) {
        rf_xb_slot_set(x, S_KIND_OVERRIDE, k);
    }
}

/* Body and bibliography elements common to the family. `name` is the
 * current element's; its interned id on the stack is what is tested. */
void rf_st36_start(rf_xb *x, const char *name, const char **atts)
{
    RF_UNUSED(name);
    rf_xe e = rf_xb_id(x, 0);
    /* bibliography fields */
    if ((e == RF_XE_COUNTRY || e == RF_XE_DOC_NUMBER || e == RF_XE_KIND ||
         e == RF_XE_DATE) &&
        (in_pubref(x) || in_appref(x))) {
        rf_xb_field_begin(x);
        return;
    }
    if (e == RF_XE_DATE && rf_xb_id(x, 1) == RF_XE_PRIORITY_CLAIM) {
        rf_xb_field_begin(x);
        return;
    }
    if (e == RF_XE_INVENTION_TITLE) {
        /* CNIPA repeats the title at the top of the description */
        if (rf_xb_in_id(x, RF_XE_DESCRIPTION)) {
            rf_xb_skip(x);
            return;
        }
        char l[16] = "";
        const char *lang = rf_xb_attr(atts, "lang");
        rf_patent_lang(l, sizeof(l), lang);
        rf_xb_para(x, RF_SECTION_TITLE, l[0] ? l : NULL, NULL, false, 0);
        return;
    }
    if (in_classification(x) && is_class_part(e)) {
        rf_xb_field_begin(x);
        return;
    }
    if (is_class_text(x, e)) {
        rf_xb_field_begin(x);
        return;
    }
    int pk = party_kind(e);
    if (pk != 0 && x->state[T_PARTY] == 0) {
        x->state[T_PARTY] = pk;
        const char *role = rf_xb_attr(atts, "app-type");
        x->state[T_IN_INVENTOR_ROLE] =
            role != NULL && strstr(role, "inventor") != NULL;
        return;
    }
    if (x->state[T_PARTY] != 0 &&
        (e == RF_XE_ORGNAME || e == RF_XE_FIRST_NAME || e == RF_XE_LAST_NAME ||
         e == RF_XE_NAME)) {
        rf_xb_field_begin(x);
        return;
    }
    /* body */
    if (e == RF_XE_ABSTRACT || e == RF_XE_DESCRIPTION || e == RF_XE_CLAIMS) {
        part_lang(x, atts);
        return;
    }
    if (e == RF_XE_MATHS || e == RF_XE_MATH || e == RF_XE_CHEMISTRY ||
        e == RF_XE_IMG || e == RF_XE_DP || e == RF_XE_DOC_PAGE) {
        rf_xb_skip(x);
        return;
    }
    if (rf_xb_in_id(x, RF_XE_DESCRIPTION)) {
        int part = structural_part(e);
        if (part != 0) {
            rf_xb_force_background(x, part);
            return;
        }
    }
    const char *lang = rf_xb_slot(x, S_PART_LANG);
    if (e == RF_XE_CLAIM && rf_xb_in_id(x, RF_XE_CLAIMS)) {
        char label[32];
        rf_xb_claim_label(label, sizeof(label), rf_xb_attr(atts, "num"));
        rf_xb_para(
            x, RF_SECTION_CLAIMS, lang, label[0] ? label : NULL, false, 0);
        return;
    }
    if (e == RF_XE_CLAIM_TEXT || e == RF_XE_BR || e == RF_XE_LI ||
        e == RF_XE_ROW) {
        rf_xb_break(x);
        return;
    }
    if (e == RF_XE_ENTRY) {
        space_sep(x);
        return;
    }
    if (e == RF_XE_P || e == RF_XE_HEADING) {
        if (rf_xb_in_id(x, RF_XE_ABSTRACT)) {
            rf_xb_para(x, RF_SECTION_ABSTRACT, lang, NULL, false, 0);
        } else if (rf_xb_in_id(x, RF_XE_DESCRIPTION)) {
            char label[32] = "";
            if (e == RF_XE_P) {
                rf_xb_para_label(label, sizeof(label), rf_xb_attr(atts, "num"));
            }
            const char *lv = rf_xb_attr(atts, "level");
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, lang, label[0] ? label : NULL,
                e == RF_XE_HEADING, lv != NULL ? atoi(lv) : 0);
        } else if (rf_xb_in_id(x, RF_XE_CLAIMS)) {
            rf_xb_break(x);
        }
        return;
    }
}

void rf_st36_end(rf_xb *x, const char *name)
{
    RF_UNUSED(name);
    rf_xe e = rf_xb_id(x, 0);
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (in_pubref(x)) {
            int slot = e == RF_XE_COUNTRY      ? S_COUNTRY
                       : e == RF_XE_DOC_NUMBER ? S_NUMBER
                       : e == RF_XE_KIND       ? S_KIND
                                               : -1;
            if (slot >= 0) {
                name_part(x, slot, v);
            } else if (x->doc->date_published == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_published, v));
            }
        } else if (in_appref(x)) {
            if (e == RF_XE_DATE && x->doc->date_filed == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
            }
        } else if (e == RF_XE_DATE) {
            /* priority: the earliest date claimed */
            const char *p = rf_xb_slot(x, S_PRIORITY);
            if (v[0] != '\0' && (p[0] == '\0' || strcmp(v, p) < 0)) {
                rf_xb_slot_set(x, S_PRIORITY, v);
            }
        } else if (in_classification(x) && is_class_part(e)) {
            if (e == RF_XE_MAIN_GROUP) {
                append_slot(x, S_CLASS, " ", v);
            } else if (e == RF_XE_SUBGROUP) {
                append_slot(x, S_CLASS, "/", v);
            } else {
                append_slot(x, S_CLASS, "", v);
            }
        } else if (is_class_text(x, e)) {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        } else if (e == RF_XE_ORGNAME) {
            name_part(x, S_ORG, v);
        } else if (e == RF_XE_FIRST_NAME) {
            name_part(x, S_FIRST, v);
        } else if (e == RF_XE_LAST_NAME) {
            name_part(x, S_LAST, v);
        } else if (e == RF_XE_NAME) {
            name_part(x, S_NAME, v);
        }
        return;
    }
    if (e == RF_XE_PUBLICATION_REFERENCE ||
        e == RF_XE_CN_PUBLICATION_REFERENCE) {
        if (x->doc->id == NULL && rf_xb_slot(x, S_NUMBER)[0] != '\0') {
            const char *kind = rf_xb_slot(x, S_KIND_OVERRIDE)[0] != '\0'
                                   ? rf_xb_slot(x, S_KIND_OVERRIDE)
                                   : rf_xb_slot(x, S_KIND);
            rf_xb_set_id(
                x, rf_xb_slot(x, S_COUNTRY), rf_xb_slot(x, S_NUMBER), kind);
        }
        return;
    }
    if (e == RF_XE_PRIORITY_CLAIMS) {
        if (x->doc->date_priority == NULL) {
            rf_xb_check(
                x, rf_patent_set_date(
                       &x->doc->date_priority, rf_xb_slot(x, S_PRIORITY)));
        }
        return;
    }
    if (e == RF_XE_CLASSIFICATION_IPCR || e == RF_XE_CLASSIFICATION_CPC) {
        const char *c = rf_xb_slot(x, S_CLASS);
        if (c[0] != '\0') {
            rf_xb_check(x, rf_patent_add_class(x->doc, c, strlen(c)));
        }
        rf_xb_slot_set(x, S_CLASS, "");
        return;
    }
    int pk = party_kind(e);
    if (pk != 0 && pk == x->state[T_PARTY]) {
        flush_party(x); /* agents and examiners (4) are only cleared */
        x->state[T_PARTY] = 0;
        x->state[T_IN_INVENTOR_ROLE] = 0;
        return;
    }
    if (rf_xb_in_id(x, RF_XE_DESCRIPTION) && structural_part(e) != 0) {
        rf_xb_force_background(x, 0);
        return;
    }
}

static void st36_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_st36_root(x, atts);
        return;
    }
    rf_st36_start(x, name, atts);
}

const rf_xml_handler rf_st36_handler = {"wipo-st36", st36_start, rf_st36_end};

/* ---------------- the reader ---------------- */

static const char *const st36_roots[] = {
    "wo-patent-document", "patent-document", NULL};

int rf_sniff_wipo_st36(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, st36_roots);
}

rf_status rf_read_wipo_st36(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_st36_handler);
}
