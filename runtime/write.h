/*
 * write.h — result writers: a partner_report -> bytes in the formats of
 * spec/cli.md.  They append to a strbuf and never fail except for memory
 * (the strbuf's sticky flag).
 */
#ifndef RUBRIC_WRITE_H
#define RUBRIC_WRITE_H

#include <stdbool.h>

#include "mem.h"
#include "result.h"

/* One result object (partner x program) in the key order of spec/cli.md.
 * pretty: indented by two spaces per level, starting at `indent` spaces
 * (for the elements of a `json` array); else one line, no spaces.  No
 * trailing newline. */
void write_result_json(const partner_report *report, uint32_t result,
                       bool pretty, int indent, strbuf *out);

/* Every result of the report, one compact object per line (`jsonl`). */
void write_report_jsonl(const partner_report *report, strbuf *out);

typedef struct text_options {
    bool color;   /* ANSI colours for the status marks */
    int width;    /* terminal width; 0 = 100 */
} text_options;

/* The scorecard a person reads: per program, the renewal and upgrade
 * columns side by side, a mark per status, and the gaps in words. */
void write_report_text(const partner_report *report, const text_options *options,
                       strbuf *out);

/* The csv header row (spec/cli.md), newline included. */
void write_csv_header(strbuf *out);

/* One csv row per requirement result of every program of the report
 * (spec/cli.md), fields quoted per RFC 4180 when they need it. */
void write_report_csv(const partner_report *report, strbuf *out);

/* Append a value as JSON: null, true, 20, 10498.56 (money, exact),
 * "2026-11-22" (date), "2026-01" (month), "Select" (enum: its name in
 * enum_index's declaration), strings escaped.  enum_index is needed only
 * for VK_ENUM values (BC_NONE otherwise). */
void write_json_value(const bc_module *m, value v, uint32_t enum_index,
                      strbuf *out);

/* Append s as a JSON string literal, quotes included. */
void write_json_string(strbuf *out, const char *s, size_t len);

/* Helpers shared by the writers (defined in write_json.c). */

/* The name of value `index` of enum `enum_index`, or NULL when either is
 * out of range. */
const char *write_enum_name(const bc_module *m, uint32_t enum_index, uint32_t index);

/* The enum a type (or an optional of it) names, or BC_NONE. */
uint32_t write_enum_of_type(const bc_module *m, uint32_t type);

/* A node's unit as spec/cli.md writes it: "count", "usd", "months",
 * "bool", "choice". */
const char *write_unit_name(uint8_t unit);

/* A node's category; parts without one take their parent's. */
const char *write_node_category(const bc_program *p, const bc_module *m, uint32_t node);

/* A scalar as bare text (csv, text): 20, 10498.56, 2026-11-22, 2026-01,
 * true, Select, strings as they are; null as nothing. */
void write_plain_value(const bc_module *m, value v, uint32_t enum_index, strbuf *out);

#endif /* RUBRIC_WRITE_H */
