/*
 * test_parse_errors.c — the grammar on bad input: every syntax and
 * literal error with its message, line and column; recovery (one typo,
 * one diagnostic; several errors per file); hostile input (deep nesting,
 * NUL bytes, invalid UTF-8, tabs, huge numbers).
 */
#include "test_support.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"

/* The parser's limits (compiler/parse_ctx.h). */
enum { MAX_ERRORS = 50, MAX_BRACKETS = 200 };

typedef struct parsed {
    source_table sources;
    diag_list diags;
    arena mem;
    ast_file *file;
} parsed;

static void parse_bytes(parsed *p, const char *text, size_t len)
{
    sources_init(&p->sources, test_alloc());
    diags_init(&p->diags, test_alloc(), &p->sources);
    arena_init(&p->mem, test_alloc(), 0);
    uint32_t f = sources_add(&p->sources, "bad.rubric", text, len, NULL, true);
    assert_int_not_equal(f, UINT32_MAX);
    p->file = parse_file(f, &p->mem, &p->diags);
    assert_non_null(p->file);
    for (uint32_t i = 0; i < p->diags.items.len; i++) {
        const rubric_diag *d = &p->diags.items.items[i].d;
        printf("  %u:%u: %s\n", d->line, d->column, d->message);
    }
}

static void parsed_free(parsed *p)
{
    arena_free(&p->mem);
    diags_free(&p->diags);
    sources_free(&p->sources);
}

static void assert_diag(const parsed *p, uint32_t index, uint32_t line, uint32_t col,
                        const char *message)
{
    assert_true(index < p->diags.items.len);
    const rubric_diag *d = &p->diags.items.items[index].d;
    assert_int_equal(d->severity, RUBRIC_SEVERITY_ERROR);
    assert_string_equal(d->message, message);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, col);
}

/* text gives exactly one diagnostic: message at line:col. */
static void one_error_len(const char *text, size_t len, uint32_t line, uint32_t col,
                          const char *message)
{
    parsed p;
    parse_bytes(&p, text, len);
    assert_diag(&p, 0, line, col, message);
    assert_int_equal(p.diags.items.len, 1);
    parsed_free(&p);
}

/* A literal with NUL bytes in it, and its length. */
#define BYTES(s) s, sizeof(s) - 1

static void parse_str(parsed *p, const char *text)
{
    parse_bytes(p, text, strlen(text));
}

static void one_error(const char *text, uint32_t line, uint32_t col, const char *message)
{
    one_error_len(text, strlen(text), line, col, message);
}

/* ------------------------------------------------------------ literals */

static void test_bad_dates_and_months(void **state)
{
    (void)state;
    one_error("let a = 2019-02-30\n", 1, 9, "invalid date 2019-02-30: no such day in that month");
    one_error("let a = 2023-02-29\n", 1, 9, "invalid date 2023-02-29: no such day in that month");
    one_error("let a = 2019-13-01\n", 1, 9, "invalid date 2019-13-01: month is out of range");
    one_error("let a = 0000-01-01\n", 1, 9, "invalid date 0000-01-01: year 0000 is out of range");
    one_error("let a = 2026-00\n", 1, 9, "invalid month 2026-00: month is out of range");
}

static void test_bad_money(void **state)
{
    (void)state;
    one_error("let a = $1,50\n", 1, 9,
              "digits of an amount are grouped by three after a comma: $1,50");
    one_error("let a = $1234,567\n", 1, 14,
              "digits of an amount are grouped by three after a comma: $1234,567");
    one_error("let a = $1,5000,000\n", 1, 16,
              "digits of an amount are grouped by three after a comma: $1,5000,000");
    one_error("let a = $1.505\n", 1, 9, "invalid amount $1.505: more than two decimals");
    one_error("let a = $99999999999999999999\n", 1, 9,
              "invalid amount $99999999999999999999: amount out of range");
    one_error("let a = $1234567890123456789012345678901234567890123456789012345678901234567890\n",
              1, 9,
              "the amount $1234567890123456789012345678901234567890123456789012345678901234567890"
              " is too large");
}

