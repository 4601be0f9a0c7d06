/* test_bytecode.c — the .rbc format: writing, reading back, rejecting
 * damaged and hostile files. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "mbuild.h"

/* ------------------------------------------------------------ a module */

typedef struct types {
    uint32_t t_int, t_money, t_date, t_opt_date, t_bool, t_string, t_opt_string, t_month,
        t_interval, t_tier, t_kind, t_individual, t_opportunity, t_partner, t_people,
        t_opps, t_strings, t_map, t_kinds, t_opt_month;
} types;

typedef struct fixture {
    mbuild b;
    types t;
    uint32_t tier, kind;             /* enums */
    uint32_t individual, opportunity, partner; /* records */
    uint32_t f_name, f_cert, f_ikind;          /* Individual slots */
    uint32_t f_amount, f_launched, f_tags;     /* Opportunity slots */
    uint32_t f_id, f_pname, f_tag, f_tier, f_people, f_opps, f_extra, f_since,
        f_pkind, f_doc, f_region;              /* Partner slots */
} fixture;

static void declare_schema(fixture *fx)
{
    mbuild *b = &fx->b;
    types *t = &fx->t;
    fx->tier = mb_enum(b, "Tier", true);
    mb_enum_value(b, fx->tier, "Registered");
    uint32_t select = mb_enum_value(b, fx->tier, "Select");
    mb_enum_value(b, fx->tier, "Advanced");
    mb_enum_alias(b, fx->tier, "Standard", select);
    fx->kind = mb_enum(b, "Kind", false);
    mb_enum_value(b, fx->kind, "A");
    mb_enum_value(b, fx->kind, "B");
    t->t_int = mb_type(b, TK_INT, 0);
    t->t_money = mb_type(b, TK_MONEY, 0);
    t->t_date = mb_type(b, TK_DATE, 0);
    t->t_opt_date = mb_optional(b, t->t_date);
    t->t_bool = mb_type(b, TK_BOOL, 0);
    t->t_string = mb_type(b, TK_STRING, 0);
    t->t_opt_string = mb_optional(b, t->t_string);
    t->t_month = mb_type(b, TK_MONTH, 0);
    t->t_opt_month = mb_optional(b, t->t_month);
    t->t_interval = mb_type(b, TK_INTERVAL, 0);
    t->t_tier = mb_type(b, TK_ENUM, fx->tier);
    t->t_kind = mb_type(b, TK_ENUM, fx->kind);
    t->t_kinds = mb_type(b, TK_LIST, t->t_kind);
    t->t_strings = mb_type(b, TK_LIST, t->t_string);
    t->t_map = mb_type(b, TK_MAP, t->t_string);

    fx->individual = mb_record(b, "Individual");
    t->t_individual = mb_type(b, TK_RECORD, fx->individual);
    t->t_people = mb_type(b, TK_LIST, t->t_individual);
    fx->f_name = mb_field(b, fx->individual, "name", t->t_string, FIELD_REQUIRED);
    fx->f_cert = mb_field(b, fx->individual, "cert_date", t->t_opt_date, 0);
    fx->f_ikind = mb_field(b, fx->individual, "kind", t->t_kind, FIELD_REQUIRED);

    fx->opportunity = mb_record(b, "Opportunity");
    t->t_opportunity = mb_type(b, TK_RECORD, fx->opportunity);
    t->t_opps = mb_type(b, TK_LIST, t->t_opportunity);
    fx->f_amount = mb_field(b, fx->opportunity, "amount", t->t_money, FIELD_REQUIRED);
    fx->f_launched = mb_field(b, fx->opportunity, "launched", t->t_opt_date, 0);
    fx->f_tags = mb_field(b, fx->opportunity, "tags", t->t_strings, 0);

    fx->partner = mb_record(b, "Partner");
    t->t_partner = mb_type(b, TK_RECORD, fx->partner);
    fx->f_id = mb_field(b, fx->partner, "id", t->t_string, FIELD_REQUIRED);
    fx->f_pname = mb_field(b, fx->partner, "name", t->t_opt_string, 0);
    fx->f_tag = mb_field(b, fx->partner, "schema", t->t_opt_string, 0);
    fx->f_tier = mb_field(b, fx->partner, "tier", t->t_tier, FIELD_REQUIRED);
    fx->f_people = mb_field(b, fx->partner, "people", t->t_people, 0);
    fx->f_opps = mb_field(b, fx->partner, "opportunities", t->t_opps, 0);
    fx->f_extra = mb_field(b, fx->partner, "extra", t->t_map, 0);
    fx->f_since = mb_field(b, fx->partner, "since", t->t_opt_month, 0);
    fx->f_pkind = mb_field(b, fx->partner, "kind", t->t_kind, FIELD_REQUIRED);
    fx->f_doc = mb_field(b, fx->partner, "doc", t->t_opt_string, 0);
    fx->f_region = mb_field(b, fx->partner, "region", t->t_string, 0);
    bc_field *doc = mb_field_ptr(b, fx->partner, fx->f_doc);
    doc->required_when_field = fx->f_pkind;
    list *kinds = malloc(sizeof(list) + sizeof(value));
    assert_non_null(kinds);
    kinds->count = 1;
    kinds->items[0] = value_enum(0);
    doc->required_when_values = mb_const(b, t->t_kinds, (value){.kind = VK_LIST,
                                                               .as.list = kinds});
    free(kinds);
    mb_field_ptr(b, fx->partner, fx->f_region)->default_value =
        mb_const_string(b, "US", 2);
    mb_schema(b, "test-partner/1", fx->partner, fx->f_id, fx->f_pname, fx->f_tag);
}

/* Emit a sequence of (op, operand) pairs. */
static void emit_all(mbuild *b, uint32_t c, const uint32_t *ops, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        mb_emit(b, c, (opcode)ops[i], ops[i + 1]);
}

