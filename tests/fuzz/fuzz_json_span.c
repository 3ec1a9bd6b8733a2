/*
 * fuzz_json_span.c - the JSON checker (src/input/json_span.c) against
 * jansson, whatever the bytes (json_same.h says what must agree, and
 * where the two differ by design). Any other difference aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "json_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy with a NUL after it, as the reader's buffers have */
    char *s = malloc(size + 1);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    char why[300];
    if (!json_same(s, size, why, sizeof(why))) {
        fprintf(stderr, "fuzz_json_span: %s\n", why);
        abort();
    }
    free(s);
    return 0;
}
