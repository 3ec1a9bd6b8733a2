/*
 * archive.c - zip, tar (plain, gz, bz2, xz, zst), and single compressed
 * files (.gz, .xz, .zst, .bz2), read with libarchive as streams.
 *
 * Nothing is unpacked to disk. libarchive pulls the compressed bytes from
 * the input's own read() (so an archive inside an archive works the same
 * way) and each regular member becomes an rf_input whose read() is
 * archive_read_data_block, handed over without a copy. The member goes back
 * through rf_input_dispatch one level deeper, so a zip of weekly XML files, a
 * tar.gz of JSON Lines or a zip inside a tar are all read by the reader
 * their content calls for. A single compressed file is libarchive's "raw"
 * format: one member named after the file without its .gz/.xz/.zst.
 *
 * Member names are only names: "../../etc/passwd" or "/abs" never touch the
 * file system. Limits (rf_limits) are checked as bytes arrive:
 *   max_member_size    one member's decompressed size: the member is cut,
 *                      the next one is read;
 *   max_total_size     all members of this archive: the archive stops;
 *   max_ratio          decompressed / compressed bytes of this archive,
 *                      checked past 1 MiB: the archive stops (zip bombs);
 *   max_archive_depth  archives inside archives.
 * The size and ratio limits cover everything below an archive, nested
 * archives included: a member that is itself an archive gets only what is
 * left of its parent's max_total_size, and when it is done, the text it
 * expanded to is charged to the parent, whose ratio is then checked over
 * its own compressed bytes. So a nested bomb (42.zip: each level a
 * thousand-fold, five levels deep) stops after a few megabytes at the
 * first level it overflows, instead of expanding level by level.
 * Each is reported with the file, the member, the figure and the option
 * that raises it. A truncated or damaged archive is reported; what was
 * read before stays read.
 *
 * A zip's stored and deflated members are read by zip.c (igzip), the
 * rest of a zip and every other format by libarchive (see zip.c for where
 * one hands over to the other).
 *
 * With more than one job, a large member in a format that can be cut is
 * parsed and scanned in pieces on several threads (ctx->fanout,
 * scan/fanout.c), still read through member_read and so under the same
 * limits; any other large member is inflated on a thread of its own
 * (prefetch.c) while its reader works.
 */
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "input.h"

#define ARC_HARD_DEPTH  32 /* even with no configured limit */
#define ARC_RATIO_FLOOR (1u << 20)
/* Members read ahead on a thread (when a core is free): inflating then
 * overlaps with parsing and scanning. A small one is over before a thread
 * would pay for itself. */
#define ARC_AHEAD_MIN ((uint64_t)8 << 20)
/* Members cut into pieces for several threads (ctx->fanout): one that
 * takes a second or more to scan alone; its size unknown counts as large. */
#define ARC_FANOUT_MIN ((uint64_t)32 << 20)
/* a member up to this size (by its header) is handed to the fan-out whole */
#define ARC_WHOLE_MAX ((uint64_t)8 << 20)

int rf_sniff_archive(const char *head, size_t len, const char *name)
{
    RF_UNUSED(name);
    const unsigned char *h = (const unsigned char *)head;
    if (len >= 4 && h[0] == 'P' && h[1] == 'K' &&
        ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6) ||
         (h[2] == 7 && h[3] == 8))) {
        return 200; /* zip */
    }
    if (len >= 2 && h[0] == 0x1F && h[1] == 0x8B) {
        return 200; /* gzip */
    }
    if (len >= 6 && memcmp(
                        h,
                        "\xFD"
                        "7zXZ\0",
                        6) == 0) {
        return 200; /* xz */
    }
    if (len >= 4 && memcmp(h, "\x28\xB5\x2F\xFD", 4) == 0) {
        return 200; /* zstd */
    }
    if (len >= 4 && memcmp(h, "BZh", 3) == 0 && h[3] >= '1' && h[3] <= '9') {
        return 200; /* bzip2 */
    }
    if (len >= 6 && memcmp(h, "7z\xBC\xAF\x27\x1C", 6) == 0) {
        return 200; /* 7-Zip */
    }
    if (len >= 262 && memcmp(h + 257, "ustar", 5) == 0) {
        return 200; /* tar */
    }
    return 0;
}

