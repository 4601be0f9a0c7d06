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

typedef struct eval_error {
    bool limit;          /* a resource limit, rather than the data */
    char message[512];   /* "apn-2019-consulting: integer overflow in ..." */
} eval_error;

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
 * same module and arena.  False with *err on a runtime error (overflow, a
 * limit); the report is then incomplete.
 */
bool eval_partner(vm *v, const bc_module *m, arena *mem, const eval_request *req,
                  partner_report *out, eval_error *err);

#endif /* RUBRIC_EVAL_H */
