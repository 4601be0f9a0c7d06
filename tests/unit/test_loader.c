/* test_loader.c — the schema-driven loader over a schema that mirrors part
 * of apn-partner/1: exact values, every data-validation error with its
 * path and message, unknown fields, duplicates, recovery in arrays. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "json_reader.h"
#include "loader.h"
#include "mbuild.h"

/* ---------------------------------------------------------------- schema */

/* Slots of the records below, in declaration order. */
enum { P_FORMAT, P_ID, P_NAME, P_PATH, P_TIER, P_RENEWAL, P_FEES, P_INDIVIDUALS,
       P_OPPORTUNITIES, P_PLAN, P_REVENUE, P_APPS, P_EVENTS, P_NFIELDS };
enum { FEE_DATE, FEE_AMOUNT };
enum { IND_ID, IND_REGISTERED, IND_LEFT, IND_CERTS };
enum { CERT_NAME, CERT_LEVEL, CERT_EARNED, CERT_EXPIRES };
enum { OPP_ID, OPP_LAUNCHED, OPP_MRR, OPP_REF };
enum { BP_SIGNED_OFF, BP_REVIEWED };
enum { DR_MONTH, DR_AMOUNT };
enum { APP_DESIGNATION, APP_SUBMITTED, APP_SELF, APP_REVIEW, APP_SERVICES };
enum { REV_OPEN, REV_PLAN, REV_DECIDED };
enum { EV_KIND, EV_DATE, EV_COUNTERPARTY, EV_CSD, EV_MATERIAL };

typedef struct fixture {
    bc_module m;
    load_plan *plan;
    json_reader *r;
    arena mem;
    uint32_t e_path, e_tier, e_answer, e_kind;
} fixture;

static uint32_t field(mbuild *b, uint32_t rec, const char *name, uint32_t type)
{
    /* As the compiler marks them: neither optional, list, map nor defaulted. */
    type_kind k = (type_kind)b->m->types[type].kind;
    bool required = k != TK_OPTIONAL && k != TK_LIST && k != TK_MAP;
    return mb_field(b, rec, name, type, required ? FIELD_REQUIRED : 0);
}

static uint32_t field_default(mbuild *b, uint32_t rec, const char *name, uint32_t type,
                              uint32_t def)
{
    uint32_t slot = mb_field(b, rec, name, type, 0);
    mb_field_ptr(b, rec, slot)->default_value = def;
    return slot;
}

static void required_when(mbuild *b, uint32_t rec, uint32_t slot, uint32_t cond_slot,
                          uint32_t enum_type, const uint32_t *values, uint32_t n)
{
    list *l = malloc(sizeof(list) + n * sizeof(value));
    assert_non_null(l);
    l->count = n;
    for (uint32_t i = 0; i < n; i++)
        l->items[i] = value_enum(values[i]);
    value lv = {0};
    lv.kind = VK_LIST;
    lv.as.list = l;
    bc_field *f = mb_field_ptr(b, rec, slot);
    f->required_when_field = cond_slot;
    f->required_when_values = mb_const(b, mb_type(b, TK_LIST, enum_type), lv); /* copies */
    free(l);
}

