/*
 * report_fixture.c — the module and reports of report_fixture.h.
 */
#include "report_fixture.h"

#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

enum { MAX_STRINGS = 128 };

/* A small module: a tiered program and a per-item program, with only what
 * the writers read (names, units, enums, report-list column types). */
typedef struct fixture {
    bc_module m;
    bc_string strings[MAX_STRINGS];
    bc_enum enums[3];
    uint32_t tier_values[4], action_values[3], kind_values[2];
    bc_type types[4];
    bc_chunk chunks[4];
    bc_program programs[2];
    bc_node tiered_nodes[12];
    bc_node item_nodes[4];
    uint32_t tiers[3];
    uint32_t parts_accredited[2], parts_launched[1], parts_experience[2];
    bc_report_column columns[4];
    bc_report_list lists[1];
    arena mem;
} fixture;

static fixture fx;

const bc_module *fixture_module(void)
{
    return &fx.m;
}

static uint32_t str(const char *s)
{
    for (uint32_t i = 0; i < fx.m.nstrings; i++)
        if (strcmp(fx.strings[i].ptr, s) == 0)
            return i;
    assert_true(fx.m.nstrings < MAX_STRINGS);
    fx.strings[fx.m.nstrings].ptr = s;
    fx.strings[fx.m.nstrings].len = (uint32_t)strlen(s);
    return fx.m.nstrings++;
}

static bc_node node(const char *id, const char *name, const char *category, uint8_t unit,
                    uint32_t parent)
{
    bc_node n = {0};
    n.id = str(id);
    n.name = str(name);
    n.category = category ? str(category) : BC_NONE;
    n.unit = unit;
    n.kind = unit == UNIT_CHOICE ? NODE_CHOICE : NODE_MEASURE;
    n.cmp = unit == UNIT_BOOL ? CMP_REQUIRED : CMP_AT_LEAST;
    n.parent = parent;
    return n;
}

static void build_enums(void)
{
    static const char *tiers[] = {"Registered", "Select", "Advanced", "Premier"};
    static const char *actions[] = {"none", "new_application", "disclose"};
    static const char *kinds[] = {"acquires", "divests"};
    for (int i = 0; i < 4; i++)
        fx.tier_values[i] = str(tiers[i]);
    for (int i = 0; i < 3; i++)
        fx.action_values[i] = str(actions[i]);
    for (int i = 0; i < 2; i++)
        fx.kind_values[i] = str(kinds[i]);
    fx.enums[0] = (bc_enum){str("Tier"), true, 4, fx.tier_values, 0, NULL};
    fx.enums[1] = (bc_enum){str("Action"), false, 3, fx.action_values, 0, NULL};
    fx.enums[2] = (bc_enum){str("EventKind"), false, 2, fx.kind_values, 0, NULL};
    fx.m.nenums = 3;
    fx.m.enums = fx.enums;
    fx.types[0] = (bc_type){TK_ENUM, 2};
    fx.types[1] = (bc_type){TK_STRING, 0};
    fx.types[2] = (bc_type){TK_DATE, 0};
    fx.types[3] = (bc_type){TK_ENUM, 1};
    fx.m.ntypes = 4;
    fx.m.types = fx.types;
    for (uint32_t i = 0; i < 4; i++)
        fx.chunks[i].ret_type = i;
    fx.m.nchunks = 4;
    fx.m.chunks = fx.chunks;
}

