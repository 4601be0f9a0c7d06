/* faulty_alloc.c — an allocator that refuses the Nth allocation, and
 * sweeps of it (faulty_alloc.h). */
#include "faulty_alloc.h"

#include <stdlib.h>

#include "test_support.h"

/* ------------------------------------------------------------ allocator */

typedef union block_header {
    size_t size;
    max_align_t align;
} block_header;

static bool size_matches(faulty *f, const block_header *h, size_t said)
{
    if (h->size == said)
        return true;
    if (!f->bad_sizes++) {
        f->bad_said = said;
        f->bad_real = h->size;
    }
    return false;
}

static void *faulty_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    faulty *f = user_data;
    block_header *h = ptr ? (block_header *)ptr - 1 : NULL;
    if (h && size_matches(f, h, old_size))
        f->live -= old_size;
    else if (h)
        f->live -= h->size;
    if (new_size == 0) {
        free(h);
        return NULL;
    }
    size_t keep = h ? h->size : 0;
    if (++f->calls == f->fail_at || f->live + new_size > RUNAWAY_BYTES ||
        f->calls > RUNAWAY_CALLS) {
        f->runaway |= f->calls != f->fail_at;
        f->refused = true;
        f->live += keep; /* the block stays as it was */
        return NULL;
    }
    block_header *grown = realloc(h, sizeof *h + new_size);
    if (!grown) {
        f->live += keep;
        return NULL;
    }
    grown->size = new_size;
    f->live += new_size;
    return grown + 1;
}

rubric_config faulty_config(faulty *f)
{
    rubric_config config;
    rubric_config_init(&config);
    config.allocator.realloc = faulty_realloc;
    config.allocator.user_data = f;
    return config;
}

/* ------------------------------------------------------------ sweeps */

/* Fail the test with what went wrong in the run that refused call n. */
static void check_run(const char *what, uint64_t n, const faulty *f, rubric_status st,
                      bool output_ok)
{
    if (f->runaway)
        fail_msg("%s, allocation %llu refused: the run went on allocating (past %zu bytes "
                 "or %u allocations)",
                 what, (unsigned long long)n, RUNAWAY_BYTES, RUNAWAY_CALLS);
    if (f->bad_sizes)
        fail_msg("%s, allocation %llu refused: %llu blocks freed with a wrong size "
                 "(first: %zu bytes said, %zu allocated)",
                 what, (unsigned long long)n, (unsigned long long)f->bad_sizes, f->bad_said,
                 f->bad_real);
    if (f->live)
        fail_msg("%s, allocation %llu refused: %zu bytes leaked", what, (unsigned long long)n,
                 f->live);
    if (f->refused && st != RUBRIC_ERR_NOMEM && st != RUBRIC_OK)
        fail_msg("%s, allocation %llu refused: status \"%s\", not \"out of memory\"", what,
                 (unsigned long long)n, rubric_status_name(st));
    if (!f->refused && st != RUBRIC_OK)
        fail_msg("%s, nothing refused: status \"%s\"", what, rubric_status_name(st));
    /* OK after a refusal is right only where the library makes do with
     * less (the VM's memo with fewer ways): the output is then whole. */
    if (st == RUBRIC_OK && !output_ok)
        fail_msg("%s, allocation %llu refused: OK, but not the expected output", what,
                 (unsigned long long)n);
}

sweep_result sweep(const char *what, scenario_fn run, const void *arg, uint64_t first,
                          uint64_t stride)
{
    sweep_result r = {0, 0};
    for (uint64_t n = first;; n += stride) {
        faulty f = {.fail_at = n};
        rubric_config config = faulty_config(&f);
        bool output_ok = false;
        rubric_status st = run(&config, arg, &output_ok);
        r.runs++;
        check_run(what, n, &f, st, output_ok);
        if (!f.refused) {
            r.allocations = f.calls;
            print_message("%s: %llu allocations, %llu runs\n", what,
                          (unsigned long long)r.allocations, (unsigned long long)r.runs);
            return r;
        }
    }
}
