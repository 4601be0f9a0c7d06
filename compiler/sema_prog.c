/*
 * sema_prog.c — programs: `extends`, clauses, tiers, program lets,
 * categories, requirements and parts, thresholds and overrides.  A
 * family is checked once, as written, and then stands for its members
 * (sema_family.c).
 */
#include <stdio.h>
#include <string.h>

#include "sema.h"

static const char *tn(sema *s, uint32_t t)
{
    return sema_type_name(s, t);
}

static scope *new_scope(sema *s, scope_kind kind, scope *parent, uint32_t file)
{
    scope *sc = arena_calloc(s->mem, 1, sizeof *sc);
    if (!sc) {
        s->c->oom = true;
        return NULL;
    }
    sc->kind = kind;
    sc->parent = parent;
    sc->file = file;
    return sc;
}

/* Check a program clause's expression: no window, an expected type. */
static void check_clause(sema *s, scope *sc, ast_expr *e, uint32_t want, const char *clause)
{
    if (!e)
        return;
    sema_ctx saved = s->ctx;
    s->ctx.clause = clause;
    s->ctx.reads = NULL;
    s->ctx.allow_sustained = false;
    char what[96];
    snprintf(what, sizeof what, "`%s`", clause);
    sema_check_assign(s, sc, e, want, what);
    s->ctx = saved;
}

/* ------------------------------------------------------------ tiers */

static void check_tiers(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    if (!p->tiers.count) {
        if (!pi->base)
            diag_error(s->diags, p->id_loc,
                       "program \"%s\" declares no tiers (tiers Select < Advanced by tier)",
                       p->id);
        return;
    }
    if (pi->base) {
        diag_error(s->diags, p->tiers.items[0].loc,
                   "the tiers of an extending program cannot change");
        return;
    }
    sema_ctx saved = s->ctx;
    s->ctx.clause = "tiers … by";
    s->ctx.reads = NULL;
    uint32_t t = p->tier_by ? sema_check_expr(s, pi->scope, p->tier_by) : TY_ERROR;
    s->ctx = saved;
    if (t == TY_ERROR)
        return;
    if (sema_kind(s, t, false) != TK_ENUM) {
        diag_error(s->diags, p->tier_by->loc, "`by` must name the partner's tier, an ordered "
                   "enum, found %s", tn(s, t));
        return;
    }
    const bc_module *m = s->b->m;
    uint32_t ei = m->types[t].arg;
    const bc_enum *en = &m->enums[ei];
    if (!en->ordered) {
        diag_error(s->diags, p->tier_by->loc, "%s is not ordered: declare its values with '<'",
                   tn(s, t));
        return;
    }
    pi->tier_values = arena_calloc(s->mem, p->tiers.count, sizeof(uint32_t));
    pi->tier_names = arena_calloc(s->mem, p->tiers.count, sizeof(char *));
    if (!pi->tier_values || !pi->tier_names)
        return;
    for (uint32_t i = 0; i < p->tiers.count; i++) {
        const ast_name *tier = &p->tiers.items[i];
        uint32_t v = BC_NONE;
        for (uint32_t j = 0; j < en->nvalues; j++)
            if (strcmp(module_str(m, en->values[j]), tier->name) == 0)
                v = j;
        if (v == BC_NONE) {
            diag_error(s->diags, tier->loc, "%s has no value '%s'", tn(s, t), tier->name);
            const char *cands[256];
            size_t n = 0;
            for (uint32_t j = 0; j < en->nvalues && n < 256; j++)
                cands[n++] = module_str(m, en->values[j]);
            const char *best = suggest_name(tier->name, cands, n);
            if (best)
                diag_hint(s->diags, "did you mean '%s'?", best);
            return;
        }
        if (i > 0 && v <= pi->tier_values[i - 1]) {
            diag_error(s->diags, tier->loc, "tiers must be in ascending order of %s: '%s' is "
                       "not above '%s'", tn(s, t), tier->name, p->tiers.items[i - 1].name);
            return;
        }
        pi->tier_values[i] = v;
        pi->tier_names[i] = tier->name;
    }
    pi->tier_enum = ei;
    pi->ntiers = p->tiers.count;
}