static void test_numbers_too_large(void **state)
{
    (void)state;
    one_error("let a = 9223372036854775808\n", 1, 9,
              "the number 9223372036854775808 is too large (the largest is "
              "9223372036854775807)");
    one_error("let a = if c then 99999999999999999999 else 1\n", 1, 19,
              "the number 99999999999999999999 is too large (the largest is "
              "9223372036854775807)");
    one_error("let a = 99999999999999999999 days\n", 1, 9,
              "the duration 99999999999999999999 days is too large");
    one_error("let a = 768614336404564651 years\n", 1, 9,
              "the duration 768614336404564651 years is too large");
}

/* text gives exactly one diagnostic, whose underline and hint are given. */
static void one_error_hint(const char *text, uint32_t line, uint32_t col, uint32_t length,
                           const char *message, const char *hint)
{
    parsed p;
    parse_str(&p, text);
    assert_int_equal(p.diags.items.len, 1);
    assert_diag(&p, 0, line, col, message);
    const rubric_diag *d = &p.diags.items.items[0].d;
    assert_int_equal(d->length, length);
    assert_non_null(d->hint);
    assert_string_equal(d->hint, hint);
    parsed_free(&p);
}

/* `1 day`, `90 days`: the unit agrees with the number; `90 day` is not
 * read as 90 days in silence. */
static void test_duration_units_agree(void **state)
{
    (void)state;
    static const char *const good[] = {"let a = 1 day\n", "let a = 1 month\n",
                                       "let a = 1 year\n", "let a = 0 days\n",
                                       "let a = 90 days\n", "let a = 2 years\n"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        parsed p;
        parse_str(&p, good[i]);
        assert_int_equal(p.diags.items.len, 0);
        parsed_free(&p);
    }
    const char *message = "a duration's unit agrees with its number: `1 day`, `90 days`";
    one_error_hint("let a = 90 day\n", 1, 9, 6, message, "did you mean `90 days`?");
    one_error_hint("let a = 1 days\n", 1, 9, 6, message, "did you mean `1 day`?");
    one_error_hint("let a = 12 month\n", 1, 9, 8, message, "did you mean `12 months`?");
    one_error_hint("let a = 1 years\n", 1, 9, 7, message, "did you mean `1 year`?");
}

static void test_bad_strings(void **state)
{
    (void)state;
    one_error("let a = \"ab\\qc\"\n", 1, 12,
              "unknown escape '\\q' in a string (use \\\" \\\\ \\n or \\t)");
    one_error("let a = \"abc\nlet b = 1\n", 1, 9, "this string has no closing '\"' on its line");
    one_error("let a = \"abc\\\"\n", 1, 9, "this string has no closing '\"' on its line");
}

/* ------------------------------------------------------------ hostile bytes */

static void test_invalid_utf8(void **state)
{
    (void)state;
    one_error("let a = \"x\xff\"\n", 1, 11, "invalid UTF-8 byte 0xff");
    one_error("# comment \xc3\x28\nlet a = 1\n", 1, 11, "invalid UTF-8 byte 0xc3");
    one_error("let a = \"\xed\xa0\x80\"\n", 1, 10, "invalid UTF-8 byte 0xed"); /* surrogate */
    one_error("let a = \"\xc0\xaf\"\n", 1, 10, "invalid UTF-8 byte 0xc0");     /* overlong */
    one_error("let a = 1 \xfe\n", 1, 11, "invalid UTF-8 byte 0xfe");
}

static void test_nul_bytes(void **state)
{
    (void)state;
    one_error_len(BYTES("let a = 1\0\nlet b = 2\n"), 1, 10, "a NUL byte in the source");
    one_error_len(BYTES("let a = \"x\0y\"\n"), 1, 11, "a NUL byte in the source");
    one_error_len(BYTES("# x\0y\nlet a = 1\n"), 1, 4, "a NUL byte in the source");
}

static void test_stray_characters(void **state)
{
    (void)state;
    one_error("let a = 3 @ 4\n", 1, 11, "unexpected character '@'");
    one_error("let a = \xc3\xa9\n", 1, 9, "unexpected character '\xc3\xa9'");
    one_error("let a = 1 \x01\n", 1, 11, "unexpected control character 0x01");
}

static void test_tab_in_indentation(void **state)
{
    (void)state;
    /* One diagnostic: the rest of the file is not read. */
    one_error("record A\n  a: int\n\tb: int\n  c int\n", 3, 1,
              "a tab in indentation; indent with spaces");
    one_error("record A\n  \tb: int\n", 2, 3, "a tab in indentation; indent with spaces");
    /* A tab between tokens, or on a blank line, is only a blank. */
    parsed p;
    parse_str(&p, "let a =\t1\n\t\nlet b = 2\n");
    assert_int_equal(p.diags.items.len, 0);
    assert_int_equal(p.file->nitems, 2);
    parsed_free(&p);
}

