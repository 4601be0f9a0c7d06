/*
 * test_diagnostics.c — every diagnostic of the compiler's semantic passes
 * and of module loading, each triggered by a small snippet: the exact
 * message, line, column, underline length and hint, and exactly one
 * diagnostic per mistake (no cascade).  Syntax errors are covered by
 * test_parse_errors.c.
 *
 * Most cases append a few lines to a shared prefix (an import of
 * apn.partner and a minimal valid program), so that each case changes one
 * thing.  A case's line counts from the first line of its body.
 */
#include "test_support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"

#define FILE_NAME "diag.rubric"

/* ------------------------------------------------------------ prefixes */

typedef enum prefix_kind {
    PRE_NONE,    /* the body alone                                       */
    PRE_IMPORT,  /* import apn.partner                                   */
    PRE_PROGRAM, /* ... and a program with tiers and both windows        */
    PRE_MEASURE, /* ... and a category and a time_bound requirement      */
    PRE_PLAIN    /* ... and a category and a requirement, not time_bound */
} prefix_kind;

#define IMPORT_TEXT "import apn.partner\n"
#define ROLLING_TEXT "  rolling window (as_of - 12 months, as_of]\n"
#define RENEWAL_TEXT "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"
#define PROGRAM_TEXT                                                                               \
    IMPORT_TEXT "program \"p\" \"P\" version \"1\"\n"                                              \
                "  tiers Select < Advanced by tier\n" ROLLING_TEXT RENEWAL_TEXT
#define CATEGORY_TEXT "  category C\n"

static const char *const prefixes[] = {
    [PRE_NONE] = "",
    [PRE_IMPORT] = IMPORT_TEXT,
    [PRE_PROGRAM] = PROGRAM_TEXT,
    [PRE_MEASURE] = PROGRAM_TEXT CATEGORY_TEXT "    requirement r \"R\" time_bound\n",
    [PRE_PLAIN] = PROGRAM_TEXT CATEGORY_TEXT "    requirement r \"R\"\n",
};

static uint32_t count_lines(const char *text)
{
    uint32_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* ------------------------------------------------------------ compiling */

typedef struct module_text {
    const char *name; /* "a.b" */
    const char *text;
} module_text;

/* Check-compile text (and in-memory modules) with the standard rules
 * importable.  Returns the compiler, to free. */
static rubric_compiler *check_source(const char *text, const module_text *modules, size_t nmodules)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, false), RUBRIC_OK);
    for (size_t i = 0; i < nmodules; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s.rubric", modules[i].name);
        assert_int_equal(rubric_compiler_add_module(c, modules[i].name, path, modules[i].text,
                                                    strlen(modules[i].text)),
                         RUBRIC_OK);
    }
    assert_int_equal(rubric_compiler_add_source(c, FILE_NAME, text, strlen(text)), RUBRIC_OK);
    rubric_status st = rubric_compiler_run(c, true, NULL, NULL);
    size_t errors = 0;
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++)
        errors += rubric_compiler_diag(c, i)->severity == RUBRIC_SEVERITY_ERROR;
    assert_int_equal(st, errors ? RUBRIC_ERR_COMPILE : RUBRIC_OK);
    return c;
}

static void print_diags(const rubric_compiler *c)
{
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++) {
        const rubric_diag *d = rubric_compiler_diag(c, i);
        printf("      got %s:%u:%u+%u: %s%s%s\n", d->file, d->line, d->column, d->length,
               d->message, d->hint ? " | hint: " : "", d->hint ? d->hint : "");
    }
}

/* ------------------------------------------------------------ the table */

typedef struct diag_case {
    const char *name;
    prefix_kind prefix;
    const char *body;
    uint32_t line; /* from the body's first line */
    uint32_t column;
    uint32_t length;
    const char *message;
    const char *hint; /* NULL: no hint */
} diag_case;

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Check-compile a prefix followed by a body. */
static rubric_compiler *check_body(prefix_kind prefix, const char *body)
{
    size_t len = strlen(prefixes[prefix]) + strlen(body) + 1;
    char *text = malloc(len);
    assert_non_null(text);
    snprintf(text, len, "%s%s", prefixes[prefix], body);
    rubric_compiler *c = check_source(text, NULL, 0);
    free(text);
    return c;
}

/* Run one case; print what differs under its name, after label.  True
 * when it passes. */
static bool run_case(const diag_case *k, const char *label)
{
    const char *prefix = prefixes[k->prefix];
    rubric_compiler *c = check_body(k->prefix, k->body);

    uint32_t line = count_lines(prefix) + k->line;
    bool ok = rubric_compiler_diag_count(c) == 1;
    const rubric_diag *d = rubric_compiler_diag(c, 0);
    ok = ok && d->severity == RUBRIC_SEVERITY_ERROR && strcmp(d->file, FILE_NAME) == 0 &&
         d->line == line && d->column == k->column && d->length == k->length &&
         same_text(d->message, k->message) && same_text(d->hint, k->hint);
    if (!ok) {
        printf("%s %s\n      want %u:%u+%u: %s%s%s\n", label, k->name, k->line, k->column,
               k->length, k->message, k->hint ? " | hint: " : "", k->hint ? k->hint : "");
        printf("      (body line = file line - %u)\n", count_lines(prefix));
        print_diags(c);
    }
    rubric_compiler_free(c);
    return ok;
}

static void run_table(const diag_case *cases, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !run_case(&cases[i], "FAIL");
    if (failed)
        printf("%zu of %zu cases failed\n", failed, n);
    assert_int_equal(failed, 0);
}

#define RUN_TABLE(cases) run_table(cases, sizeof cases / sizeof cases[0])

/* ------------------------------------------------------------ valid input */

static void assert_no_diags(rubric_compiler *c)
{
    if (rubric_compiler_diag_count(c))
        print_diags(c);
    assert_int_equal(rubric_compiler_diag_count(c), 0);
    rubric_compiler_free(c);
}

/* Each prefix alone (with a measure where it needs one) is valid, so that
 * a case's diagnostics come from its body. */
static void test_prefixes_are_valid(void **state)
{
    (void)state;
    assert_no_diags(check_body(PRE_IMPORT, ""));
    assert_no_diags(check_body(PRE_PROGRAM, ""));
    assert_no_diags(
        check_body(PRE_MEASURE, "      count(fee_payments where date in window)   at least 1\n"));
    assert_no_diags(check_body(PRE_PLAIN, "      count(individuals)   at least 1\n"));
}

static void test_valid_file_has_no_diags(void **state)
{
    (void)state;
    size_t len;
    char *text = test_read_file(test_path("examples/rules/cloud_security.rubric"), &len);
    assert_non_null(text);
    assert_no_diags(check_source(text, NULL, 0));
    free(text);
}

/* ------------------------------------------------------------ declarations */

/* A standalone schema, without apn.partner: for the root record's rules. */
#define OWN_SCHEMA "schema \"s\" root P\nrecord P\n"

