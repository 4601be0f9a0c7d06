/*
 * sema_table.c — decision tables: every combination of input values is
 * matched by exactly one row (docs/language.md, "Decision tables").
 *
 * A table is also a function (the parser builds it as an `if … else`
 * chain over its rows, checked and lowered like any fn), so this pass only
 * proves the rows complete and disjoint.  The inputs are enums and bools,
 * so the combinations are few: each is tried against every row.  Cells
 * that name no value of their input are left to the function's check,
 * which reports them as unknown names.
 */
#include <stdio.h>
#include <string.h>

#include "sema.h"

/* Combinations beyond this are not enumerated. */
#define TABLE_MAX_CASES 65536u
/* Uncovered combinations reported one by one before a summary. */
#define TABLE_MAX_REPORTED 3u

typedef struct table_check {
    sema *s;
    const ast_table *t;
    uint32_t *domain;   /* [ninputs] number of values of each input */
    uint32_t *enums;    /* [ninputs] enum index, or BC_NONE for bool */
    int32_t *cells;     /* [nrows * ninputs] value index, -1 for '-' */
    uint8_t *reported;  /* [nrows * nrows] overlapping pairs already reported */
} table_check;

static const char *value_name(const table_check *tc, uint32_t input, uint32_t v)
{
    if (tc->enums[input] == BC_NONE)
        return v ? "yes" : "no";
    const bc_module *m = tc->s->b->m;
    return module_str(m, m->enums[tc->enums[input]].values[v]);
}

/* The value index a cell names, -1 for '-', or -2 when it names none. */
static int32_t cell_value(const table_check *tc, uint32_t input, const ast_name *cell)
{
    if (!cell->name)
        return -1;
    if (tc->enums[input] == BC_NONE) {
        if (strcmp(cell->name, "yes") == 0 || strcmp(cell->name, "true") == 0)
            return 1;
        if (strcmp(cell->name, "no") == 0 || strcmp(cell->name, "false") == 0)
            return 0;
        return -2;
    }
    const bc_module *m = tc->s->b->m;
    const bc_enum *en = &m->enums[tc->enums[input]];
    for (uint32_t v = 0; v < en->nvalues; v++)
        if (strcmp(module_str(m, en->values[v]), cell->name) == 0)
            return (int32_t)v;
    return -2;
}

/* The domain of each input; false when an input is neither enum nor bool. */
static bool input_domains(table_check *tc, uint32_t file)
{
    sema *s = tc->s;
    bool ok = true;
    for (uint32_t i = 0; i < tc->t->ninputs; i++) {
        const ast_param *in = &tc->t->inputs[i];
        uint32_t type = sema_resolve_type(s, file, in->type);
        if (type == TY_ERROR)
            return false;
        if (type == s->t_bool) {
            tc->domain[i] = 2;
            tc->enums[i] = BC_NONE;
        } else if (!sema_is_optional(s, type) && sema_kind(s, type, false) == TK_ENUM) {
            tc->enums[i] = s->b->m->types[type].arg;
            tc->domain[i] = s->b->m->enums[tc->enums[i]].nvalues;
        } else {
            diag_error(s->diags, in->name.loc, "input '%s' of table '%s' is %s; a table's "
                       "inputs are enums or bools, so that every case can be checked",
                       in->name.name, tc->t->name.name, sema_type_name(s, type));
            ok = false;
        }
    }
    return ok;
}

static bool row_matches(const table_check *tc, uint32_t row, const uint32_t *values)
{
    const int32_t *cells = &tc->cells[(size_t)row * tc->t->ninputs];
    for (uint32_t i = 0; i < tc->t->ninputs; i++)
        if (cells[i] >= 0 && (uint32_t)cells[i] != values[i])
            return false;
    return true;
}

static void describe_case(const table_check *tc, const uint32_t *values, strbuf *out)
{
    for (uint32_t i = 0; i < tc->t->ninputs; i++)
        sb_printf(out, "%s%s = %s", i ? ", " : "", tc->t->inputs[i].name.name,
                  value_name(tc, i, values[i]));
}

static void report_overlap(table_check *tc, uint32_t a, uint32_t b, const uint32_t *values)
{
    uint32_t n = tc->t->nrows;
    if (tc->reported[(size_t)a * n + b])
        return;
    tc->reported[(size_t)a * n + b] = 1;
    strbuf sb;
    sb_init(&sb, tc->s->alloc);
    describe_case(tc, values, &sb);
    diag_error(tc->s->diags, tc->t->rows[b].loc, "rows %u and %u of table '%s' overlap: both "
               "match %s", a + 1, b + 1, tc->t->name.name, sb.data ? sb.data : "");
    diag_hint(tc->s->diags, "row %u is at line %u", a + 1, tc->t->rows[a].loc.line);
    sb_free(&sb);
}

