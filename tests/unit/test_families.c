/*
 * test_families.c — requirement families (`requirement audit_{area}
 * "Audit: {area}" for each area in AuditArea`): parsing, the ids and titles
 * of their members, thresholds computed from the value in tiered and
 * per-item programs, extending programs, parts, the diagnostics, and that
 * a family compiles to the very bytes of the requirements written out.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_harness.h"

#define HEAD                                                                                   \
    "import apn.partner\n"                                                                     \
    "fn needed(l: CertificationLevel): int = if l >= professional then 1 else 2\n"

#define PROGRAM(id)                                                                            \
    "program \"" id "\" \"Families\" version \"1\"\n"                                          \
    "  tiers Select < Advanced by tier\n"                                                      \
    "  rolling window (as_of - 12 months, as_of]\n"                                            \
    "  renewal window (renewal_date - 12 months, as_of] due renewal_date\n"

/* One requirement per certification level, and one per competency. */
#define FAMILIES                                                                               \
    HEAD PROGRAM("fam")                                                                        \
    "  category Knowledge\n"                                                                   \
    "    requirement certified_{grade} \"Certified at {grade}\" for each grade in "           \
    "CertificationLevel\n"                                                                     \
    "      count(individuals where any certifications (level == grade))   at least "          \
    "needed(grade) | needed(grade) + 1\n"                                                      \
    "    requirement competency_{c} \"{c} Competency\" for each c in {\"Security\", "         \
    "\"DevOps & Automation\"}\n"                                                               \
    "      any designations (kind == \"competency\" and name == c)   required - | yes\n"

#define PARTNER                                                                                \
    "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": \"Select\", "    \
    "\"renewal_date\": \"2027-01-01\", \"individuals\": ["                                     \
    "{\"certifications\": [{\"level\": \"professional\", \"earned\": \"2025-01-01\"}]}, "      \
    "{\"certifications\": [{\"level\": \"associate\", \"earned\": \"2025-01-01\"}]}, "         \
    "{\"certifications\": [{\"level\": \"associate\", \"earned\": \"2025-01-01\"}]}], "        \
    "\"designations\": [{\"kind\": \"competency\", \"name\": \"Security\", "                  \
    "\"awarded\": \"2025-01-01\"}]}"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("missing %s\nin %s", part, text);
}

static char *eval(const char *rules, const char *partner)
{
    char *out = NULL;
    rubric_status st = harness_eval(rules, partner, "2026-11-22", &out);
    if (st != RUBRIC_OK)
        printf("%s\n", out);
    assert_int_equal(st, RUBRIC_OK);
    return out;
}

/* The diagnostics of text, each "LINE:COL: message" on a line, and its
 * hint on the next ("LINE:COL: hint"); free(). */
static char *diagnostics(const char *text)
{
    rubric_compiler *c = harness_check(text);
    strbuf sb;
    sb_init(&sb, test_alloc());
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++) {
        char buf[600];
        const rubric_diag *d = rubric_compiler_diag(c, i);
        sb_printf(&sb, "%s\n", harness_diag(c, i, buf, sizeof buf));
        if (d->hint)
            sb_printf(&sb, "%u:%u: %s\n", d->line, d->column, d->hint);
    }
    rubric_compiler_free(c);
    char *r = strdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

static void assert_diagnostics(const char *text, const char *expected)
{
    char *got = diagnostics(text);
    assert_string_equal(got, expected);
    free(got);
}

/* The bytecode of rules that must compile; free(). */
static unsigned char *compile(const char *text, size_t *len)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, false), RUBRIC_OK);
    assert_int_equal(rubric_compiler_add_source(c, "rules.rubric", text, strlen(text)),
                     RUBRIC_OK);
    void *bytes = NULL;
    rubric_status st = rubric_compiler_run(c, false, &bytes, len);
    if (st != RUBRIC_OK) {
        char *diags = rubric_compiler_render_diags(c, false);
        fail_msg("rules do not compile:\n%s", diags ? diags : "");
    }
    rubric_compiler_free(c);
    unsigned char *copy = malloc(*len);
    assert_non_null(copy);
    memcpy(copy, bytes, *len);
    rubric_free(NULL, bytes, *len);
    return copy;
}

