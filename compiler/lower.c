/*
 * lower.c — typed AST -> chunks of bytecode and programs (see lower.h).
 *
 * Each `let` becomes a memoized chunk of no parameters (CALL_LET), each fn
 * a chunk of its parameters, each `where`/`any`/`all`/`distinct … by` body a
 * chunk called once per element with (element, captures…): the captures
 * are every local of the enclosing chunk, so a nested condition can read
 * the outer element.  Chunks are made per program, because a program may
 * redefine the lets its requirements (and the module's lets) read.
 *
 * Locals are numbered as sema numbers them: fn parameters first, then one
 * per enclosing element.  In an element chunk the element is parameter 0
 * and local k < n is parameter k + 1.
 */
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "lower.h"

/* How deeply calls nest below each chunk made so far (1: it calls
 * nothing), for every program lowered: the verifier's limit is reported
 * at the source (docs/bytecode.md, BC_MAX_CALL_DEPTH), once. */
typedef struct call_depths {
    VEC(uint32_t) of;         /* by chunk index; 0: not known yet */
    bool reported;
} call_depths;

typedef struct lowerer {
    sema *s;
    mbuild *b;
    call_depths *depths;
    prog_info *pi;
    uint32_t prog;          /* module program index */
    uint32_t memo_key;      /* prog + 1 */
    /* In a family's member: the values of the members it is in
     * (member_binding), innermost first. */
    const family_binding *bindings;
    uint32_t *member_keys;  /* the last member's memo key given */
    const char *prefix;     /* "apn-2019-consulting: " */
    bool per_item;          /* requirement chunks take the item (local 0) */
    uint32_t item_type;
} lowerer;

typedef struct emitter {
    uint32_t chunk;
    uint32_t nlocals;
    const uint32_t *local_types; /* [nlocals], by sema local index */
    bool elem_first;        /* element chunk: the last local is parameter 0 */
    const char *name;       /* the chunk's name, for nested chunks */
    /* Values on the operand stack after the code so far, and the most at
     * any point: the verifier's limit (BC_MAX_STACK) is reported at the
     * source, like the depth of calls. */
    uint32_t height, max_height;
} emitter;

static void lower_expr(lowerer *L, emitter *em, const ast_expr *e);

static uint32_t param_of(const emitter *em, uint32_t local)
{
    if (!em->elem_first)
        return local;
    return local == em->nlocals - 1 ? 0 : local + 1;
}

static uint32_t depth_of(const lowerer *L, uint32_t c)
{
    return c < L->depths->of.len && L->depths->of.items[c] ? L->depths->of.items[c] : 1;
}

/* Chunk `caller` calls `callee`, whose code is complete. */
static void note_call(lowerer *L, uint32_t caller, uint32_t callee)
{
    call_depths *d = L->depths;
    while (d->of.len <= caller)
        if (!vec_push(L->s->alloc, &d->of, 0)) {
            L->s->c->oom = true;
            return;
        }
    if (depth_of(L, callee) + 1 > depth_of(L, caller))
        d->of.items[caller] = depth_of(L, callee) + 1;
}

/* The values an instruction takes from the stack. */
static uint32_t pops_of(const lowerer *L, opcode op, uint32_t operand)
{
    bool calls = opcode_table[op].operand == OPND_CHUNK && !L->b->failed;
    return opcode_pops(op, operand, calls ? L->b->m->chunks[operand].nparams : 0);
}

/* The stack after `pops` values are taken and `pushes` given. */
static void move_stack(emitter *em, uint32_t pops, uint32_t pushes)
{
    em->height = (em->height > pops ? em->height - pops : 0) + pushes;
    if (em->height > em->max_height)
        em->max_height = em->height;
}

static uint32_t emit(lowerer *L, emitter *em, opcode op, uint32_t operand)
{
    if (L->b->failed)
        return 0; /* out of memory: chunks and operands may be BC_NONE */
    if (opcode_table[op].operand == OPND_CHUNK)
        note_call(L, em->chunk, operand);
    move_stack(em, pops_of(L, op, operand), (uint32_t)opcode_table[op].pushes);
    return mb_emit(L->b, em->chunk, op, operand);
}

/* A jump to be patched.  Where the code goes on: JUMP_IF_FALSE took the
 * condition; AND_JUMP and OR_JUMP leave their operand only on the jump. */
static uint32_t emit_jump(lowerer *L, emitter *em, opcode op)
{
    move_stack(em, op == OP_JUMP ? 0 : 1, 0);
    return mb_emit_jump(L->b, em->chunk, op);
}

/* End the code of em's chunk, made for the construct at loc (`name`, or
 * an expression when NULL), and report what passes the bytecode's limits:
 * calls nested too deeply, too many values on the stack at once (both
 * once: an enclosing construct would only repeat it). */
