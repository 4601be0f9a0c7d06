/*
 * syntax_error.h — the wording of the syntax errors the parser detects:
 * what was found, and what the grammar could have taken instead.
 *
 * The parser (grammar/parser.y) hands over what bison knows of the error
 * in the lexer's terms (token kinds T_IDENT, '(' ...); the message is
 * made here.
 */
#ifndef RUBRIC_SYNTAX_ERROR_H
#define RUBRIC_SYNTAX_ERROR_H

#include "parse_ctx.h"

typedef struct parse_syntax_error {
    int token;                      /* the unexpected token (RBP_EOF at the end) */
    ast_loc loc;                    /* where it is */
    /* The tokens the parser could have taken there, in the grammar's
     * order: their kinds, and their names in the grammar ("a name",
     * "'when'"). */
    const int *expected;
    const char *const *expected_names;
    int nexpected;
} parse_syntax_error;

/* Report e, or nothing when the lexer already reported the token. */
void parse_report_syntax_error(parse_ctx *ctx, const parse_syntax_error *e);

#endif /* RUBRIC_SYNTAX_ERROR_H */
