/*
 * test_extend_record.c — `extend record`: fields a module adds to a record
 * declared in a module it imports, the standard Partner included
 * (docs/language.md, "Extending the data").
 *
 * The added fields are read from the same partner files; they are never
 * required, so every partner file stays valid; a field is a record's once,
 * whoever declares it; the record must exist and be imported.  `-r stdlib`
 * compiles the standard programs together with the user's rules, as one
 * compilation with one schema, and leaves their results as they were.
 */
#include "rules_harness.h"
#include "test_shell.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The example of docs/language.md, "Extending the data". */
#define MSP_RULES                                                                           \
    "import apn.partner\n"                                                                  \
    "\n"                                                                                    \
    "extend record Partner\n"                                                               \
    "  msp: MspProfile?\n"                                                                  \
    "  msp_stage: MspStage = applicant\n"                                                   \
    "\n"                                                                                    \
    "enum MspStage applicant < validated\n"                                                 \
    "enum AuditArea governance | security | operations | monitoring\n"                      \
    "enum AuditResult passed | failed\n"                                                    \
    "\n"                                                                                    \
    "record MspProfile\n"                                                                   \
    "  audits: list of MspAudit\n"                                                          \
    "  evidence: list of ControlEvidence\n"                                                 \
    "  references: list of MspReference\n"                                                  \
    "  pipelines: int = 0\n"                                                                \
    "\n"                                                                                    \
    "record MspAudit\n"                                                                     \
    "  area: AuditArea\n"                                                                   \
    "  date: date\n"                                                                        \
    "  result: AuditResult\n"                                                               \
    "\n"                                                                                    \
    "record ControlEvidence\n"                                                              \
    "  area: AuditArea\n"                                                                   \
    "  control: string\n"                                                                  \
    "  reviewed: date?\n"                                                                   \
    "\n"                                                                                    \
    "record MspReference\n"                                                                 \
    "  customer: string\n"                                                                  \
    "  signed: date\n"                                                                      \
    "\n"                                                                                    \
    "program \"msp-readiness-example\" \"MSP validation readiness (example)\" version "      \
    "\"0.1\"\n"                                                                             \
    "  applies when path == consulting\n"                                                   \
    "  tiers validated by msp_stage\n"                                                      \
    "  rolling window (as_of - 12 months, as_of]\n"                                         \
    "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"                 \
    "\n"                                                                                    \
    "  category Audits\n"                                                                   \
    "    requirement audited_areas \"Audit areas passed\" time_bound\n"                     \
    "      count(distinct((msp.audits where result == passed and date in window).area))"    \
    "   at least 3\n"                                                                       \
    "    requirement reviewed_evidence \"Control evidence reviewed\"\n"                     \
    "      count(msp.evidence where reviewed != null)   at least 2\n"                       \
    "\n"                                                                                    \
    "  category Customers\n"                                                                \
    "    requirement references \"MSP customer references\" time_bound\n"                  \
    "      count(msp.references where signed in window)   at least 2\n"                     \
    "\n"                                                                                    \
    "  category Operations\n"                                                               \
    "    requirement pipelines \"Deployment pipelines\"\n"                                  \
    "      msp.pipelines ?? 0   at least 1\n"