/* ------------------------------------------------------------ layout */

static void test_inconsistent_dedent(void **state)
{
    (void)state;
    parsed p;
    parse_str(&p, "record A\n    a: int\n  b: int\nrecord B\n  c: int\n");
    assert_diag(&p, 0, 3, 3,
                "this line is indented 2 spaces, which matches no enclosing block (0 or 4)");
    assert_int_equal(p.diags.items.len, 1);
    /* The line is read as part of the deeper block. */
    assert_int_equal(p.file->nitems, 2);
    assert_int_equal(p.file->items[0].u.record->nfields, 2);
    parsed_free(&p);
}

static void test_unexpected_indentation(void **state)
{
    (void)state;
    parsed p;
    parse_str(&p, "let x = 1\n  let y = 2\n    let z = 3\nlet w = 4\n");
    assert_diag(&p, 0, 2, 3, "this line is indented, but the line before it opens no block");
    assert_int_equal(p.diags.items.len, 1);
    assert_int_equal(p.file->nitems, 2);
    assert_string_equal(p.file->items[1].u.let->name.name, "w");
    parsed_free(&p);
}

/* ------------------------------------------------------------ syntax */

static void test_syntax_error_messages(void **state)
{
    (void)state;
    one_error("record A\n  a int\n", 2, 5, "unexpected 'int', expecting ':'");
    one_error("let x = \n", 1, 8, "unexpected end of line, expecting an expression");
    one_error("let x = (1, 2\n", 1, 14, "unexpected end of line, expecting ')', ']' or an operator");
    one_error("let x = 1 2\n", 1, 11, "unexpected '2', expecting end of line or an operator");
    one_error("let x = \"s\" \"t\"\n", 1, 13, "unexpected \"t\", expecting end of line or an operator");
    one_error("fn f(a int): int = a\n", 1, 8, "unexpected 'int', expecting ':'");
    one_error("schema \"s\" Partner\n", 1, 12, "unexpected 'Partner', expecting 'root'");
    one_error("enum E a | b < c\n", 1, 14, "unexpected '<', expecting end of line or '|'");
    one_error("program \"p\" \"P\" version \"1\"\n  category C\n    requirement r \"R\"\n"
              "      x   at lest 4\n",
              4, 11, "unexpected 'at', expecting 'required', 'at least', 'at most' or an operator");
    /* The end of the file ends the last line. */
    one_error("let a = b where", 1, 16, "unexpected end of line, expecting an expression");
    one_error("let a = (1", 1, 11, "unexpected end of line, expecting ')', ',' or an operator");
    one_error("record\n", 1, 7, "unexpected end of line, expecting a name");
}

static void test_declaration_errors(void **state)
{
    (void)state;
    one_error("record A\n  a: int keyy\n", 2, 10,
              "unknown field annotation 'keyy' (key, label or tag)");
    one_error("record A\n  a: set of int\n", 2, 6,
              "'set of …' is not a type: only 'list of' and 'map of' take an element type");
}

/* A program header around the given member lines. */
#define PROGRAM(members) "program \"p\" \"P\" version \"1\"\n" members

static void test_program_errors(void **state)
{
    (void)state;
    one_error("program \"p\" \"P\" versio \"1\"\n  applies when true\n", 1, 17,
              "expected 'version' after the program's title, found 'versio'");
    one_error(PROGRAM("  rolling window (a, b] due c\n"), 2, 25,
              "only the renewal window has a `due` date");
    one_error(PROGRAM("  sideways window (a, b]\n"), 2, 3,
              "expected 'rolling window' or 'renewal window', found 'sideways'");
    one_error(PROGRAM("  applies when true\n  applies when false\n"), 3, 3,
              "`applies when` is given twice (first at line 2)");
    one_error(PROGRAM("  rolling window (a, b]\n  rolling window (a, b]\n"), 3, 3,
              "`rolling window` is given twice (first at line 2)");
    one_error(PROGRAM("  renewal window (a, b] due c\n  renewal window (a, b] due c\n"), 3, 3,
              "`renewal window` is given twice (first at line 2)");
    one_error(PROGRAM("  tiers A < B by t\n  tiers A by t\n"), 3, 3,
              "`tiers` is given twice (first at line 2)");
    one_error(PROGRAM("  extends \"a\"\n  extends \"b\"\n"), 3, 3, "`extends` is given twice");
}

