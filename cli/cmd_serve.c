/*
 * cmd_serve.c - `redflag serve`: the triage web UI over a findings store.
 *
 * The server runs on its own thread; this thread only waits for SIGINT or
 * SIGTERM with sigwait, so a Ctrl-C stops the server between requests and
 * closes the store cleanly instead of dying inside a write. The signals are
 * blocked before the server starts so its thread inherits the mask and
 * never receives them itself.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redflag serve [--store FILE|URL] [--bind ADDR] [--port N] "
        "[--allow-remote]\n\n"
        "Serve a local web UI to triage the findings in a store: filter, read\n"
        "each passage in context, confirm or dismiss (docs/serve.md).\n\n"
        "  --store FILE    the findings store (default redflag.db)\n"
        "  --bind ADDR     numeric address to listen on (default 127.0.0.1)\n"
        "  --port N        port (default 8080; 0 picks a free one)\n"
        "  --allow-remote  allow a non-loopback --bind (anyone who can reach\n"
        "                  it can read and review the findings)\n\n"
        "The first line on stdout is 'redflag serve: URL'. Ctrl-C stops.\n");
}

int cmd_serve(int argc, char **argv)
{
    const char *store = NULL;
    rf_server_options opts;
    rf_server_options_init(&opts);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return RF_EXIT_OK;
        } else if (strcmp(a, "--allow-remote") == 0) {
            opts.allow_remote = true;
        } else if (
            strcmp(a, "--store") == 0 || strcmp(a, "--bind") == 0 ||
            strcmp(a, "--port") == 0) {
            if (v == NULL) {
                fprintf(stderr, "redflag: error: %s needs a value\n", a);
                return RF_EXIT_ERROR;
            }
            i++;
            if (strcmp(a, "--store") == 0) {
                store = v;
            } else if (strcmp(a, "--bind") == 0) {
                opts.bind = v;
            } else {
                long n = rf_cli_parse_long(a, v);
                if (n < 0 || n > 65535) {
                    if (n > 65535) {
                        fprintf(
                            stderr,
                            "redflag: error: --port: %s is not 0..65535\n", v);
                    }
                    return RF_EXIT_ERROR;
                }
                opts.port = (unsigned)n;
            }
        } else {
            fprintf(stderr, "redflag: error: serve: unknown option '%s'\n", a);
            usage(stderr);
            return RF_EXIT_ERROR;
        }
    }
    if (!rf_server_is_loopback(opts.bind) && !opts.allow_remote) {
        fprintf(
            stderr,
            "redflag: error: --bind %s would let other machines read and "
            "review the findings; add --allow-remote if you mean it\n",
            opts.bind);
        return RF_EXIT_ERROR;
    }
    rf_store *st = rf_cli_open_store(store, false);
    if (st == NULL) {
        return RF_EXIT_ERROR;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    rf_server *srv = NULL;
    rf_status s = rf_server_start(&srv, st, &opts);
    if (s != RF_OK) {
        fprintf(
            stderr, "redflag: error: serve: %s\n",
            srv ? rf_server_errmsg(srv) : rf_status_str(s));
        rf_server_free(srv);
        rf_store_free(st);
        return RF_EXIT_ERROR;
    }
    printf("redflag serve: %s\n", rf_server_url(srv));
    fflush(stdout);
    if (!rf_server_is_loopback(opts.bind)) {
        fprintf(
            stderr,
            "redflag: warning: listening on %s: anyone who can reach this "
            "address can read and review the findings (there is no login)\n",
            opts.bind);
    }
    fprintf(
        stderr, "redflag: serving %s; Ctrl-C to stop\n",
        store ? store : RF_STORE_DEFAULT_PATH);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "redflag: stopping\n");
    rf_server_free(srv);
    rf_store_free(st);
    return RF_EXIT_OK;
}
