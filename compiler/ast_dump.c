/*
 * ast_dump.c — a readable dump of the syntax tree: one node per line,
 * children indented by two spaces, expressions with their span
 * (@line:col-end_line:end_col).  Deterministic, for golden tests and
 * `rubric check --dump-ast`.
 */
#include <string.h>

#include "calendar.h"
#include "money.h"
#include "parse.h"

static void line(strbuf *out, int depth, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line(strbuf *out, int depth, const char *fmt, ...)
{
    sb_pad(out, ' ', (size_t)depth * 2);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(out, fmt, ap);
    va_end(ap);
    sb_putc(out, '\n');
}

/* A string literal as it would be written. */
static void quoted(strbuf *out, const char *s, size_t len)
{
    sb_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '"':
            sb_puts(out, "\\\"");
            break;
        case '\\':
            sb_puts(out, "\\\\");
            break;
        case '\n':
            sb_puts(out, "\\n");
            break;
        case '\t':
            sb_puts(out, "\\t");
            break;
        default:
            sb_putc(out, s[i]);
        }
    }
    sb_putc(out, '"');
}

static void type_text(strbuf *out, const ast_type *t)
{
    if (!t) {
        sb_puts(out, "?");
        return;
    }
    switch (t->kind) {
    case TY_NAME:
        sb_puts(out, t->name);
        break;
    case TY_LIST:
        sb_puts(out, "list of ");
        type_text(out, t->elem);
        break;
    case TY_MAP:
        sb_puts(out, "map of ");
        type_text(out, t->elem);
        break;
    case TY_OPTIONAL:
        type_text(out, t->elem);
        sb_putc(out, '?');
        break;
    }
}

static const char *op_name(ast_op op)
{
    static const char *const names[] = {
        [OPX_NEG] = "-",   [OPX_NOT] = "not", [OPX_ADD] = "+",       [OPX_SUB] = "-",
        [OPX_MUL] = "*",   [OPX_DIV] = "/",   [OPX_EQ] = "==",       [OPX_NE] = "!=",
        [OPX_LT] = "<",    [OPX_LE] = "<=",   [OPX_GT] = ">",        [OPX_GE] = ">=",
        [OPX_AND] = "and", [OPX_OR] = "or",   [OPX_COALESCE] = "??", [OPX_IN] = "in",
    };
    return names[op];
}

/* The head of an expression's line, without its span. */
static void expr_head(strbuf *out, const ast_expr *e)
{
    char buf[40];
    switch (e->kind) {
    case EX_INT:
        sb_printf(out, "int %lld", (long long)e->u.i);
        break;
    case EX_MONEY:
        money_format_display(e->u.i, buf);
        sb_printf(out, "money %s", buf);
        break;
    case EX_DATE:
        cal_format_date((int32_t)e->u.i, buf);
        sb_printf(out, "date %s", buf);
        break;
    case EX_MONTH:
        cal_format_month((int32_t)e->u.i, buf);
        sb_printf(out, "month %s", buf);
        break;
    case EX_DURATION:
        sb_printf(out, "duration %lld %s", (long long)e->u.dur.amount,
                  e->u.dur.unit == DUR_DAYS ? "days" : "months");
        break;
    case EX_STRING:
        sb_puts(out, "string ");
        quoted(out, e->u.str.ptr, e->u.str.len);
        break;
    case EX_BOOL:
        sb_puts(out, e->u.b ? "true" : "false");
        break;
    case EX_NULL:
        sb_puts(out, "null");
        break;
    case EX_NAME:
        sb_printf(out, "name %s", e->u.name);
        break;
    case EX_IT:
        sb_puts(out, "it");
        break;
    case EX_AS_OF:
        sb_puts(out, "as_of");
        break;
    case EX_WINDOW:
        sb_puts(out, "window");
        break;
    case EX_FIELD:
        sb_printf(out, "field .%s", e->u.field.name);
        break;
    case EX_CALL:
        sb_printf(out, "call %s", e->u.call.name);
        break;
    case EX_UNARY:
        sb_printf(out, "unary %s", op_name(e->u.unary.op));
        break;
    case EX_BINARY:
        sb_printf(out, "binary %s", op_name(e->u.binary.op));
        break;
    case EX_WHERE:
        sb_puts(out, "where");
        break;
    case EX_ANY:
        sb_puts(out, "any");
        break;
    case EX_ALL:
        sb_puts(out, "all");
        break;
    case EX_IF:
        sb_puts(out, "if");
        break;
    case EX_INTERVAL:
        sb_printf(out, "interval %c%c", e->u.interval.lo_open ? '(' : '[',
                  e->u.interval.hi_open ? ')' : ']');
        break;
    case EX_SET:
        sb_puts(out, "set");
        break;
    case EX_SUSTAINED:
        sb_printf(out, "sustained %s", e->u.sustained.tier);
        for (uint32_t i = 0; i < e->u.sustained.nexcept; i++)
            sb_printf(out, "%s%s", i ? ", " : " except ", e->u.sustained.except[i]);
        break;
    }
}

