/*
 * verify_code.c — the instruction-level half of the verifier.
 *
 * A chunk is checked in two passes.  The first decodes it instruction by
 * instruction (known opcodes, operands inside the code) and marks where
 * instructions start.  The second interprets it abstractly, keeping a type
 * for every stack slot.  Because jumps only go forward, one pass in code
 * order sees every predecessor of an instruction before the instruction
 * itself: a jump leaves its stack as a pending state at its target, and the
 * states meeting at a target are joined there (heights equal, types equal
 * up to nullability).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "opcodes.h"
#include "verify_internal.h"

/* A stack waiting at a jump target. */
typedef struct pending {
    uint32_t target;
    uint32_t height;
    vtype *slots;
} pending;

typedef struct code_check {
    verifier *v;
    const bc_module *m;
    uint32_t index;        /* the chunk */
    const bc_chunk *c;
    uint32_t pc;           /* the instruction being checked */
    vtype *stack;          /* [BC_MAX_STACK] */
    uint32_t height;
    uint32_t max_height;
    bool reachable;        /* some path reaches pc */
    uint8_t *starts;       /* [code_len]: 1 where an instruction starts */
    /* Pending stacks, sorted by target, highest first: the next one to
     * meet is at the end. */
    pending *waiting;
    uint32_t nwaiting, cap;
} code_check;

