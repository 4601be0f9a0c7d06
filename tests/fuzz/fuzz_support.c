/*
 * fuzz_support.c — the standard module, limits and batch evaluation shared
 * by the fuzz targets (see fuzz_support.h).
 */
#include "fuzz_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "calendar.h"
#include "session.h"

/* The date the golden scorecards of examples/ are computed at. */
#define FUZZ_AS_OF "2026-11-22"

rubric_limits fuzz_limits(void)
{
    rubric_limits limits = {
        .max_instructions = 2000000,
        .max_memory = 64u << 20,
        .max_input_bytes = 4u << 20,
        .max_depth = 256,
    };
    return limits;
}

static rubric_module *load_stdlib(void)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    void *bytes = NULL;
    size_t len = 0;
    if (!c || rubric_compiler_use_stdlib(c, true) != RUBRIC_OK ||
        rubric_compiler_run(c, false, &bytes, &len) != RUBRIC_OK) {
        fprintf(stderr, "fuzz: the standard rules do not compile\n");
        abort();
    }
    rubric_compiler_free(c);
    rubric_module *module = NULL;
    char why[256];
    if (rubric_module_load(NULL, bytes, len, &module, why, sizeof why) != RUBRIC_OK) {
        fprintf(stderr, "fuzz: the standard bytecode does not load: %s\n", why);
        abort();
    }
    rubric_free(NULL, bytes, len);
    return module;
}

const rubric_module *fuzz_stdlib_module(void)
{
    /* Built once per process and never freed: libFuzzer runs until exit. */
    static rubric_module *module;
    if (!module)
        module = load_stdlib();
    return module;
}

static bool discard_output(void *user_data, const char *bytes, size_t len)
{
    (void)user_data;
    (void)bytes;
    (void)len;
    return true;
}

static void discard_diag(void *user_data, const batch_diag *d)
{
    (void)user_data;
    (void)d;
}

static void *refusing_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    fuzz_refusing *r = user_data;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return ++r->calls == r->fail_at ? NULL : realloc(ptr, new_size);
}

rubric_allocator fuzz_refusing_allocator(fuzz_refusing *r)
{
    return (rubric_allocator){refusing_realloc, r};
}

uint64_t fuzz_refusal_point(const uint8_t *data, size_t size, uint64_t calls)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    return calls ? 1 + h % calls : 0;
}

bool fuzz_eval_file(const rubric_module *module, const rubric_allocator *alloc,
                    const uint8_t *data, size_t size, bool jsonl)
{
    work_unit unit = {session_module(module), session_load_plan(module), NULL};
    rubric_config defaults;
    rubric_config_init(&defaults);
    if (alloc)
        defaults.allocator = *alloc;
    int32_t as_of = 0;
    const char *why = NULL;
    if (!cal_parse_date(FUZZ_AS_OF, strlen(FUZZ_AS_OF), &as_of, &why))
        abort();
    batch_config cfg = {
        .units = &unit,
        .nunits = 1,
        .alloc = defaults.allocator,
        .limits = fuzz_limits(),
        .as_of = as_of,
        .format = BATCH_JSONL,
        .jobs = 0,
        .write = discard_output,
        .diag = discard_diag,
    };
    batch *b = batch_new(&cfg);
    if (!b && !alloc)
        abort();
    if (!b)
        return false; /* out of memory, as asked */
    /* fmemopen cannot open an empty buffer: give it one byte it never reads. */
    static const char nothing[1];
    FILE *in = fmemopen(size ? (void *)data : (void *)nothing, size ? size : 1, "rb");
    if (!in)
        abort();
    if (!size)
        (void)fgetc(in);
    bool ok = batch_run(b, in, "fuzz-input", jsonl);
    fclose(in);
    batch_finish(b);
    ok = ok && batch_get_stats(b)->errors == 0;
    batch_free(b);
    return ok;
}

char *fuzz_read_source_file(const char *relative, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", RUBRIC_SOURCE_DIR, relative);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz: cannot read %s\n", path);
        abort();
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        abort();
    *len = n;
    return buf;
}
