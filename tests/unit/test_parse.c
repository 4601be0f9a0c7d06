/*
 * test_parse.c — the grammar on valid input: the standard rules and the
 * examples parse without a diagnostic, each literal kind decodes to its
 * value, continuation lines and blocks give the expected tree, and the
 * dump of a representative program matches its golden file.
 */
#include "test_support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "diag.h"
#include "parse.h"

typedef struct parsed {
    source_table sources;
    diag_list diags;
    arena mem;
    ast_file *file;
} parsed;

static void parse_text(parsed *p, const char *path, const char *text, size_t len)
{
    sources_init(&p->sources, test_alloc());
    diags_init(&p->diags, test_alloc(), &p->sources);
    arena_init(&p->mem, test_alloc(), 0);
    uint32_t f = sources_add(&p->sources, path, text, len, NULL, true);
    assert_int_not_equal(f, UINT32_MAX);
    p->file = parse_file(f, &p->mem, &p->diags);
    assert_non_null(p->file);
}

/* Print the diagnostics, to see why a test failed. */
static void show_diags(const parsed *p)
{
    for (uint32_t i = 0; i < p->diags.items.len; i++) {
        const rubric_diag *d = &p->diags.items.items[i].d;
        printf("%s:%u:%u: %s\n", d->file, d->line, d->column, d->message);
    }
}

/* Parse text that must be free of errors. */
static void parse_ok(parsed *p, const char *text)
{
    parse_text(p, "test.rubric", text, strlen(text));
    show_diags(p);
    assert_int_equal(p->diags.items.len, 0);
}

static void parsed_free(parsed *p)
{
    arena_free(&p->mem);
    diags_free(&p->diags);
    sources_free(&p->sources);
}

static char *dump(const parsed *p)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    ast_dump(p->file, &sb);
    assert_false(sb.failed);
    return sb.data;
}

static void free_dump(char *s)
{
    mem_free(test_alloc(), s, strlen(s) + 1);
}

/* The value of `let x = ...`, the first item of a parsed file. */
static const ast_expr *let_value(const parsed *p, uint32_t item)
{
    assert_true(item < p->file->nitems);
    assert_int_equal(p->file->items[item].kind, ITEM_LET);
    return p->file->items[item].u.let->value;
}

static void assert_loc(ast_loc loc, uint32_t line, uint32_t col, uint32_t end_line,
                       uint32_t end_col)
{
    assert_int_equal(loc.line, line);
    assert_int_equal(loc.col, col);
    assert_int_equal(loc.end_line, end_line);
    assert_int_equal(loc.end_col, end_col);
}

/* ------------------------------------------------------------ real files */

static void parses_cleanly(const char *relative)
{
    size_t len = 0;
    char *text = test_read_file(test_path(relative), &len);
    assert_non_null(text);
    parsed p;
    parse_text(&p, relative, text, len);
    show_diags(&p);
    assert_int_equal(p.diags.items.len, 0);
    assert_true(p.file->nitems > 0);
    parsed_free(&p);
    free(text);
}

static void test_stdlib_and_examples_parse(void **state)
{
    (void)state;
    parses_cleanly("stdlib-rules/apn/partner.rubric");
    parses_cleanly("stdlib-rules/apn/common.rubric");
    parses_cleanly("stdlib-rules/apn/consulting_2019.rubric");
    parses_cleanly("examples/rules/cloud_security.rubric");
    parses_cleanly("tests/parse/representative.rubric");
}

