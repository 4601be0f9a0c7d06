/*
 * ast_build.c — the vectors the grammar collects, and the tree's
 * expressions and declarations (ast_build.h).
 */
#include "ast_build.h"

#include <string.h>

#include "parse_ctx.h"

/* ------------------------------------------------------------ vectors */

void parse_vec_add(parse_ctx *ctx, parse_vec *v, const void *elem, size_t size)
{
    if (v->count == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 4;
        void *items = arena_alloc(ctx->mem, (size_t)cap * size);
        if (!items) {
            ctx->oom = true;
            ctx->fatal = true;
            return;
        }
        if (v->count)
            memcpy(items, v->items, (size_t)v->count * size);
        v->items = items;
        v->cap = cap;
    }
    memcpy((char *)v->items + (size_t)v->count * size, elem, size);
    v->count++;
}

/* Its capacity is implied by the count (parse_vec_add doubles from 4),
 * so appending to a finished list keeps amortized growth.  Once memory
 * ran out, nodes may be the scratch block and their arrays are not to be
 * trusted: empty. */
parse_vec parse_vec_of(parse_ctx *ctx, void *items, uint32_t count)
{
    if (ctx->oom) {
        parse_vec none = {0};
        return none;
    }
    uint32_t cap = count ? 4 : 0;
    while (cap < count)
        cap *= 2;
    parse_vec v = {items, count, cap};
    return v;
}

void parse_vec_add_ptr(parse_ctx *ctx, parse_vec *v, void *ptr)
{
    parse_vec_add(ctx, v, &ptr, sizeof ptr);
}

/* ------------------------------------------------------------ locations */

ast_loc ast_span(ast_loc from, ast_loc to)
{
    from.end_line = to.end_line;
    from.end_col = to.end_col;
    return from;
}

/* ------------------------------------------------------------ expressions */

/* An expression with the depth of its tree, known only to the parser:
 * deep trees are refused before a recursive pass could overflow. */
typedef struct parsed_expr {
    ast_expr expr;
    uint32_t depth;
} parsed_expr;

static uint32_t depth_of(const ast_expr *e)
{
    return e ? ((const parsed_expr *)(const void *)e)->depth : 0;
}

ast_expr *ast_new_expr(parse_ctx *ctx, ast_expr_kind kind, ast_loc loc)
{
    parsed_expr *p = parse_alloc(ctx, sizeof *p);
    p->expr.kind = kind;
    p->expr.loc = loc;
    p->depth = 1;
    return &p->expr;
}

/* Record the depth of e, one above its deepest child (d); a tree too deep
 * is reported once and replaced by a leaf. */
static ast_expr *deepen_to(parse_ctx *ctx, ast_expr *e, uint32_t d)
{
    if (d + 1 <= PARSE_MAX_EXPR_DEPTH) {
        ((parsed_expr *)(void *)e)->depth = d + 1;
        return e;
    }
    if (!ctx->depth_reported)
        parse_error(ctx, e->loc, "this expression is nested too deeply (more than %d levels)",
                    PARSE_MAX_EXPR_DEPTH);
    ctx->depth_reported = true;
    return ast_new_expr(ctx, EX_NULL, e->loc);
}

static ast_expr *deepen(parse_ctx *ctx, ast_expr *e, const ast_expr *a, const ast_expr *b,
                        const ast_expr *c)
{
    uint32_t d = depth_of(a);
    if (depth_of(b) > d)
        d = depth_of(b);
    if (depth_of(c) > d)
        d = depth_of(c);
    return deepen_to(ctx, e, d);
}

ast_expr *ast_literal_int(parse_ctx *ctx, ast_expr_kind kind, int64_t v, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, kind, loc);
    e->u.i = v;
    return e;
}

ast_expr *ast_literal_bool(parse_ctx *ctx, bool v, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_BOOL, loc);
    e->u.b = v;
    return e;
}

ast_expr *ast_name_expr(parse_ctx *ctx, const char *name, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_NAME, loc);
    e->u.name = name;
    return e;
}