/* Try one combination; returns false when no row matches it. */
static bool check_case(table_check *tc, const uint32_t *values)
{
    int64_t first = -1;
    for (uint32_t r = 0; r < tc->t->nrows; r++) {
        if (!row_matches(tc, r, values))
            continue;
        if (first < 0)
            first = r;
        else
            report_overlap(tc, (uint32_t)first, r, values);
    }
    return first >= 0;
}

static void report_uncovered(table_check *tc, const uint32_t *values, uint32_t index)
{
    if (index >= TABLE_MAX_REPORTED)
        return;
    strbuf sb;
    sb_init(&sb, tc->s->alloc);
    describe_case(tc, values, &sb);
    diag_error(tc->s->diags, tc->t->name.loc, "table '%s' has no row for %s", tc->t->name.name,
               sb.data ? sb.data : "");
    sb_free(&sb);
}

/* Every combination of input values, in the order of the inputs' values. */
static void check_cases(table_check *tc, uint64_t ncases)
{
    uint32_t n = tc->t->ninputs;
    uint32_t values[SEMA_MAX_PARAMS] = {0};
    uint32_t uncovered = 0;
    for (uint64_t k = 0; k < ncases; k++) {
        if (!check_case(tc, values))
            report_uncovered(tc, values, uncovered++);
        for (uint32_t i = n; i-- > 0;) {
            if (++values[i] < tc->domain[i])
                break;
            values[i] = 0;
        }
    }
    if (uncovered > TABLE_MAX_REPORTED)
        diag_error(tc->s->diags, tc->t->name.loc, "table '%s' has no row for %u more cases",
                   tc->t->name.name, uncovered - TABLE_MAX_REPORTED);
}

static bool fill_cells(table_check *tc)
{
    const ast_table *t = tc->t;
    for (uint32_t r = 0; r < t->nrows; r++) {
        for (uint32_t i = 0; i < t->ninputs; i++) {
            int32_t v = cell_value(tc, i, &t->rows[r].cells[i]);
            if (v == -2)
                return false; /* the table's function reports the unknown name */
            tc->cells[(size_t)r * t->ninputs + i] = v;
        }
    }
    return true;
}

static void check_table(sema *s, uint32_t file, const ast_table *t)
{
    if (!t->ninputs || !t->nrows) {
        diag_error(s->diags, t->name.loc, "table '%s' needs inputs and at least one row",
                   t->name.name);
        return;
    }
    if (t->ninputs > SEMA_MAX_PARAMS) {
        diag_error(s->diags, t->name.loc, "table '%s' has more than %u inputs", t->name.name,
                   SEMA_MAX_PARAMS);
        return;
    }
    table_check tc = {s, t, NULL, NULL, NULL, NULL};
    tc.domain = arena_calloc(s->mem, t->ninputs, sizeof *tc.domain);
    tc.enums = arena_calloc(s->mem, t->ninputs, sizeof *tc.enums);
    tc.cells = arena_calloc(s->mem, (size_t)t->nrows * t->ninputs, sizeof *tc.cells);
    tc.reported = arena_calloc(s->mem, (size_t)t->nrows * t->nrows, 1);
    if (!tc.domain || !tc.enums || !tc.cells || !tc.reported) {
        s->c->oom = true;
        return;
    }
    if (!input_domains(&tc, file) || !fill_cells(&tc))
        return;
    uint64_t ncases = 1;
    for (uint32_t i = 0; i < t->ninputs; i++) {
        ncases *= tc.domain[i];
        if (ncases > TABLE_MAX_CASES) {
            diag_error(s->diags, t->name.loc, "table '%s' has more than %u cases to check",
                       t->name.name, TABLE_MAX_CASES);
            return;
        }
    }
    if (ncases)
        check_cases(&tc, ncases);
}

void sema_check_tables(sema *s)
{
    for (uint32_t f = 0; f < s->c->files.len; f++) {
        ast_file *ast = s->c->files.items[f].ast;
        for (uint32_t i = 0; ast && i < ast->nitems; i++)
            if (ast->items[i].kind == ITEM_TABLE)
                check_table(s, f, ast->items[i].u.table);
    }
}
