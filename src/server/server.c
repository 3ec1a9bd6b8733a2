/*
 * server.c - the HTTP layer of `redflag serve`, over libmicrohttpd.
 *
 * One internal polling thread answers every request in turn, so the store
 * handle (which one thread may use at a time) is shared without a pool;
 * the mutex makes that explicit and keeps it safe if MHD's threading mode
 * ever changes. Triage is one analyst clicking, not a load test.
 *
 * Security, in the order a request meets it:
 *   1. Host must name the address we listen on (or localhost for a
 *      loopback bind): a DNS-rebinding page cannot reach us under its own
 *      name, since the browser sends that name.
 *   2. Only GET/HEAD and POST exist; POST only under /api/ and only with
 *      the session's CSRF token in X-CSRF-Token, equal to the rf_csrf
 *      cookie (SameSite=Strict, HttpOnly) and issued by this process —
 *      a cross-site form can neither read the token nor send the header.
 *   3. Static files come from a compiled-in table: an unknown path,
 *      `..` included, is simply not in it (404).
 *   4. Every response carries a CSP that allows only our own script and
 *      style, no framing, no forms elsewhere, plus nosniff and
 *      no-referrer, so a missed escape still could not run code.
 */
#include "server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef RF_HAVE_MHD
#include <microhttpd.h>
#endif

#define RF_SERVER_MAX_BODY ((size_t)64 * 1024)

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

void rf_server_options_init(rf_server_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->version = RF_SERVER_OPTIONS_VERSION;
    opts->bind = "127.0.0.1";
    opts->port = 8080;
}

bool rf_server_is_loopback(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (addr == NULL) {
        return true;
    }
    if (inet_pton(AF_INET, addr, &a4) == 1) {
        return (ntohl(a4.s_addr) >> 24) == 127;
    }
    if (inet_pton(AF_INET6, addr, &a6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&a6);
    }
    return false;
}

const char *rf_server_url(const rf_server *srv)
{
    return srv ? srv->url : "";
}

const char *rf_server_errmsg(const rf_server *srv)
{
    return srv ? srv->errmsg : "";
}

static rf_status fail(rf_server *srv, rf_status s, const char *msg)
{
    snprintf(srv->errmsg, sizeof srv->errmsg, "%s", msg);
    return s;
}

#ifndef RF_HAVE_MHD

rf_status
rf_server_start(rf_server **out, rf_store *st, const rf_server_options *opts)
{
    (void)opts;
    rf_server *srv = calloc(1, sizeof *srv);
    *out = srv;
    if (srv == NULL) {
        return RF_ENOMEM;
    }
    srv->st = st;
    pthread_mutex_init(&srv->lock, NULL);
    return fail(
        srv, RF_EUNSUPPORTED,
        "this redflag was built without libmicrohttpd "
        "(install libmicrohttpd-dev and rebuild)");
}

void rf_server_free(rf_server *srv)
{
    if (srv != NULL) {
        pthread_mutex_destroy(&srv->lock);
        free(srv);
    }
}

#else

/* ---------------- CSRF tokens ---------------- */

/* 128 random bits as 32 hex digits. getrandom() first; /dev/urandom if
 * the kernel lacks it. */
static bool new_token(char out[33])
{
    unsigned char raw[16];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    if (got < sizeof raw) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return false;
        }
        ssize_t n = read(fd, raw, sizeof raw);
        close(fd);
        if (n != (ssize_t)sizeof raw) {
            return false;
        }
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[32] = '\0';
    return true;
}

/* Compare without an early exit, so timing says nothing of the token. */
static bool same_token(const char *a, const char *b)
{
    if (a == NULL || b == NULL || strlen(a) != 32 || strlen(b) != 32) {
        return false;
    }
    unsigned char d = 0;
    for (size_t i = 0; i < 32; i++) {
        d |= (unsigned char)(a[i] ^ b[i]);
    }
    return d == 0;
}

static bool token_issued(const rf_server *srv, const char *t)
{
    bool found = false;
    for (size_t i = 0; i < RF_SERVER_TOKENS; i++) {
        found |= same_token(srv->tokens[i], t);
    }
    return found;
}

/* ---------------- requests ---------------- */

typedef struct conn_state {
    rf_buf body;
    bool too_big;
} conn_state;

static const char *query_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(
        (struct MHD_Connection *)ctx, MHD_GET_ARGUMENT_KIND, name);
}