static void test_unknown_program_clause(void **state)
{
    (void)state;
    parsed p;
    parse_str(&p, PROGRAM("  categroy K\n    requirement r \"R\"\n      x   required\n"
                          "  applies when true\n"));
    assert_diag(&p, 0, 2, 3, "unknown program clause 'categroy'");
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.hint,
                        "a program's lines are extends, applies when, tiers, rolling window, "
                        "renewal window, let, requirement and category");
    assert_non_null(p.file->items[0].u.program->applies);
    parsed_free(&p);
}

#define REQ(lines) PROGRAM("  category C\n    requirement r \"R\"" lines)

static void test_requirement_errors(void **state)
{
    (void)state;
    one_error(REQ("\n      x   required - | no\n"), 4, 24,
              "a `required` column is `yes` or `-`, not 'no'");
    one_error(REQ("\n      x   at least 1\n      y   at least 2\n"), 5, 7,
              "a requirement has one measure; this is a second one (the first is at line 4)");
    one_error(REQ("   x   at least 1\n      y   at least 2\n"), 4, 7,
              "a requirement has one measure; this is a second one (the first is at line 3)");
    one_error(REQ("\n      x   required\n      grace when a\n      grace when b\n"), 6, 7,
              "`grace when` is given twice (first at line 5)");
    one_error(REQ("\n      x   required\n      not_applicable when a\n"
                  "      not_applicable when b\n"),
              6, 7, "`not_applicable when` is given twice (first at line 5)");
    one_error(REQ("\n      x   required\n      at_risk when a\n      at_risk when b\n"), 6, 7,
              "`at_risk when` is given twice (first at line 5)");
}

/* ------------------------------------------------------------ recovery */

static const char typo_base[] =
    "program \"p\" \"P\" version \"1\"\n"
    "  tiers A < B by t\n"
    "  category C\n"
    "    requirement one \"One\"\n"
    "      count(x)   at least 1 | 2\n"
    "    %s\n"
    "      count(x)   at least 1 | 2\n"
    "      part sub \"Sub\"\n"
    "        count(x)   at least 1 | 2\n"
    "    requirement three \"Three\"\n"
    "      count(x)   at least 1 | 2\n"
    "let after = 1\n";

/* The file with line 6 replaced has one diagnostic, and the requirements
 * around the bad one still parse. */
static void one_typo(const char *line6, uint32_t col, const char *message)
{
    char text[1024];
    snprintf(text, sizeof text, typo_base, line6);
    parsed p;
    parse_str(&p, text);
    assert_diag(&p, 0, 6, col, message);
    assert_int_equal(p.diags.items.len, 1);
    assert_int_equal(p.file->nitems, 2);
    const ast_program *prog = p.file->items[0].u.program;
    assert_int_equal(prog->ncategories, 1);
    const ast_req_list *reqs = &prog->categories[0].reqs;
    assert_string_equal(reqs->items[0]->id.name, "one");
    assert_string_equal(reqs->items[reqs->count - 1]->id.name, "three");
    assert_string_equal(p.file->items[1].u.let->name.name, "after");
    parsed_free(&p);
}

static void test_one_typo_one_diagnostic(void **state)
{
    (void)state;
    one_typo("requirment two \"Two\"", 5,
             "unexpected 'requirment', expecting end of block or 'requirement'");
    /* '{': the id may go on as a family's, audit_{area}. */
    one_typo("requirement two Two", 21, "unexpected 'Two', expecting a string or '{'");
    /* An unknown flag reads as the start of a measure. */
    one_typo("requirement two \"Two\" timebound", 36,
             "unexpected end of line, expecting 'required', 'at least', 'at most' or an "
             "operator");
    one_typo("requirement 2 \"Two\"", 17, "unexpected '2', expecting a name");
    /* The string left open is not reported: the line is already skipped. */
    one_typo("requirement two Two\"", 21, "unexpected 'Two', expecting a string or '{'");
    one_typo("requirement two \"Two\"   count(x   at least 1", 39,
             "unexpected 'at least', expecting 'by', ')', ',' or an operator");
}

