/*
 * test_parse_tests.c — rule-test files through the public API
 * (rubric_compiler_parse_tests): the structures a file becomes (kinds,
 * values, where each is written, settings copied into the tests below),
 * the grammar's tokens shared with rules (strings, escapes, money, dates),
 * the JSON block under `data`, and the mistakes of each kind of line,
 * with their line and column.
 */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "rubric.h"

typedef struct parsed {
    rubric_compiler *c;
    const rubric_test_file *file;
    rubric_status status;
} parsed;

static parsed parse(const char *text)
{
    parsed p;
    p.c = rubric_compiler_new(NULL);
    assert_non_null(p.c);
    p.status = rubric_compiler_parse_tests(p.c, "t_test.rubric", text, strlen(text), &p.file);
    assert_non_null(p.file);
    for (size_t i = 0; i < rubric_compiler_diag_count(p.c); i++) {
        const rubric_diag *d = rubric_compiler_diag(p.c, i);
        printf("  %u:%u: %s\n", d->line, d->column, d->message);
    }
    return p;
}

/* text has exactly one error: message at line:col. */
static void assert_one_error(const char *text, uint32_t line, uint32_t col, const char *message)
{
    parsed p = parse(text);
    assert_int_equal(p.status, RUBRIC_ERR_COMPILE);
    assert_int_equal(rubric_compiler_diag_count(p.c), 1);
    const rubric_diag *d = rubric_compiler_diag(p.c, 0);
    assert_int_equal(d->severity, RUBRIC_SEVERITY_ERROR);
    assert_string_equal(d->file, "t_test.rubric");
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, col);
    assert_string_equal(d->message, message);
    rubric_compiler_free(p.c);
}

static void assert_span(rubric_test_span at, uint32_t line, uint32_t col, uint32_t len)
{
    assert_int_equal(at.line, line);
    assert_int_equal(at.column, col);
    assert_int_equal(at.length, len);
}

static void assert_name(const rubric_test_value *v, const char *name)
{
    assert_int_equal(v->kind, RUBRIC_TEST_NAME);
    assert_string_equal(v->text, name);
    assert_int_equal(v->length, strlen(name));
}

/* ------------------------------------------------------------ structures */

static const char two_tests[] =
    "# settings for the tests below\n"
    "program \"apn-2019-consulting\"\n"
    "as_of 2026-11-22\n"
    "data \"data/select.json\"\n"
    "\n"
    "test \"At the threshold\"\n"
    "  expect Select launched_opportunities.mrr met $1,500.50\n"
    "  expect renewal program_fee grace null\n"
    "  expect Premier business_plan absent\n"
    "  expect eligible_tier none\n"
    "  expect review_date 2026-12-15\n"
    "  expect upgrade_eligible false\n"
    "  expect renewal_status at_risk\n"
    "  expect error \"tab\\there\"\n"
    "\n"
    "test \"Its own settings\"\n"
    "  as_of 2025-01-31\n"
    "  program \"service-delivery\"\n"
    "  data\n"
    "    {\"id\": \"P\",\n"
    "     \"tier\": \"Select\"}\n"
    "  expect application \"Amazon RDS\" ready\n"
    "  expect application \"Amazon RDS\" self_assessment not_met 1\n"
    "  expect corporate_events 2 date 2026-01-01\n"
    "  expect corporate_events 1 counterparty \"C\"\n"
    "  expect corporate_events 1 action none\n"
    "  expect not_applied\n";

