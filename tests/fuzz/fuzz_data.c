/*
 * fuzz_data.c — any bytes as a partner file, evaluated with the standard
 * programs both as one JSON document (.json) and as JSON Lines (.jsonl):
 * every outcome is a result or a diagnostic, never a crash or a hang.
 * The JSON Lines run is made once more with one of its allocations
 * refused (which one follows from the input): never a crash nor a leak.
 */
#include <stdint.h>

#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const rubric_module *module = fuzz_stdlib_module();
    (void)fuzz_eval_file(module, NULL, data, size, false);
    fuzz_refusing counter = {0, 0};
    rubric_allocator counting = fuzz_refusing_allocator(&counter);
    (void)fuzz_eval_file(module, &counting, data, size, true);
    fuzz_refusing refusing = {0, fuzz_refusal_point(data, size, counter.calls)};
    rubric_allocator refused = fuzz_refusing_allocator(&refusing);
    (void)fuzz_eval_file(module, &refused, data, size, true);
    return 0;
}
