/* mbuild.c — building a bc_module programmatically (see mbuild.h). */
#include "mbuild.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ arrays */

/* Grow a top-level module array with a capacity.  Its spare elements are
 * zeroed, so that a build that fails can release every element there is
 * room for (release_whole). */
static bool grow(mbuild *b, void **items, uint32_t *cap, size_t elem, uint32_t need)
{
    if (b->failed)
        return false;
    uint32_t old = *cap;
    if (!vec_grow_(b->alloc, items, cap, elem, need)) {
        b->failed = true;
        return false;
    }
    memset((char *)*items + (size_t)old * elem, 0, (size_t)(*cap - old) * elem);
    return true;
}

/* What a function that returns an index returns when it could not make
 * the thing: the builder has failed. */
static uint32_t no_index(mbuild *b)
{
    b->failed = true;
    return BC_NONE;
}

/* Append one element to an exactly-sized nested array. */
static bool append_exact(mbuild *b, void **items, uint32_t count, size_t elem,
                         const void *elem_value)
{
    if (b->failed)
        return false;
    void *p = mem_realloc(b->alloc, *items, (size_t)count * elem,
                          (size_t)(count + 1) * elem);
    if (!p) {
        b->failed = true;
        return false;
    }
    memcpy((char *)p + (size_t)count * elem, elem_value, elem);
    *items = p;
    return true;
}

/* Shrink an array with a capacity to exactly count elements (what the
 * module's release frees).  When the allocator cannot, the array keeps
 * its capacity and the build fails. */
static void shrink(mbuild *b, void **items, uint32_t count, uint32_t *cap, size_t elem)
{
    if (!*items || count == *cap)
        return;
    if (count == 0) {
        mem_free(b->alloc, *items, (size_t)*cap * elem);
        *items = NULL;
        *cap = 0;
        return;
    }
    void *p = mem_realloc(b->alloc, *items, (size_t)*cap * elem, (size_t)count * elem);
    if (!p) {
        b->failed = true;
        return;
    }
    *items = p;
    *cap = count;
}

static void shrink_all(mbuild *b)
{
    bc_module *m = b->m;
    shrink(b, (void **)&m->strings, m->nstrings, &b->strings_cap, sizeof *m->strings);
    shrink(b, (void **)&m->types, m->ntypes, &b->types_cap, sizeof *m->types);
    shrink(b, (void **)&m->consts, m->nconsts, &b->consts_cap, sizeof *m->consts);
    shrink(b, (void **)&m->enums, m->nenums, &b->enums_cap, sizeof *m->enums);
    shrink(b, (void **)&m->records, m->nrecords, &b->records_cap, sizeof *m->records);
    shrink(b, (void **)&m->chunks, m->nchunks, &b->chunks_cap, sizeof *m->chunks);
    shrink(b, (void **)&m->programs, m->nprograms, &b->programs_cap, sizeof *m->programs);
}

/* Release a module whose arrays may still have spare capacity: each is
 * counted whole (its spare elements are zeroed: grow), so that the
 * module's release frees every array with the size it has. */
static void release_whole(mbuild *b)
{
    bc_module *m = b->m;
    m->nstrings = b->strings_cap;
    m->ntypes = b->types_cap;
    m->nconsts = b->consts_cap;
    m->nenums = b->enums_cap;
    m->nrecords = b->records_cap;
    m->nchunks = b->chunks_cap;
    m->nprograms = b->programs_cap;
    module_release(m);
}

/* ------------------------------------------------------------ init */

void mb_init(mbuild *b, bc_module *m, const rubric_allocator *alloc)
{
    memset(b, 0, sizeof *b);
    memset(m, 0, sizeof *m);
    m->alloc = *alloc;
    b->m = m;
    b->alloc = &m->alloc;
}

/* ------------------------------------------------------------ strings */

static uint32_t string_hash(const void *ctx, uint32_t entry)
{
    const bc_string *s = &((const bc_module *)ctx)->strings[entry];
    return hash_bytes(s->ptr, s->len);
}