static const diag_case decl_cases[] = {
    {"unknown type", PRE_IMPORT, "record R\n  a: dtae\n", 2, 6, 4, "unknown type 'dtae'",
     "did you mean 'date'?"},
    {"unknown type, nothing close", PRE_IMPORT, "record R\n  a: Zebra\n", 2, 6, 5,
     "unknown type 'Zebra'", NULL},
    {"type of a module not imported", PRE_NONE, "import apn.common\nrecord R\n  a: Individual\n", 3,
     6, 10,
     "type 'Individual' is declared in module 'apn.partner', which this file does not import",
     NULL},
    {"optional list elements", PRE_IMPORT, "record R\n  a: list of date?\n", 2, 6, 13,
     "list elements cannot be optional", NULL},
    {"optional twice", PRE_IMPORT, "record R\n  a: date? ?\n", 2, 6, 7,
     "a type cannot be optional twice", NULL},
    {"optional map", PRE_IMPORT, "record R\n  a: (map of int)?\n", 2, 6, 13,
     "a map cannot be optional: an absent one is empty", NULL},
    {"optional list", PRE_IMPORT, "let x: (list of int)? = null\n", 1, 8, 14,
     "a list cannot be optional: an absent one is empty", NULL},
    {"parenthesized optional list elements", PRE_IMPORT, "record R\n  b: list of (int?)\n", 2, 6,
     14, "list elements cannot be optional", NULL},
    {"record named as a built-in type", PRE_IMPORT, "record money\n  a: int\n", 1, 8, 5,
     "'money' is a built-in type", NULL},
    {"type declared twice", PRE_IMPORT, "record R\n  a: int\nenum R x | y\n", 3, 6, 1,
     "type 'R' is already declared at " FILE_NAME ":2", NULL},
    {"enum value twice", PRE_IMPORT, "enum E a | b | a\n", 1, 16, 1, "'a' is already a value of E",
     NULL},
    {"alias that is a value", PRE_IMPORT, "enum E a | b\n  alias a = b\n", 2, 9, 1,
     "alias 'a' is already a value of E", NULL},
    {"alias of no value", PRE_IMPORT, "enum E a | b\n  alias c = d\n", 2, 13, 1,
     "E has no value 'd'", NULL},
    {"let declared twice", PRE_IMPORT, "let x = 1\nlet x = 2\n", 2, 5, 1,
     "'x' is already declared at " FILE_NAME ":2", NULL},
    {"function declared twice", PRE_IMPORT, "fn f(a: int): int = a\nfn f(b: int): int = b\n", 2, 4,
     1, "function 'f' is already declared at " FILE_NAME ":2", NULL},
    {"program declared twice", PRE_PROGRAM,
     "program \"p\" \"Q\" version \"1\"\n"
     "  tiers Select < Advanced by tier\n"
     "  rolling window (as_of - 12 months, as_of]\n"
     "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n",
     1, 9, 3, "program \"p\" is already declared at " FILE_NAME ":2", NULL},
    {"default not a value of the enum", PRE_IMPORT, "record R\n  o: Origin = nowhere\n", 2, 15, 7,
     "Origin has no value 'nowhere'", NULL},
    {"default not a literal", PRE_IMPORT, "record R\n  a: int = 1 + 2\n", 2, 12, 5,
     "a default must be a literal", NULL},
    {"default of another type", PRE_IMPORT, "record R\n  a: int = \"x\"\n", 2, 12, 3,
     "the default does not have the field's type int", NULL},
    {"required when over a non-enum", PRE_IMPORT,
     "record R\n  b: int\n  a: int? required when b > 1\n", 3, 25, 5,
     "`required when` takes `field == value` or `field in {values}` over an enum field of R", NULL},
    {"required when with no such value", PRE_IMPORT,
     "record R\n  k: EventKind\n  a: bool? required when k == nope\n", 3, 31, 4,
     "EventKind has no value 'nope'", NULL},
    {"required when in a set with no such value", PRE_IMPORT,
     "record R\n  k: EventKind\n  a: bool? required when k in {divests, nope}\n", 3, 41, 4,
     "EventKind has no value 'nope'", NULL},
    {"required when on a required field", PRE_IMPORT,
     "record R\n  k: EventKind\n  a: bool required when k == divests\n", 3, 3, 34,
     "a field with `required when` must be optional (bool?)", NULL},
    {"annotation outside the root record", PRE_IMPORT, "record R\n  a: string key\n", 2, 3, 13,
     "key, label and tag mark fields of the schema's root record, not of R", NULL},
    {"key not a string", PRE_NONE, OWN_SCHEMA "  id: int key\n", 3, 3, 11,
     "the key field must be a string (not optional)", NULL},
    {"key optional", PRE_NONE, OWN_SCHEMA "  id: string? key\n", 3, 3, 15,
     "the key field must be a string (not optional)", NULL},
    {"label not a string", PRE_NONE, OWN_SCHEMA "  id: string key\n  name: int label\n", 4, 3, 15,
     "the label field must be a string", NULL},
    {"tag not a string", PRE_NONE, OWN_SCHEMA "  id: string key\n  format: int? tag\n", 4, 3, 16,
     "the tag field must be a string", NULL},
    {"field declared twice", PRE_IMPORT, "record R\n  a: int\n  a: date\n", 3, 3, 1,
     "R already has a field 'a'", NULL},
    {"schema root an enum", PRE_NONE, "schema \"s\" root E\nenum E a | b\n", 1, 17, 1,
     "the schema's root must be a record; 'E' is an enum", NULL},
    {"schema root not declared", PRE_NONE, "schema \"s\" root Q\n", 1, 17, 1,
     "the schema's root must be a record; 'Q' is not declared", NULL},
    {"root record without key", PRE_NONE, OWN_SCHEMA "  id: string\n", 1, 1, 17,
     "the root record P needs a field marked `key` (the partner id)", NULL},
    {"parameter declared twice", PRE_IMPORT, "fn f(a: int, a: int): int = a\n", 1, 14, 1,
     "parameter 'a' is declared twice", NULL},
    {"field of an unknown type, used", PRE_NONE,
     OWN_SCHEMA "  id: string key\n  d: dtae\nlet x = d < as_of\n", 4, 6, 4, "unknown type 'dtae'",
     "did you mean 'date'?"},
};

static void test_decl_diagnostics(void **state)
{
    (void)state;
    RUN_TABLE(decl_cases);
}

/* ------------------------------------------------------------ expressions */

/* Most expression cases are a module-level let: its value starts at
 * column 9 ("let x = "). */
