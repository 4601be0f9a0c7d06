/*
 * test_alloc_failures.c — out of memory at every allocation, through the
 * public interface only (as SQLite's mallocFailed tests): the Nth
 * allocation of the configured allocator returns NULL, for N = 1, 2, ...
 * until a run completes without a refusal (tests/support/faulty_alloc.h).
 * Every run must
 *
 *   - end with RUBRIC_ERR_NOMEM when an allocation was refused, or with
 *     RUBRIC_OK and exactly the output of an unhindered run (never OK
 *     without its output, never another status);
 *   - leave no byte allocated once everything is freed;
 *   - free and resize every block with the size it has.
 *
 * Swept: compiling the example rules (every allocation) and the whole
 * standard library (every STDLIB_STRIDE-th allocation, from an offset that
 * changes from run to run: every one of its 2,300 would take minutes under
 * the sanitizers), checking rules with errors (their diagnostics,
 * rendered), reading a rule-test file, documenting modules, loading and
 * disassembling the module, evaluating the example partners in a session
 * and writing each report in each format.  Also: the memory limit counts
 * the JSON parser's buffers, flex's fatal errors come back to the parse,
 * and threads that share a module never call its allocator.
 *
 * RUBRIC_ALLOC_TEST=NAME runs one test alone; RUBRIC_ALLOC_OFFSET=K
 * repeats a run's offset in the standard library, RUBRIC_ALLOC_STRIDE=1
 * sweeps all of it.
 */
#include "test_support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "faulty_alloc.h"
#include "json_reader.h"
#include "lex.h"
#include "rubric.h"

enum { STDLIB_STRIDE = 31 };

/* ------------------------------------------------------------ fixtures */

typedef struct bytes {
    char *data;
    size_t len;
} bytes;

static bool bytes_equal(bytes b, const char *data, size_t len)
{
    return b.len == len && memcmp(b.data, data, len) == 0;
}

/* What an unhindered run produces, to compare each run with. */
static struct expected {
    char *rules;              /* examples/rules/cloud_security.rubric */
    size_t rules_len;
    bytes rules_bytecode;     /* compiled with the standard modules */
    bytes stdlib_bytecode;    /* the standard programs */
    rubric_module *stdlib;    /* loaded with the C library's allocator */
    char *partners[8];        /* partner_files, then item_error_partner */
    size_t partner_len[8];
    size_t npartners;
    bytes reports[3][8];      /* [format][partner] */
    char *bad_rules_diags;    /* rendered */
    char *cycle_diags;        /* of cycle_rules, rendered */
    char *tests;              /* TESTS_FILE */
    size_t tests_len;
    char *tests_summary;      /* what parsing it gives (summarize_tests) */
    char *markdown;           /* rubric doc apn.partner apn.common */
    char *listing;            /* the standard module, disassembled */
} expected;

/* A rule-test file with settings, JSON blocks and data files. */
#define TESTS_FILE "stdlib-rules/tests/edge_cases_test.rubric"

static const char *const partner_files[] = {
    "examples/partners/registered.json", "examples/partners/select.json",
    "examples/partners/advanced.json",   "examples/partners/premier.json",
    "examples/partners/technology.json", "examples/partners/service_delivery.json",
};

/* A service-delivery application whose designation has no checklist: the
 * rules call it an error (`error when`), whose message is made while
 * evaluating. */
static const char item_error_from[] = "\"designation\": \"Amazon RDS\"";
static const char item_error_to[] = "\"designation\": \"Amazon Nothing\"";

static const char *partner_name(size_t i)
{
    return i < sizeof partner_files / sizeof *partner_files
               ? partner_files[i]
               : "the service-delivery partner with an item error";
}

static const rubric_format formats[3] = {RUBRIC_FORMAT_JSON, RUBRIC_FORMAT_JSONL,
                                         RUBRIC_FORMAT_TEXT};

static const char *const as_of = "2026-11-22";

/* Rules with errors: names with hints, a type error, missing clauses. */
static const char bad_rules[] =
    "import apn.partner\n"
    "\n"
    "program \"broken\" \"Broken\" version \"1\"\n"
    "  applies when path == consultin\n"
    "  tiers Select < Advanced by tier\n"
    "  category Fee\n"
    "    requirement fee \"Fee\"\n"
    "      count(individuals) + true   at least 1 | 2\n"
    "    requirement staff \"Staff\"\n"
    "      count(individuals where any acreditations (earned <= as_of))   at least 1 | 2\n";