#define EMIT(b, c, ...)                                                    \
    do {                                                                   \
        const uint32_t ops_[] = {__VA_ARGS__};                             \
        emit_all((b), (c), ops_, sizeof ops_ / sizeof ops_[0]);            \
    } while (0)

typedef struct chunks {
    uint32_t is_cert, key, amount, launched_in, window, count, flags, arith, helper,
        tier, due, opps, people, name, item_measure, item_threshold;
} chunks;

static void element_chunks(fixture *fx, chunks *c)
{
    mbuild *b = &fx->b;
    types *t = &fx->t;
    uint32_t ind[] = {t->t_individual}, opp_win[] = {t->t_opportunity, t->t_interval};
    c->is_cert = mb_chunk(b, "is certified", 0, 1, ind, t->t_bool);
    EMIT(b, c->is_cert, OP_LOCAL, 0, OP_FIELD, fx->f_cert, OP_IS_NULL, 0, OP_NOT, 0, OP_RET, 0);
    c->key = mb_chunk(b, "key", 0, 1, ind, t->t_string);
    EMIT(b, c->key, OP_LOCAL, 0, OP_FIELD, fx->f_name, OP_LOCAL, 0, OP_FIELD, fx->f_ikind,
         OP_KEY, 2, OP_RET, 0);
    c->amount = mb_chunk(b, "amount", 0, 1, &opp_win[0], t->t_money);
    EMIT(b, c->amount, OP_LOCAL, 0, OP_FIELD, fx->f_amount, OP_RET, 0);
    c->launched_in = mb_chunk(b, "launched in", 0, 2, opp_win, t->t_bool);
    EMIT(b, c->launched_in, OP_LOCAL, 0, OP_FIELD, fx->f_launched, OP_LOCAL, 1,
         OP_IN_INTERVAL, 0, OP_RET, 0);
    c->window = mb_chunk(b, "window", CHUNK_LET, 0, NULL, t->t_interval);
    EMIT(b, c->window, OP_AS_OF, 0, OP_CONST, mb_const_int(b, -12), OP_ADD_MONTHS, 0,
         OP_AS_OF, 0, OP_INTERVAL, 2, OP_RET, 0);
    c->helper = mb_chunk(b, "helper", 0, 1, &t->t_int, t->t_int);
    EMIT(b, c->helper, OP_LOCAL, 0, OP_RET, 0);
}

/* Counting: list opcodes, sums, calendar arithmetic and a join. */
static void count_chunk(fixture *fx, chunks *c)
{
    mbuild *b = &fx->b;
    c->count = mb_chunk(b, "count", 0, 0, NULL, fx->t.t_int);
    uint32_t k = c->count;
    EMIT(b, k, OP_ROOT, 0, OP_FIELD, fx->f_people, OP_FILTER, c->is_cert, OP_COUNT, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_people, OP_ANY, c->is_cert, OP_POP, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_people, OP_ALL, c->is_cert, OP_POP, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_people, OP_DISTINCT_BY, c->key, OP_COUNT, 0, OP_ADD, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_MAP, c->amount, OP_SUM, 1,
         OP_CONST, mb_const_money(b, 500000), OP_GE, 0);
    uint32_t j = mb_emit_jump(b, k, OP_JUMP_IF_FALSE);
    EMIT(b, k, OP_CONST, mb_const_int(b, 1));
    uint32_t end = mb_emit_jump(b, k, OP_JUMP);
    mb_patch_jump(b, k, j);
    EMIT(b, k, OP_CONST, mb_const_int(b, 0));
    mb_patch_jump(b, k, end);
    EMIT(b, k, OP_ADD, 0);
    EMIT(b, k, OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_CALL_LET, c->window,
         OP_FILTER, c->launched_in, OP_COUNT, 0, OP_ADD, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_PROJECT, fx->f_tags, OP_DISTINCT, 0, OP_COUNT, 0,
         OP_ADD, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_PROJECT, fx->f_launched, OP_MAX, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_PROJECT, fx->f_launched, OP_MIN, 0, OP_MAX2, 0,
         OP_AS_OF, 0, OP_COALESCE, 0, OP_AS_OF, 0, OP_DAYS_BETWEEN, 0, OP_ADD, 0,
         OP_AS_OF, 0, OP_AS_OF, 0, OP_MONTHS_BETWEEN, 0, OP_ADD, 0,
         OP_AS_OF, 0, OP_AS_OF, 0, OP_BUSINESS_DAYS, 0, OP_ADD, 0,
         OP_AS_OF, 0, OP_MONTH_OF, 0, OP_FIRST_DAY, 0, OP_CONST, mb_const_int(b, 30),
         OP_ADD_DAYS, 0, OP_AS_OF, 0, OP_MIN2, 0, OP_POP, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_since, OP_CONST, mb_const_int(b, 1), OP_ADD_MONTHS, 0,
         OP_POP, 0, OP_RET, 0);
}