uint32_t mb_string(mbuild *b, const char *s, size_t len)
{
    if (b->failed || len > UINT32_MAX - 1)
        return no_index(b);
    bc_module *m = b->m;
    hash_index *ix = &b->strings_index;
    uint32_t h = hash_bytes(s, len);
    for (uint32_t i = hash_first(ix, h); ix->slots && ix->slots[i]; i = hash_next(ix, i)) {
        const bc_string *e = &m->strings[ix->slots[i] - 1];
        if (e->len == len && memcmp(e->ptr, s, len) == 0)
            return ix->slots[i] - 1;
    }
    if (!hash_index_has_room(ix) && !hash_index_grow(ix, b->alloc, string_hash, m))
        return no_index(b);
    if (!grow(b, (void **)&m->strings, &b->strings_cap, sizeof *m->strings,
              m->nstrings + 1))
        return no_index(b);
    char *copy = mem_strndup(b->alloc, s, len);
    if (!copy)
        return no_index(b);
    m->strings[m->nstrings].ptr = copy;
    m->strings[m->nstrings].len = (uint32_t)len;
    hash_index_put(ix, h, m->nstrings);
    return m->nstrings++;
}

uint32_t mb_cstring(mbuild *b, const char *s)
{
    return mb_string(b, s, strlen(s));
}

/* ------------------------------------------------------------ types */

uint32_t mb_type(mbuild *b, type_kind kind, uint32_t arg)
{
    bc_module *m = b->m;
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (m->types[i].kind == kind && m->types[i].arg == arg)
            return i;
    if (!grow(b, (void **)&m->types, &b->types_cap, sizeof *m->types, m->ntypes + 1))
        return no_index(b);
    m->types[m->ntypes].kind = (uint8_t)kind;
    m->types[m->ntypes].arg = arg;
    return m->ntypes++;
}

uint32_t mb_optional(mbuild *b, uint32_t type)
{
    if (type < b->m->ntypes && b->m->types[type].kind == TK_OPTIONAL)
        return type;
    return mb_type(b, TK_OPTIONAL, type);
}

/* ------------------------------------------------------------ constants */

static bool scalar_equal(value a, value c)
{
    if (a.kind != c.kind)
        return false;
    switch (a.kind) {
    case VK_NULL:
        return true;
    case VK_BOOL:
        return a.as.b == c.as.b;
    case VK_INT:
    case VK_MONEY:
        return a.as.i == c.as.i;
    case VK_DATE:
    case VK_MONTH:
        return a.as.d == c.as.d;
    case VK_ENUM:
        return a.as.e == c.as.e;
    case VK_STRING:
        return a.len == c.len && memcmp(a.as.s, c.as.s, a.len) == 0;
    case VK_INTERVAL:
        return a.as.iv.lo == c.as.iv.lo && a.as.iv.hi == c.as.iv.hi;
    default:
        return false;
    }
}

static bool map_equal(const map *a, const map *c)
{
    if (a->count != c->count)
        return false;
    for (uint32_t i = 0; i < a->count; i++) {
        const map_entry *x = &a->entries[i], *y = &c->entries[i];
        if (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len) != 0 ||
            !scalar_equal(x->value, y->value))
            return false;
    }
    return true;
}

static bool const_equal(value a, value c)
{
    if (a.kind == VK_LIST && c.kind == VK_LIST) {
        if (a.as.list->count != c.as.list->count)
            return false;
        for (uint32_t i = 0; i < a.as.list->count; i++)
            if (!scalar_equal(a.as.list->items[i], c.as.list->items[i]))
                return false;
        return true;
    }
    if (a.kind == VK_MAP && c.kind == VK_MAP)
        return map_equal(a.as.map, c.as.map);
    return scalar_equal(a, c);
}

/* The bytes of a list or map constant's header and items (module.c frees
 * them by this size); 0 for a scalar. */
static size_t container_size(value v)
{
    if (v.kind == VK_LIST)
        return sizeof(list) + (size_t)v.as.list->count * sizeof(value);
    if (v.kind == VK_MAP)
        return sizeof(map) + (size_t)v.as.map->count * sizeof(map_entry);
    return 0;
}

/* Point string payloads at the module's own copy of the bytes. */
static value own_scalar(mbuild *b, value v)
{
    if (v.kind == VK_STRING) {
        uint32_t s = mb_string(b, v.as.s, v.len);
        if (!b->failed)
            v.as.s = b->m->strings[s].ptr;
    }
    return v;
}

/* A copy of a list or map constant in memory of the module, its strings
 * interned.  False when out of memory. */