static bool append(void *user_data, const char *data, size_t len)
{
    strbuf *sb = user_data;
    sb_append(sb, data, len);
    return !sb->failed;
}

/* A report written with rubric_report_write, in a malloc'ed buffer. */
static rubric_status write_report(const rubric_report *report, rubric_format format, bytes *out)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    sb_append(&sb, "", 0);
    rubric_status st = rubric_report_write(report, format, append, &sb);
    out->len = sb.len;
    out->data = sb_take(&sb, NULL);
    return st;
}

static void free_bytes(bytes *b)
{
    free(b->data);
    b->data = NULL;
}

/* ------------------------------------------------------------ scenarios */

/* Compile the example rules (importing the standard modules), or the
 * standard programs themselves. */
static rubric_status compile(const rubric_config *config, bool stdlib_programs,
                             const char *rules, size_t len, bytes *out)
{
    out->data = NULL;
    out->len = 0;
    rubric_compiler *c = rubric_compiler_new(config);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    void *bc = NULL;
    rubric_status st = rubric_compiler_use_stdlib(c, stdlib_programs);
    if (st == RUBRIC_OK && rules)
        st = rubric_compiler_add_source(c, "cloud_security.rubric", rules, len);
    if (st == RUBRIC_OK)
        st = rubric_compiler_run(c, false, &bc, &out->len);
    if (st == RUBRIC_OK) {
        out->data = malloc(out->len);
        memcpy(out->data, bc, out->len);
        rubric_free(config, bc, out->len);
    }
    rubric_compiler_free(c);
    return st;
}

static rubric_status compile_rules(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    bytes out;
    rubric_status st = compile(config, false, expected.rules, expected.rules_len, &out);
    *ok = st == RUBRIC_OK && bytes_equal(out, expected.rules_bytecode.data,
                                         expected.rules_bytecode.len);
    free_bytes(&out);
    return st;
}

static rubric_status compile_stdlib(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    bytes out;
    rubric_status st = compile(config, true, NULL, 0, &out);
    *ok = st == RUBRIC_OK && bytes_equal(out, expected.stdlib_bytecode.data,
                                         expected.stdlib_bytecode.len);
    free_bytes(&out);
    return st;
}

/* Check the bad rules: RUBRIC_ERR_COMPILE is this scenario's success,
 * with exactly the diagnostics of an unhindered run. */
/* Rules with errors: the root file's text, and modules it may import. */
typedef struct bad_case {
    const char *text;
    const char *const (*modules)[2]; /* name, text */
    size_t nmodules;
    char **want;                     /* the unhindered diagnostics */
} bad_case;

/* Modules a.x and a.y that import each other. */
static const char *const cycle_modules[][2] = {
    {"a.x", "module a.x\nimport a.y\n"},
    {"a.y", "module a.y\nimport a.x\n"},
};

static const bad_case bad_rules_case = {bad_rules, NULL, 0, &expected.bad_rules_diags};
static const bad_case cycle_case = {"import a.x\n", cycle_modules, 2, &expected.cycle_diags};

static rubric_status check_bad_rules(const rubric_config *config, const bad_case *bc,
                                     char **rendered)
{
    *rendered = NULL;
    rubric_compiler *c = rubric_compiler_new(config);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    rubric_status st = rubric_compiler_use_stdlib(c, false);
    for (size_t i = 0; i < bc->nmodules && st == RUBRIC_OK; i++)
        st = rubric_compiler_add_module(c, bc->modules[i][0], bc->modules[i][0],
                                        bc->modules[i][1], strlen(bc->modules[i][1]));
    if (st == RUBRIC_OK)
        st = rubric_compiler_add_source(c, "broken.rubric", bc->text, strlen(bc->text));
    if (st == RUBRIC_OK)
        st = rubric_compiler_run(c, true, NULL, NULL);
    if (st == RUBRIC_ERR_COMPILE) {
        char *text = rubric_compiler_render_diags(c, false);
        if (text) {
            *rendered = strdup(text);
            rubric_free(config, text, strlen(text) + 1);
        } else {
            st = RUBRIC_ERR_NOMEM;
        }
    }
    rubric_compiler_free(c);
    return st;
}

