/*
 * test_cli.c — the rubric command end to end: every subcommand's output and
 * exit status (spec/cli.md), the example scorecards byte for byte against
 * examples/scorecards/ (UPDATE_GOLDEN=1 rewrites them), and the error paths
 * a user meets: usage errors, bad rules, bad bytecode, bad data.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF "eval --as-of 2026-11-22 "

static void free_all(char *a, char *b)
{
    free(a);
    free(b);
}

/* Count the occurrences of needle in haystack. */
static int occurrences(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* Compare text with a golden file below the source tree (or rewrite it). */
static void check_golden(const char *relative, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", test_path(relative));
    if (getenv("UPDATE_GOLDEN")) {
        write_file(path, text, strlen(text));
        return;
    }
    char *want = test_read_file(path, NULL);
    if (!want)
        fail_msg("missing golden file %s (run with UPDATE_GOLDEN=1)", relative);
    if (strcmp(want, text) != 0)
        fail_msg("%s differs; got:\n%s", relative, text);
    free(want);
}

/* ------------------------------------------------------------ the basics */

static void test_help_and_version(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run("--help", NULL, &out, &err), 0);
    assert_non_null(strstr(out, "eval"));
    assert_non_null(strstr(out, "compile"));
    free_all(out, err);
    assert_int_equal(test_run("--version", NULL, &out, &err), 0);
    assert_non_null(strstr(out, "rubric "));
    free_all(out, err);
    static const char *const commands[] = {"eval", "check", "compile", "disasm"};
    for (size_t i = 0; i < 4; i++) {
        char args[64];
        snprintf(args, sizeof args, "%s --help", commands[i]);
        assert_int_equal(test_run(args, NULL, &out, &err), 0);
        assert_non_null(strstr(out, "Usage: rubric "));
        free_all(out, err);
    }
}

static void test_usage_errors_exit_2(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", "Usage"},
        {"frobnicate", "unknown command 'frobnicate'"},
        {"eval --frobnicate x.json", "frobnicate"},
        {"eval -f yaml examples/partners/select.json", "unknown format 'yaml'"},
        {"eval --as-of 2026-02-30 examples/partners/select.json", "2026-02-30"},
        {"compile examples/rules/cloud_security.rubric", "-o"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int status = test_run(cases[i][0], NULL, &out, &err);
        if (status != 2 || !strstr(err, cases[i][1]))
            fail_msg("rubric %s: status %d, stderr:\n%s", cases[i][0], status, err);
        free_all(out, err);
    }
}

/* ------------------------------------------------------------- scorecards */

static void check_example(const char *name)
{
    static const char *const formats[][2] = {{"json", "json"}, {"text", "txt"}};
    for (size_t f = 0; f < 2; f++) {
        char args[256], golden[256];
        snprintf(args, sizeof args, AS_OF "-f %s examples/partners/%s.json", formats[f][0],
                 name);
        snprintf(golden, sizeof golden, "examples/scorecards/%s.%s", name, formats[f][1]);
        char *out, *err;
        int status = test_run(args, NULL, &out, &err);
        if (status != 0)
            fail_msg("rubric %s: status %d\n%s", args, status, err);
        assert_string_equal(err, "");
        check_golden(golden, out);
        free_all(out, err);
    }
}

static void test_example_scorecards(void **state)
{
    (void)state;
    check_example("registered");
    check_example("select");
    check_example("advanced");
    check_example("premier");
    check_example("technology");
    check_example("service_delivery");
}

static void test_eligible_tiers_of_examples(void **state)
{
    (void)state;
    static const char *const expect[][3] = {
        {"registered", "apn-2019-consulting", "\"eligible_tier\":null"},
        {"select", "apn-2019-consulting", "\"eligible_tier\":\"Select\""},
        {"advanced", "apn-2019-consulting", "\"eligible_tier\":\"Advanced\""},
        {"premier", "apn-2019-consulting", "\"eligible_tier\":\"Premier\""},
        {"premier", "apn-2022-services", "\"eligible_tier\":\"Premier\""},
        {"technology", "apn-2019-technology", "\"eligible_tier\":\"Select\""},
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        char args[256];
        snprintf(args, sizeof args, AS_OF "-f jsonl -p %s examples/partners/%s.json",
                 expect[i][1], expect[i][0]);
        char *out, *err;
        assert_int_equal(test_run(args, NULL, &out, &err), 0);
        if (!strstr(out, expect[i][2]))
            fail_msg("%s: expected %s in\n%s", expect[i][0], expect[i][2], out);
        assert_int_equal(occurrences(out, "\n"), 1);
        free_all(out, err);
    }
}

static void test_batch_jsonl_and_stdin(void **state)
{
    (void)state;
    char *out, *err, *out2, *err2;
    assert_int_equal(test_run(AS_OF "-f jsonl -p apn-2019-consulting examples/partners/batch.jsonl",
                              NULL, &out, &err), 0);
    assert_true(occurrences(out, "\n") >= 4);
    assert_int_equal(test_run(AS_OF "-f jsonl -p apn-2019-consulting -",
                              test_path("examples/partners/batch.jsonl"), &out2, &err2), 0);
    assert_string_equal(out, out2);
    /* One thread or several: the same bytes in the same order. */
    free_all(out2, err2);
    assert_int_equal(test_run(AS_OF "-j 1 -f jsonl -p apn-2019-consulting "
                              "examples/partners/batch.jsonl", NULL, &out2, &err2), 0);
    assert_string_equal(out, out2);
    free_all(out, err);
    free_all(out2, err2);
}

