/*
 * sema_expr.c — name resolution and type checking of expressions, lets and
 * function bodies (docs/language.md, "Expressions").
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sema.h"

/* ------------------------------------------------------------ builtins */

typedef struct builtin {
    const char *name;
    builtin_id id;
    uint8_t min_args, max_args;
} builtin;

static const builtin builtins[] = {
    {"count", BI_COUNT, 1, 1},
    {"sum", BI_SUM, 1, 1},
    {"max", BI_MAX, 1, 2},
    {"min", BI_MIN, 1, 2},
    {"distinct", BI_DISTINCT, 1, 1},
    {"length", BI_LENGTH, 1, 1},
    {"is_digits", BI_IS_DIGITS, 1, 1},
    {"add_days", BI_ADD_DAYS, 2, 2},
    {"add_months", BI_ADD_MONTHS, 2, 2},
    {"days_between", BI_DAYS_BETWEEN, 2, 2},
    {"months_between", BI_MONTHS_BETWEEN, 2, 2},
    {"business_days_between", BI_BUSINESS_DAYS_BETWEEN, 2, 2},
    {"first_day", BI_FIRST_DAY, 1, 1},
    {"month_of", BI_MONTH_OF, 1, 1},
    {"get", BI_GET, 2, 2},
};

#define NBUILTINS (sizeof builtins / sizeof builtins[0])