static void finish_chunk(lowerer *L, emitter *em, ast_loc loc, const char *name)
{
    emit(L, em, OP_RET, 0);
    bool deep = depth_of(L, em->chunk) > BC_MAX_CALL_DEPTH;
    bool wide = em->max_height > BC_MAX_STACK;
    if ((!deep && !wide) || L->depths->reported)
        return;
    L->depths->reported = true;
    const char *q = name ? "'" : "";
    const char *what = name ? name : "this expression";
    if (deep) {
        diag_error(L->s->diags, loc, "%s%s%s nests calls more than %u deep: lets, functions "
                   "and conditions (where, any, all) within one another",
                   q, what, q, BC_MAX_CALL_DEPTH);
        return;
    }
    diag_error(L->s->diags, loc, "%s%s%s holds more than %u values at once while it is "
               "computed", q, what, q, BC_MAX_STACK);
    diag_hint(L->s->diags, "name parts of it with `let`");
}

/* The name a chunk was given (nested chunks extend it). */
static const char *chunk_label(lowerer *L, uint32_t c)
{
    if (L->b->failed || c >= L->b->m->nchunks)
        return "?";
    return module_str(L->b->m, L->b->m->chunks[c].name);
}

static const char *chunk_name(lowerer *L, const char *what, const char *name)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s%s", L->prefix, what, name);
    char *r = arena_strndup(L->s->mem, buf, strlen(buf));
    return r ? r : "?";
}

/* ------------------------------------------------------------ lets, fns */

/* A family member being lowered: its value, and the memo key of the
 * requirement lets that read it, which are lowered again for each member. */
typedef struct member_binding {
    family_binding b;
    uint32_t memo_key;
} member_binding;

/* A let of a family's requirement is made once per member of the family
 * it is in (the innermost), any other let once per program. */
static uint32_t let_memo_key(const lowerer *L, const let_info *li)
{
    const family_info *f = li->level == LET_REQUIREMENT ? sema_family_around(li->scope) : NULL;
    for (const family_binding *b = f ? L->bindings : NULL; b; b = b->outer)
        if (b->family == f)
            return ((const member_binding *)b)->memo_key;
    return L->memo_key;
}

static uint32_t let_chunk(lowerer *L, let_info *li)
{
    li = sema_effective_let(L->pi, li);
    uint32_t key = let_memo_key(L, li);
    if (li->lowered_for == key)
        return li->chunk;
    uint32_t c = mb_chunk(L->b, chunk_name(L, "let ", li->ast->name.name), CHUNK_LET, 0,
                          NULL, li->type);
    li->lowered_for = key;
    li->chunk = c;
    emitter em = {c, 0, NULL, false, chunk_label(L, c), 0, 0};
    lower_expr(L, &em, li->ast->value);
    finish_chunk(L, &em, li->ast->name.loc, li->ast->name.name);
    return c;
}

static uint32_t fn_chunk(lowerer *L, fn_info *fi)
{
    if (fi->lowered_for == L->memo_key)
        return fi->chunk;
    ast_fn *fn = fi->ast;
    uint32_t c = mb_chunk(L->b, chunk_name(L, "fn ", fn->name.name), 0, (uint16_t)fn->nparams,
                          fi->param_types, fi->ret_type);
    fi->lowered_for = L->memo_key;
    fi->chunk = c;
    emitter em = {c, fn->nparams, fi->param_types, false, chunk_label(L, c), 0, 0};
    lower_expr(L, &em, fn->body);
    finish_chunk(L, &em, fn->name.loc, fn->name.name);
    return c;
}

/* ------------------------------------------------------------ elements */

/* Open a chunk for a per-element body: params (elem, locals of em...). */
static uint32_t element_chunk(lowerer *L, const emitter *em, uint32_t elem_type,
                              uint32_t ret_type, const char *what, emitter *out)
{
    uint32_t n = em->nlocals;
    uint32_t *params = arena_calloc(L->s->mem, n + 1, sizeof(uint32_t));
    uint32_t *locals = arena_calloc(L->s->mem, n + 1, sizeof(uint32_t));
    if (!params || !locals) {
        L->s->c->oom = true;
        return 0;
    }
    params[0] = elem_type;
    for (uint32_t i = 0; i < n; i++) {
        params[i + 1] = em->local_types[i];
        locals[i] = em->local_types[i];
    }
    locals[n] = elem_type;
    char name[512];
    snprintf(name, sizeof name, "%s %s", em->name, what);
    uint32_t c = mb_chunk(L->b, name, 0, (uint16_t)(n + 1), params, ret_type);
    out->chunk = c;
    out->nlocals = n + 1;
    out->local_types = locals;
    out->elem_first = true;
    out->name = chunk_label(L, c);
    out->height = out->max_height = 0;
    return c;
}

/* Push every local of em (the captures of an element chunk). */
static void push_captures(lowerer *L, emitter *em)
{
    for (uint32_t k = 0; k < em->nlocals; k++)
        emit(L, em, OP_LOCAL, param_of(em, k));
}

