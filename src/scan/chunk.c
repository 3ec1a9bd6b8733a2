/*
 * chunk.c - cut large files into independent pieces, so that one 2 GB
 * JSON Lines export or one weekly USPTO file keeps every core busy.
 *
 * A file is cut only where its format has a natural seam: before a
 * `<?xml` at a line start that opens the next document of a weekly USPTO
 * file, after a line of JSON Lines, after a blank line (else a line break)
 * of text. Each piece is read as a file of its own; the emitter (pool.c)
 * adds the piece's byte offset, line and document count back (shift.c), so
 * findings carry the same places as if the file had been read in one go.
 * A large archive member is cut at the same seams as it streams in
 * (fanout.c).
 *
 * The cut points depend only on the file, never on -j, so the output is
 * the same bytes whatever the number of threads.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input.h"
#include "run.h"

#define RF_CHUNK_BYTES ((uint64_t)64 << 20)
#define RF_SEAM_SEARCH ((size_t)1 << 20) /* how far to look for a seam */
#define RF_HEAD_BYTES  16384

static rf_status push_work(
    rf_worklist *wl,
    const char *path,
    uint64_t offset,
    uint64_t length,
    const char *format,
    bool continuation)
{
    if (wl->n == wl->cap) {
        size_t cap = wl->cap ? wl->cap * 2 : 64;
        rf_work *v = realloc(wl->v, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        wl->v = v;
        wl->cap = cap;
    }
    rf_work *w = &wl->v[wl->n];
    memset(w, 0, sizeof(*w));
    w->path = rf_strdup(path);
    if (w->path == NULL) {
        return RF_ENOMEM;
    }
    w->offset = offset;
    w->length = length;
    w->continuation = continuation;
    if (format != NULL) {
        snprintf(w->format, sizeof(w->format), "%s", format);
    }
    wl->n++;
    return RF_OK;
}

void rf_worklist_free(rf_worklist *wl)
{
    for (size_t i = 0; i < wl->n; i++) {
        free(wl->v[i].path);
    }
    free(wl->v);
    memset(wl, 0, sizeof(*wl));
}

rf_seam rf_run__seam_of(const char *format)
{
    if (strcmp(format, "text") == 0 || strcmp(format, "code") == 0) {
        return RF_SEAM_TEXT;
    }
    if (strcmp(format, "google-patents-json") == 0) {
        return RF_SEAM_LINE;
    }
    if (strcmp(format, "uspto-xml") == 0) {
        return RF_SEAM_XML;
    }
    return RF_SEAM_NONE;
}

size_t rf_run__find_seam(const char *buf, size_t len, rf_seam kind)
{
    if (kind == RF_SEAM_XML) {
        /* only where the XML reader cuts too ("<?xml" and white space, so
         * not a `<?xml-stylesheet`), and at a line start, where a weekly
         * file starts its documents: never inside one */
        const char *p = buf;
        const char *end = buf + len;
        while ((p = memmem(p, (size_t)(end - p), "\n<?xml", 6)) != NULL) {
            if (end - p < 7) {
                return SIZE_MAX;
            }
            if (isspace((unsigned char)p[6])) {
                return (size_t)(p - buf) + 1;
            }
            p += 6;
        }
        return SIZE_MAX;
    }
    if (kind == RF_SEAM_TEXT) {
        const char *p = memmem(buf, len, "\n\n", 2);
        if (p != NULL) {
            return (size_t)(p - buf) + 2;
        }
    }
    const char *nl = memchr(buf, '\n', len);
    return nl ? (size_t)(nl - buf) + 1 : SIZE_MAX;
}

/* The first seam at or after `from`, or UINT64_MAX if none is near. */
static uint64_t find_seam(int fd, uint64_t from, rf_seam kind, char *buf)
{
    ssize_t n = pread(fd, buf, RF_SEAM_SEARCH, (off_t)from);
    if (n <= 0) {
        return UINT64_MAX;
    }
    size_t at = rf_run__find_seam(buf, (size_t)n, kind);
    return at != SIZE_MAX ? from + at : UINT64_MAX;
}

/* Plan one file: whole, or cut at seams every RF_CHUNK_BYTES. */
static rf_status
plan_file(rf_worklist *wl, const char *path, const rf_scan_options *opts)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
        !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size <= RF_CHUNK_BYTES ||
        (opts->limits.max_file_size > 0 &&
         (uint64_t)sb.st_size > opts->limits.max_file_size)) {
        return push_work(wl, path, 0, 0, NULL, false);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return push_work(wl, path, 0, 0, NULL, false); /* reported later */
    }
    char *buf = malloc(RF_SEAM_SEARCH);
    rf_status st = buf ? RF_OK : RF_ENOMEM;
    const rf_format *fmt = NULL;
    ssize_t n = 0;
    if (st == RF_OK) {
        n = pread(fd, buf, RF_HEAD_BYTES, 0);
    }
    if (st == RF_OK && n > 0) {
        /* an archive is read whole, whatever --input-format says */
        if (rf_sniff_archive(buf, (size_t)n, path) > 0) {
            fmt = NULL;
        } else if (opts->format != NULL) {
            fmt = rf_format_find(opts->format);
        } else {
            fmt = rf_format_sniff(buf, (size_t)n, path);
        }
    }
    rf_seam kind = fmt != NULL ? rf_run__seam_of(fmt->name) : RF_SEAM_NONE;
    /* a JSON array (not JSON Lines) has no line seams */
    if (kind == RF_SEAM_LINE && n > 0) {
        size_t i = 0;
        while (i < (size_t)n && (buf[i] == ' ' || buf[i] == '\n' ||
                                 buf[i] == '\r' || buf[i] == '\t')) {
            i++;
        }
        if (i < (size_t)n && buf[i] == '[') {
            kind = RF_SEAM_NONE;
        }
    }
    if (st != RF_OK || kind == RF_SEAM_NONE) {
        free(buf);
        close(fd);
        return st != RF_OK ? st : push_work(wl, path, 0, 0, NULL, false);
    }
    uint64_t size = (uint64_t)sb.st_size;
    uint64_t start = 0;
    bool first = true;
    while (st == RF_OK && start < size) {
        uint64_t cut = UINT64_MAX;
        for (uint64_t at = start + RF_CHUNK_BYTES;
             at < size && cut == UINT64_MAX; at += RF_CHUNK_BYTES) {
            cut = find_seam(fd, at, kind, buf);
        }
        uint64_t end = cut < size ? cut : size;
        st = push_work(wl, path, start, end - start, fmt->name, !first);
        first = false;
        start = end;
    }
    free(buf);
    close(fd);
    return st;
}

rf_status rf_run__plan(
    rf_worklist *wl, const rf_strvec *files, const rf_scan_options *opts)
{
    for (size_t i = 0; i < files->n; i++) {
        rf_status st = plan_file(wl, files->v[i], opts);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}
