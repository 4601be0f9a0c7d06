/*
 * verify_internal.h — what verify.c (tables, programs) and verify_code.c
 * (instructions) share: the verifier's failure reporting and its own small
 * type representation.
 *
 * The abstract interpreter pushes types the module may not have interned
 * ("the field's type, made optional"), so a stack slot holds a vtype rather
 * than a type index: the kind, an argument, and nullability kept as flags.
 */
#ifndef RUBRIC_VERIFY_INTERNAL_H
#define RUBRIC_VERIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "module.h"

/*
 * kind     a type_kind other than TK_OPTIONAL (0 for "not a type")
 * arg      TK_ENUM: enum index; TK_RECORD: record index; TK_LIST, TK_MAP:
 *          the element (value) type index, never an optional type
 * nullable the value may be null (T?)
 * elem_nullable  TK_LIST, TK_MAP: the elements may be null
 */
typedef struct vtype {
    uint8_t kind;
    bool nullable;
    bool elem_nullable;
    uint32_t arg;
} vtype;

typedef struct verifier {
    bc_module *m;
    char *err;
    size_t err_size;
    bool failed; /* sticky: only the first reason is kept */
} verifier;

/* A type that is not a list or map: kind, argument, nullability. */
static inline vtype vt_make(uint8_t kind, uint32_t arg, bool nullable)
{
    vtype t = {kind, nullable, false, arg};
    return t;
}

/* The name of a type kind ("int", "list"), for types not in the module. */
const char *type_kind_name(uint8_t kind);

void verify_fail(verifier *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The vtype of module type t (t checked to be in range and well formed). */
vtype vt_of(const bc_module *m, uint32_t t);
/* The type of an element of a list (or a value of a map). */
vtype vt_elem(const bc_module *m, vtype list_type);
/* May a value of type actual stand where expected is wanted? */
bool vt_accepts(const bc_module *m, vtype expected, vtype actual);
/* The type both a and b fit, or false when they differ beyond nullability. */
bool vt_join(const bc_module *m, vtype a, vtype b, vtype *out);
/* The type as the language writes it, into buf (truncated to size). */
void vt_text(const bc_module *m, vtype t, char *buf, size_t size);

/* The name of chunk c for messages (its string when in range). */
const char *verify_chunk_name(const bc_module *m, uint32_t c);

/* Check chunk `index`'s code and set its max_stack.  The tables (types,
 * consts, records, chunk signatures) are already checked. */
bool verify_code(verifier *v, uint32_t index);

#endif /* RUBRIC_VERIFY_INTERNAL_H */
