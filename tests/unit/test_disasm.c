/* test_disasm.c — type names and the disassembly of a small module,
 * compared with a golden listing. */
#include "test_support.h"

#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "calendar.h"
#include "mbuild.h"

static void expect_type_name(const bc_module *m, uint32_t type, const char *expect)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    bc_type_name(m, type, &sb);
    assert_false(sb.failed);
    assert_string_equal(sb.data, expect);
    sb_free(&sb);
}

static void test_type_names(void **state)
{
    (void)state;
    bc_module m;
    mbuild b;
    mb_init(&b, &m, test_alloc());
    uint32_t rec = mb_record(&b, "Individual");
    uint32_t t_ind = mb_type(&b, TK_RECORD, rec);
    uint32_t t_list = mb_type(&b, TK_LIST, t_ind);
    uint32_t t_date = mb_type(&b, TK_DATE, 0);
    uint32_t t_opt_date = mb_optional(&b, t_date);
    uint32_t t_map = mb_type(&b, TK_MAP, mb_type(&b, TK_STRING, 0));
    uint32_t t_opt_list = mb_optional(&b, t_list);
    uint32_t e = mb_enum(&b, "Tier", true);
    uint32_t t_tiers = mb_type(&b, TK_LIST, mb_optional(&b, mb_type(&b, TK_ENUM, e)));
    uint32_t t_null = mb_type(&b, TK_NULL, 0);
    assert_true(mb_finish(&b));
    expect_type_name(&m, t_list, "list of Individual");
    expect_type_name(&m, t_opt_date, "date?");
    expect_type_name(&m, t_map, "map of string");
    expect_type_name(&m, t_opt_list, "(list of Individual)?");
    expect_type_name(&m, t_tiers, "list of Tier?");
    expect_type_name(&m, t_null, "null");
    expect_type_name(&m, 999, "type#999");
    module_release(&m);
}