static bool own_container(mbuild *b, value v, size_t size, value *owned)
{
    void *copy = mem_alloc(b->alloc, size);
    if (!copy)
        return false;
    if (v.kind == VK_LIST) {
        list *l = copy;
        l->count = v.as.list->count;
        for (uint32_t i = 0; i < l->count; i++)
            l->items[i] = own_scalar(b, v.as.list->items[i]);
        owned->as.list = l;
        return true;
    }
    map *mp = copy;
    mp->count = v.as.map->count;
    for (uint32_t i = 0; i < mp->count; i++) {
        const map_entry *e = &v.as.map->entries[i];
        uint32_t key = mb_string(b, e->key, e->key_len);
        mp->entries[i].key = b->failed ? e->key : b->m->strings[key].ptr;
        mp->entries[i].key_len = e->key_len;
        mp->entries[i].value = own_scalar(b, e->value);
    }
    owned->as.map = mp;
    return true;
}

uint32_t mb_const(mbuild *b, uint32_t type, value v)
{
    bc_module *m = b->m;
    if (b->failed)
        return no_index(b);
    for (uint32_t i = 0; i < m->nconsts; i++)
        if (m->consts[i].type == type && const_equal(m->consts[i].v, v))
            return i;
    value owned = own_scalar(b, v);
    size_t size = container_size(v);
    if (size && !own_container(b, v, size, &owned))
        return no_index(b);
    if (!grow(b, (void **)&m->consts, &b->consts_cap, sizeof *m->consts,
              m->nconsts + 1)) {
        if (size)
            mem_free(b->alloc, owned.kind == VK_LIST ? (void *)owned.as.list
                                                     : (void *)owned.as.map, size);
        return no_index(b);
    }
    m->consts[m->nconsts].type = type;
    m->consts[m->nconsts].v = owned;
    return m->nconsts++;
}

uint32_t mb_const_int(mbuild *b, int64_t i)
{
    return mb_const(b, mb_type(b, TK_INT, 0), value_int(i));
}

uint32_t mb_const_money(mbuild *b, int64_t cents)
{
    return mb_const(b, mb_type(b, TK_MONEY, 0), value_money(cents));
}

uint32_t mb_const_date(mbuild *b, int32_t days)
{
    return mb_const(b, mb_type(b, TK_DATE, 0), value_date(days));
}

uint32_t mb_const_bool(mbuild *b, bool v)
{
    return mb_const(b, mb_type(b, TK_BOOL, 0), value_bool(v));
}

uint32_t mb_const_string(mbuild *b, const char *s, size_t len)
{
    return mb_const(b, mb_type(b, TK_STRING, 0), value_string(s, (uint32_t)len));
}

uint32_t mb_const_null(mbuild *b, uint32_t optional_type)
{
    return mb_const(b, optional_type, value_null());
}

/* ------------------------------------------------------------ schema */

uint32_t mb_enum(mbuild *b, const char *name, bool ordered)
{
    bc_module *m = b->m;
    uint32_t s = mb_cstring(b, name);
    if (!grow(b, (void **)&m->enums, &b->enums_cap, sizeof *m->enums, m->nenums + 1))
        return no_index(b);
    bc_enum *e = &m->enums[m->nenums];
    memset(e, 0, sizeof *e);
    e->name = s;
    e->ordered = ordered;
    return m->nenums++;
}

uint32_t mb_enum_value(mbuild *b, uint32_t e, const char *name)
{
    uint32_t s = mb_cstring(b, name);
    if (b->failed)
        return no_index(b);
    bc_enum *en = &b->m->enums[e];
    if (!append_exact(b, (void **)&en->values, en->nvalues, sizeof s, &s))
        return no_index(b);
    return en->nvalues++;
}

void mb_enum_alias(mbuild *b, uint32_t e, const char *name, uint32_t value_index)
{
    bc_enum_alias a = {mb_cstring(b, name), value_index};
    if (b->failed)
        return;
    bc_enum *en = &b->m->enums[e];
    if (append_exact(b, (void **)&en->aliases, en->naliases, sizeof a, &a))
        en->naliases++;
}

uint32_t mb_record(mbuild *b, const char *name)
{
    bc_module *m = b->m;
    uint32_t s = mb_cstring(b, name);
    if (!grow(b, (void **)&m->records, &b->records_cap, sizeof *m->records,
              m->nrecords + 1))
        return no_index(b);
    bc_record *r = &m->records[m->nrecords];
    memset(r, 0, sizeof *r);
    r->name = s;
    return m->nrecords++;
}