static const diag_case expr_cases[] = {
    {"duration as a value", PRE_IMPORT, "let x = 12 months\n", 1, 9, 9,
     "a duration is not a value: add it to a date (as_of - 12 months)", NULL},
    {"set of a non-literal outside in", PRE_IMPORT, "let x = {1, renewal_date}\n", 1, 9, 17,
     "a set {…} may only follow `in`", NULL},
    {"let of the wrong type", PRE_IMPORT, "let x: int = \"a\"\n", 1, 14, 3,
     "the value must be int, found string", NULL},
    {"argument of the wrong type", PRE_IMPORT, "fn f(a: int): int = a\nlet x = f(\"a\")\n", 2, 11,
     3, "argument 'a' of f must be int, found string", NULL},
    {"function result of the wrong type", PRE_IMPORT, "fn f(a: int): date = a\n", 1, 22, 1,
     "the function's result must be date, found int", NULL},
    {"operand of and not bool", PRE_IMPORT, "let x = true and 1\n", 1, 18, 1,
     "`and`'s operand must be bool, found int", NULL},
    {"operand of not, optional bool", PRE_IMPORT,
     "let x = not business_plan_ok\n"
     "let business_plan_ok: bool? = null\n",
     1, 13, 16, "`not`'s operand must be bool, found bool?",
     "it may be null: write `x == true` or `x ?? false`"},
    {"condition an optional bool", PRE_IMPORT,
     "let x = service_delivery_applications where any case_studies (public)\n", 1, 63, 6,
     "the condition must be bool, found bool?",
     "it may be null: write `x == true` or `x ?? false`"},
    {"unknown name", PRE_IMPORT, "let x = count(individals)\n", 1, 15, 10,
     "unknown name 'individals'", "did you mean 'individuals'?"},
    {"unknown name, nothing close", PRE_IMPORT, "let x = zebra\n", 1, 9, 5, "unknown name 'zebra'",
     NULL},
    {"partner field in a function", PRE_IMPORT, "fn f(a: int): int = count(individuals)\n", 1, 27,
     11, "unknown name 'individuals'",
     "a function sees only its parameters: pass 'individuals' as one"},
    {"let of a module not imported", PRE_NONE,
     "import apn.partner\nimport apn.consulting_2019\nlet x = count(accredited_staff)\n", 3, 15, 16,
     "unknown name 'accredited_staff'",
     "'accredited_staff' is declared in module 'apn.common', which this file does not import"},
    {"function reading a partner let", PRE_IMPORT,
     "let n = count(individuals)\nfn f(a: int): int = n\n", 2, 21, 1,
     "a function cannot read 'n': it depends on the partner or the date",
     "pass the value as a parameter"},
    {"no such field", PRE_IMPORT, "let x = individuals.acreditations\n", 1, 21, 13,
     "Individual has no field 'acreditations'", "did you mean 'accreditations'?"},
    {"no such enum value", PRE_IMPORT, "let x = Tier.Gold\n", 1, 14, 4, "Tier has no value 'Gold'",
     NULL},
    {"field of a scalar", PRE_IMPORT, "let x = renewal_date.year\n", 1, 22, 4,
     "date has no fields (looking for 'year')", NULL},
    {"maps of a list", PRE_IMPORT, "let x = service_delivery_applications.self_assessment\n", 1, 39,
     15, "cannot collect the maps 'self_assessment' of a list", NULL},
    {"ordering with null", PRE_IMPORT, "let x = renewal_date < null\n", 1, 9, 19,
     "ordering with null is always false; use == null", NULL},
    {"null with null", PRE_IMPORT, "let x = null == null\n", 1, 9, 12, "comparing null with null",
     NULL},
    {"money with int", PRE_IMPORT, "let x = sum(fee_payments.amount) >= 2500\n", 1, 9, 32,
     "cannot compare money with int", "write amounts of money with $, as in $2,500"},
    {"date with int", PRE_IMPORT, "let x = renewal_date == 1\n", 1, 9, 17,
     "cannot compare date with int", NULL},
    {"lists compared", PRE_IMPORT, "let x = individuals == individuals\n", 1, 9, 26,
     "cannot compare values of list of Individual", NULL},
    {"unordered enum ordered", PRE_IMPORT, "let x = path < path\n", 1, 9, 11,
     "Path has no order: declare its values with '<' to compare them", NULL},
    {"bool ordered", PRE_IMPORT, "let x = true < false\n", 1, 9, 12,
     "bool has no order: only ==, != compare it", NULL},
    {"set with no such enum value", PRE_IMPORT, "let x = path in {consulting, nope}\n", 1, 30, 4,
     "Path has no value 'nope'", NULL},
    {"set of a non-literal", PRE_IMPORT, "let x = 1 in {renewal_date}\n", 1, 15, 12,
     "the elements of a set must be literals", NULL},
    {"set of another type", PRE_IMPORT, "let x = 1 in {\"a\"}\n", 1, 15, 3,
     "a set of int cannot hold string", NULL},
    {"list looked for in a set", PRE_IMPORT, "let x = individuals in {1}\n", 1, 9, 11,
     "cannot look for list of Individual in a set", NULL},
    {"int in an interval", PRE_IMPORT, "let x = 1 in (as_of, as_of]\n", 1, 9, 1,
     "only a date can be in an interval, found int", NULL},
    {"int in a list of records", PRE_IMPORT, "let x = 1 in individuals\n", 1, 9, 16,
     "cannot look for int in list of Individual", NULL},
    {"in an int", PRE_IMPORT, "let x = 1 in 2\n", 1, 14, 1,
     "`in` needs an interval, a set {…} or a list, found int", NULL},
    {"duration on the left", PRE_IMPORT, "let x = 12 months + as_of\n", 1, 9, 9,
     "put the duration on the right: as_of - 12 months", NULL},
    {"duration added to an int", PRE_IMPORT, "let x = 1 + 12 months\n", 1, 9, 13,
     "cannot add a duration in months to int", NULL},
    {"days subtracted from a month", PRE_IMPORT, "let x = 2026-01 - 3 days\n", 1, 9, 16,
     "cannot subtract a duration in days from month", NULL},
    {"money plus int", PRE_IMPORT, "let x = $1 + 1\n", 1, 9, 6, "cannot add money and int",
     "write amounts of money with $, as in $2,500"},
    {"date minus date", PRE_IMPORT, "let x = as_of - renewal_date\n", 1, 9, 20,
     "cannot subtract date and date", "days_between(a, b) counts the days between two dates"},
    {"string plus int", PRE_IMPORT, "let x = \"a\" + 1\n", 1, 9, 7, "cannot add string and int",
     NULL},
    {"string times int", PRE_IMPORT, "let x = \"a\" * 2\n", 1, 9, 7,
     "cannot multiply string by int", NULL},
    {"int divided by money", PRE_IMPORT, "let x = 2 / $1\n", 1, 9, 6, "cannot divide int by money",
     NULL},
    {"null ?? x", PRE_IMPORT, "let x = null ?? 1\n", 1, 9, 4, "null ?? x is always x", NULL},
    {"default of another type", PRE_IMPORT, "let x = business_plan.signed_off ?? 1\n", 1, 37, 1,
     "the default must be date, found int", NULL},
    {"negated date", PRE_IMPORT, "let x = -renewal_date\n", 1, 9, 13, "cannot negate date", NULL},
    {"count of a date", PRE_IMPORT, "let x = count(renewal_date)\n", 1, 15, 12,
     "count needs a list, found date", NULL},
    {"where on a date", PRE_IMPORT, "let x = renewal_date where true\n", 1, 9, 12,
     "`where` needs a list, found date", NULL},
    {"by in a call of a function", PRE_IMPORT, "fn f(a: int): int = a\nlet x = f(1 by 2)\n", 2, 16,
     1, "only distinct(… by …) takes `by`", NULL},
    {"too many arguments of a function", PRE_IMPORT, "fn f(a: int): int = a\nlet x = f(1, 2)\n", 2,
     9, 7, "f takes 1 argument, found 2", NULL},
    {"too few arguments of a function", PRE_IMPORT, "fn g(a: int, b: int): int = a\nlet x = g(1)\n",
     2, 9, 4, "g takes 2 arguments, found 1", NULL},
    {"length of an int", PRE_IMPORT, "let x = length(1)\n", 1, 16, 1,
     "length needs a string, found int", NULL},
    {"distinct records", PRE_IMPORT, "let x = distinct(individuals)\n", 1, 18, 11,
     "distinct needs a list of values, found list of Individual",
     "for records, name what makes them distinct: distinct(list by a, b)"},
    {"distinct by a list", PRE_IMPORT, "let x = distinct(individuals by accreditations)\n", 1, 33,
     14, "distinct … by needs values, found list of Accreditation", NULL},
    {"max of bools", PRE_IMPORT, "let x = max(csat_responses.aws_customer)\n", 1, 9, 32,
     "max needs a list of ordered values, found list of bool", NULL},
    {"max of int and money", PRE_IMPORT, "let x = max(1, $1)\n", 1, 9, 10,
     "max needs two ordered values of one type, found int and money", NULL},
    {"count of two lists", PRE_IMPORT, "let x = count(individuals, individuals)\n", 1, 9, 31,
     "count takes 1 argument, found 2", NULL},
    {"days_between of one date", PRE_IMPORT, "let x = days_between(as_of)\n", 1, 9, 19,
     "days_between takes 2 arguments, found 1", NULL},
    {"min of three", PRE_IMPORT, "let x = min(1, 2, 3)\n", 1, 9, 12,
     "min takes 1 or 2 arguments, found 3", NULL},
    {"count by", PRE_IMPORT, "let x = count(individuals by id)\n", 1, 30, 2,
     "only distinct(… by …) takes `by`", NULL},
    {"sum of strings", PRE_IMPORT, "let x = sum(individuals.id)\n", 1, 9, 19,
     "sum needs a list of int or money, found list of string?", NULL},
    {"add_days to an int", PRE_IMPORT, "let x = add_days(1, 2)\n", 1, 18, 1,
     "add_days needs a date, found int", NULL},
    {"add_months of a string", PRE_IMPORT, "let x = add_months(as_of, \"2\")\n", 1, 27, 3,
     "add_months needs an int, found string", NULL},
    {"unknown function", PRE_IMPORT, "let x = cout(individuals)\n", 1, 9, 4,
     "unknown function 'cout'", "did you mean 'count'?"},
    {"branches of if differ", PRE_IMPORT, "let x = if true then 1 else \"a\"\n", 1, 9, 23,
     "the branches of `if` differ: int and string", NULL},
    {"interval of an int", PRE_IMPORT, "let x = as_of in (1, as_of]\n", 1, 19, 1,
     "an interval's ends must be dates, found int", NULL},
    {"function reading as_of", PRE_IMPORT, "fn f(a: int): date = as_of\n", 1, 22, 5,
     "a function cannot read `as_of`", "pass it as a parameter"},
    {"window in applies when", PRE_PROGRAM, "  applies when as_of in window\n", 1, 25, 6,
     "`window` is not available in `applies when`", NULL},
    {"window in a requirement not time_bound", PRE_PLAIN,
     "      count(fee_payments where date in window)   at least 1\n", 1, 40, 6,
     "`window` is only available in time_bound requirements; 'r' is not",
     "mark the requirement time_bound"},
    {"it outside where", PRE_IMPORT, "let x = it\n", 1, 9, 2,
     "`it` is only available inside where, any and all", NULL},
    {"let referring to itself", PRE_IMPORT, "let x = x + 1\n", 1, 9, 1, "'x' refers to itself",
     "a let cannot depend on its own value, directly or through others"},
    {"lets referring to each other", PRE_IMPORT, "let a = b\nlet b = a\n", 2, 9, 1,
     "'a' refers to itself", "a let cannot depend on its own value, directly or through others"},
    {"function calling itself", PRE_IMPORT, "fn f(a: int): int = f(a)\n", 1, 21, 4,
     "function 'f' calls itself",
     "functions cannot recurse, directly or through others: every evaluation must terminate"},
    {"function of a module not imported", PRE_NONE,
     "import apn.partner\nimport apn.consulting_2019\nlet x = count(individuals where "
     "counts_on(it, as_of))\n",
     3, 33, 9,
     "function 'counts_on' is declared in module 'apn.common', which this file does not import",
     NULL},
    {"misspelt enum value", PRE_IMPORT, "let x = tier < Premiere\n", 1, 16, 8,
     "Tier has no value 'Premiere'", "did you mean 'Premier'?"},
    {"misspelt enum value inside any", PRE_IMPORT,
     "let y = individuals where any accreditations (kind == technicl)\n", 1, 55, 8,
     "AccreditationKind has no value 'technicl'", "did you mean 'technical'?"},
    {"null of no type", PRE_IMPORT, "let x = null\n", 1, 9, 4, "the type of null is unknown here",
     "annotate the let's type: let x: date? = null"},
    {"list compared with null", PRE_IMPORT, "let x = individuals == null\n", 1, 9, 19,
     "a list is never null: an absent list is empty", "count(…) == 0 tests for an empty list"},
    {"map compared with null", PRE_IMPORT, "fn f(m: map of Answer): bool = null != m\n", 1, 32, 9,
     "a map is never null: an absent map is empty", NULL},
    {"days_between compared with days", PRE_IMPORT,
     "let x = days_between(renewal_date, as_of) <= 90 days\n", 1, 46, 7,
     "cannot compare int with a duration in days",
     "days_between(…) is already a number of days: write 90"},
    {"days compared with days_between", PRE_IMPORT,
     "let x = 90 days >= business_days_between(renewal_date, as_of)\n", 1, 9, 7,
     "cannot compare int with a duration in days",
     "business_days_between(…) is already a number of days: write 90"},
    {"months_between compared with a year", PRE_IMPORT,
     "let x = months_between(renewal_date, as_of) > 1 year\n", 1, 47, 6,
     "cannot compare int with a duration in months",
     "months_between(…) is already a number of months: write 12"},
    {"days_between compared with months", PRE_IMPORT,
     "let x = days_between(renewal_date, as_of) <= 3 months\n", 1, 46, 8,
     "cannot compare int with a duration in months",
     "days_between(…) is a number of days: write the number of days"},
    {"count compared with months", PRE_IMPORT, "let x = count(individuals) <= 3 months\n", 1, 31,
     8, "cannot compare int with a duration in months", "an int compares with a number: write 3"},
    {"date compared with months", PRE_IMPORT, "let x = renewal_date <= 3 months\n", 1, 25, 8,
     "cannot compare date with a duration in months",
     "compare the date with a date: as_of - 3 months"},
    {"string compared with days", PRE_IMPORT, "let x = \"a\" == 3 days\n", 1, 16, 6,
     "a duration is not a value: add it to a date (as_of - 12 months)", NULL},
    {"date minus int", PRE_IMPORT, "let x = as_of - 12\n", 1, 9, 10,
     "cannot subtract date and int", "write `12 months` or `90 days`"},
    {"month minus int", PRE_IMPORT, "let x = 2026-01 - 3\n", 1, 9, 11,
     "cannot subtract month and int", "write `12 months`"},
    {"enum in brackets", PRE_IMPORT, "let x = path in [consulting, technology]\n", 1, 9, 4,
     "only a date can be in an interval, found Path",
     "a set of values is written in braces: {consulting, technology}"},
    {"enum in an interval of dates", PRE_IMPORT, "let x = path in (as_of, as_of]\n", 1, 9, 4,
     "only a date can be in an interval, found Path",
     "a set of values is written in braces: {a, b}"},
    {"misspelt enum value as an argument", PRE_IMPORT,
     "fn f(p: Path): bool = p == consulting\nlet x = f(consultng)\n", 2, 11, 9,
     "Path has no value 'consultng'", "did you mean 'consulting'?"},
    {"unknown name as an enum argument", PRE_IMPORT,
     "fn f(p: Path): bool = p == consulting\nlet x = f(individals)\n", 2, 11, 10,
     "unknown name 'individals'", "did you mean 'individuals'?"},
    {"misspelt enum value of a typed let", PRE_IMPORT, "let x: Tier = Premiere\n", 1, 15, 8,
     "Tier has no value 'Premiere'", "did you mean 'Premier'?"},
    /* A declared name comes before a value of the enum expected: `approved`
     * is the let, not OpportunityStatus.approved. */
    {"declared name before an enum value", PRE_IMPORT,
     "let approved = 1\nfn f(s: OpportunityStatus): bool = s == launched\nlet x = f(approved)\n",
     3, 11, 8, "argument 's' of f must be OpportunityStatus, found int", NULL},
};

