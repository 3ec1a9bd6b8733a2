/*
 * fuzz_html.c - the html reader, forced (no sniffing), over any bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "html", "page.html");
    return 0;
}