uint32_t mb_field(mbuild *b, uint32_t record, const char *name, uint32_t type,
                  uint8_t flags)
{
    bc_field f = {0};
    f.name = mb_cstring(b, name);
    f.type = type;
    f.flags = flags;
    f.default_value = BC_NONE;
    f.required_when_field = BC_NONE;
    f.required_when_values = BC_NONE;
    if (b->failed)
        return no_index(b);
    bc_record *r = &b->m->records[record];
    if (!append_exact(b, (void **)&r->fields, r->nfields, sizeof f, &f))
        return no_index(b);
    return r->nfields++;
}

bc_field *mb_field_ptr(mbuild *b, uint32_t record, uint32_t slot)
{
    if (b->failed) {
        memset(&b->scratch_field, 0, sizeof b->scratch_field);
        return &b->scratch_field;
    }
    return &b->m->records[record].fields[slot];
}

void mb_schema(mbuild *b, const char *name, uint32_t root, uint32_t key_field,
               uint32_t label_field, uint32_t tag_field)
{
    bc_schema *s = &b->m->schema;
    s->name = mb_cstring(b, name);
    s->root = root;
    s->key_field = key_field;
    s->label_field = label_field;
    s->tag_field = tag_field;
    b->m->has_schema = true;
}

/* ------------------------------------------------------------ chunks */

uint32_t mb_chunk(mbuild *b, const char *name, uint8_t flags, uint16_t nparams,
                  const uint32_t *param_types, uint32_t ret_type)
{
    bc_module *m = b->m;
    uint32_t s = mb_cstring(b, name);
    if (!grow(b, (void **)&m->chunks, &b->chunks_cap, sizeof *m->chunks,
              m->nchunks + 1))
        return no_index(b);
    if (b->chunks_cap != b->code_cap) {
        mb_code *code = mem_realloc(b->alloc, b->code, (size_t)b->code_cap * sizeof *code,
                                    (size_t)b->chunks_cap * sizeof *code);
        if (!code)
            return no_index(b);
        memset(code + b->code_cap, 0, (size_t)(b->chunks_cap - b->code_cap) * sizeof *code);
        b->code = code;
        b->code_cap = b->chunks_cap;
    }
    bc_chunk *c = &m->chunks[m->nchunks];
    memset(c, 0, sizeof *c);
    c->name = s;
    c->flags = flags;
    c->nparams = nparams;
    c->ret_type = ret_type;
    if (nparams) {
        c->param_types = mem_alloc(b->alloc, (size_t)nparams * sizeof(uint32_t));
        if (!c->param_types)
            return no_index(b);
        memcpy(c->param_types, param_types, (size_t)nparams * sizeof(uint32_t));
    }
    return m->nchunks++;
}

static void put_byte(mbuild *b, uint32_t chunk, uint8_t byte)
{
    if (b->failed)
        return;
    if (!vec_push(b->alloc, &b->code[chunk].bytes, byte))
        b->failed = true;
}

static void put_operand(mbuild *b, uint32_t chunk, uint8_t kind, uint32_t v)
{
    for (uint8_t i = 0; i < OPND_BYTES(kind); i++)
        put_byte(b, chunk, (uint8_t)(v >> (8 * i)));
}

uint32_t mb_emit(mbuild *b, uint32_t chunk, opcode op, uint32_t operand)
{
    if (b->failed)
        return 0;
    uint32_t at = b->code[chunk].bytes.len;
    put_byte(b, chunk, (uint8_t)op);
    put_operand(b, chunk, opcode_table[op].operand, operand);
    return at;
}

uint32_t mb_emit_jump(mbuild *b, uint32_t chunk, opcode op)
{
    return mb_emit(b, chunk, op, 0) + 1;
}

void mb_patch_jump(mbuild *b, uint32_t chunk, uint32_t at)
{
    if (b->failed)
        return;
    uint8_t *code = b->code[chunk].bytes.items;
    uint32_t offset = b->code[chunk].bytes.len - (at + 4);
    for (int i = 0; i < 4; i++)
        code[at + i] = (uint8_t)(offset >> (8 * i));
}

