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

/* ------------------------------------------------------------ interrupt */

typedef struct interrupt_probe {
    volatile int flag;
    unsigned calls;        /* of the callback */
    unsigned stop_at;      /* the call that returns true; 0: never */
    unsigned flag_at;      /* the call that sets the flag; 0: never */
} interrupt_probe;

static bool ask_probe(void *user_data)
{
    interrupt_probe *p = user_data;
    p->calls++;
    if (p->calls == p->flag_at)
        p->flag = 1;
    return p->calls == p->stop_at;
}

static rubric_session *probed_session(interrupt_probe *p)
{
    rubric_config config;
    rubric_config_init(&config);
    config.interrupt_flag = &p->flag;
    config.interrupt = ask_probe;
    config.interrupt_data = p;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    return s;
}

/* Set before the evaluation: the partner is not even read.  Cleared: the
 * session goes on. */
static void test_interrupt_flag_before(void **state)
{
    (void)state;
    interrupt_probe p = {0};
    rubric_session *s = probed_session(&p);
    p.flag = 1;
    const rubric_report *report = NULL;
    rubric_error err;
    assert_int_equal(eval_example(s, "premier", &report, &err), RUBRIC_ERR_INTERRUPTED);
    assert_null(report);
    assert_string_equal(err.message, "interrupted");
    assert_string_equal(err.partner, "");
    assert_int_equal(p.calls, 0); /* the flag is looked at first */
    assert_string_equal(rubric_status_name(RUBRIC_ERR_INTERRUPTED), "interrupted");
    p.flag = 0;
    assert_int_equal(eval_example(s, "premier", &report, &err), RUBRIC_OK);
    assert_string_equal(rubric_report_eligible_tier(report, 0), "Premier");
    assert_true(p.calls > 2); /* asked before the partner, and between slices */
    rubric_session_free(s);
}

/* The callback says stop in the middle of the evaluation: it stops there,
 * naming the partner it was evaluating; the next evaluation is whole. */
static void test_interrupt_callback_during(void **state)
{
    (void)state;
    interrupt_probe p = {.stop_at = 3};
    rubric_session *s = probed_session(&p);
    const rubric_report *report = NULL;
    rubric_error err;
    assert_int_equal(eval_example(s, "premier", &report, &err), RUBRIC_ERR_INTERRUPTED);
    assert_int_equal(p.calls, 3);
    assert_string_equal(err.message, "interrupted");
    assert_string_equal(err.partner, "P-0000003");
    assert_int_equal(err.line, 0);
    assert_int_equal(eval_example(s, "premier", &report, &err), RUBRIC_OK);
    assert_string_equal(rubric_report_eligible_tier(report, 0), "Premier");
    rubric_session_free(s);
}

/* The flag set while the evaluation runs (here by the callback, as a
 * signal handler or another thread would) stops it at the next look. */
static void test_interrupt_flag_during(void **state)
{
    (void)state;
    interrupt_probe p = {.flag_at = 2};
    rubric_session *s = probed_session(&p);
    const rubric_report *report = NULL;
    rubric_error err;
    assert_int_equal(eval_example(s, "premier", &report, &err), RUBRIC_ERR_INTERRUPTED);
    assert_int_equal(p.calls, 2); /* the flag is seen before the callback is asked again */
    assert_string_equal(err.partner, "P-0000003");
    /* Still set: every evaluation stops until the host clears it. */
    assert_int_equal(eval_example(s, "select", &report, &err), RUBRIC_ERR_INTERRUPTED);
    p.flag = 0;
    assert_int_equal(eval_example(s, "select", &report, &err), RUBRIC_OK);
    rubric_session_free(s);
}

/* A configuration of version 1 has no hooks: they are not read. */
static void test_config_version_1_has_no_hooks(void **state)
{
    (void)state;
    interrupt_probe p = {.flag = 1};
    rubric_config config;
    rubric_config_init(&config);
    config.version = 1;
    config.interrupt_flag = &p.flag;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    const rubric_report *report = NULL;
    assert_int_equal(eval_example(s, "select", &report, NULL), RUBRIC_OK);
    rubric_session_free(s);
}

/* ------------------------------------------------------------ warnings */

typedef struct warning_log {
    unsigned count;
    char lines[8][400];
} warning_log;

