/* test_vm.c — the interpreter: scalar opcodes, control, calls, lets and
 * limits, on modules built with mbuild (unverified, so each chunk's
 * max_stack is set to a safe bound here). */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "mbuild.h"
#include "vm.h"

#define I(x) value_int(x)
#define M(x) value_money(x)
#define D(y, m, d) value_date(cal_from_ymd((y), (m), (d)))
#define S(s) value_string((s), (uint32_t)(sizeof(s) - 1))
#define NUL value_null()

/* ------------------------------------------------------------ harness */

typedef struct env {
    bc_module m;
    mbuild b;
    arena mem;
    vm v;
    bool has_vm;
    uint32_t t_int, t_money, t_bool, t_date, t_month, t_string, t_interval;
    uint32_t t_enum, t_list_int;
} env;

static void env_init(env *e)
{
    memset(e, 0, sizeof *e);
    mb_init(&e->b, &e->m, test_alloc());
    arena_init(&e->mem, test_alloc(), 0);
    e->t_int = mb_type(&e->b, TK_INT, 0);
    e->t_money = mb_type(&e->b, TK_MONEY, 0);
    e->t_bool = mb_type(&e->b, TK_BOOL, 0);
    e->t_date = mb_type(&e->b, TK_DATE, 0);
    e->t_month = mb_type(&e->b, TK_MONTH, 0);
    e->t_string = mb_type(&e->b, TK_STRING, 0);
    e->t_interval = mb_type(&e->b, TK_INTERVAL, 0);
    uint32_t tier = mb_enum(&e->b, "Tier", true);
    mb_enum_value(&e->b, tier, "Select");
    mb_enum_value(&e->b, tier, "Advanced");
    e->t_enum = mb_type(&e->b, TK_ENUM, tier);
    e->t_list_int = mb_type(&e->b, TK_LIST, e->t_int);
}

/* Finish the module; every chunk's stack bound is its code length (an
 * instruction pushes at most one value and takes at least one byte). */
static void env_build(env *e, uint64_t max_instructions)
{
    assert_true(mb_finish(&e->b));
    for (uint32_t i = 0; i < e->m.nchunks; i++)
        e->m.chunks[i].max_stack = (uint16_t)(e->m.chunks[i].code_len + 1);
    assert_true(vm_init(&e->v, &e->m, &e->mem, test_alloc(), max_instructions));
    e->has_vm = true;
}

static void env_free(env *e)
{
    if (e->has_vm)
        vm_free(&e->v);
    arena_free(&e->mem);
    module_release(&e->m);
}

static uint32_t chunk_named(const env *e, const char *name)
{
    for (uint32_t i = 0; i < e->m.nchunks; i++)
        if (strcmp(module_str(&e->m, e->m.chunks[i].name), name) == 0)
            return i;
    fail_msg("no chunk %s", name);
    return 0;
}

static bool call(env *e, const char *name, const value *args, uint16_t nargs, value *out,
                 rubric_error *err)
{
    return vm_call(&e->v, chunk_named(e, name), args, nargs, out, err);
}

/* A chunk of nparams parameters (their declared types do not matter to the
 * VM). */
static uint32_t chunk(env *e, const char *name, uint8_t flags, uint16_t nparams)
{
    uint32_t params[8];
    for (uint16_t i = 0; i < 8; i++)
        params[i] = e->t_int;
    assert_true(nparams <= 8);
    return mb_chunk(&e->b, name, flags, nparams, params, e->t_int);
}

static uint32_t type_of(env *e, value v)
{
    switch (v.kind) {
    case VK_MONEY:
        return e->t_money;
    case VK_BOOL:
        return e->t_bool;
    case VK_DATE:
        return e->t_date;
    case VK_MONTH:
        return e->t_month;
    case VK_ENUM:
        return e->t_enum;
    case VK_LIST:
        return e->t_list_int;
    default:
        return e->t_int;
    }
}

static void op(env *e, uint32_t c, opcode o, uint32_t operand)
{
    mb_emit(&e->b, c, o, operand);
}

static void push(env *e, uint32_t c, value v)
{
    uint32_t k;
    if (v.kind == VK_STRING)
        k = mb_const_string(&e->b, v.as.s, v.len);
    else if (v.kind == VK_NULL)
        k = mb_const_null(&e->b, mb_optional(&e->b, e->t_int));
    else
        k = mb_const(&e->b, type_of(e, v), v);
    op(e, c, OP_CONST, k);
}

/* main() = CONST xs...; o operand; RET.  Scalar results only (the module
 * is gone when this returns); message gets the error text. */
static bool eval_op(const value *xs, uint32_t n, opcode o, uint32_t operand, value *out,
                    char message[256])
{
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 0);
    for (uint32_t i = 0; i < n; i++)
        push(&e, c, xs[i]);
    op(&e, c, o, operand);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    rubric_error err;
    bool ok = call(&e, "main", NULL, 0, out, &err);
    snprintf(message, 256, "%.255s", ok ? "" : err.message);
    env_free(&e);
    return ok;
}

static value ok_op(const value *xs, uint32_t n, opcode o, uint32_t operand)
{
    value r = NUL;
    char message[256];
    if (!eval_op(xs, n, o, operand, &r, message))
        fail_msg("unexpected error: %s", message);
    return r;
}

static value ok1(opcode o, value a)
{
    return ok_op(&a, 1, o, 0);
}

static value ok2(opcode o, value a, value b)
{
    value xs[2] = {a, b};
    return ok_op(xs, 2, o, 0);
}

static void err2(opcode o, value a, value b, const char *expected)
{
    value xs[2] = {a, b}, r;
    char message[256];
    assert_false(eval_op(xs, 2, o, 0, &r, message));
    assert_string_equal(message, expected);
}

static void assert_value(value v, value_kind kind, int64_t i)
{
    assert_int_equal(v.kind, kind);
    switch (kind) {
    case VK_BOOL:
        assert_int_equal(v.as.b, i);
        break;
    case VK_DATE:
    case VK_MONTH:
        assert_int_equal(v.as.d, i);
        break;
    case VK_ENUM:
        assert_int_equal(v.as.e, i);
        break;
    case VK_NULL:
        break;
    default:
        assert_int_equal(v.as.i, i);
        break;
    }
}

#define assert_bool(v, b) assert_value((v), VK_BOOL, (b))
#define assert_null_value(v) assert_int_equal((v).kind, VK_NULL)

static value list_of(env *e, uint32_t n, const value *items)
{
    list *l = arena_alloc(&e->mem, sizeof(list) + (size_t)n * sizeof(value));
    assert_non_null(l);
    l->count = n;
    if (n)
        memcpy(l->items, items, (size_t)n * sizeof(value));
    value v = {0};
    v.kind = VK_LIST;
    v.as.list = l;
    return v;
}

static value record_of(env *e, uint32_t type, uint32_t n, const value *fields)
{
    record *r = arena_alloc(&e->mem, sizeof(record) + (size_t)n * sizeof(value));
    assert_non_null(r);
    r->type = type;
    r->nfields = n;
    memcpy(r->fields, fields, (size_t)n * sizeof(value));
    value v = {0};
    v.kind = VK_RECORD;
    v.as.rec = r;
    return v;
}

