/*
 * ast_build_test.c — building a rule-test file (the structures of rubric.h,
 * docs/language.md "Tests") from the grammar's actions: values, settings,
 * tests, and `expect` lines, whose first word says what they expect.
 */
#include <stdio.h>
#include <string.h>

#include "json_reader.h"
#include "parse_ctx.h"

/* ------------------------------------------------------------ values */

static rubric_test_span span_of(ast_loc loc)
{
    uint32_t length = loc.end_line == loc.line && loc.end_col >= loc.col
                          ? loc.end_col - loc.col + 1 : 1;
    return (rubric_test_span){loc.line, loc.col, length};
}

static ast_loc loc_of(const parse_ctx *ctx, rubric_test_span at)
{
    return (ast_loc){ctx->file, at.line, at.column, at.line, at.column + at.length - 1};
}

rubric_test_value ast_test_number(rubric_test_value_kind kind, int64_t number, ast_loc loc)
{
    return (rubric_test_value){kind, number, NULL, 0, span_of(loc)};
}

rubric_test_value ast_test_text(rubric_test_value_kind kind, const char *text, size_t len,
                                ast_loc loc)
{
    return (rubric_test_value){kind, 0, text, len, span_of(loc)};
}

rubric_test_value ast_test_name(const char *name, ast_loc loc)
{
    return ast_test_text(RUBRIC_TEST_NAME, name, strlen(name), loc);
}

static bool is_word(rubric_test_value v, const char *word)
{
    return v.kind == RUBRIC_TEST_NAME && strcmp(v.text, word) == 0;
}

/* ------------------------------------------------------------ the data block */

/* Where byte `offset` of a block that starts at `start` is. */
static ast_loc block_loc(const char *text, size_t offset, ast_loc start)
{
    ast_loc at = start;
    const char *line_start = NULL;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            at.line++;
            line_start = text + i + 1;
        }
    }
    at.col = line_start ? (uint32_t)(text + offset - line_start) + 1
                        : start.col + (uint32_t)offset;
    at.end_line = at.line;
    at.end_col = at.col;
    return at;
}

/* Read the block to its end as `rubric eval` reads a partner; false (and
 * the offset and reason) at the first mistake. */
static bool read_json(parse_ctx *ctx, const char *text, size_t len, size_t *offset,
                      const char **why)
{
    rubric_config defaults;
    rubric_config_init(&defaults);
    char *padded = parse_alloc(ctx, len + JSON_PADDING);
    json_reader *r = json_reader_new(ctx->mem->alloc, defaults.limits.max_depth);
    if (ctx->oom || !r) {
        json_reader_free(r);
        ctx->oom = ctx->fatal = true;
        return true;
    }
    memcpy(padded, text, len);
    json_text t;
    json_token tok = json_begin(r, padded, len) ? JT_OBJECT_START : JT_ERROR;
    while (tok != JT_ERROR && tok != JT_END)
        tok = json_next(r, &t);
    *offset = json_offset(r);
    *why = tok == JT_ERROR ? parse_strndup(ctx, json_error_message(r),
                                           strlen(json_error_message(r)))
                           : NULL;
    json_reader_free(r);
    return tok == JT_END;
}

rubric_test_value ast_test_json(parse_ctx *ctx, const char *text, size_t len, ast_loc loc)
{
    size_t offset;
    const char *why;
    if (!read_json(ctx, text, len, &offset, &why))
        parse_error(ctx, block_loc(text, offset < len ? offset : len, loc),
                    "the data is not valid JSON: %s", why);
    rubric_test_value v = ast_test_text(RUBRIC_TEST_STRING, text, len, loc);
    v.at.length = (uint32_t)strcspn(text, "\n"); /* its first line */
    return v;
}

/* ------------------------------------------------------------ settings and tests */

void ast_test_set(parse_ctx *ctx, ast_test_setting kind, rubric_test_value value,
                  rubric_test_value block, ast_loc at)
{
    parse_tests *t = &ctx->tests;
    rubric_test_case *c = t->in_test ? &t->current : &t->defaults;
    switch (kind) {
    case TEST_SET_AS_OF:
        c->as_of = value;
        break;
    case TEST_SET_PROGRAM:
        c->program = value;
        break;
    case TEST_SET_DATA:
        if (value.kind == RUBRIC_TEST_NONE && block.kind == RUBRIC_TEST_NONE)
            parse_error(ctx, at, "data needs a file (data \"partner.json\") or an indented "
                        "JSON object on the lines below");
        c->data_file = value;
        c->data_block = block;
        c->data_at = value.kind != RUBRIC_TEST_NONE ? value.at : span_of(at);
        break;
    }
}

