/*
 * write.h — result writers: results -> bytes in the formats of
 * spec/cli.md.  They append to a strbuf and never fail except for memory
 * (the strbuf's sticky flag).
 *
 * The writers print the result model (report_model.h): ids, names,
 * categories, units, statuses, values, tier names and gap sentences are
 * the model's, derived once.  Each format has a function over the model
 * (write_model_*), which the batch calls with the model it built once per
 * partner, and one over a partner_report, which builds the model in
 * scratch memory first (for callers that hold only the report).
 */
#ifndef RUBRIC_WRITE_H
#define RUBRIC_WRITE_H

#include <stdbool.h>

#include "mem.h"
#include "report_model.h"
#include "result.h"

/* ------------------------------------------------------------ json, jsonl */

/* One result object (partner x program) in the key order of spec/cli.md.
 * pretty: indented by two spaces per level, starting at `indent` spaces
 * (for the elements of a `json` array); else one line, no spaces.  No
 * trailing newline. */
void write_model_json(const rubric_result *result, bool pretty, int indent, strbuf *out);
void write_result_json(const partner_report *report, uint32_t result,
                       bool pretty, int indent, strbuf *out);

/* Every result of the report, one compact object per line (`jsonl`). */
void write_model_jsonl(const report_model *model, strbuf *out);
void write_report_jsonl(const partner_report *report, strbuf *out);

/* ------------------------------------------------------------ text */

typedef struct text_options {
    bool color;   /* ANSI colours for the status marks */
    int width;    /* terminal width; 0 = 100 */
} text_options;

/* The scorecard a person reads: per program, the renewal and upgrade
 * columns side by side, a mark per status, and the gaps in words. */
void write_model_text(const report_model *model, const text_options *options, strbuf *out);
void write_report_text(const partner_report *report, const text_options *options,
                       strbuf *out);

/* ------------------------------------------------------------ csv */

/* `csv` (write_csv.c): the header row, newline included; then one row per
 * partner x program: tiers, renewal, upgrade, the number of gaps, and for
 * a program withheld by an item error its message. */
void write_csv_header(strbuf *out);
void write_model_csv(const report_model *model, strbuf *out);
void write_report_csv(const partner_report *report, strbuf *out);

/* `csv-requirements` (write_csv_requirements.c): the header row; then one
 * row per requirement result of every program of the report. */
void write_csv_requirements_header(strbuf *out);
void write_model_csv_requirements(const report_model *model, strbuf *out);
void write_report_csv_requirements(const partner_report *report, strbuf *out);

/* One csv field: quoted per RFC 4180 when it needs it, a leading single
 * quote when a spreadsheet would run it as a formula (and it is not a
 * number as the writers print one). */
void write_csv_field(strbuf *out, const char *s, size_t len);
void write_csv_cstr(strbuf *out, const char *s);
/* A value's bare text (write_plain_model_value) as a field; null is empty. */
void write_csv_value(strbuf *out, const rubric_value *v);

/* How many gaps a result has: requirements (not parts) not met, at risk or
 * in grace in the renewal and upgrade views (each view counts its own),
 * or in every item of a per-item program. */
size_t write_gap_count(const rubric_result *r);

/* ------------------------------------------------------------ values */

/* A model value as JSON: null, true, 20, 10498.56 (money, exact),
 * "2026-11-22" (date), "2026-01" (month), "Select" (enum: its name, else
 * its index), strings escaped. */
void write_json_model_value(const rubric_value *v, strbuf *out);

/* A model value as bare text (csv, text): 20, 10498.56, 2026-11-22,
 * 2026-01, true, Select, strings as they are; null as nothing. */
void write_plain_model_value(const rubric_value *v, strbuf *out);

/* Append a runtime value as JSON: scalars as write_json_model_value
 * (enum_index names the enum of a VK_ENUM value, BC_NONE otherwise);
 * records, lists, maps and intervals as objects and arrays. */
void write_json_value(const bc_module *m, value v, uint32_t enum_index,
                      strbuf *out);

/* A runtime value as bare text: scalars as write_plain_model_value,
 * compound values as JSON. */
void write_plain_value(const bc_module *m, value v, uint32_t enum_index, strbuf *out);

/* Append s as a JSON string literal, quotes included. */
void write_json_string(strbuf *out, const char *s, size_t len);

/* The name of value `index` of enum `enum_index`, or NULL when either is
 * out of range. */
const char *write_enum_name(const bc_module *m, uint32_t enum_index, uint32_t index);

/* The enum a type (or an optional of it) names, or BC_NONE. */
uint32_t write_enum_of_type(const bc_module *m, uint32_t type);

