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

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool in_pubref(const rf_xb *x)
{
    const char *p = rf_xb_parent(x, 2);
    return is(rf_xb_parent(x, 1), "document-id") &&
           (is(p, "publication-reference") ||
            is(p, "cn-publication-reference"));
}

static bool in_appref(const rf_xb *x)
{
    return is(rf_xb_parent(x, 1), "document-id") &&
           is(rf_xb_parent(x, 2), "application-reference");
}

static int party_kind(const char *name)
{
    if (is(name, "us-applicant") || is(name, "applicant") ||
        is(name, "cn-applicant")) {
        return 1;
    }
    if (is(name, "inventor") || is(name, "cn-inventor")) {
        return 2;
    }
    if (is(name, "assignee")) {
        return 3;
    }
    if (is(name, "agent") || is(name, "cn-agent") || is(name, "cn-agency") ||
        is(name, "examiners") || is(name, "primary-examiner") ||
        is(name, "assistant-examiner")) {
        return 4;
    }
    return 0;
}

static bool is_class_part(const char *name)
{
    return is(name, "section") || is(name, "class") || is(name, "subclass") ||
           is(name, "main-group") || is(name, "subgroup");
}

static bool in_classification(const rf_xb *x)
{
    const char *p = rf_xb_parent(x, 1);
    return is(p, "classification-ipcr") || is(p, "classification-cpc");
}

static bool is_class_text(const rf_xb *x, const char *name)
{
    const char *p = rf_xb_parent(x, 1);
    if (is(name, "text")) {
        return is(p, "classification-ipcr") || is(p, "classification-cpc");
    }
    if (is(name, "main-classification") || is(name, "further-classification") ||
        is(name, "main-clsf") || is(name, "further-clsf")) {
        return is(p, "classification-ipc");
    }
    return false;
}

/* Does this element name a structural part of a description (ST.36)? +1
 * background, -1 another part, 0 not structural. */
static int structural_part(const char *name)
{
    if (is(name, "background-art") || is(name, "citation-list") ||
        is(name, "background-of-invention")) {
        return 1;
    }
    static const char *const others[] = {
        "technical-field",
        "disclosure",
        "summary-of-invention",
        "tech-problem",
        "tech-solution",
        "advantageous-effects",
        "description-of-drawings",
        "description-of-embodiments",
        "best-mode",
        "mode-for-invention",
        "industrial-applicability",
        "reference-signs-list",
        "sequence-list-text",
        NULL};
    for (size_t i = 0; others[i] != NULL; i++) {
        if (is(name, others[i])) {
            return -1;
        }
    }
    return 0;
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

/* Body and bibliography elements common to the family. */
void rf_st36_start(rf_xb *x, const char *name, const char **atts)
{
    /* bibliography fields */
    if ((is(name, "country") || is(name, "doc-number") || is(name, "kind") ||
         is(name, "date")) &&
        (in_pubref(x) || in_appref(x))) {
        rf_xb_field_begin(x);
        return;
    }
    if (is(name, "date") && is(rf_xb_parent(x, 1), "priority-claim")) {
        rf_xb_field_begin(x);
        return;
    }
    if (is(name, "invention-title")) {
        /* CNIPA repeats the title at the top of the description */
        if (rf_xb_in(x, "description")) {
            rf_xb_skip(x);
            return;
        }
        char l[16] = "";
        const char *lang = rf_xb_attr(atts, "lang");
        rf_patent_lang(l, sizeof(l), lang);
        rf_xb_para(x, RF_SECTION_TITLE, l[0] ? l : NULL, NULL, false, 0);
        return;
    }
    if (in_classification(x) && is_class_part(name)) {
        rf_xb_field_begin(x);
        return;
    }
    if (is_class_text(x, name)) {
        rf_xb_field_begin(x);
        return;
    }
    int pk = party_kind(name);
    if (pk != 0 && x->state[T_PARTY] == 0) {
        x->state[T_PARTY] = pk;
        const char *role = rf_xb_attr(atts, "app-type");
        x->state[T_IN_INVENTOR_ROLE] =
            role != NULL && strstr(role, "inventor") != NULL;
        return;
    }
    if (x->state[T_PARTY] != 0 &&
        (is(name, "orgname") || is(name, "first-name") ||
         is(name, "last-name") || is(name, "name"))) {
        rf_xb_field_begin(x);
        return;
    }
    /* body */
    if (is(name, "abstract") || is(name, "description") || is(name, "claims")) {
        part_lang(x, atts);
        return;
    }
    if (is(name, "maths") || is(name, "math") || is(name, "chemistry") ||
        is(name, "img") || is(name, "DP") || is(name, "doc-page")) {
        rf_xb_skip(x);
        return;
    }
    if (rf_xb_in(x, "description")) {
        int part = structural_part(name);
        if (part != 0) {
            rf_xb_force_background(x, part);
            return;
        }
    }
    const char *lang = rf_xb_slot(x, S_PART_LANG);
    if (is(name, "claim") && rf_xb_in(x, "claims")) {
        char label[32];
        rf_xb_claim_label(label, sizeof(label), rf_xb_attr(atts, "num"));
        rf_xb_para(
            x, RF_SECTION_CLAIMS, lang, label[0] ? label : NULL, false, 0);
        return;
    }
    if (is(name, "claim-text") || is(name, "br") || is(name, "li") ||
        is(name, "row")) {
        rf_xb_break(x);
        return;
    }
    if (is(name, "entry")) {
        space_sep(x);
        return;
    }
    if (is(name, "p") || is(name, "heading")) {
        if (rf_xb_in(x, "abstract")) {
            rf_xb_para(x, RF_SECTION_ABSTRACT, lang, NULL, false, 0);
        } else if (rf_xb_in(x, "description")) {
            char label[32] = "";
            if (is(name, "p")) {
                rf_xb_para_label(label, sizeof(label), rf_xb_attr(atts, "num"));
            }
            const char *lv = rf_xb_attr(atts, "level");
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, lang, label[0] ? label : NULL,
                is(name, "heading"), lv != NULL ? atoi(lv) : 0);
        } else if (rf_xb_in(x, "claims")) {
            rf_xb_break(x);
        }
        return;
    }
}

