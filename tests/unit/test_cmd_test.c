/*
 * test_cmd_test.c — `rubric test` end to end: passing and failing test
 * files (the exact failure output and summary line), syntax errors, names
 * unknown to the rules, data that cannot be read, usage errors, and how
 * directories are searched.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A partner with nothing but its identity and a paid fee. */
#define MINIMAL_PARTNER                                                           \
    "    {\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\",\n"          \
    "     \"tier\": \"Select\", \"renewal_date\": \"2026-12-15\",\n"                \
    "     \"fee_payments\": [{\"date\": \"2025-12-15\", \"amount\": 2500}]}\n"

static char dir[256];

static int make_dir(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/rubric-test-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command) == 0 ? 0 : -1;
}

/* Write text to dir/name; returns the path (static buffer). */
static const char *write_test(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    /* The directories below dir, one by one. */
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Run `rubric test ARGS`; returns its exit status. */
static int rubric_test_cmd(const char *args, char **out, char **err)
{
    char command[1024];
    snprintf(command, sizeof command, "test %s", args);
    return test_run(command, NULL, out, err);
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected to find\n  %s\nin\n%s", needle, text);
}

/* ------------------------------------------------------------ results */

static void test_passing_file(void **state)
{
    (void)state;
    const char *path = write_test("pass_test.rubric",
                                  "test \"The fee is paid\"\n"
                                  "  program \"apn-2019-consulting\"\n"
                                  "  as_of 2026-11-22\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect Select program_fee met $2,500\n"
                                  "  expect eligible_tier none\n"
                                  "  expect Select business_plan absent\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 0);
    assert_string_equal(out, "1 passed, 0 failed\n");
    assert_string_equal(err, "");
    free(out);
    free(err);

    char args[600];
    snprintf(args, sizeof args, "-v %s", path);
    assert_int_equal(rubric_test_cmd(args, &out, &err), 0);
    char want[1200];
    snprintf(want, sizeof want, "PASS %s:1: The fee is paid\n1 passed, 0 failed\n", path);
    assert_string_equal(out, want);
    free(out);
    free(err);
}

static void test_failing_file_output(void **state)
{
    (void)state;
    const char *path = write_test("fail_test.rubric",
                                  "program \"apn-2019-consulting\"\n"
                                  "as_of 2026-12-20\n"
                                  "\n"
                                  "test \"Unpaid fee\"\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect Select program_fee met $2,500\n"
                                  "  expect renewal program_fee grace 0\n"
                                  "  expect eligible_tier Select\n"
                                  "\n"
                                  "test \"Expects the program not to apply\"\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect not_applied\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    char want[2000];
    snprintf(want, sizeof want,
             "FAIL %s:4: Unpaid fee\n"
             "  %s:9: Select program_fee: expected met $2,500, got grace 0\n"
             "  %s:11: eligible_tier: expected Select, got none\n"
             "FAIL %s:13: Expects the program not to apply\n"
             "  %s:18: not_applied: expected not_applied, got the program applies\n"
             "0 passed, 2 failed\n",
             path, path, path, path, path);
    assert_string_equal(out, want);
    free(out);
    free(err);
}

static void test_data_file_and_overrides(void **state)
{
    (void)state;
    write_test("data/partner.json", "{\"id\": \"P-2\", \"name\": \"Two\", \"path\": "
                                    "\"technology\", \"tier\": \"Standard\",\n"
                                    " \"renewal_date\": \"2026-12-15\"}\n");
    const char *path = write_test("file_test.rubric",
                                  "program \"apn-2019-consulting\"\n"
                                  "as_of 2026-11-22\n"
                                  "data \"data/partner.json\"\n"
                                  "test \"From the file\"\n"
                                  "  expect not_applied\n"
                                  "test \"With a member replaced\"\n"
                                  "  data \"data/partner.json\"\n"
                                  "    {\"path\": \"consulting\"}\n"
                                  "  expect current_tier Select\n"
                                  "  expect Select program_fee not_met 0\n"
                                  "test \"A data file that is missing\"\n"
                                  "  data \"data/missing.json\"\n"
                                  "  expect not_applied\n"
                                  "test \"Bad data is an error\"\n"
                                  "  data\n"
                                  "    {\"id\": \"P-3\"}\n"
                                  "  expect error \"name\"\n"
                                  "test \"An error where none is expected\"\n"
                                  "  data\n"
                                  "    {\"id\": \"P-3\"}\n"
                                  "  expect not_applied\n"
                                  "test \"No error where one is expected\"\n"
                                  "  expect error \"anything\"\n"
                                  "test \"A block that is not an object\"\n"
                                  "  data \"data/partner.json\"\n"
                                  "    [1, 2]\n"
                                  "  expect not_applied\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_contains(out, "data/missing.json: No such file or directory");
    assert_contains(out, "not_applied: expected not_applied, got error: ");
    assert_contains(out, "error: expected \"anything\", got no error");
    assert_contains(out, "the data block is not one JSON object");
    assert_contains(out, "3 passed, 4 failed\n");
    free(out);
    free(err);
}

/* ------------------------------------------------------------ file errors */

static void test_syntax_errors(void **state)
{
    (void)state;
    const char *path = write_test("syntax_test.rubric",
                                  "test \"One\"\n"
                                  "  as_of 2026-11-22\n"
                                  "  expcet eligible_tier Select\n"
                                  "  program apn-2019-consulting\n"
                                  "test \"Two\n"
                                  "\tas_of 2026-11-22\n"
                                  "test untitled\n"
                                  "  expect\n"
                                  "frobnicate\n"
                                  "test \"Three\"\n"
                                  "  expect Select program_fee met 4 5\n"
                                  "  expect eligible_tier\n"
                                  "  expect error unquoted\n"
                                  "  expect Select program_fee absent 4\n"
                                  "  data\n"
                                  "  expect not_applied\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, ":3:3: error: expected as_of, program, data or expect");
    assert_contains(err, ":4:11: error: a program id is written as a string in quotes");
    assert_contains(err, ":5:6: error: unterminated string");
    assert_contains(err, ":6:1: error: a tab in indentation; indent with spaces");
    assert_contains(err, ":7:6: error: a test's title is written as a string in quotes");
    assert_contains(err, ":9:1: error: expected 'test \"title\"', or a setting for every "
                         "test of the file: as_of, program or data");
    assert_contains(err, ":11:35: error: expected 'expect TIER REQUIREMENT STATUS [ACTUAL]'");
    assert_contains(err, ":12:3: error: expected expect eligible_tier VALUE");
    assert_contains(err, ":13:16: error: the expected error is written as a string in quotes");
    assert_contains(err, ":14:36: error: an absent requirement has no actual value");
    assert_contains(err, ":15:3: error: data needs a file (data \"partner.json\") or an "
                         "indented JSON object on the lines below");
    assert_contains(err, "   3 |   expcet eligible_tier Select\n");
    free(out);
    free(err);
}

static void test_unknown_names(void **state)
{
    (void)state;
    const char *path = write_test("names_test.rubric",
                                  "program \"apn-2019-consultin\"\n"
                                  "test \"Program\"\n"
                                  "  as_of 2026-11-22\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect not_applied\n"
                                  "test \"Names\"\n"
                                  "  program \"apn-2019-consulting\"\n"
                                  "  as_of 2026-02-30\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect Selcet launched_oportunities mett 4x\n"
                                  "  expect eligible_tier Premeir\n"
                                  "  expect current_tier Standrd\n"
                                  "  expect renewal_status grace\n"
                                  "  expect upgrade_eligible yes\n"
                                  "  expect review_date 2026-13-01\n"
                                  "test \"Empty\"\n"
                                  "  program \"apn-2019-consulting\"\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, ":1:9: error: unknown program 'apn-2019-consultin'");
    assert_contains(err, "note: did you mean 'apn-2019-consulting'?");
    assert_contains(err, ":11:9: error: '2026-02-30' is not a date");
    assert_contains(err, "error: unknown tier (or 'renewal') 'Selcet'");
    assert_contains(err, "note: did you mean 'Select'?");
    assert_contains(err, "error: unknown requirement 'launched_oportunities'");
    assert_contains(err, "note: did you mean 'launched_opportunities'?");
    assert_contains(err, "error: unknown status 'mett'");
    assert_contains(err, "note: did you mean 'met'?");
    assert_contains(err, "error: '4x' is not a value: write a count (4), money ($10,000), "
                         "true, false or null");
    assert_contains(err, "error: unknown tier 'Premeir'");
    assert_contains(err, "error: unknown tier 'Standrd'");
    assert_contains(err, "error: unknown renewal status 'grace'");
    assert_contains(err, "error: unknown value (true or false) 'yes'");
    assert_contains(err, "error: '2026-13-01' is not a date");
    assert_contains(err, "error: test \"Empty\" has no as_of date");
    assert_contains(err, "error: test \"Empty\" has no data");
    assert_contains(err, "error: test \"Empty\" has no expect line");
    free(out);
    free(err);
}

static void test_per_item_expectations(void **state)
{
    (void)state;
    const char *path = write_test("items_test.rubric",
                                  "as_of 2026-11-22\n"
                                  "data\n" MINIMAL_PARTNER
                                  "test \"Applications\"\n"
                                  "  program \"service-delivery\"\n"
                                  "  data\n"
                                  "    {\"id\": \"P\", \"name\": \"N\", \"path\": \"consulting\",\n"
                                  "     \"tier\": \"Select\", \"renewal_date\": \"2026-12-15\",\n"
                                  "     \"service_delivery_applications\": [{\"designation\": "
                                  "\"Amazon RDS\", \"submitted\": \"2026-10-01\", "
                                  "\"self_assessment\": {\"RDS-1\": \"Y\"}}],\n"
                                  "     \"corporate_events\": [{\"kind\": \"divests\", "
                                  "\"date\": \"2026-01-01\", \"material\": true}]}\n"
                                  "  expect application \"Amazon RDS\" self_assessment met 1\n"
                                  "  expect application \"Amazon RDS\" ready\n"
                                  "  expect application \"Amazon EC2\" ready\n"
                                  "  expect corporate_events 1 action disclose\n"
                                  "  expect corporate_events 2 action none\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    char want[2000];
    snprintf(want, sizeof want,
             "FAIL %s:6: Applications\n"
             "  %s:13: application \"Amazon RDS\" self_assessment: expected met 1, "
             "got not_met 1\n"
             "  %s:14: application \"Amazon RDS\": expected ready, got not_ready\n"
             "  %s:15: application \"Amazon EC2\": expected ready, got no such application\n"
             "  %s:16: corporate_events 1 action: expected disclose, got none\n"
             "  %s:17: corporate_events 2 action: expected none, got 1 rows\n"
             "0 passed, 1 failed\n",
             path, path, path, path, path, path);
    assert_string_equal(out, want);
    free(out);
    free(err);

    path = write_test("items_names_test.rubric",
                      "as_of 2026-11-22\n"
                      "data\n" MINIMAL_PARTNER
                      "test \"Wrong kinds\"\n"
                      "  program \"service-delivery\"\n"
                      "  expect eligible_tier Select\n"
                      "  expect application \"Amazon RDS\" self_asessment met\n"
                      "  expect application \"Amazon RDS\" done\n"
                      "  expect corporate_event 1 action none\n"
                      "  expect corporate_events 0 acton none\n"
                      "  expect application Amazon ready\n"
                      "test \"Applications of a tiered program\"\n"
                      "  program \"apn-2019-consulting\"\n"
                      "  expect application \"Amazon RDS\" ready\n");
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_contains(err, ":8:10: error: this program has no tiers");
    assert_contains(err, "error: unknown requirement 'self_asessment'");
    assert_contains(err, "note: did you mean 'self_assessment'?");
    assert_contains(err, "error: unknown application status 'done'");
    assert_contains(err, "error: unknown report list 'corporate_event'");
    assert_contains(err, "note: did you mean 'corporate_events'?");
    assert_contains(err, "error: unknown column 'acton'");
    assert_contains(err, "error: rows are numbered from 1");
    assert_contains(err, ":13:10: error: expected 'expect application \"LABEL\" ready'");
    assert_contains(err, ":16:10: error: 'expect application' is for programs that evaluate "
                         "each application on its own");
    free(out);
    free(err);
}

static void test_empty_file(void **state)
{
    (void)state;
    const char *path = write_test("empty_test.rubric", "# nothing yet\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_contains(err, ":1:1: error: no test in this file");
    assert_string_equal(out, "0 passed, 0 failed\n");
    free(out);
    free(err);
}

/* ------------------------------------------------------------ the command */

static void test_directories_are_searched(void **state)
{
    (void)state;
    write_test("tree/a/one_test.rubric", "test \"One\"\n"
                                         "  program \"apn-2019-technology\"\n"
                                         "  as_of 2026-11-22\n"
                                         "  data\n" MINIMAL_PARTNER
                                         "  expect not_applied\n");
    write_test("tree/b/helper.rubric", "this is not read\n");
    write_test("tree/two_test.rubric", "test \"Two\"\n"
                                       "  program \"apn-2022-services\"\n"
                                       "  as_of 2026-11-22\n"
                                       "  data\n" MINIMAL_PARTNER
                                       "  expect eligible_tier none\n");
    char args[600];
    snprintf(args, sizeof args, "-v %s/tree", dir);
    char *out, *err;
    assert_int_equal(rubric_test_cmd(args, &out, &err), 0);
    char want[1500];
    snprintf(want, sizeof want,
             "PASS %s/tree/a/one_test.rubric:1: One\n"
             "PASS %s/tree/two_test.rubric:1: Two\n"
             "2 passed, 0 failed\n",
             dir, dir);
    assert_string_equal(out, want);
    free(out);
    free(err);

    write_test("none/b/rules.rubric", "module x\n");
    snprintf(args, sizeof args, "%s/none", dir);
    assert_int_equal(rubric_test_cmd(args, &out, &err), 1);
    assert_contains(err, "rubric: no test files (*_test.rubric) found");
    free(out);
    free(err);
}

static void test_usage_errors(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(rubric_test_cmd("--bogus", &out, &err), 2);
    assert_string_equal(err, "rubric: unknown option '--bogus'\nTry 'rubric test --help'.\n");
    free(out);
    free(err);
    assert_int_equal(rubric_test_cmd("-r", &out, &err), 2);
    assert_contains(err, "option '-r' needs a value");
    free(out);
    free(err);
    assert_int_equal(rubric_test_cmd("--help", &out, &err), 0);
    assert_contains(out, "Usage: rubric test [OPTIONS] [PATH...]");
    assert_contains(out, "-r, --rules FILE");
    free(out);
    free(err);
    assert_int_equal(rubric_test_cmd("no/such/path", &out, &err), 1);
    assert_contains(err, "rubric: cannot read no/such/path: No such file or directory");
    assert_string_equal(out, "0 passed, 0 failed\n");
    free(out);
    free(err);
}

static void test_rules_option(void **state)
{
    (void)state;
    char args[600];
    const char *path = write_test("rules_test.rubric",
                                  "test \"A program the rules do not have\"\n"
                                  "  program \"apn-2019-technology\"\n"
                                  "  as_of 2026-11-22\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect not_applied\n");
    snprintf(args, sizeof args, "-r stdlib-rules/apn/consulting_2019.rubric %s", path);
    char *out, *err;
    assert_int_equal(rubric_test_cmd(args, &out, &err), 1);
    assert_contains(err, "error: unknown program 'apn-2019-technology'");
    free(out);
    free(err);
    snprintf(args, sizeof args, "-r no-such-rules.rubric %s", path);
    assert_int_equal(rubric_test_cmd(args, &out, &err), 1);
    assert_contains(err, "no-such-rules.rubric");
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passing_file),
        cmocka_unit_test(test_failing_file_output),
        cmocka_unit_test(test_data_file_and_overrides),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_per_item_expectations),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_directories_are_searched),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_rules_option),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
