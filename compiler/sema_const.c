/*
 * sema_const.c — thresholds computed from a family's value, worked out
 * when the rules compile (sema.h, sema_const_eval).
 *
 * A tiered program's thresholds are constants of its bytecode, so a
 * family's `at least required_evidence(area)` is computed here, for each
 * member, from what sema annotated: literals, the family's value, enum
 * values, the lets and functions it calls (none reads the partner: sema
 * checked), and the operators and builtins over numbers, amounts, bools,
 * strings, enum values and lists of them.  Values compare as in the VM
 * (vm_compare, vm_equal); overflow and division by zero are errors, as
 * they are when the rules run.  The work is bounded: nesting, calls and
 * steps have limits, and rules past them are reported, not run.
 */
#include <stdio.h>
#include <string.h>

#include "sema.h"
#include "vm.h"

/* Calls and lets within one another, like the bytecode's limit. */
#define CONST_MAX_CALLS 256u
/* Expressions within one another, through every call. */
#define CONST_MAX_NESTING 2000u
/* Expressions computed for one threshold. */
#define CONST_MAX_STEPS (1u << 22)

typedef struct const_eval {
    sema *s;
    const prog_info *pi;
    const family_binding *bindings;
    const char *path;         /* the requirement, for messages */
    uint32_t calls, nesting, steps;
    bool failed;              /* reported, or given up after an earlier error */
} const_eval;

/* The locals of the function being computed: its parameters, then the
 * element of each enclosing `where`, numbered as sema numbers them. */
typedef struct frame {
    value *locals;
    uint32_t n, cap;
} frame;

static bool eval(const_eval *ce, frame *f, const ast_expr *e, value *out);

/* ------------------------------------------------------------ failing */

static bool fail(const_eval *ce, const ast_expr *e, const char *reason)
{
    if (!ce->failed)
        diag_error(ce->s->diags, e->loc, "the threshold of '%s' cannot be worked out when the "
                   "rules compile: %s", ce->path, reason);
    ce->failed = true;
    return false;
}

/* Something sema has already reported (a type it could not give). */
static bool give_up(const_eval *ce)
{
    ce->failed = true;
    return false;
}

static bool unsupported(const_eval *ce, const ast_expr *e)
{
    return fail(ce, e, "only numbers, amounts, bools, strings, enum values and lists of them "
                       "are computed then, not dates, intervals, records or maps");
}

static bool oom(const_eval *ce)
{
    ce->s->c->oom = true;
    return give_up(ce);
}

/* ------------------------------------------------------------ values */

static value *new_items(const_eval *ce, uint32_t n, value *out)
{
    list *l = arena_alloc(ce->s->mem, sizeof(list) + (size_t)n * sizeof(value));
    if (!l)
        return NULL;
    l->count = n;
    *out = value_null();
    out->kind = VK_LIST;
    out->as.list = l;
    return l->items;
}

static bool push_local(const_eval *ce, frame *f, value v)
{
    if (f->n == f->cap) {
        uint32_t cap = f->cap ? f->cap * 2 : 8;
        value *grown = arena_alloc(ce->s->mem, (size_t)cap * sizeof *grown);
        if (!grown)
            return oom(ce);
        if (f->n)
            memcpy(grown, f->locals, (size_t)f->n * sizeof *grown);
        f->locals = grown;
        f->cap = cap;
    }
    f->locals[f->n++] = v;
    return true;
}

static bool local(const_eval *ce, const frame *f, uint32_t k, value *out)
{
    if (k >= f->n)
        return give_up(ce);
    *out = f->locals[k];
    return true;
}

/* An operand that must be a list, a bool, a string: as sema typed it. */
static bool eval_kind(const_eval *ce, frame *f, const ast_expr *e, uint8_t kind, value *out)
{
    if (!eval(ce, f, e, out))
        return false;
    return out->kind == kind ? true : give_up(ce);
}

/* ------------------------------------------------------------ arithmetic */

