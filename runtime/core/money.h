/*
 * money.h — exact US dollar amounts as int64 cents.  No amount ever passes
 * through binary floating point.
 */
#ifndef RUBRIC_MONEY_H
#define RUBRIC_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A JSON number's raw text (already valid JSON grammar): "2500",
 * "10498.56", "-3", "2.5e3", "1.50E+2".  The written decimals, counted as
 * a decimal type counts them (fraction digits minus the exponent), may be
 * at most two: "12.345e1" (123.45) is fine; "10.500" and "1.0e-2" (0.010)
 * are errors.  Reasons: "more than two decimals", "amount out of range".
 */
bool money_parse_json_number(const char *s, size_t len, int64_t *cents,
                             const char **why);

/*
 * A decimal string's contents: -?[0-9]+(\.[0-9]{1,2})? exactly — no
 * exponent, no spaces, no '+', no thousands separators.  "10.500" is an
 * error ("more than two decimals"); so is "1e3" ("not a decimal number").
 */
bool money_parse_decimal(const char *s, size_t len, int64_t *cents,
                         const char **why);

/* The fewest digits that are exact: 10000, 1500.5, 10498.56, -0.05.
 * out must hold 32 bytes; returns the length written. */
size_t money_format_plain(int64_t cents, char out[32]);

/* For people: "$10,498.56", "$10,000", "-$1,500.50".  Cents shown only
 * when non-zero.  out must hold 40 bytes; returns the length written. */
size_t money_format_display(int64_t cents, char out[40]);

/* Checked arithmetic: false on overflow. */
bool money_add(int64_t a, int64_t b, int64_t *out);
bool money_mul(int64_t a, int64_t b, int64_t *out);

#endif /* RUBRIC_MONEY_H */
