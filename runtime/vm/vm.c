/*
 * vm.c — the interpreter of verified chunks: the dispatch loop, scalar
 * operations, calls and memoized lets.  The list opcodes are in
 * vm_lists.c.
 *
 * The verifier has checked every operand index, jump target, operand type
 * and stack height, so the loop decodes without bounds checks; what remains
 * to check at run time is what depends on the data: overflow, division by
 * zero, dates out of range, the call depth and the limits.
 */
#include "vm_internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "hash.h"
#include "errors.h"
#include "opcodes.h"

/* Labels as values dispatch each opcode from its own indirect jump, which
 * predicts better than one shared switch. */
#if defined(__GNUC__) && !defined(VM_NO_COMPUTED_GOTO)
#define VM_COMPUTED_GOTO 1
#endif

/* ------------------------------------------------------------ errors */

/* A VM message is at most this long (with its NUL), as it always was. */
#define VM_MESSAGE_MAX 256

bool vm_fail(vm *v, rubric_error *err, uint32_t chunk, const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char message[VM_MESSAGE_MAX];
    snprintf(message, sizeof message, "%s (chunk '%s')", what,
             module_str(v->module, v->module->chunks[chunk].name));
    error_set(err, RUBRIC_ERR_EVAL, "%s", message);
    return false;
}

bool vm_fail_limit(rubric_error *err, const char *message)
{
    error_set(err, RUBRIC_ERR_LIMIT, "%.*s", VM_MESSAGE_MAX - 1, message);
    return false;
}

/* One unit of budget.  When the slice is spent (the budget was 0), the
 * caller calls next_slice. */
static inline bool charge(vm *v)
{
    return v->budget-- != 0;
}

bool vm_interrupt_requested(const vm_interrupt *i)
{
    if (!i)
        return false;
    /* Another thread may set the flag: an atomic read. */
    if (i->flag && __atomic_load_n(i->flag, __ATOMIC_RELAXED))
        return true;
    return i->ask && i->ask(i->user_data);
}

/* Between two slices: stop when the limit is reached or the host asks to,
 * else charge the unit asked for to a new slice.  A stopped budget stays
 * at 0, so that every later charge comes back here. */
static bool next_slice(vm *v, rubric_error *err)
{
    v->budget = 0;
    if (v->remaining == 0)
        return vm_fail_limit(err, "instruction limit reached");
    if (vm_interrupt_requested(v->interrupt)) {
        error_set(err, RUBRIC_ERR_INTERRUPTED, "interrupted");
        return false;
    }
    v->budget = v->remaining < VM_SLICE ? v->remaining : VM_SLICE;
    v->remaining -= v->budget;
    v->budget--;
    return true;
}

bool vm_charge(vm *v, rubric_error *err)
{
    return charge(v) || next_slice(v, err);
}

static bool memory_error(vm *v, rubric_error *err)
{
    return vm_fail_limit(err, v->mem->over_limit ? "memory limit reached"
                                              : "out of memory");
}

void *vm_alloc(vm *v, size_t size, rubric_error *err)
{
    void *p = arena_alloc(v->mem, size ? size : 1);
    if (!p)
        memory_error(v, err);
    return p;
}

list *vm_new_list(vm *v, uint32_t count, rubric_error *err)
{
    list *l = vm_alloc(v, sizeof(list) + (size_t)count * sizeof(value), err);
    if (l)
        l->count = count;
    return l;
}

/* Room for `need` values on the stack.  Growing moves the stack, so a
 * caller re-derives its pointers after every call. */
static bool reserve(vm *v, size_t need, rubric_error *err)
{
    if (need <= v->stack_cap)
        return true;
    size_t cap = (size_t)v->stack_cap * 2;
    if (cap < need)
        cap = need;
    if (cap > UINT32_MAX)
        return vm_fail_limit(err, "out of memory");
    value *s = mem_realloc(v->alloc, v->stack, (size_t)v->stack_cap * sizeof(value),
                           cap * sizeof(value));
    if (!s)
        return vm_fail_limit(err, "out of memory");
    v->stack = s;
    v->stack_cap = (uint32_t)cap;
    return true;
}

/* ------------------------------------------------------------ values */

