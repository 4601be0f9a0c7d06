/*
 * embed.c — using librubric from C: compile the standard rules, load the
 * verified bytecode once, and evaluate a partner file with a session.
 *
 *   cc embed.c -o embed $(pkg-config --cflags --libs rubric)   (or CMakeLists.txt, Makefile)
 *   ./embed PARTNER.json [AS_OF]
 *
 * A real host would compile once (`rubric compile`) and ship the .rbc; it
 * can share one rubric_module between threads, each with its own session.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rubric.h>

static bool write_stdout(void *user_data, const char *bytes, size_t length)
{
    (void)user_data;
    return fwrite(bytes, 1, length, stdout) == length;
}

static char *read_all(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    *length = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PARTNER.json [AS_OF]\n", argv[0]);
        return 2;
    }
    const char *as_of = argc > 2 ? argv[2] : "2026-11-22";

    /* 1. Rules -> bytecode.  Diagnostics come back as data, never printed. */
    rubric_compiler *compiler = rubric_compiler_new(NULL);
    void *bytecode = NULL;
    size_t bytecode_length = 0;
    if (!compiler || rubric_compiler_use_stdlib(compiler, true) != RUBRIC_OK ||
        rubric_compiler_run(compiler, false, &bytecode, &bytecode_length) != RUBRIC_OK) {
        char *text = compiler ? rubric_compiler_render_diags(compiler, false) : NULL;
        fprintf(stderr, "cannot compile the rules\n%s", text ? text : "");
        return 1;
    }
    rubric_compiler_free(compiler);

    /* 2. Bytecode -> a verified, immutable module. */
    rubric_module *module = NULL;
    char error[256];
    if (rubric_module_load(NULL, bytecode, bytecode_length, &module, error, sizeof error) !=
        RUBRIC_OK) {
        fprintf(stderr, "cannot load the rules: %s\n", error);
        return 1;
    }
    rubric_free(NULL, bytecode, bytecode_length);

    /* 3. A session per thread evaluates partners one at a time. */
    rubric_session *session = rubric_session_new(module, NULL);
    size_t length;
    char *json = read_all(argv[1], &length);
    if (!session || !json) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    rubric_eval_options options = {0};
    options.as_of = as_of;
    const rubric_report *report = NULL;
    rubric_error err;
    if (rubric_session_eval(session, json, length, &options, &report, &err) != RUBRIC_OK) {
        fprintf(stderr, "%s: %s %s\n", argv[1], err.path, err.message);
        return 1;
    }

    /* 4. Typed results, and the standard result format. */
    for (size_t i = 0; i < rubric_report_result_count(report); i++) {
        const char *tier = rubric_report_eligible_tier(report, i);
        rubric_req_status renewal;
        printf("%s: eligible tier %s", rubric_report_program_id(report, i),
               tier ? tier : "none");
        if (rubric_report_renewal_status(report, i, &renewal))
            printf(", renewal %s", rubric_req_status_name(renewal));
        printf("\n");
    }
    int status = rubric_report_write(report, RUBRIC_FORMAT_JSONL, write_stdout, NULL) ==
                         RUBRIC_OK
                     ? 0
                     : 1;
    free(json);
    rubric_session_free(session);
    rubric_module_free(module);
    return status;
}