/* list <op> (pred): FILTER / ANY / ALL. */
static void lower_list_op(lowerer *L, emitter *em, const ast_expr *e, opcode op,
                          const char *what)
{
    const ast_expr *list = e->u.where.list;
    lower_expr(L, em, list);
    emitter inner = {0};
    uint32_t c = element_chunk(L, em, sema_elem(L->s, list->sema.type), L->s->t_bool, what,
                               &inner);
    lower_expr(L, &inner, e->u.where.pred);
    finish_chunk(L, &inner, e->loc, NULL);
    push_captures(L, em);
    emit(L, em, op, c);
}

static void lower_distinct_by(lowerer *L, emitter *em, const ast_expr *e)
{
    const ast_expr *list = e->u.call.args.items[0];
    lower_expr(L, em, list);
    emitter inner = {0};
    uint32_t c = element_chunk(L, em, sema_elem(L->s, list->sema.type), L->s->t_string,
                               "distinct by", &inner);
    for (uint32_t i = 0; i < e->u.call.by.count; i++)
        lower_expr(L, &inner, e->u.call.by.items[i]);
    emit(L, &inner, OP_KEY, e->u.call.by.count);
    finish_chunk(L, &inner, e->loc, NULL);
    push_captures(L, em);
    emit(L, em, OP_DISTINCT_BY, c);
}

/* ------------------------------------------------------------ expressions */

static void lower_const(lowerer *L, emitter *em, uint32_t type, value v)
{
    emit(L, em, OP_CONST, mb_const(L->b, type, v));
}

/* An empty list or map of a list or map type, as a constant. */
static uint32_t empty_container(lowerer *L, uint32_t type)
{
    static const list no_items;
    static const map no_entries;
    value v = value_null();
    if (sema_kind(L->s, type, false) == TK_LIST) {
        v.kind = VK_LIST;
        v.as.list = (list *)&no_items;
    } else {
        v.kind = VK_MAP;
        v.as.map = (map *)&no_entries;
    }
    return mb_const(L->b, type, v);
}

/*
 * Field `slot` of the record on the stack, whose static type is holder.
 * The field of a null record is null; for a list or map field that null
 * is the empty list or map (docs/language.md, "Null"), which is what
 * sema typed it as, so it is made one here: the value keeps the
 * non-optional type everywhere it goes (lets, arguments, `for each`).
 */
static void lower_field_of(lowerer *L, emitter *em, uint32_t holder, uint32_t slot,
                           uint32_t field_type)
{
    emit(L, em, OP_FIELD, slot);
    type_kind k = sema_kind(L->s, field_type, false);
    if (!sema_is_optional(L->s, holder) || (k != TK_LIST && k != TK_MAP))
        return;
    emit(L, em, OP_CONST, empty_container(L, field_type));
    emit(L, em, OP_COALESCE, 0);
}

static void lower_name(lowerer *L, emitter *em, const ast_expr *e)
{
    switch ((ref_kind)e->sema.ref) {
    case REF_LOCAL:
        emit(L, em, OP_LOCAL, param_of(em, e->sema.index));
        break;
    case REF_LOCAL_FIELD:
        emit(L, em, OP_LOCAL, param_of(em, e->sema.index));
        lower_field_of(L, em, em->local_types[e->sema.index],
                       (uint32_t)(uintptr_t)e->sema.target, e->sema.type);
        break;
    case REF_ROOT_FIELD:
        emit(L, em, OP_ROOT, 0);
        emit(L, em, OP_FIELD, e->sema.index);
        break;
    case REF_LET:
        emit(L, em, OP_CALL_LET, let_chunk(L, e->sema.target));
        break;
    case REF_ENUM_VALUE:
        lower_const(L, em, e->sema.type, value_enum(e->sema.index));
        break;
    case REF_FAMILY:
        lower_const(L, em, e->sema.type, sema_family_value(L->bindings, e->sema.target));
        break;
    default:
        break;
    }
}

static void lower_field(lowerer *L, emitter *em, const ast_expr *e)
{
    if (e->sema.ref == REF_ENUM_VALUE) {
        lower_const(L, em, e->sema.type, value_enum(e->sema.index));
        return;
    }
    const ast_expr *base = e->u.field.base;
    lower_expr(L, em, base);
    if (sema_kind(L->s, base->sema.type, false) == TK_LIST)
        emit(L, em, OP_PROJECT, e->sema.index);
    else
        lower_field_of(L, em, base->sema.type, e->sema.index, e->sema.type);
}

static void lower_args(lowerer *L, emitter *em, const ast_expr *e)
{
    for (uint32_t i = 0; i < e->u.call.args.count; i++)
        lower_expr(L, em, e->u.call.args.items[i]);
}

