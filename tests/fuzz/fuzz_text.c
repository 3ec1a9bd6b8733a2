/*
 * fuzz_text.c - the text reader, forced (no sniffing), over any bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "text", "notes.txt");
    return 0;
}
