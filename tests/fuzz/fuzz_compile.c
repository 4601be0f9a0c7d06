/*
 * fuzz_compile.c — any bytes as a rules file: the compiler must answer with
 * diagnostics or with bytecode that loads, never crash or hang; and what
 * the checker accepts (`rubric check`) must compile (`rubric compile`).
 * Each input is compiled once more with one of its allocations refused
 * (which one follows from the input): that compile must end out of
 * memory, or exactly as the first did, and leak nothing.
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

static rubric_config refusing_config(fuzz_refusing *r)
{
    rubric_config config;
    rubric_config_init(&config);
    config.allocator = fuzz_refusing_allocator(r);
    return config;
}

/* A compiler for the input, the standard modules importable so that
 * inputs can reach the type checker with the real schema (`import
 * apn.partner`); NULL when out of memory. */
static rubric_compiler *compiler_for(const rubric_config *config, const uint8_t *data,
                                     size_t size)
{
    rubric_compiler *c = rubric_compiler_new(config);
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
    rubric_compiler *c = compiler_for(NULL, data, size);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    rubric_status st = rubric_compiler_run(c, true, NULL, NULL);
    rubric_compiler_free(c);
    return st;
}

/* Compile the input with this allocator: its status, its bytecode
 * (malloc'ed) and its diagnostics (malloc'ed, NULL when none could be
 * rendered). */
static rubric_status compile(const rubric_config *config, const uint8_t *data, size_t size,
                             void **bytecode, size_t *len, char **diags)
{
    *bytecode = NULL;
    *len = 0;
    *diags = NULL;
    rubric_compiler *c = compiler_for(config, data, size);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    void *bytes = NULL;
    rubric_status st = rubric_compiler_run(c, false, &bytes, len);
    if (st == RUBRIC_OK) {
        *bytecode = malloc(*len);
        memcpy(*bytecode, bytes, *len);
        rubric_free(config, bytes, *len);
    }
    char *text = rubric_compiler_render_diags(c, false);
    if (text) {
        *diags = strdup(text);
        rubric_free(config, text, strlen(text) + 1);
    }
    rubric_compiler_free(c);
    return st;
}

/* The input once more, with allocation n of the compile refused. */
static void compile_refusing(const uint8_t *data, size_t size, uint64_t n, rubric_status want,
                             const void *want_bytes, size_t want_len)
{
    fuzz_refusing r = {0, n};
    rubric_config config = refusing_config(&r);
    void *bytes;
    size_t len;
    char *text;
    rubric_status st = compile(&config, data, size, &bytes, &len, &text);
    if (st != RUBRIC_ERR_NOMEM &&
        (st != want || len != want_len || (len && memcmp(bytes, want_bytes, len) != 0))) {
        fprintf(stderr, "allocation %llu refused: status %s, not %s nor out of memory\n%s",
                (unsigned long long)n, rubric_status_name(st), rubric_status_name(want),
                text ? text : "");
        abort();
    }
    free(bytes);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rubric_status checked = check_status(data, size);
    fuzz_refusing counter = {0, 0};
    rubric_config config = refusing_config(&counter);
    void *bytes;
    size_t len;
    char *text;
    rubric_status st = compile(&config, data, size, &bytes, &len, &text);
    if (st == RUBRIC_OK)
        check_verifies(bytes, len);
    if (checked == RUBRIC_OK && st != RUBRIC_OK && st != RUBRIC_ERR_NOMEM) {
        fprintf(stderr, "the checker accepts the rules but they do not compile:\n%s",
                text ? text : "");
        abort();
    }
    if (counter.calls)
        compile_refusing(data, size, fuzz_refusal_point(data, size, counter.calls), st, bytes,
                         len);
    free(bytes);
    free(text);
    return 0;
}
