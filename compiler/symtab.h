/*
 * symtab.h — a string-keyed hash table of pointers (names to declarations).
 * Keys are not copied: they must outlive the table (AST names do).
 */
#ifndef RUBRIC_SYMTAB_H
#define RUBRIC_SYMTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "rubric.h"

typedef struct symtab_slot {
    const char *key;
    void *value;
} symtab_slot;

typedef struct symtab {
    const rubric_allocator *alloc;
    symtab_slot *slots;
    uint32_t cap; /* power of two, or 0 */
    uint32_t len;
} symtab;

void symtab_init(symtab *t, const rubric_allocator *alloc);
void symtab_free(symtab *t);
void *symtab_get(const symtab *t, const char *key);
/* Insert or replace.  False when out of memory. */
bool symtab_put(symtab *t, const char *key, void *value);

/* Iterate: for (uint32_t i = 0; i < t->cap; i++) if (t->slots[i].key) ... */

#endif /* RUBRIC_SYMTAB_H */
