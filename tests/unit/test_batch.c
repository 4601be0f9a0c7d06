/*
 * test_batch.c — reading partner files in a batch: a JSON array is read
 * element by element in blocks, as JSON Lines are (same results, bounded
 * memory, output before the end of the input); the input limit holds for
 * every record whatever the read boundaries, and reading goes on after one
 * over it; running out of memory while reading names the file and the
 * next file is still read; a directory is refused by name.
 *
 * Partners are fed through the library (batch_new/batch_run over an
 * in-memory FILE) with the standard rules; the command is run only for
 * what it alone does.
 */
#include "test_support.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "calendar.h"
#include "json_split.h"
#include "session.h"
#include "test_stdlib.h"

enum { MIB = 1 << 20 };

/* ------------------------------------------------------------ partners */

/* A valid consulting partner, one line, exactly len bytes when len is
 * larger than the smallest (padded by an unread "notes" field). */
static void put_partner(strbuf *sb, int id, size_t len)
{
    char head[200];
    int n = snprintf(head, sizeof head,
                     "{\"format\": \"apn-partner/1\", \"id\": \"P-%d\", \"name\": \"A\", "
                     "\"path\": \"consulting\", \"tier\": \"Select\", "
                     "\"renewal_date\": \"2026-12-15\"",
                     id);
    size_t padded = (size_t)n + strlen(", \"notes\": \"\"}");
    sb_puts(sb, head);
    if (len >= padded) {
        sb_puts(sb, ", \"notes\": \"");
        sb_pad(sb, 'x', len - padded);
        sb_puts(sb, "\"");
    }
    sb_putc(sb, '}');
}

/* Line and column (from 1, in bytes) of text[offset], counted here
 * independently of the reader. */
static void position_of(const char *text, size_t offset, unsigned long *line,
                        unsigned long *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            ++*line;
            *column = 1;
        } else {
            ++*column;
        }
    }
}

/* ------------------------------------------------------------ allocator */

/* Counts what is allocated (the peak), and fails every allocation of more
 * than fail_above bytes (0: none fail). */
typedef struct counting_alloc {
    atomic_size_t now, peak;
    size_t fail_above;
} counting_alloc;

static void *counting_realloc(void *user_data, void *ptr, size_t old_size, size_t new_size)
{
    counting_alloc *c = user_data;
    if (new_size == 0) {
        free(ptr);
        atomic_fetch_sub(&c->now, old_size);
        return NULL;
    }
    if (c->fail_above && new_size > c->fail_above)
        return NULL;
    void *p = realloc(ptr, new_size);
    if (!p)
        return NULL;
    size_t now = atomic_fetch_add(&c->now, new_size) + new_size;
    atomic_fetch_sub(&c->now, old_size);
    now -= old_size;
    size_t peak = atomic_load(&c->peak);
    while (now > peak && !atomic_compare_exchange_weak(&c->peak, &peak, now))
        ;
    return p;
}

/* ------------------------------------------------------------ running */

typedef struct run_options {
    unsigned jobs;
    size_t max_input;         /* 0: the default */
    counting_alloc *counter;  /* NULL: the C library's allocator */
} run_options;

typedef struct capture {
    strbuf out;
    strbuf diags;             /* one line each, as the command prints them */
    FILE *in;                 /* being read */
    long read_at_first_write; /* its position when output first came; -1: none */
} capture;

static bool capture_write(void *user_data, const char *bytes, size_t len)
{
    capture *c = user_data;
    if (c->read_at_first_write < 0)
        c->read_at_first_write = ftell(c->in);
    sb_append(&c->out, bytes, len);
    return true;
}

static void capture_diag(void *user_data, const batch_diag *d)
{
    capture *c = user_data;
    sb_puts(&c->diags, d->file);
    if (d->line)
        sb_printf(&c->diags, ":%llu", (unsigned long long)d->line);
    if (d->line && d->column)
        sb_printf(&c->diags, ":%llu", (unsigned long long)d->column);
    sb_printf(&c->diags, ": %s: %s\n", d->warning ? "warning" : "error", d->message);
}

typedef struct data_file {
    const char *name;
    const char *text;
    size_t len;
    bool jsonl;
} data_file;

