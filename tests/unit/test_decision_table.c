/*
 * test_decision_table.c — decision tables: rows of cells with `-`
 * wildcards parsed into a table and the function that evaluates it; the
 * compile-time proof that rows neither overlap nor leave a case uncovered,
 * with diagnostics naming the rows and the case; and evaluation.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_harness.h"

#define ENUMS "enum Light red | amber | green\nenum Move stop | go | wait\n"

/* Inputs light and hurry, output Move. */
#define HEADER ENUMS "table move(light: Light, hurry: bool): Move\n"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("missing %s\nin %s", part, text);
}

/* ------------------------------------------------------------ parsing */

static void test_parse_rows(void **state)
{
    (void)state;
    harness_parse p;
    harness_parse_text(&p, HEADER "  red   | -   | stop  # comment\n"
                                  "  amber | yes | go\n"
                                  "  amber | no  | wait\n"
                                  "  green | -   | go\n");
    assert_int_equal(p.diags.items.len, 0);
    const ast_table *t = NULL;
    const ast_fn *fn = NULL;
    for (uint32_t i = 0; i < p.file->nitems; i++) {
        if (p.file->items[i].kind == ITEM_TABLE)
            t = p.file->items[i].u.table;
        if (p.file->items[i].kind == ITEM_FN)
            fn = p.file->items[i].u.fn;
    }
    assert_non_null(t);
    assert_string_equal(t->name.name, "move");
    assert_int_equal(t->ninputs, 2);
    assert_string_equal(t->inputs[1].name.name, "hurry");
    assert_int_equal(t->nrows, 4);
    assert_null(t->rows[0].cells[1].name); /* '-' */
    assert_string_equal(t->rows[1].cells[1].name, "yes");
    assert_string_equal(t->rows[2].cells[2].name, "wait");
    assert_int_equal(t->rows[3].loc.line, 7);
    /* The table is also a function of its inputs. */
    assert_ptr_equal(fn, t->fn);
    assert_string_equal(fn->name.name, "move");
    assert_int_equal(fn->nparams, 2);
    assert_int_equal(fn->body->kind, EX_IF);
    char *dump = harness_dump(&p);
    assert_contains(dump, "table move\n    row red - -> stop\n    row amber yes -> go\n");
    free(dump);
    harness_parse_free(&p);
}

static void one_parse_error(const char *text, const char *message)
{
    harness_parse p;
    harness_parse_text(&p, text);
    bool found = false;
    for (uint32_t i = 0; i < p.diags.items.len; i++) {
        const char *m = p.diags.items.items[i].d.message;
        found = found || strcmp(m, message) == 0;
        if (strcmp(m, message) != 0)
            printf("  got %s\n", m);
    }
    harness_parse_free(&p);
    if (!found)
        fail_msg("no syntax error \"%s\"", message);
}

static void test_parse_errors(void **state)
{
    (void)state;
    one_parse_error(HEADER "  red | stop\n",
                    "this row has 2 cells; table 'move' needs 3: one per input, then the output");
    one_parse_error(HEADER "  red | yes | -\n", "a row's output cannot be '-'");
    one_parse_error(ENUMS "tabel move(light: Light): Move\n  red | stop\n",
                    "expected 'table', found 'tabel'");
}

/* ------------------------------------------------------------ checks */

/* Check rules; diagnostic i must be `message` (with `hint`, if not NULL)
 * at line:col. */
static void expect_diag(const char *text, size_t i, uint32_t line, uint32_t col,
                        const char *message, const char *hint)
{
    rubric_compiler *c = harness_check(text);
    char buf[600];
    for (size_t k = 0; k < rubric_compiler_diag_count(c); k++)
        printf("  diagnostic %zu %s\n", k, harness_diag(c, k, buf, sizeof buf));
    assert_true(rubric_compiler_diag_count(c) > i);
    const rubric_diag *d = rubric_compiler_diag(c, i);
    assert_string_equal(d->message, message);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, col);
    if (hint)
        assert_string_equal(d->hint, hint);
    rubric_compiler_free(c);
}

static void test_complete_table_is_clean(void **state)
{
    (void)state;
    rubric_compiler *c = harness_check(HEADER "  red   | -   | stop\n"
                                              "  amber | yes | go\n"
                                              "  amber | no  | wait\n"
                                              "  green | -   | go\n");
    assert_int_equal(rubric_compiler_diag_count(c), 0);
    rubric_compiler_free(c);
}

static void test_overlap_names_rows(void **state)
{
    (void)state;
    expect_diag(HEADER "  red   | -   | stop\n"
                       "  red   | yes | go\n"
                       "  amber | -   | wait\n"
                       "  green | -   | go\n",
                0, 5, 3, "rows 1 and 2 of table 'move' overlap: both match light = red, hurry = yes",
                "row 1 is at line 4");
}

