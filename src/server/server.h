/*
 * server.h - internals of the triage server (never installed).
 *
 *   server.c   libmicrohttpd glue: listening, Host check, CSRF tokens,
 *              security headers, routing, request bodies
 *   pages.c    the HTML pages (list, finding, summary), rendered on the
 *              server with the report's escaper and snippet highlighter
 *   api.c      the JSON API under /api/ and the summary tallies
 *   assets.c   the stylesheet and script, compiled in (no files on disk,
 *              so there is no path to traverse)
 *
 * The page and API code never sees libmicrohttpd: a request is a method,
 * a path, a query-argument getter and a body; a response is a status, a
 * content type and a buffer. Store calls are serialised by srv->lock.
 */
#ifndef RF_SERVER_SERVER_H
#define RF_SERVER_SERVER_H

#include <pthread.h>

#include "findings/store.h"
#include "internal.h"
#include "report/report.h"

#define RF_SERVER_TOKENS 64 /* CSRF tokens remembered (sessions) */

struct rf_server {
    rf_store *st;
    pthread_mutex_t lock;
    void *daemon; /* struct MHD_Daemon * */
    char url[96];
    char errmsg[512];
    char host_bind[80]; /* "ADDR:PORT" as a Host header names it */
    unsigned port;
    bool loopback;
    bool any_host; /* wildcard bind with allow_remote: Host unchecked */
    char tokens[RF_SERVER_TOKENS][33];
    unsigned next_token;
};

typedef struct rf_http_req {
    const char *method;
    const char *path;
    /* Query argument by name; NULL when absent. */
    const char *(*arg)(void *ctx, const char *name);
    void *ctx;
    const char *body;
    size_t body_len;
    const char *csrf; /* this session's token, for pages to embed */
} rf_http_req;

typedef struct rf_http_resp {
    unsigned code;
    const char *type; /* static string */
    rf_buf body;
} rf_http_resp;

/* A static asset by path ("/static/app.js"); false if there is none. */
bool rf_server__asset(const char *path, const char **type, const char **body);

/* Pages (pages.c). Each fills @p rs; a non-OK return is an internal
 * error (500). The store lock is held by the caller. */
rf_status
rf_server__page_list(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs);
rf_status rf_server__page_finding(
    rf_server *srv, const rf_http_req *rq, const char *fp, rf_http_resp *rs);
rf_status rf_server__page_summary(
    rf_server *srv, const rf_http_req *rq, rf_http_resp *rs);
/* A small HTML error page. */
rf_status
rf_server__page_error(rf_http_resp *rs, unsigned code, const char *msg);

/* JSON API (api.c). */
rf_status rf_server__api_findings(
    rf_server *srv, const rf_http_req *rq, rf_http_resp *rs);
rf_status rf_server__api_finding(
    rf_server *srv, const rf_http_req *rq, const char *fp, rf_http_resp *rs);
rf_status
rf_server__api_summary(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs);
rf_status
rf_server__api_review(rf_server *srv, const rf_http_req *rq, rf_http_resp *rs);
rf_status
rf_server__json_error(rf_http_resp *rs, unsigned code, const char *msg);

/* ---- shared by pages.c and api.c ---- */

/* The list parameters a page or API call was asked for. Strings are
 * borrowed from the request. */
typedef struct rf_list_params {
    rf_store_filter flt;
    const char *severity; /* as given, for re-encoding links */
    const char *status;
    const char *sort; /* severity, status, document, rule, trait, lang,
                         date; NULL = report order */
    bool desc;
    uint64_t page; /* 1-based */
    uint64_t per;
    const char *error; /* a parameter was invalid (static message) */
} rf_list_params;

#define RF_SERVER_PER_DEFAULT 50
#define RF_SERVER_PER_MAX     500

void rf_server__list_params(rf_list_params *lp, const rf_http_req *rq);
/* ORDER BY keys for lp->sort (trusted SQL from a fixed table) or NULL. */
const char *rf_server__order_sql(const rf_list_params *lp);
/* True for 6..128 lowercase or uppercase hex digits. */
bool rf_server__valid_fp(const char *fp);

/* Tallies for the summary (api.c): one chart's bars. */
typedef struct rf_tally_list {
    rf_chart_bar *v;
    size_t n;
    rf_strvec labels; /* owns the labels */
} rf_tally_list;

typedef struct rf_summary {
    uint64_t findings;
    uint64_t documents;
    uint64_t by_sev[RF_SEV_CRITICAL + 1];
    uint64_t by_status[RF_REVIEW_RESOLVED + 1];
    rf_tally_list traits, applicants, years, langs;
} rf_summary;

rf_status rf_server__summary(rf_summary *out, rf_server *srv);
void rf_server__summary_free(rf_summary *sum);
/* Distinct trait names, for the filter menu. */
rf_status rf_server__traits(rf_strvec *out, rf_server *srv);

#endif /* RF_SERVER_SERVER_H */
