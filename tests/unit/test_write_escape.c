/*
 * test_write_escape.c — strings from the data are data: control and
 * bidirectional characters are escaped in text output, in the text of
 * `rubric diff` and in diagnostics (write_escaped_text), and csv fields a
 * spreadsheet would run as formulas are made text.  The helper byte for
 * byte; the writers on hand-built reports; then the rubric binary on
 * partners whose id, name and labels carry ESC, BEL, CR, NUL, U+2028 and
 * formulas, its JSON still parsing to the same strings.
 */
#include "test_shell.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_reader.h"
#include "report_fixture.h"
#include "write.h"

/* ------------------------------------------------------------ the helper */

/* s[0..len) escaped, in a buffer to free(). */
static char *escaped(const char *s, size_t len)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_escaped_text(&sb, s, len);
    assert_false(sb.failed);
    char *copy = strndup(sb.data ? sb.data : "", sb.len);
    assert_non_null(copy);
    sb_free(&sb);
    return copy;
}

static void assert_escaped(const char *s, size_t len, const char *want)
{
    char *got = escaped(s, len);
    assert_string_equal(got, want);
    free(got);
}

#define ASSERT_ESCAPED(literal, want) assert_escaped(literal, sizeof literal - 1, want)

static void test_ordinary_text_unchanged(void **state)
{
    (void)state;
    ASSERT_ESCAPED("", "");
    ASSERT_ESCAPED("Web Services Guru (P-000123)", "Web Services Guru (P-000123)");
    ASSERT_ESCAPED("Ünïcode Co \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80",
                   "Ünïcode Co \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80");
    /* U+00A0, U+2027, U+202F and U+206A border the escaped ranges. */
    ASSERT_ESCAPED("\xC2\xA0\xE2\x80\xA7\xE2\x80\xAF\xE2\x81\xAA",
                   "\xC2\xA0\xE2\x80\xA7\xE2\x80\xAF\xE2\x81\xAA");
    /* A backslash that cannot read as an escape stays single. */
    ASSERT_ESCAPED("C:\\data\\files\\", "C:\\data\\files\\");
    ASSERT_ESCAPED("a\\\"b\\ c", "a\\\"b\\ c");
}

static void test_c0_controls_and_del(void **state)
{
    (void)state;
    ASSERT_ESCAPED("\x1b]0;title\x07", "\\x1b]0;title\\x07");
    ASSERT_ESCAPED("\x1b[2J\r\n\t\x7f", "\\x1b[2J\\x0d\\x0a\\x09\\x7f");
    ASSERT_ESCAPED("a\0b\x01\x1f", "a\\x00b\\x01\\x1f");
}

static void test_c1_separators_and_bidi(void **state)
{
    (void)state;
    ASSERT_ESCAPED("\xC2\x80\xC2\x85\xC2\x9B\xC2\x9F", "\\u0080\\u0085\\u009b\\u009f");
    ASSERT_ESCAPED("line\xE2\x80\xA8para\xE2\x80\xA9", "line\\u2028para\\u2029");
    ASSERT_ESCAPED("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD\xE2\x80\xAE",
                   "\\u202a\\u202b\\u202c\\u202d\\u202e");
    ASSERT_ESCAPED("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9",
                   "\\u2066\\u2067\\u2068\\u2069");
    ASSERT_ESCAPED("\xD8\x9C\xE2\x80\x8E\xE2\x80\x8F", "\\u061c\\u200e\\u200f");
}

static void test_backslash_doubled_only_before_an_escape(void **state)
{
    (void)state;
    /* Literal escapes in the data do not read as escapes. */
    ASSERT_ESCAPED("\\x1b \\u2028", "\\\\x1b \\\\u2028");
    ASSERT_ESCAPED("\\\\", "\\\\\\");
    ASSERT_ESCAPED("\\\x1b", "\\\\\\x1b");
    ASSERT_ESCAPED("\\\xE2\x80\xA8", "\\\\\\u2028");
    ASSERT_ESCAPED("\\\xFF", "\\\\\\xff");
}

