/*
 * fuzz_bytecode.c — any bytes as a .rbc file.  The checksum check is off, so
 * mutations reach the reader's structure checks and the verifier itself;
 * whatever the verifier accepts is then run on the example partners, where
 * it must not crash, read out of bounds or run unbounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "fuzz_support.h"
#include "mem.h"
#include "rubric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct example_file {
    const char *path;
    bool jsonl;
    char *text;
    size_t len;
} example_file;

static example_file examples[] = {
    {"examples/partners/registered.json", false, NULL, 0},
    {"examples/partners/select.json", false, NULL, 0},
    {"examples/partners/advanced.json", false, NULL, 0},
    {"examples/partners/premier.json", false, NULL, 0},
    {"examples/partners/batch.jsonl", true, NULL, 0},
};

#define EXAMPLE_COUNT (sizeof examples / sizeof examples[0])

static void read_examples(void)
{
    for (size_t i = 0; i < EXAMPLE_COUNT; i++)
        if (!examples[i].text)
            examples[i].text = fuzz_read_source_file(examples[i].path, &examples[i].len);
}

/* The verifier accepted the module: give the bytes a valid checksum so the
 * public loader takes them too, then evaluate every example partner. */
static void evaluate_examples(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size);
    if (!copy)
        return;
    memcpy(copy, data, size);
    uint32_t crc = bc_crc32(copy, size - 4);
    for (int i = 0; i < 4; i++)
        copy[size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    rubric_config config;
    rubric_config_init(&config);
    config.limits = fuzz_limits();
    rubric_module *module = NULL;
    if (rubric_module_load(&config, copy, size, &module, NULL, 0) != RUBRIC_OK)
        abort(); /* the same bytes passed bc_read and bc_verify just now */
    read_examples();
    for (size_t i = 0; i < EXAMPLE_COUNT; i++)
        (void)fuzz_eval_file(module, NULL, (const uint8_t *)examples[i].text, examples[i].len,
                             examples[i].jsonl);
    rubric_module_free(module);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rubric_allocator alloc = mem_default_allocator();
    bc_read_options options = {.skip_checksum = true};
    bc_module m;
    char why[512];
    if (!bc_read(data, size, &alloc, &options, &m, why, sizeof why))
        return 0;
    bool verified = bc_verify(&m, why, sizeof why);
    module_release(&m);
    if (verified)
        evaluate_examples(data, size);
    return 0;
}
