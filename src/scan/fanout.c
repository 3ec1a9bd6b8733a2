/*
 * fanout.c - one large archive member, parsed and scanned on several
 * threads.
 *
 * A USPTO weekly zip is one 2 GB member; read by one reader it keeps one
 * core busy however many there are. When the scan is one file and more
 * than one job (pool.c), archive.c hands every large member whose format
 * has seams (chunk.c) to rf_run__fanout instead of to a reader:
 *
 *   member --(this thread, the splitter)--> pieces of about RF_FAN_PIECE
 *            bytes, each ending right before a `<?xml` at a line start
 *   pieces --(jobs workers, a reader and a scanner each)--> records
 *   records --(the splitter, in piece order)--> the file's sink, every
 *            place moved back by what the pieces before held (shift.c)
 *
 * The splitter reads the member through archive.c's member_read, so its
 * limits and counts are those of one reader; a zip member is inflated
 * straight into the piece (read_into, zip.c). The splitter inflates on its
 * own thread: with igzip that is a fraction of what the workers do, and a
 * read-ahead thread in between only copied every byte once more. A piece reads
 * as an input of its own in the member's format, path and name, and is parsed
 * and scanned as run.c does any input. The cuts depend on the member's bytes
 * alone, never on -j, and the records go out in order: the output is what one
 * reader of the whole member writes.
 *
 * Memory: at most 2 * jobs + 2 pieces (and never more than
 * RF_FAN_RING_MAX), of at most `budget` bytes together (one piece always
 * may be), are read and not yet emitted; a piece's buffer is kept for
 * the next piece in its slot. Where no seam comes within RF_FAN_MAX bytes (a
 * document that large, or no concatenation at all) the piece is not held whole:
 * once the pieces before it are out, it is read on this thread as the member
 * streams in, up to the next seam, where the cutting goes on.
 *
 * What a piece's reader cannot know, the splitter adds: byte offsets and
 * document indexes (and "#N" names) when the records are emitted
 * (shift.c). Lines are counted as pieces are handed over and given to
 * their readers, since messages name lines too; a piece read here is also
 * told the documents delivered before it, which the message of a member
 * cut short counts.
 *
 * Small members (a zip of ten thousand XML files, as the EPO and the JPO
 * ship them) go the same way, one member a piece: rf_run__fan_whole reads
 * each whole on the archive's thread and hands it over, its format sniffed
 * by the worker's reader as rf_input_dispatch does; a member that is an
 * archive itself is read on the archive's thread, after rf_run__fan_drain
 * has emitted every piece before it. The workers and the ring belong to
 * the file (rf_fan, opened on first use, closed by rf_run__fan_close), so
 * every member of every archive in it shares them, in order.
 *
 * The mutex guards the hand-over of pieces and results only; parsing and
 * matching take no lock. Workers own their scanner (Hyperscan scratch);
 * the ruleset is shared read-only.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "record.h"
#include "run.h"
#include "scan.h"

#define RF_FAN_PIECE ((size_t)2 << 20)   /* a piece ends at a seam past this */
#define RF_FAN_MAX   ((size_t)32 << 20)  /* no seam by then: not cut */
#define RF_FAN_READ  ((size_t)256 << 10) /* a piece's reader reads this much */
/* pieces in flight: 2 * jobs + 2, but never more than this, so that many
 * cores do not take memory past the 256 MiB the scanner keeps to (16
 * pieces of 2-3 MiB; fan_get's budget holds larger ones back); a worker
 * beyond that only waits */
#define RF_FAN_RING_MAX ((size_t)16)
/* bytes in flight per job (plus one): ordinary pieces are held by the
 * ring, so this is for documents larger than a piece, of which it lets
 * each worker have one of up to 10 MiB and the splitter one more */
#define RF_FAN_BUDGET ((size_t)10 << 20)
/* a member handed over whole (rf_run__fan_whole) is at most this large */
#define RF_FAN_WHOLE_MAX ((size_t)8 << 20)

/* One member of a batch of whole members: where its bytes and name are in
 * the piece, and how it ended (a read error or limit its reader must
 * see). */
