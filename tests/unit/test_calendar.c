/* test_calendar.c — dates and months: leap years, conversions, parsing,
 * month arithmetic, business days and the range limits. */
#include "test_support.h"

#include <string.h>

#include "calendar.h"

static int32_t ymd(int32_t y, int32_t m, int32_t d)
{
    return cal_from_ymd(y, m, d);
}

static int32_t date(const char *s)
{
    int32_t days;
    const char *why = NULL;
    if (!cal_parse_date(s, strlen(s), &days, &why))
        fail_msg("%s: %s", s, why);
    return days;
}

static void test_leap_years(void **state)
{
    (void)state;
    static const int32_t leap[] = {4, 400, 1600, 1996, 2000, 2004, 2024, 2400, 9996};
    static const int32_t common[] = {1, 100, 1700, 1800, 1900, 2023, 2025, 2100, 9999};
    for (size_t i = 0; i < sizeof leap / sizeof leap[0]; i++) {
        assert_true(cal_is_leap(leap[i]));
        assert_int_equal(cal_days_in_month(leap[i], 2), 29);
    }
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        assert_false(cal_is_leap(common[i]));
        assert_int_equal(cal_days_in_month(common[i], 2), 28);
    }
    static const int32_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int32_t m = 1; m <= 12; m++)
        assert_int_equal(cal_days_in_month(2023, m), days[m - 1]);
}

static void test_known_days(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(2000, 3, 1), 11017);
    assert_int_equal(ymd(2024, 2, 29), 19782);
    assert_int_equal(ymd(2026, 9, 18), 20714);
    assert_int_equal(ymd(1, 1, 1), CAL_MIN_DATE);
    assert_int_equal(ymd(9999, 12, 31), CAL_MAX_DATE);
}

/* Every day of the valid range converts both ways, and consecutive days
 * are consecutive dates. */
static void test_round_trip_over_the_whole_range(void **state)
{
    (void)state;
    int32_t py = 0, pm = 12, pd = 31;
    for (int32_t d = CAL_MIN_DATE; d <= CAL_MAX_DATE; d++) {
        int32_t y, m, dd;
        cal_to_ymd(d, &y, &m, &dd);
        bool next_day = y == py && m == pm && dd == pd + 1;
        bool next_month = y == py && m == pm + 1 && dd == 1 && pd == cal_days_in_month(py, pm);
        bool next_year = y == py + 1 && m == 1 && dd == 1 && pm == 12 && pd == 31;
        if (!(next_day || next_month || next_year))
            fail_msg("day %d: %04d-%02d-%02d after %04d-%02d-%02d", d, y, m, dd, py, pm, pd);
        if (cal_from_ymd(y, m, dd) != d)
            fail_msg("day %d does not round-trip", d);
        py = y;
        pm = m;
        pd = dd;
    }
    assert_int_equal(py, 9999);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(cal_weekday(0), 3);                   /* 1970-01-01 Thursday */
    assert_int_equal(cal_weekday(-1), 2);                  /* Wednesday */
    assert_int_equal(cal_weekday(CAL_MIN_DATE), 0);        /* 0001-01-01 Monday */
    assert_int_equal(cal_weekday(CAL_MAX_DATE), 4);        /* 9999-12-31 Friday */
    assert_int_equal(cal_weekday(ymd(2026, 11, 22)), 6);   /* Sunday */
    assert_int_equal(cal_weekday(ymd(2024, 2, 29)), 3);
    for (int32_t d = -20; d < 20; d++)
        assert_int_equal(cal_weekday(d + 7), cal_weekday(d));
}

