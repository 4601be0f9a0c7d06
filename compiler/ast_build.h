/*
 * ast_build.h — building the syntax tree (ast.h) from the grammar's
 * actions (grammar/parser.y).
 *
 * The actions only call these functions: each makes a node, or adds a
 * clause to one, in the parse arena.  None returns NULL: once memory runs
 * out they hand back zeroed scratch space and the parse stops (the
 * `oom` flag of parse_ctx.h).  Clauses given twice, and words the grammar
 * reads as any name (`version`, `each`, `label`, `table`...), are checked
 * here and reported as syntax errors; every check of meaning is left to
 * the semantic passes.
 *
 * ast_build.c holds the vectors, expressions and declarations,
 * ast_build_program.c programs and requirements, ast_build_table.c
 * decision tables.
 */
#ifndef RUBRIC_AST_BUILD_H
#define RUBRIC_AST_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

typedef struct parse_ctx parse_ctx;

/* ------------------------------------------------------------ vectors */

/* A growable array of structs or pointers in the parse arena. */
typedef struct parse_vec {
    void *items;
    uint32_t count, cap;
} parse_vec;

void parse_vec_add(parse_ctx *ctx, parse_vec *v, const void *elem, size_t size);
void parse_vec_add_ptr(parse_ctx *ctx, parse_vec *v, void *ptr);
/* A vector over an array that parse_vec_add built (to append to a node's
 * finished list); empty once memory ran out. */
parse_vec parse_vec_of(parse_ctx *ctx, void *items, uint32_t count);

/* ------------------------------------------------------------ expressions */

/* from's start, to's end. */
ast_loc ast_span(ast_loc from, ast_loc to);

/* Each constructor records the depth of the tree it makes; one deeper
 * than PARSE_MAX_EXPR_DEPTH is reported once and becomes `null`. */
ast_expr *ast_new_expr(parse_ctx *ctx, ast_expr_kind kind, ast_loc loc);
/* EX_INT, EX_MONEY, EX_DATE or EX_MONTH. */
ast_expr *ast_literal_int(parse_ctx *ctx, ast_expr_kind kind, int64_t v, ast_loc loc);
ast_expr *ast_literal_bool(parse_ctx *ctx, bool v, ast_loc loc);
ast_expr *ast_name_expr(parse_ctx *ctx, const char *name, ast_loc loc);
ast_expr *ast_field_expr(parse_ctx *ctx, ast_expr *base, const char *name, ast_loc name_loc);
ast_expr *ast_unary(parse_ctx *ctx, ast_op op, ast_expr *operand, ast_loc loc);
ast_expr *ast_binary(parse_ctx *ctx, ast_op op, ast_expr *l, ast_expr *r);
/* EX_WHERE, EX_ANY or EX_ALL. */
ast_expr *ast_where_expr(parse_ctx *ctx, ast_expr_kind kind, ast_expr *list, ast_expr *pred,
                         ast_loc loc);
ast_expr *ast_if_expr(parse_ctx *ctx, ast_expr *c, ast_expr *a, ast_expr *b, ast_loc loc);
ast_expr *ast_interval(parse_ctx *ctx, ast_expr *lo, ast_expr *hi, bool lo_open, bool hi_open,
                       ast_loc loc);
/* `{a, b}`: items holds ast_expr pointers. */
ast_expr *ast_set_expr(parse_ctx *ctx, parse_vec items, ast_loc loc);
/* `name(args by by)`: args and by hold ast_expr pointers. */
ast_expr *ast_call(parse_ctx *ctx, const char *name, ast_loc name_loc, parse_vec args,
                   parse_vec by, ast_loc loc);
/* `sustained TIER except A, B`: except holds ast_name structs. */
ast_expr *ast_sustained(parse_ctx *ctx, ast_name tier, parse_vec except, ast_loc loc);

/* ------------------------------------------------------------ declarations */

