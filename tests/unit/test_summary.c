/*
 * test_summary.c — `rubric eval -f summary|summary-json` and the public
 * rubric_summary_* functions: the text of a small population exactly, a
 * partner under two programs counted once, errors counted, a failing
 * allocator.  tests/summary/check_summary.py checks the counts against
 * the jsonl results over a generated population.
 */
#include "test_shell.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF "eval --as-of 2026-11-22 -j 1 "

static void assert_starts_with(const char *text, const char *prefix)
{
    assert_memory_equal(text, prefix, strlen(prefix));
}

static void test_text_of_one_partner(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f summary examples/partners/technology.json", NULL,
                              &out, &err), 0);
    assert_string_equal(err, "");
    assert_string_equal(out,
        "Summary as of 2026-11-22\n"
        "  Partners 1, results 1, errors 0\n"
        "  (a partner evaluated under several programs, such as a consulting partner under apn-2019-consulting and apn-2022-services, counts once in the total and once in each program)\n"
        "\n"
        "APN Technology Partners (2019) (apn-2019-technology)\n"
        "  Partners 1, errors 0\n"
        "  Current tier (rows) x eligible tier (columns)\n"
        "                       none     Select   Advanced\n"
        "    Select                0          1          0\n"
        "    Advanced              0          0          0\n"
        "  Renewal by current tier (review dates due within 30, 60, 90 days)\n"
        "                        met    at risk    not met     due 30     due 60     due 90\n"
        "    Select                1          0          0          0          0          1\n"
        "  Upgrade to the next tier by current tier\n"
        "                   eligible  not eligible\n"
        "    Select                0             1\n"
        "  Requirements most often not met or at risk at renewal\n"
        "    none\n"
);
    free(out);
    free(err);
}

static void test_partner_under_two_programs_counts_once(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f summary-json examples/partners/select.json "
                              "examples/partners/registered.json", NULL, &out, &err), 0);
    assert_string_equal(err, "");
    assert_starts_with(out, "{\"as_of\":\"2026-11-22\",\"partners\":2,\"results\":4,"
                            "\"errors\":0,");
    assert_non_null(strstr(out, "\"id\":\"apn-2019-consulting\",\"title\":\"APN Consulting "
                                "Partners (2019)\",\"kind\":\"tiered\",\"partners\":2,"
                                "\"errors\":0,\"tiers\":[\"Select\",\"Advanced\",\"Premier\"],"
                                "\"matrix\":{\"Registered\":{\"none\":1,\"Select\":0,"
                                "\"Advanced\":0,\"Premier\":0},\"Select\":{\"none\":0,"
                                "\"Select\":1,"));
    free(out);
    free(err);
}

static void test_partner_errors_counted(void **state)
{
    char *dir = *state;
    char path[512], args[1024];
    snprintf(path, sizeof path, "%s/bad.jsonl", dir);
    test_write_text(path, "{\"id\":\"x\"}\n");
    snprintf(args, sizeof args, AS_OF "-f summary-json '%s'", path);
    char *out, *err;
    assert_int_equal(test_run(args, NULL, &out, &err), 1);
    assert_starts_with(out, "{\"as_of\":null,\"partners\":0,\"results\":0,\"errors\":1,");
    assert_non_null(strstr(out, "\"programs\":[]}\n"));
    free(out);
    free(err);
}

static void *failing_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    (void)old_size;
    int *left = user_data;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    if ((*left)-- <= 0)
        return NULL;
    return realloc(ptr, new_size);
}

static bool ignore(void *user_data, const char *bytes, size_t len)
{
    (void)user_data;
    (void)bytes;
    (void)len;
    return true;
}

static void test_out_of_memory(void **state)
{
    (void)state;
    int left = 0;
    rubric_config config;
    rubric_config_init(&config);
    config.allocator.realloc = failing_realloc;
    config.allocator.user_data = &left;
    assert_null(rubric_summary_new(&config));
    left = 1;
    rubric_summary *s = rubric_summary_new(&config);
    assert_non_null(s);
    rubric_result r = {0};
    r.partner_id.kind = RUBRIC_VALUE_STRING;
    r.partner_id.as.string.chars = "P-1";
    r.partner_id.as.string.length = 3;
    r.program_id = "p";
    assert_int_equal(rubric_summary_add(s, &r, 1, NULL, 0), RUBRIC_ERR_NOMEM);
    assert_int_equal(rubric_summary_write(s, RUBRIC_SUMMARY_JSON, ignore, NULL),
                     RUBRIC_ERR_NOMEM);
    rubric_summary_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_of_one_partner),
        cmocka_unit_test(test_partner_under_two_programs_counts_once),
        cmocka_unit_test_setup_teardown(test_partner_errors_counted, test_dir_setup,
                                        test_dir_teardown),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
