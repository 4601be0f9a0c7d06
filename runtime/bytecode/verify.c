/*
 * verify.c — checking that a module cannot misbehave: its tables, its
 * schema, the signatures of its chunks and its programs.  The code of each
 * chunk is checked by verify_code.c.
 *
 * Checks run in dependency order (types before the constants that have
 * them, chunk signatures before the code that calls them, code before the
 * programs that run it), so each check may rely on what came before.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "opcodes.h"
#include "verify_internal.h"

void verify_fail(verifier *v, const char *fmt, ...)
{
    if (v->failed)
        return;
    v->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->err, v->err_size, fmt, ap);
    va_end(ap);
}

const char *verify_chunk_name(const bc_module *m, uint32_t c)
{
    if (c < m->nchunks && m->chunks[c].name < m->nstrings)
        return module_str(m, m->chunks[c].name);
    return "?";
}

static const char *str_or(const bc_module *m, uint32_t s)
{
    return s < m->nstrings ? module_str(m, s) : "?";
}

/* ------------------------------------------------------------ vtypes */

vtype vt_of(const bc_module *m, uint32_t t)
{
    vtype out = {0, false, false, 0};
    if (t >= m->ntypes)
        return out;
    const bc_type *ty = &m->types[t];
    if (ty->kind == TK_OPTIONAL) {
        out = vt_of(m, ty->arg);
        out.nullable = true;
        return out;
    }
    out.kind = ty->kind;
    out.arg = ty->arg;
    out.nullable = ty->kind == TK_NULL;
    if ((ty->kind == TK_LIST || ty->kind == TK_MAP) && ty->arg < m->ntypes &&
        m->types[ty->arg].kind == TK_OPTIONAL) {
        out.arg = m->types[ty->arg].arg;
        out.elem_nullable = true;
    }
    return out;
}

vtype vt_elem(const bc_module *m, vtype list_type)
{
    vtype e = vt_of(m, list_type.arg);
    e.nullable = e.nullable || list_type.elem_nullable;
    return e;
}

static bool same_base(const bc_module *m, vtype a, vtype b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case TK_ENUM:
    case TK_RECORD:
        return a.arg == b.arg;
    case TK_LIST:
    case TK_MAP:
        return module_type_equal(m, a.arg, b.arg);
    default:
        return true;
    }
}

bool vt_accepts(const bc_module *m, vtype expected, vtype actual)
{
    if (actual.kind == TK_NULL)
        return expected.nullable;
    if (actual.nullable && !expected.nullable)
        return false;
    if (!same_base(m, expected, actual))
        return false;
    return !actual.elem_nullable || expected.elem_nullable;
}

bool vt_join(const bc_module *m, vtype a, vtype b, vtype *out)
{
    if (a.kind == TK_NULL || b.kind == TK_NULL) {
        *out = a.kind == TK_NULL ? b : a;
        out->nullable = true;
        return true;
    }
    if (!same_base(m, a, b))
        return false;
    *out = a;
    out->nullable = a.nullable || b.nullable;
    out->elem_nullable = a.elem_nullable || b.elem_nullable;
    return true;
}

void vt_text(const bc_module *m, vtype t, char *buf, size_t size)
{
    strbuf sb;
    sb_init(&sb, &m->alloc);
    if (t.kind == TK_LIST || t.kind == TK_MAP) {
        sb_puts(&sb, t.kind == TK_LIST ? "list of " : "map of ");
        bc_type_name(m, t.arg, &sb);
        if (t.elem_nullable)
            sb_putc(&sb, '?');
    } else if (t.kind == TK_ENUM && t.arg < m->nenums) {
        sb_puts(&sb, str_or(m, m->enums[t.arg].name));
    } else if (t.kind == TK_RECORD && t.arg < m->nrecords) {
        sb_puts(&sb, str_or(m, m->records[t.arg].name));
    } else {
        sb_puts(&sb, type_kind_name(t.kind));
    }
    bool wrap = t.nullable && (t.kind == TK_LIST || t.kind == TK_MAP);
    snprintf(buf, size, "%s%s%s%s", wrap ? "(" : "", sb.data && !sb.failed ? sb.data : "?",
             wrap ? ")" : "", t.nullable && t.kind != TK_NULL ? "?" : "");
    sb_free(&sb);
}

