/* test_write_html.c — the html writer: a tiered, a top-tier and a per-item
 * report compared with golden files (UPDATE_GOLDEN=1 rewrites them), tags
 * balanced, strings escaped, progress bars clamped, the table of contents. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_check.h"
#include "report_fixture.h"
#include "write.h"

/* ------------------------------------------------------------ checks */

static void assert_contains(const strbuf *sb, const char *needle)
{
    assert_false(sb->failed);
    if (!strstr(sb->data, needle))
        fail_msg("missing: %s", needle);
}

static void assert_lacks(const strbuf *sb, const char *needle)
{
    if (strstr(sb->data, needle))
        fail_msg("unexpected: %s", needle);
}

/* A whole page with one partner. */
static void write_page(const partner_report *rep, strbuf *sb)
{
    strbuf toc;
    sb_init(&toc, test_alloc());
    write_html_toc_entry(rep, 1, &toc);
    assert_false(toc.failed);
    write_html_head(sb);
    write_report_html(rep, sb);
    write_html_tail(toc.data, toc.len, 0, sb);
    sb_free(&toc);
}

/* ------------------------------------------------------------ goldens */

static void test_tiered_page(void **state)
{
    (void)state;
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P-000123", "Web Services Guru", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_page(&rep, &sb);
    fixture_check_golden("tiered.html", &sb);
    assert_tags_balance(sb.data);
    assert_int_equal(strncmp(sb.data, "<!DOCTYPE html>\n", 16), 0);
    assert_self_contained(sb.data);
    assert_contains(&sb, "<th scope=\"col\">Renewal: Select</th>"
                         "<th scope=\"col\">Upgrade: Advanced</th>");
    assert_contains(&sb, "<dt>Renewal</dt><dd>Select, review 2026-12-15: "
                         "<span class=\"st at-risk\">~ at risk</span></dd>");
    /* 5 of 20 launched opportunities: a quarter of the bar. */
    assert_contains(&sb, "<td class=\"not-met\"><span class=\"mark\" title=\"not met\">"
                         "\xE2\x9C\x97</span> 5 of 20<span class=\"bar\" title=\"25%\">"
                         "<span style=\"width:25%\"></span></span></td>");
    assert_contains(&sb, "<h4>To keep Select (review 2026-12-15)</h4>");
    assert_contains(&sb, "<li class=\"grace\">needs $2,500 more annual APN program fee "
                         "[in grace period]</li>");
    assert_contains(&sb, "<h4>To reach Advanced</h4>");
    assert_contains(&sb, "<li class=\"not-met\">needs 3 more business (AWS accredited "
                         "professionals)</li>");
    assert_contains(&sb, "<li class=\"not-met\">needs one of: direct revenue or launched "
                         "opportunities</li>");
    assert_contains(&sb, "<li><a href=\"#p-P-000123\">Web Services Guru <span class=\"pid\">"
                         "P-000123</span></a> <span class=\"tag\">apn-2019-consulting: "
                         "Select</span></li>");
    sb_free(&sb);
}