typedef struct fan_entry {
    size_t off;
    size_t len;
    size_t name_off;
    rf_status end;
    char errmsg[256];
} fan_entry;

typedef struct fan_piece {
    rf_buf bytes; /* the piece; its memory serves the next one too */
    /* whose piece it is: the member's path, name, depth and format (NULL:
     * sniffed by its reader); the name is copied, the member moves on */
    const char *path;
    rf_buf member;
    unsigned depth;
    const char *format;
    bool continuation; /* not the member's first piece */
    /* a batch of whole members (rf_run__fan_whole): their names follow
     * one another in `member`, each with its NUL */
    bool whole;
    fan_entry *entries;
    size_t entry_n;
    size_t entry_cap;
    uint64_t lines_before; /* line breaks in the member before it */
    uint64_t lines;        /* and in its bytes, counted as they are read */
    /* the member's end, when it came right after these bytes: a read
     * error or limit (status and message) its reader must see */
    rf_status end;
    char errmsg[256];
    /* what the worker made of it */
    rf_record rec;
    rf_scan_summary summary;
    uint64_t docs; /* documents its reader started */
    rf_status status;
    bool done; /* guarded by mu */
} fan_piece;

struct rf_fan {
    rf_file_job *job; /* the file: options, scanner, output */
    /* the member being cut (rf_run__fanout), for its pieces */
    const char *path;
    const char *member;
    unsigned depth;
    const char *format;
    fan_piece *ring;
    size_t ring_n;
    pthread_t *threads;
    unsigned started;
    pthread_mutex_t mu;
    pthread_cond_t ready_cv; /* a piece was handed over, or no more come */
    pthread_cond_t done_cv;  /* a worker finished a piece */
    size_t handed;           /* pieces handed to the workers (mu) */
    size_t taken;            /* pieces the workers took (mu) */
    bool closed;             /* no more pieces (mu) */
    bool stop;               /* the output stopped: skip what is left (mu) */
    rf_status fatal;         /* a worker could not start (mu) */
    /* the splitter's own */
    size_t emitted;
    rf_shift at;        /* what the pieces emitted held: bytes, documents */
    uint64_t delivered; /* documents the pieces emitted delivered */
    uint64_t lines;     /* line breaks in the pieces handed over */
    bool batch_open;    /* the next slot is a batch still being filled */
    size_t inflight;    /* bytes of the pieces handed over, not emitted */
    size_t budget;      /* ... and how many there may be (see fan_get) */
};

/* ---------------- a worker ---------------- */

/* A piece as a stream: its bytes in reads of RF_FAN_READ, then its end.
 * Read on the splitter's thread (read_here), it may go on with the member
 * itself, up to the member's next seam. */
typedef struct piece_stream {
    const char *data; /* the piece's bytes */
    rf_status tail;   /* and how they end: RF_OK, or the member's error */
    const char *tail_msg;
    size_t pos;
    size_t len; /* of the bytes handed out from here (then win) */
    /* read_here's stream past p's bytes: the member, up to a seam */
    rf_input *member;
    rf_buf win;  /* the member's bytes last read; the last `held` not out */
    size_t held; /* a seam may begin there: known when more is read */
    bool at_seam;
    bool ended; /* the member ended: its status in end, its message */
    rf_status end;
    char errmsg[256];
    bool to_end;    /* the member to its end, no seams looked for */
    rf_buf *carry;  /* the bytes from the seam on */
    uint64_t bytes; /* handed out, and their line breaks */
    uint64_t lines;
} piece_stream;

/* The member up to its next seam, holding back the bytes where one may
 * begin until it is known whether one does. */