static void assert_ints(value l, uint32_t n, const int64_t *expected)
{
    assert_int_equal(l.kind, VK_LIST);
    assert_int_equal(l.as.list->count, n);
    for (uint32_t i = 0; i < n; i++)
        assert_value(l.as.list->items[i], VK_INT, expected[i]);
}

/* ------------------------------------------------------------ values */

static void test_compare_and_equal(void **state)
{
    (void)state;
    assert_true(vm_compare(S("B"), S("a")) < 0); /* bytewise */
    assert_true(vm_compare(S("ab"), S("abc")) < 0);
    assert_int_equal(vm_compare(S("abc"), S("abc")), 0);
    assert_true(vm_compare(S(""), S("a")) < 0);
    assert_true(vm_compare(M(-5), M(3)) < 0);
    assert_true(vm_compare(value_enum(2), value_enum(1)) > 0);
    assert_true(vm_compare(value_month(24300), value_month(24299)) > 0);
    assert_true(vm_equal(NUL, NUL));
    assert_false(vm_equal(NUL, I(0)));
    assert_false(vm_equal(I(0), NUL));
    assert_true(vm_equal(S("x"), S("x")));
    assert_false(vm_equal(S("x"), S("xy")));
    assert_true(vm_equal(value_interval(1, 5), value_interval(1, 5)));
    assert_false(vm_equal(value_interval(1, 5), value_interval(1, 6)));
}

/* ------------------------------------------------------------ constants, context */

static void test_const_local_pop(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 2);
    op(&e, c, OP_LOCAL, 1);
    push(&e, c, I(99));
    op(&e, c, OP_POP, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value args[2] = {I(4), I(7)}, r;
    rubric_error err;
    assert_true(call(&e, "main", args, 2, &r, &err));
    assert_value(r, VK_INT, 7);
    env_free(&e);
}

static void test_context_as_of_root_window(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t rec = mb_record(&e.b, "Partner");
    mb_field(&e.b, rec, "id", e.t_string, FIELD_REQUIRED);
    mb_field(&e.b, rec, "founded", e.t_int, 0);
    uint32_t a = chunk(&e, "as_of", 0, 0);
    op(&e, a, OP_AS_OF, 0);
    op(&e, a, OP_RET, 0);
    uint32_t f = chunk(&e, "founded", 0, 0);
    op(&e, f, OP_ROOT, 0);
    op(&e, f, OP_FIELD, 1);
    op(&e, f, OP_RET, 0);
    uint32_t w = chunk(&e, "in_window", 0, 0);
    op(&e, w, OP_WINDOW, 0);
    op(&e, w, OP_RET, 0);
    env_build(&e, 0);

    value fields[2] = {S("p-1"), I(2011)};
    vm_context ctx = {0};
    ctx.root = record_of(&e, rec, 2, fields);
    ctx.as_of = cal_from_ymd(2026, 3, 1);
    vm_set_context(&e.v, &ctx);
    value r;
    rubric_error err;
    assert_true(call(&e, "as_of", NULL, 0, &r, &err));
    assert_value(r, VK_DATE, cal_from_ymd(2026, 3, 1));
    assert_true(call(&e, "founded", NULL, 0, &r, &err));
    assert_value(r, VK_INT, 2011);

    assert_false(call(&e, "in_window", NULL, 0, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_EVAL);
    assert_string_equal(err.message,
                        "no window outside a time-bound requirement (chunk 'in_window')");
    ctx.has_window = true;
    ctx.window = value_interval(10, 20);
    vm_set_context(&e.v, &ctx);
    assert_true(call(&e, "in_window", NULL, 0, &r, &err));
    assert_int_equal(r.kind, VK_INTERVAL);
    assert_int_equal(r.as.iv.lo, 10);
    assert_int_equal(r.as.iv.hi, 20);
    env_free(&e);
}

static void test_field_of_null_is_null(void **state)
{
    (void)state;
    assert_null_value(ok_op((value[]){NUL}, 1, OP_FIELD, 3));
}

static void test_map_get(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "get", 0, 2);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_MAP_GET, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    map *mp = arena_alloc(&e.mem, sizeof(map) + 2 * sizeof(map_entry));
    mp->count = 2;
    mp->entries[0] = (map_entry){"security", 8, value_bool(true)};
    mp->entries[1] = (map_entry){"sec", 3, value_bool(false)};
    value mv = {0};
    mv.kind = VK_MAP;
    mv.as.map = mp;
    value args[2] = {mv, S("sec")}, r;
    rubric_error err;
    assert_true(call(&e, "get", args, 2, &r, &err));
    assert_bool(r, false);
    args[1] = S("security");
    assert_true(call(&e, "get", args, 2, &r, &err));
    assert_bool(r, true);
    args[1] = S("secure");
    assert_true(call(&e, "get", args, 2, &r, &err));
    assert_null_value(r);
    args[0] = NUL; /* a map under an absent optional record */
    assert_true(call(&e, "get", args, 2, &r, &err));
    assert_null_value(r);
    env_free(&e);
}

/* ------------------------------------------------------------ comparison, logic */

static void test_eq_ne_treat_null_as_a_value(void **state)
{
    (void)state;
    assert_bool(ok2(OP_EQ, I(3), I(3)), true);
    assert_bool(ok2(OP_EQ, I(3), I(4)), false);
    assert_bool(ok2(OP_EQ, NUL, NUL), true);
    assert_bool(ok2(OP_EQ, NUL, I(0)), false);
    assert_bool(ok2(OP_EQ, S("DevOps"), S("DevOps")), true);
    assert_bool(ok2(OP_NE, NUL, I(0)), true);
    assert_bool(ok2(OP_NE, NUL, NUL), false);
    assert_bool(ok2(OP_NE, M(100), M(100)), false);
}

static void test_ordering_false_with_null(void **state)
{
    (void)state;
    assert_bool(ok2(OP_LT, I(1), I(2)), true);
    assert_bool(ok2(OP_LE, I(2), I(2)), true);
    assert_bool(ok2(OP_GT, M(250000), M(100)), true);
    assert_bool(ok2(OP_GE, D(2024, 1, 1), D(2024, 1, 2)), false);
    assert_bool(ok2(OP_LT, S("Zeta"), S("alpha")), true); /* bytewise */
    assert_bool(ok2(OP_GT, value_enum(1), value_enum(0)), true);
    assert_bool(ok2(OP_LT, value_month(24000), value_month(24001)), true);
    const opcode ops[4] = {OP_LT, OP_LE, OP_GT, OP_GE};
    for (int i = 0; i < 4; i++) {
        assert_bool(ok2(ops[i], NUL, I(1)), false);
        assert_bool(ok2(ops[i], I(1), NUL), false);
        assert_bool(ok2(ops[i], NUL, NUL), false);
    }
}

static void test_not_is_null_coalesce(void **state)
{
    (void)state;
    assert_bool(ok1(OP_NOT, value_bool(true)), false);
    assert_bool(ok1(OP_NOT, value_bool(false)), true);
    assert_null_value(ok1(OP_NOT, NUL));
    assert_bool(ok1(OP_IS_NULL, NUL), true);
    assert_bool(ok1(OP_IS_NULL, I(0)), false);
    assert_value(ok2(OP_COALESCE, NUL, I(5)), VK_INT, 5);
    assert_value(ok2(OP_COALESCE, I(3), I(5)), VK_INT, 3);
    assert_null_value(ok2(OP_COALESCE, NUL, NUL));
}

