/* rtest_check.c — names and values in a test file checked against the rules
 * before any test runs: programs, tiers, requirement ids, statuses, report
 * lists and columns, and whether each value is of the kind the result
 * holds there; each wrong one a diagnostic, with a did-you-mean. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compiler.h"
#include "rtest.h"
#include "session.h"
#include "write.h"

#define MAX_CANDIDATES 256

static const char *const statuses[] = {"met", "not_met", "at_risk", "grace", "not_applicable"};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

diag_list *rtest_diags(rtest_ctx *ctx)
{
    return &ctx->compiler->diags;
}

ast_loc rtest_loc(const rtest_file *file, rubric_test_span at)
{
    uint32_t last = at.column + (at.length ? at.length - 1 : 0);
    return (ast_loc){file->source, at.line, at.column, at.line, last};
}

const bc_program *rtest_find_program(const rtest_ctx *ctx, const char *id,
                                     const bc_module **module, size_t *module_index)
{
    for (size_t u = 0; u < ctx->module_count; u++) {
        const bc_module *m = session_module(ctx->modules[u]);
        for (uint32_t i = 0; i < m->nprograms; i++) {
            if (strcmp(module_str(m, m->programs[i].id), id) == 0) {
                *module = m;
                *module_index = u;
                return &m->programs[i];
            }
        }
    }
    return NULL;
}

void rtest_node_path(const bc_module *m, const bc_program *p, uint32_t node, strbuf *out)
{
    if (p->nodes[node].parent != BC_NONE) {
        rtest_node_path(m, p, p->nodes[node].parent, out);
        sb_putc(out, '.');
    }
    sb_puts(out, module_str(m, p->nodes[node].id));
}

/* ------------------------------------------------------------ reporting */

typedef struct checker {
    rtest_ctx *ctx;
    const rtest_file *file;
    bool ok;
} checker;

static void error_at(checker *k, rubric_test_span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(checker *k, rubric_test_span at, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    diag_error(rtest_diags(k->ctx), rtest_loc(k->file, at), "%s", message);
    k->ok = false;
}

static void did_you_mean(checker *k, const char *text, const char *const *candidates,
                         size_t count)
{
    const char *near = suggest_name(text, candidates, count);
    if (near)
        diag_hint(rtest_diags(k->ctx), "did you mean '%s'?", near);
}

static void unknown(checker *k, rubric_test_value v, const char *what,
                    const char *const *candidates, size_t count)
{
    error_at(k, v.at, "unknown %s '%s'", what, v.text);
    did_you_mean(k, v.text, candidates, count);
}

/* The index of text in names, or -1. */
static int index_of(const char *text, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(text, names[i]) == 0)
            return (int)i;
    return -1;
}

static bool one_of(const char *text, const char *const *names, size_t count)
{
    return index_of(text, names, count) >= 0;
}

/* ------------------------------------------------------------ names */

typedef struct program_names {
    const bc_module *m;
    const bc_program *p;
    const char *tiers[MAX_CANDIDATES];   /* the program's tiers */
    size_t ntiers;
    const char *values[MAX_CANDIDATES];  /* every value of the tier enum */
    size_t nvalues;
    const char *reqs[MAX_CANDIDATES];    /* "id" and "parent.part", by node */
    size_t nreqs;
} program_names;

static void collect_names(checker *k, const bc_module *m, const bc_program *p,
                          program_names *out)
{
    memset(out, 0, sizeof *out);
    out->m = m;
    out->p = p;
    if (p->kind == PROGRAM_TIERED) {
        for (uint32_t t = 0; t < p->ntiers && out->ntiers < MAX_CANDIDATES; t++)
            out->tiers[out->ntiers++] = session_tier_name(m, p, t);
        const bc_enum *e = &m->enums[p->tier_enum];
        for (uint32_t v = 0; v < e->nvalues && out->nvalues < MAX_CANDIDATES; v++)
            out->values[out->nvalues++] = module_str(m, e->values[v]);
    }
    strbuf sb;
    sb_init(&sb, k->ctx->alloc);
    for (uint32_t i = 0; i < p->nnodes && out->nreqs < MAX_CANDIDATES; i++) {
        sb_clear(&sb);
        rtest_node_path(m, p, i, &sb);
        out->reqs[out->nreqs++] = arena_strndup(&k->ctx->compiler->mem,
                                                sb.data ? sb.data : "", sb.len);
    }
    sb_free(&sb);
}

static void check_tier_or_none(checker *k, rubric_test_value v, const program_names *names)
{
    if (strcmp(v.text, "none") != 0 && !one_of(v.text, names->tiers, names->ntiers))
        unknown(k, v, "tier", names->tiers, names->ntiers);
}

/* ------------------------------------------------------------ values */

/* How the actual value of a requirement of each unit (node_unit) is
 * written; null is always one. */