/* ------------------------------------------------------------ lets */

static let_info *new_let(sema *s, ast_let *let, let_level level, uint32_t file, scope *sc,
                         prog_info *pi)
{
    let_info *li = arena_calloc(s->mem, 1, sizeof *li);
    if (!li) {
        s->c->oom = true;
        return NULL;
    }
    li->ast = let;
    li->level = level;
    li->file = file;
    li->scope = sc;
    li->program = pi;
    li->module = s->c->files.items[file].module;
    let->sema = li;
    return li;
}

let_info *sema_effective_let(const prog_info *pi, let_info *li)
{
    if (li->level == LET_REQUIREMENT)
        return li;
    let_info *own = symtab_get(&pi->lets, li->ast->name.name);
    return own ? own : li;
}

/* A program's let redefines a let of the same name of its base or of a
 * module: the types must agree, and it may not start reading `window`. */
static void check_redefinition(sema *s, let_info *li, let_info *old)
{
    uint32_t nt = sema_let_type(s, li, li->ast->loc);
    uint32_t ot = sema_let_type(s, old, li->ast->loc);
    if (nt == TY_ERROR || ot == TY_ERROR)
        return;
    if (!module_type_equal(s->b->m, nt, ot))
        diag_error(s->diags, li->ast->name.loc,
                   "'%s' redefines a let of type %s with a value of type %s",
                   li->ast->name.name, tn(s, ot), tn(s, nt));
    else if (li->reads_window && !old->reads_window)
        diag_error(s->diags, li->ast->name.loc,
                   "'%s' redefines a let that does not read `window` with one that does",
                   li->ast->name.name);
}

static void declare_program_lets(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    for (uint32_t i = 0; i < p->nlets; i++) {
        ast_let *let = p->lets[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(p->lets[j]->name.name, let->name.name) == 0)
                diag_error(s->diags, let->name.loc, "'%s' is already declared in this program",
                           let->name.name);
        let_info *li = new_let(s, let, LET_PROGRAM, pi->file, pi->scope, pi);
        if (li && !symtab_put(&pi->lets, let->name.name, li))
            s->c->oom = true;
    }
    for (uint32_t i = 0; i < p->nlets; i++) {
        let_info *li = p->lets[i]->sema;
        if (!li)
            continue;
        let_info *old = pi->base ? symtab_get(&pi->base->lets, li->ast->name.name) : NULL;
        if (!old) {
            old = sema_find_let(s, pi->file, li->ast->name.name);
            if (old && !sema_visible(s, pi->file, old->file))
                old = NULL;
        }
        if (old)
            check_redefinition(s, li, old);
        else
            sema_let_type(s, li, li->ast->loc);
    }
}

/* ------------------------------------------------------------ thresholds */

uint8_t sema_req_unit(const sema *s, const ast_req *req, const ast_threshold *th)
{
    if (req->either)
        return UNIT_CHOICE;
    if (th->kind == THR_REQUIRED)
        return UNIT_BOOL;
    for (uint32_t i = 0; i < th->ncolumns; i++) {
        const ast_expr *c = th->columns[i];
        if (c && c->kind == EX_UNARY)
            c = c->u.unary.operand;
        if (!c)
            continue;
        if (c->kind == EX_MONEY)
            return UNIT_USD;
        if (c->kind == EX_DURATION)
            return UNIT_MONTHS;
        if (c->kind == EX_INT)
            return UNIT_COUNT;
    }
    /* Every column '-' or computed (per-item): the measure says. */
    uint32_t t = req->measure ? req->measure->sema.type : TY_ERROR;
    return t == s->t_money ? UNIT_USD : UNIT_COUNT;
}

bool sema_literal_column(const ast_expr *c)
{
    if (c->kind == EX_UNARY)
        c = c->u.unary.operand;
    return c->kind == EX_INT || c->kind == EX_MONEY || c->kind == EX_DURATION ||
           c->kind == EX_BOOL;
}

/* A threshold computed from the item of a per-item program, or from the
 * value of a family: a family's in a tiered program is worked out when the
 * rules compile (sema_family_thresholds), so it may not read the partner. */
