/*
 * layout.h — the layout layer between the scanner (lex.h) and the parser:
 * it turns the indentation of the source into NEWLINE, INDENT and DEDENT
 * tokens.
 *
 * A logical line ends where the next token is on a later line, unless a
 * bracket is open, the line's last token asks for more (`and`, `=`, `,`
 * ...) or the next line starts with `then` or `else`.  The first token of
 * a logical line decides its indentation: deeper opens a block (INDENT),
 * shallower closes blocks (DEDENT).
 *
 * It also carries out the parser's error recovery by line: after a bad
 * line (ctx->skip_deeper) it drops the block indented under it, and after
 * an unexpected INDENT (ctx->skip_orphan) that block.
 */
#ifndef RUBRIC_LAYOUT_H
#define RUBRIC_LAYOUT_H

#include "parse_ctx.h"

/* The parser's yylex: the next token with its value and location. */
int rbp_lex(RBP_STYPE *value, ast_loc *loc, parse_ctx *ctx);

#endif /* RUBRIC_LAYOUT_H */
