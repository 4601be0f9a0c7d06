/*
 * test_cli_edges.c — the rubric command at the edges of its environment:
 * the range of --as-of, the default date in the local time zone, colour on
 * a terminal (TERM, NO_COLOR), and `rubric test` in a tree with symlinks.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt */

#include "test_shell.h"
#include "test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PARTNER "examples/partners/select.json"

/* ------------------------------------------------------------ --as-of */

/* D18: dates the rules cannot look back or forward from are a usage error
 * up front, in every command that takes --as-of. */
static void test_as_of_out_of_range(void **state)
{
    (void)state;
    static const char *const dates[] = {"0001-01-01", "1899-12-31", "9001-01-01", "9999-12-31"};
    static const char *const commands[] = {"eval", "diff --old stdlib --new stdlib"};
    for (size_t c = 0; c < 2; c++) {
        for (size_t d = 0; d < 4; d++) {
            char script[512], want[512], *out, *err;
            snprintf(script, sizeof script, "\"$R\" %s --as-of %s " PARTNER, commands[c],
                     dates[d]);
            assert_int_equal(test_sh(script, &out, &err), 2);
            snprintf(want, sizeof want,
                     "rubric: --as-of: %s is out of range (1900-01-01 to 9000-12-31)\n"
                     "Try 'rubric %.4s --help'.\n", dates[d], commands[c]);
            assert_string_equal(out, "");
            assert_string_equal(err, want);
            free(out);
            free(err);
        }
    }
}

/* The ends of the range evaluate every example partner cleanly. */
static void test_as_of_range_ends_evaluate(void **state)
{
    (void)state;
    static const char *const dates[] = {"1900-01-01", "9000-12-31"};
    for (size_t d = 0; d < 2; d++) {
        char script[512], *out, *err;
        snprintf(script, sizeof script,
                 "\"$R\" eval --as-of %s -f jsonl examples/partners/*.json", dates[d]);
        assert_int_equal(test_sh(script, &out, &err), 0);
        assert_string_equal(err, "");
        assert_non_null(strstr(out, dates[d]));
        free(out);
        free(err);
        snprintf(script, sizeof script,
                 "\"$R\" diff --as-of %s --old stdlib --new stdlib -f jsonl "
                 "examples/partners/*.json", dates[d]);
        assert_int_equal(test_sh(script, &out, &err), 0);
        free(out);
        free(err);
    }
}

/* "YYYY-MM-DD" of today in the time zone tz. */
static void local_date_in(const char *tz, char out[32])
{
    char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", tz, 1);
    tzset();
    time_t now = time(NULL);
    struct tm tm;
    assert_non_null(localtime_r(&now, &tm));
    snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

/* D19: without --as-of the date is today where the user is.  At any hour
 * one of UTC+14 and UTC-12 has another date than UTC. */
static void test_default_as_of_is_local_date(void **state)
{
    (void)state;
    static const char *const zones[] = {"<+14>-14", "<-12>+12"};
    for (size_t z = 0; z < 2; z++) {
        char before[32], after[32], script[512], *out;
        local_date_in(zones[z], before);
        snprintf(script, sizeof script,
                 "TZ='%s' \"$R\" eval -f jsonl -p apn-2019-consulting " PARTNER, zones[z]);
        assert_int_equal(test_sh(script, &out, NULL), 0);
        local_date_in(zones[z], after);
        const char *as_of = strstr(out, "\"as_of\":\"");
        assert_non_null(as_of);
        as_of += strlen("\"as_of\":\"");
        /* The run may have crossed midnight. */
        if (strncmp(as_of, before, 10) != 0 && strncmp(as_of, after, 10) != 0)
            fail_msg("TZ=%s: as_of %.10s, local date %s", zones[z], as_of, before);
        free(out);
    }
}

/* ------------------------------------------------------------ colour */

/* Run rubric with standard output and error on a new terminal and the
 * given TERM (NULL: unset), NO_COLOR unset; what the terminal showed. */
static char *run_on_terminal(const char *term, char *const argv[])
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        return NULL;
    char *slave_name = ptsname(master);
    assert_non_null(slave_name);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid();
        int slave = open(slave_name, O_RDWR);
        if (slave < 0 || chdir(RUBRIC_SOURCE_DIR) != 0)
            _exit(127);
        dup2(slave, STDOUT_FILENO);
        dup2(slave, STDERR_FILENO);
        unsetenv("NO_COLOR");
        if (term)
            setenv("TERM", term, 1);
        else
            unsetenv("TERM");
        execv(RUBRIC_BINARY, argv);
        _exit(127);
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (;;) {
        if (len + 1 == cap) {
            text = realloc(text, cap *= 2);
            assert_non_null(text);
        }
        ssize_t n = read(master, text + len, cap - len - 1);
        if (n > 0)
            len += (size_t)n;
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break; /* EIO: the terminal's last user has gone */
    }
    text[len] = '\0';
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(master);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    return text;
}