static void test_expr_diagnostics(void **state)
{
    (void)state;
    RUN_TABLE(expr_cases);
}

/* ------------------------------------------------------------ programs */

/* A program "q" whose tiers line is the body's line 2. */
#define PROGRAM_Q(tiers) "program \"q\" \"Q\" version \"1\"\n" tiers "\n" ROLLING_TEXT RENEWAL_TEXT
#define MEASURE_1 "      count(individuals)   at least 1\n"
#define PART(id) "      part " id " \"T\"   count(individuals)   at least 1\n"

static const diag_case prog_cases[] = {
    {"no tiers", PRE_IMPORT, "program \"q\" \"Q\" version \"1\"\n" ROLLING_TEXT RENEWAL_TEXT, 1, 9,
     3, "program \"q\" declares no tiers (tiers Select < Advanced by tier)", NULL},
    {"tiers of an extending program", PRE_PROGRAM,
     "program \"q\" \"Q\" version \"1\"\n  extends \"p\"\n  tiers Select < Advanced by tier\n", 3,
     9, 6, "the tiers of an extending program cannot change", NULL},
    {"tiers by a date", PRE_IMPORT, PROGRAM_Q("  tiers Select < Advanced by renewal_date"), 2, 30,
     12, "`by` must name the partner's tier, an ordered enum, found date", NULL},
    {"tiers by an unordered enum", PRE_IMPORT, PROGRAM_Q("  tiers consulting < technology by path"),
     2, 36, 4, "Path is not ordered: declare its values with '<'", NULL},
    {"tier not a value", PRE_IMPORT, PROGRAM_Q("  tiers Selct < Advanced by tier"), 2, 9, 5,
     "Tier has no value 'Selct'", "did you mean 'Select'?"},
    {"tiers descending", PRE_IMPORT, PROGRAM_Q("  tiers Advanced < Select by tier"), 2, 20, 6,
     "tiers must be in ascending order of Tier: 'Select' is not above 'Advanced'", NULL},
    {"applies when an int", PRE_PROGRAM, "  applies when 1\n", 1, 16, 1,
     "`applies when` must be bool, found int", NULL},
    {"due an int", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n  tiers Select < Advanced by tier\n" ROLLING_TEXT
     "  renewal window (renewal_date - 12 months, as_of] due 1\n",
     4, 56, 1, "`due` must be date, found int", NULL},
    {"rolling window a date", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n  tiers Select < Advanced by tier\n"
     "  rolling window as_of\n" RENEWAL_TEXT,
     3, 18, 5, "`rolling window` must be interval, found date", NULL},
    {"program let redefined with another type", PRE_PROGRAM, "  let n = true\nlet n = 1\n", 1, 7, 1,
     "'n' redefines a let of type int with a value of type bool", NULL},
    {"program let redefined reading window", PRE_PROGRAM,
     "  let n = count(fee_payments where date in window)\nlet n = 1\n", 1, 7, 1,
     "'n' redefines a let that does not read `window` with one that does", NULL},
    {"program let declared twice", PRE_PROGRAM, "  let n = 1\n  let n = 2\n", 2, 7, 1,
     "'n' is already declared in this program", NULL},
    {"threshold of three columns", PRE_MEASURE, "      count(individuals)   at least 1 | 2 | 3\n",
     1, 28, 18, "the threshold has 3 columns but the program has 2 tiers (Select, Advanced)", NULL},
    {"threshold a string", PRE_MEASURE, "      count(individuals)   at least \"a\"\n", 1, 37, 3,
     "a threshold is a number, an amount ($1,500) or a number of months; '-' where the tier "
     "does not have it",
     NULL},
    {"threshold of mixed kinds", PRE_MEASURE, "      count(individuals)   at least 1 | $2\n", 1, 41,
     2, "the columns of a threshold must be of one kind", NULL},
    {"count against money", PRE_MEASURE, "      count(individuals)   at least $1\n", 1, 37, 2,
     "the measure is int but this threshold is an amount of money", NULL},
    {"money against a count", PRE_MEASURE, "      sum(fee_payments.amount)   at least 1\n", 1, 43,
     1, "the measure is money but this threshold is a number", NULL},
    {"condition with at least", PRE_PLAIN, "      count(individuals) > 0   at least - | 1\n", 1,
     32, 14, "a condition is met or not: its threshold is `required`, not `at least` or "
     "`at most`", NULL},
    {"required of a count", PRE_MEASURE, "      count(individuals)   required\n", 1, 28, 8,
     "`required` needs a bool measure, found int", NULL},
    {"sustained not in months", PRE_PLAIN, "      sustained Advanced except r   at least 6\n", 1,
     37, 10, "a sustained measure counts months: at least … 6 months", NULL},
    {"sustained of no tier", PRE_PLAIN, "      sustained Premier except r   at least 6 months\n", 1,
     17, 7, "'Premier' is not a tier of this program", NULL},
    {"sustained except no requirement", PRE_PLAIN,
     "      sustained Advanced except rr   at least 6 months\n", 1, 33, 2,
     "no requirement 'rr' in this program", "did you mean 'r'?"},
    {"not_applicable when an int", PRE_MEASURE, MEASURE_1 "      not_applicable when 1\n", 2, 27, 1,
     "`not_applicable when` must be bool, found int", NULL},
    {"grace when a date", PRE_MEASURE, MEASURE_1 "      grace when as_of\n", 2, 18, 5,
     "`grace when` must be bool, found date", NULL},
    {"at_risk when a list", PRE_MEASURE, MEASURE_1 "      at_risk when individuals\n", 2, 20, 11,
     "`at_risk when` must be bool, found list of Individual", NULL},
    {"part declared twice", PRE_MEASURE, MEASURE_1 PART("a") PART("a"), 3, 12, 1,
     "'r' already has a part 'a'", NULL},
    {"requirement let declared twice", PRE_MEASURE,
     "      let n = 1\n      let n = 2\n      n   at least 1\n", 2, 11, 1,
     "'n' is already declared in this requirement", NULL},
    {"either with a measure", PRE_PROGRAM,
     CATEGORY_TEXT "    requirement r \"R\" either\n" MEASURE_1 PART("a") PART("b"), 3, 7, 18,
     "an `either` requirement has no measure of its own: its parts are the alternatives", NULL},
    {"either of one part", PRE_PROGRAM, CATEGORY_TEXT "    requirement r \"R\" either\n" PART("a"),
     2, 17, 1, "an `either` requirement needs at least two parts", NULL},
    {"requirement without a measure", PRE_PROGRAM,
     CATEGORY_TEXT "    requirement r \"R\"\n" PART("a"), 2, 17, 1,
     "requirement 'r' has no measure (count(…) at least …)", NULL},
    {"measure reading window through a let", PRE_PLAIN,
     "      n   at least 1\nlet n = count(fee_payments where date in window)\n", 1, 7, 1,
     "'r' is not time_bound but its measure reads `window` (through a let)", NULL},
    {"measure null", PRE_MEASURE, "      null   at least 1\n", 1, 7, 4,
     "a measure is a count, an amount or a condition", NULL},
    {"measure a list", PRE_MEASURE, "      individuals   at least 1\n", 1, 7, 11,
     "a measure is an int, money or bool, found list of Individual",
     "count(…) gives the number of elements"},
    {"measure optional", PRE_MEASURE, "      max(fee_payments.amount)   at least $1\n", 1, 7, 24,
     "a measure is an int, money or bool, found money?", "it may be null: give a default with ??"},
    {"measure a date", PRE_MEASURE, "      renewal_date   at least 1\n", 1, 7, 12,
     "a measure is an int, money or bool, found date", NULL},
    {"requirement declared twice", PRE_MEASURE, MEASURE_1 "    requirement r \"R2\"\n" MEASURE_1, 2,
     17, 1, "requirement 'r' is already declared at line 7", NULL},
    {"no rolling window", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n  tiers Select < Advanced by tier\n" RENEWAL_TEXT, 1, 9, 3,
     "program \"q\" needs a `rolling window`", NULL},
    {"no renewal window", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n  tiers Select < Advanced by tier\n" ROLLING_TEXT, 1, 9, 3,
     "program \"q\" needs a `renewal window … due …`", NULL},
    {"renewal window without due", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n  tiers Select < Advanced by tier\n" ROLLING_TEXT
     "  renewal window (renewal_date - 12 months, as_of]\n",
     4, 18, 33, "the renewal window needs `due` and the review date", NULL},
    {"unknown base program", PRE_IMPORT, "program \"q\" \"Q\" version \"1\"\n  extends \"nope\"\n",
     2, 11, 6, "unknown program \"nope\"", "import the module that declares it"},
    {"sustained in a per-item program", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n"
     "  for each a in service_delivery_applications report applications label designation\n"
     "  category C\n    requirement r \"R\"\n      sustained Select   at least 6 months\n",
     5, 7, 16, "a per-item program has no tiers to be sustained", NULL},
    {"program extending itself", PRE_IMPORT,
     "program \"q\" \"Q\" version \"1\"\n  extends \"q\"\n", 2, 11, 3,
     "program \"q\" extends itself (through \"q\")", NULL},
};

