/*
 * test_fmt.c — `rubric fmt` and rubric_compiler_format: every construct of
 * the language in the canonical style, from any spacing; comments, blank
 * lines, long lines and decision tables; rule-test files and their JSON
 * blocks; the standard rules and the examples formatted, and compiled to
 * the same bytes from any spacing; --check's diff, -w, standard input; the
 * errors; running out of memory.
 */
#include "faulty_alloc.h"
#include "test_shell.h"
#include "test_support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ sources */

/* Every construct of the grammar, in the canonical style. */
static const char canonical_rules[] =
    "# A module touching every construct of the grammar.\n"
    "module demo.rules\n"
    "import apn.partner\n"
    "\n"
    "schema \"demo/1\" root Firm\n"
    "\n"
    "# Levels, in order.\n"
    "enum Level low < mid < high\n"
    "  alias medium = mid\n"
    "\n"
    "enum Kind a | b | c\n"
    "\n"
    "record Firm\n"
    "  id: string key\n"
    "  level: Level  # how far along\n"
    "  fee: money = $0\n"
    "  note: string? required when level == high\n"
    "  tags: list of string\n"
    "  scores: map of (int?)\n"
    "  # the last field\n"
    "  events: list of Event\n"
    "\n"
    "extend record Event\n"
    "  extra: int? = -1\n"
    "\n"
    "fn double(x: int, y: int): int =\n"
    "  x * 2 - -y\n"
    "\n"
    "let start: date = 2019-12-13\n"
    "let first = 2026-01\n"
    "let names = {\"x\", \"y\"}\n"
    "\n"
    "table action(kind: Kind, held: bool): Level\n"
    "  # kind | held | level\n"
    "  a      | yes  | low\n"
    "  b      | -    | medium\n"
    "  c      | no   | high\n"
    "\n"
    "program \"demo\" \"Demo Program\" version \"1.0\"\n"
    "  extends \"base\"\n"
    "  applies when level >= mid and not (fee ?? $0) == $0\n"
    "  tiers low < high by level\n"
    "  rolling window (as_of - 1 year, as_of]\n"
    "  renewal window [start, as_of + 90 days) due start\n"
    "  for each app in events report apps label app.name\n"
    "  for each event in events report events\n"
    "    kind = kind\n"
    "    late = if event.date > as_of then 1 else 0\n"
    "  error when not ok(event) \"no \\\"{event}\\\"\"\n"
    "  let picked = tags where it in {\"x\", \"y\"}\n"
    "  let long = picked where\n"
    "    any scores.x (it == 1 and\n"
    "      all tags (length(it) > 0))\n"
    "  requirement one.two   at least 1 | 2\n"
    "\n"
    "  category \"Customer Success\"\n"
    "    requirement one \"One\" time_bound\n"
    "      let n = count(picked)\n"
    "      n + -1   at least - | 3\n"
    "      grace when if n > 0 then true else false\n"
    "      part two \"Two\"   sum(distinct(picked by it, it))   at most $1,500.50 | 6 months\n"
    "      # the end of requirement one\n"
    "\n"
    "    requirement pick \"Pick\" either\n"
    "      part a \"A\"   any scores.x (it == 1)   required\n"
    "      part b \"B\"   all tags (length(it) > 0)   required - | yes\n"
    "      not_applicable when count(tags) == 0\n"
    "      at_risk when [2026-01-01, as_of] == window\n"
    "\n"
    "  category Tenure\n"
    "    # A family of requirements.\n"
    "    requirement audit_{k} \"Audit {k}\" for each k in Kind\n"
    "      count(tags)   at least 1\n"
    "    requirement held \"Held\"\n"
    "      sustained high except one, pick   at least 6 months\n";

/* The same tokens, comments and line breaks, spaced and indented every
 * other way: blanks inside and around lines, four-space blocks, aligned
 * continuations, runs of blank lines, a carriage return, `at    least`. */
