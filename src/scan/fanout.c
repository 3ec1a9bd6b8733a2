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
 * The splitter reads the member through archive.c's member_read, behind
 * the read-ahead thread that inflates it (prefetch.c), so its limits and
 * counts are those of one reader. A piece reads as an input of its own
 * in the member's format, path and name, and is parsed and scanned as
 * run.c does any input. The cuts depend on the member's bytes alone,
 * never on -j, and the records go out in order: the output is what one
 * reader of the whole member writes.
 *
 * Memory: at most 2 * jobs + 2 pieces (and never more than
 * RF_FAN_RING_MAX) are read and not yet emitted; a piece's buffer is kept for
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
 * The mutex guards the hand-over of pieces and results only; parsing and
 * matching take no lock. Workers own their scanner (Hyperscan scratch);
 * the ruleset is shared read-only.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "run.h"
#include "scan.h"

#define RF_FAN_PIECE ((size_t)8 << 20)   /* a piece ends at a seam past this */
#define RF_FAN_MAX   ((size_t)32 << 20)  /* no seam by then: not cut */
#define RF_FAN_READ  ((size_t)256 << 10) /* a piece's reader reads this much */
/* pieces in flight: 2 * jobs + 2, but never more than this, so that many
 * cores do not take memory past the 256 MiB the scanner keeps to (16
 * pieces of 8-9 MiB); a worker beyond that only waits */
#define RF_FAN_RING_MAX ((size_t)16)

