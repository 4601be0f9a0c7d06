/*
 * test_session.c — the session API of rubric.h: evaluating partners one
 * after another, the version, the input limit checked before anything is
 * copied.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faulty_alloc.h"
#include "test_stdlib.h"

#define AS_OF "2026-11-22"

static char *example(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "examples/partners/%s.json", name);
    char *text = test_read_file(test_path(path), len);
    assert_non_null(text);
    return text;
}

static rubric_status eval_example(rubric_session *s, const char *name,
                                  const rubric_report **report, rubric_error *err)
{
    size_t len = 0;
    char *json = example(name, &len);
    rubric_eval_options options = {.as_of = AS_OF};
    rubric_status st = rubric_session_eval(s, json, len, &options, report, err);
    free(json);
    return st;
}

/* One session evaluates partner after partner; each report replaces the
 * last. */
static void test_eval_partners_in_turn(void **state)
{
    (void)state;
    rubric_session *s = rubric_session_new(test_stdlib_module(), NULL);
    assert_non_null(s);
    const rubric_report *report = NULL;
    rubric_error err;
    assert_int_equal(eval_example(s, "advanced", &report, &err), RUBRIC_OK);
    assert_string_equal(rubric_report_partner_id(report), "P-0000002");
    assert_string_equal(rubric_report_eligible_tier(report, 0), "Advanced");
    assert_int_equal(eval_example(s, "select", &report, &err), RUBRIC_OK);
    assert_string_equal(rubric_report_partner_id(report), "P-0000001");
    /* A failure leaves no report; the next partner is evaluated. */
    rubric_eval_options options = {.as_of = AS_OF};
    assert_int_equal(rubric_session_eval(s, "[]", 2, &options, &report, &err),
                     RUBRIC_ERR_DATA);
    assert_null(report);
    assert_int_equal(eval_example(s, "select", &report, NULL), RUBRIC_OK);
    assert_string_equal(rubric_report_partner_id(report), "P-0000001");
    rubric_session_free(s);
}

/* The version of CMakeLists.txt's project(), as "MAJOR.MINOR.PATCH". */
static void project_version(char *out, size_t size)
{
    size_t len = 0;
    char *cmake = test_read_file(test_path("CMakeLists.txt"), &len);
    assert_non_null(cmake);
    const char *at = strstr(cmake, "project(rubric VERSION ");
    assert_non_null(at);
    at += strlen("project(rubric VERSION ");
    size_t n = strspn(at, "0123456789.");
    assert_true(n > 0 && n < size);
    memcpy(out, at, n);
    out[n] = '\0';
    free(cmake);
}

/* The header's macros, rubric_version() and the project's version agree. */
static void test_version(void **state)
{
    (void)state;
    char project[32];
    project_version(project, sizeof project);
    assert_string_equal(rubric_version(), project);
    assert_string_equal(RUBRIC_VERSION, project);
    assert_string_equal(RUBRIC_VERSION_STRING, project);
    char parts[32];
    snprintf(parts, sizeof parts, "%d.%d.%d", RUBRIC_VERSION_MAJOR, RUBRIC_VERSION_MINOR,
             RUBRIC_VERSION_PATCH);
    assert_string_equal(parts, project);
    assert_int_equal(RUBRIC_VERSION_NUMBER, RUBRIC_VERSION_MAJOR * 1000000 +
                                                RUBRIC_VERSION_MINOR * 1000 +
                                                RUBRIC_VERSION_PATCH);
}

/* A text over limits.max_input_bytes is refused before the session
 * allocates anything for it: the allocator is not called at all (the
 * session's copy of the text would be the first allocation). */
static void test_input_limit_before_copy(void **state)
{
    (void)state;
    faulty counter = {0};
    rubric_config config = faulty_config(&counter);
    config.limits.max_input_bytes = 4096;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    size_t big = (size_t)8 << 20;
    char *json = malloc(big);
    assert_non_null(json);
    memset(json, ' ', big);
    json[0] = '{';
    json[big - 1] = '}';
    rubric_eval_options options = {.as_of = AS_OF};
    const rubric_report *report = NULL;
    rubric_error err;
    uint64_t calls = counter.calls;
    size_t live = counter.live;
    assert_int_equal(rubric_session_eval(s, json, big, &options, &report, &err),
                     RUBRIC_ERR_LIMIT);
    assert_string_equal(err.message,
                        "partner of 8388608 bytes exceeds the input limit of 4096 bytes");
    assert_int_equal(counter.calls, calls);
    assert_int_equal(counter.live, live);
    free(json);
    /* Under the limit the session copies and evaluates as usual. */
    assert_int_equal(rubric_session_eval(s, "{}", 2, &options, &report, &err), RUBRIC_ERR_DATA);
    assert_true(counter.calls > calls);
    rubric_session_free(s);
    assert_int_equal(counter.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_partners_in_turn),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_input_limit_before_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