ast_name ast_make_name(const char *name, ast_loc loc);
/* "a.b" from the dotted name a and the next segment b. */
ast_name ast_dotted_append(parse_ctx *ctx, ast_name head, const char *seg, ast_loc seg_loc);
ast_type *ast_new_type(parse_ctx *ctx, ast_type_kind kind, const char *name, ast_type *elem,
                       ast_loc loc);
/* `list of T`, `map of T`: any other `NAME of T` is reported (and is T). */
ast_type *ast_container_type(parse_ctx *ctx, const char *name, ast_loc name_loc,
                             ast_type *elem, ast_loc loc);
/* The FIELD_ANN_* flag of a field annotation word; 0, reported, for
 * another word. */
uint8_t ast_field_annotation(parse_ctx *ctx, const char *name, ast_loc loc);
ast_let *ast_new_let(parse_ctx *ctx, ast_name name, ast_type *type, ast_expr *value,
                     ast_loc loc);
/* Append a declaration of the file (node is the ast_record, ast_fn ...
 * that kind names). */
void ast_add_item(parse_ctx *ctx, ast_item_kind kind, void *node);
/* `extend record NAME` and its fields (word: the name before `record`,
 * which must be `extend`). */
void ast_add_extend(parse_ctx *ctx, const char *word, ast_loc word_loc, ast_name name,
                    parse_vec fields);
/* A clause given once: a second one is an error (the first stays). */
void ast_set_once(parse_ctx *ctx, ast_expr **slot, ast_expr *value, ast_loc loc,
                  const char *what);
/* A word that introduces a clause, checked where the grammar takes any
 * name (these words stay ordinary names elsewhere). */
bool ast_expect_word(parse_ctx *ctx, const char *word, const char *want, ast_loc loc);

/* ------------------------------------------------------------ requirements */

/* A measure with its threshold: `count(staff)   at least 2 | 4`. */
typedef struct parse_measure {
    ast_expr *expr;
    ast_threshold threshold;
} parse_measure;

/* The words after a requirement's title. */
enum { REQ_FLAG_TIME_BOUND = 1, REQ_FLAG_EITHER = 2 };

/* columns holds ast_expr pointers, NULL for `-`. */
ast_threshold ast_make_threshold(ast_threshold_kind kind, parse_vec columns, ast_loc loc);
parse_measure *ast_new_measure(parse_ctx *ctx, ast_expr *e, ast_threshold th);
/* A requirement has one measure: a second one is reported. */
void ast_set_measure(parse_ctx *ctx, ast_req *r, parse_measure *m);
/* The header line of a requirement or part (REQ_FLAG_* flags, m NULL when
 * the measure is not on it), merged with its block (body, or NULL). */
ast_req *ast_finish_req(parse_ctx *ctx, ast_req *body, ast_name id, const char *title,
                        ast_loc title_loc, int flags, parse_measure *m, ast_loc loc);
/* A column of `required - | yes`: `yes`, or reported. */
ast_expr *ast_required_column(parse_ctx *ctx, const char *word, ast_loc loc);
/* A family's id, one piece after another (head): `audit_`, then `{area}`
 * (braced), written without spaces. */
ast_name ast_id_piece(parse_ctx *ctx, const ast_name *head, const char *piece, bool braced,
                      ast_loc loc);
/* `for each NAME in VALUES` after a requirement's title (each: the word
 * after `for`). */
void ast_set_family(parse_ctx *ctx, ast_req *r, const char *each, ast_loc each_loc,
                    ast_name bound, ast_expr *values, ast_loc loc);

/* ------------------------------------------------------------ programs */

/* The word between a program's title and its version. */
void ast_check_version_word(parse_ctx *ctx, const char *word, ast_loc loc);
void ast_set_extends(parse_ctx *ctx, ast_program *p, const char *base, ast_loc base_loc,
                     ast_loc loc);
/* `tiers A < B by EXPR`: tiers holds ast_name structs. */
void ast_set_tiers(parse_ctx *ctx, ast_program *p, parse_vec tiers, ast_expr *by, ast_loc loc);
/* `rolling window EXPR` or `renewal window EXPR due EXPR` (which names
 * the window; due NULL when absent). */