static void build_tiered(void)
{
    bc_node *n = fx.tiered_nodes;
    n[N_FEE] = node("program_fee", "Annual APN Program Fee", "Fee", UNIT_USD, BC_NONE);
    n[N_ACCREDITED] = node("accredited_professionals", "AWS Accredited Professionals",
                           "Knowledge", UNIT_COUNT, BC_NONE);
    n[N_TECHNICAL] = node("technical", "Technical", NULL, UNIT_COUNT, N_ACCREDITED);
    n[N_BUSINESS] = node("business", "Business", NULL, UNIT_COUNT, N_ACCREDITED);
    n[N_LAUNCHED] = node("launched_opportunities", "Launched Opportunities", "Experience",
                         UNIT_COUNT, BC_NONE);
    n[N_MRR] = node("mrr", "Monthly Recurring Revenue Minimum", NULL, UNIT_USD, N_LAUNCHED);
    n[N_PLAN] = node("business_plan", "Partner Business Plan", "Experience", UNIT_BOOL,
                     BC_NONE);
    n[N_EXPERIENCE] = node("experience", "Direct Revenue or Launched Opportunities",
                           "Experience", UNIT_CHOICE, BC_NONE);
    n[N_DIRECT] = node("direct_revenue", "Direct Revenue", NULL, UNIT_USD, N_EXPERIENCE);
    n[N_LAUNCHED_ALT] = node("launched_opportunities", "Launched Opportunities", NULL,
                             UNIT_COUNT, N_EXPERIENCE);
    n[N_SUSTAINED] = node("sustained_premier", "Sustained Attainment of Premier Tier Criteria",
                          "Experience", UNIT_MONTHS, BC_NONE);
    n[N_EBR] = node("executive_business_review", "Executive Business Review", "Experience",
                    UNIT_BOOL, BC_NONE);
    fx.parts_accredited[0] = N_TECHNICAL;
    fx.parts_accredited[1] = N_BUSINESS;
    n[N_ACCREDITED].nparts = 2;
    n[N_ACCREDITED].parts = fx.parts_accredited;
    fx.parts_launched[0] = N_MRR;
    n[N_LAUNCHED].nparts = 1;
    n[N_LAUNCHED].parts = fx.parts_launched;
    fx.parts_experience[0] = N_DIRECT;
    fx.parts_experience[1] = N_LAUNCHED_ALT;
    n[N_EXPERIENCE].nparts = 2;
    n[N_EXPERIENCE].parts = fx.parts_experience;
    fx.tiers[0] = SELECT;
    fx.tiers[1] = ADVANCED;
    fx.tiers[2] = PREMIER;
    bc_program *p = &fx.programs[0];
    p->id = str("apn-2019-consulting");
    p->title = str("APN Consulting Partners (2019)");
    p->version = str("1.2");
    p->kind = PROGRAM_TIERED;
    p->tier_enum = 0;
    p->ntiers = 3;
    p->tiers = fx.tiers;
    p->nnodes = N_TIERED_COUNT;
    p->nodes = fx.tiered_nodes;
}

static void build_per_item(void)
{
    bc_node *n = fx.item_nodes;
    n[I_CONSULTING] = node("consulting_select", "APN Consulting Partner, Select tier or higher",
                           "Prerequisites", UNIT_BOOL, BC_NONE);
    n[I_SELF] = node("self_assessment", "Self-assessment", "Application", UNIT_COUNT, BC_NONE);
    n[I_REMEDIATION] = node("remediation", "Remediation of action items", "Review", UNIT_BOOL,
                            BC_NONE);
    n[I_RENEWAL] = node("renewal", "Annual technical validation", "Renewal", UNIT_BOOL,
                        BC_NONE);
    static const char *cols[] = {"kind", "counterparty", "date", "action"};
    for (uint32_t i = 0; i < 4; i++)
        fx.columns[i] = (bc_report_column){str(cols[i]), i};
    fx.lists[0] = (bc_report_list){str("corporate_events"), BC_NONE, 4, fx.columns};
    bc_program *p = &fx.programs[1];
    p->id = str("service-delivery");
    p->title = str("AWS Service Delivery Program");
    p->version = str("3.0");
    p->kind = PROGRAM_PER_ITEM;
    p->items_name = str("applications");
    p->item_label_name = str("designation");
    p->nnodes = 4;
    p->nodes = fx.item_nodes;
    p->nlists = 1;
    p->lists = fx.lists;
}

int fixture_setup(void **state)
{
    (void)state;
    memset(&fx, 0, sizeof fx);
    fx.m.alloc = *test_alloc();
    fx.m.strings = fx.strings;
    build_enums();
    build_tiered();
    build_per_item();
    fx.m.nprograms = 2;
    fx.m.programs = fx.programs;
    arena_init(&fx.mem, test_alloc(), 0);
    return 0;
}

int fixture_teardown(void **state)
{
    (void)state;
    arena_free(&fx.mem);
    return 0;
}

/* ------------------------------------------------------------ reports */

static value text(const char *s)
{
    return value_string(s, (uint32_t)strlen(s));
}

static int32_t date(const char *s)
{
    int32_t d = 0;
    assert_true(cal_parse_date(s, strlen(s), &d, NULL));
    return d;
}

static req_result req(uint32_t node_index, uint8_t status, bool time_bound, value actual,
                      value required)
{
    req_result q = {0};
    q.node = node_index;
    q.status = status;
    q.time_bound = time_bound;
    q.actual = actual;
    q.required = required;
    return q;
}

/* A list in the arena from an array of items. */
static req_list list_of(const req_result *items, uint32_t count)
{
    req_list l = {count, NULL};
    if (count) {
        l.items = arena_calloc(&fx.mem, count, sizeof *items);
        assert_non_null(l.items);
        memcpy(l.items, items, count * sizeof *items);
    }
    return l;
}

static req_result with_parts(req_result q, const req_result *parts, uint32_t count)
{
    q.parts = list_of(parts, count);
    return q;
}

