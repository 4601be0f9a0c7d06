/*
 * report_model.h — the result model: a partner_report (result.h) turned
 * into the public structs of rubric.h ("Results as data"), which the
 * embedder walks and every result writer prints.  The derivations live
 * here, once: names, categories, units, statuses, values, tier names, the
 * views' statuses and the gap sentences.
 *
 *   partner_report ──► model_build ──► report_model ──► write_*.c, rubric.h
 *
 * Everything is allocated in an arena (the session's, or a writer's
 * scratch arena) and points into the module and the report: it lives as
 * long as the three of them.
 */
#ifndef RUBRIC_REPORT_MODEL_H
#define RUBRIC_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "mem.h"
#include "result.h"
#include "rubric.h"

/* The model of one partner_report: the partner, its results, and the
 * programs withheld. */
typedef struct report_model {
    rubric_value partner_id;
    rubric_value partner_name;
    rubric_value partner_path;
    size_t nresults;
    const rubric_result *results;
    size_t nerrors;
    const rubric_program_error *errors;
} report_model;

typedef enum model_parts {
    MODEL_ALL = 0,
    /* No gap sentences (rubric_requirement.gap stays NULL): for the writers
     * that print none (json, jsonl, csv), which would only pay for them. */
    MODEL_NO_GAPS = 1 << 0
} model_parts;

/*
 * Build the models of count reports (one partner's: one report per rules
 * unit) in mem; returns the array of them, or NULL when the allocator
 * fails.  The arena's memory limit does not apply: the model's size
 * follows from the reports', which the limit bounded.
 */
const report_model *model_build(const partner_report *reports, uint32_t count, arena *mem,
                                unsigned parts);

/* A runtime value as a model value: scalars only (compound values are
 * null).  enum_index names the enum of a VK_ENUM value (BC_NONE: unknown,
 * the name is NULL). */
rubric_value model_value(const bc_module *m, value v, uint32_t enum_index);

/* What one requirement result measures: index, status, time_bound, unit,
 * comparison, actual, required and part_count (not its names, parts or
 * gap).  For callers that hold a single req_result. */
void model_measure(const bc_program *p, const req_result *q, rubric_requirement *out);

/* The first segment of a requirement path "id.part...": its length, and in
 * *rest what follows the dot (NULL when none). */
size_t model_path_head(const char *path, const char **rest);

#endif /* RUBRIC_REPORT_MODEL_H */