/* ------------------------------------------------------------ tables */

static bool check_string(verifier *v, uint32_t s, const char *what)
{
    if (s < v->m->nstrings)
        return true;
    verify_fail(v, "%s: string %u out of range (%u strings)", what, s, v->m->nstrings);
    return false;
}

static bool check_type_index(verifier *v, uint32_t t, const char *what)
{
    if (t < v->m->ntypes)
        return true;
    verify_fail(v, "%s: type %u out of range (%u types)", what, t, v->m->ntypes);
    return false;
}

/* List, optional and map types refer to earlier types, so types have no
 * cycles and every type is finite. */
static bool check_type(verifier *v, uint32_t i)
{
    const bc_module *m = v->m;
    const bc_type *t = &m->types[i];
    switch (t->kind) {
    case TK_ENUM:
        if (t->arg < m->nenums)
            return true;
        verify_fail(v, "type %u: enum %u out of range (%u enums)", i, t->arg, m->nenums);
        return false;
    case TK_RECORD:
        if (t->arg < m->nrecords)
            return true;
        verify_fail(v, "type %u: record %u out of range (%u records)", i, t->arg,
                    m->nrecords);
        return false;
    case TK_LIST:
    case TK_MAP:
    case TK_OPTIONAL:
        if (t->arg >= i) {
            verify_fail(v, "type %u: %s of type %u, which is not defined before it", i,
                        type_kind_name(t->kind), t->arg);
            return false;
        }
        if (t->kind == TK_OPTIONAL &&
            (m->types[t->arg].kind == TK_OPTIONAL || m->types[t->arg].kind == TK_NULL)) {
            verify_fail(v, "type %u: optional of an optional or null type", i);
            return false;
        }
        return true;
    default:
        if (t->kind < TK_INT || t->kind > TK_NULL) {
            verify_fail(v, "type %u: unknown kind %u", i, t->kind);
            return false;
        }
        if (t->arg != 0) {
            verify_fail(v, "type %u: %s takes no argument (has %u)", i,
                        type_kind_name(t->kind), t->arg);
            return false;
        }
        return true;
    }
}

static bool check_enums(verifier *v)
{
    const bc_module *m = v->m;
    char what[64];
    for (uint32_t i = 0; i < m->nenums; i++) {
        const bc_enum *e = &m->enums[i];
        snprintf(what, sizeof what, "enum %u", i);
        if (!check_string(v, e->name, what))
            return false;
        for (uint32_t k = 0; k < e->nvalues; k++)
            if (!check_string(v, e->values[k], what))
                return false;
        for (uint32_t k = 0; k < e->naliases; k++) {
            if (!check_string(v, e->aliases[k].name, what))
                return false;
            if (e->aliases[k].value >= e->nvalues) {
                verify_fail(v, "enum %u '%s': alias %u names value %u of %u", i,
                            module_str(m, e->name), k, e->aliases[k].value, e->nvalues);
                return false;
            }
        }
    }
    return true;
}

/* Is v a value of type t?  Constants hold scalars and lists or maps of
 * scalars. */
static bool value_fits(const bc_module *m, uint32_t t, value v, int depth)
{
    const bc_type *ty = &m->types[t];
    if (ty->kind == TK_OPTIONAL)
        return v.kind == VK_NULL || value_fits(m, ty->arg, v, depth);
    switch (ty->kind) {
    case TK_INT: return v.kind == VK_INT;
    case TK_MONEY: return v.kind == VK_MONEY;
    case TK_BOOL: return v.kind == VK_BOOL;
    case TK_STRING: return v.kind == VK_STRING;
    case TK_INTERVAL: return v.kind == VK_INTERVAL;
    case TK_NULL: return v.kind == VK_NULL;
    case TK_DATE:
        return v.kind == VK_DATE && v.as.d >= CAL_MIN_DATE && v.as.d <= CAL_MAX_DATE;
    case TK_MONTH:
        return v.kind == VK_MONTH && v.as.d >= CAL_MIN_MONTH && v.as.d <= CAL_MAX_MONTH;
    case TK_ENUM:
        return v.kind == VK_ENUM && v.as.e < m->enums[ty->arg].nvalues;
    case TK_LIST:
        if (v.kind != VK_LIST || depth > 0)
            return false;
        for (uint32_t i = 0; i < v.as.list->count; i++)
            if (!value_fits(m, ty->arg, v.as.list->items[i], depth + 1))
                return false;
        return true;
    case TK_MAP:
        if (v.kind != VK_MAP || depth > 0)
            return false;
        for (uint32_t i = 0; i < v.as.map->count; i++)
            if (!value_fits(m, ty->arg, v.as.map->entries[i].value, depth + 1))
                return false;
        return true;
    default:
        return false; /* records are never constants */
    }
}