static int sign3(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

int vm_compare(value a, value b)
{
    switch (a.kind) {
    case VK_BOOL:
        return sign3(a.as.b, b.as.b);
    case VK_INT:
    case VK_MONEY:
        return sign3(a.as.i, b.as.i);
    case VK_DATE:
    case VK_MONTH:
        return sign3(a.as.d, b.as.d);
    case VK_ENUM:
        return sign3(a.as.e, b.as.e);
    case VK_STRING: {
        uint32_t n = a.len < b.len ? a.len : b.len;
        int r = n ? memcmp(a.as.s, b.as.s, n) : 0;
        return r ? (r < 0 ? -1 : 1) : sign3(a.len, b.len);
    }
    case VK_INTERVAL:
        return a.as.iv.lo != b.as.iv.lo ? sign3(a.as.iv.lo, b.as.iv.lo)
                                        : sign3(a.as.iv.hi, b.as.iv.hi);
    default:
        return 0;
    }
}

bool vm_equal(value a, value b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case VK_NULL:
        return true;
    case VK_STRING:
        return a.len == b.len && (a.len == 0 || memcmp(a.as.s, b.as.s, a.len) == 0);
    case VK_RECORD:
    case VK_LIST:
    case VK_MAP:
        return a.as.list == b.as.list;
    default:
        return vm_compare(a, b) == 0;
    }
}

static value map_get(value m, value key)
{
    if (m.kind != VK_MAP || key.kind != VK_STRING)
        return value_null();
    const map *mp = m.as.map;
    for (uint32_t i = 0; i < mp->count; i++) {
        const map_entry *e = &mp->entries[i];
        if (e->key_len == key.len && memcmp(e->key, key.as.s, key.len) == 0)
            return e->value;
    }
    return value_null();
}

static bool is_digits(value s)
{
    if (s.len == 0)
        return false;
    for (uint32_t i = 0; i < s.len; i++)
        if (s.as.s[i] < '0' || s.as.s[i] > '9')
            return false;
    return true;
}

/* The larger (want_max) or smaller of two values; a null one is ignored. */
static value pick(value a, value b, bool want_max)
{
    if (a.kind == VK_NULL)
        return b;
    if (b.kind == VK_NULL)
        return a;
    int c = vm_compare(a, b);
    return (want_max ? c >= 0 : c <= 0) ? a : b;
}

/* ------------------------------------------------------------ arithmetic */

static value number(uint8_t kind, int64_t n)
{
    return kind == VK_MONEY ? value_money(n) : value_int(n);
}

/* *a = *a op b for ADD, SUB, MUL, DIV; money when either operand is. */
static bool arith(vm *v, rubric_error *err, uint32_t self, opcode op, value *a, value b)
{
    if (a->kind == VK_NULL || b.kind == VK_NULL) {
        *a = value_null();
        return true;
    }
    uint8_t kind = a->kind == VK_MONEY || b.kind == VK_MONEY ? VK_MONEY : VK_INT;
    int64_t x = a->as.i, y = b.as.i, r = 0;
    bool overflow;
    const char *what;
    switch (op) {
    case OP_ADD:
        overflow = __builtin_add_overflow(x, y, &r);
        what = "addition";
        break;
    case OP_SUB:
        overflow = __builtin_sub_overflow(x, y, &r);
        what = "subtraction";
        break;
    case OP_MUL:
        overflow = __builtin_mul_overflow(x, y, &r);
        what = "multiplication";
        break;
    default:
        if (y == 0)
            return vm_fail(v, err, self, "division by zero");
        overflow = x == INT64_MIN && y == -1;
        r = overflow ? 0 : x / y;
        what = "division";
        break;
    }
    if (overflow)
        return vm_fail(v, err, self, "%s overflow in %s",
                       kind == VK_MONEY ? "money" : "int", what);
    *a = number(kind, r);
    return true;
}

static bool negate(vm *v, rubric_error *err, uint32_t self, value *a)
{
    if (a->kind == VK_NULL)
        return true;
    if (a->as.i == INT64_MIN)
        return vm_fail(v, err, self, "%s overflow in negation",
                       a->kind == VK_MONEY ? "money" : "int");
    *a = number(a->kind, -a->as.i);
    return true;
}

/* ------------------------------------------------------------ calendar */

static bool add_months(vm *v, rubric_error *err, uint32_t self, value *a, int64_t n)
{
    if (a->kind == VK_MONTH) {
        int64_t m;
        if (__builtin_add_overflow((int64_t)a->as.d, n, &m) || m < CAL_MIN_MONTH ||
            m > CAL_MAX_MONTH)
            return vm_fail(v, err, self, "month out of range in month arithmetic");
        *a = value_month((int32_t)m);
        return true;
    }
    int32_t d;
    if (!cal_add_months(a->as.d, n, &d))
        return vm_fail(v, err, self, "date out of range in month arithmetic");
    *a = value_date(d);
    return true;
}

