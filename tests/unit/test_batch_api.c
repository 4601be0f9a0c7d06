/*
 * test_batch_api.c — the public batch interface (rubric_batch_*), through
 * rubric.h only: partners from a buffer, a FILE and a read callback, as
 * JSON Lines and as a JSON array, give the same results in the same
 * order as a session evaluating them one by one, on 1 thread and on 4;
 * per-partner errors come in their place; progress counts only go up;
 * a callback stops the batch; the limits hold per partner; bad options
 * are refused with a reason.
 */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "test_shell.h"
#include "test_stdlib.h"

#define AS_OF "2026-11-22"
enum { COPIES = 40 }; /* of the example batch: 160 partners */

/* ------------------------------------------------------------ partners */

/* The example batch's partners, copied COPIES times with their ids made
 * unique ("P-0000001-7"), one per line. */
static void make_population(strbuf *out)
{
    char *batch = test_read_file(test_path("examples/partners/batch.jsonl"), NULL);
    assert_non_null(batch);
    sb_init(out, test_alloc());
    for (int k = 0; k < COPIES; k++) {
        for (const char *line = batch; *line;) {
            const char *end = strchr(line, '\n');
            size_t n = end ? (size_t)(end - line) : strlen(line);
            const char *id = strstr(line, "\"id\":\"");
            assert_non_null(id);
            const char *close = strchr(id + 6, '"');
            sb_append(out, line, (size_t)(close - line));
            sb_printf(out, "-%d", k);
            sb_append(out, close, n - (size_t)(close - line));
            sb_putc(out, '\n');
            line += n + (end != NULL);
        }
    }
    free(batch);
}

/* The same partners as one JSON array, an element per line. */
static void as_array(const strbuf *jsonl, strbuf *out)
{
    sb_init(out, test_alloc());
    sb_putc(out, '[');
    for (size_t i = 0; i < jsonl->len; i++) {
        if (jsonl->data[i] != '\n')
            sb_putc(out, jsonl->data[i]);
        else if (i + 1 < jsonl->len)
            sb_puts(out, ",\n");
    }
    sb_puts(out, "]\n");
}

/* ------------------------------------------------------------ capture */

/* What a batch gave: a line per partner (index, then its results as JSON
 * Lines, or its error), the diagnostics, the output, the progress. */
typedef struct capture {
    strbuf partners;
    strbuf diags;
    strbuf out;
    uint64_t last_partners, last_bytes, total;
    bool progress_ok;     /* partners went up by one, bytes never down */
    uint64_t stop_at;     /* on_partner says stop at this index (0: never) */
} capture;

static bool append_text(void *user_data, const char *bytes, size_t length)
{
    sb_append(user_data, bytes, length);
    return true;
}

static int on_partner(void *user_data, const rubric_batch_partner *p)
{
    capture *c = user_data;
    sb_printf(&c->partners, "#%llu %s:%llu:%llu ", (unsigned long long)p->index, p->input,
              (unsigned long long)p->line, (unsigned long long)p->column);
    if (p->error) {
        assert_null(p->reports);
        const rubric_error *e = p->error;
        sb_printf(&c->partners, "error %s: %s%s%s (at %s:%u:%u, partner \"%s\")\n",
                  rubric_status_name(e->status), e->path, e->path[0] ? ": " : "", e->message,
                  e->file, e->line, e->column, e->partner);
    } else {
        assert_int_equal(p->report_count, 1);
        sb_printf(&c->partners, "%s\n", rubric_report_partner_id(p->reports[0]));
        assert_int_equal(rubric_report_write(p->reports[0], RUBRIC_FORMAT_JSONL, append_text,
                                             &c->partners),
                         RUBRIC_OK);
    }
    return c->stop_at && p->index == c->stop_at;
}

static int on_diag(void *user_data, const rubric_batch_diag *d)
{
    capture *c = user_data;
    sb_printf(&c->diags, "%s:%llu:%llu: %s: %s\n", d->input, (unsigned long long)d->line,
              (unsigned long long)d->column,
              d->severity == RUBRIC_SEVERITY_WARNING ? "warning" : "error", d->message);
    return 0;
}

static int on_progress(void *user_data, const rubric_batch_progress *p)
{
    capture *c = user_data;
    if (p->partners != c->last_partners + 1 || p->bytes_read < c->last_bytes)
        c->progress_ok = false;
    c->last_partners = p->partners;
    c->last_bytes = p->bytes_read;
    c->total = p->total_bytes;
    return 0;
}

