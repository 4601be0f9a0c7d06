/*
 * sema_decls.c — declarations: types (records, enums), the schema, fns,
 * module-level lets and programs, collected from every loaded file; type
 * expressions; the type helpers shared by the other passes.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sema.h"

/* ------------------------------------------------------------ type helpers */

static bool is_analysis_type(uint32_t t)
{
    return t >= TY_SET;
}

/* A type of the module: not one of analysis, nor the BC_NONE the builder
 * gives once memory ran out. */
static bool is_module_type(const sema *s, uint32_t t)
{
    return t < s->b->m->ntypes;
}

/* A type the builder made, or TY_ERROR when it could not (out of memory):
 * accepted silently, and the compile ends out of memory. */
static uint32_t built_type(uint32_t t)
{
    return t == BC_NONE ? TY_ERROR : t;
}

bool sema_is_optional(const sema *s, uint32_t t)
{
    return is_module_type(s, t) && s->b->m->types[t].kind == TK_OPTIONAL;
}

uint32_t sema_base(const sema *s, uint32_t t)
{
    return sema_is_optional(s, t) ? s->b->m->types[t].arg : t;
}

uint32_t sema_optional(sema *s, uint32_t t)
{
    if (is_analysis_type(t))
        return t;
    return built_type(mb_optional(s->b, t));
}

uint32_t sema_list_of(sema *s, uint32_t elem)
{
    if (is_analysis_type(elem))
        return TY_ERROR;
    return built_type(mb_type(s->b, TK_LIST, elem));
}

type_kind sema_kind(const sema *s, uint32_t t, bool through_opt)
{
    if (!is_module_type(s, t))
        return 0;
    if (through_opt)
        t = sema_base(s, t);
    return (type_kind)s->b->m->types[t].kind;
}

uint32_t sema_elem(const sema *s, uint32_t list_type)
{
    if (sema_kind(s, list_type, false) != TK_LIST)
        return TY_ERROR;
    return s->b->m->types[list_type].arg;
}

uint32_t sema_record_of(const sema *s, uint32_t t)
{
    if (sema_kind(s, t, true) != TK_RECORD)
        return BC_NONE;
    return s->b->m->types[sema_base(s, t)].arg;
}

uint32_t sema_field_type(const sema *s, uint32_t rec, uint32_t slot)
{
    if (rec >= s->b->m->nrecords || slot >= s->b->m->records[rec].nfields)
        return TY_ERROR; /* the builder ran out of memory */
    for (uint32_t i = 0; i < s->bad_fields.len; i++)
        if (s->bad_fields.items[i] == ((uint64_t)rec << 32 | slot))
            return TY_ERROR;
    return s->b->m->records[rec].fields[slot].type;
}

uint32_t sema_field_slot(const sema *s, uint32_t record, const char *name)
{
    const bc_module *m = s->b->m;
    if (record >= m->nrecords)
        return BC_NONE; /* the builder ran out of memory */
    const bc_record *r = &m->records[record];
    for (uint32_t i = 0; i < r->nfields; i++)
        if (strcmp(module_str(m, r->fields[i].name), name) == 0)
            return i;
    return BC_NONE;
}

static void type_name_into(sema *s, uint32_t t, strbuf *out, int depth)
{
    const bc_module *m = s->b->m;
    switch (t) {
    case TY_ERROR:
        sb_puts(out, "<error>");
        return;
    case TY_NULL:
        sb_puts(out, "null");
        return;
    case TY_DUR_DAYS:
        sb_puts(out, "a duration in days");
        return;
    case TY_DUR_MONTHS:
        sb_puts(out, "a duration in months");
        return;
    case TY_SET:
        sb_puts(out, "a set");
        return;
    default:
        break;
    }
    if (!is_module_type(s, t)) {
        sb_puts(out, "<error>");
        return;
    }
    const bc_type *ty = &m->types[t];
    switch ((type_kind)ty->kind) {
    case TK_INT:
        sb_puts(out, "int");
        break;
    case TK_MONEY:
        sb_puts(out, "money");
        break;
    case TK_DATE:
        sb_puts(out, "date");
        break;
    case TK_MONTH:
        sb_puts(out, "month");
        break;
    case TK_BOOL:
        sb_puts(out, "bool");
        break;
    case TK_STRING:
        sb_puts(out, "string");
        break;
    case TK_INTERVAL:
        sb_puts(out, "interval");
        break;
    case TK_ENUM:
        sb_puts(out, module_str(m, m->enums[ty->arg].name));
        break;
    case TK_RECORD:
        sb_puts(out, module_str(m, m->records[ty->arg].name));
        break;
    case TK_LIST:
        sb_puts(out, "list of ");
        if (depth < 8)
            type_name_into(s, ty->arg, out, depth + 1);
        break;
    case TK_MAP:
        sb_puts(out, "map of ");
        if (depth < 8)
            type_name_into(s, ty->arg, out, depth + 1);
        break;
    case TK_OPTIONAL:
        if (depth < 8)
            type_name_into(s, ty->arg, out, depth + 1);
        sb_putc(out, '?');
        break;
    case TK_NULL:
        sb_puts(out, "null");
        break;
    }
}

