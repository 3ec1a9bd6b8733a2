/*
 * strvec.c - NULL-terminated vectors of owned strings.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

char *rf_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *rf_strdup(const char *s)
{
    return s == NULL ? NULL : rf_strndup(s, strlen(s));
}

rf_status rf_strvec_pushn(rf_strvec *sv, const char *s, size_t len)
{
    if (sv->n + 2 > sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 8;
        char **v = realloc(sv->v, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        sv->v = v;
        sv->cap = cap;
    }
    char *copy = rf_strndup(s, len);
    if (copy == NULL) {
        return RF_ENOMEM;
    }
    sv->v[sv->n++] = copy;
    sv->v[sv->n] = NULL;
    return RF_OK;
}

rf_status rf_strvec_push(rf_strvec *sv, const char *s)
{
    return rf_strvec_pushn(sv, s, strlen(s));
}

const char *const *rf_strvec_list(const rf_strvec *sv)
{
    static const char *const empty[1] = {NULL};
    return sv->n > 0 ? (const char *const *)sv->v : empty;
}

bool rf_strvec_contains(const rf_strvec *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++) {
        if (strcmp(sv->v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

void rf_strvec_free(rf_strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++) {
        free(sv->v[i]);
    }
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
    sv->cap = 0;
}
