/*
 * test_catalogue.c — runs the rubric binary on every bad input of
 * tests/catalogue/ and checks its exit status and diagnostics against the
 * entry's NAME.expect (the format is in tests/catalogue/README.md), and
 * that nothing crashes: an exit status of 128 or more (a signal) or a
 * sanitizer report fails the entry whatever the .expect says.
 *
 * Entries named in tests/catalogue/KNOWN_FAILURES still run; their result
 * is printed but does not fail the test.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define CATALOGUE "tests/catalogue"
#define MIN_ENTRIES 60
#define MAX_LINES 32

/* What one entry expects. */
typedef struct expectation {
    int status;
    size_t nlines;
    char *lines[MAX_LINES]; /* into the .expect text */
} expectation;

typedef struct entry {
    char name[256];  /* the input file's name, "data_empty.json" */
    bool known_failure;
} entry;

/* ----------------------------------------------------------- .expect */

/* Split an .expect text (modified in place) into its status and lines.
 * False with a reason when the text does not follow the format. */
static bool parse_expect(char *text, expectation *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    char *end = NULL;
    long status = line ? strtol(line, &end, 10) : -1;
    if (!line || end == line || *end != '\0' || status < 0 || status > 255) {
        snprintf(why, why_size, "the first line must be the exit status (0-255), found '%s'",
                 line ? line : "");
        return false;
    }
    out->status = (int)status;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        if (out->nlines == MAX_LINES) {
            snprintf(why, why_size, "more than %d expected lines", MAX_LINES);
            return false;
        }
        out->lines[out->nlines++] = line;
    }
    return true;
}

/* The line of text starting at *pos, NUL-terminated in a copy; advances
 * *pos past it.  NULL at the end. */
static char *next_line(const char **pos)
{
    if (!**pos)
        return NULL;
    const char *nl = strchr(*pos, '\n');
    size_t len = nl ? (size_t)(nl - *pos) : strlen(*pos);
    char *line = strndup(*pos, len);
    *pos += len + (nl ? 1 : 0);
    return line;
}

/* Does one expected line match one line of output?  "~ text": a substring;
 * otherwise the whole line. */
static bool line_matches(const char *expected, const char *actual)
{
    if (strncmp(expected, "~ ", 2) == 0)
        return strstr(actual, expected + 2) != NULL;
    return strcmp(expected, actual) == 0;
}

/* Find each expected stderr line, in order, among the lines of err (other
 * lines may come between); "stdout~ text" lines are looked for in out.
 * No expected stderr lines means stderr must be empty. */
static bool output_matches(const expectation *e, const char *out, const char *err,
                           char *why, size_t why_size)
{
    const char *pos = err;
    bool any_stderr_line = false;
    for (size_t i = 0; i < e->nlines; i++) {
        const char *want = e->lines[i];
        if (strncmp(want, "stdout~ ", 8) == 0) {
            if (!strstr(out, want + 8)) {
                snprintf(why, why_size, "stdout lacks '%s'", want + 8);
                return false;
            }
            continue;
        }
        any_stderr_line = true;
        bool found = false;
        char *line;
        while (!found && (line = next_line(&pos)) != NULL) {
            found = line_matches(want, line);
            free(line);
        }
        if (!found) {
            snprintf(why, why_size, "stderr lacks the line '%s' (in this order)", want);
            return false;
        }
    }
    if (!any_stderr_line && err[0]) {
        snprintf(why, why_size, "stderr should be empty");
        return false;
    }
    return true;
}

/* A crash is never an expected outcome. */
static bool crashed(int status, const char *err)
{
    return status >= 128 || strstr(err, "Sanitizer") || strstr(err, "runtime error:");
}