static void check_computed_column(sema *s, prog_info *pi, scope *sc, ast_expr *c,
                                  uint32_t measure_type)
{
    sema_ctx saved = s->ctx;
    sema_reads reads = {0};
    s->ctx.reads = pi->per_item ? saved.reads : &reads;
    s->ctx.allow_sustained = false;
    uint32_t want = measure_type == TY_ERROR ? s->t_int : measure_type;
    bool ok = sema_check_assign(s, sc, c, want, "a computed threshold");
    s->ctx = saved;
    if (ok && reads.context) {
        diag_error(s->diags, c->loc, "a threshold computed in a tiered program is worked out "
                   "when the rules compile: it may read the family's value, not the partner, "
                   "as_of or window");
        c->sema.type = TY_ERROR; /* reported: not to be worked out */
    }
}

/* The measure type a threshold column compares with. */
static uint32_t column_type(sema *s, const ast_expr *c, ast_threshold_kind kind)
{
    if (kind == THR_REQUIRED)
        return s->t_bool;
    const ast_expr *lit = c->kind == EX_UNARY && c->u.unary.op == OPX_NEG ? c->u.unary.operand : c;
    switch (lit->kind) {
    case EX_INT:
        return s->t_int;
    case EX_MONEY:
        return s->t_money;
    case EX_DURATION:
        return lit->u.dur.unit == DUR_MONTHS ? s->t_int : TY_ERROR;
    default:
        return TY_ERROR;
    }
}

/* sc: the requirement's scope, where a column may be computed (per-item
 * programs, families); NULL where it may not (an override). */
static void check_threshold(sema *s, prog_info *pi, scope *sc, const ast_req *req,
                            const ast_threshold *th, uint32_t measure_type, bool sustained)
{
    if (th->kind == THR_NONE) {
        diag_error(s->diags, req->id.loc, "requirement '%s' has no threshold (at least …)",
                   req->id.name);
        return;
    }
    uint32_t ntiers = pi->ntiers;
    if (pi->per_item && th->ncolumns != 1) {
        diag_error(s->diags, th->loc, "a per-item program has no tiers: a threshold has one "
                   "column");
        return;
    }
    if (ntiers && th->ncolumns != 1 && th->ncolumns != ntiers) {
        strbuf names;
        sb_init(&names, s->alloc);
        for (uint32_t i = 0; i < ntiers; i++)
            sb_printf(&names, "%s%s", i ? ", " : "", pi->tier_names[i]);
        diag_error(s->diags, th->loc, "the threshold has %u columns but the program has %u "
                   "tiers (%s)", th->ncolumns, ntiers, names.data ? names.data : "");
        sb_free(&names);
        return;
    }
    if (th->kind != THR_REQUIRED && measure_type == s->t_bool) {
        diag_error(s->diags, th->loc, "a condition is met or not: its threshold is `required`, "
                   "not `at least` or `at most`");
        return;
    }
    uint8_t unit = sema_req_unit(s, req, th);
    bool any = false;
    for (uint32_t i = 0; i < th->ncolumns; i++) {
        const ast_expr *c = th->columns[i];
        if (!c)
            continue;
        any = true;
        if (th->kind == THR_REQUIRED) {
            if (c->kind != EX_BOOL || !c->u.b)
                diag_error(s->diags, c->loc, "a `required` column is `yes` or `-`");
            continue;
        }
        uint32_t ct = column_type(s, c, th->kind);
        scope *at = sc ? sc : pi->item_scope;
        if (ct == TY_ERROR && at && (pi->per_item || sema_family_around(at))) {
            check_computed_column(s, pi, at, th->columns[i], measure_type);
            continue;
        }
        if (ct == TY_ERROR) {
            diag_error(s->diags, c->loc, "a threshold is a number, an amount ($1,500) or a "
                       "number of months; '-' where the tier does not have it");
            continue;
        }
        uint8_t cu = c->kind == EX_DURATION ? UNIT_MONTHS
                     : ct == s->t_money    ? UNIT_USD
                                           : UNIT_COUNT;
        if (cu != unit) {
            diag_error(s->diags, c->loc, "the columns of a threshold must be of one kind");
            continue;
        }
        if (measure_type != TY_ERROR && !module_type_equal(s->b->m, ct, measure_type))
            diag_error(s->diags, c->loc, "the measure is %s but this threshold is %s",
                       tn(s, measure_type), unit == UNIT_USD ? "an amount of money" : "a number");
    }
    if (th->kind == THR_REQUIRED && measure_type != TY_ERROR && measure_type != s->t_bool)
        diag_error(s->diags, th->loc, "`required` needs a bool measure, found %s",
                   tn(s, measure_type));
    if (sustained && unit != UNIT_MONTHS)
        diag_error(s->diags, th->loc, "a sustained measure counts months: at least … 6 months");
    (void)any;
}

