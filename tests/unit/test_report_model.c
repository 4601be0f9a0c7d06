/*
 * test_report_model.c — results as data (rubric.h, "Results as data"):
 * every view of the advanced example partner, a per-item program's items
 * and report list, choices and gaps, withheld programs, the model's
 * lifetime and its failure, and the JSON written from the model against
 * what `rubric eval` prints.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "test_stdlib.h"
#include "write.h"

static const char AS_OF[] = "2026-11-22";

/* ------------------------------------------------------------ helpers */

/* A session of its own over the standard rules (its reports are the
 * test's alone). */
static rubric_session *new_session(void)
{
    rubric_session *s = rubric_session_new(test_stdlib_module(), NULL);
    assert_non_null(s);
    return s;
}

static const rubric_report *eval_file(rubric_session *s, const char *example)
{
    char path[256];
    snprintf(path, sizeof path, "examples/partners/%s", example);
    size_t len = 0;
    char *json = test_read_file(test_path(path), &len);
    assert_non_null(json);
    rubric_eval_options options = {.as_of = AS_OF};
    const rubric_report *report = NULL;
    rubric_error err;
    rubric_status st = rubric_session_eval(s, json, len, &options, &report, &err);
    if (st != RUBRIC_OK)
        fail_msg("%s: %s", example, err.message);
    free(json);
    return report;
}

/* The results of a report, checked to be there. */
static const rubric_result *results_of(const rubric_report *report, size_t *count)
{
    const rubric_result *results = NULL;
    assert_int_equal(rubric_report_results(report, &results, count), RUBRIC_OK);
    assert_non_null(results);
    return results;
}

static const rubric_result *result_for(const rubric_report *report, const char *program)
{
    size_t count = 0;
    const rubric_result *results = results_of(report, &count);
    for (size_t i = 0; i < count; i++)
        if (strcmp(results[i].program_id, program) == 0)
            return &results[i];
    fail_msg("no result for %s", program);
    return NULL;
}

static const rubric_requirement *req(const rubric_view *view, const char *path)
{
    assert_non_null(view);
    const rubric_requirement *q =
        rubric_requirement_find(view->requirements, view->requirement_count, path);
    if (!q)
        fail_msg("the %s view of %s has no %s", rubric_view_kind_name(view->kind), view->tier,
                 path);
    return q;
}

static void assert_count(rubric_value v, int64_t n)
{
    assert_int_equal(v.kind, RUBRIC_VALUE_COUNT);
    assert_int_equal(v.as.count, n);
}

static void assert_cents(rubric_value v, int64_t cents)
{
    assert_int_equal(v.kind, RUBRIC_VALUE_MONEY);
    assert_int_equal(v.as.cents, cents);
}

static void assert_bool_value(rubric_value v, bool b)
{
    assert_int_equal(v.kind, RUBRIC_VALUE_BOOL);
    assert_int_equal(v.as.boolean, b);
}

static void assert_string_value(rubric_value v, const char *s)
{
    assert_int_equal(v.kind, RUBRIC_VALUE_STRING);
    assert_int_equal(v.as.string.length, strlen(s));
    assert_memory_equal(v.as.string.chars, s, strlen(s));
}

static void assert_date(rubric_date d, int32_t days, int year, int month, int day)
{
    assert_int_equal(d.days, days);
    assert_int_equal(d.year, year);
    assert_int_equal(d.month, month);
    assert_int_equal(d.day, day);
}

static void assert_gap(const rubric_requirement *q, const char *sentence)
{
    if (!sentence) {
        assert_null(q->gap);
        assert_int_equal(q->gap_length, 0);
        return;
    }
    assert_non_null(q->gap);
    assert_string_equal(q->gap, sentence);
    assert_int_equal(q->gap_length, strlen(sentence));
}

/* ------------------------------------------------------------ tiered */

