/*
 * xml_epo.c - European Patent Office XML.
 *
 *   ep-patent-document (publication server, DTD v1.0-v1.5.1): the
 *   bibliography is SDOBI with numbered B-tags (B110 number, B130 kind,
 *   B220 filing date, B320 priority date, B541/B542 title per language,
 *   B711/B731 applicants or proprietors, B721 inventors); abstract,
 *   description and claims are ST.36 (xml_st36.c). A grant carries one
 *   <claims> per official language (de, en, fr): each becomes its own
 *   CLAIMS section with that language.
 *
 *   OPS responses (ops:world-patent-data): exchange-document
 *   bibliography, or full-text claims / description, where claims are
 *   numbered only in their text ("2. Apparatus as claimed in claim 1").
 */
#include <stdlib.h>
#include <string.h>

#include "xml.h"

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* slots above those xml_st36.c uses for the body */
enum { E_TITLE_LANG = 11, E_PRIORITY = 10 };
enum { E_PARTY = 3 }; /* 1 applicant, 2 inventor */

static void epo_root(rf_xb *x, const char **atts)
{
    rf_xb_set_lang(x, rf_xb_attr(atts, "lang"));
    const char *num = rf_xb_attr(atts, "doc-number");
    if (num != NULL) {
        rf_xb_set_id(
            x, rf_xb_attr(atts, "country"), num, rf_xb_attr(atts, "kind"));
    }
    rf_xb_check(
        x, rf_patent_set_date(
               &x->doc->date_published, rf_xb_attr(atts, "date-publ")));
}

static void epo_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        epo_root(x, atts);
        return;
    }
    if (!rf_xb_in(x, "SDOBI")) {
        rf_st36_start(x, name, atts);
        return;
    }
    if (is(name, "date") &&
        (is(rf_xb_parent(x, 1), "B220") || is(rf_xb_parent(x, 1), "B320"))) {
        rf_xb_field_begin(x);
    } else if (is(name, "B541")) {
        rf_xb_field_begin(x);
    } else if (is(name, "B542")) {
        rf_xb_para(
            x, RF_SECTION_TITLE, rf_xb_slot(x, E_TITLE_LANG), NULL, false, 0);
    } else if (is(name, "B711") || is(name, "B731")) {
        x->state[E_PARTY] = 1;
    } else if (is(name, "B721")) {
        x->state[E_PARTY] = 2;
    } else if (is(name, "snm") && x->state[E_PARTY] != 0) {
        rf_xb_field_begin(x);
    } else if (
        is(name, "text") && (rf_xb_in(x, "B510EP") || rf_xb_in(x, "B510"))) {
        rf_xb_field_begin(x);
    } else if ((is(name, "B511") || is(name, "B512")) && rf_xb_in(x, "B510")) {
        rf_xb_field_begin(x);
    }
}

static void epo_end(rf_xb *x, const char *name)
{
    if (!rf_xb_in(x, "SDOBI")) {
        rf_st36_end(x, name);
        return;
    }
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "date") && is(rf_xb_parent(x, 1), "B220")) {
            rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
        } else if (is(name, "date")) {
            const char *p = rf_xb_slot(x, E_PRIORITY);
            if (p[0] == '\0' || strcmp(v, p) < 0) {
                rf_xb_slot_set(x, E_PRIORITY, v);
            }
        } else if (is(name, "B541")) {
            char l[16];
            rf_patent_lang(l, sizeof(l), v);
            rf_xb_slot_set(x, E_TITLE_LANG, l);
        } else if (is(name, "snm")) {
            rf_strvec *list = x->state[E_PARTY] == 2 ? &x->doc->inventors
                                                     : &x->doc->applicants;
            rf_xb_check(x, rf_patent_add_name(list, v, strlen(v)));
        } else {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        }
        return;
    }
    if (is(name, "B711") || is(name, "B731") || is(name, "B721")) {
        x->state[E_PARTY] = 0;
    } else if (is(name, "SDOBI")) {
        rf_xb_check(
            x, rf_patent_set_date(
                   &x->doc->date_priority, rf_xb_slot(x, E_PRIORITY)));
    }
}

const rf_xml_handler rf_epo_handler = {"epo-xml", epo_start, epo_end};

/* ---------------- OPS ---------------- */

enum { O_COUNTRY = 0, O_NUMBER, O_KIND, O_CLASS, O_LANG, O_PRIORITY };

enum { O_PARTY = 0, O_DOCDB = 1, O_DONE = 2 };