/* An extending program "q" below the base "p" of PRE_MEASURE. */
#define EXTENDS_P "program \"q\" \"Q\" version \"1\"\n  extends \"p\"\n"

static const diag_case override_cases[] = {
    {"override of no requirement", PRE_MEASURE, MEASURE_1 EXTENDS_P "  requirement rr at least 2\n",
     4, 15, 2, "no requirement 'rr' to change in this program", "did you mean 'r'?"},
    {"override of no part", PRE_MEASURE,
     MEASURE_1 PART("a") EXTENDS_P "  requirement r.b at least 2\n", 5, 15, 3,
     "no requirement 'r.b' to change in this program", NULL},
    {"override of an either", PRE_PROGRAM,
     CATEGORY_TEXT "    requirement r \"R\" either\n" PART("a") PART("b") EXTENDS_P
     "  requirement r at least 2\n",
     7, 15, 1, "'r' has no threshold of its own; change its parts'", NULL},
    {"override with too many columns", PRE_MEASURE,
     MEASURE_1 EXTENDS_P "  requirement r at least 1 | 2 | 3\n", 4, 17, 18,
     "the threshold has 3 columns but the program has 2 tiers (Select, Advanced)", NULL},
    {"override of another kind", PRE_MEASURE, MEASURE_1 EXTENDS_P "  requirement r required\n", 4,
     17, 8, "the new threshold of 'r' must be of the same kind as the old", NULL},
    {"override in a program that extends nothing", PRE_MEASURE,
     MEASURE_1 "program \"q\" \"Q\" version \"1\"\n"
     "  tiers Select < Advanced by tier\n" ROLLING_TEXT RENEWAL_TEXT "  requirement r at least 2\n",
     6, 15, 1, "only a program that extends another changes thresholds this way",
     "write the threshold in the requirement itself"},
};