static void cfail(code_check *cc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void cfail(code_check *cc, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    verify_fail(cc->v, "chunk %u '%s' at 0x%04x: %s", cc->index,
                verify_chunk_name(cc->m, cc->index), cc->pc, reason);
}

static const char *op_name(code_check *cc)
{
    return opcode_table[cc->c->code[cc->pc]].name;
}

/* ------------------------------------------------------------ decoding */

static bool check_operand_index(code_check *cc, opcode op, uint32_t operand);
static const bc_chunk *callee(code_check *cc, uint32_t k);

static bool decode(code_check *cc)
{
    const bc_chunk *c = cc->c;
    for (uint32_t pc = 0; pc < c->code_len;) {
        cc->pc = pc;
        if (c->code[pc] >= OP__COUNT) {
            cfail(cc, "unknown opcode 0x%02x", c->code[pc]);
            return false;
        }
        uint32_t size = opcode_size((opcode)c->code[pc]);
        if (size > c->code_len - pc) {
            cfail(cc, "%s runs past the end of the code", op_name(cc));
            return false;
        }
        /* Indices that do not depend on the stack are checked for every
         * instruction, reachable or not: the call-depth pass and the
         * disassembler read unreachable ones too. */
        opcode op = (opcode)c->code[pc];
        uint32_t operand = opcode_operand(c->code, pc);
        if (!check_operand_index(cc, op, operand) ||
            (opcode_table[op].operand == OPND_CHUNK && !callee(cc, operand)))
            return false;
        cc->starts[pc] = 1;
        pc += size;
    }
    return true;
}

/* ------------------------------------------------------------ the stack */

static void type_text(code_check *cc, vtype t, char *buf, size_t size)
{
    vt_text(cc->m, t, buf, size);
}

static bool push(code_check *cc, vtype t)
{
    if (cc->height >= BC_MAX_STACK) {
        cfail(cc, "stack overflow: more than %u values", BC_MAX_STACK);
        return false;
    }
    cc->stack[cc->height++] = t;
    if (cc->height > cc->max_height)
        cc->max_height = cc->height;
    return true;
}

/* The value n below the top (0: the top). */
static vtype peek(const code_check *cc, uint32_t n)
{
    return cc->stack[cc->height - 1 - n];
}

/* ------------------------------------------------------------ joins */

static bool join_into(code_check *cc, vtype *into, const vtype *from, uint32_t height,
                      uint32_t into_height)
{
    if (height != into_height) {
        cfail(cc, "stack heights %u and %u disagree where paths join", into_height, height);
        return false;
    }
    for (uint32_t i = 0; i < height; i++) {
        vtype joined;
        if (!vt_join(cc->m, into[i], from[i], &joined)) {
            char a[128], b[128];
            type_text(cc, into[i], a, sizeof a);
            type_text(cc, from[i], b, sizeof b);
            cfail(cc, "types %s and %s disagree in stack slot %u where paths join", a, b, i);
            return false;
        }
        into[i] = joined;
    }
    return true;
}

/* Leave the current stack (after the jump's own effect) at target. */
static bool add_pending(code_check *cc, uint32_t target)
{
    for (uint32_t i = cc->nwaiting; i-- > 0;) {
        pending *p = &cc->waiting[i];
        if (p->target == target)
            return join_into(cc, p->slots, cc->stack, cc->height, p->height);
        if (p->target > target)
            break;
    }
    if (cc->nwaiting == cc->cap) {
        uint32_t cap = cc->cap ? cc->cap * 2 : 8;
        pending *w = mem_realloc(&cc->m->alloc, cc->waiting, cc->cap * sizeof *w,
                                 cap * sizeof *w);
        if (!w) {
            cfail(cc, "out of memory");
            return false;
        }
        cc->waiting = w;
        cc->cap = cap;
    }
    vtype *slots = mem_alloc(&cc->m->alloc, (cc->height ? cc->height : 1) * sizeof *slots);
    if (!slots) {
        cfail(cc, "out of memory");
        return false;
    }
    if (cc->height)
        memcpy(slots, cc->stack, cc->height * sizeof *slots);
    /* Keep the array sorted by target, highest first. */
    uint32_t at = cc->nwaiting;
    while (at > 0 && cc->waiting[at - 1].target < target)
        at--;
    memmove(&cc->waiting[at + 1], &cc->waiting[at],
            (cc->nwaiting - at) * sizeof *cc->waiting);
    cc->waiting[at] = (pending){target, cc->height, slots};
    cc->nwaiting++;
    return true;
}

static void free_pending(code_check *cc, pending *p)
{
    mem_free(&cc->m->alloc, p->slots, (p->height ? p->height : 1) * sizeof *p->slots);
}

/* At an instruction: meet the stacks that jumped here. */
static bool arrive(code_check *cc)
{
    while (cc->nwaiting && cc->waiting[cc->nwaiting - 1].target == cc->pc) {
        pending *p = &cc->waiting[--cc->nwaiting];
        bool ok = true;
        if (cc->reachable) {
            ok = join_into(cc, cc->stack, p->slots, p->height, cc->height);
        } else {
            memcpy(cc->stack, p->slots, p->height * sizeof *p->slots);
            cc->height = p->height;
            cc->reachable = true;
        }
        free_pending(cc, p);
        if (!ok)
            return false;
    }
    return true;
}

static bool jump_to(code_check *cc, uint32_t operand)
{
    uint64_t target = (uint64_t)cc->pc + opcode_size(OP_JUMP) + operand;
    if (target >= cc->c->code_len) {
        cfail(cc, "%s target 0x%04llx is past the end of the code", op_name(cc),
              (unsigned long long)target);
        return false;
    }
    if (!cc->starts[target]) {
        cfail(cc, "%s target 0x%04llx is inside an instruction", op_name(cc),
              (unsigned long long)target);
        return false;
    }
    return add_pending(cc, (uint32_t)target);
}

/* ------------------------------------------------------------ type rules */

static bool is_num(uint8_t kind)
{
    return kind == TK_INT || kind == TK_MONEY;
}

static bool is_scalar(uint8_t kind)
{
    return kind >= TK_INT && kind <= TK_ENUM;
}

static bool is_ordered(const bc_module *m, vtype t)
{
    if (t.kind == TK_ENUM)
        return m->enums[t.arg].ordered;
    return is_num(t.kind) || t.kind == TK_DATE || t.kind == TK_MONTH || t.kind == TK_STRING;
}

/* An operand of kind `kind`; the null literal fits any. */
static bool operand_is(code_check *cc, vtype t, uint8_t kind, const char *what)
{
    if (t.kind == kind || t.kind == TK_NULL)
        return true;
    char have[128];
    type_text(cc, t, have, sizeof have);
    cfail(cc, "%s expects %s, found %s", op_name(cc), what, have);
    return false;
}

/* The two operands joined: one type, up to nullability. */
static bool same_type(code_check *cc, vtype a, vtype b, vtype *out)
{
    if (vt_join(cc->m, a, b, out))
        return true;
    char ta[128], tb[128];
    type_text(cc, a, ta, sizeof ta);
    type_text(cc, b, tb, sizeof tb);
    cfail(cc, "%s on %s and %s: the operands must have one type", op_name(cc), ta, tb);
    return false;
}

static bool check_list(code_check *cc, vtype t)
{
    if (t.kind == TK_LIST)
        return true;
    char have[128];
    type_text(cc, t, have, sizeof have);
    cfail(cc, "%s expects a list, found %s", op_name(cc), have);
    return false;
}

static bool check_record_field(code_check *cc, vtype r, uint32_t slot)
{
    if (r.kind != TK_RECORD) {
        char have[128];
        type_text(cc, r, have, sizeof have);
        cfail(cc, "%s expects a record, found %s", op_name(cc), have);
        return false;
    }
    const bc_record *rec = &cc->m->records[r.arg];
    if (slot >= rec->nfields) {
        cfail(cc, "%s slot %u out of range for record %s (%u fields)", op_name(cc), slot,
              module_str(cc->m, rec->name), rec->nfields);
        return false;
    }
    return true;
}

/* -------------------------------------------------------------- opcodes */

static bool op_compare(code_check *cc, opcode op)
{
    vtype joined;
    if (!same_type(cc, peek(cc, 1), peek(cc, 0), &joined))
        return false;
    bool equality = op == OP_EQ || op == OP_NE;
    bool ok = joined.kind == TK_NULL ||
              (equality ? is_scalar(joined.kind) : is_ordered(cc->m, joined));
    if (!ok) {
        char have[128];
        type_text(cc, joined, have, sizeof have);
        cfail(cc, "%s cannot compare %s", op_name(cc), have);
        return false;
    }
    cc->height -= 2;
    return push(cc, vt_make(TK_BOOL, 0, false));
}

/* ADD, SUB: num num of one kind. */
static bool op_add(code_check *cc)
{
    vtype joined;
    if (!same_type(cc, peek(cc, 1), peek(cc, 0), &joined))
        return false;
    if (!is_num(joined.kind)) {
        char have[128];
        type_text(cc, joined, have, sizeof have);
        cfail(cc, "%s expects int or money, found %s", op_name(cc), have);
        return false;
    }
    cc->height -= 2;
    return push(cc, joined);
}

/* MUL: int*int, money*int, int*money.  DIV: int/int, money/int. */
static bool op_mul_div(code_check *cc, opcode op)
{
    vtype a = peek(cc, 1), b = peek(cc, 0);
    uint8_t ka = a.kind == TK_NULL ? TK_INT : a.kind;
    uint8_t kb = b.kind == TK_NULL ? TK_INT : b.kind;
    bool ok = is_num(ka) && is_num(kb) && !(ka == TK_MONEY && kb == TK_MONEY) &&
              !(op == OP_DIV && kb == TK_MONEY);
    if (!ok) {
        char ta[128], tb[128];
        type_text(cc, a, ta, sizeof ta);
        type_text(cc, b, tb, sizeof tb);
        cfail(cc, "%s on %s and %s", op_name(cc), ta, tb);
        return false;
    }
    bool money = ka == TK_MONEY || kb == TK_MONEY;
    cc->height -= 2;
    return push(cc, vt_make(money ? TK_MONEY : TK_INT, 0, a.nullable || b.nullable));
}

/* A unary operation from kind `from` to kind `to`. */
static bool op_unary(code_check *cc, uint8_t from, const char *what, uint8_t to)
{
    vtype a = peek(cc, 0);
    if (!operand_is(cc, a, from, what))
        return false;
    cc->height--;
    return push(cc, vt_make(to, 0, a.nullable));
}

/* Two operands of fixed kinds. */
static bool op_binary(code_check *cc, uint8_t ka, uint8_t kb, const char *what, uint8_t to)
{
    vtype a = peek(cc, 1), b = peek(cc, 0);
    if (!operand_is(cc, a, ka, what) || !operand_is(cc, b, kb, what))
        return false;
    cc->height -= 2;
    return push(cc, vt_make(to, 0, a.nullable || b.nullable));
}

static bool op_neg(code_check *cc)
{
    vtype a = peek(cc, 0);
    if (a.kind != TK_NULL && !is_num(a.kind)) {
        char have[128];
        type_text(cc, a, have, sizeof have);
        cfail(cc, "NEG expects int or money, found %s", have);
        return false;
    }
    return true; /* the type is unchanged */
}

/* d: date? i: interval -> bool, false (not null) for a null date. */
static bool op_in_interval(code_check *cc)
{
    if (!op_binary(cc, TK_DATE, TK_INTERVAL, "a date and an interval", TK_BOOL))
        return false;
    cc->stack[cc->height - 1].nullable = false;
    return true;
}

static bool op_add_months(code_check *cc)
{
    vtype a = peek(cc, 1);
    if (a.kind == TK_MONTH)
        return op_binary(cc, TK_MONTH, TK_INT, "a month and an int", TK_MONTH);
    return op_binary(cc, TK_DATE, TK_INT, "a date and an int", TK_DATE);
}

static bool op_max2(code_check *cc)
{
    vtype a = peek(cc, 1), b = peek(cc, 0), joined;
    if (!same_type(cc, a, b, &joined))
        return false;
    if (joined.kind != TK_NULL && !is_ordered(cc->m, joined)) {
        char have[128];
        type_text(cc, joined, have, sizeof have);
        cfail(cc, "%s cannot order %s", op_name(cc), have);
        return false;
    }
    /* null only when both are */
    joined.nullable = a.nullable && b.nullable;
    cc->height -= 2;
    return push(cc, joined);
}

static bool op_coalesce(code_check *cc)
{
    vtype b = peek(cc, 0), joined;
    if (!same_type(cc, peek(cc, 1), b, &joined))
        return false;
    cc->height -= 2;
    return push(cc, b);
}

static bool op_interval(code_check *cc, uint32_t flags)
{
    if (flags > 3) {
        cfail(cc, "INTERVAL flags 0x%02x have unknown bits", flags);
        return false;
    }
    return op_binary(cc, TK_DATE, TK_DATE, "two dates", TK_INTERVAL);
}

static bool op_in_list(code_check *cc)
{
    vtype x = peek(cc, 1), l = peek(cc, 0), joined;
    if (!check_list(cc, l))
        return false;
    if (!same_type(cc, x, vt_elem(cc->m, l), &joined))
        return false;
    cc->height -= 2;
    return push(cc, vt_make(TK_BOOL, 0, false));
}

static bool op_map_get(code_check *cc)
{
    vtype mp = peek(cc, 1), key = peek(cc, 0);
    if (mp.kind != TK_MAP) {
        char have[128];
        type_text(cc, mp, have, sizeof have);
        cfail(cc, "MAP_GET expects a map, found %s", have);
        return false;
    }
    if (!operand_is(cc, key, TK_STRING, "a string key"))
        return false;
    vtype v = vt_elem(cc->m, mp);
    v.nullable = true;
    cc->height -= 2;
    return push(cc, v);
}

static bool op_field(code_check *cc, uint32_t slot)
{
    vtype r = peek(cc, 0);
    if (!check_record_field(cc, r, slot))
        return false;
    vtype f = vt_of(cc->m, cc->m->records[r.arg].fields[slot].type);
    f.nullable = f.nullable || r.nullable;
    cc->stack[cc->height - 1] = f;
    return true;
}

static bool op_project(code_check *cc, uint32_t slot)
{
    vtype l = peek(cc, 0);
    if (!check_list(cc, l))
        return false;
    vtype e = vt_elem(cc->m, l);
    if (!check_record_field(cc, e, slot))
        return false;
    vtype f = vt_of(cc->m, cc->m->records[e.arg].fields[slot].type);
    vtype out;
    if (f.kind == TK_LIST) {
        out = f; /* flattened: the field's lists concatenated */
        out.nullable = false;
    } else {
        out = vt_make(TK_LIST, 0, false);
        uint32_t t = cc->m->records[e.arg].fields[slot].type;
        out.arg = cc->m->types[t].kind == TK_OPTIONAL ? cc->m->types[t].arg : t;
        out.elem_nullable = f.nullable || e.nullable;
    }
    cc->stack[cc->height - 1] = out;
    return true;
}

static bool op_sum(code_check *cc, uint32_t money)
{
    if (money > 1) {
        cfail(cc, "SUM operand %u is not 0 (int) or 1 (money)", money);
        return false;
    }
    vtype l = peek(cc, 0);
    if (!check_list(cc, l))
        return false;
    uint8_t want = money ? TK_MONEY : TK_INT;
    vtype e = vt_elem(cc->m, l);
    if (e.kind != want) {
        char have[128];
        type_text(cc, l, have, sizeof have);
        cfail(cc, "SUM %u (%s) on %s", money, money ? "money" : "int", have);
        return false;
    }
    cc->stack[cc->height - 1] = vt_make(want, 0, false);
    return true;
}

static bool op_max_min(code_check *cc)
{
    vtype l = peek(cc, 0);
    if (!check_list(cc, l))
        return false;
    vtype e = vt_elem(cc->m, l);
    if (!is_ordered(cc->m, e)) {
        char have[128];
        type_text(cc, l, have, sizeof have);
        cfail(cc, "%s cannot order the elements of %s", op_name(cc), have);
        return false;
    }
    e.nullable = true;
    cc->stack[cc->height - 1] = e;
    return true;
}

static bool op_distinct(code_check *cc)
{
    vtype l = peek(cc, 0);
    if (!check_list(cc, l))
        return false;
    if (!is_scalar(vt_elem(cc->m, l).kind)) {
        char have[128];
        type_text(cc, l, have, sizeof have);
        cfail(cc, "DISTINCT expects a list of scalars, found %s", have);
        return false;
    }
    l.nullable = false;
    l.elem_nullable = false;
    cc->stack[cc->height - 1] = l;
    return true;
}

static bool op_concat(code_check *cc)
{
    vtype a = peek(cc, 1), b = peek(cc, 0), joined;
    if (!check_list(cc, a) || !check_list(cc, b) || !same_type(cc, a, b, &joined))
        return false;
    joined.nullable = false;
    cc->height -= 2;
    return push(cc, joined);
}

static bool op_key(code_check *cc, uint32_t n)
{
    if (n == 0) {
        cfail(cc, "KEY of no values");
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        vtype t = peek(cc, i);
        if (t.kind != TK_NULL && !is_scalar(t.kind)) {
            char have[128];
            type_text(cc, t, have, sizeof have);
            cfail(cc, "KEY expects scalars, found %s", have);
            return false;
        }
    }
    cc->height -= n;
    return push(cc, vt_make(TK_STRING, 0, false));
}

/* ------------------------------------------------------------ calls */

/* The callee of a CALL-like instruction: a lower-indexed chunk. */
static const bc_chunk *callee(code_check *cc, uint32_t k)
{
    if (k >= cc->index) {
        cfail(cc, "%s to chunk %u, which is not below chunk %u", op_name(cc), k, cc->index);
        return NULL;
    }
    return &cc->m->chunks[k];
}

/* The top n values against params[first..first+n) of callee k. */
static bool check_args(code_check *cc, uint32_t k, uint32_t first, uint32_t n)
{
    const bc_chunk *c = &cc->m->chunks[k];
    for (uint32_t i = 0; i < n; i++) {
        vtype arg = peek(cc, n - 1 - i);
        vtype want = vt_of(cc->m, c->param_types[first + i]);
        if (!vt_accepts(cc->m, want, arg)) {
            char ta[128], tw[128];
            type_text(cc, arg, ta, sizeof ta);
            type_text(cc, want, tw, sizeof tw);
            cfail(cc, "%s argument %u to chunk %u '%s' is %s, expected %s", op_name(cc),
                  first + i + 1, k, verify_chunk_name(cc->m, k), ta, tw);
            return false;
        }
    }
    return true;
}

static bool op_call(code_check *cc, uint32_t k)
{
    const bc_chunk *c = callee(cc, k);
    if (!c || !check_args(cc, k, 0, c->nparams))
        return false;
    cc->height -= c->nparams;
    return push(cc, vt_of(cc->m, c->ret_type));
}

static bool op_call_let(code_check *cc, uint32_t k)
{
    const bc_chunk *c = callee(cc, k);
    if (!c)
        return false;
    if (!(c->flags & CHUNK_LET)) {
        cfail(cc, "CALL_LET to chunk %u '%s', which is not a let", k,
              verify_chunk_name(cc->m, k));
        return false;
    }
    return push(cc, vt_of(cc->m, c->ret_type));
}

/* What the per-element chunk of a list opcode must return. */
static bool list_chunk_returns(code_check *cc, opcode op, uint32_t k)
{
    vtype ret = vt_of(cc->m, cc->m->chunks[k].ret_type);
    uint8_t want = op == OP_DISTINCT_BY ? TK_STRING : op == OP_MAP ? 0 : TK_BOOL;
    if (want == 0 || ret.kind == want)
        return true;
    char have[128];
    type_text(cc, ret, have, sizeof have);
    cfail(cc, "%s chunk %u '%s' returns %s, expected %s", op_name(cc), k,
          verify_chunk_name(cc->m, k), have, want == TK_STRING ? "string" : "bool");
    return false;
}

/* FILTER ANY ALL MAP DISTINCT_BY: l c1..cn with chunk k (elem, c1..cn). */
static bool op_list_chunk(code_check *cc, opcode op, uint32_t k)
{
    const bc_chunk *c = callee(cc, k);
    if (!c)
        return false;
    if (c->nparams == 0) {
        cfail(cc, "%s chunk %u '%s' takes no element parameter", op_name(cc), k,
              verify_chunk_name(cc->m, k));
        return false;
    }
    vtype l = peek(cc, c->nparams - 1u);
    if (!check_list(cc, l))
        return false;
    vtype elem = vt_elem(cc->m, l), want = vt_of(cc->m, c->param_types[0]);
    if (!vt_accepts(cc->m, want, elem)) {
        char te[128], tw[128];
        type_text(cc, elem, te, sizeof te);
        type_text(cc, want, tw, sizeof tw);
        cfail(cc, "%s chunk %u '%s' takes %s, but the elements are %s", op_name(cc), k,
              verify_chunk_name(cc->m, k), tw, te);
        return false;
    }
    if (!check_args(cc, k, 1, c->nparams - 1u) || !list_chunk_returns(cc, op, k))
        return false;
    cc->height -= c->nparams;
    vtype out = l;
    out.nullable = false;
    if (op == OP_ANY || op == OP_ALL) {
        out = vt_make(TK_BOOL, 0, false);
    } else if (op == OP_MAP) {
        uint32_t r = c->ret_type;
        out.arg = cc->m->types[r].kind == TK_OPTIONAL ? cc->m->types[r].arg : r;
        out.elem_nullable = cc->m->types[r].kind == TK_OPTIONAL;
    }
    return push(cc, out);
}

static bool op_ret(code_check *cc)
{
    vtype x = peek(cc, 0), want = vt_of(cc->m, cc->c->ret_type);
    if (!vt_accepts(cc->m, want, x)) {
        char tx[128], tw[128];
        type_text(cc, x, tx, sizeof tx);
        type_text(cc, want, tw, sizeof tw);
        cfail(cc, "RET of %s, but the chunk returns %s", tx, tw);
        return false;
    }
    cc->height--;
    cc->reachable = false;
    return true;
}

/* JUMP_IF_FALSE, AND_JUMP, OR_JUMP: b: bool, then both ways. */
static bool op_branch(code_check *cc, opcode op, uint32_t operand)
{
    if (!operand_is(cc, peek(cc, 0), TK_BOOL, "a bool"))
        return false;
    if (op == OP_JUMP_IF_FALSE)
        cc->height--;
    if (!jump_to(cc, operand))
        return false;
    if (op != OP_JUMP_IF_FALSE)
        cc->height--; /* the value stays only on the jump */
    return true;
}

/* ------------------------------------------------------------ dispatch */

/* Values instruction op pops, given its operand. */
static uint32_t pops_of(const code_check *cc, opcode op, uint32_t operand)
{
    bool calls = opcode_table[op].operand == OPND_CHUNK && operand < cc->m->nchunks;
    return opcode_pops(op, operand, calls ? cc->m->chunks[operand].nparams : 0);
}

static bool check_operand_index(code_check *cc, opcode op, uint32_t operand)
{
    uint8_t kind = opcode_table[op].operand;
    if (kind == OPND_CONST && operand >= cc->m->nconsts) {
        cfail(cc, "CONST %u out of range (%u constants)", operand, cc->m->nconsts);
        return false;
    }
    if (kind == OPND_CHUNK && operand >= cc->m->nchunks) {
        cfail(cc, "%s to chunk %u out of range (%u chunks)", op_name(cc), operand,
              cc->m->nchunks);
        return false;
    }
    if (kind == OPND_LOCAL && operand >= cc->c->nparams) {
        cfail(cc, "LOCAL %u out of range (the chunk has %u parameters)", operand,
              cc->c->nparams);
        return false;
    }
    return true;
}

static bool exec_simple(code_check *cc, opcode op)
{
    switch (op) {
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        return op_compare(cc, op);
    case OP_NOT:
        return op_unary(cc, TK_BOOL, "a bool", TK_BOOL);
    case OP_IS_NULL:
        cc->height--;
        return push(cc, vt_make(TK_BOOL, 0, false));
    case OP_COALESCE:
        return op_coalesce(cc);
    case OP_ADD: case OP_SUB:
        return op_add(cc);
    case OP_MUL: case OP_DIV:
        return op_mul_div(cc, op);
    case OP_NEG:
        return op_neg(cc);
    case OP_ADD_DAYS:
        return op_binary(cc, TK_DATE, TK_INT, "a date and an int", TK_DATE);
    case OP_ADD_MONTHS:
        return op_add_months(cc);
    case OP_DAYS_BETWEEN: case OP_MONTHS_BETWEEN: case OP_BUSINESS_DAYS:
        return op_binary(cc, TK_DATE, TK_DATE, "two dates", TK_INT);
    case OP_FIRST_DAY:
        return op_unary(cc, TK_MONTH, "a month", TK_DATE);
    case OP_MONTH_OF:
        return op_unary(cc, TK_DATE, "a date", TK_MONTH);
    case OP_MAX2: case OP_MIN2:
        return op_max2(cc);
    case OP_IN_INTERVAL:
        return op_in_interval(cc);
    case OP_IN_LIST:
        return op_in_list(cc);
    case OP_LENGTH:
        return op_unary(cc, TK_STRING, "a string", TK_INT);
    case OP_IS_DIGITS:
        return op_unary(cc, TK_STRING, "a string", TK_BOOL);
    case OP_MAP_GET:
        return op_map_get(cc);
    case OP_COUNT:
        if (!check_list(cc, peek(cc, 0)))
            return false;
        cc->stack[cc->height - 1] = vt_make(TK_INT, 0, false);
        return true;
    case OP_MAX: case OP_MIN:
        return op_max_min(cc);
    case OP_DISTINCT:
        return op_distinct(cc);
    case OP_CONCAT:
        return op_concat(cc);
    default:
        cfail(cc, "%s is not handled", op_name(cc));
        return false;
    }
}

static bool exec(code_check *cc, opcode op, uint32_t operand)
{
    const bc_module *m = cc->m;
    switch (op) {
    case OP_CONST:
        return push(cc, vt_of(m, m->consts[operand].type));
    case OP_LOCAL:
        return push(cc, vt_of(m, cc->c->param_types[operand]));
    case OP_POP:
        cc->height--;
        return true;
    case OP_AS_OF:
        return push(cc, vt_make(TK_DATE, 0, false));
    case OP_WINDOW:
        return push(cc, vt_make(TK_INTERVAL, 0, false));
    case OP_ROOT:
        if (!m->has_schema) {
            cfail(cc, "ROOT in a module without a schema");
            return false;
        }
        return push(cc, (vtype){TK_RECORD, false, false, m->schema.root});
    case OP_FIELD:
        return op_field(cc, operand);
    case OP_PROJECT:
        return op_project(cc, operand);
    case OP_INTERVAL:
        return op_interval(cc, operand);
    case OP_SUM:
        return op_sum(cc, operand);
    case OP_KEY:
        return op_key(cc, operand);
    case OP_JUMP:
        cc->reachable = false;
        return jump_to(cc, operand);
    case OP_JUMP_IF_FALSE: case OP_AND_JUMP: case OP_OR_JUMP:
        return op_branch(cc, op, operand);
    case OP_CALL:
        return op_call(cc, operand);
    case OP_CALL_LET:
        return op_call_let(cc, operand);
    case OP_RET:
        return op_ret(cc);
    case OP_FILTER: case OP_ANY: case OP_ALL: case OP_MAP: case OP_DISTINCT_BY:
        return op_list_chunk(cc, op, operand);
    default:
        return exec_simple(cc, op);
    }
}

static bool step(code_check *cc)
{
    opcode op = (opcode)cc->c->code[cc->pc];
    uint32_t operand = opcode_operand(cc->c->code, cc->pc);
    if (!check_operand_index(cc, op, operand))
        return false;
    uint32_t pops = pops_of(cc, op, operand);
    if (pops > cc->height) {
        cfail(cc, "stack underflow: %s pops %u value%s but the stack holds %u", op_name(cc),
              pops, pops == 1 ? "" : "s", cc->height);
        return false;
    }
    uint32_t before = cc->height;
    if (!exec(cc, op, operand))
        return false;
    /* Each rule above moves the stack by hand: check it against the table.
     * RET ends the chunk; there is no height after it to check. */
    assert(op == OP_RET || (int64_t)cc->height - before ==
                               opcode_stack_delta(op, pops, !cc->reachable));
    (void)before;
    return true;
}

static bool interpret(code_check *cc)
{
    const bc_chunk *c = cc->c;
    cc->reachable = true;
    for (uint32_t pc = 0; pc < c->code_len; pc += opcode_size((opcode)c->code[pc])) {
        cc->pc = pc;
        if (!arrive(cc))
            return false;
        if (cc->reachable && !step(cc))
            return false;
    }
    cc->pc = c->code_len;
    if (cc->reachable) {
        cfail(cc, "missing RET: the code can run past its end");
        return false;
    }
    return true;
}

bool verify_code(verifier *v, uint32_t index)
{
    bc_module *m = v->m;
    bc_chunk *c = &m->chunks[index];
    code_check cc = {0};
    cc.v = v;
    cc.m = m;
    cc.index = index;
    cc.c = c;
    if (c->code_len == 0) {
        cfail(&cc, "missing RET: the chunk has no code");
        return false;
    }
    cc.stack = mem_alloc(&m->alloc, BC_MAX_STACK * sizeof *cc.stack);
    cc.starts = mem_calloc(&m->alloc, c->code_len, 1);
    bool ok = cc.stack && cc.starts;
    if (!ok)
        cfail(&cc, "out of memory");
    ok = ok && decode(&cc) && interpret(&cc);
    for (uint32_t i = 0; i < cc.nwaiting; i++)
        free_pending(&cc, &cc.waiting[i]);
    mem_free(&m->alloc, cc.waiting, cc.cap * sizeof *cc.waiting);
    mem_free(&m->alloc, cc.starts, c->code_len);
    mem_free(&m->alloc, cc.stack, BC_MAX_STACK * sizeof *cc.stack);
    if (ok)
        c->max_stack = (uint16_t)cc.max_height;
    return ok;
}
