/* opcodes.c — the opcode information table, generated from RUBRIC_OPCODES. */
#include "opcodes.h"

const opcode_info opcode_table[OP__COUNT] = {
#define OPCODE_INFO_(name, operand, pops, pushes) {#name, operand, pops, pushes},
    RUBRIC_OPCODES(OPCODE_INFO_)
#undef OPCODE_INFO_
};