static void test_advanced_heading(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_report *report = eval_file(s, "advanced.json");
    size_t count = 0;
    const rubric_result *results = results_of(report, &count);
    assert_int_equal(count, rubric_report_result_count(report));
    assert_int_equal(count, 2);
    const rubric_result *r = &results[0];
    assert_string_value(r->partner_id, "P-0000002");
    assert_string_value(r->partner_name, "Stratus Advanced Cloud");
    assert_string_equal(r->program_id, "apn-2019-consulting");
    assert_string_equal(r->program_title, "APN Consulting Partners (2019)");
    assert_string_equal(r->program_version, "1.2");
    assert_string_equal(results[1].program_id, "apn-2022-services");
    assert_int_equal(r->kind, RUBRIC_PROGRAM_TIERED);
    assert_date(r->as_of, 20779, 2026, 11, 22);
    assert_string_equal(r->current_tier, "Advanced");
    assert_string_equal(r->eligible_tier, "Advanced");
    assert_int_equal(r->item_count, 0);
    assert_null(r->items);
    assert_int_equal(r->list_count, 0);
    /* The same result one at a time, and the accessors of before. */
    assert_ptr_equal(rubric_report_result(report, 0), r);
    assert_null(rubric_report_result(report, 2));
    assert_string_equal(rubric_report_program_id(report, 1), "apn-2022-services");
    assert_string_equal(rubric_report_eligible_tier(report, 0), "Advanced");
    rubric_session_free(s);
}

/* The rolling view of each tier: satisfied and eligible up to Advanced. */
static void test_advanced_rolling_views(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_result *r = result_for(eval_file(s, "advanced.json"), "apn-2019-consulting");
    static const char *const tiers[] = {"Select", "Advanced", "Premier"};
    static const size_t sizes[] = {7, 8, 11};
    assert_int_equal(r->tier_count, 3);
    for (uint32_t t = 0; t < 3; t++) {
        const rubric_view *v = &r->tiers[t];
        assert_int_equal(v->kind, RUBRIC_VIEW_ROLLING);
        assert_string_equal(v->tier, tiers[t]);
        assert_int_equal(v->tier_index, t);
        assert_int_equal(v->requirement_count, sizes[t]);
        assert_true(v->review_date.kind == RUBRIC_VALUE_NULL);
        assert_ptr_equal(rubric_result_view(r, RUBRIC_VIEW_ROLLING, tiers[t]), v);
    }
    assert_true(r->tiers[0].satisfied && r->tiers[0].eligible);
    assert_int_equal(r->tiers[1].status, RUBRIC_MET);
    assert_true(r->tiers[1].satisfied && r->tiers[1].eligible);
    assert_int_equal(r->tiers[2].status, RUBRIC_NOT_MET);
    assert_false(r->tiers[2].satisfied || r->tiers[2].eligible);
    assert_null(rubric_result_view(r, RUBRIC_VIEW_ROLLING, "Registered"));
    assert_null(rubric_result_view(r, RUBRIC_VIEW_ROLLING, NULL));

    /* Launched opportunities in the rolling Advanced view: 20 of 20. */
    const rubric_requirement *q = req(&r->tiers[1], "launched_opportunities");
    assert_string_equal(q->id, "launched_opportunities");
    assert_string_equal(q->name, "Launched Opportunities");
    assert_string_equal(q->category, "Experience");
    assert_int_equal(q->status, RUBRIC_MET);
    assert_true(q->time_bound);
    assert_int_equal(q->unit, RUBRIC_UNIT_COUNT);
    assert_int_equal(q->comparison, RUBRIC_COMPARE_AT_LEAST);
    assert_count(q->actual, 20);
    assert_count(q->required, 20);
    assert_null(q->parent);
    assert_gap(q, NULL);
    assert_int_equal(q->part_count, 1);
    const rubric_requirement *mrr = &q->parts[0];
    assert_ptr_equal(req(&r->tiers[1], "launched_opportunities.mrr"), mrr);
    assert_string_equal(mrr->id, "mrr");
    assert_ptr_equal(mrr->parent, q);
    assert_string_equal(mrr->category, "Experience");
    assert_int_equal(mrr->unit, RUBRIC_UNIT_USD);
    assert_cents(mrr->actual, 1380900);
    assert_cents(mrr->required, 1000000);
    /* The same requirement has the same index in every view. */
    assert_int_equal(req(&r->tiers[0], "launched_opportunities")->index, q->index);
    assert_int_equal(req(&r->tiers[2], "launched_opportunities.mrr")->index, mrr->index);
    assert_null(rubric_requirement_find(r->tiers[1].requirements,
                                        r->tiers[1].requirement_count, "launched"));
    assert_null(rubric_requirement_find(r->tiers[1].requirements,
                                        r->tiers[1].requirement_count, "mrr"));
    assert_null(rubric_requirement_find(r->tiers[1].requirements,
                                        r->tiers[1].requirement_count,
                                        "launched_opportunities.mrr.x"));
    rubric_session_free(s);
}