typedef enum arc_limit {
    ARC_OK = 0,
    ARC_MEMBER,
    ARC_TOTAL,
    ARC_RATIO
} arc_limit;

typedef struct arc {
    struct archive *a;   /* opened once the zip reader hands off */
    rf_zip *zip;         /* reads first; see zip.c */
    locale_t utf8;       /* for libarchive's name conversions, or 0 */
    bool by_zip;         /* headers and data still come from zip */
    struct arc *parent;  /* the archive this one is a member of, or NULL */
    uint64_t live_below; /* expanded by the nested archive being read, not
                            yet charged to nested_bytes */
    rf_input *outer;
    const rf_limits *limits;
    uint64_t member_bytes;
    uint64_t total_bytes;
    uint64_t nested_bytes;  /* expansion of nested archives, charged back */
    uint64_t packed;        /* compressed bytes handed to libarchive */
    rf_limits child_limits; /* limits handed to members: remaining budget */
    arc_limit hit;
} arc;

/* libarchive pulls compressed bytes through the outer input. */
static la_ssize_t outer_read(struct archive *a, void *ud, const void **buf)
{
    arc *z = ud;
    size_t held;
    if (rf_zip_pending(z->zip, buf, &held)) {
        return (la_ssize_t)held; /* read by zip.c, counted there */
    }
    const char *data;
    size_t len;
    rf_status st = z->outer->read(z->outer, &data, &len);
    if (st != RF_OK) {
        archive_set_error(
            a, EIO, "%s",
            z->outer->errmsg[0] ? z->outer->errmsg : rf_status_str(st));
        return -1;
    }
    *buf = data;
    z->packed += len;
    return (la_ssize_t)len;
}

/* Stop z on limit `hit` of l (z's own limits, or an enclosing archive's). */
static rf_status
limit_error(rf_input *in, arc *z, arc_limit hit, const rf_limits *l)
{
    z->hit = hit;
    if (l == NULL) {
        return RF_ELIMIT; /* no limits, nothing was hit: not reached */
    }
    switch (hit) {
    case ARC_MEMBER:
        snprintf(
            in->errmsg, sizeof(in->errmsg),
            "member is larger than max_member_size (%" PRIu64
            " bytes); the rest of it was not read (raise "
            "--max-member-size)",
            l->max_member_size);
        break;
    case ARC_TOTAL:
        snprintf(
            in->errmsg, sizeof(in->errmsg),
            "archive expands to more than max_total_size (%" PRIu64
            " bytes); stopped reading it (raise --max-total-size)",
            l->max_total_size);
        break;
    case ARC_RATIO:
        snprintf(
            in->errmsg, sizeof(in->errmsg),
            "archive expands more than max_ratio (%" PRIu64
            ") times its compressed size, as a zip bomb does; stopped "
            "reading it (raise --max-ratio)",
            l->max_ratio);
        break;
    case ARC_OK:
        break;
    }
    return RF_ELIMIT;
}

/* One decompressed block, from zip.c (inflated into dst when there is
 * one) or libarchive's buffer: no copy. */
