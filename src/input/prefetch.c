/*
 * prefetch.c - a stream read ahead on a thread of its own.
 *
 * A USPTO weekly zip is one 2 GB deflated member, read by one thread, and
 * inflating it is about a quarter of the scan's CPU. When a core is free,
 * a producer thread calls the inner stream's read() and copies each chunk
 * into a small ring while the reader parses and scans the chunks before:
 * inflating overlaps with the rest of the work.
 *
 * The wrapper moves where the reads happen, nothing else. The reader gets
 * the inner chunks in order and with the same boundaries, then the inner
 * stream's end (EOF, or its status and errmsg), as if it had read them
 * itself; so what it makes of them cannot differ. Reads before
 * rf_input.read_ahead starts the thread (sniffing), and after the end was
 * handed over, go to the inner stream on the caller's thread.
 * Limits stay with the inner stream, which still counts and refuses bytes
 * as they are read; what the thread read that the reader never took (it
 * stopped early) is left in unread / end_unread for the owner to give back.
 *
 * Memory: RF_PREFETCH_SLOTS copies of chunks, each slot as large as the
 * largest chunk it held (an archive member's blocks: 64-256 KiB).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

/* Something for the reader: a filled chunk, or the end (lock held). */
static bool have_next(const rf_prefetch_input *p)
{
    return p->filled > 0 || p->ended;
}

static void *producer(void *arg)
{
    rf_prefetch_input *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->filled + (p->held ? 1 : 0) == RF_PREFETCH_SLOTS && !p->stop) {
            pthread_cond_wait(&p->space, &p->mu);
        }
        if (p->stop) {
            break;
        }
        /* the slot after the filled ones: neither filled nor held, so the
         * reader does not touch it while it is written unlocked */
        rf_prefetch_slot *s =
            &p->slots[(p->first + p->filled) % RF_PREFETCH_SLOTS];
        pthread_mutex_unlock(&p->mu);
        const char *data;
        size_t len = 0;
        rf_status st = p->inner->read(p->inner, &data, &len);
        bool grew = true;
        if (st == RF_OK && len > s->cap) {
            char *nb = realloc(s->data, len);
            grew = nb != NULL;
            if (grew) {
                s->data = nb;
                s->cap = len;
            }
        }
        if (st == RF_OK && len > 0 && grew) {
            memcpy(s->data, data, len);
            s->len = len;
        }
        pthread_mutex_lock(&p->mu);
        if (st == RF_OK && !grew) {
            p->produced += len; /* read from inner, never handed over */
            st = RF_ENOMEM;
            snprintf(
                p->errmsg, sizeof(p->errmsg), "out of memory reading ahead");
        } else if (st != RF_OK) {
            memcpy(p->errmsg, p->inner->errmsg, sizeof(p->errmsg));
        }
        if (st != RF_OK || len == 0) {
            p->ended = true;
            p->end_status = st;
            pthread_cond_signal(&p->more);
            break;
        }
        p->produced += len;
        p->filled++;
        pthread_cond_signal(&p->more);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void join(rf_prefetch_input *p)
{
    pthread_join(p->thread, NULL);
    p->running = false;
}

/* Before the thread starts: the inner stream on the caller's thread, each
 * chunk copied into slot 0 and held there. The reader may still be using
 * the last chunk when the thread starts (the sniffed head is replayed
 * later), and the thread's next inner read would overwrite the inner
 * stream's own buffer under it. */
static rf_status
early_read(rf_prefetch_input *p, rf_input *in, const char **data, size_t *len)
{
    rf_status st = p->inner->read(p->inner, data, len);
    if (st != RF_OK) {
        memcpy(in->errmsg, p->inner->errmsg, sizeof(in->errmsg));
        p->done = true;
        return st;
    }
    p->done = p->done || *len == 0;
    p->produced += *len;
    rf_prefetch_slot *s = &p->slots[0];
    if (*len > s->cap) {
        char *nb = realloc(s->data, *len);
        if (nb == NULL) {
            snprintf(
                in->errmsg, sizeof(in->errmsg), "out of memory reading ahead");
            p->done = true;
            return RF_ENOMEM;
        }
        s->data = nb;
        s->cap = *len;
    }
    if (*len > 0) {
        memcpy(s->data, *data, *len);
        *data = s->data;
    }
    s->len = *len;
    p->first = 1;
    p->held = *len > 0;
    p->delivered += *len;
    in->consumed += *len;
    return RF_OK;
}

