/* test_verify.c — the verifier: one hand-built bad module per rule, each
 * checked for the exact reason. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "mbuild.h"

typedef struct fx {
    bc_module m;
    mbuild b;
    uint32_t t_int, t_opt_int, t_bool, t_string, t_money, t_date, t_interval, t_ints,
        t_tier;
    uint32_t opportunity, t_opp, t_opt_opp, t_opps; /* record of 7 fields */
    uint32_t partner, tier;
    char err[256];
} fx;

static void start(fx *f)
{
    memset(f, 0, sizeof *f);
    mbuild *b = &f->b;
    mb_init(b, &f->m, test_alloc());
    f->t_int = mb_type(b, TK_INT, 0);
    f->t_opt_int = mb_optional(b, f->t_int);
    f->t_bool = mb_type(b, TK_BOOL, 0);
    f->t_string = mb_type(b, TK_STRING, 0);
    f->t_money = mb_type(b, TK_MONEY, 0);
    f->t_date = mb_type(b, TK_DATE, 0);
    f->t_interval = mb_type(b, TK_INTERVAL, 0);
    f->t_ints = mb_type(b, TK_LIST, f->t_int);
    f->tier = mb_enum(b, "Tier", true);
    mb_enum_value(b, f->tier, "Registered");
    mb_enum_value(b, f->tier, "Select");
    f->t_tier = mb_type(b, TK_ENUM, f->tier);
    f->opportunity = mb_record(b, "Opportunity");
    f->t_opp = mb_type(b, TK_RECORD, f->opportunity);
    f->t_opt_opp = mb_optional(b, f->t_opp);
    f->t_opps = mb_type(b, TK_LIST, f->t_opp);
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
    mb_field(b, f->opportunity, "amount", f->t_money, 0);
    for (int i = 0; i < 6; i++)
        mb_field(b, f->opportunity, names[i], f->t_ints, 0);
    f->partner = mb_record(b, "Partner");
    mb_field(b, f->partner, "id", f->t_string, FIELD_REQUIRED);
    mb_field(b, f->partner, "opportunities", f->t_opps, 0);
    mb_field(b, f->partner, "best", f->t_opt_opp, 0);
    mb_schema(b, "test/1", f->partner, 0, BC_NONE, BC_NONE);
}

#define EMIT(f, c, ...)                                                     \
    do {                                                                    \
        const uint32_t ops_[] = {__VA_ARGS__};                              \
        for (size_t i_ = 0; i_ + 1 < sizeof ops_ / sizeof *ops_; i_ += 2)   \
            mb_emit(&(f)->b, (c), (opcode)ops_[i_], ops_[i_ + 1]);          \
    } while (0)

static uint32_t chunk0(fx *f, const char *name, uint32_t ret)
{
    return mb_chunk(&f->b, name, 0, 0, NULL, ret);
}

static uint32_t chunk1(fx *f, const char *name, uint32_t param, uint32_t ret)
{
    return mb_chunk(&f->b, name, 0, 1, &param, ret);
}

static void finish(fx *f)
{
    assert_true(mb_finish(&f->b));
}

/* Verify the finished module, which must fail with exactly `expect`. */
static void expect_reason(fx *f, const char *expect)
{
    bool ok = bc_verify(&f->m, f->err, sizeof f->err);
    module_release(&f->m);
    if (ok)
        fail_msg("verified, expected: %s", expect);
    assert_string_equal(f->err, expect);
}

static void expect_ok(fx *f)
{
    bool ok = bc_verify(&f->m, f->err, sizeof f->err);
    if (!ok)
        fail_msg("%s", f->err);
}

/* One chunk of code, finished and verified for a reason. */
static void expect_chunk_reason(fx *f, const char *expect)
{
    finish(f);
    expect_reason(f, expect);
}

/* ------------------------------------------------------------ good code */

static void test_good_chunk_sets_max_stack(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "sum", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_CONST, mb_const_int(&f.b, 2),
         OP_CONST, mb_const_int(&f.b, 3), OP_ADD, 0, OP_ADD, 0, OP_RET, 0);
    finish(&f);
    expect_ok(&f);
    assert_int_equal(f.m.chunks[0].max_stack, 3);
    module_release(&f.m);
}