static void test_invalid_utf8_bytes(void **state)
{
    (void)state;
    ASSERT_ESCAPED("a\xFF" "b", "a\\xffb");
    ASSERT_ESCAPED("\xC0\xAF", "\\xc0\\xaf");                 /* overlong */
    ASSERT_ESCAPED("\xED\xA0\x80", "\\xed\\xa0\\x80");        /* surrogate */
    ASSERT_ESCAPED("\xF4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
    ASSERT_ESCAPED("end\xE2\x80", "end\\xe2\\x80");          /* cut short */
    ASSERT_ESCAPED("\x9B" "31m", "\\x9b31m");                /* a lone C1 byte */
}

/* ------------------------------------------------------------ the writers */

static char *text_of(const partner_report *rep)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_text(rep, NULL, &sb);
    assert_false(sb.failed);
    char *copy = strndup(sb.data, sb.len);
    assert_non_null(copy);
    sb_free(&sb);
    return copy;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected to find\n  %s\nin\n%s", needle, text);
}

static void test_text_escapes_data_strings(void **state)
{
    (void)state;
    static const char label[] = "RDS\x1b[31m\xE2\x80\xA8", counterparty[] = "Ini\rtech\a",
                      id[] = "P-\0\x1b", name[] = "N\x07";
    program_result r = fixture_per_item_result();
    r.items[0].label = value_string(label, sizeof label - 1);
    r.lists[0].rows[0].values[1] = value_string(counterparty, sizeof counterparty - 1);
    partner_report rep = fixture_report("P-1", NULL, &r, 1);
    rep.id = value_string(id, sizeof id - 1);
    rep.name = value_string(name, sizeof name - 1);
    char *text = text_of(&rep);
    /* The underline is as long as the escaped heading. */
    static const char heading[] = "N\\x07 (P-\\x00\\x1b)\n==================\n";
    assert_memory_equal(text, heading, sizeof heading - 1);
    assert_contains(text, "\n  RDS\\x1b[31m\\u2028: not ready\n");
    /* The column is as wide as the escaped cell. */
    assert_contains(text, "\n  Corporate events\n"
                          "    kind      counterparty     date        action\n"
                          "    acquires  Ini\\x0dtech\\x07  2026-04-01  new_application\n"
                          "    divests   Globex \"Ops\"     2026-06-30  none\n");
    free(text);
}

