/*
 * test_limits.c — the resource limits of one evaluation, through the public
 * interface: each limit, when exceeded, is a RUBRIC_ERR_LIMIT for that
 * partner with a message saying which, and the same session evaluates the
 * next partner normally.  Through the command: the batch goes on.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_stdlib.h"

static char *example(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "examples/partners/%s.json", name);
    char *text = test_read_file(test_path(path), len);
    assert_non_null(text);
    return text;
}

/* Evaluate the premier example in a session with these limits. */
static rubric_status eval_with(const rubric_limits *limits, rubric_error *err)
{
    rubric_config config;
    rubric_config_init(&config);
    config.limits = *limits;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    size_t len = 0;
    char *json = example("premier", &len);
    rubric_eval_options options = {.as_of = "2026-11-22"};
    const rubric_report *report = NULL;
    memset(err, 0, sizeof *err);
    rubric_status st = rubric_session_eval(s, json, len, &options, &report, err);
    free(json);
    rubric_session_free(s);
    return st;
}

static void expect_limit(const rubric_limits *limits, const char *message)
{
    rubric_error err;
    rubric_status st = eval_with(limits, &err);
    if (st != RUBRIC_ERR_LIMIT || !strstr(err.message, message))
        fail_msg("expected a limit error with '%s', got status %d: %s", message, (int)st,
                 err.message);
}

static void test_defaults_are_out_of_reach(void **state)
{
    (void)state;
    rubric_config config;
    rubric_config_init(&config);
    rubric_error err;
    assert_int_equal(eval_with(&config.limits, &err), RUBRIC_OK);
    assert_true(config.limits.max_instructions >= 1000000000ull);
    assert_true(config.limits.max_depth >= 64);
}

static void test_each_limit(void **state)
{
    (void)state;
    rubric_config config;
    rubric_config_init(&config);
    rubric_limits l = config.limits;
    l.max_instructions = 500;
    expect_limit(&l, "instruction limit");
    l = config.limits;
    l.max_memory = 16 * 1024;
    expect_limit(&l, "memory limit");
    l = config.limits;
    l.max_input_bytes = 1000;
    expect_limit(&l, "input limit");
    l = config.limits;
    l.max_depth = 2;
    expect_limit(&l, "nesting deeper than 2");
}

/* A limit stops one partner; the session goes on with the next. */
static void test_session_goes_on(void **state)
{
    (void)state;
    rubric_config config;
    rubric_config_init(&config);
    config.limits.max_input_bytes = 12000;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    rubric_eval_options options = {.as_of = "2026-11-22"};
    const rubric_report *report = NULL;
    rubric_error err;
    size_t big_len = 0, small_len = 0;
    char *big = example("premier", &big_len);
    char *small = example("registered", &small_len);
    assert_true(big_len > 12000 && small_len < 12000);
    assert_int_equal(rubric_session_eval(s, big, big_len, &options, &report, &err),
                     RUBRIC_ERR_LIMIT);
    assert_int_equal(rubric_session_eval(s, small, small_len, &options, &report, &err),
                     RUBRIC_OK);
    assert_string_equal(rubric_report_partner_id(report), "P-0000004");
    free(big);
    free(small);
    rubric_session_free(s);
}

static void test_command_limits_batch_goes_on(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"--max-instructions 2000", "instruction limit reached"},
        {"--max-memory 20000", "memory limit"},
        {"--max-input 9000", "exceeds the input limit of 9000 bytes"},
        {"--max-depth 2", "nesting deeper than 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[256];
        snprintf(args, sizeof args,
                 "eval --as-of 2026-11-22 -f jsonl -j 1 %s examples/partners/batch.jsonl",
                 cases[i][0]);
        char *out, *err;
        int status = test_run(args, NULL, &out, &err);
        if (status != 1 || !strstr(err, cases[i][1]))
            fail_msg("rubric %s: status %d, stderr:\n%s", args, status, err);
        assert_non_null(strstr(err, "batch.jsonl:"));
        free(out);
        free(err);
    }
    char *out, *err;
    assert_int_equal(test_run("eval --max-memory lots examples/partners/select.json", NULL,
                              &out, &err), 2);
    assert_non_null(strstr(err, "lots"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_out_of_reach),
        cmocka_unit_test(test_each_limit),
        cmocka_unit_test(test_session_goes_on),
        cmocka_unit_test(test_command_limits_batch_goes_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
