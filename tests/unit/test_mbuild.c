/* test_mbuild.c — the module builder: interning and chunk ordering. */
#include "test_support.h"

#include <string.h>

#include "mbuild.h"

static void test_strings_and_types_are_interned(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t a = mb_cstring(&b, "alpha");
    uint32_t c = mb_cstring(&b, "beta");
    assert_int_equal(mb_cstring(&b, "alpha"), a);
    assert_int_not_equal(a, c);
    uint32_t t_int = mb_type(&b, TK_INT, 0);
    uint32_t t_list = mb_type(&b, TK_LIST, t_int);
    assert_int_equal(mb_type(&b, TK_LIST, t_int), t_list);
    assert_int_equal(mb_optional(&b, mb_optional(&b, t_int)), mb_optional(&b, t_int));
    assert_int_equal(mb_const_int(&b, 20), mb_const_int(&b, 20));
    assert_int_not_equal(mb_const_int(&b, 20), mb_const_money(&b, 20));
    uint32_t s1 = mb_const_string(&b, "DevOps", 6);
    assert_int_equal(mb_const_string(&b, "DevOps", 6), s1);
    assert_true(mb_finish(&b));
    assert_string_equal(module_str(&m, a), "alpha");
    assert_int_equal(m.consts[s1].v.len, 6);
    assert_memory_equal(m.consts[s1].v.as.s, "DevOps", 6);
    module_release(&m);
}

static void test_chunks_are_ordered_callees_first(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t t_int = mb_type(&b, TK_INT, 0);
    /* caller is created before its callee */
    uint32_t caller = mb_chunk(&b, "caller", 0, 0, NULL, t_int);
    uint32_t callee = mb_chunk(&b, "callee", CHUNK_LET, 0, NULL, t_int);
    mb_emit(&b, caller, OP_CALL_LET, callee);
    mb_emit(&b, caller, OP_RET, 0);
    mb_emit(&b, callee, OP_CONST, mb_const_int(&b, 7));
    mb_emit(&b, callee, OP_RET, 0);
    uint32_t p = mb_program(&b, "p", "P", "1", PROGRAM_TIERED);
    mb_program_ptr(&b, p)->applies = caller;
    assert_true(mb_finish(&b));
    assert_int_equal(m.nchunks, 2);
    assert_string_equal(module_str(&m, m.chunks[0].name), "callee");
    assert_string_equal(module_str(&m, m.chunks[1].name), "caller");
    assert_int_equal(m.chunks[1].code[0], OP_CALL_LET);
    assert_int_equal(opcode_operand(m.chunks[1].code, 0), 0);
    assert_int_equal(m.programs[0].applies, 1);
    module_release(&m);
}

static void test_jumps_are_patched_forward(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t t_bool = mb_type(&b, TK_BOOL, 0);
    uint32_t c = mb_chunk(&b, "c", 0, 0, NULL, t_bool);
    mb_emit(&b, c, OP_CONST, mb_const_bool(&b, false));
    uint32_t j = mb_emit_jump(&b, c, OP_AND_JUMP);
    mb_emit(&b, c, OP_CONST, mb_const_bool(&b, true));
    mb_patch_jump(&b, c, j);
    mb_emit(&b, c, OP_RET, 0);
    assert_true(mb_finish(&b));
    /* CONST(5) AND_JUMP(5) CONST(5) RET: the jump skips one CONST */
    assert_int_equal(m.chunks[0].code_len, 16);
    assert_int_equal(opcode_operand(m.chunks[0].code, 5), 5);
    module_release(&m);
}

static void test_call_cycle_is_reported(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t t_int = mb_type(&b, TK_INT, 0);
    uint32_t a = mb_chunk(&b, "a", CHUNK_LET, 0, NULL, t_int);
    uint32_t c = mb_chunk(&b, "b", CHUNK_LET, 0, NULL, t_int);
    mb_emit(&b, a, OP_CALL_LET, c);
    mb_emit(&b, a, OP_RET, 0);
    mb_emit(&b, c, OP_CALL_LET, a);
    mb_emit(&b, c, OP_RET, 0);
    assert_false(mb_finish(&b));
    assert_non_null(strstr(b.error, "calls itself"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_and_types_are_interned),
        cmocka_unit_test(test_chunks_are_ordered_callees_first),
        cmocka_unit_test(test_jumps_are_patched_forward),
        cmocka_unit_test(test_call_cycle_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