static const char messy_rules[] =
    "\n"
    "\n"
    "# A module touching every construct of the grammar.\n"
    "module   demo.rules\n"
    "import apn.partner\n"
    "\n"
    "\n"
    "\n"
    "schema \"demo/1\"   root Firm\n"
    "   \n"
    "   # Levels, in order.\n"
    "enum Level low<mid<high\n"
    "    alias medium=mid\n"
    "\n"
    "enum Kind a|b|c\n"
    "\n"
    "record Firm\n"
    "    id : string key\n"
    "    level: Level # how far along   \n"
    "    fee: money=$0\n"
    "    note: string ? required when level==high\n"
    "    tags: list of string\n"
    "    scores: map of ( int ? )\n"
    "        # the last field\n"
    "    events: list of Event\n"
    "\n"
    "extend record Event\n"
    " extra: int?= - 1\n"
    "\n"
    "fn double ( x:int , y : int ) : int =\n"
    "        x*2 - - y\n"
    "\n"
    "let start : date = 2019-12-13\n"
    "let first = 2026-01\r\n"
    "let names = { \"x\" , \"y\" }\n"
    "\n"
    "table action( kind : Kind , held : bool ) : Level\n"
    "    #   kind|held |  level\n"
    "    a | yes | low\n"
    "    b | - | medium\n"
    "    c|no|high\n"
    "\n"
    "program \"demo\" \"Demo Program\" version \"1.0\"\n"
    "    extends \"base\"\n"
    "    applies when level >= mid and not(fee??$0)==$0\n"
    "    tiers low<high by level\n"
    "    rolling window(as_of - 1   year , as_of ]\n"
    "    renewal window [ start , as_of + 90 days ) due start\n"
    "    for each app in events report apps label app . name\n"
    "    for each event in events report events\n"
    "        kind = kind\n"
    "        late = if event.date > as_of then 1 else 0\n"
    "    error when not ok( event ) \"no \\\"{event}\\\"\"\n"
    "    let picked = tags where it in {\"x\",\"y\"}\n"
    "    let long = picked where\n"
    "                 any scores.x(it == 1 and\n"
    "                              all tags(length(it) > 0))\n"
    "    requirement one . two at    least 1|2\n"
    "\n"
    "    category \"Customer Success\"\n"
    "        requirement one \"One\"  time_bound\n"
    "            let n = count(picked)\n"
    "            n + - 1 at least -|3\n"
    "            grace when if n > 0 then true else false\n"
    "            part two \"Two\" sum( distinct( picked by it , it ) ) at most $1,500.50|6    "
    "months\n"
    "              # the end of requirement one\n"
    "\n"
    "\n"
    "        requirement pick \"Pick\"    either\n"
    "            part a \"A\" any scores.x (it == 1) required\n"
    "            part b \"B\" all tags ( length(it) > 0 ) required - | yes\n"
    "            not_applicable when count(tags)==0\n"
    "            at_risk when [2026-01-01,as_of]==window\n"
    "\n"
    "    category Tenure\n"
    "      # A family of requirements.\n"
    "        requirement audit_{k} \"Audit {k}\" for each k in Kind\n"
    "            count(tags) at least 1\n"
    "        requirement held \"Held\"\n"
    "            sustained high except one , pick at least 6 months   \n"
    "\n"
    "\n";

/* A rule-test file: settings, tests, JSON blocks, every kind of expect. */
static const char canonical_tests[] =
    "# Settings for every test below.\n"
    "program \"apn-2019-consulting\"\n"
    "as_of 2026-11-22\n"
    "data \"data/minimal.json\"\n"
    "\n"
    "test \"A partner given inline\"\n"
    "  data\n"
    "    {\"id\": \"P-1\", \"name\": \"One\",\n"
    "     \"opportunities\": [\n"
    "       {\"origin\": \"partner\", \"launched\": \"2025-11-22\"}]}\n"
    "  expect Select launched_opportunities not_met 2\n"
    "  expect Select launched_opportunities.mrr not_met $1,000\n"
    "  # the review date\n"
    "  expect review_date 2026-06-30\n"
    "\n"
    "test \"Patched data\"\n"
    "  as_of 2024-02-29\n"
    "  data \"data/select.json\"\n"
    "    {\"csat_responses\": []}\n"
    "  expect renewal csat_responses at_risk 0\n"
    "  expect eligible_tier none\n"
    "  expect application \"Amazon RDS\" status ready\n"
    "  expect application \"Amazon RDS\" practice met\n"
    "  expect corporate_events 1 action none\n";