/* *a = *a op b for the two-operand calendar opcodes. */
static bool calendar(vm *v, rubric_error *err, uint32_t self, opcode op, value *a, value b)
{
    if (a->kind == VK_NULL || b.kind == VK_NULL) {
        *a = value_null();
        return true;
    }
    switch (op) {
    case OP_ADD_DAYS: {
        int32_t d;
        if (!cal_add_days(a->as.d, b.as.i, &d))
            return vm_fail(v, err, self, "date out of range in day arithmetic");
        *a = value_date(d);
        return true;
    }
    case OP_ADD_MONTHS:
        return add_months(v, err, self, a, b.as.i);
    case OP_DAYS_BETWEEN:
        *a = value_int((int64_t)b.as.d - a->as.d);
        return true;
    case OP_MONTHS_BETWEEN:
        *a = value_int(cal_months_between(a->as.d, b.as.d));
        return true;
    default: /* OP_BUSINESS_DAYS */
        *a = value_int(cal_business_days(a->as.d, b.as.d));
        return true;
    }
}

/* lo hi -> the inclusive interval; flags bit 0: lo open, bit 1: hi open. */
static value interval(value lo, value hi, uint8_t flags)
{
    if (lo.kind == VK_NULL || hi.kind == VK_NULL)
        return value_null();
    return value_interval(lo.as.d + (flags & 1 ? 1 : 0), hi.as.d - (flags & 2 ? 1 : 0));
}

static bool in_interval(value d, value iv)
{
    return d.kind == VK_DATE && iv.kind == VK_INTERVAL && iv.as.iv.lo <= d.as.d &&
           d.as.d <= iv.as.iv.hi;
}

/* ------------------------------------------------------------ the loop */

#ifndef NDEBUG
/* Debug builds check after each instruction that it moved the stack as the
 * opcode table says (the verifier checks its own rules the same way). */
static void check_stack_effect(const bc_module *m, const uint8_t *pc, bool jumped,
                               uint32_t before, uint32_t after)
{
    opcode op = (opcode)*pc;
    uint32_t operand = operand_read(opcode_table[op].operand, pc + 1);
    bool calls = opcode_table[op].operand == OPND_CHUNK;
    uint32_t pops = opcode_pops(op, operand, calls ? m->chunks[operand].nparams : 0);
    assert((int64_t)after - before == opcode_stack_delta(op, pops, jumped));
    (void)pops;
    (void)before;
    (void)after;
}
#endif

static inline bool truthy(value b)
{
    return b.kind == VK_BOOL && b.as.b;
}

/* ------------------------------------------------------------ lets */

/* What of the context a chunk reads, itself or through the chunks it calls. */
enum { READS_AS_OF = 1, READS_WINDOW = 2 };

static uint8_t chunk_reads(const bc_module *m, uint32_t self, const uint8_t *reads)
{
    const bc_chunk *c = &m->chunks[self];
    uint8_t r = 0;
    for (uint32_t pc = 0; pc < c->code_len; pc += opcode_size((opcode)c->code[pc])) {
        opcode op = (opcode)c->code[pc];
        if (op == OP_AS_OF)
            r |= READS_AS_OF;
        else if (op == OP_WINDOW)
            r |= READS_WINDOW;
        else if (opcode_table[op].operand == OPND_CHUNK) {
            uint32_t k = opcode_operand(c->code, pc);
            /* The verifier admits calls to earlier chunks only. */
            r |= k < self ? reads[k] : READS_AS_OF | READS_WINDOW;
        }
    }
    return r;
}

static void compute_reads(const bc_module *m, uint8_t *reads)
{
    for (uint32_t i = 0; i < m->nchunks; i++)
        reads[i] = chunk_reads(m, i, reads);
}

/* Whether chunks a and b run the same code: the same bytes, except that the
 * chunks they call need only be the same per same[].  Programs written from
 * a common base compile many such twins; sharing their memo slot computes
 * each once. */