/* ------------------------------------------------------------ arithmetic */

static void test_arithmetic(void **state)
{
    (void)state;
    assert_value(ok2(OP_ADD, I(2), I(3)), VK_INT, 5);
    assert_value(ok2(OP_ADD, M(150), M(250)), VK_MONEY, 400);
    assert_value(ok2(OP_SUB, I(2), I(5)), VK_INT, -3);
    assert_value(ok2(OP_SUB, M(1000), M(1)), VK_MONEY, 999);
    assert_value(ok2(OP_MUL, I(6), I(7)), VK_INT, 42);
    assert_value(ok2(OP_MUL, M(1050), I(3)), VK_MONEY, 3150);
    assert_value(ok2(OP_MUL, I(3), M(1050)), VK_MONEY, 3150);
    assert_value(ok2(OP_DIV, I(7), I(2)), VK_INT, 3);
    assert_value(ok2(OP_DIV, I(-7), I(2)), VK_INT, -3); /* truncating */
    assert_value(ok2(OP_DIV, M(1000), I(3)), VK_MONEY, 333);
    assert_value(ok1(OP_NEG, I(5)), VK_INT, -5);
    assert_value(ok1(OP_NEG, M(-250)), VK_MONEY, 250);
}

static void test_arithmetic_with_null_is_null(void **state)
{
    (void)state;
    const opcode ops[4] = {OP_ADD, OP_SUB, OP_MUL, OP_DIV};
    for (int i = 0; i < 4; i++) {
        assert_null_value(ok2(ops[i], NUL, I(1)));
        assert_null_value(ok2(ops[i], I(1), NUL));
    }
    assert_null_value(ok2(OP_DIV, NUL, I(0))); /* null wins over division by zero */
    assert_null_value(ok1(OP_NEG, NUL));
}

static void test_arithmetic_errors(void **state)
{
    (void)state;
    err2(OP_ADD, I(INT64_MAX), I(1), "int overflow in addition (chunk 'main')");
    err2(OP_ADD, M(INT64_MAX), M(1), "money overflow in addition (chunk 'main')");
    err2(OP_SUB, I(INT64_MIN), I(1), "int overflow in subtraction (chunk 'main')");
    err2(OP_SUB, M(INT64_MIN), M(1), "money overflow in subtraction (chunk 'main')");
    err2(OP_MUL, M(INT64_MAX / 2), I(3), "money overflow in multiplication (chunk 'main')");
    err2(OP_MUL, I(INT64_MIN), I(-1), "int overflow in multiplication (chunk 'main')");
    err2(OP_DIV, I(1), I(0), "division by zero (chunk 'main')");
    err2(OP_DIV, M(100), I(0), "division by zero (chunk 'main')");
    err2(OP_DIV, I(INT64_MIN), I(-1), "int overflow in division (chunk 'main')");
    err2(OP_DIV, M(INT64_MIN), I(-1), "money overflow in division (chunk 'main')");
    value r;
    char message[256];
    assert_false(eval_op((value[]){I(INT64_MIN)}, 1, OP_NEG, 0, &r, message));
    assert_string_equal(message, "int overflow in negation (chunk 'main')");
    assert_false(eval_op((value[]){M(INT64_MIN)}, 1, OP_NEG, 0, &r, message));
    assert_string_equal(message, "money overflow in negation (chunk 'main')");
}

/* ------------------------------------------------------------ calendar */

static void test_add_days(void **state)
{
    (void)state;
    assert_value(ok2(OP_ADD_DAYS, D(2024, 2, 28), I(1)), VK_DATE, cal_from_ymd(2024, 2, 29));
    assert_value(ok2(OP_ADD_DAYS, D(2024, 3, 1), I(-1)), VK_DATE, cal_from_ymd(2024, 2, 29));
    assert_value(ok2(OP_ADD_DAYS, D(2023, 12, 31), I(90)), VK_DATE,
                 cal_from_ymd(2024, 3, 30));
    assert_null_value(ok2(OP_ADD_DAYS, NUL, I(1)));
    assert_null_value(ok2(OP_ADD_DAYS, D(2024, 1, 1), NUL));
    err2(OP_ADD_DAYS, D(9999, 12, 31), I(1),
         "date out of range in day arithmetic (chunk 'main')");
    err2(OP_ADD_DAYS, D(1, 1, 1), I(-1), "date out of range in day arithmetic (chunk 'main')");
    err2(OP_ADD_DAYS, D(2024, 1, 1), I(INT64_MAX),
         "date out of range in day arithmetic (chunk 'main')");
}

static void test_add_months_clamps_at_month_end(void **state)
{
    (void)state;
    assert_value(ok2(OP_ADD_MONTHS, D(2024, 1, 31), I(1)), VK_DATE, cal_from_ymd(2024, 2, 29));
    assert_value(ok2(OP_ADD_MONTHS, D(2023, 1, 31), I(1)), VK_DATE, cal_from_ymd(2023, 2, 28));
    assert_value(ok2(OP_ADD_MONTHS, D(2024, 2, 29), I(-12)), VK_DATE,
                 cal_from_ymd(2023, 2, 28));
    assert_value(ok2(OP_ADD_MONTHS, D(2026, 8, 31), I(-5)), VK_DATE,
                 cal_from_ymd(2026, 3, 31));
    assert_value(ok2(OP_ADD_MONTHS, value_month(2024 * 12 + 10), I(3)), VK_MONTH,
                 2025 * 12 + 1);
    assert_null_value(ok2(OP_ADD_MONTHS, NUL, I(1)));
    err2(OP_ADD_MONTHS, D(9999, 12, 1), I(1),
         "date out of range in month arithmetic (chunk 'main')");
    err2(OP_ADD_MONTHS, value_month(CAL_MIN_MONTH), I(-1),
         "month out of range in month arithmetic (chunk 'main')");
    err2(OP_ADD_MONTHS, value_month(CAL_MAX_MONTH), I(INT64_MAX),
         "month out of range in month arithmetic (chunk 'main')");
}

static void test_between(void **state)
{
    (void)state;
    assert_value(ok2(OP_DAYS_BETWEEN, D(2024, 2, 1), D(2024, 3, 1)), VK_INT, 29);
    assert_value(ok2(OP_DAYS_BETWEEN, D(2024, 3, 1), D(2024, 2, 1)), VK_INT, -29);
    assert_value(ok2(OP_MONTHS_BETWEEN, D(2024, 1, 31), D(2024, 2, 29)), VK_INT, 1);
    assert_value(ok2(OP_MONTHS_BETWEEN, D(2024, 1, 15), D(2024, 2, 14)), VK_INT, 0);
    assert_value(ok2(OP_MONTHS_BETWEEN, D(2025, 3, 1), D(2024, 1, 1)), VK_INT, -14);
    /* 2026-01-02 is a Friday: Sat, Sun, Mon -> 1 */
    assert_value(ok2(OP_BUSINESS_DAYS, D(2026, 1, 2), D(2026, 1, 5)), VK_INT, 1);
    assert_value(ok2(OP_BUSINESS_DAYS, D(2026, 1, 5), D(2026, 1, 2)), VK_INT, 0);
    assert_null_value(ok2(OP_DAYS_BETWEEN, NUL, D(2024, 1, 1)));
    assert_null_value(ok2(OP_MONTHS_BETWEEN, D(2024, 1, 1), NUL));
    assert_null_value(ok2(OP_BUSINESS_DAYS, NUL, NUL));
}

