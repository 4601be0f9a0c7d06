/*
 * vm_lists.c — the list opcodes of the VM: those that call an element
 * chunk per element (FILTER, ANY, ALL, MAP, DISTINCT_BY) and those that
 * only read a list (PROJECT, COUNT, SUM, MAX, MIN, DISTINCT, CONCAT,
 * IN_LIST), plus KEY, which builds the keys DISTINCT_BY compares.
 *
 * Lists are immutable once built, so an operation that would copy a list
 * unchanged returns it instead.  A null list reads as the empty list.
 */
#include "vm_internal.h"

#include <string.h>

#include "hash.h"

/* Shared by every empty result; never written. */
static list empty_list;

static value list_value(list *l)
{
    value v = {0};
    v.kind = VK_LIST;
    v.as.list = l;
    return v;
}

static value empty(void)
{
    return list_value(&empty_list);
}

/* The list itself, or the empty list for null. */
static value as_list(value l)
{
    return l.kind == VK_LIST ? l : empty();
}

/* ------------------------------------------------------------ element calls */

/* k(e, captures...): e goes in the list's slot, below the captures. */
static bool call_element(vm *v, uint32_t k, uint32_t at, value e, value *r,
                         rubric_error *err)
{
    if (!vm_charge(v, err))
        return false;
    v->stack[at] = e;
    return vm_run(v, k, at, r, err);
}

static bool call_predicate(vm *v, uint32_t k, uint32_t at, value e, bool *holds,
                           rubric_error *err)
{
    value r;
    if (!call_element(v, k, at, e, &r, err))
        return false;
    *holds = r.kind == VK_BOOL && r.as.b;
    return true;
}

bool vm_filter(vm *v, uint32_t k, uint32_t at, value *out, rubric_error *err)
{
    value src = as_list(v->stack[at]);
    const list *in = src.as.list;
    list *kept = NULL; /* allocated at the first element dropped */
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        bool holds;
        if (!call_predicate(v, k, at, in->items[i], &holds, err))
            return false;
        if (holds) {
            if (kept)
                kept->items[n] = in->items[i];
            n++;
        } else if (!kept) {
            kept = vm_new_list(v, in->count, err);
            if (!kept)
                return false;
            memcpy(kept->items, in->items, (size_t)n * sizeof(value));
        }
    }
    if (kept)
        kept->count = n;
    *out = kept ? list_value(kept) : src;
    return true;
}

bool vm_any_all(vm *v, uint32_t k, uint32_t at, bool want, value *out,
                rubric_error *err)
{
    const list *in = as_list(v->stack[at]).as.list;
    for (uint32_t i = 0; i < in->count; i++) {
        bool holds;
        if (!call_predicate(v, k, at, in->items[i], &holds, err))
            return false;
        if (holds == want) {
            *out = value_bool(want);
            return true;
        }
    }
    *out = value_bool(!want);
    return true;
}

bool vm_map(vm *v, uint32_t k, uint32_t at, value *out, rubric_error *err)
{
    const list *in = as_list(v->stack[at]).as.list;
    if (in->count == 0) {
        *out = empty();
        return true;
    }
    list *res = vm_new_list(v, in->count, err);
    if (!res)
        return false;
    for (uint32_t i = 0; i < in->count; i++)
        if (!call_element(v, k, at, in->items[i], &res->items[i], err))
            return false;
    *out = list_value(res);
    return true;
}

/* ------------------------------------------------------------ distinct */

/* Equal values (vm_equal) hash alike. */
static uint64_t hash_value(value x)
{
    switch (x.kind) {
    case VK_STRING: {
        return hash_mix(hash_bytes(x.as.s, x.len));
    }
    case VK_BOOL:
        return hash_mix(x.as.b);
    case VK_INT:
    case VK_MONEY:
        return hash_mix((uint64_t)x.as.i);
    case VK_DATE:
    case VK_MONTH:
        return hash_mix((uint64_t)(uint32_t)x.as.d);
    case VK_ENUM:
        return hash_mix(x.as.e);
    case VK_INTERVAL:
        return hash_mix((uint64_t)(uint32_t)x.as.iv.lo << 32 | (uint32_t)x.as.iv.hi);
    default:
        return 0;
    }
}

/* A set of the values in a pool, as indices into it. */
static bool seen_init(vm *v, hash_index *s, uint32_t n, rubric_error *err)
{
    uint32_t cap = hash_capacity(n);
    uint32_t *slots = cap ? vm_alloc(v, (size_t)cap * sizeof *slots, err) : NULL;
    if (!slots)
        return cap ? false : vm_fail_limit(err, "memory limit reached");
    memset(slots, 0, (size_t)cap * sizeof *slots);
    hash_index_over(s, slots, cap);
    return true;
}