static bool same_code(const bc_module *m, const uint32_t *same, uint32_t a, uint32_t b)
{
    const bc_chunk *x = &m->chunks[a], *y = &m->chunks[b];
    if (x->nparams != y->nparams || x->code_len != y->code_len)
        return false;
    for (uint32_t pc = 0; pc < x->code_len;) {
        opcode op = (opcode)x->code[pc];
        uint32_t size = opcode_size(op);
        if (y->code[pc] != op)
            return false;
        if (opcode_table[op].operand == OPND_CHUNK) {
            uint32_t ka = opcode_operand(x->code, pc), kb = opcode_operand(y->code, pc);
            if (ka >= a || kb >= b || same[ka] != same[kb])
                return false;
        } else if (memcmp(x->code + pc + 1, y->code + pc + 1, size - 1) != 0) {
            return false;
        }
        pc += size;
    }
    return true;
}

static uint32_t code_hash(const bc_module *m, const uint32_t *same, uint32_t self)
{
    const bc_chunk *c = &m->chunks[self];
    uint32_t h = hash_bytes(&c->nparams, sizeof c->nparams);
    for (uint32_t pc = 0; pc < c->code_len;) {
        opcode op = (opcode)c->code[pc];
        uint32_t size = opcode_size(op);
        uint32_t operand = 0;
        if (opcode_table[op].operand == OPND_CHUNK) {
            uint32_t k = opcode_operand(c->code, pc);
            operand = k < self ? same[k] : k;
        } else {
            operand = hash_bytes(c->code + pc + 1, size - 1);
        }
        h = hash_step(hash_step(h, op), operand);
        pc += size;
    }
    return h;
}

/* same[i]: the first chunk whose code is the same as chunk i's. */
static bool find_twins(const bc_module *m, const rubric_allocator *alloc, uint32_t *same)
{
    hash_index seen; /* code hash -> chunk */
    if (!hash_index_alloc(&seen, m->nchunks, alloc))
        return false;
    for (uint32_t i = 0; i < m->nchunks; i++) {
        same[i] = i;
        uint32_t h = code_hash(m, same, i);
        for (uint32_t s = hash_first(&seen, h); seen.slots[s]; s = hash_next(&seen, s)) {
            if (same_code(m, same, seen.slots[s] - 1, i)) {
                same[i] = seen.slots[s] - 1;
                break;
            }
        }
        if (same[i] == i)
            hash_index_put(&seen, h, i);
    }
    hash_index_free(&seen, alloc);
    return true;
}

/* Memoized values are kept for a few contexts at once: a partner's views
 * (rolling, renewal, the sustained checkpoints) alternate, and the programs
 * evaluated one after the other ask for the same lets in each. */
enum { MEMO_WAYS = 8 };

struct memo_key {
    int32_t as_of;
    int32_t lo, hi;       /* the window's interval                     */
    uint8_t window;       /* 0: no window, else 1 + the window's kind  */
};

static struct memo_key context_key(const vm *v)
{
    struct memo_key key = {v->ctx.as_of, 0, 0, 0};
    if (v->ctx.has_window) {
        key.window = (uint8_t)(1 + v->ctx.window.kind);
        if (v->ctx.window.kind == VK_INTERVAL) {
            key.lo = v->ctx.window.as.iv.lo;
            key.hi = v->ctx.window.as.iv.hi;
        }
    }
    return key;
}

/* Where chunk k's value for the current context is kept: a way chosen by
 * what the chunk reads of the context (twins share their slots). */
static inline uint32_t memo_slot(const vm *v, uint32_t k)
{
    uint8_t r = v->reads[k];
    uint32_t h = 0;
    if (r & READS_AS_OF)
        h = (uint32_t)v->ctx.as_of * 2654435761u;
    if (r & READS_WINDOW)
        h = (h ^ (uint32_t)v->ctx.window.as.iv.lo * 2246822519u ^
             (uint32_t)v->ctx.window.as.iv.hi * 3266489917u ^ v->ctx.has_window) *
            2654435761u;
    return v->same[k] * v->memo_ways + (h >> 24) % v->memo_ways;
}

/* Whether slot i holds chunk k's value in the current context: the same
 * partner, and the same A and window where the chunk reads them. */
static inline bool memo_current(const vm *v, uint32_t k, uint32_t i)
{
    if (v->lets[i].epoch != v->epoch)
        return false;
    uint8_t r = v->reads[k];
    const struct memo_key *have = &v->memo_keys[i];
    struct memo_key now = context_key(v);
    if ((r & READS_AS_OF) && have->as_of != now.as_of)
        return false;
    return !(r & READS_WINDOW) ||
           (have->window == now.window && have->lo == now.lo && have->hi == now.hi);
}

