/*
 * bytecode.h — the .rbc file format: reading, verifying, disassembling
 * (runtime) and writing (compiler/bc_writer.c).
 *
 * File layout (all integers little-endian; docs/bytecode.md has every
 * section's layout):
 *
 *   offset  size  field
 *   ------  ----  -------------------------------------------------------
 *   0       8     magic "RUBRICBC"
 *   8       2     format version (BC_FORMAT_VERSION)
 *   10      2     flags (0)
 *   12      4     section count N (= BC_SECTION_COUNT)
 *   16      12*N  section table: {u32 id, u32 offset, u32 length}, ids
 *                 ascending from 1, payloads contiguous and in id order
 *   ...           section payloads
 *   end-4   4     CRC-32 (IEEE 802.3) of every byte before it
 *
 * The same bc_module always serializes to the same bytes.
 */
#ifndef RUBRIC_BYTECODE_H
#define RUBRIC_BYTECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "module.h"

#define BC_MAGIC "RUBRICBC"
#define BC_MAGIC_LEN 8
#define BC_FORMAT_VERSION 1
#define BC_HEADER_SIZE 16

typedef enum bc_section_id {
    BC_SEC_STRINGS = 1,
    BC_SEC_TYPES,
    BC_SEC_CONSTS,
    BC_SEC_ENUMS,
    BC_SEC_RECORDS,
    BC_SEC_SCHEMA,
    BC_SEC_CHUNKS,
    BC_SEC_PROGRAMS,
    BC_SECTION_COUNT = BC_SEC_PROGRAMS
} bc_section_id;

/* Limits the reader enforces before allocating (hostile sizes). */
#define BC_MAX_FILE_SIZE RUBRIC_MAX_BYTECODE_SIZE
#define BC_MAX_STACK 1024u   /* operand stack height of one chunk */
#define BC_MAX_CALL_DEPTH 256u

/* CRC-32 (IEEE), as zlib's crc32(0, data, len). */
uint32_t bc_crc32(const void *data, size_t len);

/* Serialize m (compiler side).  False only when out of memory. */
bool bc_write(const bc_module *m, strbuf *out);

typedef struct bc_read_options {
    bool skip_checksum; /* for fuzzing the verifier itself */
} bc_read_options;

/*
 * Parse bytes into *out (allocating with alloc).  Checks the structure:
 * magic, version, section table, every length and count against the bytes
 * that remain, UTF-8 of strings.  Not the meaning of indices: that is
 * bc_verify's job.  On failure returns false, releases what it allocated and
 * writes a reason ("section 7 (chunks) is truncated at byte 812") to err.
 */
bool bc_read(const void *bytes, size_t len, const rubric_allocator *alloc,
             const bc_read_options *options, bc_module *out, char *err,
             size_t err_size);

/*
 * Check that a module cannot misbehave: every string/type/const/enum/
 * record/chunk/node index in range, types well formed, constants of their
 * type, the schema's roles valid, each chunk's code decoded instruction by
 * instruction with operand indices in range, jumps forward onto instruction
 * boundaries, the operand types of every instruction and the stack heights
 * consistent on every path, every path ending in RET of the return type,
 * calls only to lower-indexed chunks with matching argument types, and every
 * program's chunks of the signatures its fields need.  Sets max_stack of
 * each chunk.  False with a reason ("chunk 12 'launched' at 0x001c: FIELD
 * slot 9 out of range for record Opportunity (7 fields)").
 */
bool bc_verify(bc_module *m, char *err, size_t err_size);

/* Print a module readably: strings, types, constants, schema, chunks with
 * their instructions, programs with their requirement trees. */
void bc_disasm(const bc_module *m, strbuf *out);

/* Print a type as the language writes it ("list of Individual", "date?"). */
void bc_type_name(const bc_module *m, uint32_t type, strbuf *out);

#endif /* RUBRIC_BYTECODE_H */