static void dump_expr(strbuf *out, int depth, const ast_expr *e);

static void dump_list(strbuf *out, int depth, const char *label, ast_expr_list l)
{
    if (!l.count)
        return;
    line(out, depth, "%s", label);
    for (uint32_t i = 0; i < l.count; i++)
        dump_expr(out, depth + 1, l.items[i]);
}

static void dump_expr(strbuf *out, int depth, const ast_expr *e)
{
    if (!e) {
        line(out, depth, "-");
        return;
    }
    sb_pad(out, ' ', (size_t)depth * 2);
    expr_head(out, e);
    sb_printf(out, " @%u:%u-%u:%u\n", e->loc.line, e->loc.col, e->loc.end_line, e->loc.end_col);
    switch (e->kind) {
    case EX_FIELD:
        dump_expr(out, depth + 1, e->u.field.base);
        break;
    case EX_CALL:
        for (uint32_t i = 0; i < e->u.call.args.count; i++)
            dump_expr(out, depth + 1, e->u.call.args.items[i]);
        dump_list(out, depth + 1, "by", e->u.call.by);
        break;
    case EX_UNARY:
        dump_expr(out, depth + 1, e->u.unary.operand);
        break;
    case EX_BINARY:
        dump_expr(out, depth + 1, e->u.binary.left);
        dump_expr(out, depth + 1, e->u.binary.right);
        break;
    case EX_WHERE:
    case EX_ANY:
    case EX_ALL:
        dump_expr(out, depth + 1, e->u.where.list);
        dump_expr(out, depth + 1, e->u.where.pred);
        break;
    case EX_IF:
        dump_expr(out, depth + 1, e->u.if_.cond);
        dump_expr(out, depth + 1, e->u.if_.then_);
        dump_expr(out, depth + 1, e->u.if_.else_);
        break;
    case EX_INTERVAL:
        dump_expr(out, depth + 1, e->u.interval.lo);
        dump_expr(out, depth + 1, e->u.interval.hi);
        break;
    case EX_SET:
        for (uint32_t i = 0; i < e->u.set.count; i++)
            dump_expr(out, depth + 1, e->u.set.items[i]);
        break;
    default:
        break;
    }
}

/* A labelled child expression: "applies" then the expression below. */
static void dump_labelled(strbuf *out, int depth, const char *label, const ast_expr *e)
{
    if (!e)
        return;
    line(out, depth, "%s", label);
    dump_expr(out, depth + 1, e);
}

/* ------------------------------------------------------------ declarations */

/* keyword: "record", or "extend record". */
static void dump_record(strbuf *out, int depth, const char *keyword, const ast_record *r)
{
    line(out, depth, "%s %s", keyword, r->name.name);
    for (uint32_t i = 0; i < r->nfields; i++) {
        const ast_field *f = &r->fields[i];
        sb_pad(out, ' ', (size_t)(depth + 1) * 2);
        sb_printf(out, "field %s: ", f->name.name);
        type_text(out, f->type);
        if (f->annotations & FIELD_ANN_KEY)
            sb_puts(out, " key");
        if (f->annotations & FIELD_ANN_LABEL)
            sb_puts(out, " label");
        if (f->annotations & FIELD_ANN_TAG)
            sb_puts(out, " tag");
        sb_putc(out, '\n');
        dump_labelled(out, depth + 2, "default", f->default_value);
        dump_labelled(out, depth + 2, "required when", f->required_when);
    }
}

