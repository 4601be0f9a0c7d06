/*
 * test_rules_windows.c — the edges of time in spec/programs.md: the rolling
 * window (A − 12 months, A], the month-end clamp, "active on A", "counts on
 * A", the legacy-revenue-tool cut-off and the renewal view's at_risk.
 */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "partner_builder.h"
#include "test_stdlib.h"

#define PROGRAM "apn-2019-consulting"

/* Two launched opportunities well inside every window used below, plus one
 * more launched on `edge` with the given origin: Select needs 3 (and their
 * $1,500 of MRR, which the two inside bring). */
static rubric_req_status launched_with(const char *as_of, const char *edge, const char *origin)
{
    partner_builder p;
    pb_init(&p, "consulting", "Select", "2027-01-20");
    const char *inside = strncmp(as_of, "2020", 4) == 0   ? "2020-01-15"
                         : strncmp(as_of, "2024", 4) == 0 ? "2023-12-01"
                                                          : "2026-06-01";
    for (int i = 0; i < 2; i++)
        pb_add(&p, "opportunities", "{\"origin\": \"partner\", \"status\": \"launched\", "
               "\"launched\": \"%s\", \"mrr\": 1000}", inside);
    pb_add(&p, "opportunities", "{\"origin\": \"%s\", \"status\": \"launched\", "
           "\"launched\": \"%s\"}", origin, edge);
    char *json = pb_json(&p);
    pb_free(&p);
    rubric_req_status st =
        test_status(test_eval_program(json, as_of, PROGRAM), "Select", "launched_opportunities");
    free(json);
    return st;
}

static void test_rolling_window_edges(void **state)
{
    (void)state;
    /* A − 12 months is outside, A inside, A + 1 day outside. */
    assert_int_equal(launched_with("2026-11-22", "2025-11-22", "partner"), RUBRIC_NOT_MET);
    assert_int_equal(launched_with("2026-11-22", "2025-11-23", "partner"), RUBRIC_MET);
    assert_int_equal(launched_with("2026-11-22", "2026-11-22", "partner"), RUBRIC_MET);
    assert_int_equal(launched_with("2026-11-22", "2026-11-23", "partner"), RUBRIC_NOT_MET);
}

static void test_leap_day_clamp(void **state)
{
    (void)state;
    /* 2024-02-29 − 12 months = 2023-02-28 (clamped): excluded; 03-01 in. */
    assert_int_equal(launched_with("2024-02-29", "2023-02-28", "partner"), RUBRIC_NOT_MET);
    assert_int_equal(launched_with("2024-02-29", "2023-03-01", "partner"), RUBRIC_MET);
}

static void test_legacy_revenue_tool_cutoff(void **state)
{
    (void)state;
    /* A legacy-revenue-tool entry counts only while A <= 2020-03-31. */
    assert_int_equal(launched_with("2020-03-31", "2020-02-01", "legacy_revenue_tool"),
                     RUBRIC_MET);
    assert_int_equal(launched_with("2020-04-01", "2020-02-01", "legacy_revenue_tool"),
                     RUBRIC_NOT_MET);
    /* AWS-originated opportunities count like the partner's own. */
    assert_int_equal(launched_with("2026-11-22", "2026-06-01", "aws"), RUBRIC_MET);
}

/* One individual with a foundational certification; Select needs 2, the
 * other is always there. */
static rubric_req_status foundational_with(const char *registered, const char *left,
                                           const char *earned, const char *expires)
{
    partner_builder p;
    pb_init(&p, "consulting", "Select", "2027-01-20");
    pb_add(&p, "individuals", "{\"registered\": \"2020-01-01\", \"certifications\": "
           "[{\"name\": \"CP\", \"level\": \"foundational\", \"earned\": \"2025-01-01\"}]}");
    pb_add(&p, "individuals", "{\"registered\": \"%s\", \"left\": %s, \"certifications\": "
           "[{\"name\": \"CP\", \"level\": \"foundational\", \"earned\": \"%s\", "
           "\"expires\": %s}]}", registered, left, earned, expires);
    char *json = pb_json(&p);
    pb_free(&p);
    rubric_req_status st = test_status(test_eval_program(json, "2026-11-22", PROGRAM), "Select",
                                       "foundational_certified");
    free(json);
    return st;
}

static void test_active_and_counting_on_as_of(void **state)
{
    (void)state;
    assert_int_equal(foundational_with("2026-11-22", "null", "2026-11-22", "null"), RUBRIC_MET);
    assert_int_equal(foundational_with("2026-11-23", "null", "2025-01-01", "null"),
                     RUBRIC_NOT_MET);
    assert_int_equal(foundational_with("2020-01-01", "\"2026-11-22\"", "2025-01-01", "null"),
                     RUBRIC_NOT_MET);
    assert_int_equal(foundational_with("2020-01-01", "\"2026-11-23\"", "2025-01-01", "null"),
                     RUBRIC_MET);
    assert_int_equal(foundational_with("2020-01-01", "null", "2026-11-23", "null"),
                     RUBRIC_NOT_MET);
    assert_int_equal(foundational_with("2020-01-01", "null", "2025-01-01", "\"2026-11-22\""),
                     RUBRIC_NOT_MET);
    assert_int_equal(foundational_with("2020-01-01", "null", "2025-01-01", "\"2026-11-23\""),
                     RUBRIC_MET);
}

/* A Select partner renewing on 2027-01-20 with no launched opportunities:
 * at risk before the renewal date, not met from it on. */
static void test_renewal_at_risk_until_review(void **state)
{
    (void)state;
    partner_builder p;
    pb_init(&p, "consulting", "Select", "2027-01-20");
    char *json = pb_json(&p);
    pb_free(&p);
    rubric_req_status st;
    const rubric_report *r = test_eval_program(json, "2026-11-22", PROGRAM);
    assert_true(rubric_report_renewal_status(r, 0, &st));
    assert_int_equal(st, RUBRIC_NOT_MET); /* the accreditations are not met either */
    char *out = test_report_json(r);
    assert_non_null(strstr(out, "\"id\":\"launched_opportunities\""));
    assert_non_null(strstr(out, "\"status\":\"at_risk\""));
    free(out);
    r = test_eval_program(json, "2027-01-20", PROGRAM);
    out = test_report_json(r);
    assert_null(strstr(out, "\"status\":\"at_risk\""));
    free(out);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rolling_window_edges),
        cmocka_unit_test(test_leap_day_clamp),
        cmocka_unit_test(test_legacy_revenue_tool_cutoff),
        cmocka_unit_test(test_active_and_counting_on_as_of),
        cmocka_unit_test(test_renewal_at_risk_until_review),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
