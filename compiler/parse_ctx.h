/*
 * parse_ctx.h — the state of one parse, shared by the scanner
 * (grammar/lexer.l, lex.c, lex_literals.c), the layout layer (layout.c),
 * the parser (grammar/parser.y, syntax_error.c) and the tree builders
 * (ast_build*.c); and the services they all use: memory that is never
 * NULL, and the error sink (parse.c).
 *
 * The token kinds (T_IDENT, ...) and the semantic value (RBP_STYPE) are
 * the grammar's, from the header bison generates.
 */
#ifndef RUBRIC_PARSE_CTX_H
#define RUBRIC_PARSE_CTX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "ast_build.h"
#include "diag.h"
#include "mem.h"
#include "parse.h"
#include "parser.h"

/* Limits that keep hostile input from exhausting memory or the stack. */
enum {
    PARSE_MAX_BRACKETS = 200,   /* nested (), [] and {}            */
    PARSE_MAX_BLOCKS = 100,     /* nested indented blocks          */
    PARSE_MAX_EXPR_DEPTH = 500, /* depth of one expression's tree  */
    PARSE_MAX_ERRORS = 50       /* syntax errors before giving up  */
};

/* A token read by flex, held back while the layout layer emits NEWLINE,
 * INDENT or DEDENT before it. */
typedef struct parse_token {
    int kind;
    RBP_STYPE value;
    ast_loc loc;
    uint32_t offset, len; /* its bytes in the source */
} parse_token;

struct parse_ctx {
    arena *mem;
    diag_list *diags;
    uint32_t file;
    const char *text;
    size_t len;

    /* The scanner (lexer.l, lex.c). */
    void *scanner;            /* the flex scanner */
    struct lex_block *scanner_blocks; /* the memory flex holds (lex_alloc) */
    jmp_buf scanner_failed;   /* where flex's fatal errors land (parse.c) */
    uint32_t offset;          /* bytes scanned so far */
    uint32_t line, col;       /* position of the next byte */
    uint32_t tok_offset, tok_len; /* the token just scanned */
    uint32_t bol_line, bol_width; /* indentation of the last indented line */

    /* What was parsed so far. */
    ast_file *out;
    parse_vec items, imports;

    uint32_t errors;          /* diagnostics reported by this parse */
    bool fatal;               /* a limit was hit: stop reading tokens */
    bool oom;
    bool depth_reported;

    /* Layout (layout.c). */
    uint32_t indents[PARSE_MAX_BLOCKS + 1];
    uint32_t nindents;
    uint32_t brackets;        /* open (, [, { */
    bool line_open;           /* a token was returned since the last NEWLINE */
    uint32_t line_indent;     /* indentation of the current logical line */
    parse_token last;         /* the last token returned to the parser */
    parse_token prev;         /* and the one before it */
    uint32_t skipped_line;    /* the line of the last syntax error */
    parse_token held;         /* read, not yet returned */
    bool have_held;
    bool held_placed;         /* the layout before `held` is decided */
    bool pending_newline;
    bool pending_indent;
    uint32_t pending_dedents;
    bool skip_deeper;         /* a bad line ended: drop a block under it */
    bool skip_orphan;         /* an unexpected INDENT: drop that block */

    /* What is parsed: T_START_RULES or T_START_TESTS, the parser's first
     * token (parse.c), which layout.c hands over before any other. */
    int start;
    /* A test file (lex_tests.c): the line of a `data` keyword whose JSON
     * block may follow (0: none), that line's indentation, and the block
     * being read. */
    uint32_t data_line, data_indent;
    const char *json_start, *json_end;
    ast_loc json_loc;
    parse_tests tests;        /* what the test file holds so far */

    /* When set (parse_tokens, for the formatter): every token handed to
     * the parser and every comment, as parse_token_info, in the order
     * read; and whether the held token starts a logical line. */
    parse_vec *token_log;
    bool held_starts_line;

    /* Returned when the arena is exhausted, so actions never see NULL. */
    _Alignas(16) unsigned char scratch[1024];
};

/* Report a syntax error; after PARSE_MAX_ERRORS stop the parse. */
void parse_error(parse_ctx *ctx, ast_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void parse_verror(parse_ctx *ctx, ast_loc loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Append to ctx->token_log, when it is set. */
void parse_log_token(parse_ctx *ctx, int kind, ast_loc loc, bool starts_line);
/* size zeroed bytes in the parse arena (never NULL: once memory ran out,
 * the scratch block, and the parse stops). */
void *parse_alloc(parse_ctx *ctx, size_t size);
/* A copy of s[0..len) in the parse arena (never NULL). */
char *parse_strndup(parse_ctx *ctx, const char *s, size_t len);
/* One of the parser's stacks grown to size bytes in the parse arena, its
 * first used bytes copied from old (bison's yyoverflow).  NULL when out of
 * memory (ctx->oom set). */
void *parse_stack_copy(parse_ctx *ctx, const void *old, size_t used, size_t size);

#endif /* RUBRIC_PARSE_CTX_H */
