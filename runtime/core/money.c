/* money.c — exact dollar amounts as int64 cents. */
#include "money.h"

#include <string.h>

bool money_add(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

bool money_mul(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

/*
 * The common core: sign, integer digits, fraction digits and a decimal
 * exponent, combined into cents exactly.  value = digits * 10^(exp - frac).
 */
static bool to_cents(bool negative, const char *int_digits, size_t nint,
                     const char *frac_digits, size_t nfrac, int64_t exp,
                     int64_t *cents, const char **why)
{
    /* The written decimals, as a decimal type counts them. */
    int64_t decimals = (int64_t)nfrac - exp;
    if (decimals > 2) {
        if (why)
            *why = "more than two decimals";
        return false;
    }
    /* cents = all digits * 10^(2 - decimals) */
    int64_t scale = 2 - decimals;
    int64_t v = 0;
    bool nonzero = false;
    for (size_t i = 0; i < nint + nfrac; i++) {
        char c = i < nint ? int_digits[i] : frac_digits[i - nint];
        int d = c - '0';
        if (d)
            nonzero = true;
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v))
            goto range;
    }
    if (nonzero) {
        if (scale > 19)
            goto range;
        for (int64_t i = 0; i < scale; i++)
            if (__builtin_mul_overflow(v, 10, &v))
                goto range;
    }
    *cents = negative ? -v : v;
    return true;
range:
    if (why)
        *why = "amount out of range";
    return false;
}

bool money_parse_json_number(const char *s, size_t len, int64_t *cents,
                             const char **why)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && s[i] == '-') {
        negative = true;
        i++;
    }
    size_t int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t nint = i - int_start;
    size_t frac_start = i, nfrac = 0;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        nfrac = i - frac_start;
    }
    int64_t exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        size_t estart = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
            i++;
        }
        if (i == estart)
            goto syntax;
        if (eneg)
            exp = -exp;
    }
    if (nint == 0 || i != len || (s[frac_start - 1] == '.' && nfrac == 0))
        goto syntax;
    return to_cents(negative, s + int_start, nint, s + frac_start, nfrac, exp,
                    cents, why);
syntax:
    if (why)
        *why = "not a number";
    return false;
}

bool money_parse_decimal(const char *s, size_t len, int64_t *cents,
                         const char **why)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && s[i] == '-') {
        negative = true;
        i++;
    }
    size_t int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t nint = i - int_start;
    size_t frac_start = i, nfrac = 0;
    bool has_point = false;
    if (i < len && s[i] == '.') {
        has_point = true;
        frac_start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        nfrac = i - frac_start;
    }
    if (nint == 0 || i != len || (has_point && nfrac == 0)) {
        if (why)
            *why = "not a decimal number";
        return false;
    }
    return to_cents(negative, s + int_start, nint, s + frac_start, nfrac, 0,
                    cents, why);
}

/* Magnitude of cents as an unsigned value (INT64_MIN included). */
static uint64_t magnitude(int64_t cents)
{
    return cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
}

size_t money_format_plain(int64_t cents, char out[32])
{
    uint64_t m = magnitude(cents);
    uint64_t dollars = m / 100;
    unsigned frac = (unsigned)(m % 100);
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + dollars % 10);
        dollars /= 10;
    } while (dollars);
    size_t len = 0;
    if (cents < 0)
        out[len++] = '-';
    while (n)
        out[len++] = digits[--n];
    if (frac) {
        out[len++] = '.';
        out[len++] = (char)('0' + frac / 10);
        if (frac % 10)
            out[len++] = (char)('0' + frac % 10);
    }
    out[len] = '\0';
    return len;
}

size_t money_format_display(int64_t cents, char out[40])
{
    uint64_t m = magnitude(cents);
    uint64_t dollars = m / 100;
    unsigned frac = (unsigned)(m % 100);
    char digits[32];
    int n = 0, group = 0;
    do {
        if (group == 3) {
            digits[n++] = ',';
            group = 0;
        }
        digits[n++] = (char)('0' + dollars % 10);
        dollars /= 10;
        group++;
    } while (dollars);
    size_t len = 0;
    if (cents < 0)
        out[len++] = '-';
    out[len++] = '$';
    while (n)
        out[len++] = digits[--n];
    if (frac) {
        out[len++] = '.';
        out[len++] = (char)('0' + frac / 10);
        out[len++] = (char)('0' + frac % 10);
    }
    out[len] = '\0';
    return len;
}
