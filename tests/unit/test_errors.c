/*
 * test_errors.c — the one error record, rubric_error: a failure in each
 * layer of an evaluation (the data loader, the VM under the evaluator, the
 * limits of the worker) reaches rubric_session_eval's caller with every
 * field the header promises, filled where it happened.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_stdlib.h"

static char *catalogue_file(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "tests/catalogue/%s", name);
    char *text = test_read_file(test_path(path), len);
    assert_non_null(text);
    return text;
}

/* Evaluate text in a new session over the standard rules with these limits
 * (NULL: the defaults); *err is filled with a pattern first, so that every
 * field the evaluation leaves alone shows. */
static rubric_status eval_text(const char *text, size_t len, const rubric_limits *limits,
                               rubric_error *err)
{
    rubric_config config;
    rubric_config_init(&config);
    if (limits)
        config.limits = *limits;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    rubric_eval_options options = {.as_of = "2026-11-22"};
    const rubric_report *report = NULL;
    memset(err, 'x', sizeof *err);
    rubric_status st = rubric_session_eval(s, text, len, &options, &report, err);
    rubric_session_free(s);
    return st;
}

static rubric_status eval_file(const char *name, const rubric_limits *limits,
                               rubric_error *err)
{
    size_t len = 0;
    char *text = catalogue_file(name, &len);
    rubric_status st = eval_text(text, len, limits, err);
    free(text);
    return st;
}

/* A data error: the loader's path, offset and message, placed by line and
 * column in the text (where `rubric eval` reports it: 7:18); the partner
 * was not read. */
static void test_data_error(void **state)
{
    (void)state;
    rubric_error err;
    assert_int_equal(eval_file("data_date_impossible.json", NULL, &err), RUBRIC_ERR_DATA);
    assert_int_equal(err.status, RUBRIC_ERR_DATA);
    assert_string_equal(err.message, "invalid date \"2023-02-29\": no such day in that month");
    assert_string_equal(err.path, "$.renewal_date");
    assert_int_equal(err.line, 7);
    assert_int_equal(err.column, 18);
    assert_int_equal(err.offset, 128);
    assert_string_equal(err.file, "");
    assert_string_equal(err.partner, "");
}

/* Malformed JSON is a data error at the offending byte too. */
static void test_malformed_json(void **state)
{
    (void)state;
    const char *text = "{\"id\": \"P-1\",\n  \"tier\": }";
    rubric_error err;
    assert_int_equal(eval_text(text, strlen(text), NULL, &err), RUBRIC_ERR_DATA);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 11);
    assert_int_equal(err.offset, 24);
    assert_string_equal(err.partner, "");
}

/* An evaluation error: the VM's message, prefixed by the evaluator with
 * the program, and the partner's id; at no place in the text. */
static void test_evaluation_error(void **state)
{
    (void)state;
    rubric_error err;
    assert_int_equal(eval_file("data_money_overflow_sum.json", NULL, &err), RUBRIC_ERR_EVAL);
    assert_int_equal(err.status, RUBRIC_ERR_EVAL);
    assert_string_equal(err.message, "apn-2019-consulting: money overflow in sum "
                                     "(chunk 'apn-2019-consulting: let fee_paid')");
    assert_string_equal(err.partner, "P-1");
    assert_string_equal(err.path, "");
    assert_int_equal(err.offset, 0);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    assert_string_equal(err.file, "");
}

/* A limit reached while evaluating names the program and the partner. */
static void test_instruction_limit(void **state)
{
    (void)state;
    rubric_config config;
    rubric_config_init(&config);
    config.limits.max_instructions = 50;
    rubric_error err;
    size_t len = 0;
    char *text = test_read_file(test_path("examples/partners/select.json"), &len);
    assert_non_null(text);
    assert_int_equal(eval_text(text, len, &config.limits, &err), RUBRIC_ERR_LIMIT);
    free(text);
    assert_int_equal(err.status, RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message, "apn-2019-consulting: instruction limit reached");
    assert_string_equal(err.partner, "P-0000001");
    assert_string_equal(err.path, "");
    assert_int_equal(err.line, 0);
}

/* The input limit is checked before the partner is read: no partner, no
 * place. */
static void test_input_limit(void **state)
{
    (void)state;
    rubric_config config;
    rubric_config_init(&config);
    config.limits.max_input_bytes = 100;
    rubric_error err;
    assert_int_equal(eval_file("data_date_impossible.json", &config.limits, &err),
                     RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message,
                        "partner of 217 bytes exceeds the input limit of 100 bytes");
    assert_string_equal(err.partner, "");
    assert_string_equal(err.path, "");
    assert_int_equal(err.line, 0);
}

/* Nesting deeper than the limit is a limit at its place in the text. */
static void test_depth_limit(void **state)
{
    (void)state;
    rubric_config config;
    rubric_config_init(&config);
    config.limits.max_depth = 2;
    const char *text = "{\"id\": \"P-1\",\n \"individuals\": [{\"x\": 1}]}";
    rubric_error err;
    assert_int_equal(eval_text(text, strlen(text), &config.limits, &err), RUBRIC_ERR_LIMIT);
    assert_non_null(strstr(err.message, "nesting deeper than 2"));
    assert_int_equal(err.line, 2);
    assert_true(err.column > 1);
}

/* A usage error fills the status and the message, and clears the rest. */
static void test_usage_error(void **state)
{
    (void)state;
    rubric_session *s = rubric_session_new(test_stdlib_module(), NULL);
    assert_non_null(s);
    rubric_eval_options options = {.as_of = "22 November"};
    const rubric_report *report = NULL;
    rubric_error err;
    memset(&err, 'x', sizeof err);
    assert_int_equal(rubric_session_eval(s, "{}", 2, &options, &report, &err),
                     RUBRIC_ERR_USAGE);
    assert_string_equal(err.message, "as_of must be a date YYYY-MM-DD");
    assert_string_equal(err.partner, "");
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    rubric_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_error),        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_evaluation_error),  cmocka_unit_test(test_instruction_limit),
        cmocka_unit_test(test_input_limit),       cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_usage_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
