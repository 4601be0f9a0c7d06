/*
 * faulty_alloc.h — an allocator that refuses the Nth allocation, for the
 * out-of-memory tests (as SQLite's mallocFailed tests): it counts
 * allocations and resizes, keeps each block's size in front of it to
 * check the size it is freed and resized with, and counts the bytes live.
 *
 *   faulty f = {.fail_at = 7};
 *   rubric_config config = faulty_config(&f);   // refuses call 7
 *
 * A sweep runs a scenario with the first call refused, then the second,
 * ... until a run refuses none, and fails the test at the first run that
 * crashed (no return), leaked, freed with a wrong size, ended with a
 * status other than RUBRIC_ERR_NOMEM, or said RUBRIC_OK without the
 * whole output.
 */
#ifndef RUBRIC_FAULTY_ALLOC_H
#define RUBRIC_FAULTY_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rubric.h"

/* Far more than any run of the tests holds or asks for: a run that
 * reaches either is looping (refused, and reported). */
#define RUNAWAY_BYTES ((size_t)256 << 20)
#define RUNAWAY_CALLS 5000000u

typedef struct faulty {
    uint64_t calls;     /* allocations and resizes so far */
    uint64_t fail_at;   /* the call refused (from 1); 0: none */
    bool refused;
    size_t live;        /* bytes allocated, not yet freed */
    uint64_t bad_sizes; /* frees and resizes that gave a wrong size */
    size_t bad_said, bad_real;
    bool runaway;       /* RUNAWAY_BYTES or RUNAWAY_CALLS reached */
} faulty;

/* Defaults, with f as the allocator (not thread-safe: one thread a
 * faulty). */
rubric_config faulty_config(faulty *f);

/* One run of what is swept, with this configuration; *output_ok: on
 * RUBRIC_OK, whether the output is exactly the expected one. */
typedef rubric_status (*scenario_fn)(const rubric_config *config, const void *arg,
                                     bool *output_ok);

typedef struct sweep_result {
    uint64_t runs;
    uint64_t allocations; /* of the run that completed */
} sweep_result;

/* Refuse allocation first, first + stride, ... until a run refuses
 * nothing (what names the scenario in failures). */
sweep_result sweep(const char *what, scenario_fn run, const void *arg, uint64_t first,
                   uint64_t stride);

#endif /* RUBRIC_FAULTY_ALLOC_H */
