/*
 * input.h - concrete byte streams and the format table shared by readers.
 */
#ifndef RF_INPUT_H
#define RF_INPUT_H

#include <pthread.h>

#include "internal.h"

/* Read size for files: large enough that a read() costs nothing next to
 * matching, small enough that the kernel's copy lands in L2. 256 KiB
 * scanned the benchmark's text and JSON Lines 4-5 % faster than 1 MiB
 * (docs/performance.md). */
#define RF_READ_CHUNK (256u << 10)

typedef struct rf_fd_input {
    int fd;
    char *buf;
    size_t cap;
    uint64_t remaining; /* bytes left in the range (UINT64_MAX: to EOF) */
    uint64_t *newlines; /* when set, '\n' read are counted here */
} rf_fd_input;

/* Wrap an open descriptor; f->buf is allocated once and reused. */
rf_status rf_fd_input_init(
    rf_fd_input *f, rf_input *in, int fd, const char *path, uint64_t size);
void rf_fd_input_free(rf_fd_input *f);

/* Bytes a sniffer is shown at least (unless the input is shorter): a
 * stream that delivers small chunks (a pipe, an archive member) is read
 * until this much has arrived. */
#define RF_PEEK_MIN 16384u

/* A stream whose first chunk has been read already (for sniffing). */
typedef struct rf_peek_input {
    rf_input *inner;
    const char *head;
    size_t head_len;
    bool head_done;
    bool eof;   /* the inner stream ended while the head was gathered */
    rf_buf own; /* the head, when it took more than one read */
} rf_peek_input;

/* Read the first chunk(s) of inner; *out replays them, then continues.
 * Release with rf_peek_input_free once the reader is done. */
rf_status rf_peek_input_init(rf_peek_input *p, rf_input *out, rf_input *inner);
void rf_peek_input_free(rf_peek_input *p);

/* A stream read ahead on a thread of its own (prefetch.c): its read_ahead
 * starts a thread that reads inner into a ring of RF_PREFETCH_SLOTS chunks
 * while the reader works on the ones before. Same chunks, same end, same
 * errmsg as inner; reads stay on the caller's thread until then. */
#define RF_PREFETCH_SLOTS 8

typedef struct rf_prefetch_slot {
    char *data;
    size_t len;
    size_t cap;
} rf_prefetch_slot;

typedef struct rf_prefetch_input {
    rf_input *inner;
    rf_prefetch_slot slots[RF_PREFETCH_SLOTS];
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t more;  /* a slot was filled, or the end read */
    pthread_cond_t space; /* the reader let go of a slot, or stopped */
    /* guarded by mu while the thread runs */
    size_t first;  /* oldest filled slot */
    size_t filled; /* slots filled and not yet handed out */
    bool held;     /* the reader holds the slot before first */
    bool ended;    /* the thread read inner's end: end_status, errmsg */
    bool stop;     /* the reader is done: the thread stops */
    rf_status end_status;
    char errmsg[256];
    uint64_t produced; /* bytes read from inner */
    /* the reader's side */
    uint64_t delivered; /* bytes handed to the reader */
    bool started;       /* read_ahead was called */
    bool running;       /* the thread exists and is not joined */
    bool done;          /* the end came before any thread */
    bool end_taken;     /* the reader got the end the thread read */
    /* set by rf_prefetch_input_free: read from inner, never handed out */
    uint64_t unread;
    bool end_unread; /* the end (EOF, or a limit or error) was among them */
} rf_prefetch_input;

/* *out reads inner, on this thread until out->read_ahead is called. */
void rf_prefetch_input_init(
    rf_prefetch_input *p, rf_input *out, rf_input *inner);
/* Stop and join the thread (the reader may have stopped early), free the
 * ring, and set unread / end_unread. */
void rf_prefetch_input_free(rf_prefetch_input *p);

/*
 * The format table. Each reader has a name (for --format and `docs`), a
 * sniffer that looks at the first bytes and the name, and a read function.
 * Sniffers are asked in table order; the first score wins.
 */
typedef struct rf_format {
    const char *name;
    /* 0 = not this format; higher = more certain */
    int (*sniff)(const char *head, size_t len, const char *name);
    rf_status (*read)(rf_input *in, const rf_reader_ctx *ctx);
} rf_format;

/* The format a reader would be chosen by for this head and name (NULL:
 * none claims it). */
const rf_format *
rf_format_sniff(const char *head, size_t len, const char *name);

/* NULL-terminated table, defined in formats.c. */
const rf_format *rf_formats(void);
const rf_format *rf_format_find(const char *name);

