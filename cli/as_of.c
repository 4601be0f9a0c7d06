/* as_of.c — the evaluation date of the commands that take --as-of. */
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "cli.h"

/* A date of the range in cli.h.  The rules look back years from the date
 * (rolling windows, sustained attainment) and forward to renewal and review
 * dates; near the calendar's ends (0001, 9999) that arithmetic leaves its
 * range and every partner fails. */
static int32_t range_end(const char *text)
{
    int32_t days = 0;
    cal_parse_date(text, strlen(text), &days, NULL);
    return days;
}

/* Today where the user is (cal_today() is the UTC date). */
static int32_t local_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return cal_today();
    return cal_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int cli_parse_as_of(const char *cmd, const char *text, int32_t *as_of)
{
    if (!text) {
        *as_of = local_today();
        return -1;
    }
    const char *why = NULL;
    if (!cal_parse_date(text, strlen(text), as_of, &why))
        return cli_usage_error(cmd, "--as-of: '%s' is not a date YYYY-MM-DD (%s)", text, why);
    if (*as_of < range_end(CLI_AS_OF_FIRST) || *as_of > range_end(CLI_AS_OF_LAST))
        return cli_usage_error(cmd, "--as-of: %s is out of range (" CLI_AS_OF_FIRST " to "
                               CLI_AS_OF_LAST ")", text);
    return -1;
}

void cli_format_date(int32_t days, char out[11])
{
    cal_format_date(days, out);
}