/* Logic: comparisons, short circuits, strings, maps. */
static void flags_chunk(fixture *fx, chunks *c)
{
    mbuild *b = &fx->b;
    types *t = &fx->t;
    c->flags = mb_chunk(b, "flags", 0, 0, NULL, t->t_bool);
    uint32_t k = c->flags;
    EMIT(b, k, OP_ROOT, 0, OP_FIELD, fx->f_id, OP_LENGTH, 0, OP_CONST, mb_const_int(b, 3),
         OP_GT, 0);
    uint32_t j1 = mb_emit_jump(b, k, OP_AND_JUMP);
    EMIT(b, k, OP_ROOT, 0, OP_FIELD, fx->f_id, OP_IS_DIGITS, 0);
    mb_patch_jump(b, k, j1);
    uint32_t j2 = mb_emit_jump(b, k, OP_OR_JUMP);
    EMIT(b, k, OP_ROOT, 0, OP_FIELD, fx->f_tier,
         OP_CONST, mb_const(b, t->t_tier, value_enum(1)), OP_LE, 0);
    mb_patch_jump(b, k, j2);
    uint32_t kinds = mb_field_ptr(b, fx->partner, fx->f_doc)->required_when_values;
    EMIT(b, k, OP_ROOT, 0, OP_FIELD, fx->f_pkind, OP_CONST, kinds, OP_IN_LIST, 0, OP_EQ, 0,
         OP_ROOT, 0, OP_FIELD, fx->f_extra, OP_CONST, mb_const_string(b, "k", 1), OP_MAP_GET, 0,
         OP_CONST, mb_const_null(b, t->t_opt_string), OP_NE, 0, OP_NE, 0,
         OP_CONST, mb_const_int(b, 1), OP_CONST, mb_const_int(b, 2), OP_LT, 0, OP_EQ, 0,
         OP_CONST, mb_const_int(b, 1), OP_CONST, mb_const_int(b, 2), OP_GE, 0, OP_NE, 0,
         OP_AS_OF, 0, OP_CONST, mb_const_date(b, cal_from_ymd(2019, 12, 13)), OP_LE, 0, OP_EQ, 0,
         OP_RET, 0);
}

/* Arithmetic, calls, WINDOW and CONCAT. */
static void arith_chunk(fixture *fx, chunks *c)
{
    mbuild *b = &fx->b;
    c->arith = mb_chunk(b, "arith", 0, 0, NULL, fx->t.t_int);
    EMIT(b, c->arith, OP_WINDOW, 0, OP_POP, 0, OP_CONST, mb_const_int(b, 10),
         OP_CONST, mb_const_int(b, 3), OP_SUB, 0, OP_CONST, mb_const_int(b, 2), OP_MUL, 0,
         OP_CONST, mb_const_int(b, 2), OP_DIV, 0, OP_NEG, 0,
         OP_CONST, mb_const_money(b, 10000), OP_CONST, mb_const_int(b, 2), OP_MUL, 0,
         OP_POP, 0, OP_ROOT, 0, OP_FIELD, fx->f_people, OP_ROOT, 0, OP_FIELD, fx->f_people,
         OP_CONCAT, 0, OP_COUNT, 0, OP_ADD, 0, OP_CALL, c->helper,
         OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_PROJECT, fx->f_tags, OP_COUNT, 0, OP_ADD, 0,
         OP_RET, 0);
}

static void program_chunks(fixture *fx, chunks *c)
{
    mbuild *b = &fx->b;
    types *t = &fx->t;
    uint32_t ind[] = {t->t_individual};
    c->tier = mb_chunk(b, "tiers by", 0, 0, NULL, t->t_tier);
    EMIT(b, c->tier, OP_ROOT, 0, OP_FIELD, fx->f_tier, OP_RET, 0);
    c->due = mb_chunk(b, "due", 0, 0, NULL, t->t_date);
    EMIT(b, c->due, OP_AS_OF, 0, OP_RET, 0);
    c->opps = mb_chunk(b, "opportunities", 0, 0, NULL, t->t_opps);
    EMIT(b, c->opps, OP_ROOT, 0, OP_FIELD, fx->f_opps, OP_RET, 0);
    c->people = mb_chunk(b, "people", 0, 0, NULL, t->t_people);
    EMIT(b, c->people, OP_ROOT, 0, OP_FIELD, fx->f_people, OP_RET, 0);
    c->name = mb_chunk(b, "name", 0, 1, ind, t->t_string);
    EMIT(b, c->name, OP_LOCAL, 0, OP_FIELD, fx->f_name, OP_RET, 0);
    c->item_measure = mb_chunk(b, "item measure", 0, 1, ind, t->t_int);
    EMIT(b, c->item_measure, OP_LOCAL, 0, OP_FIELD, fx->f_name, OP_LENGTH, 0, OP_RET, 0);
    c->item_threshold = mb_chunk(b, "item threshold", 0, 1, ind, t->t_int);
    EMIT(b, c->item_threshold, OP_CONST, mb_const_int(b, 4), OP_RET, 0);
}

static void tiered_program(fixture *fx, const chunks *c)
{
    mbuild *b = &fx->b;
    uint32_t p = mb_program(b, "p-tiered", "Tiered Program", "1", PROGRAM_TIERED);
    uint32_t tiers[] = {0, 1, 2};
    mb_program_tiers(b, p, fx->tier, tiers, 3);
    bc_program *pp = mb_program_ptr(b, p);
    pp->applies = c->flags;
    pp->current_tier = c->tier;
    pp->rolling_window = c->window;
    pp->renewal_window = c->window;
    pp->review_date = c->due;
    uint32_t n0 = mb_node(b, p, BC_NONE, "certs", "Certified People", "Experience");
    bc_node *n = mb_node_ptr(b, p, n0);
    n->measure = c->count;
    n->na_when = c->flags;
    n->grace_when = c->flags;
    n->at_risk_when = c->flags;
    n->flags = NODE_TIME_BOUND;
    for (uint32_t t = 0; t < 3; t++)
        n->thresholds[t] = (bc_threshold){TH_CONST, mb_const_int(b, t + 1)};
    uint32_t n1 = mb_node(b, p, BC_NONE, "either", "Either", "Experience");
    mb_node_ptr(b, p, n1)->kind = NODE_CHOICE;
    mb_node_ptr(b, p, n1)->unit = UNIT_CHOICE;
    uint32_t n2 = mb_node(b, p, n1, "revenue", "Revenue", "Experience");
    n = mb_node_ptr(b, p, n2);
    n->measure = c->arith;
    n->unit = UNIT_COUNT;
    n->thresholds[1] = (bc_threshold){TH_CONST, mb_const_int(b, 5)};
    uint32_t n3 = mb_node(b, p, n1, "flagged", "Flagged", "Experience");
    n = mb_node_ptr(b, p, n3);
    n->unit = UNIT_BOOL;
    n->cmp = CMP_REQUIRED;
    n->measure = c->flags;
    n->thresholds[2] = (bc_threshold){TH_CONST, mb_const_bool(b, true)};
    uint32_t n4 = mb_node(b, p, BC_NONE, "sustained", "Sustained", "Experience");
    n = mb_node_ptr(b, p, n4);
    n->kind = NODE_SUSTAINED;
    n->unit = UNIT_MONTHS;
    n->sustained_tier = 1;
    n->thresholds[2] = (bc_threshold){TH_CONST, mb_const_int(b, 6)};
    uint32_t checked[] = {n0};
    mb_node_checked(b, p, n4, checked, 1);
    uint32_t l = mb_report_list(b, p, "events", c->opps);
    mb_report_column(b, p, l, "amount", c->amount);
}

