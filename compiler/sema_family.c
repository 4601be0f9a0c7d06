/*
 * sema_family.c — requirement families (docs/language.md, "Requirement
 * families"): `requirement audit_{area} "Audit: {area}" for each area in
 * AuditArea` is one requirement per value of the enum, or per string of a
 * list.
 *
 * A family is checked once, as written (its template), with its value
 * bound to the name; then each member is an ordinary requirement, a copy
 * of the template with the id and title of its value, so that overrides,
 * `sustained … except`, lowering and every result see ordinary
 * requirements.  Lowering binds each member's value (lower.c); a tiered
 * program's thresholds computed from the value are worked out here, per
 * member and per program (sema_const.c).
 */
#include <stdio.h>
#include <string.h>

#include "sema.h"

static const char *tn(sema *s, uint32_t t)
{
    return sema_type_name(s, t);
}

static family_info *info_of(const ast_req *tmpl)
{
    return tmpl->family ? tmpl->family->sema : NULL;
}

/* ------------------------------------------------------------ values */

/* The enum a family goes over, by name: its type, or TY_ERROR (reported). */
static uint32_t family_enum(sema *s, uint32_t file, const ast_expr *e)
{
    type_info *ti = symtab_get(&s->types, e->u.name);
    if (ti && ti->is_enum && !sema_visible(s, file, ti->file)) {
        diag_error(s->diags, e->loc, "enum '%s' is declared in %s, which this file does not "
                   "import", e->u.name, sema_origin(s, ti->file));
        sema_hint_import(s, ti->file);
        return TY_ERROR;
    }
    if (ti && ti->is_enum)
        return ti->type;
    if (ti) {
        diag_error(s->diags, e->loc, "'%s' is a record: a family goes over the values of an "
                   "enum or a list of strings", e->u.name);
        return TY_ERROR;
    }
    diag_error(s->diags, e->loc, "unknown enum '%s'", e->u.name);
    const char *cands[256];
    size_t n = 0;
    for (uint32_t i = 0; i < s->types.len && n < 256; i++) {
        const type_info *t = s->types.items[i].value;
        if (s->types.items[i].key && t->is_enum && sema_visible(s, file, t->file))
            cands[n++] = s->types.items[i].key;
    }
    const char *best = suggest_name(e->u.name, cands, n);
    if (best)
        diag_hint(s->diags, "did you mean '%s'?", best);
    return TY_ERROR;
}

static bool alloc_values(sema *s, family_info *fi, uint32_t n)
{
    fi->values = arena_calloc(s->mem, n ? n : 1, sizeof *fi->values);
    fi->texts = arena_calloc(s->mem, n ? n : 1, sizeof *fi->texts);
    if (!fi->values || !fi->texts) {
        s->c->oom = true;
        return false;
    }
    fi->count = n;
    return true;
}

static bool enum_values(sema *s, family_info *fi, uint32_t type)
{
    const bc_module *m = s->b->m;
    const bc_enum *en = &m->enums[m->types[type].arg];
    if (!alloc_values(s, fi, en->nvalues))
        return false;
    for (uint32_t i = 0; i < en->nvalues; i++) {
        fi->values[i] = value_enum(i);
        fi->texts[i] = module_str(m, en->values[i]);
    }
    fi->type = type;
    return true;
}

static bool string_values(sema *s, family_info *fi, const ast_expr *list)
{
    if (list->u.set.count == 0) {
        diag_error(s->diags, list->loc, "the list of a family is empty: it would make no "
                   "requirement");
        return false;
    }
    for (uint32_t i = 0; i < list->u.set.count; i++) {
        const ast_expr *item = list->u.set.items[i];
        if (item->kind != EX_STRING) {
            diag_error(s->diags, item->loc, "the values of a family's list are strings, such "
                       "as {\"Amazon RDS\", \"Amazon EC2\"}");
            return false;
        }
    }
    if (!alloc_values(s, fi, list->u.set.count))
        return false;
    for (uint32_t i = 0; i < fi->count; i++) {
        const ast_expr *item = list->u.set.items[i];
        fi->values[i] = value_string(item->u.str.ptr, item->u.str.len);
        fi->texts[i] = item->u.str.ptr;
    }
    fi->type = s->t_string;
    return true;
}

/* The values of a family: an enum's, in declaration order, or the strings
 * of a list. */
