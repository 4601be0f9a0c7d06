/*
 * test_cmd_diff.c — `rubric diff` end to end: a rule set changed by one
 * threshold against the example partners (exact text, json, jsonl and csv
 * output, the matrices, the summary, both directions of a tier change),
 * values that move without a status, no change, programs added and
 * removed, an .rbc overriding a program, --map, --limit, per-item programs
 * with a repeated label, --fail-on-change, -o, usage errors, bad rules and
 * bad data.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PARTNERS " --as-of 2026-11-22 examples/partners/*.json"
#define CLOUD "examples/rules/cloud_security.rubric"
#define CLOUD_ID "cloud-security-2026"
#define SUMMARY_NONE "6 partners evaluated, 0 changed: 0 eligible tiers changed (up 0, down 0)\n"

static char dir[256];
static char lowered[512];   /* cloud security, the Select security specialists 1 -> 0 */
static char sd_stricter[512]; /* service delivery, case studies 2 -> 3 */
static char raised[512];    /* cloud security, the Advanced security specialists 3 -> 4 */
static char renamed[512];   /* `lowered` as program cloud-security-2027 */
static char two_rds[512];   /* service_delivery.json with a second, weaker Amazon RDS */

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

/* The end of the bracketed or braced value that starts at `at` (no
 * brackets inside strings in the files this reads). */
static const char *value_end(const char *at)
{
    int depth = 0;
    do {
        depth += *at == '[' || *at == '{';
        depth -= *at == ']' || *at == '}';
        at++;
    } while (depth > 0 && *at);
    return at;
}

/* examples/partners/service_delivery.json with a second Amazon RDS
 * application after the first, the same but with no case studies. */
static void write_two_rds(void)
{
    size_t len;
    char *text = test_read_file(test_path("examples/partners/service_delivery.json"), &len);
    assert_non_null(text);
    const char *first = strchr(strstr(text, "\"service_delivery_applications\""), '{');
    const char *first_end = value_end(first);
    const char *studies = strchr(strstr(first, "\"case_studies\""), '[');
    assert_true(studies < first_end);
    snprintf(two_rds, sizeof two_rds, "%s/two_rds.json", dir);
    FILE *f = fopen(two_rds, "wb");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(first_end - text), f);
    fputs(",\n    ", f);
    fwrite(first, 1, (size_t)(studies - first), f);
    fputs("[]", f);
    fwrite(value_end(studies), 1, (size_t)(first_end - value_end(studies)), f);
    fputs(first_end, f);
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
    write_replaced(CLOUD, "count(security_certified)   at least 1 | 3",
                   "count(security_certified)   at least 1 | 4", raised, sizeof raised,
                   "raised.rubric");
    write_replaced(CLOUD, "program \"cloud-security-2026\"", "program \"cloud-security-2027\"",
                   renamed, sizeof renamed, "renamed.rubric");
    write_two_rds();
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

/* The matrices of cloud security when the Select threshold is lowered: two
 * partners go from no tier to Select. */
#define CLOUD_MATRICES_LOWERED                                          \
    "cloud-security-2026: eligible tier, old (rows) -> new (columns)\n" \
    "  old \\ new  none  Select\n"                                      \
    "  none          2       2\n"                                       \
    "  Select        0       0\n"                                       \
    "cloud-security-2026: renewal status, old (rows) -> new (columns)\n" \
    "  old \\ new  not_met\n"                                           \
    "  not_met          4\n"                                            \
    "\n"

/* ... and when nothing moves a tier. */
#define CLOUD_MATRICES_SAME                                             \
    "cloud-security-2026: eligible tier, old (rows) -> new (columns)\n" \
    "  old \\ new  none\n"                                              \
    "  none          4\n"                                               \
    "cloud-security-2026: renewal status, old (rows) -> new (columns)\n" \
    "  old \\ new  not_met\n"                                           \
    "  not_met          4\n"                                            \
    "\n"