static void test_several_errors_per_file(void **state)
{
    (void)state;
    parsed p;
    const char *text = "record A\n"
                       "  a int\n"
                       "  b: int\n"
                       "let x = (1 +\n"
                       "let y = 2019-02-30\n"
                       "fn f(): int = \n"
                       "  1 1\n"
                       "enum E a | b\n";
    parse_str(&p, text);
    assert_int_equal(p.diags.items.len, 4);
    assert_diag(&p, 0, 2, 5, "unexpected 'int', expecting ':'");
    assert_diag(&p, 1, 4, 13, "unexpected end of line, expecting an expression");
    assert_diag(&p, 2, 5, 9, "invalid date 2019-02-30: no such day in that month");
    assert_diag(&p, 3, 7, 5, "unexpected '1', expecting end of line or an operator");
    /* What could be read is there. */
    assert_int_equal(p.file->nitems, 3);
    assert_int_equal(p.file->items[0].u.record->nfields, 1);
    assert_int_equal(p.file->items[2].kind, ITEM_ENUM);
    parsed_free(&p);
}

static void test_too_many_errors(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    for (int i = 0; i < 80; i++)
        sb_puts(&sb, "let = 1\n");
    parsed p;
    parse_bytes(&p, sb.data, sb.len);
    assert_int_equal(p.diags.items.len, MAX_ERRORS + 1);
    assert_diag(&p, 0, 1, 5, "unexpected '=', expecting a name");
    assert_diag(&p, MAX_ERRORS, MAX_ERRORS + 1, 5,
                "too many syntax errors; giving up on this file");
    parsed_free(&p);
    sb_free(&sb);
}

/* ------------------------------------------------------------ limits */

static void test_bracket_depth_limit(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "let ok = ");
    sb_pad(&sb, '(', MAX_BRACKETS);
    sb_putc(&sb, '1');
    sb_pad(&sb, ')', MAX_BRACKETS);
    sb_puts(&sb, "\nlet deep = ");
    sb_pad(&sb, '[', 100000);
    parsed p;
    parse_bytes(&p, sb.data, sb.len);
    assert_diag(&p, 0, 2, 12 + MAX_BRACKETS,
                "brackets are nested too deeply (more than 200 levels)");
    assert_int_equal(p.diags.items.len, 1);
    assert_int_equal(p.file->nitems, 1);
    parsed_free(&p);
    sb_free(&sb);
}

static void test_block_depth_limit(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "program \"p\" \"P\" version \"1\"\n  category C\n    requirement r \"R\"\n");
    for (int i = 0; i < 150; i++) {
        sb_pad(&sb, ' ', 6 + 2 * (size_t)i);
        sb_puts(&sb, "part p \"P\"\n");
    }
    parsed p;
    parse_bytes(&p, sb.data, sb.len);
    assert_diag(&p, 0, 102, 203, "blocks are nested too deeply (more than 100 levels)");
    assert_int_equal(p.diags.items.len, 1);
    parsed_free(&p);
    sb_free(&sb);
}

static void test_expression_depth_limit(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "let a = 1");
    for (int i = 0; i < 1000; i++)
        sb_puts(&sb, " + 1");
    sb_puts(&sb, "\nlet b = 2\n");
    parsed p;
    parse_bytes(&p, sb.data, sb.len);
    assert_diag(&p, 0, 1, 9, "this expression is nested too deeply (more than 500 levels)");
    assert_int_equal(p.diags.items.len, 1);
    assert_int_equal(p.file->nitems, 2);
    parsed_free(&p);

    /* Prefix operators nest on the parser's stack before any tree. */
    sb_clear(&sb);
    sb_puts(&sb, "let a = ");
    for (int i = 0; i < 20000; i++)
        sb_puts(&sb, "not ");
    sb_puts(&sb, "true\n");
    parse_bytes(&p, sb.data, sb.len);
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.message, "this expression is nested too deeply");
    assert_int_equal(p.diags.items.items[0].d.line, 1);
    parsed_free(&p);
    sb_free(&sb);
}