const char *sema_type_name(sema *s, uint32_t t)
{
    strbuf sb;
    sb_init(&sb, s->alloc);
    type_name_into(s, t, &sb, 0);
    const char *r = sb.failed ? "?" : arena_strndup(s->mem, sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    return r ? r : "?";
}

bool sema_visible(const sema *s, uint32_t file, uint32_t decl_file)
{
    if (file == decl_file)
        return true;
    const loaded_file *f = &s->c->files.items[file];
    for (uint32_t i = 0; i < f->imports.len; i++)
        if (f->imports.items[i] == decl_file)
            return true;
    return false;
}

/* ------------------------------------------------------------ utilities */

static const char *module_of(const sema *s, uint32_t file)
{
    return s->c->files.items[file].module;
}

static const char *arena_text(sema *s, const char *text)
{
    const char *r = arena_strndup(s->mem, text, strlen(text));
    return r ? r : "";
}

const char *sema_origin(sema *s, uint32_t file)
{
    char buf[512];
    const char *module = module_of(s, file);
    if (module)
        snprintf(buf, sizeof buf, "module '%s'", module);
    else
        snprintf(buf, sizeof buf, "'%s'", s->c->sources.files.items[file].path);
    return arena_text(s, buf);
}

void sema_hint_import(sema *s, uint32_t file)
{
    if (!module_of(s, file))
        diag_hint(s->diags, "files are imported by module name: give '%s' a `module` line",
                  s->c->sources.files.items[file].path);
}

/* "at FILE:LINE" for a declaration in the file `here` being reported, or
 * one in a root file; "in module 'M' at FILE:LINE" for one in a module
 * this file is not. */
static const char *where_declared(sema *s, uint32_t here, uint32_t file, ast_loc loc)
{
    char buf[768];
    const char *module = module_of(s, file);
    const char *path = s->c->sources.files.items[file].path;
    if (file != here && module)
        snprintf(buf, sizeof buf, "in module '%s' at %s:%u", module, path, loc.line);
    else
        snprintf(buf, sizeof buf, "at %s:%u", path, loc.line);
    return arena_text(s, buf);
}

/* After "X is already declared …": what to do about a name two modules
 * declare. */
static void hint_one_namespace(sema *s, uint32_t here, uint32_t file)
{
    if (file != here)
        diag_hint(s->diags, "the modules of one compilation share one namespace: give this "
                            "declaration another name");
}

fn_info *sema_find_fn(const sema *s, uint32_t file, const char *name)
{
    fn_info *first = symtab_get(&s->fns, name);
    for (fn_info *f = first; f; f = f->next_same_name)
        if (f->file == file)
            return f;
    return first;
}

let_info *sema_find_let(const sema *s, uint32_t file, const char *name)
{
    let_info *first = symtab_get(&s->lets, name);
    for (let_info *l = first; l; l = l->next_same_name)
        if (l->file == file)
            return l;
    return first;
}

static bool put(sema *s, symtab *t, const char *key, void *value)
{
    if (!symtab_put(t, key, value)) {
        s->c->oom = true;
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ type exprs */

static uint32_t scalar_type_named(const sema *s, const char *name)
{
    static const struct {
        const char *name;
        size_t offset;
    } scalars[] = {
        {"int", offsetof(sema, t_int)},       {"money", offsetof(sema, t_money)},
        {"date", offsetof(sema, t_date)},     {"month", offsetof(sema, t_month)},
        {"bool", offsetof(sema, t_bool)},     {"string", offsetof(sema, t_string)},
        {"interval", offsetof(sema, t_interval)},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (strcmp(scalars[i].name, name) == 0)
            return *(const uint32_t *)((const char *)s + scalars[i].offset);
    return BC_NONE;
}

static void suggest_type(sema *s, const char *name)
{
    const char *cands[512];
    size_t n = 0;
    static const char *const scalars[] = {"int", "money", "date", "month",
                                          "bool", "string", "interval"};
    for (size_t i = 0; i < 7; i++)
        cands[n++] = scalars[i];
    for (uint32_t i = 0; i < s->types.len && n < 512; i++)
        if (s->types.items[i].key)
            cands[n++] = s->types.items[i].key;
    const char *best = suggest_name(name, cands, n);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
}

/* The type an AST type names, from a file. */
uint32_t sema_resolve_type(sema *s, uint32_t file, const ast_type *t)
{
    if (!t)
        return TY_ERROR;
    switch (t->kind) {
    case TY_NAME: {
        uint32_t scalar = scalar_type_named(s, t->name);
        if (scalar != BC_NONE)
            return scalar;
        type_info *ti = symtab_get(&s->types, t->name);
        if (!ti) {
            diag_error(s->diags, t->loc, "unknown type '%s'", t->name);
            suggest_type(s, t->name);
            return TY_ERROR;
        }
        if (!sema_visible(s, file, ti->file)) {
            diag_error(s->diags, t->loc,
                       "type '%s' is declared in %s, which this file does not import", t->name,
                       sema_origin(s, ti->file));
            sema_hint_import(s, ti->file);
            return TY_ERROR;
        }
        return ti->type;
    }
    case TY_LIST:
    case TY_MAP: {
        uint32_t elem = sema_resolve_type(s, file, t->elem);
        if (elem == TY_ERROR)
            return TY_ERROR;
        if (t->kind == TY_LIST && sema_is_optional(s, elem)) {
            diag_error(s->diags, t->loc, "list elements cannot be optional");
            return TY_ERROR;
        }
        return built_type(mb_type(s->b, t->kind == TY_LIST ? TK_LIST : TK_MAP, elem));
    }
    case TY_OPTIONAL: {
        uint32_t base = sema_resolve_type(s, file, t->elem);
        if (base == TY_ERROR)
            return TY_ERROR;
        type_kind k = sema_kind(s, base, false);
        if (k == TK_OPTIONAL) {
            diag_error(s->diags, t->loc, "a type cannot be optional twice");
            return TY_ERROR;
        }
        if (k == TK_LIST || k == TK_MAP) {
            diag_error(s->diags, t->loc,
                       "a %s cannot be optional: an absent one is empty",
                       k == TK_LIST ? "list" : "map");
            return TY_ERROR;
        }
        return built_type(mb_optional(s->b, base));
    }
    }
    return TY_ERROR;
}

/* ------------------------------------------------------------ collection */

static void declare_type(sema *s, uint32_t file, const ast_name *name, bool is_enum,
                         uint32_t index, uint32_t type)
{
    if (scalar_type_named(s, name->name) != BC_NONE) {
        diag_error(s->diags, name->loc, "'%s' is a built-in type", name->name);
        return;
    }
    type_info *prev = symtab_get(&s->types, name->name);
    if (prev) {
        diag_error(s->diags, name->loc, "type '%s' is already declared %s", name->name,
                   where_declared(s, file, prev->file, prev->loc));
        hint_one_namespace(s, file, prev->file);
        return;
    }
    type_info *ti = arena_calloc(s->mem, 1, sizeof *ti);
    if (!ti)
        return;
    ti->name = name->name;
    ti->file = file;
    ti->module = module_of(s, file);
    ti->loc = name->loc;
    ti->is_enum = is_enum;
    ti->index = index;
    ti->type = type;
    put(s, &s->types, name->name, ti);
}

static void collect_enum(sema *s, uint32_t file, ast_enum *e)
{
    uint32_t index = mb_enum(s->b, e->name.name, e->ordered);
    for (uint32_t i = 0; i < e->values.count; i++) {
        const ast_name *v = &e->values.items[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(e->values.items[j].name, v->name) == 0)
                diag_error(s->diags, v->loc, "'%s' is already a value of %s", v->name,
                           e->name.name);
        mb_enum_value(s->b, index, v->name);
    }
    for (uint32_t i = 0; i < e->naliases; i++) {
        const ast_alias *a = &e->aliases[i];
        uint32_t target = BC_NONE;
        for (uint32_t j = 0; j < e->values.count; j++) {
            if (strcmp(e->values.items[j].name, a->name.name) == 0)
                diag_error(s->diags, a->name.loc, "alias '%s' is already a value of %s",
                           a->name.name, e->name.name);
            if (strcmp(e->values.items[j].name, a->target.name) == 0)
                target = j;
        }
        if (target == BC_NONE) {
            diag_error(s->diags, a->target.loc, "%s has no value '%s'", e->name.name,
                       a->target.name);
            continue;
        }
        mb_enum_alias(s->b, index, a->name.name, target);
    }
    declare_type(s, file, &e->name, true, index, mb_type(s->b, TK_ENUM, index));
}

static void collect_record(sema *s, uint32_t file, ast_record *r)
{
    uint32_t index = mb_record(s->b, r->name.name);
    declare_type(s, file, &r->name, false, index, mb_type(s->b, TK_RECORD, index));
}

/* A second declaration of a name is reported where it is written; it is
 * still kept, so that its own file's uses of the name mean it. */
static void collect_let(sema *s, uint32_t file, ast_let *let)
{
    let_info *prev = symtab_get(&s->lets, let->name.name);
    if (prev) {
        diag_error(s->diags, let->name.loc, "'%s' is already declared %s", let->name.name,
                   where_declared(s, file, prev->file, prev->ast->name.loc));
        hint_one_namespace(s, file, prev->file);
    }
    let_info *li = arena_calloc(s->mem, 1, sizeof *li);
    scope *sc = arena_calloc(s->mem, 1, sizeof *sc);
    if (!li || !sc)
        return;
    sc->kind = SC_FILE;
    sc->file = file;
    li->ast = let;
    li->level = LET_MODULE;
    li->file = file;
    li->scope = sc;
    li->module = module_of(s, file);
    let->sema = li;
    if (prev) {
        while (prev->next_same_name)
            prev = prev->next_same_name;
        prev->next_same_name = li;
    } else {
        put(s, &s->lets, let->name.name, li);
    }
    vec_push(s->alloc, &s->module_lets, li);
}

static void collect_fn(sema *s, uint32_t file, ast_fn *fn)
{
    fn_info *prev = symtab_get(&s->fns, fn->name.name);
    if (prev) {
        diag_error(s->diags, fn->name.loc, "function '%s' is already declared %s",
                   fn->name.name, where_declared(s, file, prev->file, prev->ast->name.loc));
        hint_one_namespace(s, file, prev->file);
    }
    fn_info *fi = arena_calloc(s->mem, 1, sizeof *fi);
    if (!fi)
        return;
    fi->ast = fn;
    fi->file = file;
    fi->module = module_of(s, file);
    if (prev) {
        while (prev->next_same_name)
            prev = prev->next_same_name;
        prev->next_same_name = fi;
    } else {
        put(s, &s->fns, fn->name.name, fi);
    }
    vec_push(s->alloc, &s->fn_list, fi);
}

static void collect_program(sema *s, uint32_t file, ast_program *p)
{
    prog_info *prev = symtab_get(&s->programs, p->id);
    if (prev) {
        diag_error(s->diags, p->id_loc, "program \"%s\" is already declared %s", p->id,
                   where_declared(s, file, prev->file, prev->ast->id_loc));
        hint_one_namespace(s, file, prev->file);
        return;
    }
    prog_info *pi = arena_calloc(s->mem, 1, sizeof *pi);
    if (!pi)
        return;
    pi->ast = p;
    pi->file = file;
    pi->tier_enum = BC_NONE;
    symtab_init(&pi->lets, s->alloc);
    symtab_init(&pi->overrides, s->alloc);
    put(s, &s->programs, p->id, pi);
    vec_push(s->alloc, &s->program_list, pi);
}

static void collect_schema(sema *s, uint32_t file, ast_schema *schema)
{
    if (s->schema) {
        diag_error(s->diags, schema->loc, "a second schema; the first is %s",
                   where_declared(s, file, s->schema_file, s->schema->loc));
        return;
    }
    s->schema = schema;
    s->schema_file = file;
}

/* Which files a walk in dependency order starts from first: modules
 * given in memory (the standard rules), then modules read from disk, then
 * the root files. */
static int start_rank(const sema *s, uint32_t f)
{
    const loaded_file *lf = &s->c->files.items[f];
    if (lf->root)
        return 2;
    return s->c->sources.files.items[f].path[0] == '<' ? 0 : 1;
}

/*
 * The files in dependency order: every module before the files that import
 * it, and the modules before the root files, so that a name declared twice
 * is reported at the second declaration as a reader sees it, in the
 * importing file or the file given on the command line, not in the module
 * it imports, whatever the order of the files given.  An iterative
 * depth-first walk (import chains are input).
 */
static uint32_t *files_in_dependency_order(sema *s)
{
    uint32_t n = s->c->files.len;
    uint32_t *order = arena_calloc(s->mem, n ? n : 1, sizeof *order);
    uint32_t *stack = arena_calloc(s->mem, n ? n : 1, sizeof *stack);
    uint32_t *next = arena_calloc(s->mem, n ? n : 1, sizeof *next);
    uint8_t *seen = arena_calloc(s->mem, n ? n : 1, 1);
    if (!order || !stack || !next || !seen)
        return NULL;
    uint32_t count = 0;
    for (uint32_t k = 0; k < 3 * n; k++) {
        uint32_t root = k % n;
        if (seen[root] || start_rank(s, root) != (int)(k / n))
            continue;
        uint32_t depth = 0;
        stack[depth++] = root;
        seen[root] = 1;
        while (depth) {
            uint32_t f = stack[depth - 1];
            const loaded_file *lf = &s->c->files.items[f];
            if (next[f] < lf->imports.len) {
                uint32_t imp = lf->imports.items[next[f]++];
                if (!seen[imp]) {
                    seen[imp] = 1;
                    stack[depth++] = imp;
                }
                continue;
            }
            order[count++] = f;
            depth--;
        }
    }
    return order;
}

/* Pass 1: every type name, so that fields may refer to any record. */
static void collect_types(sema *s)
{
    for (uint32_t k = 0; k < s->c->files.len; k++) {
        uint32_t f = s->file_order[k];
        ast_file *ast = s->c->files.items[f].ast;
        for (uint32_t i = 0; ast && i < ast->nitems; i++) {
            ast_item *it = &ast->items[i];
            if (it->kind == ITEM_ENUM)
                collect_enum(s, f, it->u.enum_);
            else if (it->kind == ITEM_RECORD)
                collect_record(s, f, it->u.record);
        }
    }
}

/* Pass 2: everything else that has a name. */
static void collect_names(sema *s)
{
    for (uint32_t k = 0; k < s->c->files.len; k++) {
        uint32_t f = s->file_order[k];
        ast_file *ast = s->c->files.items[f].ast;
        for (uint32_t i = 0; ast && i < ast->nitems; i++) {
            ast_item *it = &ast->items[i];
            switch (it->kind) {
            case ITEM_LET:
                collect_let(s, f, it->u.let);
                break;
            case ITEM_FN:
                collect_fn(s, f, it->u.fn);
                break;
            case ITEM_PROGRAM:
                collect_program(s, f, it->u.program);
                break;
            case ITEM_SCHEMA:
                collect_schema(s, f, it->u.schema);
                break;
            default:
                break;
            }
        }
    }
}

/* ------------------------------------------------------------ fields */

/* The constant of a field default (a literal, or a value of the field's
 * enum), or BC_NONE after reporting. */
static uint32_t default_const(sema *s, const ast_field *f, uint32_t type)
{
    const ast_expr *e = f->default_value;
    uint32_t base = sema_base(s, type);
    type_kind k = sema_kind(s, base, false);
    switch (e->kind) {
    case EX_INT:
        if (k == TK_INT)
            return mb_const(s->b, base, value_int(e->u.i));
        break;
    case EX_MONEY:
        if (k == TK_MONEY)
            return mb_const(s->b, base, value_money(e->u.i));
        break;
    case EX_DATE:
        if (k == TK_DATE)
            return mb_const(s->b, base, value_date((int32_t)e->u.i));
        break;
    case EX_MONTH:
        if (k == TK_MONTH)
            return mb_const(s->b, base, value_month((int32_t)e->u.i));
        break;
    case EX_BOOL:
        if (k == TK_BOOL)
            return mb_const(s->b, base, value_bool(e->u.b));
        break;
    case EX_STRING:
        if (k == TK_STRING)
            return mb_const(s->b, base, value_string(e->u.str.ptr, e->u.str.len));
        break;
    case EX_NAME:
        if (k == TK_ENUM) {
            const bc_module *m = s->b->m;
            const bc_enum *en = &m->enums[m->types[base].arg];
            for (uint32_t i = 0; i < en->nvalues; i++)
                if (strcmp(module_str(m, en->values[i]), e->u.name) == 0)
                    return mb_const(s->b, base, value_enum(i));
            diag_error(s->diags, e->loc, "%s has no value '%s'", sema_type_name(s, base),
                       e->u.name);
            return BC_NONE;
        }
        break;
    default:
        diag_error(s->diags, e->loc, "a default must be a literal");
        return BC_NONE;
    }
    diag_error(s->diags, e->loc, "the default does not have the field's type %s",
               sema_type_name(s, base));
    return BC_NONE;
}

/* `required when kind == divests` / `required when kind in {a, b}`: the
 * enum field slot and a list constant of its values. */
static void required_when(sema *s, const ast_record *r, uint32_t rec, const ast_field *f,
                          bc_field *out)
{
    const ast_expr *e = f->required_when;
    const ast_expr *lhs = NULL;
    const ast_expr *const *items = NULL;
    uint32_t nitems = 0;
    if (e->kind == EX_BINARY && e->u.binary.op == OPX_EQ) {
        lhs = e->u.binary.left;
        items = (const ast_expr *const *)&e->u.binary.right;
        nitems = 1;
    } else if (e->kind == EX_BINARY && e->u.binary.op == OPX_IN &&
               e->u.binary.right->kind == EX_SET) {
        lhs = e->u.binary.left;
        items = (const ast_expr *const *)e->u.binary.right->u.set.items;
        nitems = e->u.binary.right->u.set.count;
    }
    uint32_t slot = lhs && lhs->kind == EX_NAME ? sema_field_slot(s, rec, lhs->u.name) : BC_NONE;
    const bc_module *m = s->b->m;
    uint32_t ftype = slot != BC_NONE ? m->records[rec].fields[slot].type : BC_NONE;
    if (slot == BC_NONE || sema_kind(s, ftype, true) != TK_ENUM) {
        diag_error(s->diags, e->loc,
                   "`required when` takes `field == value` or `field in {values}` over an enum "
                   "field of %s",
                   r->name.name);
        return;
    }
    uint32_t enum_type = sema_base(s, ftype);
    const bc_enum *en = &m->enums[m->types[enum_type].arg];
    value vals[64];
    if (nitems > 64)
        nitems = 64;
    for (uint32_t i = 0; i < nitems; i++) {
        const ast_expr *item = items[i];
        uint32_t found = BC_NONE;
        for (uint32_t j = 0; item->kind == EX_NAME && j < en->nvalues; j++)
            if (strcmp(module_str(m, en->values[j]), item->u.name) == 0)
                found = j;
        if (found == BC_NONE) {
            diag_error(s->diags, item->loc, "%s has no value '%s'",
                       sema_type_name(s, enum_type),
                       item->kind == EX_NAME ? item->u.name : "?");
            return;
        }
        vals[i] = value_enum(found);
    }
    list *l = arena_alloc(s->mem, sizeof(list) + nitems * sizeof(value));
    if (!l)
        return;
    l->count = nitems;
    memcpy(l->items, vals, nitems * sizeof(value));
    value lv = {0};
    lv.kind = VK_LIST;
    lv.as.list = l;
    out->required_when_field = slot;
    out->required_when_values = mb_const(s->b, mb_type(s->b, TK_LIST, enum_type), lv);
    if (!sema_is_optional(s, out->type))
        diag_error(s->diags, f->loc, "a field with `required when` must be optional (%s?)",
                   sema_type_name(s, out->type));
}

static void check_annotations(sema *s, const ast_record *r, uint32_t rec,
                              const ast_field *f, uint32_t slot, uint32_t type)
{
    if (!f->annotations)
        return;
    bool is_root = rec == s->root_record;
    if (!is_root) {
        diag_error(s->diags, f->loc,
                   "key, label and tag mark fields of the schema's root record, not of %s",
                   r->name.name);
        return;
    }
    bc_schema *sch = &s->b->m->schema;
    bool is_string = sema_kind(s, type, true) == TK_STRING;
    if (f->annotations & FIELD_ANN_KEY) {
        if (!is_string || sema_is_optional(s, type))
            diag_error(s->diags, f->loc, "the key field must be a string (not optional)");
        sch->key_field = slot;
    }
    if (f->annotations & FIELD_ANN_LABEL) {
        if (!is_string)
            diag_error(s->diags, f->loc, "the label field must be a string");
        sch->label_field = slot;
    }
    if (f->annotations & FIELD_ANN_TAG) {
        if (!is_string)
            diag_error(s->diags, f->loc, "the tag field must be a string");
        sch->tag_field = slot;
    }
}

/* Add one field to record rec: its slot, type, default and condition.
 * Returns the slot, or BC_NONE when out of memory. */
static uint32_t build_field(sema *s, uint32_t file, const ast_record *r, uint32_t rec,
                            const ast_field *f)
{
    uint32_t type = sema_resolve_type(s, file, f->type);
    bool unknown_type = type == TY_ERROR;
    if (unknown_type)
        type = s->t_string; /* keep slots aligned; the error is reported */
    type_kind k = sema_kind(s, type, false);
    bool required = k != TK_OPTIONAL && k != TK_LIST && k != TK_MAP && !f->default_value;
    uint32_t slot = mb_field(s->b, rec, f->name.name, type, required ? FIELD_REQUIRED : 0);
    if (s->b->failed)
        return BC_NONE;
    if (unknown_type && !vec_push(s->alloc, &s->bad_fields, (uint64_t)rec << 32 | slot))
        s->c->oom = true;
    bc_field *bf = mb_field_ptr(s->b, rec, slot);
    if (f->default_value)
        bf->default_value = default_const(s, f, type);
    if (f->required_when)
        required_when(s, r, rec, f, bf);
    check_annotations(s, r, rec, f, slot, type);
    return slot;
}

static void build_record_fields(sema *s, uint32_t file, ast_record *r)
{
    type_info *ti = symtab_get(&s->types, r->name.name);
    if (!ti || ti->file != file || ti->is_enum)
        return; /* a duplicate, already reported */
    uint32_t rec = ti->index;
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ast_field *f = &r->fields[i];
        if (sema_field_slot(s, rec, f->name.name) != BC_NONE) {
            diag_error(s->diags, f->name.loc, "%s already has a field '%s'", r->name.name,
                       f->name.name);
            continue;
        }
        if (build_field(s, file, r, rec, f) == BC_NONE)
            return;
    }
}

/* ------------------------------------------------------------ extensions */

/* `extend record R` adds fields to a record another declaration declares
 * (docs/language.md, "Extending the data").  Every partner file valid
 * before must stay valid, so an added field is never required; a name
 * is a field of a record once, whoever adds it. */

static void suggest_record(sema *s, const char *name)
{
    const char *cands[512];
    size_t n = 0;
    for (uint32_t i = 0; i < s->types.len && n < 512; i++) {
        const type_info *ti = s->types.items[i].value;
        if (s->types.items[i].key && !ti->is_enum)
            cands[n++] = s->types.items[i].key;
    }
    const char *best = suggest_name(name, cands, n);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
    else
        diag_hint(s->diags, "a record is extended where the module that declares it is "
                            "imported (the standard Partner: `import apn.partner`)");
}

/* The record an extension in `file` names, or NULL after reporting: it
 * must be declared, a record, and visible from the file. */
static const type_info *extended_record(sema *s, uint32_t file, const ast_record *ext)
{
    const char *name = ext->name.name;
    const type_info *ti = symtab_get(&s->types, name);
    if (!ti) {
        diag_error(s->diags, ext->name.loc, "cannot extend record '%s': no record has that name",
                   name);
        suggest_record(s, name);
        return NULL;
    }
    if (ti->is_enum) {
        diag_error(s->diags, ext->name.loc, "cannot extend '%s': it is an enum, not a record",
                   name);
        return NULL;
    }
    if (!sema_visible(s, file, ti->file)) {
        diag_error(s->diags, ext->name.loc,
                   "cannot extend record '%s': it is declared in %s, which this file does not "
                   "import",
                   name, sema_origin(s, ti->file));
        if (module_of(s, ti->file))
            diag_hint(s->diags, "add `import %s`", module_of(s, ti->file));
        else
            sema_hint_import(s, ti->file);
        return NULL;
    }
    return ti;
}

/* The field `name` of the record declared at ti->loc, if it declares it. */
static const ast_field *declared_field(const sema *s, const type_info *ti, const char *name)
{
    const ast_file *ast = s->c->files.items[ti->file].ast;
    for (uint32_t i = 0; ast && i < ast->nitems; i++) {
        const ast_record *r = ast->items[i].u.record;
        if (ast->items[i].kind != ITEM_RECORD || r->name.loc.line != ti->loc.line ||
            r->name.loc.col != ti->loc.col)
            continue;
        for (uint32_t k = 0; k < r->nfields; k++)
            if (strcmp(r->fields[k].name.name, name) == 0)
                return &r->fields[k];
    }
    return NULL;
}

/* The field `name` that an extension applied before `field` added to the
 * record ti, and its file; NULL if none did. */
static const ast_field *added_field(const sema *s, const type_info *ti, const char *name,
                                    const ast_field *field, uint32_t *file)
{
    for (uint32_t k = 0; k < s->c->files.len; k++) {
        *file = s->file_order[k];
        const ast_file *ast = s->c->files.items[*file].ast;
        for (uint32_t i = 0; ast && i < ast->nitems; i++) {
            const ast_record *ext = ast->items[i].u.record;
            if (ast->items[i].kind != ITEM_EXTEND || strcmp(ext->name.name, ti->name) != 0 ||
                !sema_visible(s, *file, ti->file))
                continue;
            for (uint32_t j = 0; j < ext->nfields; j++) {
                if (&ext->fields[j] == field)
                    return NULL;
                if (strcmp(ext->fields[j].name.name, name) == 0)
                    return &ext->fields[j];
            }
        }
    }
    return NULL;
}

/* An extension's field whose name the record already has: name both. */
static void report_field_taken(sema *s, uint32_t file, const type_info *ti, const ast_field *f)
{
    const ast_field *base = declared_field(s, ti, f->name.name);
    if (base) {
        diag_error(s->diags, f->name.loc, "%s already has a field '%s', declared %s", ti->name,
                   f->name.name, where_declared(s, file, ti->file, base->name.loc));
        diag_hint(s->diags, "an extension adds new fields: give this one another name");
        return;
    }
    uint32_t other_file = file;
    const ast_field *other = added_field(s, ti, f->name.name, f, &other_file);
    ast_loc loc = other ? other->name.loc : f->name.loc;
    diag_error(s->diags, f->name.loc, "field '%s' is already added to %s %s", f->name.name,
               ti->name, where_declared(s, file, other_file, loc));
    diag_hint(s->diags, "a field is added to a record once: give one of them another name");
}

/* An added field without the annotations and conditions it cannot have
 * (reported): the root's roles are given where it is declared, and a
 * condition could make partner files that were valid invalid. */
static ast_field extension_field(sema *s, const ast_field *f)
{
    ast_field plain = *f;
    if (f->annotations)
        diag_error(s->diags, f->loc, "an added field cannot be key, label or tag: they are "
                                     "given where the record is declared");
    if (f->required_when)
        diag_error(s->diags, f->required_when->loc,
                   "an added field cannot be `required when`: partner files without it must "
                   "stay valid");
    plain.annotations = 0;
    plain.required_when = NULL;
    return plain;
}

static void build_extension(sema *s, uint32_t file, const ast_record *ext)
{
    const type_info *ti = extended_record(s, file, ext);
    if (!ti)
        return;
    for (uint32_t i = 0; i < ext->nfields; i++) {
        const ast_field *f = &ext->fields[i];
        if (sema_field_slot(s, ti->index, f->name.name) != BC_NONE) {
            report_field_taken(s, file, ti, f);
            continue;
        }
        ast_field plain = extension_field(s, f);
        uint32_t slot = build_field(s, file, ext, ti->index, &plain);
        if (slot == BC_NONE)
            return;
        uint32_t type = sema_field_type(s, ti->index, slot);
        if (type == TY_ERROR || !(mb_field_ptr(s->b, ti->index, slot)->flags & FIELD_REQUIRED))
            continue;
        diag_error(s->diags, f->loc,
                   "field '%s' added to %s must not be required: partner files without it "
                   "must stay valid",
                   f->name.name, ti->name);
        diag_hint(s->diags, "make it `%s?`, a list, or give it a default (`= value`)",
                  sema_type_name(s, type));
    }
}

/* After every record's own fields, the extensions, each module's before
 * the files that import it (the order of the fields in the bytecode). */
static void build_extensions(sema *s)
{
    for (uint32_t k = 0; k < s->c->files.len; k++) {
        uint32_t f = s->file_order[k];
        const ast_file *ast = s->c->files.items[f].ast;
        for (uint32_t i = 0; ast && i < ast->nitems; i++)
            if (ast->items[i].kind == ITEM_EXTEND)
                build_extension(s, f, ast->items[i].u.record);
    }
}

static void build_schema(sema *s)
{
    s->root_record = BC_NONE;
    s->root_type = TY_ERROR;
    if (!s->schema)
        return;
    type_info *ti = symtab_get(&s->types, s->schema->root.name);
    if (!ti || ti->is_enum) {
        diag_error(s->diags, s->schema->root.loc, "the schema's root must be a record; '%s' %s",
                   s->schema->root.name, ti ? "is an enum" : "is not declared");
        return;
    }
    s->root_record = ti->index;
    s->root_type = ti->type;
    mb_schema(s->b, s->schema->id, ti->index, BC_NONE, BC_NONE, BC_NONE);
}

static void build_fields(sema *s)
{
    for (uint32_t f = 0; f < s->c->files.len; f++) {
        ast_file *ast = s->c->files.items[f].ast;
        for (uint32_t i = 0; ast && i < ast->nitems; i++)
            if (ast->items[i].kind == ITEM_RECORD)
                build_record_fields(s, f, ast->items[i].u.record);
    }
    build_extensions(s);
    if (s->root_record != BC_NONE && s->b->m->schema.key_field == BC_NONE)
        diag_error(s->diags, s->schema->loc,
                   "the root record %s needs a field marked `key` (the partner id)",
                   s->schema->root.name);
}

/* ------------------------------------------------------------ fns */

/* Is fn the function a decision table is read as?  (Its inputs are
 * limited by the table's own check.) */
static bool is_table_fn(const sema *s, const fn_info *fi)
{
    const ast_file *ast = s->c->files.items[fi->file].ast;
    for (uint32_t i = 0; ast && i < ast->nitems; i++)
        if (ast->items[i].kind == ITEM_TABLE && ast->items[i].u.table->fn == fi->ast)
            return true;
    return false;
}

static void resolve_fn_signatures(sema *s)
{
    for (uint32_t i = 0; i < s->fn_list.len; i++) {
        fn_info *fi = s->fn_list.items[i];
        ast_fn *fn = fi->ast;
        /* Arguments and captured parameters sit on one chunk's stack. */
        if (fn->nparams > SEMA_MAX_PARAMS && !is_table_fn(s, fi))
            diag_error(s->diags, fn->name.loc, "function '%s' has %u parameters; at most %u",
                       fn->name.name, fn->nparams, SEMA_MAX_PARAMS);
        fi->param_types = arena_calloc(s->mem, fn->nparams ? fn->nparams : 1, sizeof(uint32_t));
        if (!fi->param_types) {
            s->c->oom = true;
            return;
        }
        for (uint32_t p = 0; p < fn->nparams; p++) {
            for (uint32_t q = 0; q < p; q++)
                if (strcmp(fn->params[q].name.name, fn->params[p].name.name) == 0)
                    diag_error(s->diags, fn->params[p].name.loc,
                               "parameter '%s' is declared twice", fn->params[p].name.name);
            fi->param_types[p] = sema_resolve_type(s, fi->file, fn->params[p].type);
        }
        fi->ret_type = sema_resolve_type(s, fi->file, fn->ret);
    }
}

/* ------------------------------------------------------------ run */

static void init_types(sema *s)
{
    s->t_int = mb_type(s->b, TK_INT, 0);
    s->t_money = mb_type(s->b, TK_MONEY, 0);
    s->t_date = mb_type(s->b, TK_DATE, 0);
    s->t_month = mb_type(s->b, TK_MONTH, 0);
    s->t_bool = mb_type(s->b, TK_BOOL, 0);
    s->t_string = mb_type(s->b, TK_STRING, 0);
    s->t_interval = mb_type(s->b, TK_INTERVAL, 0);
}

bool sema_run(sema *s, compiler *c, mbuild *b)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->b = b;
    s->diags = &c->diags;
    s->mem = &c->mem;
    s->alloc = &c->alloc;
    symtab_init(&s->types, s->alloc);
    symtab_init(&s->lets, s->alloc);
    symtab_init(&s->fns, s->alloc);
    symtab_init(&s->programs, s->alloc);
    uint32_t errors_before = c->diags.errors;

    s->file_order = files_in_dependency_order(s);
    if (!s->file_order) {
        c->oom = true;
        return false;
    }
    init_types(s);
    collect_types(s);
    collect_names(s);
    build_schema(s);
    build_fields(s);
    resolve_fn_signatures(s);
    /* Bodies are checked against every declaration: not when memory ran
     * out before they were all made. */
    if (b->failed || compiler_out_of_memory(c)) {
        c->oom = true;
        return false;
    }
    for (uint32_t i = 0; i < s->fn_list.len; i++)
        sema_fn_check(s, s->fn_list.items[i], s->fn_list.items[i]->ast->loc);
    sema_check_tables(s);
    for (uint32_t i = 0; i < s->module_lets.len; i++)
        sema_let_type(s, s->module_lets.items[i], s->module_lets.items[i]->ast->loc);
    sema_check_programs(s);
    if (b->failed)
        c->oom = true;
    return c->diags.errors == errors_before && !c->oom;
}

void sema_free(sema *s)
{
    for (uint32_t i = 0; i < s->program_list.len; i++) {
        symtab_free(&s->program_list.items[i]->lets);
        symtab_free(&s->program_list.items[i]->overrides);
    }
    vec_free(s->alloc, &s->program_list);
    vec_free(s->alloc, &s->module_lets);
    vec_free(s->alloc, &s->fn_list);
    vec_free(s->alloc, &s->bad_fields);
    symtab_free(&s->types);
    symtab_free(&s->lets);
    symtab_free(&s->fns);
    symtab_free(&s->programs);
}