void ast_set_window(parse_ctx *ctx, ast_program *p, ast_name which, ast_expr *window,
                    ast_expr *due, ast_loc due_loc);
/* `for each NAME in LIST report KEY label EXPR`: the program is per item;
 * `for each NAME in LIST report KEY` with a block of columns (ast_report_column
 * structs): a report list. */
void ast_set_for_each(parse_ctx *ctx, ast_program *p, const char *each, ast_loc each_loc,
                      ast_name elem, ast_expr *items, const char *report, ast_loc report_loc,
                      ast_name key, ast_expr *label, parse_vec columns, ast_loc loc);
/* `error when COND "message {name}"` of a per-item program. */
void ast_add_item_error(parse_ctx *ctx, ast_program *p, const char *word, ast_loc word_loc,
                        ast_expr *when, const char *msg, ast_loc msg_loc);

/* ------------------------------------------------------------ decision tables */

/* `table NAME(inputs): output` and its rows (ast_table_row structs): the
 * table, and the function it is, become items of the file. */
void ast_add_table(parse_ctx *ctx, const char *word, ast_loc word_loc, ast_name name,
                   parse_vec inputs, ast_type *output, parse_vec rows, ast_loc loc);

/* ------------------------------------------------------------ rule tests */

/* What the parse of a test file has read so far (ast_build_test.c). */
typedef struct parse_tests {
    parse_vec cases;            /* rubric_test_case structs                 */
    rubric_test_case defaults;  /* the file's settings so far               */
    rubric_test_case current;   /* the test being read                      */
    parse_vec expects;          /* its rubric_test_expect structs           */
    bool in_test;
} parse_tests;

/* A value written in a test file: a literal's (INT, MONEY, BOOL, DATE,
 * MONTH, NULL), or a text (STRING, NAME; text lives in the parse arena). */
rubric_test_value ast_test_number(rubric_test_value_kind kind, int64_t number, ast_loc loc);
rubric_test_value ast_test_text(rubric_test_value_kind kind, const char *text, size_t len,
                                ast_loc loc);
/* A NAME (a NUL-terminated name of the parse). */
rubric_test_value ast_test_name(const char *name, ast_loc loc);
/* The JSON written under `data`, checked by the JSON reader of `rubric
 * eval`: a mistake in it is reported where it is written. */
rubric_test_value ast_test_json(parse_ctx *ctx, const char *text, size_t len, ast_loc loc);
/* A setting (block: for data, the JSON under it, or NONE) of the test
 * being read, or else of the file for the tests below it; `at` is where
 * the setting's keyword is. */
void ast_test_set(parse_ctx *ctx, ast_test_setting kind, rubric_test_value value,
                  rubric_test_value block, ast_loc at);
/* `test "TITLE"` starts a test; the end of its block ends it. */
void ast_test_begin(parse_ctx *ctx, rubric_test_value title);
void ast_test_end(parse_ctx *ctx);
/* `expect` lines by their shape; the first word says what is expected,
 * and is checked here. */
void ast_test_expect_word(parse_ctx *ctx, rubric_test_value word);
void ast_test_expect_scalar(parse_ctx *ctx, rubric_test_value word, rubric_test_value value);
void ast_test_expect_requirement(parse_ctx *ctx, rubric_test_value view, rubric_test_value req,
                                 rubric_test_value status, rubric_test_value actual);
void ast_test_expect_item(parse_ctx *ctx, rubric_test_value word, rubric_test_value label,
                          rubric_test_value req, rubric_test_value status,
                          rubric_test_value actual);
void ast_test_expect_row(parse_ctx *ctx, rubric_test_value list, rubric_test_value row,
                         rubric_test_value column, rubric_test_value value);
/* Every test read, as the file rubric.h hands out. */
rubric_test_file *ast_test_file(parse_ctx *ctx, const char *path);

#endif /* RUBRIC_AST_BUILD_H */
