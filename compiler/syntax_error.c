/*
 * syntax_error.c — the wording of the syntax errors the parser detects
 * (syntax_error.h).
 */
#include "syntax_error.h"

#include <stdio.h>

/* How the unexpected token is written in the source. */
static void describe_unexpected(const parse_ctx *ctx, int tok, char *out, size_t size)
{
    switch (tok) {
    case RBP_EOF:
        snprintf(out, size, "end of file");
        return;
    case T_NEWLINE:
        snprintf(out, size, "end of line");
        return;
    case T_INDENT:
        snprintf(out, size, "indentation");
        return;
    case T_DEDENT:
        snprintf(out, size, "end of block");
        return;
    default:
        break;
    }
    const char *text = ctx->text + ctx->last.offset;
    int len = (int)(ctx->last.len > 40 ? 40 : ctx->last.len);
    const char *more = ctx->last.len > 40 ? "…" : "";
    if (tok == T_STRING)
        snprintf(out, size, "%.*s%s", len, text, more);
    else
        snprintf(out, size, "'%.*s%s'", len, text, more);
}

static bool starts_expression(int kind)
{
    switch (kind) {
    case T_INT: case T_MONEY: case T_DATE: case T_MONTH: case T_DURATION: case T_STRING:
    case T_TRUE: case T_FALSE: case T_NULL: case T_IDENT: case T_IT: case T_AS_OF:
    case T_WINDOW: case T_ANY: case T_ALL: case T_NOT: case T_IF: case T_SUSTAINED:
    case '-': case '(': case '[': case '{':
        return true;
    default:
        return false;
    }
}

static bool continues_expression(int kind)
{
    switch (kind) {
    case T_WHERE: case T_OR: case T_AND: case T_EQ: case T_NE: case T_LE: case T_GE:
    case T_IN: case T_COALESCE:
    case '-': case '<': case '>': case '+': case '*': case '/': case '.':
        return true;
    default:
        return false;
    }
}

/* The expected tokens, grouped: "an expression" for all the tokens that
 * may start one, "an operator" for those that may continue one.  More
 * than max names: max + 1. */
static int describe_expected(const parse_syntax_error *e, const char **names, int max)
{
    bool expression = false, operator = false;
    for (int i = 0; i < e->nexpected; i++) {
        if (e->expected[i] == T_INT)
            expression = true;
        if (e->expected[i] == '+')
            operator = true;
    }
    int count = 0;
    for (int i = 0; i < e->nexpected; i++) {
        int kind = e->expected[i];
        if ((expression && starts_expression(kind)) ||
            (operator && continues_expression(kind)) ||
            (operator && kind == '(') /* a call */)
            continue;
        if (count == max)
            return max + 1;
        names[count++] = e->expected_names[i];
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
static bool unknown_clause(const parse_syntax_error *e, parse_ctx *ctx)
{
    bool clause = e->nexpected == 1 || e->nexpected == 2;
    for (int i = 0; i < e->nexpected && clause; i++)
        clause = e->expected[i] == T_WINDOW || e->expected[i] == T_WHEN;
    if (!clause || ctx->prev.kind != T_IDENT)
        return false;
    parse_error(ctx, ctx->prev.loc, "unknown program clause '%s'", ctx->prev.value.name);
    diag_hint(ctx->diags, "a program's lines are extends, applies when, tiers, rolling window, "
              "renewal window, let, requirement and category");
    ctx->skipped_line = ctx->prev.loc.line;
    return true;
}

static bool expects(const parse_syntax_error *e, int kind)
{
    for (int i = 0; i < e->nexpected; i++)
        if (e->expected[i] == kind)
            return true;
    return false;
}

/* A line of a test file that starts with a word of no line (`expcet`,
 * `let`): where a test's line starts the parser wants `expect`, where the
 * file's wants `test`. */
static bool unknown_test_line(const parse_syntax_error *e, parse_ctx *ctx)
{
    static const char *const test_words[] = {"as_of", "program", "data", "expect"};
    static const char *const file_words[] = {"test", "as_of", "program", "data"};
    bool in_test = expects(e, T_EXPECT);
    const char *word = ctx->text + ctx->last.offset;
    bool is_word = ctx->last.len && (word[0] == '_' || (word[0] | 0x20) >= 'a') &&
                   (word[0] | 0x20) <= 'z';
    if (!is_word || (!in_test && !expects(e, T_TEST)))
        return false;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)ctx->last.len, word);
    uint32_t before = ctx->diags->items.len;
    parse_error(ctx, e->loc, "unknown line '%s' %s", name,
                in_test ? "in a test: its lines are as_of, program, data and expect"
                        : "in a test file: its lines are test, and as_of, program and data "
                          "for the tests below");
    const char *near = suggest_name(name, in_test ? test_words : file_words, 4);
    if (near && ctx->diags->items.len > before)
        diag_hint(ctx->diags, "did you mean '%s'?", near);
    return true;
}

void parse_report_syntax_error(parse_ctx *ctx, const parse_syntax_error *e)
{
    if (e->token == RBP_UNDEF)
        return; /* the lexer reported it */
    if (e->token == T_INDENT) {
        ctx->skip_orphan = true;
        parse_error(ctx, e->loc, "this line is indented, but the line before it opens no block");
        return;
    }
    ctx->skipped_line = e->loc.line;
    if (unknown_clause(e, ctx) || unknown_test_line(e, ctx))
        return;
    char unexpected[64];
    describe_unexpected(ctx, e->token, unexpected, sizeof unexpected);
    enum { MAX_EXPECTED = 4 };
    const char *names[MAX_EXPECTED];
    int n = describe_expected(e, names, MAX_EXPECTED);
    char msg[400];
    int len = snprintf(msg, sizeof msg, "unexpected %s", unexpected);
    for (int i = 0; i < n && n <= MAX_EXPECTED && len > 0 && (size_t)len < sizeof msg; i++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s",
                        i == 0 ? ", expecting " : i == n - 1 ? " or " : ", ", names[i]);
    parse_error(ctx, e->loc, "%s", msg);
}