static void lower_call(lowerer *L, emitter *em, const ast_expr *e)
{
    if (e->sema.ref == REF_FN) {
        lower_args(L, em, e);
        emit(L, em, OP_CALL, fn_chunk(L, e->sema.target));
        return;
    }
    static const opcode simple[BI__COUNT] = {
        [BI_COUNT] = OP_COUNT,
        [BI_LENGTH] = OP_LENGTH,
        [BI_IS_DIGITS] = OP_IS_DIGITS,
        [BI_ADD_DAYS] = OP_ADD_DAYS,
        [BI_ADD_MONTHS] = OP_ADD_MONTHS,
        [BI_DAYS_BETWEEN] = OP_DAYS_BETWEEN,
        [BI_MONTHS_BETWEEN] = OP_MONTHS_BETWEEN,
        [BI_BUSINESS_DAYS_BETWEEN] = OP_BUSINESS_DAYS,
        [BI_FIRST_DAY] = OP_FIRST_DAY,
        [BI_MONTH_OF] = OP_MONTH_OF,
        [BI_GET] = OP_MAP_GET,
    };
    builtin_id id = (builtin_id)e->sema.index;
    switch (id) {
    case BI_MAX:
    case BI_MIN:
        lower_args(L, em, e);
        if (e->u.call.args.count == 1)
            emit(L, em, id == BI_MAX ? OP_MAX : OP_MIN, 0);
        else
            emit(L, em, id == BI_MAX ? OP_MAX2 : OP_MIN2, 0);
        return;
    case BI_SUM:
        lower_args(L, em, e);
        emit(L, em, OP_SUM, sema_kind(L->s, e->sema.type, true) == TK_MONEY ? 1 : 0);
        return;
    case BI_DISTINCT:
        if (e->u.call.by.count) {
            lower_distinct_by(L, em, e);
            return;
        }
        lower_args(L, em, e);
        emit(L, em, OP_DISTINCT, 0);
        return;
    default:
        lower_args(L, em, e);
        emit(L, em, simple[id], 0);
        return;
    }
}

/* d ± 12 months, d ± 90 days, m ± 3 months. */
static void lower_duration_arith(lowerer *L, emitter *em, const ast_expr *e)
{
    const ast_expr *d = e->u.binary.right;
    lower_expr(L, em, e->u.binary.left);
    int64_t n = d->u.dur.amount;
    if (e->u.binary.op == OPX_SUB)
        n = -n;
    emit(L, em, OP_CONST, mb_const_int(L->b, n));
    emit(L, em, d->u.dur.unit == DUR_DAYS ? OP_ADD_DAYS : OP_ADD_MONTHS, 0);
}

/* The constant list of a set's items {a, b, c}: literals or enum values. */
static bool set_list(lowerer *L, const ast_expr *r, value *out)
{
    uint32_t n = r->u.set.count;
    list *l = arena_alloc(L->s->mem, sizeof(list) + (size_t)n * sizeof(value));
    if (!l) {
        L->s->c->oom = true;
        return false;
    }
    l->count = n;
    for (uint32_t i = 0; i < n; i++) {
        const ast_expr *item = r->u.set.items[i];
        value v = {0};
        switch (item->kind) {
        case EX_INT:
            v = value_int(item->u.i);
            break;
        case EX_MONEY:
            v = value_money(item->u.i);
            break;
        case EX_DATE:
            v = value_date((int32_t)item->u.i);
            break;
        case EX_MONTH:
            v = value_month((int32_t)item->u.i);
            break;
        case EX_STRING:
            v = value_string(item->u.str.ptr, item->u.str.len);
            break;
        case EX_BOOL:
            v = value_bool(item->u.b);
            break;
        case EX_UNARY: {
            const ast_expr *o = item->u.unary.operand;
            v = o->kind == EX_INT ? value_int(-o->u.i) : value_money(-o->u.i);
            break;
        }
        default: /* an enum value */
            v = value_enum(item->sema.index);
            break;
        }
        l->items[i] = v;
    }
    memset(out, 0, sizeof *out);
    out->kind = VK_LIST;
    out->as.list = l;
    return true;
}

static void lower_in(lowerer *L, emitter *em, const ast_expr *e)
{
    const ast_expr *x = e->u.binary.left, *r = e->u.binary.right;
    lower_expr(L, em, x);
    if (r->kind == EX_SET) {
        value lv;
        if (!set_list(L, r, &lv))
            return;
        lower_const(L, em, r->sema.type, lv);
        emit(L, em, OP_IN_LIST, 0);
        return;
    }
    lower_expr(L, em, r);
    emit(L, em, sema_kind(L->s, r->sema.type, false) == TK_INTERVAL ? OP_IN_INTERVAL : OP_IN_LIST,
         0);
}

/* `null`, or an `if` whose branches are all `null`. */
static bool is_null_literal(const ast_expr *e)
{
    while (e->kind == EX_IF) {
        if (!is_null_literal(e->u.if_.then_))
            return false;
        e = e->u.if_.else_;
    }
    return e->kind == EX_NULL;
}

/* `x == null`, `x != null` where x is a record: IS_NULL, since only
 * scalars compare with EQ and NE.  False for any other comparison. */
static bool lower_null_test(lowerer *L, emitter *em, const ast_expr *e)
{
    const ast_expr *l = e->u.binary.left, *r = e->u.binary.right;
    const ast_expr *x = is_null_literal(r) ? l : is_null_literal(l) ? r : NULL;
    if (!x || (e->u.binary.op != OPX_EQ && e->u.binary.op != OPX_NE) ||
        sema_kind(L->s, x->sema.type, true) != TK_RECORD)
        return false;
    lower_expr(L, em, x);
    emit(L, em, OP_IS_NULL, 0);
    if (e->u.binary.op == OPX_NE)
        emit(L, em, OP_NOT, 0);
    return true;
}

