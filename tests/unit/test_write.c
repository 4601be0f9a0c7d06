/* test_write.c — the result writers: json, jsonl, text and csv of reports
 * built by hand, compared with golden files (UPDATE_GOLDEN=1 rewrites
 * them), JSON checked to parse with its keys in the order of the spec. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"
#include "report_fixture.h"
#include "write.h"

/* ------------------------------------------------------------ checks */

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
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P-000123", "Web Services Guru", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_result_json(&rep, 0, true, 0, &sb);
    sb_putc(&sb, '\n');
    fixture_check_golden("tiered.json", &sb);
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
    program_result r = fixture_premier_result();
    partner_report rep = fixture_report("P-2", NULL, &r, 1);
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
    program_result rs[3] = {fixture_select_result(), fixture_per_item_result(),
                            fixture_premier_result()};
    partner_report rep = fixture_report("P-000123", "Web Services Guru", rs, 3);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_jsonl(&rep, &sb);
    fixture_check_golden("report.jsonl", &sb);
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
    program_result r = fixture_per_item_result();
    partner_report rep = fixture_report("P-9", "Initrode", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_result_json(&rep, 0, true, 0, &sb);
    sb_putc(&sb, '\n');
    fixture_check_golden("per_item.json", &sb);
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
    partner_report rep = fixture_report("P-0", NULL, NULL, 0);
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
                        value_money(-5), value_date(fixture_date("2026-11-22")),
                        value_month(2026 * 12), value_enum(2), value_enum(7),
                        fixture_text("x\"y")};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        write_json_value(fixture_module(), vs[i], 0, &sb);
        sb_putc(&sb, ' ');
    }
    assert_string_equal(sb.data, "null true -20 10498.56 10000 1500.5 -0.05 \"2026-11-22\" "
                                 "\"2026-01\" \"Advanced\" 7 \"x\\\"y\" ");
    sb_clear(&sb);
    write_json_value(fixture_module(), value_enum(1), BC_NONE, &sb);
    assert_string_equal(sb.data, "1");
    sb_clear(&sb);
    write_json_value(fixture_module(), value_interval(fixture_date("2025-11-22"), fixture_date("2026-11-22")), BC_NONE,
                     &sb);
    assert_string_equal(sb.data, "[\"2025-11-22\",\"2026-11-22\"]");
    sb_free(&sb);
}

/* ------------------------------------------------------------ text */

static void test_text_scorecard(void **state)
{
    (void)state;
    program_result rs[2] = {fixture_select_result(), fixture_per_item_result()};
    partner_report rep = fixture_report("P-000123", "Web Services Guru", rs, 2);
    text_options opts = {false, 0};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    fixture_check_golden("scorecard.txt", &sb);
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
    program_result r = fixture_premier_result();
    partner_report rep = fixture_report("P-2", NULL, &r, 1);
    text_options opts = {false, 60};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    fixture_check_golden("top_tier_60.txt", &sb);
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
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P-000123", "Web Services Guru", &r, 1);
    text_options opts = {false, 70};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, &opts, &sb);
    fixture_check_golden("scorecard_70.txt", &sb);
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
    program_result r = fixture_select_result();
    r.current_tier = ADVANCED;
    r.eligible = 0;
    r.renewal_tier = 1;
    r.renewal_status = RUBRIC_NOT_MET;
    r.renewal = r.tiers[1].reqs;
    r.upgrade_tier = 2;
    r.upgrade = r.tiers[2].reqs;
    partner_report rep = fixture_report("P-3", "Advanced Co", &r, 1);
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
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P-000123", "Web Services Guru", &r, 1);
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
    partner_report rep = fixture_report("P-0", NULL, NULL, 0);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(&rep, NULL, &sb);
    assert_string_equal(sb.data, "P-0\n===\nNo program applies to this partner.\n\n");
    sb_clear(&sb);
    /* A name longer than its column is cut with an ellipsis. */
    fixture_rename_node(N_FEE, "An Extraordinarily Long Requirement Name Für Testing "
                                      "Truncation Of Names");
    program_result r = fixture_premier_result();
    rep = fixture_report("P-2", "Ünïcode Co", &r, 1);
    text_options narrow = {false, 60};
    write_report_text(&rep, &narrow, &sb);
    assert_non_null(strstr(sb.data, "Ünïcode Co (P-2)\n================\n"));
    assert_non_null(strstr(sb.data, "\n    An Extraordinarily Long Requirement\xE2\x80\xA6  \xE2\x9C\x93 $2,500 of $2,500\n"));
    sb_free(&sb);
}

/* ------------------------------------------------------------ csv */

/* One row per partner x program: the tiers, the renewal and the upgrade,
 * the gaps counted in the renewal and upgrade views (or the items). */
static void test_csv_partner_rows(void **state)
{
    (void)state;
    program_result rs[3] = {fixture_select_result(), fixture_per_item_result(),
                            fixture_premier_result()};
    partner_report rep = fixture_report("P-000123", "Web Services Guru", rs, 3);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_csv_header(&sb);
    write_report_csv(&rep, &sb);
    fixture_check_golden("report.csv", &sb);
    assert_string_equal(sb.data,
        "partner_id,partner_name,path,program,as_of,current_tier,eligible_tier,renewal_tier,"
        "renewal_status,review_date,upgrade_tier,upgrade_status,gaps,error\n"
        "P-000123,Web Services Guru,,apn-2019-consulting,2026-11-22,Select,Select,Select,"
        "at_risk,2026-12-15,Advanced,not_eligible,8,\n"
        "P-000123,Web Services Guru,,service-delivery,2026-11-22,,,,,,,,2,\n"
        "P-000123,Web Services Guru,,apn-2019-consulting,2026-11-22,Premier,Premier,Premier,"
        "met,2027-03-01,,,0,\n");
    sb_free(&sb);
}

static void test_csv_rows(void **state)
{
    (void)state;
    program_result rs[3] = {fixture_select_result(), fixture_per_item_result(),
                            fixture_premier_result()};
    partner_report rep = fixture_report("P-000123", "Web Services Guru", rs, 3);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_csv_requirements_header(&sb);
    write_report_csv_requirements(&rep, &sb);
    fixture_check_golden("report_requirements.csv", &sb);
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
    fixture_rename_node(N_FEE, "Fee, \"annual\"\nsecond line");
    program_result r = fixture_premier_result();
    partner_report rep = fixture_report("P,1", "Quote \"Q\" Inc", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_csv_requirements(&rep, &sb);
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
    program_result rs[2] = {fixture_select_result(), fixture_per_item_result()};
    partner_report rep = fixture_report("P-000123", "Web Services Guru", rs, 2);
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
        cmocka_unit_test_setup_teardown(test_json_tiered_pretty, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_json_indent_for_arrays, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_one_compact_line_per_result, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_json_per_item_and_report_list, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_json_no_results_writes_nothing, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_json_string_escaping, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_json_values, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_scorecard, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_top_tier_and_narrow, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_wraps_to_width, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_months_and_not_applicable, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_color, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_text_no_program_and_long_name, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_csv_partner_rows, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_csv_rows, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_csv_quoting, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory_is_sticky, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