static void memo_store(vm *v, uint32_t i, value r)
{
    v->lets[i].epoch = v->epoch;
    v->lets[i].v = r;
    v->memo_keys[i] = context_key(v);
}

/* MEMO_WAYS slots per chunk, or one when memory is short. */
static bool memo_alloc(vm *v, uint32_t ways)
{
    size_t n = (size_t)(v->module->nchunks ? v->module->nchunks : 1) * ways;
    v->lets = mem_calloc(v->alloc, n, sizeof *v->lets);
    v->memo_keys = mem_calloc(v->alloc, n, sizeof *v->memo_keys);
    v->memo_ways = ways;
    if (v->lets && v->memo_keys)
        return true;
    mem_free(v->alloc, v->lets, n * sizeof *v->lets);
    mem_free(v->alloc, v->memo_keys, n * sizeof *v->memo_keys);
    v->lets = NULL;
    v->memo_keys = NULL;
    return false;
}

bool vm_run(vm *v, uint32_t self, uint32_t base, value *out, rubric_error *err)
{
    const bc_module *m = v->module;
    const bc_chunk *c = &m->chunks[self];
    if (v->depth >= BC_MAX_CALL_DEPTH)
        return vm_fail(v, err, self, "call depth limit of %u reached", BC_MAX_CALL_DEPTH);
    /* max_stack comes from the verifier; hand-built modules must set it. */
    assert(c->max_stack > 0);
    if (!reserve(v, (size_t)base + c->nparams + c->max_stack, err))
        return false;
    v->depth++;

    value *locals = v->stack + base;
    value *sp = locals + c->nparams; /* the next free slot */
    const value *frame_end = sp + c->max_stack; /* for PUSH's assert */
    const uint8_t *pc = c->code;
    (void)frame_end;

/* A call may move the stack: remember the top as an index, reload after. */
#define TOP_INDEX() ((uint32_t)(sp - v->stack))
#define RELOAD(top) (locals = v->stack + base, sp = v->stack + (top),           \
                     frame_end = locals + c->nparams + c->max_stack)
#define PUSH(x) (assert(sp < frame_end), *sp++ = (x))

/* The opcode fixes its operand's kind and its size: read them as constants
 * rather than through the table. */
#define OPERAND(name) operand_read(OPCODE_OPERAND_##name, pc + 1)
#ifndef NDEBUG
    uint32_t entry = 0; /* the stack height when the instruction began */
#define MARK_ENTRY() (entry = (uint32_t)(sp - locals))
#define CHECK_EFFECT(jumped) check_stack_effect(m, pc, jumped, entry, (uint32_t)(sp - locals))
#else
#define MARK_ENTRY() ((void)0)
#define CHECK_EFFECT(jumped) ((void)0)
#endif
/* Go on after instruction `name`; JUMP_NEXT: jump by its operand. */
#define NEXT(name) ADVANCE(false, OPCODE_SIZE_##name)
#define JUMP_NEXT(name) ADVANCE(true, OPCODE_SIZE_##name + OPERAND(name))

#ifdef VM_COMPUTED_GOTO
#define LABEL_ADDRESS_(name, operand, pops, pushes) &&op_##name,
    static const void *const dispatch[OP__COUNT] = {RUBRIC_OPCODES(LABEL_ADDRESS_)};
#undef LABEL_ADDRESS_
#define CASE(name) op_##name:
#define DISPATCH()                                                             \
    do {                                                                       \
        if (__builtin_expect(!charge(v), 0) && !next_slice(v, err))            \
            goto fail;                                                         \
        MARK_ENTRY();                                                          \
        goto *dispatch[*pc];                                                   \
    } while (0)
#define ADVANCE(jumped, size)                                                  \
    do {                                                                       \
        CHECK_EFFECT(jumped);                                                  \
        pc += (size);                                                          \
        DISPATCH();                                                            \
    } while (0)
    DISPATCH();
#else
#define CASE(name) case OP_##name:
#define ADVANCE(jumped, size)                                                  \
    do {                                                                       \
        CHECK_EFFECT(jumped);                                                  \
        pc += (size);                                                          \
        goto next;                                                             \
    } while (0)