/* A module with a bit of everything, verified (so max stack is set). */
static void build_small(bc_module *m)
{
    mbuild b;
    mb_init(&b, m, test_alloc());
    uint32_t tier = mb_enum(&b, "Tier", true);
    mb_enum_value(&b, tier, "Registered");
    uint32_t select = mb_enum_value(&b, tier, "Select");
    mb_enum_alias(&b, tier, "Standard", select);
    uint32_t t_int = mb_type(&b, TK_INT, 0), t_money = mb_type(&b, TK_MONEY, 0);
    uint32_t t_bool = mb_type(&b, TK_BOOL, 0), t_string = mb_type(&b, TK_STRING, 0);
    uint32_t t_date = mb_type(&b, TK_DATE, 0), t_interval = mb_type(&b, TK_INTERVAL, 0);
    uint32_t t_tier = mb_type(&b, TK_ENUM, tier);
    uint32_t opp = mb_record(&b, "Opportunity");
    uint32_t t_opp = mb_type(&b, TK_RECORD, opp);
    mb_field(&b, opp, "amount", t_money, FIELD_REQUIRED);
    mb_field(&b, opp, "launched", mb_optional(&b, t_date), 0);
    uint32_t partner = mb_record(&b, "Partner");
    mb_field(&b, partner, "id", t_string, FIELD_REQUIRED);
    mb_field(&b, partner, "tier", t_tier, FIELD_REQUIRED);
    mb_field(&b, partner, "opportunities", mb_type(&b, TK_LIST, t_opp), 0);
    mb_schema(&b, "test/1", partner, 0, BC_NONE, BC_NONE);

    uint32_t big = mb_chunk(&b, "big", 0, 1, &t_opp, t_bool);
    mb_emit(&b, big, OP_LOCAL, 0);
    mb_emit(&b, big, OP_FIELD, 0);
    mb_emit(&b, big, OP_CONST, mb_const_money(&b, 5000000));
    mb_emit(&b, big, OP_GE, 0);
    mb_emit(&b, big, OP_RET, 0);
    uint32_t count = mb_chunk(&b, "count", 0, 0, NULL, t_int);
    mb_emit(&b, count, OP_ROOT, 0);
    mb_emit(&b, count, OP_FIELD, 2);
    mb_emit(&b, count, OP_FILTER, big);
    mb_emit(&b, count, OP_COUNT, 0);
    mb_emit(&b, count, OP_AS_OF, 0);
    mb_emit(&b, count, OP_CONST, mb_const_date(&b, cal_from_ymd(2019, 12, 13)));
    mb_emit(&b, count, OP_LT, 0);
    uint32_t j = mb_emit_jump(&b, count, OP_JUMP_IF_FALSE);
    mb_emit(&b, count, OP_CONST, mb_const_int(&b, 1));
    mb_emit(&b, count, OP_ADD, 0);
    mb_patch_jump(&b, count, j);
    mb_emit(&b, count, OP_RET, 0);
    uint32_t tier_by = mb_chunk(&b, "tier", 0, 0, NULL, t_tier);
    mb_emit(&b, tier_by, OP_ROOT, 0);
    mb_emit(&b, tier_by, OP_FIELD, 1);
    mb_emit(&b, tier_by, OP_RET, 0);
    uint32_t window = mb_chunk(&b, "window", CHUNK_LET, 0, NULL, t_interval);
    mb_emit(&b, window, OP_AS_OF, 0);
    mb_emit(&b, window, OP_AS_OF, 0);
    mb_emit(&b, window, OP_INTERVAL, 1);
    mb_emit(&b, window, OP_RET, 0);
    uint32_t due = mb_chunk(&b, "due", 0, 0, NULL, t_date);
    mb_emit(&b, due, OP_AS_OF, 0);
    mb_emit(&b, due, OP_RET, 0);

    uint32_t p = mb_program(&b, "p", "A \"Program\"", "1", PROGRAM_TIERED);
    uint32_t tiers[] = {0, 1};
    mb_program_tiers(&b, p, tier, tiers, 2);
    bc_program *pp = mb_program_ptr(&b, p);
    pp->current_tier = tier_by;
    pp->rolling_window = window;
    pp->renewal_window = window;
    pp->review_date = due;
    uint32_t n = mb_node(&b, p, BC_NONE, "big", "Big Deals", "Experience");
    uint32_t part = mb_node(&b, p, n, "more", "More", "Experience");
    bc_node *node = mb_node_ptr(&b, p, n);
    node->measure = count;
    node->flags = NODE_TIME_BOUND;
    node->thresholds[0] = (bc_threshold){TH_CONST, mb_const_int(&b, 2)};
    node->thresholds[1] = (bc_threshold){TH_CONST, mb_const_int(&b, 4)};
    mb_node_ptr(&b, p, part)->thresholds[1] = (bc_threshold){TH_CONST, mb_const_int(&b, 1)};
    uint32_t deals = mb_chunk(&b, "deals", 0, 0, NULL, mb_type(&b, TK_LIST, t_opp));
    mb_emit(&b, deals, OP_ROOT, 0);
    mb_emit(&b, deals, OP_FIELD, 2);
    mb_emit(&b, deals, OP_RET, 0);
    uint32_t amount = mb_chunk(&b, "amount", 0, 1, &t_opp, t_money);
    mb_emit(&b, amount, OP_LOCAL, 0);
    mb_emit(&b, amount, OP_FIELD, 0);
    mb_emit(&b, amount, OP_RET, 0);
    uint32_t l = mb_report_list(&b, p, "deals", deals);
    mb_report_column(&b, p, l, "amount", amount);
    assert_true(mb_finish(&b));
    char err[256];
    bool ok = bc_verify(m, err, sizeof err);
    if (!ok)
        fail_msg("%s", err);
}