static bool check_consts(verifier *v)
{
    const bc_module *m = v->m;
    char what[64];
    for (uint32_t i = 0; i < m->nconsts; i++) {
        snprintf(what, sizeof what, "constant %u", i);
        if (!check_type_index(v, m->consts[i].type, what))
            return false;
        if (!value_fits(m, m->consts[i].type, m->consts[i].v, 0)) {
            char t[128];
            vt_text(m, vt_of(m, m->consts[i].type), t, sizeof t);
            verify_fail(v, "constant %u is not a value of its type %s", i, t);
            return false;
        }
    }
    return true;
}

static bool check_condition(verifier *v, const bc_record *r, uint32_t ri, uint32_t k)
{
    const bc_module *m = v->m;
    const bc_field *f = &r->fields[k];
    if (f->required_when_field == BC_NONE && f->required_when_values == BC_NONE)
        return true;
    const char *rn = module_str(m, r->name), *fn = module_str(m, f->name);
    if (f->required_when_field >= r->nfields || f->required_when_values >= m->nconsts) {
        verify_fail(v, "record %u '%s' field '%s': required-when field or values out of range",
                    ri, rn, fn);
        return false;
    }
    vtype cond = vt_of(m, r->fields[f->required_when_field].type);
    vtype values = vt_of(m, m->consts[f->required_when_values].type);
    if (cond.kind != TK_ENUM || values.kind != TK_LIST || values.nullable ||
        vt_elem(m, values).kind != TK_ENUM || vt_elem(m, values).arg != cond.arg) {
        verify_fail(v, "record %u '%s' field '%s': required-when needs an enum field and a "
                       "list of its values", ri, rn, fn);
        return false;
    }
    return true;
}

static bool check_field(verifier *v, const bc_record *r, uint32_t ri, uint32_t k)
{
    const bc_module *m = v->m;
    const bc_field *f = &r->fields[k];
    char what[96];
    snprintf(what, sizeof what, "record %u field %u", ri, k);
    if (!check_string(v, f->name, what) || !check_type_index(v, f->type, what))
        return false;
    if (f->flags & ~FIELD_REQUIRED) {
        verify_fail(v, "%s: unknown flags 0x%02x", what, f->flags);
        return false;
    }
    if (f->default_value != BC_NONE) {
        if (f->default_value >= m->nconsts ||
            !vt_accepts(m, vt_of(m, f->type), vt_of(m, m->consts[f->default_value].type))) {
            verify_fail(v, "record %u '%s' field '%s': default constant %u does not fit", ri,
                        module_str(m, r->name), module_str(m, f->name), f->default_value);
            return false;
        }
    }
    return check_condition(v, r, ri, k);
}

static bool check_records(verifier *v)
{
    const bc_module *m = v->m;
    char what[64];
    for (uint32_t i = 0; i < m->nrecords; i++) {
        snprintf(what, sizeof what, "record %u", i);
        if (!check_string(v, m->records[i].name, what))
            return false;
    }
    for (uint32_t i = 0; i < m->nrecords; i++)
        for (uint32_t k = 0; k < m->records[i].nfields; k++)
            if (!check_field(v, &m->records[i], i, k))
                return false;
    return true;
}

/* A schema role: a field slot of the root (or BC_NONE when optional) whose
 * type is one of the kinds allowed. */
static bool check_role(verifier *v, uint32_t slot, const char *role, bool optional,
                       uint8_t kind_a, uint8_t kind_b)
{
    const bc_module *m = v->m;
    const bc_record *root = &m->records[m->schema.root];
    if (slot == BC_NONE && optional)
        return true;
    if (slot >= root->nfields) {
        verify_fail(v, "schema: %s field %u out of range for record %s (%u fields)", role,
                    slot, module_str(m, root->name), root->nfields);
        return false;
    }
    vtype t = vt_of(m, root->fields[slot].type);
    if (t.kind != kind_a && t.kind != kind_b) {
        char have[128];
        vt_text(m, t, have, sizeof have);
        verify_fail(v, "schema: %s field '%s' has type %s", role,
                    module_str(m, root->fields[slot].name), have);
        return false;
    }
    return true;
}

