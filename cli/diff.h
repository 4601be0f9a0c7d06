/*
 * diff.h — `rubric diff`: comparing one partner's results under two rule
 * sets (cmd_diff.c runs the batch; diff_report.c compares and writes).
 */
#ifndef RUBRIC_CLI_DIFF_H
#define RUBRIC_CLI_DIFF_H

#include <stdatomic.h>
#include <stdint.h>

#include "mem.h"
#include "result.h"

typedef enum diff_format {
    DIFF_TEXT,
    DIFF_JSON,
    DIFF_JSONL
} diff_format;

/* Counts for the summary; updated from worker threads. */
typedef struct diff_tally {
    atomic_uint_fast64_t partners_changed;
    atomic_uint_fast64_t tiers_changed;   /* partner x program, eligible tier */
    atomic_uint_fast64_t tiers_up;
    atomic_uint_fast64_t tiers_down;
    atomic_uint_fast64_t programs_added;
    atomic_uint_fast64_t programs_removed;
} diff_tally;

typedef struct diff_config {
    uint32_t nold;        /* reports [0, nold) are the old rules', the rest the new's */
    diff_format format;
    diff_tally *tally;
} diff_config;

/*
 * Compare one partner's reports: for each program with a result under the
 * old or the new rules, the eligible tier, the renewal status and every
 * requirement's status (per tier in the rolling view, in the renewal view,
 * per item).  Appends to out one text line or one JSON object (one line)
 * per program that changed, nothing when none did.  In `json`, each object
 * is preceded by ",\n" (the caller drops the first).
 */
void diff_partner(const diff_config *cfg, const partner_report *reports, uint32_t nreports,
                  strbuf *out);

#endif /* RUBRIC_CLI_DIFF_H */