static void log_warning(void *user_data, const rubric_warning *w)
{
    warning_log *log = user_data;
    if (log->count < 8)
        snprintf(log->lines[log->count], sizeof log->lines[0], "%s %u:%u @%u %s: %s",
                 w->partner, w->line, w->column, (unsigned)w->offset, w->path, w->message);
    log->count++;
}

static rubric_session *logged_session(warning_log *log)
{
    rubric_config config;
    rubric_config_init(&config);
    config.warning = log_warning;
    config.warning_data = log;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    assert_non_null(s);
    return s;
}

#define STRICT_PARTNER                                                          \
    "{\"format\": \"apn-partner/1\", \"nickname\": \"Al\",\n"                    \
    " \"id\": \"P-9\", \"name\": \"N\", \"path\": \"consulting\",\n"               \
    " \"tier\": \"Select\", \"renewal_date\": \"2026-12-15\",\n"                   \
    " \"individuals\": [{\"id\": \"I-1\", \"shoe\": 9}]}"

/* Strict mode: each unknown field reaches the callback with the partner's
 * id (written after the first of them), its object's path and its place. */
static void test_strict_warnings(void **state)
{
    (void)state;
    warning_log log = {0};
    rubric_session *s = logged_session(&log);
    rubric_eval_options options = {.as_of = AS_OF, .strict = true};
    const rubric_report *report = NULL;
    rubric_error err;
    const char *json = STRICT_PARTNER;
    rubric_status st = rubric_session_eval(s, json, strlen(json), &options, &report, &err);
    if (st != RUBRIC_OK)
        fail_msg("%s", err.message);
    assert_int_equal(log.count, 2);
    assert_string_equal(log.lines[0], "P-9 1:29 @28 $: unknown field \"nickname\"");
    assert_string_equal(log.lines[1],
                        "P-9 4:32 @175 $.individuals[0]: unknown field \"shoe\"");
    /* Not strict: no warnings. */
    options.strict = false;
    assert_int_equal(rubric_session_eval(s, json, strlen(json), &options, &report, &err),
                     RUBRIC_OK);
    assert_int_equal(log.count, 2);
    rubric_session_free(s);
}

/* A partner that fails to load still has its warnings, with no id. */
static void test_warnings_of_a_data_error(void **state)
{
    (void)state;
    warning_log log = {0};
    rubric_session *s = logged_session(&log);
    rubric_eval_options options = {.as_of = AS_OF, .strict = true};
    const rubric_report *report = NULL;
    rubric_error err;
    const char *json = "{\"nickname\": 1, \"id\": 5}";
    assert_int_equal(rubric_session_eval(s, json, strlen(json), &options, &report, &err),
                     RUBRIC_ERR_DATA);
    assert_int_equal(log.count, 1);
    assert_string_equal(log.lines[0], " 1:2 @1 $: unknown field \"nickname\"");
    rubric_session_free(s);
}

/* Out of memory while holding a warning is out of memory for the partner:
 * every allocation refused in turn ends in RUBRIC_ERR_NOMEM or in the
 * whole report with both warnings, and frees everything. */
static rubric_status eval_strict(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    warning_log log = {0};
    rubric_config hooked = *config;
    hooked.warning = log_warning;
    hooked.warning_data = &log;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &hooked);
    if (!s)
        return RUBRIC_ERR_NOMEM;
    rubric_eval_options options = {.as_of = AS_OF, .strict = true};
    const rubric_report *report = NULL;
    rubric_error err;
    const char *json = STRICT_PARTNER;
    rubric_status st = rubric_session_eval(s, json, strlen(json), &options, &report, &err);
    *ok = st == RUBRIC_OK && log.count == 2 &&
          strcmp(rubric_report_partner_id(report), "P-9") == 0;
    rubric_session_free(s);
    return st;
}

static void test_warnings_out_of_memory(void **state)
{
    (void)state;
    sweep("strict warnings", eval_strict, NULL, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_partners_in_turn),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_input_limit_before_copy),
        cmocka_unit_test(test_interrupt_flag_before),
        cmocka_unit_test(test_interrupt_callback_during),
        cmocka_unit_test(test_interrupt_flag_during),
        cmocka_unit_test(test_config_version_1_has_no_hooks),
        cmocka_unit_test(test_strict_warnings),
        cmocka_unit_test(test_warnings_of_a_data_error),
        cmocka_unit_test(test_warnings_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
