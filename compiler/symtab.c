/* symtab.c — a string-keyed table of pointers (symtab.h). */
#include "symtab.h"

#include <string.h>

#include "mem.h"

void symtab_init(symtab *t, const rubric_allocator *alloc)
{
    memset(t, 0, sizeof *t);
    t->alloc = alloc;
}

void symtab_free(symtab *t)
{
    vec_free(t->alloc, t);
    hash_index_free(&t->index, t->alloc);
    t->len = 0;
}

static symtab_entry *find(const symtab *t, const char *key)
{
    if (!t->index.slots)
        return NULL;
    const hash_index *ix = &t->index;
    for (uint32_t i = hash_first(ix, hash_string(key)); ix->slots[i]; i = hash_next(ix, i)) {
        symtab_entry *e = &t->items[ix->slots[i] - 1];
        if (strcmp(e->key, key) == 0)
            return e;
    }
    return NULL;
}

void *symtab_get(const symtab *t, const char *key)
{
    symtab_entry *e = find(t, key);
    return e ? e->value : NULL;
}

static uint32_t key_hash(const void *ctx, uint32_t entry)
{
    return hash_string(((const symtab *)ctx)->items[entry].key);
}

bool symtab_put(symtab *t, const char *key, void *value)
{
    symtab_entry *e = find(t, key);
    if (e) {
        e->value = value;
        return true;
    }
    if (!hash_index_has_room(&t->index) &&
        !hash_index_grow(&t->index, t->alloc, key_hash, t))
        return false;
    if (!vec_push(t->alloc, t, ((symtab_entry){key, value})))
        return false;
    hash_index_put(&t->index, hash_string(key), t->len - 1);
    return true;
}
