/*
 * batch.c — evaluate a population of partners on several threads through
 * rubric_batch: one line per partner (its id and eligible tiers, or its
 * error), in input order, and a progress count on stderr.
 *
 *   batch RULES.rbc PARTNERS.jsonl [THREADS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "rubric.h"

static int on_partner(void *user_data, const rubric_batch_partner *p)
{
    (void)user_data;
    if (p->error) {
        printf("%s:%u: %s\n", p->error->file, p->error->line, p->error->message);
        return 0;
    }
    /* The reports are valid during this call only. */
    const rubric_report *report = p->reports[0];
    printf("%s", rubric_report_partner_id(report));
    for (size_t i = 0; i < rubric_report_result_count(report); i++) {
        const char *tier = rubric_report_eligible_tier(report, i);
        printf(" %s=%s", rubric_report_program_id(report, i), tier ? tier : "none");
    }
    putchar('\n');
    return 0; /* non-zero would stop the batch */
}

static int on_progress(void *user_data, const rubric_batch_progress *p)
{
    (void)user_data;
    if (p->partners % 1000 == 0)
        fprintf(stderr, "%llu partners\n", (unsigned long long)p->partners);
    return 0;
}

static void *read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    char *bytes = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        bytes = malloc(size ? (size_t)size : 1);
    if (bytes && fread(bytes, 1, (size_t)size, f) != (size_t)size) {
        free(bytes);
        bytes = NULL;
    }
    if (f)
        fclose(f);
    *length = (size_t)size;
    return bytes;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: batch RULES.rbc PARTNERS.jsonl [THREADS]\n");
        return 2;
    }
    size_t length;
    void *bytecode = read_file(argv[1], &length);
    if (!bytecode) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    rubric_module *module = NULL;
    char why[256];
    rubric_status st = rubric_module_load(NULL, bytecode, length, &module, why, sizeof why);
    free(bytecode);
    if (st != RUBRIC_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], why);
        return 1;
    }

    rubric_batch_options options = {0};
    options.eval.as_of = "2026-11-22";
    options.threads = argc > 3 ? (unsigned)atoi(argv[3]) : 4;
    options.on_partner = on_partner;
    options.on_progress = on_progress;
    const rubric_module *modules[] = {module};
    rubric_error error;
    rubric_batch *batch = rubric_batch_new(modules, 1, NULL, &options, &error);
    if (!batch) {
        fprintf(stderr, "%s\n", error.message);
        rubric_module_free(module);
        return 1;
    }
    FILE *in = fopen(argv[2], "rb");
    st = in ? rubric_batch_add_file(batch, argv[2], in, RUBRIC_INPUT_AUTO) : RUBRIC_ERR_IO;
    if (in)
        fclose(in);
    rubric_batch_stats stats = {0};
    if (rubric_batch_finish(batch, &stats) == RUBRIC_OK)
        fprintf(stderr, "%llu partners evaluated, %llu errors\n",
                (unsigned long long)stats.partners, (unsigned long long)stats.errors);
    rubric_batch_free(batch);
    rubric_module_free(module);
    return st == RUBRIC_OK && stats.errors == 0 ? 0 : 1;
}