static rf_status
stream_read(piece_stream *s, rf_input *in, const char **data, size_t *len)
{
    for (;;) {
        if (s->at_seam || s->ended) {
            *data = s->win.data + s->win.len - s->held;
            *len = s->held;
            s->held = 0;
            if (*len > 0 || s->at_seam || s->end == RF_OK) {
                return RF_OK;
            }
            snprintf(in->errmsg, sizeof(in->errmsg), "%s", s->errmsg);
            return s->end;
        }
        memmove(s->win.data, s->win.data + s->win.len - s->held, s->held);
        s->win.len = s->held;
        const char *d;
        size_t n;
        s->end = s->member->read(s->member, &d, &n);
        if (s->end != RF_OK || n == 0) {
            snprintf(s->errmsg, sizeof(s->errmsg), "%s", s->member->errmsg);
            s->ended = true;
            continue;
        }
        rf_status st = rf_buf_append(&s->win, d, n);
        if (st != RF_OK) {
            return st;
        }
        size_t at = rf_run__find_seam(s->win.data, s->win.len, RF_SEAM_XML);
        if (at != SIZE_MAX) {
            st = rf_buf_append(s->carry, s->win.data + at, s->win.len - at);
            s->win.len = at;
            s->held = at;
            s->at_seam = true;
            if (st != RF_OK) {
                return st;
            }
            continue;
        }
        size_t keep = s->win.len < 6 ? s->win.len : 6;
        if (s->win.len > keep) {
            *data = s->win.data;
            *len = s->win.len - keep;
            s->held = keep;
            return RF_OK;
        }
        s->held = keep;
    }
}

static rf_status piece_read(rf_input *in, const char **data, size_t *len)
{
    piece_stream *s = in->ctx;
    rf_status st = RF_OK;
    if (s->pos < s->len || s->member == NULL) {
        size_t n = s->len - s->pos;
        if (n > RF_FAN_READ) {
            n = RF_FAN_READ;
        }
        *data = n > 0 ? s->data + s->pos : "";
        *len = n;
        s->pos += n;
        if (n == 0 && s->tail != RF_OK) {
            snprintf(in->errmsg, sizeof(in->errmsg), "%s", s->tail_msg);
            return s->tail;
        }
    } else if (s->to_end) {
        st = s->member->read(s->member, data, len);
        if (st != RF_OK) {
            snprintf(in->errmsg, sizeof(in->errmsg), "%s", s->member->errmsg);
        }
    } else {
        st = stream_read(s, in, data, len);
    }
    if (st == RF_OK) {
        in->consumed += *len;
        if (s->member != NULL) {
            s->bytes += *len;
            s->lines += rf_count_newlines(*data, *len);
        }
    }
    return st;
}

/* A sink on to `down`, counting the documents the piece's reader
 * started. */
typedef struct counted {
    rf_sink down;
    uint64_t docs;
} counted;

static rf_status counted_document(void *payload, const rf_document *d)
{
    counted *c = payload;
    rf_shift_count_document(&c->docs, d);
    return c->down.document(c->down.payload, d);
}

static rf_status counted_finding(void *payload, const rf_finding *f)
{
    counted *c = payload;
    return c->down.finding(c->down.payload, f);
}

static void counted_diag(void *payload, const rf_diag *d)
{
    counted *c = payload;
    rf_shift_count_diag(&c->docs, d);
    c->down.diag(c->down.payload, d);
}

static void counted_sink(rf_sink *out, counted *c)
{
    *out = (rf_sink){
        .version = RF_SINK_VERSION,
        .document = counted_document,
        .finding = counted_finding,
        .diag = counted_diag,
        .payload = c,
    };
}

/* Read and scan one member's bytes (or a piece of one) into the piece's
 * record. */
static rf_status scan_one(
    rf_fan *f,
    fan_piece *p,
    rf_scanner *sc,
    counted *c,
    piece_stream *s,
    const char *member)
{
    rf_sink out;
    counted_sink(&out, c);
    rf_file_job job = {
        .path = f->job->path,
        .opts = f->job->opts,
        .scanner = sc,
        .out = &out,
        .summary = &p->summary,
        .rs = f->job->rs,
    };
    rf_input in = {
        .path = p->path,
        .member = member,
        .size = s->len,
        .depth = p->depth,
        .read = piece_read,
        .ctx = s,
    };
    return rf_run__piece(
        &job, &in, p->format, p->continuation, p->lines_before, 0);
}