/* Evaluate the files in one batch against the standard rules, results as
 * JSON Lines; returns whether every batch_run succeeded. */
static bool run_files(const run_options *o, const data_file *files, size_t nfiles, capture *c)
{
    const rubric_module *module = test_stdlib_module();
    work_unit unit = {session_module(module), session_load_plan(module), NULL};
    rubric_config defaults;
    rubric_config_init(&defaults);
    int32_t as_of = 0;
    const char *why = NULL;
    assert_true(cal_parse_date("2026-11-22", 10, &as_of, &why));
    batch_config cfg = {
        .units = &unit,
        .nunits = 1,
        .alloc = defaults.allocator,
        .limits = defaults.limits,
        .as_of = as_of,
        .format = BATCH_JSONL,
        .jobs = o->jobs,
        .write = capture_write,
        .diag = capture_diag,
        .user_data = c,
    };
    if (o->max_input)
        cfg.limits.max_input_bytes = o->max_input;
    if (o->counter)
        cfg.alloc = (rubric_allocator){counting_realloc, o->counter};
    sb_init(&c->out, test_alloc());
    sb_init(&c->diags, test_alloc());
    c->read_at_first_write = -1;
    batch *b = batch_new(&cfg);
    assert_non_null(b);
    bool ok = true;
    for (size_t i = 0; i < nfiles; i++) {
        c->in = fmemopen((void *)files[i].text, files[i].len, "rb");
        assert_non_null(c->in);
        ok = batch_run(b, c->in, files[i].name, files[i].jsonl) && ok;
        fclose(c->in);
    }
    batch_finish(b);
    batch_free(b);
    sb_putc(&c->out, '\0');
    sb_putc(&c->diags, '\0');
    return ok;
}

static bool run_one(const run_options *o, const char *name, const strbuf *text, capture *c)
{
    size_t n = strlen(name);
    data_file f = {name, text->data, text->len, n > 6 && strcmp(name + n - 6, ".jsonl") == 0};
    return run_files(o, &f, 1, c);
}

static void capture_free(capture *c)
{
    sb_free(&c->out);
    sb_free(&c->diags);
}

/* Which partners P-N (N < n) have results in c's output. */
static bool *partners_written(const capture *c, int n)
{
    bool *seen = calloc((size_t)n, 1);
    assert_non_null(seen);
    const char *key = "{\"partner\":{\"id\":\"P-";
    for (const char *p = strstr(c->out.data, key); p; p = strstr(p + 1, key)) {
        int id = atoi(p + strlen(key));
        if (id >= 0 && id < n)
            seen[id] = true;
    }
    return seen;
}

/* Every partner P-0 .. P-(n-1) but `missing` (-1: none) was evaluated. */
static void assert_written_but(const capture *c, int n, int missing)
{
    bool *seen = partners_written(c, n);
    for (int i = 0; i < n; i++)
        if (seen[i] != (i != missing))
            fail_msg("partner P-%d %s; diagnostics:\n%s", i,
                     seen[i] ? "was written" : "is missing", c->diags.data);
    free(seen);
}

/* ------------------------------------------------------------ files */

/* n partners of about size bytes each (partner `big` of big_size), as JSON
 * Lines, and where each starts. */
static void jsonl_of(strbuf *sb, int n, size_t size, int big, size_t big_size, size_t *starts)
{
    sb_init(sb, test_alloc());
    for (int i = 0; i < n; i++) {
        if (starts)
            starts[i] = sb->len;
        put_partner(sb, i, i == big ? big_size : size);
        sb_putc(sb, '\n');
    }
}

/* The same as an indented JSON array, one element per line. */
static void array_of(strbuf *sb, int n, size_t size, int big, size_t big_size, size_t *starts)
{
    sb_init(sb, test_alloc());
    sb_puts(sb, "[\n");
    for (int i = 0; i < n; i++) {
        sb_puts(sb, "  ");
        if (starts)
            starts[i] = sb->len;
        put_partner(sb, i, i == big ? big_size : size);
        sb_puts(sb, i + 1 < n ? ",\n" : "\n");
    }
    sb_puts(sb, "]\n");
}

/* ------------------------------------------------------------ D2 */