static void test_threshold_lowered_text(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f text" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(
        out,
        CLOUD_MATRICES_LOWERED
        "P-0000002 cloud-security-2026: eligible none -> Select; Select security_specialists "
        "not_met -> met (0 of 1 -> 0 of 0)\n"
        "P-0000003 cloud-security-2026: eligible none -> Select; Select security_specialists "
        "not_met -> met (0 of 1 -> 0 of 0)\n"
        "P-0000001 cloud-security-2026: Select security_specialists not_met -> met "
        "(0 of 1 -> 0 of 0); renewal Select security_specialists not_met -> met "
        "(0 of 1 -> 0 of 0)\n"
        "P-SD-0001 cloud-security-2026: Select security_specialists not_met -> met "
        "(0 of 1 -> 0 of 0); renewal Select security_specialists not_met -> met "
        "(0 of 1 -> 0 of 0)\n"
        "6 partners evaluated, 4 changed: 2 eligible tiers changed (up 2, down 0)\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

/* A threshold that moves no status still moves the values: each partner
 * with the requirement is listed, its status once. */
static void test_values_compared(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f text" PARTNERS, raised);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(
        out,
        CLOUD_MATRICES_SAME
        "P-0000002 cloud-security-2026: Advanced security_specialists not_met (0 of 3 -> 0 of "
        "4); renewal Advanced security_specialists not_met (0 of 3 -> 0 of 4)\n"
        "P-0000003 cloud-security-2026: Advanced security_specialists not_met (0 of 3 -> 0 of "
        "4); renewal Advanced security_specialists not_met (0 of 3 -> 0 of 4)\n"
        "P-0000001 cloud-security-2026: Advanced security_specialists not_met (0 of 3 -> 0 of "
        "4)\n"
        "P-SD-0001 cloud-security-2026: Advanced security_specialists not_met (0 of 3 -> 0 of "
        "4)\n"
        "6 partners evaluated, 4 changed: 0 eligible tiers changed (up 0, down 0)\n");
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
        "\"program\":\"cloud-security-2026\",\"old_program\":\"cloud-security-2026\","
        "\"change\":\"changed\","
        "\"eligible_tier\":{\"old\":\"Select\",\"new\":null},"
        "\"renewal_status\":{\"old\":\"not_met\",\"new\":\"not_met\"},"
        "\"changes\":[{\"view\":\"rolling\",\"scope\":\"Select\",\"item\":null,"
        "\"id\":\"security_specialists\","
        "\"old\":{\"status\":\"met\",\"actual\":0,\"required\":0,\"measure\":\"0 of 0\"},"
        "\"new\":{\"status\":\"not_met\",\"actual\":0,\"required\":1,\"measure\":\"0 of 1\"}}"
        "]}\n";
    assert_memory_equal(out, first, strlen(first));
    int lines = 0;
    for (const char *c = out; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 4);
    assert_contains(out, "{\"view\":\"renewal\",\"scope\":\"Select\",\"item\":null,"
                         "\"id\":\"security_specialists\",\"old\":{\"status\":\"met\"");
    /* In machine formats the summary is on stderr. */
    assert_string_equal(err, "6 partners evaluated, 4 changed: 2 eligible tiers changed "
                             "(up 0, down 2)\n");
    free(out);
    free(err);
}

static void test_json_object(void **state)
{
    (void)state;
    char args[2048], *out;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f json" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, NULL), 0);
    assert_memory_equal(out, "{\"changes\":[\n{\"partner\":{\"id\":\"P-0000002\"", 41);
    assert_contains(out, "}]},\n{\"partner\":{\"id\":\"P-0000003\"");
    const char *tail =
        "}]}\n],\n\"matrices\":[\n"
        "{\"program\":\"cloud-security-2026\",\"eligible_tier\":["
        "{\"old\":\"none\",\"new\":\"none\",\"count\":2},"
        "{\"old\":\"none\",\"new\":\"Select\",\"count\":2}],"
        "\"renewal_status\":[{\"old\":\"not_met\",\"new\":\"not_met\",\"count\":4}]}\n],\n"
        "\"summary\":{\"partners\":6,\"changed\":4,\"eligible_tiers_changed\":2,\"up\":2,"
        "\"down\":0,\"programs_added\":0,\"programs_removed\":0,\"not_listed\":0}}\n";
    assert_string_equal(out + strlen(out) - strlen(tail), tail);
    free(out);
    assert_int_equal(diff("--old " CLOUD " --new " CLOUD " -f json" PARTNERS, &out, NULL), 0);
    assert_string_equal(
        out, "{\"changes\":[],\n\"matrices\":[\n"
             "{\"program\":\"cloud-security-2026\",\"eligible_tier\":["
             "{\"old\":\"none\",\"new\":\"none\",\"count\":4}],"
             "\"renewal_status\":[{\"old\":\"not_met\",\"new\":\"not_met\",\"count\":4}]}\n],\n"
             "\"summary\":{\"partners\":6,\"changed\":0,\"eligible_tiers_changed\":0,\"up\":0,"
             "\"down\":0,\"programs_added\":0,\"programs_removed\":0,\"not_listed\":0}}\n");
    free(out);
}

