/* test_money.c — exact money: JSON numbers, decimal strings, formatting and
 * checked arithmetic. */
#include "test_support.h"

#include <string.h>

#include "money.h"

typedef struct money_case {
    const char *text;
    int64_t cents;    /* when why is NULL */
    const char *why;  /* the expected reason, or NULL for success */
} money_case;

static void check(bool (*parse)(const char *, size_t, int64_t *, const char **),
                  const money_case *cases, size_t n)
{
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t cents = 777;
        const char *why = NULL;
        bool ok = parse(cases[i].text, strlen(cases[i].text), &cents, &why);
        if (cases[i].why == NULL ? !ok || cents != cases[i].cents
                                 : ok || !why || strcmp(why, cases[i].why) != 0 ||
                                       cents != 777) {
            print_error("\"%s\": %s, %lld cents, why %s\n", cases[i].text, ok ? "ok" : "error",
                        (long long)cents, why ? why : "(null)");
            failures++;
        }
        /* the reason is optional */
        assert_int_equal(parse(cases[i].text, strlen(cases[i].text), &cents, NULL), ok);
    }
    assert_int_equal(failures, 0);
}

static void test_json_numbers(void **state)
{
    (void)state;
    static const money_case cases[] = {
        {"2500", 250000, NULL},
        {"10498.56", 1049856, NULL},
        {"1200.5", 120050, NULL},
        {"-3", -300, NULL},
        {"-0.05", -5, NULL},
        {"0", 0, NULL},
        {"-0", 0, NULL},
        {"0.01", 1, NULL},
        {"2.5e3", 250000, NULL},
        {"2.5E3", 250000, NULL},
        {"1.50E+2", 15000, NULL},
        {"12.345e1", 12345, NULL},
        {"1234e-2", 1234, NULL},
        {"1e-2", 1, NULL},
        {"-1.5e-1", -15, NULL},
        {"0e99999", 0, NULL},
        {"0.000e5", 0, NULL},
        {"1e16", 1000000000000000000, NULL},
        {"92233720368547758.07", INT64_MAX, NULL},
        {"-92233720368547758.07", -INT64_MAX, NULL},
        /* more than two written decimals (fraction digits minus exponent) */
        {"10.500", 0, "more than two decimals"},
        {"0.001", 0, "more than two decimals"},
        {"1.0e-2", 0, "more than two decimals"},
        {"1e-3", 0, "more than two decimals"},
        {"12.3456e1", 0, "more than two decimals"},
        {"1e-99999999", 0, "more than two decimals"},
        /* range */
        {"1e17", 0, "amount out of range"},
        {"1e30", 0, "amount out of range"},
        {"1e99999999", 0, "amount out of range"},
        {"92233720368547758.08", 0, "amount out of range"},
        {"-92233720368547758.08", 0, "amount out of range"},
        {"123456789012345678901234567890", 0, "amount out of range"},
        /* not numbers at all (the JSON reader never passes these) */
        {"", 0, "not a number"},
        {"-", 0, "not a number"},
        {"1.", 0, "not a number"},
        {".5", 0, "not a number"},
        {"1e", 0, "not a number"},
        {"1e+", 0, "not a number"},
        {"abc", 0, "not a number"},
        {"1x", 0, "not a number"},
    };
    check(money_parse_json_number, cases, sizeof cases / sizeof cases[0]);
}

static void test_decimal_strings(void **state)
{
    (void)state;
    static const money_case cases[] = {
        {"10498.56", 1049856, NULL},
        {"-0.05", -5, NULL},
        {"7", 700, NULL},
        {"7.5", 750, NULL},
        {"007.10", 710, NULL},
        {"0", 0, NULL},
        {"-0", 0, NULL},
        {"92233720368547758.07", INT64_MAX, NULL},
        {"10.500", 0, "more than two decimals"},
        {"0.001", 0, "more than two decimals"},
        {"99999999999999999999", 0, "amount out of range"},
        {"92233720368547758.08", 0, "amount out of range"},
        {"1e3", 0, "not a decimal number"},
        {"2.5E3", 0, "not a decimal number"},
        {"NaN", 0, "not a decimal number"},
        {"Infinity", 0, "not a decimal number"},
        {"true", 0, "not a decimal number"},
        {"", 0, "not a decimal number"},
        {"-", 0, "not a decimal number"},
        {".5", 0, "not a decimal number"},
        {"1.", 0, "not a decimal number"},
        {"+1", 0, "not a decimal number"},
        {" 1", 0, "not a decimal number"},
        {"1 ", 0, "not a decimal number"},
        {"1,000", 0, "not a decimal number"},
        {"1,000.00", 0, "not a decimal number"},
        {"$10", 0, "not a decimal number"},
        {"10 USD", 0, "not a decimal number"},
        {"--1", 0, "not a decimal number"},
        {"1.2.3", 0, "not a decimal number"},
    };
    check(money_parse_decimal, cases, sizeof cases / sizeof cases[0]);
}

static void test_format_plain(void **state)
{
    (void)state;
    static const struct {
        int64_t cents;
        const char *text;
    } cases[] = {
        {1000000, "10000"},     {150050, "1500.5"},   {1049856, "10498.56"},
        {-5, "-0.05"},          {0, "0"},             {1, "0.01"},
        {10, "0.1"},            {100, "1"},           {-150050, "-1500.5"},
        {INT64_MAX, "92233720368547758.07"},
        {INT64_MIN, "-92233720368547758.08"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        size_t n = money_format_plain(cases[i].cents, out);
        assert_string_equal(out, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
        /* what is printed parses back */
        int64_t back;
        if (cases[i].cents != INT64_MIN) {
            assert_true(money_parse_json_number(out, n, &back, NULL));
            assert_true(back == cases[i].cents);
        }
    }
}

static void test_format_display(void **state)
{
    (void)state;
    static const struct {
        int64_t cents;
        const char *text;
    } cases[] = {
        {1049856, "$10,498.56"},  {1000000, "$10,000"},     {-150050, "-$1,500.50"},
        {0, "$0"},                {5, "$0.05"},             {-5, "-$0.05"},
        {100, "$1"},              {99999, "$999.99"},       {100000, "$1,000"},
        {12345678900, "$123,456,789"},
        {INT64_MAX, "$92,233,720,368,547,758.07"},
        {INT64_MIN, "-$92,233,720,368,547,758.08"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[40];
        size_t n = money_format_display(cases[i].cents, out);
        assert_string_equal(out, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
}

static void test_checked_arithmetic(void **state)
{
    (void)state;
    int64_t r;
    assert_true(money_add(250000, -5, &r));
    assert_int_equal(r, 249995);
    assert_false(money_add(INT64_MAX, 1, &r));
    assert_false(money_add(INT64_MIN, -1, &r));
    assert_true(money_mul(125000, 12, &r));
    assert_int_equal(r, 1500000);
    assert_false(money_mul(INT64_MAX / 2 + 1, 2, &r));
    assert_false(money_mul(INT64_MIN, -1, &r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_decimal_strings),
        cmocka_unit_test(test_format_plain),
        cmocka_unit_test(test_format_display),
        cmocka_unit_test(test_checked_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