/* The csv rows of the premier fixture with the fee renamed. */
static char *csv_with_fee_named(const char *name)
{
    fixture_rename_node(N_FEE, name);
    program_result r = fixture_premier_result();
    partner_report rep = fixture_report("P-1", NULL, &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_csv_requirements(&rep, &sb);
    assert_false(sb.failed);
    char *copy = strndup(sb.data, sb.len);
    assert_non_null(copy);
    sb_free(&sb);
    return copy;
}

static void assert_fee_cell(const char *name, const char *cell)
{
    char want[256];
    snprintf(want, sizeof want, ",program_fee,,%s,Fee,false,met,2500,2500,usd\n", cell);
    char *csv = csv_with_fee_named(name);
    assert_contains(csv, want);
    free(csv);
}

static void test_csv_formulas_made_text(void **state)
{
    (void)state;
    assert_fee_cell("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    assert_fee_cell("+1", "'+1");
    assert_fee_cell("@SUM(A1)", "'@SUM(A1)");
    assert_fee_cell("\tx", "'\tx");
    assert_fee_cell("\r=1", "\"'\r=1\"");
    assert_fee_cell("=SUM(A1,B1)", "\"'=SUM(A1,B1)\"");
    /* Not at the start: nothing to neutralize. */
    assert_fee_cell("Fee = 1 + 2", "Fee = 1 + 2");
}

static void test_csv_numbers_stay_numbers(void **state)
{
    (void)state;
    /* A number as the writers print one: -?digits(.digits)? */
    assert_fee_cell("-2", "-2");
    assert_fee_cell("-5", "-5");
    assert_fee_cell("-12.50", "-12.50");
    assert_fee_cell("-0.05", "-0.05");
    /* Anything else starting with a minus is not one. */
    assert_fee_cell("-", "'-");
    assert_fee_cell("--5", "'--5");
    assert_fee_cell("-.5", "'-.5");
    assert_fee_cell("-5.", "'-5.");
    assert_fee_cell("-1e5", "'-1e5");
    assert_fee_cell("-5-1", "'-5-1");
    assert_fee_cell("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0");
    /* Negative actual and required values are written as numbers. */
    fixture_rename_node(N_FEE, "Annual APN Program Fee");
    program_result r = fixture_premier_result();
    r.tiers[0].reqs.items[0].actual = value_money(-1250);
    r.tiers[0].reqs.items[0].required = value_int(-5);
    partner_report rep = fixture_report("-7", "-12.50", &r, 1);
    strbuf sb;
    sb_init(&sb, test_alloc());
    write_report_csv_requirements(&rep, &sb);
    assert_contains(sb.data, "-7,-12.50,apn-2019-consulting,2026-11-22,Select,,program_fee,,"
                             "Annual APN Program Fee,Fee,false,met,-12.5,-5,usd\n");
    sb_free(&sb);
}

/* ------------------------------------------------------------ the command */

static char dir[256];

/* A private temporary directory for the whole group (test_temp_dir). */
static int setup(void **state)
{
    (void)state;
    char *made = test_temp_dir();
    snprintf(dir, sizeof dir, "%s", made);
    free(made);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_remove_dir(dir);
    return 0;
}

/* Replace every `from` in text (a malloc'd string) by `to`. */
static char *replace_all(char *text, const char *from, const char *to)
{
    size_t nfrom = strlen(from), nto = strlen(to), count = 0;
    for (const char *p = text; (p = strstr(p, from)); p += nfrom)
        count++;
    char *out = malloc(strlen(text) + count * nto + 1);
    assert_non_null(out);
    char *o = out;
    for (const char *p = text, *at;; p = at + nfrom) {
        at = strstr(p, from);
        size_t keep = at ? (size_t)(at - p) : strlen(p);
        memcpy(o, p, keep);
        o += keep;
        if (!at)
            break;
        memcpy(o, to, nto);
        o += nto;
    }
    *o = '\0';
    free(text);
    return out;
}

/* A copy of `from` (below the source tree) with replacements[i][0] replaced
 * by replacements[i][1] everywhere, as dir/name; returns the path. */
static const char *write_edited(const char *from, const char *const replacements[][2],
                                size_t n, const char *name)
{
    static char path[512];
    char *text = test_read_file(test_path(from), NULL);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text = replace_all(text, replacements[i][0], replacements[i][1]);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    free(text);
    return path;
}

#define SD_PARTNER "examples/partners/service_delivery.json"

/* JSON escapes, as the partner file spells them. */
#define ID_JSON "P-\\u001b]0;pwn\\u0007-\\r-\\u0000-\\u2028"
#define NAME_JSON "Evil\\u001b[2J Co\\u0007\\u009b\\u202e"
#define COUNTERPARTY_JSON "Ini\\u001b[31mtech\\u2029 C:\\\\x"

/* The service delivery partner with control characters in its id, its
 * name and a counterparty. */
static const char *write_control_partner(void)
{
    const char *const edits[][2] = {
        {"\"P-SD-0001\"", "\"" ID_JSON "\""},
        {"\"Cumulus Database Services\"", "\"" NAME_JSON "\""},
        {"\"Stratus Analytics\"", "\"" COUNTERPARTY_JSON "\""},
    };
    return write_edited(SD_PARTNER, edits, 3, "controls.json");
}

/* Where the first byte a terminal would act on is, or -1: C0 controls but
 * the line feed, DEL, C1, U+2028/U+2029 and the bidirectional controls. */
static long raw_control_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i]; i++) {
        if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7F)
            return (long)i;
        if (u[i] == 0xC2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F)
            return (long)i;
        if (u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] >= 0xA8 && u[i + 2] <= 0xAE)
            return (long)i;
        if (u[i] == 0xE2 && u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9)
            return (long)i;
    }
    return -1;
}