static bool resolve_values(sema *s, uint32_t file, family_info *fi)
{
    const ast_expr *v = fi->ast->values;
    if (v->kind == EX_NAME) {
        uint32_t t = family_enum(s, file, v);
        return t != TY_ERROR && enum_values(s, fi, t);
    }
    if (v->kind == EX_SET)
        return string_values(s, fi, v);
    diag_error(s->diags, v->loc, "a family goes over the values of an enum (for each area in "
               "AuditArea) or a list of strings ({\"Amazon RDS\", \"Amazon EC2\"})");
    return false;
}

/* ------------------------------------------------------------ the bound name */

static const char *what_is_hidden(ref_kind ref)
{
    switch (ref) {
    case REF_LET:
        return "a let";
    case REF_ROOT_FIELD:
        return "a field of the partner";
    case REF_LOCAL:
        return "the item";
    case REF_LOCAL_FIELD:
        return "a field of the item";
    case REF_FAMILY:
        return "the value of the family it is in";
    default:
        return "a name";
    }
}

/* A let of the requirement or of one of its parts with the value's name. */
static const ast_let *let_named(const ast_req *req, const char *name)
{
    for (uint32_t i = 0; i < req->nlets; i++)
        if (strcmp(req->lets[i]->name.name, name) == 0)
            return req->lets[i];
    for (uint32_t i = 0; i < req->parts.count; i++) {
        const ast_let *let = let_named(req->parts.items[i], name);
        if (let)
            return let;
    }
    return NULL;
}

/* The value's name may mean nothing else in the requirement: neither a
 * name it would hide nor one that would hide it. */
static bool check_bound_name(sema *s, scope *sc, const ast_req *tmpl, const family_info *fi)
{
    const ast_name *bound = &fi->ast->bound;
    ref_kind ref = sema_name_ref(s, sc, bound->name);
    if (ref != REF_NONE) {
        diag_error(s->diags, bound->loc, "the family's value '%s' would hide %s of the same "
                   "name", bound->name, what_is_hidden(ref));
        diag_hint(s->diags, "give the value a name of its own: for each %s_value in …",
                  bound->name);
        return false;
    }
    const ast_let *let = let_named(tmpl, bound->name);
    if (let) {
        diag_error(s->diags, let->name.loc, "'%s' is the name of the family's value: a let "
                   "of the family cannot have it", bound->name);
        return false;
    }
    for (uint32_t i = 0; fi->type != s->t_string && i < fi->count; i++) {
        if (strcmp(fi->texts[i], bound->name) == 0) {
            diag_error(s->diags, bound->loc, "'%s' is a value of %s: the family's value needs "
                       "another name", bound->name, tn(s, fi->type));
            return false;
        }
    }
    return true;
}

bool sema_family_hidden(sema *s, const scope *sc, const ast_expr *e, ref_kind found)
{
    if (found != REF_LOCAL && found != REF_LOCAL_FIELD)
        return false;
    bool in_element = false;
    for (const scope *p = sc; p; p = p->parent) {
        if (p->kind == SC_ELEM)
            in_element = true;
        const ast_family *fam = p->kind == SC_REQ ? p->req->family : NULL;
        if (!fam || strcmp(fam->bound.name, e->u.name) != 0)
            continue;
        if (!in_element)
            return false;
        diag_error(s->diags, e->loc, "'%s' is here %s, which hides the family's value '%s'",
                   e->u.name, found == REF_LOCAL ? "the element" : "a field of the element",
                   e->u.name);
        diag_hint(s->diags, "write it.%s for the field, and give the family's value another "
                  "name (for each %s_value in …)", e->u.name, e->u.name);
        return true;
    }
    return false;
}

const family_info *sema_family_around(const scope *sc)
{
    for (; sc; sc = sc->parent)
        if (sc->kind == SC_REQ && sc->req->family)
            return sc->req->family->sema;
    return NULL;
}

/* ------------------------------------------------------------ ids and titles */

/* Each `{NAME}` in text: the next one at or after *at, its name's span in
 * [*name, *name + *len) and its end after it; false when none is left.
 * Only braces around a name count: "{}" and "{a b}" are text. */