static void scan_piece(rf_fan *f, fan_piece *p, rf_scanner *sc)
{
    counted c = {.docs = 0};
    rf_record_sink(&c.down, &p->rec);
    memset(&p->summary, 0, sizeof(p->summary));
    /* a piece of one member is a batch of one */
    fan_entry one = {.len = p->bytes.len, .end = p->end};
    memcpy(one.errmsg, p->errmsg, sizeof(one.errmsg));
    const fan_entry *v = p->whole ? p->entries : &one;
    size_t n = p->whole ? p->entry_n : 1;
    rf_status st = RF_OK;
    for (size_t i = 0; i < n && st == RF_OK; i++) {
        piece_stream s = {
            .data = p->bytes.data != NULL ? p->bytes.data + v[i].off : "",
            .tail = v[i].end,
            .tail_msg = v[i].errmsg,
            .len = v[i].len,
        };
        st = scan_one(f, p, sc, &c, &s, p->member.data + v[i].name_off);
    }
    p->docs = c.docs;
    p->status = st != RF_OK ? st : p->rec.status;
}

static void *worker(void *arg)
{
    rf_fan *f = arg;
    rf_scanner *sc = NULL;
    if (f->job->rs != NULL && rf_scanner_new(&sc, f->job->rs) != RF_OK) {
        pthread_mutex_lock(&f->mu);
        f->fatal = RF_ENOMEM;
        pthread_cond_broadcast(&f->done_cv);
        pthread_mutex_unlock(&f->mu);
        return NULL;
    }
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (f->taken == f->handed && !f->closed) {
            pthread_cond_wait(&f->ready_cv, &f->mu);
        }
        if (f->taken == f->handed) {
            break;
        }
        fan_piece *p = &f->ring[f->taken++ % f->ring_n];
        bool skip = f->stop;
        pthread_mutex_unlock(&f->mu);
        if (!skip) {
            scan_piece(f, p, sc);
        }
        pthread_mutex_lock(&f->mu);
        p->done = true;
        pthread_cond_broadcast(&f->done_cv);
    }
    pthread_mutex_unlock(&f->mu);
    rf_scanner_free(sc);
    return NULL;
}

/* ---------------- the splitter ---------------- */

/* A member's first piece: its places count from zero again. */
static void member_starts(rf_fan *f)
{
    f->at = (rf_shift){0};
    f->delivered = 0;
}

/* Emit the oldest piece not emitted yet into the file's output; wait for
 * it if `wait`, else *ready tells whether it was done. */
static rf_status emit_next(rf_fan *f, bool wait, bool *ready)
{
    fan_piece *p = &f->ring[f->emitted % f->ring_n];
    pthread_mutex_lock(&f->mu);
    while (wait && !p->done && f->fatal == RF_OK) {
        pthread_cond_wait(&f->done_cv, &f->mu);
    }
    bool done = p->done;
    rf_status fatal = f->fatal;
    pthread_mutex_unlock(&f->mu);
    *ready = done;
    if (fatal != RF_OK) {
        return fatal;
    }
    if (!done) {
        return RF_OK;
    }
    if (!p->continuation) {
        member_starts(f);
    }
    rf_summary_add(f->job->summary, &p->summary);
    rf_shift_sink ss = {.at = f->at, .down = f->job->out};
    rf_sink out;
    rf_shift_sink_init(&out, &ss);
    rf_status st = rf_record_replay(&p->rec, &out);
    rf_record_free(&p->rec);
    f->inflight -= p->bytes.len;
    f->at.offset += p->bytes.len;
    if (p->bytes.cap > 2 * RF_FAN_PIECE) {
        /* a piece of huge documents: its slot does not keep the memory */
        rf_buf_free(&p->bytes);
    }
    f->at.docs += p->docs;
    f->delivered += p->summary.documents;
    p->done = false; /* the slot is the splitter's until handed again */
    f->emitted++;
    return st != RF_OK ? st : p->status;
}

/* Emit every piece handed over that is done; all of them if `all`. */
static rf_status emit_ready(rf_fan *f, bool all)
{
    while (f->emitted < f->handed) {
        bool ready;
        rf_status st = emit_next(f, all, &ready);
        if (st != RF_OK || !ready) {
            return st;
        }
    }
    return RF_OK;
}

