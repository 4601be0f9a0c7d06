/*
 * sema_items.c — the clauses that go over a list: a per-item program's
 * `for each NAME in LIST label EXPR` and `error when`, and the report
 * lists of `for each NAME in LIST report OUTPUT` (docs/language.md,
 * "Per-item programs" and "Report lists").
 *
 * Each gets a scope for one element: the element's fields are names, and
 * so is the element itself, by the name after `for each`.  Requirements of
 * a per-item program are checked in the item's scope; lowering gives their
 * chunks the item as parameter 0.
 */
#include <stdio.h>
#include <string.h>

#include "sema.h"

static const char *tn(sema *s, uint32_t t)
{
    return sema_type_name(s, t);
}

scope *sema_elem_scope(sema *s, scope *parent, uint32_t elem_type, const char *elem_name)
{
    scope *sc = arena_calloc(s->mem, 1, sizeof *sc);
    if (!sc) {
        s->c->oom = true;
        return NULL;
    }
    sc->kind = SC_ELEM;
    sc->parent = parent;
    sc->file = parent->file;
    sc->elem_type = elem_type;
    sc->elem_name = elem_name;
    for (const scope *p = parent; p; p = p->parent) {
        if (p->nlocals) {
            sc->first_local = p->first_local + p->nlocals;
            break;
        }
    }
    sc->nlocals = 1;
    return sc;
}

/* Check a clause's expression with no window and nothing tracked. */
static uint32_t check_clause_expr(sema *s, scope *sc, ast_expr *e, const char *clause)
{
    sema_ctx saved = s->ctx;
    s->ctx.clause = clause;
    s->ctx.reads = NULL;
    s->ctx.allow_sustained = false;
    uint32_t t = sema_check_expr(s, sc, e);
    s->ctx = saved;
    return t;
}

/* The element type of the list a clause goes over: records, never null.
 * TY_ERROR after reporting. */
static uint32_t record_elements(sema *s, scope *sc, ast_expr *list, const char *clause)
{
    uint32_t t = check_clause_expr(s, sc, list, clause);
    if (t == TY_ERROR)
        return TY_ERROR;
    bool ok = t < TY_SET && sema_kind(s, t, true) == TK_LIST;
    uint32_t elem = ok ? sema_elem(s, sema_base(s, t)) : TY_ERROR;
    if (!ok || elem == TY_ERROR || sema_is_optional(s, elem) ||
        sema_record_of(s, elem) == BC_NONE) {
        diag_error(s->diags, list->loc, "`%s` goes over a list of records, found %s", clause,
                   t < TY_SET ? tn(s, t) : "a value that is not a list");
        return TY_ERROR;
    }
    return elem;
}

/* Columns and error arguments are printed: scalars only. */
static bool is_printable(sema *s, uint32_t t)
{
    if (t >= TY_SET)
        return false;
    switch (sema_kind(s, t, true)) {
    case TK_INT:
    case TK_MONEY:
    case TK_DATE:
    case TK_MONTH:
    case TK_BOOL:
    case TK_STRING:
    case TK_ENUM:
        return true;
    default:
        return false;
    }
}

static void check_printable(sema *s, scope *sc, ast_expr *e, const char *what)
{
    uint32_t t = check_clause_expr(s, sc, e, what);
    if (t != TY_ERROR && !is_printable(s, t))
        diag_error(s->diags, e->loc, "%s is printed, so it must be a single value (int, money, "
                   "date, month, bool, string or an enum), found %s", what,
                   t < TY_SET ? tn(s, t) : "a set");
}

static void check_item_error(sema *s, prog_info *pi, ast_item_error *err)
{
    uint32_t t = check_clause_expr(s, pi->item_scope, err->when, "error when");
    if (t != TY_ERROR && t != s->t_bool)
        diag_error(s->diags, err->when->loc, "`error when` must be bool, found %s",
                   t < TY_SET ? tn(s, t) : "a set");
    for (uint32_t i = 0; i < err->nargs; i++)
        check_printable(s, pi->item_scope, err->args[i], "a {value} of a message");
}

void sema_check_per_item(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    pi->per_item = true;
    if (p->extends)
        diag_error(s->diags, p->extends_loc, "a per-item program cannot extend another");
    if (p->tiers.count)
        diag_error(s->diags, p->tiers.items[0].loc, "a per-item program has no tiers: each "
                   "item is ready or not");
    if (p->rolling || p->renewal)
        diag_error(s->diags, (p->rolling ? p->rolling : p->renewal)->loc,
                   "a per-item program has no views: write the dates into the measures");
    pi->item_type = record_elements(s, pi->scope, p->items, "for each");
    if (pi->item_type == TY_ERROR) {
        pi->failed = true;
        return;
    }
    pi->item_scope = sema_elem_scope(s, pi->scope, pi->item_type, p->each.name);
    if (!pi->item_scope) {
        pi->failed = true;
        return;
    }
    if (p->item_label)
        sema_check_assign(s, pi->item_scope, p->item_label, sema_optional(s, s->t_string),
                          "`label`");
    for (uint32_t i = 0; i < p->nerrors; i++)
        check_item_error(s, pi, &p->errors[i]);
}

static void check_report(sema *s, prog_info *pi, uint32_t index)
{
    ast_report *r = &pi->ast->reports[index];
    for (uint32_t i = 0; i < index; i++)
        if (strcmp(pi->ast->reports[i].name.name, r->name.name) == 0)
            diag_error(s->diags, r->name.loc, "report '%s' is already declared at line %u",
                       r->name.name, pi->ast->reports[i].name.loc.line);
    if (!r->ncolumns)
        diag_error(s->diags, r->name.loc, "report '%s' has no columns: write one per line, "
                   "under it, as `kind = kind`", r->name.name);
    uint32_t elem = record_elements(s, pi->scope, r->items, "report");
    if (elem == TY_ERROR)
        return;
    scope *sc = sema_elem_scope(s, pi->scope, elem, r->each.name);
    pi->report_scopes[index] = sc;
    if (!sc)
        return;
    for (uint32_t c = 0; c < r->ncolumns; c++) {
        ast_report_column *col = &r->columns[c];
        for (uint32_t k = 0; k < c; k++)
            if (strcmp(r->columns[k].name.name, col->name.name) == 0)
                diag_error(s->diags, col->name.loc, "report '%s' already has a column '%s'",
                           r->name.name, col->name.name);
        char what[160];
        snprintf(what, sizeof what, "column '%s'", col->name.name);
        check_printable(s, sc, col->value, what);
    }
}

void sema_check_reports(sema *s, prog_info *pi)
{
    uint32_t n = pi->ast->nreports;
    if (!n)
        return;
    pi->report_scopes = arena_calloc(s->mem, n, sizeof *pi->report_scopes);
    if (!pi->report_scopes) {
        s->c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        check_report(s, pi, i);
}
