/*
 * parser.y — the grammar of the Rubric language (docs/language.md).
 *
 * A pure parser fed by the layout layer of lexer.l, which turns the
 * indentation into NEWLINE, INDENT and DEDENT tokens.  Actions only build
 * the tree of ast.h in the compilation's arena; every check of meaning is
 * left to the semantic passes.
 *
 * Error recovery is by line: each block's statement list has an
 * `error NEWLINE` alternative, so a bad line costs one diagnostic and the
 * parser carries on with the next one (the layout layer also drops any
 * block indented under the bad line).
 */
%code requires {
#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "mem.h"

typedef struct parse_ctx parse_ctx;

/* A growable array of structs or pointers in the parse arena. */
typedef struct parse_vec {
    void *items;
    uint32_t count, cap;
} parse_vec;

/* A measure with its threshold: `count(staff)   at least 2 | 4`. */
typedef struct parse_measure {
    ast_expr *expr;
    ast_threshold threshold;
} parse_measure;
}

%code provides {
#include <stdarg.h>

/* Limits that keep hostile input from exhausting memory or the stack. */
enum {
    PARSE_MAX_BRACKETS = 200,   /* nested (), [] and {}            */
    PARSE_MAX_BLOCKS = 100,     /* nested indented blocks          */
    PARSE_MAX_EXPR_DEPTH = 500, /* depth of one expression's tree  */
    PARSE_MAX_ERRORS = 50       /* syntax errors before giving up  */
};

/* A token read by flex, held back while the layout layer emits NEWLINE,
 * INDENT or DEDENT before it. */
typedef struct parse_token {
    int kind;
    RBP_STYPE value;
    ast_loc loc;
    uint32_t offset, len; /* its bytes in the source */
} parse_token;

struct parse_ctx {
    arena *mem;
    diag_list *diags;
    uint32_t file;
    const char *text;
    size_t len;
    void *scanner;            /* the flex scanner */
    uint32_t offset;          /* bytes scanned so far */
    uint32_t line, col;       /* position of the next byte */
    uint32_t tok_offset, tok_len; /* the token just scanned */
    uint32_t bol_line, bol_width; /* indentation of the last indented line */

    /* What was parsed so far. */
    ast_file *out;
    parse_vec items, imports;

    uint32_t errors;          /* diagnostics reported by this parse */
    bool fatal;               /* a limit was hit: stop reading tokens */
    bool oom;
    bool depth_reported;

    /* Layout (lexer.l). */
    uint32_t indents[PARSE_MAX_BLOCKS + 1];
    uint32_t nindents;
    uint32_t brackets;        /* open (, [, { */
    bool line_open;           /* a token was returned since the last NEWLINE */
    uint32_t line_indent;     /* indentation of the current logical line */
    parse_token last;         /* the last token returned to the parser */
    parse_token prev;         /* and the one before it */
    uint32_t skipped_line;    /* the line of the last syntax error */
    parse_token held;         /* read, not yet returned */
    bool have_held;
    bool held_placed;         /* the layout before `held` is decided */
    bool pending_newline;
    bool pending_indent;
    uint32_t pending_dedents;
    bool skip_deeper;         /* a bad line ended: drop a block under it */
    bool skip_orphan;         /* an unexpected INDENT: drop that block */

    /* Returned when the arena is exhausted, so actions never see NULL. */
    _Alignas(16) unsigned char scratch[1024];
};

/* The layout layer and the scanner (lexer.l). */
int rbp_lex(RBP_STYPE *value, ast_loc *loc, parse_ctx *ctx);
bool lexer_open(parse_ctx *ctx);
void lexer_close(parse_ctx *ctx);

/* Report a syntax error; after PARSE_MAX_ERRORS stop the parse. */
void parse_error(parse_ctx *ctx, ast_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void parse_verror(parse_ctx *ctx, ast_loc loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* A copy of s[0..len) in the parse arena (never NULL). */
char *parse_strndup(parse_ctx *ctx, const char *s, size_t len);
}

%code {
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                       \
    do {                                                                  \
        if (N) {                                                          \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                           \
            (Cur).line = YYRHSLOC(Rhs, 1).line;                           \
            (Cur).col = YYRHSLOC(Rhs, 1).col;                             \
            (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                   \
            (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                     \
        } else {                                                          \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                           \
            (Cur).line = (Cur).end_line = YYRHSLOC(Rhs, 0).end_line;      \
            (Cur).col = (Cur).end_col = YYRHSLOC(Rhs, 0).end_col;         \
        }                                                                 \
    } while (0)

/* Far above what any rules file needs; the nesting limits keep real
 * input well below it. */
#define YYMAXDEPTH 5000

static void rbp_error(ast_loc *loc, parse_ctx *ctx, const char *msg);

/* ------------------------------------------------------------ memory */

static void *alloc0(parse_ctx *ctx, size_t size)
{
    void *p = arena_calloc(ctx->mem, 1, size);
    if (!p) {
        ctx->oom = true;
        ctx->fatal = true;
        memset(ctx->scratch, 0, sizeof ctx->scratch);
        return ctx->scratch;
    }
    return p;
}

static void vec_add(parse_ctx *ctx, parse_vec *v, const void *elem, size_t size)
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

/* A vector over an array that vec_add built: its capacity is implied by
 * the count (vec_add doubles from 4), so appending to a finished list
 * keeps amortized growth.  Once memory ran out, nodes may be the scratch
 * block and their arrays are not to be trusted: empty. */
static parse_vec vec_of(parse_ctx *ctx, void *items, uint32_t count)
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

static void vec_add_ptr(parse_ctx *ctx, parse_vec *v, void *ptr)
{
    vec_add(ctx, v, &ptr, sizeof ptr);
}

/* ------------------------------------------------------------ locations */

static ast_loc span(ast_loc from, ast_loc to)
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

static ast_expr *new_expr(parse_ctx *ctx, ast_expr_kind kind, ast_loc loc)
{
    parsed_expr *p = alloc0(ctx, sizeof *p);
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
    return new_expr(ctx, EX_NULL, e->loc);
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

static ast_expr *literal_int(parse_ctx *ctx, ast_expr_kind kind, int64_t v, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, kind, loc);
    e->u.i = v;
    return e;
}

static ast_expr *literal_bool(parse_ctx *ctx, bool v, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_BOOL, loc);
    e->u.b = v;
    return e;
}

static ast_expr *name_expr(parse_ctx *ctx, const char *name, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_NAME, loc);
    e->u.name = name;
    return e;
}

static ast_expr *field_expr(parse_ctx *ctx, ast_expr *base, const char *name, ast_loc name_loc)
{
    ast_expr *e = new_expr(ctx, EX_FIELD, span(base->loc, name_loc));
    e->u.field.base = base;
    e->u.field.name = name;
    e->u.field.name_loc = name_loc;
    return deepen(ctx, e, base, NULL, NULL);
}

static ast_expr *unary(parse_ctx *ctx, ast_op op, ast_expr *operand, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_UNARY, loc);
    e->u.unary.op = op;
    e->u.unary.operand = operand;
    return deepen(ctx, e, operand, NULL, NULL);
}

static ast_expr *binary(parse_ctx *ctx, ast_op op, ast_expr *l, ast_expr *r)
{
    ast_expr *e = new_expr(ctx, EX_BINARY, span(l->loc, r->loc));
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    return deepen(ctx, e, l, r, NULL);
}

static ast_expr *where_expr(parse_ctx *ctx, ast_expr_kind kind, ast_expr *list, ast_expr *pred,
                            ast_loc loc)
{
    ast_expr *e = new_expr(ctx, kind, loc);
    e->u.where.list = list;
    e->u.where.pred = pred;
    return deepen(ctx, e, list, pred, NULL);
}

static ast_expr *if_expr(parse_ctx *ctx, ast_expr *c, ast_expr *a, ast_expr *b, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_IF, loc);
    e->u.if_.cond = c;
    e->u.if_.then_ = a;
    e->u.if_.else_ = b;
    return deepen(ctx, e, c, a, b);
}

static ast_expr *interval(parse_ctx *ctx, ast_expr *lo, ast_expr *hi, bool lo_open, bool hi_open,
                          ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_INTERVAL, loc);
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

static ast_expr *set_expr(parse_ctx *ctx, parse_vec items, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_SET, loc);
    e->u.set = expr_list(items);
    return deepen_to(ctx, e, list_depth(e->u.set));
}