/* A partner file with the MSP fields (northwind.json in the docs). */
#define NORTHWIND                                                                           \
    "{\"id\": \"P-0000042\", \"name\": \"Northwind Managed Cloud\", \"path\": "             \
    "\"consulting\",\n"                                                                     \
    " \"tier\": \"Advanced\", \"renewal_date\": \"2027-03-01\",\n"                          \
    " \"msp\": {\n"                                                                         \
    "   \"audits\": [\n"                                                                    \
    "     {\"area\": \"governance\", \"date\": \"2026-04-14\", \"result\": \"passed\"},\n"  \
    "     {\"area\": \"security\", \"date\": \"2026-05-02\", \"result\": \"passed\"},\n"    \
    "     {\"area\": \"operations\", \"date\": \"2026-05-20\", \"result\": \"failed\"}],\n" \
    "   \"evidence\": [\n"                                                                  \
    "     {\"area\": \"security\", \"control\": \"SEC-1\", \"reviewed\": \"2026-05-02\"},\n"\
    "     {\"area\": \"operations\", \"control\": \"OPS-3\"}],\n"                           \
    "   \"references\": [\n"                                                                \
    "     {\"customer\": \"Contoso\", \"signed\": \"2026-02-10\"},\n"                       \
    "     {\"customer\": \"Fabrikam\", \"signed\": \"2026-06-30\"}],\n"                     \
    "   \"pipelines\": 2}}\n"

/* The rule tests of the docs' example: two of the program, one of a
 * standard program on the same file. */
#define MSP_TESTS                                                                           \
    "program \"msp-readiness-example\"\n"                                                   \
    "as_of 2026-11-22\n"                                                                    \
    "data \"northwind.json\"\n"                                                             \
    "\n"                                                                                    \
    "test \"Two audit areas passed: not ready yet\"\n"                                      \
    "  expect eligible_tier none\n"                                                         \
    "  expect validated audited_areas not_met 2\n"                                          \
    "  expect validated pipelines met 2\n"                                                  \
    "\n"                                                                                    \
    "test \"The standard programs read the same file\"\n"                                   \
    "  program \"apn-2019-consulting\"\n"                                                   \
    "  expect current_tier Advanced\n"

/* The example partners, every program of the standard library applies to
 * one of them. */
#define EXAMPLE_PARTNERS                                                                    \
    "examples/partners/registered.json examples/partners/select.json "                      \
    "examples/partners/advanced.json examples/partners/premier.json "                       \
    "examples/partners/technology.json examples/partners/service_delivery.json"

/* ------------------------------------------------------------ helpers */

/* The requirement object of a result, as results print it. */
#define REQ(id, name, category, time_bound, status, actual, required)                       \
    "{\"id\":\"" id "\",\"name\":\"" name "\",\"category\":\"" category                     \
    "\",\"time_bound\":" time_bound ",\"status\":\"" status "\",\"actual\":" actual          \
    ",\"required\":" required ",\"unit\":\"count\",\"parts\":[]}"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("missing\n  %s\nin\n%s", part, text);
}

/* dir/name, written with text; the path in a static buffer. */
static const char *write_in(const char *dir, const char *name, const char *text)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_text(path, text);
    return path;
}

/* Make dir/sub (one level). */
static void make_subdir(const char *dir, const char *sub)
{
    char script[1024];
    snprintf(script, sizeof script, "mkdir -p '%s/%s'", dir, sub);
    assert_int_equal(test_sh(script, NULL, NULL), 0);
}

/* Run a script (printf format; every %s is usually the test's directory);
 * returns the exit status with stdout and stderr (to free). */
static int sh(char **out, char **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int sh(char **out, char **err, const char *fmt, ...)
{
    char script[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(script, sizeof script, fmt, ap);
    va_end(ap);
    return test_sh(script, out, err);
}

/* `rubric eval` of dir/northwind.json, from dir, with the rules options. */
static int eval_in(const char *dir, const char *rules, char **out, char **err)
{
    return sh(out, err, "cd '%s' && \"$R\" eval --as-of 2026-11-22 -f jsonl %s northwind.json",
              dir, rules);
}

/* The only diagnostic of checking rules: "LINE:COL: message", and its hint. */
static void expect_one_diag(const char *rules, const char *where_message, const char *hint)
{
    rubric_compiler *c = harness_check(rules);
    char buf[1024];
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++)
        printf("  diagnostic %s\n", harness_diag(c, i, buf, sizeof buf));
    assert_int_equal(rubric_compiler_diag_count(c), 1);
    assert_string_equal(harness_diag(c, 0, buf, sizeof buf), where_message);
    const char *got = rubric_compiler_diag(c, 0)->hint;
    if (hint)
        assert_string_equal(got ? got : "(no hint)", hint);
    else
        assert_null(got);
    rubric_compiler_free(c);
}

static void expect_no_diags(const char *rules)
{
    rubric_compiler *c = harness_check(rules);
    char buf[1024];
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++)
        printf("  diagnostic %s\n", harness_diag(c, i, buf, sizeof buf));
    assert_int_equal(rubric_compiler_diag_count(c), 0);
    rubric_compiler_free(c);
}