static rubric_status compile_bad_rules(const rubric_config *config, const void *arg, bool *ok)
{
    const bad_case *bc = arg;
    char *rendered;
    rubric_status st = check_bad_rules(config, bc, &rendered);
    if (st == RUBRIC_ERR_COMPILE) {
        *ok = rendered && strcmp(rendered, *bc->want) == 0;
        st = RUBRIC_OK;
    }
    free(rendered);
    return st;
}

static rubric_status load_module(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    rubric_module *m = NULL;
    char error[256];
    rubric_status st = rubric_module_load(config, expected.stdlib_bytecode.data,
                                          expected.stdlib_bytecode.len, &m, error, sizeof error);
    if (st == RUBRIC_ERR_NOMEM && strcmp(error, "out of memory") != 0)
        fail_msg("module load out of memory, but the message says \"%s\"", error);
    *ok = st == RUBRIC_OK && m && rubric_module_program_count(m) ==
                                      rubric_module_program_count(expected.stdlib);
    rubric_module_free(m);
    return st;
}

/* Evaluate every example partner in one session, each report written as
 * JSON Lines. */
static rubric_status eval_partners(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    *ok = true;
    rubric_session *s = rubric_session_new(expected.stdlib, config);
    if (!s)
        return RUBRIC_ERR_NOMEM;
    rubric_eval_options options = {.as_of = as_of};
    rubric_status st = RUBRIC_OK;
    for (size_t i = 0; i < expected.npartners && st == RUBRIC_OK; i++) {
        const rubric_report *report = NULL;
        rubric_error err;
        st = rubric_session_eval(s, expected.partners[i], expected.partner_len[i], &options,
                                 &report, &err);
        if (st != RUBRIC_OK) {
            if (err.status != st || (st == RUBRIC_ERR_NOMEM && strcmp(err.message, "out of memory")))
                fail_msg("evaluation failed with \"%s\", its error says %d \"%s\"",
                         rubric_status_name(st), (int)err.status, err.message);
            break;
        }
        bytes out;
        st = write_report(report, RUBRIC_FORMAT_JSONL, &out);
        *ok = *ok && bytes_equal(out, expected.reports[1][i].data, expected.reports[1][i].len);
        free_bytes(&out);
    }
    rubric_session_free(s);
    return st;
}

/* Evaluate one partner unhindered, then sweep the writer alone. */
typedef struct write_case {
    size_t partner;
    size_t format;
} write_case;

static rubric_status write_one(const rubric_config *config, const void *arg, bool *ok)
{
    const write_case *w = arg;
    faulty *f = config->allocator.user_data;
    uint64_t fail_at = f->fail_at;
    f->fail_at = 0;
    rubric_session *s = rubric_session_new(expected.stdlib, config);
    assert_non_null(s);
    rubric_eval_options options = {.as_of = as_of};
    const rubric_report *report = NULL;
    rubric_error err;
    assert_int_equal(rubric_session_eval(s, expected.partners[w->partner],
                                         expected.partner_len[w->partner], &options, &report,
                                         &err),
                     RUBRIC_OK);
    /* Count the writer's allocations only. */
    f->fail_at = f->calls + fail_at;
    bytes out;
    rubric_status st = write_report(report, formats[w->format], &out);
    const bytes *want = &expected.reports[w->format][w->partner];
    *ok = bytes_equal(out, want->data, want->len);
    free_bytes(&out);
    rubric_session_free(s);
    return st;
}

/* Parse a rule-test file; *summary (malloc'ed): each case's title and
 * its expectations' kinds and lines, to compare runs by. */
static rubric_status read_tests(const rubric_config *config, char **summary)
{
    *summary = NULL;
    rubric_compiler *c = rubric_compiler_new(config);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    const rubric_test_file *file = NULL;
    rubric_status st = rubric_compiler_parse_tests(c, TESTS_FILE, expected.tests,
                                                   expected.tests_len, &file);
    if (st == RUBRIC_OK) {
        strbuf sb;
        sb_init(&sb, test_alloc());
        for (size_t i = 0; i < file->case_count; i++) {
            const rubric_test_case *t = &file->cases[i];
            sb_printf(&sb, "%s:", t->title.text);
            for (size_t k = 0; k < t->expect_count; k++)
                sb_printf(&sb, " %d@%u", (int)t->expects[k].kind, t->expects[k].word.at.line);
            sb_putc(&sb, '\n');
        }
        *summary = sb_take(&sb, NULL);
    }
    rubric_compiler_free(c);
    return st;
}