typedef struct fan_piece {
    rf_buf bytes;          /* the piece; its memory serves the next one too */
    bool continuation;     /* not the member's first piece */
    uint64_t lines_before; /* line breaks in the member before it */
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

typedef struct fanout {
    rf_file_job *job;   /* the member's file: options, scanner, output */
    const char *path;   /* the member's, for its pieces */
    const char *member; /* (copied: the stream changes as it is read) */
    unsigned depth;
    const char *format;
    fan_piece *ring;
    size_t ring_n;
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
} fanout;

/* ---------------- a worker ---------------- */

/* A piece as a stream: its bytes in reads of RF_FAN_READ, then its end.
 * Read on the splitter's thread (read_here), it may go on with the member
 * itself, up to the member's next seam. */
typedef struct piece_stream {
    const fan_piece *p;
    size_t pos;
    size_t len; /* of p's bytes handed out from here (then win) */
    /* read_here's stream past p's bytes: the member, up to a seam */
    rf_input *member;
    rf_buf win;  /* the member's bytes last read; the last `held` not out */
    size_t held; /* a seam may begin there: known when more is read */
    bool at_seam;
    bool ended; /* the member ended: its status in end, its message */
    rf_status end;
    char errmsg[256];
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
        *data = n > 0 ? s->p->bytes.data + s->pos : "";
        *len = n;
        s->pos += n;
        if (n == 0 && s->p->end != RF_OK) {
            snprintf(in->errmsg, sizeof(in->errmsg), "%s", s->p->errmsg);
            return s->p->end;
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

static void scan_piece(fanout *f, fan_piece *p, rf_scanner *sc)
{
    counted c = {.docs = 0};
    rf_record_sink(&c.down, &p->rec);
    rf_sink out;
    counted_sink(&out, &c);
    memset(&p->summary, 0, sizeof(p->summary));
    rf_file_job job = {
        .path = f->job->path,
        .opts = f->job->opts,
        .scanner = sc,
        .out = &out,
        .summary = &p->summary,
        .rs = f->job->rs,
    };
    piece_stream s = {.p = p, .len = p->bytes.len};
    rf_input in = {
        .path = f->path,
        .member = f->member,
        .size = p->bytes.len,
        .depth = f->depth,
        .read = piece_read,
        .ctx = &s,
    };
    rf_status st = rf_run__piece(
        &job, &in, f->format, p->continuation, p->lines_before, 0);
    p->docs = c.docs;
    p->status = st != RF_OK ? st : p->rec.status;
}

static void *worker(void *arg)
{
    fanout *f = arg;
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

/* Emit the oldest piece not emitted yet into the file's output; wait for
 * it if `wait`, else *ready tells whether it was done. */
static rf_status emit_next(fanout *f, bool wait, bool *ready)
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
    rf_summary_add(f->job->summary, &p->summary);
    rf_shift_sink ss = {.at = f->at, .down = f->job->out};
    rf_sink out;
    rf_shift_sink_init(&out, &ss);
    rf_status st = rf_record_replay(&p->rec, &out);
    rf_record_free(&p->rec);
    f->at.offset += p->bytes.len;
    f->at.docs += p->docs;
    f->delivered += p->summary.documents;
    p->done = false; /* the slot is the splitter's until handed again */
    f->emitted++;
    return st != RF_OK ? st : p->status;
}

/* Emit every piece handed over that is done; all of them if `all`. */
static rf_status emit_ready(fanout *f, bool all)
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

static void hand_over(fanout *f, fan_piece *p)
{
    /* lines are counted here, before the piece is parsed: its reader
     * numbers them as the whole member's, in its messages too */
    p->lines_before = f->lines;
    f->lines += rf_count_newlines(p->bytes.data, p->bytes.len);
    pthread_mutex_lock(&f->mu);
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
 *    and the cutting goes on there. */
static rf_status read_here(
    fanout *f, fan_piece *p, rf_input *member, rf_buf *carry, bool *resume)
{
    *resume = false;
    rf_status st = emit_ready(f, true);
    if (st != RF_OK) {
        return st;
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
    piece_stream r = {.p = p, .len = p->bytes.len, .carry = carry};
    if (member != NULL) {
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
            .path = f->path,
            .member = f->member,
            .depth = f->depth,
            .read = piece_read,
            .ctx = &r,
        };
        st = rf_run__piece(
            &here, &in, f->format, p->continuation, f->lines, f->delivered);
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

/* Read the member into p up to the first seam at or past RF_FAN_PIECE;
 * *cut is where it is. The seam depends on the bytes only, not on how the
 * reads fell. */
static rf_status fill(
    fanout *f,
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
                rf_status st = read_here(f, p, member, carry, &resume);
                *how = resume ? FILL_ON : FILL_HERE;
                return st;
            }
        }
        const char *data;
        size_t len;
        rf_status rs = member->read(member, &data, &len);
        if (rs != RF_OK) {
            p->end = rs;
            snprintf(p->errmsg, sizeof(p->errmsg), "%s", member->errmsg);
            *how = FILL_HERE;
            return read_here(f, p, NULL, carry, &resume);
        }
        if (len == 0) {
            *how = FILL_END;
            return RF_OK;
        }
        rf_status st = rf_buf_append(&p->bytes, data, len);
        if (st != RF_OK) {
            return st;
        }
    }
}

/* Cut the member into pieces, hand them to the workers and emit their
 * records in order. */
static rf_status split(fanout *f, rf_input *member)
{
    rf_buf carry = {0}; /* bytes read past the last cut */
    rf_status st = RF_OK;
    fill_end how = FILL_CUT;
    bool first = true;
    while ((how == FILL_CUT || how == FILL_ON) && st == RF_OK) {
        /* a free slot: the oldest piece must be out first */
        while (st == RF_OK && f->handed - f->emitted == f->ring_n) {
            bool ready;
            st = emit_next(f, true, &ready);
        }
        if (st != RF_OK) {
            break;
        }
        fan_piece *p = &f->ring[f->handed % f->ring_n];
        rf_buf_reset(&p->bytes);
        p->continuation = !first;
        first = false;
        p->end = RF_OK;
        p->errmsg[0] = '\0';
        st = rf_buf_append(&p->bytes, carry.data, carry.len);
        rf_buf_reset(&carry);
        size_t cut = 0;
        if (st == RF_OK) {
            st = fill(f, p, member, &carry, &how, &cut);
        }
        if (st != RF_OK || how == FILL_HERE || how == FILL_ON) {
            continue; /* stopped, or p was read here */
        }
        if (how == FILL_CUT) {
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

rf_status
rf_run__fanout(void *payload, rf_input *member, const char *format, bool *taken)
{
    rf_file_job *job = payload;
    *taken = false;
    if (rf_run__seam_of(format) != RF_SEAM_XML) {
        return RF_OK;
    }
    fanout f = {
        .job = job,
        .path = member->path,
        .member = member->member,
        .depth = member->depth,
        .format = format,
        .ring_n = (size_t)2 * job->fanout_jobs + 2,
    };
    if (f.ring_n > RF_FAN_RING_MAX) {
        f.ring_n = RF_FAN_RING_MAX;
    }
    f.ring = calloc(f.ring_n, sizeof(*f.ring));
    pthread_t *threads = calloc(job->fanout_jobs, sizeof(*threads));
    if (f.ring == NULL || threads == NULL) {
        free(f.ring);
        free(threads);
        return RF_OK; /* read by one reader after all */
    }
    pthread_mutex_init(&f.mu, NULL);
    pthread_cond_init(&f.ready_cv, NULL);
    pthread_cond_init(&f.done_cv, NULL);
    unsigned started = 0;
    for (unsigned t = 0; t < job->fanout_jobs; t++) {
        if (pthread_create(&threads[started], NULL, worker, &f) != 0) {
            break; /* fewer threads still finish the work */
        }
        started++;
    }
    rf_status st = RF_OK;
    if (started > 0) {
        *taken = true;
        if (member->read_ahead != NULL) {
            member->read_ahead(member); /* inflating goes on meanwhile */
        }
        st = split(&f, member);
    }
    pthread_mutex_lock(&f.mu);
    f.closed = true;
    f.stop = st != RF_OK;
    pthread_cond_broadcast(&f.ready_cv);
    pthread_mutex_unlock(&f.mu);
    for (unsigned t = 0; t < started; t++) {
        pthread_join(threads[t], NULL);
    }
    for (size_t i = 0; i < f.ring_n; i++) {
        rf_buf_free(&f.ring[i].bytes);
        rf_record_free(&f.ring[i].rec);
    }
    free(f.ring);
    free(threads);
    pthread_mutex_destroy(&f.mu);
    pthread_cond_destroy(&f.ready_cv);
    pthread_cond_destroy(&f.done_cv);
    return st;
}
