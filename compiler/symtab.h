/*
 * symtab.h — a string-keyed table of pointers (names to declarations), on
 * the project's hash index (runtime/core/hash.h).  Keys are not copied: they
 * must outlive the table (AST names do).
 */
#ifndef RUBRIC_SYMTAB_H
#define RUBRIC_SYMTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "hash.h"
#include "rubric.h"

typedef struct symtab_entry {
    const char *key;
    void *value;
} symtab_entry;

typedef struct symtab {
    const rubric_allocator *alloc;
    symtab_entry *items; /* in order of first insertion */
    uint32_t len, cap;
    hash_index index;    /* key hash -> items */
} symtab;

void symtab_init(symtab *t, const rubric_allocator *alloc);
void symtab_free(symtab *t);
void *symtab_get(const symtab *t, const char *key);
/* Insert or replace.  False when out of memory. */
bool symtab_put(symtab *t, const char *key, void *value);

/* Iterate: for (uint32_t i = 0; i < t->len; i++) t->items[i].key ... */

#endif /* RUBRIC_SYMTAB_H */
