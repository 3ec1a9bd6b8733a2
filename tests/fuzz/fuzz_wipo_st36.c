/*
 * fuzz_wipo_st36.c - the wipo-st36 reader, forced (no sniffing), over any
 * bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "wipo-st36", "wo.xml");
    return 0;
}
