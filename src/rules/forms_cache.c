/*
 * forms_cache.c - every term's expanded forms, kept beside the compiled
 * databases.
 *
 * The compiled databases are cached under a hash of their expressions,
 * and the expressions come from expanding every term (expand.c). That
 * expansion opens five OpenCC converters and runs every Chinese term
 * through them: 60-90 ms, two thirds of loading the shipped rules from
 * the cache, paid by every run however small its input. The forms are
 * therefore cached too, under a hash of everything the expansion reads:
 * each term's text and kind, the expander's own source (RF_EXPAND_MD5,
 * computed by CMake), the utf8proc and OpenCC versions and OpenCC's data
 * files (size and time). A file that does not parse, or whose term count
 * differs, is ignored and rewritten, as a damaged database is.
 *
 * Layout: "RFFORMS1", then per term a u32 form count, then per form a u32
 * length and its bytes (host byte order: the cache is per machine).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "rules/rules.h"

#ifndef RF_EXPAND_MD5
#define RF_EXPAND_MD5 "unknown"
#endif
#ifndef RF_OPENCC_VERSION
#define RF_OPENCC_VERSION "unknown"
#endif
/* where Debian's libopencc-data keeps the dictionaries OpenCC opens */
#define RF_OPENCC_DATA_DIR "/usr/share/opencc"

static const char magic[8] = {'R', 'F', 'F', 'O', 'R', 'M', 'S', '1'};

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* OpenCC's data files, by name, size and modification time, so that an
 * upgraded dictionary expands the terms afresh. */
static void mix_opencc_data(rf_hash128 *h)
{
    DIR *d = opendir(RF_OPENCC_DATA_DIR);
    if (d == NULL) {
        return;
    }
    rf_strvec names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' && rf_strvec_push(&names, e->d_name) != RF_OK) {
            break;
        }
    }
    closedir(d);
    if (names.n > 1) {
        qsort(names.v, names.n, sizeof(*names.v), cmp_name);
    }
    for (size_t i = 0; i < names.n; i++) {
        char path[512];
        struct stat sb;
        snprintf(path, sizeof(path), "%s/%s", RF_OPENCC_DATA_DIR, names.v[i]);
        if (stat(path, &sb) != 0) {
            continue;
        }
        long long facts[3] = {
            (long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
            (long long)sb.st_mtim.tv_nsec};
        rf_hash128_str(h, names.v[i]);
        rf_hash128_add(h, facts, sizeof(facts));
    }
    rf_strvec_free(&names);
}

void rf_forms_cache_key(char out[33], const rf_rule_store *s)
{
    rf_hash128 h;
    rf_hash128_init(&h, 7);
    rf_hash128_str(&h, "forms");
    rf_hash128_str(&h, RF_EXPAND_MD5);
    rf_hash128_str(&h, RF_OPENCC_VERSION);
    rf_hash128_str(&h, utf8proc_version());
    mix_opencc_data(&h);
    for (size_t i = 0; i < s->term_count; i++) {
        const rf_term *t = &s->terms[i];
        unsigned char kind = (unsigned char)(t->regex ? 'r' : 'l');
        rf_hash128_add(&h, &kind, 1);
        rf_hash128_str(&h, t->text);
    }
    rf_hash128_hex(&h, out);
}

/* The next u32 of the file, or false past its end. */
static bool take_u32(const char **p, const char *end, uint32_t *v)
{
    if ((size_t)(end - *p) < sizeof(*v)) {
        return false;
    }
    memcpy(v, *p, sizeof(*v));
    *p += sizeof(*v);
    return true;
}

static rf_status parse(
    const char *data,
    size_t len,
    size_t term_count,
    rf_strvec *forms,
    uint32_t *first)
{
    if (data == NULL || len < sizeof(magic) ||
        memcmp(data, magic, sizeof(magic)) != 0) {
        return RF_EPARSE;
    }
    const char *p = data + sizeof(magic);
    const char *end = data + len;
    rf_status st = RF_OK;
    for (size_t i = 0; i < term_count && st == RF_OK; i++) {
        uint32_t n;
        if (!take_u32(&p, end, &n)) {
            return RF_EPARSE;
        }
        first[i] = (uint32_t)forms->n;
        for (uint32_t k = 0; k < n && st == RF_OK; k++) {
            uint32_t flen;
            if (!take_u32(&p, end, &flen) || (size_t)(end - p) < flen ||
                memchr(p, '\0', flen) != NULL) {
                return RF_EPARSE;
            }
            char *f = malloc((size_t)flen + 1);
            if (f == NULL) {
                return RF_ENOMEM;
            }
            memcpy(f, p, flen);
            f[flen] = '\0';
            st = rf_strvec_push(forms, f);
            free(f);
            p += flen;
        }
    }
    first[term_count] = (uint32_t)forms->n;
    return st == RF_OK && p != end ? RF_EPARSE : st;
}

rf_status rf_forms_cache_load(
    const char *dir,
    const char *key,
    size_t term_count,
    rf_strvec *forms,
    uint32_t *first)
{
    rf_buf path = {0};
    rf_buf data = {0};
    rf_status st = rf_buf_printf(&path, "%s/forms-%s.bin", dir, key);
    st = st ? st : rf_buf_read_file(&data, path.data);
    rf_buf_free(&path);
    if (st == RF_OK) {
        st = parse(data.data, data.len, term_count, forms, first);
    }
    rf_buf_free(&data);
    if (st != RF_OK) {
        rf_strvec_free(forms);
    }
    return st;
}

static rf_status put_u32(rf_buf *b, size_t v)
{
    uint32_t u = (uint32_t)v;
    return rf_buf_append(b, (const char *)&u, sizeof(u));
}

bool rf_forms_cache_store(
    const char *dir,
    const char *key,
    size_t term_count,
    const rf_strvec *forms,
    const uint32_t *first)
{
    rf_buf data = {0};
    rf_status st = rf_buf_append(&data, magic, sizeof(magic));
    for (size_t i = 0; i < term_count && st == RF_OK; i++) {
        st = put_u32(&data, first[i + 1] - first[i]);
        for (uint32_t k = first[i]; k < first[i + 1] && st == RF_OK; k++) {
            size_t flen = strlen(forms->v[k]);
            st = put_u32(&data, flen);
            st = st ? st : rf_buf_append(&data, forms->v[k], flen);
        }
    }
    char name[64];
    snprintf(name, sizeof(name), "forms-%s.bin", key);
    bool ok =
        st == RF_OK && rf_file_write_whole(dir, name, data.data, data.len);
    rf_buf_free(&data);
    return ok;
}