static void test_fail_below(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f jsonl --fail-below Premier examples/partners/select.json",
                              NULL, &out, &err), 3);
    free_all(out, err);
    assert_int_equal(test_run(AS_OF "-f jsonl --fail-below Select examples/partners/select.json",
                              NULL, &out, &err), 0);
    free_all(out, err);
}

/* ------------------------------------------------------------------ rules */

static void test_check_accepts_example_rules(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run("check examples/rules/cloud_security.rubric", NULL, &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    free_all(out, err);
}

static void test_misspelt_field_one_diagnostic(void **state)
{
    (void)state;
    const char *path = "/tmp/rubric-test-misspelt.rubric";
    const char *rules =
        "import apn.partner\n"
        "\n"
        "program \"typo\" \"Typo\" version \"1\"\n"
        "  tiers Select < Advanced by tier\n"
        "  rolling window (as_of - 12 months, as_of]\n"
        "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"
        "  category Knowledge\n"
        "    requirement staff \"Staff\"\n"
        "      count(individuals where any acreditations (earned <= as_of))   at least 1 | 2\n";
    write_file(path, rules, strlen(rules));
    char *out, *err;
    assert_int_equal(test_run("check /tmp/rubric-test-misspelt.rubric", NULL, &out, &err), 1);
    assert_int_equal(occurrences(err, "error:"), 1);
    assert_non_null(strstr(err, "rubric-test-misspelt.rubric:9:35: error: "));
    assert_non_null(strstr(err, "'acreditations'"));
    assert_non_null(strstr(err, "did you mean 'accreditations'?"));
    assert_non_null(strstr(err, "^~~~~~~~~~~~~"));
    free_all(out, err);
    remove(path);
}

/* --------------------------------------------------------------- bytecode */

static void test_compile_disasm_and_eval_rbc(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run("compile examples/rules/cloud_security.rubric -o "
                              "/tmp/rubric-test.rbc", NULL, &out, &err), 0);
    free_all(out, err);
    size_t len = 0;
    char *bytes = test_read_file("/tmp/rubric-test.rbc", &len);
    assert_non_null(bytes);
    assert_memory_equal(bytes, "RUBRICBC", 8);
    free(bytes);
    /* The same source compiles to the same bytes. */
    assert_int_equal(test_run("compile examples/rules/cloud_security.rubric -o "
                              "/tmp/rubric-test2.rbc", NULL, &out, &err), 0);
    free_all(out, err);
    assert_int_equal(system("cmp -s /tmp/rubric-test.rbc /tmp/rubric-test2.rbc"), 0);
    assert_int_equal(test_run("disasm /tmp/rubric-test.rbc", NULL, &out, &err), 0);
    assert_non_null(strstr(out, "RET"));
    free_all(out, err);
    char *src_out, *rbc_out;
    assert_int_equal(test_run(AS_OF "-f jsonl -r examples/rules/cloud_security.rubric "
                              "examples/partners/advanced.json", NULL, &src_out, &err), 0);
    free(err);
    assert_int_equal(test_run(AS_OF "-f jsonl -r /tmp/rubric-test.rbc "
                              "examples/partners/advanced.json", NULL, &rbc_out, &err), 0);
    free(err);
    assert_string_equal(src_out, rbc_out);
    free_all(src_out, rbc_out);
    remove("/tmp/rubric-test2.rbc");
}

static void test_corrupt_rbc_rejected(void **state)
{
    (void)state;
    size_t len = 0;
    char *bytes = test_read_file("/tmp/rubric-test.rbc", &len);
    if (!bytes) {
        char *out, *err;
        assert_int_equal(test_run("compile examples/rules/cloud_security.rubric -o "
                                  "/tmp/rubric-test.rbc", NULL, &out, &err), 0);
        free_all(out, err);
        bytes = test_read_file("/tmp/rubric-test.rbc", &len);
    }
    assert_non_null(bytes);
    /* A flipped byte in the middle, and a truncated file. */
    bytes[len / 2] ^= 0x40;
    write_file("/tmp/rubric-test-bad.rbc", bytes, len);
    char *out, *err;
    assert_int_equal(test_run("disasm /tmp/rubric-test-bad.rbc", NULL, &out, &err), 1);
    assert_non_null(strstr(err, "rubric-test-bad.rbc"));
    assert_non_null(strstr(err, "checksum"));
    free_all(out, err);
    assert_int_equal(test_run(AS_OF "-r /tmp/rubric-test-bad.rbc examples/partners/select.json",
                              NULL, &out, &err), 1);
    assert_non_null(strstr(err, "checksum"));
    free_all(out, err);
    bytes[len / 2] ^= 0x40;
    write_file("/tmp/rubric-test-bad.rbc", bytes, len - 7);
    assert_int_equal(test_run("disasm /tmp/rubric-test-bad.rbc", NULL, &out, &err), 1);
    assert_non_null(strstr(err, "rubric-test-bad.rbc"));
    free_all(out, err);
    write_file("/tmp/rubric-test-bad.rbc", "not bytecode", 12);
    assert_int_equal(test_run("disasm /tmp/rubric-test-bad.rbc", NULL, &out, &err), 1);
    assert_non_null(strstr(err, "not a Rubric bytecode file"));
    free_all(out, err);
    free(bytes);
    remove("/tmp/rubric-test-bad.rbc");
    remove("/tmp/rubric-test.rbc");
}

