/*
 * input.c - byte streams (files, stdin, archive members) and what every
 * reader shares: diagnostics that name the exact place, bounded slurping,
 * and a "peeked" stream so sniffing does not consume input.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rf_reader_diag(
    const rf_reader_ctx *ctx,
    const rf_input *in,
    rf_diag_level level,
    rf_status status,
    const char *document,
    uint64_t offset,
    uint64_t line,
    const char *fmt,
    ...)
{
    if (level == RF_DIAG_ERROR && ctx->errors != NULL) {
        (*ctx->errors)++;
    }
    if (ctx->diag == NULL) {
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rf_diag d = {
        .level = level,
        .status = status,
        .path = in->path,
        .member = in->member,
        .document = document,
        .offset = offset,
        .line = line,
        .rule = NULL,
        .message = msg,
        .format = in->format,
    };
    ctx->diag(ctx->payload, &d);
}

rf_status rf_input_slurp(rf_input *in, rf_buf *buf, uint64_t limit)
{
    for (;;) {
        const char *data;
        size_t len;
        rf_status st = in->read(in, &data, &len);
        if (st != RF_OK) {
            return st;
        }
        if (len == 0) {
            return RF_OK;
        }
        if (limit > 0 && buf->len + len > limit) {
            return RF_ELIMIT;
        }
        st = rf_buf_append(buf, data, len);
        if (st != RF_OK) {
            return st;
        }
    }
}

rf_status rf_input_append(rf_input *in, rf_buf *buf, size_t *len)
{
    *len = 0;
    if (in->read_into != NULL) {
        rf_status st = rf_buf_reserve(buf, RF_READ_CHUNK);
        if (st == RF_OK) {
            st = in->read_into(in, buf->data + buf->len, RF_READ_CHUNK, len);
        }
        if (st == RF_OK) {
            rf_buf_commit(buf, *len);
        }
        return st;
    }
    const char *data = NULL;
    rf_status st = in->read(in, &data, len);
    if (st == RF_OK) {
        st = rf_buf_append(buf, data, *len);
    }
    return st;
}

/* ---------------- file descriptors ---------------- */

/* One read() of up to cap bytes into dst, within the range left. */
static rf_status
fd_fill(rf_input *in, rf_fd_input *f, char *dst, size_t cap, size_t *len)
{
    for (;;) {
        size_t want = cap;
        if (f->remaining < want) {
            want = (size_t)f->remaining;
        }
        if (want == 0) {
            *len = 0;
            return RF_OK;
        }
        ssize_t n = read(f->fd, dst, want);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            snprintf(
                in->errmsg, sizeof(in->errmsg), "read failed: %s",
                strerror(errno));
            return RF_EIO;
        }
        *len = (size_t)n;
        in->consumed += (uint64_t)n;
        if (f->remaining != UINT64_MAX) {
            f->remaining -= (uint64_t)n;
        }
        if (f->newlines != NULL) {
            *f->newlines += rf_count_newlines(dst, (size_t)n);
        }
        return RF_OK;
    }
}

static rf_status fd_read(rf_input *in, const char **data, size_t *len)
{
    rf_fd_input *f = in->ctx;
    *data = f->buf;
    return fd_fill(in, f, f->buf, f->cap, len);
}

static rf_status fd_read_into(rf_input *in, char *dst, size_t cap, size_t *len)
{
    return fd_fill(in, in->ctx, dst, cap, len);
}

rf_status rf_fd_input_init(
    rf_fd_input *f, rf_input *in, int fd, const char *path, uint64_t size)
{
    memset(in, 0, sizeof(*in));
    f->fd = fd;
    f->cap = RF_READ_CHUNK;
    f->remaining = UINT64_MAX;
    f->newlines = NULL;
    if (f->buf == NULL) {
        f->buf = malloc(f->cap);
        if (f->buf == NULL) {
            return RF_ENOMEM;
        }
    }
    in->path = path;
    in->size = size;
    in->read = fd_read;
    in->read_into = fd_read_into;
    in->ctx = f;
    return RF_OK;
}

void rf_fd_input_free(rf_fd_input *f)
{
    free(f->buf);
    f->buf = NULL;
}

/* ---------------- peeking ---------------- */

static rf_status peek_read(rf_input *in, const char **data, size_t *len)
{
    rf_peek_input *p = in->ctx;
    if (!p->head_done) {
        p->head_done = true;
        if (p->head_len > 0) {
            *data = p->head;
            *len = p->head_len;
            in->consumed += p->head_len;
            return RF_OK;
        }
    }
    if (p->eof) {
        *data = "";
        *len = 0;
        return RF_OK;
    }
    rf_status st = p->inner->read(p->inner, data, len);
    if (st != RF_OK) {
        memcpy(in->errmsg, p->inner->errmsg, sizeof(in->errmsg));
        return st;
    }
    in->consumed += *len;
    return RF_OK;
}

/* The head first (copied: it sits in the inner stream's chunk or in
 * p->own), then the inner stream reads straight into dst. */
static rf_status
peek_read_into(rf_input *in, char *dst, size_t cap, size_t *len)
{
    rf_peek_input *p = in->ctx;
    if (!p->head_done) {
        size_t n = p->head_len < cap ? p->head_len : cap;
        if (n > 0) {
            memcpy(dst, p->head, n);
            p->head += n;
            p->head_len -= n;
            p->head_done = p->head_len == 0;
            *len = n;
            in->consumed += n;
            return RF_OK;
        }
        p->head_done = true;
    }
    if (p->eof) {
        *len = 0;
        return RF_OK;
    }
    rf_status st = p->inner->read_into(p->inner, dst, cap, len);
    if (st != RF_OK) {
        memcpy(in->errmsg, p->inner->errmsg, sizeof(in->errmsg));
        return st;
    }
    in->consumed += *len;
    return RF_OK;
}

rf_status rf_peek_input_init(rf_peek_input *p, rf_input *out, rf_input *inner)
{
    const char *data;
    size_t len;
    memset(p, 0, sizeof(*p));
    rf_status st = inner->read(inner, &data, &len);
    if (st != RF_OK) {
        return st;
    }
    p->inner = inner;
    p->head = data;
    p->head_len = len;
    p->head_done = false;
    p->eof = len == 0;
    if (len > 0 && len < RF_PEEK_MIN) {
        /* small reads: gather a head worth sniffing; a read error ends
         * the gathering and shows again on the reader's next read */
        st = rf_buf_append(&p->own, data, len);
        while (st == RF_OK && p->own.len < RF_PEEK_MIN) {
            if (inner->read(inner, &data, &len) != RF_OK) {
                break;
            }
            if (len == 0) {
                p->eof = true;
                break;
            }
            st = rf_buf_append(&p->own, data, len);
        }
        if (st != RF_OK) {
            rf_buf_free(&p->own);
            return st;
        }
        p->head = p->own.data;
        p->head_len = p->own.len;
    }
    *out = *inner;
    out->read = peek_read;
    out->read_into = inner->read_into != NULL ? peek_read_into : NULL;
    out->read_ahead = NULL; /* dispatch asks the raw stream itself */
    out->ctx = p;
    out->consumed = 0;
    out->errmsg[0] = '\0';
    return RF_OK;
}

void rf_peek_input_free(rf_peek_input *p)
{
    rf_buf_free(&p->own);
}
