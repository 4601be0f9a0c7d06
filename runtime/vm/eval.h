/*
 * eval.h — evaluating the programs of a module for one partner: views,
 * statuses, tiers, renewal and upgrade (spec/programs.md "Statuses",
 * docs/language.md "How a program is evaluated"), into a partner_report.
 */
#ifndef RUBRIC_EVAL_H
#define RUBRIC_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "module.h"
#include "result.h"
#include "vm.h"

/* Which programs to evaluate: all that apply (selected == NULL), or those
 * whose selected[i] is true. */
typedef struct eval_request {
    value root;            /* the loaded partner (VK_RECORD) */
    int32_t as_of;         /* days */
    const bool *selected;  /* [module->nprograms] or NULL */
} eval_request;

/*
 * Evaluate every selected program that applies to the partner.  Results
 * are allocated in `mem` (the session arena).  The vm must be bound to the
 * same module and arena.  False on a runtime error, the report then
 * incomplete: *err's status is RUBRIC_ERR_EVAL (overflow, ...) or
 * RUBRIC_ERR_LIMIT, its message "<program id>: <why>" ("apn-2019-consulting:
 * int overflow in sum (chunk 'x')"); its other fields are left as they are.
 * Out of memory is RUBRIC_ERR_EVAL "... out of memory": the caller, who
 * watches the allocator, tells it apart.
 */
bool eval_partner(vm *v, const bc_module *m, arena *mem, const eval_request *req,
                  partner_report *out, rubric_error *err);

#endif /* RUBRIC_EVAL_H */