static void per_item_program(fixture *fx, const chunks *c)
{
    mbuild *b = &fx->b;
    uint32_t p = mb_program(b, "p-items", "Per Item", "2", PROGRAM_PER_ITEM);
    bc_program *pp = mb_program_ptr(b, p);
    pp->items_name = mb_cstring(b, "applications");
    pp = mb_program_ptr(b, p);
    pp->item_label_name = mb_cstring(b, "designation");
    pp = mb_program_ptr(b, p);
    pp->items = c->people;
    pp->item_label = c->name;
    uint32_t n0 = mb_node(b, p, BC_NONE, "long", "Long Name", "Items");
    bc_node *n = mb_node_ptr(b, p, n0);
    n->measure = c->item_measure;
    n->thresholds[0] = (bc_threshold){TH_CHUNK, c->item_threshold};
}

/* A map constant: mbuild has no helper for one, so it is appended to the
 * finished module with the module's allocator. */
static void add_map_const(bc_module *m, uint32_t map_type)
{
    const rubric_allocator *a = &m->alloc;
    bc_const *consts = mem_realloc(a, m->consts, m->nconsts * sizeof *consts,
                                   (m->nconsts + 1) * sizeof *consts);
    assert_non_null(consts);
    m->consts = consts;
    map *mp = mem_alloc(a, sizeof(map) + 2 * sizeof(map_entry));
    assert_non_null(mp);
    mp->count = 2;
    mp->entries[0] = (map_entry){m->strings[0].ptr, m->strings[0].len,
                                 value_string(m->strings[1].ptr, m->strings[1].len)};
    mp->entries[1] = (map_entry){m->strings[1].ptr, m->strings[1].len,
                                 value_string(m->strings[0].ptr, m->strings[0].len)};
    m->consts[m->nconsts].type = map_type;
    m->consts[m->nconsts].v = (value){.kind = VK_MAP, .as.map = mp};
    m->nconsts++;
}

/* A module with every section, every opcode and both kinds of program. */
static void build_full_module(bc_module *m)
{
    fixture fx;
    memset(&fx, 0, sizeof fx);
    mb_init(&fx.b, m, test_alloc());
    declare_schema(&fx);
    chunks c;
    element_chunks(&fx, &c);
    count_chunk(&fx, &c);
    flags_chunk(&fx, &c);
    arith_chunk(&fx, &c);
    program_chunks(&fx, &c);
    mb_const(&fx.b, fx.t.t_interval, value_interval(100, 200));
    mb_const(&fx.b, fx.t.t_month, value_month(2019 * 12));
    uint32_t opt_map = mb_optional(&fx.b, fx.t.t_map);
    tiered_program(&fx, &c);
    per_item_program(&fx, &c);
    assert_true(mb_finish(&fx.b));
    add_map_const(m, opt_map);
}

/* ------------------------------------------------------------ helpers */

static void write_module(const bc_module *m, strbuf *out)
{
    sb_init(out, test_alloc());
    assert_true(bc_write(m, out));
}

static bool read_bytes(const void *bytes, size_t len, bc_module *out, char *err,
                       size_t err_size)
{
    return bc_read(bytes, len, test_alloc(), NULL, out, err, err_size);
}

/* Read bytes that must be rejected; return the reason. */
static const char *rejected(const void *bytes, size_t len)
{
    static char err[256];
    bc_module m;
    bool ok = read_bytes(bytes, len, &m, err, sizeof err);
    if (ok)
        module_release(&m);
    assert_false(ok);
    return err;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Recompute the trailing checksum after editing bytes. */
static void reseal(uint8_t *bytes, size_t len)
{
    put_le32(bytes + len - 4, bc_crc32(bytes, len - 4));
}

static uint8_t *copy_bytes(const strbuf *sb)
{
    uint8_t *p = malloc(sb->len);
    assert_non_null(p);
    memcpy(p, sb->data, sb->len);
    return p;
}

/* Offset of section id's payload. */
static uint32_t section_offset(const uint8_t *bytes, uint32_t id)
{
    return get_le32(bytes + BC_HEADER_SIZE + 12 * (id - 1) + 4);
}

/* ------------------------------------------------------------ equality */

static void assert_values_equal(value a, value b)
{
    assert_int_equal(a.kind, b.kind);
    switch (a.kind) {
    case VK_LIST:
        assert_int_equal(a.as.list->count, b.as.list->count);
        for (uint32_t i = 0; i < a.as.list->count; i++)
            assert_values_equal(a.as.list->items[i], b.as.list->items[i]);
        return;
    case VK_MAP:
        assert_int_equal(a.as.map->count, b.as.map->count);
        for (uint32_t i = 0; i < a.as.map->count; i++) {
            assert_int_equal(a.as.map->entries[i].key_len, b.as.map->entries[i].key_len);
            assert_memory_equal(a.as.map->entries[i].key, b.as.map->entries[i].key,
                                a.as.map->entries[i].key_len);
            assert_values_equal(a.as.map->entries[i].value, b.as.map->entries[i].value);
        }
        return;
    case VK_STRING:
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.as.s, b.as.s, a.len);
        return;
    case VK_BOOL:
        assert_int_equal(a.as.b, b.as.b);
        return;
    case VK_INT:
    case VK_MONEY:
        assert_int_equal(a.as.i, b.as.i);
        return;
    case VK_DATE:
    case VK_MONTH:
        assert_int_equal(a.as.d, b.as.d);
        return;
    case VK_ENUM:
        assert_int_equal(a.as.e, b.as.e);
        return;
    case VK_INTERVAL:
        assert_int_equal(a.as.iv.lo, b.as.iv.lo);
        assert_int_equal(a.as.iv.hi, b.as.iv.hi);
        return;
    default:
        return;
    }
}

