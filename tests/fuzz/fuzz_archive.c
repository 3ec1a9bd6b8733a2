/*
 * fuzz_archive.c - the archive source (libarchive walker) and, through it,
 * every reader a member is sniffed into. Inputs that are not archives are
 * sniffed like any file, so the target also covers format detection.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_fuzz_dispatch(data, size, NULL, "fuzz.zip");
    return 0;
}