static void capture_init(capture *c)
{
    memset(c, 0, sizeof *c);
    sb_init(&c->partners, test_alloc());
    sb_init(&c->diags, test_alloc());
    sb_init(&c->out, test_alloc());
    c->progress_ok = true;
}

static void capture_free(capture *c)
{
    sb_free(&c->partners);
    sb_free(&c->diags);
    sb_free(&c->out);
}

static rubric_batch_options options_for(capture *c, unsigned threads)
{
    rubric_batch_options o = {0};
    o.eval.as_of = AS_OF;
    o.threads = threads;
    o.on_partner = on_partner;
    o.on_diag = on_diag;
    o.on_progress = on_progress;
    o.user_data = c;
    return o;
}

static rubric_batch *new_batch(const rubric_batch_options *o, const rubric_config *config)
{
    const rubric_module *m = test_stdlib_module();
    rubric_error err;
    rubric_batch *b = rubric_batch_new(&m, 1, config, o, &err);
    if (!b)
        fail_msg("rubric_batch_new: %s", err.message);
    return b;
}

typedef enum source { FROM_BUFFER, FROM_FILE, FROM_READER } source;

/* Hands out a buffer 7 bytes at a time. */
typedef struct trickle {
    const char *p;
    size_t left;
} trickle;

static size_t trickle_read(void *user_data, void *buffer, size_t size)
{
    trickle *t = user_data;
    size_t n = size < 7 ? size : 7;
    if (n > t->left)
        n = t->left;
    memcpy(buffer, t->p, n);
    t->p += n;
    t->left -= n;
    return n;
}

static rubric_status add_input(rubric_batch *b, source from, const char *name,
                               const strbuf *text, rubric_input_format format)
{
    rubric_status st;
    if (from == FROM_BUFFER) {
        st = rubric_batch_add_buffer(b, name, text->data, text->len, format);
    } else if (from == FROM_FILE) {
        /* A regular file: its size is known. */
        char *dir = test_temp_dir();
        char path[4096];
        snprintf(path, sizeof path, "%s/partners", dir);
        test_write_text(path, text->data);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        st = rubric_batch_add_file(b, name, f, format);
        fclose(f);
        test_remove_dir(dir);
        free(dir);
    } else {
        trickle t = {text->data, text->len};
        st = rubric_batch_add_reader(b, name, trickle_read, &t, text->len, format);
    }
    return st;
}

/* Run one input through a batch into c; returns what adding it said. */
static rubric_status run(capture *c, unsigned threads, source from, const char *name,
                         const strbuf *text, rubric_input_format format)
{
    capture_init(c);
    rubric_batch_options o = options_for(c, threads);
    rubric_batch *b = new_batch(&o, NULL);
    rubric_status st = add_input(b, from, name, text, format);
    rubric_batch_stats stats;
    assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
    rubric_batch_free(b);
    sb_putc(&c->partners, '\0');
    sb_putc(&c->diags, '\0');
    return st;
}

/* What a session says of each line, in the form on_partner writes. */
static void expected_by_session(const strbuf *jsonl, const char *name, strbuf *out)
{
    rubric_session *s = rubric_session_new(test_stdlib_module(), NULL);
    assert_non_null(s);
    rubric_eval_options eo = {AS_OF, NULL, 0, false};
    sb_init(out, test_alloc());
    unsigned long line = 1, index = 0;
    for (const char *p = jsonl->data; p < jsonl->data + jsonl->len; line++) {
        const char *end = memchr(p, '\n', (size_t)(jsonl->data + jsonl->len - p));
        const rubric_report *r;
        rubric_error err;
        assert_int_equal(rubric_session_eval(s, p, (size_t)(end - p), &eo, &r, &err),
                         RUBRIC_OK);
        sb_printf(out, "#%lu %s:%lu:0 %s\n", index++, name, line, rubric_report_partner_id(r));
        assert_int_equal(rubric_report_write(r, RUBRIC_FORMAT_JSONL, append_text, out),
                         RUBRIC_OK);
        p = end + 1;
    }
    sb_putc(out, '\0');
    rubric_session_free(s);
}

/* ------------------------------------------------------------ tests */

/* JSON Lines from each kind of input, on 1 and 4 threads: what a session
 * says of each partner, in input order. */
