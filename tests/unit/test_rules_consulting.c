/*
 * test_rules_consulting.c — every requirement of apn-2019-consulting at its
 * threshold and one below, at each tier that has it, plus the counting
 * details of spec/programs.md (what counts, window edges, exact money).
 *
 * A partner is described by counts; each individual carries exactly one
 * credential so that every requirement can be moved on its own:
 *   T technical accreditation, B business accreditation,
 *   F foundational, S associate, P professional certification.
 * Everything dated sits on 2026-05-15: inside the rolling window of A =
 * 2026-11-22 and of every sustained-Premier checkpoint A − k months, k < 6.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partner_builder.h"
#include "test_stdlib.h"

#define PROGRAM "apn-2019-consulting"
#define AS_OF "2026-11-22"
#define DAY "2026-05-15"

typedef struct counts {
    const char *tier;     /* the partner's current tier */
    int tech, bus, found, assoc, prof;
    int launched;         /* partner-originated launched opportunities */
    long mrr_cents;       /* their total MRR */
    bool plan;
    int validations;      /* distinct competencies other than DevOps */
    bool devops;          /* plus the DevOps competency */
    bool ebr;
    int refs, csat;
    long fee_cents;
    const char *launch_day; /* when the opportunities launched; NULL: DAY */
} counts;

static counts premier_level(void)
{
    return (counts){.tier = "Advanced", .tech = 10, .bus = 10, .found = 10, .assoc = 15,
                    .prof = 10, .launched = 50, .mrr_cents = 5000000, .plan = true,
                    .validations = 2, .devops = true, .ebr = true, .refs = 6, .csat = 30,
                    .fee_cents = 250000};
}

static void add_people(partner_builder *p, int n, const char *kind, const char *what)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(kind, "accreditations") == 0)
            pb_add(p, "individuals",
                   "{\"registered\": \"2024-01-01\", \"accreditations\": "
                   "[{\"kind\": \"%s\", \"earned\": \"2025-01-01\"}]}", what);
        else
            pb_add(p, "individuals",
                   "{\"registered\": \"2024-01-01\", \"certifications\": "
                   "[{\"name\": \"C\", \"level\": \"%s\", \"earned\": \"2025-01-01\", "
                   "\"expires\": null}]}", what);
    }
}

static void add_counts(partner_builder *p, const counts *c)
{
    pb_add(p, "fee_payments", "{\"date\": \"2026-01-20\", \"amount\": \"%ld.%02ld\"}",
           c->fee_cents / 100, c->fee_cents % 100);
    add_people(p, c->tech, "accreditations", "technical");
    add_people(p, c->bus, "accreditations", "business");
    add_people(p, c->found, "certifications", "foundational");
    add_people(p, c->assoc, "certifications", "associate");
    add_people(p, c->prof, "certifications", "professional");
    for (int i = 0; i < c->launched; i++)
        pb_add(p, "opportunities",
               "{\"origin\": \"partner\", \"status\": \"launched\", \"launched\": \"%s\", "
               "\"mrr\": \"%ld.%02ld\"}", c->launch_day ? c->launch_day : DAY,
               i ? 0 : c->mrr_cents / 100, i ? 0 : c->mrr_cents % 100);
    if (c->plan)
        pb_set(p, "business_plan", "{\"signed_off\": \"2026-01-15\", \"reviewed\": \"" DAY "\"}");
    for (int i = 0; i < c->validations; i++)
        pb_add(p, "designations", "{\"kind\": \"competency\", \"name\": \"Comp %d\", "
               "\"awarded\": \"2025-01-01\", \"expires\": null}", i);
    if (c->devops)
        pb_add(p, "designations", "{\"kind\": \"competency\", \"name\": \"DevOps\", "
               "\"awarded\": \"2025-01-01\", \"expires\": null}");
    if (c->ebr)
        pb_set(p, "executive_business_review", "{\"approved\": \"2026-10-15\"}");
    for (int i = 0; i < c->refs; i++)
        pb_add(p, "public_references", "{\"customer\": \"Customer %d\", \"source\": \"tool\", "
               "\"url\": \"https://example.com\", \"submitted\": \"2026-05-01\", "
               "\"approved\": \"" DAY "\"}", i);
    for (int i = 0; i < c->csat; i++)
        pb_add(p, "csat_responses", "{\"date\": \"" DAY "\", \"customer\": \"Acme\", "
               "\"email_confirmed\": true, \"aws_customer\": true}");
}