static rf_status next_block(
    arc *z, rf_input *in, char *dst, size_t cap, const void **blk, size_t *size)
{
    const char *err = NULL;
    if (z->by_zip) {
        const char *data = dst;
        rf_status st = dst != NULL ? rf_zip_read_into(z->zip, dst, cap, size)
                                   : rf_zip_read(z->zip, &data, size);
        *blk = data;
        if (st == RF_OK || st == RF_ENOMEM) {
            return st;
        }
        err = rf_zip_error(z->zip);
    } else {
        la_int64_t at;
        int r;
        do {
            r = archive_read_data_block(z->a, blk, size, &at);
        } while (r >= ARCHIVE_WARN && r != ARCHIVE_EOF && *size == 0);
        if (r >= ARCHIVE_WARN) {
            if (r == ARCHIVE_EOF) {
                *size = 0;
            }
            return RF_OK;
        }
        err = archive_error_string(z->a);
    }
    snprintf(
        in->errmsg, sizeof(in->errmsg),
        "archive member is damaged or truncated: %s",
        err != NULL && err[0] != '\0' ? err : "read error");
    return RF_EIO;
}

/* One decompressed block, counted against the limits as it arrives; a
 * member cut short still yields the blocks before the damage. */
static rf_status
member_block(rf_input *in, char *dst, size_t cap, const void **blk, size_t *len)
{
    arc *z = in->ctx;
    *len = 0;
    if (z->hit != ARC_OK) {
        return limit_error(in, z, z->hit, z->limits);
    }
    size_t size = 0;
    rf_status st = next_block(z, in, dst, cap, blk, &size);
    if (st != RF_OK || size == 0) {
        return st;
    }
    const rf_limits *l = z->limits;
    uint64_t got = (uint64_t)size;
    if (l != NULL) {
        if (l->max_member_size > 0 &&
            z->member_bytes + got > l->max_member_size) {
            return limit_error(in, z, ARC_MEMBER, l);
        }
        uint64_t total = z->total_bytes + z->nested_bytes + got;
        if (l->max_total_size > 0 && total > l->max_total_size) {
            return limit_error(in, z, ARC_TOTAL, l);
        }
        if (l->max_ratio > 0 && total > ARC_RATIO_FLOOR && z->packed > 0 &&
            total / z->packed > l->max_ratio) {
            return limit_error(in, z, ARC_RATIO, l);
        }
    }
    /* every enclosing archive's ratio, with what is being expanded below
     * it counted as it is read: a wide bomb's outer zip stops it at the
     * first block over, not after its first nested member ran to the
     * end of its own, looser, budget */
    for (arc *p = z->parent; p != NULL; p = p->parent) {
        p->live_below += got;
        const rf_limits *pl = p->limits;
        uint64_t t = p->total_bytes + p->nested_bytes + p->live_below;
        if (pl != NULL && pl->max_ratio > 0 && t > ARC_RATIO_FLOOR &&
            p->packed > 0 && t / p->packed > pl->max_ratio) {
            /* every archive up to p stops after this member: one error,
             * reported here, not one per remaining member */
            for (arc *q = z->parent; q != p; q = q->parent) {
                q->hit = ARC_RATIO;
            }
            p->hit = ARC_RATIO;
            return limit_error(in, z, ARC_RATIO, pl);
        }
    }
    z->member_bytes += got;
    z->total_bytes += got;
    in->consumed += got;
    *len = size;
    return RF_OK;
}

static rf_status member_read(rf_input *in, const char **data, size_t *len)
{
    const void *blk = NULL;
    rf_status st = member_block(in, NULL, 0, &blk, len);
    *data = *len > 0 ? blk : "";
    return st;
}

/* A member zip.c reads: inflated straight into the reader's buffer. */
static rf_status
member_read_into(rf_input *in, char *dst, size_t cap, size_t *len)
{
    const void *blk = NULL;
    return member_block(in, dst, cap, &blk, len);
}

/* "dir/ipg240102.xml.gz" -> "ipg240102.xml" (raw single-file members). */
static void raw_member_name(char *out, size_t cap, const char *outer)
{
    static const char *const exts[] = {".gz",  ".xz",   ".zst", ".bz2",
                                       ".lz4", ".lzma", ".Z",   NULL};
    const char *base = strrchr(outer, '/');
    base = base != NULL ? base + 1 : outer;
    size_t n = strlen(base);
    for (size_t i = 0; exts[i] != NULL; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcmp(base + n - e, exts[i]) == 0) {
            snprintf(out, cap, "%.*s", (int)(n - e), base);
            return;
        }
    }
    snprintf(out, cap, "%s.data", base);
}

