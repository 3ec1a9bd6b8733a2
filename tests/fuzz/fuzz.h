/*
 * fuzz.h - what every fuzz target shares: the libFuzzer entry point's
 * prototype (the build uses -Wmissing-prototypes) and a helper that pushes
 * a buffer through rf_input_dispatch the way a file would arrive.
 *
 * Each tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput. Under
 * clang with -DRF_FUZZERS=ON it links against libFuzzer; otherwise
 * standalone.c supplies main() and replays tests/fuzz/corpus/<name>/, so
 * every corpus file (seeds and past crashes) is an ordinary ctest case.
 */
#ifndef RF_FUZZ_H
#define RF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read data as the input `name` through the format table: `format` forces
 * a reader (NULL sniffs). Documents and diagnostics are discarded; the
 * caller only cares that nothing crashes, leaks or hangs. */
void rf_fuzz_dispatch(
    const uint8_t *data, size_t size, const char *format, const char *name);

#endif /* RF_FUZZ_H */