static rubric_status read_test_file(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    char *summary;
    rubric_status st = read_tests(config, &summary);
    *ok = summary && strcmp(summary, expected.tests_summary) == 0;
    free(summary);
    return st;
}

/* The reference of the standard data model and shared definitions. */
static rubric_status document(const rubric_config *config, char **markdown)
{
    static const char *const modules[] = {"apn.partner", "apn.common"};
    *markdown = NULL;
    rubric_compiler *c = rubric_compiler_new(config);
    if (!c)
        return RUBRIC_ERR_NOMEM;
    rubric_status st = rubric_compiler_use_stdlib(c, false);
    char *text = NULL;
    size_t len = 0;
    if (st == RUBRIC_OK)
        st = rubric_compiler_document(c, modules, 2, &text, &len);
    if (st == RUBRIC_OK) {
        *markdown = strdup(text);
        rubric_free(config, text, len + 1);
    }
    rubric_compiler_free(c);
    return st;
}

static rubric_status document_modules(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    char *markdown;
    rubric_status st = document(config, &markdown);
    *ok = markdown && strcmp(markdown, expected.markdown) == 0;
    free(markdown);
    return st;
}

/* Load the module unhindered, then sweep its disassembly alone. */
static rubric_status disassemble(const rubric_config *config, const void *arg, bool *ok)
{
    (void)arg;
    faulty *f = config->allocator.user_data;
    uint64_t fail_at = f->fail_at;
    f->fail_at = 0;
    rubric_module *m = NULL;
    assert_int_equal(rubric_module_load(config, expected.stdlib_bytecode.data,
                                        expected.stdlib_bytecode.len, &m, NULL, 0),
                     RUBRIC_OK);
    f->fail_at = f->calls + fail_at;
    size_t size = 0;
    char *text = rubric_module_disassemble(m, &size);
    *ok = text && strcmp(text, expected.listing) == 0;
    if (text)
        rubric_free(config, text, size);
    rubric_module_free(m);
    return text ? RUBRIC_OK : RUBRIC_ERR_NOMEM;
}

/* ------------------------------------------------------------ setup */

/* The service-delivery partner with item_error_to in place of
 * item_error_from (JSON_PADDING zeros after it, as test_read_file). */
static char *item_error_partner(const char *partner, size_t *len)
{
    const char *at = strstr(partner, item_error_from);
    assert_non_null(at);
    size_t head = (size_t)(at - partner), from = strlen(item_error_from);
    size_t to = strlen(item_error_to), tail = strlen(at + from);
    char *out = calloc(head + to + tail + JSON_PADDING + 1, 1);
    memcpy(out, partner, head);
    memcpy(out + head, item_error_to, to);
    memcpy(out + head + to, at + from, tail);
    *len = head + to + tail;
    return out;
}