static void hand_over(rf_fan *f, fan_piece *p)
{
    /* lines are counted before the piece is parsed (fill, as its bytes
     * come in): its reader numbers them as the whole member's, in its
     * messages too (a member handed over whole starts at its first line) */
    p->lines_before = p->continuation ? f->lines : 0;
    if (!p->whole) {
        f->lines = p->lines_before + p->lines;
    }
    pthread_mutex_lock(&f->mu);
    f->inflight += p->bytes.len;
    f->handed++;
    pthread_cond_signal(&f->ready_cv);
    pthread_mutex_unlock(&f->mu);
}

/* Read p here, after the pieces before it are out, by one reader told
 * what they held (lines, documents delivered), when
 *  - the member's end after p is an error (a damaged member, a limit):
 *    p's bytes, then the error, whose message counts the documents before
 *    it, as one reader's would;
 *  - there is no seam in RF_FAN_MAX bytes of p (one document that large,
 *    or no concatenation): p's bytes, then the member, streamed up to its
 *    next seam. *resume: one was found, the bytes from it on are in carry
 *    and the cutting goes on there;
 *  - a member handed over whole turned out larger than its header said
 *    (to_end): p's bytes, then the member to its end. */
static rf_status read_here(
    rf_fan *f,
    fan_piece *p,
    rf_input *member,
    rf_buf *carry,
    bool to_end,
    bool *resume)
{
    *resume = false;
    rf_status st = emit_ready(f, true);
    if (st != RF_OK) {
        return st;
    }
    if (!p->continuation) {
        member_starts(f);
        f->lines = 0;
    }
    rf_shift_sink ss = {.at = f->at, .down = f->job->out};
    counted c = {.docs = 0};
    rf_shift_sink_init(&c.down, &ss);
    rf_sink out;
    counted_sink(&out, &c);
    rf_file_job here = *f->job;
    here.out = &out;
    here.fanout_jobs = 0;
    here.doc_findings = 0;
    piece_stream r = {
        .data = p->bytes.data,
        .tail = p->end,
        .tail_msg = p->errmsg,
        .len = p->bytes.len,
        .carry = carry,
    };
    if (to_end) {
        r.member = member;
        r.to_end = true;
    } else if (member != NULL) {
        /* a seam may begin in p's last bytes */
        size_t keep = p->bytes.len < 6 ? p->bytes.len : 6;
        r.member = member;
        r.len = p->bytes.len - keep;
        st = rf_buf_append(&r.win, p->bytes.data + r.len, keep);
        r.held = keep;
    }
    uint64_t delivered = f->job->summary->documents;
    if (st == RF_OK) {
        rf_input in = {
            .path = p->path,
            .member = p->member.data,
            .depth = p->depth,
            .read = piece_read,
            .ctx = &r,
        };
        st = rf_run__piece(
            &here, &in, p->format, p->continuation, f->lines, f->delivered);
    }
    rf_buf_free(&r.win);
    f->at.offset += r.bytes;
    f->at.docs += c.docs;
    f->lines += r.lines;
    f->delivered += f->job->summary->documents - delivered;
    *resume = st == RF_OK && r.at_seam;
    return st;
}

/* How filling a piece ended. */
typedef enum fill_end {
    FILL_CUT,  /* at a seam: the bytes after it begin the next piece */
    FILL_END,  /* at the member's end */
    FILL_HERE, /* read here: no seam, or the member's end was an error */
    FILL_ON,   /* read here up to a seam: the next piece begins there */
} fill_end;

/* What one read of a member asks for: as a file is read (RF_READ_CHUNK). */
#define FAN_READ ((size_t)RF_READ_CHUNK)

/* The member's next bytes, appended to b: inflated straight into b when
 * the stream can (zip.c), else copied out of its chunk. *len is 0 at the
 * end; a read error is returned, an allocation failure goes to *mem. */
static rf_status
append_read(rf_input *member, rf_buf *b, size_t *len, rf_status *mem)
{
    *len = 0;
    if (member->read_into != NULL) {
        *mem = rf_buf_reserve(b, FAN_READ);
        if (*mem != RF_OK) {
            return RF_OK;
        }
        rf_status rs =
            member->read_into(member, b->data + b->len, FAN_READ, len);
        if (rs == RF_OK) {
            rf_buf_commit(b, *len);
        }
        return rs;
    }
    const char *data;
    rf_status rs = member->read(member, &data, len);
    *mem = rs == RF_OK && *len > 0 ? rf_buf_append(b, data, *len) : RF_OK;
    return rs;
}