/* An array gives what the same partners give as JSON Lines, with any
 * number of jobs, errors included (placed by line and column deep in the
 * file: lines are counted as the array streams). */
static void test_array_results_equal_jsonl(void **state)
{
    (void)state;
    enum { N = 500, BAD = 450 };
    strbuf lines, array;
    jsonl_of(&lines, N, 5000, -1, 0, NULL);
    array_of(&array, N, 5000, -1, 0, NULL);
    /* Break partner 450 in both: an unknown tier. */
    const char *tier = "\"tier\": \"Select\"";
    char *in_lines = strstr(strstr(lines.data, "\"P-450\""), tier) + 8;
    char *in_array = strstr(strstr(array.data, "\"P-450\""), tier) + 8;
    memcpy(in_lines, "\"Gold\"  ", 8);
    memcpy(in_array, "\"Gold\"  ", 8);
    unsigned long line, column;
    position_of(array.data, (size_t)(in_array - array.data), &line, &column);
    char want_array[200], want_lines[200];
    snprintf(want_array, sizeof want_array, "p.json:%lu:%lu: error: $.tier: unknown value \"Gold\"",
             line, column);
    const char *bad_line = strstr(lines.data, "{\"format\": \"apn-partner/1\", \"id\": \"P-450\"");
    snprintf(want_lines, sizeof want_lines, "p.jsonl:451:%lu: error: $.tier: unknown value",
             (unsigned long)(in_lines - bad_line + 1));
    capture reference;
    run_options o = {.jobs = 1};
    run_one(&o, "p.jsonl", &lines, &reference);
    assert_non_null(strstr(reference.diags.data, want_lines));
    assert_written_but(&reference, N, BAD);
    unsigned jobs[] = {1, 2, 3};
    for (size_t j = 0; j < 3; j++) {
        capture c;
        o.jobs = jobs[j];
        run_one(&o, "p.json", &array, &c);
        assert_string_equal(c.out.data, reference.out.data);
        if (!strstr(c.diags.data, want_array))
            fail_msg("-j %u: want %s, got\n%s", jobs[j], want_array, c.diags.data);
        capture_free(&c);
    }
    capture_free(&reference);
    sb_free(&lines);
    sb_free(&array);
}

/* Results come out while the array is still being read, and what is held
 * does not grow with the file: a few blocks, not the whole array. */
static void test_array_streams(void **state)
{
    (void)state;
    enum { N = 600 };
    strbuf array;
    array_of(&array, N, 40000, -1, 0, NULL);
    assert_true(array.len > 20 * MIB);
    counting_alloc counter = {0};
    run_options o = {.jobs = 2, .counter = &counter};
    capture c;
    assert_true(run_one(&o, "p.json", &array, &c));
    assert_string_equal(c.diags.data, "");
    assert_written_but(&c, N, -1);
    if (c.read_at_first_write > 8 * MIB)
        fail_msg("first output after %ld bytes of %zu read", c.read_at_first_write, array.len);
    size_t peak = atomic_load(&counter.peak);
    if (peak > 16 * MIB)
        fail_msg("%zu bytes held at most for a file of %zu", peak, array.len);
    capture_free(&c);
    sb_free(&array);
}

/* ------------------------------------------------------------ D6 */

/* JSON Lines with one record over the limit at each of several places
 * around the first read's end (1 MiB) and beyond: that record is one error
 * naming its line, whatever the boundaries, and every other partner is
 * evaluated.  A record exactly at the limit is evaluated. */