ast_expr *ast_field_expr(parse_ctx *ctx, ast_expr *base, const char *name, ast_loc name_loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_FIELD, ast_span(base->loc, name_loc));
    e->u.field.base = base;
    e->u.field.name = name;
    e->u.field.name_loc = name_loc;
    return deepen(ctx, e, base, NULL, NULL);
}

ast_expr *ast_unary(parse_ctx *ctx, ast_op op, ast_expr *operand, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_UNARY, loc);
    e->u.unary.op = op;
    e->u.unary.operand = operand;
    return deepen(ctx, e, operand, NULL, NULL);
}

ast_expr *ast_binary(parse_ctx *ctx, ast_op op, ast_expr *l, ast_expr *r)
{
    ast_expr *e = ast_new_expr(ctx, EX_BINARY, ast_span(l->loc, r->loc));
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    return deepen(ctx, e, l, r, NULL);
}

ast_expr *ast_where_expr(parse_ctx *ctx, ast_expr_kind kind, ast_expr *list, ast_expr *pred,
                         ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, kind, loc);
    e->u.where.list = list;
    e->u.where.pred = pred;
    return deepen(ctx, e, list, pred, NULL);
}

ast_expr *ast_if_expr(parse_ctx *ctx, ast_expr *c, ast_expr *a, ast_expr *b, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_IF, loc);
    e->u.if_.cond = c;
    e->u.if_.then_ = a;
    e->u.if_.else_ = b;
    return deepen(ctx, e, c, a, b);
}

ast_expr *ast_interval(parse_ctx *ctx, ast_expr *lo, ast_expr *hi, bool lo_open, bool hi_open,
                       ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_INTERVAL, loc);
    e->u.interval.lo = lo;
    e->u.interval.hi = hi;
    e->u.interval.lo_open = lo_open;
    e->u.interval.hi_open = hi_open;
    return deepen(ctx, e, lo, hi, NULL);
}

static ast_expr_list expr_list(parse_vec v)
{
    ast_expr_list l = {v.items, v.count};
    return l;
}

static uint32_t list_depth(ast_expr_list l)
{
    uint32_t d = 0;
    for (uint32_t i = 0; i < l.count; i++)
        if (depth_of(l.items[i]) > d)
            d = depth_of(l.items[i]);
    return d;
}

ast_expr *ast_set_expr(parse_ctx *ctx, parse_vec items, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_SET, loc);
    e->u.set = expr_list(items);
    return deepen_to(ctx, e, list_depth(e->u.set));
}

ast_expr *ast_call(parse_ctx *ctx, const char *name, ast_loc name_loc, parse_vec args,
                   parse_vec by, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_CALL, loc);
    e->u.call.name = name;
    e->u.call.name_loc = name_loc;
    e->u.call.args = expr_list(args);
    e->u.call.by = expr_list(by);
    uint32_t d = list_depth(e->u.call.args);
    if (list_depth(e->u.call.by) > d)
        d = list_depth(e->u.call.by);
    return deepen_to(ctx, e, d);
}

ast_expr *ast_sustained(parse_ctx *ctx, ast_name tier, parse_vec except, ast_loc loc)
{
    ast_expr *e = ast_new_expr(ctx, EX_SUSTAINED, loc);
    e->u.sustained.tier = tier.name;
    e->u.sustained.tier_loc = tier.loc;
    e->u.sustained.nexcept = except.count;
    if (except.count) {
        const char **names = parse_alloc(ctx, except.count * sizeof *names);
        ast_loc *locs = parse_alloc(ctx, except.count * sizeof *locs);
        if (!ctx->oom) {
            for (uint32_t i = 0; i < except.count; i++) {
                names[i] = ((ast_name *)except.items)[i].name;
                locs[i] = ((ast_name *)except.items)[i].loc;
            }
            e->u.sustained.except = names;
            e->u.sustained.except_locs = locs;
        } else {
            e->u.sustained.nexcept = 0;
        }
    }
    return e;
}

/* ------------------------------------------------------------ declarations */

ast_name ast_make_name(const char *name, ast_loc loc)
{
    ast_name n = {name, loc};
    return n;
}