static bool arith(const_eval *ce, const ast_expr *e, value a, value b, value *out)
{
    if (a.kind == VK_NULL || b.kind == VK_NULL) {
        *out = value_null();
        return true;
    }
    bool money = a.kind == VK_MONEY || b.kind == VK_MONEY;
    int64_t x = a.as.i, y = b.as.i, r = 0;
    bool overflow;
    const char *what;
    switch (e->u.binary.op) {
    case OPX_ADD:
        overflow = __builtin_add_overflow(x, y, &r);
        what = "addition";
        break;
    case OPX_SUB:
        overflow = __builtin_sub_overflow(x, y, &r);
        what = "subtraction";
        break;
    case OPX_MUL:
        overflow = __builtin_mul_overflow(x, y, &r);
        what = "multiplication";
        break;
    default:
        if (y == 0)
            return fail(ce, e, "division by zero");
        overflow = x == INT64_MIN && y == -1;
        r = overflow ? 0 : x / y;
        what = "division";
        break;
    }
    if (overflow) {
        char reason[64];
        snprintf(reason, sizeof reason, "%s overflow in %s", money ? "money" : "int", what);
        return fail(ce, e, reason);
    }
    *out = money ? value_money(r) : value_int(r);
    return true;
}

static bool concat(const_eval *ce, value a, value b, value *out)
{
    uint32_t na = a.as.list->count, nb = b.as.list->count;
    value *items = new_items(ce, na + nb, out);
    if (!items)
        return oom(ce);
    if (na)
        memcpy(items, a.as.list->items, (size_t)na * sizeof *items);
    if (nb)
        memcpy(items + na, b.as.list->items, (size_t)nb * sizeof *items);
    return true;
}

/* ------------------------------------------------------------ operators */

static bool eval_unary(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    if (!eval(ce, f, e->u.unary.operand, out))
        return false;
    if (e->u.unary.op == OPX_NOT) {
        *out = value_bool(!out->as.b);
        return true;
    }
    if (out->kind == VK_NULL)
        return true;
    if (out->as.i == INT64_MIN)
        return fail(ce, e, out->kind == VK_MONEY ? "money overflow in negation"
                                                 : "int overflow in negation");
    out->as.i = -out->as.i;
    return true;
}

/* x in {a, b}, x in a list; null is in nothing. */
static bool eval_in(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    value x;
    if (!eval(ce, f, e->u.binary.left, &x))
        return false;
    const ast_expr *r = e->u.binary.right;
    bool found = false;
    if (r->kind == EX_SET) {
        for (uint32_t i = 0; i < r->u.set.count && !found; i++) {
            value item;
            if (!eval(ce, f, r->u.set.items[i], &item))
                return false;
            found = x.kind != VK_NULL && vm_equal(x, item);
        }
    } else {
        value l;
        if (!eval(ce, f, r, &l))
            return false;
        if (l.kind != VK_LIST)
            return unsupported(ce, r);
        for (uint32_t i = 0; i < l.as.list->count && !found; i++)
            found = x.kind != VK_NULL && vm_equal(x, l.as.list->items[i]);
    }
    *out = value_bool(found);
    return true;
}

static bool compare(const ast_expr *e, value a, value b)
{
    ast_op op = e->u.binary.op;
    if (op == OPX_EQ || op == OPX_NE)
        return vm_equal(a, b) == (op == OPX_EQ);
    if (a.kind == VK_NULL || b.kind == VK_NULL)
        return false;
    int c = vm_compare(a, b);
    return op == OPX_LT ? c < 0 : op == OPX_LE ? c <= 0 : op == OPX_GT ? c > 0 : c >= 0;
}

static bool eval_binary(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    ast_op op = e->u.binary.op;
    if (op == OPX_IN)
        return eval_in(ce, f, e, out);
    value a, b;
    if (!eval(ce, f, e->u.binary.left, &a))
        return false;
    /* and, or, ??: the right side only when it decides. */
    if ((op == OPX_AND && !a.as.b) || (op == OPX_OR && a.as.b) ||
        (op == OPX_COALESCE && a.kind != VK_NULL)) {
        *out = a;
        return true;
    }
    if (!eval(ce, f, e->u.binary.right, &b))
        return false;
    switch (op) {
    case OPX_AND:
    case OPX_OR:
    case OPX_COALESCE:
        *out = b;
        return true;
    case OPX_EQ:
    case OPX_NE:
    case OPX_LT:
    case OPX_LE:
    case OPX_GT:
    case OPX_GE:
        *out = value_bool(compare(e, a, b));
        return true;
    case OPX_ADD:
        if (a.kind == VK_LIST && b.kind == VK_LIST)
            return concat(ce, a, b, out);
        /* fall through */
    case OPX_SUB:
    case OPX_MUL:
    case OPX_DIV:
        if (a.kind == VK_LIST || b.kind == VK_LIST || a.kind > VK_MONEY || b.kind > VK_MONEY)
            return unsupported(ce, e);
        return arith(ce, e, a, b, out);
    default:
        return unsupported(ce, e);
    }
}