/* ------------------------------------------------------------------- data */

static void test_bad_data_reported_and_others_evaluated(void **state)
{
    (void)state;
    const char *path = "/tmp/rubric-test-bad.jsonl";
    const char *data =
        "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2027-01-20\"}\n"
        "{\"id\": \"P-2\", \"name\": \"Two\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2023-02-29\"}\n"
        "{\"id\": \"P-3\", \"name\": \"Three\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2027-01-20\"}\n";
    write_file(path, data, strlen(data));
    char *out, *err;
    assert_int_equal(test_run(AS_OF "-f jsonl -p apn-2019-consulting /tmp/rubric-test-bad.jsonl",
                              NULL, &out, &err), 1);
    assert_non_null(strstr(out, "\"P-1\""));
    assert_non_null(strstr(out, "\"P-3\""));
    assert_null(strstr(out, "\"P-2\""));
    assert_non_null(strstr(err, "rubric-test-bad.jsonl:2"));
    assert_non_null(strstr(err, "renewal_date"));
    assert_non_null(strstr(err, "2023-02-29"));
    free_all(out, err);
    remove(path);
}

/* -o writes through a temporary file renamed into place: the same bytes as
 * standard output, and a run that fails before writing leaves an existing
 * file as it was, with no temporary file beside it. */
static void test_output_file_is_atomic(void **state)
{
    (void)state;
    const char *path = "/tmp/rubric-test-out.jsonl";
    char *out, *err, *stdout_text;
    assert_int_equal(test_run(AS_OF "-f jsonl examples/partners/select.json", NULL, &stdout_text,
                              &err), 0);
    free(err);
    assert_int_equal(test_run(AS_OF "-f jsonl -o /tmp/rubric-test-out.jsonl "
                              "examples/partners/select.json", NULL, &out, &err), 0);
    assert_string_equal(out, "");
    free_all(out, err);
    char *written = test_read_file(path, NULL);
    assert_non_null(written);
    assert_string_equal(written, stdout_text);
    free_all(written, stdout_text);

    write_file(path, "before\n", 7);
    assert_int_equal(test_run(AS_OF "-f jsonl -r no-such-rules.rubric -o "
                              "/tmp/rubric-test-out.jsonl examples/partners/select.json",
                              NULL, &out, &err), 1);
    free_all(out, err);
    written = test_read_file(path, NULL);
    assert_string_equal(written, "before\n");
    free(written);
    /* No temporary file is left behind (ls finds none: a non-zero status). */
    assert_int_not_equal(system("ls /tmp/rubric-test-out.jsonl.tmp.* >/dev/null 2>&1"), 0);

    /* Bad data in a batch: its error, and the other partners' results are
     * still written. */
    const char *bad =
        "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2027-01-20\"}\n"
        "{\"id\": \"P-2\", \"name\": \"Two\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2023-02-29\"}\n";
    write_file("/tmp/rubric-test-in.jsonl", bad, strlen(bad));
    assert_int_equal(test_run(AS_OF "-f jsonl -p apn-2019-consulting -o "
                              "/tmp/rubric-test-out.jsonl /tmp/rubric-test-in.jsonl",
                              NULL, &out, &err), 1);
    assert_non_null(strstr(err, "rubric-test-in.jsonl:2:"));
    free_all(out, err);
    written = test_read_file(path, NULL);
    assert_int_equal(occurrences(written, "\n"), 1);
    assert_non_null(strstr(written, "\"id\":\"P-1\""));
    free(written);
    remove("/tmp/rubric-test-in.jsonl");
    remove(path);
}

static void test_missing_file(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run(AS_OF "no-such-partner.json", NULL, &out, &err), 1);
    assert_non_null(strstr(err, "no-such-partner.json"));
    free_all(out, err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_usage_errors_exit_2),
        cmocka_unit_test(test_example_scorecards),
        cmocka_unit_test(test_eligible_tiers_of_examples),
        cmocka_unit_test(test_batch_jsonl_and_stdin),
        cmocka_unit_test(test_fail_below),
        cmocka_unit_test(test_check_accepts_example_rules),
        cmocka_unit_test(test_misspelt_field_one_diagnostic),
        cmocka_unit_test(test_compile_disasm_and_eval_rbc),
        cmocka_unit_test(test_corrupt_rbc_rejected),
        cmocka_unit_test(test_bad_data_reported_and_others_evaluated),
        cmocka_unit_test(test_output_file_is_atomic),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