static void test_jsonl_inputs_and_threads(void **state)
{
    (void)state;
    strbuf text, want;
    make_population(&text);
    expected_by_session(&text, "partners.jsonl", &want);
    static const source sources[] = {FROM_BUFFER, FROM_FILE, FROM_READER};
    static const unsigned threads[] = {1, 4};
    for (size_t i = 0; i < 3; i++) {
        for (size_t t = 0; t < 2; t++) {
            capture c;
            assert_int_equal(run(&c, threads[t], sources[i], "partners.jsonl", &text,
                                 RUBRIC_INPUT_AUTO),
                             RUBRIC_OK);
            assert_string_equal(c.partners.data, want.data);
            assert_string_equal(c.diags.data, "");
            assert_true(c.progress_ok);
            assert_int_equal(c.last_partners, 4 * COPIES);
            assert_int_equal(c.last_bytes, text.len);
            assert_int_equal(c.total, text.len);
            capture_free(&c);
        }
    }
    sb_free(&text);
    sb_free(&want);
}

/* The same partners as a JSON array (told, or found by its first byte):
 * the same results, placed at their line and column. */
static void test_json_array(void **state)
{
    (void)state;
    strbuf text, array;
    make_population(&text);
    as_array(&text, &array);
    capture one, four, told;
    assert_int_equal(run(&one, 1, FROM_READER, "population", &array, RUBRIC_INPUT_AUTO),
                     RUBRIC_OK);
    assert_int_equal(run(&four, 4, FROM_BUFFER, "population", &array, RUBRIC_INPUT_AUTO),
                     RUBRIC_OK);
    assert_int_equal(run(&told, 4, FROM_FILE, "population", &array, RUBRIC_INPUT_JSON),
                     RUBRIC_OK);
    assert_string_equal(one.partners.data, four.partners.data);
    assert_string_equal(one.partners.data, told.partners.data);
    assert_string_equal(one.diags.data, "");
    /* The first element starts after the bracket, the second on line 2. */
    assert_non_null(strstr(one.partners.data, "#0 population:1:2 P-0000001-0\n"));
    assert_non_null(strstr(one.partners.data, "#1 population:2:1 P-0000002-0\n"));
    assert_int_equal(one.last_partners, 4 * COPIES);
    capture_free(&one);
    capture_free(&four);
    capture_free(&told);
    sb_free(&text);
    sb_free(&array);
}

/* A malformed partner, one that breaks the schema, and a duplicate id are
 * errors in their place; the others are evaluated. */
static void test_errors_in_place(void **state)
{
    (void)state;
    strbuf text;
    make_population(&text);
    const char *second = strchr(text.data, '\n') + 1;
    const char *third = strchr(second, '\n') + 1;
    strbuf bad;
    sb_init(&bad, test_alloc());
    sb_append(&bad, text.data, (size_t)(second - text.data));     /* line 1 */
    sb_puts(&bad, "{\"id\": \n");                                  /* line 2 */
    sb_puts(&bad, "{\"format\": \"apn-partner/1\", \"id\": 7}\n"); /* line 3 */
    sb_append(&bad, text.data, (size_t)(second - text.data));     /* line 4: again */
    sb_append(&bad, second, (size_t)(third - second));            /* line 5 */
    for (unsigned threads = 1; threads <= 4; threads += 3) {
        capture c;
        assert_int_equal(run(&c, threads, FROM_BUFFER, "bad.jsonl", &bad, RUBRIC_INPUT_JSONL),
                         RUBRIC_OK);
        const char *p = c.partners.data;
        assert_non_null(strstr(p, "#0 bad.jsonl:1:0 P-0000001-0\n"));
        assert_non_null(strstr(p, "#1 bad.jsonl:2:0 error invalid data: $: unexpected end of "
                                  "the document (at bad.jsonl:2:8, partner \"\")\n"));
        assert_non_null(strstr(p, "#2 bad.jsonl:3:0 error invalid data: $.id: expected a "
                                  "string, found 7 (at bad.jsonl:3:35, partner \"\")\n"));
        assert_non_null(strstr(p, "#3 bad.jsonl:4:0 error invalid data: duplicate partner id "
                                  "\"P-0000001-0\" (first seen at bad.jsonl:1); this record "
                                  "is skipped (at bad.jsonl:4:0, partner \"P-0000001-0\")\n"));
        assert_non_null(strstr(p, "#4 bad.jsonl:5:0 P-0000002-0\n"));
        assert_null(strstr(p, "#5 "));
        assert_non_null(strstr(c.diags.data, "bad.jsonl:2:8: error: $: unexpected end of the "
                                             "document\n"));
        assert_non_null(strstr(c.diags.data, "bad.jsonl:4:0: error: duplicate partner id"));
        assert_true(c.progress_ok);
        assert_int_equal(c.last_partners, 5);
        capture_free(&c);
    }
    sb_free(&bad);
    sb_free(&text);
}

/* on_partner asks to stop at partner 5: nothing after it is given, on one
 * thread or four, and the next input is refused. */
