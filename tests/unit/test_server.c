/*
 * test_server.c - the triage server through its public API: options and
 * their refusals, the loopback test, and a few raw HTTP exchanges on a
 * real socket (port 0) over a store fed from the store fixture. The full
 * HTTP and browser behaviour is in tests/cli/test_serve_{http,e2e}.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_fixture.h"

static void test_loopback(void **state)
{
    (void)state;
    assert_true(rf_server_is_loopback("127.0.0.1"));
    assert_true(rf_server_is_loopback("127.1.2.3"));
    assert_true(rf_server_is_loopback("::1"));
    assert_true(rf_server_is_loopback(NULL));
    assert_false(rf_server_is_loopback("0.0.0.0"));
    assert_false(rf_server_is_loopback("::"));
    assert_false(rf_server_is_loopback("192.168.1.5"));
    assert_false(rf_server_is_loopback("localhost")); /* numeric only */
}

static rf_store *fixture_store(char *path, size_t n)
{
    rf_store *st = NULL;
    fx_store_path(path, n, "server");
    assert_int_equal(rf_store_open(&st, path, RF_STORE_CREATE), RF_OK);
    rf_sink sink;
    rf_store_scan_info info;
    const char *paths[] = {"corpus"};
    rf_store_scan_info_init(&info);
    info.paths = paths;
    info.path_count = 1;
    assert_int_equal(rf_store_sink(&sink, st, &info, NULL), RF_OK);
    assert_int_equal(fx_feed(&sink, fx_docs, 3, fx_scan1, 4, NULL), RF_OK);
    return st;
}

static void test_refusals(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = fixture_store(path, sizeof path);
    rf_server_options o;
    rf_server *srv = NULL;

    rf_server_options_init(&o);
    assert_string_equal(o.bind, "127.0.0.1");
    assert_int_equal(o.port, 8080);
    o.bind = "0.0.0.0";
    assert_int_equal(rf_server_start(&srv, st, &o), RF_EINVAL);
    assert_non_null(strstr(rf_server_errmsg(srv), "--allow-remote"));
    rf_server_free(srv);

    rf_server_options_init(&o);
    o.bind = "example.org";
    assert_int_equal(rf_server_start(&srv, st, &o), RF_EINVAL);
    assert_non_null(strstr(rf_server_errmsg(srv), "numeric"));
    rf_server_free(srv);

    rf_server_options_init(&o);
    o.port = 70000;
    assert_int_equal(rf_server_start(&srv, st, &o), RF_EINVAL);
    rf_server_free(srv);
    rf_server_free(NULL);
    rf_store_free(st);
    fx_store_remove(path);
}

/* One request on a fresh connection; the whole answer (malloc'd). */
static char *http(int port, const char *req)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
    size_t cap = 1 << 16;
    size_t len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[len] = '\0';
    close(fd);
    return buf;
}

static void test_http(void **state)
{
    (void)state;
    char path[512];
    rf_store *st = fixture_store(path, sizeof path);
    rf_server_options o;
    rf_server_options_init(&o);
    o.port = 0;
    rf_server *srv = NULL;
    assert_int_equal(rf_server_start(&srv, st, &o), RF_OK);
    int port = 0;
    assert_int_equal(
        sscanf(rf_server_url(srv), "http://127.0.0.1:%d/", &port), 1);
    assert_true(port > 0);
    char req[512];
    const char *body =
        "{\"fingerprint\":\"cccccccc\",\"status\":\"confirmed\"}";

    snprintf(
        req, sizeof req,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
        port);
    char *r = http(port, req);
    assert_non_null(strstr(r, "HTTP/1.1 200"));
    assert_non_null(strstr(r, "Content-Security-Policy: default-src 'none'"));
    assert_non_null(strstr(r, "HttpOnly; SameSite=Strict"));
    /* the hostile title and snippet of the fixture arrive escaped */
    assert_non_null(strstr(r, "&lt;b&gt;bold&lt;/b&gt;"));
    assert_null(strstr(r, "<b>bold"));
    free(r);

    snprintf(
        req, sizeof req,
        "GET / HTTP/1.1\r\nHost: attacker.example:%d\r\n"
        "Connection: close\r\n\r\n",
        port);
    r = http(port, req);
    assert_non_null(strstr(r, "HTTP/1.1 421"));
    free(r);

    snprintf(
        req, sizeof req,
        "POST /api/review HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
        "Content-Type: application/json\r\nContent-Length: %zu\r\n"
        "Connection: close\r\n\r\n%s",
        port, strlen(body), body);
    r = http(port, req);
    /* refused for want of the CSRF token, and nothing changed */
    assert_non_null(strstr(r, "HTTP/1.1 403"));
    free(r);

    snprintf(
        req, sizeof req,
        "GET /static/../static/app.js HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
        "Connection: close\r\n\r\n",
        port);
    r = http(port, req);
    assert_non_null(strstr(r, "HTTP/1.1 404"));
    free(r);

    snprintf(
        req, sizeof req,
        "GET /api/finding/cccccccc HTTP/1.1\r\nHost: localhost:%d\r\n"
        "Connection: close\r\n\r\n",
        port);
    r = http(port, req);
    assert_non_null(strstr(r, "HTTP/1.1 200"));
    assert_non_null(strstr(r, "\"fingerprint\":\"" FP_C "\""));
    free(r);

    rf_server_free(srv);
    /* the refused POST changed nothing */
    rf_store_filter f;
    rf_store_filter_init(&f);
    f.status = RF_REVIEW_CONFIRMED;
    uint64_t n = 1;
    assert_int_equal(rf_store_count(&n, st, &f), RF_OK);
    assert_int_equal(n, 0);
    /* the store is usable again once the server is gone */
    assert_int_equal(
        rf_store_review(st, FP_C, RF_REVIEW_CONFIRMED, NULL), RF_OK);
    rf_store_free(st);
    fx_store_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