static void test_cli_text_escapes_id_name_and_lists(void **state)
{
    (void)state;
    char args[1024], *out, *err;
    snprintf(args, sizeof args, "eval --as-of 2026-11-22 -f text '%s'", write_control_partner());
    assert_int_equal(test_run(args, NULL, &out, &err), 0);
    static const char heading[] =
        "Evil\\x1b[2J Co\\x07\\u009b\\u202e (P-\\x1b]0;pwn\\x07-\\x0d-\\x00-\\u2028)\n";
    size_t width = sizeof heading - 2;
    assert_memory_equal(out, heading, width + 1);
    /* Underlined as wide as the escaped heading. */
    for (size_t i = 0; i < width; i++)
        assert_int_equal(out[width + 1 + i], '=');
    assert_int_equal(out[2 * width + 1], '\n');
    assert_contains(out, "\n  Corporate events\n"
                         "    kind      counterparty                 date        action\n"
                         "    acquires  Ini\\x1b[31mtech\\u2029 C:\\\\x  2026-04-01  none\n"
                         "    divests   Cirrus Hosting               2026-08-15  disclose\n");
    assert_int_equal(raw_control_at(out), -1);
    assert_string_equal(err, "");
    free(out);
    free(err);
}

/* The first string value of `key` in one JSON document (unescaped), as a
 * malloc'd copy with its length; the whole document must parse. */
static char *json_member(const char *json, size_t len, const char *key, size_t *value_len)
{
    char *buf = calloc(len + JSON_PADDING, 1);
    assert_non_null(buf);
    memcpy(buf, json, len);
    json_reader *r = json_reader_new(test_alloc(), 64);
    assert_non_null(r);
    assert_true(json_begin(r, buf, len));
    char *found = NULL;
    bool want_value = false;
    json_text t;
    json_token tok;
    while ((tok = json_next(r, &t)) != JT_END) {
        if (tok == JT_ERROR)
            fail_msg("invalid JSON: %s", json_error_message(r));
        if (want_value && tok == JT_STRING && !found) {
            found = malloc(t.len + 1);
            assert_non_null(found);
            memcpy(found, t.ptr, t.len);
            *value_len = t.len;
        }
        want_value = tok == JT_KEY && t.len == strlen(key) && memcmp(t.ptr, key, t.len) == 0;
    }
    json_reader_free(r);
    free(buf);
    assert_non_null(found);
    return found;
}

static void test_cli_json_unchanged(void **state)
{
    (void)state;
    char args[1024], *out;
    snprintf(args, sizeof args, "eval --as-of 2026-11-22 -f jsonl '%s'", write_control_partner());
    assert_int_equal(test_run(args, NULL, &out, NULL), 0);
    static const char partner[] =
        "{\"partner\":{\"id\":\"P-\\u001b]0;pwn\\u0007-\\u000d-\\u0000-\xE2\x80\xA8\","
        "\"name\":\"Evil\\u001b[2J Co\\u0007\xC2\x9B\xE2\x80\xAE\"}";
    static const char raw_id[] = "P-\x1b]0;pwn\x07-\r-\0-\xE2\x80\xA8";
    assert_memory_equal(out, partner, sizeof partner - 1);
    int lines = 0;
    for (const char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        size_t len;
        char *id = json_member(line, (size_t)(nl - line), "id", &len);
        assert_int_equal(len, sizeof raw_id - 1);
        assert_memory_equal(id, raw_id, sizeof raw_id - 1);
        free(id);
    }
    assert_true(lines >= 2);
    free(out);
}