static void ops_start(rf_xb *x, const char *name, const char **atts)
{
    if (is(name, "exchange-document") || is(name, "fulltext-document")) {
        const char *fam = rf_xb_attr(atts, "family-id");
        if (fam != NULL && x->doc->family_id == NULL) {
            rf_xb_check(x, rf_doc_set(&x->doc->family_id, fam));
        }
        return;
    }
    if (is(name, "document-id") && rf_xb_in(x, "publication-reference") &&
        !rf_xb_in(x, "search-result")) {
        const char *type = rf_xb_attr(atts, "document-id-type");
        x->state[O_DOCDB] = type == NULL || is(type, "docdb");
        return;
    }
    if (is(name, "date") && (rf_xb_in(x, "application-reference") ||
                             rf_xb_in(x, "priority-claim"))) {
        rf_xb_field_begin(x);
        return;
    }
    if (x->state[O_DOCDB] && is(rf_xb_parent(x, 1), "document-id") &&
        (is(name, "country") || is(name, "doc-number") || is(name, "kind") ||
         is(name, "date"))) {
        rf_xb_field_begin(x);
        return;
    }
    if (is(name, "applicant") || is(name, "inventor")) {
        const char *fmt = rf_xb_attr(atts, "data-format");
        if (fmt != NULL && is(fmt, "original")) {
            x->state[O_PARTY] = is(name, "applicant") ? 1 : 2;
        }
        return;
    }
    if (is(name, "name") && x->state[O_PARTY] != 0) {
        rf_xb_field_begin(x);
        return;
    }
    if (is(name, "text") && (is(rf_xb_parent(x, 1), "classification-ipc") ||
                             is(rf_xb_parent(x, 1), "classification-ipcr"))) {
        rf_xb_field_begin(x);
        return;
    }
    if (rf_xb_in(x, "patent-classification") &&
        (is(name, "section") || is(name, "class") || is(name, "subclass") ||
         is(name, "main-group") || is(name, "subgroup"))) {
        rf_xb_field_begin(x);
        return;
    }
    char l[16] = "";
    const char *lang = rf_xb_attr(atts, "lang");
    if (lang != NULL) {
        rf_patent_lang(l, sizeof(l), lang);
    }
    if (is(name, "invention-title")) {
        rf_xb_para(x, RF_SECTION_TITLE, l[0] ? l : NULL, NULL, false, 0);
    } else if (
        is(name, "abstract") || is(name, "claims") || is(name, "description")) {
        rf_xb_slot_set(x, O_LANG, l);
        if (l[0] != '\0') {
            rf_xb_set_lang(x, l);
        }
    } else if (is(name, "claim-text")) {
        /* OPS puts one numbered claim per claim-text */
        rf_xb_para(
            x, RF_SECTION_CLAIMS, rf_xb_slot(x, O_LANG), "#claim", false, 0);
    } else if (is(name, "p")) {
        if (rf_xb_in(x, "abstract")) {
            rf_xb_para(
                x, RF_SECTION_ABSTRACT, rf_xb_slot(x, O_LANG), NULL, false, 0);
        } else if (rf_xb_in(x, "description")) {
            rf_xb_para(
                x, RF_SECTION_DESCRIPTION, rf_xb_slot(x, O_LANG), "#para",
                false, 0);
        }
    } else if (is(name, "heading") && rf_xb_in(x, "description")) {
        rf_xb_para(
            x, RF_SECTION_DESCRIPTION, rf_xb_slot(x, O_LANG), NULL, true, 0);
    } else if (is(name, "br")) {
        rf_xb_break(x);
    }
}

static void ops_end(rf_xb *x, const char *name)
{
    if (x->field_depth == x->depth) {
        const char *v = rf_xb_field_end(x);
        if (is(name, "country")) {
            rf_xb_slot_set(x, O_COUNTRY, v);
        } else if (is(name, "doc-number")) {
            rf_xb_slot_set(x, O_NUMBER, v);
        } else if (is(name, "kind")) {
            rf_xb_slot_set(x, O_KIND, v);
        } else if (is(name, "date") && rf_xb_in(x, "application-reference")) {
            if (x->doc->date_filed == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_filed, v));
            }
        } else if (is(name, "date") && rf_xb_in(x, "priority-claim")) {
            const char *p = rf_xb_slot(x, O_PRIORITY);
            if (p[0] == '\0' || strcmp(v, p) < 0) {
                rf_xb_slot_set(x, O_PRIORITY, v);
            }
        } else if (is(name, "date")) {
            if (rf_xb_in(x, "publication-reference") &&
                x->doc->date_published == NULL) {
                rf_xb_check(x, rf_patent_set_date(&x->doc->date_published, v));
            }
        } else if (is(name, "name")) {
            rf_strvec *list = x->state[O_PARTY] == 2 ? &x->doc->inventors
                                                     : &x->doc->applicants;
            rf_xb_check(x, rf_patent_add_name(list, v, strlen(v)));
        } else if (is(name, "text")) {
            rf_xb_check(x, rf_patent_add_class(x->doc, v, strlen(v)));
        } else {
            char buf[RF_XB_SLOT_LEN];
            snprintf(
                buf, sizeof(buf), "%s%s%s", rf_xb_slot(x, O_CLASS),
                is(name, "main-group") ? " "
                : is(name, "subgroup") ? "/"
                                       : "",
                v);
            rf_xb_slot_set(x, O_CLASS, buf);
        }
        return;
    }
    if (is(name, "document-id") && x->state[O_DOCDB]) {
        x->state[O_DOCDB] = 0;
        if (x->doc->id == NULL && rf_xb_slot(x, O_NUMBER)[0] != '\0') {
            rf_xb_set_id(
                x, rf_xb_slot(x, O_COUNTRY), rf_xb_slot(x, O_NUMBER),
                rf_xb_slot(x, O_KIND));
        }
    } else if (is(name, "patent-classification")) {
        const char *c = rf_xb_slot(x, O_CLASS);
        rf_xb_check(x, rf_patent_add_class(x->doc, c, strlen(c)));
        rf_xb_slot_set(x, O_CLASS, "");
    } else if (is(name, "applicant") || is(name, "inventor")) {
        x->state[O_PARTY] = 0;
    } else if (is(name, "priority-claims")) {
        rf_xb_check(
            x, rf_patent_set_date(
                   &x->doc->date_priority, rf_xb_slot(x, O_PRIORITY)));
    }
}

const rf_xml_handler rf_epo_ops_handler = {"epo-ops", ops_start, ops_end};

/* ---------------- the reader ---------------- */

static const char *const epo_roots[] = {
    "ep-patent-document", "world-patent-data", NULL};

int rf_sniff_epo_xml(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, epo_roots);
}

rf_status rf_read_epo_xml(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_epo_handler);
}