static void lower_binary(lowerer *L, emitter *em, const ast_expr *e)
{
    const ast_expr *l = e->u.binary.left, *r = e->u.binary.right;
    static const opcode ops[] = {
        [OPX_ADD] = OP_ADD, [OPX_SUB] = OP_SUB, [OPX_MUL] = OP_MUL, [OPX_DIV] = OP_DIV,
        [OPX_EQ] = OP_EQ,   [OPX_NE] = OP_NE,   [OPX_LT] = OP_LT,   [OPX_LE] = OP_LE,
        [OPX_GT] = OP_GT,   [OPX_GE] = OP_GE,   [OPX_COALESCE] = OP_COALESCE,
    };
    if (lower_null_test(L, em, e))
        return;
    switch (e->u.binary.op) {
    case OPX_AND:
    case OPX_OR: {
        lower_expr(L, em, l);
        uint32_t j = emit_jump(L, em, e->u.binary.op == OPX_AND ? OP_AND_JUMP : OP_OR_JUMP);
        lower_expr(L, em, r);
        mb_patch_jump(L->b, em->chunk, j);
        return;
    }
    case OPX_IN:
        lower_in(L, em, e);
        return;
    case OPX_ADD:
    case OPX_SUB:
        if (r->kind == EX_DURATION) {
            lower_duration_arith(L, em, e);
            return;
        }
        lower_expr(L, em, l);
        lower_expr(L, em, r);
        if (sema_kind(L->s, l->sema.type, false) == TK_LIST)
            emit(L, em, OP_CONCAT, 0);
        else
            emit(L, em, ops[e->u.binary.op], 0);
        return;
    default:
        lower_expr(L, em, l);
        lower_expr(L, em, r);
        emit(L, em, ops[e->u.binary.op], 0);
        return;
    }
}

static void lower_if(lowerer *L, emitter *em, const ast_expr *e)
{
    lower_expr(L, em, e->u.if_.cond);
    uint32_t to_else = emit_jump(L, em, OP_JUMP_IF_FALSE);
    uint32_t height = em->height;
    lower_expr(L, em, e->u.if_.then_);
    uint32_t to_end = emit_jump(L, em, OP_JUMP);
    em->height = height; /* the else branch starts where the then branch did */
    mb_patch_jump(L->b, em->chunk, to_else);
    lower_expr(L, em, e->u.if_.else_);
    mb_patch_jump(L->b, em->chunk, to_end);
}

static void lower_expr(lowerer *L, emitter *em, const ast_expr *e)
{
    switch (e->kind) {
    case EX_INT:
        lower_const(L, em, L->s->t_int, value_int(e->u.i));
        break;
    case EX_MONEY:
        lower_const(L, em, L->s->t_money, value_money(e->u.i));
        break;
    case EX_DATE:
        lower_const(L, em, L->s->t_date, value_date((int32_t)e->u.i));
        break;
    case EX_MONTH:
        lower_const(L, em, L->s->t_month, value_month((int32_t)e->u.i));
        break;
    case EX_STRING:
        lower_const(L, em, L->s->t_string, value_string(e->u.str.ptr, e->u.str.len));
        break;
    case EX_BOOL:
        lower_const(L, em, L->s->t_bool, value_bool(e->u.b));
        break;
    case EX_NULL:
        lower_const(L, em, e->sema.type, value_null());
        break;
    case EX_NAME:
        lower_name(L, em, e);
        break;
    case EX_IT:
        emit(L, em, OP_LOCAL, param_of(em, e->sema.index));
        break;
    case EX_AS_OF:
        emit(L, em, OP_AS_OF, 0);
        break;
    case EX_WINDOW:
        emit(L, em, OP_WINDOW, 0);
        break;
    case EX_FIELD:
        lower_field(L, em, e);
        break;
    case EX_CALL:
        lower_call(L, em, e);
        break;
    case EX_UNARY:
        lower_expr(L, em, e->u.unary.operand);
        emit(L, em, e->u.unary.op == OPX_NOT ? OP_NOT : OP_NEG, 0);
        break;
    case EX_BINARY:
        lower_binary(L, em, e);
        break;
    case EX_WHERE:
        lower_list_op(L, em, e, OP_FILTER, "where");
        break;
    case EX_ANY:
        lower_list_op(L, em, e, OP_ANY, "any");
        break;
    case EX_ALL:
        lower_list_op(L, em, e, OP_ALL, "all");
        break;
    case EX_IF:
        lower_if(L, em, e);
        break;
    case EX_INTERVAL:
        lower_expr(L, em, e->u.interval.lo);
        lower_expr(L, em, e->u.interval.hi);
        emit(L, em, OP_INTERVAL,
             (e->u.interval.lo_open ? 1u : 0u) | (e->u.interval.hi_open ? 2u : 0u));
        break;
    case EX_SET: {
        /* A set outside `in` is a constant list ({"RDS-1", "RDS-2"}). */
        value lv;
        if (sema_kind(L->s, e->sema.type, false) == TK_LIST && set_list(L, e, &lv))
            lower_const(L, em, e->sema.type, lv);
        break;
    }
    case EX_DURATION:
    case EX_SUSTAINED:
        break; /* only inside the forms that handle them */
    }
}

