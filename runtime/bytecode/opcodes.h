/*
 * opcodes.h — the one definition of Rubric's instruction set.
 *
 * Everything about an opcode is written here once; the enum, the names for
 * the disassembler, the operand sizes for the reader and verifier and the
 * stack effects are generated from RUBRIC_OPCODES with X-macros.  The type
 * rule of each opcode (checked by runtime/bytecode/verify.c and relied on by
 * runtime/vm/vm.c) is documented beside it.
 *
 * Instruction layout: one opcode byte, then at most one operand,
 * little-endian, unaligned.
 *
 *   +--------+                       NONE
 *   | opcode |
 *   +--------+--------+              U8
 *   | opcode |   u8   |
 *   +--------+--------+--------+     LOCAL, FIELD
 *   | opcode |      u16        |
 *   +--------+--------+--------+--------+--------+   CONST, CHUNK, JUMP
 *   | opcode |               u32                 |
 *   +--------+--------+--------+--------+--------+
 *
 * Code is straight-line with forward jumps only: a jump's operand is the
 * number of bytes to skip after the jump instruction.  Repetition happens
 * only inside the list opcodes (FILTER, ANY, ALL, MAP), which call another
 * chunk once per element, and calls may only go to chunks of a lower index.
 * So every evaluation terminates, and its cost is bounded by the size of the
 * data times the size of the code.
 *
 * Notation in the comments: "a b -> c" pops b (top) then a, pushes c.
 * T? is T or null.  "num" is int or money.  Operations on a null operand
 * give null unless said otherwise; comparisons with null are false
 * (EQ/NE compare null as a value: null == null).
 *
 * Typing: a value of type T may stand wherever T? is expected (operands,
 * call arguments, RET), and the type of the literal null wherever any T? is.
 * A list reached through an optional record has type (list of E)?; every
 * opcode that takes a list also takes an optional list and reads null as
 * the empty list (a partner without a business plan has no reviews).
 */
#ifndef RUBRIC_OPCODES_H
#define RUBRIC_OPCODES_H

#include <stdint.h>

/* Operand kinds: what the operand means, and so its size. */
#define OPND_NONE 0  /* no operand                                   0 bytes */
#define OPND_U8 1    /* a small count or flags                       1 byte  */
#define OPND_LOCAL 2 /* a parameter index of the running chunk       2 bytes */
#define OPND_FIELD 3 /* a field slot of the record on the stack      2 bytes */
#define OPND_CONST 4 /* a constant index                             4 bytes */
#define OPND_CHUNK 5 /* a chunk index                                4 bytes */
#define OPND_JUMP 6  /* bytes to skip forward after the instruction  4 bytes */

/* Bytes of an operand of kind k: a constant expression, so that code which
 * knows its opcode (the VM's loop) reads it at no cost. */
#define OPND_BYTES(k) ((k) == OPND_NONE ? 0 : (k) == OPND_U8 ? 1 : (k) <= OPND_FIELD ? 2 : 4)

/* POPS_VAR: the count depends on the operand.  For OPND_CHUNK opcodes it is
 * the callee's parameter count (list opcodes: the list stands for the
 * element parameter, the captures for the rest); for KEY, the operand. */
#define POPS_VAR (-1)

/* Stack effects: an instruction pops `pops` values and then pushes `pushes`.
 * A conditional jump that pushes (AND_JUMP, OR_JUMP) leaves its operand
 * only when it jumps; when it goes on, it only pops. */