/* T stands for T?, null for any T?, and joins make T?. */
static void test_nullable_joins_and_returns(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "maybe", f.t_opt_int);
    EMIT(&f, c, OP_AS_OF, 0, OP_AS_OF, 0, OP_LT, 0);
    uint32_t j = mb_emit_jump(&f.b, c, OP_JUMP_IF_FALSE);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1));
    uint32_t end = mb_emit_jump(&f.b, c, OP_JUMP);
    mb_patch_jump(&f.b, c, j);
    EMIT(&f, c, OP_CONST, mb_const_null(&f.b, f.t_opt_int));
    mb_patch_jump(&f.b, c, end);
    EMIT(&f, c, OP_RET, 0);
    /* an optional record's list field reads as a list */
    uint32_t d = chunk0(&f, "count", f.t_int);
    EMIT(&f, d, OP_ROOT, 0, OP_FIELD, 2, OP_FIELD, 1, OP_COUNT, 0, OP_RET, 0);
    finish(&f);
    expect_ok(&f);
    module_release(&f.m);
}

/* ------------------------------------------------------------ decoding */

static void test_unknown_opcode(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    finish(&f);
    f.m.chunks[0].code[5] = 0xee;
    expect_reason(&f, "chunk 0 'c' at 0x0005: unknown opcode 0xee");
}

static void test_instruction_past_end(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    finish(&f);
    f.m.chunks[0].code[5] = OP_CONST;
    expect_reason(&f, "chunk 0 'c' at 0x0005: CONST runs past the end of the code");
}

static void test_empty_chunk(void **state)
{
    (void)state;
    fx f;
    start(&f);
    chunk0(&f, "empty", f.t_int);
    expect_chunk_reason(&f, "chunk 0 'empty' at 0x0000: missing RET: the chunk has no code");
}

/* ------------------------------------------------------------ jumps */

static void test_jump_past_end(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_JUMP, 100, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: JUMP target 0x006e is past the end of "
                            "the code");
}

static void test_backward_jump(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    /* -10 as a two's complement skip: jumps never go backward */
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_JUMP, 0xfffffff6u, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: JUMP target 0x100000000 is past the end "
                            "of the code");
}

static void test_jump_into_instruction(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_bool(&f.b, true), OP_JUMP_IF_FALSE, 2,
         OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: JUMP_IF_FALSE target 0x000c is inside an "
                            "instruction");
}

static void test_join_heights_differ(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_bool(&f.b, true));
    uint32_t j = mb_emit_jump(&f.b, c, OP_JUMP_IF_FALSE);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1));
    mb_patch_jump(&f.b, c, j);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 2), OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x000f: stack heights 1 and 0 disagree where "
                            "paths join");
}

static void test_join_types_differ(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_bool(&f.b, true));
    uint32_t j = mb_emit_jump(&f.b, c, OP_JUMP_IF_FALSE);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1));
    uint32_t end = mb_emit_jump(&f.b, c, OP_JUMP);
    mb_patch_jump(&f.b, c, j);
    EMIT(&f, c, OP_CONST, mb_const_string(&f.b, "x", 1));
    mb_patch_jump(&f.b, c, end);
    EMIT(&f, c, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0019: types string and int disagree in stack "
                            "slot 0 where paths join");
}

static void test_and_jump_keeps_value_on_jump(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_bool);
    EMIT(&f, c, OP_CONST, mb_const_bool(&f.b, true));
    uint32_t j = mb_emit_jump(&f.b, c, OP_AND_JUMP);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1));
    mb_patch_jump(&f.b, c, j);
    EMIT(&f, c, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x000f: types int and bool disagree in stack "
                            "slot 0 where paths join");
}

/* ------------------------------------------------------------ stack and types */

static void test_stack_underflow(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_ADD, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: stack underflow: ADD pops 2 values but "
                            "the stack holds 1");
}

static void test_stack_overflow(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "deep", f.t_int);
    uint32_t one = mb_const_int(&f.b, 1);
    for (uint32_t i = 0; i <= BC_MAX_STACK; i++)
        mb_emit(&f.b, c, OP_CONST, one);
    EMIT(&f, c, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'deep' at 0x1400: stack overflow: more than 1024 values");
}

static void test_operand_type_mismatch(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_CONST, mb_const_string(&f.b, "x", 1),
         OP_ADD, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x000a: ADD on int and string: the operands must "
                            "have one type");
}