/* D20: on a terminal, a scorecard and a diagnostic are coloured, but not
 * for TERM=dumb or without TERM. */
static void test_color_needs_a_capable_terminal(void **state)
{
    (void)state;
    static char *argv[] = {"rubric", "eval", "--as-of", "2026-11-22", "-f", "text",
                           "-p", "apn-2019-consulting", PARTNER,
                           "tests/catalogue/data_date_impossible.json", NULL};
    char *text = run_on_terminal("xterm", argv);
    if (!text)
        skip(); /* no terminals to be had here */
    assert_non_null(strstr(text, "\033[1;31merror:")); /* the diagnostic */
    assert_non_null(strstr(text, "\033[32m\xE2\x9C\x93\033[0m")); /* a green mark */
    free(text);
    static const char *const plain[] = {"dumb", NULL};
    for (size_t i = 0; i < 2; i++) {
        text = run_on_terminal(plain[i], argv);
        assert_non_null(text);
        assert_non_null(strstr(text, "error:"));
        assert_non_null(strstr(text, "\xE2\x9C\x93"));
        assert_null(strchr(text, '\033'));
        free(text);
    }
}

/* ------------------------------------------------------------ rubric test */

/* D9: below a directory, symlinks to directories are not followed: a link
 * to "." runs nothing twice (two such links made the walk explode). */
static void test_rule_tests_skip_directory_links(void **state)
{
    const char *dir = *state;
    char path[PATH_MAX], script[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/one_test.rubric", dir);
    test_write_text(path,
               "program \"apn-2019-consulting\"\n"
               "as_of 2026-11-22\n"
               "\n"
               "test \"A partner with nothing but its identity is not eligible\"\n"
               "  data\n"
               "    {\"id\": \"P-1\", \"name\": \"One\", \"path\": \"consulting\", "
               "\"tier\": \"Select\", \"renewal_date\": \"2027-01-20\"}\n"
               "  expect eligible_tier none\n");
    snprintf(path, sizeof path, "%s/here", dir);
    assert_int_equal(symlink(".", path), 0);
    snprintf(path, sizeof path, "%s/file_link_test.rubric", dir);
    assert_int_equal(symlink("one_test.rubric", path), 0);
    snprintf(script, sizeof script, "\"$R\" test '%s'", dir);
    char *out, *err;
    assert_int_equal(test_sh(script, &out, &err), 0);
    /* The test file and the link to it: two files, each once. */
    assert_string_equal(out, "2 passed, 0 failed\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
    /* A link given on the command line is followed. */
    snprintf(script, sizeof script, "\"$R\" test '%s/here'", dir);
    assert_int_equal(test_sh(script, &out, NULL), 0);
    assert_string_equal(out, "2 passed, 0 failed\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_as_of_out_of_range),
        cmocka_unit_test(test_as_of_range_ends_evaluate),
        cmocka_unit_test(test_default_as_of_is_local_date),
        cmocka_unit_test(test_color_needs_a_capable_terminal),
        cmocka_unit_test_setup_teardown(test_rule_tests_skip_directory_links, test_dir_setup,
                                        test_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
