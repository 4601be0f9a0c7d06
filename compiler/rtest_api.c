/* rtest_api.c — rubric_compiler_run_tests: the tests of a file the compiler
 * parsed, checked against the rules (rtest_check.c) and run (rtest_run.c). */
#include <string.h>

#include "compiler.h"
#include "rtest.h"

/* The source index the compiler gave the test file (its path is the
 * source's own string); UINT32_MAX when it read no such file. */
static uint32_t source_of(const rubric_compiler *c, const rubric_test_file *tests)
{
    for (uint32_t i = c->sources.files.len; i-- > 0;)
        if (c->sources.files.items[i].path == tests->path)
            return i;
    return UINT32_MAX;
}

/* Whether the compiler reported an error in that source (its syntax). */
static bool has_errors(const rubric_compiler *c, uint32_t source)
{
    for (uint32_t i = 0; i < c->diags.items.len; i++)
        if (c->diags.items.items[i].file == source &&
            c->diags.items.items[i].d.severity == RUBRIC_SEVERITY_ERROR)
            return true;
    return false;
}

static rubric_status run_checked(rtest_ctx *ctx, const rtest_file *file,
                                 rubric_write_fn write, void *user_data)
{
    for (size_t i = 0; i < file->tests->case_count; i++) {
        rtest_run_case(ctx, file, &file->tests->cases[i]);
        if (ctx->out.failed)
            return RUBRIC_ERR_NOMEM;
        if (ctx->out.len && !write(user_data, ctx->out.data, ctx->out.len))
            return RUBRIC_ERR_IO;
        sb_clear(&ctx->out);
    }
    return RUBRIC_OK;
}

rubric_status rubric_compiler_run_tests(rubric_compiler *compiler, const rubric_test_file *tests,
                                        rubric_module *const *modules, size_t module_count,
                                        bool verbose, rubric_write_fn write, void *user_data,
                                        rubric_test_counts *counts)
{
    if (!compiler || !tests || (module_count && !modules) || !write || !counts)
        return RUBRIC_ERR_USAGE;
    rtest_file file = {tests, source_of(compiler, tests)};
    if (file.source == UINT32_MAX)
        return RUBRIC_ERR_USAGE;
    rubric_allocator alloc = mem_default_allocator();
    rtest_ctx ctx = {0};
    ctx.alloc = &alloc;
    ctx.compiler = compiler;
    ctx.modules = modules;
    ctx.module_count = module_count;
    ctx.verbose = verbose;
    sb_init(&ctx.out, &alloc);
    ctx.sessions = mem_calloc(&alloc, module_count ? module_count : 1, sizeof *ctx.sessions);
    if (!ctx.sessions)
        return RUBRIC_ERR_NOMEM;
    /* Checked even after a syntax error, so that every problem is shown. */
    bool checked = rtest_check(&ctx, &file);
    rubric_status status = RUBRIC_ERR_COMPILE;
    if (compiler_out_of_memory(compiler))
        status = RUBRIC_ERR_NOMEM;
    else if (checked && !has_errors(compiler, file.source))
        status = run_checked(&ctx, &file, write, user_data);
    counts->passed += ctx.passed;
    counts->failed += ctx.failed;
    for (size_t i = 0; i < module_count; i++)
        rubric_session_free(ctx.sessions[i]);
    mem_free(&alloc, ctx.sessions, (module_count ? module_count : 1) * sizeof *ctx.sessions);
    sb_free(&ctx.out);
    return status;
}