/* ------------------------------------------------------------ lists */

/* list where pred, any list (pred), all list (pred): the element is the
 * next local, as in the chunk lowering makes for pred. */
static bool eval_list_op(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    value l;
    if (!eval_kind(ce, f, e->u.where.list, VK_LIST, &l))
        return false;
    uint32_t n = l.as.list->count, kept = 0;
    value *items = e->kind == EX_WHERE ? new_items(ce, n, out) : NULL;
    if (e->kind == EX_WHERE && !items)
        return oom(ce);
    bool any = false, all = true;
    for (uint32_t i = 0; i < n; i++) {
        value item = l.as.list->items[i], holds;
        uint32_t depth = f->n;
        if (!push_local(ce, f, item))
            return false;
        bool ok = eval_kind(ce, f, e->u.where.pred, VK_BOOL, &holds);
        f->n = depth;
        if (!ok)
            return false;
        any = any || holds.as.b;
        all = all && holds.as.b;
        if (items && holds.as.b)
            items[kept++] = item;
    }
    if (items)
        out->as.list->count = kept;
    else
        *out = value_bool(e->kind == EX_ANY ? any : all);
    return true;
}

/* {a, b, c} outside `in`: a constant list. */
static bool eval_set(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    value *items = new_items(ce, e->u.set.count, out);
    if (!items)
        return oom(ce);
    for (uint32_t i = 0; i < e->u.set.count; i++)
        if (!eval(ce, f, e->u.set.items[i], &items[i]))
            return false;
    return true;
}

/* ------------------------------------------------------------ calls */

/* count, sum, max and min of a list; the larger or smaller of two. */
static bool eval_aggregate(const_eval *ce, frame *f, const ast_expr *e, builtin_id id,
                           value *out)
{
    const ast_expr_list *args = &e->u.call.args;
    value a;
    if (!eval(ce, f, args->items[0], &a))
        return false;
    if ((id == BI_MAX || id == BI_MIN) && args->count == 2) {
        value b;
        if (!eval(ce, f, args->items[1], &b))
            return false;
        bool first = b.kind == VK_NULL ||
                     (a.kind != VK_NULL && (vm_compare(a, b) >= 0) == (id == BI_MAX));
        *out = first ? a : b;
        return true;
    }
    if (a.kind != VK_LIST)
        return give_up(ce);
    int64_t count = 0, total = 0;
    value best = value_null();
    for (uint32_t i = 0; i < a.as.list->count; i++) {
        value v = a.as.list->items[i];
        if (v.kind == VK_NULL)
            continue;
        count++;
        if (id == BI_SUM && __builtin_add_overflow(total, v.as.i, &total))
            return fail(ce, e, v.kind == VK_MONEY ? "money overflow in sum"
                                                  : "int overflow in sum");
        if (best.kind == VK_NULL || (vm_compare(v, best) > 0) == (id == BI_MAX))
            best = v;
    }
    if (id == BI_COUNT)
        *out = value_int(count);
    else if (id == BI_SUM)
        *out = e->sema.type == ce->s->t_money ? value_money(total) : value_int(total);
    else
        *out = best;
    return true;
}

static bool eval_builtin(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    builtin_id id = (builtin_id)e->sema.index;
    value v;
    switch (id) {
    case BI_COUNT:
    case BI_SUM:
    case BI_MAX:
    case BI_MIN:
        return eval_aggregate(ce, f, e, id, out);
    case BI_LENGTH:
        if (!eval_kind(ce, f, e->u.call.args.items[0], VK_STRING, &v))
            return false;
        *out = value_int(v.len);
        return true;
    default: {
        char reason[128];
        snprintf(reason, sizeof reason, "%s() is not computed then", e->u.call.name);
        return fail(ce, e, reason);
    }
    }
}

/* Into a call or a let: the limits of nesting. */
static bool enter(const_eval *ce, const ast_expr *e)
{
    if (ce->calls >= CONST_MAX_CALLS)
        return fail(ce, e, "calls and lets nest too deeply");
    ce->calls++;
    return true;
}