/* The line of stdlib-rules/apn/partner.rubric that starts with text. */
static unsigned partner_line(const char *text)
{
    char *src = test_read_file(test_path("stdlib-rules/apn/partner.rubric"), NULL);
    assert_non_null(src);
    unsigned line = 1, found = 0;
    for (const char *p = src; *p && !found; p++) {
        if ((p == src || p[-1] == '\n') && strncmp(p, text, strlen(text)) == 0)
            found = line;
        if (*p == '\n')
            line++;
    }
    free(src);
    assert_int_not_equal(found, 0);
    return found;
}

/* ------------------------------------------------------------ reading */

/* The fields an extension adds are read from the partner file: the
 * measures count the MSP file's audits, evidence and references, and the
 * default of msp_stage is the current tier. */
static void test_added_fields_are_read(void **state)
{
    (void)state;
    char *jsonl = NULL;
    assert_int_equal(harness_eval(MSP_RULES, NORTHWIND, "2026-11-22", &jsonl), RUBRIC_OK);
    assert_contains(jsonl, "\"current_tier\":\"applicant\",\"eligible_tier\":null");
    assert_contains(jsonl, REQ("audited_areas", "Audit areas passed", "Audits", "true",
                               "not_met", "2", "3"));
    assert_contains(jsonl, REQ("reviewed_evidence", "Control evidence reviewed", "Audits",
                               "false", "not_met", "1", "2"));
    assert_contains(jsonl, REQ("references", "MSP customer references", "Customers", "true",
                               "met", "2", "2"));
    assert_contains(jsonl, REQ("pipelines", "Deployment pipelines", "Operations", "false",
                               "met", "2", "1"));
    free(jsonl);
}

/* A partner file without the added fields is as valid as before: absent
 * fields are null, empty, or their default. */
static void test_partner_files_without_the_fields_stay_valid(void **state)
{
    (void)state;
    char *partner = test_read_file(test_path("examples/partners/advanced.json"), NULL);
    assert_non_null(partner);
    char *jsonl = NULL;
    assert_int_equal(harness_eval(MSP_RULES, partner, "2026-11-22", &jsonl), RUBRIC_OK);
    assert_contains(jsonl, "\"current_tier\":\"applicant\",\"eligible_tier\":null");
    assert_contains(jsonl, REQ("audited_areas", "Audit areas passed", "Audits", "true",
                               "not_met", "0", "3"));
    assert_contains(jsonl, REQ("pipelines", "Deployment pipelines", "Operations", "false",
                               "not_met", "0", "1"));
    free(jsonl);
    free(partner);
}