static const struct {
    rubric_test_value_kind kind;
    const char *how;
} unit_values[] = {
    [UNIT_COUNT] = {RUBRIC_TEST_INT, "a count, such as 4"},
    [UNIT_USD] = {RUBRIC_TEST_MONEY, "money, such as $2,500"},
    [UNIT_MONTHS] = {RUBRIC_TEST_INT, "a number of months, such as 12"},
    [UNIT_BOOL] = {RUBRIC_TEST_BOOL, "true or false"},
    [UNIT_CHOICE] = {RUBRIC_TEST_NULL, "null"},
};

static void check_actual(checker *k, rubric_test_value v, const program_names *names, int node)
{
    if (v.kind == RUBRIC_TEST_NONE || v.kind == RUBRIC_TEST_NULL || node < 0)
        return;
    uint8_t unit = names->p->nodes[node].unit;
    if (unit >= sizeof unit_values / sizeof unit_values[0] || v.kind == unit_values[unit].kind)
        return;
    error_at(k, v.at, "the actual value of '%s' is written as %s (or null)", names->reqs[node],
             unit_values[unit].how);
}

/* The requirement REQ of an expectation: its node, or -1 (reported). */
static int check_requirement_id(checker *k, rubric_test_value req, const program_names *names)
{
    int node = index_of(req.text, names->reqs, names->nreqs);
    if (node < 0)
        unknown(k, req, "requirement", names->reqs, names->nreqs);
    return node;
}

static void check_requirement(checker *k, const rubric_test_expect *e,
                              const program_names *names)
{
    if (strcmp(e->subject.text, "renewal") != 0 &&
        !one_of(e->subject.text, names->tiers, names->ntiers))
        unknown(k, e->subject, "tier (or 'renewal')", names->tiers, names->ntiers);
    int node = check_requirement_id(k, e->requirement, names);
    if (e->kind == RUBRIC_EXPECT_REQUIREMENT && !one_of(e->status.text, statuses, NSTATUSES))
        unknown(k, e->status, "status", statuses, NSTATUSES);
    check_actual(k, e->value, names, node);
}

static bool check_per_item(checker *k, const rubric_test_expect *e, const program_names *names)
{
    if (names->p->kind == PROGRAM_PER_ITEM)
        return true;
    error_at(k, e->word.at, "'expect application' is for programs that evaluate each application "
             "on its own");
    return false;
}

static void check_item(checker *k, const rubric_test_expect *e, const program_names *names)
{
    static const char *const item_statuses[] = {"ready", "not_ready"};
    if (!check_per_item(k, e, names))
        return;
    if (e->kind == RUBRIC_EXPECT_ITEM_STATUS) {
        if (!one_of(e->status.text, item_statuses, 2))
            unknown(k, e->status, "application status", item_statuses, 2);
        return;
    }
    int node = check_requirement_id(k, e->requirement, names);
    if (!one_of(e->status.text, statuses, NSTATUSES))
        unknown(k, e->status, "status", statuses, NSTATUSES);
    check_actual(k, e->value, names, node);
}

/* A report list's cell: a value of its column's type (null when the type
 * is optional), an enum's by one of its names. */
static void check_cell(checker *k, rubric_test_value v, const bc_report_column *column,
                       const bc_module *m)
{
    static const struct {
        rubric_test_value_kind kind;
        const char *how;
    } by_type[] = {
        [TK_INT] = {RUBRIC_TEST_INT, "a number, such as 4"},
        [TK_MONEY] = {RUBRIC_TEST_MONEY, "money, such as $2,500"},
        [TK_DATE] = {RUBRIC_TEST_DATE, "a date, such as 2026-12-15"},
        [TK_MONTH] = {RUBRIC_TEST_MONTH, "a month, such as 2026-01"},
        [TK_BOOL] = {RUBRIC_TEST_BOOL, "true or false"},
        [TK_STRING] = {RUBRIC_TEST_STRING, "text in quotes, such as \"Initech\""},
        [TK_ENUM] = {RUBRIC_TEST_NAME, "the name of one of its values"},
    };
    const char *name = module_str(m, column->name);
    uint32_t chunk = column->chunk;
    uint32_t type = chunk < m->nchunks ? m->chunks[chunk].ret_type : BC_NONE;
    bool optional = type < m->ntypes && m->types[type].kind == TK_OPTIONAL;
    if (optional)
        type = m->types[type].arg;
    uint8_t kind = type < m->ntypes ? m->types[type].kind : 0;
    if (v.kind == RUBRIC_TEST_NULL && optional)
        return;
    if (kind >= sizeof by_type / sizeof by_type[0] || !by_type[kind].how) {
        error_at(k, v.at, "column '%s' holds values that a test cannot write", name);
        return;
    }
    if (v.kind != by_type[kind].kind) {
        error_at(k, v.at, "the values of column '%s' are written as %s%s", name,
                 by_type[kind].how, optional ? " (or null)" : "");
        return;
    }
    if (kind != TK_ENUM)
        return;
    const bc_enum *e = &m->enums[m->types[type].arg];
    const char *values[MAX_CANDIDATES];
    size_t nvalues = 0;
    for (uint32_t i = 0; i < e->nvalues && nvalues < MAX_CANDIDATES; i++)
        values[nvalues++] = module_str(m, e->values[i]);
    if (one_of(v.text, values, nvalues))
        return;
    error_at(k, v.at, "column '%s' has no value '%s'", name, v.text);
    did_you_mean(k, v.text, values, nvalues);
}