static void test_cases_and_settings(void **state)
{
    (void)state;
    parsed p = parse(two_tests);
    assert_int_equal(p.status, RUBRIC_OK);
    assert_int_equal(rubric_compiler_diag_count(p.c), 0);
    assert_string_equal(p.file->path, "t_test.rubric");
    assert_int_equal(p.file->case_count, 2);

    const rubric_test_case *a = &p.file->cases[0];
    assert_int_equal(a->title.kind, RUBRIC_TEST_STRING);
    assert_string_equal(a->title.text, "At the threshold");
    assert_span(a->title.at, 6, 6, 18);
    assert_int_equal(a->as_of.kind, RUBRIC_TEST_DATE);
    assert_int_equal(a->as_of.number, 20779); /* days since 1970-01-01 */
    assert_string_equal(a->program.text, "apn-2019-consulting");
    assert_string_equal(a->data_file.text, "data/select.json");
    assert_span(a->data_at, 4, 6, 18);
    assert_int_equal(a->data_block.kind, RUBRIC_TEST_NONE);
    assert_int_equal(a->expect_count, 8);

    const rubric_test_expect *e = a->expects;
    assert_int_equal(e[0].kind, RUBRIC_EXPECT_REQUIREMENT);
    assert_name(&e[0].word, "Select");
    assert_span(e[0].word.at, 7, 10, 6);
    assert_name(&e[0].subject, "Select");
    assert_name(&e[0].requirement, "launched_opportunities.mrr");
    assert_span(e[0].requirement.at, 7, 17, 26);
    assert_name(&e[0].status, "met");
    assert_int_equal(e[0].value.kind, RUBRIC_TEST_MONEY);
    assert_int_equal(e[0].value.number, 150050);
    assert_span(e[0].value.at, 7, 48, 9);

    assert_name(&e[1].subject, "renewal");
    assert_name(&e[1].status, "grace");
    assert_int_equal(e[1].value.kind, RUBRIC_TEST_NULL);
    assert_int_equal(e[2].kind, RUBRIC_EXPECT_ABSENT);
    assert_int_equal(e[2].value.kind, RUBRIC_TEST_NONE);
    assert_int_equal(e[3].kind, RUBRIC_EXPECT_ELIGIBLE_TIER);
    assert_name(&e[3].value, "none");
    assert_int_equal(e[4].kind, RUBRIC_EXPECT_REVIEW_DATE);
    assert_int_equal(e[4].value.kind, RUBRIC_TEST_DATE);
    assert_int_equal(e[4].value.number, 20802);
    assert_int_equal(e[5].kind, RUBRIC_EXPECT_UPGRADE_ELIGIBLE);
    assert_int_equal(e[5].value.kind, RUBRIC_TEST_BOOL);
    assert_int_equal(e[5].value.number, 0);
    assert_int_equal(e[6].kind, RUBRIC_EXPECT_RENEWAL_STATUS);
    assert_name(&e[6].value, "at_risk");
    assert_int_equal(e[7].kind, RUBRIC_EXPECT_ERROR);
    assert_int_equal(e[7].value.kind, RUBRIC_TEST_STRING);
    assert_string_equal(e[7].value.text, "tab\there");

    const rubric_test_case *b = &p.file->cases[1];
    assert_int_equal(b->as_of.number, 20119);
    assert_string_equal(b->program.text, "service-delivery");
    /* `data` alone replaces the file's data: no file, the block as written. */
    assert_int_equal(b->data_file.kind, RUBRIC_TEST_NONE);
    assert_int_equal(b->data_block.kind, RUBRIC_TEST_STRING);
    assert_string_equal(b->data_block.text, "{\"id\": \"P\",\n     \"tier\": \"Select\"}");
    assert_span(b->data_block.at, 20, 5, 11);
    assert_span(b->data_at, 19, 3, 4);
    assert_int_equal(b->expect_count, 6);
    e = b->expects;
    assert_int_equal(e[0].kind, RUBRIC_EXPECT_ITEM_STATUS);
    assert_int_equal(e[0].subject.kind, RUBRIC_TEST_STRING);
    assert_string_equal(e[0].subject.text, "Amazon RDS");
    assert_name(&e[0].status, "ready");
    assert_int_equal(e[1].kind, RUBRIC_EXPECT_ITEM_REQUIREMENT);
    assert_name(&e[1].requirement, "self_assessment");
    assert_int_equal(e[1].value.kind, RUBRIC_TEST_INT);
    assert_int_equal(e[1].value.number, 1);
    assert_int_equal(e[2].kind, RUBRIC_EXPECT_ROW);
    assert_name(&e[2].subject, "corporate_events");
    assert_int_equal(e[2].row.number, 2);
    assert_name(&e[2].requirement, "date");
    assert_int_equal(e[2].value.kind, RUBRIC_TEST_DATE);
    assert_int_equal(e[3].value.kind, RUBRIC_TEST_STRING);
    assert_name(&e[4].value, "none");
    assert_int_equal(e[5].kind, RUBRIC_EXPECT_NOT_APPLIED);
    rubric_compiler_free(p.c);
}