/* Any record of an imported module may be extended, not only the root. */
static void test_a_nested_record_is_extended(void **state)
{
    (void)state;
    const char *rules =
        "import apn.partner\n"
        "extend record Opportunity\n"
        "  managed: bool = false\n"
        "program \"managed\" \"Managed opportunities\" version \"1\"\n"
        "  tiers Select < Advanced < Premier by tier\n"
        "  rolling window (as_of - 12 months, as_of]\n"
        "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"
        "  category Experience\n"
        "    requirement managed \"Managed opportunities\"\n"
        "      count(opportunities where managed)   at least 1\n";
    const char *partner =
        "{\"id\": \"P-1\", \"name\": \"M\", \"path\": \"consulting\", \"tier\": \"Select\",\n"
        " \"renewal_date\": \"2027-01-01\", \"opportunities\": [\n"
        "  {\"origin\": \"partner\", \"status\": \"launched\", \"launched\": \"2026-05-01\","
        " \"managed\": true},\n"
        "  {\"origin\": \"partner\", \"status\": \"launched\", \"launched\": \"2026-06-01\"},\n"
        "  {\"origin\": \"partner\", \"status\": \"launched\", \"launched\": \"2026-07-01\","
        " \"managed\": true}]}";
    char *jsonl = NULL;
    assert_int_equal(harness_eval(rules, partner, "2026-11-22", &jsonl), RUBRIC_OK);
    assert_contains(jsonl, REQ("managed", "Managed opportunities", "Experience", "false",
                               "met", "2", "1"));
    free(jsonl);
}

/* ------------------------------------------------------------ diagnostics */

static void test_added_fields_are_optional_lists_or_defaulted(void **state)
{
    (void)state;
    expect_no_diags("import apn.partner\n"
                    "extend record Partner\n"
                    "  msp_note: string?\n"
                    "  msp_areas: list of string\n"
                    "  msp_scores: map of int\n"
                    "  msp_pipelines: int = 0\n");
    expect_one_diag("import apn.partner\n"
                    "extend record Partner\n"
                    "  msp_pipelines: int\n",
                    "3:3: field 'msp_pipelines' added to Partner must not be required: partner "
                    "files without it must stay valid",
                    "make it `int?`, a list, or give it a default (`= value`)");
    expect_one_diag("import apn.partner\n"
                    "extend record Partner\n"
                    "  msp: MspProfile\n"
                    "record MspProfile\n"
                    "  pipelines: int\n",
                    "3:3: field 'msp' added to Partner must not be required: partner files "
                    "without it must stay valid",
                    "make it `MspProfile?`, a list, or give it a default (`= value`)");
}

/* Conditions and roles could make files that were valid invalid, or move
 * the partner's id: an added field has neither. */
static void test_added_fields_have_no_condition_or_role(void **state)
{
    (void)state;
    expect_one_diag("import apn.partner\n"
                    "extend record Partner\n"
                    "  msp_id: string? key\n",
                    "3:3: an added field cannot be key, label or tag: they are given where the "
                    "record is declared",
                    NULL);
    expect_one_diag("import apn.partner\n"
                    "extend record Partner\n"
                    "  msp_path: Path? required when path == consulting\n",
                    "3:33: an added field cannot be `required when`: partner files without it "
                    "must stay valid",
                    NULL);
}

static void test_field_already_in_the_record(void **state)
{
    (void)state;
    char want[512];
    snprintf(want, sizeof want,
             "3:3: Partner already has a field 'tier', declared in module 'apn.partner' at "
             "<stdlib>/apn/partner.rubric:%u",
             partner_line("  tier: Tier"));
    expect_one_diag("import apn.partner\n"
                    "extend record Partner\n"
                    "  tier: string?\n",
                    want, "an extension adds new fields: give this one another name");
}

static void test_field_added_twice_in_one_file(void **state)
{
    (void)state;
    expect_one_diag("import apn.partner\n"
                    "extend record Partner\n"
                    "  msp: int?\n"
                    "extend record Partner\n"
                    "  msp: string?\n",
                    "5:3: field 'msp' is already added to Partner at rules.rubric:3",
                    "a field is added to a record once: give one of them another name");
}

/* Two modules add a field of one name: the error is in the file that
 * imports the other, and names both files and lines. */