static void test_csv(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f csv --as-of 2026-11-22 "
             "examples/partners/advanced.json", lowered);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(
        out,
        "partner_id,partner_name,program,old_program,change,view,scope,item,requirement,old,"
        "new,old_actual,new_actual,old_required,new_required,old_measure,new_measure\n"
        "P-0000002,Stratus Advanced Cloud,cloud-security-2026,cloud-security-2026,changed,"
        "eligible_tier,,,,none,Select,,,,,,\n"
        "P-0000002,Stratus Advanced Cloud,cloud-security-2026,cloud-security-2026,changed,"
        "rolling,Select,,security_specialists,not_met,met,0,0,1,0,0 of 1,0 of 0\n");
    assert_string_equal(err, "1 partners evaluated, 1 changed: 1 eligible tiers changed "
                             "(up 1, down 0)\n");
    free(out);
    free(err);
    /* Nothing changed: the header alone. */
    assert_int_equal(diff("--old " CLOUD " --new " CLOUD " -f csv" PARTNERS, &out, NULL), 0);
    assert_string_equal(out, "partner_id,partner_name,program,old_program,change,view,scope,"
                             "item,requirement,old,new,old_actual,new_actual,old_required,"
                             "new_required,old_measure,new_measure\n");
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
    assert_string_equal(out, CLOUD_MATRICES_SAME SUMMARY_NONE);
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_limit(void **state)
{
    (void)state;
    char args[2048], *out;
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f text --limit 1" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, NULL), 0);
    assert_string_equal(
        out,
        CLOUD_MATRICES_LOWERED
        "P-0000002 cloud-security-2026: eligible none -> Select; Select security_specialists "
        "not_met -> met (0 of 1 -> 0 of 0)\n"
        "... and 3 more partners changed (listed: the first 1)\n"
        "6 partners evaluated, 4 changed: 2 eligible tiers changed (up 2, down 0)\n");
    free(out);
    /* Machine formats list every partner unless told; -n 2 lists two. */
    snprintf(args, sizeof args, "--old " CLOUD " --new %s -f jsonl -n 2" PARTNERS, lowered);
    assert_int_equal(diff(args, &out, NULL), 0);
    assert_memory_equal(out, "{\"partner\":{\"id\":\"P-0000002\"", 28);
    assert_contains(out, "}]}\n{\"partner\":{\"id\":\"P-0000003\"");
    assert_null(strstr(out, "P-0000001"));
    free(out);
}