static void assert_u32s_equal(const uint32_t *a, const uint32_t *b, uint32_t n)
{
    if (n)
        assert_memory_equal(a, b, n * sizeof *a);
}

static void assert_tables_equal(const bc_module *a, const bc_module *b)
{
    assert_int_equal(a->nstrings, b->nstrings);
    for (uint32_t i = 0; i < a->nstrings; i++) {
        assert_int_equal(a->strings[i].len, b->strings[i].len);
        assert_string_equal(a->strings[i].ptr, b->strings[i].ptr);
    }
    assert_int_equal(a->ntypes, b->ntypes);
    for (uint32_t i = 0; i < a->ntypes; i++) {
        assert_int_equal(a->types[i].kind, b->types[i].kind);
        assert_int_equal(a->types[i].arg, b->types[i].arg);
    }
    assert_int_equal(a->nconsts, b->nconsts);
    for (uint32_t i = 0; i < a->nconsts; i++) {
        assert_int_equal(a->consts[i].type, b->consts[i].type);
        assert_values_equal(a->consts[i].v, b->consts[i].v);
    }
    assert_int_equal(a->nenums, b->nenums);
    for (uint32_t i = 0; i < a->nenums; i++) {
        assert_int_equal(a->enums[i].name, b->enums[i].name);
        assert_int_equal(a->enums[i].ordered, b->enums[i].ordered);
        assert_int_equal(a->enums[i].nvalues, b->enums[i].nvalues);
        assert_u32s_equal(a->enums[i].values, b->enums[i].values, a->enums[i].nvalues);
        assert_int_equal(a->enums[i].naliases, b->enums[i].naliases);
        for (uint32_t k = 0; k < a->enums[i].naliases; k++) {
            assert_int_equal(a->enums[i].aliases[k].name, b->enums[i].aliases[k].name);
            assert_int_equal(a->enums[i].aliases[k].value, b->enums[i].aliases[k].value);
        }
    }
    assert_int_equal(a->nrecords, b->nrecords);
    for (uint32_t i = 0; i < a->nrecords; i++) {
        assert_int_equal(a->records[i].name, b->records[i].name);
        assert_int_equal(a->records[i].nfields, b->records[i].nfields);
        for (uint32_t k = 0; k < a->records[i].nfields; k++) {
            const bc_field *fa = &a->records[i].fields[k], *fb = &b->records[i].fields[k];
            assert_int_equal(fa->name, fb->name);
            assert_int_equal(fa->type, fb->type);
            assert_int_equal(fa->flags, fb->flags);
            assert_int_equal(fa->default_value, fb->default_value);
            assert_int_equal(fa->required_when_field, fb->required_when_field);
            assert_int_equal(fa->required_when_values, fb->required_when_values);
        }
    }
    assert_int_equal(a->has_schema, b->has_schema);
    assert_memory_equal(&a->schema, &b->schema, sizeof a->schema);
}

static void assert_chunks_equal(const bc_module *a, const bc_module *b)
{
    assert_int_equal(a->nchunks, b->nchunks);
    for (uint32_t i = 0; i < a->nchunks; i++) {
        const bc_chunk *ca = &a->chunks[i], *cb = &b->chunks[i];
        assert_int_equal(ca->name, cb->name);
        assert_int_equal(ca->flags, cb->flags);
        assert_int_equal(ca->nparams, cb->nparams);
        assert_u32s_equal(ca->param_types, cb->param_types, ca->nparams);
        assert_int_equal(ca->ret_type, cb->ret_type);
        assert_int_equal(ca->code_len, cb->code_len);
        assert_memory_equal(ca->code, cb->code, ca->code_len);
    }
}

static void assert_nodes_equal(const bc_node *na, const bc_node *nb, uint32_t columns)
{
    assert_int_equal(na->id, nb->id);
    assert_int_equal(na->name, nb->name);
    assert_int_equal(na->category, nb->category);
    assert_int_equal(na->kind, nb->kind);
    assert_int_equal(na->unit, nb->unit);
    assert_int_equal(na->cmp, nb->cmp);
    assert_int_equal(na->flags, nb->flags);
    assert_int_equal(na->parent, nb->parent);
    assert_int_equal(na->measure, nb->measure);
    assert_int_equal(na->na_when, nb->na_when);
    assert_int_equal(na->grace_when, nb->grace_when);
    assert_int_equal(na->at_risk_when, nb->at_risk_when);
    assert_int_equal(na->nparts, nb->nparts);
    assert_u32s_equal(na->parts, nb->parts, na->nparts);
    for (uint32_t t = 0; t < columns; t++) {
        assert_int_equal(na->thresholds[t].kind, nb->thresholds[t].kind);
        assert_int_equal(na->thresholds[t].index, nb->thresholds[t].index);
    }
    assert_int_equal(na->sustained_tier, nb->sustained_tier);
    assert_int_equal(na->nchecked, nb->nchecked);
    assert_u32s_equal(na->checked, nb->checked, na->nchecked);
}

