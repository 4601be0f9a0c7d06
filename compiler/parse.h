/*
 * parse.h — the entry points of the syntax: a rules file to the tree of
 * ast.h, a rule-test file to the tests of rubric.h (parse.c).  The
 * grammar is grammar/lexer.l and grammar/parser.y; the C they call is in
 * lex.c, lex_literals.c and lex_tests.c (tokens), layout.c (lines and
 * blocks), ast_build*.c (the tree) and syntax_error.c, all around the
 * state of parse_ctx.h.
 */
#ifndef RUBRIC_PARSE_H
#define RUBRIC_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "mem.h"

/*
 * Parse source file `file` of diags->sources.  Always returns an ast_file
 * (holding whatever parsed; NULL only when out of memory).  Syntax errors
 * are reported to diags — several per run: the parser recovers at the end
 * of the offending line or block.  Nodes live in `mem`.
 */
ast_file *parse_file(uint32_t file, arena *mem, diag_list *diags);

/*
 * Parse source file `file` of diags->sources as a rule-test file
 * (docs/language.md "Tests"): the same tokens, its own grammar.  Always
 * returns the tests read (NULL only when out of memory); mistakes are
 * reported to diags, several per run.  Everything lives in `mem`.
 */
rubric_test_file *parse_test_file(uint32_t file, arena *mem, diag_list *diags);

/* A readable dump of the tree, one node per line, for tests and
 * `rubric check --dump-ast`. */
void ast_dump(const ast_file *f, strbuf *out);

#endif /* RUBRIC_PARSE_H */
