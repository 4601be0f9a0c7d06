/*
 * evaluate_bytecode.c — a host that ships compiled rules: it links only the
 * runtime library (librubric-runtime, no compiler), loads a .rbc file made
 * by `rubric compile`, and prints each program's eligible tier and renewal
 * status for a partner file.
 *
 *   rubric compile -o rules.rbc                    (the standard programs)
 *   cc evaluate_bytecode.c -o evaluate_bytecode $(pkg-config --cflags --libs rubric-runtime)
 *   ./evaluate_bytecode rules.rbc PARTNER.json [AS_OF]
 */
#include <stdio.h>
#include <stdlib.h>

#include <rubric.h>

static char *read_all(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
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
    if (argc < 3) {
        fprintf(stderr, "usage: %s RULES.rbc PARTNER.json [AS_OF]\n", argv[0]);
        return 2;
    }
    size_t bytecode_length, json_length;
    char *bytecode = read_all(argv[1], &bytecode_length);
    char *json = read_all(argv[2], &json_length);
    if (!bytecode || !json) {
        fprintf(stderr, "cannot read %s\n", bytecode ? argv[2] : argv[1]);
        return 1;
    }
    rubric_module *module = NULL;
    char error[256];
    if (rubric_module_load(NULL, bytecode, bytecode_length, &module, error, sizeof error) !=
        RUBRIC_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], error);
        return 1;
    }
    free(bytecode);

    rubric_session *session = rubric_session_new(module, NULL);
    rubric_eval_options options = {0};
    options.as_of = argc > 3 ? argv[3] : "2026-11-22";
    const rubric_report *report = NULL;
    rubric_error err;
    if (!session ||
        rubric_session_eval(session, json, json_length, &options, &report, &err) != RUBRIC_OK) {
        fprintf(stderr, "%s: %s %s\n", argv[2], session ? err.path : "",
                session ? err.message : "out of memory");
        return 1;
    }
    for (size_t i = 0; i < rubric_report_result_count(report); i++) {
        const char *tier = rubric_report_eligible_tier(report, i);
        rubric_req_status renewal;
        printf("%s %s", rubric_report_program_id(report, i), tier ? tier : "-");
        if (rubric_report_renewal_status(report, i, &renewal))
            printf(" %s", rubric_req_status_name(renewal));
        printf("\n");
    }
    free(json);
    rubric_session_free(session);
    rubric_module_free(module);
    return 0;
}