static bool check_schema(verifier *v)
{
    const bc_module *m = v->m;
    if (!m->has_schema)
        return true;
    if (!check_string(v, m->schema.name, "schema"))
        return false;
    if (m->schema.root >= m->nrecords) {
        verify_fail(v, "schema: root record %u out of range (%u records)", m->schema.root,
                    m->nrecords);
        return false;
    }
    return check_role(v, m->schema.key_field, "key", false, TK_STRING, TK_INT) &&
           check_role(v, m->schema.label_field, "label", true, TK_STRING, TK_STRING) &&
           check_role(v, m->schema.tag_field, "tag", true, TK_STRING, TK_STRING);
}

static bool check_chunk_signature(verifier *v, uint32_t i)
{
    const bc_chunk *c = &v->m->chunks[i];
    char what[64];
    snprintf(what, sizeof what, "chunk %u", i);
    if (!check_string(v, c->name, what) || !check_type_index(v, c->ret_type, what))
        return false;
    for (uint32_t k = 0; k < c->nparams; k++)
        if (!check_type_index(v, c->param_types[k], what))
            return false;
    if (c->flags & ~CHUNK_LET) {
        verify_fail(v, "chunk %u '%s': unknown flags 0x%02x", i, verify_chunk_name(v->m, i),
                    c->flags);
        return false;
    }
    if ((c->flags & CHUNK_LET) && c->nparams != 0) {
        verify_fail(v, "chunk %u '%s': a let takes no parameters (has %u)", i,
                    verify_chunk_name(v->m, i), c->nparams);
        return false;
    }
    return true;
}

static bool check_tables(verifier *v)
{
    bc_module *m = v->m;
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (!check_type(v, i))
            return false;
    if (!check_enums(v) || !check_records(v) || !check_consts(v) || !check_schema(v))
        return false;
    for (uint32_t i = 0; i < m->nchunks; i++)
        if (!check_chunk_signature(v, i))
            return false;
    return true;
}

/* ------------------------------------------------------------ programs */

/* What an evaluator passes to and expects from the chunks of a program. */
typedef struct program_check {
    verifier *v;
    const bc_program *p;
    uint32_t index;
    uint32_t nparams;      /* 0 (tiered) or 1 (per-item: the item) */
    vtype item;            /* per-item: the item's type */
    char where[160];       /* "program 0 'x' node 3 'y' measure" */
} program_check;

static void sig_text(const bc_module *m, uint32_t n, const vtype *params, vtype ret,
                     char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "(");
    for (uint32_t i = 0; i < n && used < size; i++) {
        char t[128];
        vt_text(m, params[i], t, sizeof t);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", t);
    }
    if (used < size) {
        char t[128];
        if (ret.kind == 0)
            snprintf(t, sizeof t, "anything");
        else
            vt_text(m, ret, t, sizeof t);
        snprintf(buf + used, size - used, ") -> %s", t);
    }
}

/* Chunk c takes the program's parameters (and `extra`, if not NULL) and
 * returns what `ret` accepts (any type when ret.kind is 0). */
static bool check_sig(program_check *pc, uint32_t c, const vtype *extra, vtype ret)
{
    const bc_module *m = pc->v->m;
    if (c >= m->nchunks) {
        verify_fail(pc->v, "%s: chunk %u out of range (%u chunks)", pc->where, c, m->nchunks);
        return false;
    }
    const bc_chunk *ch = &m->chunks[c];
    const vtype *args = extra ? extra : &pc->item;
    uint32_t nargs = extra ? 1 : pc->nparams;
    bool ok = ch->nparams == nargs;
    for (uint32_t i = 0; ok && i < nargs; i++)
        ok = vt_accepts(m, vt_of(m, ch->param_types[i]), args[i]);
    vtype has = vt_of(m, ch->ret_type);
    ok = ok && (ret.kind == 0 || vt_accepts(m, ret, has));
    if (ok)
        return true;
    vtype params[8]; /* a longer signature is shown by its first eight */
    uint32_t np = ch->nparams < 8 ? ch->nparams : 8;
    for (uint32_t i = 0; i < np; i++)
        params[i] = vt_of(m, ch->param_types[i]);
    char want[320], got[320];
    sig_text(m, nargs, args, ret, want, sizeof want);
    sig_text(m, np, params, has, got, sizeof got);
    verify_fail(pc->v, "%s: chunk %u '%s' is %s, expected %s", pc->where, c,
                verify_chunk_name(m, c), got, want);
    return false;
}