static ast_expr *call(parse_ctx *ctx, const char *name, ast_loc name_loc, parse_vec args,
                      parse_vec by, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_CALL, loc);
    e->u.call.name = name;
    e->u.call.name_loc = name_loc;
    e->u.call.args = expr_list(args);
    e->u.call.by = expr_list(by);
    uint32_t d = list_depth(e->u.call.args);
    if (list_depth(e->u.call.by) > d)
        d = list_depth(e->u.call.by);
    return deepen_to(ctx, e, d);
}

static ast_expr *sustained(parse_ctx *ctx, ast_name tier, parse_vec except, ast_loc loc)
{
    ast_expr *e = new_expr(ctx, EX_SUSTAINED, loc);
    e->u.sustained.tier = tier.name;
    e->u.sustained.tier_loc = tier.loc;
    e->u.sustained.nexcept = except.count;
    if (except.count) {
        const char **names = alloc0(ctx, except.count * sizeof *names);
        ast_loc *locs = alloc0(ctx, except.count * sizeof *locs);
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

static ast_name make_name(const char *name, ast_loc loc)
{
    ast_name n = {name, loc};
    return n;
}

/* "a.b" from the dotted name a and the next segment b. */
static ast_name dotted_append(parse_ctx *ctx, ast_name head, const char *seg, ast_loc seg_loc)
{
    size_t a = strlen(head.name), b = strlen(seg);
    char *s = alloc0(ctx, a + b + 2);
    if (!ctx->oom) {
        memcpy(s, head.name, a);
        s[a] = '.';
        memcpy(s + a + 1, seg, b + 1);
    }
    return make_name(ctx->oom ? "" : s, span(head.loc, seg_loc));
}

static ast_type *new_type(parse_ctx *ctx, ast_type_kind kind, const char *name, ast_type *elem,
                          ast_loc loc)
{
    ast_type *t = alloc0(ctx, sizeof *t);
    t->kind = kind;
    t->name = name;
    t->elem = elem;
    t->loc = loc;
    return t;
}

/* `list of T`, `map of T`: the only types with an element type. */
static ast_type *container_type(parse_ctx *ctx, const char *name, ast_loc name_loc,
                                ast_type *elem, ast_loc loc)
{
    if (strcmp(name, "list") == 0)
        return new_type(ctx, TY_LIST, NULL, elem, loc);
    if (strcmp(name, "map") == 0)
        return new_type(ctx, TY_MAP, NULL, elem, loc);
    parse_error(ctx, name_loc, "'%s of …' is not a type: only 'list of' and 'map of' take an "
                "element type", name);
    return elem;
}

static uint8_t annotation(parse_ctx *ctx, const char *name, ast_loc loc)
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

static ast_let *new_let(parse_ctx *ctx, ast_name name, ast_type *type, ast_expr *value,
                        ast_loc loc)
{
    ast_let *l = alloc0(ctx, sizeof *l);
    l->name = name;
    l->type = type;
    l->value = value;
    l->loc = loc;
    return l;
}

static void add_item(parse_ctx *ctx, ast_item_kind kind, void *node)
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
    }
    vec_add(ctx, &ctx->items, &item, sizeof item);
}

