/*
 * vm_internal.h — what the dispatch loop (vm.c) and the list opcodes
 * (vm_lists.c) share.  Not part of the VM's interface.
 *
 * Frames live on the vm's one value stack: a chunk running at `base` reads
 * its parameters at stack[base .. base + nparams) and keeps its operands
 * above them.  A list opcode calls its element chunk in place: the list's
 * slot, just below the captures, is overwritten by each element in turn, so
 * (elem, captures...) are already the callee's parameters.
 */
#ifndef RUBRIC_VM_INTERNAL_H
#define RUBRIC_VM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

/* Fail with "<message> (chunk '<name of chunk>')"; returns false. */
bool vm_fail(vm *v, rubric_error *err, uint32_t chunk, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fail with a limit (err->limit set) and exactly this message. */
bool vm_fail_limit(rubric_error *err, const char *message);

/* Charge one unit of the instruction budget; false (and *err) when spent. */
RUBRIC_NODISCARD bool vm_charge(vm *v, rubric_error *err);

/* size bytes in the session arena; NULL (and *err) when out of memory. */
RUBRIC_NODISCARD void *vm_alloc(vm *v, size_t size, rubric_error *err);

/* A list of count items in the arena (count set); NULL on failure. */
RUBRIC_NODISCARD list *vm_new_list(vm *v, uint32_t count, rubric_error *err);

/* Run chunk with its parameters already at v->stack[base...]. */
RUBRIC_NODISCARD bool vm_run(vm *v, uint32_t chunk, uint32_t base, value *out,
                             rubric_error *err);

/* The items of a list value; null reads as the empty list. */
static inline uint32_t vm_list_count(value l)
{
    return l.kind == VK_LIST ? l.as.list->count : 0;
}

/* ---- list opcodes (vm_lists.c) ----------------------------------------
 * The element-calling ones find the list at v->stack[at] with the element
 * chunk's captures above it; `self` is the running chunk (for messages). */

RUBRIC_NODISCARD bool vm_filter(vm *v, uint32_t k, uint32_t at, value *out,
                                rubric_error *err);
/* ANY when want is true, ALL when want is false. */
RUBRIC_NODISCARD bool vm_any_all(vm *v, uint32_t k, uint32_t at, bool want,
                                 value *out, rubric_error *err);
RUBRIC_NODISCARD bool vm_map(vm *v, uint32_t k, uint32_t at, value *out,
                             rubric_error *err);
RUBRIC_NODISCARD bool vm_distinct_by(vm *v, uint32_t k, uint32_t at, value *out,
                                     rubric_error *err);

RUBRIC_NODISCARD bool vm_project(vm *v, value l, uint32_t slot, value *out,
                                 rubric_error *err);
value vm_count(value l);
RUBRIC_NODISCARD bool vm_sum(vm *v, uint32_t self, value l, bool money,
                             value *out, rubric_error *err);
/* MAX when want_max, else MIN. */
value vm_extreme(value l, bool want_max);
RUBRIC_NODISCARD bool vm_distinct(vm *v, value l, value *out, rubric_error *err);
RUBRIC_NODISCARD bool vm_concat(vm *v, value a, value b, value *out,
                                rubric_error *err);
bool vm_in_list(value x, value l);
/* A string that is equal for two n-tuples exactly when they are equal. */
RUBRIC_NODISCARD bool vm_key(vm *v, const value *items, uint32_t n, value *out,
                             rubric_error *err);

#endif /* RUBRIC_VM_INTERNAL_H */