static bool host_ok(const rf_server *srv, const char *host)
{
    if (srv->any_host) {
        return true;
    }
    if (host == NULL) {
        return false;
    }
    if (strcasecmp(host, srv->host_bind) == 0) {
        return true;
    }
    if (!srv->loopback) {
        return false;
    }
    /* a loopback bind also answers to the loopback names */
    static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s:%u", names[i], srv->port);
        if (strcasecmp(host, buf) == 0) {
            return true;
        }
    }
    return false;
}

static enum MHD_Result send_resp(
    rf_server *srv,
    struct MHD_Connection *conn,
    rf_http_resp *rs,
    const char *set_cookie)
{
    (void)srv;
    size_t len = rs->body.len;
    char *data = rf_buf_steal(&rs->body);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, data ? data : (void *)"",
        data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(
        r, "Content-Type", rs->type ? rs->type : "text/plain; charset=utf-8");
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (set_cookie != NULL) {
        MHD_add_response_header(r, "Set-Cookie", set_cookie);
    }
    enum MHD_Result ret = MHD_queue_response(conn, rs->code, r);
    MHD_destroy_response(r);
    return ret;
}

static void text_resp(rf_http_resp *rs, unsigned code, const char *msg)
{
    rs->code = code;
    rs->type = "text/plain; charset=utf-8";
    rf_buf_reset(&rs->body);
    if (rf_buf_puts(&rs->body, msg) != RF_OK) {
        rf_buf_free(&rs->body);
    }
}

/* Route one complete request; the lock is held. */
static void
route(rf_server *srv, const rf_http_req *rq, bool is_post, rf_http_resp *rs)
{
    const char *p = rq->path;
    rf_status s = RF_OK;
    const char *type;
    const char *body;
    if (is_post) {
        if (strcmp(p, "/api/review") == 0) {
            s = rf_server__api_review(srv, rq, rs);
        } else {
            s = rf_server__json_error(rs, 404, "no such endpoint");
        }
    } else if (strcmp(p, "/") == 0 || strcmp(p, "/findings") == 0) {
        s = rf_server__page_list(srv, rq, rs);
    } else if (strncmp(p, "/finding/", 9) == 0) {
        s = rf_server__page_finding(srv, rq, p + 9, rs);
    } else if (strcmp(p, "/summary") == 0) {
        s = rf_server__page_summary(srv, rq, rs);
    } else if (strcmp(p, "/api/findings") == 0) {
        s = rf_server__api_findings(srv, rq, rs);
    } else if (strncmp(p, "/api/finding/", 13) == 0) {
        s = rf_server__api_finding(srv, rq, p + 13, rs);
    } else if (strcmp(p, "/api/summary") == 0) {
        s = rf_server__api_summary(srv, rq, rs);
    } else if (strcmp(p, "/api/review") == 0) {
        s = rf_server__json_error(rs, 405, "use POST");
    } else if (rf_server__asset(p, &type, &body)) {
        rs->code = 200;
        rs->type = type;
        s = rf_buf_puts(&rs->body, body);
    } else if (strncmp(p, "/api/", 5) == 0) {
        s = rf_server__json_error(rs, 404, "no such endpoint");
    } else {
        s = rf_server__page_error(rs, 404, "Not found.");
    }
    if (s != RF_OK) {
        text_resp(rs, 500, "internal error\n");
    }
}

