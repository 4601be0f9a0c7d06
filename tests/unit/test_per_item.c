/*
 * test_per_item.c — per-item programs (`for each … report … label …`),
 * computed thresholds, `error when` and report lists: parsing, the
 * diagnostics of the semantic checks, and evaluation through the public
 * interface.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_harness.h"

/* A per-item program over the Service Delivery applications of
 * apn.partner, a tiered program beside it, and a report list. */
#define RULES                                                                                  \
    "import apn.partner\n"                                                                     \
    "fn wanted(designation: string): list of string =\n"                                      \
    "  {\"A-1\", \"A-2\"} where designation == \"Amazon RDS\"\n"                              \
    "program \"t\" \"Tiered\" version \"1\"\n"                                                 \
    "  tiers Select < Advanced by tier\n"                                                      \
    "  rolling window (as_of - 12 months, as_of]\n"                                            \
    "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"                    \
    "  category C\n"                                                                           \
    "    requirement fee \"Fee\"  count(fee_payments)   at least 1\n"                         \
    "program \"sd\" \"Per item\" version \"2\"\n"                                              \
    "  applies when count(service_delivery_applications) > 0 or count(corporate_events) > 0\n" \
    "  for each application in service_delivery_applications report applications label "      \
    "designation\n"                                                                            \
    "  error when count(wanted(designation)) == 0 \"no list for \\\"{designation}\\\" of "     \
    "{submitted}\"\n"                                                                          \
    "  for each event in corporate_events report events\n"                                     \
    "    kind = kind\n"                                                                        \
    "    on = date\n"                                                                        \
    "  category Checks\n"                                                                      \
    "    requirement answered \"Answered\"\n"                                                  \
    "      count(wanted(designation) where get(self_assessment, it) == Y)   at least "        \
    "count(wanted(designation))\n"                                                             \
    "    requirement named \"Named\"  application.designation != \"\"   required\n"            \
    "    requirement reviewed \"Reviewed\"\n"                                                  \
    "      review.open_action_items == 0   required\n"                                         \
    "      not_applicable when review.summary_sent == null\n"                                  \
    "      at_risk when business_days_between(review.summary_sent, as_of) <= 5\n"

#define PARTNER_HEAD                                                                           \
    "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": \"Select\", "    \
    "\"renewal_date\": \"2027-01-01\", \"fee_payments\": [{\"date\": \"2026-01-01\", "         \
    "\"amount\": 2500}], "

static char *eval(const char *partner, rubric_status want)
{
    char *out = NULL;
    rubric_status st = harness_eval(RULES, partner, "2026-11-22", &out);
    if (st != want)
        printf("%s\n", out);
    assert_int_equal(st, want);
    return out;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("missing %s\nin %s", part, text);
}

/* ------------------------------------------------------------ parsing */

static void test_parse_for_each(void **state)
{
    (void)state;
    harness_parse p;
    harness_parse_text(&p, RULES);
    assert_int_equal(p.diags.items.len, 0);
    const ast_program *prog = NULL;
    for (uint32_t i = 0; i < p.file->nitems; i++)
        if (p.file->items[i].kind == ITEM_PROGRAM)
            prog = p.file->items[i].u.program;
    assert_non_null(prog);
    assert_string_equal(prog->id, "sd");
    assert_string_equal(prog->each.name, "application");
    assert_string_equal(prog->items_key.name, "applications");
    assert_int_equal(prog->items->kind, EX_NAME);
    assert_string_equal(prog->item_label->u.name, "designation");
    assert_int_equal(prog->nerrors, 1);
    assert_string_equal(prog->errors[0].text, "no list for \"{}\" of {}");
    assert_int_equal(prog->errors[0].nargs, 2);
    assert_string_equal(prog->errors[0].args[1]->u.name, "submitted");
    assert_int_equal(prog->nreports, 1);
    assert_string_equal(prog->reports[0].name.name, "events");
    assert_string_equal(prog->reports[0].each.name, "event");
    assert_int_equal(prog->reports[0].ncolumns, 2);
    assert_string_equal(prog->reports[0].columns[1].name.name, "on");
    char *dump = harness_dump(&p);
    assert_contains(dump, "for each application report applications");
    assert_contains(dump, "report events for each event");
    free(dump);
    harness_parse_free(&p);
}

static void one_parse_error(const char *text, const char *message)
{
    harness_parse p;
    harness_parse_text(&p, text);
    bool found = false;
    for (uint32_t i = 0; i < p.diags.items.len; i++) {
        const char *m = p.diags.items.items[i].d.message;
        found = found || strcmp(m, message) == 0;
        if (strcmp(m, message) != 0)
            printf("  got %s\n", m);
    }
    harness_parse_free(&p);
    if (!found)
        fail_msg("no syntax error \"%s\"", message);
}

#define PROG "program \"p\" \"P\" version \"1\"\n"