static void test_stdlib_tree_shape(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = test_read_file(test_path("stdlib-rules/apn/consulting_2019.rubric"), &len);
    assert_non_null(text);
    parsed p;
    parse_text(&p, "c.rubric", text, len);
    assert_string_equal(p.file->module.name, "apn.consulting_2019");
    assert_int_equal(p.file->imports.count, 2);
    assert_string_equal(p.file->imports.items[1].name, "apn.common");
    assert_loc(p.file->imports.items[1].loc, 5, 8, 5, 17);
    assert_int_equal(p.file->nitems, 1);
    const ast_program *prog = p.file->items[0].u.program;
    assert_string_equal(prog->id, "apn-2019-consulting");
    assert_string_equal(prog->version, "1.2");
    assert_int_equal(prog->tiers.count, 3);
    assert_string_equal(prog->tiers.items[2].name, "Premier");
    assert_int_equal(prog->ncategories, 4);
    assert_string_equal(prog->categories[3].name.name, "Customer Success");
    const ast_req *sustained = prog->categories[2].reqs.items[3];
    assert_string_equal(sustained->id.name, "sustained_premier");
    assert_int_equal(sustained->measure->kind, EX_SUSTAINED);
    assert_int_equal(sustained->measure->u.sustained.nexcept, 3);
    assert_string_equal(sustained->measure->u.sustained.except[2], "executive_business_review");
    assert_non_null(sustained->na_when);
    assert_int_equal(sustained->threshold.ncolumns, 3);
    assert_null(sustained->threshold.columns[0]);
    assert_int_equal(sustained->threshold.columns[2]->kind, EX_DURATION);
    parsed_free(&p);
    free(text);
}

/* ------------------------------------------------------------ golden */

static void test_dump_golden(void **state)
{
    (void)state;
    size_t len = 0, golden_len = 0;
    char *text = test_read_file(test_path("tests/parse/representative.rubric"), &len);
    char *golden = test_read_file(test_path("tests/parse/representative.ast"), &golden_len);
    assert_non_null(text);
    assert_non_null(golden);
    parsed p;
    parse_text(&p, "representative.rubric", text, len);
    show_diags(&p);
    assert_int_equal(p.diags.items.len, 0);
    char *d = dump(&p);
    if (strcmp(d, golden) != 0) {
        /* RUBRIC_UPDATE_GOLDEN=1 rewrites the golden file from the dump. */
        const char *update = getenv("RUBRIC_UPDATE_GOLDEN");
        FILE *f = update && *update == '1'
                      ? fopen(test_path("tests/parse/representative.ast"), "wb")
                      : NULL;
        if (f) {
            fputs(d, f);
            fclose(f);
        }
    }
    assert_string_equal(d, golden);
    free_dump(d);
    parsed_free(&p);
    free(text);
    free(golden);
}

/* ------------------------------------------------------------ literals */

static void test_literals(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = 20\n"
                 "let b = $2,500\n"
                 "let c = $10,498.56\n"
                 "let d = $0.5\n"
                 "let e = $1500\n"
                 "let f = 2019-12-13\n"
                 "let g = 2026-01\n"
                 "let h = 12 months\n"
                 "let i = 1 month\n"
                 "let j = 90 days\n"
                 "let k = 2 years\n"
                 "let l = \"a \\\"quoted\\\" word\\n\\t\\\\\"\n"
                 "let m = true\n"
                 "let n = false\n"
                 "let o = null\n"
                 "let p = 9223372036854775807\n"
                 "let q = \"caf\xc3\xa9\"\n"
                 "let r = 1 day\n");
    assert_int_equal(let_value(&p, 0)->kind, EX_INT);
    assert_int_equal(let_value(&p, 0)->u.i, 20);
    assert_int_equal(let_value(&p, 1)->kind, EX_MONEY);
    assert_int_equal(let_value(&p, 1)->u.i, 250000);
    assert_int_equal(let_value(&p, 2)->u.i, 1049856);
    assert_int_equal(let_value(&p, 3)->u.i, 50);
    assert_int_equal(let_value(&p, 4)->u.i, 150000);
    assert_int_equal(let_value(&p, 5)->kind, EX_DATE);
    assert_int_equal(let_value(&p, 5)->u.i, cal_from_ymd(2019, 12, 13));
    assert_int_equal(let_value(&p, 6)->kind, EX_MONTH);
    assert_int_equal(let_value(&p, 6)->u.i, 2026 * 12);
    assert_int_equal(let_value(&p, 7)->kind, EX_DURATION);
    assert_int_equal(let_value(&p, 7)->u.dur.amount, 12);
    assert_int_equal(let_value(&p, 7)->u.dur.unit, DUR_MONTHS);
    assert_int_equal(let_value(&p, 8)->u.dur.amount, 1);
    assert_int_equal(let_value(&p, 8)->u.dur.unit, DUR_MONTHS);
    assert_int_equal(let_value(&p, 9)->u.dur.amount, 90);
    assert_int_equal(let_value(&p, 9)->u.dur.unit, DUR_DAYS);
    assert_int_equal(let_value(&p, 10)->u.dur.amount, 24);
    assert_int_equal(let_value(&p, 10)->u.dur.unit, DUR_MONTHS);
    const ast_expr *s = let_value(&p, 11);
    assert_int_equal(s->kind, EX_STRING);
    assert_int_equal(s->u.str.len, 18);
    assert_memory_equal(s->u.str.ptr, "a \"quoted\" word\n\t\\", 18);
    assert_loc(s->loc, 12, 9, 12, 33);
    assert_int_equal(let_value(&p, 12)->kind, EX_BOOL);
    assert_true(let_value(&p, 12)->u.b);
    assert_false(let_value(&p, 13)->u.b);
    assert_int_equal(let_value(&p, 14)->kind, EX_NULL);
    assert_int_equal(let_value(&p, 15)->u.i, INT64_MAX);
    assert_string_equal(let_value(&p, 16)->u.str.ptr, "caf\xc3\xa9");
    assert_int_equal(let_value(&p, 17)->u.dur.amount, 1);
    assert_int_equal(let_value(&p, 17)->u.dur.unit, DUR_DAYS);
    /* Spans of literals cover their text. */
    assert_loc(let_value(&p, 2)->loc, 3, 9, 3, 18);
    assert_loc(let_value(&p, 7)->loc, 8, 9, 8, 17);
    parsed_free(&p);
}