/* True when pool[index] was not in the set yet; it is now. */
static bool seen_add(hash_index *s, const value *pool, uint32_t index)
{
    value x = pool[index];
    uint32_t h = (uint32_t)hash_value(x);
    for (uint32_t i = hash_first(s, h); s->slots[i]; i = hash_next(s, i))
        if (vm_equal(pool[s->slots[i] - 1], x))
            return false;
    hash_index_put(s, h, index);
    return true;
}

bool vm_distinct(vm *v, value l, value *out, rubric_error *err)
{
    const list *in = as_list(l).as.list;
    if (in->count == 0) {
        *out = empty();
        return true;
    }
    list *res = vm_new_list(v, in->count, err);
    hash_index seen;
    if (!res || !seen_init(v, &seen, in->count, err))
        return false;
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        if (in->items[i].kind == VK_NULL)
            continue;
        res->items[n] = in->items[i]; /* a candidate until it is seen new */
        if (seen_add(&seen, res->items, n))
            n++;
    }
    res->count = n;
    *out = list_value(res);
    return true;
}

bool vm_distinct_by(vm *v, uint32_t k, uint32_t at, value *out, rubric_error *err)
{
    const list *in = as_list(v->stack[at]).as.list;
    if (in->count == 0) {
        *out = empty();
        return true;
    }
    list *res = vm_new_list(v, in->count, err);
    value *keys = vm_alloc(v, (size_t)in->count * sizeof *keys, err);
    hash_index seen;
    if (!res || !keys || !seen_init(v, &seen, in->count, err))
        return false;
    uint32_t n = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        if (!call_element(v, k, at, in->items[i], &keys[n], err))
            return false;
        if (seen_add(&seen, keys, n))
            res->items[n++] = in->items[i];
    }
    res->count = n;
    *out = list_value(res);
    return true;
}

/* ------------------------------------------------------------ KEY */

/* Bytes of a value's payload in a key; with the kind byte before it, the
 * encoding is fixed-size per kind or length-prefixed, so a key splits back
 * into its values in one way only. */
static size_t key_payload_size(value x)
{
    switch (x.kind) {
    case VK_NULL:
        return 0;
    case VK_BOOL:
        return 1;
    case VK_DATE:
    case VK_MONTH:
    case VK_ENUM:
        return 4;
    case VK_STRING:
        return 4 + (size_t)x.len;
    default: /* INT, MONEY, INTERVAL; other kinds never reach KEY */
        return 8;
    }
}

static uint8_t *put_u32(uint8_t *p, uint32_t x)
{
    for (int i = 0; i < 4; i++)
        *p++ = (uint8_t)(x >> (8 * i));
    return p;
}

static uint8_t *put_u64(uint8_t *p, uint64_t x)
{
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)(x >> (8 * i));
    return p;
}

static uint8_t *put_key_value(uint8_t *p, value x)
{
    *p++ = x.kind;
    switch (x.kind) {
    case VK_NULL:
        return p;
    case VK_BOOL:
        *p++ = x.as.b ? 1 : 0;
        return p;
    case VK_DATE:
    case VK_MONTH:
        return put_u32(p, (uint32_t)x.as.d);
    case VK_ENUM:
        return put_u32(p, x.as.e);
    case VK_STRING:
        p = put_u32(p, x.len);
        if (x.len)
            memcpy(p, x.as.s, x.len);
        return p + x.len;
    case VK_INTERVAL:
        p = put_u32(p, (uint32_t)x.as.iv.lo);
        return put_u32(p, (uint32_t)x.as.iv.hi);
    default:
        return put_u64(p, (uint64_t)x.as.i);
    }
}

bool vm_key(vm *v, const value *items, uint32_t n, value *out, rubric_error *err)
{
    size_t size = 0;
    for (uint32_t i = 0; i < n; i++)
        size += 1 + key_payload_size(items[i]);
    if (size > UINT32_MAX) {
        return vm_fail_limit(err, "memory limit reached");
    }
    uint8_t *bytes = vm_alloc(v, size, err);
    if (!bytes)
        return false;
    uint8_t *p = bytes;
    for (uint32_t i = 0; i < n; i++)
        p = put_key_value(p, items[i]);
    *out = value_string((const char *)bytes, (uint32_t)size);
    return true;
}

/* ------------------------------------------------------------ reading */

/*
 * PROJECT needs the type of the field it reads (a list field is
 * flattened), and a list of R? may hold nothing but nulls.  So a null that
 * PROJECT makes for an absent record remembers that record's type, plus
 * one, in as.e (a null's payload is otherwise unused and never compared):
 * individuals.business_plan.reviews is empty, not [null, null], when no
 * individual has a business plan.
 */

/* The record type e stands for; BC_NONE when unknown. */
static uint32_t record_type_of(value e)
{
    if (e.kind == VK_RECORD)
        return e.as.rec->type;
    return e.kind == VK_NULL && e.as.e ? e.as.e - 1 : BC_NONE;
}