/*      name            operand    pops      pushes */
#define RUBRIC_OPCODES(OP)                                                    \
    /* --- constants, parameters, context ---------------------------- */    \
    /* -> consts[k]                                                      */  \
    OP(CONST,          OPND_CONST, 0,        1)                               \
    /* -> params[n] of the running chunk                                 */  \
    OP(LOCAL,          OPND_LOCAL, 0,        1)                               \
    /* x ->                                                              */  \
    OP(POP,            OPND_NONE, 1,        0)                               \
    /* -> A, the evaluation date (date)                                  */  \
    OP(AS_OF,          OPND_NONE, 0,        1)                               \
    /* -> the window of the current view (interval); a runtime error     */  \
    /*    outside a time-bound requirement                               */  \
    OP(WINDOW,         OPND_NONE, 0,        1)                               \
    /* -> the partner: the schema's root record                          */  \
    OP(ROOT,           OPND_NONE, 0,        1)                               \
    /* --- records ---------------------------------------------------- */   \
    /* r: R or R? -> r.fields[n]; null -> null (type: the field's, made  */  \
    /*    optional when r is optional)                                   */  \
    OP(FIELD,          OPND_FIELD, 1,        1)                               \
    /* m: map of T, key: string -> T? (null when absent)                 */  \
    OP(MAP_GET,        OPND_NONE, 2,        1)                               \
    /* --- comparison and logic --------------------------------------- */   \
    /* a b -> bool; a, b of one scalar type (T and T? mix)               */  \
    OP(EQ,             OPND_NONE, 2,        1)                               \
    OP(NE,             OPND_NONE, 2,        1)                               \
    /* a b -> bool; num, date, month, string (bytewise) or ordered enum; */  \
    /*    false when either is null                                      */  \
    OP(LT,             OPND_NONE, 2,        1)                               \
    OP(LE,             OPND_NONE, 2,        1)                               \
    OP(GT,             OPND_NONE, 2,        1)                               \
    OP(GE,             OPND_NONE, 2,        1)                               \
    /* b: bool -> not b                                                  */  \
    OP(NOT,            OPND_NONE, 1,        1)                               \
    /* x: T? -> bool                                                     */  \
    OP(IS_NULL,        OPND_NONE, 1,        1)                               \
    /* a: T? b: T? -> a if a is not null else b (type of b)              */  \
    OP(COALESCE,       OPND_NONE, 2,        1)                               \
    /* --- arithmetic (overflow and division by zero are errors) ------ */   \
    /* a b -> a + b: int int -> int, money money -> money                */  \
    OP(ADD,            OPND_NONE, 2,        1)                               \
    OP(SUB,            OPND_NONE, 2,        1)                               \
    /* int int -> int, money int -> money, int money -> money            */  \
    OP(MUL,            OPND_NONE, 2,        1)                               \
    /* int int -> int (truncating), money int -> money (truncating)      */  \
    OP(DIV,            OPND_NONE, 2,        1)                               \
    /* num -> -num                                                       */  \
    OP(NEG,            OPND_NONE, 1,        1)                               \
    /* --- calendar --------------------------------------------------- */   \
    /* date int -> date + n days                                         */  \
    OP(ADD_DAYS,       OPND_NONE, 2,        1)                               \
    /* date int -> date + n months, the day clamped to the month's last; */  \
    /* month int -> month + n                                            */  \
    OP(ADD_MONTHS,     OPND_NONE, 2,        1)                               \
    /* a: date b: date -> int: b - a in days                             */  \
    OP(DAYS_BETWEEN,   OPND_NONE, 2,        1)                               \
    /* a: date b: date -> int: the largest m with a + m months <= b      */  \
    /*    (when b < a: -(months from b to a))                            */  \
    OP(MONTHS_BETWEEN, OPND_NONE, 2,        1)                               \
    /* a: date b: date -> int: days d, Monday to Friday, a < d <= b      */  \
    OP(BUSINESS_DAYS,  OPND_NONE, 2,        1)                               \
    /* m: month -> date: its first day                                   */  \
    OP(FIRST_DAY,      OPND_NONE, 1,        1)                               \
    /* d: date -> month: the month it falls in                           */  \
    OP(MONTH_OF,       OPND_NONE, 1,        1)                               \
    /* a: T? b: T? -> T?: the larger / smaller; a null operand is        */  \
    /*    ignored (null only when both are)                              */  \
    OP(MAX2,           OPND_NONE, 2,        1)                               \
    OP(MIN2,           OPND_NONE, 2,        1)                               \
    /* lo: date hi: date -> interval of dates; flags bit 0: lo is open   */  \
    /*    "(", bit 1: hi is open ")"; stored as inclusive days           */  \
    OP(INTERVAL,       OPND_U8,   2,        1)                               \
    /* d: date? i: interval -> bool: d in i (false for null)             */  \
    OP(IN_INTERVAL,    OPND_NONE, 2,        1)                               \
    /* x: T? l: list of T -> bool: some element equals x                 */  \
    OP(IN_LIST,        OPND_NONE, 2,        1)                               \
    /* --- strings ---------------------------------------------------- */   \
    /* s: string -> int: length in bytes                                 */  \
    OP(LENGTH,         OPND_NONE, 1,        1)                               \
    /* s: string -> bool: non-empty and every byte an ASCII digit        */  \
    OP(IS_DIGITS,      OPND_NONE, 1,        1)                               \
    /* --- control ---------------------------------------------------- */   \
    /* skip n bytes                                                      */  \
    OP(JUMP,           OPND_JUMP, 0,        0)                               \
    /* b: bool -> ; skip n bytes when b is false                         */  \
    OP(JUMP_IF_FALSE,  OPND_JUMP, 1,        0)                               \
    /* b: bool -> b (and skip n) when b is false, else -> (pop b)        */  \
    OP(AND_JUMP,       OPND_JUMP, 1,        1)                               \
    /* b: bool -> b (and skip n) when b is true, else -> (pop b)         */  \
    OP(OR_JUMP,        OPND_JUMP, 1,        1)                               \
    /* args... -> chunks[k](args...); k < the running chunk's index      */  \
    OP(CALL,           OPND_CHUNK, POPS_VAR, 1)                               \
    /* -> chunks[k](), computed once per evaluation context (A, window); */  \
    /*    k is a LET chunk of no parameters, k < the running chunk       */  \
    OP(CALL_LET,       OPND_CHUNK, 0,        1)                               \
    /* x -> ; returns x, which has the chunk's return type               */  \
    OP(RET,            OPND_NONE, 1,        0)                               \
    /* --- lists: k is a chunk (elem, captures...) ---------------------- */ \
    /* l: list of E, c1..cn -> list of E: the elements e with k(e, c...) */  \
    OP(FILTER,         OPND_CHUNK, POPS_VAR, 1)                               \
    /* l c1..cn -> bool: some element e has k(e, c...) (false if empty)  */  \
    OP(ANY,            OPND_CHUNK, POPS_VAR, 1)                               \
    /* l c1..cn -> bool: every element e has k(e, c...) (true if empty)  */  \
    OP(ALL,            OPND_CHUNK, POPS_VAR, 1)                               \
    /* l c1..cn -> list of R: k(e, c...) for each e, R = k's return type */  \
    OP(MAP,            OPND_CHUNK, POPS_VAR, 1)                               \
    /* l: list of R or R? -> list of field n; a field of list type is    */  \
    /*    concatenated (flattened); null elements give null              */  \
    OP(PROJECT,        OPND_FIELD, 1,        1)                               \
    /* l: list -> int: the elements that are not null                    */  \
    OP(COUNT,          OPND_NONE, 1,        1)                               \
    /* l: list of num? -> num: the sum of the non-null elements; the     */  \
    /*    operand is 0 for int, 1 for money: the kind of an empty sum    */  \
    OP(SUM,            OPND_U8,   1,        1)                               \
    /* l: list of T? -> T?: largest / smallest non-null (null if none);  */  \
    /*    T is num, date, month, string or an ordered enum               */  \
    OP(MAX,            OPND_NONE, 1,        1)                               \
    OP(MIN,            OPND_NONE, 1,        1)                               \
    /* l: list of T? (T scalar) -> list of T: non-null elements, each    */  \
    /*    once, in order of first appearance                             */  \
    OP(DISTINCT,       OPND_NONE, 1,        1)                               \
    /* a: list of T b: list of T -> list of T: a then b                  */  \
    OP(CONCAT,         OPND_NONE, 2,        1)                               \
    /* l c1..cn -> list of E: the first element of each distinct key     */  \
    /*    k(e, c...) (k returns string, as built by KEY)                 */  \
    OP(DISTINCT_BY,    OPND_CHUNK, POPS_VAR, 1)                               \
    /* v1..vn (scalars, n = operand >= 1) -> string: a key equal for two */  \
    /*    tuples exactly when their values are equal (nulls included)    */  \
    OP(KEY,            OPND_U8,   POPS_VAR, 1)

