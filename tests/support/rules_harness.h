/*
 * rules_harness.h — rules written inline in a test: parse them, check them
 * (collecting diagnostics), or compile them with the standard data model
 * importable and evaluate a partner against them.
 */
#ifndef RUBRIC_RULES_HARNESS_H
#define RUBRIC_RULES_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "mem.h"
#include "rubric.h"

/* A parse of one text (tests of the grammar). */
typedef struct harness_parse {
    source_table sources;
    diag_list diags;
    arena mem;
    ast_file *file;
} harness_parse;

void harness_parse_text(harness_parse *p, const char *text);
void harness_parse_free(harness_parse *p);
/* The tree as `rubric check --dump-ast` prints it; free(). */
char *harness_dump(const harness_parse *p);

/* Check text ("rules.rubric", apn.partner importable); the compiler holds
 * the diagnostics.  Free with rubric_compiler_free. */
rubric_compiler *harness_check(const char *text);
/* "LINE:COL: message" of diagnostic i. */
const char *harness_diag(const rubric_compiler *c, size_t i, char *buf, size_t size);
/* True when some diagnostic's message is exactly `message`. */
bool harness_has_diag(const rubric_compiler *c, const char *message);

/* Compile text (must succeed) and evaluate partner JSON at as_of.  Returns
 * the status of the evaluation; *jsonl (free()) receives the results, one
 * compact JSON object per line, then a line "withheld: MESSAGE" for each
 * withheld result (or the error message when the evaluation failed). */
rubric_status harness_eval(const char *rules, const char *partner, const char *as_of,
                           char **jsonl);

#endif /* RUBRIC_RULES_HARNESS_H */