/* `test`, `data` and `expect` start lines; elsewhere they are names. */
static void test_line_words_are_names_elsewhere(void **state)
{
    (void)state;
    parsed p = parse("test \"Words\"\n"
                     "  program \"p\"\n"
                     "  as_of 2026-11-22\n"
                     "  data \"x.json\"\n"
                     "  expect data 1 test expect\n");
    assert_int_equal(p.status, RUBRIC_OK);
    const rubric_test_expect *e = &p.file->cases[0].expects[0];
    assert_int_equal(e->kind, RUBRIC_EXPECT_ROW);
    assert_name(&e->subject, "data");
    assert_name(&e->requirement, "test");
    assert_name(&e->value, "expect");
    rubric_compiler_free(p.c);
}

/* ------------------------------------------------------------ mistakes */

#define HEAD "test \"T\"\n  program \"p\"\n  as_of 2026-11-22\n  data \"x.json\"\n"

static void test_mistakes_where_written(void **state)
{
    (void)state;
    assert_one_error(HEAD "  expect Select x met 4 5\n", 5, 25,
                     "unexpected '5', expecting end of line");
    assert_one_error(HEAD "  expect Select x met 4.5\n", 5, 24,
                     "unexpected '.', expecting end of line");
    assert_one_error(HEAD "  expect Select x met $1,50\n", 5, 23,
                     "digits of an amount are grouped by three after a comma: $1,50");
    assert_one_error(HEAD "  expect Select x met $1.505\n", 5, 23,
                     "invalid amount $1.505: more than two decimals");
    assert_one_error(HEAD "  expect error \"a \\q\"\n", 5, 19,
                     "unknown escape '\\q' in a string (use \\\" \\\\ \\n or \\t)");
    assert_one_error(HEAD "  expect review_date 2026-02-29\n", 5, 22,
                     "invalid date 2026-02-29: no such day in that month");
    assert_one_error(HEAD "  expect review_date none\n", 5, 22,
                     "expected 'expect review_date YYYY-MM-DD'");
    assert_one_error(HEAD "  expect current_tier\n", 5, 10,
                     "expected 'expect current_tier TIER'");
    assert_one_error(HEAD "  expect upgrade_tier \"Select\"\n", 5, 23,
                     "expected 'expect upgrade_tier TIER (or none)'");
    assert_one_error(HEAD "  expect not_applied 3\n", 5, 22, "expected 'expect not_applied'");
    assert_one_error(HEAD "  expect application \"A\"\n", 5, 22,
                     "expected 'expect application \"LABEL\" ready (or not_ready), or "
                     "expect application \"LABEL\" REQUIREMENT STATUS [ACTUAL]'");
    assert_one_error(HEAD "  expect Select \"A\" ready\n", 5, 10,
                     "expected 'expect application \"LABEL\" ready (or not_ready), or "
                     "expect application \"LABEL\" REQUIREMENT STATUS [ACTUAL]'");
    assert_one_error(HEAD "  expect eligible_tier x met\n", 5, 10,
                     "expected 'expect eligible_tier TIER (or none)'");
    assert_one_error(HEAD "  expect error 1 kind x\n", 5, 10,
                     "expected 'expect error \"part of the message\"'");
    assert_one_error(HEAD "  expect renewl_status met\n", 5, 10,
                     "unknown expectation 'renewl_status'");
    assert_one_error(HEAD "  expect corporate_events 0 kind x\n", 5, 27,
                     "rows are numbered from 1");
    assert_one_error(HEAD "  expect\n", 5, 9, "unexpected end of line, expecting a name");
    assert_one_error(HEAD "  expect not_applied\n    expect not_applied\n", 6, 5,
                     "this line is indented, but the line before it opens no block");
    assert_one_error(HEAD "  program p\n  expect not_applied\n", 5, 11,
                     "unexpected 'p', expecting a string");
    assert_one_error("test \"T\"\n  program \"p\"\n  as_of 2026-11-22\n  data\n"
                     "  expect not_applied\n",
                     4, 3, "data needs a file (data \"partner.json\") or an indented JSON "
                     "object on the lines below");
    assert_one_error(HEAD "  data\n    [1, 2,\n     3]]\n  expect not_applied\n", 7, 8,
                     "the data is not valid JSON: trailing content after the document");
    assert_one_error(HEAD "  data\n    {\"a\": 01}\n  expect not_applied\n", 6, 11,
                     "the data is not valid JSON: invalid number");
    assert_one_error(HEAD "  expect not_applied\nexpect not_applied\n", 6, 1,
                     "unknown line 'expect' in a test file: its lines are test, and as_of, "
                     "program and data for the tests below");
    assert_one_error(HEAD "  let x = 1\n  expect not_applied\n", 5, 3,
                     "unknown line 'let' in a test: its lines are as_of, program, data and "
                     "expect");
    assert_one_error("", 1, 1, "no test in this file");
}