/* ------------------------------------------------------------ parsing */

static void test_parse_family(void **state)
{
    (void)state;
    harness_parse p;
    harness_parse_text(&p, FAMILIES);
    assert_int_equal(p.diags.items.len, 0);
    char *dump = harness_dump(&p);
    assert_contains(dump, "requirement certified_{grade} \"Certified at {grade}\" for each "
                          "grade in\n");
    assert_contains(dump, "requirement competency_{c} \"{c} Competency\" for each c in\n");
    free(dump);
    harness_parse_free(&p);
}

static void test_parse_errors(void **state)
{
    (void)state;
    const char *spaced = HEAD PROGRAM("p") "  category K\n"
                         "    requirement audit_ {grade} \"A\" for each grade in "
                         "CertificationLevel\n"
                         "      count(individuals)   at least 1\n";
    harness_parse p;
    harness_parse_text(&p, spaced);
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.message,
                        "a requirement's id is one word: write it without spaces, such as "
                        "audit_{area}");
    assert_int_equal(p.diags.items.items[0].d.column, 24);
    harness_parse_free(&p);

    const char *every = HEAD PROGRAM("p") "  category K\n"
                        "    requirement a_{g} \"A\" for every g in CertificationLevel\n"
                        "      count(individuals)   at least 1\n";
    harness_parse_text(&p, every);
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.message, "expected 'each', found 'every'");
    harness_parse_free(&p);

    /* An id starts with a word. */
    const char *braced = HEAD PROGRAM("p") "  category K\n"
                         "    requirement {g} \"A\" for each g in CertificationLevel\n"
                         "      count(individuals)   at least 1\n";
    harness_parse_text(&p, braced);
    assert_int_equal(p.diags.items.len, 1);
    assert_string_equal(p.diags.items.items[0].d.message,
                        "unexpected '{', expecting a name");
    harness_parse_free(&p);
}

/* ------------------------------------------------------------ members */

static void test_members_are_requirements(void **state)
{
    (void)state;
    char *out = eval(FAMILIES, PARTNER);
    /* Ids from the enum's values and the strings; titles with the value. */
    assert_contains(out, "{\"id\":\"certified_foundational\",\"name\":\"Certified at "
                         "foundational\",\"category\":\"Knowledge\",\"time_bound\":false,"
                         "\"status\":\"not_met\",\"actual\":0,\"required\":2,");
    assert_contains(out, "{\"id\":\"certified_associate\",\"name\":\"Certified at associate\","
                         "\"category\":\"Knowledge\",\"time_bound\":false,\"status\":\"met\","
                         "\"actual\":2,\"required\":2,");
    assert_contains(out, "\"id\":\"certified_professional\",\"name\":\"Certified at "
                         "professional\",\"category\":\"Knowledge\",\"time_bound\":false,"
                         "\"status\":\"met\",\"actual\":1,\"required\":1,");
    assert_contains(out, "\"id\":\"certified_specialty\"");
    /* The Advanced column: needed(grade) + 1. */
    assert_contains(out, "{\"tier\":\"Advanced\",\"satisfied\":false,\"requirements\":["
                         "{\"id\":\"certified_foundational\",\"name\":\"Certified at "
                         "foundational\",\"category\":\"Knowledge\",\"time_bound\":false,"
                         "\"status\":\"not_met\",\"actual\":0,\"required\":3,");
    assert_contains(out, "{\"id\":\"competency_security\",\"name\":\"Security Competency\","
                         "\"category\":\"Knowledge\",\"time_bound\":false,\"status\":\"met\","
                         "\"actual\":true,\"required\":true,");
    assert_contains(out, "{\"id\":\"competency_devops_automation\",\"name\":\"DevOps & "
                         "Automation Competency\",\"category\":\"Knowledge\",\"time_bound\":"
                         "false,\"status\":\"not_met\",\"actual\":false,\"required\":true,");
    free(out);
}