static void test_first_day_month_of(void **state)
{
    (void)state;
    assert_value(ok1(OP_FIRST_DAY, value_month(2024 * 12 + 1)), VK_DATE,
                 cal_from_ymd(2024, 2, 1));
    assert_value(ok1(OP_MONTH_OF, D(2024, 2, 29)), VK_MONTH, 2024 * 12 + 1);
    assert_null_value(ok1(OP_FIRST_DAY, NUL));
    assert_null_value(ok1(OP_MONTH_OF, NUL));
}

static void test_max2_min2_ignore_null(void **state)
{
    (void)state;
    assert_value(ok2(OP_MAX2, I(3), I(8)), VK_INT, 8);
    assert_value(ok2(OP_MIN2, I(3), I(8)), VK_INT, 3);
    assert_value(ok2(OP_MAX2, NUL, D(2024, 1, 1)), VK_DATE, cal_from_ymd(2024, 1, 1));
    assert_value(ok2(OP_MIN2, M(5), NUL), VK_MONEY, 5);
    assert_null_value(ok2(OP_MAX2, NUL, NUL));
}

/* Build INTERVAL(lo, hi, flags) and test d in it. */
static bool in_iv(value d, int32_t lo, int32_t hi, uint8_t flags)
{
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 0);
    push(&e, c, d);
    push(&e, c, value_date(lo));
    push(&e, c, value_date(hi));
    op(&e, c, OP_INTERVAL, flags);
    op(&e, c, OP_IN_INTERVAL, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value r;
    rubric_error err;
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    env_free(&e);
    assert_int_equal(r.kind, VK_BOOL);
    return r.as.b;
}

static void test_interval_flags(void **state)
{
    (void)state;
    value lo = D(2024, 1, 1), hi = D(2024, 12, 31);
    value r = ok_op((value[]){lo, hi}, 2, OP_INTERVAL, 0);
    assert_int_equal(r.as.iv.lo, lo.as.d);
    assert_int_equal(r.as.iv.hi, hi.as.d);
    r = ok_op((value[]){lo, hi}, 2, OP_INTERVAL, 3);
    assert_int_equal(r.kind, VK_INTERVAL);
    assert_int_equal(r.as.iv.lo, lo.as.d + 1);
    assert_int_equal(r.as.iv.hi, hi.as.d - 1);
    assert_null_value(ok_op((value[]){NUL, hi}, 2, OP_INTERVAL, 0));

    int32_t a = lo.as.d, b = hi.as.d;
    assert_true(in_iv(lo, a, b, 0));  /* [a, b] */
    assert_false(in_iv(lo, a, b, 1)); /* (a, b] */
    assert_true(in_iv(hi, a, b, 1));
    assert_false(in_iv(hi, a, b, 2)); /* [a, b) */
    assert_true(in_iv(value_date(a + 1), a, b, 3));
    assert_false(in_iv(value_date(b + 1), a, b, 0));
    assert_false(in_iv(NUL, a, b, 0));
}

static void test_in_list(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 2);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_IN_LIST, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value items[3] = {S("Select"), S("Advanced"), S("Premier")};
    value args[2] = {S("Advanced"), list_of(&e, 3, items)}, r;
    rubric_error err;
    assert_true(call(&e, "main", args, 2, &r, &err));
    assert_bool(r, true);
    args[0] = S("Registered");
    assert_true(call(&e, "main", args, 2, &r, &err));
    assert_bool(r, false);
    args[0] = NUL;
    assert_true(call(&e, "main", args, 2, &r, &err));
    assert_bool(r, false);
    args[0] = S("Select");
    args[1] = NUL; /* an absent optional list is empty */
    assert_true(call(&e, "main", args, 2, &r, &err));
    assert_bool(r, false);
    env_free(&e);
}

static void test_strings(void **state)
{
    (void)state;
    assert_value(ok1(OP_LENGTH, S("h\xc3\xa9llo")), VK_INT, 6); /* bytes */
    assert_value(ok1(OP_LENGTH, S("")), VK_INT, 0);
    assert_null_value(ok1(OP_LENGTH, NUL));
    assert_bool(ok1(OP_IS_DIGITS, S("0123456789")), true);
    assert_bool(ok1(OP_IS_DIGITS, S("12a4")), false);
    assert_bool(ok1(OP_IS_DIGITS, S("")), false);
    assert_bool(ok1(OP_IS_DIGITS, S("-12")), false);
    assert_null_value(ok1(OP_IS_DIGITS, NUL));
}

/* ------------------------------------------------------------ control */

/* if cond then 1 else 2 */
static value run_if(bool cond)
{
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 0);
    push(&e, c, value_bool(cond));
    uint32_t to_else = mb_emit_jump(&e.b, c, OP_JUMP_IF_FALSE);
    push(&e, c, I(1));
    uint32_t to_end = mb_emit_jump(&e.b, c, OP_JUMP);
    mb_patch_jump(&e.b, c, to_else);
    push(&e, c, I(2));
    mb_patch_jump(&e.b, c, to_end);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value r;
    rubric_error err;
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    env_free(&e);
    return r;
}

/* left AND/OR (1 / divisor == 1): with divisor 0 the right side fails
 * when it runs. */
static bool run_short_circuit(opcode jump, bool left, int64_t divisor, value *r,
                              char message[256])
{
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 0);
    push(&e, c, value_bool(left));
    uint32_t j = mb_emit_jump(&e.b, c, jump);
    push(&e, c, I(1));
    push(&e, c, I(divisor));
    op(&e, c, OP_DIV, 0);
    push(&e, c, I(1));
    op(&e, c, OP_EQ, 0);
    mb_patch_jump(&e.b, c, j);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    rubric_error err;
    bool ok = call(&e, "main", NULL, 0, r, &err);
    snprintf(message, 256, "%.255s", ok ? "" : err.message);
    env_free(&e);
    return ok;
}

static void test_jumps(void **state)
{
    (void)state;
    assert_value(run_if(true), VK_INT, 1);
    assert_value(run_if(false), VK_INT, 2);
    value r;
    char message[256];
    assert_true(run_short_circuit(OP_AND_JUMP, false, 0, &r, message));
    assert_bool(r, false);
    assert_true(run_short_circuit(OP_OR_JUMP, true, 0, &r, message));
    assert_bool(r, true);
    /* the other way round the right side runs, in place of the left */
    assert_false(run_short_circuit(OP_AND_JUMP, true, 0, &r, message));
    assert_string_equal(message, "division by zero (chunk 'main')");
    assert_false(run_short_circuit(OP_OR_JUMP, false, 0, &r, message));
    assert_string_equal(message, "division by zero (chunk 'main')");
    assert_true(run_short_circuit(OP_AND_JUMP, true, 1, &r, message));
    assert_bool(r, true);
    assert_true(run_short_circuit(OP_OR_JUMP, false, 2, &r, message));
    assert_bool(r, false);
}