/* ------------------------------------------------------------ requirements */

static const ast_req *find_top(const prog_info *pi, const char *id)
{
    for (uint32_t c = 0; c < pi->ncategories; c++)
        for (uint32_t r = 0; r < pi->categories[c].reqs.count; r++)
            if (strcmp(pi->categories[c].reqs.items[r]->id.name, id) == 0)
                return pi->categories[c].reqs.items[r];
    return NULL;
}

static void suggest_requirement(sema *s, const prog_info *pi, const char *id)
{
    const char *cands[256];
    size_t n = 0;
    for (uint32_t c = 0; c < pi->ncategories; c++)
        for (uint32_t r = 0; r < pi->categories[c].reqs.count && n < 256; r++)
            cands[n++] = pi->categories[c].reqs.items[r]->id.name;
    const char *best = suggest_name(id, cands, n);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
}

static void check_sustained(sema *s, prog_info *pi, ast_expr *e)
{
    if (pi->per_item) {
        diag_error(s->diags, e->loc, "a per-item program has no tiers to be sustained");
        return;
    }
    bool found = false;
    for (uint32_t i = 0; i < pi->ntiers; i++)
        if (strcmp(pi->tier_names[i], e->u.sustained.tier) == 0)
            found = true;
    if (!found && pi->ntiers)
        diag_error(s->diags, e->u.sustained.tier_loc, "'%s' is not a tier of this program",
                   e->u.sustained.tier);
    for (uint32_t i = 0; i < e->u.sustained.nexcept; i++) {
        if (!find_top(pi, e->u.sustained.except[i])) {
            diag_error(s->diags, e->u.sustained.except_locs[i], "no requirement '%s' in this "
                       "program", e->u.sustained.except[i]);
            suggest_requirement(s, pi, e->u.sustained.except[i]);
        }
    }
}

static void check_condition(sema *s, scope *sc, ast_expr *e, const char *what)
{
    if (!e)
        return;
    sema_ctx saved = s->ctx;
    s->ctx.allow_sustained = false;
    uint32_t t = sema_check_expr(s, sc, e);
    if (t != TY_ERROR && t != s->t_bool)
        diag_error(s->diags, e->loc, "%s must be bool, found %s", what, tn(s, t));
    s->ctx = saved;
}

static void check_req(sema *s, prog_info *pi, scope *parent, ast_req *req, bool time_bound);

/* A requirement or part as written; a family's member through its
 * template, checked once for the whole family. */
static void check_written(sema *s, prog_info *pi, scope *parent, ast_req *req, bool time_bound)
{
    if (!req->template_req) {
        check_req(s, pi, parent, req, time_bound);
        return;
    }
    if (req->member == 0) {
        check_req(s, pi, parent, req->template_req, time_bound);
        sema_family_share_parts(req->template_req);
    }
}

static void check_parts(sema *s, prog_info *pi, scope *sc, ast_req *req, bool time_bound)
{
    sema_expand_families(s, sc, &req->parts);
    for (uint32_t i = 0; i < req->parts.count; i++) {
        ast_req *part = req->parts.items[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(req->parts.items[j]->id.name, part->id.name) == 0)
                diag_error(s->diags, part->id.loc, "'%s' already has a part '%s'",
                           req->id.name, part->id.name);
        check_written(s, pi, sc, part, time_bound);
    }
}

