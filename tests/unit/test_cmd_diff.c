/*
 * test_cmd_diff.c — `rubric diff` end to end: a rule set changed by one
 * threshold against the example partners (exact text and JSON output, the
 * summary, both directions of a tier change), no change, programs added
 * and removed, per-item programs, --fail-on-change, -o, usage errors, bad
 * rules and bad data.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PARTNERS " --as-of 2026-11-22 examples/partners/*.json"
#define CLOUD "examples/rules/cloud_security.rubric"
#define SUMMARY_NONE "6 partners evaluated, 0 changed: 0 eligible tiers changed (up 0, down 0)\n"

static char dir[256];
static char lowered[512];   /* cloud security, the Select security specialists 1 -> 0 */
static char sd_stricter[512]; /* service delivery, case studies 2 -> 3 */

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected to find\n  %s\nin\n%s", needle, text);
}

/* Write a copy of the file `from` (below the source tree) with `old`
 * replaced by `new_text` once, to `path`. */
static void write_replaced(const char *from, const char *old, const char *new_text,
                           char *path, size_t size, const char *name)
{
    size_t len;
    char *text = test_read_file(test_path(from), &len);
    assert_non_null(text);
    char *at = strstr(text, old);
    assert_non_null(at);
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(new_text, f);
    fputs(at + strlen(old), f);
    fclose(f);
    free(text);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/rubric-diff-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    write_replaced(CLOUD, "count(security_certified)   at least 1 | 3",
                   "count(security_certified)   at least 0 | 3", lowered, sizeof lowered,
                   "lowered.rubric");
    write_replaced("stdlib-rules/apn/service_delivery.rubric",
                   "submitted))   at least 2\n", "submitted))   at least 3\n", sd_stricter,
                   sizeof sd_stricter, "sd.rubric");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command) == 0 ? 0 : -1;
}

/* Run `rubric diff ARGS`; returns its exit status. */
static int diff(const char *args, char **out, char **err)
{
    char command[4096];
    snprintf(command, sizeof command, "diff %s", args);
    return test_run(command, NULL, out, err);
}

/* ------------------------------------------------------------ changes */

static void test_threshold_lowered_text(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f text" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(
        out,
        "P-0000002 cloud-security-2026: eligible none -> Select; Select security_specialists "
        "not_met -> met (0 of 0)\n"
        "P-0000003 cloud-security-2026: eligible none -> Select; Select security_specialists "
        "not_met -> met (0 of 0)\n"
        "P-0000001 cloud-security-2026: Select security_specialists not_met -> met (0 of 0); "
        "renewal Select security_specialists not_met -> met (0 of 0)\n"
        "P-SD-0001 cloud-security-2026: Select security_specialists not_met -> met (0 of 0); "
        "renewal Select security_specialists not_met -> met (0 of 0)\n"
        "6 partners evaluated, 4 changed: 2 eligible tiers changed (up 2, down 0)\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_threshold_raised_jsonl(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old %s --new " CLOUD " -f jsonl" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, &err), 0);
    const char *first =
        "{\"partner\":{\"id\":\"P-0000002\",\"name\":\"Stratus Advanced Cloud\"},"
        "\"program\":\"cloud-security-2026\",\"change\":\"changed\","
        "\"eligible_tier\":{\"old\":\"Select\",\"new\":null},"
        "\"renewal_status\":{\"old\":\"not_met\",\"new\":\"not_met\"},"
        "\"changes\":[{\"view\":\"rolling\",\"scope\":\"Select\",\"id\":\"security_specialists\","
        "\"old\":\"met\",\"new\":\"not_met\",\"measure\":\"0 of 1\"}]}\n";
    assert_memory_equal(out, first, strlen(first));
    int lines = 0;
    for (const char *c = out; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 4);
    assert_contains(out, "{\"view\":\"renewal\",\"scope\":\"Select\",\"id\":\"security_specialists\","
                         "\"old\":\"met\",\"new\":\"not_met\",\"measure\":\"0 of 1\"}");
    /* In machine formats the summary is on stderr. */
    assert_string_equal(err, "6 partners evaluated, 4 changed: 2 eligible tiers changed "
                             "(up 0, down 2)\n");
    free(out);
    free(err);
}

static void test_json_array(void **state)
{
    (void)state;
    char args[2048], *out;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f json" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, NULL), 0);
    assert_memory_equal(out, "[\n{\"partner\":{\"id\":\"P-0000002\"", 30);
    assert_contains(out, "}]},\n{\"partner\":{\"id\":\"P-0000003\"");
    assert_string_equal(out + strlen(out) - 6, "}]}\n]\n");
    free(out);
    assert_int_equal(diff("--old stdlib --new stdlib -f json" PARTNERS, &out, NULL), 0);
    assert_string_equal(out, "[\n]\n");
    free(out);
}

static void test_no_change(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(diff("--old stdlib --new --stdlib -f jsonl --fail-on-change" PARTNERS,
                          &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, SUMMARY_NONE);
    free(out);
    free(err);
    assert_int_equal(diff("--old " CLOUD " --new " CLOUD " -f text" PARTNERS, &out, &err), 0);
    assert_string_equal(out, SUMMARY_NONE);
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_program_added_and_removed(void **state)
{
    (void)state;
    char *out, *err;
    const char *data = " -f text --as-of 2026-11-22 examples/partners/advanced.json";
    char args[2048];
    snprintf(args, sizeof args, "--old stdlib --new stdlib --new " CLOUD "%s", data);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "P-0000002 cloud-security-2026: added (eligible none)\n"
                             "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0); programs added 1, removed 0\n");
    free(out);
    free(err);
    snprintf(args, sizeof args, "--old stdlib --new " CLOUD " -p apn-2019-consulting%s", data);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "P-0000002 apn-2019-consulting: removed (was eligible Advanced)\n"
                             "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0); programs added 0, removed 1\n");
    free(out);
    free(err);
}