static void test_stop_early(void **state)
{
    (void)state;
    strbuf text;
    make_population(&text);
    for (unsigned threads = 1; threads <= 4; threads += 3) {
        capture c;
        capture_init(&c);
        c.stop_at = 5;
        rubric_batch_options o = options_for(&c, threads);
        rubric_batch *b = new_batch(&o, NULL);
        assert_int_equal(rubric_batch_add_buffer(b, "p.jsonl", text.data, text.len,
                                                 RUBRIC_INPUT_AUTO),
                         RUBRIC_ERR_INTERRUPTED);
        assert_int_equal(rubric_batch_add_buffer(b, "again.jsonl", text.data, text.len,
                                                 RUBRIC_INPUT_AUTO),
                         RUBRIC_ERR_INTERRUPTED);
        rubric_batch_stats stats;
        assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
        assert_true(stats.stopped);
        assert_int_equal(stats.partners, 6);
        rubric_batch_free(b);
        sb_putc(&c.partners, '\0');
        assert_non_null(strstr(c.partners.data, "#5 "));
        assert_null(strstr(c.partners.data, "#6 "));
        assert_int_equal(c.last_partners, 5); /* progress is not asked after a stop */
        capture_free(&c);
    }
    sb_free(&text);
}

/* A progress callback stops the batch as well. */
static int stop_at_three(void *user_data, const rubric_batch_progress *p)
{
    (void)user_data;
    return p->partners == 3;
}

static void test_stop_from_progress(void **state)
{
    (void)state;
    strbuf text;
    make_population(&text);
    capture c;
    capture_init(&c);
    rubric_batch_options o = options_for(&c, 4);
    o.on_progress = stop_at_three;
    rubric_batch *b = new_batch(&o, NULL);
    assert_int_equal(rubric_batch_add_buffer(b, "p.jsonl", text.data, text.len,
                                             RUBRIC_INPUT_JSONL),
                     RUBRIC_ERR_INTERRUPTED);
    rubric_batch_stats stats;
    assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
    assert_int_equal(stats.partners, 3);
    rubric_batch_free(b);
    capture_free(&c);
    sb_free(&text);
}

/* The configuration's interrupt stops the batch at the partner it
 * interrupts, which is given with RUBRIC_ERR_INTERRUPTED. */
static void test_interrupt(void **state)
{
    (void)state;
    strbuf text;
    make_population(&text);
    static volatile int flag = 1;
    rubric_config config;
    rubric_config_init(&config);
    config.interrupt_flag = &flag;
    for (unsigned threads = 1; threads <= 4; threads += 3) {
        capture c;
        capture_init(&c);
        rubric_batch_options o = options_for(&c, threads);
        rubric_batch *b = new_batch(&o, &config);
        assert_int_equal(rubric_batch_add_buffer(b, "p.jsonl", text.data, text.len,
                                                 RUBRIC_INPUT_JSONL),
                         RUBRIC_ERR_INTERRUPTED);
        rubric_batch_stats stats;
        assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
        assert_true(stats.stopped);
        assert_int_equal(stats.partners, 0);
        rubric_batch_free(b);
        sb_putc(&c.partners, '\0');
        assert_true(strncmp(c.partners.data, "#0 p.jsonl:1:0 error interrupted: ", 34) == 0);
        assert_null(strstr(c.partners.data, "#1 "));
        capture_free(&c);
    }
    sb_free(&text);
}

/* The limits of the configuration hold for each partner: one over the
 * input limit is an error in its place, never held whole. */
static void test_limits(void **state)
{
    (void)state;
    strbuf text;
    make_population(&text);
    size_t first = (size_t)(strchr(text.data, '\n') - text.data);
    rubric_config config;
    rubric_config_init(&config);
    config.limits.max_input_bytes = first; /* the first partner fits exactly */
    capture c;
    capture_init(&c);
    rubric_batch_options o = options_for(&c, 4);
    rubric_batch *b = new_batch(&o, &config);
    assert_int_equal(rubric_batch_add_buffer(b, "p.jsonl", text.data, text.len,
                                             RUBRIC_INPUT_JSONL),
                     RUBRIC_OK);
    rubric_batch_stats stats;
    assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
    rubric_batch_free(b);
    sb_putc(&c.partners, '\0');
    assert_non_null(strstr(c.partners.data, "#0 p.jsonl:1:0 P-0000001-0\n"));
    char want[200];
    const char *second = text.data + first + 1;
    size_t second_len = (size_t)(strchr(second, '\n') - second);
    snprintf(want, sizeof want,
             "#1 p.jsonl:2:0 error limit exceeded: partner of %zu bytes exceeds the input "
             "limit of %zu bytes (at p.jsonl:2:0, partner \"\")\n",
             second_len, first);
    assert_non_null(strstr(c.partners.data, want));
    assert_true(stats.errors > 0);
    assert_int_equal(stats.partners + stats.errors, 4 * COPIES);
    capture_free(&c);
    sb_free(&text);
}