static bool check_opt_sig(program_check *pc, uint32_t c, vtype ret)
{
    return c == BC_NONE || check_sig(pc, c, NULL, ret);
}

/* The type a node's measure and thresholds have, from its unit. */
static vtype unit_type(uint8_t unit)
{
    static const uint8_t kinds[] = {TK_INT, TK_MONEY, TK_INT, TK_BOOL, 0};
    return vt_make(kinds[unit], 0, true);
}

static bool check_threshold(program_check *pc, const bc_node *n, uint32_t t)
{
    const bc_module *m = pc->v->m;
    bc_threshold th = n->thresholds[t];
    vtype want = unit_type(n->unit);
    if (th.kind == TH_NONE)
        return true;
    if (th.kind > TH_CHUNK || want.kind == 0) {
        verify_fail(pc->v, "%s threshold %u: kind %u is not allowed here", pc->where, t,
                    th.kind);
        return false;
    }
    if (th.kind == TH_CHUNK) {
        if (pc->p->kind != PROGRAM_PER_ITEM) {
            verify_fail(pc->v, "%s threshold %u: a computed threshold outside a per-item "
                               "program", pc->where, t);
            return false;
        }
        return check_sig(pc, th.index, NULL, want);
    }
    want.nullable = false;
    if (th.index >= m->nconsts || m->consts[th.index].v.kind == VK_NULL ||
        !vt_accepts(m, want, vt_of(m, m->consts[th.index].type))) {
        char w[64];
        vt_text(m, want, w, sizeof w);
        verify_fail(pc->v, "%s threshold %u: constant %u is not of type %s", pc->where, t,
                    th.index, w);
        return false;
    }
    return true;
}

static bool check_node_fields(program_check *pc, const bc_node *n)
{
    verifier *v = pc->v;
    if (!check_string(v, n->id, pc->where) || !check_string(v, n->name, pc->where) ||
        !check_string(v, n->category, pc->where))
        return false;
    if (n->kind > NODE_SUSTAINED || n->unit > UNIT_CHOICE || n->cmp > CMP_REQUIRED ||
        (n->flags & ~NODE_TIME_BOUND)) {
        verify_fail(v, "%s: unknown kind, unit, comparison or flags (%u, %u, %u, 0x%02x)",
                    pc->where, n->kind, n->unit, n->cmp, n->flags);
        return false;
    }
    if (n->measure != BC_NONE && (n->kind != NODE_MEASURE || n->unit == UNIT_CHOICE)) {
        verify_fail(v, "%s: a %s node has no measure chunk", pc->where,
                    n->kind == NODE_SUSTAINED ? "sustained" : "choice");
        return false;
    }
    return true;
}

static bool check_sustained(program_check *pc, const bc_node *n)
{
    const bc_program *p = pc->p;
    if (n->kind == NODE_SUSTAINED &&
        (p->kind != PROGRAM_TIERED || n->sustained_tier >= p->ntiers)) {
        verify_fail(pc->v, "%s: sustained tier %u out of range (%u tiers)", pc->where,
                    n->sustained_tier, p->ntiers);
        return false;
    }
    for (uint32_t k = 0; k < n->nchecked; k++) {
        uint32_t c = n->checked[k];
        if (c >= p->nnodes || p->nodes[c].parent != BC_NONE) {
            verify_fail(pc->v, "%s: checked node %u is not a top-level requirement",
                        pc->where, c);
            return false;
        }
    }
    return true;
}