static bool next_placeholder(const char *text, size_t *at, size_t *name, size_t *len)
{
    for (const char *open = strchr(text + *at, '{'); open; open = strchr(open + 1, '{')) {
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789_");
        if (n && open[1 + n] == '}') {
            *name = (size_t)(open - text) + 1;
            *len = n;
            *at = *name + n + 1;
            return true;
        }
    }
    return false;
}

/* Every placeholder of text names the value; the id needs one. */
static bool check_placeholders(sema *s, const char *text, ast_loc loc, const char *bound,
                               const char *what, bool needed)
{
    size_t at = 0, name, len, found = 0;
    while (next_placeholder(text, &at, &name, &len)) {
        if (len != strlen(bound) || memcmp(text + name, bound, len) != 0) {
            diag_error(s->diags, loc, "{%.*s} in the %s is not the family's value: write {%s}",
                       (int)len, text + name, what, bound);
            return false;
        }
        found++;
    }
    if (needed && !found) {
        diag_error(s->diags, loc, "the id of a family names its value, such as %s_{%s}, so "
                   "that each requirement has an id of its own", text, bound);
        return false;
    }
    return true;
}

/* text with each placeholder (all name the value) replaced by `by`, in
 * the arena. */
static char *substitute(sema *s, const char *text, const char *by)
{
    strbuf sb;
    sb_init(&sb, s->alloc);
    size_t at = 0, copied = 0, name, len;
    while (next_placeholder(text, &at, &name, &len)) {
        sb_append(&sb, text + copied, name - 1 - copied);
        sb_puts(&sb, by);
        copied = at;
    }
    sb_puts(&sb, text + copied);
    char *r = sb.failed ? NULL : arena_strndup(s->mem, sb.data ? sb.data : "", sb.len);
    sb_free(&sb);
    if (!r)
        s->c->oom = true;
    return r;
}

/* What {NAME} becomes in an id: an enum value's name, or the string's
 * letters and digits in lower case, every other run of bytes one '_'
 * ("SLAs & Reporting" is slas_reporting); "" when it has none. */
