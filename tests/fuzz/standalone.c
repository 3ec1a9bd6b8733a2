/*
 * standalone.c - main() for a fuzz target without libFuzzer: runs
 * LLVMFuzzerTestOneInput once over every file named on the command line,
 * or every regular file in a directory named there (in name order). This
 * is how the corpora run under gcc as ordinary ctest cases.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "standalone: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf == NULL) {
        return 1;
    }
    /* an exact-size copy, so ASan sees reads past the end */
    uint8_t *exact = malloc(len > 0 ? len : 1);
    if (exact == NULL) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    int failures = 0;
    size_t runs = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "standalone: no such file %s\n", argv[i]);
            failures++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            failures += run_file(argv[i]);
            runs++;
            continue;
        }
        struct dirent **names = NULL;
        int n = scandir(argv[i], &names, NULL, NULL);
        if (n < 0) {
            failures++;
            continue;
        }
        char **paths = calloc((size_t)n + 1, sizeof(*paths));
        size_t np = 0;
        for (int k = 0; k < n; k++) {
            if (names[k]->d_name[0] != '.' && paths != NULL) {
                size_t len = strlen(argv[i]) + strlen(names[k]->d_name) + 2;
                paths[np] = malloc(len);
                if (paths[np] != NULL) {
                    snprintf(
                        paths[np], len, "%s/%s", argv[i], names[k]->d_name);
                    np++;
                }
            }
            free(names[k]);
        }
        free(names);
        if (paths == NULL) {
            failures++;
            continue;
        }
        qsort(paths, np, sizeof(*paths), by_name);
        for (size_t k = 0; k < np; k++) {
            failures += run_file(paths[k]);
            runs++;
            free(paths[k]);
        }
        free(paths);
    }
    printf("standalone: %zu inputs, %d failures\n", runs, failures);
    return failures == 0 && runs > 0 ? 0 : 1;
}