static bool check_node(program_check *pc, uint32_t i)
{
    const bc_module *m = pc->v->m;
    const bc_program *p = pc->p;
    const bc_node *n = &p->nodes[i];
    int len = snprintf(pc->where, sizeof pc->where, "program %u '%s' node %u '%s'", pc->index,
                       str_or(m, p->id), i, str_or(m, n->id));
    size_t base = len > 0 && (size_t)len < sizeof pc->where ? (size_t)len : 0;
    if (!check_node_fields(pc, n) || !check_sustained(pc, n))
        return false;
    vtype cond = vt_make(TK_BOOL, 0, true);
    snprintf(pc->where + base, sizeof pc->where - base, " measure");
    if (!check_opt_sig(pc, n->measure, unit_type(n->unit)))
        return false;
    snprintf(pc->where + base, sizeof pc->where - base, " not_applicable when");
    if (!check_opt_sig(pc, n->na_when, cond))
        return false;
    snprintf(pc->where + base, sizeof pc->where - base, " grace when");
    if (!check_opt_sig(pc, n->grace_when, cond))
        return false;
    snprintf(pc->where + base, sizeof pc->where - base, " at_risk when");
    if (!check_opt_sig(pc, n->at_risk_when, cond))
        return false;
    pc->where[base] = '\0';
    uint32_t columns = p->kind == PROGRAM_TIERED ? p->ntiers : 1;
    if (columns && !n->thresholds) {
        verify_fail(pc->v, "%s: thresholds missing", pc->where);
        return false;
    }
    for (uint32_t t = 0; t < columns; t++)
        if (!check_threshold(pc, n, t))
            return false;
    return true;
}

/* Nodes are in preorder: a node's parts follow it, each part's subtree
 * follows the previous part's, and top-level trees tile the whole array.
 * Sizes are computed from the back, since parts come after their node. */
static bool check_tree(program_check *pc)
{
    verifier *v = pc->v;
    const bc_program *p = pc->p;
    uint32_t *size = mem_calloc(&v->m->alloc, p->nnodes ? p->nnodes : 1, sizeof *size);
    if (!size) {
        verify_fail(v, "out of memory");
        return false;
    }
    bool ok = true;
    for (uint32_t i = p->nnodes; ok && i-- > 0;) {
        const bc_node *n = &p->nodes[i];
        uint64_t next = (uint64_t)i + 1;
        for (uint32_t k = 0; ok && k < n->nparts; k++) {
            uint32_t part = n->parts[k];
            ok = part == next && part < p->nnodes && p->nodes[part].parent == i;
            if (ok)
                next += size[part];
        }
        size[i] = (uint32_t)(next - i);
        if (!ok)
            verify_fail(v, "program %u '%s' node %u: parts are not its children in preorder",
                        pc->index, str_or(v->m, p->id), i);
    }
    for (uint32_t i = 0; ok && i < p->nnodes; i += size[i]) {
        if (p->nodes[i].parent != BC_NONE) {
            verify_fail(v, "program %u '%s' node %u: parent %u does not list it as a part",
                        pc->index, str_or(v->m, p->id), i, p->nodes[i].parent);
            ok = false;
        }
    }
    mem_free(&v->m->alloc, size, (p->nnodes ? p->nnodes : 1) * sizeof *size);
    return ok;
}

static bool check_tiers(program_check *pc)
{
    const bc_module *m = pc->v->m;
    const bc_program *p = pc->p;
    if (p->kind == PROGRAM_PER_ITEM) {
        if (p->ntiers == 0)
            return true;
        verify_fail(pc->v, "%s: a per-item program has no tiers", pc->where);
        return false;
    }
    if (p->tier_enum >= m->nenums) {
        verify_fail(pc->v, "%s: tier enum %u out of range (%u enums)", pc->where, p->tier_enum,
                    m->nenums);
        return false;
    }
    for (uint32_t t = 0; t < p->ntiers; t++) {
        if (p->tiers[t] >= m->enums[p->tier_enum].nvalues ||
            (t > 0 && p->tiers[t] <= p->tiers[t - 1])) {
            verify_fail(pc->v, "%s: tier %u (value %u) is not a value of %s above the tier "
                               "before it", pc->where, t, p->tiers[t],
                        str_or(m, m->enums[p->tier_enum].name));
            return false;
        }
    }
    return true;
}

