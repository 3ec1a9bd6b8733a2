/*
 * fuzz_google_patents_json.c - the google-patents-json reader, forced (no
 * sniffing), over any bytes.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, "google-patents-json", "gp.jsonl");
    return 0;
}