static void check_req(sema *s, prog_info *pi, scope *parent, ast_req *req, bool time_bound)
{
    time_bound = time_bound || req->time_bound;
    if (!req->family && strchr(req->id.name, '{')) {
        diag_error(s->diags, req->id.loc, "'%s' names a family's value, but the requirement is "
                   "not a family", req->id.name);
        diag_hint(s->diags, "add `for each NAME in VALUES` after its title");
    }
    scope *sc = new_scope(s, SC_REQ, parent, pi->file);
    if (!sc)
        return;
    sc->req = req;
    sc->time_bound = time_bound;
    if (pi->per_item && req->nlets)
        diag_error(s->diags, req->lets[0]->name.loc, "a requirement of a per-item program "
                   "cannot have `let`: its value would be computed once, not per item");
    for (uint32_t i = 0; i < req->nlets; i++) {
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(req->lets[j]->name.name, req->lets[i]->name.name) == 0)
                diag_error(s->diags, req->lets[i]->name.loc,
                           "'%s' is already declared in this requirement",
                           req->lets[i]->name.name);
        new_let(s, req->lets[i], LET_REQUIREMENT, pi->file, sc, pi);
    }
    for (uint32_t i = 0; i < req->nlets; i++)
        if (req->lets[i]->sema)
            sema_let_type(s, req->lets[i]->sema, req->lets[i]->loc);

    if (req->either) {
        if (req->measure)
            diag_error(s->diags, req->measure->loc, "an `either` requirement has no measure "
                       "of its own: its parts are the alternatives");
        if (req->parts.count < 2)
            diag_error(s->diags, req->id.loc, "an `either` requirement needs at least two "
                       "parts");
    } else if (!req->measure) {
        diag_error(s->diags, req->id.loc, "requirement '%s' has no measure (count(…) at least "
                   "…)", req->id.name);
    } else {
        sema_ctx saved = s->ctx;
        sema_reads reads = {0};
        s->ctx.reads = &reads;
        s->ctx.allow_sustained = true;
        uint32_t t = sema_check_expr(s, sc, req->measure);
        s->ctx = saved;
        bool sustained = req->measure->kind == EX_SUSTAINED;
        if (sustained)
            check_sustained(s, pi, req->measure);
        if (reads.window && pi->per_item)
            diag_error(s->diags, reads.window_loc, "a per-item program has no `window`: "
                       "write the interval, (as_of - 12 months, as_of]");
        else if (reads.window && !time_bound)
            diag_error(s->diags, req->measure->loc, "'%s' is not time_bound but its measure "
                       "reads `window` (through a let)", req->id.name);
        if (t == TY_NULL || t == TY_SET || t == TY_DUR_DAYS || t == TY_DUR_MONTHS) {
            diag_error(s->diags, req->measure->loc, "a measure is a count, an amount or a "
                       "condition");
            t = TY_ERROR;
        } else if (t != TY_ERROR && t != s->t_int && t != s->t_money && t != s->t_bool) {
            diag_error(s->diags, req->measure->loc, "a measure is an int, money or bool, "
                       "found %s", tn(s, t));
            if (sema_kind(s, t, false) == TK_LIST)
                diag_hint(s->diags, "count(…) gives the number of elements");
            else if (sema_is_optional(s, t))
                diag_hint(s->diags, "it may be null: give a default with ??");
            t = TY_ERROR;
        }
        check_threshold(s, pi, sc, req, &req->threshold, t, sustained);
    }
    check_condition(s, sc, req->na_when, "`not_applicable when`");
    check_condition(s, sc, req->grace_when, "`grace when`");
    check_condition(s, sc, req->at_risk_when, "`at_risk when`");
    check_parts(s, pi, sc, req, time_bound);
}

/* A second requirement of one id; either may be a family's member. */
static void report_duplicate(sema *s, const ast_req *req, const ast_req *first)
{
    if (req->template_req)
        diag_error(s->diags, req->id.loc, "the family '%s' makes the requirement '%s', which "
                   "is already declared at line %u", req->template_req->id.name, req->id.name,
                   first->id.loc.line);
    else if (first->template_req)
        diag_error(s->diags, req->id.loc, "requirement '%s' is already declared at line %u, "
                   "by the family '%s'", req->id.name, first->id.loc.line,
                   first->template_req->id.name);
    else
        diag_error(s->diags, req->id.loc, "requirement '%s' is already declared at line %u",
                   req->id.name, first->id.loc.line);
}