static void test_program_added_and_removed(void **state)
{
    (void)state;
    char *out, *err;
    const char *data = " -f text --as-of 2026-11-22 examples/partners/advanced.json";
    char args[2048];
    snprintf(args, sizeof args, "--old stdlib --new stdlib --new " CLOUD " -p " CLOUD_ID "%s",
             data);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "cloud-security-2026: eligible tier, old (rows) -> new (columns)\n"
                             "  old \\ new  none  absent\n"
                             "  none          0       0\n"
                             "  absent        1       0\n"
                             "cloud-security-2026: renewal status, old (rows) -> new (columns)\n"
                             "  old \\ new  not_met  absent\n"
                             "  not_met          0       0\n"
                             "  absent           1       0\n"
                             "\n"
                             "P-0000002 cloud-security-2026: added (eligible none)\n"
                             "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0); programs added 1, removed 0\n");
    free(out);
    free(err);
    snprintf(args, sizeof args, "--old stdlib --new " CLOUD " -p apn-2019-consulting -f jsonl"
             " --as-of 2026-11-22 examples/partners/advanced.json");
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "{\"partner\":{\"id\":\"P-0000002\",\"name\":\"Stratus Advanced "
                             "Cloud\"},\"program\":\"apn-2019-consulting\",\"old_program\":"
                             "\"apn-2019-consulting\",\"change\":\"removed\",\"eligible_tier\":"
                             "{\"old\":\"Advanced\",\"new\":null},\"renewal_status\":{\"old\":"
                             "\"at_risk\",\"new\":null},\"changes\":[]}\n");
    assert_string_equal(err, "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0); programs added 0, removed 1\n");
    free(out);
    free(err);
}

/* A program of a later .rbc overrides the one of the same id before it:
 * `--new RULES --new override.rbc` compares the override. */
static void test_override(void **state)
{
    (void)state;
    char rbc[512], args[2048], *out, *err;
    snprintf(rbc, sizeof rbc, "%s/lowered.rbc", dir);
    snprintf(args, sizeof args, "compile %s -o %s", lowered, rbc);
    assert_int_equal(test_run(args, NULL, NULL, NULL), 0);
    snprintf(args, sizeof args, "--old " CLOUD " --new " CLOUD " --new %s -f jsonl --as-of "
             "2026-11-22 examples/partners/advanced.json", rbc);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_contains(out, "\"eligible_tier\":{\"old\":null,\"new\":\"Select\"}");
    assert_string_equal(err, "1 partners evaluated, 1 changed: 1 eligible tiers changed "
                             "(up 1, down 0)\n");
    free(out);
    free(err);
    /* Given first, it is overridden in turn. */
    snprintf(args, sizeof args, "--old " CLOUD " --new %s --new " CLOUD " -f jsonl --as-of "
             "2026-11-22 examples/partners/advanced.json", rbc);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "1 partners evaluated, 0 changed: 0 eligible tiers changed "
                             "(up 0, down 0)\n");
    free(out);
    free(err);
}

/* --map compares programs of different ids, reported under the new one. */
static void test_map(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old %s --new %s --map " CLOUD_ID "=cloud-security-2027 "
             "-f text --as-of 2026-11-22 examples/partners/advanced.json", lowered, renamed);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "cloud-security-2027: eligible tier, old (rows) -> new (columns)\n"
                             "  old \\ new  none  Select\n"
                             "  none          0       0\n"
                             "  Select        1       0\n"
                             "cloud-security-2027: renewal status, old (rows) -> new (columns)\n"
                             "  old \\ new  not_met\n"
                             "  not_met          1\n"
                             "\n"
                             "P-0000002 cloud-security-2027 (old cloud-security-2026): eligible "
                             "Select -> none; Select security_specialists met -> not_met "
                             "(0 of 0 -> 0 of 1)\n"
                             "1 partners evaluated, 1 changed: 1 eligible tiers changed "
                             "(up 0, down 1)\n");
    free(out);
    free(err);
    /* Without the map, one program is removed and the other added. */
    snprintf(args, sizeof args, "--old %s --new %s -f jsonl --as-of 2026-11-22 "
             "examples/partners/advanced.json", lowered, renamed);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(err, "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0); programs added 1, removed 1\n");
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
    assert_string_equal(out, "service-delivery: items, old (rows) -> new (columns)\n"
                             "  old \\ new  ready  not_ready\n"
                             "  ready          0          1\n"
                             "  not_ready      0          1\n"
                             "\n"
                             "P-SD-0001 service-delivery: Amazon RDS ready -> not_ready; "
                             "Amazon RDS case_studies met -> not_met (2 of 2 -> 2 of 3); "
                             "Amazon EC2 case_studies not_met (1 of 2 -> 1 of 3)\n"
                             "1 partners evaluated, 1 changed: 0 eligible tiers changed "
                             "(up 0, down 0)\n");
    free(out);
}

