/*
 * fuzz_uspto_xml.c - the uspto-xml reader, forced (no sniffing), over any
 * bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "uspto-xml", "us.xml");
    return 0;
}
