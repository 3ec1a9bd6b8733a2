/*
 * fuzz_epo_xml.c - the epo-xml reader, forced (no sniffing), over any bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "epo-xml", "ep.xml");
    return 0;
}