uint32_t mb_here(const mbuild *b, uint32_t chunk)
{
    return b->failed ? 0 : b->code[chunk].bytes.len;
}

/* ------------------------------------------------------------ programs */

uint32_t mb_program(mbuild *b, const char *id, const char *title,
                    const char *version, program_kind kind)
{
    bc_module *m = b->m;
    uint32_t sid = mb_cstring(b, id), st = mb_cstring(b, title),
             sv = mb_cstring(b, version);
    if (!grow(b, (void **)&m->programs, &b->programs_cap, sizeof *m->programs,
              m->nprograms + 1))
        return no_index(b);
    bc_program *p = &m->programs[m->nprograms];
    memset(p, 0, sizeof *p);
    p->id = sid;
    p->title = st;
    p->version = sv;
    p->kind = (uint8_t)kind;
    p->applies = p->current_tier = p->rolling_window = p->renewal_window =
        p->review_date = p->items = p->item_label = BC_NONE;
    p->tier_enum = p->items_name = p->item_label_name = BC_NONE;
    return m->nprograms++;
}

bc_program *mb_program_ptr(mbuild *b, uint32_t program)
{
    if (b->failed) {
        memset(&b->scratch_program, 0, sizeof b->scratch_program);
        return &b->scratch_program;
    }
    return &b->m->programs[program];
}

void mb_program_tiers(mbuild *b, uint32_t program, uint32_t tier_enum,
                      const uint32_t *tier_values, uint32_t ntiers)
{
    if (b->failed)
        return;
    bc_program *p = &b->m->programs[program];
    p->tier_enum = tier_enum;
    p->tiers = ntiers ? mem_alloc(b->alloc, (size_t)ntiers * sizeof(uint32_t)) : NULL;
    if (ntiers && !p->tiers) {
        b->failed = true;
        return;
    }
    if (ntiers)
        memcpy(p->tiers, tier_values, (size_t)ntiers * sizeof(uint32_t));
    p->ntiers = ntiers;
}

uint32_t mb_node(mbuild *b, uint32_t program, uint32_t parent, const char *id,
                 const char *name, const char *category)
{
    bc_node n = {0};
    n.id = mb_cstring(b, id);
    n.name = mb_cstring(b, name);
    n.category = mb_cstring(b, category);
    n.parent = parent;
    n.measure = n.na_when = n.grace_when = n.at_risk_when = BC_NONE;
    n.sustained_tier = BC_NONE;
    if (b->failed)
        return no_index(b);
    bc_program *p = &b->m->programs[program];
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    if (columns) {
        n.thresholds = mem_calloc(b->alloc, columns, sizeof *n.thresholds);
        if (!n.thresholds)
            return no_index(b);
    }
    if (!append_exact(b, (void **)&p->nodes, p->nnodes, sizeof n, &n)) {
        mem_free(b->alloc, n.thresholds, columns * sizeof *n.thresholds);
        return no_index(b);
    }
    uint32_t index = p->nnodes++;
    if (parent != BC_NONE) {
        bc_node *par = &p->nodes[parent];
        if (append_exact(b, (void **)&par->parts, par->nparts, sizeof index, &index))
            par->nparts++;
    }
    return index;
}

bc_node *mb_node_ptr(mbuild *b, uint32_t program, uint32_t node)
{
    if (b->failed) {
        memset(&b->scratch_node, 0, sizeof b->scratch_node);
        return &b->scratch_node;
    }
    return &b->m->programs[program].nodes[node];
}

void mb_node_checked(mbuild *b, uint32_t program, uint32_t node,
                     const uint32_t *checked, uint32_t n)
{
    if (b->failed)
        return;
    bc_node *nd = &b->m->programs[program].nodes[node];
    for (uint32_t i = 0; i < n; i++)
        if (append_exact(b, (void **)&nd->checked, nd->nchecked, sizeof *checked,
                         &checked[i]))
            nd->nchecked++;
}

uint32_t mb_report_list(mbuild *b, uint32_t program, const char *name,
                        uint32_t items_chunk)
{
    bc_report_list l = {0};
    l.name = mb_cstring(b, name);
    l.items = items_chunk;
    if (b->failed)
        return no_index(b);
    bc_program *p = &b->m->programs[program];
    if (!append_exact(b, (void **)&p->lists, p->nlists, sizeof l, &l))
        return no_index(b);
    return p->nlists++;
}