static void test_uncovered_case(void **state)
{
    (void)state;
    expect_diag(HEADER "  red   | -   | stop\n"
                       "  amber | yes | go\n"
                       "  green | -   | go\n",
                0, 3, 7, "table 'move' has no row for light = amber, hurry = no", NULL);
}

static void test_many_uncovered_cases(void **state)
{
    (void)state;
    const char *text = HEADER "  red | yes | stop\n";
    expect_diag(text, 0, 3, 7, "table 'move' has no row for light = red, hurry = no", NULL);
    expect_diag(text, 2, 3, 7, "table 'move' has no row for light = amber, hurry = yes", NULL);
    expect_diag(text, 3, 3, 7, "table 'move' has no row for 2 more cases", NULL);
}

static void test_inputs_are_enums_or_bools(void **state)
{
    (void)state;
    expect_diag(ENUMS "table t(n: int): Move\n  - | stop\n", 0, 3, 9,
                "input 'n' of table 't' is int; a table's inputs are enums or bools, so that "
                "every case can be checked", NULL);
}

static void test_unknown_cell_value(void **state)
{
    (void)state;
    /* Reported once, by the table's function. */
    rubric_compiler *c = harness_check(HEADER "  red | - | stop\n  amber | - | go\n"
                                              "  gren | - | go\n");
    assert_int_equal(rubric_compiler_diag_count(c), 1);
    assert_true(harness_has_diag(c, "Light has no value 'gren'"));
    assert_string_equal(rubric_compiler_diag(c, 0)->hint, "did you mean 'green'?");
    assert_int_equal(rubric_compiler_diag(c, 0)->line, 6);
    rubric_compiler_free(c);
}

/* ------------------------------------------------------------ evaluation */

#define MERGER                                                                                 \
    "import apn.partner\n"                                                                     \
    "enum Action none | new_application | disclose\n"                                          \
    "table action(kind: EventKind, mine: bool, theirs: bool, material: bool): Action\n"        \
    "  acquires    | no  | yes | - | new_application\n"                                        \
    "  acquired_by | yes | no  | - | new_application\n"                                        \
    "  acquires    | yes | -   | - | none\n"                                                   \
    "  acquires    | no  | no  | - | none\n"                                                   \
    "  acquired_by | no  | -   | - | none\n"                                                   \
    "  acquired_by | yes | yes | - | none\n"                                                   \
    "  divests     | yes | -   | yes | disclose\n"                                             \
    "  divests     | yes | -   | no  | none\n"                                                \
    "  divests     | no  | -   | -   | none\n"                                                 \
    "program \"m\" \"M\" version \"1\"\n"                                                      \
    "  for each a in service_delivery_applications report apps label designation\n"            \
    "  let mine = count(designations) > 0\n"                                                   \
    "  for each e in corporate_events report events\n"                                         \
    "    counterparty = counterparty\n"                                                        \
    "    action = action(kind, mine, counterparty_service_delivery ?? false, material ?? "     \
    "false)\n"

static void test_eval_table(void **state)
{
    (void)state;
    char *out = NULL;
    const char *partner =
        "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2027-01-01\", \"designations\": [{\"kind\": \"service_delivery\", "
        "\"name\": \"Amazon RDS\", \"awarded\": \"2025-01-01\"}], \"corporate_events\": ["
        "{\"kind\": \"acquires\", \"date\": \"2026-01-01\", \"counterparty\": \"A\", "
        "\"counterparty_service_delivery\": false},"
        "{\"kind\": \"acquired_by\", \"date\": \"2026-01-02\", \"counterparty\": \"B\", "
        "\"counterparty_service_delivery\": false},"
        "{\"kind\": \"divests\", \"date\": \"2026-01-03\", \"material\": true},"
        "{\"kind\": \"divests\", \"date\": \"2026-01-04\", \"material\": false}]}";
    assert_int_equal(harness_eval(MERGER, partner, "2026-11-22", &out), RUBRIC_OK);
    assert_contains(out, "\"events\":[{\"counterparty\":\"A\",\"action\":\"none\"},"
                         "{\"counterparty\":\"B\",\"action\":\"new_application\"},"
                         "{\"counterparty\":null,\"action\":\"disclose\"},"
                         "{\"counterparty\":null,\"action\":\"none\"}]");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_rows),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_complete_table_is_clean),
        cmocka_unit_test(test_overlap_names_rows),
        cmocka_unit_test(test_uncovered_case),
        cmocka_unit_test(test_many_uncovered_cases),
        cmocka_unit_test(test_inputs_are_enums_or_bools),
        cmocka_unit_test(test_unknown_cell_value),
        cmocka_unit_test(test_eval_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