/* expect LIST ROW COLUMN VALUE: the list and the column must exist, and
 * the value be one the column holds. */
static void check_row(checker *k, const rubric_test_expect *e, const program_names *names)
{
    const bc_module *m = names->m;
    const bc_program *p = names->p;
    const char *lists[MAX_CANDIDATES];
    size_t nlists = 0;
    for (uint32_t l = 0; l < p->nlists && nlists < MAX_CANDIDATES; l++) {
        lists[nlists++] = module_str(m, p->lists[l].name);
        if (strcmp(lists[nlists - 1], e->subject.text) != 0)
            continue;
        const char *columns[MAX_CANDIDATES];
        size_t ncolumns = 0;
        for (uint32_t c = 0; c < p->lists[l].ncolumns && ncolumns < MAX_CANDIDATES; c++)
            columns[ncolumns++] = module_str(m, p->lists[l].columns[c].name);
        int column = index_of(e->requirement.text, columns, ncolumns);
        if (column < 0)
            unknown(k, e->requirement, "column", columns, ncolumns);
        else
            check_cell(k, e->value, &p->lists[l].columns[column], m);
        return;
    }
    unknown(k, e->subject, "report list", lists, nlists);
}

static void check_expect(checker *k, const rubric_test_expect *e, const program_names *names)
{
    static const char *const renewal_statuses[] = {"met", "not_met", "at_risk", "none"};
    bool about_tiers = e->kind <= RUBRIC_EXPECT_UPGRADE_ELIGIBLE;
    if (about_tiers && names->p->kind != PROGRAM_TIERED) {
        error_at(k, e->word.at, "this program has no tiers: expect application \"LABEL\" ..., a "
                 "report row, not_applied or error");
        return;
    }
    switch (e->kind) {
    case RUBRIC_EXPECT_REQUIREMENT:
    case RUBRIC_EXPECT_ABSENT:
        check_requirement(k, e, names);
        break;
    case RUBRIC_EXPECT_ELIGIBLE_TIER:
    case RUBRIC_EXPECT_RENEWAL_TIER:
    case RUBRIC_EXPECT_UPGRADE_TIER:
        check_tier_or_none(k, e->value, names);
        break;
    case RUBRIC_EXPECT_CURRENT_TIER:
        if (!one_of(e->value.text, names->values, names->nvalues))
            unknown(k, e->value, "tier", names->values, names->nvalues);
        break;
    case RUBRIC_EXPECT_RENEWAL_STATUS:
        if (!one_of(e->value.text, renewal_statuses, 4))
            unknown(k, e->value, "renewal status", renewal_statuses, 4);
        break;
    case RUBRIC_EXPECT_ITEM_REQUIREMENT:
    case RUBRIC_EXPECT_ITEM_STATUS:
        check_item(k, e, names);
        break;
    case RUBRIC_EXPECT_ROW:
        check_row(k, e, names);
        break;
    case RUBRIC_EXPECT_REVIEW_DATE:      /* a date, as the grammar reads it */
    case RUBRIC_EXPECT_UPGRADE_ELIGIBLE: /* true or false, likewise */
    case RUBRIC_EXPECT_NOT_APPLIED:
    case RUBRIC_EXPECT_ERROR:
        break;
    }
}

/* The case's program, its names into names; false when the rules have no
 * such program (reported). */
static bool check_program(checker *k, const rubric_test_case *c, program_names *names)
{
    const bc_module *m;
    size_t u;
    const bc_program *p = rtest_find_program(k->ctx, c->program.text, &m, &u);
    if (p) {
        collect_names(k, m, p, names);
        return true;
    }
    const char *ids[MAX_CANDIDATES];
    size_t nids = 0;
    for (size_t r = 0; r < k->ctx->module_count; r++) {
        const bc_module *mod = session_module(k->ctx->modules[r]);
        for (uint32_t i = 0; i < mod->nprograms && nids < MAX_CANDIDATES; i++)
            ids[nids++] = module_str(mod, mod->programs[i].id);
    }
    unknown(k, c->program, "program", ids, nids);
    return false;
}

static void check_case(checker *k, const rubric_test_case *c)
{
    if (c->program.kind == RUBRIC_TEST_NONE)
        return; /* the parser reported it */
    program_names *names = arena_alloc(&k->ctx->compiler->mem, sizeof *names);
    if (!names) {
        k->ok = false;
        return;
    }
    if (!check_program(k, c, names))
        return;
    for (size_t i = 0; i < c->expect_count; i++)
        check_expect(k, &c->expects[i], names);
}

bool rtest_check(rtest_ctx *ctx, const rtest_file *file)
{
    checker k = {ctx, file, true};
    for (size_t i = 0; i < file->tests->case_count; i++)
        check_case(&k, &file->tests->cases[i]);
    return k.ok;
}