/* Read the member into p up to the first seam at or past RF_FAN_PIECE;
 * *cut is where it is. The seam depends on the bytes only, not on how the
 * reads fell. */
static rf_status fill(
    rf_fan *f,
    fan_piece *p,
    rf_input *member,
    rf_buf *carry,
    fill_end *how,
    size_t *cut)
{
    bool resume = false;
    size_t from = RF_FAN_PIECE - 1; /* the '\n' before a seam */
    for (;;) {
        size_t have = p->bytes.len;
        if (have > from) {
            size_t at = rf_run__find_seam(
                p->bytes.data + from, have - from, RF_SEAM_XML);
            if (at != SIZE_MAX) {
                *how = FILL_CUT;
                *cut = from + at;
                return RF_OK;
            }
            /* a seam may begin in the last 6 bytes: look there again */
            from = have - 6 > from ? have - 6 : from;
            if (have >= RF_FAN_MAX) {
                rf_status st = read_here(f, p, member, carry, false, &resume);
                *how = resume ? FILL_ON : FILL_HERE;
                return st;
            }
        }
        size_t len;
        rf_status st = RF_OK;
        rf_status rs = append_read(member, &p->bytes, &len, &st);
        if (st != RF_OK) {
            return st;
        }
        if (rs != RF_OK) {
            p->end = rs;
            snprintf(p->errmsg, sizeof(p->errmsg), "%s", member->errmsg);
            *how = FILL_HERE;
            return read_here(f, p, NULL, carry, false, &resume);
        }
        if (len == 0) {
            *how = FILL_END;
            return RF_OK;
        }
        /* counted now, while the bytes just inflated are in the cache */
        p->lines += rf_count_newlines(p->bytes.data + p->bytes.len - len, len);
    }
}

/* Make the ring's next slot p a new piece of the given member. */
static rf_status piece_reset(
    fan_piece *p,
    const char *path,
    const char *member,
    unsigned depth,
    const char *format)
{
    rf_buf_reset(&p->bytes);
    rf_buf_reset(&p->member);
    p->path = path;
    p->depth = depth;
    p->format = format;
    p->continuation = false;
    p->whole = false;
    p->entry_n = 0;
    p->lines = 0;
    p->end = RF_OK;
    p->errmsg[0] = '\0';
    return member != NULL ? rf_buf_puts(&p->member, member) : RF_OK;
}

/* Wait until the ring has a free slot, and the pieces handed over are
 * within the budget: the oldest piece out first. */
static rf_status free_slot(rf_fan *f)
{
    rf_status st = RF_OK;
    while (st == RF_OK &&
           (f->handed - f->emitted == f->ring_n ||
            (f->handed > f->emitted && f->inflight >= f->budget))) {
        bool ready;
        st = emit_next(f, true, &ready);
    }
    return st;
}

/* Cut the member into pieces, hand them to the workers and emit their
 * records in order. */
static rf_status split(rf_fan *f, rf_input *member)
{
    f->lines = 0;
    rf_buf carry = {0}; /* bytes read past the last cut */
    uint64_t carry_lines = 0;
    rf_status st = RF_OK;
    fill_end how = FILL_CUT;
    bool first = true;
    while ((how == FILL_CUT || how == FILL_ON) && st == RF_OK) {
        st = free_slot(f);
        if (st != RF_OK) {
            break;
        }
        fan_piece *p = &f->ring[f->handed % f->ring_n];
        st = piece_reset(p, f->path, f->member, f->depth, f->format);
        if (st != RF_OK) {
            break;
        }
        p->continuation = !first;
        first = false;
        st = rf_buf_append(&p->bytes, carry.data, carry.len);
        p->lines = carry_lines;
        rf_buf_reset(&carry);
        size_t cut = 0;
        if (st == RF_OK) {
            st = fill(f, p, member, &carry, &how, &cut);
        }
        if (st != RF_OK || how == FILL_HERE || how == FILL_ON) {
            /* stopped, or p was read here: up to a seam, if FILL_ON, and
             * the carry begins the next piece */
            carry_lines = rf_count_newlines(carry.data, carry.len);
            continue;
        }
        if (how == FILL_CUT) {
            carry_lines =
                rf_count_newlines(p->bytes.data + cut, p->bytes.len - cut);
            p->lines -= carry_lines;
            st = rf_buf_append(&carry, p->bytes.data + cut, p->bytes.len - cut);
            p->bytes.len = cut;
            p->bytes.data[cut] = '\0';
        }
        hand_over(f, p);
        if (st == RF_OK) {
            st = emit_ready(f, false);
        }
    }
    rf_buf_free(&carry);
    return st == RF_OK ? emit_ready(f, true) : st;
}

