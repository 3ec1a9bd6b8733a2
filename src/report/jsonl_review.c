/*
 * jsonl_review.c - JSON Lines from the store: the scan's finding object
 * (rf_finding_json, jsonl.c) with the review state appended, so a consumer
 * of `redflag scan` output reads `redflag report --format jsonl` unchanged
 * and finds the extra keys at the end:
 *
 *   "status": "new" | "confirmed" | "false-positive" | "needs-review" |
 *             "resolved",
 *   "review": the analyst's decision (kept when resolved),
 *   "note": string or null, "suppressed": bool, "from_baseline": bool,
 *   "first_scan", "last_scan": scan ids, "resolved_scan": id or null.
 */
#include <stdlib.h>

#include "report.h"
#include "writer.h"

typedef struct jr {
    rf_report base;
    rf_buf line;
} jr;

static rf_status jr_begin(rf_report *r, const rf_report_meta *meta)
{
    RF_UNUSED(r);
    RF_UNUSED(meta);
    return RF_OK;
}

static rf_status jr_rule(rf_report *r, const rf_rule_info *rule)
{
    RF_UNUSED(r);
    RF_UNUSED(rule);
    return RF_OK;
}

static rf_status review_json(rf_buf *b, const rf_stored_finding *sf)
{
    rf_status st = rf_buf_puts(b, ",\"status\":");
    st = st ? st : rf_buf_json_cstr(b, rf_review_status_name(sf->status));
    st = st ? st : rf_buf_puts(b, ",\"review\":");
    st = st ? st : rf_buf_json_cstr(b, rf_review_status_name(sf->review));
    st = st ? st : rf_buf_puts(b, ",\"note\":");
    st = st ? st : rf_buf_json_cstr(b, sf->note);
    st = st ? st
            : rf_buf_printf(
                  b,
                  ",\"suppressed\":%s,\"from_baseline\":%s,"
                  "\"first_scan\":%lld,\"last_scan\":%lld,"
                  "\"resolved_scan\":",
                  sf->suppressed ? "true" : "false",
                  sf->from_baseline ? "true" : "false",
                  (long long)sf->first_scan, (long long)sf->last_scan);
    if (st == RF_OK && sf->resolved_scan > 0) {
        st = rf_buf_printf(b, "%lld", (long long)sf->resolved_scan);
    } else if (st == RF_OK) {
        st = rf_buf_puts(b, "null");
    }
    return st;
}

static rf_status
jr_finding(rf_report *r, const rf_finding *f, const rf_stored_finding *sf)
{
    jr *w = (jr *)r;
    rf_buf_reset(&w->line);
    rf_status st = rf_finding_json(&w->line, f);
    if (st == RF_OK && sf != NULL && w->line.len > 0 &&
        w->line.data[w->line.len - 1] == '}') {
        /* reopen the object to append the review keys */
        w->line.len--;
        st = review_json(&w->line, sf);
        st = st ? st : rf_buf_putc(&w->line, '}');
    }
    st = st ? st : rf_buf_putc(&w->line, '\n');
    return st ? st : rf_report__flush(&w->line, r->fp);
}

static void jr_diag(rf_report *r, const rf_diag *d)
{
    RF_UNUSED(r);
    RF_UNUSED(d);
}

static rf_status jr_end(rf_report *r, const rf_scan_summary *summary)
{
    RF_UNUSED(summary);
    return fflush(r->fp) == 0 ? RF_OK : RF_EIO;
}

static void jr_free(rf_report *r)
{
    jr *w = (jr *)r;
    rf_buf_free(&w->line);
    free(w);
}

static const rf_report_ops jr_ops = {
    .begin = jr_begin,
    .rule = jr_rule,
    .finding = jr_finding,
    .diag = jr_diag,
    .end = jr_end,
    .free = jr_free,
};

rf_status rf_report__jsonl_new(rf_report **out, FILE *fp)
{
    jr *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return RF_ENOMEM;
    }
    w->base.ops = &jr_ops;
    w->base.fp = fp;
    *out = &w->base;
    return RF_OK;
}
