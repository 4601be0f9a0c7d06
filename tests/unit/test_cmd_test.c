/*
 * test_cmd_test.c — `rubric test` end to end: passing and failing test
 * files (the exact failure output and summary line), syntax errors, names
 * and values the rules do not have, data that cannot be read, usage
 * errors, and how directories are searched.  A test file is read with the
 * grammar of rules files: its strings, numbers, money and dates are the
 * rules', and its data the JSON that `rubric eval` reads.
 */
#include "test_shell.h"
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

/* The group's temporary directory (test_temp_dir). */
static char *dir;

static int make_dir(void **state)
{
    (void)state;
    dir = test_temp_dir();
    return dir ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    test_remove_dir(dir);
    free(dir);
    return 0;
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
    test_write_text(path, text);
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
                                  "  expect renewal program_fee grace $0\n"
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
             "  %s:9: Select program_fee: expected met $2,500, got grace $0\n"
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
                                  "  expect Select program_fee not_met $0\n"
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
                                  "test untitled\n"
                                  "  expect\n"
                                  "frobnicate\n"
                                  "test \"Three\"\n"
                                  "  expect Select program_fee met $4 5\n"
                                  "  expect eligible_tier\n"
                                  "  expect error unquoted\n"
                                  "  expect Select program_fee absent $4\n"
                                  "  data\n"
                                  "  expect not_applied\n"
                                  "  expect eligble_tier Select\n"
                                  "  expect Select program_fee\n"
                                  "  as_of tomorrow\n"
                                  "  expect not_applied now\n"
                                  "  expect upgrade_eligible yes\n"
                                  "  expect review_date 2026-13-01\n"
                                  "test \"Two\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, ":3:3: error: unknown line 'expcet' in a test: its lines are as_of, "
                         "program, data and expect\n");
    assert_contains(err, ":3:3: note: did you mean 'expect'?\n");
    assert_contains(err, "   3 |   expcet eligible_tier Select\n");
    assert_contains(err, ":4:11: error: unexpected 'apn', expecting a string\n");
    assert_contains(err, ":5:6: error: unexpected 'untitled', expecting a string\n");
    assert_contains(err, ":7:1: error: unknown line 'frobnicate' in a test file: its lines are "
                         "test, and as_of, program and data for the tests below\n");
    assert_contains(err, ":9:36: error: unexpected '5', expecting end of line\n");
    assert_contains(err, ":10:10: error: expected 'expect eligible_tier TIER (or none)'\n");
    assert_contains(err, ":11:16: error: expected 'expect error \"part of the message\"'\n");
    assert_contains(err, ":12:36: error: an absent requirement has no actual value\n");
    assert_contains(err, ":13:3: error: data needs a file (data \"partner.json\") or an "
                         "indented JSON object on the lines below\n");
    assert_contains(err, ":15:10: error: unknown expectation 'eligble_tier'\n");
    assert_contains(err, ":15:10: note: did you mean 'eligible_tier'?\n");
    assert_contains(err, ":16:10: error: expected 'expect TIER REQUIREMENT STATUS [ACTUAL], or "
                         "expect renewal REQUIREMENT STATUS [ACTUAL]'\n");
    assert_contains(err, ":17:9: error: unexpected 'tomorrow', expecting a date\n");
    assert_contains(err, ":18:22: error: expected 'expect not_applied'\n");
    assert_contains(err, ":19:27: error: expected 'expect upgrade_eligible true (or false)'\n");
    assert_contains(err, ":20:22: error: invalid date 2026-13-01: month is out of range\n");
    assert_contains(err, ":21:6: error: this string has no closing '\"' on its line\n");
    /* Each mistake once: a test cut short by one is not also said to lack
     * what that line would have given. */
    if (strstr(err, "\" has no "))
        fail_msg("a test with a syntax error reported as incomplete:\n%s", err);
    free(out);
    free(err);
}