/* A chunk of no parameters computing e. */
static uint32_t expr_chunk(lowerer *L, const char *what, const ast_expr *e, uint32_t type)
{
    uint32_t c = mb_chunk(L->b, chunk_name(L, "", what), 0, 0, NULL, type);
    emitter em = {c, 0, NULL, false, chunk_label(L, c), 0, 0};
    lower_expr(L, &em, e);
    finish_chunk(L, &em, e->loc, NULL);
    return c;
}

/* A chunk of one parameter, an element of type elem_type (local 0),
 * computing e: per-item requirements, report columns, item errors. */
static uint32_t elem_expr_chunk(lowerer *L, const char *what, const ast_expr *e,
                                uint32_t elem_type, uint32_t type)
{
    uint32_t *param = arena_calloc(L->s->mem, 1, sizeof *param);
    if (!param) {
        L->s->c->oom = true;
        return 0;
    }
    *param = elem_type;
    uint32_t c = mb_chunk(L->b, chunk_name(L, "", what), 0, 1, param, type);
    emitter em = {c, 1, param, false, chunk_label(L, c), 0, 0};
    lower_expr(L, &em, e);
    finish_chunk(L, &em, e->loc, NULL);
    return c;
}

/* A chunk of a requirement: of the item in a per-item program. */
static uint32_t node_chunk(lowerer *L, const char *what, const ast_expr *e, uint32_t type)
{
    if (L->per_item)
        return elem_expr_chunk(L, what, e, L->item_type, type);
    return expr_chunk(L, what, e, type);
}

/* ------------------------------------------------------------ nodes */

static bc_threshold threshold_column(lowerer *L, const ast_expr *c, uint8_t unit)
{
    bc_threshold th = {TH_NONE, 0};
    if (!c)
        return th;
    th.kind = TH_CONST;
    const ast_expr *lit = c;
    bool neg = false;
    if (c->kind == EX_UNARY) {
        lit = c->u.unary.operand;
        neg = true;
    }
    switch (unit) {
    case UNIT_BOOL:
        th.index = mb_const_bool(L->b, true);
        break;
    case UNIT_USD:
        th.index = mb_const_money(L->b, neg ? -lit->u.i : lit->u.i);
        break;
    case UNIT_MONTHS:
        th.index = mb_const_int(L->b, lit->u.dur.amount);
        break;
    default:
        th.index = mb_const_int(L->b, neg ? -lit->u.i : lit->u.i);
        break;
    }
    return th;
}

typedef struct sustained_fix {
    uint32_t node;
    const ast_expr *measure;
} sustained_fix;

typedef struct node_ctx {
    const char *category;
    VEC(sustained_fix) sustained;
} node_ctx;

static const char *path_of(lowerer *L, const char *parent_path, const char *id)
{
    if (!parent_path)
        return id;
    char buf[512];
    snprintf(buf, sizeof buf, "%s.%s", parent_path, id);
    char *r = arena_strndup(L->s->mem, buf, strlen(buf));
    return r ? r : id;
}

static uint32_t cond_chunk(lowerer *L, const char *path, const char *what, const ast_expr *e)
{
    if (!e)
        return BC_NONE;
    char name[512];
    snprintf(name, sizeof name, "%s %s", path, what);
    return node_chunk(L, name, e, L->s->t_bool);
}

static void lower_node(lowerer *L, node_ctx *nc, const ast_req *req, uint32_t parent,
                       const char *parent_path, bool time_bound);

/* The threshold of the node at path: changed by an extending program,
 * worked out for a family's member (a tiered program's), or as written. */
static const ast_threshold *threshold_of(lowerer *L, const ast_req *req, const char *path)
{
    const ast_threshold *th = symtab_get(&L->pi->overrides, path);
    if (!th && !L->per_item)
        th = sema_computed_threshold(L->pi, path);
    return th ? th : &req->threshold;
}