next:
    if (!charge(v) && !next_slice(v, err))
        goto fail;
    MARK_ENTRY();
    switch ((opcode)*pc) {
#endif

    /* --- constants, parameters, context --- */
    CASE(CONST)
        PUSH(m->consts[OPERAND(CONST)].v);
        NEXT(CONST);
    CASE(LOCAL)
        PUSH(locals[OPERAND(LOCAL)]);
        NEXT(LOCAL);
    CASE(POP)
        sp--;
        NEXT(POP);
    CASE(AS_OF)
        PUSH(value_date(v->ctx.as_of));
        NEXT(AS_OF);
    CASE(WINDOW)
        if (!v->ctx.has_window) {
            vm_fail(v, err, self, "no window outside a time-bound requirement");
            goto fail;
        }
        PUSH(v->ctx.window);
        NEXT(WINDOW);
    CASE(ROOT)
        PUSH(v->ctx.root);
        NEXT(ROOT);

    /* --- records --- */
    CASE(FIELD)
        if (sp[-1].kind == VK_RECORD)
            sp[-1] = sp[-1].as.rec->fields[OPERAND(FIELD)];
        else
            sp[-1] = value_null();
        NEXT(FIELD);
    CASE(MAP_GET)
        sp--;
        sp[-1] = map_get(sp[-1], sp[0]);
        NEXT(MAP_GET);

    /* --- comparison and logic --- */
    CASE(EQ)
        sp--;
        sp[-1] = value_bool(vm_equal(sp[-1], sp[0]));
        NEXT(EQ);
    CASE(NE)
        sp--;
        sp[-1] = value_bool(!vm_equal(sp[-1], sp[0]));
        NEXT(NE);
#define COMPARE(name, rel)                                                     \
    CASE(name)                                                                 \
        sp--;                                                                  \
        sp[-1] = value_bool(sp[-1].kind != VK_NULL && sp[0].kind != VK_NULL && \
                            vm_compare(sp[-1], sp[0]) rel 0);                  \
        NEXT(name);
    COMPARE(LT, <)
    COMPARE(LE, <=)
    COMPARE(GT, >)
    COMPARE(GE, >=)
#undef COMPARE
    CASE(NOT)
        if (sp[-1].kind == VK_BOOL)
            sp[-1].as.b = !sp[-1].as.b;
        NEXT(NOT);
    CASE(IS_NULL)
        sp[-1] = value_bool(sp[-1].kind == VK_NULL);
        NEXT(IS_NULL);
    CASE(COALESCE)
        sp--;
        if (sp[-1].kind == VK_NULL)
            sp[-1] = sp[0];
        NEXT(COALESCE);

    /* --- arithmetic --- */
    CASE(ADD)
    CASE(SUB)
    CASE(MUL)
    CASE(DIV)
        sp--;
        if (!arith(v, err, self, (opcode)*pc, &sp[-1], sp[0]))
            goto fail;
        NEXT(DIV);
    CASE(NEG)
        if (!negate(v, err, self, &sp[-1]))
            goto fail;
        NEXT(NEG);

    /* --- calendar --- */
    CASE(ADD_DAYS)
    CASE(ADD_MONTHS)
    CASE(DAYS_BETWEEN)
    CASE(MONTHS_BETWEEN)
    CASE(BUSINESS_DAYS)
        sp--;
        if (!calendar(v, err, self, (opcode)*pc, &sp[-1], sp[0]))
            goto fail;
        NEXT(BUSINESS_DAYS);
    CASE(FIRST_DAY)
        if (sp[-1].kind != VK_NULL)
            sp[-1] = value_date(cal_month_first_day(sp[-1].as.d));
        NEXT(FIRST_DAY);
    CASE(MONTH_OF)
        if (sp[-1].kind != VK_NULL)
            sp[-1] = value_month(cal_month_of(sp[-1].as.d));
        NEXT(MONTH_OF);
    CASE(MAX2)
    CASE(MIN2)
        sp--;
        sp[-1] = pick(sp[-1], sp[0], *pc == OP_MAX2);
        NEXT(MIN2);
    CASE(INTERVAL)
        sp--;
        sp[-1] = interval(sp[-1], sp[0], (uint8_t)OPERAND(INTERVAL));
        NEXT(INTERVAL);
    CASE(IN_INTERVAL)
        sp--;
        sp[-1] = value_bool(in_interval(sp[-1], sp[0]));
        NEXT(IN_INTERVAL);
    CASE(IN_LIST)
        sp--;
        sp[-1] = value_bool(vm_in_list(sp[-1], sp[0]));
        NEXT(IN_LIST);

    /* --- strings --- */
    CASE(LENGTH)
        if (sp[-1].kind != VK_NULL)
            sp[-1] = value_int(sp[-1].len);
        NEXT(LENGTH);
    CASE(IS_DIGITS)
        if (sp[-1].kind != VK_NULL)
            sp[-1] = value_bool(is_digits(sp[-1]));
        NEXT(IS_DIGITS);

    /* --- control --- */
    CASE(JUMP)
        JUMP_NEXT(JUMP);
    CASE(JUMP_IF_FALSE)
        sp--;
        if (truthy(sp[0]))
            NEXT(JUMP_IF_FALSE);
        JUMP_NEXT(JUMP_IF_FALSE);
    CASE(AND_JUMP)
        if (!truthy(sp[-1]))
            JUMP_NEXT(AND_JUMP);
        sp--;
        NEXT(AND_JUMP);
    CASE(OR_JUMP)
        if (truthy(sp[-1]))
            JUMP_NEXT(OR_JUMP);
        sp--;
        NEXT(OR_JUMP);
    CASE(CALL) {
        uint32_t k = OPERAND(CALL);
        uint32_t at = TOP_INDEX() - m->chunks[k].nparams;
        value r;
        if (!vm_run(v, k, at, &r, err))
            goto fail;
        RELOAD(at);
        PUSH(r);
        NEXT(CALL);
    }
    CASE(CALL_LET) {
        uint32_t k = OPERAND(CALL_LET);
        uint32_t slot = memo_slot(v, k);
        if (!memo_current(v, k, slot)) {
            uint32_t at = TOP_INDEX();
            value r;
            if (!vm_run(v, k, at, &r, err))
                goto fail;
            RELOAD(at);
            memo_store(v, slot, r);
        }
        PUSH(v->lets[slot].v);
        NEXT(CALL_LET);
    }
    CASE(RET)
        *out = sp[-1];
        v->depth--;
        return true;

    /* --- lists that call an element chunk: (l, captures...) -> r --- */
#define ELEMENT_OP(name, call)                                                 \
    CASE(name) {                                                               \
        uint32_t k = OPERAND(name);                                            \
        uint32_t at = TOP_INDEX() - m->chunks[k].nparams;                      \
        value r;                                                               \
        if (!(call))                                                           \
            goto fail;                                                         \
        RELOAD(at);                                                            \
        PUSH(r);                                                               \
        NEXT(name);                                                            \
    }
    ELEMENT_OP(FILTER, vm_filter(v, k, at, &r, err))
    ELEMENT_OP(ANY, vm_any_all(v, k, at, true, &r, err))
    ELEMENT_OP(ALL, vm_any_all(v, k, at, false, &r, err))
    ELEMENT_OP(MAP, vm_map(v, k, at, &r, err))
    ELEMENT_OP(DISTINCT_BY, vm_distinct_by(v, k, at, &r, err))
#undef ELEMENT_OP

    /* --- other lists --- */
    CASE(PROJECT)
        if (!vm_project(v, sp[-1], OPERAND(PROJECT), &sp[-1], err))
            goto fail;
        NEXT(PROJECT);
    CASE(COUNT)
        sp[-1] = vm_count(sp[-1]);
        NEXT(COUNT);
    CASE(SUM)
        if (!vm_sum(v, self, sp[-1], OPERAND(SUM) == 1, &sp[-1], err))
            goto fail;
        NEXT(SUM);
    CASE(MAX)
    CASE(MIN)
        sp[-1] = vm_extreme(sp[-1], *pc == OP_MAX);
        NEXT(MIN);
    CASE(DISTINCT)
        if (!vm_distinct(v, sp[-1], &sp[-1], err))
            goto fail;
        NEXT(DISTINCT);
    CASE(CONCAT)
        sp--;
        if (!vm_concat(v, sp[-1], sp[0], &sp[-1], err))
            goto fail;
        NEXT(CONCAT);
    CASE(KEY) {
        uint32_t n = OPERAND(KEY);
        sp -= n;
        if (!vm_key(v, sp, n, sp, err))
            goto fail;
        sp++;
        NEXT(KEY);
    }

#ifndef VM_COMPUTED_GOTO
    default:
        break;
    }
    /* The verifier admits only the opcodes above. */
    vm_fail(v, err, self, "unknown opcode %u", (unsigned)*pc);
    goto fail;