static void test_jsonl_record_over_limit_anywhere(void **state)
{
    (void)state;
    enum { LIMIT = 8000, SIZE = 7000 };
    const long starts[] = {MIB - 9000, MIB - 8001, MIB - 1500, MIB - 1, MIB, MIB + 1,
                           2 * MIB - 700};
    const size_t big_sizes[] = {LIMIT + 1, 3 * MIB};
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        for (size_t k = 0; k < 2; k++) {
            /* Partners of SIZE bytes, then a blank line to reach the start. */
            int big = (int)(starts[s] / (SIZE + 1)), n = big + 20;
            size_t rest = (size_t)starts[s] - (size_t)big * (SIZE + 1);
            strbuf text;
            sb_init(&text, test_alloc());
            for (int i = 0; i < big; i++) {
                put_partner(&text, i, SIZE);
                sb_putc(&text, '\n');
            }
            if (rest) {
                sb_pad(&text, ' ', rest - 1);
                sb_putc(&text, '\n');
            }
            assert_int_equal(text.len, (size_t)starts[s]);
            put_partner(&text, big, big_sizes[k]);
            sb_putc(&text, '\n');
            for (int i = big + 1; i < n; i++) {
                put_partner(&text, i, i == big + 1 ? LIMIT : SIZE);
                sb_putc(&text, '\n');
            }
            capture c;
            run_options o = {.jobs = 1, .max_input = LIMIT};
            assert_true(run_one(&o, "p.jsonl", &text, &c));
            char want[200];
            snprintf(want, sizeof want,
                     "p.jsonl:%d: error: limit: partner of %zu bytes exceeds the input limit "
                     "of %d bytes\n",
                     big + 1 + (rest > 0), big_sizes[k], LIMIT);
            assert_string_equal(c.diags.data, want);
            assert_written_but(&c, n, big);
            capture_free(&c);
            sb_free(&text);
        }
    }
}

/* ------------------------------------------------------------ D7 */

/* An element over the limit is one error at its first byte, wherever it
 * falls against the blocks, and the others are evaluated. */
static void test_array_element_over_limit(void **state)
{
    (void)state;
    enum { LIMIT = 9000, N = 300, SIZE = 8000 };
    const int bigs[] = {0, 128, 130, 131, 299};
    const size_t big_sizes[] = {LIMIT + 1, 2 * MIB + 5};
    for (size_t s = 0; s < sizeof bigs / sizeof bigs[0]; s++) {
        for (size_t k = 0; k < 2; k++) {
            strbuf array;
            size_t *starts = calloc(N, sizeof *starts);
            array_of(&array, N, SIZE, bigs[s], big_sizes[k], starts);
            unsigned long line, column;
            position_of(array.data, starts[bigs[s]], &line, &column);
            capture c;
            run_options o = {.jobs = 2, .max_input = LIMIT};
            assert_true(run_one(&o, "p.json", &array, &c));
            char want[200];
            snprintf(want, sizeof want,
                     "p.json:%lu:%lu: error: limit: partner of %zu bytes exceeds the input "
                     "limit of %d bytes\n",
                     line, column, big_sizes[k], LIMIT);
            assert_string_equal(c.diags.data, want);
            assert_written_but(&c, N, bigs[s]);
            capture_free(&c);
            free(starts);
            sb_free(&array);
        }
    }
}

/* A file of one partner over the limit is one error at its start, without
 * holding it; the next file of the batch is read. */
static void test_single_object_over_limit(void **state)
{
    (void)state;
    strbuf one, two;
    sb_init(&one, test_alloc());
    sb_puts(&one, "\n\n   ");
    put_partner(&one, 0, 3 * MIB);
    jsonl_of(&two, 3, 300, -1, 0, NULL);
    data_file files[] = {{"one.json", one.data, one.len, false},
                         {"two.jsonl", two.data, two.len, true}};
    counting_alloc counter = {0};
    run_options o = {.jobs = 1, .max_input = 10000, .counter = &counter};
    capture c;
    assert_true(run_files(&o, files, 2, &c));
    char want[200];
    snprintf(want, sizeof want, "one.json:3:4: error: limit: partner of %d bytes exceeds the "
             "input limit of 10000 bytes\n", 3 * MIB);
    assert_string_equal(c.diags.data, want);
    assert_written_but(&c, 3, -1);
    assert_true(atomic_load(&counter.peak) < 3 * MIB);
    capture_free(&c);
    sb_free(&one);
    sb_free(&two);
}

/* Out of memory while reading: the file is named, its partners read before
 * are evaluated, and the next file of the batch is read.  The allocator
 * refuses anything over 2 MiB: the 5 MiB partner cannot be held. */