/* Member names are shown, never opened: keep control characters out of
 * terminals and logs. */
static void clean_name(char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7F) {
            *s = '?';
        }
    }
}

static bool fatal(rf_status st)
{
    return st == RF_ENOMEM || st == RF_EUSER || st == RF_EINVAL;
}

/* After a nested archive: do this archive's totals, its own members and
 * the charged-back expansion, still hold? */
static arc_limit nested_limit(arc *z)
{
    const rf_limits *l = z->limits;
    if (l == NULL) {
        return ARC_OK;
    }
    uint64_t total = z->total_bytes + z->nested_bytes;
    if (l->max_total_size > 0 && total > l->max_total_size) {
        return ARC_TOTAL;
    }
    /* counted in outer_read: archive_filter_bytes stayed near zero for a
     * stored zip holding a zip, so a 51:1 inner zip "expanded" its
     * parent past any max_ratio */
    if (l->max_ratio > 0 && total > ARC_RATIO_FLOOR && z->packed > 0 &&
        total / z->packed > l->max_ratio) {
        return ARC_RATIO;
    }
    return ARC_OK;
}

/* The member through a read-ahead wrapper (prefetch.c). member_read still
 * counts and limits every block, now on the wrapper's thread; what that
 * thread read beyond the reader's last read (the reader stopped early: an
 * archive at its central directory, a sink that stopped) is given back, so
 * the totals and limits of the members after are those of a plain read. */
static rf_status dispatch_ahead(arc *z, rf_input *m, const rf_reader_ctx *sub)
{
    rf_prefetch_input pf;
    rf_input ahead;
    rf_prefetch_input_init(&pf, &ahead, m);
    rf_status st = rf_input_dispatch(&ahead, sub);
    rf_prefetch_input_free(&pf);
    z->member_bytes -= pf.unread;
    z->total_bytes -= pf.unread;
    if (pf.end_unread) {
        z->hit = ARC_OK; /* a limit only the read-ahead reached */
    }
    return st;
}

/* A large member through the fan-out hook (scan/fanout.c): its format is
 * sniffed here, as rf_input_dispatch would sniff it, and a member of a
 * format that can be cut goes to the hook, which reads it on this thread
 * (zip.c inflating straight into the pieces) while the workers parse.
 * Anything else goes on to rf_input_dispatch with its head replayed, read
 * ahead on a thread of its own. */
static rf_status dispatch_fanout(arc *z, rf_input *m, const rf_reader_ctx *sub)
{
    rf_peek_input peek;
    rf_input in;
    rf_status st = rf_peek_input_init(&peek, &in, m);
    if (st != RF_OK) {
        rf_input_unreadable(sub, m, st);
        return RF_OK;
    }
    const rf_format *f = NULL;
    if (rf_sniff_archive(peek.head, peek.head_len, in.member) == 0) {
        f = sub->forced_format != NULL
                ? rf_format_find(sub->forced_format)
                : rf_format_sniff(peek.head, peek.head_len, in.member);
    }
    bool taken = false;
    if (f != NULL) {
        st = sub->fanout(sub->payload, &in, f->name, &taken);
    }
    if (!taken) {
        st = dispatch_ahead(z, &in, sub);
    }
    rf_peek_input_free(&peek);
    return st;
}

/* A small member through the fan-out (scan/fanout.c): read whole here and
 * parsed and scanned on a worker, unless it is an archive itself, which is
 * read here (its limits and counts are this thread's), after every member
 * handed over before it has been reported. *before is the reader's byte
 * count before a member read here. */