typedef enum opcode {
#define OPCODE_ENUM_(name, operand, pops, pushes) OP_##name,
    RUBRIC_OPCODES(OPCODE_ENUM_)
#undef OPCODE_ENUM_
    OP__COUNT
} opcode;

typedef struct opcode_info {
    const char *name;   /* "CONST" */
    uint8_t operand;    /* OPND_* */
    int8_t pops;        /* or POPS_VAR */
    int8_t pushes;
} opcode_info;

/* Indexed by opcode; defined in opcodes.c. */
extern const opcode_info opcode_table[OP__COUNT];

/* OPCODE_OPERAND_name: the operand kind of opcode name, and
 * OPCODE_SIZE_name: the bytes its instructions occupy, as constants. */
enum {
#define OPCODE_OPERAND_(name, operand, pops, pushes) OPCODE_OPERAND_##name = operand,
    RUBRIC_OPCODES(OPCODE_OPERAND_)
#undef OPCODE_OPERAND_
#define OPCODE_SIZE_(name, operand, pops, pushes) OPCODE_SIZE_##name = 1 + OPND_BYTES(operand),
    RUBRIC_OPCODES(OPCODE_SIZE_)
#undef OPCODE_SIZE_
};

/* Bytes an instruction with this opcode occupies (opcode + operand). */
static inline uint32_t opcode_size(opcode op)
{
    return 1u + OPND_BYTES(opcode_table[op].operand);
}