static void test_parse_errors(void **state)
{
    (void)state;
    one_parse_error(PROG "  for every a in l report r label d\n", "expected 'each', found 'every'");
    one_parse_error(PROG "  for each a in l table r label d\n",
                    "expected 'report', found 'table'");
    one_parse_error(PROG "  for each a in l report r name d\n", "expected 'label', found 'name'");
    one_parse_error(PROG "  error when x \"bad {}\"\n",
                    "an empty {} in a message: name a value, {designation}");
    one_parse_error(PROG "  fail when x \"bad\"\n", "expected 'error', found 'fail'");
    one_parse_error(PROG "  for each a in l report r label d\n  for each b in l report s label e\n",
                    "a program is per item of one list (first at line 2)");
    one_parse_error(PROG "  for each a in l report r label d\n    k = v\n",
                    "a per-item program's `for each … label` takes no block of columns");
}

/* ------------------------------------------------------------ diagnostics */

static void one_sema_error(const char *body, const char *message)
{
    char text[4096];
    snprintf(text, sizeof text,
             "import apn.partner\n" PROG
             "  for each a in service_delivery_applications report apps label designation\n%s",
             body);
    rubric_compiler *c = harness_check(text);
    bool found = harness_has_diag(c, message);
    rubric_compiler_free(c);
    if (!found)
        fail_msg("no diagnostic \"%s\"", message);
}

static void test_sema_errors(void **state)
{
    (void)state;
    one_sema_error("  category C\n    requirement r \"R\"\n      let x = 1\n      x   at least 1\n",
                   "a requirement of a per-item program cannot have `let`: its value would be "
                   "computed once, not per item");
    one_sema_error("  category C\n    requirement r \"R\"  count(case_studies)   at least 1 | 2\n",
                   "a per-item program has no tiers: a threshold has one column");
    one_sema_error("  category C\n    requirement r \"R\"  count(case_studies)   at least "
                   "submitted\n",
                   "a computed threshold must be int, found date");
    one_sema_error("  tiers Select < Advanced by tier\n",
                   "a per-item program has no tiers: each item is ready or not");
    one_sema_error("  rolling window (as_of - 12 months, as_of]\n",
                   "a per-item program has no views: write the dates into the measures");
    one_sema_error("  category C\n    requirement r \"R\" time_bound\n"
                   "      submitted in window   required\n",
                   "a per-item program has no `window`: write the interval, (as_of - 12 months, "
                   "as_of]");
    one_sema_error("  error when 1 \"x\"\n", "`error when` must be bool, found int");
    one_sema_error("  error when true \"{case_studies}\"\n",
                   "a {value} of a message is printed, so it must be a single value (int, "
                   "money, date, month, bool, string or an enum), found list of CaseStudy");
    one_sema_error("  error when true \"{designaton}\"\n", "unknown name 'designaton'");
    one_sema_error("  for each e in corporate_events report r\n    k = kind\n    k = date\n",
                   "report 'r' already has a column 'k'");
    one_sema_error("  for each e in corporate_events report r\n    k = designations\n",
                   "column 'k' is printed, so it must be a single value (int, money, date, "
                   "month, bool, string or an enum), found list of Designation");
    one_sema_error("  for each e in corporate_events report r\n    k = kind\n"
                   "  for each e in corporate_events report r\n    k = kind\n",
                   "report 'r' is already declared at line 4");
    one_sema_error("  for each e in tier report r\n    k = kind\n",
                   "`report` goes over a list of records, found Tier");
    one_sema_error("  category C\n    requirement r \"R\"  get(designation, \"x\") == Y   "
                   "required\n",
                   "get needs a map, found string");
}

static void test_error_when_needs_items(void **state)
{
    (void)state;
    rubric_compiler *c = harness_check("import apn.partner\n" PROG
                                       "  tiers Select < Advanced by tier\n"
                                       "  rolling window (as_of - 12 months, as_of]\n"
                                       "  renewal window (renewal_date - 12 months, as_of] due "
                                       "renewal_date\n"
                                       "  error when true \"x\"\n");
    assert_true(harness_has_diag(c, "`error when` is a clause of per-item programs (for each … "
                                    "label …): its condition is about one item"));
    rubric_compiler_free(c);
}

static void test_items_must_be_records(void **state)
{
    (void)state;
    rubric_compiler *c = harness_check("import apn.partner\n" PROG
                                       "  for each a in path report r label a\n");
    assert_true(harness_has_diag(c, "`for each` goes over a list of records, found Path"));
    rubric_compiler_free(c);
}

/* ------------------------------------------------------------ evaluation */

