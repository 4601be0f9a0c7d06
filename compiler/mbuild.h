/*
 * mbuild.h — building a bc_module programmatically: interned strings,
 * types and constants, chunks with an instruction emitter, schema records
 * and enums, programs and their requirement nodes.
 *
 * The lowering pass uses it, and so do tests that need a module without
 * writing rules.  Errors are sticky: every function keeps working after an
 * allocation failure and mb_finish() reports it once.  Once the builder
 * has failed (b->failed), what returns an index returns BC_NONE, never
 * the index of something that is not there, and what returns a pointer
 * returns a scratch object of the builder: callers that read the module's
 * arrays by an index check it against their counts, or check b->failed.
 *
 * Chunks may be created in any order.  mb_finish() renumbers them so that
 * every callee comes before its callers (the bytecode rule that makes
 * evaluation terminate), rewriting every chunk reference in code and in
 * programs; among independent chunks creation order is kept, so the same
 * input always gives the same module.
 */
#ifndef RUBRIC_MBUILD_H
#define RUBRIC_MBUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "hash.h"
#include "mem.h"
#include "module.h"
#include "opcodes.h"

typedef struct mb_code {
    VEC(uint8_t) bytes;
} mb_code;

typedef struct mbuild {
    bc_module *m;
    const rubric_allocator *alloc;
    bool failed;              /* sticky */
    char error[160];          /* why mb_finish failed */
    hash_index strings_index; /* interning: string hash -> string index */
    /* Growable storage behind the module's arrays. */
    uint32_t strings_cap, types_cap, consts_cap, enums_cap, records_cap;
    uint32_t chunks_cap, programs_cap;
    mb_code *code;            /* [code_cap]: code under construction */
    uint32_t code_cap;
    /* What the pointer functions return once the builder has failed. */
    bc_field scratch_field;
    bc_node scratch_node;
    bc_program scratch_program;
} mbuild;

/* Start building into *m (zeroed here). */
void mb_init(mbuild *b, bc_module *m, const rubric_allocator *alloc);
/* Order the chunks and hand the arrays to the module.  False (with
 * b->error) on allocation failure or a call cycle.  On failure the module
 * is released. */
bool mb_finish(mbuild *b);
/* Abandon the build, releasing everything. */
void mb_abort(mbuild *b);

uint32_t mb_string(mbuild *b, const char *s, size_t len);
uint32_t mb_cstring(mbuild *b, const char *s);

/* Interned type (kind, arg); arg is 0 for the scalar kinds. */
uint32_t mb_type(mbuild *b, type_kind kind, uint32_t arg);
/* T? for a type (T itself when already optional). */
uint32_t mb_optional(mbuild *b, uint32_t type);

/* Interned constants.  A string constant's text is copied into the string
 * table.  List and map constants copy their items (scalars). */
uint32_t mb_const(mbuild *b, uint32_t type, value v);
uint32_t mb_const_int(mbuild *b, int64_t i);
uint32_t mb_const_money(mbuild *b, int64_t cents);
uint32_t mb_const_date(mbuild *b, int32_t days);
uint32_t mb_const_bool(mbuild *b, bool v);
uint32_t mb_const_string(mbuild *b, const char *s, size_t len);
/* A null of the given optional type. */
uint32_t mb_const_null(mbuild *b, uint32_t optional_type);

/* Schema. */
uint32_t mb_enum(mbuild *b, const char *name, bool ordered);
uint32_t mb_enum_value(mbuild *b, uint32_t e, const char *name);
void mb_enum_alias(mbuild *b, uint32_t e, const char *name, uint32_t value);
uint32_t mb_record(mbuild *b, const char *name);
/* Adds a field; returns its slot.  Defaults: no default, not conditional. */
uint32_t mb_field(mbuild *b, uint32_t record, const char *name, uint32_t type,
                  uint8_t flags);
bc_field *mb_field_ptr(mbuild *b, uint32_t record, uint32_t slot);
void mb_schema(mbuild *b, const char *name, uint32_t root, uint32_t key_field,
               uint32_t label_field, uint32_t tag_field);

/* Chunks. */
uint32_t mb_chunk(mbuild *b, const char *name, uint8_t flags, uint16_t nparams,
                  const uint32_t *param_types, uint32_t ret_type);
/* Emit op with its operand (ignored for OPND_NONE).  Returns the offset of
 * the instruction. */
uint32_t mb_emit(mbuild *b, uint32_t chunk, opcode op, uint32_t operand);
/* Emit a jump to be patched; returns the offset of its operand. */
uint32_t mb_emit_jump(mbuild *b, uint32_t chunk, opcode op);
/* Make the jump whose operand is at `at` land at the current end. */
void mb_patch_jump(mbuild *b, uint32_t chunk, uint32_t at);
uint32_t mb_here(const mbuild *b, uint32_t chunk);

/* Programs and nodes.  The returned pointers stay valid until the next
 * mb_program / mb_node call on the same builder. */
uint32_t mb_program(mbuild *b, const char *id, const char *title,
                    const char *version, program_kind kind);
bc_program *mb_program_ptr(mbuild *b, uint32_t program);
void mb_program_tiers(mbuild *b, uint32_t program, uint32_t tier_enum,
                      const uint32_t *tier_values, uint32_t ntiers);
/* A node; parent BC_NONE for a top-level requirement.  Thresholds start as
 * TH_NONE for every tier; the parent's parts list is extended. */
uint32_t mb_node(mbuild *b, uint32_t program, uint32_t parent, const char *id,
                 const char *name, const char *category);
bc_node *mb_node_ptr(mbuild *b, uint32_t program, uint32_t node);
void mb_node_checked(mbuild *b, uint32_t program, uint32_t node,
                     const uint32_t *checked, uint32_t n);
uint32_t mb_report_list(mbuild *b, uint32_t program, const char *name,
                        uint32_t items_chunk);
void mb_report_column(mbuild *b, uint32_t program, uint32_t list,
                      const char *name, uint32_t chunk);
/* An `error when` of a per-item program; args (copied) fill the "{}"s of
 * text in order. */
void mb_item_error(mbuild *b, uint32_t program, uint32_t when, const char *text,
                   const uint32_t *args, uint32_t nargs);

#endif /* RUBRIC_MBUILD_H */