static int setup(void **state)
{
    (void)state;
    memset(&expected, 0, sizeof expected);
    expected.rules = test_read_file(test_path("examples/rules/cloud_security.rubric"),
                                    &expected.rules_len);
    if (!expected.rules)
        return -1;
    rubric_config config;
    rubric_config_init(&config);
    if (compile(&config, false, expected.rules, expected.rules_len, &expected.rules_bytecode) !=
            RUBRIC_OK ||
        compile(&config, true, NULL, 0, &expected.stdlib_bytecode) != RUBRIC_OK)
        return -1;
    if (check_bad_rules(&config, &bad_rules_case, &expected.bad_rules_diags) !=
            RUBRIC_ERR_COMPILE ||
        check_bad_rules(&config, &cycle_case, &expected.cycle_diags) != RUBRIC_ERR_COMPILE)
        return -1;
    expected.tests = test_read_file(test_path(TESTS_FILE), &expected.tests_len);
    if (!expected.tests || read_tests(&config, &expected.tests_summary) != RUBRIC_OK ||
        document(&config, &expected.markdown) != RUBRIC_OK)
        return -1;
    if (rubric_module_load(&config, expected.stdlib_bytecode.data, expected.stdlib_bytecode.len,
                           &expected.stdlib, NULL, 0) != RUBRIC_OK)
        return -1;
    size_t listing_size;
    char *listing = rubric_module_disassemble(expected.stdlib, &listing_size);
    if (!listing)
        return -1;
    expected.listing = strdup(listing);
    rubric_free(&config, listing, listing_size);
    size_t n = sizeof partner_files / sizeof *partner_files;
    for (size_t i = 0; i < n; i++) {
        expected.partners[i] = test_read_file(test_path(partner_files[i]),
                                              &expected.partner_len[i]);
        if (!expected.partners[i])
            return -1;
    }
    expected.partners[n] = item_error_partner(expected.partners[n - 1], &expected.partner_len[n]);
    expected.npartners = n + 1;
    rubric_session *s = rubric_session_new(expected.stdlib, &config);
    rubric_eval_options options = {.as_of = as_of};
    for (size_t i = 0; i < expected.npartners; i++) {
        const rubric_report *report = NULL;
        rubric_error err;
        if (rubric_session_eval(s, expected.partners[i], expected.partner_len[i], &options,
                                &report, &err) != RUBRIC_OK ||
            rubric_report_withheld_count(report) != (i == n))
            return -1;
        for (size_t f = 0; f < 3; f++)
            if (write_report(report, formats[f], &expected.reports[f][i]) != RUBRIC_OK)
                return -1;
    }
    rubric_session_free(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(expected.rules);
    free_bytes(&expected.rules_bytecode);
    free_bytes(&expected.stdlib_bytecode);
    rubric_module_free(expected.stdlib);
    for (size_t i = 0; i < expected.npartners; i++) {
        free(expected.partners[i]);
        for (size_t f = 0; f < 3; f++)
            free_bytes(&expected.reports[f][i]);
    }
    free(expected.bad_rules_diags);
    free(expected.cycle_diags);
    free(expected.tests);
    free(expected.tests_summary);
    free(expected.markdown);
    free(expected.listing);
    return 0;
}

/* ------------------------------------------------------------ tests */

static void test_compile_example_rules(void **state)
{
    (void)state;
    sweep_result r = sweep("compiling the example rules", compile_rules, NULL, 1, 1);
    assert_true(r.allocations > 100);
    assert_int_equal(r.runs, r.allocations + 1);
}

static void test_compile_stdlib(void **state)
{
    (void)state;
    const char *env = getenv("RUBRIC_ALLOC_STRIDE");
    uint64_t stride = env && strtoull(env, NULL, 10) ? strtoull(env, NULL, 10) : STDLIB_STRIDE;
    env = getenv("RUBRIC_ALLOC_OFFSET");
    uint64_t offset = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) % stride;
    print_message("standard library: every %llu-th allocation from %llu "
                  "(RUBRIC_ALLOC_OFFSET=%llu repeats it)\n",
                  (unsigned long long)stride, (unsigned long long)offset + 1,
                  (unsigned long long)offset);
    sweep_result r = sweep("compiling the standard library", compile_stdlib, NULL, offset + 1,
                           stride);
    assert_true(r.allocations > 1000);
}

static void test_compile_errors(void **state)
{
    (void)state;
    assert_non_null(strstr(expected.bad_rules_diags, "did you mean"));
    sweep_result r = sweep("checking rules with errors", compile_bad_rules, &bad_rules_case,
                           1, 1);
    assert_int_equal(r.runs, r.allocations + 1);
    assert_non_null(strstr(expected.cycle_diags, "import cycle: a.x -> a.y -> a.x"));
    r = sweep("checking an import cycle", compile_bad_rules, &cycle_case, 1, 1);
    assert_int_equal(r.runs, r.allocations + 1);
}

static void test_parse_test_file(void **state)
{
    (void)state;
    assert_non_null(strstr(expected.tests_summary, "\n"));
    sweep_result r = sweep("parsing " TESTS_FILE, read_test_file, NULL, 1, 1);
    assert_int_equal(r.runs, r.allocations + 1);
}

