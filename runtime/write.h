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

/* A string from the data as text for a terminal or a log (write_escape.c):
 * C0 controls and DEL as \x1b, C1 controls, U+2028, U+2029 and the
 * bidirectional controls as \u2028, a byte that is not valid UTF-8 as \xHH;
 * a backslash doubled only where it would read as an escape.  Every
 * escape is plain ASCII, one column per byte.  The text writer, the text
 * of `rubric diff` and the command's diagnostics all write data strings
 * through it. */
void write_escaped_text(strbuf *out, const char *s, size_t len);

/* The words the text and html scorecards share (write_words.c). */

/* The name of tier index `tier` of program p ("?" when out of range). */
const char *write_tier_name(const bc_module *m, const bc_program *p, uint32_t tier);

/* The row of node in the side-by-side columns: cells[k] is its result in
 * lists[k] (or NULL); true when any column has it.  *time_bound (when not
 * NULL) says whether any of those cells is time-bound. */
bool write_row_cells(const req_list *const lists[], int ncols, uint32_t node,
                     const req_result *cells[2], bool *time_bound);

/* Whether any of the ncols cells (NULL for none) is time-bound. */
bool write_cells_time_bound(const req_result *const cells[], int ncols);

/* The views a tiered result shows side by side: renewal, then upgrade,
 * each that exists.  heads[k] gets "LABEL: Tier" with the labels given;
 * returns how many (0 to 2). */
int write_view_columns(const bc_module *m, const bc_program *p, const program_result *r,
                       const char *renewal_label, const char *upgrade_label,
                       char heads[2][80], const req_list *lists[2]);

/* "met", "not met", "at risk", "in grace period", "not applicable". */
const char *write_status_words(uint8_t status);

/* A name as a noun in a sentence: capitalised words lowercased, acronyms
 * and mixed case kept ("AWS Accredited Professionals" -> "AWS accredited
 * professionals", "DevOps" stays). */
void write_noun(strbuf *out, const char *name);

/* A measure's amount: $10,498.56 for money, none for null, else plain. */
void write_amount(const bc_module *m, value v, strbuf *out);

/* A requirement's cell: "4 of 8", "$10,498.56 of $10,000", "3 of 6
 * months", "yes", "one of 2", "n/a". */
void write_measure(const bc_module *m, const bc_program *p, const req_result *q, strbuf *out);

/* The requirement (or part) for node in list, searched through the parts;
 * NULL when the list does not have it. */
const req_result *write_find_req(const req_list *list, uint32_t node);

/* How many parents a node has (0 for a requirement, 1 for a part). */
int write_node_depth(const bc_program *p, uint32_t node);

/* Not met, at risk or in grace: a gap to name. */
bool write_is_gap(uint8_t status);
bool write_any_gap(const req_list *list);

/* Called once per gap with its sentence ("needs 3 more business (AWS
 * accredited professionals)", "needs one of: a or b", "... [at risk]"),
 * not NUL-terminated. */
typedef void (*write_gap_fn)(void *user, const req_result *q, const char *sentence,
                             size_t len);

/* Every gap of list in rule order, parts after their requirement; a parent
 * short only through its parts is said by the parts.  False when out of
 * memory. */
bool write_each_gap(const bc_module *m, const bc_program *p, const req_list *list,
                    const rubric_allocator *alloc, write_gap_fn fn, void *user);

/* html (write_html.c): one self-contained page, no scripts and nothing
 * fetched.  A page is write_html_head, one write_html_partner per partner
 * (in input order), then write_html_tail with the table of contents built
 * from write_html_toc_entry. */

/* The doctype, the head with its inline style sheet, and the opening of
 * the body and its <main>. */
void write_html_head(strbuf *out);

/* One partner's <section> (anchored by its id): per program of every
 * report, the summary, the scorecard table with a mark, the measure and a
 * progress bar per cell, and the gaps.  The reports are of one partner
 * (one per rules unit); the heading is the first one's. */
void write_html_partner(const partner_report *reports, uint32_t nreports, strbuf *out);

/* write_html_partner of one report. */
void write_report_html(const partner_report *report, strbuf *out);

/* The partner's <li> in the table of contents: a link to its section, and
 * per program the eligible tier or how many items are ready. */
void write_html_toc_entry(const partner_report *reports, uint32_t nreports, strbuf *out);

/* Close <main>, write the table of contents (toc: the entries, already
 * HTML; omitted: partners left out of it, said in words) and close the
 * document. */
void write_html_tail(const char *toc, size_t len, uint64_t omitted, strbuf *out);

/* s as HTML text: & < > " ' as entities, disallowed control characters
 * as U+FFFD. */
void write_html_escaped(strbuf *out, const char *s, size_t len);

/* How far along a requirement is, clamped to 0..100 (an "at most"
 * threshold is 100 while not exceeded); -1 when it has no bar (yes-or-no,
 * choice, not applicable). */
int write_html_percent(const bc_program *p, const req_result *q);

#endif /* RUBRIC_WRITE_H */