/* ----------------------------------------------------------- entries */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The rubric arguments for an input: NAME.args when it exists ("{}"
 * stands for the input's path), else by the input's extension. */
static void command_for(const char *name, char *args, size_t size)
{
    char path[512], sidecar[600];
    snprintf(path, sizeof path, "'" CATALOGUE "/%s'", name);
    snprintf(sidecar, sizeof sidecar, CATALOGUE "/%s.args", name);
    size_t len;
    char *custom = test_read_file(test_path(sidecar), &len);
    const char *pattern =
        has_suffix(name, ".rubric") ? "check -I " CATALOGUE "/modules {}"
        : has_suffix(name, ".rbc")  ? "eval --as-of 2026-11-22 -f jsonl -q -j 1 -r {} "
                                      "examples/partners/select.json"
                                    : "eval --as-of 2026-11-22 -f jsonl -q -j 1 {}";
    if (custom) {
        custom[strcspn(custom, "\n")] = '\0';
        pattern = custom;
    }
    const char *hole = strstr(pattern, "{}");
    if (hole)
        snprintf(args, size, "%.*s%s%s", (int)(hole - pattern), pattern, path, hole + 2);
    else
        snprintf(args, size, "%s", pattern);
    free(custom);
}

static bool is_known_failure(const char *known, const char *name)
{
    const char *pos = known;
    char *line;
    bool found = false;
    while (!found && (line = next_line(&pos)) != NULL) {
        found = strcmp(line, name) == 0;
        free(line);
    }
    return found;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* Every NAME with a NAME.expect, sorted.  *count receives how many. */
static entry *list_entries(size_t *count)
{
    DIR *dir = opendir(test_path(CATALOGUE));
    assert_non_null(dir);
    size_t len;
    char *known = test_read_file(test_path(CATALOGUE "/KNOWN_FAILURES"), &len);
    entry *entries = NULL;
    size_t n = 0;
    struct dirent *d;
    while ((d = readdir(dir)) != NULL) {
        size_t name_len = strlen(d->d_name);
        if (!has_suffix(d->d_name, ".expect") || name_len - 7 >= sizeof entries->name)
            continue;
        entries = realloc(entries, (n + 1) * sizeof *entries);
        assert_non_null(entries);
        snprintf(entries[n].name, sizeof entries[n].name, "%.*s", (int)(name_len - 7),
                 d->d_name);
        entries[n].known_failure = known && is_known_failure(known, entries[n].name);
        n++;
    }
    closedir(dir);
    free(known);
    qsort(entries, n, sizeof *entries, compare_entries);
    *count = n;
    return entries;
}

/* Run one entry; false with a reason when it does not behave as expected. */
static bool run_entry(const entry *en, char *why, size_t why_size)
{
    char expect_path[600];
    snprintf(expect_path, sizeof expect_path, CATALOGUE "/%s.expect", en->name);
    size_t len;
    char *text = test_read_file(test_path(expect_path), &len);
    assert_non_null(text);
    expectation e;
    bool ok = parse_expect(text, &e, why, why_size);
    if (ok) {
        char args[2048];
        command_for(en->name, args, sizeof args);
        char *out = NULL, *err = NULL;
        int status = test_run(args, NULL, &out, &err);
        if (crashed(status, err))
            snprintf(why, why_size, "crashed (exit status %d)", status);
        else if (status != e.status)
            snprintf(why, why_size, "exit status %d, expected %d", status, e.status);
        ok = !crashed(status, err) && status == e.status &&
             output_matches(&e, out, err, why, why_size);
        if (!ok)
            fprintf(stderr, "--- rubric %s\n%s--- end of stderr\n", args, err);
        free(out);
        free(err);
    }
    free(text);
    return ok;
}

static void test_every_entry(void **state)
{
    (void)state;
    size_t n;
    entry *entries = list_entries(&n);
    size_t failed = 0, known = 0, fixed = 0;
    for (size_t i = 0; i < n; i++) {
        char why[1024] = "";
        bool ok = run_entry(&entries[i], why, sizeof why);
        if (entries[i].known_failure) {
            known++;
            fixed += ok;
            printf("known failure %s: %s\n", entries[i].name,
                   ok ? "now passes; remove it from KNOWN_FAILURES" : why);
        } else if (!ok) {
            failed++;
            printf("FAILED %s: %s\n", entries[i].name, why);
        }
    }
    printf("catalogue: %zu entries, %zu failed, %zu known failures (%zu now pass)\n", n,
           failed, known, fixed);
    free(entries);
    assert_int_equal(failed, 0);
}

/* Every entry has its input file, and there are enough of them. */
static void test_catalogue_is_complete(void **state)
{
    (void)state;
    size_t n;
    entry *entries = list_entries(&n);
    assert_true(n >= MIN_ENTRIES);
    for (size_t i = 0; i < n; i++) {
        char path[600];
        snprintf(path, sizeof path, CATALOGUE "/%s", entries[i].name);
        FILE *f = fopen(test_path(path), "rb");
        if (!f)
            fail_msg("%s.expect has no input file %s", entries[i].name, entries[i].name);
        fclose(f);
    }
    free(entries);
}

/* ----------------------------------------------------------- the checker itself */

static void test_expect_without_status_is_rejected(void **state)
{
    (void)state;
    char text[] = "error: something\n1\n";
    expectation e;
    char why[256];
    assert_false(parse_expect(text, &e, why, sizeof why));
    assert_string_equal(why,
                        "the first line must be the exit status (0-255), found 'error: something'");
    char empty[] = "";
    assert_false(parse_expect(empty, &e, why, sizeof why));
    assert_string_equal(why, "the first line must be the exit status (0-255), found ''");
}

static void test_expect_lines_match_in_order(void **state)
{
    (void)state;
    char text[] = "1\n~ second\nfirst\n";
    expectation e;
    char why[256];
    assert_true(parse_expect(text, &e, why, sizeof why));
    assert_int_equal(e.status, 1);
    assert_int_equal(e.nlines, 2);
    assert_false(output_matches(&e, "", "first\nthe second\n", why, sizeof why));
    assert_string_equal(why, "stderr lacks the line 'first' (in this order)");
    assert_true(output_matches(&e, "", "the second\nnoise\nfirst\n", why, sizeof why));
}

static void test_expect_checks_stdout_and_empty_stderr(void **state)
{
    (void)state;
    char text[] = "0\nstdout~ \"P-2\"\n";
    expectation e;
    char why[256];
    assert_true(parse_expect(text, &e, why, sizeof why));
    assert_false(output_matches(&e, "{\"id\":\"P-1\"}", "", why, sizeof why));
    assert_string_equal(why, "stdout lacks '\"P-2\"'");
    assert_false(output_matches(&e, "\"P-2\"", "a warning\n", why, sizeof why));
    assert_string_equal(why, "stderr should be empty");
    assert_true(output_matches(&e, "\"P-2\"", "", why, sizeof why));
}

static void test_signals_and_sanitizers_are_crashes(void **state)
{
    (void)state;
    assert_true(crashed(134, ""));
    assert_true(crashed(1, "==1==ERROR: AddressSanitizer: heap-buffer-overflow"));
    assert_true(crashed(1, "x.c:3:5: runtime error: signed integer overflow"));
    assert_false(crashed(1, "x.json:1:1: error: empty document"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expect_without_status_is_rejected),
        cmocka_unit_test(test_expect_lines_match_in_order),
        cmocka_unit_test(test_expect_checks_stdout_and_empty_stderr),
        cmocka_unit_test(test_signals_and_sanitizers_are_crashes),
        cmocka_unit_test(test_catalogue_is_complete),
        cmocka_unit_test(test_every_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