/* A family is the requirements written out, to the byte. */
static void test_same_bytes_as_written_out(void **state)
{
    (void)state;
    const char *family =
        HEAD PROGRAM("p") "  category K\n"
        "    requirement certified_{grade} \"Certified at {grade}\" for each grade in "
        "CertificationLevel\n"
        "      count(individuals where any certifications (level == grade))   at least "
        "needed(grade) | needed(grade) + 1\n";
    const char *written = HEAD PROGRAM("p") "  category K\n"
#define WRITTEN(v, a, b)                                                                       \
    "    requirement certified_" v " \"Certified at " v "\"\n"                                 \
    "      count(individuals where any certifications (level == CertificationLevel." v "))"    \
    "   at least " a " | " b "\n"
        WRITTEN("foundational", "2", "3") WRITTEN("associate", "2", "3")
            WRITTEN("professional", "1", "2") WRITTEN("specialty", "1", "2");
#undef WRITTEN
    size_t na = 0, nb = 0;
    unsigned char *a = compile(family, &na);
    unsigned char *b = compile(written, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

/* A requirement's lets are made for each member: each sees its value. */
static void test_lets_per_member(void **state)
{
    (void)state;
    const char *rules =
        HEAD PROGRAM("p") "  category K\n"
        "    requirement at_{grade} \"At {grade}\" for each grade in CertificationLevel\n"
        "      let holders = individuals where any certifications (level == grade)\n"
        "      count(holders)   at least 1\n"
        "      part many \"Many\"  count(holders)   at least 2\n";
    char *out = eval(rules, PARTNER);
    assert_contains(out, "{\"id\":\"at_associate\",\"name\":\"At associate\",\"category\":\"K\","
                         "\"time_bound\":false,\"status\":\"met\",\"actual\":2,\"required\":1,"
                         "\"unit\":\"count\",\"parts\":[{\"id\":\"many\",\"name\":\"Many\","
                         "\"category\":\"K\",\"time_bound\":false,\"status\":\"met\","
                         "\"actual\":2,");
    assert_contains(out, "{\"id\":\"at_professional\",\"name\":\"At professional\",\"category\":"
                         "\"K\",\"time_bound\":false,\"status\":\"not_met\",\"actual\":1,");
    free(out);
}

/* A list function of the value (a checklist per designation) as a
 * threshold, and a family of parts inside a family. */
static void test_checklists_and_part_families(void **state)
{
    (void)state;
    const char *rules =
        HEAD
        "fn checklist(d: string): list of string =\n"
        "  ({\"RDS-1\", \"RDS-2\", \"RDS-3\"} where d == \"Amazon RDS\") + "
        "({\"EC2-1\"} where d == \"Amazon EC2\")\n"
        PROGRAM("p") "  category K\n"
        "    requirement checklist_{d} \"Checklist: {d}\" for each d in {\"Amazon RDS\", "
        "\"Amazon EC2\"}\n"
        "      count(designations where name in checklist(d))   at least count(checklist(d))\n"
        "      part level_{grade} \"Level {grade}\" for each grade in CertificationLevel\n"
        "        count(individuals where any certifications (level >= grade))   at least "
        "length(d) - 8\n";
    size_t len = 0;
    free(compile(rules, &len));
    char *out = eval(rules, PARTNER);
    assert_contains(out, "{\"id\":\"checklist_amazon_rds\",\"name\":\"Checklist: Amazon RDS\","
                         "\"category\":\"K\",\"time_bound\":false,\"status\":\"not_met\","
                         "\"actual\":0,\"required\":3,\"unit\":\"count\",\"parts\":[{\"id\":"
                         "\"level_foundational\",\"name\":\"Level foundational\",\"category\":"
                         "\"K\",\"time_bound\":false,\"status\":\"met\",\"actual\":3,"
                         "\"required\":2,");
    assert_contains(out, "{\"id\":\"checklist_amazon_ec2\",\"name\":\"Checklist: Amazon EC2\","
                         "\"category\":\"K\",\"time_bound\":false,\"status\":\"not_met\","
                         "\"actual\":0,\"required\":1,");
    assert_contains(out, "{\"id\":\"level_specialty\",\"name\":\"Level specialty\",\"category\":"
                         "\"K\",\"time_bound\":false,\"status\":\"not_met\",\"actual\":0,"
                         "\"required\":2,");
    free(out);
}

/* ------------------------------------------------------------ programs */

/* An extending program changes a member's threshold by its id, leaves one
 * out of `sustained`, and its own lets give the computed thresholds. */
static void test_extending_program(void **state)
{
    (void)state;
    const char *rules =
        "import apn.partner\n"
        "let base = 1\n"
        "fn needed(l: CertificationLevel): int = if l >= professional then base else base + 1\n"
        PROGRAM("base") "  category K\n"
        "    requirement certified_{grade} \"Certified at {grade}\" for each grade in "
        "CertificationLevel\n"
        "      count(individuals where any certifications (level == grade))   at least "
        "needed(grade)\n"
        "    requirement steady \"Steady\"\n"
        "      sustained Advanced except steady, certified_specialty   at least - | 1 month\n"
        "program \"more\" \"More\" version \"1\"\n"
        "  extends \"base\"\n"
        "  let base = 2\n"
        "  requirement certified_associate at least 5\n";
    char *out = eval(rules, PARTNER);
    /* The base: needed() with base = 1. */
    assert_contains(out, "\"id\":\"certified_professional\",\"name\":\"Certified at "
                         "professional\",\"category\":\"K\",\"time_bound\":false,\"status\":"
                         "\"met\",\"actual\":1,\"required\":1,");
    /* The extending program: base = 2, and the changed threshold. */
    assert_contains(out, "\"program\":{\"id\":\"more\"");
    assert_contains(out, "\"id\":\"certified_professional\",\"name\":\"Certified at "
                          "professional\",\"category\":\"K\",\"time_bound\":false,\"status\":"
                          "\"not_met\",\"actual\":1,\"required\":2,");
    assert_contains(out, "\"id\":\"certified_associate\",\"name\":\"Certified at associate\","
                          "\"category\":\"K\",\"time_bound\":false,\"status\":\"not_met\","
                          "\"actual\":2,\"required\":5,");
    free(out);
}

/* In a per-item program a threshold of the value is computed per item. */
static void test_per_item_family(void **state)
{
    (void)state;
    const char *rules =
        "import apn.partner\n"
        "fn wanted(d: string, stage: string): int =\n"
        "  if d == \"Amazon RDS\" and stage == \"Review\" then 2 else 1\n"
        "program \"sd\" \"Per item\" version \"1\"\n"
        "  for each application in service_delivery_applications report applications label "
        "designation\n"
        "  category Checks\n"
        "    requirement step_{stage} \"Step: {stage}\" for each stage in {\"Review\", "
        "\"Case studies\"}\n"
        "      count(case_studies)   at least wanted(designation, stage)\n";
    const char *partner =
        "{\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", \"tier\": \"Select\", "
        "\"renewal_date\": \"2027-01-01\", \"service_delivery_applications\": ["
        "{\"designation\": \"Amazon RDS\", \"submitted\": \"2026-01-01\", "
        "\"self_assessment\": {}, \"case_studies\": [{}]}]}";
    char *out = eval(rules, partner);
    assert_contains(out, "{\"id\":\"step_review\",\"name\":\"Step: Review\",\"category\":"
                         "\"Checks\",\"time_bound\":false,\"status\":\"not_met\",\"actual\":1,"
                         "\"required\":2,");
    assert_contains(out, "{\"id\":\"step_case_studies\",\"name\":\"Step: Case studies\","
                         "\"category\":\"Checks\",\"time_bound\":false,\"status\":\"met\","
                         "\"actual\":1,\"required\":1,");
    free(out);
}

/* ------------------------------------------------------------ diagnostics */

#define DIAG_HEAD HEAD PROGRAM("p") "  category K\n"
/* Line 8 of a DIAG_HEAD text is its first requirement. */

static void test_unknown_enum(void **state)
{
    (void)state;
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevels\n"
                       "      count(individuals)   at least 1\n",
                       "8:41: unknown enum 'CertificationLevels'\n"
                       "8:41: did you mean 'CertificationLevel'?\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in Individual\n"
                       "      count(individuals)   at least 1\n",
                       "8:41: 'Individual' is a record: a family goes over the values of an "
                       "enum or a list of strings\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in count(individuals)\n"
                       "      count(individuals)   at least 1\n",
                       "8:41: a family goes over the values of an enum (for each area in "
                       "AuditArea) or a list of strings ({\"Amazon RDS\", \"Amazon EC2\"})\n");
}

static void test_empty_and_bad_lists(void **state)
{
    (void)state;
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in {}\n"
                       "      count(individuals)   at least 1\n",
                       "8:41: the list of a family is empty: it would make no requirement\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in {\"x\", 3}\n"
                       "      count(individuals)   at least 1\n",
                       "8:47: the values of a family's list are strings, such as "
                       "{\"Amazon RDS\", \"Amazon EC2\"}\n");
}