static rf_status dispatch_whole(
    rf_input *m, const rf_reader_ctx *sub, bool *fanned, uint64_t *before)
{
    *fanned = false;
    rf_peek_input peek;
    rf_input in;
    rf_status head = rf_peek_input_init(&peek, &in, m);
    rf_status st = RF_OK;
    if (head == RF_OK &&
        rf_sniff_archive(peek.head, peek.head_len, in.member) == 0) {
        st = sub->fan_whole(sub->payload, &in, fanned);
    }
    if (st == RF_OK && !*fanned) {
        st = sub->fan_drain(sub->payload);
        *before = sub->bytes != NULL ? *sub->bytes : 0;
        if (st == RF_OK && head != RF_OK) {
            rf_input_unreadable(sub, m, head);
        } else if (st == RF_OK) {
            st = rf_input_dispatch(&in, sub);
        }
    }
    rf_peek_input_free(&peek);
    return st;
}

/* libarchive, from where the zip reader stopped (the whole input when it
 * was no zip): false once the failure is reported. */
static bool open_libarchive(arc *z, rf_input *in, const rf_reader_ctx *ctx)
{
    z->by_zip = false;
    z->a = archive_read_new();
    if (z->a == NULL) {
        rf_reader_diag(
            ctx, in, RF_DIAG_ERROR, RF_ENOMEM, NULL, 0, 0,
            "cannot open as an archive: out of memory; skipped");
        return false;
    }
    archive_read_support_filter_all(z->a);
    /* Only formats whose bidders look at the first bytes: ISO 9660 and
     * mtree read tens of kilobytes ahead, which turns a truncated .tgz
     * into an error before its first member could be read. */
    archive_read_support_format_tar(z->a);
    archive_read_support_format_zip(z->a);
    archive_read_support_format_7zip(z->a);
    archive_read_support_format_rar(z->a);
    archive_read_support_format_rar5(z->a);
    archive_read_support_format_cpio(z->a);
    archive_read_support_format_ar(z->a);
    /* a lone .gz / .xz / .zst file is one member of the "raw" format */
    archive_read_support_format_raw(z->a);
    /* libarchive converts names to the locale it finds when it first
     * converts one (here): UTF-8, whatever the process runs in; and a zip
     * name without the UTF-8 flag is CP437, as the format says */
    z->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t prev = z->utf8 != (locale_t)0 ? uselocale(z->utf8) : (locale_t)0;
    archive_read_set_format_option(z->a, "zip", "hdrcharset", "CP437");
    int r = archive_read_open(z->a, z, NULL, outer_read, NULL);
    if (prev != (locale_t)0) {
        uselocale(prev);
    }
    if (r != ARCHIVE_OK) {
        const char *err = archive_error_string(z->a);
        rf_reader_diag(
            ctx, in, RF_DIAG_ERROR, RF_EPARSE, NULL, 0, 0,
            "cannot open as an archive: %s; skipped",
            err != NULL ? err : "unknown format");
        return false;
    }
    return true;
}

/* A member's header, from either reader. */
typedef struct arc_header {
    char name[1024]; /* shown, never opened */
    bool regular;
    bool encrypted;
    uint64_t size; /* 0: unknown */
} arc_header;

static void
damaged(const rf_reader_ctx *ctx, rf_input *in, uint64_t count, const char *err)
{
    rf_reader_diag(
        ctx, in, RF_DIAG_ERROR, RF_EIO, NULL, in->consumed, 0,
        "archive is truncated or damaged after %" PRIu64
        " members: %s; the members before were read",
        count, err != NULL && err[0] != '\0' ? err : "read error");
}