/* Plain text / Markdown / code readers (text.c). */
int rf_sniff_text(const char *head, size_t len, const char *name);
int rf_sniff_code(const char *head, size_t len, const char *name);
rf_status rf_read_plain(rf_input *in, const rf_reader_ctx *ctx);
rf_status rf_read_code(rf_input *in, const rf_reader_ctx *ctx);

/* Patent and markup readers, one file each (sniff + read). */
int rf_sniff_uspto_xml(const char *head, size_t len, const char *name);
rf_status rf_read_uspto_xml(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_epo_xml(const char *head, size_t len, const char *name);
rf_status rf_read_epo_xml(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_wipo_st36(const char *head, size_t len, const char *name);
rf_status rf_read_wipo_st36(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_cnipa_xml(const char *head, size_t len, const char *name);
rf_status rf_read_cnipa_xml(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_wipo_st96(const char *head, size_t len, const char *name);
rf_status rf_read_wipo_st96(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_uspto_xml4ip(const char *head, size_t len, const char *name);
rf_status rf_read_uspto_xml4ip(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_jpo_xml(const char *head, size_t len, const char *name);
rf_status rf_read_jpo_xml(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_uspto_aps(const char *head, size_t len, const char *name);
rf_status rf_read_uspto_aps(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_google_patents_json(
    const char *head, size_t len, const char *name);
rf_status rf_read_google_patents_json(rf_input *in, const rf_reader_ctx *ctx);
int rf_sniff_html(const char *head, size_t len, const char *name);
rf_status rf_read_html(rf_input *in, const rf_reader_ctx *ctx);

/* Archives and compressed files (archive.c): members go back through
 * rf_input_dispatch one level deeper. */
int rf_sniff_archive(const char *head, size_t len, const char *name);
rf_status rf_read_archive(rf_input *in, const rf_reader_ctx *ctx);

/* The stored and deflated members of a zip, or a gzip file, read as a
 * stream and inflated with igzip (zip.c); rf_read_archive hands what this
 * cannot read to libarchive. Compressed bytes read from outer are added to
 * *packed. */
typedef struct rf_zip rf_zip;

typedef struct rf_zip_member {
    const char *name; /* as stored (ASCII or UTF-8); valid until next;
                         NULL for a gzip file's one member */
    uint64_t size;    /* when has_size */
    bool has_size;
    bool dir;
} rf_zip_member;

typedef enum rf_zip_next_result {
    RF_ZIP_MEMBER,  /* *m is the next member; rf_zip_read reads it */
    RF_ZIP_END,     /* the central directory: no more members */
    RF_ZIP_HANDOFF, /* not ours from here: rf_zip_pending, then outer */
    RF_ZIP_DAMAGED  /* rf_zip_error says why; the archive stops */
} rf_zip_next_result;

rf_status rf_zip_open(rf_zip **out, rf_input *outer, uint64_t *packed);
/* The next member header; the rest of the current member is passed over. */
rf_zip_next_result rf_zip_next(rf_zip *z, rf_zip_member *m);
/* The member's next block (len 0 at its end, after its CRC and sizes were
 * checked); valid until the next call. */
rf_status rf_zip_read(rf_zip *z, const char **data, size_t *len);
/* The same blocks, inflated (or copied) straight into dst (cap at least
 * 256 KiB for the same blocks). */
rf_status rf_zip_read_into(rf_zip *z, char *dst, size_t cap, size_t *len);
/* After RF_ZIP_HANDOFF: the bytes already read from outer and not used,
 * once; false when there are none left. */
bool rf_zip_pending(rf_zip *z, const void **data, size_t *len);
const char *rf_zip_error(const rf_zip *z);
void rf_zip_free(rf_zip *z);

/* True when the head looks binary (NUL bytes, not UTF-16). */
bool rf_looks_binary(const char *head, size_t len);

/* Text that is not UTF-8 (decode.c): the encoding a text or code file's
 * head is in ("UTF-16", "UTF-16LE", "UTF-16BE", "GB18030"), or NULL for
 * UTF-8 (and anything else, read as bytes). */
const char *rf_text_encoding(const char *head, size_t len);

/* A stream that decodes inner from `encoding` to UTF-8. */
typedef struct rf_decode_input {
    rf_input *inner;
    void *cd;    /* iconv_t */
    size_t unit; /* bytes skipped at an undecodable spot */
    bool eof;
    rf_buf pend; /* input bytes not converted yet */
    rf_buf out;  /* the chunk handed out */
} rf_decode_input;

rf_status rf_decode_input_init(
    rf_decode_input *d, rf_input *out, rf_input *inner, const char *encoding);
void rf_decode_input_free(rf_decode_input *d);

#endif /* RF_INPUT_H */