static void dump_enum(strbuf *out, int depth, const ast_enum *e)
{
    sb_pad(out, ' ', (size_t)depth * 2);
    sb_printf(out, "enum %s", e->name.name);
    for (uint32_t i = 0; i < e->values.count; i++)
        sb_printf(out, "%s%s", i == 0 ? " " : e->ordered ? " < " : " | ",
                  e->values.items[i].name);
    sb_putc(out, '\n');
    for (uint32_t i = 0; i < e->naliases; i++)
        line(out, depth + 1, "alias %s = %s", e->aliases[i].name.name,
             e->aliases[i].target.name);
}

static void dump_fn(strbuf *out, int depth, const ast_fn *f)
{
    sb_pad(out, ' ', (size_t)depth * 2);
    sb_printf(out, "fn %s(", f->name.name);
    for (uint32_t i = 0; i < f->nparams; i++) {
        sb_printf(out, "%s%s: ", i ? ", " : "", f->params[i].name.name);
        type_text(out, f->params[i].type);
    }
    sb_puts(out, "): ");
    type_text(out, f->ret);
    sb_putc(out, '\n');
    dump_expr(out, depth + 1, f->body);
}

static void dump_let(strbuf *out, int depth, const ast_let *l)
{
    sb_pad(out, ' ', (size_t)depth * 2);
    sb_printf(out, "let %s", l->name.name);
    if (l->type) {
        sb_puts(out, ": ");
        type_text(out, l->type);
    }
    sb_putc(out, '\n');
    dump_expr(out, depth + 1, l->value);
}

static void dump_threshold(strbuf *out, int depth, const ast_threshold *t)
{
    static const char *const kinds[] = {
        [THR_NONE] = "none",
        [THR_AT_LEAST] = "at least",
        [THR_AT_MOST] = "at most",
        [THR_REQUIRED] = "required",
    };
    if (t->kind == THR_NONE)
        return;
    line(out, depth, "threshold %s", kinds[t->kind]);
    for (uint32_t i = 0; i < t->ncolumns; i++)
        dump_expr(out, depth + 1, t->columns[i]);
}

static void dump_req(strbuf *out, int depth, const ast_req *r)
{
    sb_pad(out, ' ', (size_t)depth * 2);
    sb_printf(out, "%s %s", r->is_part ? "part" : "requirement", r->id.name);
    if (r->title) {
        sb_putc(out, ' ');
        quoted(out, r->title, strlen(r->title));
    }
    if (r->time_bound)
        sb_puts(out, " time_bound");
    if (r->either)
        sb_puts(out, " either");
    if (r->family)
        sb_printf(out, " for each %s in", r->family->bound.name);
    sb_putc(out, '\n');
    if (r->family)
        dump_expr(out, depth + 2, r->family->values);
    for (uint32_t i = 0; i < r->nlets; i++)
        dump_let(out, depth + 1, r->lets[i]);
    dump_labelled(out, depth + 1, "measure", r->measure);
    dump_threshold(out, depth + 1, &r->threshold);
    dump_labelled(out, depth + 1, "not_applicable when", r->na_when);
    dump_labelled(out, depth + 1, "grace when", r->grace_when);
    dump_labelled(out, depth + 1, "at_risk when", r->at_risk_when);
    for (uint32_t i = 0; i < r->parts.count; i++)
        dump_req(out, depth + 1, r->parts.items[i]);
}

