/*
 * common.c - what several commands share: finding the rules, loading them,
 * printing diagnostics in one format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

const char *rf_cli_default_rules(void)
{
    const char *env = getenv("REDFLAG_RULES");
    if (env != NULL && *env != '\0') {
        return env;
    }
    struct stat sb;
    if (stat(RF_DEFAULT_RULES, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        return RF_DEFAULT_RULES;
    }
    return RF_INSTALL_RULES;
}

/* Where compiled rules are cached: $REDFLAG_CACHE_DIR ("off" disables),
 * else $XDG_CACHE_HOME/redflag, else ~/.cache/redflag. */
static void set_cache(rf_compiler *c)
{
    const char *env = getenv("REDFLAG_CACHE_DIR");
    char buf[4096];
    if (env != NULL && strcmp(env, "off") == 0) {
        return;
    }
    if (env != NULL && *env != '\0') {
        rf_compiler_set_cache(c, env);
        return;
    }
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg != NULL && *xdg != '\0') {
        snprintf(buf, sizeof(buf), "%s/redflag", xdg);
    } else if (home != NULL && *home != '\0') {
        snprintf(buf, sizeof(buf), "%s/.cache", home);
        (void)mkdir(buf, 0755);
        snprintf(buf, sizeof(buf), "%s/.cache/redflag", home);
    } else {
        return;
    }
    rf_compiler_set_cache(c, buf);
}

rf_ruleset *rf_cli_load_rules(const char *path)
{
    if (path == NULL) {
        path = rf_cli_default_rules();
    }
    rf_compiler *c = NULL;
    rf_ruleset *rs = NULL;
    if (rf_compiler_new(&c) != RF_OK) {
        fprintf(stderr, "redflag: error: out of memory\n");
        return NULL;
    }
    set_cache(c);
    rf_status st = rf_compiler_add_path(c, path);
    if (st == RF_OK || st == RF_EPARSE) {
        st = rf_compiler_compile(&rs, c);
    }
    size_t n = rf_compiler_diag_count(c);
    for (size_t i = 0; i < n; i++) {
        const rf_diag *d = rf_compiler_diag(c, i);
        const char *lvl = d->level == RF_DIAG_ERROR ? "error" : "warning";
        if (d->rule != NULL) {
            fprintf(
                stderr, "%s:%llu: %s: rule '%s': %s\n",
                d->path ? d->path : path, (unsigned long long)d->line, lvl,
                d->rule, d->message);
        } else {
            fprintf(
                stderr, "%s:%llu: %s: %s\n", d->path ? d->path : path,
                (unsigned long long)d->line, lvl, d->message);
        }
    }
    if (st != RF_OK && rs == NULL) {
        fprintf(
            stderr, "redflag: error: cannot load rules from %s (%s)\n", path,
            rf_status_str(st));
    }
    rf_compiler_free(c);
    return rs;
}

void rf_cli_print_diag(const rf_diag *d)
{
    const char *lvl = d->level == RF_DIAG_ERROR     ? "error"
                      : d->level == RF_DIAG_WARNING ? "warning"
                                                    : "note";
    fprintf(stderr, "redflag: %s: %s", lvl, d->path ? d->path : "-");
    if (d->member != NULL) {
        fprintf(stderr, " [member %s]", d->member);
    }
    if (d->document != NULL) {
        fprintf(stderr, " [document %s]", d->document);
    }
    if (d->line > 0) {
        fprintf(stderr, ":%llu", (unsigned long long)d->line);
    }
    if (d->offset > 0) {
        fprintf(stderr, " (byte %llu)", (unsigned long long)d->offset);
    }
    fprintf(stderr, ": %s\n", d->message ? d->message : "");
}

long rf_cli_parse_long(const char *opt, const char *value)
{
    if (value == NULL) {
        fprintf(stderr, "redflag: error: %s needs a value\n", opt);
        return -1;
    }
    errno = 0;
    char *end;
    long v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < 0) {
        fprintf(
            stderr,
            "redflag: error: %s: '%s' is not a non-negative "
            "integer\n",
            opt, value);
        return -1;
    }
    return v;
}

int rf_cli_output_open(rf_cli_output *out, const char *path, bool atomic)
{
    out->fp = stdout;
    out->path = path;
    out->tmp = NULL;
    if (path == NULL || strcmp(path, "-") == 0) {
        return 0;
    }
    if (!atomic) {
        out->fp = fopen(path, "wb");
        if (out->fp == NULL) {
            fprintf(
                stderr, "redflag: error: cannot write %s: %s\n", path,
                strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t n = strlen(path) + 32;
    out->tmp = malloc(n);
    if (out->tmp == NULL) {
        fprintf(stderr, "redflag: error: out of memory\n");
        return -1;
    }
    snprintf(out->tmp, n, "%s.tmp%ld", path, (long)getpid());
    out->fp = fopen(out->tmp, "wb");
    if (out->fp == NULL) {
        fprintf(
            stderr, "redflag: error: cannot write %s: %s\n", out->tmp,
            strerror(errno));
        free(out->tmp);
        out->tmp = NULL;
        return -1;
    }
    return 0;
}

int rf_cli_output_commit(rf_cli_output *out)
{
    if (out->fp == NULL) {
        return 0;
    }
    if (out->fp == stdout) {
        out->fp = NULL;
        if (fflush(stdout) != 0) {
            fprintf(
                stderr, "redflag: error: cannot write: %s\n", strerror(errno));
            return -1;
        }
        return 0;
    }
    int closed = fclose(out->fp);
    out->fp = NULL;
    if (closed != 0 || (out->tmp != NULL && rename(out->tmp, out->path) != 0)) {
        fprintf(
            stderr, "redflag: error: cannot write %s: %s\n", out->path,
            strerror(errno));
        rf_cli_output_abort(out);
        return -1;
    }
    free(out->tmp);
    out->tmp = NULL;
    return 0;
}

void rf_cli_output_abort(rf_cli_output *out)
{
    if (out->fp != NULL && out->fp != stdout) {
        fclose(out->fp);
    }
    out->fp = NULL;
    if (out->tmp != NULL) {
        unlink(out->tmp); /* never leave half a file behind */
        free(out->tmp);
        out->tmp = NULL;
    }
}