/* The type of field slot of record rec, optional stripped. */
static const bc_type *field_type(const bc_module *m, uint32_t rec, uint32_t slot)
{
    const bc_type *t = &m->types[m->records[rec].fields[slot].type];
    return t->kind == TK_OPTIONAL ? &m->types[t->arg] : t;
}

/* Whether field slot of the elements of l has a list type. */
static bool field_is_list(const bc_module *m, const list *l, uint32_t slot)
{
    for (uint32_t i = 0; i < l->count; i++) {
        uint32_t rec = record_type_of(l->items[i]);
        if (rec != BC_NONE)
            return field_type(m, rec, slot)->kind == TK_LIST;
    }
    return false;
}

static value field_of(value e, uint32_t slot)
{
    return e.kind == VK_RECORD ? e.as.rec->fields[slot] : value_null();
}

/* Field slot of e; null, typed when it stands for an absent record. */
static value project_one(const bc_module *m, value e, uint32_t slot)
{
    value f = field_of(e, slot);
    if (f.kind != VK_NULL)
        return f;
    uint32_t rec = record_type_of(e);
    if (rec != BC_NONE) {
        const bc_type *t = field_type(m, rec, slot);
        if (t->kind == TK_RECORD)
            f.as.e = t->arg + 1;
    }
    return f;
}

/* Concatenate the list field `slot` of every element; null elements and
 * null fields contribute nothing. */
static bool project_flat(vm *v, const list *in, uint32_t slot, value *out,
                         rubric_error *err)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < in->count; i++)
        total += vm_list_count(field_of(in->items[i], slot));
    if (total > UINT32_MAX) {
        return vm_fail_limit(err, "memory limit reached");
    }
    list *res = vm_new_list(v, (uint32_t)total, err);
    if (!res)
        return false;
    value *dst = res->items;
    for (uint32_t i = 0; i < in->count; i++) {
        value f = field_of(in->items[i], slot);
        uint32_t c = vm_list_count(f);
        if (c)
            memcpy(dst, f.as.list->items, (size_t)c * sizeof(value));
        dst += c;
    }
    *out = list_value(res);
    return true;
}

bool vm_project(vm *v, value l, uint32_t slot, value *out, rubric_error *err)
{
    const list *in = as_list(l).as.list;
    if (in->count == 0) {
        *out = empty();
        return true;
    }
    if (field_is_list(v->module, in, slot))
        return project_flat(v, in, slot, out, err);
    list *res = vm_new_list(v, in->count, err);
    if (!res)
        return false;
    for (uint32_t i = 0; i < in->count; i++)
        res->items[i] = project_one(v->module, in->items[i], slot);
    *out = list_value(res);
    return true;
}

value vm_count(value l)
{
    const list *in = as_list(l).as.list;
    int64_t n = 0;
    for (uint32_t i = 0; i < in->count; i++)
        n += in->items[i].kind != VK_NULL;
    return value_int(n);
}

bool vm_sum(vm *v, uint32_t self, value l, bool money, value *out, rubric_error *err)
{
    const list *in = as_list(l).as.list;
    int64_t total = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        if (in->items[i].kind == VK_NULL)
            continue;
        if (__builtin_add_overflow(total, in->items[i].as.i, &total))
            return vm_fail(v, err, self, "%s overflow in sum", money ? "money" : "int");
    }
    *out = money ? value_money(total) : value_int(total);
    return true;
}

value vm_extreme(value l, bool want_max)
{
    const list *in = as_list(l).as.list;
    value best = value_null();
    for (uint32_t i = 0; i < in->count; i++) {
        value x = in->items[i];
        if (x.kind == VK_NULL)
            continue;
        if (best.kind == VK_NULL) {
            best = x;
            continue;
        }
        int c = vm_compare(x, best);
        if (want_max ? c > 0 : c < 0)
            best = x;
    }
    return best;
}

bool vm_concat(vm *v, value a, value b, value *out, rubric_error *err)
{
    a = as_list(a);
    b = as_list(b);
    uint32_t na = a.as.list->count, nb = b.as.list->count;
    if (na == 0 || nb == 0) {
        *out = na ? a : b;
        return true;
    }
    if ((uint64_t)na + nb > UINT32_MAX) {
        return vm_fail_limit(err, "memory limit reached");
    }
    list *res = vm_new_list(v, na + nb, err);
    if (!res)
        return false;
    memcpy(res->items, a.as.list->items, (size_t)na * sizeof(value));
    memcpy(res->items + na, b.as.list->items, (size_t)nb * sizeof(value));
    *out = list_value(res);
    return true;
}

bool vm_in_list(value x, value l)
{
    const list *in = as_list(l).as.list;
    for (uint32_t i = 0; i < in->count; i++)
        if (vm_equal(in->items[i], x))
            return true;
    return false;
}