static void test_duplicate_ids(void **state)
{
    (void)state;
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in {\"Service Desk\", "
                       "\"service-desk\"}\n"
                       "      count(individuals)   at least 1\n",
                       "8:58: the family 'a_{g}' makes the id 'a_service_desk' twice: of "
                       "\"Service Desk\" and of \"service-desk\"\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_associate \"A\"\n"
                       "      count(individuals)   at least 1\n"
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "10:17: the family 'a_{g}' makes the requirement 'a_associate', which "
                       "is already declared at line 8\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n"
                       "    requirement a_specialty \"A\"\n"
                       "      count(individuals)   at least 1\n",
                       "10:17: requirement 'a_specialty' is already declared at line 8, by "
                       "the family 'a_{g}'\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in {\"&\"}\n"
                       "      count(individuals)   at least 1\n",
                       "8:42: no id can be made of \"&\": it has no ASCII letter or digit\n");
}

static void test_placeholders(void **state)
{
    (void)state;
    assert_diagnostics(DIAG_HEAD
                       "    requirement audit \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "8:17: the id of a family names its value, such as audit_{g}, so that "
                       "each requirement has an id of its own\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{h} \"A {g}\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "8:17: {h} in the id is not the family's value: write {g}\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A {h}\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "8:23: {h} in the title is not the family's value: write {g}\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\"\n"
                       "      count(individuals)   at least 1\n",
                       "8:17: 'a_{g}' names a family's value, but the requirement is not a "
                       "family\n"
                       "8:17: add `for each NAME in VALUES` after its title\n");
}