static void lower_req(lowerer *L, node_ctx *nc, const ast_req *req, uint32_t parent,
                      const char *parent_path, bool time_bound)
{
    const char *path = path_of(L, parent_path, req->id.name);
    time_bound = time_bound || req->time_bound;
    uint32_t n = mb_node(L->b, L->prog, parent, req->id.name, req->title, nc->category);
    if (L->b->failed)
        return;
    const ast_threshold *th = threshold_of(L, req, path);
    uint8_t unit = sema_req_unit(L->s, req, th);
    uint32_t measure = BC_NONE;
    uint8_t kind = NODE_MEASURE;
    if (req->either)
        kind = NODE_CHOICE;
    else if (req->measure && req->measure->kind == EX_SUSTAINED)
        kind = NODE_SUSTAINED;
    else if (req->measure)
        measure = node_chunk(L, path, req->measure, req->measure->sema.type);
    uint32_t na = cond_chunk(L, path, "not_applicable when", req->na_when);
    uint32_t grace = cond_chunk(L, path, "grace when", req->grace_when);
    uint32_t at_risk = cond_chunk(L, path, "at_risk when", req->at_risk_when);
    if (L->b->failed)
        return; /* the node is the builder's scratch, without thresholds */
    bc_node *node = mb_node_ptr(L->b, L->prog, n);
    node->kind = kind;
    node->unit = unit;
    node->cmp = th->kind == THR_REQUIRED ? CMP_REQUIRED
                : th->kind == THR_AT_MOST ? CMP_AT_MOST
                                          : CMP_AT_LEAST;
    node->flags = time_bound ? NODE_TIME_BOUND : 0;
    node->measure = measure;
    node->na_when = na;
    node->grace_when = grace;
    node->at_risk_when = at_risk;
    if (kind != NODE_CHOICE && L->per_item && th->ncolumns == 1) {
        const ast_expr *col = th->columns[0];
        char what[512];
        snprintf(what, sizeof what, "%s threshold", path);
        if (col && !sema_literal_column(col)) {
            uint32_t c = node_chunk(L, what, col, req->measure->sema.type);
            if (L->b->failed)
                return;
            node = mb_node_ptr(L->b, L->prog, n);
            node->thresholds[0] = (bc_threshold){TH_CHUNK, c};
        } else {
            node->thresholds[0] = threshold_column(L, col, unit);
        }
    } else if (kind != NODE_CHOICE) {
        for (uint32_t t = 0; t < L->pi->ntiers; t++) {
            const ast_expr *col = th->ncolumns == 1 ? th->columns[0]
                                  : t < th->ncolumns ? th->columns[t]
                                                     : NULL;
            node->thresholds[t] = threshold_column(L, col, unit);
        }
    }
    if (kind == NODE_SUSTAINED) {
        sustained_fix f = {n, req->measure};
        if (!vec_push(L->s->alloc, &nc->sustained, f))
            L->s->c->oom = true;
    }
    for (uint32_t i = 0; i < req->parts.count; i++)
        lower_node(L, nc, req->parts.items[i], n, path, time_bound);
}

/* A family's member is an ordinary node, with its value bound for
 * everything below it. */
static void lower_node(lowerer *L, node_ctx *nc, const ast_req *req, uint32_t parent,
                       const char *parent_path, bool time_bound)
{
    if (!req->template_req) {
        lower_req(L, nc, req, parent, parent_path, time_bound);
        return;
    }
    const family_binding *outer = L->bindings;
    member_binding here = {{req->template_req->family->sema, req->member, outer},
                           ++*L->member_keys};
    L->bindings = &here.b;
    lower_req(L, nc, req, parent, parent_path, time_bound);
    L->bindings = outer;
}

/* A sustained node checks every top-level requirement of its tier but
 * those it names. */
static void fix_sustained(lowerer *L, const sustained_fix *f)
{
    const ast_expr *e = f->measure;
    bc_program *p = mb_program_ptr(L->b, L->prog);
    uint32_t tier = BC_NONE;
    for (uint32_t i = 0; i < L->pi->ntiers; i++)
        if (strcmp(L->pi->tier_names[i], e->u.sustained.tier) == 0)
            tier = i;
    uint32_t checked[512];
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->nnodes && n < 512; i++) {
        const bc_node *node = &p->nodes[i];
        if (node->parent != BC_NONE)
            continue;
        const char *id = module_str(L->b->m, node->id);
        bool excluded = false;
        for (uint32_t x = 0; x < e->u.sustained.nexcept; x++)
            if (strcmp(e->u.sustained.except[x], id) == 0)
                excluded = true;
        if (!excluded)
            checked[n++] = i;
    }
    mb_node_ptr(L->b, L->prog, f->node)->sustained_tier = tier;
    mb_node_checked(L->b, L->prog, f->node, checked, n);
}

/* ------------------------------------------------------------ programs */

/* `for each … report KEY label …` and `error when`. */
static void lower_per_item(lowerer *L)
{
    const ast_program *ast = L->pi->ast;
    sema *s = L->s;
    uint32_t items = expr_chunk(L, "for each", ast->items, ast->items->sema.type);
    const ast_expr *label = ast->item_label;
    uint32_t label_chunk = elem_expr_chunk(L, "label", label, L->item_type, label->sema.type);
    for (uint32_t i = 0; i < ast->nerrors; i++) {
        const ast_item_error *err = &ast->errors[i];
        uint32_t when = elem_expr_chunk(L, "error when", err->when, L->item_type, s->t_bool);
        uint32_t args[64];
        uint32_t nargs = err->nargs < 64 ? err->nargs : 64;
        for (uint32_t a = 0; a < nargs; a++)
            args[a] = elem_expr_chunk(L, "error value", err->args[a], L->item_type,
                                      err->args[a]->sema.type);
        mb_item_error(L->b, L->prog, when, err->text, args, nargs);
    }
    bc_program *p = mb_program_ptr(L->b, L->prog);
    if (L->b->failed)
        return;
    p->items = items;
    p->items_name = mb_cstring(L->b, ast->items_key.name);
    p->item_label = label_chunk;
    p->item_label_name = mb_cstring(L->b, label->kind == EX_NAME ? label->u.name : "label");
}