static void test_prog_diagnostics(void **state)
{
    (void)state;
    RUN_TABLE(prog_cases);
}

static void test_override_diagnostics(void **state)
{
    (void)state;
    RUN_TABLE(override_cases);
}

/* ------------------------------------------------------------ imports */

/* One expected diagnostic, in any file. */
typedef struct expected_diag {
    const char *file;
    uint32_t line, column, length;
    const char *message;
    const char *hint;
} expected_diag;

/* Compile text with modules and check it gives exactly the expected
 * diagnostics, in order; print them all under name when not. */
static void expect_diags(const char *name, const char *text, const module_text *modules,
                         size_t nmodules, const expected_diag *want, size_t nwant)
{
    rubric_compiler *c = check_source(text, modules, nmodules);
    bool ok = rubric_compiler_diag_count(c) == nwant;
    for (size_t i = 0; ok && i < nwant; i++) {
        const rubric_diag *d = rubric_compiler_diag(c, i);
        ok = d->severity == RUBRIC_SEVERITY_ERROR && strcmp(d->file, want[i].file) == 0 &&
             d->line == want[i].line && d->column == want[i].column &&
             d->length == want[i].length && same_text(d->message, want[i].message) &&
             same_text(d->hint, want[i].hint);
    }
    if (!ok) {
        printf("FAIL %s\n", name);
        for (size_t i = 0; i < nwant; i++)
            printf("      want %s:%u:%u+%u: %s\n", want[i].file, want[i].line, want[i].column,
                   want[i].length, want[i].message);
        print_diags(c);
    }
    rubric_compiler_free(c);
    assert_true(ok);
}

/* The hint of a name declared in two modules. */
#define ONE_NAMESPACE                                                                              \
    "the modules of one compilation share one namespace: give this declaration another name"

static const diag_case import_cases[] = {
    {"missing module", PRE_NONE, "import no.such\n", 1, 8, 7, "cannot find module 'no.such'",
     "looked for no/such.rubric in . (the module root of this file) and among the built-in "
     "modules"},
    {"missing module beside a found one", PRE_IMPORT, "import apn.partnr\n", 1, 8, 10,
     "cannot find module 'apn.partnr'",
     "looked for apn/partnr.rubric in . (the module root of this file) and among the built-in "
     "modules"},
    {"type declared by an import", PRE_IMPORT, "record Individual\n  a: int\n", 1, 8, 10,
      "type 'Individual' is already declared in module 'apn.partner' at "
      "<stdlib>/apn/partner.rubric:63",
      ONE_NAMESPACE},
    {"let declared by an import", PRE_NONE,
      "import apn.partner\nimport apn.common\nlet staff = 1\n", 3, 5, 5,
      "'staff' is already declared in module 'apn.common' at <stdlib>/apn/common.rubric:40",
      ONE_NAMESPACE},
    /* The file's own uses of the name mean its own declaration: no second
     * diagnostic about `staff + 1` (a list of Individual plus an int). */
    {"let declared by an import, used", PRE_NONE,
      "import apn.partner\nimport apn.common\nlet staff = 1\nlet more = staff + 1\n", 3, 5, 5,
      "'staff' is already declared in module 'apn.common' at <stdlib>/apn/common.rubric:40",
      ONE_NAMESPACE},
    {"function declared by an import", PRE_NONE,
      "import apn.partner\nimport apn.common\nfn counts_on(a: int): int = a\n", 3, 4, 9,
      "function 'counts_on' is already declared in module 'apn.common' at "
      "<stdlib>/apn/common.rubric:7",
      ONE_NAMESPACE},
    /* Called with the arguments of its own declaration, not of apn.common's
     * (an Individual and a date): one diagnostic, at the declaration. */
    {"function declared by an import, called", PRE_NONE,
      "import apn.partner\nimport apn.common\nfn active_on(day: date, start: date): bool = "
      "start <= day\nlet x = individuals where any certifications (active_on(as_of, earned))\n",
      3, 4, 9,
      "function 'active_on' is already declared in module 'apn.common' at "
      "<stdlib>/apn/common.rubric:11",
      ONE_NAMESPACE},
    {"program declared by an import", PRE_NONE,
      "import apn.partner\nimport apn.consulting_2019\n"
      "program \"apn-2019-consulting\" \"Q\" version \"1\"\n"
      "  tiers Select < Advanced by tier\n" ROLLING_TEXT RENEWAL_TEXT,
      3, 9, 21,
      "program \"apn-2019-consulting\" is already declared in module 'apn.consulting_2019' at "
      "<stdlib>/apn/consulting_2019.rubric:7",
      ONE_NAMESPACE},
    {"second schema", PRE_IMPORT, "schema \"x\" root Partner\n", 1, 1, 23,
      "a second schema; the first is in module 'apn.partner' at <stdlib>/apn/partner.rubric:6",
      NULL},
};

