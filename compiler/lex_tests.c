/*
 * lex_tests.c — what the scanner's patterns for test files call
 * (grammar/lexer.l, lex.h): the keywords that start a test file's lines,
 * and the JSON block under a `data` line, read as one token.
 */
#include "lex.h"

#include <string.h>

/* Indentation of the line of the token at loc. */
static uint32_t line_indent(const parse_ctx *ctx, const ast_loc *loc)
{
    return ctx->bol_line == loc->line ? ctx->bol_width : 0;
}

int lex_line_keyword(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len,
                     int kind, RBP_STYPE *value)
{
    uint32_t indent = line_indent(ctx, loc);
    if (loc->col - 1 != indent) {
        /* Not first on its line: a name (a column may be called `data`). */
        value->name = parse_strndup(ctx, text, len);
        return T_IDENT;
    }
    if (kind == T_DATA) {
        ctx->data_line = loc->line;
        ctx->data_indent = indent;
    }
    return kind;
}

bool lex_data_line_end(parse_ctx *ctx)
{
    bool after_data = ctx->data_line != 0;
    ctx->data_line = 0;
    ctx->json_start = NULL;
    return after_data;
}

bool lex_json_line(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len)
{
    uint32_t indent = (uint32_t)strspn(text, " ");
    if (indent <= ctx->data_indent)
        return false;
    size_t end = len;
    while (end > indent && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        end--;
    if (!ctx->json_start) {
        ctx->json_start = text + indent;
        ctx->json_loc = lex_byte_loc(loc, indent);
    }
    /* Trailing blank lines are not the block's: it ends on this line. */
    ctx->json_end = text + end;
    ctx->json_loc.end_line = loc->line;
    ctx->json_loc.end_col = loc->col + (uint32_t)end - 1;
    return true;
}

int lex_json_block(parse_ctx *ctx, ast_loc *loc, RBP_STYPE *value)
{
    size_t len = (size_t)(ctx->json_end - ctx->json_start);
    value->str.ptr = parse_strndup(ctx, ctx->json_start, len);
    value->str.len = (uint32_t)len;
    *loc = ctx->json_loc;
    ctx->json_start = NULL;
    return T_JSON;
}