/* The renewal view says at risk (18 of 20 in the renewal window) where
 * the rolling Advanced view says met (20 of 20). */
static void test_advanced_renewal_view(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_report *report = eval_file(s, "advanced.json");
    const rubric_result *r = result_for(report, "apn-2019-consulting");
    const rubric_view *v = r->renewal;
    assert_non_null(v);
    assert_int_equal(v->kind, RUBRIC_VIEW_RENEWAL);
    assert_string_equal(v->tier, "Advanced");
    assert_int_equal(v->tier_index, 1);
    assert_int_equal(v->status, RUBRIC_AT_RISK);
    assert_false(v->satisfied);
    assert_true(v->eligible);
    assert_int_equal(v->review_date.kind, RUBRIC_VALUE_DATE);
    assert_date(v->review_date.as.date, 20838, 2027, 1, 20);
    assert_ptr_equal(rubric_result_view(r, RUBRIC_VIEW_RENEWAL, NULL), v);
    assert_ptr_equal(rubric_result_view(r, RUBRIC_VIEW_RENEWAL, "Advanced"), v);
    assert_null(rubric_result_view(r, RUBRIC_VIEW_RENEWAL, "Select"));

    const rubric_requirement *q = req(v, "launched_opportunities");
    assert_int_equal(q->status, RUBRIC_AT_RISK);
    assert_count(q->actual, 18);
    assert_count(q->required, 20);
    assert_gap(q, "needs 2 more launched opportunities [at risk]");
    const rubric_requirement *mrr = req(v, "launched_opportunities.mrr");
    assert_int_equal(mrr->status, RUBRIC_MET);
    assert_cents(mrr->actual, 1170900);
    assert_gap(mrr, NULL);
    assert_gap(req(v, "csat_responses"),
               "needs 2 more customer satisfaction responses [at risk]");

    /* A requirement's status in any view, by one call. */
    rubric_req_status st = RUBRIC_NOT_APPLICABLE;
    assert_true(rubric_report_view_requirement_status(report, 0, RUBRIC_VIEW_RENEWAL, NULL,
                                                      "launched_opportunities", &st));
    assert_int_equal(st, RUBRIC_AT_RISK);
    assert_true(rubric_report_view_requirement_status(report, 0, RUBRIC_VIEW_ROLLING,
                                                      "Advanced", "launched_opportunities",
                                                      &st));
    assert_int_equal(st, RUBRIC_MET);
    assert_true(rubric_report_requirement_status(report, 0, "Advanced",
                                                 "launched_opportunities", &st));
    assert_int_equal(st, RUBRIC_MET);
    assert_false(rubric_report_view_requirement_status(report, 0, RUBRIC_VIEW_RENEWAL,
                                                       "Premier", "launched_opportunities",
                                                       &st));
    assert_false(rubric_report_view_requirement_status(report, 0, RUBRIC_VIEW_RENEWAL, NULL,
                                                       "sustained_premier", &st));
    assert_true(rubric_report_renewal_status(report, 0, &st));
    assert_int_equal(st, RUBRIC_AT_RISK);
    rubric_session_free(s);
}

