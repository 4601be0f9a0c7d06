/*
 * fuzz_compile.c — any bytes as a rules file: the compiler must answer with
 * diagnostics or with bytecode that loads, never crash or hang; and what
 * the checker accepts (`rubric check`) must compile (`rubric compile`).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "fuzz_support.h"
#include "mem.h"
#include "rubric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytecode the compiler produced must pass the reader (checksum included)
 * and the verifier: anything else is a compiler bug the fuzzer reports. */
static void check_verifies(const void *bytes, size_t len)
{
    rubric_allocator alloc = mem_default_allocator();
    bc_read_options options = {.skip_checksum = false};
    bc_module m;
    char why[512];
    if (!bc_read(bytes, len, &alloc, &options, &m, why, sizeof why) ||
        !bc_verify(&m, why, sizeof why)) {
        fprintf(stderr, "compiled bytecode rejected: %s\n", why);
        abort();
    }
    module_release(&m);
}

/* A compiler for the input, the standard modules importable so that
 * inputs can reach the type checker with the real schema (`import
 * apn.partner`); NULL when out of memory. */
static rubric_compiler *compiler_for(const uint8_t *data, size_t size)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    if (c && (rubric_compiler_use_stdlib(c, false) != RUBRIC_OK ||
              rubric_compiler_add_source(c, "fuzz.rubric", (const char *)data, size) !=
                  RUBRIC_OK)) {
        rubric_compiler_free(c);
        return NULL;
    }
    return c;
}

/* Check only, as `rubric check` does. */
static rubric_status check_status(const uint8_t *data, size_t size)
{
    rubric_compiler *c = compiler_for(data, size);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    rubric_status st = rubric_compiler_run(c, true, NULL, NULL);
    rubric_compiler_free(c);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rubric_status checked = check_status(data, size);
    rubric_compiler *c = compiler_for(data, size);
    if (!c)
        return 0;
    void *bytes = NULL;
    size_t len = 0;
    rubric_status st = rubric_compiler_run(c, false, &bytes, &len);
    if (st == RUBRIC_OK) {
        check_verifies(bytes, len);
        rubric_free(NULL, bytes, len);
    }
    char *text = rubric_compiler_render_diags(c, false);
    if (checked == RUBRIC_OK && st != RUBRIC_OK && st != RUBRIC_ERR_NOMEM) {
        fprintf(stderr, "the checker accepts the rules but they do not compile:\n%s",
                text ? text : "");
        abort();
    }
    if (text)
        rubric_free(NULL, text, strlen(text) + 1);
    rubric_compiler_free(c);
    return 0;
}
