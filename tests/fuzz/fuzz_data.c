/*
 * fuzz_data.c — any bytes as a partner file, evaluated with the standard
 * programs both as one JSON document (.json) and as JSON Lines (.jsonl):
 * every outcome is a result or a diagnostic, never a crash or a hang.
 */
#include <stdint.h>

#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const rubric_module *module = fuzz_stdlib_module();
    (void)fuzz_eval_file(module, data, size, false);
    (void)fuzz_eval_file(module, data, size, true);
    return 0;
}
