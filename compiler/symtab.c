/* symtab.c — a string-keyed hash table of pointers. */
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
    mem_free(t->alloc, t->slots, (size_t)t->cap * sizeof *t->slots);
    t->slots = NULL;
    t->cap = t->len = 0;
}

static uint32_t hash_key(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static symtab_slot *find(const symtab *t, const char *key)
{
    uint32_t mask = t->cap - 1;
    uint32_t i = hash_key(key) & mask;
    while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
        i = (i + 1) & mask;
    return &t->slots[i];
}

void *symtab_get(const symtab *t, const char *key)
{
    if (!t->cap)
        return NULL;
    symtab_slot *s = find(t, key);
    return s->key ? s->value : NULL;
}

static bool grow(symtab *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 32;
    symtab_slot *slots = mem_calloc(t->alloc, cap, sizeof *slots);
    if (!slots)
        return false;
    symtab old = *t;
    t->slots = slots;
    t->cap = cap;
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *find(t, old.slots[i].key) = old.slots[i];
    mem_free(t->alloc, old.slots, (size_t)old.cap * sizeof *old.slots);
    return true;
}

bool symtab_put(symtab *t, const char *key, void *value)
{
    if ((t->len + 1) * 2 > t->cap && !grow(t))
        return false;
    symtab_slot *s = find(t, key);
    if (!s->key) {
        s->key = key;
        t->len++;
    }
    s->value = value;
    return true;
}
