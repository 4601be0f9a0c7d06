/*
 * lex_literals.c — the values of literal tokens, checked: numbers,
 * durations, amounts, dates, months and strings (lex.h).
 */
#include "lex.h"

#include <string.h>

#include "calendar.h"
#include "money.h"

/* Decimal digits into *out; false when the value passes INT64_MAX. */
static bool digits_value(const char *text, size_t len, int64_t *out)
{
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = text[i] - '0';
        if (v > (INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

int lex_number(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out)
{
    if (!digits_value(text, len, out)) {
        lex_error(ctx, *loc, "the number %.*s is too large (the largest is %lld)", (int)len,
                  text, (long long)INT64_MAX);
        *out = 0;
    }
    return T_INT;
}

/* `90 day`, `1 days`: the unit agrees with the number, as the reference
 * writes durations (docs/language.md, "Literals"). */
static void check_unit_agrees(parse_ctx *ctx, const ast_loc *loc, const char *digits,
                              size_t ndigits, const char *word, size_t wlen, int64_t n)
{
    bool singular = word[wlen - 1] != 's';
    if ((n == 1) == singular)
        return;
    uint32_t before = ctx->diags->items.len;
    lex_error(ctx, *loc, "a duration's unit agrees with its number: `1 day`, `90 days`");
    if (ctx->diags->items.len > before)
        diag_hint(ctx->diags, "did you mean `%.*s %.*s%s`?", (int)ndigits, digits,
                  (int)(singular ? wlen : wlen - 1), word, singular ? "s" : "");
}

int lex_duration(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len,
                 RBP_STYPE *value)
{
    size_t digits = strspn(text, "0123456789");
    const char *word = text + digits + strspn(text + digits, " \t");
    size_t wlen = len - (size_t)(word - text);
    static const struct {
        const char *word;
        ast_duration_unit unit;
        int64_t factor;
    } units[] = {
        {"day", DUR_DAYS, 1},       {"days", DUR_DAYS, 1},     {"month", DUR_MONTHS, 1},
        {"months", DUR_MONTHS, 1}, {"year", DUR_MONTHS, 12}, {"years", DUR_MONTHS, 12},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].word) != wlen || memcmp(units[i].word, word, wlen) != 0)
            continue;
        int64_t n;
        if (!digits_value(text, digits, &n) || n > INT64_MAX / units[i].factor) {
            lex_error(ctx, *loc, "the duration %.*s is too large", (int)len, text);
            n = 0;
        } else {
            check_unit_agrees(ctx, loc, text, digits, word, wlen, n);
        }
        value->dur.amount = n * units[i].factor;
        value->dur.unit = units[i].unit;
        return T_DURATION;
    }
    if (!digits_value(text, digits, &value->i)) {
        ast_loc at = *loc;
        at.end_col = at.col + (uint32_t)digits - 1;
        lex_error(ctx, at, "the number %.*s is too large (the largest is %lld)", (int)digits,
                  text, (long long)INT64_MAX);
        value->i = 0;
    }
    return T_INT;
}

/* Commas separate groups of three digits; at most two decimals. */
int lex_money(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out)
{
    char plain[64];
    size_t n = 0;
    size_t group = 0;       /* digits since the last comma */
    bool grouped = false;   /* a comma was seen */
    bool fraction = false;
    *out = 0;
    for (size_t i = 1; i < len; i++) {
        char c = text[i];
        if (c == ',') {
            if ((grouped && group != 3) || (!grouped && group > 3)) {
                lex_error(ctx, lex_byte_loc(loc, i), "digits of an amount are grouped by three "
                          "after a comma: %.*s", (int)len, text);
                return T_MONEY;
            }
            grouped = true;
            group = 0;
            continue;
        }
        if (c == '.')
            fraction = true;
        else if (!fraction)
            group++;
        if (n + 1 >= sizeof plain) {
            lex_error(ctx, *loc, "the amount %.*s is too large", (int)len, text);
            return T_MONEY;
        }
        plain[n++] = c;
    }
    if (grouped && group != 3) {
        lex_error(ctx, *loc, "digits of an amount are grouped by three after a comma: %.*s",
                  (int)len, text);
        return T_MONEY;
    }
    const char *why = NULL;
    if (!money_parse_decimal(plain, n, out, &why)) {
        lex_error(ctx, *loc, "invalid amount %.*s: %s", (int)len, text,
                  why ? why : "not an amount");
        *out = 0;
    }
    return T_MONEY;
}

int lex_date(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out)
{
    int32_t days = 0;
    const char *why = NULL;
    if (!cal_parse_date(text, len, &days, &why))
        lex_error(ctx, *loc, "invalid date %.*s: %s", (int)len, text, why ? why : "");
    *out = days;
    return T_DATE;
}

int lex_month(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, int64_t *out)
{
    int32_t m = 0;
    const char *why = NULL;
    if (!cal_parse_month(text, len, &m, &why))
        lex_error(ctx, *loc, "invalid month %.*s: %s", (int)len, text, why ? why : "");
    *out = m;
    return T_MONTH;
}

/* Escapes: \" \\ \n \t; another is reported and kept as its character. */
int lex_string(parse_ctx *ctx, const ast_loc *loc, const char *text, size_t len, bool closed,
               RBP_STYPE *value)
{
    size_t end = closed ? len - 1 : len;
    lex_check_utf8(ctx, loc, text, len);
    char *out = arena_alloc(ctx->mem, len);
    if (!out) {
        value->str.ptr = parse_strndup(ctx, "", 0);
        value->str.len = 0;
        return T_STRING;
    }
    size_t n = 0;
    for (size_t i = 1; i < end; i++) {
        if (text[i] != '\\') {
            out[n++] = text[i];
            continue;
        }
        if (i + 1 >= end)
            break;
        char c = text[++i];
        switch (c) {
        case '"':
        case '\\':
            out[n++] = c;
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 't':
            out[n++] = '\t';
            break;
        default:
            lex_error(ctx, lex_byte_loc(loc, i - 1),
                      "unknown escape '\\%c' in a string (use \\\" \\\\ \\n or \\t)", c);
            out[n++] = c;
            break;
        }
    }
    out[n] = '\0';
    value->str.ptr = out;
    value->str.len = (uint32_t)n;
    return T_STRING;
}