static const rubric_report *eval_counts(const counts *c, const char *as_of)
{
    partner_builder p;
    pb_init(&p, "consulting", c->tier, "2027-01-20");
    add_counts(&p, c);
    char *json = pb_json(&p);
    pb_free(&p);
    const rubric_report *r = test_eval_program(json, as_of, PROGRAM);
    free(json);
    return r;
}

static rubric_req_status status_of(const counts *c, const char *tier, const char *req)
{
    return test_status(eval_counts(c, AS_OF), tier, req);
}

/* The partner at Premier level, then with one count at `at` (met) and at
 * at - 1 (not met), checked at `tier`. */
static void check_threshold(const char *tier, const char *req, int *field, counts *c, int at)
{
    *field = at;
    assert_int_equal(status_of(c, tier, req), RUBRIC_MET);
    *field = at - 1;
    if (status_of(c, tier, req) != RUBRIC_NOT_MET)
        fail_msg("%s at %s with %d: expected not_met", req, tier, at - 1);
}

typedef struct tier_numbers {
    const char *tier;
    int tech, bus, found, techcert, prof, launched;
    long mrr_cents;
    int refs, csat;
} tier_numbers;

/* The table of spec/programs.md, written here independently of the rules. */
static const tier_numbers tiers[] = {
    {"Select", 2, 2, 2, 2, 0, 3, 150000, 1, 5},
    {"Advanced", 4, 4, 4, 6, 3, 20, 1000000, 2, 20},
    {"Premier", 10, 10, 10, 25, 10, 50, 5000000, 6, 30},
};

static void test_accredited_professionals(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        const tier_numbers *t = &tiers[i];
        counts c = premier_level();
        c.tech = t->tech;
        c.bus = t->bus;
        /* total at threshold: tech + bus = 4 / 8 / 20 */
        assert_int_equal(status_of(&c, t->tier, "accredited_professionals"), RUBRIC_MET);
        assert_int_equal(status_of(&c, t->tier, "accredited_professionals.technical"), RUBRIC_MET);
        check_threshold(t->tier, "accredited_professionals.business", &c.bus, &c, t->bus);
        assert_int_equal(status_of(&c, t->tier, "accredited_professionals"), RUBRIC_NOT_MET);
        c = premier_level();
        c.bus = t->bus;
        check_threshold(t->tier, "accredited_professionals.technical", &c.tech, &c, t->tech);
    }
}

static void test_certified_individuals(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        const tier_numbers *t = &tiers[i];
        counts c = premier_level();
        check_threshold(t->tier, "foundational_certified", &c.found, &c, t->found);
        c = premier_level();
        c.prof = t->prof;
        check_threshold(t->tier, "technical_certified", &c.assoc, &c, t->techcert - t->prof);
        if (t->prof) {
            c = premier_level();
            check_threshold(t->tier, "technical_certified.professional_or_specialty", &c.prof,
                            &c, t->prof);
        }
    }
}

static void test_launched_opportunities_and_mrr(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        const tier_numbers *t = &tiers[i];
        counts c = premier_level();
        check_threshold(t->tier, "launched_opportunities", &c.launched, &c, t->launched);
        /* MRR to the cent: $1,500.00 is met, $1,499.99 is not. */
        c = premier_level();
        c.mrr_cents = t->mrr_cents;
        assert_int_equal(status_of(&c, t->tier, "launched_opportunities.mrr"), RUBRIC_MET);
        c.mrr_cents = t->mrr_cents - 1;
        assert_int_equal(status_of(&c, t->tier, "launched_opportunities.mrr"), RUBRIC_NOT_MET);
    }
}

static void test_public_references_and_csat(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        const tier_numbers *t = &tiers[i];
        counts c = premier_level();
        check_threshold(t->tier, "public_references", &c.refs, &c, t->refs);
        c = premier_level();
        check_threshold(t->tier, "csat_responses", &c.csat, &c, t->csat);
    }
}

static void test_business_plan_advanced_and_up(void **state)
{
    (void)state;
    counts c = premier_level();
    c.plan = false;
    assert_int_equal(status_of(&c, "Advanced", "business_plan"), RUBRIC_NOT_MET);
    assert_int_equal(status_of(&c, "Premier", "business_plan"), RUBRIC_NOT_MET);
    rubric_req_status st;
    assert_false(rubric_report_requirement_status(eval_counts(&c, AS_OF), 0, "Select",
                                                  "business_plan", &st));
    c.plan = true;
    assert_int_equal(status_of(&c, "Advanced", "business_plan"), RUBRIC_MET);
}

