/*
 * test_progress.c — what `rubric eval` says on standard error while and
 * after it runs (cli/progress.c).  On a terminal (a pseudo-terminal made
 * with forkpty): a progress bar redrawn in place and erased, the
 * end-of-run line, and at most ten diagnostics of a kind with a count of
 * the rest; -q silences the bar and the line.  Off a terminal: nothing
 * more than the diagnostics, every one of them, unless --stats asks for
 * the end-of-run line.  The results are the same either way.
 */
#include "test_support.h"

#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_shell.h"

enum { PARTNERS = 200, DUPLICATES = 1011 };

/* PARTNERS partners with ids of their own (the example batch's, copied),
 * or the first one DUPLICATES times, one per line, in dir/name. */
static void write_partners(const char *dir, const char *name, bool duplicates)
{
    char *batch = test_read_file(test_path("examples/partners/batch.jsonl"), NULL);
    assert_non_null(batch);
    strbuf sb;
    sb_init(&sb, test_alloc());
    const char *first_end = strchr(batch, '\n');
    for (int k = 0; duplicates ? k < DUPLICATES : k < PARTNERS / 4; k++) {
        for (const char *line = batch; *line;) {
            const char *end = strchr(line, '\n');
            const char *close = strchr(strstr(line, "\"id\":\"") + 6, '"');
            sb_append(&sb, line, (size_t)(close - line));
            if (!duplicates)
                sb_printf(&sb, "-%d", k);
            sb_append(&sb, close, (size_t)(end - close) + 1);
            line = duplicates ? first_end + strlen(first_end) : end + 1;
        }
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sb_putc(&sb, '\0');
    test_write_text(path, sb.data);
    sb_free(&sb);
    free(batch);
}

/* Run rubric with args (a NULL-terminated list after "rubric") on a
 * pseudo-terminal as its standard output and error, TERM=xterm; returns
 * everything it wrote there (to free()) and its exit status. */
static char *run_on_terminal(char *const *args, int *exit_status)
{
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    if (pid < 0)
        return NULL;
    if (pid == 0) {
        if (chdir(RUBRIC_SOURCE_DIR) != 0)
            _exit(127);
        setenv("TERM", "xterm", 1);
        setenv("NO_COLOR", "1", 1);
        execv(RUBRIC_BINARY, args);
        _exit(127);
    }
    strbuf sb;
    sb_init(&sb, test_alloc());
    char buf[4096];
    for (;;) {
        ssize_t n = read(master, buf, sizeof buf);
        if (n > 0)
            sb_append(&sb, buf, (size_t)n);
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break; /* EIO: the terminal's last user has gone */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(master);
    assert_true(WIFEXITED(status));
    *exit_status = WEXITSTATUS(status);
    sb_putc(&sb, '\0');
    size_t size;
    return sb_take(&sb, &size);
}

static char *read_text(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = test_read_file(path, NULL);
    assert_non_null(text);
    return text;
}

/* The end-of-run line: "200 partners, N results, 0 errors in T s". */
static void assert_stats_line(const char *text, const char *partners, const char *errors)
{
    const char *at = strstr(text, partners);
    assert_non_null(at);
    at += strlen(partners);
    char *end;
    unsigned long results = strtoul(at, &end, 10);
    assert_true(results > 0);
    assert_true(strncmp(end, " results, ", 10) == 0);
    assert_true(strncmp(end + 10, errors, strlen(errors)) == 0);
    assert_non_null(strstr(end, " s"));
}

static void test_bar_and_stats_on_a_terminal(void **state)
{
    const char *dir = *state;
    write_partners(dir, "p.jsonl", false);
    char in[4096], out[4096], plain[4096];
    snprintf(in, sizeof in, "%s/p.jsonl", dir);
    snprintf(out, sizeof out, "%s/on-terminal.jsonl", dir);
    snprintf(plain, sizeof plain, "%s/off-terminal.jsonl", dir);
    char *args[] = {"rubric", "eval", "--as-of", "2026-11-22", "-j", "2", "-o", out, in, NULL};
    int status;
    char *text = run_on_terminal(args, &status);
    if (!text)
        skip(); /* no terminals to be had here */
    assert_int_equal(status, 0);
    /* Drawn in place, with the bar (the size is known), then erased. */
    assert_non_null(strstr(text, "\r\033[K"));
    assert_non_null(strstr(text, " partners, "));
    assert_non_null(strstr(text, "/s ["));
    assert_non_null(strstr(text, "%, ETA "));
    assert_stats_line(strstr(text, "\r\033[K200 partners, "), "200 partners, ", "0 errors in ");
    free(text);

    /* The same results as off a terminal, where nothing is said. */
    char cmd[9000], *err = NULL;
    snprintf(cmd, sizeof cmd, "\"$R\" eval --as-of 2026-11-22 -j 2 -o '%s' '%s'", plain, in);
    assert_int_equal(test_sh(cmd, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
    char *a = read_text(dir, "on-terminal.jsonl"), *b = read_text(dir, "off-terminal.jsonl");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_quiet_on_a_terminal(void **state)
{
    const char *dir = *state;
    write_partners(dir, "p.jsonl", false);
    char in[4096], out[4096];
    snprintf(in, sizeof in, "%s/p.jsonl", dir);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    char *args[] = {"rubric", "eval", "-q", "--as-of", "2026-11-22", "-o", out, in, NULL};
    int status;
    char *text = run_on_terminal(args, &status);
    if (!text)
        skip();
    assert_int_equal(status, 0);
    assert_string_equal(text, "");
    free(text);
}

/* --stats off a terminal: the end-of-run line alone. */
static void test_stats_off_a_terminal(void **state)
{
    const char *dir = *state;
    write_partners(dir, "p.jsonl", false);
    char cmd[9000], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "\"$R\" eval --stats --as-of 2026-11-22 '%s/p.jsonl'", dir);
    assert_int_equal(test_sh(cmd, &out, &err), 0);
    assert_true(strncmp(err, "200 partners, ", 14) == 0);
    assert_stats_line(err, "200 partners, ", "0 errors in ");
    assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err)); /* one line */
    assert_null(strchr(err, '\r'));
    free(out);
    free(err);
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)); p++)
        n++;
    return n;
}