static req_result accredited(uint8_t status, int64_t technical, int64_t business,
                             int64_t required)
{
    req_result parts[2] = {
        req(N_TECHNICAL, technical >= required / 2 ? RUBRIC_MET : RUBRIC_NOT_MET, false,
            value_int(technical), value_int(required / 2)),
        req(N_BUSINESS, business >= required / 2 ? RUBRIC_MET : RUBRIC_NOT_MET, false,
            value_int(business), value_int(required / 2)),
    };
    return with_parts(req(N_ACCREDITED, status, false, value_int(technical + business),
                          value_int(required)),
                      parts, 2);
}

static req_result launched(uint8_t status, uint8_t mrr_status, int64_t count, int64_t required,
                           int64_t mrr, int64_t mrr_required)
{
    req_result part = req(N_MRR, mrr_status, true, value_money(mrr), value_money(mrr_required));
    return with_parts(req(N_LAUNCHED, status, true, value_int(count), value_int(required)),
                      &part, 1);
}

static req_result experience(uint8_t status, uint8_t direct_status, int64_t direct,
                             int64_t direct_required, uint8_t launched_status, int64_t count,
                             int64_t required)
{
    req_result parts[2] = {
        req(N_DIRECT, direct_status, true, value_money(direct), value_money(direct_required)),
        req(N_LAUNCHED_ALT, launched_status, true, value_int(count), value_int(required)),
    };
    return with_parts(req(N_EXPERIENCE, status, true, value_null(), value_null()), parts, 2);
}

static req_result fee(uint8_t status, int64_t paid)
{
    return req(N_FEE, status, false, value_money(paid), value_money(250000));
}

program_result fixture_select_result(void)
{
    program_result r = {0};
    r.program = 0;
    r.as_of = date("2026-11-22");
    r.current_tier = SELECT;
    r.eligible = 0;
    r.has_renewal = true;
    r.renewal_tier = 0;
    r.review_date = date("2026-12-15");
    r.renewal_status = RUBRIC_AT_RISK;
    req_result renewal[] = {
        fee(RUBRIC_GRACE, 0),
        accredited(RUBRIC_MET, 2, 2, 4),
        launched(RUBRIC_AT_RISK, RUBRIC_AT_RISK, 0, 3, 0, 150000),
        experience(RUBRIC_NOT_MET, RUBRIC_NOT_MET, 0, 1500000, RUBRIC_NOT_MET, 1, 3),
    };
    r.renewal = list_of(renewal, 4);
    req_result select[] = {
        fee(RUBRIC_GRACE, 0),
        accredited(RUBRIC_MET, 2, 2, 4),
        launched(RUBRIC_MET, RUBRIC_MET, 5, 3, 1049856, 150000),
        experience(RUBRIC_MET, RUBRIC_NOT_MET, 0, 1500000, RUBRIC_MET, 5, 3),
    };
    req_result advanced[] = {
        fee(RUBRIC_GRACE, 0),
        accredited(RUBRIC_NOT_MET, 4, 1, 8),
        launched(RUBRIC_NOT_MET, RUBRIC_MET, 5, 20, 1049856, 1000000),
        req(N_PLAN, RUBRIC_NOT_MET, true, value_bool(false), value_bool(true)),
        experience(RUBRIC_NOT_MET, RUBRIC_NOT_MET, 0, 35000000, RUBRIC_NOT_MET, 5, 20),
    };
    req_result premier[] = {
        fee(RUBRIC_GRACE, 0),
        accredited(RUBRIC_NOT_MET, 4, 1, 20),
        launched(RUBRIC_NOT_MET, RUBRIC_NOT_MET, 5, 50, 1049856, 5000000),
        req(N_PLAN, RUBRIC_NOT_MET, true, value_bool(false), value_bool(true)),
        req(N_SUSTAINED, RUBRIC_NOT_MET, false, value_int(2), value_int(6)),
        req(N_EBR, RUBRIC_NOT_APPLICABLE, false, value_null(), value_bool(true)),
    };
    r.ntiers = 3;
    r.tiers = arena_calloc(&fx.mem, 3, sizeof *r.tiers);
    assert_non_null(r.tiers);
    r.tiers[0] = (tier_result){0, true, list_of(select, 4)};
    r.tiers[1] = (tier_result){1, false, list_of(advanced, 5)};
    r.tiers[2] = (tier_result){2, false, list_of(premier, 6)};
    r.has_upgrade = true;
    r.upgrade_tier = 1;
    r.upgrade_eligible = false;
    r.upgrade = r.tiers[1].reqs;
    return r;
}