static void test_import_diagnostics(void **state)
{
    (void)state;
    RUN_TABLE(import_cases);
}

static void test_import_cycle(void **state)
{
    (void)state;
    const module_text modules[] = {
        {"a.x", "module a.x\nimport a.y\n"},
        {"a.y", "module a.y\nimport a.x\n"},
    };
    const expected_diag want[] = {
        {"a.y.rubric", 2, 8, 3, "import cycle: a.x -> a.y -> a.x", NULL},
    };
    expect_diags("import cycle", "import a.x\n", modules, 2, want, 1);
}

static void test_module_importing_itself(void **state)
{
    (void)state;
    const module_text modules[] = {{"a.x", "module a.x\nimport a.x\n"}};
    const expected_diag want[] = {{"a.x.rubric", 2, 8, 3, "import cycle: a.x -> a.x", NULL}};
    expect_diags("module importing itself", "import a.x\n", modules, 1, want, 1);
}

static void test_module_of_another_name(void **state)
{
    (void)state;
    const module_text modules[] = {{"a.b", "module a.c\n"}};
    const expected_diag want[] = {
        {"a.b.rubric", 1, 8, 3, "this file declares module 'a.c' but was imported as 'a.b'", NULL},
    };
    expect_diags("module of another name", "import a.b\n", modules, 1, want, 1);
}

/* Two modules imported together declare the same let: one error, at the
 * second declaration, naming where the first is. */
static void test_same_let_in_two_imports(void **state)
{
    (void)state;
    const module_text modules[] = {
        {"a.x", "module a.x\nlet n = 1\n"},
        {"a.y", "module a.y\nlet n = 2\n"},
    };
    const expected_diag want[] = {
        {"a.y.rubric", 2, 5, 1, "'n' is already declared in module 'a.x' at a.x.rubric:2",
         ONE_NAMESPACE},
    };
    expect_diags("same let in two imports", "import a.x\nimport a.y\nlet m = n\n", modules, 2, want,
                 1);
}

static void test_same_type_in_two_imports(void **state)
{
    (void)state;
    const module_text modules[] = {
        {"a.x", "module a.x\nenum E a | b\n"},
        {"a.y", "module a.y\nrecord E\n  a: int\n"},
    };
    const expected_diag want[] = {
        {"a.y.rubric", 2, 8, 1, "type 'E' is already declared in module 'a.x' at a.x.rubric:2",
         ONE_NAMESPACE},
    };
    expect_diags("same type in two imports", "import a.x\nimport a.y\n", modules, 2, want, 1);
}

/* ------------------------------------------------------------ several errors */

/* Independent mistakes in one file are all reported, in order, each once. */
static void test_several_errors_in_one_file(void **state)
{
    (void)state;
    const char *text = PROGRAM_TEXT CATEGORY_TEXT "    requirement r \"R\"\n"
                                                  "      count(individals)   at least 1\n"
                                                  "    requirement s \"S\"\n"
                                                  "      sum(fee_payments.amount)   at least 1\n"
                                                  "record R\n"
                                                  "  a: dtae\n"
                                                  "let x = $1 + 1\n";
    const expected_diag want[] = {
        {FILE_NAME, 12, 6, 4, "unknown type 'dtae'", "did you mean 'date'?"},
        {FILE_NAME, 13, 9, 6, "cannot add money and int",
         "write amounts of money with $, as in $2,500"},
        {FILE_NAME, 8, 13, 10, "unknown name 'individals'", "did you mean 'individuals'?"},
        {FILE_NAME, 10, 43, 1, "the measure is money but this threshold is a number", NULL},
    };
    expect_diags("several errors in one file", text, NULL, 0, want, 4);
}

/* `distinct(… by …)` takes at most 255 expressions. */
static void test_too_many_by(void **state)
{
    (void)state;
    char text[4096];
    size_t n =
        (size_t)snprintf(text, sizeof text, "%slet x = distinct(individuals by id", IMPORT_TEXT);
    for (int i = 1; i < 256; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, ", id");
    snprintf(text + n, sizeof text - n, ")\n");
    const expected_diag want[] = {
        {FILE_NAME, 2, 9, (uint32_t)(strlen(text) - strlen(IMPORT_TEXT) - 9),
         "too many `by` expressions", NULL},
    };
    expect_diags("too many by", text, NULL, 0, want, 1);
}

/* A function takes at most 64 parameters, as a table takes 64 inputs. */
static void test_too_many_parameters(void **state)
{
    (void)state;
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "%sfn f(p0: int", IMPORT_TEXT);
    for (int i = 1; i < 65; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, ", p%d: int", i);
    snprintf(text + n, sizeof text - n, "): int = p0\n");
    const expected_diag want[] = {
        {FILE_NAME, 2, 4, 1, "function 'f' has 65 parameters; at most 64", NULL},
    };
    expect_diags("too many parameters", text, NULL, 0, want, 1);
}

/* The requirement of PRE_PLAIN measuring `name`, after the body. */
static char *program_measuring(const char *body, const char *name)
{
    const char *program = prefixes[PRE_PLAIN];
    size_t len = strlen(body) + strlen(program) + strlen(name) + 64;
    char *text = malloc(len);
    assert_non_null(text);
    snprintf(text, len, "%s%s      %s   at least 1\n", body, program + strlen(IMPORT_TEXT),
             name);
    return text;
}

/* Lets that each read the one before, 300 deep: the bytecode nests calls
 * at most 256 deep.  Reported by check, at the first let too deep, once. */
static void test_calls_nested_too_deeply(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_printf(&sb, "%slet l0 = 1\n", IMPORT_TEXT);
    for (int i = 1; i < 300; i++)
        sb_printf(&sb, "let l%d = l%d + 1\n", i, i - 1);
    char *text = program_measuring(sb.data, "l299");
    sb_free(&sb);
    const expected_diag want[] = {
        {FILE_NAME, 258, 5, 4,
         "'l256' nests calls more than 256 deep: lets, functions and conditions (where, any, "
         "all) within one another",
         NULL},
    };
    expect_diags("calls nested too deeply", text, NULL, 0, want, 1);
    free(text);
}

