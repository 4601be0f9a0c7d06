/*
 * test_stdlib.h — evaluate partners against the built-in standard rules
 * through the public interface, for the rule and window tests.
 */
#ifndef RUBRIC_TEST_STDLIB_H
#define RUBRIC_TEST_STDLIB_H

#include <stdbool.h>

#include "rubric.h"

/* The standard rules, compiled once per test process (freed at exit). */
const rubric_module *test_stdlib_module(void);

/* A session over the standard rules, shared by the tests of one process. */
rubric_session *test_stdlib_session(void);

/* Evaluate partner JSON at as_of against one program; fails the test when
 * the evaluation fails or the program does not apply. */
const rubric_report *test_eval_program(const char *json, const char *as_of,
                                       const char *program);

/* Status of requirement id ("launched_opportunities.mrr") at tier in the
 * rolling view of result 0; fails the test when the tier lacks it. */
rubric_req_status test_status(const rubric_report *report, const char *tier,
                              const char *requirement);

/* The report written as compact JSON (one line per result); free(). */
char *test_report_json(const rubric_report *report);

#endif /* RUBRIC_TEST_STDLIB_H */