static bool check_tiered_chunks(program_check *pc)
{
    const bc_program *p = pc->p;
    size_t base = strlen(pc->where);
    struct { const char *what; uint32_t chunk; vtype ret; } need[] = {
        {"current tier", p->current_tier, vt_make(TK_ENUM, p->tier_enum, false)},
        {"rolling window", p->rolling_window, vt_make(TK_INTERVAL, 0, false)},
        {"renewal window", p->renewal_window, vt_make(TK_INTERVAL, 0, false)},
        {"review date", p->review_date, vt_make(TK_DATE, 0, false)}};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        snprintf(pc->where + base, sizeof pc->where - base, " %s", need[i].what);
        if (!check_sig(pc, need[i].chunk, NULL, need[i].ret))
            return false;
    }
    pc->where[base] = '\0';
    return true;
}

/* A chunk () -> list of E; E into *elem. */
static bool check_items_chunk(program_check *pc, uint32_t c, vtype *elem)
{
    const bc_module *m = pc->v->m;
    vtype none = {0};
    uint32_t saved = pc->nparams;
    pc->nparams = 0; /* items are computed from the partner, not an item */
    bool ok = check_sig(pc, c, NULL, none);
    pc->nparams = saved;
    if (!ok)
        return false;
    vtype ret = vt_of(m, m->chunks[c].ret_type);
    if (ret.kind != TK_LIST || ret.nullable) {
        char have[128];
        vt_text(m, ret, have, sizeof have);
        verify_fail(pc->v, "%s: chunk %u '%s' returns %s, expected a list", pc->where, c,
                    verify_chunk_name(m, c), have);
        return false;
    }
    *elem = vt_elem(m, ret);
    return true;
}

static bool check_per_item(program_check *pc)
{
    const bc_module *m = pc->v->m;
    const bc_program *p = pc->p;
    size_t base = strlen(pc->where);
    if (!check_string(pc->v, p->items_name, pc->where) ||
        !check_string(pc->v, p->item_label_name, pc->where))
        return false;
    snprintf(pc->where + base, sizeof pc->where - base, " items");
    if (!check_items_chunk(pc, p->items, &pc->item))
        return false;
    if (pc->item.kind != TK_RECORD || pc->item.nullable) {
        verify_fail(pc->v, "%s: chunk %u '%s' must return a list of records", pc->where,
                    p->items, verify_chunk_name(m, p->items));
        return false;
    }
    pc->nparams = 1;
    snprintf(pc->where + base, sizeof pc->where - base, " item label");
    if (!check_sig(pc, p->item_label, NULL, vt_make(TK_STRING, 0, true)))
        return false;
    pc->where[base] = '\0';
    return true;
}

static bool check_report_list(program_check *pc, const bc_report_list *l, uint32_t i)
{
    const bc_module *m = pc->v->m;
    snprintf(pc->where, sizeof pc->where, "program %u '%s' list %u", pc->index,
             str_or(m, pc->p->id), i);
    vtype elem;
    if (!check_string(pc->v, l->name, pc->where) || !check_items_chunk(pc, l->items, &elem))
        return false;
    for (uint32_t k = 0; k < l->ncolumns; k++) {
        snprintf(pc->where, sizeof pc->where, "program %u '%s' list %u column %u", pc->index,
                 str_or(m, pc->p->id), i, k);
        vtype any = {0};
        if (!check_string(pc->v, l->columns[k].name, pc->where) ||
            !check_sig(pc, l->columns[k].chunk, &elem, any))
            return false;
        uint8_t kind = vt_of(m, m->chunks[l->columns[k].chunk].ret_type).kind;
        if (kind < TK_INT || kind > TK_ENUM) {
            verify_fail(pc->v, "%s: chunk %u '%s' must return a scalar", pc->where,
                        l->columns[k].chunk, verify_chunk_name(m, l->columns[k].chunk));
            return false;
        }
    }
    return true;
}

/* `error when`: (item) -> bool, a message, and (item) -> scalar for each
 * "{}" of it. */