static void test_call_passes_arguments_in_order(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t sub = chunk(&e, "sub", 0, 2);
    op(&e, sub, OP_LOCAL, 0);
    op(&e, sub, OP_LOCAL, 1);
    op(&e, sub, OP_SUB, 0);
    op(&e, sub, OP_RET, 0);
    uint32_t c = chunk(&e, "main", 0, 0);
    push(&e, c, I(100)); /* stays below the call's frame */
    push(&e, c, I(10));
    push(&e, c, I(3));
    op(&e, c, OP_CALL, sub);
    op(&e, c, OP_ADD, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value r;
    rubric_error err;
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    assert_value(r, VK_INT, 107);
    env_free(&e);
}

static void test_error_names_the_failing_chunk(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t inner = chunk(&e, "ratio", 0, 0);
    push(&e, inner, I(1));
    push(&e, inner, I(0));
    op(&e, inner, OP_DIV, 0);
    op(&e, inner, OP_RET, 0);
    uint32_t c = chunk(&e, "main", 0, 0);
    op(&e, c, OP_CALL, inner);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value r;
    rubric_error err;
    assert_false(call(&e, "main", NULL, 0, &r, &err));
    assert_string_equal(err.message, "division by zero (chunk 'ratio')");
    /* the vm is usable again after an error */
    assert_false(call(&e, "main", NULL, 0, &r, &err));
    assert_int_equal(e.v.depth, 0);
    env_free(&e);
}

/* ------------------------------------------------------------ lets */

/* let = 1 + 2 (4 instructions); main = let + let (4 instructions). */
static void build_let(env *e, uint64_t max_instructions)
{
    uint32_t let = chunk(e, "let", CHUNK_LET, 0);
    push(e, let, I(1));
    push(e, let, I(2));
    op(e, let, OP_ADD, 0);
    op(e, let, OP_RET, 0);
    uint32_t c = chunk(e, "main", 0, 0);
    op(e, c, OP_CALL_LET, let);
    op(e, c, OP_CALL_LET, let);
    op(e, c, OP_ADD, 0);
    op(e, c, OP_RET, 0);
    env_build(e, max_instructions);
}

static uint64_t spent_by_main(env *e)
{
    uint64_t before = vm_instructions_left(&e->v);
    value r;
    rubric_error err;
    assert_true(call(e, "main", NULL, 0, &r, &err));
    assert_value(r, VK_INT, 6);
    return before - vm_instructions_left(&e->v);
}

static void test_lets_are_memoized_per_context(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_let(&e, 1000000);
    vm_context ctx = {0};
    vm_set_context(&e.v, &ctx);
    assert_int_equal(spent_by_main(&e), 8); /* the let runs once */
    assert_int_equal(spent_by_main(&e), 4); /* and not again */
    vm_set_context(&e.v, &ctx);
    assert_int_equal(spent_by_main(&e), 8);
    vm_begin_partner(&e.v);
    assert_int_equal(vm_instructions_left(&e.v), 1000000);
    assert_int_equal(spent_by_main(&e), 8);
    env_free(&e);
}

/* ------------------------------------------------------------ limits */

static void test_instruction_budget(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_let(&e, 7); /* main needs 8 */
    value r;
    rubric_error err;
    assert_false(call(&e, "main", NULL, 0, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "instruction limit reached");
    /* spent until the next partner */
    assert_false(call(&e, "main", NULL, 0, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    vm_free(&e.v);
    assert_true(vm_init(&e.v, &e.m, &e.mem, test_alloc(), 8)); /* exactly enough */
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    assert_value(r, VK_INT, 6);
    vm_begin_partner(&e.v);
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    env_free(&e);
}

/* Chunks c0 = 1 and c(i) = 0 + 0 + 0 + c(i-1)(), n of them; returns the
 * last. */
static uint32_t add_chain(env *e, uint32_t n)
{
    uint32_t prev = chunk(e, "c0", 0, 0);
    push(e, prev, I(1));
    op(e, prev, OP_RET, 0);
    for (uint32_t i = 1; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%u", i);
        uint32_t c = chunk(e, name, 0, 0);
        /* values below the call, so each frame sits higher */
        for (int j = 0; j < 3; j++)
            push(e, c, I(0));
        op(e, c, OP_CALL, prev);
        for (int j = 0; j < 3; j++)
            op(e, c, OP_ADD, 0);
        op(e, c, OP_RET, 0);
        prev = c;
    }
    return prev;
}

/* main() calls a chain n chunks deep. */
static void build_chain(env *e, uint32_t n)
{
    uint32_t last = add_chain(e, n);
    uint32_t c = chunk(e, "main", 0, 0);
    op(e, c, OP_CALL, last);
    op(e, c, OP_RET, 0);
    env_build(e, 0);
}

static void test_call_depth_limit(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_chain(&e, BC_MAX_CALL_DEPTH - 1); /* with main: exactly the limit */
    value r;
    rubric_error err;
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    assert_value(r, VK_INT, 1);
    env_free(&e);

    env_init(&e);
    build_chain(&e, BC_MAX_CALL_DEPTH);
    assert_false(call(&e, "main", NULL, 0, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_EVAL);
    assert_string_equal(err.message, "call depth limit of 256 reached (chunk 'c0')");
    env_free(&e);
}


/* ------------------------------------------------------------ element calls */

/* main(l, cap) = l <o> k(e, cap); pred: e > cap, eq: e == cap,
 * times: e * cap. */
static void build_element_op(env *e, opcode o, opcode elem_op)
{
    uint32_t k = chunk(e, "elem", 0, 2);
    op(e, k, OP_LOCAL, 0);
    op(e, k, OP_LOCAL, 1);
    op(e, k, elem_op, 0);
    op(e, k, OP_RET, 0);
    uint32_t c = chunk(e, "main", 0, 2);
    op(e, c, OP_LOCAL, 0);
    op(e, c, OP_LOCAL, 1);
    op(e, c, o, k);
    op(e, c, OP_RET, 0);
}

static value run_main(env *e, value l, value cap)
{
    value args[2] = {l, cap}, r;
    rubric_error err;
    if (!call(e, "main", args, 2, &r, &err))
        fail_msg("unexpected error: %s", err.message);
    return r;
}

static void test_filter_with_captures(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_element_op(&e, OP_FILTER, OP_GT);
    env_build(&e, 1000);
    value l = list_of(&e, 4, (value[]){I(1), I(5), I(3), I(7)});
    uint64_t before = vm_instructions_left(&e.v);
    assert_ints(run_main(&e, l, I(3)), 2, (int64_t[]){5, 7});
    /* main: 4 instructions; each element: 1 call + 4 instructions */
    assert_int_equal(before - vm_instructions_left(&e.v), 4 + 4 * 5);
    value all = run_main(&e, l, I(0));
    assert_ptr_equal(all.as.list, l.as.list); /* nothing dropped: no copy */
    assert_ints(run_main(&e, l, I(10)), 0, NULL);
    assert_ints(run_main(&e, NUL, I(0)), 0, NULL);
    env_free(&e);
}

static void test_filter_counts_elements_against_budget(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_element_op(&e, OP_FILTER, OP_GT);
    env_build(&e, 4 + 3 * 5); /* one element short */
    value l = list_of(&e, 4, (value[]){I(1), I(5), I(3), I(7)});
    value args[2] = {l, I(3)}, r;
    rubric_error err;
    assert_false(call(&e, "main", args, 2, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "instruction limit reached");
    env_free(&e);
}

/* A filter over n elements of which none passes: 4 + 5 * n instructions. */
static value long_list(env *e, uint32_t n)
{
    value *items = calloc(n, sizeof *items);
    assert_non_null(items);
    for (uint32_t i = 0; i < n; i++)
        items[i] = I(1);
    value l = list_of(e, n, items);
    free(items);
    return l;
}

/* The limit counts exactly across the slices between two looks at the
 * interrupt. */
static void test_budget_spans_slices(void **state)
{
    (void)state;
    uint32_t n = 3 * VM_SLICE;
    uint64_t need = 4 + 5 * (uint64_t)n;
    for (uint64_t limit = need - 1; limit <= need; limit++) {
        env e;
        env_init(&e);
        build_element_op(&e, OP_FILTER, OP_GT);
        env_build(&e, limit);
        value args[2] = {long_list(&e, n), I(3)}, r;
        rubric_error err;
        bool ok = call(&e, "main", args, 2, &r, &err);
        assert_int_equal(ok, limit == need);
        if (!ok)
            assert_string_equal(err.message, "instruction limit reached");
        else
            assert_int_equal(vm_instructions_left(&e.v), 0);
        env_free(&e);
    }
}

static bool count_asks(void *user_data)
{
    unsigned *asked = user_data;
    return ++*asked == 2;
}

/* The interrupt is looked at once a slice: the flag, then the callback. */
static void test_interrupt_between_slices(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_element_op(&e, OP_FILTER, OP_GT);
    env_build(&e, 0);
    volatile int flag = 0;
    unsigned asked = 0;
    vm_interrupt stop = {&flag, count_asks, &asked};
    e.v.interrupt = &stop;
    value args[2] = {long_list(&e, 4 * VM_SLICE), I(3)}, r;
    rubric_error err;
    assert_false(call(&e, "main", args, 2, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_INTERRUPTED);
    assert_string_equal(err.message, "interrupted");
    assert_int_equal(asked, 2);
    flag = 1;
    assert_false(call(&e, "main", args, 2, &r, &err));
    assert_int_equal(asked, 2); /* the flag was enough */
    flag = 0;
    asked = 10;
    assert_true(call(&e, "main", args, 2, &r, &err));
    env_free(&e);
}

static void test_any_all(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_element_op(&e, OP_ANY, OP_EQ);
    env_build(&e, 1000);
    value l = list_of(&e, 3, (value[]){I(2), I(4), I(6)});
    uint64_t before = vm_instructions_left(&e.v);
    assert_bool(run_main(&e, l, I(2)), true);
    assert_int_equal(before - vm_instructions_left(&e.v), 4 + 5); /* stopped at the first */
    assert_bool(run_main(&e, l, I(6)), true);
    assert_bool(run_main(&e, l, I(5)), false);
    assert_bool(run_main(&e, NUL, I(5)), false);
    env_free(&e);

    env_init(&e);
    build_element_op(&e, OP_ALL, OP_GT);
    env_build(&e, 0);
    l = list_of(&e, 3, (value[]){I(2), I(4), I(6)});
    assert_bool(run_main(&e, l, I(1)), true);
    assert_bool(run_main(&e, l, I(2)), false);
    assert_bool(run_main(&e, list_of(&e, 0, NULL), I(9)), true);
    assert_bool(run_main(&e, NUL, I(9)), true);
    env_free(&e);
}

static void test_map(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_element_op(&e, OP_MAP, OP_MUL);
    env_build(&e, 0);
    value l = list_of(&e, 3, (value[]){I(1), I(2), I(3)});
    assert_ints(run_main(&e, l, I(10)), 3, (int64_t[]){10, 20, 30});
    assert_ints(run_main(&e, NUL, I(10)), 0, NULL);
    env_free(&e);
}

/* The element chunk calls 100 chunks deep, so the stack grows while the
 * FILTER is running; the list slot and captures must survive the move. */
static void test_filter_survives_stack_growth(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t deep = add_chain(&e, 100);
    uint32_t k = chunk(&e, "elem", 0, 2);
    op(&e, k, OP_LOCAL, 0);
    op(&e, k, OP_CALL, deep); /* 1 */
    op(&e, k, OP_ADD, 0);
    op(&e, k, OP_LOCAL, 1);
    op(&e, k, OP_GT, 0);
    op(&e, k, OP_RET, 0);
    uint32_t c = chunk(&e, "main", 0, 2);
    push(&e, c, I(1000));
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_FILTER, k);
    op(&e, c, OP_COUNT, 0);
    op(&e, c, OP_ADD, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    uint32_t cap_before = e.v.stack_cap;
    value l = list_of(&e, 5, (value[]){I(1), I(5), I(3), I(7), I(4)});
    /* e + 1 > 4: 5, 7, 4 */
    assert_value(run_main(&e, l, I(4)), VK_INT, 1003);
    assert_true(e.v.stack_cap > cap_before);
    env_free(&e);
}

static void test_memory_limit_in_a_list_opcode(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_element_op(&e, OP_FILTER, OP_GT);
    env_build(&e, 0);
    value items[100];
    for (int i = 0; i < 100; i++)
        items[i] = I(i);
    value args[2] = {list_of(&e, 100, items), I(50)}, r;
    e.mem.limit = e.mem.used + 64;
    rubric_error err;
    assert_false(call(&e, "main", args, 2, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "memory limit reached");
    env_free(&e);
}

/* ------------------------------------------------------------ reading lists */

static void test_project_flattens_list_fields(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t rec = mb_record(&e.b, "Opportunity");
    mb_field(&e.b, rec, "amount", mb_optional(&e.b, e.t_int), 0);
    mb_field(&e.b, rec, "tags", e.t_list_int, 0);
    for (uint32_t slot = 0; slot < 2; slot++) {
        char name[8];
        snprintf(name, sizeof name, "f%u", slot);
        uint32_t c = chunk(&e, name, 0, 1);
        op(&e, c, OP_LOCAL, 0);
        op(&e, c, OP_PROJECT, slot);
        op(&e, c, OP_RET, 0);
    }
    env_build(&e, 0);
    value r1 = record_of(&e, rec, 2, (value[]){I(5), list_of(&e, 2, (value[]){I(1), I(2)})});
    value r2 = record_of(&e, rec, 2, (value[]){NUL, list_of(&e, 1, (value[]){I(3)})});
    value r3 = record_of(&e, rec, 2, (value[]){I(7), NUL});
    value l = list_of(&e, 4, (value[]){r1, NUL, r2, r3});
    value r;
    rubric_error err;
    assert_true(call(&e, "f0", &l, 1, &r, &err));
    assert_int_equal(r.as.list->count, 4); /* null elements give null */
    assert_value(r.as.list->items[0], VK_INT, 5);
    assert_null_value(r.as.list->items[1]);
    assert_null_value(r.as.list->items[2]);
    assert_value(r.as.list->items[3], VK_INT, 7);
    assert_true(call(&e, "f1", &l, 1, &r, &err));
    assert_ints(r, 3, (int64_t[]){1, 2, 3});
    value none = NUL;
    assert_true(call(&e, "f1", &none, 1, &r, &err));
    assert_ints(r, 0, NULL);
    env_free(&e);
}

/* individuals.business_plan.reviews: empty, not [null], when nobody has a
 * business plan; individuals.business_plan.status keeps one null each. */
static void test_project_through_absent_records(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t plan = mb_record(&e.b, "BusinessPlan");
    mb_field(&e.b, plan, "reviews", e.t_list_int, 0);
    mb_field(&e.b, plan, "status", mb_optional(&e.b, e.t_int), 0);
    uint32_t person = mb_record(&e.b, "Individual");
    mb_field(&e.b, person, "business_plan",
             mb_optional(&e.b, mb_type(&e.b, TK_RECORD, plan)), 0);
    for (uint32_t slot = 0; slot < 2; slot++) {
        char name[8];
        snprintf(name, sizeof name, "f%u", slot);
        uint32_t c = chunk(&e, name, 0, 1);
        op(&e, c, OP_LOCAL, 0);
        op(&e, c, OP_PROJECT, 0);
        op(&e, c, OP_PROJECT, slot);
        op(&e, c, OP_RET, 0);
    }
    env_build(&e, 0);
    value nobody = record_of(&e, person, 1, (value[]){NUL});
    value l = list_of(&e, 2, (value[]){nobody, nobody});
    value r;
    rubric_error err;
    assert_true(call(&e, "f0", &l, 1, &r, &err));
    assert_ints(r, 0, NULL);
    assert_true(call(&e, "f1", &l, 1, &r, &err));
    assert_int_equal(r.as.list->count, 2);
    assert_null_value(r.as.list->items[0]);
    assert_null_value(r.as.list->items[1]);

    value bp = record_of(&e, plan, 2, (value[]){list_of(&e, 1, (value[]){I(4)}), I(1)});
    value somebody = record_of(&e, person, 1, (value[]){bp});
    l = list_of(&e, 3, (value[]){nobody, somebody, nobody});
    assert_true(call(&e, "f0", &l, 1, &r, &err));
    assert_ints(r, 1, (int64_t[]){4});
    env_free(&e);
}

/* main(l) = l <o> operand; scalar results. */
static value list_op(opcode o, uint32_t operand, uint32_t n, const value *items,
                     const char *chunk_name, char message[256])
{
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, chunk_name, 0, 1);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, o, operand);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value l = items ? list_of(&e, n, items) : NUL, r = NUL;
    rubric_error err;
    bool ok = call(&e, chunk_name, &l, 1, &r, &err);
    snprintf(message, 256, "%.255s", ok ? "" : err.message);
    if (r.kind == VK_STRING)
        r = NUL; /* its bytes die with the module */
    env_free(&e);
    return r;
}

static value ok_list(opcode o, uint32_t operand, uint32_t n, const value *items)
{
    char message[256];
    value r = list_op(o, operand, n, items, "main", message);
    assert_string_equal(message, "");
    return r;
}

static void test_count_sum(void **state)
{
    (void)state;
    value ints[4] = {I(3), NUL, I(10), I(-2)};
    assert_value(ok_list(OP_COUNT, 0, 4, ints), VK_INT, 3);
    assert_value(ok_list(OP_COUNT, 0, 0, NULL), VK_INT, 0);
    assert_value(ok_list(OP_SUM, 0, 4, ints), VK_INT, 11);
    value money[3] = {M(150050), NUL, M(99950)};
    assert_value(ok_list(OP_SUM, 1, 3, money), VK_MONEY, 250000);
    assert_value(ok_list(OP_SUM, 1, 0, NULL), VK_MONEY, 0); /* the kind of an empty sum */
    assert_value(ok_list(OP_SUM, 0, 0, NULL), VK_INT, 0);
    assert_value(ok_list(OP_SUM, 1, 1, (value[]){NUL}), VK_MONEY, 0);

    char message[256];
    value big[2] = {M(INT64_MAX), M(1)};
    list_op(OP_SUM, 1, 2, big, "launched_mrr", message);
    assert_string_equal(message, "money overflow in sum (chunk 'launched_mrr')");
    value low[2] = {I(INT64_MIN), I(-1)};
    list_op(OP_SUM, 0, 2, low, "main", message);
    assert_string_equal(message, "int overflow in sum (chunk 'main')");
}

static void test_max_min(void **state)
{
    (void)state;
    value ints[4] = {I(3), NUL, I(10), I(-2)};
    assert_value(ok_list(OP_MAX, 0, 4, ints), VK_INT, 10);
    assert_value(ok_list(OP_MIN, 0, 4, ints), VK_INT, -2);
    value dates[3] = {D(2024, 5, 1), D(2023, 1, 9), NUL};
    assert_value(ok_list(OP_MIN, 0, 3, dates), VK_DATE, cal_from_ymd(2023, 1, 9));
    value tiers[3] = {value_enum(0), value_enum(2), value_enum(1)};
    assert_value(ok_list(OP_MAX, 0, 3, tiers), VK_ENUM, 2);
    assert_null_value(ok_list(OP_MAX, 0, 2, (value[]){NUL, NUL}));
    assert_null_value(ok_list(OP_MIN, 0, 0, NULL));
    assert_null_value(ok_list(OP_MIN, 0, 0, (value[]){NUL}));
}

static void test_distinct_keeps_first_appearance(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 1);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_DISTINCT, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value l = list_of(&e, 6, (value[]){I(3), I(1), I(3), NUL, I(2), I(1)});
    value r;
    rubric_error err;
    assert_true(call(&e, "main", &l, 1, &r, &err));
    assert_ints(r, 3, (int64_t[]){3, 1, 2});
    l = list_of(&e, 4, (value[]){S("b"), S("B"), S("b"), S("")});
    assert_true(call(&e, "main", &l, 1, &r, &err));
    assert_int_equal(r.as.list->count, 3);
    assert_true(vm_equal(r.as.list->items[1], S("B")));
    assert_true(vm_equal(r.as.list->items[2], S("")));
    value none = NUL;
    assert_true(call(&e, "main", &none, 1, &r, &err));
    assert_ints(r, 0, NULL);
    env_free(&e);
}

static void test_concat(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 2);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_CONCAT, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value a = list_of(&e, 2, (value[]){I(1), I(2)});
    value b = list_of(&e, 1, (value[]){I(3)});
    assert_ints(run_main(&e, a, b), 3, (int64_t[]){1, 2, 3});
    assert_ints(run_main(&e, b, a), 3, (int64_t[]){3, 1, 2});
    assert_ints(run_main(&e, NUL, b), 1, (int64_t[]){3});
    assert_ints(run_main(&e, a, NUL), 2, (int64_t[]){1, 2});
    assert_ints(run_main(&e, NUL, NUL), 0, NULL);
    env_free(&e);
}

static void test_distinct_by_with_capture(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t rec = mb_record(&e.b, "Certification");
    mb_field(&e.b, rec, "name", e.t_string, 0);
    mb_field(&e.b, rec, "year", mb_optional(&e.b, e.t_int), 0);
    uint32_t k = chunk(&e, "by", 0, 2);
    op(&e, k, OP_LOCAL, 0);
    op(&e, k, OP_FIELD, 0);
    op(&e, k, OP_LOCAL, 0);
    op(&e, k, OP_FIELD, 1);
    op(&e, k, OP_LOCAL, 1);
    op(&e, k, OP_KEY, 3);
    op(&e, k, OP_RET, 0);
    uint32_t c = chunk(&e, "main", 0, 2);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_DISTINCT_BY, k);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value items[6] = {
        record_of(&e, rec, 2, (value[]){S("ann"), I(2020)}),
        record_of(&e, rec, 2, (value[]){S("bob"), NUL}),
        record_of(&e, rec, 2, (value[]){S("ann"), I(2020)}),
        record_of(&e, rec, 2, (value[]){S("ann"), I(2021)}),
        record_of(&e, rec, 2, (value[]){S("bob"), NUL}),
        record_of(&e, rec, 2, (value[]){S("bo"), NUL}),
    };
    value r = run_main(&e, list_of(&e, 6, items), S("capture"));
    assert_int_equal(r.as.list->count, 4);
    assert_ptr_equal(r.as.list->items[0].as.rec, items[0].as.rec);
    assert_ptr_equal(r.as.list->items[1].as.rec, items[1].as.rec);
    assert_ptr_equal(r.as.list->items[2].as.rec, items[3].as.rec);
    assert_ptr_equal(r.as.list->items[3].as.rec, items[5].as.rec);
    assert_ints(run_main(&e, NUL, S("capture")), 0, NULL);
    env_free(&e);
}

/* KEY(a...) == KEY(b...) for two tuples of n values. */
static bool keys_equal(uint32_t n, const value *a, const value *b)
{
    env e;
    env_init(&e);
    uint32_t c = chunk(&e, "main", 0, 0);
    for (uint32_t i = 0; i < n; i++)
        push(&e, c, a[i]);
    op(&e, c, OP_KEY, n);
    for (uint32_t i = 0; i < n; i++)
        push(&e, c, b[i]);
    op(&e, c, OP_KEY, n);
    op(&e, c, OP_EQ, 0);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);
    value r;
    rubric_error err;
    assert_true(call(&e, "main", NULL, 0, &r, &err));
    env_free(&e);
    assert_int_equal(r.kind, VK_BOOL);
    return r.as.b;
}

static void test_key_is_equal_exactly_for_equal_tuples(void **state)
{
    (void)state;
    assert_true(keys_equal(2, (value[]){S("ab"), S("c")}, (value[]){S("ab"), S("c")}));
    assert_false(keys_equal(2, (value[]){S("ab"), S("c")}, (value[]){S("a"), S("bc")}));
    assert_true(keys_equal(2, (value[]){NUL, I(1)}, (value[]){NUL, I(1)}));
    assert_false(keys_equal(1, (value[]){NUL}, (value[]){I(0)}));
    assert_false(keys_equal(1, (value[]){S("")}, (value[]){NUL}));
    assert_false(keys_equal(2, (value[]){I(1), NUL}, (value[]){NUL, I(1)}));
    assert_true(keys_equal(3, (value[]){M(100), D(2024, 1, 1), value_bool(true)},
                           (value[]){M(100), D(2024, 1, 1), value_bool(true)}));
    assert_false(keys_equal(1, (value[]){M(100)}, (value[]){M(101)}));
    assert_false(keys_equal(1, (value[]){value_enum(1)}, (value[]){value_enum(2)}));
}


/* The C library allocator refusing any block larger than *user_data. */
static void *capped_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size > *(const size_t *)user_data)
        return NULL;
    return test_alloc()->realloc(test_alloc()->user_data, ptr, old_size, new_size);
}