/* A string from the data as text for a terminal or a log (write_escape.c):
 * C0 controls and DEL as \x1b, C1 controls, U+2028, U+2029 and the
 * bidirectional controls as \u2028, a byte that is not valid UTF-8 as \xHH;
 * a backslash doubled only where it would read as an escape.  Every
 * escape is plain ASCII, one column per byte.  The text writer, the text
 * of `rubric diff` and the command's diagnostics all write data strings
 * through it. */
void write_escaped_text(strbuf *out, const char *s, size_t len);

/* ------------------------------------------------------------ words */

/* The words the text and html scorecards share (write_words.c). */

/* "met", "not met", "at risk", "in grace period", "not applicable". */
const char *write_status_words(uint8_t status);

/* A name as a noun in a sentence: capitalised words lowercased, acronyms
 * and mixed case kept ("AWS Accredited Professionals" -> "AWS accredited
 * professionals", "DevOps" stays). */
void write_noun(strbuf *out, const char *name);

/* A measure's amount: $10,498.56 for money, none for null, else plain. */
void write_amount(const rubric_value *v, strbuf *out);

/* A requirement's cell: "4 of 8", "$10,498.56 of $10,000", "3 of 6
 * months", "yes", "one of 2", "n/a". */
void write_requirement_measure(const rubric_requirement *q, strbuf *out);
/* The same for one requirement result of program p. */
void write_measure(const bc_module *m, const bc_program *p, const req_result *q, strbuf *out);

/* The sentence of a gap (a requirement not met, at risk or in grace) as
 * the scorecards say it, after its parent's ("needs 3 more business (AWS
 * accredited professionals)", "needs one of: a or b", "... [at risk]");
 * false (nothing written) when it is short only through its parts, which
 * say it.  The model (report_model.c) decides which gaps have one. */
bool write_gap_sentence(const rubric_requirement *q, strbuf *out);

/* Not met, at risk or in grace: a gap to name. */
bool write_is_gap(rubric_req_status status);
bool write_any_gap(const rubric_requirement *reqs, size_t count);

/* Every gap sentence of a list, in rule order, parts after their
 * requirement. */
typedef void (*write_gap_fn)(void *user, const rubric_requirement *q);
void write_each_gap(const rubric_requirement *reqs, size_t count, write_gap_fn fn, void *user);

/* How many parents a requirement has (0 for a requirement, 1 for a part). */
int write_depth(const rubric_requirement *q);

/* The side-by-side scorecard of the text and html writers: its columns
 * are views (renewal and upgrade, or an item's requirements); its rows
 * are the requirements any column has, in rule order. */
enum { WRITE_MAX_COLUMNS = 2 };

typedef struct write_card {
    int ncols;
    char heads[WRITE_MAX_COLUMNS][80];      /* "RENEWAL: Select" */
    const rubric_requirement *reqs[WRITE_MAX_COLUMNS];
    size_t counts[WRITE_MAX_COLUMNS];
    uint32_t nrows;                         /* 1 + the largest index */
} write_card;

/* The renewal and upgrade columns of a tiered result (those that exist),
 * headed "LABEL: Tier" with the labels given. */
void write_card_views(write_card *card, const rubric_result *r, const char *renewal_label,
                      const char *upgrade_label);
/* One column: a list of requirements under a heading. */
void write_card_list(write_card *card, const char *head, const rubric_requirement *reqs,
                     size_t count);

/* Row `index` of the card: cells[k] is the requirement in column k (or
 * NULL); returns the first cell there is (its name, category and depth
 * are the row's), NULL when no column has it.  *time_bound (when not
 * NULL) says whether any cell is time-bound. */
const rubric_requirement *write_card_row(const write_card *card, uint32_t index,
                                         const rubric_requirement *cells[WRITE_MAX_COLUMNS],
                                         bool *time_bound);

/* ------------------------------------------------------------ html */

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
void write_model_html_partner(const report_model *models, uint32_t nmodels, strbuf *out);
void write_html_partner(const partner_report *reports, uint32_t nreports, strbuf *out);

/* write_html_partner of one report. */
void write_report_html(const partner_report *report, strbuf *out);

/* The partner's <li> in the table of contents: a link to its section, and
 * per program the eligible tier or how many items are ready. */
void write_model_html_toc_entry(const report_model *models, uint32_t nmodels, strbuf *out);
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
int write_requirement_percent(const rubric_requirement *q);
/* The same for one requirement result of program p. */
int write_html_percent(const bc_program *p, const req_result *q);

/* ------------------------------------------------------------ scratch models */

/* Call fn with the models of the reports (without gap sentences unless
 * gaps), built in scratch memory; out fails when that memory cannot be
 * had. */
typedef void (*write_model_fn)(const report_model *models, uint32_t nmodels, void *user,
                               strbuf *out);
void write_with_model(const partner_report *reports, uint32_t nreports, bool gaps,
                      write_model_fn fn, void *user, strbuf *out);

#endif /* RUBRIC_WRITE_H */