/* Items are matched by their place in the partner's list: two applications
 * of one designation are each compared with themselves, and named #1, #2. */
static void test_items_matched_by_place(void **state)
{
    (void)state;
    char args[2048], *out, *err;
    snprintf(args, sizeof args, "--old stdlib --new stdlib -f jsonl --as-of 2026-11-22 %s",
             two_rds);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "1 partners evaluated, 0 changed: 0 eligible tiers changed "
                             "(up 0, down 0)\n");
    free(out);
    free(err);
    snprintf(args, sizeof args, "--old stdlib --new %s -p service-delivery -f text "
             "--as-of 2026-11-22 %s", sd_stricter, two_rds);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_contains(out, "P-SD-0001 service-delivery: Amazon RDS #1 ready -> not_ready; "
                         "Amazon RDS #1 case_studies met -> not_met (2 of 2 -> 2 of 3); "
                         "Amazon RDS #2 case_studies not_met (0 of 2 -> 0 of 3); "
                         "Amazon EC2 case_studies not_met (1 of 2 -> 1 of 3)\n");
    free(out);
    free(err);
    snprintf(args, sizeof args, "--old stdlib --new %s -p service-delivery -f jsonl "
             "--as-of 2026-11-22 %s", sd_stricter, two_rds);
    assert_int_equal(diff(args, &out, &err), 0);
    assert_contains(out, "{\"view\":\"item\",\"scope\":\"Amazon RDS\",\"item\":1,"
                         "\"id\":\"case_studies\",\"old\":{\"status\":\"not_met\",\"actual\":0,"
                         "\"required\":2,\"measure\":\"0 of 2\"}");
    free(out);
    free(err);
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
    assert_memory_equal(written, CLOUD_MATRICES_LOWERED "P-0000002 cloud-security-2026: eligible "
                        "none -> Select", strlen(CLOUD_MATRICES_LOWERED) + 54);
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
    expect_usage("--old stdlib --new stdlib -f xml examples/partners/advanced.json",
                 "rubric: unknown format 'xml' (text, json, jsonl or csv)");
    expect_usage("--old stdlib --new stdlib --map x examples/partners/advanced.json",
                 "rubric: --map: 'x' is not OLD_ID=NEW_ID");
    expect_usage("--old stdlib --new stdlib --map =y examples/partners/advanced.json",
                 "rubric: --map: '=y' is not OLD_ID=NEW_ID");
    expect_usage("--old stdlib --new stdlib --map nope=apn-2019-consulting "
                 "examples/partners/advanced.json",
                 "rubric: --map: no program \"nope\" in the old rules");
    expect_usage("--old stdlib --new stdlib --map apn-2019-consulting=nope "
                 "examples/partners/advanced.json",
                 "rubric: --map: no program \"nope\" in the new rules");
    expect_usage("--old stdlib --new stdlib --limit ten examples/partners/advanced.json",
                 "rubric: --limit: 'ten' is not a number of partners");
    expect_usage("--old stdlib --new stdlib -n -1 examples/partners/advanced.json",
                 "rubric: --limit: '-1' is not a number of partners");
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
    assert_string_equal(out, "cloud-security-2026: eligible tier, old (rows) -> new (columns)\n"
                             "  old \\ new  none  Select\n"
                             "  none          0       1\n"
                             "  Select        0       0\n"
                             "cloud-security-2026: renewal status, old (rows) -> new (columns)\n"
                             "  old \\ new  not_met\n"
                             "  not_met          1\n"
                             "\n"
                             "P-0000002 cloud-security-2026: eligible none -> Select; Select "
                             "security_specialists not_met -> met (0 of 1 -> 0 of 0)\n"
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
        cmocka_unit_test(test_values_compared),
        cmocka_unit_test(test_threshold_raised_jsonl),
        cmocka_unit_test(test_json_object),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_no_change),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_program_added_and_removed),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_per_item_program),
        cmocka_unit_test(test_items_matched_by_place),
        cmocka_unit_test(test_fail_on_change_and_output_file),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_bad_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