static void test_top_tier_section(void **state)
{
    (void)state;
    program_result r = fixture_premier_result();
    partner_report rep = fixture_report("P-7", "Cirrus", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_html(&rep, &sb);
    fixture_check_golden("top_tier.html", &sb);
    assert_tags_balance(sb.data);
    assert_contains(&sb, "<dt>Upgrade</dt><dd>none (top tier)</dd>");
    assert_lacks(&sb, "Upgrade: ");
    assert_lacks(&sb, "To reach");
    assert_contains(&sb, "<div class=\"gaps none\">\n<h4>To keep Premier (review 2027-03-01)"
                         "</h4>\n<p>Nothing missing</p>");
    /* Not applicable: a dash and no bar. */
    assert_contains(&sb, "<td class=\"na\"><span class=\"mark\" title=\"not applicable\">"
                         "\xE2\x80\x93</span> n/a</td>");
    sb_free(&sb);
}

static void test_per_item_section(void **state)
{
    (void)state;
    program_result r = fixture_per_item_result();
    partner_report rep = fixture_report("P-9", "Initrode", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_html(&rep, &sb);
    fixture_check_golden("per_item.html", &sb);
    assert_tags_balance(sb.data);
    assert_contains(&sb, "<h4>Amazon RDS: <span class=\"st not-met\">\xE2\x9C\x97 not ready"
                         "</span></h4>");
    assert_contains(&sb, "<h4>Amazon EKS: <span class=\"st met\">\xE2\x9C\x93 ready</span>"
                         "</h4>");
    assert_contains(&sb, "<th scope=\"col\">Status</th>");
    assert_contains(&sb, "<h4>To be ready</h4>");
    assert_contains(&sb, "<li class=\"at-risk\">needs remediation of action items "
                         "[at risk]</li>");
    assert_contains(&sb, "<h4>Corporate events</h4>");
    assert_contains(&sb, "<tr><td>divests</td><td>Globex &quot;Ops&quot;</td>"
                         "<td>2026-06-30</td><td>none</td></tr>");
    /* A ready item has no gaps box. */
    const char *eks = strstr(sb.data, "Amazon EKS");
    assert_non_null(eks);
    assert_null(strstr(eks, "To be ready"));
    sb_free(&sb);
}

/* ------------------------------------------------------------ details */

static void test_escaping(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    const char raw[] = "a&b<c>\"d'e\x01\tf";
    write_html_escaped(&sb, raw, sizeof raw - 1);
    assert_string_equal(sb.data, "a&amp;b&lt;c&gt;&quot;d&#39;e&#xFFFD;\tf");
    sb_free(&sb);
}

static void test_names_escaped_and_anchor_encoded(void **state)
{
    (void)state;
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P 1/\"x\"", "<b>Smith & Sons</b> 'Ltd'", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_page(&rep, &sb);
    assert_tags_balance(sb.data);
    assert_contains(&sb, "<h2>&lt;b&gt;Smith &amp; Sons&lt;/b&gt; &#39;Ltd&#39; "
                         "<span class=\"pid\">P 1/&quot;x&quot;</span></h2>");
    assert_contains(&sb, "<section class=\"partner\" id=\"p-P_201_2F_22x_22\">");
    assert_contains(&sb, "<a href=\"#p-P_201_2F_22x_22\">");
    assert_lacks(&sb, "<b>");
    sb_free(&sb);
}

static req_result measure(uint32_t node, uint8_t status, value actual, value required)
{
    return fixture_req(node, status, false, actual, required);
}

static void test_percent_clamped(void **state)
{
    (void)state;
    const bc_program *p = &fixture_module()->programs[0];
    req_result q = measure(N_LAUNCHED, RUBRIC_NOT_MET, value_int(5), value_int(20));
    assert_int_equal(write_html_percent(p, &q), 25);
    q = measure(N_LAUNCHED, RUBRIC_MET, value_int(50), value_int(20));
    assert_int_equal(write_html_percent(p, &q), 100);
    q = measure(N_LAUNCHED, RUBRIC_NOT_MET, value_int(-3), value_int(20));
    assert_int_equal(write_html_percent(p, &q), 0);
    q = measure(N_LAUNCHED, RUBRIC_MET, value_int(0), value_int(0));
    assert_int_equal(write_html_percent(p, &q), 100);
    q = measure(N_FEE, RUBRIC_NOT_MET, value_money(INT64_MAX / 2), value_money(INT64_MAX));
    assert_int_equal(write_html_percent(p, &q), 50);
    q = measure(N_FEE, RUBRIC_NOT_MET, value_money(104985), value_money(1000000));
    assert_int_equal(write_html_percent(p, &q), 10);
    /* No bar: not applicable, yes-or-no, choice. */
    q = measure(N_LAUNCHED, RUBRIC_NOT_APPLICABLE, value_null(), value_int(20));
    assert_int_equal(write_html_percent(p, &q), -1);
    q = measure(N_PLAN, RUBRIC_NOT_MET, value_bool(false), value_bool(true));
    assert_int_equal(write_html_percent(p, &q), -1);
    q = measure(N_EXPERIENCE, RUBRIC_NOT_MET, value_null(), value_null());
    assert_int_equal(write_html_percent(p, &q), -1);
}

static void test_no_program_and_many_reports(void **state)
{
    (void)state;
    program_result r[2] = {fixture_select_result(), fixture_per_item_result()};
    partner_report reps[2] = {fixture_report("P-1", NULL, NULL, 0),
                              fixture_report("P-1", NULL, &r[0], 1)};
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_html_partner(reps, 1, &sb);
    assert_string_equal(sb.data, "<section class=\"partner\" id=\"p-P-1\">\n<h2>P-1</h2>\n"
                                 "<p>No program applies to this partner.</p>\n</section>\n");
    /* Two units' reports of one partner: one section, one heading. */
    sb_clear(&sb);
    reps[0] = fixture_report("P-1", NULL, &r[1], 1);
    write_html_partner(reps, 2, &sb);
    assert_tags_balance(sb.data);
    assert_non_null(strstr(sb.data, "AWS Service Delivery Program"));
    assert_non_null(strstr(sb.data, "APN Consulting Partners (2019)"));
    assert_null(strstr(strstr(sb.data, "<h2>") + 1, "<h2>"));
    assert_lacks(&sb, "No program applies");
    sb_free(&sb);
}

static void test_table_of_contents(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_html_tail(NULL, 0, 0, &sb);
    assert_string_equal(sb.data, "</main>\n</body>\n</html>\n");
    sb_clear(&sb);
    program_result r = fixture_per_item_result();
    partner_report rep = fixture_report("P-9", "Initrode", &r, 1);
    strbuf toc;
    sb_init(&toc, test_alloc());
    write_html_toc_entry(&rep, 1, &toc);
    assert_string_equal(toc.data, "<li><a href=\"#p-P-9\">Initrode <span class=\"pid\">P-9"
                                  "</span></a> <span class=\"tag\">service-delivery: 1 of 2 "
                                  "ready</span></li>\n");
    write_html_tail(toc.data, toc.len, 3, &sb);
    assert_contains(&sb, "<nav class=\"toc\" aria-label=\"Partners\">\n<h2>Partners</h2>\n"
                         "<ol>\n<li>");
    assert_contains(&sb, "</ol>\n<p>and 3 more</p>\n</nav>\n</body>\n</html>\n");
    sb_free(&toc);
    sb_free(&sb);
}

static void test_deterministic(void **state)
{
    (void)state;
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P-000123", "Web Services Guru", &r, 1);
    strbuf a, b;
    sb_init(&a, test_alloc());
    sb_init(&b, test_alloc());
    write_page(&rep, &a);
    write_page(&rep, &b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    sb_free(&a);
    sb_free(&b);
}

static void *failing_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    (void)user_data;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return new_size > 64 ? NULL : realloc(ptr, new_size);
}

static void test_out_of_memory_is_sticky(void **state)
{
    (void)state;
    rubric_allocator tiny = {failing_realloc, NULL};
    program_result r = fixture_select_result();
    partner_report rep = fixture_report("P-000123", "Web Services Guru", &r, 1);
    strbuf sb;
    sb_init(&sb, &tiny);
    write_html_head(&sb);
    write_report_html(&rep, &sb);
    write_html_toc_entry(&rep, 1, &sb);
    write_html_tail(NULL, 0, 0, &sb);
    assert_true(sb.failed);
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiered_page),
        cmocka_unit_test(test_top_tier_section),
        cmocka_unit_test(test_per_item_section),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_names_escaped_and_anchor_encoded),
        cmocka_unit_test(test_percent_clamped),
        cmocka_unit_test(test_no_program_and_many_reports),
        cmocka_unit_test(test_table_of_contents),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_out_of_memory_is_sticky),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