/* The upgrade view is the rolling view of Premier, its gaps in words. */
static void test_advanced_upgrade_view(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_result *r = result_for(eval_file(s, "advanced.json"), "apn-2019-consulting");
    const rubric_view *v = r->upgrade;
    assert_non_null(v);
    assert_int_equal(v->kind, RUBRIC_VIEW_UPGRADE);
    assert_string_equal(v->tier, "Premier");
    assert_int_equal(v->tier_index, 2);
    assert_false(v->eligible);
    assert_int_equal(v->status, RUBRIC_NOT_MET);
    assert_ptr_equal(v->requirements, r->tiers[2].requirements);
    assert_ptr_equal(rubric_result_view(r, RUBRIC_VIEW_UPGRADE, "Premier"), v);

    assert_gap(req(v, "launched_opportunities"), "needs 30 more launched opportunities");
    assert_gap(req(v, "launched_opportunities.mrr"),
               "needs $36,191 more monthly recurring revenue minimum (launched opportunities)");
    const rubric_requirement *plan = req(v, "business_plan");
    assert_int_equal(plan->unit, RUBRIC_UNIT_BOOL);
    assert_int_equal(plan->comparison, RUBRIC_COMPARE_TRUE);
    assert_bool_value(plan->actual, true);
    assert_bool_value(plan->required, true);
    assert_gap(plan, NULL);
    const rubric_requirement *sustained = req(v, "sustained_premier");
    assert_int_equal(sustained->unit, RUBRIC_UNIT_MONTHS);
    assert_count(sustained->actual, 0);
    assert_count(sustained->required, 6);
    assert_gap(sustained, "needs 6 more months of sustained attainment of premier tier criteria");
    assert_gap(req(v, "executive_business_review"), "needs executive business review");

    /* Categories: runs of the requirements, in order. */
    static const char *const names[] = {"Fee", "Knowledge", "Experience", "Customer Success"};
    static const size_t sizes[] = {1, 3, 5, 2};
    assert_int_equal(v->category_count, 4);
    const rubric_requirement *next = v->requirements;
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(v->categories[k].name, names[k]);
        assert_int_equal(v->categories[k].requirement_count, sizes[k]);
        assert_ptr_equal(v->categories[k].requirements, next);
        for (size_t i = 0; i < sizes[k]; i++)
            assert_string_equal(next[i].category, names[k]);
        next += sizes[k];
    }
    assert_ptr_equal(next, v->requirements + v->requirement_count);
    rubric_session_free(s);
}

/* A choice names its alternatives; a part under a requirement met has no
 * gap of its own, even at risk. */
static void test_choice_gaps(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_result *r = result_for(eval_file(s, "technology.json"), "apn-2019-technology");
    const rubric_requirement *choice = req(r->upgrade, "experience");
    assert_int_equal(choice->unit, RUBRIC_UNIT_CHOICE);
    assert_int_equal(choice->status, RUBRIC_NOT_MET);
    assert_true(choice->actual.kind == RUBRIC_VALUE_NULL);
    assert_true(choice->required.kind == RUBRIC_VALUE_NULL);
    assert_int_equal(choice->part_count, 2);
    assert_gap(choice, "needs one of: direct revenue or launched opportunities");
    assert_gap(req(r->upgrade, "experience.direct_revenue"), NULL);
    assert_gap(req(r->upgrade, "experience.launched_opportunities"), NULL);

    assert_int_equal(req(r->renewal, "experience")->status, RUBRIC_MET);
    const rubric_requirement *part = req(r->renewal, "experience.launched_opportunities");
    assert_int_equal(part->status, RUBRIC_AT_RISK);
    assert_gap(part, NULL);
    assert_int_equal(r->renewal->status, RUBRIC_MET);
    assert_true(r->renewal->satisfied);
    rubric_session_free(s);
}

/* ------------------------------------------------------------ per item */

