/* batch_files.c — partner data files for the internal batch engine
 * (runtime/batch/batch.h), which `rubric diff` still drives directly;
 * `rubric eval` uses the public rubric_batch (data_files.c). */
#include <stdio.h>

#include "batch.h"
#include "cli.h"

bool cli_run_data_files(struct batch *b, char *const *files, size_t nfiles)
{
    bool ok = true;
    for (size_t i = 0; i < nfiles; i++) {
        const char *name;
        bool jsonl;
        FILE *in = cli_open_data(files[i], &name, &jsonl);
        if (!in) {
            ok = false;
            continue;
        }
        if (!batch_run(b, in, name, jsonl))
            ok = false;
        cli_close_data(in);
        if (batch_get_stats(b)->write_failed)
            return false;
    }
    return ok;
}

void cli_print_batch_diag(const struct batch_diag *d, bool color)
{
    cli_print_diag(d->file, d->line, d->column, d->warning, d->message, color);
}