static void test_money_times_money(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_money);
    uint32_t k = mb_const_money(&f.b, 100);
    EMIT(&f, c, OP_CONST, k, OP_CONST, k, OP_MUL, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x000a: MUL on money and money");
}

static void test_unordered_enum_comparison(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t e = mb_enum(&f.b, "Kind", false);
    mb_enum_value(&f.b, e, "A");
    uint32_t k = mb_const(&f.b, mb_type(&f.b, TK_ENUM, e), value_enum(0));
    uint32_t c = chunk0(&f, "c", f.t_bool);
    EMIT(&f, c, OP_CONST, k, OP_CONST, k, OP_LT, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x000a: LT cannot compare Kind");
}

static void test_ret_type_mismatch(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_string(&f.b, "x", 1), OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: RET of string, but the chunk returns int");
}

static void test_optional_does_not_return_as_plain(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_null(&f.b, f.t_opt_int), OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: RET of int?, but the chunk returns int");
}

static void test_missing_ret(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1));
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: missing RET: the code can run past its end");
}

static void test_bad_const_index(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, 99, OP_RET, 0);
    finish(&f);
    char expect[128];
    snprintf(expect, sizeof expect, "chunk 0 'c' at 0x0000: CONST 99 out of range (%u constants)",
             f.m.nconsts);
    expect_reason(&f, expect);
}

