/*
 * fuzz_cnipa_xml.c - the cnipa-xml reader, forced (no sniffing), over any
 * bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "cnipa-xml", "cn.xml");
    return 0;
}