/* The program's own categories; first their families become members, so
 * that every requirement's id is known (`sustained … except`). */
static void check_categories(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    scope *sc = pi->per_item ? pi->item_scope : pi->scope;
    uint32_t inherited = pi->ncategories - p->ncategories;
    for (uint32_t c = 0; c < p->ncategories; c++) {
        sema_expand_families(s, sc, &p->categories[c].reqs);
        if (pi->categories && pi->categories != p->categories)
            pi->categories[inherited + c].reqs = p->categories[c].reqs;
    }
    for (uint32_t c = 0; c < p->ncategories; c++) {
        ast_category *cat = &p->categories[c];
        for (uint32_t r = 0; r < cat->reqs.count; r++) {
            ast_req *req = cat->reqs.items[r];
            const ast_req *first = find_top(pi, req->id.name);
            if (first && first != req && !(first->template_req &&
                                           first->template_req == req->template_req))
                report_duplicate(s, req, first);
            check_written(s, pi, sc, req, false);
        }
    }
    if (sema_family_size_ok(s, pi) && !pi->per_item)
        sema_family_thresholds(s, pi);
}

/* ------------------------------------------------------------ overrides */

/* The requirement or part at a dotted path ("technical_certified.pro"). */
static const ast_req *find_path(const prog_info *pi, const char *path)
{
    char head[256];
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    if (n >= sizeof head)
        return NULL;
    memcpy(head, path, n);
    head[n] = '\0';
    const ast_req *r = find_top(pi, head);
    while (r && dot) {
        const char *seg = dot + 1;
        dot = strchr(seg, '.');
        n = dot ? (size_t)(dot - seg) : strlen(seg);
        const ast_req *next = NULL;
        for (uint32_t i = 0; i < r->parts.count; i++)
            if (strlen(r->parts.items[i]->id.name) == n &&
                memcmp(r->parts.items[i]->id.name, seg, n) == 0)
                next = r->parts.items[i];
        r = next;
    }
    return r;
}

static void check_overrides(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    for (uint32_t i = 0; i < p->overrides.count; i++) {
        ast_req *o = p->overrides.items[i];
        if (!pi->base) {
            diag_error(s->diags, o->id.loc, "only a program that extends another changes "
                       "thresholds this way");
            diag_hint(s->diags, "write the threshold in the requirement itself");
            continue;
        }
        const ast_req *target = find_path(pi, o->id.name);
        if (!target) {
            diag_error(s->diags, o->id.loc, "no requirement '%s' to change in this program",
                       o->id.name);
            suggest_requirement(s, pi, o->id.name);
            continue;
        }
        if (target->either) {
            diag_error(s->diags, o->id.loc, "'%s' has no threshold of its own; change its "
                       "parts'", o->id.name);
            continue;
        }
        if (sema_req_unit(s, target, &o->threshold) !=
            sema_req_unit(s, target, &target->threshold)) {
            diag_error(s->diags, o->threshold.loc, "the new threshold of '%s' must be of the "
                       "same kind as the old", o->id.name);
            continue;
        }
        uint32_t mt = target->measure ? target->measure->sema.type : TY_ERROR;
        check_threshold(s, pi, NULL, target, &o->threshold, mt,
                        target->measure && target->measure->kind == EX_SUSTAINED);
        if (!symtab_put(&pi->overrides, o->id.name, &o->threshold))
            s->c->oom = true;
    }
}

/* ------------------------------------------------------------ programs */

static void inherit(sema *s, prog_info *pi)
{
    prog_info *b = pi->base;
    for (uint32_t i = 0; i < b->lets.len; i++)
        if (!symtab_put(&pi->lets, b->lets.items[i].key, b->lets.items[i].value))
            s->c->oom = true;
    for (uint32_t i = 0; i < b->overrides.len; i++)
        if (!symtab_put(&pi->overrides, b->overrides.items[i].key, b->overrides.items[i].value))
            s->c->oom = true;
    pi->applies = b->applies;
    pi->tier_by = b->tier_by;
    pi->rolling = b->rolling;
    pi->renewal = b->renewal;
    pi->due = b->due;
    pi->tier_enum = b->tier_enum;
    pi->ntiers = b->ntiers;
    pi->tier_values = b->tier_values;
    pi->tier_names = b->tier_names;
}

