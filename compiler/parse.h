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

/* A token or a comment as read (the formatter's input, fmt.c). */
enum { PARSE_COMMENT = -1 };
typedef struct parse_token_info {
    int kind;          /* a token kind of the grammar, or PARSE_COMMENT */
    ast_loc loc;       /* columns count from after a byte-order mark */
    uint32_t depth;    /* blocks open at the first token of a logical line */
    bool starts_line;  /* the first token of a logical line */
} parse_token_info;

/*
 * Parse source file `file` of diags->sources as rules, or with `tests` as
 * a rule-test file, and list in *tokens (in `mem`) every token the parser
 * read and every comment, in the order of the text.  Mistakes are
 * reported to diags as by parse_file.  False when out of memory.
 */
bool parse_tokens(uint32_t file, arena *mem, diag_list *diags, bool tests,
                  parse_token_info **tokens, uint32_t *count);

/* A readable dump of the tree, one node per line, for tests and
 * `rubric check --dump-ast`. */
void ast_dump(const ast_file *f, strbuf *out);

#endif /* RUBRIC_PARSE_H */