/* Hand the batch of whole members being filled over to the workers. */
static rf_status flush_batch(rf_fan *f)
{
    if (!f->batch_open) {
        return RF_OK;
    }
    f->batch_open = false;
    hand_over(f, &f->ring[f->handed % f->ring_n]);
    return emit_ready(f, false);
}

/* The batch being filled, a new one in the next free slot if none is. */
static rf_status open_batch(rf_fan *f, const rf_input *member, fan_piece **out)
{
    fan_piece *p = &f->ring[f->handed % f->ring_n];
    if (!f->batch_open) {
        rf_status st = free_slot(f);
        p = &f->ring[f->handed % f->ring_n];
        st = st ? st
                : piece_reset(
                      p, member->path, NULL, member->depth,
                      f->job->opts->format);
        if (st != RF_OK) {
            return st;
        }
        p->whole = true;
        f->batch_open = true;
    }
    if (p->entry_n == p->entry_cap) {
        size_t cap = p->entry_cap ? p->entry_cap * 2 : 64;
        fan_entry *v = realloc(p->entries, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        p->entries = v;
        p->entry_cap = cap;
    }
    *out = p;
    return RF_OK;
}

/* A member that said it was small and is not: what was read of it goes
 * into a slot of its own, the batch before it to the workers, and it is
 * read here to its end. */
static rf_status whole_too_large(rf_fan *f, fan_piece *p, rf_input *member)
{
    fan_entry *e = &p->entries[p->entry_n];
    rf_buf head = {0};
    rf_status st =
        rf_buf_append(&head, p->bytes.data + e->off, p->bytes.len - e->off);
    p->bytes.len = e->off;
    p->member.len = e->name_off;
    if (st == RF_OK && p->entry_n > 0) {
        st = flush_batch(f);
    }
    f->batch_open = false;
    st = st ? st : free_slot(f);
    fan_piece *q = &f->ring[f->handed % f->ring_n];
    st = st ? st
            : piece_reset(
                  q, member->path, member->member, member->depth,
                  f->job->opts->format);
    st = st ? st : rf_buf_append(&q->bytes, head.data, head.len);
    rf_buf_free(&head);
    bool resume;
    return st ? st : read_here(f, q, member, NULL, true, &resume);
}

/* The file's fan-out, its workers started on first use. */
static rf_status fan_get(rf_file_job *job, rf_fan **out)
{
    if (job->fan != NULL) {
        *out = job->fan;
        return job->fan->started > 0 ? RF_OK : RF_ENOMEM;
    }
    rf_fan *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        return RF_ENOMEM;
    }
    f->job = job;
    f->ring_n = (size_t)2 * job->fanout_jobs + 2;
    if (f->ring_n > RF_FAN_RING_MAX) {
        f->ring_n = RF_FAN_RING_MAX;
    }
    /* pieces end at the first seam past RF_FAN_PIECE, so a file of huge
     * documents makes them larger, up to RF_FAN_MAX: bytes in flight are
     * held to RF_FAN_BUDGET per job, and to four documents of the largest
     * size the limits allow (--max-memory lowers it) */
    uint64_t docs4 = job->opts->limits.max_document_size * 4;
    f->budget = ((size_t)job->fanout_jobs + 1) * RF_FAN_BUDGET;
    if (docs4 > 0 && docs4 < f->budget) {
        f->budget = docs4 > RF_FAN_PIECE ? (size_t)docs4 : RF_FAN_PIECE;
    }
    f->ring = calloc(f->ring_n, sizeof(*f->ring));
    f->threads = calloc(job->fanout_jobs, sizeof(*f->threads));
    if (f->ring == NULL || f->threads == NULL) {
        free(f->ring);
        free(f->threads);
        free(f);
        return RF_ENOMEM;
    }
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->ready_cv, NULL);
    pthread_cond_init(&f->done_cv, NULL);
    for (unsigned t = 0; t < job->fanout_jobs; t++) {
        if (pthread_create(&f->threads[f->started], NULL, worker, f) != 0) {
            break; /* fewer threads still finish the work */
        }
        f->started++;
    }
    job->fan = f;
    if (f->started == 0) {
        return RF_ENOMEM; /* read by one reader after all */
    }
    *out = f;
    return RF_OK;
}