/* The next header: 1, or 0 at the end or after the damage is reported. */
static int next_header(
    arc *z,
    rf_input *in,
    const rf_reader_ctx *ctx,
    uint64_t count,
    arc_header *h)
{
    if (z->by_zip) {
        rf_zip_member zm;
        switch (rf_zip_next(z->zip, &zm)) {
        case RF_ZIP_MEMBER:
            if (zm.name == NULL) { /* a gzip file's one member */
                raw_member_name(
                    h->name, sizeof(h->name),
                    in->member != NULL ? in->member : in->path);
            } else {
                snprintf(h->name, sizeof(h->name), "%s", zm.name);
            }
            h->regular = !zm.dir;
            h->encrypted = false;
            h->size = zm.has_size ? zm.size : 0;
            return 1;
        case RF_ZIP_END:
            return 0;
        case RF_ZIP_DAMAGED:
            damaged(ctx, in, count, rf_zip_error(z->zip));
            return 0;
        case RF_ZIP_HANDOFF:
            if (!open_libarchive(z, in, ctx)) {
                return 0;
            }
            break;
        }
    }
    /* libarchive converts names to the thread's locale: UTF-8 while it
     * reads a header, whatever the process runs in */
    locale_t prev = z->utf8 != (locale_t)0 ? uselocale(z->utf8) : (locale_t)0;
    struct archive_entry *ent;
    int r = archive_read_next_header(z->a, &ent);
    snprintf(h->name, sizeof(h->name), "?");
    if (r >= ARCHIVE_WARN && r != ARCHIVE_EOF) {
        const char *p = archive_entry_pathname_utf8(ent);
        if (p == NULL) {
            p = archive_entry_pathname(ent);
        }
        if (archive_format(z->a) == ARCHIVE_FORMAT_RAW) {
            raw_member_name(
                h->name, sizeof(h->name),
                in->member != NULL ? in->member : in->path);
        } else if (p != NULL) {
            snprintf(h->name, sizeof(h->name), "%s", p);
        }
    }
    if (prev != (locale_t)0) {
        uselocale(prev);
    }
    if (r == ARCHIVE_EOF) {
        return 0;
    }
    if (r < ARCHIVE_WARN) {
        const char *err = archive_error_string(z->a);
        if (count == 0 && archive_format(z->a) == 0) {
            rf_reader_diag(
                ctx, in, RF_DIAG_ERROR, RF_EPARSE, NULL, in->consumed, 0,
                "not a readable archive: %s; skipped",
                err ? err : "unknown format");
        } else {
            damaged(ctx, in, count, err);
        }
        return 0;
    }
    /* directories, links, devices: nothing to read */
    h->regular = archive_entry_filetype(ent) == AE_IFREG;
    h->encrypted = archive_entry_is_encrypted(ent);
    h->size =
        archive_entry_size_is_set(ent) ? (uint64_t)archive_entry_size(ent) : 0;
    return 1;
}

