/*
 * rtest.h — rule tests written in Rubric test files (`*_test.rubric`,
 * docs/language.md "Tests").  The compiler reads a test file
 * (rubric_compiler_parse_tests, with the grammar of rules files); here, its
 * tests meet the rules (rubric_compiler_run_tests, rtest_api.c):
 *
 *   rtest_check.c   names and values in the tests against the loaded rules
 *   rtest_run.c     evaluating a case and comparing what it expects
 *
 * `rubric test` (cli/cmd_test.c) finds the files and prints the summary.
 *
 * Problems in a test file are compiler diagnostics (diag.h) of the
 * compiler that read it, rendered in the gcc form like those of rules
 * files.
 */
#ifndef RUBRIC_RTEST_H
#define RUBRIC_RTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "mem.h"
#include "module.h"

/* Everything about a run that outlives one file: the compiler that reads
 * the test files (and holds their diagnostics), the rules, counts. */
typedef struct rtest_ctx {
    const rubric_allocator *alloc;
    rubric_compiler *compiler;
    rubric_module *const *modules;   /* the rules */
    size_t module_count;
    rubric_session **sessions; /* one per module of rules, made when needed */
    bool verbose;           /* list passing tests too */
    strbuf out;             /* what a case printed, until written */
    unsigned passed, failed;
} rtest_ctx;

/* A test file read. */
typedef struct rtest_file {
    const rubric_test_file *tests;
    uint32_t source;        /* its index in the compiler's source table */
} rtest_file;

/* The compiler's diagnostics, which those about test files join. */
diag_list *rtest_diags(rtest_ctx *ctx);

/* Check every name and value of the tests against the rules (program ids,
 * tiers, requirement ids, statuses, report lists and columns, the kind of
 * each value), with did-you-mean hints.  False when any is wrong. */
bool rtest_check(rtest_ctx *ctx, const rtest_file *file);

/* Run one case of a checked file: its failure (or pass, when verbose) into
 * ctx->out, counted in ctx. */
void rtest_run_case(rtest_ctx *ctx, const rtest_file *file, const rubric_test_case *c);

/* The program with this id in the rules, its module and the module's index
 * among them; NULL when none has it. */
const bc_program *rtest_find_program(const rtest_ctx *ctx, const char *id,
                                     const bc_module **module, size_t *module_index);

/* A requirement's id as tests write it: "id", or "parent.part". */
void rtest_node_path(const bc_module *m, const bc_program *p, uint32_t node, strbuf *out);

/* Location of something written in a test file, for diagnostics. */
ast_loc rtest_loc(const rtest_file *file, rubric_test_span at);

#endif /* RUBRIC_RTEST_H */