static void test_field_added_by_two_modules(void **state)
{
    const char *dir = *state;
    make_subdir(dir, "ext");
    write_in(dir, "ext/audits.rubric", "module ext.audits\n"
                                       "import apn.partner\n"
                                       "extend record Partner\n"
                                       "  msp: int?\n");
    write_in(dir, "main.rubric", "import apn.partner\n"
                                 "import ext.audits\n"
                                 "extend record Partner\n"
                                 "  msp: string?\n");
    char *out, *err, want[2048];
    assert_int_equal(sh(&out, &err, "\"$R\" check '%s/main.rubric'", dir), 1);
    snprintf(want, sizeof want,
             "%s/main.rubric:4:3: error: field 'msp' is already added to Partner in module "
             "'ext.audits' at %s/ext/audits.rubric:4\n"
             "    4 |   msp: string?\n"
             "      |   ^~~\n"
             "%s/main.rubric:4:3: note: a field is added to a record once: give one of them "
             "another name\n",
             dir, dir, dir);
    assert_string_equal(err, want);
    assert_string_equal(out, "");
    free(out);
    free(err);
}

static void test_unknown_record(void **state)
{
    (void)state;
    expect_one_diag("import apn.partner\n"
                    "extend record Partnr\n"
                    "  msp: int?\n",
                    "2:15: cannot extend record 'Partnr': no record has that name",
                    "did you mean 'Partner'?");
    expect_one_diag("extend record Partner\n"
                    "  msp: int?\n",
                    "1:15: cannot extend record 'Partner': no record has that name",
                    "a record is extended where the module that declares it is imported (the "
                    "standard Partner: `import apn.partner`)");
    expect_one_diag("import apn.partner\n"
                    "extend record Path\n"
                    "  msp: int?\n",
                    "2:15: cannot extend 'Path': it is an enum, not a record", NULL);
}

/* apn.common imports apn.partner, so Partner is loaded, but only the
 * files that import apn.partner see it. */
static void test_record_not_imported(void **state)
{
    (void)state;
    expect_one_diag("import apn.common\n"
                    "extend record Partner\n"
                    "  msp: int?\n",
                    "2:15: cannot extend record 'Partner': it is declared in module "
                    "'apn.partner', which this file does not import",
                    "add `import apn.partner`");
}

/* `extend` is a word only before `record`. */
static void test_extend_is_an_ordinary_name(void **state)
{
    (void)state;
    expect_one_diag("import apn.partner\n"
                    "extnd record Partner\n"
                    "  msp: int?\n",
                    "2:1: expected 'extend', found 'extnd'", NULL);
    expect_no_diags("record Extension\n"
                    "  extend: int?\n"
                    "let extend = 1\n");
    harness_parse p;
    harness_parse_text(&p, "extend record Partner\n  msp: MspProfile?\n");
    char *dump = harness_dump(&p);
    assert_string_equal(dump, "file\n"
                              "  extend record Partner\n"
                              "    field msp: MspProfile?\n");
    free(dump);
    harness_parse_free(&p);
}

/* ------------------------------------------------------------ the command */

/* `-r stdlib -r my.rubric`: the standard programs' results are those of
 * plain `rubric eval`, byte for byte, and the user's program is there
 * too, for the consulting partners it applies to. */
static void test_stdlib_beside_user_rules(void **state)
{
    const char *dir = *state;
    write_in(dir, "msp.rubric", MSP_RULES);
    char *plain, *both, *err;
    assert_int_equal(sh(&plain, &err, "\"$R\" eval --as-of 2026-11-22 -f jsonl " EXAMPLE_PARTNERS),
                     0);
    assert_string_equal(err, "");
    free(err);
    assert_int_equal(sh(&both, &err,
                        "\"$R\" eval -r stdlib -r '%s/msp.rubric' --as-of 2026-11-22 -f jsonl "
                        EXAMPLE_PARTNERS " | grep -v '\"id\":\"msp-readiness-example\"'",
                        dir),
                     0);
    assert_string_equal(err, "");
    assert_string_equal(both, plain);
    free(both);
    free(err);
    assert_int_equal(sh(&both, &err,
                        "\"$R\" eval -r stdlib -r '%s/msp.rubric' --as-of 2026-11-22 -f jsonl "
                        EXAMPLE_PARTNERS " | grep -c '\"id\":\"msp-readiness-example\"'",
                        dir),
                     0);
    assert_string_equal(both, "5\n"); /* every partner but technology.json */
    free(both);
    free(err);
    free(plain);
}