static void test_service_delivery_items(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_result *r = result_for(eval_file(s, "service_delivery.json"), "service-delivery");
    assert_int_equal(r->kind, RUBRIC_PROGRAM_PER_ITEM);
    assert_null(r->current_tier);
    assert_null(r->eligible_tier);
    assert_null(r->renewal);
    assert_null(r->upgrade);
    assert_int_equal(r->tier_count, 0);
    assert_string_equal(r->items_name, "applications");
    assert_string_equal(r->item_label_name, "designation");
    assert_int_equal(r->item_count, 2);

    const rubric_item *rds = &r->items[0];
    assert_string_value(rds->label, "Amazon RDS");
    assert_int_equal(rds->status, RUBRIC_ITEM_READY);
    assert_string_equal(rubric_item_status_name(rds->status), "ready");
    assert_int_equal(rds->requirement_count, 6);

    const rubric_item *ec2 = &r->items[1];
    assert_string_value(ec2->label, "Amazon EC2");
    assert_int_equal(ec2->status, RUBRIC_ITEM_NOT_READY);
    assert_string_equal(rubric_item_status_name(ec2->status), "not_ready");
    const rubric_requirement *self =
        rubric_requirement_find(ec2->requirements, ec2->requirement_count, "self_assessment");
    assert_non_null(self);
    assert_string_equal(self->category, "Application");
    assert_int_equal(self->status, RUBRIC_NOT_MET);
    assert_count(self->actual, 2);
    assert_count(self->required, 3);
    assert_gap(self, "needs 1 more self-assessment");
    const rubric_requirement *remediation =
        rubric_requirement_find(ec2->requirements, ec2->requirement_count, "remediation");
    assert_int_equal(remediation->status, RUBRIC_AT_RISK);
    assert_bool_value(remediation->actual, false);
    assert_gap(remediation, "needs remediation of action items [at risk]");
    const rubric_requirement *renewal =
        rubric_requirement_find(ec2->requirements, ec2->requirement_count, "renewal");
    assert_int_equal(renewal->status, RUBRIC_NOT_APPLICABLE);
    assert_true(renewal->actual.kind == RUBRIC_VALUE_NULL);
    assert_gap(renewal, NULL);

    static const char *const names[] = {"Prerequisites", "Application", "Review", "Renewal"};
    static const size_t sizes[] = {1, 3, 1, 1};
    assert_int_equal(ec2->category_count, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(ec2->categories[k].name, names[k]);
        assert_int_equal(ec2->categories[k].requirement_count, sizes[k]);
    }
    rubric_session_free(s);
}

static void assert_enum_value(rubric_value v, const char *name)
{
    assert_int_equal(v.kind, RUBRIC_VALUE_ENUM);
    assert_string_equal(v.as.enumerated.name, name);
}

static void test_service_delivery_list(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_result *r = result_for(eval_file(s, "service_delivery.json"), "service-delivery");
    assert_int_equal(r->list_count, 1);
    const rubric_list *events = &r->lists[0];
    assert_string_equal(events->name, "corporate_events");
    static const char *const columns[] = {"kind", "counterparty", "date", "action"};
    assert_int_equal(events->column_count, 4);
    for (size_t c = 0; c < 4; c++)
        assert_string_equal(events->columns[c], columns[c]);
    assert_int_equal(events->row_count, 2);
    const rubric_value *row = &events->values[0];
    assert_enum_value(row[0], "acquires");
    assert_string_value(row[1], "Stratus Analytics");
    assert_int_equal(row[2].kind, RUBRIC_VALUE_DATE);
    assert_date(row[2].as.date, 20544, 2026, 4, 1);
    assert_enum_value(row[3], "none");
    row = &events->values[events->column_count];
    assert_enum_value(row[0], "divests");
    assert_string_value(row[1], "Cirrus Hosting");
    assert_date(row[2].as.date, 20680, 2026, 8, 15);
    assert_enum_value(row[3], "disclose");
    rubric_session_free(s);
}

/* ------------------------------------------------------------ errors */

/* A per-item program that calls the EC2 application an error. */
static const char WITHHOLDING_RULES[] =
    "import apn.partner\n"
    "program \"sd\" \"Per item\" version \"2\"\n"
    "  for each application in service_delivery_applications report applications label "
    "designation\n"
    "  error when designation == \"Amazon EC2\" \"no review of {designation}\"\n"
    "  category Checks\n"
    "    requirement named \"Named\"  application.designation != \"\"   required\n";

static rubric_module *withholding_module(void)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, false), RUBRIC_OK);
    assert_int_equal(rubric_compiler_add_source(c, "sd.rubric", WITHHOLDING_RULES,
                                                strlen(WITHHOLDING_RULES)),
                     RUBRIC_OK);
    void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(rubric_compiler_run(c, false, &bytes, &len), RUBRIC_OK);
    rubric_compiler_free(c);
    rubric_module *m = NULL;
    assert_int_equal(rubric_module_load(NULL, bytes, len, &m, NULL, 0), RUBRIC_OK);
    rubric_free(NULL, bytes, len);
    return m;
}