/* Its blocks indented four spaces: the JSON blocks move with their
 * `data` lines and keep their own layout; blanks inside them stay. */
static const char messy_tests[] =
    "# Settings for every test below.\n"
    "program   \"apn-2019-consulting\"\n"
    "as_of 2026-11-22\n"
    "data \"data/minimal.json\"\n"
    "\n"
    "test \"A partner given inline\"\n"
    "    data\n"
    "      {\"id\": \"P-1\", \"name\": \"One\",\n"
    "       \"opportunities\": [\n"
    "         {\"origin\": \"partner\", \"launched\": \"2025-11-22\"}]}   \n"
    "    expect Select launched_opportunities not_met 2\n"
    "    expect Select   launched_opportunities.mrr not_met $1,000\n"
    "      # the review date\n"
    "    expect review_date 2026-06-30\n"
    "\n"
    "\n"
    "test \"Patched data\"\n"
    "    as_of 2024-02-29\n"
    "    data \"data/select.json\"\n"
    "      {\"csat_responses\": []}\n"
    "    expect renewal csat_responses at_risk 0\n"
    "    expect eligible_tier none\n"
    "    expect application \"Amazon RDS\" status ready\n"
    "    expect application \"Amazon RDS\" practice met\n"
    "    expect corporate_events 1 action none\n";

/* ------------------------------------------------------------ helpers */

/* rubric_compiler_format of text; *out (malloc'ed) the result, or the
 * first diagnostic as "line:col: message". */
static rubric_status format_as(const char *text, size_t len, rubric_source_kind kind,
                               char **out)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    char *formatted = NULL;
    size_t formatted_len = 0;
    rubric_status st = rubric_compiler_format(c, "x.rubric", text, len, kind, &formatted,
                                              &formatted_len);
    *out = NULL;
    if (st == RUBRIC_OK) {
        assert_int_equal(strlen(formatted), formatted_len);
        *out = strdup(formatted);
        rubric_free(NULL, formatted, formatted_len + 1);
    } else if (rubric_compiler_diag_count(c) > 0) {
        const rubric_diag *d = rubric_compiler_diag(c, 0);
        char line[1024];
        snprintf(line, sizeof line, "%u:%u: %s", d->line, d->column, d->message);
        *out = strdup(line);
    }
    rubric_compiler_free(c);
    return st;
}

static char *format_rules(const char *text)
{
    char *out;
    assert_int_equal(format_as(text, strlen(text), RUBRIC_SOURCE_RULES, &out), RUBRIC_OK);
    return out;
}

static char *format_tests(const char *text)
{
    char *out;
    assert_int_equal(format_as(text, strlen(text), RUBRIC_SOURCE_TESTS, &out), RUBRIC_OK);
    return out;
}

static void assert_formats_to(const char *text, const char *expected)
{
    char *out = format_rules(text);
    assert_string_equal(out, expected);
    char *again = format_rules(out);
    assert_string_equal(again, out);
    free(again);
    free(out);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The same tokens spaced otherwise: every blank outside strings and
 * comments doubled (indentation too, so the blocks stay blocks). */
static char *scramble_rules(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(2 * n + 1), *o = out;
    bool in_string = false, in_comment = false;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (in_string && c == '\\' && i + 1 < n) {
            *o++ = c;
            *o++ = text[++i];
            continue;
        }
        if (c == '"' && !in_comment)
            in_string = !in_string;
        else if (c == '#' && !in_string)
            in_comment = true;
        else if (c == '\n')
            in_comment = in_string = false;
        if (c == ' ' && !in_string && !in_comment)
            *o++ = ' ';
        *o++ = c;
    }
    *o = '\0';
    return out;
}

/* A test file shifted: two more blanks before every indented line (its
 * JSON blocks too, whose inside is kept as written). */
static char *scramble_tests(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(2 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        bool line_start = i == 0 || text[i - 1] == '\n';
        if (line_start && text[i] == ' ')
            *o++ = ' ', *o++ = ' ';
        *o++ = text[i];
    }
    *o = '\0';
    return out;
}

typedef void (*file_check)(const char *path);