static void test_incomplete_test(void **state)
{
    (void)state;
    parsed p = parse("test \"Bare\"\n");
    assert_int_equal(p.status, RUBRIC_ERR_COMPILE);
    assert_int_equal(rubric_compiler_diag_count(p.c), 4);
    static const char *const lacks[] = {"as_of date", "program", "data", "expect line"};
    for (size_t i = 0; i < 4; i++) {
        char want[100];
        snprintf(want, sizeof want, "test \"Bare\" has no %s", lacks[i]);
        assert_string_equal(rubric_compiler_diag(p.c, i)->message, want);
        assert_int_equal(rubric_compiler_diag(p.c, i)->column, 6);
    }
    /* What parsed is handed out all the same. */
    assert_int_equal(p.file->case_count, 1);
    rubric_compiler_free(p.c);
}

/* Rules and tests are two start symbols of one grammar: neither reads as
 * the other. */
static void test_rules_are_not_tests(void **state)
{
    (void)state;
    parsed p = parse("module x\n\nlet a = 1\n");
    assert_int_equal(p.status, RUBRIC_ERR_COMPILE);
    assert_string_equal(rubric_compiler_diag(p.c, 0)->message,
                        "unknown line 'module' in a test file: its lines are test, and as_of, "
                        "program and data for the tests below");
    rubric_compiler_free(p.c);

    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_int_equal(rubric_compiler_add_source(c, "t_test.rubric", two_tests, strlen(two_tests)),
                     RUBRIC_OK);
    assert_int_equal(rubric_compiler_run(c, true, NULL, NULL), RUBRIC_ERR_COMPILE);
    rubric_compiler_free(c);
}

static void test_usage(void **state)
{
    (void)state;
    const rubric_test_file *f = (const rubric_test_file *)1;
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_int_equal(rubric_compiler_parse_tests(NULL, "a", "", 0, &f), RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_parse_tests(c, NULL, "", 0, &f), RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_parse_tests(c, "a", NULL, 3, &f), RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_parse_tests(c, "a", "", 0, NULL), RUBRIC_ERR_USAGE);
    rubric_compiler_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases_and_settings),
        cmocka_unit_test(test_line_words_are_names_elsewhere),
        cmocka_unit_test(test_mistakes_where_written),
        cmocka_unit_test(test_incomplete_test),
        cmocka_unit_test(test_rules_are_not_tests),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