/* A clause given once: a second one is an error (the first stays). */
static void set_once(parse_ctx *ctx, ast_expr **slot, ast_expr *value, ast_loc loc,
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

/* ------------------------------------------------------------ requirements */

enum { FLAG_TIME_BOUND = 1, FLAG_EITHER = 2 };

static ast_threshold threshold(ast_threshold_kind kind, parse_vec columns, ast_loc loc)
{
    ast_threshold t = {kind, columns.items, columns.count, loc};
    return t;
}

static parse_measure *measure(parse_ctx *ctx, ast_expr *e, ast_threshold th)
{
    parse_measure *m = alloc0(ctx, sizeof *m);
    m->expr = e;
    m->threshold = th;
    return m;
}

static void set_measure(parse_ctx *ctx, ast_req *r, parse_measure *m)
{
    if (ctx->oom)
        return;
    if (r->measure) {
        parse_error(ctx, m->expr->loc, "a requirement has one measure; this is a second one "
                    "(the first is at line %u)", r->measure->loc.line);
        return;
    }
    r->measure = m->expr;
    r->threshold = m->threshold;
}

/* The header line of a requirement or part, merged with its block. */
static ast_req *finish_req(parse_ctx *ctx, ast_req *body, ast_name id, const char *title,
                           ast_loc title_loc, int flags, parse_measure *m, ast_loc loc)
{
    ast_req *r = body ? body : alloc0(ctx, sizeof *r);
    if (m && !ctx->oom) {
        ast_expr *later = r->measure;
        ast_threshold later_th = r->threshold;
        r->measure = NULL;
        set_measure(ctx, r, m);
        if (later) {
            parse_measure second = {later, later_th};
            set_measure(ctx, r, &second);
        }
    }
    r->id = id;
    r->title = title;
    r->title_loc = title_loc;
    r->time_bound = flags & FLAG_TIME_BOUND;
    r->either = flags & FLAG_EITHER;
    r->loc = loc;
    return r;
}

static ast_expr *required_column(parse_ctx *ctx, const char *word, ast_loc loc)
{
    if (strcmp(word, "yes") != 0)
        parse_error(ctx, loc, "a `required` column is `yes` or `-`, not '%s'", word);
    return literal_bool(ctx, true, loc);
}

/* ------------------------------------------------------------ programs */

static void check_version_word(parse_ctx *ctx, const char *word, ast_loc loc)
{
    if (strcmp(word, "version") != 0)
        parse_error(ctx, loc, "expected 'version' after the program's title, found '%s'", word);
}

static void set_extends(parse_ctx *ctx, ast_program *p, const char *base, ast_loc base_loc,
                        ast_loc loc)
{
    if (ctx->oom)
        return;
    if (p->extends) {
        parse_error(ctx, loc, "`extends` is given twice");
        return;
    }
    p->extends = base;
    p->extends_loc = base_loc;
}

static void set_tiers(parse_ctx *ctx, ast_program *p, parse_vec tiers, ast_expr *by, ast_loc loc)
{
    if (ctx->oom)
        return;
    if (p->tiers.count) {
        parse_error(ctx, loc, "`tiers` is given twice (first at line %u)",
                    p->tiers.items[0].loc.line);
        return;
    }
    p->tiers = (ast_name_list){tiers.items, tiers.count};
    p->tier_by = by;
}

static void set_window(parse_ctx *ctx, ast_program *p, ast_name which, ast_expr *window,
                       ast_expr *due, ast_loc due_loc)
{
    if (ctx->oom)
        return;
    if (strcmp(which.name, "rolling") == 0) {
        if (due)
            parse_error(ctx, due_loc, "only the renewal window has a `due` date");
        set_once(ctx, &p->rolling, window, which.loc, "`rolling window`");
    } else if (strcmp(which.name, "renewal") == 0) {
        if (p->renewal)
            parse_error(ctx, which.loc, "`renewal window` is given twice (first at line %u)",
                        p->renewal->loc.line);
        else {
            p->renewal = window;
            p->due = due;
        }
    } else {
        parse_error(ctx, which.loc, "expected 'rolling window' or 'renewal window', found '%s'",
                    which.name);
    }
}

/* ------------------------------------------------------------ per-item programs */

/* A word that introduces a clause, checked where the grammar takes any
 * name (these words stay ordinary names elsewhere). */
static bool expect_word(parse_ctx *ctx, const char *word, const char *want, ast_loc loc)
{
    if (strcmp(word, want) == 0)
        return true;
    parse_error(ctx, loc, "expected '%s', found '%s'", want, word);
    return false;
}

/* `for each NAME in LIST report KEY label EXPR`: the program is per item;
 * `for each NAME in LIST report KEY` with a block of columns: a report
 * list. */
static void set_for_each(parse_ctx *ctx, ast_program *p, const char *each, ast_loc each_loc,
                         ast_name elem, ast_expr *items, const char *report,
                         ast_loc report_loc, ast_name key, ast_expr *label, parse_vec columns,
                         ast_loc loc)
{
    if (ctx->oom || !expect_word(ctx, each, "each", each_loc) ||
        !expect_word(ctx, report, "report", report_loc))
        return;
    if (label) {
        if (columns.count)
            parse_error(ctx, loc, "a per-item program's `for each … label` takes no block "
                        "of columns");
        if (p->each.name) {
            parse_error(ctx, loc, "a program is per item of one list (first at line %u)",
                        p->each.loc.line);
            return;
        }
        p->each = elem;
        p->items_key = key;
        p->items = items;
        p->item_label = label;
        return;
    }
    ast_report r = {key, elem, items, columns.items, columns.count, loc};
    parse_vec v = vec_of(ctx, p->reports, p->nreports);
    vec_add(ctx, &v, &r, sizeof r);
    p->reports = v.items;
    p->nreports = v.count;
}

/* The message of `error when`: each {name} in it becomes an argument, and
 * "{}" in the text. */
static void add_item_error(parse_ctx *ctx, ast_program *p, const char *word, ast_loc word_loc,
                           ast_expr *when, const char *msg, ast_loc msg_loc)
{
    if (ctx->oom || !expect_word(ctx, word, "error", word_loc))
        return;
    size_t n = strlen(msg);
    char *text = alloc0(ctx, n + 1);
    parse_vec args = {0};
    size_t out = 0;
    for (size_t i = 0; i < n && !ctx->oom; i++) {
        const char *close = msg[i] == '{' ? strchr(msg + i, '}') : NULL;
        if (!close) {
            text[out++] = msg[i];
            continue;
        }
        size_t len = (size_t)(close - msg) - i - 1;
        ast_loc at = msg_loc;
        at.col += (uint32_t)i + 1;
        at.end_line = at.line;
        at.end_col = at.col + (uint32_t)len + 1;
        if (len == 0) {
            parse_error(ctx, at, "an empty {} in a message: name a value, {designation}");
            return;
        }
        vec_add_ptr(ctx, &args, name_expr(ctx, parse_strndup(ctx, msg + i + 1, len), at));
        text[out++] = '{';
        text[out++] = '}';
        i += len + 1;
    }
    if (ctx->oom)
        return;
    text[out] = '\0';
    ast_item_error e = {when, text, args.items, args.count, span(word_loc, msg_loc)};
    parse_vec v = vec_of(ctx, p->errors, p->nerrors);
    vec_add(ctx, &v, &e, sizeof e);
    p->errors = v.items;
    p->nerrors = v.count;
}

/* ------------------------------------------------------------ decision tables */

/* The condition under which a row matches: its cells joined by `and`. */
static ast_expr *row_condition(parse_ctx *ctx, const ast_table *t, const ast_table_row *row)
{
    ast_expr *cond = NULL;
    for (uint32_t i = 0; i < t->ninputs; i++) {
        const ast_name *cell = &row->cells[i];
        if (!cell->name)
            continue;
        ast_expr *input = name_expr(ctx, t->inputs[i].name.name, cell->loc);
        ast_expr *value;
        if (strcmp(cell->name, "yes") == 0 || strcmp(cell->name, "true") == 0)
            value = literal_bool(ctx, true, cell->loc);
        else if (strcmp(cell->name, "no") == 0 || strcmp(cell->name, "false") == 0)
            value = literal_bool(ctx, false, cell->loc);
        else
            value = name_expr(ctx, cell->name, cell->loc);
        ast_expr *eq = binary(ctx, OPX_EQ, input, value);
        cond = cond ? binary(ctx, OPX_AND, cond, eq) : eq;
    }
    return cond ? cond : literal_bool(ctx, true, row->loc);
}

/* A row's output: a value of the output's enum (`MergerAction.none`), or
 * yes/no for a bool output. */
static ast_expr *row_output(parse_ctx *ctx, const ast_table *t, const ast_table_row *row)
{
    const ast_name *cell = &row->cells[t->ninputs];
    if (strcmp(cell->name, "yes") == 0 || strcmp(cell->name, "true") == 0)
        return literal_bool(ctx, true, cell->loc);
    if (strcmp(cell->name, "no") == 0 || strcmp(cell->name, "false") == 0)
        return literal_bool(ctx, false, cell->loc);
    if (t->output->kind != TY_NAME)
        return name_expr(ctx, cell->name, cell->loc);
    return field_expr(ctx, name_expr(ctx, t->output->name, cell->loc), cell->name, cell->loc);
}

/* The table as a function: if row 1 then out 1 else if row 2 … else the
 * last row's output (sema proves the rows cover every case; the last
 * row's condition is kept so that its cells are checked like the others'). */
static ast_fn *table_fn(parse_ctx *ctx, ast_table *t)
{
    ast_fn *f = alloc0(ctx, sizeof *f);
    f->name = t->name;
    f->params = t->inputs;
    f->nparams = t->ninputs;
    f->ret = t->output;
    f->loc = t->loc;
    if (!t->nrows) {
        f->body = new_expr(ctx, EX_NULL, t->loc);
        return f;
    }
    ast_expr *body = row_output(ctx, t, &t->rows[t->nrows - 1]);
    for (uint32_t i = t->nrows; i-- > 0;)
        body = if_expr(ctx, row_condition(ctx, t, &t->rows[i]), row_output(ctx, t, &t->rows[i]),
                       body, t->rows[i].loc);
    f->body = body;
    return f;
}

static void add_table(parse_ctx *ctx, const char *word, ast_loc word_loc, ast_name name,
                      parse_vec inputs, ast_type *output, parse_vec rows, ast_loc loc)
{
    if (ctx->oom || !expect_word(ctx, word, "table", word_loc))
        return;
    ast_table *t = alloc0(ctx, sizeof *t);
    t->name = name;
    t->inputs = inputs.items;
    t->ninputs = inputs.count;
    t->output = output;
    t->loc = loc;
    parse_vec kept = {0};
    for (uint32_t i = 0; i < rows.count; i++) {
        ast_table_row *row = &((ast_table_row *)rows.items)[i];
        if (row->ncells != t->ninputs + 1) {
            parse_error(ctx, row->loc, "this row has %u cells; table '%s' needs %u: one per "
                        "input, then the output", row->ncells, name.name, t->ninputs + 1);
            continue;
        }
        if (!row->cells[t->ninputs].name) {
            parse_error(ctx, row->cells[t->ninputs].loc, "a row's output cannot be '-'");
            continue;
        }
        vec_add(ctx, &kept, row, sizeof *row);
    }
    t->rows = kept.items;
    t->nrows = kept.count;
    if (ctx->oom)
        return;
    t->fn = table_fn(ctx, t);
    add_item(ctx, ITEM_FN, t->fn);
    add_item(ctx, ITEM_TABLE, t);
}
}