static void test_bound_name_shadowing(void **state)
{
    (void)state;
    /* A field of the partner, a let, a let of its own, a value. */
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{tier} \"A\" for each tier in CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "8:39: the family's value 'tier' would hide a field of the partner of "
                       "the same name\n"
                       "8:39: give the value a name of its own: for each tier_value in …\n");
    assert_diagnostics("import apn.partner\nlet g = 1\n" PROGRAM("p") "  category K\n"
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "8:36: the family's value 'g' would hide a let of the same name\n"
                       "8:36: give the value a name of its own: for each g_value in …\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 1\n"
                       "      part p \"P\"\n"
                       "        let g = 2\n"
                       "        count(individuals)   at least g\n",
                       "11:13: 'g' is the name of the family's value: a let of the family "
                       "cannot have it\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{associate} \"A\" for each associate in "
                       "CertificationLevel\n"
                       "      count(individuals)   at least 1\n",
                       "8:44: 'associate' is a value of CertificationLevel: the family's value "
                       "needs another name\n");
    /* A field of an element inside the requirement hides the value. */
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{level} \"A\" for each level in CertificationLevel\n"
                       "      count(individuals where any certifications (level > associate))"
                       "   at least 1\n",
                       "9:51: 'level' is here a field of the element, which hides the family's "
                       "value 'level'\n"
                       "9:51: write it.level for the field, and give the family's value another "
                       "name (for each level_value in …)\n");
}

