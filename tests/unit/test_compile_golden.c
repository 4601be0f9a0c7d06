/*
 * test_compile_golden.c — the code the compiler emits, kept as golden
 * disassembly listings (tests/golden/disasm/), so that a change in the
 * bytecode of the standard programs or the examples shows up in review, as
 * SQLite's EXPLAIN tests and jq's --debug-dump-disasm do.
 *
 * Everything goes through the public API: compile, load, disassemble.
 * UPDATE_GOLDEN=1 rewrites the listings after a deliberate change.
 */
#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "rubric.h"

/* Compile the given rules file (NULL: the standard programs) and return its
 * disassembly, to free(). */
static char *disassemble_rules(const char *relative_path)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, relative_path == NULL), RUBRIC_OK);
    if (relative_path)
        assert_int_equal(rubric_compiler_add_file(c, test_path(relative_path)), RUBRIC_OK);
    void *bytecode = NULL;
    size_t len = 0;
    rubric_status st = rubric_compiler_run(c, false, &bytecode, &len);
    if (st != RUBRIC_OK) {
        char *diags = rubric_compiler_render_diags(c, false);
        fail_msg("%s does not compile:\n%s", relative_path ? relative_path : "stdlib",
                 diags ? diags : "");
    }
    assert_int_equal(rubric_compiler_diag_count(c), 0);
    rubric_compiler_free(c);

    rubric_module *m = NULL;
    char err[512];
    assert_int_equal(rubric_module_load(NULL, bytecode, len, &m, err, sizeof err), RUBRIC_OK);
    rubric_free(NULL, bytecode, len);
    size_t size = 0;
    char *text = rubric_module_disassemble(m, &size);
    assert_non_null(text);
    rubric_module_free(m);
    char *copy = strdup(text);
    rubric_free(NULL, text, size);
    assert_non_null(copy);
    return copy;
}

static void check_listing(const char *rules, const char *golden)
{
    char *listing = disassemble_rules(rules);
    /* A listing that says nothing would make the golden test vacuous. */
    assert_non_null(strstr(listing, "program "));
    assert_non_null(strstr(listing, "chunk "));
    test_check_golden(golden, listing);
    free(listing);
}

static void test_standard_programs(void **state)
{
    (void)state;
    char *listing = disassemble_rules(NULL);
    /* Every standard program is in the listing. */
    const char *programs[] = {"apn-2019-consulting", "apn-2019-technology", "apn-2022-services",
                              "service-delivery"};
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        if (!strstr(listing, programs[i]))
            fail_msg("program %s missing from the listing", programs[i]);
    free(listing);
    check_listing(NULL, "tests/golden/disasm/stdlib.txt");
}

static void test_example_cloud_security(void **state)
{
    (void)state;
    check_listing("examples/rules/cloud_security.rubric",
                  "tests/golden/disasm/cloud_security.txt");
}

/* Its audit areas are a requirement family: one node per area. */
static void test_example_msp_readiness(void **state)
{
    (void)state;
    check_listing("examples/rules/msp_readiness.rubric",
                  "tests/golden/disasm/msp_readiness.txt");
}

/* Compiling twice gives the same listing: the goldens are not flaky. */
static void test_listing_is_deterministic(void **state)
{
    (void)state;
    char *a = disassemble_rules("examples/rules/cloud_security.rubric");
    char *b = disassemble_rules("examples/rules/cloud_security.rubric");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_programs),
        cmocka_unit_test(test_example_cloud_security),
        cmocka_unit_test(test_example_msp_readiness),
        cmocka_unit_test(test_listing_is_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
