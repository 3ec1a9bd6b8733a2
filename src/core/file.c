/*
 * file.c - whole files in and out: the rule files and the caches.
 *
 * A cache file is written to a temporary name beside it and renamed into
 * place, so that a reader (another redflag run) sees it whole or not at
 * all, and a crash leaves at most a stray temporary file.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

rf_status rf_buf_read_file(rf_buf *b, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return RF_ENOTFOUND;
    }
    rf_status st = RF_OK;
    char chunk[65536];
    size_t n;
    while (st == RF_OK && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        st = rf_buf_append(b, chunk, n);
    }
    if (st == RF_OK && ferror(fp)) {
        st = RF_EIO;
    }
    fclose(fp);
    return st;
}

bool rf_file_write_whole(
    const char *dir, const char *name, const void *data, size_t len)
{
    rf_buf path = {0};
    rf_buf tmp = {0};
    bool ok = false;
    (void)mkdir(dir, 0755);
    if (rf_buf_printf(&path, "%s/%s", dir, name) == RF_OK &&
        rf_buf_printf(&tmp, "%s/.%s.%ld.tmp", dir, name, (long)getpid()) ==
            RF_OK) {
        FILE *fp = fopen(tmp.data, "wb");
        ok = fp != NULL && fwrite(data, 1, len, fp) == len;
        if (fp != NULL) {
            ok = fclose(fp) == 0 && ok;
        }
        if (!ok || rename(tmp.data, path.data) != 0) {
            unlink(tmp.data);
            ok = false;
        }
    }
    rf_buf_free(&path);
    rf_buf_free(&tmp);
    return ok;
}
