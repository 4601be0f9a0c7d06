/* test_write.c — the result writers: json, jsonl, text and csv of reports
 * built by hand, compared with golden files (UPDATE_GOLDEN=1 rewrites
 * them), JSON checked to parse with its keys in the order of the spec. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "json_reader.h"
#include "write.h"

/* ------------------------------------------------------------ the module */

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

/* Tier enum: Registered < Select < Advanced < Premier (values 0..3). */
enum { REGISTERED, SELECT, ADVANCED, PREMIER };

/* Nodes of the tiered program, in preorder. */
enum {
    N_FEE, N_ACCREDITED, N_TECHNICAL, N_BUSINESS, N_LAUNCHED, N_MRR, N_PLAN,
    N_EXPERIENCE, N_DIRECT, N_LAUNCHED_ALT, N_SUSTAINED, N_EBR, N_TIERED_COUNT
};

/* Nodes of the per-item program. */
enum { I_CONSULTING, I_SELF, I_REMEDIATION, I_RENEWAL };

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

static int setup(void **state)
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

static int teardown(void **state)
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

/* A Select partner: renewal at risk, not eligible for Advanced. */
static program_result select_partner_result(void)
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

/* A Premier partner: renewal met, no upgrade. */
static program_result premier_partner_result(void)
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

static program_result per_item_result(void)
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