/* Every *.rubric file below dir (relative to the source tree). */
static unsigned for_each_rubric_file(const char *dir, file_check check)
{
    DIR *d = opendir(test_path(dir));
    assert_non_null(d);
    unsigned count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        assert_int_equal(stat(test_path(path), &st), 0);
        if (S_ISDIR(st.st_mode))
            count += for_each_rubric_file(path, check);
        else if (has_suffix(path, ".rubric"))
            check(path), count++;
    }
    closedir(d);
    return count;
}

static char *read_source(const char *relative)
{
    size_t len;
    char *text = test_read_file(test_path(relative), &len);
    assert_non_null(text);
    return text;
}

/* ------------------------------------------------------------ the style */

static void test_every_construct_is_canonical(void **state)
{
    (void)state;
    assert_formats_to(canonical_rules, canonical_rules);
}

static void test_any_spacing_gives_the_canonical_text(void **state)
{
    (void)state;
    assert_formats_to(messy_rules, canonical_rules);
}

static void test_comments_keep_their_place(void **state)
{
    (void)state;
    /* At the end of a block, inside it or after it, as written; between
     * continuation lines; after code; at the end of the file. */
    assert_formats_to("program \"p\" \"P\" version \"1\"\n"
                      "  category A\n"
                      "    requirement x \"X\"\n"
                      "      f   required\n"
                      "         # in x\n"
                      "     # in A\n"
                      "  # in the program\n"
                      "# after it\n"
                      "let y = a and   # trailing\n"
                      "  # between\n"
                      "       b\n"
                      "   # the end\n",
                      "program \"p\" \"P\" version \"1\"\n"
                      "  category A\n"
                      "    requirement x \"X\"\n"
                      "      f   required\n"
                      "      # in x\n"
                      "    # in A\n"
                      "  # in the program\n"
                      "# after it\n"
                      "let y = a and  # trailing\n"
                      "  # between\n"
                      "  b\n"
                      "# the end\n");
    assert_formats_to("  # only a comment   \n", "# only a comment\n");
}

static void test_blank_lines_are_at_most_one(void **state)
{
    (void)state;
    assert_formats_to("\n\n  \nlet a = 1\n\n\n \t \n\nlet b = 2\nlet c = 3\n\n\n",
                      "let a = 1\n\nlet b = 2\nlet c = 3\n");
    assert_formats_to("", "");
    assert_formats_to("\n\n   \n", "");
    assert_formats_to("let a = 1", "let a = 1\n");
}

static void test_long_lines_and_line_breaks_are_kept(void **state)
{
    (void)state;
    char line[600];
    strcpy(line, "let long = count(individuals)");
    while (strlen(line) < 400)
        strcat(line, " + count(individuals)");
    strcat(line, "\n");
    assert_formats_to(line, line);
    /* Where the author broke a line, it stays broken; brackets opened on
     * a continuation line indent the lines inside them. */
    assert_formats_to("let x = f(a,\n"
                      "b, g(c,\n"
                      "d),\n"
                      "e)\n",
                      "let x = f(a,\n"
                      "  b, g(c,\n"
                      "    d),\n"
                      "  e)\n");
    assert_formats_to("let x = f(\n"
                      "    (a and\n"
                      "        b) or\n"
                      "    c\n"
                      ")\n",
                      "let x = f(\n"
                      "  (a and\n"
                      "    b) or\n"
                      "  c\n"
                      "  )\n");
}

static void test_tables_are_aligned(void **state)
{
    (void)state;
    /* A comment with as many cells as the rows is their header; one with
     * another number of cells is a comment like any other. */
    assert_formats_to("table t(a: bool, b: bool): K\n"
                      "  # first | second | result\n"
                      "  # one | two\n"
                      "  yes | - | long_result_name\n"
                      "  no|yes|x\n"
                      "let after = 1\n",
                      "table t(a: bool, b: bool): K\n"
                      "  # first | second | result\n"
                      "  # one | two\n"
                      "  yes     | -      | long_result_name\n"
                      "  no      | yes    | x\n"
                      "let after = 1\n");
}

