/* eval_summary.c — `rubric eval -f summary|summary-json`: every partner the
 * batch gives is added to a rubric_summary, written at the end. */
#include <string.h>

#include "cli.h"

bool cli_summary_format(const char *name, int *format)
{
    if (strcmp(name, "summary") == 0)
        *format = CLI_SUMMARY_TEXT;
    else if (strcmp(name, "summary-json") == 0)
        *format = CLI_SUMMARY_JSON;
    else
        return false;
    return true;
}

int cli_summary_add_partner(rubric_summary *summary, const rubric_batch_partner *partner)
{
    if (partner->error) {
        rubric_summary_add_failure(summary);
        return 0;
    }
    for (size_t u = 0; u < partner->report_count; u++) {
        const rubric_result *results;
        const rubric_program_error *errors;
        size_t count, nerrors;
        if (rubric_report_results(partner->reports[u], &results, &count) != RUBRIC_OK ||
            rubric_report_errors(partner->reports[u], &errors, &nerrors) != RUBRIC_OK ||
            rubric_summary_add(summary, results, count, errors, nerrors) != RUBRIC_OK)
            return 1; /* out of memory: stop */
    }
    return 0;
}

bool cli_summary_write(const rubric_summary *summary, int format, cli_output *out)
{
    rubric_status st = rubric_summary_write(
        summary, format == CLI_SUMMARY_JSON ? RUBRIC_SUMMARY_JSON : RUBRIC_SUMMARY_TEXT,
        cli_output_sink, out);
    if (st == RUBRIC_ERR_NOMEM)
        cli_error("out of memory");
    return st == RUBRIC_OK;
}