static void test_tab_in_indentation(void **state)
{
    (void)state;
    const char *path = write_test("tab_test.rubric", "test \"One\"\n"
                                                     "  program \"apn-2019-consulting\"\n"
                                                     "\tas_of 2026-11-22\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    char want[1200];
    snprintf(want, sizeof want, "%s:3:1: error: a tab in indentation; indent with spaces\n", path);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    assert_string_equal(out, "0 passed, 0 failed\n");
    free(out);
    free(err);
}

static void test_incomplete_tests(void **state)
{
    (void)state;
    const char *path = write_test("incomplete_test.rubric", "test \"Empty\"\n"
                                                            "  program \"apn-2019-consulting\"\n"
                                                            "test \"Bare\"\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_contains(err, ":1:6: error: test \"Empty\" has no as_of date\n");
    assert_contains(err, ":1:6: error: test \"Empty\" has no data\n");
    assert_contains(err, ":1:6: error: test \"Empty\" has no expect line\n");
    assert_contains(err, ":3:6: error: test \"Bare\" has no program\n");
    assert_string_equal(out, "0 passed, 0 failed\n");
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
                                  "  as_of 2026-11-22\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect Selcet launched_oportunities mett 4\n"
                                  "  expect eligible_tier Premeir\n"
                                  "  expect current_tier Standrd\n"
                                  "  expect renewal_status grace\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, ":1:9: error: unknown program 'apn-2019-consultin'\n");
    assert_contains(err, "note: did you mean 'apn-2019-consulting'?\n");
    assert_contains(err, ":16:10: error: unknown tier (or 'renewal') 'Selcet'\n");
    assert_contains(err, ":16:10: note: did you mean 'Select'?\n");
    assert_contains(err, ":16:17: error: unknown requirement 'launched_oportunities'\n");
    assert_contains(err, "note: did you mean 'launched_opportunities'?\n");
    assert_contains(err, ":16:39: error: unknown status 'mett'\n");
    assert_contains(err, "note: did you mean 'met'?\n");
    assert_contains(err, ":17:24: error: unknown tier 'Premeir'\n");
    assert_contains(err, ":18:23: error: unknown tier 'Standrd'\n");
    assert_contains(err, ":19:25: error: unknown renewal status 'grace'\n");
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
                      "  expect corporate_events 0 action none\n"
                      "  expect corporate_events 1 acton none\n"
                      "  expect application Amazon ready\n"
                      "  expect corporate_events 1 counterparty C\n"
                      "  expect corporate_events 1 kind divest\n"
                      "  expect corporate_events 1 date 2026\n"
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
    assert_contains(err, ":12:27: error: rows are numbered from 1\n");
    assert_contains(err, ":13:29: error: unknown column 'acton'\n");
    assert_contains(err, ":14:10: error: expected 'expect application \"LABEL\" ready (or "
                         "not_ready), or expect application \"LABEL\" REQUIREMENT STATUS "
                         "[ACTUAL]'\n");
    assert_contains(err, ":15:42: error: the values of column 'counterparty' are written as "
                         "text in quotes, such as \"Initech\" (or null)\n");
    assert_contains(err, ":16:34: error: column 'kind' has no value 'divest'\n");
    assert_contains(err, ":16:34: note: did you mean 'divests'?\n");
    assert_contains(err, ":17:34: error: the values of column 'date' are written as a date, "
                         "such as 2026-12-15\n");
    assert_contains(err, ":20:10: error: 'expect application' is for programs that evaluate "
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

/* ------------------------------------------------------------ values as rules write them */

/* An event without a counterparty: its report cell is null. */
#define EVENT_PARTNER                                                              \
    "    {\"id\": \"P\", \"name\": \"N\", \"path\": \"consulting\", \"tier\": \"Select\",\n" \
    "     \"renewal_date\": \"2026-12-15\",\n"                                      \
    "     \"corporate_events\": [{\"kind\": \"divests\", \"date\": \"2026-01-01\", "   \
    "\"material\": true}]}\n"

/* B4: a null report cell is expected with `null`; `""` is a string. */
static void test_null_cell_is_null(void **state)
{
    (void)state;
    const char *path = write_test("null_cell_test.rubric",
                                  "program \"service-delivery\"\n"
                                  "as_of 2026-11-22\n"
                                  "test \"A null cell\"\n"
                                  "  data\n" EVENT_PARTNER
                                  "  expect corporate_events 1 counterparty null\n"
                                  "  expect corporate_events 1 kind divests\n"
                                  "  expect corporate_events 1 date 2026-01-01\n"
                                  "test \"An empty string is not null\"\n"
                                  "  data\n" EVENT_PARTNER
                                  "  expect corporate_events 1 counterparty \"\"\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    char want[1500];
    snprintf(want, sizeof want,
             "FAIL %s:11: An empty string is not null\n"
             "  %s:16: corporate_events 1 counterparty: expected \"\", got null\n"
             "1 passed, 1 failed\n",
             path, path);
    assert_string_equal(out, want);
    assert_string_equal(err, "");
    free(out);
    free(err);
}

/* B5: money is expected only of money, a count only of a count. */
static void test_money_is_not_a_count(void **state)
{
    (void)state;
    const char *path = write_test("money_test.rubric",
                                  "program \"apn-2019-consulting\"\n"
                                  "as_of 2026-11-22\n"
                                  "test \"Money and counts\"\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect Select launched_opportunities not_met $0\n"
                                  "  expect Select program_fee met 2500\n"
                                  "  expect Select business_plan not_met $0\n"
                                  "  expect Select launched_opportunities.mrr not_met 0\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, ":8:48: error: the actual value of 'launched_opportunities' is written "
                         "as a count, such as 4 (or null)\n");
    assert_contains(err, "    8 |   expect Select launched_opportunities not_met $0\n"
                         "      |                                                ^~\n");
    assert_contains(err, ":9:33: error: the actual value of 'program_fee' is written as money, "
                         "such as $2,500 (or null)\n");
    assert_contains(err, ":10:39: error: the actual value of 'business_plan' is written as true "
                         "or false (or null)\n");
    assert_contains(err, ":11:52: error: the actual value of 'launched_opportunities.mrr' is "
                         "written as money, such as $2,500 (or null)\n");
    free(out);
    free(err);

    /* Written as they should be, the same expectations hold. */
    path = write_test("money_ok_test.rubric",
                      "program \"apn-2019-consulting\"\n"
                      "as_of 2026-11-22\n"
                      "test \"Money and counts\"\n"
                      "  data\n" MINIMAL_PARTNER
                      "  expect Select launched_opportunities not_met 0\n"
                      "  expect Select program_fee met $2,500.00\n"
                      "  expect Select launched_opportunities.mrr not_met $0\n");
    assert_int_equal(rubric_test_cmd(path, &out, &err), 0);
    assert_string_equal(out, "1 passed, 0 failed\n");
    free(out);
    free(err);
}

/* B6: the data is JSON as `rubric eval` reads it, a trailing comma an
 * error where it is written, in a block over a data file or alone. */
static void test_inline_json_as_eval_reads_it(void **state)
{
    (void)state;
    write_test("json/partner.json", "{\"id\": \"P-2\", \"name\": \"Two\", \"path\": "
                                    "\"technology\", \"tier\": \"Standard\",\n"
                                    " \"renewal_date\": \"2026-12-15\"}\n");
    const char *path = write_test("json/comma_test.rubric",
                                  "program \"apn-2019-consulting\"\n"
                                  "as_of 2026-11-22\n"
                                  "test \"Over a data file\"\n"
                                  "  data \"partner.json\"\n"
                                  "    {\"path\": \"consulting\",\n"
                                  "     \"tier\": \"Select\",}\n"
                                  "  expect current_tier Select\n"
                                  "test \"Alone\"\n"
                                  "  data\n"
                                  "    {\"id\": \"P-1\", \"name\": \"One\", "
                                  "\"path\": \"consulting\",}\n"
                                  "  expect not_applied\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, ":6:23: error: the data is not valid JSON: expected a string key\n"
                         "    6 |      \"tier\": \"Select\",}\n"
                         "      |                       ^\n");
    assert_contains(err, ":10:55: error: the data is not valid JSON: expected a string key\n");
    free(out);
    free(err);

    /* Blank lines and `#` inside the block are the JSON's; the block
     * ends at the first line not indented under `data`. */
    path = write_test("json/block_test.rubric",
                      "program \"apn-2019-consulting\"\n"
                      "as_of 2026-11-22\n"
                      "test \"A block\"\n"
                      "  data \"partner.json\"\n"
                      "\n"
                      "    {\"path\": \"consulting\",\n"
                      "\n"
                      "     \"name\": \"#1\"}\n"
                      "  # a comment of the test\n"
                      "  expect current_tier Select\n"
                      "test \"A comment in the block is JSON\"\n"
                      "  data \"partner.json\"\n"
                      "    # not JSON\n"
                      "    {\"path\": \"consulting\"}\n"
                      "  expect current_tier Select\n");
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    assert_contains(err, ":13:5: error: the data is not valid JSON: ");
    /* The file's only mistake: the first test's block was read whole,
     * blank lines, `#` and all. */
    const char *first = strstr(err, "error:");
    assert_non_null(first);
    assert_null(strstr(first + 1, "error:"));
    free(out);
    free(err);
}

/* Strings are the rules' strings: the same escapes, the same mistakes. */
static void test_strings_as_rules_write_them(void **state)
{
    (void)state;
    const char *path = write_test("escape_test.rubric",
                                  "test \"tab and \\q escape\"\n"
                                  "  program \"apn-2019-consulting\"\n"
                                  "  as_of 2026-11-22\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect eligible_tier none\n");
    char *out, *err;
    assert_int_equal(rubric_test_cmd(path, &out, &err), 1);
    char want[1200];
    snprintf(want, sizeof want,
             "%s:1:15: error: unknown escape '\\q' in a string (use \\\" \\\\ \\n or \\t)\n"
             "    1 | test \"tab and \\q escape\"\n"
             "      |               ^\n",
             path);
    assert_string_equal(err, want);
    assert_string_equal(out, "0 passed, 0 failed\n");
    free(out);
    free(err);

    path = write_test("escapes_test.rubric",
                      "test \"tab\\tand \\\"quoted\\\"\"\n"
                      "  program \"apn-2019-consulting\"\n"
                      "  as_of 2026-11-22\n"
                      "  data\n" MINIMAL_PARTNER
                      "  expect eligible_tier none\n");
    char args[600];
    snprintf(args, sizeof args, "-v %s", path);
    assert_int_equal(rubric_test_cmd(args, &out, &err), 0);
    snprintf(want, sizeof want, "PASS %s:1: tab\tand \"quoted\"\n1 passed, 0 failed\n", path);
    assert_string_equal(out, want);
    free(out);
    free(err);
}

/* A test file is its own start symbol: rules never parse as one, nor one
 * as rules. */
static void test_test_files_are_not_rules(void **state)
{
    (void)state;
    const char *path = write_test("not_rules_test.rubric",
                                  "test \"One\"\n"
                                  "  program \"apn-2019-consulting\"\n"
                                  "  as_of 2026-11-22\n"
                                  "  data\n" MINIMAL_PARTNER
                                  "  expect eligible_tier none\n");
    char args[600];
    snprintf(args, sizeof args, "check %s", path);
    char *out, *err;
    assert_int_equal(test_run(args, NULL, &out, &err), 1);
    assert_contains(err, ":1:6: error: unexpected \"One\"");
    free(out);
    free(err);
    assert_int_equal(rubric_test_cmd("stdlib-rules/apn/consulting_2019.rubric", &out, &err), 1);
    assert_contains(err, "consulting_2019.rubric:1:1: error: ");
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
        cmocka_unit_test(test_tab_in_indentation),
        cmocka_unit_test(test_incomplete_tests),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_per_item_expectations),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_null_cell_is_null),
        cmocka_unit_test(test_money_is_not_a_count),
        cmocka_unit_test(test_inline_json_as_eval_reads_it),
        cmocka_unit_test(test_strings_as_rules_write_them),
        cmocka_unit_test(test_test_files_are_not_rules),
        cmocka_unit_test(test_directories_are_searched),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_rules_option),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