/* Read an operand of kind `kind` at p (caller checked bounds).  With a
 * constant kind this compiles to the one read it needs. */
static inline uint32_t operand_read(uint8_t kind, const uint8_t *p)
{
    switch (OPND_BYTES(kind)) {
    case 1:
        return p[0];
    case 2:
        return (uint32_t)p[0] | (uint32_t)p[1] << 8;
    case 4:
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
    default:
        return 0;
    }
}

/* Read the operand of the instruction at code[pc] (caller checked bounds). */
static inline uint32_t opcode_operand(const uint8_t *code, uint32_t pc)
{
    return operand_read(opcode_table[code[pc]].operand, code + pc + 1);
}

/* Values the instruction takes from the stack.  callee_params is the
 * parameter count of the chunk named by the operand (OPND_CHUNK opcodes). */
static inline uint32_t opcode_pops(opcode op, uint32_t operand, uint32_t callee_params)
{
    int pops = opcode_table[op].pops;
    if (pops != POPS_VAR)
        return (uint32_t)pops;
    return op == OP_KEY ? operand : callee_params;
}

/* How much the instruction changes the stack height, given what it pops and
 * whether it jumped (see "Stack effects" above). */
static inline int32_t opcode_stack_delta(opcode op, uint32_t pops, int jumped)
{
    const opcode_info *in = &opcode_table[op];
    if (in->operand == OPND_JUMP && in->pushes > 0 && !jumped)
        return -(int32_t)pops;
    return (int32_t)in->pushes - (int32_t)pops;
}

#endif /* RUBRIC_OPCODES_H */
