/*
 * result.h — the typed result of evaluating one partner: what the evaluator
 * (eval.c) builds and the result writers (write_json.c, write_text.c, ...)
 * print.  Everything lives in the session arena.
 *
 * For a tiered program (spec/cli.md "Results"):
 *
 *   program_result
 *     current_tier, eligible (tier index or -1)
 *     renewal  (has_renewal)  tier, review_date, status, reqs (renewal view)
 *     upgrade  (has_upgrade)  tier, eligible, reqs (rolling view of that tier)
 *     tiers[]                 tier, satisfied, reqs (rolling view)
 *
 * A req_result is one requirement (or part) at one tier in one view.
 * Requirements a tier does not have are absent from that tier's list.
 *
 * What embedders and the result writers read is the model built from it
 * (report_model.h): the same results as the public structs of rubric.h.
 */
#ifndef RUBRIC_RESULT_H
#define RUBRIC_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "module.h"
#include "rubric.h"
#include "value.h"

typedef struct req_result req_result;

typedef struct req_list {
    uint32_t count;
    req_result *items;
} req_list;

struct req_result {
    uint32_t node;    /* index into the program's nodes: id, name, unit...  */
    uint8_t status;   /* rubric_req_status                                  */
    bool time_bound;  /* the node's flag (parts inherit their parent's)     */
    value actual;     /* VK_NULL when not_applicable, and for choice         */
    value required;   /* the threshold; VK_NULL for choice                   */
    req_list parts;   /* the parts this tier has                             */
};

typedef struct tier_result {
    uint32_t tier;    /* index into program->tiers */
    bool satisfied;   /* each requirement met, grace or not_applicable */
    req_list reqs;
} tier_result;

/* One item of a per-item program (an application). */
typedef struct item_result {
    value label;      /* e.g. the designation (string)                      */
    bool ready;       /* every requirement met or not_applicable            */
    req_list reqs;
} item_result;

/* One row of a report list (a corporate event and its action). */
typedef struct report_row {
    value *values;    /* [list->ncolumns] */
} report_row;

typedef struct report_list_result {
    uint32_t list;    /* index into program->lists */
    uint32_t nrows;
    report_row *rows;
} report_list_result;

typedef struct program_result {
    uint32_t program; /* index into module->programs */
    int32_t as_of;

    /* PROGRAM_TIERED */
    uint32_t current_tier;   /* value of the program's tier enum, as given   */
    int32_t eligible;        /* tier index, or -1 when none                  */
    bool has_renewal;        /* false when the current tier is below tier 0  */
    uint32_t renewal_tier;   /* tier index                                  */
    int32_t review_date;     /* days                                        */
    uint8_t renewal_status;  /* RUBRIC_MET / RUBRIC_AT_RISK / RUBRIC_NOT_MET */
    req_list renewal;
    bool has_upgrade;        /* false at (or above) the top tier            */
    uint32_t upgrade_tier;   /* tier index                                  */
    bool upgrade_eligible;
    req_list upgrade;        /* shares items with tiers[upgrade_tier]       */
    uint32_t ntiers;
    tier_result *tiers;

    /* PROGRAM_PER_ITEM */
    uint32_t nitems;
    item_result *items;

    uint32_t nlists;
    report_list_result *lists;
} program_result;

/* What one evaluation of one partner produced. */
typedef struct partner_report {
    const bc_module *module;
    value id;                 /* the schema's key field (string)   */
    value name;               /* the label field, or VK_NULL       */
    value path;               /* the field named "path", or VK_NULL */
    uint32_t nresults;
    program_result *results;
    /* Programs whose result is withheld because the rules call one of the
     * partner's items an error (`error when`): one message each, naming
     * the program and the item.  The partner's other results stand. */
    uint32_t nwithheld;
    const char **withheld;
    uint32_t *withheld_programs;  /* [nwithheld]: index into module->programs */
} partner_report;

#endif /* RUBRIC_RESULT_H */