/* Arguments waiting for the innermost call: 150 calls of 8 arguments
 * within one another hold more values than a chunk's stack (1,024). */
static void test_too_many_values_at_once(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_printf(&sb, "%sfn g(a: int, b: int, c: int, d: int, e: int, f: int, h: int, i: int): int "
                   "= a + i\nlet x = ",
              IMPORT_TEXT);
    for (int i = 0; i < 150; i++)
        sb_printf(&sb, "g(1, 1, 1, 1, 1, 1, 1, ");
    sb_puts(&sb, "1");
    for (int i = 0; i < 150; i++)
        sb_puts(&sb, ")");
    sb_puts(&sb, "\n");
    char *text = program_measuring(sb.data, "x");
    sb_free(&sb);
    const expected_diag want[] = {
        {FILE_NAME, 3, 5, 1, "'x' holds more than 1024 values at once while it is computed",
         "name parts of it with `let`"},
    };
    expect_diags("too many values at once", text, NULL, 0, want, 1);
    free(text);
}

/* Check several root files (the standard rules importable); returns the
 * compiler, to free. */
static rubric_compiler *check_roots(const char *const *names, const char *const *texts, size_t n)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, false), RUBRIC_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rubric_compiler_add_source(c, names[i], texts[i], strlen(texts[i])),
                         RUBRIC_OK);
    rubric_status st = rubric_compiler_run(c, true, NULL, NULL);
    assert_int_equal(st, rubric_compiler_diag_count(c) ? RUBRIC_ERR_COMPILE : RUBRIC_OK);
    return c;
}

static bool has_diag(const rubric_compiler *c, const expected_diag *w)
{
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++) {
        const rubric_diag *d = rubric_compiler_diag(c, i);
        if (strcmp(d->file, w->file) == 0 && d->line == w->line && d->column == w->column &&
            d->length == w->length && same_text(d->message, w->message) &&
            same_text(d->hint, w->hint))
            return true;
    }
    return false;
}

/* A function named like a helper of apn.common, in a file that imports it
 * and one that does not: whatever the order of the files, one diagnostic
 * per declaration, at the declaration, naming apn.common; none inside the
 * standard rules. */
static void test_name_of_a_stdlib_helper_in_any_order(void **state)
{
    (void)state;
    const char *own = "import apn.partner\n"
                      "fn active_on(day: date, start: date): bool = start <= day\n"
                      "let mine = individuals where any certifications (active_on(as_of, earned))\n";
    const char *importing = "import apn.partner\nimport apn.common\n"
                            "fn active_on(day: date, start: date): bool = start <= day\n";
    const expected_diag want[] = {
        {"own.rubric", 2, 4, 9,
         "function 'active_on' is already declared in module 'apn.common' at "
         "<stdlib>/apn/common.rubric:11",
         ONE_NAMESPACE},
        {"importing.rubric", 3, 4, 9,
         "function 'active_on' is already declared in module 'apn.common' at "
         "<stdlib>/apn/common.rubric:11",
         ONE_NAMESPACE},
    };
    const char *names[2][2] = {{"own.rubric", "importing.rubric"},
                               {"importing.rubric", "own.rubric"}};
    const char *texts[2][2] = {{own, importing}, {importing, own}};
    for (int order = 0; order < 2; order++) {
        rubric_compiler *c = check_roots(names[order], texts[order], 2);
        bool ok = rubric_compiler_diag_count(c) == 2 && has_diag(c, &want[0]) &&
                  has_diag(c, &want[1]);
        if (!ok) {
            printf("FAIL order %d\n", order);
            print_diags(c);
        }
        rubric_compiler_free(c);
        assert_true(ok);
    }
}

/* A root file without a `module` line cannot be imported: a use of its
 * declarations in another root file says so, by the file's name. */
static void test_declaration_of_a_file_without_module(void **state)
{
    (void)state;
    const char *names[] = {"a.rubric", "b.rubric"};
    const char *texts[] = {
        "import apn.partner\nfn helper(x: int): int = x\nrecord Own\n  n: int\n"
        "let shared_total = 1\n",
        "import apn.partner\nlet y = helper(1)\nfn own(o: Own): int = o.n\n"
        "let z = shared_total\n",
    };
    const expected_diag want[] = {
        {"b.rubric", 3, 11, 3, "type 'Own' is declared in 'a.rubric', which this file does not "
         "import", "files are imported by module name: give 'a.rubric' a `module` line"},
        {"b.rubric", 2, 9, 6, "function 'helper' is declared in 'a.rubric', which this file "
         "does not import", "files are imported by module name: give 'a.rubric' a `module` line"},
        {"b.rubric", 4, 9, 12, "unknown name 'shared_total'",
         "'shared_total' is declared in 'a.rubric', which cannot be imported: give it a "
         "`module` line"},
    };
    rubric_compiler *c = check_roots(names, texts, 2);
    bool ok = rubric_compiler_diag_count(c) == 3 && has_diag(c, &want[0]) &&
              has_diag(c, &want[1]) && has_diag(c, &want[2]);
    if (!ok)
        print_diags(c);
    rubric_compiler_free(c);
    assert_true(ok);
}

/* Bare enum values where the type they must have is known. */
static void test_enum_values_where_the_type_is_known(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "let a = consulting == path\n",
        "fn f(p: Path): bool = p == consulting\nlet b = f(technology)\n",
        "let c: Path = consulting\n",
        "let d: Tier? = if renewal_date < as_of then Select else null\n",
        "let e = if renewal_date < as_of then Premier else tier\n",
        "let f = business_plan.signed_off == null and (path ?? technology) == consulting\n",
        "let g = max(Select, tier) >= Advanced\n",
        "let h: list of Path = {consulting, technology}\n",
        "fn i(k: AccreditationKind): Path = if k == business then consulting else technology\n",
        "enum Light red | green\ntable go(light: Light): Light?\n  red | green\n  green | red\n",
        "let j = Tier.Premier > tier and Path.consulting == path\n",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        rubric_compiler *c = check_body(PRE_IMPORT, bodies[i]);
        if (rubric_compiler_diag_count(c))
            printf("FAIL %s", bodies[i]);
        assert_no_diags(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefixes_are_valid),
        cmocka_unit_test(test_valid_file_has_no_diags),
        cmocka_unit_test(test_decl_diagnostics),
        cmocka_unit_test(test_expr_diagnostics),
        cmocka_unit_test(test_prog_diagnostics),
        cmocka_unit_test(test_override_diagnostics),
        cmocka_unit_test(test_import_diagnostics),
        cmocka_unit_test(test_import_cycle),
        cmocka_unit_test(test_module_importing_itself),
        cmocka_unit_test(test_module_of_another_name),
        cmocka_unit_test(test_same_let_in_two_imports),
        cmocka_unit_test(test_same_type_in_two_imports),
        cmocka_unit_test(test_several_errors_in_one_file),
        cmocka_unit_test(test_too_many_by),
        cmocka_unit_test(test_too_many_parameters),
        cmocka_unit_test(test_calls_nested_too_deeply),
        cmocka_unit_test(test_too_many_values_at_once),
        cmocka_unit_test(test_name_of_a_stdlib_helper_in_any_order),
        cmocka_unit_test(test_declaration_of_a_file_without_module),
        cmocka_unit_test(test_enum_values_where_the_type_is_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