static bool eval_fn(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    const fn_info *fi = e->sema.target;
    if (fi->ret_type == TY_ERROR || !enter(ce, e))
        return give_up(ce);
    frame callee = {0};
    bool ok = true;
    for (uint32_t i = 0; i < e->u.call.args.count && ok; i++) {
        value arg;
        ok = eval(ce, f, e->u.call.args.items[i], &arg) && push_local(ce, &callee, arg);
    }
    ok = ok && eval(ce, &callee, fi->ast->body, out);
    ce->calls--;
    return ok;
}

static bool eval_let(const_eval *ce, const ast_expr *e, value *out)
{
    const let_info *li = sema_effective_let(ce->pi, e->sema.target);
    if (li->type == TY_ERROR)
        return give_up(ce);
    if (li->reads_context) {
        char reason[300];
        snprintf(reason, sizeof reason, "'%s' depends on the partner or the date",
                 li->ast->name.name);
        return fail(ce, e, reason);
    }
    if (!enter(ce, e))
        return false;
    frame own = {0};
    bool ok = eval(ce, &own, li->ast->value, out);
    ce->calls--;
    return ok;
}

static bool eval_name(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    switch ((ref_kind)e->sema.ref) {
    case REF_FAMILY:
        *out = sema_family_value(ce->bindings, e->sema.target);
        return out->kind != VK_NULL ? true : give_up(ce);
    case REF_LOCAL:
        return local(ce, f, e->sema.index, out);
    case REF_ENUM_VALUE:
        *out = value_enum(e->sema.index);
        return true;
    case REF_LET:
        return eval_let(ce, e, out);
    default:
        return unsupported(ce, e);
    }
}

/* ------------------------------------------------------------ expressions */

static bool eval_node(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    switch (e->kind) {
    case EX_INT:
        *out = value_int(e->u.i);
        return true;
    case EX_MONEY:
        *out = value_money(e->u.i);
        return true;
    case EX_BOOL:
        *out = value_bool(e->u.b);
        return true;
    case EX_STRING:
        *out = value_string(e->u.str.ptr, e->u.str.len);
        return true;
    case EX_NULL:
        *out = value_null();
        return true;
    case EX_NAME:
        return eval_name(ce, f, e, out);
    case EX_IT:
        return local(ce, f, e->sema.index, out);
    case EX_FIELD:
        if (e->sema.ref != REF_ENUM_VALUE)
            return unsupported(ce, e);
        *out = value_enum(e->sema.index);
        return true;
    case EX_CALL:
        return e->sema.ref == REF_FN ? eval_fn(ce, f, e, out) : eval_builtin(ce, f, e, out);
    case EX_UNARY:
        return eval_unary(ce, f, e, out);
    case EX_BINARY:
        return eval_binary(ce, f, e, out);
    case EX_WHERE:
    case EX_ANY:
    case EX_ALL:
        return eval_list_op(ce, f, e, out);
    case EX_IF: {
        value c;
        if (!eval_kind(ce, f, e->u.if_.cond, VK_BOOL, &c))
            return false;
        return eval(ce, f, c.as.b ? e->u.if_.then_ : e->u.if_.else_, out);
    }
    case EX_SET:
        return eval_set(ce, f, e, out);
    default:
        return unsupported(ce, e);
    }
}

static bool eval(const_eval *ce, frame *f, const ast_expr *e, value *out)
{
    if (ce->failed || e->sema.type == TY_ERROR)
        return give_up(ce);
    if (ce->nesting >= CONST_MAX_NESTING)
        return fail(ce, e, "it nests too deeply");
    if (++ce->steps > CONST_MAX_STEPS)
        return fail(ce, e, "it takes too many steps");
    ce->nesting++;
    bool ok = eval_node(ce, f, e, out);
    ce->nesting--;
    return ok;
}

bool sema_const_eval(sema *s, const prog_info *pi, const family_binding *b, const ast_expr *e,
                     const char *path, value *out)
{
    const_eval ce = {s, pi, b, path, 0, 0, 0, false};
    frame top = {0};
    if (!eval(&ce, &top, e, out))
        return false;
    if (out->kind == VK_NULL)
        return fail(&ce, e, "it is null");
    return true;
}