static void test_bad_local(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk1(&f, "c", f.t_int, f.t_int);
    EMIT(&f, c, OP_LOCAL, 1, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0000: LOCAL 1 out of range (the chunk has 1 "
                            "parameters)");
}

static void test_bad_field_slot(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t pad = chunk0(&f, "pad", f.t_int);
    EMIT(&f, pad, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    uint32_t c = chunk1(&f, "launched", f.t_opp, f.t_int);
    EMIT(&f, c, OP_LOCAL, 0, OP_FIELD, 9, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'launched' at 0x0003: FIELD slot 9 out of range for "
                            "record Opportunity (7 fields)");
}

static void test_field_of_non_record(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_FIELD, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: FIELD expects a record, found int");
}

static void test_root_without_schema(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t c = mb_chunk(&b, "c", 0, 0, NULL, mb_type(&b, TK_INT, 0));
    mb_emit(&b, c, OP_ROOT, 0);
    mb_emit(&b, c, OP_RET, 0);
    assert_true(mb_finish(&b));
    char err[256];
    assert_false(bc_verify(&m, err, sizeof err));
    assert_string_equal(err, "chunk 0 'c' at 0x0000: ROOT in a module without a schema");
    module_release(&m);
}

static void test_sum_operand(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk1(&f, "total", f.t_ints, f.t_money);
    EMIT(&f, c, OP_LOCAL, 0, OP_SUM, 1, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'total' at 0x0003: SUM 1 (money) on list of int");
    start(&f);
    c = chunk1(&f, "total", f.t_ints, f.t_int);
    EMIT(&f, c, OP_LOCAL, 0, OP_SUM, 2, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'total' at 0x0003: SUM operand 2 is not 0 (int) or 1 "
                            "(money)");
}

static void test_list_opcode_needs_list(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CONST, mb_const_int(&f.b, 1), OP_COUNT, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'c' at 0x0005: COUNT expects a list, found int");
}

/* ------------------------------------------------------------ calls */

static void test_call_to_higher_chunk(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t callee = chunk0(&f, "callee", f.t_int);
    EMIT(&f, callee, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    uint32_t caller = chunk0(&f, "caller", f.t_int);
    EMIT(&f, caller, OP_CALL, callee, OP_RET, 0);
    finish(&f);
    f.m.chunks[1].code[1] = 1; /* the caller calls itself */
    expect_reason(&f, "chunk 1 'caller' at 0x0000: CALL to chunk 1, which is not below chunk 1");
}

static void test_call_out_of_range(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t callee = chunk0(&f, "callee", f.t_int);
    EMIT(&f, callee, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    uint32_t c = chunk0(&f, "c", f.t_int);
    EMIT(&f, c, OP_CALL, callee, OP_RET, 0);
    finish(&f);
    f.m.chunks[1].code[1] = 7;
    expect_reason(&f, "chunk 1 'c' at 0x0000: CALL to chunk 7 out of range (2 chunks)");
}

static void test_call_argument_type(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t callee = chunk1(&f, "twice", f.t_int, f.t_int);
    EMIT(&f, callee, OP_LOCAL, 0, OP_LOCAL, 0, OP_ADD, 0, OP_RET, 0);
    uint32_t caller = chunk0(&f, "caller", f.t_int);
    EMIT(&f, caller, OP_CONST, mb_const_string(&f.b, "x", 1), OP_CALL, callee, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'caller' at 0x0005: CALL argument 1 to chunk 0 'twice' is "
                            "string, expected int");
}

static void test_call_let_needs_let(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t callee = chunk0(&f, "plain", f.t_int);
    EMIT(&f, callee, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    uint32_t caller = chunk0(&f, "caller", f.t_int);
    EMIT(&f, caller, OP_CALL_LET, callee, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'caller' at 0x0000: CALL_LET to chunk 0 'plain', which is "
                            "not a let");
}

static void test_filter_chunk_returns_bool(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t pred = chunk1(&f, "amount", f.t_opp, f.t_money);
    EMIT(&f, pred, OP_LOCAL, 0, OP_FIELD, 0, OP_RET, 0);
    uint32_t c = chunk0(&f, "c", f.t_opps);
    EMIT(&f, c, OP_ROOT, 0, OP_FIELD, 1, OP_FILTER, pred, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'c' at 0x0004: FILTER chunk 0 'amount' returns money, "
                            "expected bool");
}

static void test_list_chunk_element_type(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t pred = chunk1(&f, "positive", f.t_int, f.t_bool);
    EMIT(&f, pred, OP_LOCAL, 0, OP_CONST, mb_const_int(&f.b, 0), OP_GT, 0, OP_RET, 0);
    uint32_t c = chunk0(&f, "c", f.t_bool);
    EMIT(&f, c, OP_ROOT, 0, OP_FIELD, 1, OP_ANY, pred, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'c' at 0x0004: ANY chunk 0 'positive' takes int, but the "
                            "elements are Opportunity");
}

static void test_list_chunk_captures(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t params[] = {f.t_opp, f.t_interval};
    uint32_t pred = mb_chunk(&f.b, "in window", 0, 2, params, f.t_bool);
    EMIT(&f, pred, OP_CONST, mb_const_bool(&f.b, true), OP_RET, 0);
    uint32_t c = chunk0(&f, "c", f.t_opps);
    EMIT(&f, c, OP_ROOT, 0, OP_FIELD, 1, OP_AS_OF, 0, OP_FILTER, pred, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'c' at 0x0005: FILTER argument 2 to chunk 0 'in window' is "
                            "date, expected interval");
}

static void test_distinct_by_returns_string(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t key = chunk1(&f, "key", f.t_opp, f.t_money);
    EMIT(&f, key, OP_LOCAL, 0, OP_FIELD, 0, OP_RET, 0);
    uint32_t c = chunk0(&f, "c", f.t_opps);
    EMIT(&f, c, OP_ROOT, 0, OP_FIELD, 1, OP_DISTINCT_BY, key, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 1 'c' at 0x0004: DISTINCT_BY chunk 0 'key' returns money, "
                            "expected string");
}

static void test_call_depth_is_bounded(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t prev = chunk0(&f, "c0", f.t_int);
    EMIT(&f, prev, OP_CONST, mb_const_int(&f.b, 1), OP_RET, 0);
    for (uint32_t i = 1; i < BC_MAX_CALL_DEPTH + 1; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%u", i);
        uint32_t c = chunk0(&f, name, f.t_int);
        EMIT(&f, c, OP_CALL, prev, OP_RET, 0);
        prev = c;
    }
    expect_chunk_reason(&f, "chunk 256 'c256': calls nest 257 deep, more than 256");
}

/* ------------------------------------------------------------ tables */

static void test_bad_types(void **state)
{
    (void)state;
    fx f;
    start(&f);
    finish(&f);
    f.m.types[f.t_opt_int].arg = f.t_opt_int; /* optional of itself */
    expect_reason(&f, "type 1: optional of type 1, which is not defined before it");
    start(&f);
    finish(&f);
    f.m.types[0].arg = 3;
    expect_reason(&f, "type 0: int takes no argument (has 3)");
    start(&f);
    finish(&f);
    f.m.types[f.t_tier].arg = 40;
    expect_reason(&f, "type 8: enum 40 out of range (1 enums)");
}

static void test_constant_of_wrong_type(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t k = mb_const(&f.b, f.t_tier, value_enum(1));
    finish(&f);
    f.m.consts[k].v.as.e = 5; /* Tier has 2 values */
    char expect[96];
    snprintf(expect, sizeof expect, "constant %u is not a value of its type Tier", k);
    expect_reason(&f, expect);
}

static void test_bad_schema_and_fields(void **state)
{
    (void)state;
    fx f;
    start(&f);
    finish(&f);
    f.m.schema.key_field = 12;
    expect_reason(&f, "schema: key field 12 out of range for record Partner (3 fields)");
    start(&f);
    finish(&f);
    f.m.schema.key_field = 1;
    expect_reason(&f, "schema: key field 'opportunities' has type list of Opportunity");
    start(&f);
    uint32_t zero = mb_const_int(&f.b, 0);
    finish(&f);
    f.m.records[f.opportunity].fields[0].default_value = zero;
    char expect[128];
    snprintf(expect, sizeof expect,
             "record 0 'Opportunity' field 'amount': default constant %u does not fit", zero);
    expect_reason(&f, expect);
}

static void test_let_with_parameters(void **state)
{
    (void)state;
    fx f;
    start(&f);
    uint32_t c = mb_chunk(&f.b, "let x", CHUNK_LET, 1, &f.t_int, f.t_int);
    EMIT(&f, c, OP_LOCAL, 0, OP_RET, 0);
    expect_chunk_reason(&f, "chunk 0 'let x': a let takes no parameters (has 1)");
}

/* ------------------------------------------------------------ programs */

typedef struct prog_fx {
    uint32_t tier, window, due, flag, count, program;
} prog_fx;

/* A valid tiered program with one requirement. */
static void tiered(fx *f, prog_fx *p)
{
    mbuild *b = &f->b;
    p->tier = chunk0(f, "tier", f->t_tier);
    EMIT(f, p->tier, OP_CONST, mb_const(b, f->t_tier, value_enum(0)), OP_RET, 0);
    p->window = chunk0(f, "window", f->t_interval);
    EMIT(f, p->window, OP_AS_OF, 0, OP_AS_OF, 0, OP_INTERVAL, 0, OP_RET, 0);
    p->due = chunk0(f, "due", f->t_date);
    EMIT(f, p->due, OP_AS_OF, 0, OP_RET, 0);
    p->flag = chunk0(f, "flag", f->t_bool);
    EMIT(f, p->flag, OP_CONST, mb_const_bool(b, true), OP_RET, 0);
    p->count = chunk0(f, "count", f->t_int);
    EMIT(f, p->count, OP_ROOT, 0, OP_FIELD, 1, OP_COUNT, 0, OP_RET, 0);
    p->program = mb_program(b, "p", "P", "1", PROGRAM_TIERED);
    uint32_t tiers[] = {0, 1};
    mb_program_tiers(b, p->program, f->tier, tiers, 2);
    bc_program *pp = mb_program_ptr(b, p->program);
    pp->applies = p->flag;
    pp->current_tier = p->tier;
    pp->rolling_window = p->window;
    pp->renewal_window = p->window;
    pp->review_date = p->due;
    uint32_t n = mb_node(b, p->program, BC_NONE, "opps", "Opportunities", "Experience");
    uint32_t part = mb_node(b, p->program, n, "more", "More", "Experience");
    bc_node *node = mb_node_ptr(b, p->program, n);
    node->measure = p->count;
    node->na_when = p->flag;
    node->thresholds[0] = (bc_threshold){TH_CONST, mb_const_int(b, 2)};
    mb_node_ptr(b, p->program, part)->thresholds[1] =
        (bc_threshold){TH_CONST, mb_const_int(b, 3)};
    finish(f);
}

static void test_good_program(void **state)
{
    (void)state;
    fx f;
    prog_fx p;
    start(&f);
    tiered(&f, &p);
    expect_ok(&f);
    module_release(&f.m);
}

static void test_program_chunk_signature(void **state)
{
    (void)state;
    fx f;
    prog_fx p;
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].current_tier = p.count;
    expect_reason(&f, "program 0 'p' current tier: chunk 4 'count' is () -> int, expected () "
                      "-> Tier");
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].nodes[0].na_when = p.count;
    expect_reason(&f, "program 0 'p' node 0 'opps' not_applicable when: chunk 4 'count' is () "
                      "-> int, expected () -> bool?");
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].rolling_window = BC_NONE;
    expect_reason(&f, "program 0 'p' rolling window: chunk 4294967295 out of range (5 chunks)");
}

static void test_program_tiers_ascending(void **state)
{
    (void)state;
    fx f;
    prog_fx p;
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].tiers[1] = 0;
    expect_reason(&f, "program 0 'p': tier 1 (value 0) is not a value of Tier above the tier "
                      "before it");
}

static void test_threshold_type(void **state)
{
    (void)state;
    fx f;
    prog_fx p;
    start(&f);
    uint32_t money = mb_const_money(&f.b, 100);
    tiered(&f, &p);
    f.m.programs[0].nodes[0].thresholds[0].index = money;
    char expect[160];
    snprintf(expect, sizeof expect,
             "program 0 'p' node 0 'opps' threshold 0: constant %u is not of type int", money);
    expect_reason(&f, expect);
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].nodes[0].thresholds[0].kind = TH_CHUNK;
    expect_reason(&f, "program 0 'p' node 0 'opps' threshold 0: a computed threshold outside a "
                      "per-item program");
}

static void test_node_tree(void **state)
{
    (void)state;
    fx f;
    prog_fx p;
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].nodes[1].parent = BC_NONE;
    expect_reason(&f, "program 0 'p' node 0: parts are not its children in preorder");
    start(&f);
    tiered(&f, &p);
    f.m.programs[0].nodes[0].nparts = 0; /* node 1 claims a parent that does not list it */
    expect_reason(&f, "program 0 'p' node 1: parent 0 does not list it as a part");
}

