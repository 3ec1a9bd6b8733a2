/*
 * hs_ceiling.c - raw Hyperscan on the same lexicon and files: the ceiling.
 *
 * The target for redflag is "close to raw Hyperscan". This tool is
 * that reference, measured in the same run on the same files: it compiles
 * every line of a terms file as a caseless literal (hs_compile_lit_multi,
 * so no regex parsing), reads each file into a reused 1 MiB buffer with
 * read(2), scans it in streaming mode (so a match across a buffer boundary
 * is still found) and counts matches. No rules, no sections, no output:
 * what is left is the matching cost that redflag cannot avoid.
 *
 *   hs_ceiling [-j N] [--som] [--compile-only] TERMS FILE...
 *
 * -j N           threads; files are shared out by an atomic counter, one
 *                scratch per thread (as redflag does)
 * --som          add HS_FLAG_SOM_LEFTMOST (start offsets), to measure what
 *                start-of-match tracking costs at compile and scan time
 * --forms        compile each term as redflag writes its expressions
 *                instead of as a literal: a space or hyphen becomes an
 *                optional separator run [-_\s]*, every byte >= 0x80 \xHH,
 *                ASCII punctuation escaped (hs_compile_multi): what the
 *                regex forms cost against pure literals
 * --compile-only stop after compiling (prints compile time and DB size)
 *
 * Output, one line on stdout (wall and process CPU seconds):
 *   patterns=N compile_s=S compile_cpu_s=S db_bytes=B bytes=B matches=M
 *   scan_s=S scan_cpu_s=S gbps=G cpu_gbps=G
 *
 * Build: cc -O2 -o hs_ceiling hs_ceiling.c $(pkg-config --cflags --libs libhs)
 * -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hs/hs.h>

#define BUF_SIZE (1u << 20)

static hs_database_t *db;
static char **files;
static int nfiles;
static atomic_int next_file;
static atomic_ullong total_bytes, total_matches;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the whole process (all threads): steadier than wall time on
 * a shared machine */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_match(
    unsigned int id,
    unsigned long long from,
    unsigned long long to,
    unsigned int flags,
    void *ctx)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    (*(unsigned long long *)ctx)++;
    return 0;
}

static void *worker(void *arg)
{
    hs_scratch_t *scratch = NULL;
    if (hs_clone_scratch((hs_scratch_t *)arg, &scratch) != HS_SUCCESS) {
        fprintf(stderr, "hs_ceiling: cannot clone scratch\n");
        exit(2);
    }
    char *buf = malloc(BUF_SIZE);
    if (buf == NULL) {
        exit(2);
    }
    unsigned long long matches = 0, bytes = 0;
    for (;;) {
        int i = atomic_fetch_add(&next_file, 1);
        if (i >= nfiles) {
            break;
        }
        int fd = strcmp(files[i], "-") == 0 ? 0 : open(files[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "hs_ceiling: %s: %s\n", files[i], strerror(errno));
            exit(2);
        }
        hs_stream_t *st = NULL;
        if (hs_open_stream(db, 0, &st) != HS_SUCCESS) {
            exit(2);
        }
        ssize_t n;
        while ((n = read(fd, buf, BUF_SIZE)) > 0) {
            bytes += (unsigned long long)n;
            if (hs_scan_stream(
                    st, buf, (unsigned)n, 0, scratch, on_match, &matches) !=
                HS_SUCCESS) {
                fprintf(stderr, "hs_ceiling: scan failed\n");
                exit(2);
            }
        }
        hs_close_stream(st, scratch, on_match, &matches);
        if (fd != 0) {
            close(fd);
        }
    }
    atomic_fetch_add(&total_bytes, bytes);
    atomic_fetch_add(&total_matches, matches);
    free(buf);
    hs_free_scratch(scratch);
    return NULL;
}