static bool check_item_error(program_check *pc, const bc_item_error *e, uint32_t i)
{
    const bc_module *m = pc->v->m;
    snprintf(pc->where, sizeof pc->where, "program %u '%s' error %u", pc->index,
             str_or(m, pc->p->id), i);
    if (pc->p->kind != PROGRAM_PER_ITEM) {
        verify_fail(pc->v, "%s: only a per-item program has item errors", pc->where);
        return false;
    }
    if (!check_string(pc->v, e->text, pc->where) ||
        !check_sig(pc, e->when, NULL, vt_make(TK_BOOL, 0, false)))
        return false;
    for (uint32_t a = 0; a < e->nargs; a++) {
        vtype any = {0};
        if (!check_sig(pc, e->args[a], NULL, any))
            return false;
        uint8_t kind = vt_of(m, m->chunks[e->args[a]].ret_type).kind;
        if (kind < TK_INT || kind > TK_ENUM) {
            verify_fail(pc->v, "%s: argument chunk %u '%s' must return a scalar", pc->where,
                        e->args[a], verify_chunk_name(m, e->args[a]));
            return false;
        }
    }
    return true;
}

static bool check_program(verifier *v, uint32_t index)
{
    const bc_module *m = v->m;
    const bc_program *p = &m->programs[index];
    program_check pc = {0};
    pc.v = v;
    pc.p = p;
    pc.index = index;
    snprintf(pc.where, sizeof pc.where, "program %u", index);
    if (!check_string(v, p->id, pc.where) || !check_string(v, p->title, pc.where) ||
        !check_string(v, p->version, pc.where))
        return false;
    snprintf(pc.where, sizeof pc.where, "program %u '%s'", index, module_str(m, p->id));
    if (p->kind > PROGRAM_PER_ITEM) {
        verify_fail(v, "%s: unknown kind %u", pc.where, p->kind);
        return false;
    }
    if (!check_tiers(&pc) || !check_opt_sig(&pc, p->applies, vt_make(TK_BOOL, 0, true)))
        return false;
    bool ok = p->kind == PROGRAM_TIERED ? check_tiered_chunks(&pc) : check_per_item(&pc);
    if (!ok || !check_tree(&pc))
        return false;
    for (uint32_t i = 0; i < p->nnodes; i++)
        if (!check_node(&pc, i))
            return false;
    for (uint32_t i = 0; i < p->nlists; i++)
        if (!check_report_list(&pc, &p->lists[i], i))
            return false;
    for (uint32_t i = 0; i < p->nerrors; i++)
        if (!check_item_error(&pc, &p->errors[i], i))
            return false;
    return true;
}

/* ------------------------------------------------------------ call depth */

/* Calls only go to lower chunks, so the deepest nesting of calls starting
 * at a chunk is known once its callees' are.  Bounding it here means the
 * VM's frame stack can never overflow.  Runs after the code is verified, so
 * every instruction and chunk operand is valid. */
static bool check_call_depth(verifier *v)
{
    const bc_module *m = v->m;
    uint32_t *depth = mem_calloc(&m->alloc, m->nchunks ? m->nchunks : 1, sizeof *depth);
    if (!depth) {
        verify_fail(v, "out of memory");
        return false;
    }
    bool ok = true;
    for (uint32_t i = 0; ok && i < m->nchunks; i++) {
        const bc_chunk *c = &m->chunks[i];
        depth[i] = 1;
        for (uint32_t pc = 0; pc < c->code_len; pc += opcode_size((opcode)c->code[pc])) {
            if (opcode_table[c->code[pc]].operand != OPND_CHUNK)
                continue;
            uint32_t callee = opcode_operand(c->code, pc);
            if (depth[callee] + 1 > depth[i])
                depth[i] = depth[callee] + 1;
        }
        if (depth[i] > BC_MAX_CALL_DEPTH) {
            verify_fail(v, "chunk %u '%s': calls nest %u deep, more than %u", i,
                        verify_chunk_name(m, i), depth[i], BC_MAX_CALL_DEPTH);
            ok = false;
        }
    }
    mem_free(&m->alloc, depth, (m->nchunks ? m->nchunks : 1) * sizeof *depth);
    return ok;
}

/* ------------------------------------------------------------ entry */

bool bc_verify(bc_module *m, char *err, size_t err_size)
{
    verifier v = {m, err, err_size, false};
    if (err_size)
        err[0] = '\0';
    if (!check_tables(&v))
        return false;
    for (uint32_t i = 0; i < m->nchunks; i++)
        if (!verify_code(&v, i))
            return false;
    if (!check_call_depth(&v))
        return false;
    for (uint32_t i = 0; i < m->nprograms; i++)
        if (!check_program(&v, i))
            return false;
    return true;
}