static const char golden[] =
    "strings (24)\n"
    "     0  \"Tier\"\n"
    "     1  \"Registered\"\n"
    "     2  \"Select\"\n"
    "     3  \"Standard\"\n"
    "     4  \"Opportunity\"\n"
    "     5  \"amount\"\n"
    "     6  \"launched\"\n"
    "     7  \"Partner\"\n"
    "     8  \"id\"\n"
    "     9  \"tier\"\n"
    "    10  \"opportunities\"\n"
    "    11  \"test/1\"\n"
    "    12  \"big\"\n"
    "    13  \"count\"\n"
    "    14  \"window\"\n"
    "    15  \"due\"\n"
    "    16  \"p\"\n"
    "    17  \"A \\\"Program\\\"\"\n"
    "    18  \"1\"\n"
    "    19  \"Big Deals\"\n"
    "    20  \"Experience\"\n"
    "    21  \"more\"\n"
    "    22  \"More\"\n"
    "    23  \"deals\"\n"
    "types (10)\n"
    "     0  int\n"
    "     1  money\n"
    "     2  bool\n"
    "     3  string\n"
    "     4  date\n"
    "     5  interval\n"
    "     6  Tier\n"
    "     7  Opportunity\n"
    "     8  date?\n"
    "     9  list of Opportunity\n"
    "constants (5)\n"
    "     0  money  $50,000\n"
    "     1  date  2019-12-13\n"
    "     2  int  1\n"
    "     3  int  2\n"
    "     4  int  4\n"
    "enums (1)\n"
    "     0  Tier (ordered): Registered, Select\n"
    "        alias Standard = Select\n"
    "records (2)\n"
    "     0  Opportunity\n"
    "          0  amount: money  required\n"
    "          1  launched: date?\n"
    "     1  Partner\n"
    "          0  id: string  required\n"
    "          1  tier: Tier  required\n"
    "          2  opportunities: list of Opportunity\n"
    "schema test/1: root Partner, key id, label -, tag -\n"
    "chunks (7)\n"
    "  chunk 0 'big' (Opportunity) -> bool, 13 bytes, max stack 2\n"
    "    0x0000  LOCAL  0\n"
    "    0x0003  FIELD  0\n"
    "    0x0006  CONST  0  ; $50,000\n"
    "    0x000b  GE\n"
    "    0x000c  RET\n"
    "  chunk 1 'count' () -> int, 29 bytes, max stack 3\n"
    "    0x0000  ROOT\n"
    "    0x0001  FIELD  2\n"
    "    0x0004  FILTER  0  ; chunk 0 'big'\n"
    "    0x0009  COUNT\n"
    "    0x000a  AS_OF\n"
    "    0x000b  CONST  1  ; 2019-12-13\n"
    "    0x0010  LT\n"
    "    0x0011  JUMP_IF_FALSE  6  ; -> 0x001c\n"
    "    0x0016  CONST  2  ; 1\n"
    "    0x001b  ADD\n"
    "    0x001c  RET\n"
    "  chunk 2 'tier' () -> Tier, 5 bytes, max stack 1\n"
    "    0x0000  ROOT\n"
    "    0x0001  FIELD  1\n"
    "    0x0004  RET\n"
    "  chunk 3 'window' () -> interval, let, 5 bytes, max stack 2\n"
    "    0x0000  AS_OF\n"
    "    0x0001  AS_OF\n"
    "    0x0002  INTERVAL  1  ; ( lo, hi ]\n"
    "    0x0004  RET\n"
    "  chunk 4 'due' () -> date, 2 bytes, max stack 1\n"
    "    0x0000  AS_OF\n"
    "    0x0001  RET\n"
    "  chunk 5 'deals' () -> list of Opportunity, 5 bytes, max stack 1\n"
    "    0x0000  ROOT\n"
    "    0x0001  FIELD  2\n"
    "    0x0004  RET\n"
    "  chunk 6 'amount' (Opportunity) -> money, 7 bytes, max stack 1\n"
    "    0x0000  LOCAL  0\n"
    "    0x0003  FIELD  0\n"
    "    0x0006  RET\n"
    "programs (1)\n"
    "program 0 p \"A \\\"Program\\\"\" version 1, tiered\n"
    "  tiers (Tier): Registered Select\n"
    "  current tier: chunk 2 'tier'\n"
    "  rolling window: chunk 3 'window'\n"
    "  renewal window: chunk 3 'window'\n"
    "  review date: chunk 4 'due'\n"
    "  requirements (2)\n"
    "    node 0 big \"Big Deals\" [Experience] measure, count, at least, time-bound\n"
    "        measure: chunk 1 'count'\n"
    "        thresholds: Registered 2; Select 4\n"
    "      node 1 more \"More\" [Experience] measure, count, at least\n"
    "          thresholds: Registered -; Select 1\n"
    "  list deals: chunk 5 'deals'\n"
    "    column amount: chunk 6 'amount'\n";

static void test_golden_listing(void **state)
{
    (void)state;
    bc_module m;
    build_small(&m);
    strbuf out;
    sb_init(&out, test_alloc());
    bc_disasm(&m, &out);
    assert_false(out.failed);
    if (strcmp(out.data, golden) != 0) {
        fputs(out.data, stdout);
        fail_msg("the listing differs from the golden one (printed above)");
    }
    /* deterministic: the same module prints the same way twice */
    strbuf again;
    sb_init(&again, test_alloc());
    bc_disasm(&m, &again);
    assert_string_equal(out.data, again.data);
    sb_free(&again);
    sb_free(&out);
    module_release(&m);
}

/* A damaged module still prints, with its bad parts marked. */
static void test_unverified_module_prints(void **state)
{
    (void)state;
    bc_module m;
    build_small(&m);
    m.chunks[1].code[4] = 0xee;
    m.chunks[0].code[10] = 0x7f; /* CONST 0x7f000000 */
    strbuf out;
    sb_init(&out, test_alloc());
    bc_disasm(&m, &out);
    assert_false(out.failed);
    assert_non_null(strstr(out.data, "0x0004  <bad byte 0xee>"));
    assert_non_null(strstr(out.data, "CONST  2130706432  ; const#2130706432"));
    sb_free(&out);
    module_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_golden_listing),
        cmocka_unit_test(test_unverified_module_prints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
