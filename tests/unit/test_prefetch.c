/*
 * test_prefetch.c - the read-ahead wrapper hands out exactly what its inner
 * stream gives (chunks, boundaries, end, errmsg), stays a bounded number of
 * chunks ahead, and stops cleanly when its reader stops early.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "input/input.h"

#define N_CHUNKS 200

/* An inner stream of N_CHUNKS chunks of varied sizes, each in a buffer it
 * overwrites on the next read (as libarchive does), then EOF or an error. */
typedef struct fake {
    char buf[300000];
    size_t sizes[N_CHUNKS];
    size_t next;
    rf_status end; /* after the chunks */
    atomic_size_t calls;
} fake;

static unsigned char byte_at(size_t chunk, size_t i)
{
    return (unsigned char)(chunk * 31u + i * 7u);
}

static rf_status fake_read(rf_input *in, const char **data, size_t *len)
{
    fake *f = in->ctx;
    atomic_fetch_add(&f->calls, 1);
    *data = "";
    *len = 0;
    if (f->next >= N_CHUNKS) {
        if (f->end != RF_OK) {
            snprintf(in->errmsg, sizeof(in->errmsg), "member is damaged");
        }
        return f->end;
    }
    size_t c = f->next++;
    for (size_t i = 0; i < f->sizes[c]; i++) {
        f->buf[i] = (char)byte_at(c, i);
    }
    *data = f->buf;
    *len = f->sizes[c];
    return RF_OK;
}

static void fake_init(fake *f, rf_input *in, rf_status end)
{
    memset(f, 0, sizeof(*f));
    atomic_init(&f->calls, 0);
    f->end = end;
    uint32_t x = 12345;
    for (size_t c = 0; c < N_CHUNKS; c++) {
        x = x * 1103515245u + 12345u;
        f->sizes[c] = 1 + (x >> 8) % sizeof(f->buf);
    }
    memset(in, 0, sizeof(*in));
    in->path = "f.zip";
    in->member = "m.xml";
    in->read = fake_read;
    in->ctx = f;
}

static void expect_chunk(rf_input *out, size_t c, const fake *f)
{
    const char *data;
    size_t len;
    assert_int_equal(out->read(out, &data, &len), RF_OK);
    assert_int_equal(len, f->sizes[c]);
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)data[i] != byte_at(c, i)) {
            fail_msg("chunk %zu byte %zu differs", c, i);
        }
    }
}

/* A fake inner stream behind a read-ahead wrapper; static in each test,
 * since the fake holds a 300 KB buffer. */
typedef struct rig {
    fake f;
    rf_input inner;
    rf_prefetch_input p;
    rf_input out;
} rig;

static void rig_init(rig *r, rf_status end)
{
    fake_init(&r->f, &r->inner, end);
    rf_prefetch_input_init(&r->p, &r->out, &r->inner);
}

/* Same chunks and end whether read before or after the thread starts; the
 * chunk read before the start stays valid after it (the sniffed head). */
static void test_same_chunks(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r, RF_OK);
    expect_chunk(&r.out, 0, &r.f);
    expect_chunk(&r.out, 1, &r.f);
    const char *head;
    size_t head_len;
    assert_int_equal(r.out.read(&r.out, &head, &head_len), RF_OK);
    r.out.read_ahead(&r.out);
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL); /* let the thread overwrite what it could */
    for (size_t i = 0; i < head_len; i++) {
        assert_int_equal((unsigned char)head[i], byte_at(2, i));
    }
    for (size_t c = 3; c < N_CHUNKS; c++) {
        expect_chunk(&r.out, c, &r.f);
    }
    const char *data;
    size_t len = 1;
    assert_int_equal(r.out.read(&r.out, &data, &len), RF_OK);
    assert_int_equal(len, 0);
    /* past the end: straight to the inner stream, as without the wrapper */
    size_t calls = atomic_load(&r.f.calls);
    assert_int_equal(r.out.read(&r.out, &data, &len), RF_OK);
    assert_int_equal(len, 0);
    assert_int_equal(atomic_load(&r.f.calls), calls + 1);
    rf_prefetch_input_free(&r.p);
    assert_int_equal(r.p.unread, 0);
    assert_false(r.p.end_unread);
}

/* The inner error comes after every chunk before it, with its message. */
static void test_error_in_order(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r, RF_EIO);
    expect_chunk(&r.out, 0, &r.f);
    r.out.read_ahead(&r.out);
    for (size_t c = 1; c < N_CHUNKS; c++) {
        expect_chunk(&r.out, c, &r.f);
    }
    const char *data;
    size_t len = 1;
    assert_int_equal(r.out.read(&r.out, &data, &len), RF_EIO);
    assert_int_equal(len, 0);
    assert_string_equal(r.out.errmsg, "member is damaged");
    rf_prefetch_input_free(&r.p);
    assert_int_equal(r.p.unread, 0);
    assert_false(r.p.end_unread);
}

/* A reader that stops early: the thread stops, stays a bounded number of
 * chunks ahead, and what it read beyond the reader is reported. */
static void test_early_stop(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r, RF_OK);
    expect_chunk(&r.out, 0, &r.f);
    r.out.read_ahead(&r.out);
    for (size_t c = 1; c < 5; c++) {
        expect_chunk(&r.out, c, &r.f);
    }
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    /* the reader holds one slot; the thread fills the others and may be
     * in one more read */
    assert_true(atomic_load(&r.f.calls) <= 5 + RF_PREFETCH_SLOTS);
    rf_prefetch_input_free(&r.p);
    uint64_t read = 0;
    for (size_t c = 0; c < r.f.next; c++) {
        read += r.f.sizes[c];
    }
    uint64_t taken = 0;
    for (size_t c = 0; c < 5; c++) {
        taken += r.f.sizes[c];
    }
    assert_int_equal(r.p.unread, read - taken);
    assert_false(r.p.end_unread);
}

/* Never started (an archive inside, a skipped binary): no thread at all. */
static void test_never_started(void **state)
{
    (void)state;
    static rig r;
    rig_init(&r, RF_OK);
    expect_chunk(&r.out, 0, &r.f);
    rf_prefetch_input_free(&r.p);
    assert_int_equal(r.p.unread, 0);
    assert_int_equal(atomic_load(&r.f.calls), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_chunks),
        cmocka_unit_test(test_error_in_order),
        cmocka_unit_test(test_early_stop),
        cmocka_unit_test(test_never_started),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