static void test_withheld_program(void **state)
{
    (void)state;
    rubric_module *m = withholding_module();
    rubric_session *s = rubric_session_new(m, NULL);
    assert_non_null(s);
    const rubric_report *report = eval_file(s, "service_delivery.json");
    size_t count = 99;
    (void)results_of(report, &count);
    assert_int_equal(count, 0);
    const rubric_program_error *errors = NULL;
    assert_int_equal(rubric_report_errors(report, &errors, &count), RUBRIC_OK);
    assert_int_equal(count, 1);
    assert_string_equal(errors[0].program_id, "sd");
    assert_string_equal(errors[0].program_title, "Per item");
    assert_string_equal(errors[0].message, "sd: applications[1]: no review of Amazon EC2");
    assert_string_equal(errors[0].message, rubric_report_withheld(report, 0));

    /* Another partner: no errors. */
    report = eval_file(s, "advanced.json");
    assert_int_equal(rubric_report_errors(report, &errors, &count), RUBRIC_OK);
    assert_int_equal(count, 0);
    rubric_session_free(s);
    rubric_module_free(m);
}

static char *model_json(const rubric_report *report, bool pretty);

/* ------------------------------------------------------------ lifetime */

/* Built once per evaluation; the next evaluation's are the next
 * partner's. */
static void test_model_follows_the_session(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    const rubric_report *report = eval_file(s, "advanced.json");
    size_t count = 0;
    const rubric_result *first = results_of(report, &count);
    const rubric_result *again = results_of(report, &count);
    assert_ptr_equal(first, again);
    report = eval_file(s, "registered.json");
    const rubric_result *r = results_of(report, &count);
    assert_string_value(r[0].partner_id, "P-0000004");
    assert_string_equal(r[0].current_tier, "Registered");
    assert_null(r[0].eligible_tier);
    assert_null(r[0].renewal);
    assert_non_null(r[0].upgrade);
    assert_string_equal(r[0].upgrade->tier, "Select");
    rubric_session_free(s);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    const rubric_result *results = (const rubric_result *)1;
    size_t count = 7;
    assert_int_equal(rubric_report_results(NULL, &results, &count), RUBRIC_ERR_USAGE);
    assert_null(results);
    assert_int_equal(count, 0);
    const rubric_program_error *errors = NULL;
    assert_int_equal(rubric_report_errors(NULL, &errors, &count), RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_report_results(NULL, NULL, &count), RUBRIC_ERR_USAGE);
    assert_null(rubric_report_result(NULL, 0));
    assert_null(rubric_result_view(NULL, RUBRIC_VIEW_RENEWAL, NULL));
    assert_null(rubric_requirement_find(NULL, 0, "x"));
    assert_null(rubric_requirement_find(NULL, 0, NULL));
}

/* An allocator that refuses every call from number fail_at on (from 1;
 * 0: none), and fills what it gives with garbage: memory read before it
 * is written shows. */
typedef struct faulty {
    uint64_t calls;
    uint64_t fail_at;
} faulty;

static void *faulty_realloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    faulty *f = user;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    if (++f->calls >= f->fail_at && f->fail_at)
        return NULL;
    unsigned char *p = realloc(ptr, new_size);
    size_t kept = ptr ? old_size : 0;
    if (p && new_size > kept)
        memset(p + kept, 0xA5, new_size - kept);
    return p;
}

/* Evaluate premier.json in a new session whose allocator refuses call
 * fail_at, then ask for its results: *refused when they were refused (and
 * then built when asked again); the results must be the same.  False when
 * the run made fewer calls than fail_at. */
static bool results_refusing(uint64_t fail_at, const char *want, bool *refused)
{
    faulty f = {0, fail_at};
    rubric_config config;
    rubric_config_init(&config);
    config.allocator.realloc = faulty_realloc;
    config.allocator.user_data = &f;
    *refused = false;
    rubric_session *s = rubric_session_new(test_stdlib_module(), &config);
    if (!s)
        return true;
    size_t len = 0;
    char *json = test_read_file(test_path("examples/partners/premier.json"), &len);
    rubric_eval_options options = {.as_of = AS_OF};
    const rubric_report *report = NULL;
    rubric_error err;
    rubric_status st = rubric_session_eval(s, json, len, &options, &report, &err);
    free(json);
    const rubric_result *results = NULL;
    size_t count = 5;
    if (st == RUBRIC_OK && rubric_report_results(report, &results, &count) != RUBRIC_OK)
        st = RUBRIC_ERR_NOMEM;
    *refused = report && st == RUBRIC_ERR_NOMEM;
    if (*refused) {
        assert_null(results);
        assert_int_equal(count, 0);
        f.fail_at = 0;
        results = results_of(report, &count);
    }
    if (report && results) {
        char *got = model_json(report, false);
        assert_string_equal(got, want);
        free(got);
    }
    rubric_session_free(s);
    return f.calls >= fail_at || f.fail_at == 0;
}