static void test_cli_csv_formulas(void **state)
{
    (void)state;
    static const char *const ids[] = {"=HYPERLINK(\\\"http://x\\\")", "+1", "-2", "@SUM(A1)",
                                      "\\tx", "-5"};
    static const char *const names[] = {"+1", "-2", "@SUM(A1)", "\\tx",
                                        "=HYPERLINK(\\\"http://x\\\")", "-12.50"};
    static const char *const rows[] = {
        "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,", "'+1,-2,", "-2,'@SUM(A1),",
        "'@SUM(A1),'\tx,", "'\tx,\"'=HYPERLINK(\"\"http://x\"\")\",", "-5,-12.50,"};
    char path[512];
    snprintf(path, sizeof path, "%s/formulas.jsonl", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    char *partner = test_read_file(test_path(SD_PARTNER), NULL);
    assert_non_null(partner);
    partner = replace_all(partner, "\n", " ");
    for (int i = 0; i < 6; i++) {
        char id[128], name[128];
        snprintf(id, sizeof id, "\"%s\"", ids[i]);
        snprintf(name, sizeof name, "\"%s\"", names[i]);
        char *line = replace_all(strdup(partner), "\"P-SD-0001\"", id);
        line = replace_all(line, "\"Cumulus Database Services\"", name);
        fprintf(f, "%s\n", line);
        free(line);
    }
    free(partner);
    assert_int_equal(fclose(f), 0);
    char args[1024], *out, *err;
    snprintf(args, sizeof args,
             "eval --as-of 2026-11-22 -f csv-requirements -j 1 -p apn-2019-consulting '%s'",
             path);
    assert_int_equal(test_run(args, NULL, &out, &err), 0);
    assert_string_equal(err, "");
    for (int i = 0; i < 6; i++) {
        char want[256];
        snprintf(want, sizeof want, "\n%sapn-2019-consulting,2026-11-22,Select,,program_fee,,"
                 "Annual APN Program Fee,Fee,false,met,2500,2500,usd\n", rows[i]);
        assert_contains(out, want);
    }
    free(out);
    free(err);
    /* The same cells in the row per partner and program. */
    snprintf(args, sizeof args, "eval --as-of 2026-11-22 -f csv -j 1 -p apn-2019-consulting "
             "'%s'", path);
    assert_int_equal(test_run(args, NULL, &out, &err), 0);
    assert_string_equal(err, "");
    for (int i = 0; i < 6; i++) {
        char want[256];
        snprintf(want, sizeof want, "\n%sconsulting,apn-2019-consulting,2026-11-22,", rows[i]);
        assert_contains(out, want);
    }
    free(out);
    free(err);
}

static void test_cli_duplicate_id_diagnostic(void **state)
{
    (void)state;
    char *partner = test_read_file(test_path(SD_PARTNER), NULL);
    assert_non_null(partner);
    partner = replace_all(partner, "\n", " ");
    partner = replace_all(partner, "\"P-SD-0001\"", "\"P-\\u001b]0;pwn\\u0007-\\r-\\u2028\"");
    char path[512];
    snprintf(path, sizeof path, "%s/twice.jsonl", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "%s\n%s\n", partner, partner);
    assert_int_equal(fclose(f), 0);
    free(partner);
    char args[1024], *err;
    snprintf(args, sizeof args, "eval --as-of 2026-11-22 -f jsonl -j 1 -q '%s'", path);
    assert_int_equal(test_run(args, NULL, NULL, &err), 1);
    char want[2048];
    snprintf(want, sizeof want,
             "%s:2: error: duplicate partner id \"P-\\x1b]0;pwn\\x07-\\x0d-\\u2028\" (first "
             "seen at %s:1); this record is skipped\n", path, path);
    assert_string_equal(err, want);
    free(err);
}

static void test_cli_item_error_diagnostic(void **state)
{
    (void)state;
    const char *const edits[][2] = {
        {"\"designation\": \"Amazon RDS\"", "\"designation\": \"RDS\\u001b[31m\\r\\u2028\""},
    };
    const char *path = write_edited(SD_PARTNER, edits, 1, "item_error.json");
    char args[1024], *err;
    snprintf(args, sizeof args, "eval --as-of 2026-11-22 -f jsonl '%s'", path);
    assert_int_equal(test_run(args, NULL, NULL, &err), 1);
    char want[2048];
    snprintf(want, sizeof want,
             "%s:1: error: service-delivery: applications[0]: no validation checklist for "
             "designation \"RDS\\x1b[31m\\x0d\\u2028\"\n", path);
    assert_string_equal(err, want);
    free(err);
}

/* The loader quotes a bad value as a JSON string; its escapes are text
 * that the diagnostic then shows with the backslash doubled. */
static void test_cli_loader_diagnostic_quoting(void **state)
{
    (void)state;
    const char *const edits[][2] = {{"\"2026-12-15\"", "\"2026\\u001b\""}};
    const char *path = write_edited("examples/partners/select.json", edits, 1, "date.json");
    char args[1024], *err;
    snprintf(args, sizeof args, "eval --as-of 2026-11-22 -f jsonl '%s'", path);
    assert_int_equal(test_run(args, NULL, NULL, &err), 1);
    char want[2048];
    snprintf(want, sizeof want,
             "%s:7:19: error: $.renewal_date: invalid date \"2026\\\\u001b\": expected a "
             "date YYYY-MM-DD\n", path);
    assert_string_equal(err, want);
    free(err);
}

/* rubric diff between two copies of the service delivery program whose
 * checklist names "Amazon\tRDS", the new one asking for a third case
 * study, on the partner with control characters and that designation. */
static void test_cli_diff_text_escapes_id_and_label(void **state)
{
    (void)state;
    const char *const tab[][2] = {{"\"Amazon RDS\"", "\"Amazon\\tRDS\""}};
    char old_rules[512], new_rules[512], data[512];
    const char *rules = "stdlib-rules/apn/service_delivery.rubric";
    snprintf(old_rules, sizeof old_rules, "%s", write_edited(rules, tab, 1, "old.rubric"));
    const char *const stricter[][2] = {{"\"Amazon RDS\"", "\"Amazon\\tRDS\""},
                                       {"submitted))   at least 2\n",
                                        "submitted))   at least 3\n"}};
    snprintf(new_rules, sizeof new_rules, "%s", write_edited(rules, stricter, 2, "new.rubric"));
    const char *const partner[][2] = {{"\"P-SD-0001\"", "\"" ID_JSON "\""},
                                      {"\"Amazon RDS\"", "\"Amazon\\tRDS\""}};
    snprintf(data, sizeof data, "%s", write_edited(SD_PARTNER, partner, 2, "diff.json"));
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "diff --old '%s' --new '%s' -f text --as-of 2026-11-22 '%s'",
             old_rules, new_rules, data);
    assert_int_equal(test_run(args, NULL, &out, &err), 0);
    assert_string_equal(out, "service-delivery: items, old (rows) -> new (columns)\n"
                             "  old \\ new  ready  not_ready\n"
                             "  ready          0          1\n"
                             "  not_ready      0          1\n"
                             "\n"
                             "P-\\x1b]0;pwn\\x07-\\x0d-\\x00-\\u2028 service-delivery: "
                             "Amazon\\x09RDS ready -> not_ready; Amazon\\x09RDS case_studies "
                             "met -> not_met (2 of 2 -> 2 of 3); Amazon EC2 case_studies "
                             "not_met (1 of 2 -> 1 of 3)\n"
                             "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0)\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
    /* JSON keeps its own escapes. */
    snprintf(args, sizeof args, "diff --old '%s' --new '%s' -f jsonl --as-of 2026-11-22 '%s'",
             old_rules, new_rules, data);
    assert_int_equal(test_run(args, NULL, &out, NULL), 0);
    assert_contains(out, "{\"partner\":{\"id\":\"P-\\u001b]0;pwn\\u0007-\\u000d-\\u0000-"
                         "\xE2\x80\xA8\",");
    assert_contains(out, "\"scope\":\"Amazon\\u0009RDS\"");
    free(out);
}

int main(void)
{
    const struct CMUnitTest helper[] = {
        cmocka_unit_test(test_ordinary_text_unchanged),
        cmocka_unit_test(test_c0_controls_and_del),
        cmocka_unit_test(test_c1_separators_and_bidi),
        cmocka_unit_test(test_backslash_doubled_only_before_an_escape),
        cmocka_unit_test(test_invalid_utf8_bytes),
    };
    const struct CMUnitTest writers[] = {
        cmocka_unit_test_setup_teardown(test_text_escapes_data_strings, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_csv_formulas_made_text, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_csv_numbers_stay_numbers, fixture_setup,
                                        fixture_teardown),
    };
    const struct CMUnitTest command[] = {
        cmocka_unit_test(test_cli_text_escapes_id_name_and_lists),
        cmocka_unit_test(test_cli_json_unchanged),
        cmocka_unit_test(test_cli_csv_formulas),
        cmocka_unit_test(test_cli_duplicate_id_diagnostic),
        cmocka_unit_test(test_cli_item_error_diagnostic),
        cmocka_unit_test(test_cli_loader_diagnostic_quoting),
        cmocka_unit_test(test_cli_diff_text_escapes_id_and_label),
    };
    int failed = cmocka_run_group_tests_name("helper", helper, NULL, NULL);
    failed += cmocka_run_group_tests_name("writers", writers, NULL, NULL);
    failed += cmocka_run_group_tests_name("command", command, setup, teardown);
    return failed;
}