static void assert_programs_equal(const bc_module *a, const bc_module *b)
{
    assert_int_equal(a->nprograms, b->nprograms);
    for (uint32_t i = 0; i < a->nprograms; i++) {
        const bc_program *pa = &a->programs[i], *pb = &b->programs[i];
        const uint32_t fa[] = {pa->id, pa->title, pa->version, pa->kind, pa->applies,
                               pa->tier_enum, pa->ntiers, pa->current_tier,
                               pa->rolling_window, pa->renewal_window, pa->review_date,
                               pa->items_name, pa->items, pa->item_label_name,
                               pa->item_label, pa->nnodes, pa->nlists};
        const uint32_t fb[] = {pb->id, pb->title, pb->version, pb->kind, pb->applies,
                               pb->tier_enum, pb->ntiers, pb->current_tier,
                               pb->rolling_window, pb->renewal_window, pb->review_date,
                               pb->items_name, pb->items, pb->item_label_name,
                               pb->item_label, pb->nnodes, pb->nlists};
        assert_memory_equal(fa, fb, sizeof fa);
        assert_u32s_equal(pa->tiers, pb->tiers, pa->ntiers);
        uint32_t columns = pa->kind == PROGRAM_TIERED ? pa->ntiers : 1;
        for (uint32_t k = 0; k < pa->nnodes; k++)
            assert_nodes_equal(&pa->nodes[k], &pb->nodes[k], columns);
        for (uint32_t k = 0; k < pa->nlists; k++) {
            assert_int_equal(pa->lists[k].name, pb->lists[k].name);
            assert_int_equal(pa->lists[k].items, pb->lists[k].items);
            assert_int_equal(pa->lists[k].ncolumns, pb->lists[k].ncolumns);
            assert_memory_equal(pa->lists[k].columns, pb->lists[k].columns,
                                pa->lists[k].ncolumns * sizeof *pa->lists[k].columns);
        }
    }
}

/* ------------------------------------------------------------ tests */

static void test_module_uses_every_opcode(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    bool used[OP__COUNT] = {0};
    for (uint32_t i = 0; i < m.nchunks; i++)
        for (uint32_t pc = 0; pc < m.chunks[i].code_len;
             pc += opcode_size((opcode)m.chunks[i].code[pc]))
            used[m.chunks[i].code[pc]] = true;
    for (int op = 0; op < OP__COUNT; op++)
        if (!used[op])
            fail_msg("opcode %s is not exercised", opcode_table[op].name);
    char err[256];
    bool ok = bc_verify(&m, err, sizeof err);
    if (!ok)
        fail_msg("verify: %s", err);
    module_release(&m);
}

static void test_round_trip(void **state)
{
    (void)state;
    bc_module m, back;
    build_full_module(&m);
    strbuf first, second;
    write_module(&m, &first);
    char err[256];
    bool ok = read_bytes(first.data, first.len, &back, err, sizeof err);
    if (!ok)
        fail_msg("read: %s", err);
    assert_tables_equal(&m, &back);
    assert_chunks_equal(&m, &back);
    assert_programs_equal(&m, &back);
    ok = bc_verify(&back, err, sizeof err);
    if (!ok)
        fail_msg("verify: %s", err);
    write_module(&back, &second);
    assert_int_equal(first.len, second.len);
    assert_memory_equal(first.data, second.data, first.len);
    sb_free(&first);
    sb_free(&second);
    module_release(&back);
    module_release(&m);
}

static void test_write_is_deterministic_and_framed(void **state)
{
    (void)state;
    bc_module a, b;
    build_full_module(&a);
    build_full_module(&b);
    strbuf sa, sb;
    write_module(&a, &sa);
    write_module(&b, &sb);
    assert_int_equal(sa.len, sb.len);
    assert_memory_equal(sa.data, sb.data, sa.len);
    const uint8_t *p = (const uint8_t *)sa.data;
    assert_memory_equal(p, "RUBRICBC", 8);
    assert_int_equal(p[8] | p[9] << 8, BC_FORMAT_VERSION);
    assert_int_equal(get_le32(p + 12), BC_SECTION_COUNT);
    assert_int_equal(section_offset(p, 1), BC_HEADER_SIZE + 12 * BC_SECTION_COUNT);
    assert_int_equal(get_le32(p + sa.len - 4), bc_crc32(p, sa.len - 4));
    sb_free(&sa);
    sb_free(&sb);
    module_release(&a);
    module_release(&b);
}

static void test_crc32_known_value(void **state)
{
    (void)state;
    assert_int_equal(bc_crc32("123456789", 9), 0xcbf43926u);
    assert_int_equal(bc_crc32("", 0), 0);
}