/* Building the model fails with the allocator, at whichever of its
 * allocations (gap sentences, arena blocks, halfway through a list), and
 * is built when asked again. */
static void test_out_of_memory(void **state)
{
    (void)state;
    rubric_session *s = new_session();
    char *want = model_json(eval_file(s, "premier.json"), false);
    rubric_session_free(s);
    uint64_t refusals = 0;
    bool refused = false;
    for (uint64_t n = 1; results_refusing(n, want, &refused); n++)
        refusals += refused;
    assert_true(refusals >= 2);
    free(want);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(rubric_unit_name(RUBRIC_UNIT_COUNT), "count");
    assert_string_equal(rubric_unit_name(RUBRIC_UNIT_USD), "usd");
    assert_string_equal(rubric_unit_name(RUBRIC_UNIT_MONTHS), "months");
    assert_string_equal(rubric_unit_name(RUBRIC_UNIT_BOOL), "bool");
    assert_string_equal(rubric_unit_name(RUBRIC_UNIT_CHOICE), "choice");
    assert_string_equal(rubric_view_kind_name(RUBRIC_VIEW_ROLLING), "rolling");
    assert_string_equal(rubric_view_kind_name(RUBRIC_VIEW_RENEWAL), "renewal");
    assert_string_equal(rubric_view_kind_name(RUBRIC_VIEW_UPGRADE), "upgrade");
    assert_string_equal(rubric_item_status_name(RUBRIC_ITEM_READY), "ready");
    assert_string_equal(rubric_item_status_name(RUBRIC_ITEM_NOT_READY), "not_ready");
}

/* ------------------------------------------------------------ one truth */

/* The results written from the model, as `rubric eval` frames them. */
static char *model_json(const rubric_report *report, bool pretty)
{
    size_t count = 0;
    const rubric_result *results = results_of(report, &count);
    strbuf sb;
    sb_init(&sb, test_alloc());
    if (pretty)
        sb_puts(&sb, "[\n");
    for (size_t i = 0; i < count; i++) {
        if (pretty) {
            sb_puts(&sb, i ? ",\n  " : "  ");
            write_model_json(&results[i], true, 2, &sb);
        } else {
            write_model_json(&results[i], false, 0, &sb);
            sb_putc(&sb, '\n');
        }
    }
    if (pretty)
        sb_puts(&sb, "\n]\n");
    sb_putc(&sb, '\0');
    assert_false(sb.failed);
    char *text = strdup(sb.data);
    sb_free(&sb);
    return text;
}

static void check_same_json(const char *example)
{
    rubric_session *s = new_session();
    const rubric_report *report = eval_file(s, example);
    for (int pretty = 0; pretty < 2; pretty++) {
        char args[256], *out = NULL;
        snprintf(args, sizeof args, "eval -f %s --as-of %s examples/partners/%s",
                 pretty ? "json" : "jsonl", AS_OF, example);
        assert_int_equal(test_run(args, NULL, &out, NULL), 0);
        char *mine = model_json(report, pretty);
        assert_string_equal(mine, out);
        free(mine);
        free(out);
    }
    rubric_session_free(s);
}

static void test_json_from_model_is_the_command(void **state)
{
    (void)state;
    check_same_json("advanced.json");
    check_same_json("service_delivery.json");
    check_same_json("technology.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_advanced_heading),
        cmocka_unit_test(test_advanced_rolling_views),
        cmocka_unit_test(test_advanced_renewal_view),
        cmocka_unit_test(test_advanced_upgrade_view),
        cmocka_unit_test(test_choice_gaps),
        cmocka_unit_test(test_service_delivery_items),
        cmocka_unit_test(test_service_delivery_list),
        cmocka_unit_test(test_withheld_program),
        cmocka_unit_test(test_model_follows_the_session),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_json_from_model_is_the_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
