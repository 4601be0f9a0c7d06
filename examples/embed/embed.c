/*
 * embed.c — using librubric from C: compile the standard rules, load the
 * verified bytecode once, evaluate a partner file with a session, and walk
 * its results as data: each view's requirements not met, with the gap in
 * words.
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

/* A value for a log line: 18, $11709.00, yes, a string; - for none. */
static void print_value(const rubric_value *v)
{
    long long cents = v->kind == RUBRIC_VALUE_MONEY ? llabs(v->as.cents) : 0;
    switch (v->kind) {
    case RUBRIC_VALUE_COUNT:
        printf("%lld", (long long)v->as.count);
        break;
    case RUBRIC_VALUE_MONEY:
        printf("%s$%lld.%02lld", v->as.cents < 0 ? "-" : "", cents / 100, cents % 100);
        break;
    case RUBRIC_VALUE_BOOL:
        printf("%s", v->as.boolean ? "yes" : "no");
        break;
    case RUBRIC_VALUE_STRING:
        printf("%.*s", (int)v->as.string.length, v->as.string.chars);
        break;
    default:
        printf("-");
        break;
    }
}

/* The requirements (and parts) of a list that are not met: status, actual
 * of required, and the sentence the scorecards print for it, if any. */
static void print_not_met(const rubric_requirement *reqs, size_t count, int depth)
{
    for (size_t i = 0; i < count; i++) {
        const rubric_requirement *q = &reqs[i];
        if (q->status != RUBRIC_MET && q->status != RUBRIC_NOT_APPLICABLE) {
            printf("    %*s%s %s ", 2 * depth, "", q->id, rubric_req_status_name(q->status));
            print_value(&q->actual);
            printf(" of ");
            print_value(&q->required);
            printf("%s%s\n", q->gap ? ": " : "", q->gap ? q->gap : "");
        }
        print_not_met(q->parts, q->part_count, depth + 1);
    }
}

static void print_view(const rubric_view *v)
{
    printf("  %s %s: %s%s\n", rubric_view_kind_name(v->kind), v->tier,
           rubric_req_status_name(v->status), v->eligible ? ", eligible" : "");
    print_not_met(v->requirements, v->requirement_count, 0);
}

/* One result: a tiered program's views, or a per-item program's items. */
static void print_result(const rubric_result *r)
{
    if (r->kind == RUBRIC_PROGRAM_TIERED)
        printf("%s: eligible tier %s\n", r->program_id,
               r->eligible_tier ? r->eligible_tier : "none");
    else
        printf("%s: %zu %s\n", r->program_id, r->item_count, r->items_name);
    for (size_t t = 0; t < r->tier_count; t++)
        print_view(&r->tiers[t]);
    if (r->renewal)
        print_view(r->renewal);
    if (r->upgrade)
        print_view(r->upgrade);
    for (size_t i = 0; i < r->item_count; i++) {
        const rubric_item *item = &r->items[i];
        printf("  ");
        print_value(&item->label);
        printf(": %s\n", rubric_item_status_name(item->status));
        print_not_met(item->requirements, item->requirement_count, 0);
    }
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

    /* 4. The results as data, valid until the next evaluation in the
     * session; then the standard result format. */
    const rubric_result *results = NULL;
    size_t count = 0;
    if (rubric_report_results(report, &results, &count) != RUBRIC_OK) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < count; i++)
        print_result(&results[i]);
    const rubric_program_error *errors = NULL;
    size_t nerrors = 0;
    if (rubric_report_errors(report, &errors, &nerrors) == RUBRIC_OK)
        for (size_t i = 0; i < nerrors; i++)
            printf("%s withheld: %s\n", errors[i].program_id, errors[i].message);
    int status = rubric_report_write(report, RUBRIC_FORMAT_JSONL, write_stdout, NULL) ==
                         RUBRIC_OK
                     ? 0
                     : 1;
    free(json);
    rubric_session_free(session);
    rubric_module_free(module);
    return status;
}