static enum MHD_Result handle(
    void *cls,
    struct MHD_Connection *conn,
    const char *url,
    const char *method,
    const char *version,
    const char *upload_data,
    size_t *upload_size,
    void **con_cls)
{
    (void)version;
    rf_server *srv = cls;
    bool is_post = strcmp(method, "POST") == 0;
    bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    conn_state *cs = *con_cls;
    if (cs == NULL) {
        cs = calloc(1, sizeof *cs);
        if (cs == NULL) {
            return MHD_NO;
        }
        *con_cls = cs;
        if (is_post) {
            return MHD_YES; /* the body follows */
        }
    }
    if (is_post && *upload_size > 0) {
        if (cs->body.len + *upload_size > RF_SERVER_MAX_BODY) {
            cs->too_big = true;
        } else if (
            rf_buf_append(&cs->body, upload_data, *upload_size) != RF_OK) {
            return MHD_NO;
        }
        *upload_size = 0;
        return MHD_YES;
    }

    rf_http_resp rs = {0};
    const char *host =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    if (!host_ok(srv, host)) {
        text_resp(
            &rs, 421,
            "wrong Host header: this server answers only to its own address\n");
        return send_resp(srv, conn, &rs, NULL);
    }
    if (!is_get && !is_post) {
        text_resp(&rs, 405, "method not allowed\n");
        return send_resp(srv, conn, &rs, NULL);
    }
    if (is_post && cs->too_big) {
        rf_server__json_error(&rs, 413, "request body too large");
        return send_resp(srv, conn, &rs, NULL);
    }

    const char *cookie =
        MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "rf_csrf");
    char fresh[33] = "";
    char set_cookie[128];
    const char *session = NULL;
    pthread_mutex_lock(&srv->lock);
    if (cookie != NULL && token_issued(srv, cookie)) {
        session = cookie;
    }
    if (is_post) {
        const char *hdr =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (session == NULL || !same_token(hdr, session)) {
            pthread_mutex_unlock(&srv->lock);
            rf_server__json_error(
                &rs, 403, "missing or wrong CSRF token: reload the page");
            return send_resp(srv, conn, &rs, NULL);
        }
    } else if (session == NULL) {
        if (!new_token(fresh)) {
            pthread_mutex_unlock(&srv->lock);
            text_resp(&rs, 500, "no randomness for a session token\n");
            return send_resp(srv, conn, &rs, NULL);
        }
        memcpy(srv->tokens[srv->next_token], fresh, sizeof fresh);
        srv->next_token = (srv->next_token + 1) % RF_SERVER_TOKENS;
        session = fresh;
    }
    rf_http_req rq = {
        .method = method,
        .path = url,
        .arg = query_arg,
        .ctx = conn,
        .body = cs->body.data,
        .body_len = cs->body.len,
        .csrf = session,
    };
    route(srv, &rq, is_post, &rs);
    pthread_mutex_unlock(&srv->lock);
    const char *sc = NULL;
    if (fresh[0] != '\0') {
        snprintf(
            set_cookie, sizeof set_cookie,
            "rf_csrf=%s; Path=/; HttpOnly; SameSite=Strict", fresh);
        sc = set_cookie;
    }
    return send_resp(srv, conn, &rs, sc);
}

static void completed(
    void *cls,
    struct MHD_Connection *conn,
    void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    conn_state *cs = *con_cls;
    if (cs != NULL) {
        rf_buf_free(&cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

rf_status
rf_server_start(rf_server **out, rf_store *st, const rf_server_options *opts)
{
    rf_server_options defaults;
    if (opts == NULL) {
        rf_server_options_init(&defaults);
        opts = &defaults;
    }
    rf_server *srv = calloc(1, sizeof *srv);
    *out = srv;
    if (srv == NULL) {
        return RF_ENOMEM;
    }
    srv->st = st;
    pthread_mutex_init(&srv->lock, NULL);
    const char *bind = opts->bind ? opts->bind : "127.0.0.1";
    if (opts->port > 65535) {
        return fail(srv, RF_EINVAL, "port must be 0..65535");
    }
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    bool v6 = false;
    if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)opts->port);
    } else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)opts->port);
        v6 = true;
    } else {
        snprintf(
            srv->errmsg, sizeof srv->errmsg,
            "--bind %s: not a numeric IPv4 or IPv6 address", bind);
        return RF_EINVAL;
    }
    if (!rf_server_is_loopback(bind) && !opts->allow_remote) {
        snprintf(
            srv->errmsg, sizeof srv->errmsg,
            "--bind %s is reachable from other machines: add --allow-remote "
            "if that is what you want",
            bind);
        return RF_EINVAL;
    }
    srv->loopback = rf_server_is_loopback(bind);
    srv->any_host =
        opts->allow_remote && (v6 ? IN6_IS_ADDR_UNSPECIFIED(&a6.sin6_addr)
                                  : a4.sin_addr.s_addr == htonl(INADDR_ANY));
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (v6) {
        flags |= MHD_USE_IPv6;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)opts->port, NULL, NULL, handle, srv,
        MHD_OPTION_SOCK_ADDR,
        v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
        MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (d == NULL) {
        snprintf(
            srv->errmsg, sizeof srv->errmsg,
            "cannot listen on %s port %u (in use? try --port 0)", bind,
            opts->port);
        return RF_EIO;
    }
    srv->daemon = d;
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : opts->port;
    snprintf(
        srv->host_bind, sizeof srv->host_bind, v6 ? "[%s]:%u" : "%s:%u", bind,
        srv->port);
    snprintf(srv->url, sizeof srv->url, "http://%s/", srv->host_bind);
    return RF_OK;
}

void rf_server_free(rf_server *srv)
{
    if (srv == NULL) {
        return;
    }
    if (srv->daemon != NULL) {
        MHD_stop_daemon(srv->daemon);
    }
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}

#endif /* RF_HAVE_MHD */