/* The report lists: `for each … report KEY` and its columns. */
static void lower_reports(lowerer *L)
{
    const ast_program *ast = L->pi->ast;
    for (uint32_t i = 0; i < ast->nreports; i++) {
        const ast_report *r = &ast->reports[i];
        uint32_t elem = L->pi->report_scopes[i]->elem_type;
        uint32_t items = expr_chunk(L, r->name.name, r->items, r->items->sema.type);
        uint32_t list = mb_report_list(L->b, L->prog, r->name.name, items);
        for (uint32_t c = 0; c < r->ncolumns; c++) {
            char what[300];
            snprintf(what, sizeof what, "%s.%s", r->name.name, r->columns[c].name.name);
            const ast_expr *v = r->columns[c].value;
            uint32_t chunk = elem_expr_chunk(L, what, v, elem, v->sema.type);
            mb_report_column(L->b, L->prog, list, r->columns[c].name.name, chunk);
        }
    }
}

/* The tiers, current tier and the two views of a tiered program. */
static void lower_tiered(lowerer *L)
{
    sema *s = L->s;
    prog_info *pi = L->pi;
    mb_program_tiers(L->b, L->prog, pi->tier_enum, pi->tier_values, pi->ntiers);
    uint32_t tier_type = mb_type(L->b, TK_ENUM, pi->tier_enum);
    uint32_t tier = expr_chunk(L, "tiers by", pi->tier_by, tier_type);
    uint32_t rolling = expr_chunk(L, "rolling window", pi->rolling, s->t_interval);
    uint32_t renewal = expr_chunk(L, "renewal window", pi->renewal, s->t_interval);
    uint32_t due = expr_chunk(L, "due", pi->due, s->t_date);
    bc_program *p = mb_program_ptr(L->b, L->prog);
    if (L->b->failed)
        return;
    p->current_tier = tier;
    p->rolling_window = rolling;
    p->renewal_window = renewal;
    p->review_date = due;
}

static void lower_program(sema *s, call_depths *depths, uint32_t *member_keys, prog_info *pi)
{
    mbuild *b = s->b;
    ast_program *ast = pi->ast;
    lowerer L = {s, b, depths, pi, 0, 0, NULL, member_keys, NULL, pi->per_item, pi->item_type};
    L.prog = mb_program(b, ast->id, ast->title, ast->version,
                        pi->per_item ? PROGRAM_PER_ITEM : PROGRAM_TIERED);
    L.memo_key = L.prog + 1;
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s: ", ast->id);
    L.prefix = arena_strndup(s->mem, prefix, strlen(prefix));
    if (b->failed || !L.prefix)
        return;
    uint32_t applies = pi->applies ? expr_chunk(&L, "applies when", pi->applies, s->t_bool)
                                   : BC_NONE;
    if (pi->per_item)
        lower_per_item(&L);
    else
        lower_tiered(&L);
    lower_reports(&L);
    if (b->failed)
        return;
    mb_program_ptr(b, L.prog)->applies = applies;

    node_ctx nc = {0};
    for (uint32_t c = 0; c < pi->ncategories; c++) {
        const ast_category *cat = &pi->categories[c];
        nc.category = cat->name.name;
        for (uint32_t r = 0; r < cat->reqs.count; r++)
            lower_node(&L, &nc, cat->reqs.items[r], BC_NONE, NULL, false);
    }
    for (uint32_t i = 0; i < nc.sustained.len; i++)
        fix_sustained(&L, &nc.sustained.items[i]);
    vec_free(s->alloc, &nc.sustained);
}

/* Programs are evaluated and printed in the order of the module: the
 * tiered programs in declaration order, then the per-item ones, so that a
 * partner's scorecards come before its per-item results. */
bool lower_programs(sema *s)
{
    call_depths depths = {0};
    /* Above every program's memo key (lowerer.memo_key). */
    uint32_t member_keys = UINT32_MAX / 2;
    bool ok = true;
    for (int per_item = 0; per_item < 2 && ok; per_item++) {
        for (uint32_t i = 0; i < s->program_list.len && ok; i++) {
            prog_info *pi = s->program_list.items[i];
            if (!s->c->files.items[pi->file].root || pi->per_item != (per_item == 1))
                continue;
            ok = !pi->failed;
            if (ok)
                lower_program(s, &depths, &member_keys, pi);
        }
    }
    vec_free(s->alloc, &depths.of);
    return ok && !depths.reported && !s->b->failed && !s->c->oom;
}