int main(int argc, char **argv)
{
    int jobs = 1, som = 0, compile_only = 0, forms = 0, a = 1;
    for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        if (strcmp(argv[a], "-j") == 0 && a + 1 < argc) {
            jobs = atoi(argv[++a]);
        } else if (strncmp(argv[a], "-j", 2) == 0 && argv[a][2]) {
            jobs = atoi(argv[a] + 2);
        } else if (strcmp(argv[a], "--som") == 0) {
            som = 1;
        } else if (strcmp(argv[a], "--compile-only") == 0) {
            compile_only = 1;
        } else if (strcmp(argv[a], "--forms") == 0) {
            forms = 1;
        } else {
            break;
        }
    }
    if (argc - a < 1 || (argc - a < 2 && !compile_only) || jobs < 1) {
        fprintf(
            stderr, "usage: hs_ceiling [-j N] [--som] [--forms] "
                    "[--compile-only] TERMS FILE...\n");
        return 2;
    }
    FILE *tf = fopen(argv[a], "r");
    if (tf == NULL) {
        fprintf(stderr, "hs_ceiling: %s: %s\n", argv[a], strerror(errno));
        return 2;
    }
    size_t cap = 1024, n = 0;
    char **pats = malloc(cap * sizeof(*pats));
    size_t *lens = malloc(cap * sizeof(*lens));
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, tf)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        if (len == 0) {
            continue;
        }
        if (n == cap) {
            cap *= 2;
            pats = realloc(pats, cap * sizeof(*pats));
            lens = realloc(lens, cap * sizeof(*lens));
        }
        pats[n] = malloc((size_t)len);
        memcpy(pats[n], line, (size_t)len);
        lens[n++] = (size_t)len;
    }
    fclose(tf);
    free(line);
    unsigned *flags = malloc(n * sizeof(*flags));
    unsigned *ids = malloc(n * sizeof(*ids));
    for (size_t i = 0; i < n; i++) {
        flags[i] = HS_FLAG_CASELESS | (som ? HS_FLAG_SOM_LEFTMOST : 0);
        ids[i] = (unsigned)i;
    }
    if (forms) {
        for (size_t i = 0; i < n; i++) {
            char *re = malloc(lens[i] * 8 + 1), *o = re;
            for (size_t k = 0; k < lens[i]; k++) {
                unsigned char ch = (unsigned char)pats[i][k];
                if (ch == ' ' || ch == '-') {
                    o += sprintf(o, "[-_\\s]{0,16}");
                } else if (ch >= 0x80) {
                    o += sprintf(o, "\\x%02x", ch);
                } else if (
                    (ch >= '0' && ch <= '9') ||
                    ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) {
                    *o++ = (char)ch;
                } else {
                    o += sprintf(o, "\\x%02x", ch);
                }
            }
            *o = 0;
            free(pats[i]);
            pats[i] = re;
        }
    }
    hs_compile_error_t *err = NULL;
    double t0 = now(), c0 = cpu_now();
    unsigned mode = HS_MODE_STREAM | (som ? HS_MODE_SOM_HORIZON_SMALL : 0);
    hs_error_t ce = forms ? hs_compile_multi(
                                (const char *const *)pats, flags, ids,
                                (unsigned)n, mode, NULL, &db, &err)
                          : hs_compile_lit_multi(
                                (const char *const *)pats, flags, ids, lens,
                                (unsigned)n, mode, NULL, &db, &err);
    if (ce != HS_SUCCESS) {
        fprintf(
            stderr, "hs_ceiling: compile failed at %d: %s\n",
            err ? err->expression : -1, err ? err->message : "?");
        return 2;
    }
    double tc = now() - t0, cc = cpu_now() - c0;
    size_t dbsize = 0;
    hs_database_size(db, &dbsize);
    if (compile_only) {
        printf(
            "patterns=%zu compile_s=%.3f compile_cpu_s=%.3f db_bytes=%zu\n", n,
            tc, cc, dbsize);
        return 0;
    }
    hs_scratch_t *proto = NULL;
    if (hs_alloc_scratch(db, &proto) != HS_SUCCESS) {
        return 2;
    }
    files = argv + a + 1;
    nfiles = argc - a - 1;
    pthread_t *th = malloc((size_t)jobs * sizeof(*th));
    double t1 = now(), c1 = cpu_now();
    for (int i = 0; i < jobs; i++) {
        pthread_create(&th[i], NULL, worker, proto);
    }
    for (int i = 0; i < jobs; i++) {
        pthread_join(th[i], NULL);
    }
    double ts = now() - t1, cs = cpu_now() - c1;
    unsigned long long b = atomic_load(&total_bytes);
    printf(
        "patterns=%zu compile_s=%.3f compile_cpu_s=%.3f db_bytes=%zu "
        "bytes=%llu matches=%llu scan_s=%.3f scan_cpu_s=%.3f gbps=%.3f "
        "cpu_gbps=%.3f\n",
        n, tc, cc, dbsize, b, (unsigned long long)atomic_load(&total_matches),
        ts, cs, ts > 0 ? (double)b / ts / 1e9 : 0.0,
        cs > 0 ? (double)b / cs / 1e9 : 0.0);
    return 0;
}