void mb_report_column(mbuild *b, uint32_t program, uint32_t list_index,
                      const char *name, uint32_t chunk)
{
    bc_report_column c = {mb_cstring(b, name), chunk};
    if (b->failed)
        return;
    bc_report_list *l = &b->m->programs[program].lists[list_index];
    if (append_exact(b, (void **)&l->columns, l->ncolumns, sizeof c, &c))
        l->ncolumns++;
}

void mb_item_error(mbuild *b, uint32_t program, uint32_t when, const char *text,
                   const uint32_t *args, uint32_t nargs)
{
    bc_item_error e = {when, mb_cstring(b, text), 0, NULL};
    if (b->failed)
        return;
    if (nargs) {
        e.args = mem_alloc(b->alloc, (size_t)nargs * sizeof *e.args);
        if (!e.args) {
            b->failed = true;
            return;
        }
        memcpy(e.args, args, (size_t)nargs * sizeof *e.args);
        e.nargs = nargs;
    }
    bc_program *p = &b->m->programs[program];
    if (append_exact(b, (void **)&p->errors, p->nerrors, sizeof e, &e))
        p->nerrors++;
    else
        mem_free(b->alloc, e.args, (size_t)nargs * sizeof *e.args);
}

/* ------------------------------------------------------------ finish */

enum { VISIT_NEW = 0, VISIT_ACTIVE, VISIT_DONE };

typedef struct order_state {
    mbuild *b;
    uint8_t *mark;
    uint32_t *order;   /* chunks, callees first */
    uint32_t count;
    bool cycle;
} order_state;

static void visit(order_state *st, uint32_t c)
{
    if (st->mark[c] == VISIT_DONE || st->cycle)
        return;
    if (st->mark[c] == VISIT_ACTIVE) {
        st->cycle = true;
        snprintf(st->b->error, sizeof st->b->error, "chunk '%s' calls itself",
                 module_str(st->b->m, st->b->m->chunks[c].name));
        return;
    }
    st->mark[c] = VISIT_ACTIVE;
    const uint8_t *code = st->b->code[c].bytes.items;
    uint32_t len = st->b->code[c].bytes.len;
    for (uint32_t pc = 0; pc < len; pc += opcode_size(code[pc])) {
        if (opcode_table[code[pc]].operand == OPND_CHUNK) {
            uint32_t callee = opcode_operand(code, pc);
            if (callee < st->b->m->nchunks)
                visit(st, callee);
        }
    }
    st->mark[c] = VISIT_DONE;
    st->order[st->count++] = c;
}

static uint32_t remap(const uint32_t *new_index, uint32_t c)
{
    return c == BC_NONE ? BC_NONE : new_index[c];
}

static void remap_code(uint8_t *code, uint32_t len, const uint32_t *new_index)
{
    for (uint32_t pc = 0; pc < len; pc += opcode_size(code[pc])) {
        if (opcode_table[code[pc]].operand != OPND_CHUNK)
            continue;
        uint32_t v = new_index[opcode_operand(code, pc)];
        for (int i = 0; i < 4; i++)
            code[pc + 1 + i] = (uint8_t)(v >> (8 * i));
    }
}

static void remap_program(bc_program *p, const uint32_t *ni)
{
    p->applies = remap(ni, p->applies);
    p->current_tier = remap(ni, p->current_tier);
    p->rolling_window = remap(ni, p->rolling_window);
    p->renewal_window = remap(ni, p->renewal_window);
    p->review_date = remap(ni, p->review_date);
    p->items = remap(ni, p->items);
    p->item_label = remap(ni, p->item_label);
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        bc_node *n = &p->nodes[i];
        n->measure = remap(ni, n->measure);
        n->na_when = remap(ni, n->na_when);
        n->grace_when = remap(ni, n->grace_when);
        n->at_risk_when = remap(ni, n->at_risk_when);
        for (uint32_t t = 0; n->thresholds && t < columns; t++)
            if (n->thresholds[t].kind == TH_CHUNK)
                n->thresholds[t].index = remap(ni, n->thresholds[t].index);
    }
    for (uint32_t i = 0; i < p->nlists; i++) {
        p->lists[i].items = remap(ni, p->lists[i].items);
        for (uint32_t c = 0; c < p->lists[i].ncolumns; c++)
            p->lists[i].columns[c].chunk = remap(ni, p->lists[i].columns[c].chunk);
    }
    for (uint32_t i = 0; i < p->nerrors; i++) {
        p->errors[i].when = remap(ni, p->errors[i].when);
        for (uint32_t a = 0; a < p->errors[i].nargs; a++)
            p->errors[i].args[a] = remap(ni, p->errors[i].args[a]);
    }
}