static void test_stack_that_cannot_grow_is_out_of_memory(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    build_chain(&e, 200);
    /* room for the first stack and the lets, not for a larger stack */
    size_t cap = e.v.stack_cap * sizeof(value);
    if (cap < e.m.nchunks * sizeof(let_slot))
        cap = e.m.nchunks * sizeof(let_slot);
    assert_true(cap < 2 * e.v.stack_cap * sizeof(value));
    vm_free(&e.v);
    rubric_allocator capped = {capped_realloc, &cap};
    assert_true(vm_init(&e.v, &e.m, &e.mem, &capped, 0));
    value r;
    rubric_error err;
    assert_false(call(&e, "main", NULL, 0, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "out of memory");
    env_free(&e);
}

/* Results of 2^32 values or more cannot be built; only the counts of the
 * operands are read before that is found. */
static void test_results_past_4g_are_memory_limits(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    uint32_t rec = mb_record(&e.b, "R");
    mb_field(&e.b, rec, "tags", e.t_list_int, 0);
    uint32_t c = chunk(&e, "cat", 0, 2);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_CONCAT, 0);
    op(&e, c, OP_RET, 0);
    c = chunk(&e, "proj", 0, 1);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_PROJECT, 0);
    op(&e, c, OP_RET, 0);
    c = chunk(&e, "key", 0, 2);
    op(&e, c, OP_LOCAL, 0);
    op(&e, c, OP_LOCAL, 1);
    op(&e, c, OP_KEY, 2);
    op(&e, c, OP_RET, 0);
    env_build(&e, 0);

    list half;
    half.count = 0x80000000u;
    value big = {0};
    big.kind = VK_LIST;
    big.as.list = &half;
    value r;
    rubric_error err;
    assert_false(call(&e, "cat", (value[]){big, big}, 2, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "memory limit reached");

    value rec_big = record_of(&e, rec, 1, (value[]){big});
    value l = list_of(&e, 2, (value[]){rec_big, rec_big});
    assert_false(call(&e, "proj", &l, 1, &r, &err));
    assert_string_equal(err.message, "memory limit reached");

    value s = value_string("x", 0x80000000u);
    assert_false(call(&e, "key", (value[]){s, s}, 2, &r, &err));
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "memory limit reached");
    env_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_and_equal),
        cmocka_unit_test(test_const_local_pop),
        cmocka_unit_test(test_context_as_of_root_window),
        cmocka_unit_test(test_field_of_null_is_null),
        cmocka_unit_test(test_map_get),
        cmocka_unit_test(test_eq_ne_treat_null_as_a_value),
        cmocka_unit_test(test_ordering_false_with_null),
        cmocka_unit_test(test_not_is_null_coalesce),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_arithmetic_with_null_is_null),
        cmocka_unit_test(test_arithmetic_errors),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_add_months_clamps_at_month_end),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_first_day_month_of),
        cmocka_unit_test(test_max2_min2_ignore_null),
        cmocka_unit_test(test_interval_flags),
        cmocka_unit_test(test_in_list),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_jumps),
        cmocka_unit_test(test_call_passes_arguments_in_order),
        cmocka_unit_test(test_error_names_the_failing_chunk),
        cmocka_unit_test(test_lets_are_memoized_per_context),
        cmocka_unit_test(test_instruction_budget),
        cmocka_unit_test(test_budget_spans_slices),
        cmocka_unit_test(test_interrupt_between_slices),
        cmocka_unit_test(test_call_depth_limit),
        cmocka_unit_test(test_filter_with_captures),
        cmocka_unit_test(test_filter_counts_elements_against_budget),
        cmocka_unit_test(test_any_all),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_filter_survives_stack_growth),
        cmocka_unit_test(test_memory_limit_in_a_list_opcode),
        cmocka_unit_test(test_project_flattens_list_fields),
        cmocka_unit_test(test_project_through_absent_records),
        cmocka_unit_test(test_count_sum),
        cmocka_unit_test(test_max_min),
        cmocka_unit_test(test_distinct_keeps_first_appearance),
        cmocka_unit_test(test_concat),
        cmocka_unit_test(test_distinct_by_with_capture),
        cmocka_unit_test(test_key_is_equal_exactly_for_equal_tuples),
        cmocka_unit_test(test_stack_that_cannot_grow_is_out_of_memory),
        cmocka_unit_test(test_results_past_4g_are_memory_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