static void test_month_is_not_a_subtraction(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = 2026-11\nlet b = 2026 - 11\n");
    assert_int_equal(let_value(&p, 0)->kind, EX_MONTH);
    assert_int_equal(let_value(&p, 1)->kind, EX_BINARY);
    assert_int_equal(let_value(&p, 1)->u.binary.op, OPX_SUB);
    parsed_free(&p);
}

static void test_number_then_word_is_not_a_duration(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = if x then 12 else 3\n");
    const ast_expr *e = let_value(&p, 0);
    assert_int_equal(e->kind, EX_IF);
    assert_int_equal(e->u.if_.then_->kind, EX_INT);
    assert_int_equal(e->u.if_.then_->u.i, 12);
    assert_loc(e->u.if_.then_->loc, 1, 19, 1, 20);
    assert_int_equal(e->u.if_.else_->u.i, 3);
    parsed_free(&p);
}

/* ------------------------------------------------------------ expressions */

static void test_precedence(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = L where x or y and not z == 1 + 2 * -3\n"
                 "let b = a ?? b ?? c\n"
                 "let c = a + b in (x, y]\n");
    const ast_expr *w = let_value(&p, 0);
    assert_int_equal(w->kind, EX_WHERE);
    const ast_expr *or_ = w->u.where.pred;
    assert_int_equal(or_->u.binary.op, OPX_OR);
    const ast_expr *and_ = or_->u.binary.right;
    assert_int_equal(and_->u.binary.op, OPX_AND);
    const ast_expr *not_ = and_->u.binary.right;
    assert_int_equal(not_->kind, EX_UNARY);
    assert_int_equal(not_->u.unary.op, OPX_NOT);
    const ast_expr *eq = not_->u.unary.operand;
    assert_int_equal(eq->u.binary.op, OPX_EQ);
    const ast_expr *add = eq->u.binary.right;
    assert_int_equal(add->u.binary.op, OPX_ADD);
    const ast_expr *mul = add->u.binary.right;
    assert_int_equal(mul->u.binary.op, OPX_MUL);
    assert_int_equal(mul->u.binary.right->kind, EX_UNARY);
    assert_int_equal(mul->u.binary.right->u.unary.op, OPX_NEG);
    assert_loc(w->loc, 1, 9, 1, 46);

    const ast_expr *co = let_value(&p, 1);
    assert_int_equal(co->u.binary.op, OPX_COALESCE);
    assert_int_equal(co->u.binary.right->kind, EX_BINARY); /* right-associative */

    const ast_expr *in = let_value(&p, 2);
    assert_int_equal(in->u.binary.op, OPX_IN);
    assert_int_equal(in->u.binary.left->u.binary.op, OPX_ADD);
    assert_int_equal(in->u.binary.right->kind, EX_INTERVAL);
    parsed_free(&p);
}