%define api.pure full
%define api.prefix {rbp_}
%define api.location.type {ast_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {parse_ctx *ctx}
%expect 0

%union {
    int64_t i;
    struct {
        int64_t amount;
        ast_duration_unit unit;
    } dur;
    struct {
        const char *ptr;
        uint32_t len;
    } str;
    const char *name;
    ast_name nm;
    ast_expr *expr;
    ast_type *type;
    ast_field *field;
    ast_enum *enum_;
    ast_let *let;
    ast_program *program;
    ast_req *req;
    ast_category *category;
    parse_measure *measure;
    ast_threshold threshold;
    parse_vec vec;
    struct {
        parse_vec args, by;
    } args;
    int flags;
}

%token <name> T_IDENT "a name"
%token <i> T_INT "a number"
%token <i> T_MONEY "an amount"
%token <i> T_DATE "a date"
%token <i> T_MONTH "a month"
%token <dur> T_DURATION "a duration"
%token <str> T_STRING "a string"
%token T_NEWLINE "end of line"
%token T_INDENT "an indented block"
%token T_DEDENT "end of block"

%token T_ALIAS "'alias'" T_ALL "'all'" T_AND "'and'" T_ANY "'any'"
%token T_APPLIES "'applies'" T_AS_OF "'as_of'" T_AT_RISK "'at_risk'" T_BY "'by'"
%token T_CATEGORY "'category'" T_DUE "'due'" T_EITHER "'either'" T_ELSE "'else'"
%token T_ENUM "'enum'" T_EXCEPT "'except'" T_EXTENDS "'extends'" T_FALSE "'false'"
%token T_FN "'fn'" T_FOR "'for'" T_GRACE "'grace'" T_IF "'if'" T_IMPORT "'import'" T_IN "'in'"
%token T_IT "'it'" T_LET "'let'" T_MODULE "'module'" T_NOT "'not'"
%token T_NOT_APPLICABLE "'not_applicable'" T_NULL "'null'" T_OF "'of'" T_OR "'or'"
%token T_PART "'part'" T_PROGRAM "'program'" T_RECORD "'record'"
%token T_REQUIREMENT "'requirement'" T_REQUIRED "'required'" T_ROOT "'root'"
%token T_SCHEMA "'schema'" T_SUSTAINED "'sustained'" T_THEN "'then'" T_TIERS "'tiers'"
%token T_TIME_BOUND "'time_bound'" T_TRUE "'true'" T_WHEN "'when'" T_WHERE "'where'"
%token T_WINDOW "'window'" T_AT_LEAST "'at least'" T_AT_MOST "'at most'"
%token T_EQ "'=='" T_NE "'!='" T_LE "'<='" T_GE "'>='" T_COALESCE "'??'"

%left T_WHERE
%precedence T_ELSE
%left T_OR
%left T_AND
%precedence T_NOT
%nonassoc T_EQ T_NE '<' T_LE '>' T_GE T_IN
%right T_COALESCE
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%type <nm> dotted
%type <expr> expr postfix primary path_expr column required_column field_default field_when
%type <expr> due_opt label_opt
%type <type> type type_base let_type
%type <field> field
%type <flags> annotations req_flags
%type <enum_> enum_values enum_or enum_lt
%type <vec> fields aliases params param_list expr_list columns required_columns names
%type <vec> tier_names cat_body report_block report_columns table_rows table_cells
%type <nm> table_cell
%type <let> let
%type <program> members program_header
%type <req> req_body req_block requirement part req_rest
%type <category> category
%type <measure> measure
%type <threshold> threshold
%type <args> args
%type <nm> cat_name

%%

file:
    module_opt imports items
  ;

module_opt:
    %empty
  | T_MODULE dotted T_NEWLINE      { ctx->out->module = $2; }
  | T_MODULE error T_NEWLINE       { yyerrok; }
  ;

imports:
    %empty
  | imports T_IMPORT dotted T_NEWLINE  { vec_add(ctx, &ctx->imports, &$3, sizeof $3); }
  | imports T_IMPORT error T_NEWLINE   { yyerrok; }
  ;

dotted:
    T_IDENT                 { $$ = make_name($1, @1); }
  | dotted '.' T_IDENT      { $$ = dotted_append(ctx, $1, $3, @3); }
  ;

items:
    %empty
  | items item
  ;

item:
    schema
  | record
  | enum
  | fn
  | let                     { add_item(ctx, ITEM_LET, $1); }
  | program
  | table
  | error T_NEWLINE         { yyerrok; ctx->skip_deeper = true; }
  ;

/* ------------------------------------------------------------ data */

schema:
    T_SCHEMA T_STRING T_ROOT T_IDENT T_NEWLINE
      {
        ast_schema *s = alloc0(ctx, sizeof *s);
        s->id = $2.ptr;
        s->id_loc = @2;
        s->root = make_name($4, @4);
        s->loc = span(@1, @4);
        add_item(ctx, ITEM_SCHEMA, s);
      }
  ;

record:
    T_RECORD T_IDENT T_NEWLINE T_INDENT fields T_DEDENT
      {
        ast_record *r = alloc0(ctx, sizeof *r);
        r->name = make_name($2, @2);
        r->fields = $5.items;
        r->nfields = $5.count;
        add_item(ctx, ITEM_RECORD, r);
      }
  ;

fields:
    %empty                  { $$ = (parse_vec){0}; }
  | fields field            { $$ = $1; vec_add(ctx, &$$, $2, sizeof *$2); }
  | fields error T_NEWLINE  { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

field:
    T_IDENT ':' type field_default field_when annotations T_NEWLINE
      {
        $$ = alloc0(ctx, sizeof *$$);
        $$->name = make_name($1, @1);
        $$->type = $3;
        $$->default_value = $4;
        $$->required_when = $5;
        $$->annotations = (uint8_t)$6;
        $$->loc = span(@1, @6);
      }
  ;

field_default:
    %empty                  { $$ = NULL; }
  | '=' expr                { $$ = $2; }
  ;

field_when:
    %empty                  { $$ = NULL; }
  | T_REQUIRED T_WHEN expr  { $$ = $3; }
  ;

annotations:
    %empty                  { $$ = 0; }
  | annotations T_IDENT     { $$ = $1 | annotation(ctx, $2, @2); }
  ;

type:
    type_base
  | T_IDENT T_OF type       { $$ = container_type(ctx, $1, @1, $3, @$); }
  ;

type_base:
    T_IDENT                 { $$ = new_type(ctx, TY_NAME, $1, NULL, @1); }
  | '(' type ')'            { $$ = $2; }
  | type_base '?'           { $$ = new_type(ctx, TY_OPTIONAL, NULL, $1, @$); }
  ;

enum:
    T_ENUM T_IDENT enum_values T_NEWLINE
      {
        $3->name = make_name($2, @2);
        add_item(ctx, ITEM_ENUM, $3);
      }
  | T_ENUM T_IDENT enum_values T_NEWLINE T_INDENT aliases T_DEDENT
      {
        $3->name = make_name($2, @2);
        $3->aliases = $6.items;
        $3->naliases = $6.count;
        add_item(ctx, ITEM_ENUM, $3);
      }
  ;

enum_values:
    T_IDENT
      {
        $$ = alloc0(ctx, sizeof *$$);
        ast_name n = make_name($1, @1);
        parse_vec v = {0};
        vec_add(ctx, &v, &n, sizeof n);
        $$->values = (ast_name_list){v.items, v.count};
      }
  | enum_or
  | enum_lt                 { $$ = $1; $$->ordered = true; }
  ;

enum_or:
    T_IDENT '|' T_IDENT
      {
        $$ = alloc0(ctx, sizeof *$$);
        ast_name a = make_name($1, @1), b = make_name($3, @3);
        parse_vec v = {0};
        vec_add(ctx, &v, &a, sizeof a);
        vec_add(ctx, &v, &b, sizeof b);
        $$->values = (ast_name_list){v.items, v.count};
      }
  | enum_or '|' T_IDENT
      {
        $$ = $1;
        ast_name n = make_name($3, @3);
        parse_vec v = vec_of(ctx, $$->values.items, $$->values.count);
        vec_add(ctx, &v, &n, sizeof n);
        $$->values = (ast_name_list){v.items, v.count};
      }
  ;

enum_lt:
    T_IDENT '<' T_IDENT
      {
        $$ = alloc0(ctx, sizeof *$$);
        ast_name a = make_name($1, @1), b = make_name($3, @3);
        parse_vec v = {0};
        vec_add(ctx, &v, &a, sizeof a);
        vec_add(ctx, &v, &b, sizeof b);
        $$->values = (ast_name_list){v.items, v.count};
      }
  | enum_lt '<' T_IDENT
      {
        $$ = $1;
        ast_name n = make_name($3, @3);
        parse_vec v = vec_of(ctx, $$->values.items, $$->values.count);
        vec_add(ctx, &v, &n, sizeof n);
        $$->values = (ast_name_list){v.items, v.count};
      }
  ;

aliases:
    %empty                  { $$ = (parse_vec){0}; }
  | aliases T_ALIAS T_IDENT '=' T_IDENT T_NEWLINE
      {
        $$ = $1;
        ast_alias a = {make_name($3, @3), make_name($5, @5)};
        vec_add(ctx, &$$, &a, sizeof a);
      }
  | aliases error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

/* ------------------------------------------------------------ definitions */

fn:
    T_FN T_IDENT '(' params ')' ':' type '=' expr T_NEWLINE
      {
        ast_fn *f = alloc0(ctx, sizeof *f);
        f->name = make_name($2, @2);
        f->params = $4.items;
        f->nparams = $4.count;
        f->ret = $7;
        f->body = $9;
        f->loc = span(@1, @9);
        add_item(ctx, ITEM_FN, f);
      }
  ;

params:
    %empty                  { $$ = (parse_vec){0}; }
  | param_list
  ;

param_list:
    T_IDENT ':' type
      {
        $$ = (parse_vec){0};
        ast_param p = {make_name($1, @1), $3};
        vec_add(ctx, &$$, &p, sizeof p);
      }
  | param_list ',' T_IDENT ':' type
      {
        $$ = $1;
        ast_param p = {make_name($3, @3), $5};
        vec_add(ctx, &$$, &p, sizeof p);
      }
  ;

let:
    T_LET T_IDENT let_type '=' expr T_NEWLINE
      { $$ = new_let(ctx, make_name($2, @2), $3, $5, span(@1, @5)); }
  ;

let_type:
    %empty                  { $$ = NULL; }
  | ':' type                { $$ = $2; }
  ;

/* ------------------------------------------------------------ programs */

program:
    program_header T_NEWLINE T_INDENT members T_DEDENT
      {
        ast_program *p = $4;
        p->id = $1->id;
        p->id_loc = $1->id_loc;
        p->title = $1->title;
        p->version = $1->version;
        p->loc = $1->loc;
        add_item(ctx, ITEM_PROGRAM, p);
      }
  ;

program_header:
    T_PROGRAM T_STRING T_STRING T_IDENT T_STRING
      {
        check_version_word(ctx, $4, @4);
        $$ = alloc0(ctx, sizeof *$$);
        $$->id = $2.ptr;
        $$->id_loc = @2;
        $$->title = $3.ptr;
        $$->version = $5.ptr;
        $$->loc = @$;
      }
  ;

members:
    %empty                  { $$ = alloc0(ctx, sizeof *$$); }
  | members T_EXTENDS T_STRING T_NEWLINE
      { $$ = $1; set_extends(ctx, $$, $3.ptr, @3, @2); }
  | members T_APPLIES T_WHEN expr T_NEWLINE
      { $$ = $1; set_once(ctx, &$$->applies, $4, @2, "`applies when`"); }
  | members T_TIERS tier_names T_BY expr T_NEWLINE
      { $$ = $1; set_tiers(ctx, $$, $3, $5, @2); }
  | members T_IDENT T_WINDOW expr due_opt T_NEWLINE
      { $$ = $1; set_window(ctx, $$, make_name($2, @2), $4, $5, @5); }
  | members let
      {
        $$ = $1;
        parse_vec v = vec_of(ctx, $$->lets, $$->nlets);
        vec_add_ptr(ctx, &v, $2);
        $$->lets = v.items;
        $$->nlets = v.count;
      }
  | members T_REQUIREMENT dotted threshold T_NEWLINE
      {
        $$ = $1;
        ast_req *o = alloc0(ctx, sizeof *o);
        o->id = $3;
        o->threshold = $4;
        o->loc = span(@2, @4);
        parse_vec v = vec_of(ctx, $$->overrides.items, $$->overrides.count);
        vec_add_ptr(ctx, &v, o);
        $$->overrides = (ast_req_list){v.items, v.count};
      }
  | members T_FOR T_IDENT T_IDENT T_IN expr T_IDENT T_IDENT label_opt T_NEWLINE report_block
      {
        $$ = $1;
        set_for_each(ctx, $$, $3, @3, make_name($4, @4), $6, $7, @7, make_name($8, @8), $9,
                     $11, span(@2, @8));
      }
  | members T_IDENT T_WHEN expr T_STRING T_NEWLINE
      { $$ = $1; add_item_error(ctx, $$, $2, @2, $4, $5.ptr, @5); }
  | members category
      {
        $$ = $1;
        parse_vec v = vec_of(ctx, $$->categories, $$->ncategories);
        vec_add(ctx, &v, $2, sizeof *$2);
        $$->categories = v.items;
        $$->ncategories = v.count;
      }
  | members error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

tier_names:
    T_IDENT
      {
        $$ = (parse_vec){0};
        ast_name n = make_name($1, @1);
        vec_add(ctx, &$$, &n, sizeof n);
      }
  | tier_names '<' T_IDENT
      {
        $$ = $1;
        ast_name n = make_name($3, @3);
        vec_add(ctx, &$$, &n, sizeof n);
      }
  ;

label_opt:
    %empty                  { $$ = NULL; }
  | T_IDENT expr
      { $$ = $2; if (!expect_word(ctx, $1, "label", @1)) $$ = NULL; }
  ;

report_block:
    %empty                  { $$ = (parse_vec){0}; }
  | T_INDENT report_columns T_DEDENT { $$ = $2; }
  ;

report_columns:
    %empty                  { $$ = (parse_vec){0}; }
  | report_columns T_IDENT '=' expr T_NEWLINE
      {
        $$ = $1;
        ast_report_column c = {make_name($2, @2), $4};
        vec_add(ctx, &$$, &c, sizeof c);
      }
  | report_columns error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

due_opt:
    %empty                  { $$ = NULL; }
  | T_DUE expr              { $$ = $2; }
  ;

category:
    T_CATEGORY cat_name T_NEWLINE T_INDENT cat_body T_DEDENT
      {
        $$ = alloc0(ctx, sizeof *$$);
        $$->name = $2;
        $$->reqs = (ast_req_list){$5.items, $5.count};
      }
  ;

cat_name:
    T_IDENT                 { $$ = make_name($1, @1); }
  | T_STRING                { $$ = make_name($1.ptr, @1); }
  ;

cat_body:
    %empty                  { $$ = (parse_vec){0}; }
  | cat_body requirement    { $$ = $1; vec_add_ptr(ctx, &$$, $2); }
  | cat_body error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

/* ------------------------------------------------------------ decision tables */

table:
    T_IDENT T_IDENT '(' params ')' ':' type T_NEWLINE T_INDENT table_rows T_DEDENT
      { add_table(ctx, $1, @1, make_name($2, @2), $4, $7, $10, span(@1, @7)); }
  ;

table_rows:
    %empty                  { $$ = (parse_vec){0}; }
  | table_rows table_cells T_NEWLINE
      {
        $$ = $1;
        ast_table_row r = {$2.items, $2.count, @2};
        vec_add(ctx, &$$, &r, sizeof r);
      }
  | table_rows error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

table_cells:
    table_cell              { $$ = (parse_vec){0}; vec_add(ctx, &$$, &$1, sizeof $1); }
  | table_cells '|' table_cell { $$ = $1; vec_add(ctx, &$$, &$3, sizeof $3); }
  ;

table_cell:
    '-'                     { $$ = make_name(NULL, @1); }
  | T_IDENT                 { $$ = make_name($1, @1); }
  | T_TRUE                  { $$ = make_name("true", @1); }
  | T_FALSE                 { $$ = make_name("false", @1); }
  ;

/* ------------------------------------------------------------ requirements */

requirement:
    T_REQUIREMENT req_rest  { $$ = $2; $$->loc = span(@1, @2); }
  ;

part:
    T_PART req_rest         { $$ = $2; $$->is_part = true; $$->loc = span(@1, @2); }
  ;

/* Everything after `requirement` or `part`; its location is the header. */
req_rest:
    T_IDENT T_STRING req_flags T_NEWLINE req_block
      {
        @$ = span(@1, @3);
        $$ = finish_req(ctx, $5, make_name($1, @1), $2.ptr, @2, $3, NULL, @$);
      }
  | T_IDENT T_STRING req_flags measure T_NEWLINE req_block
      {
        @$ = span(@1, @4);
        $$ = finish_req(ctx, $6, make_name($1, @1), $2.ptr, @2, $3, $4, @$);
      }
  ;

req_flags:
    %empty                  { $$ = 0; }
  | req_flags T_TIME_BOUND  { $$ = $1 | FLAG_TIME_BOUND; }
  | req_flags T_EITHER      { $$ = $1 | FLAG_EITHER; }
  ;

req_block:
    %empty                  { $$ = NULL; }
  | T_INDENT req_body T_DEDENT { $$ = $2; }
  ;

req_body:
    %empty                  { $$ = alloc0(ctx, sizeof *$$); }
  | req_body let
      {
        $$ = $1;
        parse_vec v = vec_of(ctx, $$->lets, $$->nlets);
        vec_add_ptr(ctx, &v, $2);
        $$->lets = v.items;
        $$->nlets = v.count;
      }
  | req_body measure T_NEWLINE { $$ = $1; set_measure(ctx, $$, $2); }
  | req_body part
      {
        $$ = $1;
        parse_vec v = vec_of(ctx, $$->parts.items, $$->parts.count);
        vec_add_ptr(ctx, &v, $2);
        $$->parts = (ast_req_list){v.items, v.count};
      }
  | req_body T_NOT_APPLICABLE T_WHEN expr T_NEWLINE
      { $$ = $1; set_once(ctx, &$$->na_when, $4, @2, "`not_applicable when`"); }
  | req_body T_GRACE T_WHEN expr T_NEWLINE
      { $$ = $1; set_once(ctx, &$$->grace_when, $4, @2, "`grace when`"); }
  | req_body T_AT_RISK T_WHEN expr T_NEWLINE
      { $$ = $1; set_once(ctx, &$$->at_risk_when, $4, @2, "`at_risk when`"); }
  | req_body error T_NEWLINE { $$ = $1; yyerrok; ctx->skip_deeper = true; }
  ;

measure:
    expr threshold          { $$ = measure(ctx, $1, $2); }
  | T_SUSTAINED T_IDENT T_EXCEPT names threshold
      { $$ = measure(ctx, sustained(ctx, make_name($2, @2), $4, span(@1, @4)), $5); }
  ;

names:
    T_IDENT
      {
        $$ = (parse_vec){0};
        ast_name n = make_name($1, @1);
        vec_add(ctx, &$$, &n, sizeof n);
      }
  | names ',' T_IDENT
      {
        $$ = $1;
        ast_name n = make_name($3, @3);
        vec_add(ctx, &$$, &n, sizeof n);
      }
  ;

threshold:
    T_AT_LEAST columns      { $$ = threshold(THR_AT_LEAST, $2, @$); }
  | T_AT_MOST columns       { $$ = threshold(THR_AT_MOST, $2, @$); }
  | T_REQUIRED
      {
        parse_vec v = {0};
        vec_add_ptr(ctx, &v, literal_bool(ctx, true, @1));
        $$ = threshold(THR_REQUIRED, v, @$);
      }
  | T_REQUIRED required_columns { $$ = threshold(THR_REQUIRED, $2, @$); }
  ;

columns:
    column                  { $$ = (parse_vec){0}; vec_add_ptr(ctx, &$$, $1); }
  | columns '|' column      { $$ = $1; vec_add_ptr(ctx, &$$, $3); }
  ;

column:
    '-'                     { $$ = NULL; }
  | expr
  ;

required_columns:
    required_column         { $$ = (parse_vec){0}; vec_add_ptr(ctx, &$$, $1); }
  | required_columns '|' required_column { $$ = $1; vec_add_ptr(ctx, &$$, $3); }
  ;

required_column:
    '-'                     { $$ = NULL; }
  | T_IDENT                 { $$ = required_column(ctx, $1, @1); }
  ;

/* ------------------------------------------------------------ expressions */

expr:
    postfix
  | '-' expr %prec UMINUS   { $$ = unary(ctx, OPX_NEG, $2, @$); }
  | T_NOT expr              { $$ = unary(ctx, OPX_NOT, $2, @$); }
  | expr '+' expr           { $$ = binary(ctx, OPX_ADD, $1, $3); }
  | expr '-' expr           { $$ = binary(ctx, OPX_SUB, $1, $3); }
  | expr '*' expr           { $$ = binary(ctx, OPX_MUL, $1, $3); }
  | expr '/' expr           { $$ = binary(ctx, OPX_DIV, $1, $3); }
  | expr T_EQ expr          { $$ = binary(ctx, OPX_EQ, $1, $3); }
  | expr T_NE expr          { $$ = binary(ctx, OPX_NE, $1, $3); }
  | expr '<' expr           { $$ = binary(ctx, OPX_LT, $1, $3); }
  | expr T_LE expr          { $$ = binary(ctx, OPX_LE, $1, $3); }
  | expr '>' expr           { $$ = binary(ctx, OPX_GT, $1, $3); }
  | expr T_GE expr          { $$ = binary(ctx, OPX_GE, $1, $3); }
  | expr T_IN expr          { $$ = binary(ctx, OPX_IN, $1, $3); }
  | expr T_AND expr         { $$ = binary(ctx, OPX_AND, $1, $3); }
  | expr T_OR expr          { $$ = binary(ctx, OPX_OR, $1, $3); }
  | expr T_COALESCE expr    { $$ = binary(ctx, OPX_COALESCE, $1, $3); }
  | expr T_WHERE expr       { $$ = where_expr(ctx, EX_WHERE, $1, $3, @$); }
  | T_IF expr T_THEN expr T_ELSE expr %prec T_ELSE
      { $$ = if_expr(ctx, $2, $4, $6, @$); }
  ;

postfix:
    primary
  | postfix '.' T_IDENT     { $$ = field_expr(ctx, $1, $3, @3); }
  ;

primary:
    T_INT                   { $$ = literal_int(ctx, EX_INT, $1, @1); }
  | T_MONEY                 { $$ = literal_int(ctx, EX_MONEY, $1, @1); }
  | T_DATE                  { $$ = literal_int(ctx, EX_DATE, $1, @1); }
  | T_MONTH                 { $$ = literal_int(ctx, EX_MONTH, $1, @1); }
  | T_DURATION
      {
        $$ = new_expr(ctx, EX_DURATION, @1);
        $$->u.dur.amount = $1.amount;
        $$->u.dur.unit = $1.unit;
      }
  | T_STRING
      {
        $$ = new_expr(ctx, EX_STRING, @1);
        $$->u.str.ptr = $1.ptr;
        $$->u.str.len = $1.len;
      }
  | T_TRUE                  { $$ = literal_bool(ctx, true, @1); }
  | T_FALSE                 { $$ = literal_bool(ctx, false, @1); }
  | T_NULL                  { $$ = new_expr(ctx, EX_NULL, @1); }
  | T_IT                    { $$ = new_expr(ctx, EX_IT, @1); }
  | T_AS_OF                 { $$ = new_expr(ctx, EX_AS_OF, @1); }
  | T_WINDOW                { $$ = new_expr(ctx, EX_WINDOW, @1); }
  | T_IDENT                 { $$ = name_expr(ctx, $1, @1); }
  | T_IDENT '(' args ')'    { $$ = call(ctx, $1, @1, $3.args, $3.by, @$); }
  | '(' expr ')'            { $$ = $2; }
  | '(' expr ',' expr ')'   { $$ = interval(ctx, $2, $4, true, true, @$); }
  | '(' expr ',' expr ']'   { $$ = interval(ctx, $2, $4, true, false, @$); }
  | '[' expr ',' expr ')'   { $$ = interval(ctx, $2, $4, false, true, @$); }
  | '[' expr ',' expr ']'   { $$ = interval(ctx, $2, $4, false, false, @$); }
  | '{' expr_list '}'       { $$ = set_expr(ctx, $2, @$); }
  | T_ANY path_expr '(' expr ')' { $$ = where_expr(ctx, EX_ANY, $2, $4, @$); }
  | T_ALL path_expr '(' expr ')' { $$ = where_expr(ctx, EX_ALL, $2, $4, @$); }
  | T_SUSTAINED T_IDENT     { $$ = sustained(ctx, make_name($2, @2), (parse_vec){0}, @$); }
  ;

path_expr:
    T_IDENT                 { $$ = name_expr(ctx, $1, @1); }
  | path_expr '.' T_IDENT   { $$ = field_expr(ctx, $1, $3, @3); }
  ;

args:
    %empty                  { $$.args = (parse_vec){0}; $$.by = (parse_vec){0}; }
  | expr_list               { $$.args = $1; $$.by = (parse_vec){0}; }
  | expr_list T_BY expr_list { $$.args = $1; $$.by = $3; }
  | T_BY expr_list          { $$.args = (parse_vec){0}; $$.by = $2; }
  ;

expr_list:
    expr                    { $$ = (parse_vec){0}; vec_add_ptr(ctx, &$$, $1); }
  | expr_list ',' expr      { $$ = $1; vec_add_ptr(ctx, &$$, $3); }
  ;

%%

/* ------------------------------------------------------------ errors */

void parse_verror(parse_ctx *ctx, ast_loc loc, const char *fmt, va_list ap)
{
    if (ctx->fatal || ctx->errors > PARSE_MAX_ERRORS)
        return;
    ctx->errors++;
    if (ctx->errors > PARSE_MAX_ERRORS) {
        diag_error(ctx->diags, loc, "too many syntax errors; giving up on this file");
        ctx->fatal = true;
        return;
    }
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    diag_error(ctx->diags, loc, "%s", msg);
}

void parse_error(parse_ctx *ctx, ast_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    parse_verror(ctx, loc, fmt, ap);
    va_end(ap);
}

char *parse_strndup(parse_ctx *ctx, const char *s, size_t len)
{
    char *p = arena_strndup(ctx->mem, s, len);
    if (!p) {
        ctx->oom = true;
        ctx->fatal = true;
        return (char *)"";
    }
    return p;
}

/* Bison's own errors: only "memory exhausted", from a parser stack that
 * outgrew YYMAXDEPTH. */
static void rbp_error(ast_loc *loc, parse_ctx *ctx, const char *msg)
{
    (void)msg;
    parse_error(ctx, *loc, "this expression is nested too deeply");
}

/* How the unexpected token is written in the source. */
static void describe_unexpected(const parse_ctx *ctx, yysymbol_kind_t tok, char *out, size_t size)
{
    switch (tok) {
    case YYSYMBOL_YYEOF:
        snprintf(out, size, "end of file");
        return;
    case YYSYMBOL_T_NEWLINE:
        snprintf(out, size, "end of line");
        return;
    case YYSYMBOL_T_INDENT:
        snprintf(out, size, "indentation");
        return;
    case YYSYMBOL_T_DEDENT:
        snprintf(out, size, "end of block");
        return;
    default:
        break;
    }
    const char *text = ctx->text + ctx->last.offset;
    int len = (int)(ctx->last.len > 40 ? 40 : ctx->last.len);
    const char *more = ctx->last.len > 40 ? "…" : "";
    if (tok == YYSYMBOL_T_STRING)
        snprintf(out, size, "%.*s%s", len, text, more);
    else
        snprintf(out, size, "'%.*s%s'", len, text, more);
}

/* Whether k is the character token c ('(' and the like). */
static bool is_char(yysymbol_kind_t k, char c)
{
    const char *name = yysymbol_name(k);
    return name[0] == '\'' && name[1] == c && name[2] == '\'' && name[3] == '\0';
}

static bool starts_expression(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_T_INT: case YYSYMBOL_T_MONEY: case YYSYMBOL_T_DATE:
    case YYSYMBOL_T_MONTH: case YYSYMBOL_T_DURATION: case YYSYMBOL_T_STRING:
    case YYSYMBOL_T_TRUE: case YYSYMBOL_T_FALSE: case YYSYMBOL_T_NULL:
    case YYSYMBOL_T_IDENT: case YYSYMBOL_T_IT: case YYSYMBOL_T_AS_OF:
    case YYSYMBOL_T_WINDOW: case YYSYMBOL_T_ANY: case YYSYMBOL_T_ALL:
    case YYSYMBOL_T_NOT: case YYSYMBOL_T_IF: case YYSYMBOL_T_SUSTAINED:
        return true;
    default:
        return is_char(k, '-') || is_char(k, '(') || is_char(k, '[') || is_char(k, '{');
    }
}

static bool continues_expression(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_T_WHERE: case YYSYMBOL_T_OR: case YYSYMBOL_T_AND:
    case YYSYMBOL_T_EQ: case YYSYMBOL_T_NE: case YYSYMBOL_T_LE: case YYSYMBOL_T_GE:
    case YYSYMBOL_T_IN: case YYSYMBOL_T_COALESCE:
        return true;
    default:
        return is_char(k, '-') || is_char(k, '<') || is_char(k, '>') || is_char(k, '+') ||
               is_char(k, '*') || is_char(k, '/') || is_char(k, '.');
    }
}