static void test_sustained_node(void **state)
{
    (void)state;
    fx f;
    prog_fx p;
    start(&f);
    tiered(&f, &p);
    bc_node *n = &f.m.programs[0].nodes[0];
    n->kind = NODE_SUSTAINED;
    n->measure = BC_NONE;
    expect_reason(&f, "program 0 'p' node 0 'opps': sustained tier 4294967295 out of range (2 "
                      "tiers)");
    start(&f);
    tiered(&f, &p);
    n = &f.m.programs[0].nodes[0];
    n->kind = NODE_CHOICE;
    expect_reason(&f, "program 0 'p' node 0 'opps': a choice node has no measure chunk");
}

static void test_per_item_program(void **state)
{
    (void)state;
    fx f;
    start(&f);
    mbuild *b = &f.b;
    uint32_t items = chunk0(&f, "items", f.t_opps);
    EMIT(&f, items, OP_ROOT, 0, OP_FIELD, 1, OP_RET, 0);
    uint32_t label = chunk1(&f, "label", f.t_opp, f.t_string);
    EMIT(&f, label, OP_CONST, mb_const_string(b, "x", 1), OP_RET, 0);
    uint32_t measure = chunk1(&f, "measure", f.t_opp, f.t_money);
    EMIT(&f, measure, OP_LOCAL, 0, OP_FIELD, 0, OP_RET, 0);
    uint32_t wrong = chunk0(&f, "wrong", f.t_money);
    EMIT(&f, wrong, OP_CONST, mb_const_money(b, 1), OP_RET, 0);
    uint32_t pi = mb_program(b, "items", "Items", "1", PROGRAM_PER_ITEM);
    bc_program *p = mb_program_ptr(b, pi);
    p->items = items;
    p->item_label = label;
    p->items_name = mb_cstring(b, "applications");
    p = mb_program_ptr(b, pi);
    p->item_label_name = mb_cstring(b, "designation");
    uint32_t n = mb_node(b, pi, BC_NONE, "amount", "Amount", "Money");
    bc_node *node = mb_node_ptr(b, pi, n);
    node->unit = UNIT_USD;
    node->measure = measure;
    node->thresholds[0] = (bc_threshold){TH_CONST, mb_const_money(b, 500)};
    finish(&f);
    expect_ok(&f);
    f.m.programs[0].nodes[0].measure = wrong;
    assert_false(bc_verify(&f.m, f.err, sizeof f.err));
    assert_string_equal(f.err, "program 0 'items' node 0 'amount' measure: chunk 3 'wrong' is () "
                               "-> money, expected (Opportunity) -> money?");
    module_release(&f.m);
}