static void dump_program(strbuf *out, int depth, const ast_program *p)
{
    sb_pad(out, ' ', (size_t)depth * 2);
    sb_puts(out, "program ");
    quoted(out, p->id, strlen(p->id));
    sb_putc(out, ' ');
    quoted(out, p->title, strlen(p->title));
    sb_puts(out, " version ");
    quoted(out, p->version, strlen(p->version));
    sb_putc(out, '\n');
    if (p->extends) {
        sb_pad(out, ' ', (size_t)(depth + 1) * 2);
        sb_puts(out, "extends ");
        quoted(out, p->extends, strlen(p->extends));
        sb_putc(out, '\n');
    }
    dump_labelled(out, depth + 1, "applies when", p->applies);
    if (p->tiers.count) {
        sb_pad(out, ' ', (size_t)(depth + 1) * 2);
        sb_puts(out, "tiers");
        for (uint32_t i = 0; i < p->tiers.count; i++)
            sb_printf(out, "%s%s", i ? " < " : " ", p->tiers.items[i].name);
        sb_putc(out, '\n');
        dump_expr(out, depth + 2, p->tier_by);
    }
    if (p->each.name) {
        line(out, depth + 1, "for each %s report %s", p->each.name, p->items_key.name);
        dump_labelled(out, depth + 2, "in", p->items);
        dump_labelled(out, depth + 2, "label", p->item_label);
    }
    for (uint32_t i = 0; i < p->nerrors; i++) {
        sb_pad(out, ' ', (size_t)(depth + 1) * 2);
        sb_puts(out, "error ");
        quoted(out, p->errors[i].text, strlen(p->errors[i].text));
        sb_putc(out, '\n');
        dump_labelled(out, depth + 2, "when", p->errors[i].when);
        for (uint32_t a = 0; a < p->errors[i].nargs; a++)
            dump_expr(out, depth + 2, p->errors[i].args[a]);
    }
    for (uint32_t i = 0; i < p->nreports; i++) {
        const ast_report *r = &p->reports[i];
        line(out, depth + 1, "report %s for each %s", r->name.name, r->each.name);
        dump_labelled(out, depth + 2, "in", r->items);
        for (uint32_t c = 0; c < r->ncolumns; c++)
            dump_labelled(out, depth + 2, r->columns[c].name.name, r->columns[c].value);
    }
    dump_labelled(out, depth + 1, "rolling window", p->rolling);
    dump_labelled(out, depth + 1, "renewal window", p->renewal);
    dump_labelled(out, depth + 1, "due", p->due);
    for (uint32_t i = 0; i < p->nlets; i++)
        dump_let(out, depth + 1, p->lets[i]);
    for (uint32_t i = 0; i < p->ncategories; i++) {
        line(out, depth + 1, "category %s", p->categories[i].name.name);
        for (uint32_t j = 0; j < p->categories[i].reqs.count; j++)
            dump_req(out, depth + 2, p->categories[i].reqs.items[j]);
    }
    for (uint32_t i = 0; i < p->overrides.count; i++) {
        line(out, depth + 1, "override %s", p->overrides.items[i]->id.name);
        dump_threshold(out, depth + 2, &p->overrides.items[i]->threshold);
    }
}

/* A decision table's rows; its function is dumped as the fn item beside it. */
static void dump_table(strbuf *out, int depth, const ast_table *t)
{
    line(out, depth, "table %s", t->name.name);
    for (uint32_t r = 0; r < t->nrows; r++) {
        sb_pad(out, ' ', (size_t)(depth + 1) * 2);
        sb_puts(out, "row");
        for (uint32_t c = 0; c < t->rows[r].ncells; c++) {
            const char *cell = t->rows[r].cells[c].name;
            sb_printf(out, "%s%s", c == t->ninputs ? " -> " : " ", cell ? cell : "-");
        }
        sb_putc(out, '\n');
    }
}

static void dump_item(strbuf *out, const ast_item *item)
{
    switch (item->kind) {
    case ITEM_RECORD:
        dump_record(out, 1, "record", item->u.record);
        break;
    case ITEM_EXTEND:
        dump_record(out, 1, "extend record", item->u.record);
        break;
    case ITEM_ENUM:
        dump_enum(out, 1, item->u.enum_);
        break;
    case ITEM_SCHEMA:
        sb_puts(out, "  schema ");
        quoted(out, item->u.schema->id, strlen(item->u.schema->id));
        sb_printf(out, " root %s\n", item->u.schema->root.name);
        break;
    case ITEM_FN:
        dump_fn(out, 1, item->u.fn);
        break;
    case ITEM_LET:
        dump_let(out, 1, item->u.let);
        break;
    case ITEM_PROGRAM:
        dump_program(out, 1, item->u.program);
        break;
    case ITEM_TABLE:
        dump_table(out, 1, item->u.table);
        break;
    }
}

void ast_dump(const ast_file *f, strbuf *out)
{
    line(out, 0, "file");
    if (f->module.name)
        line(out, 1, "module %s", f->module.name);
    for (uint32_t i = 0; i < f->imports.count; i++)
        line(out, 1, "import %s", f->imports.items[i].name);
    for (uint32_t i = 0; i < f->nitems; i++)
        dump_item(out, &f->items[i]);
}
