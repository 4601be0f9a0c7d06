/*
 * module.c — releasing a module and comparing its types.
 *
 * Ownership rule shared by the module builder and the bytecode reader:
 * every array of a module is allocated with exactly count * element size
 * bytes (NULL when the count is 0), each string with len + 1 bytes, and a
 * list or map constant with its header plus its items.  So releasing needs
 * no bookkeeping beyond the counts.
 */
#include "module.h"

#include <string.h>

#include "mem.h"

#define FREE_ARRAY(a, ptr, count) mem_free((a), (ptr), (size_t)(count) * sizeof *(ptr))

static void release_const(const rubric_allocator *a, bc_const *c)
{
    if (c->v.kind == VK_LIST && c->v.as.list)
        mem_free(a, c->v.as.list,
                 sizeof(list) + (size_t)c->v.as.list->count * sizeof(value));
    else if (c->v.kind == VK_MAP && c->v.as.map)
        mem_free(a, c->v.as.map,
                 sizeof(map) + (size_t)c->v.as.map->count * sizeof(map_entry));
}

static void release_program(const rubric_allocator *a, bc_program *p)
{
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        bc_node *n = &p->nodes[i];
        FREE_ARRAY(a, n->parts, n->nparts);
        if (n->thresholds)
            FREE_ARRAY(a, n->thresholds, columns);
        FREE_ARRAY(a, n->checked, n->nchecked);
    }
    FREE_ARRAY(a, p->nodes, p->nnodes);
    FREE_ARRAY(a, p->tiers, p->ntiers);
    for (uint32_t i = 0; i < p->nlists; i++)
        FREE_ARRAY(a, p->lists[i].columns, p->lists[i].ncolumns);
    FREE_ARRAY(a, p->lists, p->nlists);
    for (uint32_t i = 0; i < p->nerrors; i++)
        FREE_ARRAY(a, p->errors[i].args, p->errors[i].nargs);
    FREE_ARRAY(a, p->errors, p->nerrors);
}

void module_release(bc_module *m)
{
    const rubric_allocator *a = &m->alloc;
    if (!a->realloc)
        return;
    for (uint32_t i = 0; i < m->nstrings; i++)
        mem_free(a, (void *)m->strings[i].ptr, (size_t)m->strings[i].len + 1);
    FREE_ARRAY(a, m->strings, m->nstrings);
    FREE_ARRAY(a, m->types, m->ntypes);
    for (uint32_t i = 0; i < m->nconsts; i++)
        release_const(a, &m->consts[i]);
    FREE_ARRAY(a, m->consts, m->nconsts);
    for (uint32_t i = 0; i < m->nenums; i++) {
        FREE_ARRAY(a, m->enums[i].values, m->enums[i].nvalues);
        FREE_ARRAY(a, m->enums[i].aliases, m->enums[i].naliases);
    }
    FREE_ARRAY(a, m->enums, m->nenums);
    for (uint32_t i = 0; i < m->nrecords; i++)
        FREE_ARRAY(a, m->records[i].fields, m->records[i].nfields);
    FREE_ARRAY(a, m->records, m->nrecords);
    for (uint32_t i = 0; i < m->nchunks; i++) {
        FREE_ARRAY(a, m->chunks[i].param_types, m->chunks[i].nparams);
        FREE_ARRAY(a, m->chunks[i].code, m->chunks[i].code_len);
    }
    FREE_ARRAY(a, m->chunks, m->nchunks);
    for (uint32_t i = 0; i < m->nprograms; i++)
        release_program(a, &m->programs[i]);
    FREE_ARRAY(a, m->programs, m->nprograms);
    rubric_allocator keep = m->alloc;
    memset(m, 0, sizeof *m);
    m->alloc = keep;
}

static bool type_equal(const bc_module *m, uint32_t a, uint32_t b, int depth)
{
    if (a == b)
        return true;
    if (a >= m->ntypes || b >= m->ntypes || depth > 64)
        return false;
    const bc_type *ta = &m->types[a], *tb = &m->types[b];
    if (ta->kind != tb->kind)
        return false;
    switch (ta->kind) {
    case TK_ENUM:
    case TK_RECORD:
        return ta->arg == tb->arg;
    case TK_LIST:
    case TK_OPTIONAL:
    case TK_MAP:
        return type_equal(m, ta->arg, tb->arg, depth + 1);
    default:
        return true;
    }
}

uint32_t module_root_field(const bc_module *m, const char *name)
{
    if (!m->has_schema || m->schema.root >= m->nrecords)
        return BC_NONE;
    const bc_record *root = &m->records[m->schema.root];
    for (uint32_t i = 0; i < root->nfields; i++)
        if (strcmp(module_str(m, root->fields[i].name), name) == 0)
            return i;
    return BC_NONE;
}

bool module_type_equal(const bc_module *m, uint32_t a, uint32_t b)
{
    return type_equal(m, a, b, 0);
}