static void test_very_long_line(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "let a = \"");
    sb_pad(&sb, 'x', 1 << 20);
    sb_puts(&sb, "\"\nlet ");
    sb_pad(&sb, 'y', 1 << 16);
    sb_puts(&sb, " = 1 1\n");
    parsed p;
    parse_bytes(&p, sb.data, sb.len);
    assert_int_equal(p.diags.items.len, 1);
    /* The unexpected token is shown, not the whole line. */
    assert_diag(&p, 0, 2, 5 + (1 << 16) + 5, "unexpected '1', expecting end of line or an operator");
    assert_int_equal(p.file->items[0].u.let->value->u.str.len, 1 << 20);
    parsed_free(&p);

    sb_clear(&sb);
    sb_puts(&sb, "let = ");
    sb_pad(&sb, 'z', 100);
    sb_putc(&sb, '\n');
    parse_bytes(&p, sb.data, sb.len);
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.message, "unexpected '=', expecting a name");
    parsed_free(&p);
    sb_free(&sb);
}

static void test_long_token_is_shortened(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "let a = b ");
    sb_pad(&sb, 'c', 100);
    sb_putc(&sb, '\n');
    parsed p;
    parse_bytes(&p, sb.data, sb.len);
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.message,
                        "unexpected 'cccccccccccccccccccccccccccccccccccccccc…', expecting end "
                        "of line or an operator");
    parsed_free(&p);
    sb_free(&sb);
}

static void test_file_too_large(void **state)
{
    (void)state;
    /* A source entry that claims more bytes than the scanner takes; only
     * its length is looked at. */
    source_file big = {.path = (char *)"big.rubric", .text = (char *)"", .len = INT_MAX};
    source_table sources = {.alloc = test_alloc()};
    sources.files.items = &big;
    sources.files.len = 1;
    diag_list diags;
    diags_init(&diags, test_alloc(), &sources);
    arena mem;
    arena_init(&mem, test_alloc(), 0);
    ast_file *f = parse_file(0, &mem, &diags);
    assert_non_null(f);
    assert_int_equal(f->nitems, 0);
    assert_int_equal(diags.items.len, 1);
    assert_string_equal(diags.items.items[0].d.message, "this file is too large to read");
    arena_free(&mem);
    diags_free(&diags);
}

/* With the arena limited to every size up to what a real file needs, the
 * parse either succeeds or returns NULL: never a crash or a leak. */
static void test_out_of_memory(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = test_read_file(test_path("stdlib-rules/apn/common.rubric"), &len);
    assert_non_null(text);
    bool succeeded = false, failed = false;
    /* (A limit of 0 means no limit.) */
    for (size_t limit = 256; limit <= 1024 * 1024 && !succeeded; limit += 512) {
        source_table sources;
        diag_list diags;
        arena mem;
        sources_init(&sources, test_alloc());
        diags_init(&diags, test_alloc(), &sources);
        arena_init(&mem, test_alloc(), limit);
        uint32_t f = sources_add(&sources, "common.rubric", text, len, NULL, true);
        ast_file *file = parse_file(f, &mem, &diags);
        if (file) {
            succeeded = true;
            assert_int_equal(diags.items.len, 0);
        } else {
            failed = true;
        }
        arena_free(&mem);
        diags_free(&diags);
        sources_free(&sources);
    }
    assert_true(failed);
    assert_true(succeeded);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_dates_and_months),
        cmocka_unit_test(test_bad_money),
        cmocka_unit_test(test_numbers_too_large),
        cmocka_unit_test(test_duration_units_agree),
        cmocka_unit_test(test_bad_strings),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_stray_characters),
        cmocka_unit_test(test_tab_in_indentation),
        cmocka_unit_test(test_inconsistent_dedent),
        cmocka_unit_test(test_unexpected_indentation),
        cmocka_unit_test(test_syntax_error_messages),
        cmocka_unit_test(test_declaration_errors),
        cmocka_unit_test(test_program_errors),
        cmocka_unit_test(test_unknown_program_clause),
        cmocka_unit_test(test_requirement_errors),
        cmocka_unit_test(test_one_typo_one_diagnostic),
        cmocka_unit_test(test_several_errors_per_file),
        cmocka_unit_test(test_too_many_errors),
        cmocka_unit_test(test_bracket_depth_limit),
        cmocka_unit_test(test_block_depth_limit),
        cmocka_unit_test(test_expression_depth_limit),
        cmocka_unit_test(test_very_long_line),
        cmocka_unit_test(test_long_token_is_shortened),
        cmocka_unit_test(test_file_too_large),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
