/*
 * compile_tests.c — the compiler's public API for rule-test files
 * (rubric.h, "Rule tests"): a test file's text in, its tests and
 * diagnostics out.
 */
#include "compiler.h"
#include "parse.h"

rubric_status rubric_compiler_parse_tests(rubric_compiler *c, const char *path,
                                          const char *text, size_t length,
                                          const rubric_test_file **tests)
{
    if (!c || !path || (!text && length) || !tests)
        return RUBRIC_ERR_USAGE;
    *tests = NULL;
    uint32_t errors = c->diags.errors;
    /* A source of its own, for diagnostics; not a file of the rules. */
    uint32_t source = sources_add(&c->sources, path, text ? text : "", length, NULL, false);
    if (source == UINT32_MAX)
        return RUBRIC_ERR_NOMEM;
    rubric_test_file *file = parse_test_file(source, &c->mem, &c->diags);
    if (!file || compiler_out_of_memory(c))
        return RUBRIC_ERR_NOMEM;
    *tests = file;
    return c->diags.errors != errors ? RUBRIC_ERR_COMPILE : RUBRIC_OK;
}