#endif

#undef CASE
#undef NEXT
#undef JUMP_NEXT
#undef ADVANCE
#undef DISPATCH
#undef OPERAND
#undef MARK_ENTRY
#undef CHECK_EFFECT
#undef TOP_INDEX
#undef RELOAD
#undef PUSH

fail:
    v->depth--;
    return false;
}

/* ------------------------------------------------------------ lifetime */

bool vm_init(vm *v, const bc_module *m, arena *mem, const rubric_allocator *alloc,
             uint64_t max_instructions)
{
    memset(v, 0, sizeof *v);
    v->module = m;
    v->alloc = alloc;
    v->mem = mem;
    v->max_instructions = max_instructions;
    if (!memo_alloc(v, MEMO_WAYS))
        memo_alloc(v, 1);
    v->reads = mem_calloc(alloc, m->nchunks ? m->nchunks : 1, 1);
    v->same = mem_calloc(alloc, m->nchunks ? m->nchunks : 1, sizeof *v->same);
    if (v->reads)
        compute_reads(m, v->reads);
    if (v->same && !find_twins(m, alloc, v->same)) {
        mem_free(alloc, v->same, (size_t)(m->nchunks ? m->nchunks : 1) * sizeof *v->same);
        v->same = NULL;
    }
    /* Room for a few nested frames of the largest chunk; grows on demand. */
    uint32_t frame = 0;
    for (uint32_t i = 0; i < m->nchunks; i++) {
        uint32_t need = (uint32_t)m->chunks[i].nparams + m->chunks[i].max_stack;
        if (need > frame)
            frame = need;
    }
    v->stack_cap = frame * 8 > 256 ? frame * 8 : 256;
    v->stack = mem_alloc(alloc, (size_t)v->stack_cap * sizeof(value));
    if (!v->lets || !v->reads || !v->same || !v->stack) {
        vm_free(v);
        return false;
    }
    vm_begin_partner(v);
    return true;
}