/* The categories of a program: its base's, then its own. */
static void gather_categories(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    if (!pi->base) {
        pi->categories = p->categories;
        pi->ncategories = p->ncategories;
        return;
    }
    uint32_t n = pi->base->ncategories + p->ncategories;
    ast_category *all = arena_calloc(s->mem, n ? n : 1, sizeof *all);
    if (!all)
        return;
    /* memcpy from NULL is undefined even for 0 bytes: a program may have
     * no categories of its own. */
    if (pi->base->ncategories)
        memcpy(all, pi->base->categories, pi->base->ncategories * sizeof *all);
    if (p->ncategories)
        memcpy(all + pi->base->ncategories, p->categories, p->ncategories * sizeof *all);
    pi->categories = all;
    pi->ncategories = n;
}

static bool resolve_base(sema *s, prog_info *pi);

/* Tiers and the two views: what a program that is not per item needs. */
static void check_tiered_clauses(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    if (p->nerrors)
        diag_error(s->diags, p->errors[0].loc, "`error when` is a clause of per-item programs "
                   "(for each … label …): its condition is about one item");
    check_tiers(s, pi);
    check_clause(s, pi->scope, p->rolling, s->t_interval, "rolling window");
    check_clause(s, pi->scope, p->renewal, s->t_interval, "renewal window");
    check_clause(s, pi->scope, p->due, s->t_date, "due");
    if (!pi->rolling)
        diag_error(s->diags, p->id_loc, "program \"%s\" needs a `rolling window`", p->id);
    if (!pi->renewal)
        diag_error(s->diags, p->id_loc, "program \"%s\" needs a `renewal window … due …`",
                   p->id);
    else if (!pi->due)
        diag_error(s->diags, pi->renewal->loc, "the renewal window needs `due` and the review "
                   "date");
    if (!pi->ntiers)
        pi->failed = true;
}

static void check_program(sema *s, prog_info *pi)
{
    if (pi->state == 2)
        return;
    pi->state = 1;
    ast_program *p = pi->ast;
    scope *file_scope = new_scope(s, SC_FILE, NULL, pi->file);
    pi->scope = new_scope(s, SC_PROGRAM, file_scope, pi->file);
    if (!pi->scope)
        return;
    pi->scope->program = pi;
    if (!resolve_base(s, pi)) {
        /* Without its base, what the program lacks cannot be judged:
         * say nothing more about it than why the base is missing. */
        pi->failed = true;
        pi->state = 2;
        return;
    }
    if (pi->base)
        inherit(s, pi);
    gather_categories(s, pi);
    declare_program_lets(s, pi);
    if (p->applies)
        pi->applies = p->applies;
    if (p->rolling)
        pi->rolling = p->rolling;
    if (p->renewal) {
        pi->renewal = p->renewal;
        pi->due = p->due;
    }
    if (p->tier_by)
        pi->tier_by = p->tier_by;
    check_clause(s, pi->scope, p->applies, s->t_bool, "applies when");
    if (p->each.name)
        sema_check_per_item(s, pi);
    else
        check_tiered_clauses(s, pi);
    sema_check_reports(s, pi);
    check_categories(s, pi);
    check_overrides(s, pi);
    pi->state = 2;
}

static bool resolve_base(sema *s, prog_info *pi)
{
    ast_program *p = pi->ast;
    if (!p->extends)
        return true;
    prog_info *b = symtab_get(&s->programs, p->extends);
    if (!b) {
        diag_error(s->diags, p->extends_loc, "unknown program \"%s\"", p->extends);
        diag_hint(s->diags, "import the module that declares it");
        return false;
    }
    if (b->state == 1) {
        diag_error(s->diags, p->extends_loc, "program \"%s\" extends itself (through \"%s\")",
                   p->id, p->extends);
        return false;
    }
    check_program(s, b);
    pi->base = b;
    return !b->failed;
}

void sema_check_programs(sema *s)
{
    for (uint32_t i = 0; i < s->program_list.len; i++)
        check_program(s, s->program_list.items[i]);
}
