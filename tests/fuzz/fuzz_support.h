/*
 * fuzz_support.h — what the libFuzzer targets share: the standard rules as a
 * loaded module, bounded limits, and evaluating a partner file through the
 * same batch engine `rubric eval` uses.
 */
#ifndef RUBRIC_FUZZ_SUPPORT_H
#define RUBRIC_FUZZ_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rubric.h"

/* Limits small enough that no input can make one run slow or large. */
rubric_limits fuzz_limits(void);

/* The standard programs, compiled and loaded once; aborts if they cannot be
 * (a broken build, not a finding). */
const rubric_module *fuzz_stdlib_module(void);

/* Evaluate bytes as a partner file (JSON Lines when jsonl, else one JSON
 * document) against module, on this thread, discarding the output, with
 * alloc (NULL: the C library's).  Returns false when the batch reported
 * an error. */
bool fuzz_eval_file(const rubric_module *module, const rubric_allocator *alloc,
                    const uint8_t *data, size_t size, bool jsonl);

/* An allocator that counts its calls and refuses call fail_at (0: none):
 * the targets run each input once more with one allocation refused. */
typedef struct fuzz_refusing {
    uint64_t calls, fail_at;
} fuzz_refusing;

rubric_allocator fuzz_refusing_allocator(fuzz_refusing *r);

/* Which of the calls allocations of an input's run to refuse (from 1):
 * a hash of the input, so that a finding reproduces. */
uint64_t fuzz_refusal_point(const uint8_t *data, size_t size, uint64_t calls);

/* A file of the source tree (RUBRIC_SOURCE_DIR/relative) read whole;
 * aborts if it cannot be read. */
char *fuzz_read_source_file(const char *relative, size_t *len);

#endif /* RUBRIC_FUZZ_SUPPORT_H */