/* Random code never crashes the verifier (run under the sanitizers). */
static void test_random_code_is_judged_safely(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < 3000; round++) {
        fx f;
        start(&f);
        uint32_t callee = chunk1(&f, "callee", f.t_opp, f.t_bool);
        EMIT(&f, callee, OP_CONST, mb_const_bool(&f.b, true), OP_RET, 0);
        uint32_t c = chunk1(&f, "random", f.t_opps, f.t_int);
        EMIT(&f, c, OP_RET, 0);
        mb_const_int(&f.b, 1);
        mb_const_money(&f.b, 1);
        finish(&f);
        bc_chunk *ch = &f.m.chunks[1];
        mem_free(&f.m.alloc, ch->code, ch->code_len);
        ch->code_len = 1 + round % 48;
        ch->code = mem_alloc(&f.m.alloc, ch->code_len);
        assert_non_null(ch->code);
        for (uint32_t i = 0; i < ch->code_len; i++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 16;
            /* mostly opcodes and small operands, sometimes anything */
            ch->code[i] = (uint8_t)(r % 4 == 0 ? r >> 4 : (r >> 4) % (OP__COUNT + 2));
        }
        (void)bc_verify(&f.m, f.err, sizeof f.err);
        assert_true(f.err[0] != '\0' || f.m.chunks[1].max_stack <= BC_MAX_STACK);
        module_release(&f.m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_chunk_sets_max_stack),
        cmocka_unit_test(test_nullable_joins_and_returns),
        cmocka_unit_test(test_unknown_opcode),
        cmocka_unit_test(test_instruction_past_end),
        cmocka_unit_test(test_empty_chunk),
        cmocka_unit_test(test_jump_past_end),
        cmocka_unit_test(test_backward_jump),
        cmocka_unit_test(test_jump_into_instruction),
        cmocka_unit_test(test_join_heights_differ),
        cmocka_unit_test(test_join_types_differ),
        cmocka_unit_test(test_and_jump_keeps_value_on_jump),
        cmocka_unit_test(test_stack_underflow),
        cmocka_unit_test(test_stack_overflow),
        cmocka_unit_test(test_operand_type_mismatch),
        cmocka_unit_test(test_money_times_money),
        cmocka_unit_test(test_unordered_enum_comparison),
        cmocka_unit_test(test_ret_type_mismatch),
        cmocka_unit_test(test_optional_does_not_return_as_plain),
        cmocka_unit_test(test_missing_ret),
        cmocka_unit_test(test_bad_const_index),
        cmocka_unit_test(test_bad_local),
        cmocka_unit_test(test_bad_field_slot),
        cmocka_unit_test(test_field_of_non_record),
        cmocka_unit_test(test_root_without_schema),
        cmocka_unit_test(test_sum_operand),
        cmocka_unit_test(test_list_opcode_needs_list),
        cmocka_unit_test(test_call_to_higher_chunk),
        cmocka_unit_test(test_call_out_of_range),
        cmocka_unit_test(test_call_argument_type),
        cmocka_unit_test(test_call_let_needs_let),
        cmocka_unit_test(test_filter_chunk_returns_bool),
        cmocka_unit_test(test_list_chunk_element_type),
        cmocka_unit_test(test_list_chunk_captures),
        cmocka_unit_test(test_distinct_by_returns_string),
        cmocka_unit_test(test_call_depth_is_bounded),
        cmocka_unit_test(test_bad_types),
        cmocka_unit_test(test_constant_of_wrong_type),
        cmocka_unit_test(test_bad_schema_and_fields),
        cmocka_unit_test(test_let_with_parameters),
        cmocka_unit_test(test_good_program),
        cmocka_unit_test(test_program_chunk_signature),
        cmocka_unit_test(test_program_tiers_ascending),
        cmocka_unit_test(test_threshold_type),
        cmocka_unit_test(test_node_tree),
        cmocka_unit_test(test_sustained_node),
        cmocka_unit_test(test_per_item_program),
        cmocka_unit_test(test_random_code_is_judged_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
