/*
 * test_cmd_doc.c — `rubric doc`: the reference of the standard library that
 * docs/stdlib.md holds is what the sources give; a user's module documented
 * with its comments, sections, types and definitions; the errors.
 */
#include "test_shell.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static int make_dir(void **state)
{
    (void)state;
    dir = test_temp_dir();
    return dir ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    test_remove_dir(dir);
    free(dir);
    return 0;
}

static const char *write_rules(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_text(path, text);
    return path;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("expected to find\n  %s\nin\n%s", needle, text);
}

/* docs/stdlib.md: a hand-written introduction, then this marker, then
 * exactly what `rubric doc apn.partner apn.common` prints. */
static const char stdlib_marker[] =
    "<!-- Generated from stdlib-rules/ by `rubric doc apn.partner apn.common`; "
    "edit the rules' comments, not this page. -->\n";

static void test_stdlib_page_matches_the_sources(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_run("doc apn.partner apn.common", NULL, &out, &err), 0);
    assert_string_equal(err, "");
    /* What an author looks for is there. */
    assert_contains(out, "## Module `apn.partner`");
    assert_contains(out, "## Module `apn.common`");
    assert_contains(out, "| `business_plan` | `BusinessPlan?` |  |");
    assert_contains(out, "#### let `fee_paid`: `money`");
    assert_contains(out, "#### fn `counts_on(person: Individual, day: date): bool`");
    assert_contains(out, "### Knowledge\n");

    const char *page_path = test_path("docs/stdlib.md");
    char *page = test_read_file(page_path, NULL);
    assert_non_null(page);
    char *marker = strstr(page, stdlib_marker);
    if (!marker)
        fail_msg("docs/stdlib.md lacks the line\n%s", stdlib_marker);
    char *generated = marker + strlen(stdlib_marker);
    if (getenv("UPDATE_GOLDEN")) {
        FILE *f = fopen(page_path, "wb");
        assert_non_null(f);
        fwrite(page, 1, (size_t)(generated - page), f);
        fputs(out, f);
        assert_int_equal(fclose(f), 0);
    } else if (strcmp(generated, out) != 0) {
        fail_msg("docs/stdlib.md is out of date with stdlib-rules/: regenerate it "
                 "(UPDATE_GOLDEN=1 ./tests/test_cmd_doc)");
    }
    free(page);
    free(out);
    free(err);
}

static const char user_module[] =
    "# Readiness data for the MSP program.\n"
    "module msp.data\n"
    "import apn.partner\n"
    "\n"
    "# How far an audit got.\n"
    "enum AuditStage planned < scheduled < passed\n"
    "  alias done = passed\n"
    "\n"
    "# One audit of the partner's practice.\n"
    "record Audit\n"
    "  # the auditor's report id\n"
    "  id: string\n"
    "  stage: AuditStage\n"
    "  score: int = 0\n"
    "  closed: date?\n"
    "\n"
    "# ------------------------------------------------ Counting\n"
    "# Individuals on the account today.\n"
    "let headcount = count(individuals)\n"
    "\n"
    "fn passed(stage: AuditStage): bool =\n"
    "  stage >= passed\n";

static void test_user_module(void **state)
{
    (void)state;
    const char *path = write_rules("msp_data.rubric", user_module);
    char args[700], *out, *err;
    snprintf(args, sizeof args, "doc '%s'", path);
    assert_int_equal(test_run(args, NULL, &out, &err), 0);
    assert_string_equal(err, "");
    assert_string_equal(out,
        "## Module `msp.data`\n\n"
        "Readiness data for the MSP program.\n\n"
        "#### enum `AuditStage`\n\n"
        "How far an audit got.\n\n"
        "Values, in order: `planned` < `scheduled` < `passed`. "
        "`done` is another name for `passed`.\n\n"
        "#### record `Audit`\n\n"
        "One audit of the partner's practice.\n\n"
        "| field | type | notes |\n|---|---|---|\n"
        "| `id` | `string` | the auditor's report id |\n"
        "| `stage` | `AuditStage` |  |\n"
        "| `score` | `int` | default `0` |\n"
        "| `closed` | `date?` |  |\n\n"
        "### Counting\n\n"
        "#### let `headcount`: `int`\n\n"
        "Individuals on the account today.\n\n"
        "```\nlet headcount = count(individuals)\n```\n\n"
        "#### fn `passed(stage: AuditStage): bool`\n\n"
        "```\nfn passed(stage: AuditStage): bool =\n  stage >= passed\n```\n\n");
    free(out);
    free(err);
}

static void test_errors(void **state)
{
    (void)state;
    char *out, *err;
    /* Nothing to document. */
    assert_int_equal(test_run("doc", NULL, &out, &err), 2);
    assert_contains(err, "rubric: name the modules or rules files to document");
    assert_contains(err, "Try 'rubric doc --help'.");
    free(out);
    free(err);
    /* A module that does not exist. */
    assert_int_equal(test_run("doc apn.nothing", NULL, &out, &err), 1);
    assert_string_equal(out, "");
    assert_contains(err, "error: cannot find module 'apn.nothing'");
    free(out);
    free(err);
    /* A file that cannot be read. */
    char args[700];
    snprintf(args, sizeof args, "doc '%s/missing.rubric'", dir);
    assert_int_equal(test_run(args, NULL, &out, &err), 1);
    assert_contains(err, "missing.rubric: No such file or directory");
    free(out);
    free(err);
    /* Rules with an error are diagnosed, not documented. */
    const char *bad = write_rules("bad.rubric", "import apn.partner\nlet x = nosuch + 1\n");
    snprintf(args, sizeof args, "doc '%s'", bad);
    assert_int_equal(test_run(args, NULL, &out, &err), 1);
    assert_string_equal(out, "");
    assert_contains(err, "bad.rubric:2:9: error: unknown name 'nosuch'");
    free(out);
    free(err);
    /* An unknown option. */
    assert_int_equal(test_run("doc --frobnicate apn.common", NULL, &out, &err), 2);
    assert_contains(err, "unknown option '--frobnicate'");
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stdlib_page_matches_the_sources),
        cmocka_unit_test(test_user_module),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
