/*
 * test_batch_memory.c — out of memory at every allocation of a batch (the
 * engine of `rubric eval`), as test_alloc_failures.c does for the public
 * interface: the Nth allocation of the batch's allocator is refused, for
 * N = 1, 2, ... until a run refuses none (tests/support/faulty_alloc.h):
 * partners as JSON Lines written in every output format, and as a JSON
 * array, with a per-item error and a duplicate id among them.
 *
 * Each run must leak nothing, free every block with its size, and either
 * write exactly what an unhindered run writes (output and diagnostics) or
 * say "out of memory" in a diagnostic.  A block whose memory ran out
 * while it was evaluated is not written at all: its messages, ids and
 * output may be cut short.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "calendar.h"
#include "faulty_alloc.h"
#include "session.h"
#include "test_stdlib.h"

/* What one batch wrote: its output and its diagnostics, a line each. */
typedef struct capture {
    strbuf out;
    strbuf diags;
} capture;

static bool capture_write(void *user_data, const char *bytes, size_t len)
{
    capture *c = user_data;
    sb_append(&c->out, bytes, len);
    return true;
}

static void capture_diag(void *user_data, const batch_diag *d)
{
    capture *c = user_data;
    sb_printf(&c->diags, "%s:%llu:%llu: %s\n", d->file, (unsigned long long)d->line,
              (unsigned long long)d->column, d->message);
}

typedef struct batch_case {
    const char *name;  /* as the file is named in diagnostics */
    const strbuf *text;
    bool jsonl;
    batch_format format;
    capture want;      /* what an unhindered run writes */
} batch_case;

/* Evaluate the case's partners in one batch on this thread. */
static void run_batch(const rubric_config *config, const batch_case *bc, capture *c)
{
    const rubric_module *module = test_stdlib_module();
    work_unit unit = {session_module(module), session_load_plan(module), NULL};
    int32_t as_of = 0;
    const char *why = NULL;
    assert_true(cal_parse_date("2026-11-22", 10, &as_of, &why));
    batch_config cfg = {
        .units = &unit,
        .nunits = 1,
        .alloc = config->allocator,
        .limits = config->limits,
        .as_of = as_of,
        .format = bc->format,
        .jobs = 1,
        .write = capture_write,
        .diag = capture_diag,
        .user_data = c,
    };
    sb_init(&c->out, test_alloc());
    sb_init(&c->diags, test_alloc());
    batch *b = batch_new(&cfg);
    if (!b) {
        sb_puts(&c->diags, "batch_new: out of memory\n");
    } else {
        FILE *in = fmemopen((void *)bc->text->data, bc->text->len, "rb");
        assert_non_null(in);
        (void)batch_run(b, in, bc->name, bc->jsonl);
        fclose(in);
        /* Output that could not be written for want of memory (the
         * command says "out of memory"). */
        if (!batch_finish(b))
            sb_puts(&c->diags, "the output failed: out of memory\n");
        batch_free(b);
    }
    sb_putc(&c->out, '\0');
    sb_putc(&c->diags, '\0');
}

static rubric_status batch_scenario(const rubric_config *config, const void *arg,
                                    bool *output_ok)
{
    const batch_case *bc = arg;
    capture c;
    run_batch(config, bc, &c);
    bool same = strcmp(c.out.data, bc->want.out.data) == 0 &&
                strcmp(c.diags.data, bc->want.diags.data) == 0;
    rubric_status st = same                                   ? RUBRIC_OK
                       : strstr(c.diags.data, "out of memory") ? RUBRIC_ERR_NOMEM
                                                               : RUBRIC_ERR_DATA;
    *output_ok = same;
    sb_free(&c.out);
    sb_free(&c.diags);
    return st;
}

/* ------------------------------------------------------------ partners */

/* The example batch, then the service-delivery partner with an
 * application that has no checklist (a per-item error) and the first
 * partner again (a duplicate id): as JSON Lines, or as one JSON array. */
static void make_partners(strbuf *out, bool jsonl)
{
    size_t len = 0;
    char *batch = test_read_file(test_path("examples/partners/batch.jsonl"), &len);
    char *sd = test_read_file(test_path("examples/partners/service_delivery.json"), NULL);
    assert_non_null(batch);
    assert_non_null(sd);
    static const char from[] = "\"designation\": \"Amazon RDS\"";
    static const char to[] = "\"designation\": \"Amazon XYZ\""; /* as long */
    char *at = strstr(sd, from);
    assert_non_null(at);
    memcpy(at, to, sizeof to - 1);
    for (char *p = sd; *p; p++)
        if (*p == '\n')
            *p = ' ';
    const char *first_end = strchr(batch, '\n');
    sb_init(out, test_alloc());
    sb_puts(out, jsonl ? "" : "[");
    for (const char *line = batch; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n) {
            sb_append(out, line, n);
            sb_puts(out, jsonl ? "\n" : ",\n");
        }
        line += n + (end != NULL);
    }
    sb_printf(out, "%s%s", sd, jsonl ? "\n" : ",\n");
    sb_append(out, batch, (size_t)(first_end - batch));
    sb_puts(out, jsonl ? "\n" : "]\n");
    free(batch);
    free(sd);
}

/* ------------------------------------------------------------ tests */

static const struct {
    batch_format format;
    const char *name;
} formats[] = {{BATCH_JSONL, "jsonl"}, {BATCH_JSON, "json"}, {BATCH_TEXT, "text"},
               {BATCH_CSV, "csv"},     {BATCH_HTML, "html"},
               {BATCH_CSV_REQUIREMENTS, "csv-requirements"}};

/* Sweep the batch of these partners in the first nformats formats. */
static void sweep_formats(const char *file, const strbuf *text, bool jsonl, size_t nformats)
{
    for (size_t i = 0; i < nformats; i++) {
        batch_case bc = {file, text, jsonl, formats[i].format, {{0}, {0}}};
        rubric_config plain;
        rubric_config_init(&plain);
        run_batch(&plain, &bc, &bc.want);
        assert_non_null(strstr(bc.want.diags.data, "no validation checklist"));
        assert_non_null(strstr(bc.want.diags.data, "duplicate partner id"));
        char what[128];
        snprintf(what, sizeof what, "a batch of %s as %s", file, formats[i].name);
        sweep_result r = sweep(what, batch_scenario, &bc, 1, 1);
        assert_int_equal(r.runs, r.allocations + 1);
        sb_free(&bc.want.out);
        sb_free(&bc.want.diags);
    }
}

static void test_json_lines(void **state)
{
    (void)state;
    strbuf text;
    make_partners(&text, true);
    sweep_formats("partners.jsonl", &text, true, sizeof formats / sizeof *formats);
    sb_free(&text);
}

/* The same partners as a JSON array: what differs is how they are read,
 * not how they are written. */
static void test_json_array(void **state)
{
    (void)state;
    strbuf text;
    make_partners(&text, false);
    sweep_formats("partners.json", &text, false, 1);
    sb_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_json_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
