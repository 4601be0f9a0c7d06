/*
 * session.h — internal access to what the public handles of rubric.h hold,
 * for the `rubric` command's batch evaluation.
 */
#ifndef RUBRIC_SESSION_H
#define RUBRIC_SESSION_H

#include "loader.h"
#include "report_model.h"
#include "worker.h"
#include "module.h"
#include "result.h"
#include "rubric.h"

/* The verified module behind a public handle. */
const bc_module *session_module(const rubric_module *module);
/* Its load plan (shared read-only by every thread). */
const load_plan *session_load_plan(const rubric_module *module);

/* A public report: one partner's results for one module, in the arena of
 * the worker that evaluated them (a session's, or a batch thread's). */
struct rubric_report {
    partner_report r;
    arena *mem;                    /* holds the results, and the model once built */
    const rubric_allocator *alloc; /* for writing them */
    const report_model *model;     /* built since the evaluation, or NULL */
};

/* The typed report behind a public report handle. */
const partner_report *session_report(const rubric_report *report);
/* Requirement "id" or "parent.part" in a list of results; NULL when the
 * list has none. */
const req_result *session_find_req(const bc_module *m, const bc_program *p,
                                   const req_list *list, const char *path);
/* The name of tier index `tier` of a tiered program. */
const char *session_tier_name(const bc_module *m, const bc_program *p, uint32_t tier);

#endif /* RUBRIC_SESSION_H */