static void test_spaces_that_would_join_tokens_stay(void **state)
{
    (void)state;
    /* `int? ?` is not `int ??`; `- -x` stays two minus signs. */
    assert_formats_to("let a: int? ? = 1\nlet b = - -x\nlet c = 3 - -(x)\n",
                      "let a: int? ? = 1\nlet b = - -x\nlet c = 3 - -(x)\n");
}

/* ------------------------------------------------------------ rule tests */

static void test_test_files_are_formatted(void **state)
{
    (void)state;
    char *out = format_tests(canonical_tests);
    assert_string_equal(out, canonical_tests);
    free(out);
    out = format_tests(messy_tests);
    assert_string_equal(out, canonical_tests);
    free(out);
}

/* ------------------------------------------------------------ the repository's files */

static void check_file_is_formatted(const char *path)
{
    char *text = read_source(path);
    bool tests = has_suffix(path, "_test.rubric");
    char *out = tests ? format_tests(text) : format_rules(text);
    if (strcmp(out, text) != 0)
        fail_msg("%s is not formatted: run rubric fmt -w %s", path, path);
    /* However it is spaced, it formats to itself. */
    char *scrambled = tests ? scramble_tests(text) : scramble_rules(text);
    assert_string_not_equal(scrambled, text);
    char *again = tests ? format_tests(scrambled) : format_rules(scrambled);
    if (strcmp(again, text) != 0)
        fail_msg("%s spaced otherwise formats to\n%s", path, again);
    free(again);
    free(scrambled);
    free(out);
    free(text);
}

static void test_standard_rules_and_examples_are_formatted(void **state)
{
    (void)state;
    assert_true(for_each_rubric_file("stdlib-rules", check_file_is_formatted) >= 11);
    assert_true(for_each_rubric_file("examples", check_file_is_formatted) >= 3);
}

static char *dir;

static int make_dir(void **state)
{
    (void)state;
    dir = test_temp_dir();
    return dir ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    test_remove_dir(dir);
    free(dir);
    return 0;
}

static const char *in_dir(const char *name)
{
    static char path[4][1024];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    return p;
}

static int sh_in_dir(const char *script, char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s", dir, script);
    return test_sh(cmd, out, err);
}

static void write_scrambled(const char *path)
{
    char *text = read_source(path);
    char *scrambled = scramble_rules(text);
    const char *name = strrchr(path, '/') + 1;
    char dest[1024];
    snprintf(dest, sizeof dest, "%s/a/apn/%s", dir, name);
    test_write_text(dest, scrambled);
    free(scrambled);
    free(text);
}