/* 1,010 duplicate ids: ten said on a terminal, then how many more; every
 * one off it. */
static void test_capped_diagnostics(void **state)
{
    const char *dir = *state;
    write_partners(dir, "dups.jsonl", true);
    char in[4096], out[4096];
    snprintf(in, sizeof in, "%s/dups.jsonl", dir);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    char *args[] = {"rubric", "eval", "--as-of", "2026-11-22", "-o", out, in, NULL};
    int status;
    char *text = run_on_terminal(args, &status);
    if (!text)
        skip();
    assert_int_equal(status, 1);
    assert_int_equal(count(text, "error: duplicate partner id"), 10);
    assert_non_null(strstr(text, "rubric: ... and 1,000 more duplicate partner ids\r\n"));
    assert_stats_line(text, "1,011 partners, ", "1,010 errors in ");
    free(text);

    char cmd[9000], *err = NULL;
    snprintf(cmd, sizeof cmd, "\"$R\" eval --as-of 2026-11-22 -o '%s' '%s'", out, in);
    assert_int_equal(test_sh(cmd, NULL, &err), 1);
    assert_int_equal(count(err, "error: duplicate partner id"), DUPLICATES - 1);
    assert_null(strstr(err, "more duplicate"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bar_and_stats_on_a_terminal, test_dir_setup,
                                        test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_quiet_on_a_terminal, test_dir_setup,
                                        test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_stats_off_a_terminal, test_dir_setup,
                                        test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_capped_diagnostics, test_dir_setup,
                                        test_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