static const char *id_text(sema *s, const family_info *fi, uint32_t i)
{
    if (fi->type != s->t_string)
        return fi->texts[i];
    value v = fi->values[i];
    char *out = arena_alloc(s->mem, (size_t)v.len + 1);
    if (!out) {
        s->c->oom = true;
        return NULL;
    }
    size_t n = 0;
    bool gap = false;
    for (uint32_t k = 0; k < v.len; k++) {
        char c = v.as.s[k];
        bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!word) {
            gap = true;
            continue;
        }
        if (gap && n)
            out[n++] = '_';
        gap = false;
        out[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return out;
}

/* Where a value is written: a string of the list, or the enum's name. */
static ast_loc value_loc(const family_info *fi, uint32_t i)
{
    const ast_expr *v = fi->ast->values;
    return v->kind == EX_SET ? v->u.set.items[i]->loc : v->loc;
}

/* The id of member i, which no other member has (seen: ids so far).  It
 * is a name: the id starts with a word (the grammar's), and what the
 * value gives it is letters, digits and '_'. */
static const char *member_id(sema *s, const ast_req *tmpl, family_info *fi, uint32_t i,
                             symtab *seen)
{
    ast_loc at = value_loc(fi, i);
    const char *text = id_text(s, fi, i);
    if (text && !text[0]) {
        diag_error(s->diags, at, "no id can be made of \"%s\": it has no ASCII letter or digit",
                   fi->texts[i]);
        return NULL;
    }
    const char *id = text ? substitute(s, tmpl->id.name, text) : NULL;
    if (!id)
        return NULL;
    const char *other = symtab_get(seen, id);
    if (other) {
        diag_error(s->diags, at, "the family '%s' makes the id '%s' twice: of \"%s\" and of "
                   "\"%s\"", tmpl->id.name, id, other, fi->texts[i]);
        return NULL;
    }
    if (!symtab_put(seen, id, (void *)fi->texts[i]))
        s->c->oom = true;
    return id;
}

/* ------------------------------------------------------------ members */

static bool make_members(sema *s, ast_req *tmpl, family_info *fi)
{
    fi->members = arena_calloc(s->mem, fi->count, sizeof *fi->members);
    if (!fi->members) {
        s->c->oom = true;
        return false;
    }
    symtab seen;
    symtab_init(&seen, s->alloc);
    bool ok = true;
    for (uint32_t i = 0; i < fi->count && !s->c->oom; i++) {
        const char *id = member_id(s, tmpl, fi, i, &seen);
        ast_req *m = arena_alloc(s->mem, sizeof *m);
        ok = ok && id && m;
        if (!id || !m)
            continue;
        *m = *tmpl;
        m->id.name = id;
        m->title = tmpl->title ? substitute(s, tmpl->title, fi->texts[i]) : NULL;
        m->template_req = tmpl;
        m->member = i;
        fi->members[i] = m;
    }
    symtab_free(&seen);
    return ok && !s->c->oom;
}

/* The family's values and members; false when it has none to give (the
 * template then stays, to be checked on its own). */
static bool expand(sema *s, scope *sc, ast_req *tmpl)
{
    family_info *fi = arena_calloc(s->mem, 1, sizeof *fi);
    if (!fi) {
        s->c->oom = true;
        return false;
    }
    fi->ast = tmpl->family;
    fi->type = TY_ERROR;
    tmpl->family->sema = fi;
    const char *bound = tmpl->family->bound.name;
    bool ok = check_placeholders(s, tmpl->id.name, tmpl->id.loc, bound, "id", true);
    if (tmpl->title)
        ok = check_placeholders(s, tmpl->title, tmpl->title_loc, bound, "title", false) && ok;
    if (!resolve_values(s, sc->file, fi)) {
        fi->type = TY_ERROR;
        return false;
    }
    ok = check_bound_name(s, sc, tmpl, fi) && ok;
    return ok && make_members(s, tmpl, fi);
}

void sema_expand_families(sema *s, scope *sc, ast_req_list *list)
{
    bool any = false;
    for (uint32_t i = 0; i < list->count; i++)
        any = any || (list->items[i]->family && !list->items[i]->template_req);
    if (!any || !sc)
        return;
    VEC(ast_req *) out = {0};
    for (uint32_t i = 0; i < list->count && !s->c->oom; i++) {
        ast_req *req = list->items[i];
        bool tmpl = req->family && !req->template_req;
        if (!tmpl || !expand(s, sc, req)) {
            if (!vec_push(s->alloc, &out, req))
                s->c->oom = true;
            continue;
        }
        const family_info *fi = info_of(req);
        for (uint32_t m = 0; m < fi->count; m++)
            if (!vec_push(s->alloc, &out, fi->members[m]))
                s->c->oom = true;
    }
    ast_req **items = arena_calloc(s->mem, out.len ? out.len : 1, sizeof *items);
    if (items && !s->c->oom) {
        if (out.len)
            memcpy(items, out.items, out.len * sizeof *items);
        *list = (ast_req_list){items, (uint32_t)out.len};
    } else {
        s->c->oom = true;
    }
    vec_free(s->alloc, &out);
}

void sema_family_share_parts(const ast_req *tmpl)
{
    const family_info *fi = info_of(tmpl);
    for (uint32_t i = 0; fi && fi->members && i < fi->count; i++)
        if (fi->members[i])
            fi->members[i]->parts = tmpl->parts;
}

value sema_family_value(const family_binding *b, const family_info *f)
{
    for (; b; b = b->outer)
        if (b->family == f)
            return b->family->values[b->member];
    return value_null();
}

/* ------------------------------------------------------------ size */

/* Requirements and parts below req, itself included, counted up to just
 * past limit: members of families of parts multiply. */
static uint32_t count_nodes(const ast_req *req, uint32_t limit)
{
    uint32_t n = 1;
    for (uint32_t i = 0; i < req->parts.count && n <= limit; i++)
        n += count_nodes(req->parts.items[i], limit - n + 1);
    return n;
}

bool sema_family_size_ok(sema *s, prog_info *pi)
{
    uint32_t n = 0;
    for (uint32_t c = 0; c < pi->ncategories && n <= SEMA_MAX_NODES; c++)
        for (uint32_t r = 0; r < pi->categories[c].reqs.count && n <= SEMA_MAX_NODES; r++)
            n += count_nodes(pi->categories[c].reqs.items[r], SEMA_MAX_NODES - n);
    if (n <= SEMA_MAX_NODES)
        return true;
    diag_error(s->diags, pi->ast->id_loc, "program \"%s\" has more than %u requirements and "
               "parts, its families' members counted", pi->ast->id, SEMA_MAX_NODES);
    pi->failed = true;
    return false;
}

/* ------------------------------------------------------------ thresholds */

static bool has_computed_column(const ast_threshold *th)
{
    for (uint32_t i = 0; i < th->ncolumns; i++)
        if (th->columns[i] && !sema_literal_column(th->columns[i]))
            return true;
    return false;
}

/* The literal a computed column came to: a number or an amount. */
static ast_expr *literal_of(sema *s, const ast_expr *column, value v)
{
    ast_expr *lit = arena_calloc(s->mem, 1, sizeof *lit);
    if (!lit) {
        s->c->oom = true;
        return NULL;
    }
    lit->kind = v.kind == VK_MONEY ? EX_MONEY : EX_INT;
    lit->loc = column->loc;
    lit->u.i = v.as.i;
    lit->sema.type = v.kind == VK_MONEY ? s->t_money : s->t_int;
    return lit;
}

/* The walk over a program's requirements: the columns that could not be
 * worked out (for one member: reported once, not for every member). */
typedef struct computing {
    sema *s;
    prog_info *pi;
    VEC(const ast_expr *) failed;
} computing;

static bool failed_before(const computing *cp, const ast_expr *c)
{
    for (size_t i = 0; i < cp->failed.len; i++)
        if (cp->failed.items[i] == c)
            return true;
    return false;
}

/* The threshold of the node at path, its computed columns worked out. */
static void compute_threshold(computing *cp, const ast_req *req, const char *path,
                              const family_binding *b)
{
    sema *s = cp->s;
    const ast_threshold *th = &req->threshold;
    computed_threshold *ct = arena_calloc(s->mem, 1, sizeof *ct);
    ast_expr **columns = arena_calloc(s->mem, th->ncolumns, sizeof *columns);
    if (!ct || !columns) {
        s->c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < th->ncolumns; i++) {
        ast_expr *c = th->columns[i];
        columns[i] = c;
        if (!c || sema_literal_column(c))
            continue;
        value v;
        if (c->sema.type == TY_ERROR || failed_before(cp, c))
            return;
        if (!sema_const_eval(s, cp->pi, b, c, path, &v)) {
            if (!vec_push(s->alloc, &cp->failed, c))
                s->c->oom = true;
            return;
        }
        columns[i] = literal_of(s, c, v);
        if (!columns[i])
            return;
    }
    ct->path = path;
    ct->threshold = *th;
    ct->threshold.columns = columns;
    ct->next = cp->pi->computed;
    cp->pi->computed = ct;
}

static const char *join_path(sema *s, const char *parent, const char *id)
{
    if (!parent)
        return id;
    size_t a = strlen(parent), b = strlen(id);
    char *r = arena_alloc(s->mem, a + b + 2);
    if (!r) {
        s->c->oom = true;
        return id;
    }
    memcpy(r, parent, a);
    r[a] = '.';
    memcpy(r + a + 1, id, b + 1);
    return r;
}

/* Every node under req, with the values of the members it is in. */
static void compute_under(computing *cp, const ast_req *req, const char *parent,
                          const family_binding *outer)
{
    family_binding here;
    const family_binding *b = outer;
    if (req->template_req) {
        here = (family_binding){info_of(req->template_req), req->member, outer};
        b = &here;
    }
    const char *path = join_path(cp->s, parent, req->id.name);
    if (b && !req->either && req->measure && has_computed_column(&req->threshold))
        compute_threshold(cp, req, path, b);
    for (uint32_t i = 0; i < req->parts.count && !cp->s->c->oom; i++)
        compute_under(cp, req->parts.items[i], path, b);
}

void sema_family_thresholds(sema *s, prog_info *pi)
{
    computing cp = {s, pi, {0}};
    for (uint32_t c = 0; c < pi->ncategories; c++)
        for (uint32_t r = 0; r < pi->categories[c].reqs.count && !s->c->oom; r++)
            compute_under(&cp, pi->categories[c].reqs.items[r], NULL, NULL);
    vec_free(s->alloc, &cp.failed);
}

const ast_threshold *sema_computed_threshold(const prog_info *pi, const char *path)
{
    for (const computed_threshold *ct = pi->computed; ct; ct = ct->next)
        if (strcmp(ct->path, path) == 0)
            return &ct->threshold;
    return NULL;
}