static void test_formatting_keeps_the_bytecode(void **state)
{
    (void)state;
    /* The standard rules spaced otherwise, and those formatted again,
     * compile to the same bytes as the standard rules themselves. */
    assert_int_equal(sh_in_dir("mkdir -p a/apn", NULL, NULL), 0);
    DIR *d = opendir(test_path("stdlib-rules/apn"));
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[512];
        snprintf(path, sizeof path, "stdlib-rules/apn/%s", e->d_name);
        if (has_suffix(path, ".rubric"))
            write_scrambled(path);
    }
    closedir(d);
    char script[4096];
    snprintf(script, sizeof script,
             "cp -R a b && \"$R\" fmt -w b/apn/*.rubric && "
             "\"$R\" compile -I a a/apn/*.rubric -o a.rbc && "
             "\"$R\" compile -I b b/apn/*.rubric -o b.rbc && "
             "\"$R\" compile -I '%s/stdlib-rules' '%s'/stdlib-rules/apn/*.rubric -o std.rbc && "
             "cmp a.rbc b.rbc && cmp b.rbc std.rbc && "
             "for f in b/apn/*.rubric; do cmp \"$f\" '%s/stdlib-rules/apn/'\"${f##*/}\"; done",
             RUBRIC_SOURCE_DIR, RUBRIC_SOURCE_DIR, RUBRIC_SOURCE_DIR);
    char *err;
    assert_int_equal(sh_in_dir(script, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
}

/* ------------------------------------------------------------ the command */

static void test_check_prints_a_diff(void **state)
{
    (void)state;
    test_write_text(in_dir("ok.rubric"), "let a = 1\n");
    test_write_text(in_dir("two.rubric"), "let  a = 1\n"
                                          "let b = 2\n"
                                          "let c = 3\n"
                                          "let d = 4\n"
                                          "let e = 5\n"
                                          "let f = 6\n"
                                          "let g = 7\n"
                                          "let h = 8\n"
                                          "let i = 9\n"
                                          "let j=10\n");
    test_write_text(in_dir("end.rubric"), "let x=1");
    char *out, *err;
    assert_int_equal(sh_in_dir("\"$R\" fmt --check ok.rubric two.rubric end.rubric", &out, &err),
                     1);
    assert_string_equal(out, "--- two.rubric\n"
                             "+++ two.rubric\n"
                             "@@ -1,4 +1,4 @@\n"
                             "-let  a = 1\n"
                             "+let a = 1\n"
                             " let b = 2\n"
                             " let c = 3\n"
                             " let d = 4\n"
                             "@@ -7,4 +7,4 @@\n"
                             " let g = 7\n"
                             " let h = 8\n"
                             " let i = 9\n"
                             "-let j=10\n"
                             "+let j = 10\n"
                             "--- end.rubric\n"
                             "+++ end.rubric\n"
                             "@@ -1 +1 @@\n"
                             "-let x=1\n"
                             "\\ No newline at end of file\n"
                             "+let x = 1\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
    /* Formatted files: nothing printed, status 0. */
    assert_int_equal(sh_in_dir("\"$R\" fmt --check ok.rubric", &out, &err), 0);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_write_rewrites_what_is_not_formatted(void **state)
{
    (void)state;
    test_write_text(in_dir("ok.rubric"), "let a = 1\n");
    test_write_text(in_dir("messy.rubric"), "let   a=1\n");
    test_write_text(in_dir("messy_test.rubric"), "as_of 2026-11-22\nprogram \"p\"\ndata \"d.json\"\n"
                                                 "test   \"t\"\n    expect eligible_tier none\n");
    char *out, *err;
    /* The formatted file is left alone (the same inode); the others are
     * replaced, keeping their mode. */
    assert_int_equal(sh_in_dir("chmod 640 messy.rubric && ls -i ok.rubric > before && "
                               "\"$R\" fmt -w ok.rubric messy.rubric messy_test.rubric && "
                               "ls -i ok.rubric | cmp - before && stat -c %a messy.rubric && "
                               "cat messy.rubric messy_test.rubric",
                               &out, &err),
                     0);
    assert_string_equal(out, "640\n"
                             "let a = 1\n"
                             "as_of 2026-11-22\nprogram \"p\"\ndata \"d.json\"\n"
                             "test \"t\"\n"
                             "  expect eligible_tier none\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_prints_to_standard_output(void **state)
{
    (void)state;
    test_write_text(in_dir("a.rubric"), "let   a=1\n");
    char *out, *err;
    assert_int_equal(sh_in_dir("\"$R\" fmt a.rubric && printf 'let b=2' | \"$R\" fmt - && "
                               "cat a.rubric",
                               &out, &err),
                     0);
    assert_string_equal(out, "let a = 1\nlet b = 2\nlet   a=1\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_syntax_errors_are_reported_and_nothing_is_written(void **state)
{
    (void)state;
    test_write_text(in_dir("bad.rubric"), "let x = (1\nlet  y = 2\n");
    test_write_text(in_dir("bad_test.rubric"), "test \"t\"\n  expect\n");
    char *out, *err;
    assert_int_equal(sh_in_dir("\"$R\" fmt -w bad.rubric; echo $?; cat bad.rubric", &out, &err),
                     0);
    assert_string_equal(out, "1\nlet x = (1\nlet  y = 2\n");
    assert_string_equal(err, "bad.rubric:1:11: error: unexpected end of line, expecting ')', "
                             "',' or an operator\n"
                             "    1 | let x = (1\n"
                             "      |           ^\n");
    free(out);
    free(err);
    assert_int_equal(sh_in_dir("\"$R\" fmt --check bad_test.rubric", &out, &err), 1);
    assert_string_equal(out, "");
    assert_string_equal(err, "bad_test.rubric:2:9: error: unexpected end of line, expecting "
                             "a name\n"
                             "    2 |   expect\n"
                             "      |         ^\n");
    free(out);
    free(err);
}

static void test_unreadable_files(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(sh_in_dir("mkdir d && \"$R\" fmt missing.rubric d", &out, &err), 1);
    assert_string_equal(out, "");
    assert_string_equal(err, "rubric: cannot read missing.rubric: No such file or directory\n"
                             "rubric: d is not a regular file\n");
    free(out);
    free(err);
}

static void test_usage_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args, *message;
    } cases[] = {
        {"fmt", "rubric: no files to format\n"},
        {"fmt --check -w a.rubric", "rubric: --check and --write cannot be used together\n"},
        {"fmt -w -", "rubric: --write cannot rewrite standard input\n"},
        {"fmt --bogus a.rubric", "rubric: unknown option '--bogus'\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err, want[512];
        assert_int_equal(test_run(cases[i].args, NULL, &out, &err), 2);
        snprintf(want, sizeof want, "%sTry 'rubric fmt --help'.\n", cases[i].message);
        assert_string_equal(err, want);
        assert_string_equal(out, "");
        free(out);
        free(err);
    }
}

/* ------------------------------------------------------------ the library */

static void test_library_errors(void **state)
{
    (void)state;
    rubric_compiler *c = rubric_compiler_new(NULL);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(rubric_compiler_format(NULL, "x", "", 0, RUBRIC_SOURCE_RULES, &out, &len),
                     RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_format(c, NULL, "", 0, RUBRIC_SOURCE_RULES, &out, &len),
                     RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_format(c, "x", NULL, 1, RUBRIC_SOURCE_RULES, &out, &len),
                     RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_format(c, "x", "", 0, (rubric_source_kind)7, &out, &len),
                     RUBRIC_ERR_USAGE);
    assert_int_equal(rubric_compiler_format(c, "x", "", 0, RUBRIC_SOURCE_RULES, NULL, &len),
                     RUBRIC_ERR_USAGE);
    rubric_compiler_free(c);
    char *diag;
    const char *bad = "let a = \"open\n";
    assert_int_equal(format_as(bad, strlen(bad), RUBRIC_SOURCE_RULES, &diag), RUBRIC_ERR_COMPILE);
    assert_string_equal(diag, "1:9: this string has no closing '\"' on its line");
    free(diag);
    /* A test file's words are not rules. */
    assert_int_equal(format_as(canonical_tests, strlen(canonical_tests), RUBRIC_SOURCE_RULES,
                               &diag),
                     RUBRIC_ERR_COMPILE);
    free(diag);
}

static rubric_status format_canonical(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    rubric_compiler *c = rubric_compiler_new(config);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    char *out = NULL;
    size_t len = 0;
    rubric_status st = rubric_compiler_format(c, "x.rubric", messy_rules, strlen(messy_rules),
                                              RUBRIC_SOURCE_RULES, &out, &len);
    *ok = st == RUBRIC_OK && strcmp(out, canonical_rules) == 0;
    if (out)
        rubric_free(config, out, len + 1);
    rubric_compiler_free(c);
    return st;
}

static void test_out_of_memory(void **state)
{
    (void)state;
    sweep_result r = sweep("formatting rules", format_canonical, NULL, 1, 1);
    assert_int_equal(r.runs, r.allocations + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_construct_is_canonical),
        cmocka_unit_test(test_any_spacing_gives_the_canonical_text),
        cmocka_unit_test(test_comments_keep_their_place),
        cmocka_unit_test(test_blank_lines_are_at_most_one),
        cmocka_unit_test(test_long_lines_and_line_breaks_are_kept),
        cmocka_unit_test(test_tables_are_aligned),
        cmocka_unit_test(test_spaces_that_would_join_tokens_stay),
        cmocka_unit_test(test_test_files_are_formatted),
        cmocka_unit_test(test_standard_rules_and_examples_are_formatted),
        cmocka_unit_test_setup_teardown(test_formatting_keeps_the_bytecode, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_check_prints_a_diff, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_write_rewrites_what_is_not_formatted, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_prints_to_standard_output, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_syntax_errors_are_reported_and_nothing_is_written,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_unreadable_files, make_dir, remove_dir),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_library_errors),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
