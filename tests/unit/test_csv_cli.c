/*
 * test_csv_cli.c — `rubric eval -f csv` (a row per partner and program),
 * `-f csv-requirements` (a row per requirement) and `--excel` (a byte order
 * mark), from the command.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF "eval --as-of 2026-11-22 -j 1 "

static const char HEADER[] =
    "partner_id,partner_name,path,program,as_of,current_tier,eligible_tier,renewal_tier,"
    "renewal_status,review_date,upgrade_tier,upgrade_status,gaps,error\n";

static void test_row_per_partner_and_program(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f csv examples/partners/registered.json "
                              "examples/partners/technology.json", NULL, &out, &err), 0);
    assert_string_equal(err, "");
    char want[2048];
    snprintf(want, sizeof want, "%s%s", HEADER,
             "P-0000004,Cumulus Newcomers,consulting,apn-2019-consulting,2026-11-22,Registered,"
             ",,,,Select,not_eligible,7,\n"
             "P-0000004,Cumulus Newcomers,consulting,apn-2022-services,2026-11-22,Registered,"
             ",,,,Select,not_eligible,5,\n"
             "P-0000005,Quanta Data Systems,technology,apn-2019-technology,2026-11-22,Select,"
             "Select,Select,met,2027-02-10,Advanced,not_eligible,2,\n");
    assert_string_equal(out, want);
    free(out);
    free(err);
}

static void test_requirements_form(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f csv-requirements -p apn-2019-technology "
                              "examples/partners/technology.json", NULL, &out, &err), 0);
    assert_string_equal(err, "");
    static const char head[] = "partner_id,partner_name,program,as_of,tier,item,requirement,"
                               "parent,name,category,time_bound,status,actual,required,unit\n"
                               "P-0000005,Quanta Data Systems,apn-2019-technology,2026-11-22,"
                               "Select,,";
    assert_memory_equal(out, head, sizeof head - 1);
    free(out);
    free(err);
}

static void test_excel_adds_a_byte_order_mark(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f csv --excel examples/partners/technology.json", NULL,
                              &out, &err), 0);
    assert_memory_equal(out, "\xEF\xBB\xBFpartner_id,", 14);
    free(out);
    free(err);
    assert_int_equal(test_run(AS_OF "-f csv-requirements --excel "
                              "examples/partners/technology.json", NULL, &out, &err), 0);
    assert_memory_equal(out, "\xEF\xBB\xBFpartner_id,partner_name,program,", 34);
    free(out);
    free(err);
}

static void test_excel_needs_csv(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f jsonl --excel examples/partners/technology.json",
                              NULL, &out, &err), 2);
    assert_string_equal(out, "");
    assert_string_equal(err, "rubric: --excel applies only to -f csv and -f "
                             "csv-requirements\nTry 'rubric eval --help'.\n");
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_per_partner_and_program),
        cmocka_unit_test(test_requirements_form),
        cmocka_unit_test(test_excel_adds_a_byte_order_mark),
        cmocka_unit_test(test_excel_needs_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