static void test_eval_ready_and_not(void **state)
{
    (void)state;
    char *out = eval(PARTNER_HEAD
                     "\"service_delivery_applications\": ["
                     "{\"designation\": \"Amazon RDS\", \"submitted\": \"2026-09-01\", "
                     "\"self_assessment\": {\"A-1\": \"Y\", \"A-2\": \"Y\", \"X\": \"Y\"}},"
                     "{\"designation\": \"Amazon RDS\", \"submitted\": \"2026-09-01\", "
                     "\"self_assessment\": {\"A-1\": \"Y\", \"A-2\": \"N\"}, "
                     "\"review\": {\"summary_sent\": \"2026-11-13\", \"open_action_items\": 2}}"
                     "]}",
                     RUBRIC_OK);
    /* Tiered results come before per-item ones. */
    assert_contains(out, "{\"partner\":{\"id\":\"P-1\",\"name\":\"One\"},\"program\":{\"id\":"
                         "\"t\"");
    assert_contains(out, "\"program\":{\"id\":\"sd\",\"title\":\"Per item\",\"version\":\"2\"},"
                         "\"as_of\":\"2026-11-22\",\"applications\":[{\"designation\":"
                         "\"Amazon RDS\",\"status\":\"ready\",\"requirements\":[{\"id\":"
                         "\"answered\",\"name\":\"Answered\",\"category\":\"Checks\","
                         "\"time_bound\":false,\"status\":\"met\",\"actual\":2,\"required\":2,"
                         "\"unit\":\"count\",\"parts\":[]}");
    /* Not applicable does not block readiness. */
    assert_contains(out, "{\"id\":\"reviewed\",\"name\":\"Reviewed\",\"category\":\"Checks\","
                         "\"time_bound\":false,\"status\":\"not_applicable\",\"actual\":null,"
                         "\"required\":true,\"unit\":\"bool\",\"parts\":[]}]}");
    /* The second: 1 of 2 answered Y (computed threshold), and 5 business
     * days after Friday 2026-11-13 (A is a Sunday) still at risk. */
    assert_contains(out, "{\"designation\":\"Amazon RDS\",\"status\":\"not_ready\","
                         "\"requirements\":[{\"id\":\"answered\",\"name\":\"Answered\","
                         "\"category\":\"Checks\",\"time_bound\":false,\"status\":\"not_met\","
                         "\"actual\":1,\"required\":2");
    assert_contains(out, "\"status\":\"at_risk\",\"actual\":false,\"required\":true");
    assert_contains(out, "\"events\":[]}");
    free(out);
}

static void test_eval_report_list(void **state)
{
    (void)state;
    char *out = eval(PARTNER_HEAD
                     "\"corporate_events\": ["
                     "{\"kind\": \"divests\", \"date\": \"2026-02-01\", \"material\": true},"
                     "{\"kind\": \"acquires\", \"date\": \"2026-01-01\", "
                     "\"counterparty_service_delivery\": false}]}",
                     RUBRIC_OK);
    /* No applications: an empty list; the events in input order. */
    assert_contains(out, "\"applications\":[],\"events\":[{\"kind\":\"divests\",\"on\":"
                         "\"2026-02-01\"},{\"kind\":\"acquires\",\"on\":\"2026-01-01\"}]}");
    free(out);
}

static void test_item_error_withholds_result(void **state)
{
    (void)state;
    char *out = eval(PARTNER_HEAD
                     "\"service_delivery_applications\": ["
                     "{\"designation\": \"Amazon RDS\", \"submitted\": \"2026-09-01\"},"
                     "{\"designation\": \"Amazon S3\", \"submitted\": \"2026-09-02\"}]}",
                     RUBRIC_OK);
    /* The tiered result stands; the per-item one is withheld, its message
     * filled with the item's values. */
    assert_contains(out, "\"program\":{\"id\":\"t\"");
    assert_null(strstr(out, "\"program\":{\"id\":\"sd\""));
    assert_contains(out, "withheld: sd: applications[1]: no list for \"Amazon S3\" of "
                         "2026-09-02\n");
    free(out);
}

static void test_applies_when(void **state)
{
    (void)state;
    char *out = eval(PARTNER_HEAD "\"designations\": []}", RUBRIC_OK);
    assert_null(strstr(out, "\"sd\""));
    assert_contains(out, "\"program\":{\"id\":\"t\"");
    free(out);
}

/* A set literal outside `in` is a list. */
static void test_set_literal_list(void **state)
{
    (void)state;
    rubric_compiler *c = harness_check("fn f(): list of string = {\"a\", \"b\"}\n"
                                       "fn g(): int = count({1, 2, 3})\n");
    assert_int_equal(rubric_compiler_diag_count(c), 0);
    rubric_compiler_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_for_each),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_sema_errors),
        cmocka_unit_test(test_items_must_be_records),
        cmocka_unit_test(test_error_when_needs_items),
        cmocka_unit_test(test_eval_ready_and_not),
        cmocka_unit_test(test_eval_report_list),
        cmocka_unit_test(test_item_error_withholds_result),
        cmocka_unit_test(test_applies_when),
        cmocka_unit_test(test_set_literal_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