static void test_intervals_parens_and_sets(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = (x, y]\n"
                 "let b = [x, y)\n"
                 "let c = (x, y)\n"
                 "let d = [x, y]\n"
                 "let e = (x)\n"
                 "let f = {a, \"b\", 3}\n"
                 "let g = (L where p).f\n");
    const ast_expr *a = let_value(&p, 0);
    assert_int_equal(a->kind, EX_INTERVAL);
    assert_true(a->u.interval.lo_open);
    assert_false(a->u.interval.hi_open);
    assert_loc(a->loc, 1, 9, 1, 14);
    const ast_expr *b = let_value(&p, 1);
    assert_false(b->u.interval.lo_open);
    assert_true(b->u.interval.hi_open);
    assert_true(let_value(&p, 2)->u.interval.lo_open && let_value(&p, 2)->u.interval.hi_open);
    assert_false(let_value(&p, 3)->u.interval.lo_open || let_value(&p, 3)->u.interval.hi_open);
    assert_int_equal(let_value(&p, 4)->kind, EX_NAME);
    assert_string_equal(let_value(&p, 4)->u.name, "x");
    const ast_expr *f = let_value(&p, 5);
    assert_int_equal(f->kind, EX_SET);
    assert_int_equal(f->u.set.count, 3);
    assert_int_equal(f->u.set.items[1]->kind, EX_STRING);
    const ast_expr *g = let_value(&p, 6);
    assert_int_equal(g->kind, EX_FIELD);
    assert_string_equal(g->u.field.name, "f");
    assert_loc(g->u.field.name_loc, 7, 21, 7, 21);
    assert_int_equal(g->u.field.base->kind, EX_WHERE);
    parsed_free(&p);
}

static void test_calls_any_all(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = distinct(L by kind, name)\n"
                 "let b = count()\n"
                 "let c = any a.b (it.x == 1)\n"
                 "let d = all certs (true)\n"
                 "let e = max(x, y).z\n"
                 "let f = g(by k)\n");
    const ast_expr *a = let_value(&p, 0);
    assert_int_equal(a->kind, EX_CALL);
    assert_string_equal(a->u.call.name, "distinct");
    assert_loc(a->u.call.name_loc, 1, 9, 1, 16);
    assert_loc(a->loc, 1, 9, 1, 33);
    assert_int_equal(a->u.call.args.count, 1);
    assert_int_equal(a->u.call.by.count, 2);
    assert_string_equal(a->u.call.by.items[1]->u.name, "name");
    assert_int_equal(let_value(&p, 1)->u.call.args.count, 0);
    const ast_expr *c = let_value(&p, 2);
    assert_int_equal(c->kind, EX_ANY);
    assert_int_equal(c->u.where.list->kind, EX_FIELD);
    assert_int_equal(c->u.where.pred->u.binary.left->kind, EX_FIELD);
    assert_int_equal(c->u.where.pred->u.binary.left->u.field.base->kind, EX_IT);
    assert_int_equal(let_value(&p, 3)->kind, EX_ALL);
    assert_int_equal(let_value(&p, 4)->kind, EX_FIELD);
    assert_int_equal(let_value(&p, 5)->u.call.args.count, 0);
    assert_int_equal(let_value(&p, 5)->u.call.by.count, 1);
    parsed_free(&p);
}

/* ------------------------------------------------------------ layout */

static void test_continuation_lines(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "let a = x where\n"
                 "  y and\n"
                 "      z\n"
                 "let b = f(1,\n"
                 "2)\n"
                 "let c =\n"
                 "  if p then 1\n"
                 "  else 2\n"
                 "let d = {a,\n"
                 "   # a comment inside\n"
                 "\n"
                 "  b}\n"
                 "let e = 1 +\n"
                 "  2 ==\n"
                 "  3\n"
                 "enum T a <\n"
                 "  b\n");
    assert_int_equal(p.file->nitems, 6);
    const ast_expr *a = let_value(&p, 0);
    assert_int_equal(a->kind, EX_WHERE);
    assert_loc(a->loc, 1, 9, 3, 7);
    assert_int_equal(let_value(&p, 1)->u.call.args.count, 2);
    assert_int_equal(let_value(&p, 2)->kind, EX_IF);
    assert_int_equal(let_value(&p, 3)->u.set.count, 2);
    assert_int_equal(let_value(&p, 4)->u.binary.op, OPX_EQ);
    assert_int_equal(p.file->items[5].u.enum_->values.count, 2);
    assert_true(p.file->items[5].u.enum_->ordered);
    parsed_free(&p);
}

