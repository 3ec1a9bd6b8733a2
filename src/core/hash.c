/*
 * hash.c - one 128-bit hash for every key the project derives: the
 * fingerprints of findings (finding.c) and the names of cached rules and
 * forms (compiler.c, forms_cache.c).
 *
 * Two FNV-1a style lanes, the second with its own multiplier and an
 * increment the caller chooses: a fingerprint must stay the same across
 * releases (users baseline them), so its increment is fixed for good,
 * while a cache key may change at any release (the cache is rebuilt).
 * Not a cryptographic hash: nothing here defends against a chosen
 * collision, and nothing needs to.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void rf_hash128_init(rf_hash128 *h, uint64_t inc)
{
    h->a = 0xcbf29ce484222325ULL;
    h->b = 0x84222325cbf29ce4ULL;
    h->inc = inc;
}

void rf_hash128_add(rf_hash128 *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ p[i]) * 0x100000001b3ULL;
        h->b = (h->b ^ p[i]) * 0x00000100000001b3ULL + h->inc;
    }
}

void rf_hash128_str(rf_hash128 *h, const char *s)
{
    /* with its NUL, so that "ab" then "c" differs from "a" then "bc" */
    rf_hash128_add(h, s, strlen(s) + 1);
}

void rf_hash128_hex(const rf_hash128 *h, char out[33])
{
    snprintf(
        out, 33, "%016llx%016llx", (unsigned long long)h->a,
        (unsigned long long)h->b);
}
