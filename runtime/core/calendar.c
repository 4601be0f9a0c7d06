/* calendar.c — exact dates and months (proleptic Gregorian). */
#include "calendar.h"

#include <time.h>

bool cal_is_leap(int32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int32_t cal_days_in_month(int32_t year, int32_t month)
{
    static const int8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && cal_is_leap(year))
        return 29;
    return days[month - 1];
}

/* Days from civil, after Howard Hinnant's public-domain algorithm: shift
 * the year to start in March so that the leap day is last. */
int32_t cal_from_ymd(int32_t year, int32_t month, int32_t day)
{
    int32_t y = month <= 2 ? year - 1 : year;
    int32_t era = (y >= 0 ? y : y - 399) / 400;
    int32_t yoe = y - era * 400;
    int32_t mp = (month + 9) % 12;
    int32_t doy = (153 * mp + 2) / 5 + day - 1;
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_to_ymd(int32_t days, int32_t *year, int32_t *month, int32_t *day)
{
    int32_t z = days + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int32_t d = doy - (153 * mp + 2) / 5 + 1;
    int32_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

int cal_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int32_t w = (days + 3) % 7;
    return w < 0 ? w + 7 : w;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int32_t digits_value(const char *s, size_t n)
{
    int32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Parse "YYYY-MM" at s (7 bytes, checked by the caller). */
static bool parse_year_month(const char *s, int32_t *year, int32_t *month,
                             const char **why)
{
    if (!all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2))
        return false;
    *year = digits_value(s, 4);
    *month = digits_value(s + 5, 2);
    if (*year < 1) {
        if (why)
            *why = "year 0000 is out of range";
        return false;
    }
    if (*month < 1 || *month > 12) {
        if (why)
            *why = "month is out of range";
        return false;
    }
    return true;
}

bool cal_parse_date(const char *s, size_t len, int32_t *days, const char **why)
{
    int32_t year, month;
    if (why)
        *why = "expected a date YYYY-MM-DD";
    if (len != 10 || s[7] != '-' || !all_digits(s + 8, 2))
        return false;
    if (!parse_year_month(s, &year, &month, why))
        return false;
    int32_t day = digits_value(s + 8, 2);
    if (day < 1 || day > cal_days_in_month(year, month)) {
        if (why)
            *why = day < 1 || day > 31 ? "day is out of range"
                                       : "no such day in that month";
        return false;
    }
    *days = cal_from_ymd(year, month, day);
    return true;
}

bool cal_parse_month(const char *s, size_t len, int32_t *out, const char **why)
{
    int32_t year, month;
    if (why)
        *why = "expected a month YYYY-MM";
    if (len != 7 || !parse_year_month(s, &year, &month, why))
        return false;
    *out = year * 12 + month - 1;
    return true;
}

static void put_digits(char *out, int32_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void cal_format_date(int32_t days, char out[11])
{
    int32_t y, m, d;
    cal_to_ymd(days, &y, &m, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

void cal_format_month(int32_t month, char out[8])
{
    put_digits(out, month / 12, 4);
    out[4] = '-';
    put_digits(out + 5, month % 12 + 1, 2);
    out[7] = '\0';
}

bool cal_add_months(int32_t days, int64_t n, int32_t *out)
{
    int32_t y, m, d;
    cal_to_ymd(days, &y, &m, &d);
    if (n > CAL_MAX_MONTH || n < -CAL_MAX_MONTH)
        return false;
    int64_t month = (int64_t)y * 12 + (m - 1) + n;
    if (month < CAL_MIN_MONTH || month > CAL_MAX_MONTH)
        return false;
    int32_t ny = (int32_t)(month / 12);
    int32_t nm = (int32_t)(month % 12) + 1;
    int32_t last = cal_days_in_month(ny, nm);
    *out = cal_from_ymd(ny, nm, d < last ? d : last);
    return true;
}

bool cal_add_days(int32_t days, int64_t n, int32_t *out)
{
    /* Bound n before adding: days + INT64_MAX would overflow. */
    if (n > CAL_MAX_DATE - (int64_t)CAL_MIN_DATE || n < (int64_t)CAL_MIN_DATE - CAL_MAX_DATE)
        return false;
    int64_t r = (int64_t)days + n;
    if (r < CAL_MIN_DATE || r > CAL_MAX_DATE)
        return false;
    *out = (int32_t)r;
    return true;
}

int64_t cal_months_between(int32_t a, int32_t b)
{
    if (b < a)
        return -cal_months_between(b, a);
    int32_t ay, am, ad, by, bm, bd;
    cal_to_ymd(a, &ay, &am, &ad);
    cal_to_ymd(b, &by, &bm, &bd);
    int64_t m = ((int64_t)by * 12 + bm) - ((int64_t)ay * 12 + am);
    /* a + m months is the same day of b's month (clamped); one fewer
     * month when that lands after b. */
    int32_t shifted;
    if (cal_add_months(a, m, &shifted) && shifted > b)
        m--;
    return m;
}

int64_t cal_business_days(int32_t a, int32_t b)
{
    if (b <= a)
        return 0;
    int64_t total = (int64_t)b - a;
    int64_t weeks = total / 7;
    int64_t count = weeks * 5;
    /* The remaining days a + 7*weeks + 1 .. b. */
    for (int64_t d = (int64_t)a + weeks * 7 + 1; d <= b; d++)
        if (cal_weekday((int32_t)d) < 5)
            count++;
    return count;
}

int32_t cal_month_first_day(int32_t month)
{
    return cal_from_ymd(month / 12, month % 12 + 1, 1);
}

int32_t cal_month_of(int32_t days)
{
    int32_t y, m, d;
    cal_to_ymd(days, &y, &m, &d);
    return y * 12 + m - 1;
}

int32_t cal_today(void)
{
    time_t now = time(NULL);
    return (int32_t)(now / 86400);
}