void vm_free(vm *v)
{
    uint32_t nlets = v->module && v->module->nchunks ? v->module->nchunks : 1;
    size_t nslots = (size_t)nlets * v->memo_ways;
    mem_free(v->alloc, v->lets, nslots * sizeof *v->lets);
    mem_free(v->alloc, v->memo_keys, nslots * sizeof *v->memo_keys);
    v->memo_keys = NULL;
    mem_free(v->alloc, v->reads, nlets);
    mem_free(v->alloc, v->same, (size_t)nlets * sizeof *v->same);
    v->reads = NULL;
    v->same = NULL;
    mem_free(v->alloc, v->stack, (size_t)v->stack_cap * sizeof(value));
    v->lets = NULL;
    v->stack = NULL;
    v->stack_cap = 0;
}

void vm_begin_partner(vm *v)
{
    uint64_t total = v->max_instructions ? v->max_instructions : UINT64_MAX;
    v->budget = total < VM_SLICE ? total : VM_SLICE;
    v->remaining = total - v->budget;
    v->epoch++; /* let slots start at epoch 0, so never match */
}

uint64_t vm_instructions_left(const vm *v)
{
    return v->budget + v->remaining;
}

void vm_set_context(vm *v, const vm_context *ctx)
{
    v->ctx = *ctx;
    v->epoch++;
}

void vm_change_view(vm *v, const vm_context *ctx)
{
    if (ctx->root.kind != v->ctx.root.kind || ctx->root.as.rec != v->ctx.root.as.rec) {
        vm_set_context(v, ctx);
        return;
    }
    v->ctx = *ctx;
}

bool vm_call(vm *v, uint32_t chunk, const value *args, uint16_t nargs, value *out,
             rubric_error *err)
{
    v->depth = 0; /* a failed call may have left frames behind */
    if (!reserve(v, nargs, err))
        return false;
    if (nargs)
        memcpy(v->stack, args, (size_t)nargs * sizeof(value));
    return vm_run(v, chunk, 0, out, err);
}

bool vm_call_memo(vm *v, uint32_t chunk, value *out, rubric_error *err)
{
    uint32_t slot = memo_slot(v, chunk);
    if (memo_current(v, chunk, slot)) {
        *out = v->lets[slot].v;
        return true;
    }
    if (!vm_call(v, chunk, NULL, 0, out, err))
        return false;
    memo_store(v, slot, *out);
    return true;
}
