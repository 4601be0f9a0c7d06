/*
 * calendar.h — exact dates and months (proleptic Gregorian).
 *
 *   date   int32 days since 1970-01-01; valid 0001-01-01 .. 9999-12-31
 *   month  int32 year * 12 + (month - 1); valid 0001-01 .. 9999-12
 *
 * Month arithmetic is always from the original date and clamps the day to
 * the last day of the resulting month (2024-02-29 - 12 months = 2023-02-28;
 * 2026-08-31 - 5 months = 2026-03-31).
 */
#ifndef RUBRIC_CALENDAR_H
#define RUBRIC_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAL_MIN_DATE (-719162) /* 0001-01-01 */
#define CAL_MAX_DATE 2932896   /* 9999-12-31 */
#define CAL_MIN_MONTH 12       /* 0001-01 */
#define CAL_MAX_MONTH 119999   /* 9999-12 */

bool cal_is_leap(int32_t year);
int32_t cal_days_in_month(int32_t year, int32_t month); /* month 1..12 */

/* Days since 1970-01-01 of a valid y-m-d (caller checked validity). */
int32_t cal_from_ymd(int32_t year, int32_t month, int32_t day);
void cal_to_ymd(int32_t days, int32_t *year, int32_t *month, int32_t *day);

/* 0 = Monday .. 6 = Sunday. */
int cal_weekday(int32_t days);

/*
 * Parse exactly "YYYY-MM-DD" (10 bytes, ASCII digits, year >= 0001).
 * On failure returns false and, if why is not NULL, a reason:
 * "expected a date YYYY-MM-DD", "year 0000 is out of range",
 * "month is out of range", "day is out of range",
 * "no such day in that month".
 */
bool cal_parse_date(const char *s, size_t len, int32_t *days, const char **why);
/* Parse exactly "YYYY-MM" ("expected a month YYYY-MM", ...). */
bool cal_parse_month(const char *s, size_t len, int32_t *month, const char **why);

/* Write "YYYY-MM-DD" (11 bytes with NUL). */
void cal_format_date(int32_t days, char out[11]);
/* Write "YYYY-MM" (8 bytes with NUL). */
void cal_format_month(int32_t month, char out[8]);

/* date + n months, clamped.  False when the result leaves the valid range. */
bool cal_add_months(int32_t days, int64_t n, int32_t *out);
/* date + n days.  False when the result leaves the valid range. */
bool cal_add_days(int32_t days, int64_t n, int32_t *out);
/* The largest m with a + m months <= b (b >= a); negative symmetric. */
int64_t cal_months_between(int32_t a, int32_t b);
/* Days d with a < d <= b that are Monday..Friday (0 when b <= a). */
int64_t cal_business_days(int32_t a, int32_t b);

/* First day of a month; the month of a date. */
int32_t cal_month_first_day(int32_t month);
int32_t cal_month_of(int32_t days);

/* Today's date in UTC. */
int32_t cal_today(void);

#endif /* RUBRIC_CALENDAR_H */