/* The batch writes the output format in input order: JSON Lines are what
 * each report writes. */
static void test_output(void **state)
{
    (void)state;
    strbuf text;
    make_population(&text);
    capture c;
    capture_init(&c);
    rubric_batch_options o = options_for(&c, 4);
    o.output = RUBRIC_BATCH_JSONL;
    o.write = append_text;
    o.user_data = &c.out; /* write gets the strbuf; no other callbacks */
    o.on_partner = NULL;
    o.on_diag = NULL;
    o.on_progress = NULL;
    rubric_batch *b = new_batch(&o, NULL);
    assert_int_equal(rubric_batch_add_buffer(b, "p.jsonl", text.data, text.len,
                                             RUBRIC_INPUT_AUTO),
                     RUBRIC_OK);
    rubric_batch_stats stats;
    assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
    rubric_batch_free(b);
    assert_int_equal(stats.partners, 4 * COPIES);
    assert_int_equal(stats.errors, 0);
    sb_putc(&c.out, '\0');
    /* The same results as the partner callback's, without its headers. */
    strbuf want, results;
    expected_by_session(&text, "p.jsonl", &want);
    sb_init(&results, test_alloc());
    for (const char *line = want.data; *line;) {
        const char *end = strchr(line, '\n');
        if (line[0] != '#')
            sb_append(&results, line, (size_t)(end - line) + 1);
        line = end + 1;
    }
    sb_putc(&results, '\0');
    assert_string_equal(c.out.data, results.data);
    uint64_t lines = 0;
    for (const char *q = results.data; *q; q++)
        lines += *q == '\n';
    assert_int_equal(stats.results, lines);
    sb_free(&results);
    sb_free(&want);
    capture_free(&c);
    sb_free(&text);
}

/* A read error of the callback ends that input with a diagnostic. */
static size_t failing_read(void *user_data, void *buffer, size_t size)
{
    (void)user_data;
    (void)buffer;
    (void)size;
    return (size_t)-1;
}

static void test_read_error(void **state)
{
    (void)state;
    capture c;
    capture_init(&c);
    rubric_batch_options o = options_for(&c, 1);
    rubric_batch *b = new_batch(&o, NULL);
    assert_int_equal(rubric_batch_add_reader(b, "pipe", failing_read, NULL, 0,
                                             RUBRIC_INPUT_JSONL),
                     RUBRIC_ERR_IO);
    rubric_batch_stats stats;
    assert_int_equal(rubric_batch_finish(b, &stats), RUBRIC_OK);
    assert_int_equal(stats.errors, 1);
    rubric_batch_free(b);
    sb_putc(&c.diags, '\0');
    assert_string_equal(c.diags.data, "pipe:0:0: error: read error\n");
    capture_free(&c);
}

/* Options a batch cannot run with are refused, with the reason. */
static void expect_refused(const rubric_batch_options *o, const char *message)
{
    const rubric_module *m = test_stdlib_module();
    rubric_error err;
    assert_null(rubric_batch_new(&m, 1, NULL, o, &err));
    assert_int_equal(err.status, RUBRIC_ERR_USAGE);
    assert_string_equal(err.message, message);
}

static void test_bad_options(void **state)
{
    (void)state;
    rubric_batch_options o = {0};
    expect_refused(&o, "as_of must be a date YYYY-MM-DD");
    o.eval.as_of = AS_OF;
    const char *programs[] = {"apn-2019-consulting", "apn-2030"};
    o.eval.programs = programs;
    o.eval.program_count = 2;
    expect_refused(&o, "no program \"apn-2030\" in the rules");
    o.eval.program_count = 1;
    o.fail_below = "Platinum";
    expect_refused(&o, "no program has a tier 'Platinum'");
    o.fail_below = "Advanced";
    o.output = RUBRIC_BATCH_CSV;
    expect_refused(&o, "an output format needs a write callback");
    rubric_error err;
    assert_null(rubric_batch_new(NULL, 0, NULL, &o, &err));
    assert_string_equal(err.message, "a batch needs modules and options");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_inputs_and_threads),
        cmocka_unit_test(test_json_array),
        cmocka_unit_test(test_errors_in_place),
        cmocka_unit_test(test_stop_early),
        cmocka_unit_test(test_stop_from_progress),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_output),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