static void test_out_of_memory_reading(void **state)
{
    (void)state;
    enum { N = 60, BIG = 40, NEXT = 99 };
    strbuf lines, array, after;
    jsonl_of(&lines, N, 40000, BIG, 5 * MIB, NULL);
    array_of(&array, N, 40000, BIG, 5 * MIB, NULL);
    sb_init(&after, test_alloc());
    put_partner(&after, NEXT, 300);
    const data_file cases[] = {{"big.jsonl", lines.data, lines.len, true},
                               {"big.json", array.data, array.len, false}};
    for (size_t k = 0; k < 2; k++) {
        data_file files[] = {cases[k], {"after.jsonl", after.data, after.len, true}};
        counting_alloc counter = {.fail_above = 2 * MIB};
        run_options o = {.jobs = 1, .counter = &counter};
        capture c;
        assert_false(run_files(&o, files, 2, &c));
        char want[200];
        snprintf(want, sizeof want, "%s: error: out of memory reading this file; the rest of "
                 "it is skipped\n", cases[k].name);
        assert_string_equal(c.diags.data, want);
        bool *seen = partners_written(&c, NEXT + 1);
        for (int i = 0; i < BIG; i++)
            if (!seen[i])
                fail_msg("%s: partner P-%d before the big one is missing", cases[k].name, i);
        assert_false(seen[BIG]);
        assert_true(seen[NEXT]);
        free(seen);
        capture_free(&c);
    }
    sb_free(&lines);
    sb_free(&array);
    sb_free(&after);
}

/* ------------------------------------------------------------ D13 */

/* A line much longer than a read, with its newline on either side of a
 * read's end, and the partners after it.  (That it takes linear time is
 * measured by bench/run.sh, not here.) */
static void test_long_line(void **state)
{
    (void)state;
    const size_t sizes[] = {MIB - 1, MIB, 5 * MIB - 1, 5 * MIB, 9 * MIB + 3};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        strbuf text;
        jsonl_of(&text, 5, 300, 1, sizes[s], NULL);
        capture c;
        run_options o = {.jobs = 2};
        assert_true(run_one(&o, "p.jsonl", &text, &c));
        assert_string_equal(c.diags.data, "");
        assert_written_but(&c, 5, -1);
        capture_free(&c);
        sb_free(&text);
    }
}

/* ------------------------------------------------------------ json_split */

typedef struct split_result {
    char events[2048]; /* "S1:2 E1:40 N1:42 !1:50 expected ... ." */
} split_result;

static void split_note(split_result *r, const json_split *s, json_split_event ev)
{
    static const char *const names[] = {"", "S", "E", "N", "D", "", "!"};
    char one[160];
    if (ev == JSPLIT_ERROR)
        snprintf(one, sizeof one, "!%llu:%llu %s%s ", (unsigned long long)s->event_line,
                 (unsigned long long)s->event_column, s->message,
                 s->rest_skipped ? " (rest skipped)" : "");
    else
        snprintf(one, sizeof one, "%s%llu:%llu ", names[ev], (unsigned long long)s->event_line,
                 (unsigned long long)s->event_column);
    strncat(r->events, one, sizeof r->events - strlen(r->events) - 1);
}

/* The events of text fed in pieces of `piece` bytes, then its end. */
static void split_in_pieces(const char *text, size_t piece, uint32_t max_depth, split_result *r)
{
    json_split s;
    json_split_init(&s, test_alloc(), max_depth);
    memset(r, 0, sizeof *r);
    size_t len = strlen(text), pos = 0;
    json_split_event ev = JSPLIT_MORE;
    while (pos < len && ev != JSPLIT_ERROR && ev != JSPLIT_DOCUMENT) {
        size_t n = len - pos < piece ? len - pos : piece, used;
        ev = json_split_feed(&s, text + pos, n, &used);
        pos += used;
        if (ev != JSPLIT_MORE)
            split_note(r, &s, ev);
    }
    if (ev != JSPLIT_ERROR && ev != JSPLIT_DOCUMENT) {
        ev = json_split_finish(&s);
        if (ev == JSPLIT_ERROR)
            split_note(r, &s, ev);
        else
            strncat(r->events, ".", sizeof r->events - strlen(r->events) - 1);
    }
    json_split_free(&s);
}

