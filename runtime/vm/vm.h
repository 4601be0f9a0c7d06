/*
 * vm.h — the interpreter of verified chunks (see opcodes.h).
 *
 * One vm per session (per thread).  It runs a chunk of a verified module in
 * an evaluation context — the partner record, the evaluation date A and the
 * window of the current view — and returns its value or an error.  Values it
 * builds (filtered lists, projections) are allocated in the session arena.
 *
 * CALL_LET results are memoized until the context changes (vm_set_context),
 * so a `let` shared by several requirements is computed once per view; with
 * vm_change_view, until A or the window it reads differs.
 */
#ifndef RUBRIC_VM_H
#define RUBRIC_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "module.h"
#include "value.h"

typedef struct vm_context {
    value root;       /* VK_RECORD: the partner                        */
    int32_t as_of;    /* A, days                                      */
    bool has_window;  /* false outside time-bound requirements        */
    value window;     /* VK_INTERVAL when has_window                  */
} vm_context;

/* The host's way to stop an evaluation (rubric_config): a flag it sets, a
 * function it answers; either may be NULL. */
typedef struct vm_interrupt {
    const volatile int *flag;
    rubric_interrupt_fn ask;
    void *user_data;
} vm_interrupt;

/* True when the host asks to stop (i may be NULL: never). */
bool vm_interrupt_requested(const vm_interrupt *i);

/* Instructions between two looks at the interrupt: few enough to stop
 * within microseconds, many enough to cost nothing. */
#define VM_SLICE 4096

typedef struct let_slot {
    uint64_t epoch;
    value v;
} let_slot;

struct memo_key; /* vm.c: the context a memoized value was computed in */

typedef struct vm {
    const bc_module *module;
    const rubric_allocator *alloc;
    arena *mem;                 /* the session arena                      */
    vm_context ctx;
    uint64_t epoch;             /* bumped by vm_set_context and per partner */
    let_slot *lets;             /* [module->nchunks * memo_ways] memoized
                                   values, a few ways per chunk           */
    struct memo_key *memo_keys; /* [module->nchunks * memo_ways]           */
    uint32_t memo_ways;
    uint8_t *reads;             /* [module->nchunks] what of the context a
                                   chunk reads (A, the window)            */
    uint32_t *same;             /* [module->nchunks] the first chunk of the
                                   same code: they share a memo slot      */
    value *stack;               /* operand stacks of the active frames     */
    uint32_t stack_cap;
    uint32_t stack_top;
    uint32_t depth;             /* active calls                            */
    uint64_t budget;            /* instructions left in this slice         */
    uint64_t remaining;         /* and after it: the limit's rest (a slice
                                   at a time), UINT64_MAX - ... unlimited */
    uint64_t max_instructions;  /* 0 = unlimited                           */
    const vm_interrupt *interrupt; /* looked at between slices; NULL: none */
} vm;

/* False when out of memory. */
bool vm_init(vm *v, const bc_module *m, arena *mem, const rubric_allocator *alloc,
             uint64_t max_instructions);
void vm_free(vm *v);

/* A new partner: reset the instruction budget and forget memoized lets. */
void vm_begin_partner(vm *v);

/* Instructions (and list elements) this partner may still use: the limit
 * less what it used (the difference of two readings is what ran between). */
uint64_t vm_instructions_left(const vm *v);

/* Change the context (forgets memoized lets). */
void vm_set_context(vm *v, const vm_context *ctx);

/* Change A and the window for the same partner, keeping memoized lets: a
 * let is computed again only when A or the window it reads differs from
 * the one it was computed with (a let that reads neither is computed once
 * per partner). */
void vm_change_view(vm *v, const vm_context *ctx);

/* Run chunk with nargs arguments (their types were checked by the caller
 * against the chunk's parameters).  False with *err on a runtime error:
 * RUBRIC_ERR_EVAL for overflow, division by zero, a date out of range, no
 * window ("money overflow in sum (chunk 'launched_mrr')"); RUBRIC_ERR_LIMIT
 * for a limit or a failed allocation ("instruction limit reached", "out of
 * memory"); RUBRIC_ERR_INTERRUPTED ("interrupted") when v->interrupt asked
 * to stop, which it is asked every VM_SLICE instructions and list
 * elements.  Only the status and the message are set. */
bool vm_call(vm *v, uint32_t chunk, const value *args, uint16_t nargs,
             value *out, rubric_error *err);

/* vm_call for a chunk of no parameters, memoized like a let: computed once
 * while what it reads of the context stays the same (for the measures and
 * conditions that several views and programs ask for again). */
bool vm_call_memo(vm *v, uint32_t chunk, value *out, rubric_error *err);

/* Total order of two non-null scalar values of one type (for MAX/MIN and
 * comparisons): <0, 0, >0.  Strings compare bytewise. */
int vm_compare(value a, value b);
/* Equality of two values of one scalar type; null equals only null. */
bool vm_equal(value a, value b);

#endif /* RUBRIC_VM_H */
