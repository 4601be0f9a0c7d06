/*
 * rtest.h — `rubric test`: rule tests written in Rubric test files
 * (`*_test.rubric`, docs/language.md "Tests").
 *
 *   rtest_parse.c   the text of a test file -> rtest_file
 *   rtest_check.c   names in the tests against the loaded rules
 *   rtest_run.c     evaluating a case and comparing what it expects
 *   cmd_test.c      the command: options, finding files, the summary
 *
 * Problems in a test file are compiler diagnostics (diag.h), rendered in
 * the gcc form like those of rules files.
 */
#ifndef RUBRIC_RTEST_H
#define RUBRIC_RTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "diag.h"
#include "mem.h"
#include "module.h"

/* A word of a test file and where it was written (col 0: absent). */
typedef struct rtest_word {
    const char *text;   /* NULL when absent; strings unquoted */
    uint32_t line, col, len;
    bool quoted;        /* written as a string */
} rtest_word;

typedef enum rtest_expect_kind {
    EXPECT_REQUIREMENT,     /* expect VIEW REQ STATUS [ACTUAL]           */
    EXPECT_ABSENT,          /* expect TIER REQ absent                    */
    EXPECT_ELIGIBLE_TIER,   /* expect eligible_tier TIER|none            */
    EXPECT_CURRENT_TIER,    /* expect current_tier TIER                  */
    EXPECT_RENEWAL_TIER,    /* expect renewal_tier TIER|none             */
    EXPECT_RENEWAL_STATUS,  /* expect renewal_status STATUS              */
    EXPECT_REVIEW_DATE,     /* expect review_date DATE                   */
    EXPECT_UPGRADE_TIER,    /* expect upgrade_tier TIER|none             */
    EXPECT_UPGRADE_ELIGIBLE,/* expect upgrade_eligible true|false        */
    EXPECT_ITEM_REQUIREMENT,/* expect application "LABEL" REQ STATUS [ACTUAL] */
    EXPECT_ITEM_STATUS,     /* expect application "LABEL" ready|not_ready */
    EXPECT_ROW,             /* expect LIST ROW COLUMN VALUE (rows from 1) */
    EXPECT_NOT_APPLIED,     /* expect not_applied                        */
    EXPECT_ERROR            /* expect error "part of the message"        */
} rtest_expect_kind;

typedef struct rtest_expect {
    rtest_expect_kind kind;
    rtest_word keyword;     /* the word after `expect` */
    rtest_word view;        /* a tier or "renewal"; an item's label; a list */
    rtest_word requirement; /* "id" or "parent.part"; a list's column */
    rtest_word status;      /* a status name; ready or not_ready */
    rtest_word row;         /* EXPECT_ROW: the row number */
    rtest_word value;       /* the actual value, or the scalar expected */
} rtest_expect;

typedef struct rtest_case {
    rtest_word name;        /* the test's title (its text unquoted) */
    rtest_word as_of;
    rtest_word program;
    const char *data_path;  /* resolved against the test file's directory */
    rtest_word data_word;   /* where the data was named */
    const char *data_block; /* inline JSON (or members over data_path) */
    uint32_t data_block_line;
    VEC(rtest_expect) expects;
} rtest_case;

typedef struct rtest_file {
    const char *path;
    uint32_t source;        /* index in the diagnostics' source table */
    VEC(rtest_case) cases;
} rtest_file;

/* Everything about a run that outlives one file: memory, the rules,
 * diagnostics and counts. */
typedef struct rtest_ctx {
    const rubric_allocator *alloc;
    arena mem;              /* the parsed files */
    source_table sources;
    diag_list diags;
    const cli_rules *rules;
    rubric_session **sessions; /* one per module of rules, made when needed */
    bool verbose;           /* list passing tests too */
    unsigned passed, failed;
} rtest_ctx;

/* Parse a test file's text (already in ctx->sources as `source`).  Syntax
 * errors become diagnostics; returns false when there were any. */
bool rtest_parse(rtest_ctx *ctx, const char *path, uint32_t source, rtest_file *out);

/* Check every name of the cases against the rules (program ids, tiers,
 * requirement ids, statuses, dates), with did-you-mean hints.  False when
 * any is wrong. */
bool rtest_check(rtest_ctx *ctx, const rtest_file *file);

/* Run each case of a checked file: print failures to stdout, count passes
 * and failures in ctx. */
void rtest_run_file(rtest_ctx *ctx, const rtest_file *file);

/* The program with this id in the rules, its module and the module's index
 * in rules; NULL when none has it. */
const bc_program *rtest_find_program(const cli_rules *rules, const char *id,
                                     const bc_module **module, size_t *module_index);

/* A requirement's id as tests write it: "id", or "parent.part". */
void rtest_node_path(const bc_module *m, const bc_program *p, uint32_t node, strbuf *out);

/* An expected actual value in the form results print it: "4", "1500"
 * (from $1,500), "10498.56", "true", "null".  False when it is none. */
bool rtest_normalize_value(const char *text, char out[40]);

/* Location of a word, for diagnostics. */
ast_loc rtest_loc(const rtest_file *file, rtest_word w);

#endif /* RUBRIC_RTEST_H */