static void build_schema(fixture *fx)
{
    mbuild b;
    mb_init(&b, &fx->m, test_alloc());
    uint32_t t_str = mb_type(&b, TK_STRING, 0), t_date = mb_type(&b, TK_DATE, 0);
    uint32_t t_month = mb_type(&b, TK_MONTH, 0), t_money = mb_type(&b, TK_MONEY, 0);
    uint32_t t_int = mb_type(&b, TK_INT, 0), t_bool = mb_type(&b, TK_BOOL, 0);
    uint32_t o_str = mb_optional(&b, t_str), o_date = mb_optional(&b, t_date);
    uint32_t o_bool = mb_optional(&b, t_bool);

    uint32_t e_path = mb_enum(&b, "Path", false);
    mb_enum_value(&b, e_path, "consulting");
    mb_enum_value(&b, e_path, "technology");
    mb_enum_alias(&b, e_path, "services", 0);
    uint32_t e_tier = mb_enum(&b, "Tier", true);
    mb_enum_value(&b, e_tier, "Registered");
    mb_enum_value(&b, e_tier, "Select");
    mb_enum_value(&b, e_tier, "Advanced");
    mb_enum_value(&b, e_tier, "Premier");
    mb_enum_alias(&b, e_tier, "Standard", 1);
    uint32_t e_level = mb_enum(&b, "CertificationLevel", true);
    mb_enum_value(&b, e_level, "foundational");
    mb_enum_value(&b, e_level, "associate");
    mb_enum_value(&b, e_level, "professional");
    mb_enum_value(&b, e_level, "specialty");
    uint32_t e_answer = mb_enum(&b, "Answer", false);
    mb_enum_value(&b, e_answer, "Y");
    mb_enum_value(&b, e_answer, "N");
    uint32_t e_kind = mb_enum(&b, "EventKind", false);
    mb_enum_value(&b, e_kind, "acquires");
    mb_enum_value(&b, e_kind, "acquired_by");
    mb_enum_value(&b, e_kind, "divests");
    uint32_t t_path = mb_type(&b, TK_ENUM, e_path), t_tier = mb_type(&b, TK_ENUM, e_tier);
    uint32_t t_level = mb_type(&b, TK_ENUM, e_level);
    uint32_t t_answer = mb_type(&b, TK_ENUM, e_answer), t_kind = mb_type(&b, TK_ENUM, e_kind);

    uint32_t partner = mb_record(&b, "Partner");
    uint32_t fee = mb_record(&b, "FeePayment");
    uint32_t ind = mb_record(&b, "Individual");
    uint32_t cert = mb_record(&b, "Certification");
    uint32_t opp = mb_record(&b, "Opportunity");
    uint32_t refd = mb_record(&b, "ReferenceDesignation");
    uint32_t bp = mb_record(&b, "BusinessPlan");
    uint32_t dr = mb_record(&b, "DirectRevenue");
    uint32_t app = mb_record(&b, "Application");
    uint32_t rev = mb_record(&b, "Review");
    uint32_t ev = mb_record(&b, "CorporateEvent");
#define REC(r) mb_type(&b, TK_RECORD, r)
#define LIST(t) mb_type(&b, TK_LIST, t)

    field(&b, partner, "format", o_str);
    field(&b, partner, "id", t_str);
    field(&b, partner, "name", t_str);
    field(&b, partner, "path", t_path);
    field(&b, partner, "tier", t_tier);
    field(&b, partner, "renewal_date", t_date);
    field(&b, partner, "fee_payments", LIST(REC(fee)));
    field(&b, partner, "individuals", LIST(REC(ind)));
    field(&b, partner, "opportunities", LIST(REC(opp)));
    field(&b, partner, "business_plan", mb_optional(&b, REC(bp)));
    field(&b, partner, "direct_revenue", LIST(REC(dr)));
    field(&b, partner, "service_delivery_applications", LIST(REC(app)));
    field(&b, partner, "corporate_events", LIST(REC(ev)));

    field(&b, fee, "date", t_date);
    field(&b, fee, "amount", t_money);

    field(&b, ind, "id", o_str);
    field(&b, ind, "registered", o_date);
    field(&b, ind, "left", o_date);
    field(&b, ind, "certifications", LIST(REC(cert)));

    field(&b, cert, "name", o_str);
    field(&b, cert, "level", t_level);
    field(&b, cert, "earned", t_date);
    field(&b, cert, "expires", o_date);

    field(&b, opp, "id", o_str);
    field(&b, opp, "launched", o_date);
    field_default(&b, opp, "mrr", t_money, mb_const_money(&b, 0));
    field(&b, opp, "public_reference", mb_optional(&b, REC(refd)));
    field(&b, refd, "designated", t_date);

    field(&b, bp, "signed_off", o_date);
    field(&b, bp, "reviewed", o_date);

    field(&b, dr, "month", t_month);
    field(&b, dr, "amount", t_money);

    field(&b, app, "designation", t_str);
    field(&b, app, "submitted", t_date);
    field(&b, app, "self_assessment", mb_type(&b, TK_MAP, t_answer));
    field(&b, app, "review", mb_optional(&b, REC(rev)));
    field(&b, app, "services", LIST(t_str));

    field_default(&b, rev, "open_action_items", t_int, mb_const_int(&b, 0));
    field_default(&b, rev, "action_plan", t_bool, mb_const_bool(&b, false));
    field(&b, rev, "decided", o_date);

    field(&b, ev, "kind", t_kind);
    field(&b, ev, "date", t_date);
    field(&b, ev, "counterparty", o_str);
    uint32_t csd = field(&b, ev, "counterparty_service_delivery", o_bool);
    uint32_t material = field(&b, ev, "material", o_bool);
    static const uint32_t acquisitions[] = {0, 1}, divests[] = {2};
    required_when(&b, ev, csd, EV_KIND, t_kind, acquisitions, 2);
    required_when(&b, ev, material, EV_KIND, t_kind, divests, 1);
#undef REC
#undef LIST

    mb_schema(&b, "apn-partner/1", partner, P_ID, P_NAME, P_FORMAT);
    assert_true(mb_finish(&b));
    fx->e_path = e_path;
    fx->e_tier = e_tier;
    fx->e_answer = e_answer;
    fx->e_kind = e_kind;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    build_schema(fx);
    fx->plan = load_plan_new(&fx->m, test_alloc());
    assert_non_null(fx->plan);
    fx->r = json_reader_new(test_alloc(), 64);
    assert_non_null(fx->r);
    arena_init(&fx->mem, test_alloc(), 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    arena_free(&fx->mem);
    json_reader_free(fx->r);
    load_plan_free(fx->plan);
    module_release(&fx->m);
    free(fx);
    return 0;
}

/* --------------------------------------------------------------- helpers */

/* A document in a padded buffer owned by the fixture's arena. */
static const char *doc_buffer(fixture *fx, const char *json, size_t *len)
{
    *len = strlen(json);
    char *buf = arena_alloc(&fx->mem, *len + JSON_PADDING);
    assert_non_null(buf);
    memcpy(buf, json, *len);
    memset(buf + *len, 0, JSON_PADDING);
    return buf;
}

static bool load_doc(fixture *fx, const char *json, const load_options *o, value *out,
                     rubric_error *err)
{
    arena_reset(&fx->mem);
    size_t len;
    const char *buf = doc_buffer(fx, json, &len);
    return load_read_text(fx->plan, fx->r, buf, len, &fx->mem, o, out, err);
}

#define BASE                                                                      \
    "{\"format\":\"apn-partner/1\",\"id\":\"P-1\",\"name\":\"Acme\",\"path\":"   \
    "\"consulting\",\"tier\":\"Select\",\"renewal_date\":\"2026-12-15\""

/* BASE + extra + "}" must fail with exactly this path and message. */
static void expect_error_doc(fixture *fx, const char *json, const char *path,
                             const char *message)
{
    value v;
    rubric_error err;
    if (load_doc(fx, json, NULL, &v, &err))
        fail_msg("accepted: %s", json);
    if (strcmp(err.path, path) != 0 || strcmp(err.message, message) != 0)
        fail_msg("%s\n  expected: %s: %s\n       got: %s: %s", json, path, message, err.path,
                 err.message);
    assert_int_equal(v.kind, VK_NULL);
}

static void expect_error(fixture *fx, const char *extra, const char *path,
                         const char *message)
{
    size_t size = strlen(BASE) + strlen(extra) + 2;
    char *json = malloc(size);
    assert_non_null(json);
    snprintf(json, size, "%s%s}", BASE, extra);
    expect_error_doc(fx, json, path, message);
    free(json);
}

static value load_ok(fixture *fx, const char *extra)
{
    size_t size = strlen(BASE) + strlen(extra) + 2;
    char *json = malloc(size);
    assert_non_null(json);
    snprintf(json, size, "%s%s}", BASE, extra);
    value v;
    rubric_error err;
    if (!load_doc(fx, json, NULL, &v, &err))
        fail_msg("%s\n  rejected: %s: %s", json, err.path, err.message);
    free(json);
    assert_int_equal(v.kind, VK_RECORD);
    return v;
}

static int32_t ymd(int32_t y, int32_t m, int32_t d)
{
    return cal_from_ymd(y, m, d);
}

static value fld(value rec, uint32_t slot)
{
    assert_int_equal(rec.kind, VK_RECORD);
    assert_true(slot < rec.as.rec->nfields);
    return rec.as.rec->fields[slot];
}

static value item(value l, uint32_t i)
{
    assert_int_equal(l.kind, VK_LIST);
    assert_true(i < l.as.list->count);
    return l.as.list->items[i];
}

static void assert_str(value v, const char *s)
{
    assert_int_equal(v.kind, VK_STRING);
    assert_int_equal(v.len, strlen(s));
    assert_memory_equal(v.as.s, s, v.len);
}

/* ---------------------------------------------------------- valid input */

static const char *const full_partner =
    "{\n"
    "  \"format\": \"apn-partner/1\",\n"
    "  \"id\": \"P-000123\",\n"
    "  \"name\": \"Web Services \\\"Guru\\\" \\u00e9\",\n"
    "  \"path\": \"services\",\n"
    "  \"tier\": \"Standard\",\n"
    "  \"renewal_date\": \"2026-12-15\",\n"
    "  \"fee_payments\": [ {\"date\": \"2026-01-10\", \"amount\": 2500},\n"
    "                      {\"amount\": \"10498.56\", \"date\": \"2025-01-10\"},\n"
    "                      {\"date\": \"2024-01-10\", \"amount\": -0.05},\n"
    "                      {\"date\": \"2023-01-10\", \"amount\": 2.5e3} ],\n"
    "  \"individuals\": [\n"
    "    {\"id\": \"I-1\", \"registered\": \"2024-02-29\", \"left\": null,\n"
    "     \"certifications\": [\n"
    "       {\"name\": \"AWS Certified Cloud Practitioner\", \"level\": \"foundational\",\n"
    "        \"earned\": \"2023-05-01\", \"expires\": \"2026-05-01\"},\n"
    "       {\"level\": \"specialty\", \"earned\": \"2024-01-10\", \"expires\": null}]},\n"
    "    {}\n"
    "  ],\n"
    "  \"opportunities\": [ {\"id\": \"O-1\", \"launched\": \"2026-05-04\", \"mrr\": \"1250.00\",\n"
    "                       \"public_reference\": {\"designated\": \"2026-06-01\"}},\n"
    "                      {\"id\": \"O-2\"} ],\n"
    "  \"business_plan\": {\"signed_off\": \"2026-01-15\"},\n"
    "  \"direct_revenue\": [ {\"month\": \"2026-01\", \"amount\": 1200.5} ],\n"
    "  \"service_delivery_applications\": [\n"
    "    {\"designation\": \"Amazon RDS\", \"submitted\": \"2026-09-01\",\n"
    "     \"self_assessment\": {\"RDS-1\": \"Y\", \"RDS-2\": \"N\", \"RDS-3\": \"Y\"},\n"
    "     \"review\": {\"open_action_items\": 3, \"decided\": null},\n"
    "     \"services\": [\"Amazon RDS\", \"Amazon EC2\"]},\n"
    "    {\"designation\": \"DevOps\", \"submitted\": \"2026-09-02\", \"review\": {}}\n"
    "  ],\n"
    "  \"corporate_events\": [\n"
    "    {\"kind\": \"acquires\", \"date\": \"2026-04-01\", \"counterparty\": \"Initech\",\n"
    "     \"counterparty_service_delivery\": false},\n"
    "    {\"kind\": \"divests\", \"date\": \"2026-05-01\", \"material\": true}\n"
    "  ]\n"
    "}\n";

static void test_valid_partner_loads_exactly(void **state)
{
    fixture *fx = *state;
    value p;
    rubric_error err;
    size_t len;
    arena_reset(&fx->mem);
    const char *buf = doc_buffer(fx, full_partner, &len);
    if (!load_read_text(fx->plan, fx->r, buf, len, &fx->mem, NULL, &p, &err))
        fail_msg("%s: %s", err.path, err.message);
    assert_int_equal(p.as.rec->type, fx->m.schema.root);
    assert_int_equal(p.as.rec->nfields, P_NFIELDS);
    assert_str(fld(p, P_FORMAT), "apn-partner/1");
    assert_str(fld(p, P_ID), "P-000123");
    assert_str(fld(p, P_NAME), "Web Services \"Guru\" \xc3\xa9");
    /* strings are copies, not pointers into the document */
    value name = fld(p, P_NAME);
    assert_true(name.as.s < buf || name.as.s >= buf + len);
    /* aliases read as their value */
    assert_int_equal(fld(p, P_PATH).kind, VK_ENUM);
    assert_int_equal(fld(p, P_PATH).as.e, 0); /* services -> consulting */
    assert_int_equal(fld(p, P_TIER).as.e, 1); /* Standard -> Select */
    assert_int_equal(fld(p, P_RENEWAL).kind, VK_DATE);
    assert_int_equal(fld(p, P_RENEWAL).as.d, ymd(2026, 12, 15));

    value fees = fld(p, P_FEES);
    assert_int_equal(fees.as.list->count, 4);
    static const int64_t cents[] = {250000, 1049856, -5, 250000};
    static const int32_t years[] = {2026, 2025, 2024, 2023};
    for (uint32_t i = 0; i < 4; i++) {
        value f = item(fees, i);
        assert_int_equal(fld(f, FEE_DATE).as.d, ymd(years[i], 1, 10));
        assert_int_equal(fld(f, FEE_AMOUNT).kind, VK_MONEY);
        assert_int_equal(fld(f, FEE_AMOUNT).as.i, cents[i]);
    }

    value inds = fld(p, P_INDIVIDUALS);
    assert_int_equal(inds.as.list->count, 2);
    value i0 = item(inds, 0);
    assert_str(fld(i0, IND_ID), "I-1");
    assert_int_equal(fld(i0, IND_REGISTERED).as.d, ymd(2024, 2, 29));
    assert_int_equal(fld(i0, IND_LEFT).kind, VK_NULL);
    value certs = fld(i0, IND_CERTS);
    assert_int_equal(certs.as.list->count, 2);
    assert_str(fld(item(certs, 0), CERT_NAME), "AWS Certified Cloud Practitioner");
    assert_int_equal(fld(item(certs, 0), CERT_LEVEL).as.e, 0);
    assert_int_equal(fld(item(certs, 0), CERT_EXPIRES).as.d, ymd(2026, 5, 1));
    assert_int_equal(fld(item(certs, 1), CERT_NAME).kind, VK_NULL);
    assert_int_equal(fld(item(certs, 1), CERT_LEVEL).as.e, 3);
    assert_int_equal(fld(item(certs, 1), CERT_EARNED).as.d, ymd(2024, 1, 10));
    assert_int_equal(fld(item(certs, 1), CERT_EXPIRES).kind, VK_NULL);
    /* an empty object: every optional null, the list empty */
    value i1 = item(inds, 1);
    assert_int_equal(fld(i1, IND_ID).kind, VK_NULL);
    assert_int_equal(fld(i1, IND_REGISTERED).kind, VK_NULL);
    assert_int_equal(fld(i1, IND_CERTS).kind, VK_LIST);
    assert_int_equal(fld(i1, IND_CERTS).as.list->count, 0);

    value opps = fld(p, P_OPPORTUNITIES);
    assert_int_equal(fld(item(opps, 0), OPP_MRR).as.i, 125000);
    assert_int_equal(fld(fld(item(opps, 0), OPP_REF), 0).as.d, ymd(2026, 6, 1));
    assert_int_equal(fld(item(opps, 1), OPP_MRR).kind, VK_MONEY); /* the default $0 */
    assert_int_equal(fld(item(opps, 1), OPP_MRR).as.i, 0);
    assert_int_equal(fld(item(opps, 1), OPP_REF).kind, VK_NULL);
    assert_int_equal(fld(item(opps, 1), OPP_LAUNCHED).kind, VK_NULL);

    value plan = fld(p, P_PLAN);
    assert_int_equal(fld(plan, BP_SIGNED_OFF).as.d, ymd(2026, 1, 15));
    assert_int_equal(fld(plan, BP_REVIEWED).kind, VK_NULL);

    value rev = item(fld(p, P_REVENUE), 0);
    assert_int_equal(fld(rev, DR_MONTH).kind, VK_MONTH);
    assert_int_equal(fld(rev, DR_MONTH).as.d, 2026 * 12 + 0);
    assert_int_equal(fld(rev, DR_AMOUNT).as.i, 120050);

    value apps = fld(p, P_APPS);
    value a0 = item(apps, 0);
    value self = fld(a0, APP_SELF);
    assert_int_equal(self.kind, VK_MAP);
    assert_int_equal(self.as.map->count, 3);
    static const char *const keys[] = {"RDS-1", "RDS-2", "RDS-3"};
    static const uint32_t answers[] = {0, 1, 0};
    for (uint32_t i = 0; i < 3; i++) {
        const map_entry *e = &self.as.map->entries[i];
        assert_int_equal(e->key_len, 5);
        assert_memory_equal(e->key, keys[i], 5);
        assert_int_equal(e->value.kind, VK_ENUM);
        assert_int_equal(e->value.as.e, answers[i]);
    }
    value review = fld(a0, APP_REVIEW);
    assert_int_equal(fld(review, REV_OPEN).kind, VK_INT);
    assert_int_equal(fld(review, REV_OPEN).as.i, 3);
    assert_int_equal(fld(review, REV_PLAN).kind, VK_BOOL); /* the default false */
    assert_false(fld(review, REV_PLAN).as.b);
    assert_int_equal(fld(review, REV_DECIDED).kind, VK_NULL);
    assert_str(item(fld(a0, APP_SERVICES), 1), "Amazon EC2");
    value a1 = item(apps, 1);
    assert_int_equal(fld(a1, APP_SELF).kind, VK_MAP); /* absent map: empty */
    assert_int_equal(fld(a1, APP_SELF).as.map->count, 0);
    assert_int_equal(fld(fld(a1, APP_REVIEW), REV_OPEN).as.i, 0); /* the default 0 */
    assert_int_equal(fld(a1, APP_SERVICES).as.list->count, 0);

    value events = fld(p, P_EVENTS);
    assert_int_equal(fld(item(events, 0), EV_KIND).as.e, 0);
    assert_int_equal(fld(item(events, 0), EV_CSD).kind, VK_BOOL);
    assert_false(fld(item(events, 0), EV_CSD).as.b);
    assert_int_equal(fld(item(events, 0), EV_MATERIAL).kind, VK_NULL);
    assert_int_equal(fld(item(events, 1), EV_KIND).as.e, 2);
    assert_true(fld(item(events, 1), EV_MATERIAL).as.b);
}

static void test_minimal_partner_and_absent_fields(void **state)
{
    fixture *fx = *state;
    value p = load_ok(fx, "");
    assert_int_equal(fld(p, P_FEES).kind, VK_LIST);
    assert_int_equal(fld(p, P_FEES).as.list->count, 0);
    assert_int_equal(fld(p, P_PLAN).kind, VK_NULL);
    /* null lists are empty lists; a null optional record is null */
    p = load_ok(fx, ",\"fee_payments\":null,\"business_plan\":null,\"individuals\":[]");
    assert_int_equal(fld(p, P_FEES).as.list->count, 0);
    assert_int_equal(fld(p, P_INDIVIDUALS).as.list->count, 0);
    assert_int_equal(fld(p, P_PLAN).kind, VK_NULL);
    /* the tag is optional */
    value v;
    rubric_error err;
    assert_true(load_doc(fx, "{\"id\":\"P\",\"name\":\"N\",\"path\":\"technology\",\"tier\":"
                             "\"Premier\",\"renewal_date\":\"2000-02-29\",\"format\":null}",
                         NULL, &v, &err));
    assert_int_equal(fld(v, P_FORMAT).kind, VK_NULL);
    assert_int_equal(fld(v, P_PATH).as.e, 1);
    assert_int_equal(fld(v, P_TIER).as.e, 3);
}

static void test_money_forms(void **state)
{
    fixture *fx = *state;
    static const struct {
        const char *json;
        int64_t cents;
    } good[] = {
        {"2500", 250000},       {"10498.56", 1049856},  {"\"10498.56\"", 1049856},
        {"-3", -300},           {"\"-0.05\"", -5},      {"2.5e3", 250000},
        {"12.345e1", 12345},    {"1.50E+2", 15000},     {"\"7\"", 700},
        {"\"7.5\"", 750},       {"0", 0},               {"-0", 0},
        {"1200.5", 120050},     {"0.01", 1},            {"\"007.10\"", 710},
        {"1e-2", 1},            {"92233720368547758.07", INT64_MAX},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char extra[128];
        snprintf(extra, sizeof extra,
                 ",\"fee_payments\":[{\"date\":\"2026-01-01\",\"amount\":%s}]", good[i].json);
        value p = load_ok(fx, extra);
        value amount = fld(item(fld(p, P_FEES), 0), FEE_AMOUNT);
        assert_int_equal(amount.kind, VK_MONEY);
        if (amount.as.i != good[i].cents)
            fail_msg("%s: %lld cents", good[i].json, (long long)amount.as.i);
    }
}

static void test_money_errors(void **state)
{
    fixture *fx = *state;
    static const struct {
        const char *json, *message;
    } bad[] = {
        {"true", "expected money (a number or a decimal string), found true"},
        {"false", "expected money (a number or a decimal string), found false"},
        {"[]", "expected money (a number or a decimal string), found an array"},
        {"{}", "expected money (a number or a decimal string), found an object"},
        {"\"10.500\"", "more than two decimals in money \"10.500\""},
        {"10.500", "more than two decimals in money 10.500"},
        {"1.0e-2", "more than two decimals in money 1.0e-2"},
        {"0.001", "more than two decimals in money 0.001"},
        {"\"1e3\"", "invalid money \"1e3\": not a decimal number"},
        {"\"NaN\"", "invalid money \"NaN\": not a decimal number"},
        {"\"1,000\"", "invalid money \"1,000\": not a decimal number"},
        {"\" 10\"", "invalid money \" 10\": not a decimal number"},
        {"\"+10\"", "invalid money \"+10\": not a decimal number"},
        {"\"$10\"", "invalid money \"$10\": not a decimal number"},
        {"\"10.\"", "invalid money \"10.\": not a decimal number"},
        {"\".5\"", "invalid money \".5\": not a decimal number"},
        {"\"\"", "invalid money \"\": not a decimal number"},
        {"1e30", "money out of range: 1e30"},
        {"92233720368547758.08", "money out of range: 92233720368547758.08"},
        {"\"99999999999999999999\"", "money out of range: \"99999999999999999999\""},
        {"null", "missing required field \"amount\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char extra[160];
        snprintf(extra, sizeof extra,
                 ",\"fee_payments\":[{\"date\":\"2026-01-01\",\"amount\":%s}]", bad[i].json);
        bool missing = strncmp(bad[i].message, "missing", 7) == 0;
        expect_error(fx, extra, missing ? "$.fee_payments[0]" : "$.fee_payments[0].amount",
                     bad[i].message);
    }
    /* NaN is not JSON at all */
    expect_error(fx, ",\"fee_payments\":[{\"date\":\"2026-01-01\",\"amount\":NaN}]",
                 "$.fee_payments[0].amount", "invalid literal");
}

static void test_date_and_month_errors(void **state)
{
    fixture *fx = *state;
    static const struct {
        const char *json, *message;
    } bad[] = {
        {"\"2023-02-29\"", "invalid date \"2023-02-29\": no such day in that month"},
        {"\"2023-04-31\"", "invalid date \"2023-04-31\": no such day in that month"},
        {"\"2100-02-29\"", "invalid date \"2100-02-29\": no such day in that month"},
        {"\"2023-01-32\"", "invalid date \"2023-01-32\": day is out of range"},
        {"\"2023-01-00\"", "invalid date \"2023-01-00\": day is out of range"},
        {"\"2023-13-01\"", "invalid date \"2023-13-01\": month is out of range"},
        {"\"2023-00-10\"", "invalid date \"2023-00-10\": month is out of range"},
        {"\"0000-01-01\"", "invalid date \"0000-01-01\": year 0000 is out of range"},
        {"\"2023-1-01\"", "invalid date \"2023-1-01\": expected a date YYYY-MM-DD"},
        {"\"2023/01/01\"", "invalid date \"2023/01/01\": expected a date YYYY-MM-DD"},
        {"\"2023-01-01T00:00:00Z\"",
         "invalid date \"2023-01-01T00:00:00Z\": expected a date YYYY-MM-DD"},
        {"\"\"", "invalid date \"\": expected a date YYYY-MM-DD"},
        {"\"+023-01-01\"", "invalid date \"+023-01-01\": expected a date YYYY-MM-DD"},
        {"20230101", "expected a date (\"YYYY-MM-DD\"), found 20230101"},
        {"true", "expected a date (\"YYYY-MM-DD\"), found true"},
        {"null", "missing required field \"date\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char extra[160];
        snprintf(extra, sizeof extra, ",\"fee_payments\":[{\"date\":%s,\"amount\":1}]",
                 bad[i].json);
        bool missing = strncmp(bad[i].message, "missing", 7) == 0;
        expect_error(fx, extra, missing ? "$.fee_payments[0]" : "$.fee_payments[0].date",
                     bad[i].message);
    }
    expect_error(fx, ",\"renewal_date\":\"2023-02-29\"", "$",
                 "duplicate key \"renewal_date\"");
    expect_error_doc(fx,
                     "{\"id\":\"P\",\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Select\","
                     "\"renewal_date\":\"2023-02-29\"}",
                     "$.renewal_date", "invalid date \"2023-02-29\": no such day in that month");
    /* months */
    expect_error(fx, ",\"direct_revenue\":[{\"month\":\"2023-13\",\"amount\":1}]",
                 "$.direct_revenue[0].month", "invalid month \"2023-13\": month is out of range");
    expect_error(fx, ",\"direct_revenue\":[{\"month\":\"2023-01-01\",\"amount\":1}]",
                 "$.direct_revenue[0].month",
                 "invalid month \"2023-01-01\": expected a month YYYY-MM");
    expect_error(fx, ",\"direct_revenue\":[{\"month\":202301,\"amount\":1}]",
                 "$.direct_revenue[0].month", "expected a month (\"YYYY-MM\"), found 202301");
    /* an optional date is type-checked when present */
    expect_error(fx, ",\"individuals\":[{\"registered\":\"2024-02-30\"}]",
                 "$.individuals[0].registered",
                 "invalid date \"2024-02-30\": no such day in that month");
}

static void test_deep_path(void **state)
{
    fixture *fx = *state;
    const char *ok = "{\"certifications\":[{\"level\":\"associate\",\"earned\":\"2024-01-01\"}]}";
    char extra[1024];
    snprintf(extra, sizeof extra,
             ",\"individuals\":[%s,%s,{},{\"id\":\"I-4\",\"certifications\":[{\"level\":"
             "\"associate\",\"earned\":\"2023-02-29\"}]}]",
             ok, ok);
    expect_error(fx, extra, "$.individuals[3].certifications[0].earned",
                 "invalid date \"2023-02-29\": no such day in that month");
}

static void test_type_errors(void **state)
{
    fixture *fx = *state;
    /* string */
    expect_error_doc(fx,
                     "{\"id\":\"P\",\"name\":5,\"path\":\"consulting\",\"tier\":\"Select\","
                     "\"renewal_date\":\"2026-01-01\"}",
                     "$.name", "expected a string, found 5");
    expect_error(fx, ",\"individuals\":[{\"id\":[\"I-1\"]}]", "$.individuals[0].id",
                 "expected a string, found an array");
    /* enum */
    expect_error_doc(fx,
                     "{\"id\":\"P\",\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Gold\","
                     "\"renewal_date\":\"2026-01-01\"}",
                     "$.tier",
                     "unknown value \"Gold\" for Tier (expected Registered, Select, Advanced, "
                     "Premier or Standard)");
    expect_error_doc(fx,
                     "{\"id\":\"P\",\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"select\","
                     "\"renewal_date\":\"2026-01-01\"}",
                     "$.tier",
                     "unknown value \"select\" for Tier (expected Registered, Select, Advanced, "
                     "Premier or Standard)");
    expect_error_doc(fx,
                     "{\"id\":\"P\",\"name\":\"N\",\"path\":2,\"tier\":\"Select\","
                     "\"renewal_date\":\"2026-01-01\"}",
                     "$.path", "expected Path (a string), found 2");
    expect_error(fx, ",\"individuals\":[{\"certifications\":[{\"level\":\"expert\"}]}]",
                 "$.individuals[0].certifications[0].level",
                 "unknown value \"expert\" for CertificationLevel (expected foundational, "
                 "associate, professional or specialty)");
    /* int */
    static const struct {
        const char *json, *message;
    } ints[] = {
        {"1.0", "expected an integer, found 1.0"},
        {"1e2", "expected an integer, found 1e2"},
        {"\"3\"", "expected an integer, found \"3\""},
        {"true", "expected an integer, found true"},
        {"99999999999999999999", "integer out of range: 99999999999999999999"},
        {"9223372036854775808", "integer out of range: 9223372036854775808"},
        {"-9223372036854775809", "integer out of range: -9223372036854775809"},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        char extra[256];
        snprintf(extra, sizeof extra,
                 ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                 "\"2026-01-01\",\"review\":{\"open_action_items\":%s}}]",
                 ints[i].json);
        expect_error(fx, extra, "$.service_delivery_applications[0].review.open_action_items",
                     ints[i].message);
    }
    static const struct {
        const char *json;
        int64_t v;
    } good_ints[] = {{"0", 0}, {"-0", 0}, {"42", 42},
                     {"9223372036854775807", INT64_MAX}, {"-9223372036854775808", INT64_MIN}};
    for (size_t i = 0; i < sizeof good_ints / sizeof good_ints[0]; i++) {
        char extra[256];
        snprintf(extra, sizeof extra,
                 ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                 "\"2026-01-01\",\"review\":{\"open_action_items\":%s}}]",
                 good_ints[i].json);
        value p = load_ok(fx, extra);
        value n = fld(fld(item(fld(p, P_APPS), 0), APP_REVIEW), REV_OPEN);
        assert_int_equal(n.kind, VK_INT);
        assert_true(n.as.i == good_ints[i].v);
    }
    /* bool */
    expect_error(fx, ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                     "\"2026-01-01\",\"review\":{\"action_plan\":\"true\"}}]",
                 "$.service_delivery_applications[0].review.action_plan",
                 "expected true or false, found \"true\"");
    expect_error(fx, ",\"corporate_events\":[{\"kind\":\"divests\",\"date\":\"2026-01-01\","
                     "\"material\":1}]",
                 "$.corporate_events[0].material", "expected true or false, found 1");
    /* records, lists, maps */
    expect_error(fx, ",\"business_plan\":\"x\"", "$.business_plan",
                 "expected BusinessPlan (an object), found \"x\"");
    expect_error(fx, ",\"business_plan\":[]", "$.business_plan",
                 "expected BusinessPlan (an object), found an array");
    expect_error(fx, ",\"fee_payments\":{}", "$.fee_payments",
                 "expected a list (an array), found an object");
    expect_error(fx, ",\"fee_payments\":\"none\"", "$.fee_payments",
                 "expected a list (an array), found \"none\"");
    expect_error(fx, ",\"fee_payments\":[null]", "$.fee_payments[0]",
                 "expected FeePayment (an object), found null");
    expect_error(fx, ",\"fee_payments\":[{\"date\":\"2026-01-01\",\"amount\":1},7]",
                 "$.fee_payments[1]", "expected FeePayment (an object), found 7");
    expect_error(fx, ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                     "\"2026-01-01\",\"services\":[\"a\",null]}]",
                 "$.service_delivery_applications[0].services[1]",
                 "expected a string, found null");
    expect_error(fx, ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                     "\"2026-01-01\",\"self_assessment\":[]}]",
                 "$.service_delivery_applications[0].self_assessment",
                 "expected a map (an object), found an array");
    expect_error(fx, ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                     "\"2026-01-01\",\"self_assessment\":{\"RDS-1\":\"Y\",\"RDS 2\":\"Maybe\"}}]",
                 "$.service_delivery_applications[0].self_assessment[\"RDS 2\"]",
                 "unknown value \"Maybe\" for Answer (expected Y or N)");
    expect_error(fx, ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                     "\"2026-01-01\",\"self_assessment\":{\"A_1\":true}}]",
                 "$.service_delivery_applications[0].self_assessment.A_1",
                 "expected Answer (a string), found true");
    /* long and odd strings are quoted and cut in messages */
    expect_error(fx, ",\"business_plan\":\"a\\\"b\\\\c\\nd\"", "$.business_plan",
                 "expected BusinessPlan (an object), found \"a\\\"b\\\\c\\u000ad\"");
    expect_error(fx,
                 ",\"business_plan\":\"0123456789012345678901234567890123456789012345678901234"
                 "56789\"",
                 "$.business_plan",
                 "expected BusinessPlan (an object), found "
                 "\"012345678901234567890123456789012345678901234567...\"");
}

static void test_root_must_be_a_partner_object(void **state)
{
    fixture *fx = *state;
    expect_error_doc(fx, "[]", "$", "expected Partner (an object), found an array");
    expect_error_doc(fx, "\"P-1\"", "$", "expected Partner (an object), found \"P-1\"");
    expect_error_doc(fx, "null", "$", "expected Partner (an object), found null");
    expect_error_doc(fx, "12.5", "$", "expected Partner (an object), found 12.5");
    expect_error_doc(fx, "", "$", "empty document");
    expect_error_doc(fx, "{\"id\":\"P\"", "$", "unexpected end of the document");
}

static void test_required_fields(void **state)
{
    fixture *fx = *state;
    expect_error_doc(fx,
                     "{\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Select\","
                     "\"renewal_date\":\"2026-01-01\"}",
                     "$", "missing required field \"id\"");
    expect_error_doc(fx,
                     "{\"id\":null,\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Select\","
                     "\"renewal_date\":\"2026-01-01\"}",
                     "$", "missing required field \"id\"");
    expect_error_doc(fx, "{\"id\":\"P\",\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Select\"}",
                     "$", "missing required field \"renewal_date\"");
    expect_error_doc(fx,
                     "{\"id\":\"P\",\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Select\","
                     "\"renewal_date\":null}",
                     "$", "missing required field \"renewal_date\"");
    expect_error_doc(fx, "{}", "$", "missing required field \"id\"");
    /* the first missing field in declaration order */
    expect_error_doc(fx, "{\"id\":\"P\",\"renewal_date\":\"2026-01-01\"}", "$",
                     "missing required field \"name\"");
    expect_error(fx, ",\"fee_payments\":[{\"amount\":1}]", "$.fee_payments[0]",
                 "missing required field \"date\"");
    expect_error(fx, ",\"individuals\":[{\"certifications\":[{\"earned\":\"2024-01-01\"}]}]",
                 "$.individuals[0].certifications[0]", "missing required field \"level\"");
    expect_error(fx, ",\"opportunities\":[{\"public_reference\":{}}]",
                 "$.opportunities[0].public_reference",
                 "missing required field \"designated\"");
    /* offset: the object that lacks the field */
    value v;
    rubric_error err;
    char json[256];
    snprintf(json, sizeof json, "%s,\"fee_payments\":[ {\"amount\":1}]}", BASE);
    assert_false(load_doc(fx, json, NULL, &v, &err));
    assert_int_equal(err.offset, strlen(BASE) + 18);
}

static void test_required_when(void **state)
{
    fixture *fx = *state;
    expect_error(fx, ",\"corporate_events\":[{\"kind\":\"divests\",\"date\":\"2026-01-01\"}]",
                 "$.corporate_events[0]",
                 "missing required field \"material\" (required when kind is divests)");
    expect_error(fx,
                 ",\"corporate_events\":[{\"kind\":\"divests\",\"date\":\"2026-01-01\","
                 "\"material\":null}]",
                 "$.corporate_events[0]",
                 "missing required field \"material\" (required when kind is divests)");
    expect_error(fx, ",\"corporate_events\":[{\"date\":\"2026-01-01\",\"kind\":\"acquires\"}]",
                 "$.corporate_events[0]",
                 "missing required field \"counterparty_service_delivery\" (required when kind "
                 "is acquires)");
    expect_error(fx,
                 ",\"corporate_events\":[{\"kind\":\"divests\",\"date\":\"2026-01-01\","
                 "\"material\":false},{\"kind\":\"acquired_by\",\"date\":\"2026-01-01\","
                 "\"material\":true}]",
                 "$.corporate_events[1]",
                 "missing required field \"counterparty_service_delivery\" (required when kind "
                 "is acquired_by)");
    /* not required for the other kinds */
    value p = load_ok(fx, ",\"corporate_events\":[{\"kind\":\"acquires\",\"date\":\"2026-01-01\","
                          "\"counterparty_service_delivery\":true},{\"kind\":\"divests\","
                          "\"date\":\"2026-01-01\",\"material\":false}]");
    value events = fld(p, P_EVENTS);
    assert_int_equal(fld(item(events, 0), EV_MATERIAL).kind, VK_NULL);
    assert_int_equal(fld(item(events, 1), EV_CSD).kind, VK_NULL);
    /* a missing unconditional field is reported first */
    expect_error(fx, ",\"corporate_events\":[{\"kind\":\"divests\"}]", "$.corporate_events[0]",
                 "missing required field \"date\"");
}

static void test_duplicate_keys(void **state)
{
    fixture *fx = *state;
    expect_error(fx, ",\"id\":\"P-2\"", "$", "duplicate key \"id\"");
    expect_error(fx, ",\"fee_payments\":[{\"date\":\"2026-01-01\",\"date\":\"2026-01-02\","
                     "\"amount\":1}]",
                 "$.fee_payments[0]", "duplicate key \"date\"");
    expect_error(fx, ",\"individuals\":[{\"left\":null,\"left\":\"2020-01-01\"}]",
                 "$.individuals[0]", "duplicate key \"left\"");
    expect_error(fx, ",\"individuals\":[],\"individuals\":[]", "$",
                 "duplicate key \"individuals\"");
    expect_error(fx, ",\"service_delivery_applications\":[{\"designation\":\"D\",\"submitted\":"
                     "\"2026-01-01\",\"self_assessment\":{\"A\":\"Y\",\"B\":\"N\",\"A\":\"N\"}}]",
                 "$.service_delivery_applications[0].self_assessment", "duplicate key \"A\"");
    /* an escaped key is the same key */
    expect_error(fx, ",\"\\u0069d\":\"P-2\"", "$", "duplicate key \"id\"");
    /* the offset is the second key's */
    value v;
    rubric_error err;
    char json[256];
    snprintf(json, sizeof json, "%s, \"id\":\"P-2\"}", BASE);
    assert_false(load_doc(fx, json, NULL, &v, &err));
    assert_int_equal(err.offset, strlen(BASE) + 2);
}

/* A map large enough for its hash index: order kept, duplicates found. */
static void test_large_map(void **state)
{
    fixture *fx = *state;
    char extra[8192];
    size_t n = (size_t)snprintf(extra, sizeof extra,
                                ",\"service_delivery_applications\":[{\"designation\":\"D\","
                                "\"submitted\":\"2026-01-01\",\"self_assessment\":{");
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(extra + n, sizeof extra - n, "%s\"K%d\":\"%s\"", i ? "," : "", i,
                              i % 3 ? "Y" : "N");
    snprintf(extra + n, sizeof extra - n, "}}]");
    value p = load_ok(fx, extra);
    value self = fld(item(fld(p, P_APPS), 0), APP_SELF);
    assert_int_equal(self.as.map->count, 200);
    for (uint32_t i = 0; i < 200; i++) {
        char key[16];
        snprintf(key, sizeof key, "K%u", i);
        const map_entry *e = &self.as.map->entries[i];
        assert_int_equal(e->key_len, strlen(key));
        assert_memory_equal(e->key, key, e->key_len);
        assert_int_equal(e->value.as.e, i % 3 ? 0 : 1);
    }
    snprintf(extra + n, sizeof extra - n, ",\"K150\":\"Y\"}}]");
    expect_error(fx, extra, "$.service_delivery_applications[0].self_assessment",
                 "duplicate key \"K150\"");
}

static void test_tag_field(void **state)
{
    fixture *fx = *state;
    expect_error_doc(fx,
                     "{\"format\":\"apn-partner/2\",\"id\":\"P\",\"name\":\"N\",\"path\":"
                     "\"consulting\",\"tier\":\"Select\",\"renewal_date\":\"2026-01-01\"}",
                     "$.format", "unsupported format \"apn-partner/2\" (expected \"apn-partner/1\")");
    expect_error_doc(fx, "{\"format\":\"\",\"id\":\"P\"}", "$.format",
                     "unsupported format \"\" (expected \"apn-partner/1\")");
    expect_error_doc(fx, "{\"format\":1}", "$.format", "expected a string, found 1");
}

/* ------------------------------------------------------- unknown fields */

typedef struct warnings {
    int count;
    char text[8][600];
    size_t offsets[8];
} warnings;

static void collect(void *user_data, const load_warning *w)
{
    warnings *ws = user_data;
    if (ws->count < 8) {
        snprintf(ws->text[ws->count], sizeof ws->text[0], "%s: %s", w->path, w->message);
        ws->offsets[ws->count] = w->offset;
    }
    ws->count++;
}

static void test_unknown_fields(void **state)
{
    fixture *fx = *state;
    char json[1024];
    snprintf(json, sizeof json,
             "%s,\"extra\":{\"deep\":[1,{\"x\":null}],\"s\":\"\\u00e9\"},"
             "\"fee_payments\":[{\"date\":\"2026-01-01\",\"note\":[true],\"amount\":1}],"
             "\"zzz\":7}",
             BASE);
    value v;
    rubric_error err;
    warnings ws = {0};
    load_options quiet = {false, collect, &ws};
    assert_true(load_doc(fx, json, &quiet, &v, &err));
    assert_int_equal(ws.count, 0);
    assert_int_equal(item(fld(v, P_FEES), 0).as.rec->fields[FEE_AMOUNT].as.i, 100);

    load_options strict = {true, collect, &ws};
    assert_true(load_doc(fx, json, &strict, &v, &err));
    assert_int_equal(ws.count, 3);
    assert_string_equal(ws.text[0], "$: unknown field \"extra\"");
    assert_string_equal(ws.text[1], "$.fee_payments[0]: unknown field \"note\"");
    assert_string_equal(ws.text[2], "$: unknown field \"zzz\"");
    assert_int_equal(ws.offsets[0], strlen(BASE) + 1);
    /* strict without a callback is fine */
    load_options strict_silent = {true, NULL, NULL};
    assert_true(load_doc(fx, json, &strict_silent, &v, &err));
}

static void test_malformed_json_in_unknown_field(void **state)
{
    fixture *fx = *state;
    expect_error(fx, ",\"extra\":{\"a\":[1,tru]}", "$.extra", "invalid literal");
    expect_error(fx, ",\"extra\":[01]", "$.extra", "invalid number");
    expect_error(fx, ",\"extra\":{\"a\" 1}", "$.extra", "expected ':' after the key");
    expect_error(fx, ",\"extra\":\"\\x\"", "$.extra", "invalid escape in a string");
    expect_error(fx, ",\"fee_payments\":[{\"x y\":[1,]}]", "$.fee_payments[0][\"x y\"]",
                 "expected a value");
    /* and in known fields */
    expect_error(fx, ",\"fee_payments\":[{\"date\":\"2026-01-01\",\"amount\":01}]",
                 "$.fee_payments[0].amount", "invalid number");
    expect_error(fx, ",\"fee_payments\":[{\"date\":\"2026-01-01\" \"amount\":1}]",
                 "$.fee_payments[0]", "expected ',' or '}'");
    /* a JSON error after a schema error still wins */
    expect_error(fx, ",\"business_plan\":1,\"x\":[1,]", "$", "expected a value");
    /* trailing content after the partner */
    expect_error_doc(fx, BASE "} {}", "$", "trailing content after the document");
    expect_error_doc(fx, BASE ",\"business_plan\":1} x", "$",
                     "trailing content after the document");
}

/* -------------------------------------------------------------- recovery */

static void test_recovery_in_an_array(void **state)
{
    fixture *fx = *state;
    char json[4096];
    snprintf(json, sizeof json,
             "[%s},\n"
             " %s,\"individuals\":[{\"certifications\":[{\"level\":\"x\",\"earned\":[1,{}]}]}],"
             "\"extra\":{\"a\":[]}},\n"
             " [1,[2]],\n"
             " \"P\",\n"
             " %s,\"id\":{\"dup\":[1]},\"business_plan\":{}},\n"
             " %s,\"fee_payments\":[{\"amount\":{\"a\":1}}]},\n"
             " %s,\"corporate_events\":[{\"kind\":\"divests\",\"date\":\"2026-01-01\"}]},\n"
             " %s,\"renewal_date\":\"2026-02-29\",\"individuals\":[{},{}]},\n"
             " %s,\"id\":\"LAST\"}]",
             BASE, BASE, BASE, BASE, BASE, BASE,
             "{\"id\":\"P\",\"name\":\"N\",\"path\":\"consulting\",\"tier\":\"Select\","
             "\"renewal_date\":\"2026-01-01\"");
    static const char *const want[] = {
        NULL,
        "$.individuals[0].certifications[0].level: unknown value \"x\" for CertificationLevel "
        "(expected foundational, associate, professional or specialty)",
        "$: expected Partner (an object), found an array",
        "$: expected Partner (an object), found \"P\"",
        "$: duplicate key \"id\"",
        "$.fee_payments[0].amount: expected money (a number or a decimal string), found an "
        "object",
        "$.corporate_events[0]: missing required field \"material\" (required when kind is "
        "divests)",
        "$: duplicate key \"renewal_date\"",
        "$: duplicate key \"id\"",
    };
    arena_reset(&fx->mem);
    size_t len;
    const char *buf = doc_buffer(fx, json, &len);
    json_text t;
    assert_true(json_begin(fx->r, buf, len));
    assert_int_equal(json_next(fx->r, &t), JT_ARRAY_START);
    size_t k = 0;
    json_token tok;
    while ((tok = json_next(fx->r, &t)) != JT_ARRAY_END) {
        assert_true(k < sizeof want / sizeof want[0]);
        value v;
        rubric_error err;
        bool json_ok;
        bool ok = load_read(fx->plan, fx->r, tok, &t, &fx->mem, NULL, &v, &err, &json_ok);
        assert_true(json_ok);
        if (!want[k]) {
            if (!ok)
                fail_msg("partner %zu: %s: %s", k, err.path, err.message);
            assert_str(fld(v, P_ID), "P-1");
        } else {
            char got[sizeof err.path + sizeof err.message + 2];
            snprintf(got, sizeof got, "%s: %s", err.path, err.message);
            assert_false(ok);
            if (strcmp(got, want[k]) != 0)
                fail_msg("partner %zu\n  expected: %s\n       got: %s", k, want[k], got);
        }
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    assert_int_equal(json_next(fx->r, &t), JT_END);
}

static void test_recovery_stops_at_bad_json(void **state)
{
    fixture *fx = *state;
    char json[1024];
    snprintf(json, sizeof json, "[%s,\"business_plan\":1,\"x\":[tru]}, %s}]", BASE, BASE);
    arena_reset(&fx->mem);
    size_t len;
    const char *buf = doc_buffer(fx, json, &len);
    json_text t;
    assert_true(json_begin(fx->r, buf, len));
    assert_int_equal(json_next(fx->r, &t), JT_ARRAY_START);
    json_token tok = json_next(fx->r, &t);
    value v;
    rubric_error err;
    bool json_ok = true;
    assert_false(load_read(fx->plan, fx->r, tok, &t, &fx->mem, NULL, &v, &err, &json_ok));
    assert_false(json_ok);
    assert_string_equal(err.message, "invalid literal");
    assert_int_equal(err.offset, strlen(BASE) + 1 + 24);
    assert_int_equal(json_next(fx->r, &t), JT_ERROR);
}

/* -------------------------------------------------------------- the rest */

static void test_offsets_of_errors(void **state)
{
    fixture *fx = *state;
    value v;
    rubric_error err;
    char json[256];
    /* the offending token */
    snprintf(json, sizeof json, "%s,\"fee_payments\":[{\"date\": \"2023-02-29\"}]}", BASE);
    assert_false(load_doc(fx, json, NULL, &v, &err));
    assert_int_equal(err.offset, strlen(BASE) + 26);
    assert_int_equal(json[err.offset], '"');
    snprintf(json, sizeof json, "%s,\"business_plan\": [1]}", BASE);
    assert_false(load_doc(fx, json, NULL, &v, &err));
    assert_int_equal(json[err.offset], '[');
}

static void test_compatibility_entry_points(void **state)
{
    fixture *fx = *state;
    value v;
    rubric_error err;
    arena_reset(&fx->mem);
    size_t len;
    const char *buf = doc_buffer(fx, full_partner, &len);
    assert_true(load_partner_text(&fx->m, fx->r, buf, len, &fx->mem, NULL, &v, &err));
    assert_str(fld(v, P_ID), "P-000123");
    char json[512];
    snprintf(json, sizeof json, "[%s,\"business_plan\":1}, %s}]", BASE, BASE);
    arena_reset(&fx->mem);
    buf = doc_buffer(fx, json, &len);
    json_text t;
    bool json_ok;
    assert_true(json_begin(fx->r, buf, len));
    assert_int_equal(json_next(fx->r, &t), JT_ARRAY_START);
    assert_false(load_partner(&fx->m, fx->r, &fx->mem, NULL, &v, &err, &json_ok));
    assert_true(json_ok);
    assert_string_equal(err.path, "$.business_plan");
    assert_true(load_partner(&fx->m, fx->r, &fx->mem, NULL, &v, &err, &json_ok));
    assert_int_equal(json_next(fx->r, &t), JT_ARRAY_END);
    /* a module without a schema */
    bc_module empty;
    mbuild b;
    mb_init(&b, &empty, test_alloc());
    assert_true(mb_finish(&b));
    assert_null(load_plan_new(&empty, test_alloc()));
    assert_false(load_partner_text(&empty, fx->r, buf, len, &fx->mem, NULL, &v, &err));
    assert_string_equal(err.message, "the module has no usable schema");
    module_release(&empty);
}

static void test_memory_limit(void **state)
{
    fixture *fx = *state;
    arena small;
    arena_init(&small, test_alloc(), 4096);
    char json[16384];
    size_t n = (size_t)snprintf(json, sizeof json, "%s,\"individuals\":[", BASE);
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s{\"id\":\"I-%d\"}", i ? "," : "", i);
    snprintf(json + n, sizeof json - n, "]}");
    n = strlen(json);
    char *buf = calloc(1, n + JSON_PADDING);
    memcpy(buf, json, n);
    value v;
    rubric_error err;
    assert_false(load_read_text(fx->plan, fx->r, buf, n, &small, NULL, &v, &err));
    assert_string_equal(err.message, "memory limit reached");
    assert_true(small.over_limit);
    free(buf);
    arena_free(&small);
}

/* A recursive schema: nesting is bounded. */
static void test_nesting_limit(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t node = mb_record(&b, "Node");
    uint32_t t_node = mb_type(&b, TK_RECORD, node);
    uint32_t id = mb_field(&b, node, "id", mb_type(&b, TK_STRING, 0), FIELD_REQUIRED);
    mb_field(&b, node, "children", mb_type(&b, TK_LIST, t_node), 0);
    mb_schema(&b, "tree/1", node, id, BC_NONE, BC_NONE);
    assert_true(mb_finish(&b));
    load_plan *plan = load_plan_new(&m, test_alloc());
    assert_non_null(plan);
    json_reader *r = json_reader_new(test_alloc(), 1000);
    arena mem;
    arena_init(&mem, test_alloc(), 0);
    for (int depth = 31; depth <= 33; depth++) {
        /* depth records: 2*depth-1 nested records and lists */
        char *json = malloc(64 * 40 + JSON_PADDING);
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            n += (size_t)sprintf(json + n, "{\"id\":\"n%d\",\"children\":[", i);
        for (int i = 0; i < depth; i++)
            n += (size_t)sprintf(json + n, "]}");
        memset(json + n, 0, JSON_PADDING);
        value v;
        rubric_error err;
        arena_reset(&mem);
        bool ok = load_read_text(plan, r, json, n, &mem, NULL, &v, &err);
        if (depth <= 32) {
            assert_true(ok);
        } else {
            assert_false(ok);
            assert_string_equal(err.message, "data nested deeper than 64 levels");
            assert_int_equal(strncmp(err.path, "$.children[0].children[0]", 25), 0);
        }
        free(json);
    }
    arena_free(&mem);
    json_reader_free(r);
    load_plan_free(plan);
    module_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_partner_loads_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_minimal_partner_and_absent_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_money_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_money_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date_and_month_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_must_be_a_partner_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_when, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tag_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_json_in_unknown_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recovery_in_an_array, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recovery_stops_at_bad_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offsets_of_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compatibility_entry_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