/* Every truncation and every single flipped bit is rejected, cleanly. */
static void test_every_truncation_and_bit_flip_is_rejected(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    strbuf sb;
    write_module(&m, &sb);
    module_release(&m);
    uint8_t *bytes = copy_bytes(&sb);
    for (size_t len = 0; len < sb.len; len++)
        rejected(bytes, len);
    for (size_t i = 0; i < sb.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            bytes[i] ^= (uint8_t)(1u << bit);
            rejected(bytes, sb.len);
            bytes[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(bytes);
    sb_free(&sb);
}

/* With the checksum skipped, flipped bytes reach the section parsers: they
 * must still fail cleanly or give a module the verifier judges safely. */
static void test_damaged_sections_without_checksum(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    strbuf sb;
    write_module(&m, &sb);
    module_release(&m);
    uint8_t *bytes = copy_bytes(&sb);
    bc_read_options opts = {true};
    char err[256];
    for (size_t i = BC_HEADER_SIZE; i < sb.len - 4; i++) {
        static const uint8_t values[] = {0x00, 0xff, 0x7f, 0x80};
        for (size_t k = 0; k < sizeof values; k++) {
            uint8_t saved = bytes[i];
            bytes[i] = values[k];
            bc_module back;
            if (bc_read(bytes, sb.len, test_alloc(), &opts, &back, err, sizeof err)) {
                (void)bc_verify(&back, err, sizeof err);
                module_release(&back);
            }
            bytes[i] = saved;
        }
    }
    free(bytes);
    sb_free(&sb);
}

static void test_rejects_bad_header(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    strbuf sb;
    write_module(&m, &sb);
    module_release(&m);
    uint8_t *bytes = copy_bytes(&sb);

    assert_string_equal(rejected("RUBRIC", 6), "not a Rubric bytecode file (bad magic)");
    /* the size is judged before a byte is read */
    assert_string_equal(rejected(bytes, (size_t)BC_MAX_FILE_SIZE + 1),
                        "file is too large (268435457 bytes, at most 268435456)");
    assert_string_equal(rejected("RUBRICBC\1\0\0\0", 12),
                        "file is truncated: 12 bytes is shorter than the header");
    bytes[0] = 'X';
    assert_string_equal(rejected(bytes, sb.len), "not a Rubric bytecode file (bad magic)");
    bytes[0] = 'R';

    bytes[8] = 2;
    assert_string_equal(rejected(bytes, sb.len),
                        "bytecode format version 2 is not supported (this build reads version 1)");
    bytes[8] = 1;

    bytes[200] ^= 1;
    assert_string_equal(rejected(bytes, sb.len), "checksum mismatch: file is corrupt");
    bytes[200] ^= 1;

    bytes[10] = 1;
    reseal(bytes, sb.len);
    assert_string_equal(rejected(bytes, sb.len), "unknown header flags 0x0001");
    bytes[10] = 0;

    put_le32(bytes + 12, 9);
    reseal(bytes, sb.len);
    assert_string_equal(rejected(bytes, sb.len), "the file has 9 sections, expected 8");
    put_le32(bytes + 12, BC_SECTION_COUNT);
    reseal(bytes, sb.len);

    uint8_t *big = malloc(sb.len + 3);
    assert_non_null(big);
    memcpy(big, bytes, sb.len - 4);
    memset(big + sb.len - 4, 0, 3);
    reseal(big, sb.len + 3);
    assert_string_equal(rejected(big, sb.len + 3), "3 trailing bytes after the last section");
    free(big);
    free(bytes);
    sb_free(&sb);
}

static void test_rejects_bad_section_table(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    strbuf sb;
    write_module(&m, &sb);
    module_release(&m);
    uint8_t *bytes = copy_bytes(&sb);
    uint8_t *entry3 = bytes + BC_HEADER_SIZE + 12 * 2;

    put_le32(entry3, 9); /* unknown id */
    reseal(bytes, sb.len);
    assert_string_equal(rejected(bytes, sb.len), "section table entry 2 has id 9, expected 3");
    put_le32(entry3, 4); /* duplicate / out of order */
    reseal(bytes, sb.len);
    assert_string_equal(rejected(bytes, sb.len), "section table entry 2 has id 4, expected 3");
    put_le32(entry3, 3);

    uint32_t off = get_le32(entry3 + 4);
    put_le32(entry3 + 4, off - 2); /* overlaps section 2 */
    reseal(bytes, sb.len);
    char expect[160];
    snprintf(expect, sizeof expect,
             "section 3 (consts) starts at byte %u, expected %u (sections must be contiguous "
             "and in order)", off - 2, off);
    assert_string_equal(rejected(bytes, sb.len), expect);
    put_le32(entry3 + 4, off);

    uint8_t *last = bytes + BC_HEADER_SIZE + 12 * 7;
    put_le32(last + 8, 0x7fffffff);
    reseal(bytes, sb.len);
    assert_string_equal(rejected(bytes, sb.len),
                        "section 8 (programs) runs past the end of the file");
    free(bytes);
    sb_free(&sb);
}

/* A file with one section's payload replaced, the table and checksum
 * adjusted to match. */
static uint8_t *with_section(const strbuf *sb, uint32_t id, const uint8_t *payload,
                             uint32_t plen, size_t *len_out)
{
    const uint8_t *src = (const uint8_t *)sb->data;
    uint32_t off = section_offset(src, id);
    uint32_t old_len = get_le32(src + BC_HEADER_SIZE + 12 * (id - 1) + 8);
    size_t len = sb->len - old_len + plen;
    uint8_t *out = malloc(len);
    assert_non_null(out);
    memcpy(out, src, off);
    memcpy(out + off, payload, plen);
    memcpy(out + off + plen, src + off + old_len, sb->len - off - old_len);
    put_le32(out + BC_HEADER_SIZE + 12 * (id - 1) + 8, plen);
    for (uint32_t k = id + 1; k <= BC_SECTION_COUNT; k++) {
        uint8_t *e = out + BC_HEADER_SIZE + 12 * (k - 1) + 4;
        put_le32(e, get_le32(e) - old_len + plen);
    }
    reseal(out, len);
    *len_out = len;
    return out;
}

/* The reason is `before`, the file offset of the section plus delta, then
 * `after`. */
static void expect_section_error(const strbuf *sb, uint32_t id, const uint8_t *payload,
                                 uint32_t plen, const char *before, uint32_t delta,
                                 const char *after)
{
    size_t len;
    uint8_t *bytes = with_section(sb, id, payload, plen, &len);
    const char *err = rejected(bytes, len);
    char full[256];
    snprintf(full, sizeof full, "%s%u%s", before, section_offset(bytes, id) + delta, after);
    assert_string_equal(err, full);
    free(bytes);
}

static void test_rejects_bad_section_contents(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    strbuf sb;
    write_module(&m, &sb);
    module_release(&m);

    /* a hostile count: 4 billion strings in a 4-byte section */
    const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff};
    expect_section_error(&sb, 1, huge, 4, "section 1 (strings): count 4294967295 at byte ", 0,
                         " exceeds the 0 bytes that remain");
    /* a string longer than the section */
    const uint8_t long_string[] = {1, 0, 0, 0, 200, 0, 0, 0, 'a'};
    char expect[160];
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 1, long_string, sizeof long_string, &len);
        snprintf(expect, sizeof expect, "section 1 (strings) is truncated at byte %u",
                 section_offset(bytes, 1) + 8);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    /* invalid UTF-8: an overlong '/' */
    const uint8_t bad_utf8[] = {1, 0, 0, 0, 2, 0, 0, 0, 0xc0, 0xaf};
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 1, bad_utf8, sizeof bad_utf8, &len);
        snprintf(expect, sizeof expect,
                 "section 1 (strings): string 0 at byte %u is not valid UTF-8",
                 section_offset(bytes, 1) + 8);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    /* bytes left over after the last type */
    const uint8_t extra[] = {0, 0, 0, 0, 9};
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 2, extra, sizeof extra, &len);
        snprintf(expect, sizeof expect,
                 "section 2 (types) has 1 bytes left over at byte %u",
                 section_offset(bytes, 2) + 4);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    /* a constant of an unknown value kind */
    const uint8_t bad_kind[] = {1, 0, 0, 0, 0, 0, 0, 0, 42};
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 3, bad_kind, sizeof bad_kind, &len);
        snprintf(expect, sizeof expect,
                 "section 3 (consts): value kind 42 at byte %u is not a scalar",
                 section_offset(bytes, 3) + 8);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    /* a string constant naming a string that does not exist */
    const uint8_t bad_string[] = {1, 0, 0, 0, 0, 0, 0, 0, VK_STRING, 0xff, 0, 0, 0};
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 3, bad_string, sizeof bad_string, &len);
        snprintf(expect, sizeof expect,
                 "section 3 (consts): string 255 at byte %u is out of range (",
                 section_offset(bytes, 3) + 8);
        const char *err = rejected(bytes, len);
        assert_memory_equal(err, expect, strlen(expect));
        free(bytes);
    }
    /* a bool that is neither 0 nor 1 */
    const uint8_t bad_bool[] = {1, 0, 0, 0, 0, 0, 0, 0, VK_BOOL, 2};
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 3, bad_bool, sizeof bad_bool, &len);
        snprintf(expect, sizeof expect,
                 "section 3 (consts): bool constant at byte %u is 2, not 0 or 1",
                 section_offset(bytes, 3) + 9);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    /* a program of unknown kind */
    uint8_t bad_program[4 + 65];
    memset(bad_program, 0, sizeof bad_program);
    bad_program[0] = 1;
    bad_program[4 + 12] = 9;
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 8, bad_program, sizeof bad_program, &len);
        snprintf(expect, sizeof expect,
                 "section 8 (programs): program 0 at byte %u has unknown kind 9",
                 section_offset(bytes, 8) + 16);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    /* a schema flag that is not 0 or 1 */
    const uint8_t bad_schema[] = {7};
    expect_section_error(&sb, 6, bad_schema, 1, "section 6 (schema): schema presence flag at byte ",
                         0, " is 7, not 0 or 1");
    /* a chunk whose code runs past its section */
    const uint8_t bad_chunk[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0xff, 0xff, 0, 0};
    {
        size_t len;
        uint8_t *bytes = with_section(&sb, 7, bad_chunk, sizeof bad_chunk, &len);
        snprintf(expect, sizeof expect,
                 "section 7 (chunks): count 4278190080 at byte %u exceeds the 3 bytes that "
                 "remain", section_offset(bytes, 7) + 15);
        assert_string_equal(rejected(bytes, len), expect);
        free(bytes);
    }
    sb_free(&sb);
}