/* Renumber chunks callees-first and move their code into the module. */
static bool order_chunks(mbuild *b)
{
    bc_module *m = b->m;
    uint32_t n = m->nchunks;
    if (n == 0)
        return true;
    order_state st = {b, mem_calloc(b->alloc, n, 1),
                      mem_alloc(b->alloc, (size_t)n * sizeof(uint32_t)), 0, false};
    uint32_t *new_index = mem_alloc(b->alloc, (size_t)n * sizeof(uint32_t));
    bc_chunk *sorted = mem_calloc(b->alloc, n, sizeof(bc_chunk));
    bool ok = st.mark && st.order && new_index && sorted;
    if (!ok)
        snprintf(b->error, sizeof b->error, "out of memory");
    for (uint32_t c = 0; ok && c < n; c++)
        visit(&st, c);
    ok = ok && !st.cycle;
    if (ok) {
        for (uint32_t i = 0; i < n; i++)
            new_index[st.order[i]] = i;
        for (uint32_t i = 0; i < n && ok; i++) {
            uint32_t old = st.order[i];
            mb_code *code = &b->code[old];
            sorted[i] = m->chunks[old];
            sorted[i].code_len = code->bytes.len;
            sorted[i].code = NULL;
            if (code->bytes.len) {
                sorted[i].code = mem_alloc(b->alloc, code->bytes.len);
                if (!sorted[i].code) {
                    snprintf(b->error, sizeof b->error, "out of memory");
                    ok = false;
                    break;
                }
                memcpy(sorted[i].code, code->bytes.items, code->bytes.len);
                remap_code(sorted[i].code, code->bytes.len, new_index);
            }
        }
    }
    if (ok) {
        for (uint32_t i = 0; i < m->nprograms; i++)
            remap_program(&m->programs[i], new_index);
        memcpy(m->chunks, sorted, (size_t)n * sizeof(bc_chunk));
    } else if (sorted) {
        for (uint32_t i = 0; i < n; i++)
            if (sorted[i].code)
                mem_free(b->alloc, sorted[i].code, sorted[i].code_len);
    }
    mem_free(b->alloc, st.mark, n);
    mem_free(b->alloc, st.order, (size_t)n * sizeof(uint32_t));
    mem_free(b->alloc, new_index, (size_t)n * sizeof(uint32_t));
    mem_free(b->alloc, sorted, (size_t)n * sizeof(bc_chunk));
    return ok;
}

static void free_code(mbuild *b)
{
    for (uint32_t i = 0; i < b->m->nchunks && b->code; i++)
        vec_free(b->alloc, &b->code[i].bytes);
    mem_free(b->alloc, b->code, (size_t)b->code_cap * sizeof *b->code);
    b->code = NULL;
    b->code_cap = 0;
    hash_index_free(&b->strings_index, b->alloc);
}

bool mb_finish(mbuild *b)
{
    bc_module *m = b->m;
    bool ok = !b->failed;
    if (!ok)
        snprintf(b->error, sizeof b->error, "out of memory");
    /* Chunks still have no code arrays of their own: order_chunks gives
     * them exactly-sized ones. */
    for (uint32_t i = 0; i < m->nchunks; i++) {
        m->chunks[i].code = NULL;
        m->chunks[i].code_len = 0;
    }
    if (ok)
        ok = order_chunks(b);
    free_code(b);
    shrink_all(b);
    if (b->failed && ok) {
        ok = false;
        snprintf(b->error, sizeof b->error, "out of memory");
    }
    if (!ok)
        release_whole(b);
    return ok;
}

void mb_abort(mbuild *b)
{
    bc_module *m = b->m;
    for (uint32_t i = 0; i < m->nchunks; i++) {
        m->chunks[i].code = NULL;
        m->chunks[i].code_len = 0;
    }
    free_code(b);
    b->failed = true;
    release_whole(b);
}