int sema_builtin_id(const char *name)
{
    for (size_t i = 0; i < NBUILTINS; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------ helpers */

static uint32_t check(sema *s, scope *sc, ast_expr *e);
static uint32_t check_if(sema *s, scope *sc, ast_expr *e, uint32_t want);
static uint32_t check_expecting(sema *s, scope *sc, ast_expr *e, uint32_t t);
static void check_set(sema *s, scope *sc, ast_expr *set, uint32_t xt);

static bool is_error(uint32_t t)
{
    return t == TY_ERROR;
}

static const char *tn(sema *s, uint32_t t)
{
    return sema_type_name(s, t);
}

static bool in_fn(const scope *sc)
{
    for (; sc; sc = sc->parent)
        if (sc->kind == SC_FN)
            return true;
    return false;
}

static const scope *enclosing_req(const scope *sc)
{
    for (; sc; sc = sc->parent)
        if (sc->kind == SC_REQ)
            return sc;
    return NULL;
}

uint32_t sema_local_type(const scope *sc, uint32_t k)
{
    for (; sc; sc = sc->parent) {
        if (sc->nlocals && k >= sc->first_local && k < sc->first_local + sc->nlocals) {
            if (sc->kind == SC_ELEM)
                return sc->elem_type;
            return sc->fn->param_types[k - sc->first_local];
        }
    }
    return TY_ERROR;
}

static uint32_t locals_in(const scope *sc)
{
    for (; sc; sc = sc->parent)
        if (sc->nlocals)
            return sc->first_local + sc->nlocals;
    return 0;
}

static void note_reads_context(sema *s)
{
    if (s->ctx.reads)
        s->ctx.reads->context = true;
}

static void note_reads_window(sema *s, ast_loc loc)
{
    if (s->ctx.reads) {
        if (!s->ctx.reads->window)
            s->ctx.reads->window_loc = loc;
        s->ctx.reads->context = true;
        s->ctx.reads->window = true;
    }
}

static bool is_scalar_kind(type_kind k)
{
    return k == TK_INT || k == TK_MONEY || k == TK_DATE || k == TK_MONTH ||
           k == TK_BOOL || k == TK_STRING || k == TK_ENUM || k == TK_INTERVAL;
}

static bool is_ordered(const sema *s, uint32_t t)
{
    type_kind k = sema_kind(s, t, true);
    if (k == TK_ENUM) {
        const bc_module *m = s->b->m;
        return m->enums[m->types[sema_base(s, t)].arg].ordered;
    }
    return k == TK_INT || k == TK_MONEY || k == TK_DATE || k == TK_MONTH || k == TK_STRING;
}

static bool is_numeric(const sema *s, uint32_t t)
{
    type_kind k = sema_kind(s, t, true);
    return k == TK_INT || k == TK_MONEY;
}

/* The type of an arithmetic result: optional when either operand is. */
static uint32_t maybe_optional(sema *s, uint32_t result, uint32_t a, uint32_t b)
{
    if (sema_is_optional(s, a) || sema_is_optional(s, b))
        return sema_optional(s, result);
    return result;
}

/* A value of an analysis-only type where a real value is needed. */
static bool require_value(sema *s, ast_expr *e, uint32_t t)
{
    switch (t) {
    case TY_NULL:
        diag_error(s->diags, e->loc, "the type of null is unknown here");
        return false;
    case TY_DUR_DAYS:
    case TY_DUR_MONTHS:
        diag_error(s->diags, e->loc,
                   "a duration is not a value: add it to a date (as_of - 12 months)");
        return false;
    case TY_SET:
        diag_error(s->diags, e->loc, "a set {…} may only follow `in`");
        return false;
    default:
        return true;
    }
}

void sema_settle_null(sema *s, ast_expr *e, uint32_t type)
{
    if (e->sema.type != TY_NULL)
        return;
    e->sema.type = sema_optional(s, type);
    if (e->kind == EX_IF) {
        sema_settle_null(s, e->u.if_.then_, type);
        sema_settle_null(s, e->u.if_.else_, type);
    } else if (e->kind == EX_BINARY && e->u.binary.op == OPX_COALESCE) {
        sema_settle_null(s, e->u.binary.left, type);
        sema_settle_null(s, e->u.binary.right, type);
    }
}

static bool assignable(const sema *s, uint32_t from, uint32_t to)
{
    if (is_error(from) || is_error(to) || from == to)
        return true;
    if (from == TY_NULL)
        return sema_is_optional(s, to);
    if (sema_is_optional(s, to) && !sema_is_optional(s, from))
        return module_type_equal(s->b->m, from, sema_base(s, to));
    return module_type_equal(s->b->m, from, to);
}

bool sema_check_assign(sema *s, scope *sc, ast_expr *e, uint32_t want, const char *what)
{
    uint32_t got = check_expecting(s, sc, e, want);
    if (is_error(got) || is_error(want))
        return true;
    if (got == TY_NULL && sema_is_optional(s, want)) {
        sema_settle_null(s, e, sema_base(s, want));
        return true;
    }
    if (!require_value(s, e, got))
        return false;
    if (!assignable(s, got, want)) {
        diag_error(s->diags, e->loc, "%s must be %s, found %s", what, tn(s, want), tn(s, got));
        return false;
    }
    return true;
}

static uint32_t check_bool(sema *s, scope *sc, ast_expr *e, const char *what)
{
    uint32_t t = check(s, sc, e);
    if (is_error(t))
        return t;
    if (!require_value(s, e, t))
        return TY_ERROR;
    if (t != s->t_bool) {
        diag_error(s->diags, e->loc, "%s must be bool, found %s", what, tn(s, t));
        if (sema_kind(s, t, true) == TK_BOOL)
            diag_hint(s->diags, "it may be null: write `x == true` or `x ?? false`");
        return TY_ERROR;
    }
    return t;
}

/* ------------------------------------------------------------ names */

typedef struct lookup {
    ref_kind ref;
    uint32_t index;
    void *target;
    uint32_t type;
} lookup;

static bool lookup_local_field(sema *s, const scope *sc, const char *name, lookup *out)
{
    uint32_t rec = sema_record_of(s, sc->elem_type);
    if (rec == BC_NONE)
        return false;
    uint32_t slot = sema_field_slot(s, rec, name);
    if (slot == BC_NONE)
        return false;
    uint32_t ft = sema_field_type(s, rec, slot);
    if (ft == TY_ERROR) {
        out->ref = REF_LOCAL_FIELD;
        out->index = sc->first_local;
        out->target = (void *)(uintptr_t)slot;
        out->type = TY_ERROR;
        return true;
    }
    type_kind fk = sema_kind(s, ft, false);
    out->ref = REF_LOCAL_FIELD;
    out->index = sc->first_local;
    out->target = (void *)(uintptr_t)slot;
    out->type = sema_is_optional(s, sc->elem_type) && fk != TK_LIST && fk != TK_MAP
                    ? sema_optional(s, ft)
                    : ft;
    return true;
}

static let_info *req_let(const ast_req *req, const char *name)
{
    for (uint32_t i = 0; i < req->nlets; i++)
        if (strcmp(req->lets[i]->name.name, name) == 0)
            return req->lets[i]->sema;
    return NULL;
}

/* Resolve a bare name without reporting; lets are not typed yet. */
static bool lookup_value(sema *s, const scope *sc, const char *name, lookup *out)
{
    bool fn_body = in_fn(sc);
    for (const scope *p = sc; p; p = p->parent) {
        switch (p->kind) {
        case SC_ELEM:
            if (p->elem_name && strcmp(p->elem_name, name) == 0) {
                out->ref = REF_LOCAL;
                out->index = p->first_local;
                out->target = NULL;
                out->type = p->elem_type;
                return true;
            }
            if (lookup_local_field(s, p, name, out))
                return true;
            break;
        case SC_FN:
            for (uint32_t i = 0; i < p->fn->ast->nparams; i++) {
                if (strcmp(p->fn->ast->params[i].name.name, name) == 0) {
                    out->ref = REF_LOCAL;
                    out->index = p->first_local + i;
                    out->target = NULL;
                    out->type = p->fn->param_types[i];
                    return true;
                }
            }
            break;
        case SC_REQ: {
            let_info *li = req_let(p->req, name);
            if (li) {
                out->ref = REF_LET;
                out->target = li;
                return true;
            }
            const ast_family *fam = p->req->family;
            if (fam && strcmp(fam->bound.name, name) == 0) {
                const family_info *fi = fam->sema;
                out->ref = REF_FAMILY;
                out->target = fam->sema;
                out->type = fi ? fi->type : TY_ERROR;
                return true;
            }
            break;
        }
        case SC_PROGRAM: {
            let_info *li = symtab_get(&p->program->lets, name);
            if (li) {
                out->ref = REF_LET;
                out->target = li;
                return true;
            }
            break;
        }
        case SC_FILE: {
            let_info *li = sema_find_let(s, p->file, name);
            if (li && sema_visible(s, p->file, li->file)) {
                out->ref = REF_LET;
                out->target = li;
                return true;
            }
            if (!fn_body && s->root_record != BC_NONE) {
                uint32_t slot = sema_field_slot(s, s->root_record, name);
                if (slot != BC_NONE) {
                    out->ref = REF_ROOT_FIELD;
                    out->index = slot;
                    out->target = NULL;
                    out->type = sema_field_type(s, s->root_record, slot);
                    return true;
                }
            }
            break;
        }
        }
    }
    return false;
}

ref_kind sema_name_ref(sema *s, const scope *sc, const char *name)
{
    lookup l = {0};
    return lookup_value(s, sc, name, &l) ? l.ref : REF_NONE;
}

static void add_record_fields(sema *s, uint32_t rec, const char **cands, size_t *n, size_t max)
{
    const bc_module *m = s->b->m;
    for (uint32_t i = 0; rec != BC_NONE && i < m->records[rec].nfields && *n < max; i++)
        cands[(*n)++] = module_str(m, m->records[rec].fields[i].name);
}

/* Every name visible from sc, for "did you mean". */
static size_t visible_names(sema *s, const scope *sc, const char **cands, size_t max)
{
    size_t n = 0;
    bool fn_body = in_fn(sc);
    for (const scope *p = sc; p; p = p->parent) {
        switch (p->kind) {
        case SC_ELEM:
            if (p->elem_name && n < max)
                cands[n++] = p->elem_name;
            add_record_fields(s, sema_record_of(s, p->elem_type), cands, &n, max);
            break;
        case SC_FN:
            for (uint32_t i = 0; i < p->fn->ast->nparams && n < max; i++)
                cands[n++] = p->fn->ast->params[i].name.name;
            break;
        case SC_REQ:
            for (uint32_t i = 0; i < p->req->nlets && n < max; i++)
                cands[n++] = p->req->lets[i]->name.name;
            if (p->req->family && n < max)
                cands[n++] = p->req->family->bound.name;
            break;
        case SC_PROGRAM:
            for (uint32_t i = 0; i < p->program->lets.len && n < max; i++)
                if (p->program->lets.items[i].key)
                    cands[n++] = p->program->lets.items[i].key;
            break;
        case SC_FILE:
            for (uint32_t i = 0; i < s->lets.len && n < max; i++) {
                let_info *li = s->lets.items[i].key ? s->lets.items[i].value : NULL;
                if (li && sema_visible(s, p->file, li->file))
                    cands[n++] = s->lets.items[i].key;
            }
            if (!fn_body)
                add_record_fields(s, s->root_record, cands, &n, max);
            break;
        }
    }
    return n;
}

static bool module_known(const sema *s, uint32_t file)
{
    return s->c->files.items[file].module != NULL;
}

static void report_unknown_name(sema *s, const scope *sc, ast_expr *e)
{
    const char *name = e->u.name;
    diag_error(s->diags, e->loc, "unknown name '%s'", name);
    const char *cands[1024];
    size_t n = visible_names(s, sc, cands, 1024);
    const char *best = suggest_name(name, cands, n);
    if (best) {
        diag_hint(s->diags, "did you mean '%s'?", best);
        return;
    }
    let_info *li = symtab_get(&s->lets, name);
    if (in_fn(sc) && s->root_record != BC_NONE &&
        sema_field_slot(s, s->root_record, name) != BC_NONE)
        diag_hint(s->diags, "a function sees only its parameters: pass '%s' as one", name);
    else if (li && module_known(s, li->file))
        diag_hint(s->diags, "'%s' is declared in %s, which this file does not import", name,
                  sema_origin(s, li->file));
    else if (li)
        diag_hint(s->diags, "'%s' is declared in %s, which cannot be imported: give it a "
                  "`module` line", name, sema_origin(s, li->file));
}

static void apply_lookup(ast_expr *e, const lookup *l)
{
    e->sema.ref = (uint8_t)l->ref;
    e->sema.index = l->index;
    e->sema.target = l->target;
}

/* The type of a let used at `use`, and what reading it implies. */
static uint32_t use_let(sema *s, const scope *sc, let_info *li, ast_loc use)
{
    uint32_t t = sema_let_type(s, li, use);
    if (li->reads_context)
        note_reads_context(s);
    if (li->reads_window && s->ctx.reads && !s->ctx.reads->window) {
        s->ctx.reads->window = true;
        s->ctx.reads->window_loc = use;
    }
    if (in_fn(sc) && li->reads_context) {
        diag_error(s->diags, use,
                   "a function cannot read '%s': it depends on the partner or the date",
                   li->ast->name.name);
        diag_hint(s->diags, "pass the value as a parameter");
        return TY_ERROR;
    }
    return t;
}

static uint32_t check_name(sema *s, scope *sc, ast_expr *e)
{
    lookup l = {0};
    if (!lookup_value(s, sc, e->u.name, &l)) {
        report_unknown_name(s, sc, e);
        return TY_ERROR;
    }
    apply_lookup(e, &l);
    sema_family_hidden(s, sc, e, l.ref); /* reported; the name keeps its meaning */
    if (l.ref == REF_LET)
        return use_let(s, sc, l.target, e->loc);
    if (l.ref == REF_ROOT_FIELD)
        note_reads_context(s);
    return l.type;
}

/* If e is a bare name of a value of enum type t, make it that value. */
static bool try_enum_value(sema *s, ast_expr *e, uint32_t t)
{
    if (e->kind != EX_NAME || sema_kind(s, t, true) != TK_ENUM)
        return false;
    const bc_module *m = s->b->m;
    uint32_t et = sema_base(s, t);
    uint32_t ei = m->types[et].arg;
    const bc_enum *en = &m->enums[ei];
    for (uint32_t i = 0; i < en->nvalues; i++) {
        if (strcmp(module_str(m, en->values[i]), e->u.name) == 0) {
            e->sema.ref = REF_ENUM_VALUE;
            e->sema.index = i;
            e->sema.target = (void *)(uintptr_t)ei;
            e->sema.type = et;
            return true;
        }
    }
    return false;
}

/* The value of enum type t closest to name (a plausible typo), or NULL. */
static const char *closest_value(sema *s, uint32_t t, const char *name)
{
    const bc_module *m = s->b->m;
    const bc_enum *en = &m->enums[m->types[sema_base(s, t)].arg];
    const char *cands[256];
    size_t n = 0;
    for (uint32_t i = 0; i < en->nvalues && n < 256; i++)
        cands[n++] = module_str(m, en->values[i]);
    return suggest_name(name, cands, n);
}

/* "Tier has no value 'Premiere'", and the closest value as a hint. */
static void report_no_value(sema *s, const ast_expr *e, uint32_t t, const char *best)
{
    diag_error(s->diags, e->loc, "%s has no value '%s'", tn(s, sema_base(s, t)), e->u.name);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
}

/* A bare name that nothing in scope declares. */
static bool is_undeclared_name(sema *s, const scope *sc, const ast_expr *e)
{
    lookup l;
    return e->kind == EX_NAME && !lookup_value(s, sc, e->u.name, &l);
}

/* e stands beside an operand of type t.  A bare name that is a value of
 * t's enum is that value; one that is neither such a value nor anything in
 * scope is reported against the enum's values ("Tier has no value
 * 'Premiere'; did you mean 'Premier'?"); anything else is checked as it is. */
static uint32_t check_beside(sema *s, scope *sc, ast_expr *e, uint32_t t)
{
    if (try_enum_value(s, e, t))
        return e->sema.type;
    if (sema_kind(s, t, true) != TK_ENUM || !is_undeclared_name(s, sc, e))
        return check(s, sc, e);
    report_no_value(s, e, t, closest_value(s, t, e->u.name));
    return TY_ERROR;
}

/*
 * e where a value of type t is expected: an argument, the value of a typed
 * let, a function's result, a branch of `if` beside the other, the default
 * of `??`.  A bare name that nothing in scope declares is looked up among
 * the values of t's enum; a set {a, b} where a list is expected is a list
 * constant of its elements.  Unlike beside a comparison, names in scope
 * come first: the values only give a meaning to names that would
 * otherwise be unknown.
 */
static uint32_t check_expecting(sema *s, scope *sc, ast_expr *e, uint32_t t)
{
    if (e->kind == EX_IF)
        return e->sema.type = check_if(s, sc, e, t);
    if (e->kind == EX_SET && sema_kind(s, t, false) == TK_LIST &&
        sema_kind(s, sema_elem(s, t), true) == TK_ENUM) {
        check_set(s, sc, e, sema_elem(s, t));
        return e->sema.type;
    }
    if (sema_kind(s, t, true) != TK_ENUM || !is_undeclared_name(s, sc, e))
        return check(s, sc, e);
    if (try_enum_value(s, e, t))
        return e->sema.type;
    /* Neither: a typo of a value, or else of a name in scope. */
    const char *best = closest_value(s, t, e->u.name);
    if (!best)
        return check(s, sc, e);
    report_no_value(s, e, t, best);
    return TY_ERROR;
}

/*
 * Two operands that must have one type: the sides of a comparison, the
 * branches of `if`, the arguments of max and min.  Each is checked beside
 * the other, so that a bare enum value may stand on either side; the side
 * that is a name nothing declares goes second.  want: the type expected of
 * both, when the context knows it (else TY_ERROR).  value_first: beside a
 * comparison, where a value of the other side's enum is that value even
 * when the name is declared (docs/language.md, "Names and scopes").
 */
static void check_pair(sema *s, scope *sc, ast_expr *a, ast_expr *b, uint32_t want,
                       bool value_first, uint32_t *at, uint32_t *bt)
{
    if (want != TY_ERROR) {
        *at = check_expecting(s, sc, a, want);
        *bt = check_expecting(s, sc, b, want);
        return;
    }
    bool b_first = (is_undeclared_name(s, sc, a) && !is_undeclared_name(s, sc, b)) ||
                   (value_first && a->kind == EX_NAME && b->kind != EX_NAME);
    ast_expr *first = b_first ? b : a, *second = b_first ? a : b;
    uint32_t ft = check(s, sc, first);
    uint32_t st = value_first ? check_beside(s, sc, second, ft)
                              : check_expecting(s, sc, second, ft);
    *at = b_first ? st : ft;
    *bt = b_first ? ft : st;
}

/* ------------------------------------------------------------ fields */

static void report_no_field(sema *s, ast_expr *e, uint32_t rec)
{
    const bc_module *m = s->b->m;
    diag_error(s->diags, e->u.field.name_loc, "%s has no field '%s'",
               module_str(m, m->records[rec].name), e->u.field.name);
    const char *cands[256];
    size_t n = 0;
    add_record_fields(s, rec, cands, &n, 256);
    const char *best = suggest_name(e->u.field.name, cands, n);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
}

/* `Tier.Premier`: a value of an enum named by its type. */
static bool check_enum_qualified(sema *s, scope *sc, ast_expr *e, uint32_t *out)
{
    ast_expr *base = e->u.field.base;
    lookup l;
    if (base->kind != EX_NAME || lookup_value(s, sc, base->u.name, &l))
        return false;
    type_info *ti = symtab_get(&s->types, base->u.name);
    if (!ti || !ti->is_enum)
        return false;
    ast_expr tmp = *e;
    tmp.kind = EX_NAME;
    tmp.u.name = e->u.field.name;
    if (!try_enum_value(s, &tmp, ti->type)) {
        diag_error(s->diags, e->u.field.name_loc, "%s has no value '%s'", ti->name,
                   e->u.field.name);
        *out = TY_ERROR;
        return true;
    }
    e->sema = tmp.sema;
    *out = ti->type;
    return true;
}

static uint32_t check_field(sema *s, scope *sc, ast_expr *e)
{
    uint32_t enum_type;
    if (check_enum_qualified(s, sc, e, &enum_type))
        return enum_type;
    uint32_t bt = check(s, sc, e->u.field.base);
    if (is_error(bt) || !require_value(s, e->u.field.base, bt))
        return TY_ERROR;
    bool projection = sema_kind(s, bt, false) == TK_LIST;
    uint32_t holder = projection ? sema_elem(s, bt) : bt;
    uint32_t rec = sema_record_of(s, holder);
    if (rec == BC_NONE) {
        diag_error(s->diags, e->u.field.name_loc, "%s has no fields (looking for '%s')",
                   tn(s, bt), e->u.field.name);
        return TY_ERROR;
    }
    uint32_t slot = sema_field_slot(s, rec, e->u.field.name);
    if (slot == BC_NONE) {
        report_no_field(s, e, rec);
        return TY_ERROR;
    }
    e->sema.index = slot;
    uint32_t ft = sema_field_type(s, rec, slot);
    if (ft == TY_ERROR)
        return TY_ERROR;
    type_kind fk = sema_kind(s, ft, false);
    bool holder_optional = sema_is_optional(s, holder);
    if (projection) {
        if (fk == TK_MAP) {
            diag_error(s->diags, e->u.field.name_loc, "cannot collect the maps '%s' of a list",
                       e->u.field.name);
            return TY_ERROR;
        }
        if (fk == TK_LIST)
            return ft; /* flattened */
        return sema_list_of(s, holder_optional ? sema_optional(s, ft) : ft);
    }
    if (holder_optional && fk != TK_LIST && fk != TK_MAP)
        return sema_optional(s, ft);
    return ft;
}

/* ------------------------------------------------------------ operators */

/* `x == null`: x may be null.  A list or map is never null (absent, it
 * is empty). */
static bool check_nullable(sema *s, const ast_expr *e, uint32_t t)
{
    type_kind k = sema_kind(s, t, false);
    if (k != TK_LIST && k != TK_MAP)
        return true;
    const char *what = k == TK_LIST ? "list" : "map";
    diag_error(s->diags, e->loc, "a %s is never null: an absent %s is empty", what, what);
    if (k == TK_LIST)
        diag_hint(s->diags, "count(…) == 0 tests for an empty list");
    return false;
}

static bool is_duration(uint32_t t)
{
    return t == TY_DUR_DAYS || t == TY_DUR_MONTHS;
}

/* The unit a builtin's int result counts ("days" for days_between), or
 * NULL. */
static const char *counted_unit(const ast_expr *e)
{
    if (e->kind != EX_CALL || e->sema.ref != REF_BUILTIN)
        return NULL;
    switch ((builtin_id)e->sema.index) {
    case BI_DAYS_BETWEEN:
    case BI_BUSINESS_DAYS_BETWEEN:
        return "days";
    case BI_MONTHS_BETWEEN:
        return "months";
    default:
        return NULL;
    }
}

/* `days_between(a, b) <= 90 days`: a duration compared with something.
 * A number compares with a number, a date with a date. */
static void report_compared_duration(sema *s, const ast_expr *dur, const ast_expr *other,
                                     uint32_t ot)
{
    long long n = (long long)dur->u.dur.amount;
    const char *unit = dur->u.dur.unit == DUR_DAYS ? "days" : "months";
    type_kind k = sema_kind(s, ot, true);
    if (k != TK_INT && k != TK_DATE) {
        diag_error(s->diags, dur->loc,
                   "a duration is not a value: add it to a date (as_of - 12 months)");
        return;
    }
    diag_error(s->diags, dur->loc, "cannot compare %s with %s", tn(s, sema_base(s, ot)),
               tn(s, dur->sema.type));
    const char *counted = counted_unit(other);
    if (k == TK_DATE)
        diag_hint(s->diags, "compare the date with a date: as_of - %lld %s", n, unit);
    else if (counted && strcmp(counted, unit) == 0)
        diag_hint(s->diags, "%s(…) is already a number of %s: write %lld", other->u.call.name,
                  unit, n);
    else if (counted)
        diag_hint(s->diags, "%s(…) is a number of %s: write the number of %s",
                  other->u.call.name, counted, counted);
    else
        diag_hint(s->diags, "an int compares with a number: write %lld", n);
}

static uint32_t check_compare(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *l = e->u.binary.left, *r = e->u.binary.right;
    ast_op op = e->u.binary.op;
    uint32_t lt, rt;
    check_pair(s, sc, l, r, TY_ERROR, true, &lt, &rt);
    if (is_error(lt) || is_error(rt))
        return s->t_bool;
    bool equality = op == OPX_EQ || op == OPX_NE;
    if (lt == TY_NULL || rt == TY_NULL) {
        if (!equality) {
            diag_error(s->diags, e->loc, "ordering with null is always false; use == null");
            return s->t_bool;
        }
        if (lt == TY_NULL && rt == TY_NULL) {
            diag_error(s->diags, e->loc, "comparing null with null");
            return s->t_bool;
        }
        ast_expr *nul = lt == TY_NULL ? l : r;
        uint32_t other = lt == TY_NULL ? rt : lt;
        if (!require_value(s, lt == TY_NULL ? r : l, other) || !check_nullable(s, e, other))
            return s->t_bool;
        sema_settle_null(s, nul, sema_base(s, other));
        return s->t_bool;
    }
    if (is_duration(lt) || is_duration(rt)) {
        bool left = is_duration(lt);
        report_compared_duration(s, left ? l : r, left ? r : l, left ? rt : lt);
        return s->t_bool;
    }
    if (!require_value(s, l, lt) || !require_value(s, r, rt))
        return s->t_bool;
    uint32_t lb = sema_base(s, lt), rb = sema_base(s, rt);
    type_kind lk = sema_kind(s, lb, false);
    if (!module_type_equal(s->b->m, lb, rb)) {
        diag_error(s->diags, e->loc, "cannot compare %s with %s", tn(s, lb), tn(s, rb));
        if ((lk == TK_MONEY && sema_kind(s, rb, false) == TK_INT) ||
            (lk == TK_INT && sema_kind(s, rb, false) == TK_MONEY))
            diag_hint(s->diags, "write amounts of money with $, as in $2,500");
        return s->t_bool;
    }
    if (!is_scalar_kind(lk) || (lk == TK_INTERVAL && !equality)) {
        diag_error(s->diags, e->loc, "cannot compare values of %s", tn(s, lb));
        return s->t_bool;
    }
    if (!equality && !is_ordered(s, lb)) {
        diag_error(s->diags, e->loc, "%s has no order: %s", tn(s, lb),
                   lk == TK_ENUM ? "declare its values with '<' to compare them"
                                 : "only ==, != compare it");
        return s->t_bool;
    }
    return s->t_bool;
}

static bool is_constant_literal(const ast_expr *e)
{
    switch (e->kind) {
    case EX_INT:
    case EX_MONEY:
    case EX_DATE:
    case EX_MONTH:
    case EX_STRING:
    case EX_BOOL:
        return true;
    case EX_UNARY:
        return e->u.unary.op == OPX_NEG &&
               (e->u.unary.operand->kind == EX_INT || e->u.unary.operand->kind == EX_MONEY);
    default:
        return false;
    }
}

/* `x in {a, b}`: every element a constant of x's type (enum values by
 * name); the set becomes a list constant of that type. */
static void check_set(sema *s, scope *sc, ast_expr *set, uint32_t xt)
{
    uint32_t base = sema_base(s, xt);
    for (uint32_t i = 0; i < set->u.set.count; i++) {
        ast_expr *item = set->u.set.items[i];
        if (try_enum_value(s, item, base))
            continue;
        if (sema_kind(s, base, false) == TK_ENUM && item->kind == EX_NAME) {
            diag_error(s->diags, item->loc, "%s has no value '%s'", tn(s, base), item->u.name);
            continue;
        }
        uint32_t it = check(s, sc, item);
        if (is_error(it))
            continue;
        if (!is_constant_literal(item)) {
            diag_error(s->diags, item->loc, "the elements of a set must be literals");
            continue;
        }
        if (!module_type_equal(s->b->m, it, base))
            diag_error(s->diags, item->loc, "a set of %s cannot hold %s", tn(s, base),
                       tn(s, it));
    }
    set->sema.type = sema_list_of(s, base);
}

/* A set {a, b} outside `in`: a constant list when its items are literals
 * of one scalar type ({"RDS-1", "RDS-2"}); otherwise it only means
 * something beside `in`. */
static uint32_t check_set_value(sema *s, scope *sc, ast_expr *e)
{
    uint32_t elem = TY_ERROR;
    bool literals = e->u.set.count > 0;
    for (uint32_t i = 0; i < e->u.set.count; i++) {
        ast_expr *item = e->u.set.items[i];
        uint32_t t = check(s, sc, item);
        bool literal = item->kind == EX_INT || item->kind == EX_MONEY || item->kind == EX_DATE ||
                       item->kind == EX_MONTH || item->kind == EX_STRING || item->kind == EX_BOOL;
        if (!literal || (i > 0 && t != elem))
            literals = false;
        elem = t;
    }
    return literals ? sema_list_of(s, elem) : TY_SET;
}

/* `kind in [technical, business]`: brackets make an interval of dates,
 * whose ends are not checked (they would only be unknown names); a set is
 * written in braces.  Not read as a set: `tier in [Select, Premier]`
 * would then mean two values to some readers and a range to others. */
static void report_not_in_interval(sema *s, const ast_expr *x, uint32_t xt,
                                   const ast_expr *interval)
{
    diag_error(s->diags, x->loc, "only a date can be in an interval, found %s", tn(s, xt));
    if (!interval || sema_kind(s, xt, true) != TK_ENUM)
        return;
    const ast_expr *lo = interval->u.interval.lo, *hi = interval->u.interval.hi;
    if (lo->kind == EX_NAME && hi->kind == EX_NAME)
        diag_hint(s->diags, "a set of values is written in braces: {%s, %s}", lo->u.name,
                  hi->u.name);
    else
        diag_hint(s->diags, "a set of values is written in braces: {a, b}");
}

static uint32_t check_in(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *x = e->u.binary.left, *r = e->u.binary.right;
    uint32_t xt = check(s, sc, x);
    if (is_error(xt))
        return s->t_bool;
    if (!require_value(s, x, xt))
        return s->t_bool;
    if (r->kind == EX_SET) {
        if (!is_scalar_kind(sema_kind(s, xt, true)))
            diag_error(s->diags, x->loc, "cannot look for %s in a set", tn(s, xt));
        else
            check_set(s, sc, r, xt);
        return s->t_bool;
    }
    if (r->kind == EX_INTERVAL && sema_kind(s, xt, true) != TK_DATE) {
        report_not_in_interval(s, x, xt, r);
        return s->t_bool;
    }
    uint32_t rt = check(s, sc, r);
    if (is_error(rt) || !require_value(s, r, rt))
        return s->t_bool;
    type_kind rk = sema_kind(s, rt, false);
    if (rk == TK_INTERVAL) {
        if (sema_kind(s, xt, true) != TK_DATE)
            report_not_in_interval(s, x, xt, NULL);
        return s->t_bool;
    }
    if (rk == TK_LIST) {
        uint32_t elem = sema_base(s, sema_elem(s, rt));
        if (!module_type_equal(s->b->m, sema_base(s, xt), elem) ||
            !is_scalar_kind(sema_kind(s, elem, false)))
            diag_error(s->diags, e->loc, "cannot look for %s in %s", tn(s, xt), tn(s, rt));
        return s->t_bool;
    }
    diag_error(s->diags, r->loc, "`in` needs an interval, a set {…} or a list, found %s",
               tn(s, rt));
    return s->t_bool;
}

/* The type of list a + list b: the same element type, optional when
 * either side's elements are (names of a list of string? + names of a list
 * of string); BC_NONE when the elements differ. */
static uint32_t concat_type(sema *s, uint32_t lt, uint32_t rt)
{
    const bc_module *m = s->b->m;
    uint32_t le = m->types[lt].arg, re = m->types[rt].arg;
    if (module_type_equal(m, le, re))
        return lt;
    if (!module_type_equal(m, sema_base(s, le), sema_base(s, re)))
        return BC_NONE;
    return sema_kind(s, le, false) == TK_OPTIONAL ? lt : rt;
}

static uint32_t check_add_sub(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *l = e->u.binary.left, *r = e->u.binary.right;
    bool add = e->u.binary.op == OPX_ADD;
    uint32_t lt = check(s, sc, l), rt = check(s, sc, r);
    if (is_error(lt) || is_error(rt))
        return TY_ERROR;
    if (lt == TY_DUR_DAYS || lt == TY_DUR_MONTHS) {
        diag_error(s->diags, l->loc, "put the duration on the right: as_of - 12 months");
        return TY_ERROR;
    }
    type_kind lk = sema_kind(s, lt, true);
    if (rt == TY_DUR_DAYS || rt == TY_DUR_MONTHS) {
        if (lk == TK_DATE)
            return lt;
        if (lk == TK_MONTH && rt == TY_DUR_MONTHS)
            return lt;
        diag_error(s->diags, e->loc, "cannot %s %s %s %s", add ? "add" : "subtract",
                   tn(s, rt), add ? "to" : "from", tn(s, lt));
        return TY_ERROR;
    }
    if (!require_value(s, l, lt) || !require_value(s, r, rt))
        return TY_ERROR;
    type_kind rk = sema_kind(s, rt, true);
    if (add && lk == TK_LIST && sema_kind(s, rt, false) == TK_LIST) {
        uint32_t joined = concat_type(s, lt, rt);
        if (joined != BC_NONE)
            return joined;
    }
    if ((lk == TK_INT || lk == TK_MONEY) && lk == rk)
        return maybe_optional(s, sema_base(s, lt), lt, rt);
    diag_error(s->diags, e->loc, "cannot %s %s and %s", add ? "add" : "subtract", tn(s, lt),
               tn(s, rt));
    if ((lk == TK_MONEY && rk == TK_INT) || (lk == TK_INT && rk == TK_MONEY))
        diag_hint(s->diags, "write amounts of money with $, as in $2,500");
    else if (lk == TK_DATE && rk == TK_DATE)
        diag_hint(s->diags, "days_between(a, b) counts the days between two dates");
    else if (lk == TK_DATE && rk == TK_INT)
        diag_hint(s->diags, "write `12 months` or `90 days`");
    else if (lk == TK_MONTH && rk == TK_INT)
        diag_hint(s->diags, "write `12 months`");
    return TY_ERROR;
}

static uint32_t check_mul_div(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *l = e->u.binary.left, *r = e->u.binary.right;
    bool mul = e->u.binary.op == OPX_MUL;
    uint32_t lt = check(s, sc, l), rt = check(s, sc, r);
    if (is_error(lt) || is_error(rt))
        return TY_ERROR;
    if (!require_value(s, l, lt) || !require_value(s, r, rt))
        return TY_ERROR;
    type_kind lk = sema_kind(s, lt, true), rk = sema_kind(s, rt, true);
    if (lk == TK_INT && rk == TK_INT)
        return maybe_optional(s, s->t_int, lt, rt);
    if (lk == TK_MONEY && rk == TK_INT)
        return maybe_optional(s, s->t_money, lt, rt);
    if (mul && lk == TK_INT && rk == TK_MONEY)
        return maybe_optional(s, s->t_money, lt, rt);
    diag_error(s->diags, e->loc, "cannot %s %s by %s", mul ? "multiply" : "divide", tn(s, lt),
               tn(s, rt));
    return TY_ERROR;
}

static uint32_t check_coalesce(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *l = e->u.binary.left, *r = e->u.binary.right;
    uint32_t lt = check(s, sc, l);
    if (is_error(lt))
        return TY_ERROR;
    if (lt == TY_NULL) {
        diag_error(s->diags, l->loc, "null ?? x is always x");
        return TY_ERROR;
    }
    if (!require_value(s, l, lt))
        return TY_ERROR;
    uint32_t base = sema_base(s, lt);
    uint32_t rt = check_expecting(s, sc, r, base);
    if (is_error(rt))
        return TY_ERROR;
    if (rt == TY_NULL) {
        sema_settle_null(s, r, base);
        return sema_optional(s, base);
    }
    if (!require_value(s, r, rt))
        return TY_ERROR;
    if (!module_type_equal(s->b->m, sema_base(s, rt), base)) {
        diag_error(s->diags, r->loc, "the default must be %s, found %s", tn(s, base),
                   tn(s, rt));
        return TY_ERROR;
    }
    return rt;
}

static uint32_t check_binary(sema *s, scope *sc, ast_expr *e)
{
    switch (e->u.binary.op) {
    case OPX_AND:
    case OPX_OR:
        check_bool(s, sc, e->u.binary.left, e->u.binary.op == OPX_AND ? "`and`'s operand"
                                                                     : "`or`'s operand");
        check_bool(s, sc, e->u.binary.right, e->u.binary.op == OPX_AND ? "`and`'s operand"
                                                                      : "`or`'s operand");
        return s->t_bool;
    case OPX_EQ:
    case OPX_NE:
    case OPX_LT:
    case OPX_LE:
    case OPX_GT:
    case OPX_GE:
        return check_compare(s, sc, e);
    case OPX_IN:
        return check_in(s, sc, e);
    case OPX_ADD:
    case OPX_SUB:
        return check_add_sub(s, sc, e);
    case OPX_MUL:
    case OPX_DIV:
        return check_mul_div(s, sc, e);
    case OPX_COALESCE:
        return check_coalesce(s, sc, e);
    default:
        return TY_ERROR;
    }
}

static uint32_t check_unary(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *x = e->u.unary.operand;
    if (e->u.unary.op == OPX_NOT) {
        check_bool(s, sc, x, "`not`'s operand");
        return s->t_bool;
    }
    uint32_t t = check(s, sc, x);
    if (is_error(t) || !require_value(s, x, t))
        return TY_ERROR;
    if (!is_numeric(s, t)) {
        diag_error(s->diags, e->loc, "cannot negate %s", tn(s, t));
        return TY_ERROR;
    }
    return t;
}

/* ------------------------------------------------------------ lists */

static scope *element_scope(sema *s, scope *sc, uint32_t elem_type)
{
    scope *es = arena_calloc(s->mem, 1, sizeof *es);
    if (!es)
        return sc;
    es->kind = SC_ELEM;
    es->parent = sc;
    es->file = sc->file;
    es->elem_type = elem_type;
    es->first_local = locals_in(sc);
    es->nlocals = 1;
    return es;
}

static uint32_t check_list_operand(sema *s, scope *sc, ast_expr *e, const char *what)
{
    uint32_t t = check(s, sc, e);
    if (is_error(t) || !require_value(s, e, t))
        return TY_ERROR;
    if (sema_kind(s, t, false) != TK_LIST) {
        diag_error(s->diags, e->loc, "%s needs a list, found %s", what, tn(s, t));
        return TY_ERROR;
    }
    return t;
}

static uint32_t check_where(sema *s, scope *sc, ast_expr *e)
{
    const char *what = e->kind == EX_WHERE ? "`where`" : e->kind == EX_ANY ? "`any`" : "`all`";
    uint32_t lt = check_list_operand(s, sc, e->u.where.list, what);
    if (is_error(lt)) {
        /* Still check the predicate for its own errors, with no fields. */
        return e->kind == EX_WHERE ? TY_ERROR : s->t_bool;
    }
    scope *es = element_scope(s, sc, sema_elem(s, lt));
    check_bool(s, es, e->u.where.pred, "the condition");
    return e->kind == EX_WHERE ? lt : s->t_bool;
}

/* ------------------------------------------------------------ calls */

static uint32_t check_user_call(sema *s, scope *sc, ast_expr *e, fn_info *fi)
{
    ast_fn *fn = fi->ast;
    e->sema.ref = REF_FN;
    e->sema.target = fi;
    if (!sema_visible(s, sc->file, fi->file)) {
        diag_error(s->diags, e->u.call.name_loc,
                   "function '%s' is declared in %s, which this file does not import",
                   fn->name.name, sema_origin(s, fi->file));
        sema_hint_import(s, fi->file);
        return TY_ERROR;
    }
    if (e->u.call.by.count)
        diag_error(s->diags, e->u.call.by.items[0]->loc, "only distinct(… by …) takes `by`");
    if (e->u.call.args.count != fn->nparams) {
        diag_error(s->diags, e->loc, "%s takes %u argument%s, found %u", fn->name.name,
                   fn->nparams, fn->nparams == 1 ? "" : "s", e->u.call.args.count);
        return fi->ret_type;
    }
    if (fi->state == 1 && !in_fn(sc)) {
        /* Only a fn body can be in progress here; reported by that body. */
    }
    sema_fn_check(s, fi, e->loc);
    for (uint32_t i = 0; i < fn->nparams; i++) {
        char what[128];
        snprintf(what, sizeof what, "argument '%s' of %s", fn->params[i].name.name,
                 fn->name.name);
        sema_check_assign(s, sc, e->u.call.args.items[i], fi->param_types[i], what);
    }
    return fi->ret_type;
}

/* Check argument i of a builtin call and that it is a value. */
static uint32_t arg(sema *s, scope *sc, ast_expr *e, uint32_t i)
{
    ast_expr *a = e->u.call.args.items[i];
    uint32_t t = check(s, sc, a);
    if (!is_error(t) && !require_value(s, a, t))
        return TY_ERROR;
    return t;
}

static bool expect_kind(sema *s, ast_expr *a, uint32_t t, type_kind want, const char *fn,
                        const char *what)
{
    if (is_error(t))
        return false;
    if (sema_kind(s, t, true) != want) {
        diag_error(s->diags, a->loc, "%s needs %s, found %s", fn, what, tn(s, t));
        return false;
    }
    return true;
}

static uint32_t check_distinct(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *la = e->u.call.args.items[0];
    uint32_t lt = check_list_operand(s, sc, la, "distinct");
    if (is_error(lt))
        return TY_ERROR;
    uint32_t elem = sema_elem(s, lt);
    if (e->u.call.by.count == 0) {
        if (!is_scalar_kind(sema_kind(s, elem, true))) {
            diag_error(s->diags, la->loc, "distinct needs a list of values, found %s",
                       tn(s, lt));
            diag_hint(s->diags, "for records, name what makes them distinct: "
                                "distinct(list by a, b)");
            return TY_ERROR;
        }
        return sema_list_of(s, sema_base(s, elem));
    }
    if (e->u.call.by.count > 255) {
        diag_error(s->diags, e->loc, "too many `by` expressions");
        return TY_ERROR;
    }
    scope *es = element_scope(s, sc, elem);
    for (uint32_t i = 0; i < e->u.call.by.count; i++) {
        ast_expr *k = e->u.call.by.items[i];
        uint32_t kt = check(s, es, k);
        if (is_error(kt) || !require_value(s, k, kt))
            continue;
        if (!is_scalar_kind(sema_kind(s, kt, true)))
            diag_error(s->diags, k->loc, "distinct … by needs values, found %s", tn(s, kt));
    }
    return lt;
}

static uint32_t check_max_min(sema *s, scope *sc, ast_expr *e, const char *name)
{
    if (e->u.call.args.count == 1) {
        uint32_t lt = check_list_operand(s, sc, e->u.call.args.items[0], name);
        if (is_error(lt))
            return TY_ERROR;
        uint32_t elem = sema_elem(s, lt);
        if (!is_ordered(s, elem)) {
            diag_error(s->diags, e->loc, "%s needs a list of ordered values, found %s", name,
                       tn(s, lt));
            return TY_ERROR;
        }
        return sema_optional(s, sema_base(s, elem));
    }
    uint32_t a, b;
    ast_expr *ae = e->u.call.args.items[0], *be = e->u.call.args.items[1];
    check_pair(s, sc, ae, be, TY_ERROR, false, &a, &b);
    if (is_error(a) || is_error(b) || !require_value(s, ae, a) || !require_value(s, be, b))
        return TY_ERROR;
    if (!module_type_equal(s->b->m, sema_base(s, a), sema_base(s, b)) || !is_ordered(s, a)) {
        diag_error(s->diags, e->loc, "%s needs two ordered values of one type, found %s and %s",
                   name, tn(s, a), tn(s, b));
        return TY_ERROR;
    }
    return sema_is_optional(s, a) && sema_is_optional(s, b) ? a : sema_base(s, a);
}

/* Two dates (or a date and a month) builtins: optional in, optional out. */
static uint32_t check_dates2(sema *s, scope *sc, ast_expr *e, const char *name)
{
    uint32_t a = arg(s, sc, e, 0), b = arg(s, sc, e, 1);
    bool ok = expect_kind(s, e->u.call.args.items[0], a, TK_DATE, name, "a date");
    ok = expect_kind(s, e->u.call.args.items[1], b, TK_DATE, name, "a date") && ok;
    return ok ? maybe_optional(s, s->t_int, a, b) : TY_ERROR;
}

/* get(map, key): the value at a key, null when absent. */
static uint32_t check_get(sema *s, scope *sc, ast_expr *e)
{
    uint32_t m = arg(s, sc, e, 0), k = arg(s, sc, e, 1);
    if (is_error(m) || is_error(k))
        return TY_ERROR;
    if (sema_kind(s, m, true) != TK_MAP) {
        diag_error(s->diags, e->u.call.args.items[0]->loc, "get needs a map, found %s",
                   tn(s, m));
        return TY_ERROR;
    }
    if (!expect_kind(s, e->u.call.args.items[1], k, TK_STRING, "get", "a string key"))
        return TY_ERROR;
    return sema_optional(s, s->b->m->types[sema_base(s, m)].arg);
}

static uint32_t check_builtin(sema *s, scope *sc, ast_expr *e, const builtin *bi)
{
    const char *name = bi->name;
    uint32_t n = e->u.call.args.count;
    e->sema.ref = REF_BUILTIN;
    e->sema.index = bi->id;
    if (n < bi->min_args || n > bi->max_args) {
        if (bi->min_args == bi->max_args)
            diag_error(s->diags, e->loc, "%s takes %u argument%s, found %u", name,
                       bi->min_args, bi->min_args == 1 ? "" : "s", n);
        else
            diag_error(s->diags, e->loc, "%s takes %u or %u arguments, found %u", name,
                       bi->min_args, bi->max_args, n);
        return TY_ERROR;
    }
    if (e->u.call.by.count && bi->id != BI_DISTINCT) {
        diag_error(s->diags, e->u.call.by.items[0]->loc, "only distinct(… by …) takes `by`");
        return TY_ERROR;
    }
    switch (bi->id) {
    case BI_COUNT:
        return is_error(check_list_operand(s, sc, e->u.call.args.items[0], name))
                   ? TY_ERROR
                   : s->t_int;
    case BI_SUM: {
        uint32_t lt = check_list_operand(s, sc, e->u.call.args.items[0], name);
        if (is_error(lt))
            return TY_ERROR;
        uint32_t elem = sema_elem(s, lt);
        if (!is_numeric(s, elem)) {
            diag_error(s->diags, e->loc, "sum needs a list of int or money, found %s",
                       tn(s, lt));
            return TY_ERROR;
        }
        return sema_base(s, elem);
    }
    case BI_MAX:
    case BI_MIN:
        return check_max_min(s, sc, e, name);
    case BI_DISTINCT:
        return check_distinct(s, sc, e);
    case BI_LENGTH:
    case BI_IS_DIGITS: {
        uint32_t t = arg(s, sc, e, 0);
        if (!expect_kind(s, e->u.call.args.items[0], t, TK_STRING, name, "a string"))
            return TY_ERROR;
        uint32_t r = bi->id == BI_LENGTH ? s->t_int : s->t_bool;
        return maybe_optional(s, r, t, t);
    }
    case BI_ADD_DAYS:
    case BI_ADD_MONTHS: {
        uint32_t d = arg(s, sc, e, 0), k = arg(s, sc, e, 1);
        type_kind dk = sema_kind(s, d, true);
        bool ok = !is_error(d);
        if (ok && dk != TK_DATE && !(bi->id == BI_ADD_MONTHS && dk == TK_MONTH)) {
            diag_error(s->diags, e->u.call.args.items[0]->loc, "%s needs a date, found %s",
                       name, tn(s, d));
            ok = false;
        }
        ok = expect_kind(s, e->u.call.args.items[1], k, TK_INT, name, "an int") && ok;
        return ok ? maybe_optional(s, sema_base(s, d), d, k) : TY_ERROR;
    }
    case BI_DAYS_BETWEEN:
    case BI_MONTHS_BETWEEN:
    case BI_BUSINESS_DAYS_BETWEEN:
        return check_dates2(s, sc, e, name);
    case BI_FIRST_DAY: {
        uint32_t m = arg(s, sc, e, 0);
        if (!expect_kind(s, e->u.call.args.items[0], m, TK_MONTH, name, "a month"))
            return TY_ERROR;
        return maybe_optional(s, s->t_date, m, m);
    }
    case BI_MONTH_OF: {
        uint32_t d = arg(s, sc, e, 0);
        if (!expect_kind(s, e->u.call.args.items[0], d, TK_DATE, name, "a date"))
            return TY_ERROR;
        return maybe_optional(s, s->t_month, d, d);
    }
    case BI_GET:
        return check_get(s, sc, e);
    default:
        return TY_ERROR;
    }
}

static uint32_t check_call(sema *s, scope *sc, ast_expr *e)
{
    const char *name = e->u.call.name;
    int bi = sema_builtin_id(name);
    if (bi >= 0)
        return check_builtin(s, sc, e, &builtins[bi]);
    fn_info *fi = sema_find_fn(s, sc->file, name);
    if (fi)
        return check_user_call(s, sc, e, fi);
    diag_error(s->diags, e->u.call.name_loc, "unknown function '%s'", name);
    const char *cands[512];
    size_t n = 0;
    for (size_t i = 0; i < NBUILTINS; i++)
        cands[n++] = builtins[i].name;
    for (uint32_t i = 0; i < s->fns.len && n < 512; i++)
        if (s->fns.items[i].key)
            cands[n++] = s->fns.items[i].key;
    const char *best = suggest_name(name, cands, n);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
    for (uint32_t i = 0; i < e->u.call.args.count; i++)
        check(s, sc, e->u.call.args.items[i]);
    return TY_ERROR;
}

/* ------------------------------------------------------------ others */

/* want: the type expected of the `if`, or TY_ERROR when unknown. */
static uint32_t check_if(sema *s, scope *sc, ast_expr *e, uint32_t want)
{
    check_bool(s, sc, e->u.if_.cond, "the condition of `if`");
    ast_expr *a = e->u.if_.then_, *b = e->u.if_.else_;
    uint32_t at, bt;
    check_pair(s, sc, a, b, want, false, &at, &bt);
    if (is_error(at) || is_error(bt))
        return TY_ERROR;
    if (at == TY_NULL && bt == TY_NULL)
        return TY_NULL;
    if (at == TY_NULL || bt == TY_NULL) {
        ast_expr *nul = at == TY_NULL ? a : b;
        uint32_t other = at == TY_NULL ? bt : at;
        if (!require_value(s, at == TY_NULL ? b : a, other))
            return TY_ERROR;
        sema_settle_null(s, nul, sema_base(s, other));
        return sema_optional(s, other);
    }
    if (!require_value(s, a, at) || !require_value(s, b, bt))
        return TY_ERROR;
    if (module_type_equal(s->b->m, at, bt))
        return at;
    if (module_type_equal(s->b->m, sema_base(s, at), sema_base(s, bt)))
        return sema_optional(s, at);
    diag_error(s->diags, e->loc, "the branches of `if` differ: %s and %s", tn(s, at), tn(s, bt));
    return TY_ERROR;
}

static uint32_t check_interval(sema *s, scope *sc, ast_expr *e)
{
    ast_expr *ends[2] = {e->u.interval.lo, e->u.interval.hi};
    for (int i = 0; i < 2; i++) {
        uint32_t t = check(s, sc, ends[i]);
        if (is_error(t) || !require_value(s, ends[i], t))
            continue;
        if (t != s->t_date)
            diag_error(s->diags, ends[i]->loc, "an interval's ends must be dates, found %s",
                       tn(s, t));
    }
    return s->t_interval;
}

static uint32_t check_context(sema *s, scope *sc, ast_expr *e)
{
    const char *what = e->kind == EX_AS_OF ? "as_of" : "window";
    if (in_fn(sc)) {
        diag_error(s->diags, e->loc, "a function cannot read `%s`", what);
        diag_hint(s->diags, "pass it as a parameter");
        return TY_ERROR;
    }
    if (e->kind == EX_AS_OF) {
        note_reads_context(s);
        return s->t_date;
    }
    if (s->ctx.clause) {
        diag_error(s->diags, e->loc, "`window` is not available in `%s`", s->ctx.clause);
        return TY_ERROR;
    }
    const scope *req = enclosing_req(sc);
    if (req && !req->time_bound) {
        diag_error(s->diags, e->loc,
                   "`window` is only available in time_bound requirements; '%s' is not",
                   req->req->id.name);
        diag_hint(s->diags, "mark the requirement time_bound");
        return TY_ERROR;
    }
    note_reads_window(s, e->loc);
    return s->t_interval;
}

static uint32_t check_it(sema *s, scope *sc, ast_expr *e)
{
    for (const scope *p = sc; p; p = p->parent) {
        if (p->kind == SC_ELEM) {
            e->sema.ref = REF_LOCAL;
            e->sema.index = p->first_local;
            return p->elem_type;
        }
    }
    diag_error(s->diags, e->loc, "`it` is only available inside where, any and all");
    return TY_ERROR;
}

static uint32_t check(sema *s, scope *sc, ast_expr *e)
{
    uint32_t t = TY_ERROR;
    switch (e->kind) {
    case EX_INT:
        t = s->t_int;
        break;
    case EX_MONEY:
        t = s->t_money;
        break;
    case EX_DATE:
        t = s->t_date;
        break;
    case EX_MONTH:
        t = s->t_month;
        break;
    case EX_DURATION:
        t = e->u.dur.unit == DUR_DAYS ? TY_DUR_DAYS : TY_DUR_MONTHS;
        break;
    case EX_STRING:
        t = s->t_string;
        break;
    case EX_BOOL:
        t = s->t_bool;
        break;
    case EX_NULL:
        t = TY_NULL;
        break;
    case EX_NAME:
        t = check_name(s, sc, e);
        break;
    case EX_IT:
        t = check_it(s, sc, e);
        break;
    case EX_AS_OF:
    case EX_WINDOW:
        t = check_context(s, sc, e);
        break;
    case EX_FIELD:
        t = check_field(s, sc, e);
        break;
    case EX_CALL:
        t = check_call(s, sc, e);
        break;
    case EX_UNARY:
        t = check_unary(s, sc, e);
        break;
    case EX_BINARY:
        t = check_binary(s, sc, e);
        break;
    case EX_WHERE:
    case EX_ANY:
    case EX_ALL:
        t = check_where(s, sc, e);
        break;
    case EX_IF:
        t = check_if(s, sc, e, TY_ERROR);
        break;
    case EX_INTERVAL:
        t = check_interval(s, sc, e);
        break;
    case EX_SET:
        t = check_set_value(s, sc, e);
        break;
    case EX_SUSTAINED:
        if (!s->ctx.allow_sustained) {
            diag_error(s->diags, e->loc,
                       "`sustained` is a requirement's measure, not part of an expression");
            t = TY_ERROR;
        } else {
            t = s->t_int;
        }
        break;
    }
    e->sema.type = t;
    return t;
}

uint32_t sema_check_expr(sema *s, scope *sc, ast_expr *e)
{
    bool allow = s->ctx.allow_sustained;
    /* `sustained` is allowed only as the whole measure. */
    if (e->kind != EX_SUSTAINED)
        s->ctx.allow_sustained = false;
    uint32_t t = check(s, sc, e);
    s->ctx.allow_sustained = allow;
    return t;
}

/* ------------------------------------------------------------ lets, fns */

uint32_t sema_let_type(sema *s, let_info *li, ast_loc use)
{
    if (li->state == 2)
        return li->type;
    if (li->state == 1) {
        diag_error(s->diags, use, "'%s' refers to itself", li->ast->name.name);
        diag_hint(s->diags, "a let cannot depend on its own value, directly or through others");
        return TY_ERROR;
    }
    li->state = 1;
    sema_ctx saved = s->ctx;
    sema_reads reads = {0};
    s->ctx.reads = &reads;
    s->ctx.allow_sustained = false;
    s->ctx.clause = NULL;
    ast_let *let = li->ast;
    uint32_t t;
    if (let->type) {
        t = sema_resolve_type(s, li->file, let->type);
        sema_check_assign(s, li->scope, let->value, t, "the value");
    } else {
        t = sema_check_expr(s, li->scope, let->value);
        bool null_literal = t == TY_NULL;
        if (!is_error(t) && !require_value(s, let->value, t))
            t = TY_ERROR;
        if (null_literal)
            diag_hint(s->diags, "annotate the let's type: let %s: date? = null", let->name.name);
    }
    s->ctx = saved;
    li->type = t;
    li->reads_context = reads.context;
    li->reads_window = reads.window;
    li->state = 2;
    return t;
}

uint32_t sema_fn_check(sema *s, fn_info *fi, ast_loc use)
{
    if (fi->state == 2)
        return fi->ret_type;
    if (fi->state == 1) {
        diag_error(s->diags, use, "function '%s' calls itself", fi->ast->name.name);
        diag_hint(s->diags, "functions cannot recurse, directly or through others: every "
                            "evaluation must terminate");
        return TY_ERROR;
    }
    fi->state = 1;
    sema_ctx saved = s->ctx;
    s->ctx.reads = NULL;
    s->ctx.allow_sustained = false;
    s->ctx.clause = NULL;
    scope file_scope = {0};
    file_scope.kind = SC_FILE;
    file_scope.file = fi->file;
    scope fn_scope = {0};
    fn_scope.kind = SC_FN;
    fn_scope.parent = &file_scope;
    fn_scope.file = fi->file;
    fn_scope.fn = fi;
    fn_scope.first_local = 0;
    fn_scope.nlocals = fi->ast->nparams;
    /* Element scopes of the body point at these: copy them to the arena. */
    scope *fs = arena_alloc(s->mem, sizeof *fs);
    scope *ps = arena_alloc(s->mem, sizeof *ps);
    if (fs && ps) {
        *fs = file_scope;
        *ps = fn_scope;
        ps->parent = fs;
        sema_check_assign(s, ps, fi->ast->body, fi->ret_type, "the function's result");
    }
    s->ctx = saved;
    fi->state = 2;
    return fi->ret_type;
}
