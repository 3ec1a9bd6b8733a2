/*
 * xml_jpo.c - Japan Patent Office gazette XML (jp-official-gazette).
 *
 * ST.36 vocabulary with a jp: namespace for office-specific parts; the
 * kind element holds the gazette's Japanese name ("公開特許公報(A)"), the
 * ST.16 kind code is the root's kind-of-st16 attribute. The description
 * is structured (technical-field, background-art, citation-list,
 * summary-of-invention, description-of-embodiments): xml_st36.c maps the
 * background parts by structure.
 */
#include "xml.h"

static void jpo_start(rf_xb *x, const char *name, const char **atts)
{
    if (x->depth == 1) {
        rf_st36_root(x, atts);
        rf_xb_set_lang(x, "ja");
        return;
    }
    rf_st36_start(x, name, atts);
}

const rf_xml_handler rf_jpo_handler = {"jpo-xml", jpo_start, rf_st36_end};

static const char *const jpo_roots[] = {"jp-official-gazette", NULL};

int rf_sniff_jpo_xml(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    return rf_xml_sniff_roots(head, len, jpo_roots);
}

rf_status rf_read_jpo_xml(rf_input *in, const rf_reader_ctx *ctx)
{
    return rf_xml_read(in, ctx, &rf_jpo_handler);
}