void rf_st36_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (in_pubref(x)) {
            int slot = is(name, "country")      ? S_COUNTRY
                       : is(name, "doc-number") ? S_NUMBER
                       : is(name, "kind")       ? S_KIND
                                                : -1;
            if (slot >= 0) {
                name_part(x, slot, v);
            } else if (x->doc->date_published == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_published, v));
            }
        } else if (in_appref(x)) {
            if (is(name, "date") && x->doc->date_filed == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
            }
        } else if (is(name, "date")) {
            /* priority: the earliest date claimed */
            const char *p = rf_xb_slot(x, S_PRIORITY);
            if (v[0] != '\0' && (p[0] == '\0' || strcmp(v, p) < 0)) {
                rf_xb_slot_set(x, S_PRIORITY, v);
            }
        } else if (in_classification(x) && is_class_part(name)) {
            if (is(name, "main-group")) {
                append_slot(x, S_CLASS, " ", v);
            } else if (is(name, "subgroup")) {
                append_slot(x, S_CLASS, "/", v);
            } else {
                append_slot(x, S_CLASS, "", v);
            }
        } else if (is_class_text(x, name)) {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        } else if (is(name, "orgname")) {
            name_part(x, S_ORG, v);
        } else if (is(name, "first-name")) {
            name_part(x, S_FIRST, v);
        } else if (is(name, "last-name")) {
            name_part(x, S_LAST, v);
        } else if (is(name, "name")) {
            name_part(x, S_NAME, v);
        }
        return;
    }
    if (is(name, "publication-reference") ||
        is(name, "cn-publication-reference")) {
        if (x->doc->id == NULL && rf_xb_slot(x, S_NUMBER)[0] != '\0') {
            const char *kind = rf_xb_slot(x, S_KIND_OVERRIDE)[0] != '\0'
                                   ? rf_xb_slot(x, S_KIND_OVERRIDE)
                                   : rf_xb_slot(x, S_KIND);
            rf_xb_set_id(
                x, rf_xb_slot(x, S_COUNTRY), rf_xb_slot(x, S_NUMBER), kind);
        }
        return;
    }
    if (is(name, "priority-claims")) {
        if (x->doc->date_priority == NULL) {
            rf_xb_check(
                x, rf_patent_set_date(
                       &x->doc->date_priority, rf_xb_slot(x, S_PRIORITY)));
        }
        return;
    }
    if (is(name, "classification-ipcr") || is(name, "classification-cpc")) {
        const char *c = rf_xb_slot(x, S_CLASS);
        if (c[0] != '\0') {
            rf_xb_check(x, rf_patent_add_class(x->doc, c, strlen(c)));
        }
        rf_xb_slot_set(x, S_CLASS, "");
        return;
    }
    int pk = party_kind(name);
    if (pk != 0 && pk == x->state[T_PARTY]) {
        flush_party(x); /* agents and examiners (4) are only cleared */
        x->state[T_PARTY] = 0;
        x->state[T_IN_INVENTOR_ROLE] = 0;
        return;
    }
    if (rf_xb_in(x, "description") && structural_part(name) != 0) {
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