/* The expected tokens, grouped: "an expression" for all the tokens that
 * may start one, "an operator" for those that may continue one. */
static int describe_expected(const yypcontext_t *yc, const char **names, int max)
{
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(yc, expected, YYNTOKENS);
    bool expression = false, operator = false;
    for (int i = 0; i < n; i++) {
        if (expected[i] == YYSYMBOL_T_INT)
            expression = true;
        if (is_char(expected[i], '+'))
            operator = true;
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
        if ((expression && starts_expression(expected[i])) ||
            (operator && continues_expression(expected[i])) ||
            (operator && is_char(expected[i], '(')) /* a call */)
            continue;
        if (count == max)
            return max + 1;
        names[count++] = yysymbol_name(expected[i]);
    }
    if (expression) {
        if (count == max)
            return max + 1;
        names[count++] = "an expression";
    }
    if (operator) {
        if (count == max)
            return max + 1;
        names[count++] = "an operator";
    }
    return count;
}

/* A word at the start of a program's line that names no clause: the
 * parser took it for `rolling` or `renewal` and wants `window` next. */
static bool unknown_clause(const yypcontext_t *yc, parse_ctx *ctx)
{
    yysymbol_kind_t expected[3];
    int n = yypcontext_expected_tokens(yc, expected, 3);
    bool clause = n == 1 || n == 2;
    for (int i = 0; i < n && clause; i++)
        clause = expected[i] == YYSYMBOL_T_WINDOW || expected[i] == YYSYMBOL_T_WHEN;
    if (!clause || ctx->prev.kind != T_IDENT)
        return false;
    parse_error(ctx, ctx->prev.loc, "unknown program clause '%s'", ctx->prev.value.name);
    diag_hint(ctx->diags, "a program's lines are extends, applies when, tiers, rolling window, "
              "renewal window, let, requirement and category");
    ctx->skipped_line = ctx->prev.loc.line;
    return true;
}