rf_status rf_run__fan_close(rf_file_job *job, rf_status st)
{
    rf_fan *f = job->fan;
    if (f == NULL) {
        return st;
    }
    if (st == RF_OK && f->started > 0) {
        st = flush_batch(f);
        st = st ? st : emit_ready(f, true);
    }
    pthread_mutex_lock(&f->mu);
    f->closed = true;
    f->stop = st != RF_OK;
    pthread_cond_broadcast(&f->ready_cv);
    pthread_mutex_unlock(&f->mu);
    for (unsigned t = 0; t < f->started; t++) {
        pthread_join(f->threads[t], NULL);
    }
    for (size_t i = 0; i < f->ring_n; i++) {
        rf_buf_free(&f->ring[i].bytes);
        rf_buf_free(&f->ring[i].member);
        free(f->ring[i].entries);
        rf_record_free(&f->ring[i].rec);
    }
    free(f->ring);
    free(f->threads);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->ready_cv);
    pthread_cond_destroy(&f->done_cv);
    free(f);
    job->fan = NULL;
    return st;
}

rf_status rf_run__fan_drain(void *payload)
{
    rf_file_job *job = payload;
    rf_fan *f = job->fan;
    if (f == NULL || f->started == 0) {
        return RF_OK;
    }
    rf_status st = flush_batch(f);
    return st ? st : emit_ready(f, true);
}

rf_status
rf_run__fanout(void *payload, rf_input *member, const char *format, bool *taken)
{
    rf_file_job *job = payload;
    rf_fan *f;
    *taken = false;
    if (rf_run__seam_of(format) != RF_SEAM_XML || fan_get(job, &f) != RF_OK) {
        return RF_OK;
    }
    *taken = true;
    rf_status st = flush_batch(f); /* the small members before it first */
    if (st != RF_OK) {
        return st;
    }
    f->path = member->path;
    f->member = member->member;
    f->depth = member->depth;
    f->format = format;
    return split(f, member);
}

rf_status rf_run__fan_whole(void *payload, rf_input *member, bool *taken)
{
    rf_file_job *job = payload;
    rf_fan *f;
    *taken = false;
    if (fan_get(job, &f) != RF_OK) {
        return RF_OK;
    }
    *taken = true;
    fan_piece *p;
    rf_status st = open_batch(f, member, &p);
    if (st != RF_OK) {
        return st;
    }
    fan_entry *e = &p->entries[p->entry_n];
    e->off = p->bytes.len;
    e->name_off = p->member.len;
    e->end = RF_OK;
    e->errmsg[0] = '\0';
    const char *name = member->member != NULL ? member->member : "";
    st = rf_buf_append(&p->member, name, strlen(name) + 1);
    while (st == RF_OK) {
        if (p->bytes.len - e->off > RF_FAN_WHOLE_MAX) {
            return whole_too_large(f, p, member);
        }
        size_t len;
        rf_status rs = append_read(member, &p->bytes, &len, &st);
        if (st == RF_OK && rs != RF_OK) {
            /* its reader sees the end as one reader would */
            e->end = rs;
            snprintf(e->errmsg, sizeof(e->errmsg), "%s", member->errmsg);
            break;
        }
        if (len == 0) {
            break;
        }
    }
    if (st != RF_OK) {
        return st;
    }
    e->len = p->bytes.len - e->off;
    p->entry_n++;
    return p->bytes.len >= RF_FAN_PIECE ? flush_batch(f) : RF_OK;
}