static partner_report report_of(const char *id, const char *name, program_result *results,
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

/* ------------------------------------------------------------ checks */

/* Compare with tests/golden/write/NAME byte for byte, or rewrite it when
 * UPDATE_GOLDEN=1. */
static void check_golden(const char *name, const strbuf *sb)
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

/* No line of the output ends with a space. */
static void assert_no_trailing_spaces(const strbuf *sb)
{
    for (size_t i = 1; i < sb->len; i++)
        if (sb->data[i] == '\n')
            assert_int_not_equal(sb->data[i - 1], ' ');
}

enum { MAX_KEY_DEPTH = 32 };

/* The keys of every object of a JSON text, one object per line in the
 * order the objects close: "id,name\n". */
static void object_keys(const char *json, size_t len, strbuf *keys)
{
    char *buf = calloc(len + JSON_PADDING, 1);
    assert_non_null(buf);
    memcpy(buf, json, len);
    json_reader *r = json_reader_new(test_alloc(), 64);
    assert_non_null(r);
    assert_true(json_begin(r, buf, len));
    strbuf level[MAX_KEY_DEPTH];
    int depth = 0;
    json_text t;
    json_token tok;
    while ((tok = json_next(r, &t)) != JT_END) {
        if (tok == JT_ERROR)
            fail_msg("invalid JSON: %s", json_error_message(r));
        if (tok == JT_OBJECT_START) {
            assert_true(depth < MAX_KEY_DEPTH);
            sb_init(&level[depth++], test_alloc());
        } else if (tok == JT_KEY) {
            strbuf *l = &level[depth - 1];
            if (l->len)
                sb_putc(l, ',');
            sb_append(l, t.ptr, t.len);
        } else if (tok == JT_OBJECT_END) {
            strbuf *l = &level[--depth];
            if (l->len)
                sb_append(keys, l->data, l->len);
            sb_putc(keys, '\n');
            sb_free(l);
        }
    }
    json_reader_free(r);
    free(buf);
}

static bool has_object(const strbuf *keys, const char *line)
{
    char want[512];
    snprintf(want, sizeof want, "\n%s\n", line);
    return strncmp(keys->data, want + 1, strlen(want + 1)) == 0 || strstr(keys->data, want);
}

static const char TOP_TIERED[] =
    "partner,program,as_of,current_tier,eligible_tier,renewal,upgrade,tiers";
static const char REQUIREMENT_KEYS[] =
    "id,name,category,time_bound,status,actual,required,unit,parts";

/* The last line of keys: the outermost object. */
static const char *top_keys(strbuf *keys)
{
    assert_true(keys->len >= 2);
    keys->data[keys->len - 1] = '\0';
    const char *last = strrchr(keys->data, '\n');
    return last ? last + 1 : keys->data;
}

/* ------------------------------------------------------------ json */

static void test_json_tiered_pretty(void **state)
{
    (void)state;
    program_result r = select_partner_result();
    partner_report rep = report_of("P-000123", "Web Services Guru", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_result_json(&rep, 0, true, 0, &sb);
    sb_putc(&sb, '\n');
    check_golden("tiered.json", &sb);
    assert_no_trailing_spaces(&sb);
    assert_non_null(strstr(sb.data, "\n  \"partner\": {\n    \"id\": \"P-000123\",\n"));
    assert_non_null(strstr(sb.data, "\"actual\": 10498.56,"));
    assert_non_null(strstr(sb.data, "\"required\": 2500,"));
    assert_non_null(strstr(sb.data, "\"review_date\": \"2026-12-15\""));
    assert_non_null(strstr(sb.data, "\"parts\": []"));

    strbuf keys;
    sb_init(&keys, test_alloc());
    object_keys(sb.data, sb.len, &keys);
    assert_true(has_object(&keys, REQUIREMENT_KEYS));
    assert_true(has_object(&keys, "id,name"));
    assert_true(has_object(&keys, "id,title,version"));
    assert_true(has_object(&keys, "tier,review_date,status,requirements"));
    assert_true(has_object(&keys, "tier,eligible,requirements"));
    assert_true(has_object(&keys, "tier,satisfied,requirements"));
    assert_string_equal(top_keys(&keys), TOP_TIERED);
    sb_free(&keys);
    sb_free(&sb);
}

static void test_json_indent_for_arrays(void **state)
{
    (void)state;
    program_result r = premier_partner_result();
    partner_report rep = report_of("P-2", NULL, &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "  ");
    write_result_json(&rep, 0, true, 2, &sb);
    /* Members two deeper than the element; the closing brace at 2. */
    assert_non_null(strstr(sb.data, "{\n    \"partner\": {\n      \"id\": \"P-2\",\n"
                                    "      \"name\": null\n    },\n"));
    assert_int_equal(sb.data[sb.len - 1], '}');
    assert_memory_equal(sb.data + sb.len - 4, "\n  }", 4);
    assert_non_null(strstr(sb.data, "\"upgrade\": null,"));
    sb_free(&sb);
}

static void test_jsonl_one_compact_line_per_result(void **state)
{
    (void)state;
    program_result rs[3] = {select_partner_result(), per_item_result(),
                            premier_partner_result()};
    partner_report rep = report_of("P-000123", "Web Services Guru", rs, 3);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_jsonl(&rep, &sb);
    check_golden("report.jsonl", &sb);
    int lines = 0;
    const char *line = sb.data;
    for (const char *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        assert_int_equal(line[0], '{');
        assert_int_equal(nl[-1], '}');
        strbuf keys;
        sb_init(&keys, test_alloc());
        object_keys(line, (size_t)(nl - line), &keys);
        const char *top = top_keys(&keys);
        if (lines == 1)
            assert_string_equal(top, "partner,program,as_of,applications,corporate_events");
        else
            assert_string_equal(top, TOP_TIERED);
        sb_free(&keys);
    }
    assert_int_equal(lines, 3);
    assert_string_equal(line, "");
    /* Compact: no space outside strings, so ": " and ", " never appear. */
    assert_null(strstr(sb.data, "\": "));
    assert_null(strstr(sb.data, ", \""));
    sb_free(&sb);
}

static void test_json_per_item_and_report_list(void **state)
{
    (void)state;
    program_result r = per_item_result();
    partner_report rep = report_of("P-9", "Initrode", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_result_json(&rep, 0, true, 0, &sb);
    sb_putc(&sb, '\n');
    check_golden("per_item.json", &sb);
    assert_non_null(strstr(sb.data, "\"designation\": \"Amazon RDS\",\n"
                                    "      \"status\": \"not_ready\""));
    assert_non_null(strstr(sb.data, "\"status\": \"ready\""));
    assert_non_null(strstr(sb.data, "\"kind\": \"acquires\""));
    assert_non_null(strstr(sb.data, "\"action\": \"new_application\""));
    assert_non_null(strstr(sb.data, "\"counterparty\": \"Globex \\\"Ops\\\"\""));
    strbuf keys;
    sb_init(&keys, test_alloc());
    object_keys(sb.data, sb.len, &keys);
    assert_true(has_object(&keys, "designation,status,requirements"));
    assert_true(has_object(&keys, "kind,counterparty,date,action"));
    assert_string_equal(top_keys(&keys), "partner,program,as_of,applications,corporate_events");
    sb_free(&keys);
    sb_free(&sb);
}

static void test_json_no_results_writes_nothing(void **state)
{
    (void)state;
    partner_report rep = report_of("P-0", NULL, NULL, 0);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_jsonl(&rep, &sb);
    write_report_csv(&rep, &sb);
    assert_int_equal(sb.len, 0);
    sb_free(&sb);
}

static void test_json_string_escaping(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    const char in[] = "q\"b\\s/\x01\n\t\x1f\x7f \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
    write_json_string(&sb, in, sizeof in - 1);
    assert_string_equal(sb.data, "\"q\\\"b\\\\s/\\u0001\\u000a\\u0009\\u001f\x7f \xC3\xA9 "
                                 "\xE2\x82\xAC \xF0\x9F\x98\x80\"");
    sb_clear(&sb);
    /* NUL inside, and bytes that are not UTF-8: lone continuation, truncated
     * sequence, overlong form, surrogate. */
    const char bad[] = "a\0b\x80 \xE2\x82 \xC0\xAF \xED\xA0\x80";
    write_json_string(&sb, bad, sizeof bad - 1);
    assert_string_equal(sb.data, "\"a\\u0000b\\ufffd \\ufffd\\ufffd \\ufffd\\ufffd "
                                 "\\ufffd\\ufffd\\ufffd\"");
    sb_clear(&sb);
    write_json_string(&sb, NULL, 0);
    assert_string_equal(sb.data, "\"\"");
    sb_free(&sb);
}

static void test_json_values(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    const value vs[] = {value_null(), value_bool(true), value_int(-20),
                        value_money(1049856), value_money(1000000), value_money(150050),
                        value_money(-5), value_date(date("2026-11-22")),
                        value_month(2026 * 12), value_enum(2), value_enum(7),
                        text("x\"y")};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        write_json_value(&fx.m, vs[i], 0, &sb);
        sb_putc(&sb, ' ');
    }
    assert_string_equal(sb.data, "null true -20 10498.56 10000 1500.5 -0.05 \"2026-11-22\" "
                                 "\"2026-01\" \"Advanced\" 7 \"x\\\"y\" ");
    sb_clear(&sb);
    write_json_value(&fx.m, value_enum(1), BC_NONE, &sb);
    assert_string_equal(sb.data, "1");
    sb_clear(&sb);
    write_json_value(&fx.m, value_interval(date("2025-11-22"), date("2026-11-22")), BC_NONE,
                     &sb);
    assert_string_equal(sb.data, "[\"2025-11-22\",\"2026-11-22\"]");
    sb_free(&sb);
}

/* ------------------------------------------------------------ text */

static void test_text_scorecard(void **state)
{
    (void)state;
    program_result rs[2] = {select_partner_result(), per_item_result()};
    partner_report rep = report_of("P-000123", "Web Services Guru", rs, 2);
    text_options opts = {false, 0};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    check_golden("scorecard.txt", &sb);
    assert_no_trailing_spaces(&sb);
    assert_null(strchr(sb.data, '\033'));
    assert_non_null(strstr(sb.data, "Web Services Guru (P-000123)\n"));
    assert_non_null(strstr(sb.data, "RENEWAL: Select"));
    assert_non_null(strstr(sb.data, "UPGRADE: Advanced"));
    assert_non_null(strstr(sb.data, "\xE2\x9C\x93 $10,498.56 of $10,000"));
    assert_non_null(strstr(sb.data, "\xE2\x9C\x97 5 of 20"));
    assert_non_null(strstr(sb.data, "~ $0 of $2,500"));
    assert_non_null(strstr(sb.data, "- needs 15 more launched opportunities\n"));
    assert_non_null(strstr(sb.data, "- needs 3 more launched opportunities [at risk]\n"));
    assert_non_null(strstr(sb.data, "- needs $2,500 more annual APN program fee "
                                    "[in grace period]\n"));
    assert_non_null(strstr(sb.data, "- needs 3 more business (AWS accredited professionals)"));
    assert_non_null(strstr(sb.data, "- needs partner business plan\n"));
    assert_non_null(strstr(sb.data, "- needs one of: direct revenue or launched opportunities"));
    assert_non_null(strstr(sb.data, "- needs 2 more self-assessment\n"));
    /* Every line fits the default width of 100 columns. */
    for (const char *line = sb.data, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        int cols = 0;
        for (const char *p = line; p < nl; p++)
            cols += ((unsigned char)*p & 0xC0) != 0x80;
        assert_true(cols <= 100);
    }
    sb_free(&sb);
}

static void test_text_top_tier_and_narrow(void **state)
{
    (void)state;
    program_result r = premier_partner_result();
    partner_report rep = report_of("P-2", NULL, &r, 1);
    text_options opts = {false, 60};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    check_golden("top_tier_60.txt", &sb);
    assert_no_trailing_spaces(&sb);
    assert_non_null(strstr(sb.data, "P-2\n===\n"));
    assert_non_null(strstr(sb.data, "  Upgrade        none (top tier)\n"));
    assert_null(strstr(sb.data, "UPGRADE"));
    assert_non_null(strstr(sb.data, "To keep Premier (review 2027-03-01): nothing missing\n"));
    assert_null(strstr(sb.data, "To reach"));
    for (const char *line = sb.data, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        int cols = 0;
        for (const char *p = line; p < nl; p++)
            cols += ((unsigned char)*p & 0xC0) != 0x80;
        assert_true(cols <= 60);
    }
    sb_free(&sb);
}

/* At 70 columns names are cut and the gaps wrap with a hanging indent. */
static void test_text_wraps_to_width(void **state)
{
    (void)state;
    program_result r = select_partner_result();
    partner_report rep = report_of("P-000123", "Web Services Guru", &r, 1);
    text_options opts = {false, 70};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    check_golden("scorecard_70.txt", &sb);
    assert_no_trailing_spaces(&sb);
    assert_non_null(strstr(sb.data, "    - needs $1,500 more monthly recurring revenue minimum (launched\n"
                                    "      opportunities) [at risk]\n"));
    for (const char *line = sb.data, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        int cols = 0;
        for (const char *p = line; p < nl; p++)
            cols += ((unsigned char)*p & 0xC0) != 0x80;
        assert_true(cols <= 70);
    }
    sb_free(&sb);
}

/* An Advanced partner looking at Premier: months, and not applicable. */
static void test_text_months_and_not_applicable(void **state)
{
    (void)state;
    program_result r = select_partner_result();
    r.current_tier = ADVANCED;
    r.eligible = 0;
    r.renewal_tier = 1;
    r.renewal_status = RUBRIC_NOT_MET;
    r.renewal = r.tiers[1].reqs;
    r.upgrade_tier = 2;
    r.upgrade = r.tiers[2].reqs;
    partner_report rep = report_of("P-3", "Advanced Co", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, NULL, &sb);
    assert_non_null(strstr(sb.data, "  Renewal        Advanced, review 2026-12-15: \xE2\x9C\x97 "
                                    "not met\n"));
    assert_non_null(strstr(sb.data, "\xE2\x9C\x97 2 of 6 months\n"));
    assert_non_null(strstr(sb.data, "    Executive Business Review"));
    assert_non_null(strstr(sb.data, "\xE2\x80\x93 n/a\n"));
    assert_non_null(strstr(sb.data, "- needs 4 more months of sustained attainment of premier "
                                    "tier criteria\n"));
    assert_non_null(strstr(sb.data, "- needs $39,501.44 more monthly recurring revenue minimum "
                                    "(launched opportunities)\n"));
    assert_null(strstr(sb.data, "executive business review"));
    sb_free(&sb);
}

static void test_text_color(void **state)
{
    (void)state;
    program_result r = select_partner_result();
    partner_report rep = report_of("P-000123", "Web Services Guru", &r, 1);
    text_options opts = {true, 0};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    assert_non_null(strstr(sb.data, "\033[32m\xE2\x9C\x93\033[0m"));
    assert_non_null(strstr(sb.data, "\033[31m\xE2\x9C\x97\033[0m"));
    assert_non_null(strstr(sb.data, "\033[33m~\033[0m"));
    /* Colour codes take no columns: the cells line up as without colour. */
    text_options plain = {false, 0};
    strbuf nc;
    sb_init(&nc, test_alloc());
    write_report_text(&rep, &plain, &nc);
    strbuf stripped;
    sb_init(&stripped, test_alloc());
    for (size_t i = 0; i < sb.len; i++) {
        if (sb.data[i] == '\033') {
            while (sb.data[i] != 'm')
                i++;
            continue;
        }
        sb_putc(&stripped, sb.data[i]);
    }
    assert_string_equal(stripped.data, nc.data);
    sb_free(&stripped);
    sb_free(&nc);
    sb_free(&sb);
}

static void test_text_no_program_and_long_name(void **state)
{
    (void)state;
    partner_report rep = report_of("P-0", NULL, NULL, 0);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, NULL, &sb);
    assert_string_equal(sb.data, "P-0\n===\nNo program applies to this partner.\n\n");
    sb_clear(&sb);
    /* A name longer than its column is cut with an ellipsis. */
    fx.tiered_nodes[N_FEE].name = str("An Extraordinarily Long Requirement Name Für Testing "
                                      "Truncation Of Names");
    program_result r = premier_partner_result();
    rep = report_of("P-2", "Ünïcode Co", &r, 1);
    text_options narrow = {false, 60};
    write_report_text(&rep, &narrow, &sb);
    assert_non_null(strstr(sb.data, "Ünïcode Co (P-2)\n================\n"));
    assert_non_null(strstr(sb.data, "\n    An Extraordinarily Long Requirement\xE2\x80\xA6  \xE2\x9C\x93 $2,500 of $2,500\n"));
    sb_free(&sb);
}

/* ------------------------------------------------------------ csv */

static void test_csv_rows(void **state)
{
    (void)state;
    program_result rs[3] = {select_partner_result(), per_item_result(),
                            premier_partner_result()};
    partner_report rep = report_of("P-000123", "Web Services Guru", rs, 3);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_csv_header(&sb);
    write_report_csv(&rep, &sb);
    check_golden("report.csv", &sb);
    static const char header[] = "partner_id,partner_name,program,as_of,tier,item,requirement,"
                                 "parent,name,category,time_bound,status,actual,required,unit\n";
    assert_memory_equal(sb.data, header, sizeof header - 1);
    assert_non_null(strstr(sb.data, "P-000123,Web Services Guru,apn-2019-consulting,2026-11-22,"
                                    "Advanced,,mrr,launched_opportunities,Monthly Recurring "
                                    "Revenue Minimum,Experience,true,met,10498.56,10000,usd\n"));
    assert_non_null(strstr(sb.data, ",Premier,,executive_business_review,,Executive Business "
                                    "Review,Experience,false,not_applicable,,true,bool\n"));
    assert_non_null(strstr(sb.data, ",service-delivery,2026-11-22,,Amazon RDS,self_assessment,,"
                                    "Self-assessment,Application,false,not_met,3,5,count\n"));
    assert_non_null(strstr(sb.data, ",Select,,experience,,Direct Revenue or Launched "
                                    "Opportunities,Experience,true,met,,,choice\n"));
    int rows = 0;
    for (size_t i = 0; i < sb.len; i++)
        rows += sb.data[i] == '\n';
    /* select: 4 reqs + 2 + 1 + 2 parts = 9; advanced 5 + 5 = 10; premier 6 + 3 = 9;
     * per item 4 + 2 = 6; premier partner 1 + 1 + 3 + 2 = 7; header 1 */
    assert_int_equal(rows, 1 + 9 + 10 + 9 + 6 + 7);
    sb_free(&sb);
}

static void test_csv_quoting(void **state)
{
    (void)state;
    fx.tiered_nodes[N_FEE].name = str("Fee, \"annual\"\nsecond line");
    program_result r = premier_partner_result();
    partner_report rep = report_of("P,1", "Quote \"Q\" Inc", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_csv(&rep, &sb);
    assert_non_null(strstr(sb.data, "\"P,1\",\"Quote \"\"Q\"\" Inc\",apn-2019-consulting,"
                                    "2026-11-22,Select,,program_fee,,\"Fee, \"\"annual\"\"\n"
                                    "second line\",Fee,false,met,2500,2500,usd\n"));
    sb_free(&sb);
}

/* ------------------------------------------------------------ memory */

static void *failing_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    (void)user_data;
    (void)old_size;
    if (new_size == 0)
        free(ptr);
    return NULL;
}

static void test_out_of_memory_is_sticky(void **state)
{
    (void)state;
    rubric_allocator failing = {failing_realloc, NULL};
    program_result rs[2] = {select_partner_result(), per_item_result()};
    partner_report rep = report_of("P-000123", "Web Services Guru", rs, 2);
    strbuf sb;
    sb_init(&sb, &failing);
    write_report_text(&rep, NULL, &sb);
    assert_true(sb.failed);
    sb_free(&sb);
    sb_init(&sb, &failing);
    write_report_csv(&rep, &sb);
    assert_true(sb.failed);
    sb_free(&sb);
    sb_init(&sb, &failing);
    write_report_jsonl(&rep, &sb);
    assert_true(sb.failed);
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json_tiered_pretty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_indent_for_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_one_compact_line_per_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_per_item_and_report_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_no_results_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_string_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_scorecard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_top_tier_and_narrow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_wraps_to_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_months_and_not_applicable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_color, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_no_program_and_long_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory_is_sticky, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
