/*
 * report_fixture.h — a small module and hand-built partner reports for the
 * result writers' tests: a tiered program (apn-2019-consulting, tiers
 * Select < Advanced < Premier) and a per-item program (service-delivery,
 * with a corporate_events report list).  Reports live in an arena freed by
 * fixture_teardown.
 */
#ifndef RUBRIC_REPORT_FIXTURE_H
#define RUBRIC_REPORT_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "result.h"

/* Tier enum: Registered < Select < Advanced < Premier (values 0..3). */
enum { REGISTERED, SELECT, ADVANCED, PREMIER };

/* Nodes of the tiered program, in preorder. */
enum {
    N_FEE, N_ACCREDITED, N_TECHNICAL, N_BUSINESS, N_LAUNCHED, N_MRR, N_PLAN,
    N_EXPERIENCE, N_DIRECT, N_LAUNCHED_ALT, N_SUSTAINED, N_EBR, N_TIERED_COUNT
};

/* Nodes of the per-item program. */
enum { I_CONSULTING, I_SELF, I_REMEDIATION, I_RENEWAL };

/* cmocka group setup and teardown: build the module, free the reports. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

const bc_module *fixture_module(void);

/* The index of string s in the module, added when new (for names). */
uint32_t fixture_str(const char *s);

value fixture_text(const char *s);
int32_t fixture_date(const char *s);
req_result fixture_req(uint32_t node_index, uint8_t status, bool time_bound, value actual,
                       value required);
/* A list in the arena from an array of items. */
req_list fixture_list(const req_result *items, uint32_t count);

/* A Select partner: renewal at risk, not eligible for Advanced. */
program_result fixture_select_result(void);
/* A Premier partner: renewal met, no upgrade. */
program_result fixture_premier_result(void);
/* Two applications (one not ready) and two corporate events. */
program_result fixture_per_item_result(void);

/* Give tiered node n another name (for truncation and quoting tests). */
void fixture_rename_node(uint32_t n, const char *name);

partner_report fixture_report(const char *id, const char *name, program_result *results,
                              uint32_t count);

/* Compare with tests/golden/write/NAME byte for byte, or rewrite it when
 * UPDATE_GOLDEN=1. */
void fixture_check_golden(const char *name, const strbuf *sb);

#endif /* RUBRIC_REPORT_FIXTURE_H */