static void test_document_modules(void **state)
{
    (void)state;
    assert_non_null(strstr(expected.markdown, "Individual"));
    sweep_result r = sweep("documenting apn.partner and apn.common", document_modules, NULL, 1,
                           1);
    assert_int_equal(r.runs, r.allocations + 1);
}

static void test_disassemble(void **state)
{
    (void)state;
    sweep_result r = sweep("disassembling the standard module", disassemble, NULL, 1, 1);
    assert_true(r.runs >= 2);
}

static void test_load_module(void **state)
{
    (void)state;
    sweep_result r = sweep("loading the standard module", load_module, NULL, 1, 1);
    assert_int_equal(r.runs, r.allocations + 1);
}

static void test_eval_partners(void **state)
{
    (void)state;
    sweep_result r = sweep("evaluating the example partners", eval_partners, NULL, 1, 1);
    assert_int_equal(r.runs, r.allocations + 1);
}

static void test_write_reports(void **state)
{
    (void)state;
    static const char *const names[3] = {"json", "jsonl", "text"};
    for (size_t p = 0; p < expected.npartners; p++) {
        for (size_t f = 0; f < 3; f++) {
            char what[160];
            snprintf(what, sizeof what, "writing %s as %s", partner_name(p), names[f]);
            write_case w = {p, f};
            sweep_result r = sweep(what, write_one, &w, 1, 1);
            assert_true(r.runs >= 2);
        }
    }
}

/* ------------------------------------------------------------ limits */

/* The memory limit counts the JSON parser's buffers, which simdjson
 * allocates itself: a limit they alone reach refuses the partner, and
 * past them what is left is the arena's. */
static void test_memory_limit_counts_the_json_parser(void **state)
{
    (void)state;
    size_t premier = 3; /* examples/partners/premier.json */
    size_t len = expected.partner_len[premier];
    size_t parser = json_parser_bytes(len, 256);
    assert_true(parser > 5 * len && parser < 7 * len);
    rubric_config config;
    rubric_config_init(&config);
    config.limits.max_memory = parser;
    rubric_session *s = rubric_session_new(expected.stdlib, &config);
    assert_non_null(s);
    rubric_eval_options options = {.as_of = as_of};
    const rubric_report *report = NULL;
    rubric_error err;
    assert_int_equal(rubric_session_eval(s, expected.partners[premier], len, &options, &report,
                                         &err),
                     RUBRIC_ERR_LIMIT);
    char want[128];
    snprintf(want, sizeof want, "memory limit of %zu bytes reached", parser);
    assert_string_equal(err.message, want);
    rubric_session_free(s);
    config.limits.max_memory = parser + ((size_t)4 << 20);
    s = rubric_session_new(expected.stdlib, &config);
    assert_int_equal(rubric_session_eval(s, expected.partners[premier], len, &options, &report,
                                         &err),
                     RUBRIC_OK);
    rubric_session_free(s);
}

/* ------------------------------------------------------------ the scanner */

/* flex's fatal errors jump back to the parse (never exit): out of memory
 * is recorded as such, any other is a diagnostic; and what the scanner
 * held is freed whatever state it was left in. */
static void test_scanner_fatal_errors(void **state)
{
    (void)state;
    faulty f = {0};
    rubric_config config = faulty_config(&f);
    source_table sources;
    diag_list diags;
    arena mem;
    sources_init(&sources, &config.allocator);
    diags_init(&diags, &config.allocator, &sources);
    arena_init(&mem, &config.allocator, 0);
    assert_int_equal(sources_add(&sources, "r.rubric", "x", 1, NULL, true), 0);
    static parse_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.mem = &mem;
    ctx.diags = &diags;
    ctx.line = 3;
    ctx.col = 7;
    assert_non_null(lex_alloc(&ctx, 100));
    assert_non_null(lex_realloc(&ctx, lex_alloc(&ctx, 10), 5000));
    if (!setjmp(ctx.scanner_failed))
        lex_fatal(&ctx, "flex scanner jammed");
    assert_true(ctx.fatal);
    assert_false(ctx.oom);
    assert_int_equal(diags.items.len, 1);
    assert_string_equal(diags.items.items[0].d.message, "the scanner failed: flex scanner jammed");
    assert_int_equal(diags.items.items[0].d.line, 3);
    assert_int_equal(diags.items.items[0].d.column, 7);
    if (!setjmp(ctx.scanner_failed))
        lex_fatal(&ctx, "out of dynamic memory in yy_create_buffer()");
    assert_true(ctx.oom);
    assert_int_equal(diags.items.len, 1);
    lex_release(&ctx);
    assert_null(ctx.scanner_blocks);
    arena_free(&mem);
    diags_free(&diags);
    sources_free(&sources);
    assert_int_equal(f.live, 0);
    assert_int_equal(f.bad_sizes, 0);
}