ast_name ast_dotted_append(parse_ctx *ctx, ast_name head, const char *seg, ast_loc seg_loc)
{
    size_t a = strlen(head.name), b = strlen(seg);
    char *s = parse_alloc(ctx, a + b + 2);
    if (!ctx->oom) {
        memcpy(s, head.name, a);
        s[a] = '.';
        memcpy(s + a + 1, seg, b + 1);
    }
    return ast_make_name(ctx->oom ? "" : s, ast_span(head.loc, seg_loc));
}

ast_type *ast_new_type(parse_ctx *ctx, ast_type_kind kind, const char *name, ast_type *elem,
                       ast_loc loc)
{
    ast_type *t = parse_alloc(ctx, sizeof *t);
    t->kind = kind;
    t->name = name;
    t->elem = elem;
    t->loc = loc;
    return t;
}

ast_type *ast_container_type(parse_ctx *ctx, const char *name, ast_loc name_loc,
                             ast_type *elem, ast_loc loc)
{
    if (strcmp(name, "list") == 0)
        return ast_new_type(ctx, TY_LIST, NULL, elem, loc);
    if (strcmp(name, "map") == 0)
        return ast_new_type(ctx, TY_MAP, NULL, elem, loc);
    parse_error(ctx, name_loc, "'%s of …' is not a type: only 'list of' and 'map of' take an "
                "element type", name);
    return elem;
}

uint8_t ast_field_annotation(parse_ctx *ctx, const char *name, ast_loc loc)
{
    if (strcmp(name, "key") == 0)
        return FIELD_ANN_KEY;
    if (strcmp(name, "label") == 0)
        return FIELD_ANN_LABEL;
    if (strcmp(name, "tag") == 0)
        return FIELD_ANN_TAG;
    parse_error(ctx, loc, "unknown field annotation '%s' (key, label or tag)", name);
    return 0;
}

ast_let *ast_new_let(parse_ctx *ctx, ast_name name, ast_type *type, ast_expr *value,
                     ast_loc loc)
{
    ast_let *l = parse_alloc(ctx, sizeof *l);
    l->name = name;
    l->type = type;
    l->value = value;
    l->loc = loc;
    return l;
}

void ast_add_item(parse_ctx *ctx, ast_item_kind kind, void *node)
{
    ast_item item = {.kind = kind};
    switch (kind) {
    case ITEM_RECORD:
        item.u.record = node;
        break;
    case ITEM_ENUM:
        item.u.enum_ = node;
        break;
    case ITEM_SCHEMA:
        item.u.schema = node;
        break;
    case ITEM_FN:
        item.u.fn = node;
        break;
    case ITEM_LET:
        item.u.let = node;
        break;
    case ITEM_PROGRAM:
        item.u.program = node;
        break;
    case ITEM_TABLE:
        item.u.table = node;
        break;
    case ITEM_EXTEND:
        item.u.record = node;
        break;
    }
    parse_vec_add(ctx, &ctx->items, &item, sizeof item);
}

void ast_add_extend(parse_ctx *ctx, const char *word, ast_loc word_loc, ast_name name,
                    parse_vec fields)
{
    if (ctx->oom || !ast_expect_word(ctx, word, "extend", word_loc))
        return;
    ast_record *r = parse_alloc(ctx, sizeof *r);
    r->name = name;
    r->fields = fields.items;
    r->nfields = fields.count;
    ast_add_item(ctx, ITEM_EXTEND, r);
}

void ast_set_once(parse_ctx *ctx, ast_expr **slot, ast_expr *value, ast_loc loc,
                  const char *what)
{
    if (ctx->oom)
        return;
    if (*slot) {
        parse_error(ctx, loc, "%s is given twice (first at line %u)", what, (*slot)->loc.line);
        return;
    }
    *slot = value;
}

bool ast_expect_word(parse_ctx *ctx, const char *word, const char *want, ast_loc loc)
{
    if (strcmp(word, want) == 0)
        return true;
    parse_error(ctx, loc, "expected '%s', found '%s'", want, word);
    return false;
}