/* The same events and positions whatever the pieces the text comes in. */
static void expect_split(const char *text, uint32_t max_depth, const char *want)
{
    split_result whole, bytes;
    split_in_pieces(text, strlen(text) + 1, max_depth, &whole);
    split_in_pieces(text, 1, max_depth, &bytes);
    if (strcmp(whole.events, want) != 0)
        fail_msg("%s\n  want %s\n  got  %s", text, want, whole.events);
    if (strcmp(bytes.events, want) != 0)
        fail_msg("%s byte by byte\n  want %s\n  got  %s", text, want, bytes.events);
}

static void test_split_elements(void **state)
{
    (void)state;
    expect_split("[{\"a\": 1}, {\"b\": [2, {\"c\": \"]}\"}]}]", 0, "S1:2 E1:9 S1:12 E1:34 .");
    expect_split(" [\n  {\"s\": \"x\\\"}\\\\\"},\n  {}\n]\n", 0, "S2:3 E2:17 S3:3 E3:4 .");
    expect_split("[1, \"two\", [3, {}], null, true, -2.5e3, {}]", 0,
                 "N1:2 N1:5 N1:12 N1:21 N1:27 N1:33 S1:41 E1:42 .");
    expect_split("[\"a\nb\", {}]", 0, "N1:2 S2:5 E2:6 .");
    expect_split("[]", 0, ".");
    expect_split("  \r\n\t[ ]  \n", 0, ".");
    expect_split("\n {\"id\": 1}", 0, "D2:2 ");
    expect_split("42", 0, "D1:1 ");
}

static void test_split_malformed(void **state)
{
    (void)state;
    expect_split("", 0, "!1:1 empty document ");
    expect_split(" \n\t", 0, "!1:1 empty document ");
    expect_split("[{} {}]", 0, "S1:2 E1:3 !1:5 expected ',' or ']' (rest skipped) ");
    expect_split("[{},]", 0, "S1:2 E1:3 !1:5 expected a value (rest skipped) ");
    expect_split("[,{}]", 0, "!1:2 expected a value (rest skipped) ");
    expect_split("[{}\n", 0, "S1:2 E1:3 !2:1 unexpected end of the document ");
    expect_split("[{\"a\": [1}]", 0, "S1:2 !1:10 expected ',' or ']' (rest skipped) ");
    expect_split("[{\"a\": 1]]", 0, "S1:2 !1:9 expected ',' or '}' (rest skipped) ");
    expect_split("[{}]\nx", 0, "S1:2 E1:3 !2:1 trailing content after the document ");
    expect_split("[{\"a\": \"b}]\n", 0, "S1:2 !1:8 unclosed string ");
    expect_split("[1", 0, "N1:2 !1:3 unexpected end of the document ");
    expect_split("[[[", 2, "N1:2 !1:3 nesting deeper than 2 (rest skipped) ");
    expect_split("[{\"a\": [[]]}]", 3, "S1:2 !1:9 nesting deeper than 3 (rest skipped) ");
}

/* ------------------------------------------------------------ command */

static char *make_temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char template[512];
    snprintf(template, sizeof template, "%s/rubric-batch-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    char *dir = mkdtemp(template);
    assert_non_null(dir);
    return strdup(dir);
}

/* A directory given as data is refused by name; the other files are read. */
static void test_directory_is_refused(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char sub[600], args[1400], want[700];
    snprintf(sub, sizeof sub, "%s/partners.json", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(args, sizeof args,
             "eval --as-of 2026-11-22 -f jsonl -q -j 1 '%s' examples/partners/select.json", sub);
    char *out, *err;
    assert_int_equal(test_run(args, NULL, &out, &err), 1);
    snprintf(want, sizeof want, "rubric: cannot read %s: Is a directory\n", sub);
    assert_string_equal(err, want);
    assert_non_null(strstr(out, "\"partner\":{\"id\":\"P-0000001\""));
    free(out);
    free(err);
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(dir), 0);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_results_equal_jsonl),
        cmocka_unit_test(test_array_streams),
        cmocka_unit_test(test_jsonl_record_over_limit_anywhere),
        cmocka_unit_test(test_array_element_over_limit),
        cmocka_unit_test(test_single_object_over_limit),
        cmocka_unit_test(test_out_of_memory_reading),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_split_elements),
        cmocka_unit_test(test_split_malformed),
        cmocka_unit_test(test_directory_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