static rf_status read_members(arc *z, rf_input *in, const rf_reader_ctx *ctx)
{
    rf_buf name = {0};
    rf_status st = RF_OK;
    uint64_t count = 0;
    arc_header h;
    while (next_header(z, in, ctx, count, &h) == 1) {
        if (!h.regular) {
            continue;
        }
        count++;
        rf_buf_reset(&name);
        char *entry = h.name;
        clean_name(entry);
        st = in->member != NULL
                 ? rf_buf_printf(&name, "%s!%s", in->member, entry)
                 : rf_buf_puts(&name, entry);
        if (st != RF_OK) {
            break;
        }
        if (ctx->members != NULL) {
            (*ctx->members)++;
        }
        rf_input m;
        memset(&m, 0, sizeof(m));
        m.path = in->path;
        m.member = name.data;
        m.depth = in->depth + 1;
        m.size = h.size;
        m.read = member_read;
        m.read_into = z->by_zip ? member_read_into : NULL;
        m.ctx = z;
        if (h.encrypted) {
            rf_reader_diag(
                ctx, &m, RF_DIAG_ERROR, RF_EUNSUPPORTED, NULL, 0, 0,
                "member is encrypted; skipped");
            continue;
        }
        z->member_bytes = 0;
        rf_reader_ctx sub = *ctx;
        if (z->limits != NULL) {
            /* a nested archive may use only what this one has left */
            z->child_limits = *z->limits;
            uint64_t used = z->total_bytes + z->nested_bytes;
            if (z->limits->max_total_size > 0) {
                z->child_limits.max_total_size =
                    used < z->limits->max_total_size
                        ? z->limits->max_total_size - used
                        : 1;
            }
            sub.limits = &z->child_limits;
        }
        sub.enclosing_archive = z;
        /* small members go to the fan-out's workers whole; anything read
         * here comes after what they were handed */
        bool whole =
            ctx->fan_whole != NULL && m.size > 0 && m.size <= ARC_WHOLE_MAX;
        bool fanned = false;
        if (!whole && ctx->fan_drain != NULL) {
            st = ctx->fan_drain(ctx->payload);
            if (st != RF_OK) {
                break;
            }
        }
        uint64_t before = ctx->bytes != NULL ? *ctx->bytes : 0;
        if (whole) {
            st = dispatch_whole(&m, &sub, &fanned, &before);
        } else if (
            ctx->read_ahead && ctx->fanout != NULL &&
            (m.size == 0 || m.size > ARC_FANOUT_MIN)) {
            st = dispatch_fanout(z, &m, &sub);
        } else if (ctx->read_ahead && (m.size == 0 || m.size > ARC_AHEAD_MIN)) {
            st = dispatch_ahead(z, &m, &sub);
        } else {
            st = rf_input_dispatch(&m, &sub);
        }
        if (!fanned && ctx->fan_drain != NULL && !fatal(st)) {
            /* a nested archive's small members went to the workers: their
             * bytes count below this member once they are reported */
            st = ctx->fan_drain(ctx->payload);
        }
        if (fatal(st)) {
            break;
        }
        st = RF_OK;
        if (z->hit == ARC_TOTAL || z->hit == ARC_RATIO) {
            break; /* reported by the member's reader; the archive stops */
        }
        z->hit = ARC_OK;
        z->live_below = 0; /* charged below, to nested_bytes */
        /* bytes read below this member beyond its own: what a nested
         * archive expanded to (a member handed over whole is no archive,
         * and its bytes are counted when it is reported) */
        uint64_t below =
            ctx->bytes != NULL && !fanned ? *ctx->bytes - before : 0;
        if (below > z->member_bytes) {
            z->nested_bytes += below - z->member_bytes;
            arc_limit hit = nested_limit(z);
            if (hit != ARC_OK) {
                limit_error(&m, z, hit, z->limits);
                rf_reader_diag(
                    ctx, &m, RF_DIAG_ERROR, RF_ELIMIT, NULL, 0, 0, "%s",
                    m.errmsg);
                break;
            }
        }
    }
    rf_buf_free(&name);
    return st;
}

rf_status rf_read_archive(rf_input *in, const rf_reader_ctx *ctx)
{
    const rf_limits *l = ctx->limits;
    uint32_t max_depth = l != NULL ? l->max_archive_depth : 0;
    if ((max_depth > 0 && in->depth >= max_depth) ||
        in->depth >= ARC_HARD_DEPTH) {
        rf_reader_diag(
            ctx, in, RF_DIAG_ERROR, RF_ELIMIT, NULL, 0, 0,
            "archive nested %u levels deep, over max_archive_depth "
            "(%u); not opened (raise --max-depth)",
            in->depth, max_depth > 0 ? max_depth : ARC_HARD_DEPTH);
        return RF_OK;
    }
    arc z;
    memset(&z, 0, sizeof(z));
    z.outer = in;
    z.limits = l;
    z.parent = ctx->enclosing_archive;
    z.by_zip = true;
    rf_status st = rf_zip_open(&z.zip, in, &z.packed);
    if (st != RF_OK) {
        goto done;
    }
    st = read_members(&z, in, ctx);
done:
    if (z.a != NULL) {
        archive_read_free(z.a);
    }
    if (z.utf8 != (locale_t)0) {
        freelocale(z.utf8);
    }
    rf_zip_free(z.zip);
    return st;
}
