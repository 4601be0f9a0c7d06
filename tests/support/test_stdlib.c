/* test_stdlib.c — see test_stdlib.h. */
#include "test_stdlib.h"

#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static rubric_module *stdlib_module;
static rubric_session *stdlib_session;

static void release_stdlib(void)
{
    rubric_session_free(stdlib_session);
    rubric_module_free(stdlib_module);
}

const rubric_module *test_stdlib_module(void)
{
    if (stdlib_module)
        return stdlib_module;
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, true), RUBRIC_OK);
    void *bytes = NULL;
    size_t len = 0;
    rubric_status st = rubric_compiler_run(c, false, &bytes, &len);
    if (st != RUBRIC_OK) {
        char *text = rubric_compiler_render_diags(c, false);
        fail_msg("the standard rules do not compile:\n%s", text ? text : "");
    }
    char err[256];
    assert_int_equal(rubric_module_load(NULL, bytes, len, &stdlib_module, err, sizeof err),
                     RUBRIC_OK);
    rubric_free(NULL, bytes, len);
    rubric_compiler_free(c);
    atexit(release_stdlib);
    return stdlib_module;
}

rubric_session *test_stdlib_session(void)
{
    if (!stdlib_session) {
        stdlib_session = rubric_session_new(test_stdlib_module(), NULL);
        assert_non_null(stdlib_session);
    }
    return stdlib_session;
}

const rubric_report *test_eval_program(const char *json, const char *as_of,
                                       const char *program)
{
    const char *programs[] = {program};
    rubric_eval_options options = {.as_of = as_of, .programs = programs, .program_count = 1};
    const rubric_report *report = NULL;
    rubric_error err;
    memset(&err, 0, sizeof err);
    rubric_status st = rubric_session_eval(test_stdlib_session(), json, strlen(json),
                                           &options, &report, &err);
    if (st != RUBRIC_OK)
        fail_msg("evaluation failed: %s %s\n%s", err.path, err.message, json);
    assert_int_equal(rubric_report_result_count(report), 1);
    assert_string_equal(rubric_report_program_id(report, 0), program);
    return report;
}

rubric_req_status test_status(const rubric_report *report, const char *tier,
                              const char *requirement)
{
    rubric_req_status status = RUBRIC_MET;
    if (!rubric_report_requirement_status(report, 0, tier, requirement, &status))
        fail_msg("tier %s has no requirement %s", tier, requirement);
    return status;
}

typedef struct collected {
    char *text;
    size_t len;
} collected;

static bool collect(void *user_data, const char *bytes, size_t length)
{
    collected *c = user_data;
    char *grown = realloc(c->text, c->len + length + 1);
    if (!grown)
        return false;
    memcpy(grown + c->len, bytes, length);
    c->len += length;
    grown[c->len] = '\0';
    c->text = grown;
    return true;
}

char *test_report_json(const rubric_report *report)
{
    collected c = {0};
    assert_int_equal(rubric_report_write(report, RUBRIC_FORMAT_JSONL, collect, &c), RUBRIC_OK);
    assert_non_null(c.text);
    return c.text;
}
