/*
 * fuzz_code.c - the code reader, forced (no sniffing), over any bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "code", "sdk.h");
    return 0;
}