/* ------------------------------------------------------------ threads */

enum { THREADS = 4, ROUNDS = 3 };

/* One thread: a session of its own, with an allocator of its own that is
 * not thread-safe (a host's per-thread arena would not be), evaluating
 * every partner and writing each report in every format. */
typedef struct thread_run {
    const rubric_module *module;
    faulty alloc;
    size_t mismatches;  /* reports not as the unhindered run wrote them */
    rubric_status failed;
} thread_run;

static void *evaluate_on_thread(void *arg)
{
    thread_run *t = arg;
    rubric_config config = faulty_config(&t->alloc);
    rubric_session *s = rubric_session_new(t->module, &config);
    if (!s) {
        t->failed = RUBRIC_ERR_NOMEM;
        return NULL;
    }
    rubric_eval_options options = {.as_of = as_of};
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t i = 0; i < expected.npartners; i++) {
            const rubric_report *report = NULL;
            rubric_error err;
            rubric_status st = rubric_session_eval(s, expected.partners[i],
                                                   expected.partner_len[i], &options, &report,
                                                   &err);
            for (size_t f = 0; f < 3 && st == RUBRIC_OK; f++) {
                bytes out;
                st = write_report(report, formats[f], &out);
                t->mismatches += !bytes_equal(out, expected.reports[f][i].data,
                                              expected.reports[f][i].len);
                free_bytes(&out);
            }
            if (st != RUBRIC_OK)
                t->failed = st;
        }
    }
    rubric_session_free(s);
    return NULL;
}

/* A module is shared by threads that each evaluate and write with a
 * session of their own: the module's allocator, which need not be
 * thread-safe, is not called by them; every thread's results are those of
 * one thread alone. */
static void test_threads_leave_the_module_allocator_alone(void **state)
{
    (void)state;
    faulty module_alloc = {0};
    rubric_config config = faulty_config(&module_alloc);
    rubric_module *m = NULL;
    assert_int_equal(rubric_module_load(&config, expected.stdlib_bytecode.data,
                                        expected.stdlib_bytecode.len, &m, NULL, 0),
                     RUBRIC_OK);
    uint64_t calls_after_load = module_alloc.calls;
    thread_run runs[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        runs[i] = (thread_run){.module = m};
        assert_int_equal(pthread_create(&threads[i], NULL, evaluate_on_thread, &runs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(module_alloc.calls, calls_after_load);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(runs[i].failed, RUBRIC_OK);
        assert_int_equal(runs[i].mismatches, 0);
        assert_true(runs[i].alloc.calls > 0);
        assert_int_equal(runs[i].alloc.live, 0);
        assert_int_equal(runs[i].alloc.bad_sizes, 0);
    }
    rubric_module_free(m);
    assert_int_equal(module_alloc.live, 0);
    assert_int_equal(module_alloc.bad_sizes, 0);
}

int main(void)
{
    /* RUBRIC_ALLOC_TEST=test_eval_partners runs that one alone. */
    if (getenv("RUBRIC_ALLOC_TEST"))
        cmocka_set_test_filter(getenv("RUBRIC_ALLOC_TEST"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile_example_rules),
        cmocka_unit_test(test_compile_stdlib),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_parse_test_file),
        cmocka_unit_test(test_document_modules),
        cmocka_unit_test(test_load_module),
        cmocka_unit_test(test_disassemble),
        cmocka_unit_test(test_eval_partners),
        cmocka_unit_test(test_write_reports),
        cmocka_unit_test(test_memory_limit_counts_the_json_parser),
        cmocka_unit_test(test_scanner_fatal_errors),
        cmocka_unit_test(test_threads_leave_the_module_allocator_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