static void test_parse_date(void **state)
{
    (void)state;
    assert_int_equal(date("2024-02-29"), ymd(2024, 2, 29));
    assert_int_equal(date("0001-01-01"), CAL_MIN_DATE);
    assert_int_equal(date("9999-12-31"), CAL_MAX_DATE);
    assert_int_equal(date("2000-02-29"), ymd(2000, 2, 29));
    static const struct {
        const char *s, *why;
    } bad[] = {
        {"2023-02-29", "no such day in that month"},
        {"2100-02-29", "no such day in that month"},
        {"2023-04-31", "no such day in that month"},
        {"2023-01-32", "day is out of range"},
        {"2023-01-00", "day is out of range"},
        {"2023-01-99", "day is out of range"},
        {"2023-13-01", "month is out of range"},
        {"2023-00-01", "month is out of range"},
        {"0000-01-01", "year 0000 is out of range"},
        {"2023-1-01", "expected a date YYYY-MM-DD"},
        {"2023-01-1", "expected a date YYYY-MM-DD"},
        {"2023/01/01", "expected a date YYYY-MM-DD"},
        {"20230101", "expected a date YYYY-MM-DD"},
        {"2023-01-01 ", "expected a date YYYY-MM-DD"},
        {" 2023-01-01", "expected a date YYYY-MM-DD"},
        {"2023-01-01T00", "expected a date YYYY-MM-DD"},
        {"+023-01-01", "expected a date YYYY-MM-DD"},
        {"2023-+1-01", "expected a date YYYY-MM-DD"},
        {"2023-01-+1", "expected a date YYYY-MM-DD"},
        {"abcd-ef-gh", "expected a date YYYY-MM-DD"},
        {"", "expected a date YYYY-MM-DD"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t d = 12345;
        const char *why = NULL;
        assert_false(cal_parse_date(bad[i].s, strlen(bad[i].s), &d, &why));
        if (!why || strcmp(why, bad[i].why) != 0)
            fail_msg("%s: %s", bad[i].s, why ? why : "(null)");
        assert_int_equal(d, 12345);
        /* the reason is optional */
        assert_false(cal_parse_date(bad[i].s, strlen(bad[i].s), &d, NULL));
    }
    /* the length is respected */
    int32_t d;
    assert_true(cal_parse_date("2024-02-29xyz", 10, &d, NULL));
    assert_false(cal_parse_date("2024-02-29", 9, &d, NULL));
}

static void test_parse_month(void **state)
{
    (void)state;
    int32_t m;
    const char *why;
    assert_true(cal_parse_month("2026-01", 7, &m, &why));
    assert_int_equal(m, 2026 * 12);
    assert_true(cal_parse_month("0001-01", 7, &m, &why));
    assert_int_equal(m, CAL_MIN_MONTH);
    assert_true(cal_parse_month("9999-12", 7, &m, &why));
    assert_int_equal(m, CAL_MAX_MONTH);
    static const struct {
        const char *s, *why;
    } bad[] = {
        {"2023-13", "month is out of range"},
        {"2023-00", "month is out of range"},
        {"0000-05", "year 0000 is out of range"},
        {"2023-1", "expected a month YYYY-MM"},
        {"2023-01-01", "expected a month YYYY-MM"},
        {"202301", "expected a month YYYY-MM"},
        {"2023/01", "expected a month YYYY-MM"},
        {"", "expected a month YYYY-MM"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        assert_false(cal_parse_month(bad[i].s, strlen(bad[i].s), &m, &why));
        if (!why || strcmp(why, bad[i].why) != 0)
            fail_msg("%s: %s", bad[i].s, why ? why : "(null)");
    }
}

static void test_format(void **state)
{
    (void)state;
    char out[11], month[8];
    cal_format_date(ymd(2024, 2, 29), out);
    assert_string_equal(out, "2024-02-29");
    cal_format_date(CAL_MIN_DATE, out);
    assert_string_equal(out, "0001-01-01");
    cal_format_date(CAL_MAX_DATE, out);
    assert_string_equal(out, "9999-12-31");
    cal_format_month(2026 * 12 + 8, month);
    assert_string_equal(month, "2026-09");
    cal_format_month(CAL_MIN_MONTH, month);
    assert_string_equal(month, "0001-01");
    cal_format_month(CAL_MAX_MONTH, month);
    assert_string_equal(month, "9999-12");
    /* format and parse agree */
    for (int32_t d = CAL_MIN_DATE; d <= CAL_MAX_DATE; d += 997) {
        cal_format_date(d, out);
        assert_int_equal(date(out), d);
    }
}

static void check_add_months(const char *from, int64_t n, const char *want)
{
    int32_t out;
    char got[11];
    assert_true(cal_add_months(date(from), n, &out));
    cal_format_date(out, got);
    if (strcmp(got, want) != 0)
        fail_msg("%s %+lld months: %s, expected %s", from, (long long)n, got, want);
}

static void test_add_months_clamps(void **state)
{
    (void)state;
    check_add_months("2024-02-29", -12, "2023-02-28");
    check_add_months("2026-08-31", -5, "2026-03-31");
    check_add_months("2026-01-31", 1, "2026-02-28");
    check_add_months("2024-01-31", 1, "2024-02-29");
    check_add_months("2026-03-31", -1, "2026-02-28");
    check_add_months("2026-05-31", 1, "2026-06-30");
    check_add_months("2026-12-15", -12, "2025-12-15");
    check_add_months("2026-12-15", 0, "2026-12-15");
    check_add_months("2024-02-29", 48, "2028-02-29");
    check_add_months("2026-11-30", 2, "2027-01-30");
    check_add_months("2026-01-15", -13, "2024-12-15");
    /* from the original date, never step by step */
    check_add_months("2026-08-31", -1, "2026-07-31");
    check_add_months("2026-08-31", -2, "2026-06-30");
    check_add_months("2026-08-31", -3, "2026-05-31");
    /* the limits */
    check_add_months("9999-11-30", 1, "9999-12-30");
    check_add_months("0001-02-28", -1, "0001-01-28");
    int32_t out;
    assert_false(cal_add_months(CAL_MAX_DATE, 1, &out));
    assert_false(cal_add_months(CAL_MIN_DATE, -1, &out));
    assert_false(cal_add_months(0, INT64_MAX, &out));
    assert_false(cal_add_months(0, INT64_MIN, &out));
    assert_false(cal_add_months(0, 200000, &out));
    assert_true(cal_add_months(CAL_MIN_DATE, CAL_MAX_MONTH - CAL_MIN_MONTH, &out));
    assert_int_equal(out, ymd(9999, 12, 1));
}

static void test_add_days(void **state)
{
    (void)state;
    int32_t out;
    assert_true(cal_add_days(ymd(2024, 2, 28), 1, &out));
    assert_int_equal(out, ymd(2024, 2, 29));
    assert_true(cal_add_days(ymd(2024, 3, 1), -1, &out));
    assert_int_equal(out, ymd(2024, 2, 29));
    assert_true(cal_add_days(CAL_MIN_DATE, CAL_MAX_DATE - CAL_MIN_DATE, &out));
    assert_int_equal(out, CAL_MAX_DATE);
    assert_false(cal_add_days(CAL_MAX_DATE, 1, &out));
    assert_false(cal_add_days(CAL_MIN_DATE, -1, &out));
    assert_false(cal_add_days(0, INT64_MAX, &out));
    assert_false(cal_add_days(0, INT64_MIN, &out));
}

static void test_months_between(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int64_t months;
    } cases[] = {
        {"2026-03-31", "2026-08-31", 5},  {"2024-01-31", "2024-02-29", 1},
        {"2024-01-31", "2024-02-28", 0},  {"2023-02-28", "2024-02-29", 12},
        {"2024-02-29", "2025-02-28", 12}, {"2026-01-15", "2026-01-15", 0},
        {"2026-01-15", "2026-02-14", 0},  {"2026-01-15", "2026-02-15", 1},
        {"2025-12-15", "2026-12-15", 12}, {"2025-12-16", "2026-12-15", 11},
        {"0001-01-01", "9999-12-31", 119987},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t a = date(cases[i].a), b = date(cases[i].b);
        if (cal_months_between(a, b) != cases[i].months)
            fail_msg("%s .. %s: %lld", cases[i].a, cases[i].b,
                     (long long)cal_months_between(a, b));
        assert_int_equal(cal_months_between(b, a), -cases[i].months);
        /* the defining property: a + m months <= b < a + (m + 1) months */
        int32_t lo, hi;
        int64_t m = cases[i].months;
        assert_true(cal_add_months(a, m, &lo));
        assert_true(lo <= b);
        if (cal_add_months(a, m + 1, &hi))
            assert_true(hi > b);
    }
}

static void test_business_days(void **state)
{
    (void)state;
    int32_t fri = date("2026-09-18"), sat = date("2026-09-19"), sun = date("2026-09-20");
    int32_t next_fri = date("2026-09-25"), next_mon = date("2026-09-28");
    assert_int_equal(cal_weekday(fri), 4);
    assert_int_equal(cal_business_days(fri, next_fri), 5);  /* still at risk */
    assert_int_equal(cal_business_days(fri, next_mon), 6);  /* not met */
    assert_int_equal(cal_business_days(fri, sat), 0);
    assert_int_equal(cal_business_days(fri, sun), 0);
    assert_int_equal(cal_business_days(sat, sun), 0);
    assert_int_equal(cal_business_days(sat, next_mon - 7), 1);
    assert_int_equal(cal_business_days(fri, fri), 0);
    assert_int_equal(cal_business_days(next_fri, fri), 0);
    assert_int_equal(cal_business_days(fri, fri + 14), 10);
    assert_int_equal(cal_business_days(fri, fri + 15), 10);
    assert_int_equal(cal_business_days(fri, fri + 17), 11);
    /* against counting day by day */
    for (int32_t a = fri - 10; a < fri; a++)
        for (int32_t b = a; b < a + 40; b++) {
            int64_t n = 0;
            for (int32_t d = a + 1; d <= b; d++)
                n += cal_weekday(d) < 5;
            assert_int_equal(cal_business_days(a, b), n);
        }
    assert_int_equal(cal_business_days(CAL_MIN_DATE, CAL_MAX_DATE), 2608614);
}

static void test_month_helpers(void **state)
{
    (void)state;
    assert_int_equal(cal_month_of(ymd(2026, 9, 18)), 2026 * 12 + 8);
    assert_int_equal(cal_month_first_day(2026 * 12 + 8), ymd(2026, 9, 1));
    assert_int_equal(cal_month_first_day(CAL_MIN_MONTH), CAL_MIN_DATE);
    assert_int_equal(cal_month_of(CAL_MAX_DATE), CAL_MAX_MONTH);
    assert_true(cal_today() >= ymd(2024, 1, 1));
    assert_true(cal_today() <= CAL_MAX_DATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_round_trip_over_the_whole_range),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_month),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_add_months_clamps),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_months_between),
        cmocka_unit_test(test_business_days),
        cmocka_unit_test(test_month_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