program_result fixture_premier_result(void)
{
    program_result r = {0};
    r.program = 0;
    r.as_of = date("2026-11-22");
    r.current_tier = PREMIER;
    r.eligible = 2;
    r.has_renewal = true;
    r.renewal_tier = 2;
    r.review_date = date("2027-03-01");
    r.renewal_status = RUBRIC_MET;
    req_result premier[] = {
        fee(RUBRIC_MET, 250000),
        accredited(RUBRIC_MET, 12, 10, 20),
        req(N_SUSTAINED, RUBRIC_NOT_APPLICABLE, false, value_null(), value_int(6)),
    };
    r.renewal = list_of(premier, 3);
    r.ntiers = 3;
    r.tiers = arena_calloc(&fx.mem, 3, sizeof *r.tiers);
    assert_non_null(r.tiers);
    req_result select[] = {fee(RUBRIC_MET, 250000)};
    r.tiers[0] = (tier_result){0, true, list_of(select, 1)};
    r.tiers[1] = (tier_result){1, true, list_of(select, 1)};
    r.tiers[2] = (tier_result){2, true, list_of(premier, 3)};
    return r;
}

program_result fixture_per_item_result(void)
{
    program_result r = {0};
    r.program = 1;
    r.as_of = date("2026-11-22");
    r.nitems = 2;
    r.items = arena_calloc(&fx.mem, 2, sizeof *r.items);
    assert_non_null(r.items);
    req_result rds[] = {
        req(I_CONSULTING, RUBRIC_MET, false, value_bool(true), value_bool(true)),
        req(I_SELF, RUBRIC_NOT_MET, false, value_int(3), value_int(5)),
        req(I_REMEDIATION, RUBRIC_AT_RISK, false, value_bool(false), value_bool(true)),
        req(I_RENEWAL, RUBRIC_NOT_APPLICABLE, true, value_null(), value_bool(true)),
    };
    req_result eks[] = {
        req(I_CONSULTING, RUBRIC_MET, false, value_bool(true), value_bool(true)),
        req(I_SELF, RUBRIC_MET, false, value_int(4), value_int(4)),
    };
    r.items[0] = (item_result){text("Amazon RDS"), false, list_of(rds, 4)};
    r.items[1] = (item_result){text("Amazon EKS"), true, list_of(eks, 2)};
    r.nlists = 1;
    r.lists = arena_calloc(&fx.mem, 1, sizeof *r.lists);
    assert_non_null(r.lists);
    r.lists[0].list = 0;
    r.lists[0].nrows = 2;
    r.lists[0].rows = arena_calloc(&fx.mem, 2, sizeof *r.lists[0].rows);
    assert_non_null(r.lists[0].rows);
    static value events[2][4];
    events[0][0] = value_enum(0);
    events[0][1] = text("Initech");
    events[0][2] = value_date(date("2026-04-01"));
    events[0][3] = value_enum(1);
    events[1][0] = value_enum(1);
    events[1][1] = text("Globex \"Ops\"");
    events[1][2] = value_date(date("2026-06-30"));
    events[1][3] = value_enum(0);
    r.lists[0].rows[0].values = events[0];
    r.lists[0].rows[1].values = events[1];
    return r;
}

partner_report fixture_report(const char *id, const char *name, program_result *results,
                              uint32_t count)
{
    partner_report rep = {0};
    rep.module = &fx.m;
    rep.id = text(id);
    rep.name = name ? text(name) : value_null();
    rep.nresults = count;
    rep.results = results;
    return rep;
}

void fixture_check_golden(const char *name, const strbuf *sb)
{
    assert_false(sb->failed);
    char rel[256];
    snprintf(rel, sizeof rel, "tests/golden/write/%s", name);
    const char *path = test_path(rel);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(sb->data, 1, sb->len, f), sb->len);
        assert_int_equal(fclose(f), 0);
        return;
    }
    size_t len = 0;
    char *want = test_read_file(path, &len);
    if (!want)
        fail_msg("missing golden file %s (run with UPDATE_GOLDEN=1)", path);
    size_t at = 0;
    while (at < len && at < sb->len && want[at] == sb->data[at])
        at++;
    if (at != len || at != sb->len) {
        print_message("%s differs at byte %zu:\n--- got ---\n%s\n", name, at, sb->data);
        free(want);
        fail_msg("%s does not match its golden file", name);
    }
    free(want);
}

/* ------------------------------------------------------------ exported */

uint32_t fixture_str(const char *s)
{
    return str(s);
}

value fixture_text(const char *s)
{
    return text(s);
}

int32_t fixture_date(const char *s)
{
    return date(s);
}

req_result fixture_req(uint32_t node_index, uint8_t status, bool time_bound, value actual,
                       value required)
{
    return req(node_index, status, time_bound, actual, required);
}

req_list fixture_list(const req_result *items, uint32_t count)
{
    return list_of(items, count);
}

void fixture_rename_node(uint32_t n, const char *name)
{
    fx.tiered_nodes[n].name = str(name);
}