void ast_test_begin(parse_ctx *ctx, rubric_test_value title)
{
    parse_tests *t = &ctx->tests;
    t->current = t->defaults;
    t->current.title = title;
    t->expects = (parse_vec){0};
    t->in_test = true;
}

/* Whether this file has an error reported on this line or below (the
 * parse reports in the order of the text). */
static bool errors_from(const parse_ctx *ctx, uint32_t line)
{
    const diag_list *l = ctx->diags;
    for (uint32_t i = l->items.len; i-- > 0;) {
        const diag *d = &l->items.items[i];
        if (d->file != ctx->file || d->d.line < line)
            return false;
        if (d->d.severity == RUBRIC_SEVERITY_ERROR)
            return true;
    }
    return false;
}

/* A test must end up with a date, a program, data and an expectation. */
static void check_complete(parse_ctx *ctx, const rubric_test_case *c)
{
    static const char *const missing[] = {"as_of date", "program", "data", "expect line"};
    bool lacks[] = {c->as_of.kind == RUBRIC_TEST_NONE, c->program.kind == RUBRIC_TEST_NONE,
                    c->data_file.kind == RUBRIC_TEST_NONE &&
                        c->data_block.kind == RUBRIC_TEST_NONE,
                    c->expect_count == 0};
    for (size_t i = 0; i < sizeof lacks / sizeof lacks[0]; i++)
        if (lacks[i])
            parse_error(ctx, loc_of(ctx, c->title.at), "test \"%s\" has no %s", c->title.text,
                        missing[i]);
}

void ast_test_end(parse_ctx *ctx)
{
    parse_tests *t = &ctx->tests;
    t->current.expects = t->expects.items;
    t->current.expect_count = t->expects.count;
    /* A line cut short says why it is; what the test lacks for it would
     * only say it again. */
    if (!errors_from(ctx, t->current.title.at.line))
        check_complete(ctx, &t->current);
    parse_vec_add(ctx, &t->cases, &t->current, sizeof t->current);
    t->in_test = false;
}

rubric_test_file *ast_test_file(parse_ctx *ctx, const char *path)
{
    rubric_test_file *f = parse_alloc(ctx, sizeof *f);
    f->path = path;
    f->cases = ctx->tests.cases.items;
    f->case_count = ctx->tests.cases.count;
    if (f->case_count == 0)
        parse_error(ctx, (ast_loc){ctx->file, 1, 1, 1, 1}, "no test in this file");
    return f;
}

/* ------------------------------------------------------------ expect lines */

/* `expect WORD VALUE`: what each word expects, and how its value is written. */
static const struct scalar_word {
    const char *word;
    rubric_expect_kind kind;
    rubric_test_value_kind value;
    const char *form;
} scalar_words[] = {
    {"eligible_tier", RUBRIC_EXPECT_ELIGIBLE_TIER, RUBRIC_TEST_NAME,
     "expect eligible_tier TIER (or none)"},
    {"current_tier", RUBRIC_EXPECT_CURRENT_TIER, RUBRIC_TEST_NAME, "expect current_tier TIER"},
    {"renewal_tier", RUBRIC_EXPECT_RENEWAL_TIER, RUBRIC_TEST_NAME,
     "expect renewal_tier TIER (or none)"},
    {"renewal_status", RUBRIC_EXPECT_RENEWAL_STATUS, RUBRIC_TEST_NAME,
     "expect renewal_status STATUS (or none)"},
    {"review_date", RUBRIC_EXPECT_REVIEW_DATE, RUBRIC_TEST_DATE,
     "expect review_date YYYY-MM-DD"},
    {"upgrade_tier", RUBRIC_EXPECT_UPGRADE_TIER, RUBRIC_TEST_NAME,
     "expect upgrade_tier TIER (or none)"},
    {"upgrade_eligible", RUBRIC_EXPECT_UPGRADE_ELIGIBLE, RUBRIC_TEST_BOOL,
     "expect upgrade_eligible true (or false)"},
    {"error", RUBRIC_EXPECT_ERROR, RUBRIC_TEST_STRING, "expect error \"part of the message\""},
};
#define NSCALARS (sizeof scalar_words / sizeof scalar_words[0])

static const char item_form[] =
    "expect application \"LABEL\" ready (or not_ready), or "
    "expect application \"LABEL\" REQUIREMENT STATUS [ACTUAL]";
static const char requirement_form[] =
    "expect TIER REQUIREMENT STATUS [ACTUAL], or expect renewal REQUIREMENT STATUS [ACTUAL]";

static const struct scalar_word *scalar_word(rubric_test_value word)
{
    for (size_t i = 0; i < NSCALARS; i++)
        if (is_word(word, scalar_words[i].word))
            return &scalar_words[i];
    return NULL;
}