static void test_technical_program_validations(void **state)
{
    (void)state;
    counts c = premier_level();
    check_threshold("Premier", "technical_program_validations", &c.validations, &c, 2);
    c = premier_level();
    c.devops = false;
    c.validations = 3;
    /* Three validations, but none MSP or DevOps: the part fails, and with
     * it the requirement. */
    assert_int_equal(status_of(&c, "Premier", "technical_program_validations.msp_or_devops"),
                     RUBRIC_NOT_MET);
    assert_int_equal(status_of(&c, "Premier", "technical_program_validations"), RUBRIC_NOT_MET);
    rubric_req_status st;
    assert_false(rubric_report_requirement_status(eval_counts(&c, AS_OF), 0, "Advanced",
                                                  "technical_program_validations", &st));
}

static void test_executive_business_review(void **state)
{
    (void)state;
    counts c = premier_level();
    assert_int_equal(status_of(&c, "Premier", "executive_business_review"), RUBRIC_MET);
    c.ebr = false;
    assert_int_equal(status_of(&c, "Premier", "executive_business_review"), RUBRIC_NOT_MET);
    /* Existing Premier partners are not asked again. */
    c.tier = "Premier";
    assert_int_equal(status_of(&c, "Premier", "executive_business_review"),
                     RUBRIC_NOT_APPLICABLE);
    assert_int_equal(status_of(&c, "Premier", "sustained_premier"), RUBRIC_NOT_APPLICABLE);
}

/* Checkpoints A − k months, k = 0…5: 2026-11-22 back to 2026-06-22. */
static void test_sustained_premier(void **state)
{
    (void)state;
    counts c = premier_level();
    assert_int_equal(status_of(&c, "Premier", "sustained_premier"), RUBRIC_MET);
    /* Launched after the oldest checkpoint: five months sustained, not six. */
    c.launch_day = "2026-06-23";
    assert_int_equal(status_of(&c, "Premier", "sustained_premier"), RUBRIC_NOT_MET);
    char *json = test_report_json(eval_counts(&c, AS_OF));
    assert_non_null(strstr(json, "\"id\":\"sustained_premier\",\"name\":\"Sustained Attainment "
                                 "of Premier Tier Criteria\",\"category\":\"Experience\","
                                 "\"time_bound\":false,\"status\":\"not_met\",\"actual\":5,"
                                 "\"required\":6,\"unit\":\"months\""));
    free(json);
    c.launch_day = "2026-06-22";
    assert_int_equal(status_of(&c, "Premier", "sustained_premier"), RUBRIC_MET);
}

static void test_program_fee_and_grace(void **state)
{
    (void)state;
    counts c = premier_level();
    c.fee_cents = 250000;
    assert_int_equal(status_of(&c, "Select", "program_fee"), RUBRIC_MET);
    c.fee_cents = 249999;
    assert_int_equal(status_of(&c, "Select", "program_fee"), RUBRIC_NOT_MET);
    /* Membership year from Y = 2026-01-20: unpaid, A <= Y + 90 days is grace. */
    c.fee_cents = 0;
    assert_int_equal(test_status(eval_counts(&c, "2026-04-20"), "Select", "program_fee"),
                     RUBRIC_GRACE);
    assert_int_equal(test_status(eval_counts(&c, "2026-04-21"), "Select", "program_fee"),
                     RUBRIC_NOT_MET);
}

static void test_eligible_tier(void **state)
{
    (void)state;
    counts c = premier_level();
    const rubric_report *r = eval_counts(&c, AS_OF);
    assert_string_equal(rubric_report_eligible_tier(r, 0), "Premier");
    c.launched = 19; /* below Advanced: Select only */
    r = eval_counts(&c, AS_OF);
    assert_string_equal(rubric_report_eligible_tier(r, 0), "Select");
    c.csat = 4; /* below Select */
    r = eval_counts(&c, AS_OF);
    assert_null(rubric_report_eligible_tier(r, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accredited_professionals),
        cmocka_unit_test(test_certified_individuals),
        cmocka_unit_test(test_launched_opportunities_and_mrr),
        cmocka_unit_test(test_public_references_and_csat),
        cmocka_unit_test(test_business_plan_advanced_and_up),
        cmocka_unit_test(test_technical_program_validations),
        cmocka_unit_test(test_executive_business_review),
        cmocka_unit_test(test_sustained_premier),
        cmocka_unit_test(test_program_fee_and_grace),
        cmocka_unit_test(test_eligible_tier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