/* An allocator that fails its Nth allocation. */
typedef struct failing {
    long countdown;
} failing;

static void *failing_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    failing *f = ud;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    if (f->countdown-- == 0)
        return NULL;
    return realloc(ptr, new_size);
}

/* Running out of memory at any allocation fails cleanly (no leak under the
 * sanitizers) with the reason. */
static void test_out_of_memory_anywhere(void **state)
{
    (void)state;
    bc_module m;
    build_full_module(&m);
    strbuf sb;
    write_module(&m, &sb);
    module_release(&m);
    char err[256];
    for (long n = 0;; n++) {
        failing f = {n};
        rubric_allocator alloc = {failing_realloc, &f};
        bc_module back;
        if (bc_read(sb.data, sb.len, &alloc, NULL, &back, err, sizeof err)) {
            assert_true(n > 10);
            module_release(&back);
            break;
        }
        assert_non_null(strstr(err, "out of memory"));
    }
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_known_value),
        cmocka_unit_test(test_module_uses_every_opcode),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_write_is_deterministic_and_framed),
        cmocka_unit_test(test_rejects_bad_header),
        cmocka_unit_test(test_rejects_bad_section_table),
        cmocka_unit_test(test_rejects_bad_section_contents),
        cmocka_unit_test(test_every_truncation_and_bit_flip_is_rejected),
        cmocka_unit_test(test_damaged_sections_without_checksum),
        cmocka_unit_test(test_out_of_memory_anywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