/* The form of a line that starts with this word, or NULL for a tier. */
static const char *form_of(rubric_test_value word)
{
    const struct scalar_word *s = scalar_word(word);
    if (s)
        return s->form;
    if (is_word(word, "application"))
        return item_form;
    if (is_word(word, "not_applied"))
        return "expect not_applied";
    return NULL;
}

static void wrong_form(parse_ctx *ctx, rubric_test_span at, const char *form)
{
    parse_error(ctx, loc_of(ctx, at), "expected '%s'", form);
}

/* A word that is no expectation, where one is needed: a misspelt one, or
 * the tier of a requirement's line that is cut short. */
static void unknown_word(parse_ctx *ctx, rubric_test_value word)
{
    const char *words[NSCALARS + 2] = {"not_applied", "application"};
    for (size_t i = 0; i < NSCALARS; i++)
        words[i + 2] = scalar_words[i].word;
    const char *near = suggest_name(word.text, words, NSCALARS + 2);
    if (!near) {
        wrong_form(ctx, word.at, requirement_form);
        return;
    }
    uint32_t before = ctx->diags->items.len;
    parse_error(ctx, loc_of(ctx, word.at), "unknown expectation '%s'", word.text);
    if (ctx->diags->items.len > before)
        diag_hint(ctx->diags, "did you mean '%s'?", near);
}

static void add_expect(parse_ctx *ctx, rubric_expect_kind kind, rubric_test_value word,
                       rubric_test_expect e)
{
    if (!ctx->tests.in_test)
        return;
    e.kind = kind;
    e.word = word;
    parse_vec_add(ctx, &ctx->tests.expects, &e, sizeof e);
}

void ast_test_expect_word(parse_ctx *ctx, rubric_test_value word)
{
    const char *form = form_of(word);
    if (is_word(word, "not_applied"))
        add_expect(ctx, RUBRIC_EXPECT_NOT_APPLIED, word, (rubric_test_expect){0});
    else if (form)
        wrong_form(ctx, word.at, form);
    else
        unknown_word(ctx, word);
}

void ast_test_expect_scalar(parse_ctx *ctx, rubric_test_value word, rubric_test_value value)
{
    const struct scalar_word *s = scalar_word(word);
    const char *form = form_of(word);
    if (!form) {
        unknown_word(ctx, word);
    } else if (!s) {
        wrong_form(ctx, value.at, form);
    } else if (value.kind != s->value) {
        wrong_form(ctx, value.at, s->form);
    } else {
        rubric_test_expect e = {0};
        e.value = value;
        add_expect(ctx, s->kind, word, e);
    }
}

void ast_test_expect_requirement(parse_ctx *ctx, rubric_test_value view, rubric_test_value req,
                                 rubric_test_value status, rubric_test_value actual)
{
    const char *form = form_of(view);
    if (form) {
        wrong_form(ctx, view.at, form);
        return;
    }
    bool absent = is_word(status, "absent");
    if (absent && actual.kind != RUBRIC_TEST_NONE) {
        parse_error(ctx, loc_of(ctx, actual.at), "an absent requirement has no actual value");
        return;
    }
    rubric_test_expect e = {0};
    e.subject = view;
    e.requirement = req;
    e.status = status;
    e.value = actual;
    add_expect(ctx, absent ? RUBRIC_EXPECT_ABSENT : RUBRIC_EXPECT_REQUIREMENT, view, e);
}

void ast_test_expect_item(parse_ctx *ctx, rubric_test_value word, rubric_test_value label,
                          rubric_test_value req, rubric_test_value status,
                          rubric_test_value actual)
{
    if (!is_word(word, "application")) {
        wrong_form(ctx, word.at, item_form);
        return;
    }
    rubric_test_expect e = {0};
    e.subject = label;
    e.requirement = req;
    e.status = status;
    e.value = actual;
    bool status_only = req.kind == RUBRIC_TEST_NONE;
    add_expect(ctx, status_only ? RUBRIC_EXPECT_ITEM_STATUS : RUBRIC_EXPECT_ITEM_REQUIREMENT,
               word, e);
}

void ast_test_expect_row(parse_ctx *ctx, rubric_test_value list, rubric_test_value row,
                         rubric_test_value column, rubric_test_value value)
{
    const char *form = form_of(list);
    if (form) {
        wrong_form(ctx, list.at, form);
        return;
    }
    if (row.number < 1) {
        parse_error(ctx, loc_of(ctx, row.at), "rows are numbered from 1");
        return;
    }
    rubric_test_expect e = {0};
    e.subject = list;
    e.row = row;
    e.requirement = column;
    e.value = value;
    add_expect(ctx, RUBRIC_EXPECT_ROW, list, e);
}