/* The user's rules import apn.partner from the built-in library whatever
 * the working directory, for eval and for test. */
static void test_built_in_modules_from_any_directory(void **state)
{
    const char *dir = *state;
    make_subdir(dir, "rules");
    make_subdir(dir, "elsewhere");
    write_in(dir, "rules/msp.rubric", MSP_RULES);
    write_in(dir, "rules/northwind.json", NORTHWIND);
    write_in(dir, "rules/msp_test.rubric", MSP_TESTS);
    char *from_rules, *from_elsewhere, *err;
    assert_int_equal(sh(&from_rules, &err,
                        "cd '%s/rules' && \"$R\" eval -r msp.rubric --as-of 2026-11-22 "
                        "-f jsonl northwind.json",
                        dir),
                     0);
    assert_string_equal(err, "");
    assert_contains(from_rules, REQ("pipelines", "Deployment pipelines", "Operations", "false",
                                    "met", "2", "1"));
    free(err);
    assert_int_equal(sh(&from_elsewhere, &err,
                        "cd '%s/elsewhere' && \"$R\" eval -r '%s/rules/msp.rubric' "
                        "--as-of 2026-11-22 -f jsonl '%s/rules/northwind.json'",
                        dir, dir, dir),
                     0);
    assert_string_equal(err, "");
    assert_string_equal(from_elsewhere, from_rules);
    free(err);
    free(from_elsewhere);
    free(from_rules);

    char *out;
    assert_int_equal(sh(&out, &err,
                        "cd '%s/elsewhere' && \"$R\" test -r stdlib -r ../rules/msp.rubric "
                        "../rules/msp_test.rubric",
                        dir),
                     0);
    assert_string_equal(out, "2 passed, 0 failed\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
    /* Without stdlib the standard program is not there to test. */
    assert_int_equal(sh(&out, &err,
                        "cd '%s/rules' && \"$R\" test -r msp.rubric msp_test.rubric", dir),
                     1);
    assert_string_equal(out, "0 passed, 0 failed\n");
    assert_contains(err, "msp_test.rubric:11:11: error: unknown program 'apn-2019-consulting'");
    free(out);
    free(err);
}

/* Bytecode files keep their own schemas: each reads every partner with
 * its own, and a field only one of them has is unknown to the others (a
 * warning with --strict).  Compiled together, stdlib and the rules are one
 * module with the results of `-r stdlib -r msp.rubric`. */
static void test_bytecode_files_keep_their_schemas(void **state)
{
    const char *dir = *state;
    write_in(dir, "msp.rubric", MSP_RULES);
    write_in(dir, "northwind.json", NORTHWIND);
    assert_int_equal(sh(NULL, NULL,
                        "cd '%s' && \"$R\" compile -o std.rbc && "
                        "\"$R\" compile msp.rubric -o msp.rbc && "
                        "\"$R\" compile stdlib msp.rubric -o all.rbc",
                        dir),
                     0);
    char *sources, *separate, *together, *err;
    assert_int_equal(eval_in(dir, "-r stdlib -r msp.rubric", &sources, NULL), 0);
    assert_int_equal(eval_in(dir, "-r std.rbc -r msp.rbc", &separate, NULL), 0);
    assert_int_equal(eval_in(dir, "-r all.rbc", &together, NULL), 0);
    assert_string_equal(separate, sources);
    assert_string_equal(together, sources);
    free(sources);
    free(separate);
    free(together);

    assert_int_equal(eval_in(dir, "--strict -r std.rbc -r msp.rbc", NULL, &err), 0);
    assert_string_equal(err, "northwind.json:1: warning: $: unknown field \"msp\"\n");
    free(err);
    assert_int_equal(eval_in(dir, "--strict -r all.rbc", NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
}

/* With the standard programs compiled in, their apn.common is the one: a
 * local file of that name is not passed over silently, nor is one that an
 * earlier import's built-in module hides. */
static void test_local_module_with_a_built_in_name(void **state)
{
    const char *dir = *state;
    make_subdir(dir, "rules/apn");
    write_in(dir, "rules/apn/common.rubric", "module apn.common\nlet local_marker = 1\n");
    write_in(dir, "rules/main.rubric", "import apn.partner\nimport apn.common\n");
    char *err, want[2048];
    assert_int_equal(sh(NULL, &err, "\"$R\" check stdlib '%s/rules/main.rubric'", dir), 1);
    snprintf(want, sizeof want,
             "%s/rules/main.rubric:2:8: error: module 'apn.common' is both built in and the "
             "file %s/rules/apn/common.rubric\n"
             "    2 | import apn.common\n"
             "      |        ^~~~~~~~~~\n"
             "%s/rules/main.rubric:2:8: note: the standard programs compiled with these rules "
             "use the built-in module, and a module is loaded once: rename or move the file\n",
             dir, dir, dir);
    assert_string_equal(err, want);
    free(err);
    /* -I cannot choose it either: the module is already loaded. */
    assert_int_equal(sh(NULL, &err, "\"$R\" check -I '%s/rules' stdlib '%s/rules/main.rubric'",
                        dir, dir),
                     1);
    assert_contains(err, "error: module 'apn.common' is both built in and the file");
    free(err);

    make_subdir(dir, "first");
    write_in(dir, "first/main.rubric", "import apn.partner\nimport apn.common\n");
    assert_int_equal(sh(NULL, &err, "\"$R\" check '%s/first/main.rubric' '%s/rules/main.rubric'",
                        dir, dir),
                     1);
    snprintf(want, sizeof want,
             "%s/rules/main.rubric:2:8: error: module 'apn.common' is both built in and the "
             "file %s/rules/apn/common.rubric\n"
             "    2 | import apn.common\n"
             "      |        ^~~~~~~~~~\n"
             "%s/rules/main.rubric:2:8: note: an earlier import loaded the built-in module, and "
             "a module is loaded once: rename or move the file\n",
             dir, dir, dir);
    assert_string_equal(err, want);
    free(err);
}

/* `rubric doc` lists the fields an extension adds. */
static void test_doc_of_an_extension(void **state)
{
    const char *dir = *state;
    write_in(dir, "msp.rubric", MSP_RULES);
    char *out;
    assert_int_equal(sh(&out, NULL, "\"$R\" doc '%s/msp.rubric'", dir), 0);
    assert_contains(out, "#### extend record `Partner`\n"
                         "\n"
                         "| field | type | notes |\n"
                         "|---|---|---|\n"
                         "| `msp` | `MspProfile?` |  |\n"
                         "| `msp_stage` | `MspStage` | default `applicant` |\n");
    free(out);
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_dir_setup, test_dir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_added_fields_are_read),
        cmocka_unit_test(test_partner_files_without_the_fields_stay_valid),
        cmocka_unit_test(test_a_nested_record_is_extended),
        cmocka_unit_test(test_added_fields_are_optional_lists_or_defaulted),
        cmocka_unit_test(test_added_fields_have_no_condition_or_role),
        cmocka_unit_test(test_field_already_in_the_record),
        cmocka_unit_test(test_field_added_twice_in_one_file),
        T(test_field_added_by_two_modules),
        cmocka_unit_test(test_unknown_record),
        cmocka_unit_test(test_record_not_imported),
        cmocka_unit_test(test_extend_is_an_ordinary_name),
        T(test_stdlib_beside_user_rules),
        T(test_built_in_modules_from_any_directory),
        T(test_bytecode_files_keep_their_schemas),
        T(test_local_module_with_a_built_in_name),
        T(test_doc_of_an_extension),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