static void test_blank_and_comment_lines_do_not_count(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "\n# leading comment\n\nrecord A\n\n  a: int   # trailing\n"
                 "# at column one\n      # deeper comment\n  b: int\n\r\n"
                 "record B\n  c: int");
    assert_int_equal(p.file->nitems, 2);
    assert_int_equal(p.file->items[0].u.record->nfields, 2);
    assert_int_equal(p.file->items[1].u.record->nfields, 1);
    assert_loc(p.file->items[1].u.record->fields[0].loc, 12, 3, 12, 8);
    parsed_free(&p);
}

static void test_requirements_and_parts(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "program \"p\" \"P\" version \"1\"\n"
                 "  category K\n"
                 "    requirement r \"R\" time_bound\n"
                 "      let x = 1\n"
                 "      x   at least 1 | -5 | $2\n"
                 "      part q \"Q\"   x   at most 2\n"
                 "        part s \"S\" either\n"
                 "          part t \"T\"   x   required\n"
                 "      at_risk when true\n"
                 "  requirement r.q required - | yes\n");
    const ast_program *prog = p.file->items[0].u.program;
    const ast_req *r = prog->categories[0].reqs.items[0];
    assert_false(r->is_part);
    assert_true(r->time_bound);
    assert_string_equal(r->title, "R");
    assert_loc(r->title_loc, 3, 19, 3, 21);
    assert_loc(r->loc, 3, 5, 3, 32);
    assert_int_equal(r->nlets, 1);
    assert_int_equal(r->threshold.kind, THR_AT_LEAST);
    assert_int_equal(r->threshold.ncolumns, 3);
    assert_int_equal(r->threshold.columns[1]->kind, EX_UNARY);
    assert_int_equal(r->threshold.columns[2]->kind, EX_MONEY);
    assert_loc(r->threshold.loc, 5, 11, 5, 30);
    assert_non_null(r->at_risk_when);
    const ast_req *q = r->parts.items[0];
    assert_true(q->is_part);
    assert_int_equal(q->threshold.kind, THR_AT_MOST);
    const ast_req *s = q->parts.items[0];
    assert_true(s->either);
    assert_null(s->measure);
    const ast_req *t = s->parts.items[0];
    assert_int_equal(t->threshold.kind, THR_REQUIRED);
    assert_int_equal(t->threshold.ncolumns, 1);
    assert_int_equal(t->threshold.columns[0]->kind, EX_BOOL);
    const ast_req *o = prog->overrides.items[0];
    assert_string_equal(o->id.name, "r.q");
    assert_null(o->title);
    assert_int_equal(o->threshold.ncolumns, 2);
    assert_null(o->threshold.columns[0]);
    assert_true(o->threshold.columns[1]->u.b);
    parsed_free(&p);
}