static void test_per_item_program(void **state)
{
    (void)state;
    char args[2048], *out;
    snprintf(args, sizeof args, "--old stdlib --new %s -p service-delivery -f text "
             "--as-of 2026-11-22 examples/partners/service_delivery.json", sd_stricter);
    assert_int_equal(diff(args, &out, NULL), 0);
    assert_string_equal(out, "P-SD-0001 service-delivery: Amazon RDS ready -> not_ready; "
                             "Amazon RDS case_studies met -> not_met (2 of 3)\n"
                             "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0)\n");
    free(out);
}

static void test_fail_on_change_and_output_file(void **state)
{
    (void)state;
    char args[2048], path[512], *out, *err;
    snprintf(path, sizeof path, "%s/changes.txt", dir);
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f text -o %s --fail-on-change"
             PARTNERS, lowered, path);
    assert_int_equal(diff(args, &out, &err), 3);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    size_t len;
    char *written = test_read_file(path, &len);
    assert_non_null(written);
    assert_memory_equal(written, "P-0000002 cloud-security-2026: eligible none -> Select", 54);
    assert_contains(written, "4 changed: 2 eligible tiers changed (up 2, down 0)\n");
    free(written);
    free(out);
    free(err);
}

/* ------------------------------------------------------------ errors */

static void expect_usage(const char *args, const char *message)
{
    char *out, *err;
    assert_int_equal(diff(args, &out, &err), 2);
    assert_string_equal(out, "");
    assert_contains(err, message);
    assert_contains(err, "Try 'rubric diff --help'.");
    free(out);
    free(err);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect_usage("--old stdlib examples/partners/advanced.json",
                 "rubric: both --old and --new rules are needed (a .rubric or .rbc file, or "
                 "stdlib)");
    expect_usage("--old stdlib --new stdlib",
                 "rubric: no partner data given (a .json or .jsonl file, or - for standard "
                 "input)");
    expect_usage("--old stdlib --new stdlib -f csv examples/partners/advanced.json",
                 "rubric: unknown format 'csv' (text, json or jsonl)");
    expect_usage("--old stdlib --new stdlib --as-of 2026-13-01 examples/partners/advanced.json",
                 "rubric: --as-of: '2026-13-01' is not a date YYYY-MM-DD");
    expect_usage("--old stdlib --new stdlib -p nope examples/partners/advanced.json",
                 "rubric: no program \"nope\" in the old or the new rules");
    expect_usage("--bogus", "rubric: unknown option '--bogus'");
    expect_usage("--old", "rubric: option '--old' needs a value");
}

static void test_help(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(diff("--help", &out, NULL), 0);
    assert_contains(out, "Usage: rubric diff --old RULES --new RULES [OPTIONS] DATA...");
    assert_contains(out, "--fail-on-change");
    free(out);
    assert_int_equal(test_run("--help", NULL, &out, NULL), 0);
    assert_contains(out, "  diff      ");
    free(out);
}

static void test_bad_rules(void **state)
{
    (void)state;
    char path[512], args[2048], *out, *err;
    snprintf(path, sizeof path, "%s/bad.rubric", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("program \"x\" \"X\" version \"1\"\n  tiers A < B by nope\n", f);
    fclose(f);
    snprintf(args, sizeof args, "--old stdlib --new %s" PARTNERS, path);
    assert_int_equal(diff(args, &out, &err), 1);
    assert_string_equal(out, "");
    assert_contains(err, "bad.rubric:2:18: error: unknown name 'nope'");
    free(out);
    free(err);
    assert_int_equal(diff("--old missing.rubric --new stdlib" PARTNERS, &out, &err), 1);
    assert_contains(err, "rubric: cannot read missing.rubric: No such file or directory");
    free(out);
    free(err);
}

static void test_bad_data(void **state)
{
    (void)state;
    char path[512], args[2048], *out, *err;
    snprintf(path, sizeof path, "%s/bad.json", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\"id\": \"P-9\", \"path\": \"consulting\"}\n", f);
    fclose(f);
    /* The bad partner is reported; the good one is still compared. */
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f text --as-of 2026-11-22 %s "
             "examples/partners/advanced.json nothere.json", lowered, path);
    assert_int_equal(diff(args, &out, &err), 1);
    assert_string_equal(out, "P-0000002 cloud-security-2026: eligible none -> Select; Select "
                             "security_specialists not_met -> met (0 of 0)\n"
                             "1 partners evaluated, 1 changed: 1 eligible tiers changed "
                             "(up 1, down 0)\n");
    assert_contains(err, "bad.json:1:1: error: $: missing required field \"name\"");
    assert_contains(err, "rubric: cannot read nothere.json: No such file or directory");
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold_lowered_text),
        cmocka_unit_test(test_threshold_raised_jsonl),
        cmocka_unit_test(test_json_array),
        cmocka_unit_test(test_no_change),
        cmocka_unit_test(test_program_added_and_removed),
        cmocka_unit_test(test_per_item_program),
        cmocka_unit_test(test_fail_on_change_and_output_file),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_bad_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