static int yyreport_syntax_error(const yypcontext_t *yc, parse_ctx *ctx)
{
    yysymbol_kind_t tok = yypcontext_token(yc);
    if (tok == YYSYMBOL_YYUNDEF)
        return 0; /* the lexer reported it */
    if (tok == YYSYMBOL_T_INDENT) {
        ctx->skip_orphan = true;
        parse_error(ctx, *yypcontext_location(yc),
                    "this line is indented, but the line before it opens no block");
        return 0;
    }
    ctx->skipped_line = yypcontext_location(yc)->line;
    if (unknown_clause(yc, ctx))
        return 0;
    char unexpected[64];
    describe_unexpected(ctx, tok, unexpected, sizeof unexpected);
    enum { MAX_EXPECTED = 4 };
    const char *names[MAX_EXPECTED];
    int n = describe_expected(yc, names, MAX_EXPECTED);
    char msg[400];
    int len = snprintf(msg, sizeof msg, "unexpected %s", unexpected);
    for (int i = 0; i < n && n <= MAX_EXPECTED && len > 0 && (size_t)len < sizeof msg; i++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s",
                        i == 0 ? ", expecting " : i == n - 1 ? " or " : ", ", names[i]);
    parse_error(ctx, *yypcontext_location(yc), "%s", msg);
    return 0;
}

/* ------------------------------------------------------------ entry */

ast_file *parse_file(uint32_t file, arena *mem, diag_list *diags)
{
    const source_file *src = &diags->sources->files.items[file];
    parse_ctx *ctx = arena_calloc(mem, 1, sizeof *ctx);
    ast_file *out = arena_calloc(mem, 1, sizeof *out);
    if (!ctx || !out)
        return NULL;
    ctx->mem = mem;
    ctx->diags = diags;
    ctx->file = file;
    ctx->text = src->text;
    ctx->len = src->len;
    ctx->out = out;
    out->file = file;
    if (!lexer_open(ctx))
        return ctx->errors ? out : NULL;
    rbp_parse(ctx);
    lexer_close(ctx);
    out->items = ctx->items.items;
    out->nitems = ctx->items.count;
    out->imports = (ast_name_list){ctx->imports.items, ctx->imports.count};
    return ctx->oom ? NULL : out;
}
