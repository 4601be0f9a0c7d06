/* as_of.c — the evaluation date of the commands that take --as-of. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* The days of a date of the range in cli.h.  The rules look back years
 * from the date (rolling windows, sustained attainment) and forward to
 * renewal and review dates; near the calendar's ends (0001, 9999) that
 * arithmetic leaves its range and every partner fails. */
static int32_t range_end(const char *text)
{
    rubric_date d = {0};
    (void)rubric_date_parse(text, strlen(text), &d, NULL);
    return d.days;
}

/* Today where the user is, in days. */
static int32_t local_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    char text[32];
    rubric_date d = {0};
    if (localtime_r(&now, &tm) &&
        strftime(text, sizeof text, "%Y-%m-%d", &tm) == 10 &&
        rubric_date_parse(text, 10, &d, NULL))
        return d.days;
    return (int32_t)(now / 86400); /* the UTC date */
}

int cli_parse_as_of(const char *cmd, const char *text, int32_t *as_of)
{
    if (!text) {
        *as_of = local_today();
        return -1;
    }
    const char *why = NULL;
    rubric_date d;
    if (!rubric_date_parse(text, strlen(text), &d, &why))
        return cli_usage_error(cmd, "--as-of: '%s' is not a date YYYY-MM-DD (%s)", text, why);
    *as_of = d.days;
    if (*as_of < range_end(CLI_AS_OF_FIRST) || *as_of > range_end(CLI_AS_OF_LAST))
        return cli_usage_error(cmd, "--as-of: %s is out of range (" CLI_AS_OF_FIRST " to "
                               CLI_AS_OF_LAST ")", text);
    return -1;
}

void cli_format_date(int32_t days, char out[11])
{
    rubric_date_format(days, out);
}
