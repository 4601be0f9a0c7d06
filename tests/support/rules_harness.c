/* rules_harness.c — see rules_harness.h. */
#include "rules_harness.h"

#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define RULES_FILE "rules.rubric"

void harness_parse_text(harness_parse *p, const char *text)
{
    sources_init(&p->sources, test_alloc());
    diags_init(&p->diags, test_alloc(), &p->sources);
    arena_init(&p->mem, test_alloc(), 0);
    uint32_t f = sources_add(&p->sources, RULES_FILE, text, strlen(text), NULL, true);
    assert_int_not_equal(f, UINT32_MAX);
    p->file = parse_file(f, &p->mem, &p->diags);
    assert_non_null(p->file);
}

void harness_parse_free(harness_parse *p)
{
    arena_free(&p->mem);
    diags_free(&p->diags);
    sources_free(&p->sources);
}

char *harness_dump(const harness_parse *p)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    ast_dump(p->file, &sb);
    char *text = strdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return text;
}

static rubric_compiler *new_compiler(const char *text)
{
    rubric_compiler *c = rubric_compiler_new(NULL);
    assert_non_null(c);
    assert_int_equal(rubric_compiler_use_stdlib(c, false), RUBRIC_OK);
    assert_int_equal(rubric_compiler_add_source(c, RULES_FILE, text, strlen(text)), RUBRIC_OK);
    return c;
}

rubric_compiler *harness_check(const char *text)
{
    rubric_compiler *c = new_compiler(text);
    rubric_status st = rubric_compiler_run(c, true, NULL, NULL);
    assert_true(st == RUBRIC_OK || st == RUBRIC_ERR_COMPILE);
    return c;
}

const char *harness_diag(const rubric_compiler *c, size_t i, char *buf, size_t size)
{
    const rubric_diag *d = rubric_compiler_diag(c, i);
    snprintf(buf, size, "%u:%u: %s", d->line, d->column, d->message);
    return buf;
}

bool harness_has_diag(const rubric_compiler *c, const char *message)
{
    for (size_t i = 0; i < rubric_compiler_diag_count(c); i++) {
        char buf[600];
        if (strcmp(rubric_compiler_diag(c, i)->message, message) == 0)
            return true;
        printf("  diagnostic %s\n", harness_diag(c, i, buf, sizeof buf));
    }
    return false;
}

static bool append(void *user_data, const char *bytes, size_t length)
{
    strbuf *sb = user_data;
    sb_append(sb, bytes, length);
    return true;
}

/* The results as JSON Lines, then the withheld messages, each on a line
 * starting "withheld: ". */
static char *report_text(const rubric_report *report)
{
    strbuf sb;
    sb_init(&sb, test_alloc());
    assert_int_equal(rubric_report_write(report, RUBRIC_FORMAT_JSONL, append, &sb), RUBRIC_OK);
    for (size_t i = 0; i < rubric_report_withheld_count(report); i++)
        sb_printf(&sb, "withheld: %s\n", rubric_report_withheld(report, i));
    char *text = strdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return text;
}

rubric_status harness_eval(const char *rules, const char *partner, const char *as_of,
                           char **jsonl)
{
    rubric_compiler *c = new_compiler(rules);
    void *bytes = NULL;
    size_t len = 0;
    rubric_status st = rubric_compiler_run(c, false, &bytes, &len);
    if (st != RUBRIC_OK) {
        char *text = rubric_compiler_render_diags(c, false);
        fail_msg("rules do not compile:\n%s", text ? text : "");
    }
    rubric_compiler_free(c);
    rubric_module *m = NULL;
    char why[256];
    assert_int_equal(rubric_module_load(NULL, bytes, len, &m, why, sizeof why), RUBRIC_OK);
    rubric_free(NULL, bytes, len);
    rubric_session *s = rubric_session_new(m, NULL);
    assert_non_null(s);
    rubric_eval_options opts = {as_of, NULL, 0, false};
    const rubric_report *report = NULL;
    rubric_error err;
    st = rubric_session_eval(s, partner, strlen(partner), &opts, &report, &err);
    *jsonl = st == RUBRIC_OK ? report_text(report) : strdup(err.message);
    rubric_session_free(s);
    rubric_module_free(m);
    return st;
}
