/*
 * lex.h — the scanner: the flex patterns of grammar/lexer.l, and the C
 * they call.
 *
 * The scanner only reads raw tokens with their locations; the layout
 * layer (layout.h) makes lines and blocks of them.  Literals are decoded
 * and checked here, so that the parser receives values (cents, days,
 * months).  A bad literal is reported and still returned as a token, so
 * that one typo gives one diagnostic.  Columns count bytes.
 */
#ifndef RUBRIC_LEX_H
#define RUBRIC_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse_ctx.h"

/* ------------------------------------------------------------ scanner (lexer.l) */

/* Start scanning ctx->text.  False when the file cannot be read (reported)
 * or memory ran out. */
bool lex_open(parse_ctx *ctx);
void lex_close(parse_ctx *ctx);
/* The next raw token: its kind (0 at the end of the text), value and
 * location; ctx->tok_offset and tok_len give its bytes. */
int lex_next(parse_ctx *ctx, RBP_STYPE *value, ast_loc *loc);

/* ------------------------------------------------------------ scanner memory (lex.c) */

/* What flex allocates (its yyalloc, yyrealloc and yyfree), through the
 * compiler's allocator.  NULL when out of memory; ctx NULL allocates
 * nothing. */
void *lex_alloc(parse_ctx *ctx, size_t size);
void *lex_realloc(parse_ctx *ctx, void *ptr, size_t size);
void lex_free(parse_ctx *ctx, void *ptr);
/* flex's fatal error (YY_FATAL_ERROR): out of memory, or a scanner fault.
 * Records it (ctx->oom, or a diagnostic) and jumps back to the parse's
 * entry (ctx->scanner_failed); never returns. */
_Noreturn void lex_fatal(parse_ctx *ctx, const char *msg);
/* After a fatal error: free every block the scanner still holds, whatever
 * state flex left it in. */
void lex_release(parse_ctx *ctx);

/* ------------------------------------------------------------ positions (lex.c) */

/* Set loc to the token text and move past it. */
void lex_advance(parse_ctx *ctx, ast_loc *loc, const char *text, size_t len);
/* After yyless(keep): the token is its first `keep` bytes (one line). */
void lex_retreat(parse_ctx *ctx, ast_loc *loc, uint32_t keep);
/* The location of byte i of the token at loc. */
ast_loc lex_byte_loc(const ast_loc *loc, size_t i);
/* Leading blanks of a line that holds a token: its indentation for the
 * layout layer.  A tab is an error that stops the parse. */
void lex_indentation(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len);

/* ------------------------------------------------------------ errors and encoding (lex.c) */

/* An error in a token.  None on the rest of a line after a syntax error
 * there: the parser skips that line, and a second message about it would
 * only repeat the first. */
void lex_error(parse_ctx *ctx, ast_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is not
 * one: overlong forms, surrogates and code points past U+10FFFF are not. */
uint32_t lex_utf8_sequence(const unsigned char *s, size_t len);
/* Report the first byte of text that is not valid UTF-8, or a NUL. */
void lex_check_utf8(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len);
/* A character that starts no token: reported, and handed to the parser
 * as the invalid token (RBP_UNDEF), which it skips without a second
 * message. */
int lex_stray(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len);

/* ------------------------------------------------------------ literals (lex_literals.c) */

/* Each returns its token kind and sets its value; a bad literal is
 * reported (lex_error). */
int lex_number(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out);
/* `90 days`, `12 months`, `1 year`: T_DURATION; T_INT when the word after
 * the number is not a unit (the caller gives the word back). */
int lex_duration(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len,
                 RBP_STYPE *value);
/* `$2,500`, `$1500`, `$10,498.56`, `$0.5`: cents. */
int lex_money(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out);
/* Days since 1970-01-01. */
int lex_date(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out);
/* year * 12 + month - 1. */
int lex_month(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out);
/* A string literal (with or without its closing quote), unescaped. */
int lex_string(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, bool closed,
               RBP_STYPE *value);

/* ------------------------------------------------------------ test files (lex_tests.c) */

/* `test`, `data` or `expect` (kind): a keyword at the start of a line of
 * a test file, an ordinary name elsewhere (T_IDENT).  After `data`, the
 * end of its line may open a JSON block. */
int lex_line_keyword(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len,
                     int kind, RBP_STYPE *value);
/* At the end of a line: whether it was a `data` line, whose JSON block
 * (the lines indented deeper) the scanner reads next. */
bool lex_data_line_end(parse_ctx *ctx);
/* A line after a `data` line: true when it is indented deeper, and so a
 * line of the block. */
bool lex_json_line(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len);
/* The block read: one T_JSON token, its text as written. */
int lex_json_block(parse_ctx *ctx, ast_loc *loc, RBP_STYPE *value);

#endif /* RUBRIC_LEX_H */