static void test_computed_threshold_errors(void **state)
{
    (void)state;
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least needed(g) + count(individuals)\n",
                       "9:37: a threshold computed in a tiered program is worked out when the "
                       "rules compile: it may read the family's value, not the partner, as_of "
                       "or window\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least 6 / (needed(g) - 1)\n",
                       "9:37: the threshold of 'a_professional' cannot be worked out when the "
                       "rules compile: division by zero\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least needed(g) * 9223372036854775807\n",
                       "9:37: the threshold of 'a_foundational' cannot be worked out when the "
                       "rules compile: int overflow in multiplication\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least months_between(2020-01-01, "
                       "2021-01-01) + needed(g)\n",
                       "9:37: the threshold of 'a_foundational' cannot be worked out when the "
                       "rules compile: months_between() is not computed then\n");
    assert_diagnostics(DIAG_HEAD
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least $5 * needed(g)\n",
                       "9:37: a computed threshold must be int, found money\n");
    /* Outside a family a tiered program's thresholds are written out. */
    assert_diagnostics(DIAG_HEAD
                       "    requirement a \"A\"\n"
                       "      count(individuals)   at least needed(associate)\n",
                       "9:37: a threshold is a number, an amount ($1,500) or a number of "
                       "months; '-' where the tier does not have it\n");
}

/* A let a program redefines to read the partner cannot give a threshold. */
static void test_redefined_let_reads_partner(void **state)
{
    (void)state;
    assert_diagnostics("import apn.partner\n"
                       "let base = 1\n"
                       "fn needed(l: CertificationLevel): int = base\n"
                       PROGRAM("base") "  category K\n"
                       "    requirement a_{g} \"A\" for each g in CertificationLevel\n"
                       "      count(individuals)   at least needed(g)\n"
                       "program \"more\" \"More\" version \"1\"\n"
                       "  extends \"base\"\n"
                       "  let base = count(individuals)\n",
                       "3:41: the threshold of 'a_foundational' cannot be worked out when the "
                       "rules compile: 'base' depends on the partner or the date\n");
}

/* Families of parts multiply: a program's requirements and parts, members
 * counted, have a limit. */
static void test_too_many_members(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_puts(&sb, "import apn.partner\n" PROGRAM("big") "  category K\n"
                 "    requirement a_{o} \"A\" for each o in {\"o0\"");
    for (int i = 1; i < 101; i++)
        sb_printf(&sb, ", \"o%d\"", i);
    sb_puts(&sb, "}\n      count(individuals)   at least 1\n"
                 "      part b_{p} \"B\" for each p in {\"p0\"");
    for (int i = 1; i < 99; i++)
        sb_printf(&sb, ", \"p%d\"", i);
    sb_puts(&sb, "}\n        count(individuals)   at least 1\n");
    /* 101 members of 99 parts each: 10,100 requirements and parts. */
    assert_diagnostics(sb.data, "2:9: program \"big\" has more than 10000 requirements and "
                                "parts, its families' members counted\n");
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_family),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_members_are_requirements),
        cmocka_unit_test(test_same_bytes_as_written_out),
        cmocka_unit_test(test_lets_per_member),
        cmocka_unit_test(test_checklists_and_part_families),
        cmocka_unit_test(test_extending_program),
        cmocka_unit_test(test_per_item_family),
        cmocka_unit_test(test_unknown_enum),
        cmocka_unit_test(test_empty_and_bad_lists),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_bound_name_shadowing),
        cmocka_unit_test(test_computed_threshold_errors),
        cmocka_unit_test(test_redefined_let_reads_partner),
        cmocka_unit_test(test_too_many_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
