/* test_opcodes.c — the opcode table (runtime/bytecode/opcodes.h): its
 * operand sizes and stack effects are consistent, and they are the ones
 * the compiler emits and the verifier accepts. */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "mbuild.h"
#include "module.h"
#include "opcodes.h"
#include "rubric.h"

static void test_names_are_the_enum(void **state)
{
    (void)state;
    assert_string_equal(opcode_table[OP_CONST].name, "CONST");
    assert_string_equal(opcode_table[OP_JUMP_IF_FALSE].name, "JUMP_IF_FALSE");
    assert_string_equal(opcode_table[OP_KEY].name, "KEY");
    for (int a = 0; a < OP__COUNT; a++) {
        assert_non_null(opcode_table[a].name);
        assert_true(opcode_table[a].name[0] != '\0');
        for (int b = a + 1; b < OP__COUNT; b++)
            assert_string_not_equal(opcode_table[a].name, opcode_table[b].name);
    }
}

static void test_operand_sizes(void **state)
{
    (void)state;
    for (int op = 0; op < OP__COUNT; op++) {
        uint8_t kind = opcode_table[op].operand;
        assert_in_range(kind, OPND_NONE, OPND_JUMP);
        uint32_t bytes = opcode_size((opcode)op) - 1;
        assert_true(bytes == 0 || bytes == 1 || bytes == 2 || bytes == 4);
        /* Indices of constants, chunks and jumps span 32 bits. */
        if (kind == OPND_CONST || kind == OPND_CHUNK || kind == OPND_JUMP)
            assert_int_equal(bytes, 4);
    }
    /* The constants the VM's loop uses are the table's sizes. */
    assert_int_equal(OPCODE_SIZE_POP, opcode_size(OP_POP));
    assert_int_equal(OPCODE_SIZE_SUM, opcode_size(OP_SUM));
    assert_int_equal(OPCODE_SIZE_FIELD, opcode_size(OP_FIELD));
    assert_int_equal(OPCODE_SIZE_CALL, opcode_size(OP_CALL));
    assert_int_equal(OPCODE_OPERAND_LOCAL, OPND_LOCAL);
    assert_int_equal(OPCODE_SIZE_POP, 1);
    assert_int_equal(OPCODE_SIZE_SUM, 2);
    assert_int_equal(OPCODE_SIZE_FIELD, 3);
    assert_int_equal(OPCODE_SIZE_JUMP, 5);
}

static void test_operands_read_little_endian(void **state)
{
    (void)state;
    const uint8_t code[] = {OP_CONST, 0x04, 0x03, 0x02, 0x01};
    assert_int_equal(opcode_operand(code, 0), 0x01020304u);
    assert_int_equal(operand_read(OPND_U8, code + 1), 0x04u);
    assert_int_equal(operand_read(OPND_FIELD, code + 1), 0x0304u);
    assert_int_equal(operand_read(OPND_NONE, code + 1), 0u);
}

static void test_stack_effects(void **state)
{
    (void)state;
    for (int op = 0; op < OP__COUNT; op++) {
        const opcode_info *in = &opcode_table[op];
        /* Every instruction leaves at most one value. */
        assert_in_range(in->pushes, 0, 1);
        /* A variable count comes from a callee or KEY's operand. */
        if (in->pops == POPS_VAR)
            assert_true(in->operand == OPND_CHUNK || op == OP_KEY);
        else
            assert_in_range(in->pops, 0, 2);
    }
    assert_int_equal(opcode_pops(OP_ADD, 0, 0), 2);
    assert_int_equal(opcode_pops(OP_KEY, 3, 0), 3);
    assert_int_equal(opcode_pops(OP_CALL, 7, 2), 2);
    assert_int_equal(opcode_pops(OP_CALL_LET, 7, 0), 0);
    assert_int_equal(opcode_stack_delta(OP_CONST, 0, false), 1);
    assert_int_equal(opcode_stack_delta(OP_ADD, 2, false), -1);
    assert_int_equal(opcode_stack_delta(OP_KEY, 3, false), -2);
    assert_int_equal(opcode_stack_delta(OP_JUMP, 0, true), 0);
    /* JUMP_IF_FALSE takes its condition both ways; AND_JUMP and OR_JUMP
     * leave theirs only on the jump. */
    assert_int_equal(opcode_stack_delta(OP_JUMP_IF_FALSE, 1, true), -1);
    assert_int_equal(opcode_stack_delta(OP_JUMP_IF_FALSE, 1, false), -1);
    assert_int_equal(opcode_stack_delta(OP_AND_JUMP, 1, true), 0);
    assert_int_equal(opcode_stack_delta(OP_AND_JUMP, 1, false), -1);
    assert_int_equal(opcode_stack_delta(OP_OR_JUMP, 1, false), -1);
}

/* The builder writes each opcode in exactly the table's size. */
static void test_builder_emits_table_sizes(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t t_int = mb_type(&b, TK_INT, 0);
    uint32_t chunk = mb_chunk(&b, "c", 0, 0, NULL, t_int);
    for (int op = 0; op < OP__COUNT; op++) {
        uint32_t at = mb_here(&b, chunk);
        assert_int_equal(mb_emit(&b, chunk, (opcode)op, 0x01020304u), at);
        assert_int_equal(mb_here(&b, chunk) - at, opcode_size((opcode)op));
    }
    mb_abort(&b);
}

/* Every chunk of the standard rules decodes by the table's sizes to its
 * exact end, and the verifier (whose debug build checks each rule's stack
 * effect against the table) accepts it. */
static void test_stdlib_decodes_by_the_table(void **state)
{
    (void)state;
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, true), RUBRIC_OK);
    void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(rubric_compiler_run(c, false, &bytes, &len), RUBRIC_OK);
    bc_module m;
    char err[256] = "";
    assert_true(bc_read(bytes, len, test_alloc(), NULL, &m, err, sizeof err));
    assert_true(bc_verify(&m, err, sizeof err));
    assert_string_equal(err, "");
    bool used[OP__COUNT] = {false};
    for (uint32_t i = 0; i < m.nchunks; i++) {
        const bc_chunk *ch = &m.chunks[i];
        uint32_t pc = 0;
        while (pc < ch->code_len) {
            assert_true(ch->code[pc] < OP__COUNT);
            used[ch->code[pc]] = true;
            pc += opcode_size((opcode)ch->code[pc]);
        }
        assert_int_equal(pc, ch->code_len);
        assert_true(ch->max_stack > 0);
    }
    assert_true(used[OP_CALL_LET] && used[OP_FILTER] && used[OP_AND_JUMP]);
    module_release(&m);
    rubric_free(NULL, bytes, len);
    rubric_compiler_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_are_the_enum),
        cmocka_unit_test(test_operand_sizes),
        cmocka_unit_test(test_operands_read_little_endian),
        cmocka_unit_test(test_stack_effects),
        cmocka_unit_test(test_builder_emits_table_sizes),
        cmocka_unit_test(test_stdlib_decodes_by_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