static void test_types_and_fields(void **state)
{
    (void)state;
    parsed p;
    parse_ok(&p, "record R\n"
                 "  a: list of map of int?\n"
                 "  b: bool? required when k == x tag label\n"
                 "  c: int = 0 key\n"
                 "  d: (map of int)? ?\n"
                 "fn f(): int = 1\n"
                 "let v: list of string = x\n"
                 "schema \"s/1\" root R\n");
    const ast_record *r = p.file->items[0].u.record;
    const ast_type *t = r->fields[0].type;
    assert_int_equal(t->kind, TY_LIST);
    assert_int_equal(t->elem->kind, TY_MAP);
    assert_int_equal(t->elem->elem->kind, TY_OPTIONAL);
    assert_string_equal(t->elem->elem->elem->name, "int");
    assert_non_null(r->fields[1].required_when);
    assert_int_equal(r->fields[1].annotations, FIELD_ANN_TAG | FIELD_ANN_LABEL);
    assert_int_equal(r->fields[2].annotations, FIELD_ANN_KEY);
    assert_int_equal(r->fields[2].default_value->u.i, 0);
    const ast_type *d = r->fields[3].type;
    assert_int_equal(d->kind, TY_OPTIONAL);
    assert_loc(d->loc, 5, 6, 5, 20);
    assert_int_equal(d->elem->kind, TY_OPTIONAL);
    assert_loc(d->elem->loc, 5, 6, 5, 18);
    assert_int_equal(d->elem->elem->kind, TY_MAP);
    assert_loc(d->elem->elem->loc, 5, 7, 5, 16);
    assert_int_equal(p.file->items[1].u.fn->nparams, 0);
    assert_int_equal(p.file->items[2].u.let->type->kind, TY_LIST);
    const ast_schema *schema = p.file->items[3].u.schema;
    assert_string_equal(schema->id, "s/1");
    assert_loc(schema->id_loc, 8, 8, 8, 12);
    assert_string_equal(schema->root.name, "R");
    assert_loc(schema->root.loc, 8, 19, 8, 19);
    assert_loc(schema->loc, 8, 1, 8, 19);
    parsed_free(&p);
}

static void test_several_parses_are_independent(void **state)
{
    (void)state;
    /* Nothing of one parse leaks into the next (no global state). */
    parsed a, b;
    parse_text(&a, "a.rubric", "record A\n  x: int\n", 17);
    parse_ok(&b, "let y = 1\n");
    assert_int_equal(a.file->nitems, 1);
    assert_int_equal(b.file->nitems, 1);
    assert_int_equal(b.file->items[0].kind, ITEM_LET);
    parsed_free(&a);
    parsed_free(&b);
}

/* The parser keeps no global state: parses in threads give the same
 * trees as one alone. */
typedef struct thread_job {
    const char *text;
    size_t len;
    const char *expected; /* dump */
    bool same;
} thread_job;

/* One parse and dump compared with the expected one, without cmocka's
 * assertions (they may not fail outside the main thread). */
static bool parse_matches(const thread_job *job)
{
    parsed p;
    sources_init(&p.sources, test_alloc());
    diags_init(&p.diags, test_alloc(), &p.sources);
    arena_init(&p.mem, test_alloc(), 0);
    uint32_t f = sources_add(&p.sources, "c.rubric", job->text, job->len, NULL, true);
    p.file = f == UINT32_MAX ? NULL : parse_file(f, &p.mem, &p.diags);
    bool same = false;
    if (p.file && p.diags.items.len == 0) {
        strbuf sb;
        sb_init(&sb, test_alloc());
        ast_dump(p.file, &sb);
        same = !sb.failed && strcmp(sb.data, job->expected) == 0;
        sb_free(&sb);
    }
    parsed_free(&p);
    return same;
}

static void *parse_repeatedly(void *arg)
{
    thread_job *job = arg;
    job->same = true;
    for (int i = 0; i < 50; i++)
        job->same = parse_matches(job) && job->same;
    return NULL;
}

static void test_parses_in_threads(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = test_read_file(test_path("stdlib-rules/apn/common.rubric"), &len);
    assert_non_null(text);
    parsed p;
    parse_text(&p, "c.rubric", text, len);
    char *expected = dump(&p);
    parsed_free(&p);
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){text, len, expected, false};
        assert_int_equal(pthread_create(&threads[i], NULL, parse_repeatedly, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_true(jobs[i].same);
    }
    free_dump(expected);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stdlib_and_examples_parse),
        cmocka_unit_test(test_stdlib_tree_shape),
        cmocka_unit_test(test_dump_golden),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_month_is_not_a_subtraction),
        cmocka_unit_test(test_number_then_word_is_not_a_duration),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_intervals_parens_and_sets),
        cmocka_unit_test(test_calls_any_all),
        cmocka_unit_test(test_continuation_lines),
        cmocka_unit_test(test_blank_and_comment_lines_do_not_count),
        cmocka_unit_test(test_requirements_and_parts),
        cmocka_unit_test(test_types_and_fields),
        cmocka_unit_test(test_several_parses_are_independent),
        cmocka_unit_test(test_parses_in_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