/* After the end was handed over, or with no thread: straight through. */
static rf_status
late_read(rf_prefetch_input *p, rf_input *in, const char **data, size_t *len)
{
    rf_status st = p->inner->read(p->inner, data, len);
    if (st != RF_OK) {
        memcpy(in->errmsg, p->inner->errmsg, sizeof(in->errmsg));
        return st;
    }
    p->produced += *len;
    p->delivered += *len;
    in->consumed += *len;
    return RF_OK;
}

static rf_status pf_read(rf_input *in, const char **data, size_t *len)
{
    rf_prefetch_input *p = in->ctx;
    if (!p->started) {
        return early_read(p, in, data, len);
    }
    if (!p->running) {
        return late_read(p, in, data, len);
    }
    pthread_mutex_lock(&p->mu);
    if (p->held) {
        /* the chunk handed out last time is no longer the reader's */
        p->held = false;
        pthread_cond_signal(&p->space);
    }
    while (!have_next(p)) {
        pthread_cond_wait(&p->more, &p->mu);
    }
    if (p->filled > 0) {
        rf_prefetch_slot *s = &p->slots[p->first];
        p->first = (p->first + 1) % RF_PREFETCH_SLOTS;
        p->filled--;
        p->held = true;
        pthread_mutex_unlock(&p->mu);
        p->delivered += s->len;
        in->consumed += s->len;
        *data = s->data;
        *len = s->len;
        return RF_OK;
    }
    pthread_mutex_unlock(&p->mu);
    /* the thread has stopped at the end: join it, hand the end over, and
     * read straight through from now on, as the reader would have */
    join(p);
    p->end_taken = true;
    *data = "";
    *len = 0;
    if (p->end_status != RF_OK) {
        memcpy(in->errmsg, p->errmsg, sizeof(in->errmsg));
    }
    return p->end_status;
}

static void pf_read_ahead(rf_input *in)
{
    rf_prefetch_input *p = in->ctx;
    if (p->started || p->done) {
        return; /* once only, and not past the end */
    }
    p->started = true;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->more, NULL);
    pthread_cond_init(&p->space, NULL);
    /* no thread (resources): the reads simply stay on this one */
    p->running = pthread_create(&p->thread, NULL, producer, p) == 0;
}

void rf_prefetch_input_init(
    rf_prefetch_input *p, rf_input *out, rf_input *inner)
{
    memset(p, 0, sizeof(*p));
    p->inner = inner;
    memset(out, 0, sizeof(*out));
    out->path = inner->path;
    out->member = inner->member;
    out->size = inner->size;
    out->depth = inner->depth;
    out->read = pf_read;
    /* read_into would have to cut the inner chunks differently */
    out->read_into = NULL;
    out->read_ahead = pf_read_ahead;
    out->ctx = p;
}

void rf_prefetch_input_free(rf_prefetch_input *p)
{
    if (p->running) {
        /* the reader stopped before the end: the thread finishes the
         * read it is in and stops */
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_signal(&p->space);
        pthread_mutex_unlock(&p->mu);
        join(p);
    }
    p->unread = p->produced - p->delivered;
    p->end_unread = p->ended && !p->end_taken;
    for (size_t i = 0; i < RF_PREFETCH_SLOTS; i++) {
        free(p->slots[i].data);
        p->slots[i].data = NULL;
    }
    if (p->started) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->more);
        pthread_cond_destroy(&p->space);
        p->started = false;
    }
}
