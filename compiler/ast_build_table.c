/*
 * ast_build_table.c — decision tables (ast_build.h): the table as written,
 * and the same table as a function, an if … else chain over its rows.
 */
#include "ast_build.h"

#include <string.h>

#include "parse_ctx.h"

/* The condition under which a row matches: its cells joined by `and`. */
static ast_expr *row_condition(parse_ctx *ctx, const ast_table *t, const ast_table_row *row)
{
    ast_expr *cond = NULL;
    for (uint32_t i = 0; i < t->ninputs; i++) {
        const ast_name *cell = &row->cells[i];
        if (!cell->name)
            continue;
        ast_expr *input = ast_name_expr(ctx, t->inputs[i].name.name, cell->loc);
        ast_expr *value;
        if (strcmp(cell->name, "yes") == 0 || strcmp(cell->name, "true") == 0)
            value = ast_literal_bool(ctx, true, cell->loc);
        else if (strcmp(cell->name, "no") == 0 || strcmp(cell->name, "false") == 0)
            value = ast_literal_bool(ctx, false, cell->loc);
        else
            value = ast_name_expr(ctx, cell->name, cell->loc);
        ast_expr *eq = ast_binary(ctx, OPX_EQ, input, value);
        cond = cond ? ast_binary(ctx, OPX_AND, cond, eq) : eq;
    }
    return cond ? cond : ast_literal_bool(ctx, true, row->loc);
}

/* A row's output: a value of the output's enum (`MergerAction.none`), or
 * yes/no for a bool output. */
static ast_expr *row_output(parse_ctx *ctx, const ast_table *t, const ast_table_row *row)
{
    const ast_name *cell = &row->cells[t->ninputs];
    if (strcmp(cell->name, "yes") == 0 || strcmp(cell->name, "true") == 0)
        return ast_literal_bool(ctx, true, cell->loc);
    if (strcmp(cell->name, "no") == 0 || strcmp(cell->name, "false") == 0)
        return ast_literal_bool(ctx, false, cell->loc);
    if (t->output->kind != TY_NAME)
        return ast_name_expr(ctx, cell->name, cell->loc);
    return ast_field_expr(ctx, ast_name_expr(ctx, t->output->name, cell->loc), cell->name,
                          cell->loc);
}

/* The table as a function: if row 1 then out 1 else if row 2 … else the
 * last row's output (sema proves the rows cover every case; the last
 * row's condition is kept so that its cells are checked like the others'). */
static ast_fn *table_fn(parse_ctx *ctx, ast_table *t)
{
    ast_fn *f = parse_alloc(ctx, sizeof *f);
    f->name = t->name;
    f->params = t->inputs;
    f->nparams = t->ninputs;
    f->ret = t->output;
    f->loc = t->loc;
    if (!t->nrows) {
        f->body = ast_new_expr(ctx, EX_NULL, t->loc);
        return f;
    }
    ast_expr *body = row_output(ctx, t, &t->rows[t->nrows - 1]);
    for (uint32_t i = t->nrows; i-- > 0;)
        body = ast_if_expr(ctx, row_condition(ctx, t, &t->rows[i]),
                           row_output(ctx, t, &t->rows[i]), body, t->rows[i].loc);
    f->body = body;
    return f;
}

/* Rows with the wrong number of cells, or `-` as output, are reported and
 * left out. */
void ast_add_table(parse_ctx *ctx, const char *word, ast_loc word_loc, ast_name name,
                   parse_vec inputs, ast_type *output, parse_vec rows, ast_loc loc)
{
    if (ctx->oom || !ast_expect_word(ctx, word, "table", word_loc))
        return;
    ast_table *t = parse_alloc(ctx, sizeof *t);
    t->name = name;
    t->inputs = inputs.items;
    t->ninputs = inputs.count;
    t->output = output;
    t->loc = loc;
    parse_vec kept = {0};
    for (uint32_t i = 0; i < rows.count; i++) {
        ast_table_row *row = &((ast_table_row *)rows.items)[i];
        if (row->ncells != t->ninputs + 1) {
            parse_error(ctx, row->loc, "this row has %u cells; table '%s' needs %u: one per "
                        "input, then the output", row->ncells, name.name, t->ninputs + 1);
            continue;
        }
        if (!row->cells[t->ninputs].name) {
            parse_error(ctx, row->cells[t->ninputs].loc, "a row's output cannot be '-'");
            continue;
        }
        parse_vec_add(ctx, &kept, row, sizeof *row);
    }
    t->rows = kept.items;
    t->nrows = kept.count;
    if (ctx->oom)
        return;
    t->fn = table_fn(ctx, t);
    ast_add_item(ctx, ITEM_FN, t->fn);
    ast_add_item(ctx, ITEM_TABLE, t);
}
